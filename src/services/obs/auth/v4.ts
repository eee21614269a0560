// AWS Signature Version 4 as S3 (and OBS's S3 front end) verifies it: in the Authorization header
// (`AWS4-HMAC-SHA256 Credential=ak/date/region/s3/aws4_request, SignedHeaders=…, Signature=…`, the
// @aws-sdk/client-s3, rclone and s3cmd default) and in the query (`X-Amz-Algorithm…X-Amz-Signature`, the
// presigned URLs of @aws-sdk/s3-request-presigner and esdk's createV4SignedUrlSync).
//
// S3's rules, which differ from other AWS services and from Huawei's SDK-HMAC-SHA256:
// - the canonical URI is the path as sent, not normalised and not encoded a second time (@smithy's
//   SignatureV4 with uriEscapePath=false for s3). A path whose client escaped it differently from how it
//   signed it is retried re-encoded per RFC 3986 ("/" kept), on failures only;
// - the canonical query is every parameter but X-Amz-Signature, names and values RFC 3986-encoded, sorted
//   by name then value; a parameter without "=" signs as "name=";
// - the payload hash is the x-amz-content-sha256 header (UNSIGNED-PAYLOAD, a hex SHA-256 checked by the
//   caller after streaming, or STREAMING-… for aws-chunked bodies, which OBS refuses: facts §3.2); presigned
//   URLs sign UNSIGNED-PAYLOAD;
// - any region in the scope is accepted: esdk's createV4SignedUrlSync signs an empty one by default (facts §2.1).
import { createHash, createHmac } from "node:crypto";
import { header, parseHttpDate, parseIsoBasic, parseQueryPairs, queryParam, reencodedPath, sameSignature, SCOPE_MAX_AGE_MS, SKEW_MS, uriEncode } from "./canonical.ts";
import type { QueryPair } from "./canonical.ts";
import { authFailures } from "./failures.ts";
import { checkKey } from "./key-check.ts";
import type { ObsAuthFailure, ObsAuthInput, ObsAuthResult, ObsAuthSuccess, RawHeaders, V4ChunkSigning } from "./types.ts";

export const V4_ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const HEX64 = /^[0-9a-fA-F]{64}$/;
/** The payload modes of aws-chunked bodies (AWS's "Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks"). */
const STREAMING_MODES = new Set([
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
]);

export interface V4Credential {
  accessKey: string;
  date: string;
  region: string;
  service: string;
  terminal: string;
  /** `date/region/service/terminal`, as signed. */
  scope: string;
}

/** `AK/20261202/cn-north-4/s3/aws4_request`; the region may be empty (esdk's default). */
export function parseCredential(value: string): V4Credential | undefined {
  const parts = value.split("/");
  if (parts.length !== 5) return undefined;
  const [accessKey, date, region, service, terminal] = parts as [string, string, string, string, string];
  if (accessKey === "" || !/^\d{8}$/.test(date)) return undefined;
  return { accessKey, date, region, service, terminal, scope: `${date}/${region}/${service}/${terminal}` };
}

const keyCache = new Map<string, Buffer>();
const KEY_CACHE_LIMIT = 256;

/** HMAC chain AWS4+SK → date → region → service → aws4_request; cached, it changes once a day per key. */
export function v4SigningKey(secret: string, c: Pick<V4Credential, "date" | "region" | "service" | "terminal">): Buffer {
  const cacheKey = `${c.date}\u0000${c.region}\u0000${c.service}\u0000${c.terminal}\u0000${secret}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  let key = createHmac("sha256", `AWS4${secret}`).update(c.date).digest();
  for (const part of [c.region, c.service, c.terminal]) key = createHmac("sha256", key).update(part).digest();
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

export function canonicalQueryV4(pairs: readonly QueryPair[], exclude?: string): string {
  const encoded: Array<[string, string]> = [];
  for (const p of pairs) {
    if (exclude !== undefined && p.key === exclude) continue;
    encoded.push([uriEncode(p.key), uriEncode(p.value)]);
  }
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalHeaderValue(h: RawHeaders, name: string): string {
  const v = h[name];
  if (v === undefined) return "";
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => x.trim().replace(/\s+/g, " ")).join(",");
}

interface CanonicalParts {
  method: string;
  rawPath: string;
  query: string;
  headers: RawHeaders;
  signedHeaders: readonly string[];
  payload: string;
}

function canonicalRequest(p: CanonicalParts, path: string): string {
  let headerBlock = "";
  for (const name of p.signedHeaders) headerBlock += `${name}:${canonicalHeaderValue(p.headers, name)}\n`;
  return `${p.method.toUpperCase()}\n${path === "" ? "/" : path}\n${p.query}\n${headerBlock}\n${p.signedHeaders.join(";")}\n${p.payload}`;
}

function stringToSign(amzDate: string, scope: string, cr: string): string {
  return `${V4_ALGORITHM}\n${amzDate}\n${scope}\n${createHash("sha256").update(cr, "utf8").digest("hex")}`;
}

/** Verifies the hex signature over the request as sent, then with the path re-encoded; undefined when it matches. */
function checkV4Signature(
  p: CanonicalParts,
  o: { key: Buffer; amzDate: string; cred: V4Credential; provided: string },
): ObsAuthFailure | undefined {
  const provided = o.provided.toLowerCase();
  const primaryCr = canonicalRequest(p, p.rawPath);
  const primarySts = stringToSign(o.amzDate, o.cred.scope, primaryCr);
  if (sameSignature(createHmac("sha256", o.key).update(primarySts, "utf8").digest("hex"), provided)) return undefined;
  const alt = reencodedPath(p.rawPath);
  if (alt !== p.rawPath) {
    const sts = stringToSign(o.amzDate, o.cred.scope, canonicalRequest(p, alt));
    if (sameSignature(createHmac("sha256", o.key).update(sts, "utf8").digest("hex"), provided)) return undefined;
  }
  return authFailures.signatureDoesNotMatch({
    accessKey: o.cred.accessKey,
    stringToSign: primarySts,
    signatureProvided: o.provided,
    canonicalRequest: primaryCr,
  });
}

function checkScope(cred: V4Credential, malformed: (detail: string) => ObsAuthFailure): ObsAuthFailure | undefined {
  if (cred.service !== "s3") return malformed(`incorrect service "${cred.service}". This endpoint belongs to "s3".`);
  if (cred.terminal !== "aws4_request") return malformed(`incorrect terminal "${cred.terminal}". This endpoint uses "aws4_request".`);
  return undefined;
}

/** UTC yyyymmdd of epoch ms to epoch ms at its midnight. */
function scopeDateMs(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8));
}

function toIsoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** The parts of `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
function parseV4Authorization(value: string): { credential: string; signedHeaders: string; signature: string } | undefined {
  if (!value.startsWith(`${V4_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.slice(V4_ALGORITHM.length + 1).split(",")) {
    const t = part.trim();
    const eq = t.indexOf("=");
    if (eq <= 0) return undefined;
    fields.set(t.slice(0, eq), t.slice(eq + 1));
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) return undefined;
  return { credential, signedHeaders, signature };
}

/** What x-amz-content-sha256 declares, as success fields; a failure when it is none of S3's forms. */
function payloadMode(value: string): Partial<ObsAuthSuccess> | ObsAuthFailure {
  if (value === UNSIGNED_PAYLOAD) return {};
  if (HEX64.test(value)) return { payloadHash: value.toLowerCase() };
  if (STREAMING_MODES.has(value)) return { awsChunked: true, streamingMode: value };
  return authFailures.invalidArgument(
    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
  );
}

function isFailure(v: Partial<ObsAuthSuccess> | ObsAuthFailure): v is ObsAuthFailure {
  return (v as ObsAuthFailure).ok === false;
}

/** Header auth: `Authorization: AWS4-HMAC-SHA256 …`. */
export function verifyHeaderV4(input: ObsAuthInput, authorization: string): ObsAuthResult {
  const parsed = parseV4Authorization(authorization);
  if (!parsed) {
    return authFailures.malformedV4("expecting \"AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…\".");
  }
  const cred = parseCredential(parsed.credential);
  if (!cred) {
    return authFailures.malformedV4('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const bad = checkScope(cred, authFailures.malformedV4);
  if (bad) return bad;
  const h = input.headers;
  const declared = header(h, "x-amz-content-sha256");
  if (declared === undefined) return authFailures.missingSecurityHeader("x-amz-content-sha256");
  const mode = payloadMode(declared);
  if (isFailure(mode)) return mode;
  const signedHeaders = parsed.signedHeaders.toLowerCase().split(";");
  let chunkSigning: V4ChunkSigning | undefined;
  return checkKey({
    ctx: input,
    accessKey: cred.accessKey,
    scheme: "v4",
    token: header(h, "x-amz-security-token"),
    verify(secret) {
      const amzHeader = header(h, "x-amz-date");
      const dateHeader = amzHeader === undefined ? header(h, "date") : undefined;
      const t = amzHeader !== undefined ? parseIsoBasic(amzHeader) : dateHeader !== undefined ? parseHttpDate(dateHeader) : undefined;
      if (t === undefined) return authFailures.missingDate();
      if (Math.abs(input.wallNowMs - t) > SKEW_MS) return authFailures.skewed(t, input.wallNowMs);
      const amzDate = amzHeader ?? toIsoBasic(t);
      if (amzDate.slice(0, 8) !== cred.date) {
        return authFailures.malformedV4("Invalid credential date. Date is not the same as X-Amz-Date.");
      }
      const key = v4SigningKey(secret, cred);
      const failure = checkV4Signature(
        {
          method: input.method,
          rawPath: input.rawPath,
          query: canonicalQueryV4(parseQueryPairs(input.rawQuery)),
          headers: h,
          signedHeaders,
          payload: declared,
        },
        { key, amzDate, cred, provided: parsed.signature },
      );
      if (!failure && declared.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")) {
        chunkSigning = { seedSignature: parsed.signature.toLowerCase(), signingKey: key, amzDate, scope: cred.scope };
      }
      return failure;
    },
    extra: () => (chunkSigning ? { ...mode, chunkSigning } : mode),
  });
}

const V4_QUERY_PARAMS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"];
const MAX_EXPIRES_S = 604800;

/** Query auth: `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…`. */
export function verifyQueryV4(input: ObsAuthInput): ObsAuthResult {
  const pairs = parseQueryPairs(input.rawQuery);
  const q = new Map<string, string>();
  for (const name of V4_QUERY_PARAMS) {
    const v = queryParam(pairs, name);
    if (v !== undefined) q.set(name, v);
  }
  if (q.size !== V4_QUERY_PARAMS.length) {
    return authFailures.invalidArgument(
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    );
  }
  if (q.get("X-Amz-Algorithm") !== V4_ALGORITHM) return authFailures.invalidArgument('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const cred = parseCredential(q.get("X-Amz-Credential")!);
  const credError = (detail: string) => authFailures.invalidArgument(`Error parsing the X-Amz-Credential parameter; ${detail}`);
  if (!cred) return credError('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  const bad = checkScope(cred, credError);
  if (bad) return bad;
  const amzDate = q.get("X-Amz-Date")!;
  const t = parseIsoBasic(amzDate);
  if (t === undefined) return authFailures.invalidArgument("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  const expiresText = q.get("X-Amz-Expires")!;
  if (!/^\d+$/.test(expiresText)) return authFailures.invalidArgument("X-Amz-Expires should be a number");
  const expiresS = Number(expiresText);
  if (expiresS > MAX_EXPIRES_S) return authFailures.invalidArgument("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  if (amzDate.slice(0, 8) !== cred.date) return credError("Invalid credential date. Date is not the same as X-Amz-Date.");
  const h = input.headers;
  const signedHeaders = q.get("X-Amz-SignedHeaders")!.toLowerCase().split(";");
  // A presigned URL signs UNSIGNED-PAYLOAD, unless the signer also signed an x-amz-content-sha256 header.
  const declared = signedHeaders.includes("x-amz-content-sha256") ? header(h, "x-amz-content-sha256") : undefined;
  const mode = declared === undefined ? {} : payloadMode(declared);
  if (isFailure(mode)) return mode;
  return checkKey({
    ctx: input,
    accessKey: cred.accessKey,
    scheme: "v4-query",
    token: queryParam(pairs, "X-Amz-Security-Token") ?? header(h, "x-amz-security-token"),
    verify(secret) {
      const now = input.wallNowMs;
      if (t - now > SKEW_MS) return authFailures.notYetValid(t, now);
      const expiresMs = t + expiresS * 1000;
      if (now > expiresMs) return authFailures.expired(expiresMs, now);
      if (now - scopeDateMs(cred.date) > SCOPE_MAX_AGE_MS) return authFailures.signingKeyTooOld();
      return checkV4Signature(
        {
          method: input.method,
          rawPath: input.rawPath,
          query: canonicalQueryV4(pairs, "X-Amz-Signature"),
          headers: h,
          signedHeaders,
          payload: declared ?? UNSIGNED_PAYLOAD,
        },
        { key: v4SigningKey(secret, cred), amzDate, cred, provided: q.get("X-Amz-Signature")! },
      );
    },
    extra: () => mode,
  });
}
