// obs_objects: the current object under each key, and the blob file holding its bytes.
import type { Database, Statement } from "better-sqlite3";
import { OBJECT_COLUMNS, toObject, type ObjectRow } from "./rows.ts";

export class ObjectsTable {
  private readonly st: Record<"get" | "blobOf" | "upsert" | "delete" | "blobRef", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare(`SELECT ${OBJECT_COLUMNS} FROM obs_objects WHERE bucket = ? AND key = ?`),
      blobOf: db.prepare("SELECT blob FROM obs_objects WHERE bucket = ? AND key = ?").pluck(),
      upsert: db.prepare(`INSERT INTO obs_objects (${OBJECT_COLUMNS})
        VALUES (@bucket, @key, @version_id, @size, @etag, @content_type, @metadata, @headers, @storage_class, @acl,
          @last_modified, @blob, @tagging, @object_type, @append_count)
        ON CONFLICT (bucket, key) DO UPDATE SET version_id = excluded.version_id, size = excluded.size,
          etag = excluded.etag, content_type = excluded.content_type, metadata = excluded.metadata,
          headers = excluded.headers, storage_class = excluded.storage_class, acl = excluded.acl,
          last_modified = excluded.last_modified, blob = excluded.blob, tagging = excluded.tagging,
          object_type = excluded.object_type, append_count = excluded.append_count`),
      delete: db.prepare("DELETE FROM obs_objects WHERE bucket = ? AND key = ? RETURNING blob").pluck(),
      blobRef: db.prepare("SELECT 1 FROM obs_objects WHERE blob = ?").pluck(),
    };
  }

  get(bucket: string, key: string): ObjectRow | undefined {
    const r = this.st.get.get(bucket, key);
    return r === undefined ? undefined : toObject(r);
  }

  /** The blob of the object under a key, without parsing its row. */
  blobOf(bucket: string, key: string): string | undefined {
    const blob: unknown = this.st.blobOf.get(bucket, key);
    return typeof blob === "string" ? blob : undefined;
  }

  /** Inserts or replaces the object under its key; call inside the transaction that reads the old blob. */
  put(row: ObjectRow): void {
    this.st.upsert.run({
      ...row,
      metadata: JSON.stringify(row.metadata),
      headers: JSON.stringify(row.headers),
      tagging: row.tagging === null ? null : JSON.stringify(row.tagging),
    });
  }

  /** Deletes the object; returns the blob it named, now unreferenced, or undefined if there was none. */
  delete(bucket: string, key: string): string | undefined {
    const blob: unknown = this.st.delete.get(bucket, key);
    return typeof blob === "string" ? blob : undefined;
  }

  names(blob: string): boolean {
    return this.st.blobRef.get(blob) !== undefined;
  }
}
