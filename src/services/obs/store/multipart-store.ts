// Multipart uploads: Initiate, UploadPart, ListParts, ListMultipartUploads, Complete and Abort, with the
// same durability as a PUT (blobs.ts): a part is acknowledged by the commit of its row, after its file is
// durable. Complete concatenates the listed parts into one new blob by streaming, then one transaction
// inserts the object and deletes the upload with its parts; the part files go after that commit.
//
// While a Complete streams the parts together, the upload is marked in memory: an UploadPart commit, an
// Abort or a second Complete for it meanwhile is 409 OperationAborted, so no part file it reads can be
// replaced and unlinked under it. (The mark is memory only; after a crash there is no Complete running.)
import type { Database } from "better-sqlite3";
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Clock } from "../../../kernel/clock.ts";
import type { Ids } from "../../../kernel/ids.ts";
import { obsErrors } from "../errors.ts";
import { checkKey, checkMetadata, MAX_PART_BYTES, MAX_PART_NUMBER, MIN_PART_BYTES } from "../validate.ts";
import type { BlobStore } from "./blobs.ts";
import { bodyCheck, quotedEtag } from "./digests.ts";
import type { MultipartTables, PartsPage, PartsQuery, UploadsPage, UploadsQuery } from "./multipart.ts";
import type { ObjectsTable } from "./objects.ts";
import { DEFAULT_CONTENT_TYPE, sameEtag, type BucketRow, type ObjectAttributes, type ObjectRow, type PartRow, type UploadRow } from "./rows.ts";

export interface MultipartDeps {
  db: Database;
  clock: Clock;
  ids: Ids;
  blobs: BlobStore;
  tables: MultipartTables;
  objects: ObjectsTable;
  requireBucket: (name: string) => BucketRow;
  /** Makes a row its key's current version (versions.ts); returns the blobs no row names any more. */
  putCurrent: (row: ObjectRow) => string[];
}

export interface UploadPartInput {
  bucket: string;
  key: string;
  uploadId: string;
  /** 1–10,000 (validate.ts `parsePartNumber` reads the query value). */
  partNumber: number;
  body: Readable;
  contentMd5?: string;
  expectedSha256?: string;
  contentLength?: number;
}

/** A part as a CompleteMultipartUpload body lists it; the ETag quoted or not. */
export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export class MultipartStore {
  private readonly completing = new Set<string>();

  constructor(private readonly d: MultipartDeps) {}

  /** Starts an upload; its id is 32 upper-case hex digits, the shape OBS's upload ids have. */
  initiate(p: { bucket: string; key: string; initiator: string } & ObjectAttributes): UploadRow {
    this.d.requireBucket(p.bucket);
    checkKey(p.key);
    checkMetadata(p.metadata ?? {});
    const row: UploadRow = {
      upload_id: this.d.ids.hex32().toUpperCase(),
      bucket: p.bucket,
      key: p.key,
      initiator: p.initiator,
      content_type: p.contentType || DEFAULT_CONTENT_TYPE,
      metadata: p.metadata ?? {},
      headers: p.headers ?? {},
      storage_class: p.storageClass ?? "STANDARD",
      acl: p.acl ?? null,
      initiated: this.d.clock.now(),
    };
    this.d.tables.insertUpload(row);
    return row;
  }

  /** The upload, or NoSuchUpload (also when it belongs to another bucket or key). */
  require(bucket: string, key: string, uploadId: string): UploadRow {
    const u = this.d.tables.getUpload(uploadId);
    if (u && u.bucket === bucket && u.key === key) return u;
    this.d.requireBucket(bucket);
    throw obsErrors.noSuchUpload(bucket, key, uploadId);
  }

  /** Streams one part in; the same part number again replaces it (the last commit wins). */
  async uploadPart(p: UploadPartInput): Promise<PartRow> {
    if (!Number.isInteger(p.partNumber) || p.partNumber < 1 || p.partNumber > MAX_PART_NUMBER) {
      throw obsErrors.invalidPartNumber(String(p.partNumber));
    }
    this.require(p.bucket, p.key, p.uploadId);
    if (p.contentLength !== undefined && p.contentLength > MAX_PART_BYTES) throw obsErrors.entityTooLarge(MAX_PART_BYTES);
    const written = await this.d.blobs.write(p.body, {
      maxBytes: MAX_PART_BYTES,
      ...(p.contentLength !== undefined ? { expectedBytes: p.contentLength } : {}),
      sha256: p.expectedSha256 !== undefined,
      check: bodyCheck(p.bucket, p.key, p),
    });
    const row: PartRow = {
      upload_id: p.uploadId,
      part_number: p.partNumber,
      size: written.size,
      etag: quotedEtag(written.md5),
      last_modified: this.d.clock.now(),
      blob: written.name,
    };
    const old = this.d.blobs.adopt(row.blob, () =>
      this.d.db.transaction(() => {
        this.require(p.bucket, p.key, p.uploadId); // aborted or completed while the part streamed in
        this.notCompleting(p.uploadId);
        return this.d.tables.putPart(row);
      })(),
    );
    if (old !== undefined) this.d.blobs.removeLater([old]);
    return row;
  }

  listParts(bucket: string, key: string, uploadId: string, q: PartsQuery): { upload: UploadRow; page: PartsPage } {
    const upload = this.require(bucket, key, uploadId);
    return { upload, page: this.d.tables.listParts(uploadId, q) };
  }

  listUploads(bucket: string, q: UploadsQuery): UploadsPage {
    this.d.requireBucket(bucket);
    return this.d.tables.listUploads(bucket, q);
  }

  /**
   * Completes an upload from the parts listed: ascending part numbers (InvalidPartOrder), each uploaded
   * with that ETag (InvalidPart), each but the last at least 100 KB (EntityTooSmall). Parts not listed are
   * dropped. The ETag is the MD5 of the parts' binary MD5s, a dash and the part count.
   */
  async complete(bucket: string, key: string, uploadId: string, listed: readonly CompletedPart[]): Promise<ObjectRow> {
    const upload = this.require(bucket, key, uploadId);
    this.notCompleting(uploadId);
    if (listed.length === 0) throw obsErrors.malformedXml("You must specify at least one part.");
    const stored = new Map(this.d.tables.allParts(uploadId).map((p) => [p.part_number, p]));
    const chosen: PartRow[] = [];
    listed.forEach((l, i) => {
      if (i > 0 && l.partNumber <= listed[i - 1]!.partNumber) throw obsErrors.invalidPartOrder();
      const part = stored.get(l.partNumber);
      if (!part || !sameEtag(l.etag, part.etag)) throw obsErrors.invalidPart(l.partNumber);
      chosen.push(part);
    });
    chosen.forEach((part, i) => {
      if (i < chosen.length - 1 && part.size < MIN_PART_BYTES) throw obsErrors.entityTooSmall(part.part_number, MIN_PART_BYTES);
    });
    const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag.replace(/"/g, "").slice(0, 32), "hex")));
    const etag = `"${createHash("md5").update(md5s).digest("hex")}-${chosen.length}"`;

    this.completing.add(uploadId);
    try {
      const written = await this.d.blobs.concat(chosen.map((p) => p.blob));
      const row: ObjectRow = {
        bucket,
        key,
        version_id: null,
        size: written.size,
        etag,
        content_type: upload.content_type,
        metadata: upload.metadata,
        headers: upload.headers,
        storage_class: upload.storage_class,
        acl: upload.acl,
        last_modified: this.d.clock.now(),
        blob: written.name,
        tagging: null,
        object_type: "Normal",
        append_count: 0,
      };
      const dropped = this.d.blobs.adopt(row.blob, () =>
        this.d.db.transaction(() => {
          this.require(bucket, key, uploadId);
          const replaced = this.d.putCurrent(row); // sets row.version_id in a versioned bucket
          return [...this.d.tables.deleteUpload(uploadId), ...replaced];
        })(),
      );
      this.d.blobs.removeLater(dropped);
      return row;
    } finally {
      this.completing.delete(uploadId);
    }
  }

  /** Aborts an upload: its parts are deleted and their files removed. */
  abort(bucket: string, key: string, uploadId: string): void {
    this.notCompleting(uploadId);
    const blobs = this.d.db.transaction(() => {
      this.require(bucket, key, uploadId);
      return this.d.tables.deleteUpload(uploadId);
    })();
    this.d.blobs.removeLater(blobs);
  }

  private notCompleting(uploadId: string): void {
    if (this.completing.has(uploadId)) throw obsErrors.operationAborted(`The upload ${uploadId} is being completed.`);
  }
}
