// obs_buckets: one global namespace of names, each bucket owned by an IAM domain.
import type { Database, Statement } from "better-sqlite3";
import { BUCKET_COLUMNS, toBucket, type BucketRow } from "./rows.ts";

export class BucketsTable {
  private readonly st: Record<"get" | "insert" | "delete" | "byDomain" | "hasObjects" | "hasUploads", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare(`SELECT ${BUCKET_COLUMNS} FROM obs_buckets WHERE name = ?`),
      insert: db.prepare(`INSERT INTO obs_buckets (name, domain_id, location, storage_class, acl, created_at)
        VALUES (@name, @domain_id, @location, @storage_class, @acl, @created_at)`),
      delete: db.prepare("DELETE FROM obs_buckets WHERE name = ?"),
      byDomain: db.prepare(`SELECT ${BUCKET_COLUMNS} FROM obs_buckets WHERE domain_id = ? ORDER BY name`),
      hasObjects: db.prepare("SELECT 1 FROM obs_objects WHERE bucket = ? LIMIT 1").pluck(),
      hasUploads: db.prepare("SELECT 1 FROM obs_uploads WHERE bucket = ? LIMIT 1").pluck(),
    };
  }

  get(name: string): BucketRow | undefined {
    const r = this.st.get.get(name);
    return r === undefined ? undefined : toBucket(r);
  }

  insert(row: BucketRow): void {
    this.st.insert.run(row);
  }

  delete(name: string): void {
    this.st.delete.run(name);
  }

  /** A domain's buckets in name order (ListBuckets). */
  ofDomain(domainId: string): BucketRow[] {
    return this.st.byDomain.all(domainId).map(toBucket);
  }

  /** Objects or multipart uploads in progress keep a bucket from being deleted. */
  hasContent(name: string): boolean {
    return this.st.hasObjects.get(name) !== undefined || this.st.hasUploads.get(name) !== undefined;
  }
}
