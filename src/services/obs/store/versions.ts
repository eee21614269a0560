// Bucket versioning: the bucket's status (obs_buckets.versioning), and obs_versions, which holds every
// noncurrent version and every delete marker, while obs_objects keeps holding the current version of
// each key (so that ListObjects stays one range scan of obs_objects and never meets a delete marker).
//
// Invariant, per key: obs_objects has a row exactly when the latest version is an object; when the latest
// is a delete marker, that marker is the newest row of obs_versions for the key. obs_versions orders a
// key's versions by `seq` (a per-key counter, newest highest): a version moved out of obs_objects is newer
// than all the key's older versions, so it takes the next seq, and the current version ranks above them all.
//
// The null version (OBS's and S3's "null": an object written while the bucket was never versioned or was
// Suspended) is version_id NULL in obs_objects and 'null' in obs_versions; a new null version replaces
// the previous one wherever it is in the stack. Blobs move between the tables with their rows, so every
// blob stays named by exactly one row; the ones a commit stops naming are returned to be unlinked after it.
import type { Database, Statement } from "better-sqlite3";
import type { Clock } from "../../../kernel/clock.ts";
import type { Ids } from "../../../kernel/ids.ts";
import { asRow, int, text } from "../../../store/rows.ts";
import { obsErrors, type ObsError } from "../errors.ts";
import { MAX_LIST } from "../validate.ts";
import type { BlobStore } from "./blobs.ts";
import type { ObjectsTable } from "./objects.ts";
import { CURRENT_SEQ, VersionLister, type VersionsPage, type VersionsQuery } from "./version-listing.ts";
import { OBJECT_COLUMNS, toObject, type BucketRow, type ObjectRow } from "./rows.ts";

export type { ListedVersion, VersionsPage, VersionsQuery } from "./version-listing.ts";

export type VersioningStatus = "Enabled" | "Suspended";

export const NULL_VERSION = "null";

export interface VersionsDeps {
  db: Database;
  clock: Clock;
  ids: Ids;
  objects: ObjectsTable;
  requireBucket: (name: string) => BucketRow;
  /** The blob store (built after this table, whose `names` it consults). */
  blobs: () => BlobStore;
}

/** What a DeleteObject did: the version removed or the delete marker added (versioned buckets). */
export interface DeleteOutcome {
  existed: boolean;
  /** The version deleted (with a versionId) or the marker created (without one). */
  versionId?: string;
  /** A marker was created, or the version deleted was a marker. */
  deleteMarker?: boolean;
}


interface Marker {
  version_id: string;
  seq: number;
  delete_marker: boolean;
  last_modified: number;
  blob: string | null;
}

function toMarker(raw: unknown): Marker {
  const r = asRow(raw);
  return {
    version_id: text(r, "version_id"),
    seq: int(r, "seq"),
    delete_marker: int(r, "delete_marker") === 1,
    last_modified: int(r, "last_modified"),
    blob: r["blob"] === null ? null : text(r, "blob"),
  };
}

/** A noncurrent version read back as the object it was ('null' is version_id NULL, as in obs_objects). */
function toVersionObject(raw: unknown): ObjectRow {
  const row = toObject(raw);
  return row.version_id === NULL_VERSION ? { ...row, version_id: null } : row;
}

export class ObjectVersions {
  private readonly st: Record<string, Statement>;
  private readonly lister: VersionLister;
  private counter = 0;

  constructor(private readonly d: VersionsDeps) {
    const db = d.db;
    this.lister = new VersionLister(db);
    this.st = {
      status: db.prepare("SELECT versioning FROM obs_buckets WHERE name = ?").pluck(),
      setStatus: db.prepare("UPDATE obs_buckets SET versioning = ? WHERE name = ?"),
      insert: db.prepare(`INSERT INTO obs_versions (${OBJECT_COLUMNS}, seq, delete_marker)
        VALUES (@bucket, @key, @version_id, @size, @etag, @content_type, @metadata, @headers, @storage_class, @acl,
          @last_modified, @blob, @tagging, @object_type, @append_count, @seq, @delete_marker)`),
      nextSeq: db.prepare("SELECT coalesce(max(seq), 0) + 1 FROM obs_versions WHERE bucket = ? AND key = ?").pluck(),
      newest: db.prepare(`SELECT version_id, seq, delete_marker, last_modified, blob FROM obs_versions
        WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1`),
      byId: db.prepare(`SELECT version_id, seq, delete_marker, last_modified, blob FROM obs_versions
        WHERE bucket = ? AND key = ? AND version_id = ?`),
      object: db.prepare(`SELECT ${OBJECT_COLUMNS} FROM obs_versions WHERE bucket = ? AND key = ? AND version_id = ?`),
      remove: db.prepare("DELETE FROM obs_versions WHERE bucket = ? AND key = ? AND version_id = ?"),
      blobRef: db.prepare("SELECT 1 FROM obs_versions WHERE blob = ?").pluck(),
      any: db.prepare("SELECT 1 FROM obs_versions WHERE bucket = ? LIMIT 1").pluck(),
    };
  }

  // ---- the bucket's status ----------------------------------------------------------------------------

  /** undefined: never versioned (an empty VersioningConfiguration). */
  status(bucket: string): VersioningStatus | undefined {
    const v: unknown = this.st["status"]!.get(bucket);
    return v === "Enabled" || v === "Suspended" ? v : undefined;
  }

  setStatus(bucket: string, status: VersioningStatus): void {
    this.d.db.transaction(() => {
      this.d.requireBucket(bucket);
      this.st["setStatus"]!.run(status, bucket);
    })();
  }

  /** Noncurrent versions and delete markers are content too (DeleteBucket's BucketNotEmpty). */
  hasAny(bucket: string): boolean {
    return this.st["any"]!.get(bucket) !== undefined;
  }

  /** Whether a noncurrent version names this blob (the start-up sweep must keep it). */
  names(blob: string): boolean {
    return this.st["blobRef"]!.get(blob) !== undefined;
  }

  // ---- writes (inside the caller's transaction) ---------------------------------------------------------

  /**
   * Makes `row` the key's current version, inside the caller's transaction: in an Enabled bucket it gets a
   * fresh version id and the previous current version becomes noncurrent; otherwise it is the null
   * version, replacing the previous null version. Returns the blobs no row names any more.
   */
  putCurrent(row: ObjectRow): string[] {
    const status = this.status(row.bucket);
    if (status === undefined) {
      const previous = this.d.objects.blobOf(row.bucket, row.key);
      this.d.objects.put({ ...row, version_id: null });
      row.version_id = null;
      return previous === undefined ? [] : [previous];
    }
    const dropped: string[] = [];
    if (status === "Enabled") row.version_id = this.newVersionId();
    else {
      row.version_id = null;
      dropped.push(...this.removeNullVersion(row.bucket, row.key));
    }
    const current = this.d.objects.get(row.bucket, row.key);
    if (current) {
      if (current.version_id === null && status === "Suspended") dropped.push(current.blob);
      else this.demote(current);
    }
    this.d.objects.put(row);
    return dropped;
  }

  /**
   * DeleteObject in one transaction; the blobs it frees are unlinked after the commit. Without a version
   * id: a never-versioned bucket deletes the object, a versioned one adds a delete marker (the null one
   * when Suspended). With one: that version goes, and the next newest becomes current.
   */
  delete(bucket: string, key: string, versionId?: string): DeleteOutcome {
    const { outcome, dropped } = this.d.db.transaction(() => {
      this.d.requireBucket(bucket);
      return this.deleteIn(bucket, key, versionId);
    })();
    this.d.blobs().removeLater(dropped);
    return outcome;
  }

  /** DeleteObjects: every entry in one transaction; a missing key or version still counts as deleted. */
  deleteMany(bucket: string, entries: readonly { key: string; versionId?: string }[]): (DeleteOutcome & { key: string })[] {
    if (entries.length === 0 || entries.length > MAX_LIST) throw obsErrors.malformedXml(`A Delete names 1 to ${MAX_LIST} objects.`);
    const dropped: string[] = [];
    const out = this.d.db.transaction(() => {
      this.d.requireBucket(bucket);
      return entries.map((e) => {
        const r = this.deleteIn(bucket, e.key, e.versionId);
        dropped.push(...r.dropped);
        return { key: e.key, ...r.outcome };
      });
    })();
    this.d.blobs().removeLater(dropped);
    return out;
  }

  private deleteIn(bucket: string, key: string, versionId: string | undefined): { outcome: DeleteOutcome; dropped: string[] } {
    const status = this.status(bucket);
    if (versionId !== undefined) return this.deleteVersion(bucket, key, versionId);
    if (status === undefined) {
      const blob = this.d.objects.delete(bucket, key);
      return { outcome: { existed: blob !== undefined }, dropped: blob === undefined ? [] : [blob] };
    }
    const dropped: string[] = [];
    const current = this.d.objects.get(bucket, key);
    if (status === "Suspended") dropped.push(...this.removeNullVersion(bucket, key));
    if (current) {
      this.d.objects.delete(bucket, key);
      if (current.version_id === null && status === "Suspended") dropped.push(current.blob);
      else this.demote(current);
    }
    const marker = status === "Enabled" ? this.newVersionId() : NULL_VERSION;
    this.st["insert"]!.run({
      bucket,
      key,
      version_id: marker,
      size: 0,
      etag: "",
      content_type: "",
      metadata: "{}",
      headers: "{}",
      storage_class: "STANDARD",
      acl: null,
      last_modified: this.d.clock.now(),
      blob: null,
      tagging: null,
      object_type: "DeleteMarker",
      append_count: 0,
      seq: this.nextSeq(bucket, key),
      delete_marker: 1,
    });
    return { outcome: { existed: current !== undefined, versionId: marker, deleteMarker: true }, dropped };
  }

  private deleteVersion(bucket: string, key: string, versionId: string): { outcome: DeleteOutcome; dropped: string[] } {
    const current = this.d.objects.get(bucket, key);
    if (current && (current.version_id ?? NULL_VERSION) === versionId) {
      this.d.objects.delete(bucket, key);
      this.promote(bucket, key);
      return { outcome: { existed: true, versionId }, dropped: [current.blob] };
    }
    const found = this.byId(bucket, key, versionId);
    if (!found) return { outcome: { existed: false, versionId }, dropped: [] };
    this.st["remove"]!.run(bucket, key, versionId);
    // The latest was this delete marker: the version below it (if an object) becomes current again.
    if (!current) this.promote(bucket, key);
    return {
      outcome: { existed: true, versionId, ...(found.delete_marker ? { deleteMarker: true } : {}) },
      dropped: found.blob === null ? [] : [found.blob],
    };
  }

  /** Moves the current version into obs_versions as the newest noncurrent one (its blob moves with it). */
  private demote(current: ObjectRow): void {
    this.st["insert"]!.run({
      ...current,
      version_id: current.version_id ?? NULL_VERSION,
      metadata: JSON.stringify(current.metadata),
      headers: JSON.stringify(current.headers),
      tagging: current.tagging === null ? null : JSON.stringify(current.tagging),
      seq: this.nextSeq(current.bucket, current.key),
      delete_marker: 0,
    });
  }

  /** With no current version: the newest noncurrent one, if it is an object, becomes current. */
  private promote(bucket: string, key: string): void {
    const newest = this.newest(bucket, key);
    if (!newest || newest.delete_marker) return;
    const row = toVersionObject(this.st["object"]!.get(bucket, key, newest.version_id));
    this.st["remove"]!.run(bucket, key, newest.version_id);
    this.d.objects.put(row);
  }

  /** Removes a noncurrent null version or null delete marker; returns its blob to unlink. */
  private removeNullVersion(bucket: string, key: string): string[] {
    const old = this.byId(bucket, key, NULL_VERSION);
    if (!old) return [];
    this.st["remove"]!.run(bucket, key, NULL_VERSION);
    return old.blob === null ? [] : [old.blob];
  }

  private nextSeq(bucket: string, key: string): number {
    return this.st["nextSeq"]!.get(bucket, key) as number;
  }

  private newest(bucket: string, key: string): Marker | undefined {
    const r = this.st["newest"]!.get(bucket, key);
    return r === undefined ? undefined : toMarker(r);
  }

  private byId(bucket: string, key: string, versionId: string): Marker | undefined {
    const r = this.st["byId"]!.get(bucket, key, versionId);
    return r === undefined ? undefined : toMarker(r);
  }

  /**
   * 32 upper-case hex digits, as OBS's version ids look: the clock's milliseconds, a counter and the
   * injected ids' randomness, so that ids sort by creation within a process.
   */
  private newVersionId(): string {
    this.counter = (this.counter + 1) & 0xffff;
    const time = this.d.clock.now().toString(16).padStart(12, "0").slice(-12);
    return `${time}${this.counter.toString(16).padStart(4, "0")}${this.d.ids.hex32().slice(0, 16)}`.toUpperCase();
  }

  // ---- reads --------------------------------------------------------------------------------------------

  /** One version of an object: NoSuchVersion when there is none, 405 MethodNotAllowed for a delete marker. */
  find(bucket: string, key: string, versionId: string): ObjectRow {
    const current = this.d.objects.get(bucket, key);
    if (current && (current.version_id ?? NULL_VERSION) === versionId) return current;
    const found = this.byId(bucket, key, versionId);
    if (!found) {
      this.d.requireBucket(bucket);
      throw obsErrors.noSuchVersion(bucket, key);
    }
    if (found.delete_marker) {
      throw obsErrors.methodNotAllowed().withHeaders({
        ...markerHeaders(versionId),
        "Last-Modified": new Date(found.last_modified).toUTCString(),
      });
    }
    return toVersionObject(this.st["object"]!.get(bucket, key, versionId));
  }

  /** NoSuchKey for a key with no current version; when its latest is a delete marker, say so in headers. */
  noSuchKey(bucket: string, key: string): ObsError {
    const err = obsErrors.noSuchKey(bucket, key);
    const newest = this.newest(bucket, key);
    return newest?.delete_marker ? err.withHeaders(markerHeaders(newest.version_id)) : err;
  }

  /** ListVersions: keys in UTF-8 byte order, each key's versions newest first, delete markers among them. */
  list(bucket: string, q: VersionsQuery): VersionsPage {
    this.d.requireBucket(bucket);
    return this.lister.list(bucket, q, (key, versionId) => this.markerSeq(bucket, key, versionId));
  }

  /** Where a version-id-marker sits in its key's stack; undefined when the key has no such version. */
  private markerSeq(bucket: string, key: string, versionId: string): number | undefined {
    const current = this.d.objects.get(bucket, key);
    if (current && (current.version_id ?? NULL_VERSION) === versionId) return CURRENT_SEQ;
    return this.byId(bucket, key, versionId)?.seq;
  }
}

function markerHeaders(versionId: string): Record<string, string> {
  return {
    "x-obs-delete-marker": "true",
    "x-amz-delete-marker": "true",
    "x-obs-version-id": versionId,
    "x-amz-version-id": versionId,
  };
}
