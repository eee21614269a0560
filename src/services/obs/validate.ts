// Pure checks of names and sizes, from Huawei's documentation (huaweicloudDocs/obs: the Java SDK guide's
// bucketName / objectKey / partSize / metadata constraints, the API reference's 上传段 and 列举桶内对象).
import { obsErrors } from "./errors.ts";

/** A single PUT, POST or append carries at most 5 GB (错误码.md, EntityTooLarge); read as GiB, as S3 does. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;
/** A part is 100 KB to 5 GB; only the last part of a Complete may be smaller (上传段.md; 102400 in the SDK guide). */
export const MIN_PART_BYTES = 100 * 1024;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
export const MAX_PART_NUMBER = 10_000;
/** "长度大于0且不超过1024": counted here in UTF-8 bytes, as S3 counts (the guide does not say which unit). */
export const MAX_KEY_BYTES = 1024;
/** User metadata: the UTF-8 bytes of every key and value add up to at most 8 KB. */
export const MAX_METADATA_BYTES = 8 * 1024;
/** max-keys, max-parts, max-uploads and a batch delete: 1–1000. */
export const MAX_LIST = 1000;

// In a /u pattern a surrogate pair is one code point, so this matches only a surrogate standing alone.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const BUCKET_CHARS = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * 3–63 characters of lower-case letters, digits, '-' and '.'; starting and ending with a letter or digit;
 * not an IP address; no ".." and no "-." or ".-".
 */
export function isValidBucketName(name: string): boolean {
  return BUCKET_CHARS.test(name) && !IPV4.test(name) && !name.includes("..") && !name.includes("-.") && !name.includes(".-");
}

export function checkBucketName(name: string): void {
  if (!isValidBucketName(name)) throw obsErrors.invalidBucketName(name);
}

/** An object key: non-empty, at most 1,024 UTF-8 bytes, and valid Unicode (a lone surrogate has no UTF-8). */
export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key, "utf8");
  if (bytes > MAX_KEY_BYTES) throw obsErrors.keyTooLong(bytes, MAX_KEY_BYTES);
  if (key.length === 0) throw obsErrors.invalidArgument("The object key must not be empty.");
  if (LONE_SURROGATE.test(key)) throw obsErrors.invalidArgument("The object key is not valid UTF-8.");
}

export function metadataBytes(metadata: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const [k, v] of Object.entries(metadata)) n += Buffer.byteLength(k, "utf8") + Buffer.byteLength(v, "utf8");
  return n;
}

export function checkMetadata(metadata: Readonly<Record<string, string>>): void {
  const n = metadataBytes(metadata);
  if (n > MAX_METADATA_BYTES) throw obsErrors.metadataTooLarge(n, MAX_METADATA_BYTES);
}

/** A partNumber query value: an integer 1–10,000 (上传段.md: out of range is 400). */
export function parsePartNumber(raw: string): number {
  if (!/^\d{1,5}$/.test(raw)) throw obsErrors.invalidPartNumber(raw);
  const n = Number(raw);
  if (n < 1 || n > MAX_PART_NUMBER) throw obsErrors.invalidPartNumber(raw);
  return n;
}

/**
 * max-keys and its kin: OBS reads a value outside 1–1000 as 1000 (列举桶内对象.md). A value that is not a
 * number at all is InvalidArgument, as S3 answers. 0 stays 0 (S3 answers an empty, untruncated page).
 */
export function parseMaxKeys(raw: string | undefined): number {
  if (raw === undefined || raw === "") return MAX_LIST;
  if (!/^-?\d+$/.test(raw)) throw obsErrors.invalidArgument(`Provided max-keys not an integer or within integer range: ${raw}`);
  const n = Number(raw);
  if (n === 0) return 0;
  return n < 1 || n > MAX_LIST ? MAX_LIST : n;
}
