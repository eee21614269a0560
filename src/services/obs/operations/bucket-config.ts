// Bucket configuration: CORS and the OPTIONS preflight (cors.ts), tagging of buckets (SetBucketTagging,
// GetBucketTagging, DeleteBucketTagging) and objects (SetObjectTagging, GetObjectTagging,
// DeleteObjectTagging, the x-obs-tagging / x-amz-tagging header of a PUT), the default storage class
// (SetBucketStoragePolicy / GetBucketStoragePolicy: `?storageClass` in OBS's shape, `?storagePolicy` in
// V2's; PutObject and InitiateMultipartUpload inherit it), the quota (SetBucketQuota / GetBucketQuota,
// enforced on PutObject and CompleteMultipartUpload) and GetBucketStorageInfo.
//
// Storage classes are stored under OBS's names (WARM, COLD) and answered in the request's dialect: V2 and
// V4 clients read STANDARD_IA and GLACIER, as esdk-obs-nodejs's adapter maps them.
//
// Doubts: a bucket takes at most 10 tags (the brief and older API pages; the current reference says 20), keys
// 1-36 and values 0-43 characters without , * | / < > = \ or controls. Object tags follow S3's limits (10
// tags, keys ≤ 128 and values ≤ 256 characters, no controls), since OBS's page was not at hand. An object
// without tags answers an empty TagSet (S3) rather than 404. The quota is checked before the bytes land,
// answering OBS's 403 InsufficientStorageSpace: a PutObject by its Content-Length (a chunked PUT counts as 0
// bytes), a CompleteMultipartUpload by all its uploaded parts (parts left out of the list count too);
// concurrent writers can pass it together, and AppendObject and CopyObject are not checked.
import type { IncomingMessage } from "node:http";
import { createHash } from "node:crypto";
import { dialectHeader, header, ns, readSmallBody, send, type ObsCall } from "../call.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { configOf } from "../store/bucket-config.ts";
import { parseQuota, parseStorageClass, parseTagging, xmlQuota, xmlStorageClass, xmlStorageInfo, xmlTagging } from "../xml-config.ts";
import { corsOperations, requireContentMd5 } from "./cors.ts";

// ---- tags -------------------------------------------------------------------------------------------------

interface TagLimits {
  what: string;
  max: number;
  key: number;
  value: number;
  forbidden: RegExp;
}

// eslint-disable-next-line no-control-regex -- control characters are what the limits forbid
const BUCKET_TAGS: TagLimits = { what: "bucket", max: 10, key: 36, value: 43, forbidden: /[,*|/<>=\\\x00-\x1F]/ };
// eslint-disable-next-line no-control-regex -- control characters are what the limits forbid
const OBJECT_TAGS: TagLimits = { what: "object", max: 10, key: 128, value: 256, forbidden: /[\x00-\x1F]/ };

function checkTags(pairs: readonly [string, string][], l: TagLimits): Record<string, string> {
  if (pairs.length > l.max) throw obsErrors.invalidTag(`A ${l.what} can have at most ${l.max} tags.`);
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (key.length === 0 || key.length > l.key) throw obsErrors.invalidTag(`A ${l.what} tag key has 1 to ${l.key} characters.`);
    if (value.length > l.value) throw obsErrors.invalidTag(`A ${l.what} tag value has at most ${l.value} characters.`);
    if (l.forbidden.test(key) || l.forbidden.test(value)) throw obsErrors.invalidTag(`The ${l.what} tag ${JSON.stringify(key)} has a character that is not allowed.`);
    if (Object.hasOwn(out, key)) throw obsErrors.invalidTag(`Cannot provide multiple tags with the same key: ${JSON.stringify(key)}.`);
    out[key] = value;
  }
  return out;
}

/** The x-obs-tagging / x-amz-tagging header of a PUT (`k=v&k2=v2`, URL-encoded), under the object limits. */
export function taggingOf(req: IncomingMessage): Record<string, string> | undefined {
  const raw = dialectHeader(req, "tagging");
  if (raw === undefined) return undefined;
  const pairs: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(raw)) pairs.push([k, v]);
  return pairs.length === 0 ? undefined : checkTags(pairs, OBJECT_TAGS);
}

const setBucketTagging: ObsOperation = async (c) => {
  const body = await readSmallBody(c.req);
  requireContentMd5(c, body);
  const tags = checkTags(parseTagging(body), BUCKET_TAGS);
  configOf(c.svc.store).setTagging(c.target.bucket!, tags);
  send(c, 204);
};

const getBucketTagging: ObsOperation = (c) => {
  const bucket = c.target.bucket!;
  c.svc.store.headBucket(bucket);
  const tags = configOf(c.svc.store).tagging(bucket);
  if (tags === null) throw obsErrors.noSuchTagSet(bucket);
  send(c, 200, {}, xmlTagging({ ns: ns(c), tags }));
};

const deleteBucketTagging: ObsOperation = (c) => {
  configOf(c.svc.store).setTagging(c.target.bucket!, null);
  send(c, 204);
};

function setTagsOf(c: ObsCall, tags: Record<string, string> | null): void {
  const { bucket, key } = c.target;
  if (!configOf(c.svc.store).setObjectTags(bucket!, key!, tags)) c.svc.store.headObject(bucket!, key!); // NoSuchBucket / NoSuchKey
}

const setObjectTagging: ObsOperation = async (c) => {
  const body = await readSmallBody(c.req);
  const md5 = header(c.req, "content-md5");
  if (md5 !== undefined && createHash("md5").update(body).digest("base64") !== md5.trim()) throw obsErrors.badDigest(c.target.bucket!, c.target.key!);
  setTagsOf(c, checkTags(parseTagging(body), OBJECT_TAGS));
  send(c, 200);
};

const getObjectTagging: ObsOperation = (c) => {
  const o = c.svc.store.headObject(c.target.bucket!, c.target.key!);
  send(c, 200, {}, xmlTagging({ ns: ns(c), tags: o.tagging ?? {} }));
};

const deleteObjectTagging: ObsOperation = (c) => {
  setTagsOf(c, null);
  send(c, 204);
};

// ---- storage class ------------------------------------------------------------------------------------------

const TO_OBS: Record<string, string> = { STANDARD: "STANDARD", WARM: "WARM", COLD: "COLD", DEEP_ARCHIVE: "DEEP_ARCHIVE", STANDARD_IA: "WARM", GLACIER: "COLD" };
const TO_S3: Record<string, string> = { WARM: "STANDARD_IA", COLD: "GLACIER" };

/** A storage class under the name the request's dialect uses. */
export function inDialect(c: ObsCall, storageClass: string): string {
  const obsName = TO_OBS[storageClass] ?? storageClass;
  return c.dialect === "obs" ? obsName : (TO_S3[obsName] ?? obsName);
}

const setBucketStoragePolicy: ObsOperation = async (c) => {
  const value = parseStorageClass(await readSmallBody(c.req));
  const obsName = TO_OBS[value.toUpperCase()];
  if (obsName === undefined) throw obsErrors.invalidStorageClass(value);
  configOf(c.svc.store).setStorageClass(c.target.bucket!, obsName);
  send(c, 200);
};

const getBucketStoragePolicy: ObsOperation = (c) => {
  const b = c.svc.store.headBucket(c.target.bucket!);
  const policy = c.target.query.has("storagePolicy");
  send(c, 200, {}, xmlStorageClass({ ns: ns(c), policy, storageClass: inDialect(c, b.storage_class) }));
};

/** 403 InsufficientStorageSpace when `adding` bytes (replacing `key`'s current object) would pass the quota. */
function checkQuota(c: ObsCall, bucket: string, adding: number): void {
  const store = configOf(c.svc.store);
  const quota = store.quota(bucket);
  if (quota === 0) return;
  const replaced = c.svc.store.findObject(bucket, c.target.key!)?.size ?? 0;
  if (store.storageInfo(bucket).size - replaced + adding > quota) throw obsErrors.insufficientStorageSpace(bucket);
}

/**
 * What a PutObject (or an InitiateMultipartUpload) takes from its bucket: the default storage class (when
 * not STANDARD), in the request's dialect; and the quota, checked against the declared length.
 */
export function putDefaults(c: ObsCall, contentLength: number | undefined): { storageClass?: string } {
  const bucket = c.svc.store.findBucket(c.target.bucket!);
  if (!bucket) return {};
  checkQuota(c, bucket.name, contentLength ?? 0);
  return bucket.storage_class === "STANDARD" ? {} : { storageClass: inDialect(c, bucket.storage_class) };
}

/** CompleteMultipartUpload: the quota against all the upload's parts (an upper bound of the object's size). */
export function checkCompleteQuota(c: ObsCall, uploadId: string): void {
  checkQuota(c, c.target.bucket!, configOf(c.svc.store).uploadedBytes(uploadId));
}

// ---- quota and storage info -------------------------------------------------------------------------------------

const setBucketQuota: ObsOperation = async (c) => {
  const quota = parseQuota(await readSmallBody(c.req));
  configOf(c.svc.store).setQuota(c.target.bucket!, quota);
  send(c, 200);
};

const getBucketQuota: ObsOperation = (c) => {
  const bucket = c.target.bucket!;
  c.svc.store.headBucket(bucket);
  send(c, 200, {}, xmlQuota({ ns: ns(c), quota: configOf(c.svc.store).quota(bucket) }));
};

const getBucketStorageInfo: ObsOperation = (c) => {
  const bucket = c.target.bucket!;
  c.svc.store.headBucket(bucket);
  const info = configOf(c.svc.store).storageInfo(bucket);
  send(c, 200, {}, xmlStorageInfo({ ns: ns(c), size: info.size, objects: info.objects }));
};

export const bucketConfigOperations: Record<string, ObsOperation> = {
  ...corsOperations,
  SetBucketTagging: setBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  SetObjectTagging: setObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  SetBucketStoragePolicy: setBucketStoragePolicy,
  GetBucketStoragePolicy: getBucketStoragePolicy,
  SetBucketQuota: setBucketQuota,
  GetBucketQuota: getBucketQuota,
  GetBucketStorageInfo: getBucketStorageInfo,
};
