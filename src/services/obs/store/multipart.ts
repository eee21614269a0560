// obs_uploads and obs_parts: multipart uploads in progress and their acknowledged parts. A part's row is
// committed after its blob is durable, so the parts a client was told about survive a crash and the
// upload can still be completed after a restart.
import type { Database, Statement } from "better-sqlite3";
import { PART_COLUMNS, UPLOAD_COLUMNS, toPart, toUpload, type PartRow, type UploadRow } from "./rows.ts";
import { successor } from "./listing.ts";

export interface UploadsQuery {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  /** 0–1000 */
  maxUploads: number;
}

export interface UploadsPage {
  uploads: UploadRow[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker: string | undefined;
  nextUploadIdMarker: string | undefined;
}

export interface PartsQuery {
  /** List the parts numbered above this. */
  partNumberMarker?: number;
  /** 0–1000 */
  maxParts: number;
}

export interface PartsPage {
  parts: PartRow[];
  isTruncated: boolean;
  nextPartNumberMarker: number | undefined;
}

type Name =
  | "getUpload"
  | "insertUpload"
  | "deleteUpload"
  | "partBlobs"
  | "getPart"
  | "putPart"
  | "partsAfter"
  | "allParts"
  | "uploadsFrom"
  | "uploadsRange"
  | "blobRef";

export class MultipartTables {
  private readonly st: Record<Name, Statement>;

  constructor(db: Database) {
    const uploadsOrder = "ORDER BY key, initiated, upload_id";
    this.st = {
      getUpload: db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM obs_uploads WHERE upload_id = ?`),
      insertUpload: db.prepare(`INSERT INTO obs_uploads (${UPLOAD_COLUMNS}) VALUES (@upload_id, @bucket, @key, @initiator,
        @content_type, @metadata, @headers, @storage_class, @acl, @initiated)`),
      deleteUpload: db.prepare("DELETE FROM obs_uploads WHERE upload_id = ?"),
      partBlobs: db.prepare("SELECT blob FROM obs_parts WHERE upload_id = ?").pluck(),
      getPart: db.prepare(`SELECT ${PART_COLUMNS} FROM obs_parts WHERE upload_id = ? AND part_number = ?`),
      putPart: db.prepare(`INSERT INTO obs_parts (${PART_COLUMNS})
        VALUES (@upload_id, @part_number, @size, @etag, @last_modified, @blob)
        ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
          last_modified = excluded.last_modified, blob = excluded.blob`),
      partsAfter: db.prepare(
        `SELECT ${PART_COLUMNS} FROM obs_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`,
      ),
      allParts: db.prepare(`SELECT ${PART_COLUMNS} FROM obs_parts WHERE upload_id = ? ORDER BY part_number`),
      uploadsFrom: db.prepare(
        `SELECT ${UPLOAD_COLUMNS} FROM obs_uploads WHERE bucket = ? AND key >= CAST(? AS TEXT) AND ? IS NULL ${uploadsOrder}`,
      ),
      uploadsRange: db.prepare(
        `SELECT ${UPLOAD_COLUMNS} FROM obs_uploads WHERE bucket = ? AND key >= CAST(? AS TEXT) AND key < CAST(? AS TEXT) ${uploadsOrder}`,
      ),
      blobRef: db.prepare("SELECT 1 FROM obs_parts WHERE blob = ?").pluck(),
    };
  }

  getUpload(uploadId: string): UploadRow | undefined {
    const r = this.st.getUpload.get(uploadId);
    return r === undefined ? undefined : toUpload(r);
  }

  insertUpload(row: UploadRow): void {
    this.st.insertUpload.run({ ...row, metadata: JSON.stringify(row.metadata), headers: JSON.stringify(row.headers) });
  }

  /** Deletes the upload and its parts; returns the part blobs, now unreferenced. */
  deleteUpload(uploadId: string): string[] {
    const blobs = this.st.partBlobs.all(uploadId).filter((b): b is string => typeof b === "string");
    this.st.deleteUpload.run(uploadId); // obs_parts rows go by ON DELETE CASCADE
    return blobs;
  }

  getPart(uploadId: string, partNumber: number): PartRow | undefined {
    const r = this.st.getPart.get(uploadId, partNumber);
    return r === undefined ? undefined : toPart(r);
  }

  /** Inserts or replaces a part (the last upload of a part number wins); returns the replaced part's blob. */
  putPart(row: PartRow): string | undefined {
    const old = this.getPart(row.upload_id, row.part_number);
    this.st.putPart.run(row);
    return old?.blob;
  }

  allParts(uploadId: string): PartRow[] {
    return this.st.allParts.all(uploadId).map(toPart);
  }

  listParts(uploadId: string, q: PartsQuery): PartsPage {
    if (q.maxParts <= 0) return { parts: [], isTruncated: false, nextPartNumberMarker: undefined };
    const rows = this.st.partsAfter.all(uploadId, q.partNumberMarker ?? 0, q.maxParts + 1).map(toPart);
    const isTruncated = rows.length > q.maxParts;
    const parts = isTruncated ? rows.slice(0, q.maxParts) : rows;
    return { parts, isTruncated, nextPartNumberMarker: parts.at(-1)?.part_number };
  }

  /**
   * Uploads in key order (uploads of one key by initiation time), with S3's markers: after `keyMarker`,
   * or, with `uploadIdMarker`, after that upload of `keyMarker`. Uploads in progress are few, so this
   * walks the prefix's range rather than seeking past each common prefix as object listing does.
   */
  listUploads(bucket: string, q: UploadsQuery): UploadsPage {
    const prefix = q.prefix ?? "";
    const delimiter = q.delimiter ? q.delimiter : undefined;
    const page: UploadsPage = { uploads: [], commonPrefixes: [], isTruncated: false, nextKeyMarker: undefined, nextUploadIdMarker: undefined };
    if (q.maxUploads <= 0) return page;
    const upper = prefix === "" ? undefined : successor(prefix);
    const markerKey = q.keyMarker ? q.keyMarker : undefined;
    const markerId = q.uploadIdMarker ? q.uploadIdMarker : undefined;
    const prefixBytes = Buffer.from(prefix, "utf8");
    const markerBytes = markerKey === undefined ? undefined : Buffer.from(markerKey, "utf8");
    // Every row read is at or after both the prefix and the key marker, so only the marker's own key needs care.
    const from = markerBytes && Buffer.compare(markerBytes, prefixBytes) > 0 ? markerBytes : prefixBytes;
    const stmt = upper ? this.st.uploadsRange : this.st.uploadsFrom;
    let passedMarkerId = markerId === undefined;
    const commonPrefixOf = (key: string): string | undefined => {
      const cut = delimiter === undefined || !key.startsWith(prefix) ? -1 : key.indexOf(delimiter, prefix.length);
      return cut >= 0 ? key.slice(0, cut + delimiter!.length) : undefined;
    };
    // A marker under a common prefix means that prefix was listed already (as in object listing).
    let lastPrefix = markerKey === undefined ? undefined : commonPrefixOf(markerKey);
    for (const raw of stmt.iterate(bucket, from, upper ?? null)) {
      const u = toUpload(raw);
      if (u.key === markerKey) {
        // key-marker alone lists the keys after it; with upload-id-marker, that key's later uploads too.
        if (markerId === undefined) continue;
        if (!passedMarkerId) {
          passedMarkerId = u.upload_id === markerId;
          continue;
        }
      }
      const cp = commonPrefixOf(u.key);
      if (cp !== undefined && cp === lastPrefix) continue;
      if (page.uploads.length + page.commonPrefixes.length === q.maxUploads) {
        page.isTruncated = true;
        break;
      }
      if (cp !== undefined) {
        lastPrefix = cp;
        page.commonPrefixes.push(cp);
        page.nextKeyMarker = cp;
        page.nextUploadIdMarker = undefined;
      } else {
        page.uploads.push(u);
        page.nextKeyMarker = u.key;
        page.nextUploadIdMarker = u.upload_id;
      }
    }
    if (!page.isTruncated) {
      page.nextKeyMarker = undefined;
      page.nextUploadIdMarker = undefined;
    }
    return page;
  }

  names(blob: string): boolean {
    return this.st.blobRef.get(blob) !== undefined;
  }
}
