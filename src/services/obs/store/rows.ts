// OBS's rows as the store hands them out, read back column by column (src/store/rows.ts). ETags are kept
// in their wire form, quoted: `"<md5 hex>"`, or `"<md5 of the parts' md5s>-<N>"` for a multipart object.
import { asRow, int, text, textOrNull, RowError, type SqlRow } from "../../../store/rows.ts";

export interface BucketRow {
  name: string;
  domain_id: string;
  location: string;
  storage_class: string;
  acl: string;
  created_at: number;
}

/** What a PUT, a Copy with REPLACE or an Initiate records about an object besides its bytes. */
export interface ObjectAttributes {
  /** Content-Type as sent; the store defaults it to binary/octet-stream, as OBS does. */
  contentType?: string;
  /** User metadata, names without the x-obs-meta-/x-amz-meta- prefix (the caller lower-cases them). */
  metadata?: Record<string, string>;
  /** Other headers stored and answered back on GET/HEAD: Content-Disposition, Cache-Control, Expires, … */
  headers?: Record<string, string>;
  storageClass?: string;
  /** The canned ACL given with the object (x-obs-acl / x-amz-acl), recorded for later enforcement. */
  acl?: string;
  /** Tags given with the object (x-obs-tagging / x-amz-tagging, URL-encoded pairs). */
  tagging?: Record<string, string>;
}

export interface ObjectRow {
  bucket: string;
  key: string;
  version_id: string | null;
  size: number;
  etag: string;
  content_type: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  storage_class: string;
  acl: string | null;
  last_modified: number;
  blob: string;
  /** Object tags (GetObjectTagging's pairs), null when the object has none. */
  tagging: Record<string, string> | null;
  /** OBS's x-obs-object-type: "Normal", or "Appendable" for an object written by AppendObject. */
  object_type: string;
  /** How many appends made the object (OBS allows 10,000). */
  append_count: number;
}

export interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  /** Who initiated it: the domain id (and user), for ListParts' and ListMultipartUploads' Initiator/Owner. */
  initiator: string;
  content_type: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  storage_class: string;
  acl: string | null;
  initiated: number;
}

export interface PartRow {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  last_modified: number;
  blob: string;
}

export const DEFAULT_CONTENT_TYPE = "binary/octet-stream";

function stringMap(r: SqlRow, k: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text(r, k));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new RowError(`column ${k} is not a JSON object`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(parsed)) {
    if (typeof v !== "string") throw new RowError(`column ${k} has a non-string value`);
    out[name] = v;
  }
  return out;
}

export const BUCKET_COLUMNS = "name, domain_id, location, storage_class, acl, created_at";

export function toBucket(raw: unknown): BucketRow {
  const r = asRow(raw);
  return {
    name: text(r, "name"),
    domain_id: text(r, "domain_id"),
    location: text(r, "location"),
    storage_class: text(r, "storage_class"),
    acl: text(r, "acl"),
    created_at: int(r, "created_at"),
  };
}

export const OBJECT_COLUMNS =
  "bucket, key, version_id, size, etag, content_type, metadata, headers, storage_class, acl, last_modified, blob, tagging, object_type, append_count";

export function toObject(raw: unknown): ObjectRow {
  const r = asRow(raw);
  return {
    bucket: text(r, "bucket"),
    key: text(r, "key"),
    version_id: textOrNull(r, "version_id"),
    size: int(r, "size"),
    etag: text(r, "etag"),
    content_type: text(r, "content_type"),
    metadata: stringMap(r, "metadata"),
    headers: stringMap(r, "headers"),
    storage_class: text(r, "storage_class"),
    acl: textOrNull(r, "acl"),
    last_modified: int(r, "last_modified"),
    blob: text(r, "blob"),
    tagging: r["tagging"] === null ? null : stringMap(r, "tagging"),
    object_type: text(r, "object_type"),
    append_count: int(r, "append_count"),
  };
}

export const UPLOAD_COLUMNS =
  "upload_id, bucket, key, initiator, content_type, metadata, headers, storage_class, acl, initiated";

export function toUpload(raw: unknown): UploadRow {
  const r = asRow(raw);
  return {
    upload_id: text(r, "upload_id"),
    bucket: text(r, "bucket"),
    key: text(r, "key"),
    initiator: text(r, "initiator"),
    content_type: text(r, "content_type"),
    metadata: stringMap(r, "metadata"),
    headers: stringMap(r, "headers"),
    storage_class: text(r, "storage_class"),
    acl: textOrNull(r, "acl"),
    initiated: int(r, "initiated"),
  };
}

export const PART_COLUMNS = "upload_id, part_number, size, etag, last_modified, blob";

export function toPart(raw: unknown): PartRow {
  const r = asRow(raw);
  return {
    upload_id: text(r, "upload_id"),
    part_number: int(r, "part_number"),
    size: int(r, "size"),
    etag: text(r, "etag"),
    last_modified: int(r, "last_modified"),
    blob: text(r, "blob"),
  };
}

/** An ETag as a client sends it back (quoted, bare, any case) compared with a stored one. */
export function sameEtag(given: string, stored: string): boolean {
  const bare = (s: string) => s.trim().replace(/^"|"$/g, "").toLowerCase();
  return bare(given) === bare(stored);
}
