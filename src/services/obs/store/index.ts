// OBS's state: buckets and object metadata in SQLite, object bytes in blob files (blobs.ts). Every write
// ends in one transaction, which is both the acknowledgement and the moment the change becomes visible;
// files a commit stops naming are unlinked only after it. Errors are ObsErrors for the caller to render.
//
// Durability sequence of a PUT, an UploadPart, a Copy and a Complete:
//   body → tmp/<id> (MD5/SHA-256, size limit) → checks (Content-MD5, payload hash, Content-Length)
//   → fsync(file) → rename to blobs/<id> → fsync(blobs/)
//   → BEGIN; insert/replace the row; COMMIT → unlink the blob the row used to name.
// After a kill -9 anywhere in that sequence, the row is either the old one with its intact file or the new
// one with its intact file; leftovers (tmp files, blobs no row names) are removed at the next start.
import type { Database } from "better-sqlite3";
import { closeSync, createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Clock } from "../../../kernel/clock.ts";
import type { Ids } from "../../../kernel/ids.ts";
import { migrate } from "../../../store/database.ts";
import { obsErrors } from "../errors.ts";
import { checkBucketName, checkKey, checkMetadata, MAX_PUT_BYTES } from "../validate.ts";
import { BlobStore } from "./blobs.ts";
import { bodyCheck, quotedEtag } from "./digests.ts";
import { BucketsTable } from "./buckets.ts";
import { decodeContinuationToken, encodeContinuationToken, ObjectLister, type ListPage, type ListQuery } from "./listing.ts";
import { OBS_MIGRATIONS } from "./migrations.ts";
import { MultipartTables } from "./multipart.ts";
import { ObjectsTable } from "./objects.ts";
import { DEFAULT_CONTENT_TYPE, type BucketRow, type ObjectAttributes, type ObjectRow } from "./rows.ts";
import { MultipartStore } from "./multipart-store.ts";
import { ObjectVersions, type DeleteOutcome } from "./versions.ts";

export type { BucketRow, ObjectAttributes, ObjectRow, PartRow, UploadRow } from "./rows.ts";
export type { ListPage, ListQuery, ListedObject } from "./listing.ts";
export type { PartsPage, PartsQuery, UploadsPage, UploadsQuery } from "./multipart.ts";
export type { CompletedPart, UploadPartInput } from "./multipart-store.ts";
export type { DeleteOutcome, ListedVersion, VersioningStatus, VersionsPage, VersionsQuery } from "./versions.ts";
export { NULL_VERSION } from "./versions.ts";
export { OBS_MIGRATIONS } from "./migrations.ts";
export { decodeContentMd5 } from "./digests.ts";

export interface ObsStoreOptions {
  db: Database;
  clock: Clock;
  ids: Ids;
  /** hwlocal's data folder; blobs go to `<dataDir>/obs/`. */
  dataDir: string;
  /** --in-memory: blobs go to a fresh temporary folder, removed by close() (or at process exit). */
  inMemory: boolean;
  /** fsync files and folders before commits; default: on for a data folder, off in memory. */
  fsync?: boolean;
}

/** What a PUT brings besides the bytes. */
export interface PutOptions extends ObjectAttributes {
  /** The Content-MD5 header as sent (base64 of 16 bytes): BadDigest when the body differs. */
  contentMd5?: string;
  /** A hex x-amz-content-sha256 (V4): XAmzContentSHA256Mismatch when the body differs. */
  expectedSha256?: string;
  /** The Content-Length header: fewer bytes received is IncompleteBody. */
  contentLength?: number;
  /** Default 5 GiB (OBS's single-PUT limit). */
  maxBytes?: number;
  /** Fewer bytes are refused before anything is committed (a form policy's content-length-range). */
  minBytes?: number;
}

/** An object opened for reading: the fd is open until stream() ends or close() is called. */
export interface ObjectBody {
  object: ObjectRow;
  /** First and last byte served (inclusive); length is 0 for an empty object. */
  start: number;
  end: number;
  length: number;
  fd: number;
  /** The blob's path, for logs; read through `fd`, which survives a concurrent overwrite. */
  path: string;
}

export interface CopyInput {
  sourceBucket: string;
  sourceKey: string;
  bucket: string;
  key: string;
  /** MetadataDirective REPLACE: these attributes instead of the source's. */
  replace?: ObjectAttributes;
  /** copy-source-if-* checks, run on the source row just before its bytes are taken. */
  check?: (source: ObjectRow) => void;
  /** Copy this version of the source (`?versionId=` in the copy source). */
  sourceVersionId?: string;
}

/** The bytes of an opened object as a stream; it closes the fd when it ends or is destroyed. */
export function objectStream(body: ObjectBody, highWaterMark = 1 << 20): Readable {
  if (body.length === 0) {
    closeSync(body.fd);
    return Readable.from([]);
  }
  return createReadStream("", { fd: body.fd, start: body.start, end: body.end, autoClose: true, highWaterMark });
}

/** Releases an opened object that will not be streamed (a 304 or 412 after all). */
export function closeObject(body: ObjectBody): void {
  closeSync(body.fd);
}

export class ObsStore {
  readonly root: string;
  /** The start-up sweep of unreferenced blobs; resolves to how many files it removed. */
  readonly swept: Promise<number>;
  readonly blobs: BlobStore;
  readonly buckets: BucketsTable;
  readonly objects: ObjectsTable;
  readonly multipart: MultipartStore;
  /** Versioning: noncurrent versions and delete markers (versions.ts). */
  readonly versions: ObjectVersions;
  private readonly lister: ObjectLister;
  private readonly removeRoot: (() => void) | undefined;
  private readonly referenced: (name: string) => boolean;

  constructor(private readonly opts: ObsStoreOptions) {
    migrate(opts.db, "obs", OBS_MIGRATIONS);
    if (opts.inMemory) {
      this.root = mkdtempSync(join(tmpdir(), "hwlocal-obs-"));
      const remove = () => rmSync(this.root, { recursive: true, force: true });
      process.once("exit", remove);
      this.removeRoot = () => {
        process.off("exit", remove);
        remove();
      };
    } else {
      this.root = join(opts.dataDir, "obs");
      this.removeRoot = undefined;
    }
    this.buckets = new BucketsTable(opts.db);
    this.objects = new ObjectsTable(opts.db);
    const tables = new MultipartTables(opts.db);
    this.versions = new ObjectVersions({
      db: opts.db,
      clock: opts.clock,
      ids: opts.ids,
      objects: this.objects,
      requireBucket: (name) => this.headBucket(name),
      blobs: () => this.blobs,
    });
    const referenced = (name: string) => this.objects.names(name) || tables.names(name) || this.versions.names(name);
    this.blobs = new BlobStore({ root: this.root, ids: opts.ids, fsync: opts.fsync ?? !opts.inMemory, inUse: referenced });
    this.lister = new ObjectLister(opts.db);
    this.multipart = new MultipartStore({
      db: opts.db,
      clock: opts.clock,
      ids: opts.ids,
      blobs: this.blobs,
      tables,
      objects: this.objects,
      requireBucket: (name) => this.headBucket(name),
      putCurrent: (row) => this.versions.putCurrent(row),
    });
    this.referenced = referenced;
    this.swept = this.sweep();
  }

  /** The database, for the tier-2 features' own store files (store/<feature>.ts). */
  get db(): Database {
    return this.opts.db;
  }

  /** Removes blob files that no row names (at start, and after a reset has emptied the tables). */
  sweep(): Promise<number> {
    return this.blobs.sweep(this.referenced);
  }

  close(): void {
    this.blobs.close();
    this.removeRoot?.();
  }

  // ---- buckets ------------------------------------------------------------------------------------------

  /**
   * Creates a bucket in the global namespace. Another domain's name is BucketAlreadyExists. The caller's
   * own name in the same location is not an error (`created: false`), as Huawei documents for OBS ("同一
   * 用户在同一个区域多次创建同名桶不会报错"); in another location it is BucketAlreadyOwnedByYou.
   */
  createBucket(p: { domainId: string; name: string; location: string; storageClass?: string; acl?: string }): { bucket: BucketRow; created: boolean } {
    checkBucketName(p.name);
    return this.opts.db.transaction(() => {
      const existing = this.buckets.get(p.name);
      if (existing) {
        if (existing.domain_id !== p.domainId) throw obsErrors.bucketAlreadyExists(p.name);
        if (existing.location !== p.location) throw obsErrors.bucketAlreadyOwnedByYou(p.name);
        return { bucket: existing, created: false };
      }
      const bucket: BucketRow = {
        name: p.name,
        domain_id: p.domainId,
        location: p.location,
        storage_class: p.storageClass ?? "STANDARD",
        acl: p.acl ?? "private",
        created_at: this.opts.clock.now(),
      };
      this.buckets.insert(bucket);
      return { bucket, created: true };
    })();
  }

  findBucket(name: string): BucketRow | undefined {
    return this.buckets.get(name);
  }

  /** The bucket, or NoSuchBucket. Whether the caller may use it (its domain) is the caller's check. */
  headBucket(name: string): BucketRow {
    const b = this.buckets.get(name);
    if (!b) throw obsErrors.noSuchBucket(name);
    return b;
  }

  bucketLocation(name: string): string {
    return this.headBucket(name).location;
  }

  listBuckets(domainId: string): BucketRow[] {
    return this.buckets.ofDomain(domainId);
  }

  /** Deletes an empty bucket: objects or uploads in progress make it BucketNotEmpty. */
  deleteBucket(name: string): void {
    this.opts.db.transaction(() => {
      this.headBucket(name);
      if (this.buckets.hasContent(name) || this.versions.hasAny(name)) throw obsErrors.bucketNotEmpty(name);
      this.buckets.delete(name);
    })();
  }

  // ---- objects ------------------------------------------------------------------------------------------

  /** Streams a body into an object; resolves with the row once it is committed (visible and durable). */
  async putObject(bucket: string, key: string, body: Readable, opts: PutOptions = {}): Promise<ObjectRow> {
    this.headBucket(bucket);
    checkKey(key);
    checkMetadata(opts.metadata ?? {});
    const maxBytes = opts.maxBytes ?? MAX_PUT_BYTES;
    if (opts.contentLength !== undefined && opts.contentLength > maxBytes) throw obsErrors.entityTooLarge(maxBytes);
    const written = await this.blobs.write(body, {
      maxBytes,
      ...(opts.contentLength !== undefined ? { expectedBytes: opts.contentLength } : {}),
      sha256: opts.expectedSha256 !== undefined,
      check: (d) => {
        bodyCheck(bucket, key, opts)(d);
        if (opts.minBytes !== undefined && d.size < opts.minBytes) throw obsErrors.uploadTooSmall(opts.minBytes);
      },
    });
    return this.commitObject(this.newRow(bucket, key, opts, { size: written.size, etag: quotedEtag(written.md5), blob: written.name }));
  }

  /** The object's row (or one version's), or NoSuchKey (NoSuchBucket first when the bucket is missing). */
  headObject(bucket: string, key: string, versionId?: string): ObjectRow {
    if (versionId !== undefined) return this.versions.find(bucket, key, versionId);
    const o = this.objects.get(bucket, key);
    if (o) return o;
    this.headBucket(bucket);
    throw this.versions.noSuchKey(bucket, key);
  }

  findObject(bucket: string, key: string): ObjectRow | undefined {
    return this.objects.get(bucket, key);
  }

  /**
   * Opens an object for reading, whole or one range (`end` is clamped to the object; a start at or past
   * the end is InvalidRange). `check` runs on the row before the file is opened (If-Match and kin).
   */
  getObject(
    bucket: string,
    key: string,
    opts: { range?: { start: number; end?: number }; check?: (o: ObjectRow) => void; versionId?: string } = {},
  ): ObjectBody {
    const object = this.headObject(bucket, key, opts.versionId);
    opts.check?.(object);
    let start = 0;
    let end = object.size - 1;
    if (opts.range) {
      if (opts.range.start >= object.size) throw obsErrors.invalidRange(object.size);
      start = opts.range.start;
      end = Math.min(opts.range.end ?? end, end);
    }
    const fd = this.blobs.openForRead(object.blob);
    return { object, start, end, length: Math.max(0, end - start + 1), fd, path: this.blobs.path(object.blob) };
  }

  /**
   * Deletes an object; true if there was one. Deleting a missing key is not an error (204 either way). In a
   * versioned bucket it adds a delete marker instead (versions.ts; `versions.delete` tells which).
   */
  deleteObject(bucket: string, key: string): boolean {
    return this.versions.delete(bucket, key).existed;
  }

  /** Batch delete in one transaction; a missing key still counts as deleted (批量删除对象.md). */
  deleteObjects(bucket: string, keys: readonly (string | { key: string; versionId?: string })[]): (DeleteOutcome & { key: string })[] {
    return this.versions.deleteMany(bucket, keys.map((k) => (typeof k === "string" ? { key: k } : k)));
  }

  /** Server-side copy: the bytes are shared through a hard link (or copied), then one commit. */
  async copyObject(c: CopyInput): Promise<ObjectRow> {
    this.headBucket(c.bucket);
    checkKey(c.key);
    if (c.replace?.metadata) checkMetadata(c.replace.metadata);
    for (let attempt = 0; ; attempt++) {
      const source = this.headObject(c.sourceBucket, c.sourceKey, c.sourceVersionId);
      c.check?.(source);
      let blob: string;
      try {
        blob = await this.blobs.duplicate(source.blob);
      } catch (err) {
        // The source was overwritten or deleted between reading its row and linking its file: read again.
        if ((err as { code?: unknown }).code === "ENOENT" && attempt < 3) continue;
        throw err;
      }
      const attrs: ObjectAttributes = c.replace ?? {
        contentType: source.content_type,
        metadata: source.metadata,
        headers: source.headers,
        storageClass: source.storage_class,
        ...(source.acl !== null ? { acl: source.acl } : {}),
      };
      return this.commitObject(this.newRow(c.bucket, c.key, attrs, { size: source.size, etag: source.etag, blob }));
    }
  }

  listObjects(bucket: string, q: ListQuery): ListPage {
    this.headBucket(bucket);
    return this.lister.list(bucket, q);
  }

  /** ListObjectsV2: the continuation token wins over start-after, as in S3. */
  listObjectsV2(
    bucket: string,
    q: { prefix?: string; delimiter?: string; continuationToken?: string; startAfter?: string; maxKeys: number },
  ): ListPage & { keyCount: number; nextContinuationToken: string | undefined } {
    const after = q.continuationToken ? decodeContinuationToken(q.continuationToken) : q.startAfter;
    const page = this.listObjects(bucket, {
      ...(q.prefix !== undefined ? { prefix: q.prefix } : {}),
      ...(q.delimiter !== undefined ? { delimiter: q.delimiter } : {}),
      ...(after ? { after } : {}),
      maxKeys: q.maxKeys,
    });
    return {
      ...page,
      keyCount: page.contents.length + page.commonPrefixes.length,
      nextContinuationToken: page.nextMarker === undefined ? undefined : encodeContinuationToken(page.nextMarker),
    };
  }

  // ---- shared -------------------------------------------------------------------------------------------

  private newRow(bucket: string, key: string, a: ObjectAttributes, bytes: { size: number; etag: string; blob: string }): ObjectRow {
    return {
      bucket,
      key,
      version_id: null,
      size: bytes.size,
      etag: bytes.etag,
      content_type: a.contentType || DEFAULT_CONTENT_TYPE,
      metadata: a.metadata ?? {},
      headers: a.headers ?? {},
      storage_class: a.storageClass ?? "STANDARD",
      acl: a.acl ?? null,
      last_modified: this.opts.clock.now(),
      blob: bytes.blob,
      tagging: a.tagging ?? null,
      object_type: "Normal",
      append_count: 0,
    };
  }

  /** The one commit of a new object version; the replaced blob is unlinked after it. */
  private commitObject(row: ObjectRow): ObjectRow {
    const old = this.blobs.adopt(row.blob, () =>
      this.opts.db.transaction(() => {
        this.headBucket(row.bucket); // deleted while the body streamed in: the new blob goes
        return this.versions.putCurrent(row); // sets row.version_id in a versioned bucket
      })(),
    );
    this.blobs.removeLater(old);
    return row;
  }
}
