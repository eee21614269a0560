// Which requests are OBS's, from the request line and headers alone (obs-facts §1, §5.1), in this order:
// the Host `obs.<region>.<domain>` or `<bucket>.obs.<region>.<domain>`; an `AWS `, `OBS ` or S3-scoped
// `AWS4-HMAC-SHA256` Authorization; query authentication (`Signature` with `AWSAccessKeyId`/`AccessKeyId`,
// or `X-Amz-Algorithm` with an `/s3/` credential); an unsigned `HEAD /?apiversion`; a form `POST /<bucket>`.
// No API-gateway service of Huawei's uses any of these: they sign `SDK-HMAC-SHA256`/`V11-HMAC-SHA256` or
// send X-Auth-Token. This runs on every request hwlocal gets, so the common case (an SDK signature, a
// token) is decided by one character of the Authorization header.
import type { IncomingMessage } from "node:http";
import { findRegion } from "../../kernel/regions.ts";
import { isValidBucketName } from "./validate.ts";

/** What the Host names: the OBS endpoint of a region, with the bucket of a virtual-host request. */
export interface ObsHost {
  region: string;
  bucket?: string;
}

const hosts = new Map<string, ObsHost | null>();

/** `obs.<region>.<domain>` or `<bucket>.obs.<region>.<domain>` (port stripped, any domain), else null. */
export function obsHost(host: string | undefined): ObsHost | null {
  if (!host) return null;
  let hit = hosts.get(host);
  if (hit !== undefined) return hit;
  hit = null;
  const labels = host.replace(/:\d+$/, "").toLowerCase().split(".");
  const at = labels.indexOf("obs");
  // The bucket is everything before ".obs." (bucket names may contain dots).
  if (at >= 0 && labels.length >= at + 3 && findRegion(labels[at + 1]!)) {
    hit = { region: labels[at + 1]!, ...(at > 0 ? { bucket: labels.slice(0, at).join(".") } : {}) };
  }
  if (hosts.size >= 1000) hosts.clear();
  hosts.set(host, hit);
  return hit;
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function claimsObs(req: IncomingMessage, rawPath: string, rawQuery: string): boolean {
  const auth = headerString(req.headers.authorization);
  if (auth !== undefined) {
    const c = auth.charCodeAt(0);
    // "SDK-HMAC-SHA256" and "V11-HMAC-SHA256" (every other service's) start with S and V.
    if (c !== 65 /* A */ && c !== 79 /* O */) return false;
    if (auth.startsWith("AWS ") || auth.startsWith("OBS ")) return true;
    return auth.startsWith("AWS4-HMAC-SHA256") && auth.includes("/s3/aws4_request");
  }
  if (obsHost(headerString(req.headers.host))) return true;
  if (rawQuery !== "") {
    if (rawQuery.includes("Signature=") && (rawQuery.includes("AWSAccessKeyId=") || rawQuery.includes("AccessKeyId="))) return true;
    if (rawQuery.includes("X-Amz-Algorithm=") && /X-Amz-Credential=[^&]*%2Fs3%2F/i.test(rawQuery)) return true;
    if (req.method === "HEAD" && rawPath === "/" && /^apiversion(=|&|$)/.test(rawQuery)) return true;
  }
  if (req.method === "POST" && rawQuery === "" && /^\/[^/]+\/?$/.test(rawPath)) {
    const type = headerString(req.headers["content-type"]);
    if (type !== undefined && type.toLowerCase().startsWith("multipart/form-data")) return true;
  }
  return false;
}

// Rule 6 (obs-facts §1): an anonymous request that nothing above claimed is OBS's when its first path
// segment names an existing bucket (a public-read bucket read with plain curl). The service path prefixes
// of the other services are never buckets here: a bucket named like one (obs-facts §5.3) is reachable
// anonymously only by virtual host (`<bucket>.obs.<region>.<domain>`, rule 1); signed requests reach it
// either way.
const NOT_BUCKETS = new Set([
  "_hwlocal", "v1", "v2", "v3", "v5", "v1.0", "v1.1", "v2.0", "v2.1", "v3.0", "v3-ext", "autoscaling-api",
  "as", "ces", "ecs", "eip", "evs", "iam", "ims", "smn", "vpc", "obs",
]);

/**
 * Rule 6, after claimsObs: no Authorization and no X-Auth-Token, a syntactically valid bucket name first in
 * the path, and `exists` (one primary-key probe) says there is such a bucket.
 */
export function claimsAnonymousBucket(req: IncomingMessage, rawPath: string, exists: (bucket: string) => boolean): boolean {
  if (req.headers.authorization !== undefined || req.headers["x-auth-token"] !== undefined) return false;
  const slash = rawPath.indexOf("/", 1);
  const first = slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash);
  if (first.length < 3 || NOT_BUCKETS.has(first) || !isValidBucketName(first)) return false;
  return exists(first);
}

/** Whether the request carries any credential (header or query); false means anonymous. */
export function carriesCredential(req: IncomingMessage, rawQuery: string): boolean {
  if (req.headers.authorization !== undefined) return true;
  return rawQuery !== "" && /(?:^|&)(?:Signature|AWSAccessKeyId|AccessKeyId|X-Amz-Algorithm|X-Amz-Credential|X-Amz-Signature)=/.test(rawQuery);
}
