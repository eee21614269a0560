// V2 (`Authorization: AWS ak:sig`) and OBS (`Authorization: OBS ak:sig`) signatures: base64(HMAC-SHA1(SK,
// StringToSign)) with
//   StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource
// (sdk-wire-facts §6.2; OBS API reference Header中携带签名.md). The two dialects differ only in the header
// prefix that is canonicalised (`x-amz-` / `x-obs-`). Query auth (query.ts) signs the same string with
// Expires in the Date line.
//
// Client quirks handled here:
// - s3cmd --signature-v2 sends x-amz-date instead of Date, so the Date line is empty and the date is
//   signed as an x-amz- header (facts §2.4; OBS does the same with x-obs-date);
// - esdk matches sub-resources case-insensitively against its own list (utils.js allowedResourceParameterNames),
//   sorts the raw "k=v" strings and signs the decoded value; OBS's Java sample signs the value URL-encoded;
//   botocore (HmacV1Auth.QSAOfInterest) uses a shorter, case-sensitive list. The first try uses the union of
//   the lists with decoded values; after a mismatch each other reading is tried once (failures only).
import { header, hmacSha1Base64, parseHttpDate, parseQueryPairs, reencodedPath, sameSignature, SKEW_MS } from "./canonical.ts";
import type { QueryPair } from "./canonical.ts";
import { authFailures } from "./failures.ts";
import { checkKey } from "./key-check.ts";
import type { ObsAuthFailure, ObsAuthInput, ObsAuthResult, RawHeaders } from "./types.ts";

/** esdk-obs-nodejs lib/utils.js allowedResourceParameterNames (compared lower-cased there). */
const ESDK_SUBRESOURCES = [
  "acl", "backtosource", "policy", "torrent", "logging", "location", "storageinfo", "quota", "storageclass",
  "storagepolicy", "requestpayment", "versions", "versioning", "versionid", "uploads", "uploadid", "partnumber",
  "website", "notification", "replication", "lifecycle", "deletebucket", "delete", "cors", "restore", "tagging",
  "append", "position", "response-content-type", "response-content-language", "response-expires",
  "response-cache-control", "response-content-disposition", "response-content-encoding", "x-image-process",
  "x-oss-process", "x-image-save-object", "x-image-save-bucket", "encryption", "directcoldaccess", "rename", "name",
  "metadata", "modify", "attname", "truncate", "x-obs-security-token", "x-workflow-prefix", "x-workflow-start",
  "x-workflow-limit", "x-workflow-template-name", "x-workflow-graph-name", "x-workflow-execution-state",
  "x-workflow-execution-type", "x-workflow-next-marker", "obsworkflowtriggerpolicy", "obsbucketalias", "obsalias",
];

/** OBS API reference, Header中携带签名.md: the sub-resources OBS signs. */
const OBS_SUBRESOURCES = [
  "CDNNotifyConfiguration", "acl", "append", "attname", "backtosource", "cors", "customdomain", "delete",
  "deletebucket", "directcoldaccess", "encryption", "inventory", "length", "lifecycle", "location", "logging",
  "metadata", "modify", "name", "notification", "orchestration", "partNumber", "policy", "position", "quota",
  "rename", "replication", "requestPayment", "response-cache-control", "response-content-disposition",
  "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
  "restore", "select", "storageClass", "storagePolicy", "storageinfo", "tagging", "torrent", "truncate",
  "uploadId", "uploads", "versionId", "versioning", "versions", "website", "x-image-process",
  "x-image-save-bucket", "x-image-save-object", "x-obs-security-token",
];

/** botocore auth.py HmacV1Auth.QSAOfInterest: what S3 clients sign, case-sensitive. */
const AWS_SUBRESOURCES = new Set([
  "accelerate", "acl", "cors", "defaultObjectAcl", "location", "logging", "partNumber", "policy", "requestPayment",
  "torrent", "versioning", "versionId", "versions", "website", "uploads", "uploadId", "response-content-type",
  "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
  "response-content-encoding", "delete", "lifecycle", "tagging", "restore", "storageClass", "notification",
  "replication", "analytics", "metrics", "inventory", "select", "select-type", "object-lock",
]);

const ESDK_SET = new Set(ESDK_SUBRESOURCES);
const UNION_SET = new Set([...ESDK_SUBRESOURCES, ...OBS_SUBRESOURCES, ...AWS_SUBRESOURCES].map((s) => s.toLowerCase()));

export type V2Dialect = "v2" | "obs";

/** One way of reading the request into a StringToSign; the first is what the documented clients do. */
export interface V2Reading {
  values: "decoded" | "raw";
  list: "union" | "aws" | "esdk";
  /** Keep the Date line although an x-amz-date / x-obs-date header is present. */
  dateWithPrefixedDate: boolean;
  path: "raw" | "reencoded";
  /** Query auth: where x-amz-/x-obs- query parameters go (esdk: resource; botocore: headers). */
  prefixedQuery: "resource" | "headers";
}

export const PRIMARY_READING: V2Reading = {
  values: "decoded",
  list: "union",
  dateWithPrefixedDate: false,
  path: "raw",
  prefixedQuery: "resource",
};

export interface V2SignInput {
  dialect: V2Dialect;
  method: string;
  headers: RawHeaders;
  rawPath: string;
  pairs: readonly QueryPair[];
  bucketFromHost?: string;
  /** Query auth: the Expires value, which takes the Date line. */
  expires?: string;
  /** Query auth: the parameters that carry the credential itself, never signed. */
  authParams?: ReadonlySet<string>;
}

export function headerPrefix(dialect: V2Dialect): string {
  return dialect === "obs" ? "x-obs-" : "x-amz-";
}

function isSubresource(key: string, list: V2Reading["list"]): boolean {
  if (list === "aws") return AWS_SUBRESOURCES.has(key);
  const lower = key.toLowerCase();
  return list === "esdk" ? ESDK_SET.has(lower) : UNION_SET.has(lower);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the V2/OBS StringToSign for one reading of the request. */
export function v2StringToSign(s: V2SignInput, r: V2Reading): string {
  const prefix = headerPrefix(s.dialect);
  const h = s.headers;
  let out = `${s.method.toUpperCase()}\n${header(h, "content-md5") ?? ""}\n${header(h, "content-type") ?? ""}\n`;
  if (s.expires !== undefined) out += `${s.expires}\n`;
  else if (h[`${prefix}date`] !== undefined && !r.dateWithPrefixedDate) out += "\n";
  else out += `${header(h, "date") ?? ""}\n`;

  const canon = new Map<string, string>();
  for (const name of Object.keys(h)) {
    if (!name.startsWith(prefix)) continue;
    const v = h[name];
    if (v === undefined) continue;
    canon.set(name, Array.isArray(v) ? v.map((x) => x.trim()).join(",") : v.trim());
  }
  const sub: Array<[string, string]> = [];
  for (const p of s.pairs) {
    if (s.authParams?.has(p.key)) continue;
    const prefixed = s.expires !== undefined && p.key.toLowerCase().startsWith(prefix);
    if (prefixed && r.prefixedQuery === "headers") {
      canon.set(p.key.toLowerCase(), p.value.trim());
      continue;
    }
    if (!prefixed && !isSubresource(p.key, r.list)) continue;
    const value = r.values === "decoded" ? p.value : p.rawValue;
    sub.push([p.key, value]);
  }
  for (const name of [...canon.keys()].sort(byCodeUnits)) out += `${name}:${canon.get(name)}\n`;

  const path = r.path === "raw" ? s.rawPath : reencodedPath(s.rawPath);
  let resource: string;
  if (s.bucketFromHost) resource = `/${s.bucketFromHost}${path.startsWith("/") ? path : `/${path}`}`;
  else resource = path === "" ? "/" : path;
  out += resource;
  if (sub.length > 0) {
    sub.sort((a, b) => byCodeUnits(a[0], b[0]) || byCodeUnits(a[1], b[1]));
    out += `?${sub.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("&")}`;
  }
  return out;
}

/** The readings tried after the primary one fails, only those that can differ for this request. */
function fallbackReadings(s: V2SignInput): V2Reading[] {
  const out: V2Reading[] = [];
  const prefix = headerPrefix(s.dialect);
  const hasQuery = s.pairs.length > 0;
  if (hasQuery) {
    out.push({ ...PRIMARY_READING, values: "raw" });
    out.push({ ...PRIMARY_READING, list: "aws" });
    out.push({ ...PRIMARY_READING, list: "esdk" });
  }
  if (s.expires === undefined && s.headers[`${prefix}date`] !== undefined && s.headers.date !== undefined) {
    out.push({ ...PRIMARY_READING, dateWithPrefixedDate: true });
  }
  if (reencodedPath(s.rawPath) !== s.rawPath) out.push({ ...PRIMARY_READING, path: "reencoded" });
  if (s.expires !== undefined && s.pairs.some((p) => p.key.toLowerCase().startsWith(prefix))) {
    out.push({ ...PRIMARY_READING, prefixedQuery: "headers" });
    out.push({ ...PRIMARY_READING, prefixedQuery: "headers", list: "aws" });
  }
  return out;
}

/**
 * Checks a base64 HMAC-SHA1 signature against the primary reading and then the fallbacks; returns the
 * SignatureDoesNotMatch failure (with the primary StringToSign) when none matches.
 */
export function checkV2Signature(
  s: V2SignInput,
  o: { secret: string; accessKey: string; provided: string },
): ObsAuthFailure | undefined {
  const primary = v2StringToSign(s, PRIMARY_READING);
  if (sameSignature(hmacSha1Base64(o.secret, primary), o.provided)) return undefined;
  const tried = new Set([primary]);
  for (const r of fallbackReadings(s)) {
    const sts = v2StringToSign(s, r);
    if (tried.has(sts)) continue;
    tried.add(sts);
    if (sameSignature(hmacSha1Base64(o.secret, sts), o.provided)) return undefined;
  }
  return authFailures.signatureDoesNotMatch({ accessKey: o.accessKey, stringToSign: primary, signatureProvided: o.provided });
}

const V2_AUTH = /^(AWS|OBS) +([^:\s]+):(\S+)\s*$/;

/** Header auth: `Authorization: AWS ak:sig` or `OBS ak:sig`. */
export function verifyHeaderV2(input: ObsAuthInput, authorization: string): ObsAuthResult {
  const m = V2_AUTH.exec(authorization);
  const dialect: V2Dialect = authorization.startsWith("OBS") ? "obs" : "v2";
  if (!m) return authFailures.malformedV2(dialect === "obs" ? "OBS" : "AWS");
  const accessKey = m[2]!;
  const provided = m[3]!;
  const prefix = headerPrefix(dialect);
  const h = input.headers;
  const token = header(h, `${prefix}security-token`) ?? header(h, dialect === "obs" ? "x-amz-security-token" : "x-obs-security-token");
  return checkKey({
    ctx: input,
    accessKey,
    scheme: dialect,
    token,
    verify(secret) {
      const dateText = header(h, `${prefix}date`) ?? header(h, "date");
      const t = dateText === undefined ? undefined : parseHttpDate(dateText);
      if (t === undefined) return authFailures.missingDate();
      if (Math.abs(input.wallNowMs - t) > SKEW_MS) return authFailures.skewed(t, input.wallNowMs);
      const s: V2SignInput = {
        dialect,
        method: input.method,
        headers: h,
        rawPath: input.rawPath,
        pairs: parseQueryPairs(input.rawQuery),
      };
      if (input.bucketFromHost !== undefined) s.bucketFromHost = input.bucketFromHost;
      return checkV2Signature(s, { secret, accessKey, provided });
    },
  });
}
