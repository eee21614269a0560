// AppendObject's storage. Blobs are immutable and each is named by one row, so an append writes a NEW blob:
// the object's bytes so far (read through an fd opened in the same turn as the row, which a concurrent
// overwrite's unlink cannot take away) followed by the streamed body, then the same durable sequence as a
// PUT (tmp → fsync → rename → one commit → unlink the replaced blob). The position is checked against the
// row again inside the commit: an append that lost a race is PositionNotEqualToLength and its blob goes.
// In a versioned bucket the first append makes a new version (versions.ts putCurrent); later appends grow
// that version in place, keeping its version id.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type { Clock } from "../../../kernel/clock.ts";
import { obsErrors } from "../errors.ts";
import { checkKey, checkMetadata, MAX_PUT_BYTES } from "../validate.ts";
import { bodyCheck, quotedEtag } from "./digests.ts";
import type { ObsStore } from "./index.ts";
import { DEFAULT_CONTENT_TYPE, type ObjectAttributes, type ObjectRow } from "./rows.ts";

/** OBS allows 10,000 appends to one object (追加写对象.md). */
export const MAX_APPENDS = 10_000;
/** Storage classes whose objects cannot be appended to (OBS's names and S3's). */
const NOT_APPENDABLE_CLASSES = new Set(["COLD", "DEEP_ARCHIVE", "GLACIER"]);

export interface AppendInput {
  bucket: string;
  key: string;
  position: number;
  body: Readable;
  /** The request's attributes: used only by the append that creates the object. */
  attributes: ObjectAttributes;
  contentMd5?: string;
  expectedSha256?: string;
  contentLength?: number;
  maxBytes?: number;
}

export interface AppendResult {
  row: ObjectRow;
  /** The MD5 of this append's bytes, quoted (what OBS answers: "not the whole object's"). */
  etag: string;
}

/** Why `current` (undefined: no object) cannot take bytes at `position`, or undefined when it can. */
function refusal(bucket: string, key: string, current: ObjectRow | undefined, position: number): Error | undefined {
  if (current === undefined) return position === 0 ? undefined : obsErrors.positionNotEqualToLength(bucket, key, 0);
  if (current.object_type !== "Appendable" || current.append_count >= MAX_APPENDS || NOT_APPENDABLE_CLASSES.has(current.storage_class)) {
    return obsErrors.objectNotAppendable(bucket, key);
  }
  return current.size === position ? undefined : obsErrors.positionNotEqualToLength(bucket, key, current.size);
}

export async function appendObject(store: ObsStore, clock: Clock, a: AppendInput): Promise<AppendResult> {
  store.headBucket(a.bucket);
  checkKey(a.key);
  const maxBytes = a.maxBytes ?? MAX_PUT_BYTES;
  if (a.contentLength !== undefined && a.contentLength > maxBytes) throw obsErrors.entityTooLarge(maxBytes);
  const current = store.findObject(a.bucket, a.key);
  const refused = refusal(a.bucket, a.key, current, a.position);
  if (refused) throw refused;
  if (current === undefined) {
    checkMetadata(a.attributes.metadata ?? {});
    if (NOT_APPENDABLE_CLASSES.has(a.attributes.storageClass?.toUpperCase() ?? "")) throw obsErrors.objectNotAppendable(a.bucket, a.key);
  }
  // Opened now, in the row's turn: a concurrent overwrite unlinks the file only after its commit.
  const prefix = current !== undefined && current.size > 0
    ? createReadStream("", { fd: store.blobs.openForRead(current.blob), autoClose: true, highWaterMark: 1 << 20 })
    : undefined;
  // The body waits while the prefix is copied; a client that goes away meanwhile must not crash the process.
  const ignore = () => undefined;
  a.body.on("error", ignore);
  let written;
  try {
    written = await store.blobs.write(a.body, {
      maxBytes,
      ...(a.contentLength !== undefined ? { expectedBytes: a.contentLength } : {}),
      sha256: a.expectedSha256 !== undefined,
      check: bodyCheck(a.bucket, a.key, {
        ...(a.contentMd5 !== undefined ? { contentMd5: a.contentMd5 } : {}),
        ...(a.expectedSha256 !== undefined ? { expectedSha256: a.expectedSha256 } : {}),
      }),
      ...(prefix ? { prefix } : {}),
    });
  } finally {
    prefix?.destroy();
    a.body.off("error", ignore);
  }
  const etag = quotedEtag(written.md5);
  const attrs = a.attributes;
  const row: ObjectRow = current
    ? { ...current, size: current.size + written.size, etag, last_modified: clock.now(), blob: written.name, append_count: current.append_count + 1 }
    : {
        bucket: a.bucket,
        key: a.key,
        version_id: null,
        size: written.size,
        etag,
        content_type: attrs.contentType || DEFAULT_CONTENT_TYPE,
        metadata: attrs.metadata ?? {},
        headers: attrs.headers ?? {},
        storage_class: attrs.storageClass ?? "STANDARD",
        acl: attrs.acl ?? null,
        last_modified: clock.now(),
        blob: written.name,
        tagging: attrs.tagging ?? null,
        object_type: "Appendable",
        append_count: 1,
      };
  const old = store.blobs.adopt(written.name, () =>
    store.db.transaction(() => {
      store.headBucket(a.bucket); // deleted while the body streamed in: the new blob goes
      const now = store.objects.get(a.bucket, a.key);
      if (now?.blob !== current?.blob) {
        // Another write won the race: answer as if it had come first.
        throw refusal(a.bucket, a.key, now, a.position) ?? obsErrors.positionNotEqualToLength(a.bucket, a.key, now?.size ?? 0);
      }
      if (current === undefined) return store.versions.putCurrent(row); // a new object: a new version when versioned
      store.objects.put(row); // a later append changes the current version in place
      return [current.blob];
    })(),
  );
  store.blobs.removeLater(old);
  return { row, etag };
}
