// CORS: SetBucketCors (Content-MD5 required, as OBS documents), GetBucketCors, DeleteBucketCors (404
// NoSuchCORSConfiguration), the OPTIONS preflight on a bucket or an object (OptionsBucket, OptionsObject;
// unsigned, as browsers send it; 400 BadRequest without Origin or Access-Control-Request-Method, 403
// AccessForbidden when no rule matches or the bucket has no CORS), and the Access-Control-* headers added to
// actual requests that carry a matching Origin (actualCorsHeaders, called by call.ts on every answer).
//
// Doubts: the first matching rule wins and Access-Control-Allow-Origin echoes the request's Origin (OBS's
// example does; S3 answers `*` for a `*` rule); a preflight without CORS on the bucket says "CORS is not
// enabled for this bucket" (S3's words; OBS documents only the 403 AccessForbidden code); a signed preflight
// (esdk's optionsBucket signs it) is answered without checking its signature, like an unsigned one.
import { createHash } from "node:crypto";
import { header, ns, readSmallBody, send, type ObsCall } from "../call.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { configOf } from "../store/bucket-config.ts";
import { MAX_CORS_BYTES, parseCorsConfiguration, xmlCors, type CorsRule } from "../xml-config.ts";

/** Content-MD5 is mandatory on OBS's configuration PUTs (CORS, tagging); a wrong one is BadDigest. */
export function requireContentMd5(c: ObsCall, body: Buffer): void {
  const md5 = header(c.req, "content-md5");
  if (md5 === undefined) throw obsErrors.invalidRequest("Missing required header for this request: Content-MD5.");
  if (createHash("md5").update(body).digest("base64") !== md5.trim()) throw obsErrors.badDigest(c.target.bucket!, "");
}

const setBucketCors: ObsOperation = async (c) => {
  const body = await readSmallBody(c.req, MAX_CORS_BYTES + 1);
  requireContentMd5(c, body);
  const rules = parseCorsConfiguration(body);
  configOf(c.svc.store).setCors(c.target.bucket!, rules);
  send(c, 200);
};

const getBucketCors: ObsOperation = (c) => {
  const bucket = c.target.bucket!;
  c.svc.store.headBucket(bucket);
  const rules = configOf(c.svc.store).cors(bucket);
  if (rules === null) throw obsErrors.noSuchCorsConfiguration(bucket);
  send(c, 200, {}, xmlCors({ ns: ns(c), rules }));
};

const deleteBucketCors: ObsOperation = (c) => {
  configOf(c.svc.store).setCors(c.target.bucket!, null);
  send(c, 204);
};

/** `*` anywhere in a pattern (at most one) stands for any run of characters. */
function wildcard(pattern: string, value: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

function splitList(raw: string | undefined): string[] {
  return raw === undefined ? [] : raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function matchRule(rules: readonly CorsRule[], origin: string, methods: readonly string[], headers: readonly string[]): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.allowedOrigins.some((o) => wildcard(o, origin)) &&
      methods.every((m) => r.allowedMethods.includes(m)) &&
      headers.every((h) => r.allowedHeaders.some((a) => wildcard(a.toLowerCase(), h.toLowerCase()))),
  );
}

function allowHeaders(rule: CorsRule, origin: string, requestedHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": rule.allowedMethods.join(","),
    "Access-Control-Allow-Credentials": "true",
    Vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
  };
  if (requestedHeaders.length > 0) out["Access-Control-Allow-Headers"] = requestedHeaders.join(",");
  if (rule.maxAgeSeconds !== undefined) out["Access-Control-Max-Age"] = String(rule.maxAgeSeconds);
  if (rule.exposeHeaders.length > 0) out["Access-Control-Expose-Headers"] = rule.exposeHeaders.join(",");
  return out;
}

const PREFLIGHT_METHODS = new Set(["GET", "PUT", "HEAD", "POST", "DELETE"]);

/** OptionsBucket / OptionsObject: answered from the bucket's CORS rules, before any authentication. */
export const preflight: ObsOperation = (c) => {
  const bucket = c.target.bucket!;
  c.svc.store.headBucket(bucket);
  const rules = configOf(c.svc.store).cors(bucket);
  if (rules === null) throw obsErrors.corsNotAllowed("CORSResponse: CORS is not enabled for this bucket.");
  const origin = header(c.req, "origin");
  if (origin === undefined || origin === "") throw obsErrors.corsBadRequest("Insufficient information. Origin request header needed.");
  const methods = splitList(header(c.req, "access-control-request-method"));
  if (methods.length === 0) throw obsErrors.corsBadRequest("Invalid Access-Control-Request-Method: null");
  for (const m of methods) if (!PREFLIGHT_METHODS.has(m)) throw obsErrors.corsBadRequest(`Invalid Access-Control-Request-Method: ${m}`);
  const requested = splitList(header(c.req, "access-control-request-headers"));
  const rule = matchRule(rules, origin, methods, requested);
  if (!rule) throw obsErrors.corsNotAllowed();
  send(c, 200, allowHeaders(rule, origin, requested));
};

const NONE: Record<string, string> = {};

/**
 * The CORS headers of an actual request with an Origin that one of its bucket's rules allows (for its own
 * method, or the Access-Control-Request-Method a HEAD bucket asks about); nothing otherwise. Costs one
 * indexed read, and only for requests that carry an Origin.
 */
export function actualCorsHeaders(c: ObsCall): Record<string, string> {
  const origin = c.req.headers.origin;
  if (origin === undefined || c.target.bucket === undefined || c.target.operation.startsWith("Options")) return NONE;
  let rules: CorsRule[] | null;
  try {
    rules = configOf(c.svc.store).cors(c.target.bucket);
  } catch {
    return NONE; // never let the decoration of an answer break the answer (an error being sent, a closed store)
  }
  if (rules === null) return NONE;
  const asked = splitList(header(c.req, "access-control-request-method"));
  const methods = asked.length > 0 ? asked : [c.req.method ?? "GET"];
  const requested = splitList(header(c.req, "access-control-request-headers"));
  const rule = matchRule(rules, origin, methods, requested);
  return rule ? allowHeaders(rule, origin, requested) : NONE;
}

export const corsOperations: Record<string, ObsOperation> = {
  SetBucketCors: setBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  OptionsBucket: preflight,
  OptionsObject: preflight,
};
