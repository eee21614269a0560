// Which requests are OBS's, from the request line and headers alone (obs-facts §1, §5.1), in this order:
// the Host `obs.<region>.<domain>` or `<bucket>.obs.<region>.<domain>`; an `AWS `, `OBS ` or S3-scoped
// `AWS4-HMAC-SHA256` Authorization; query authentication (`Signature` with `AWSAccessKeyId`/`AccessKeyId`,
// or `X-Amz-Algorithm` with an `/s3/` credential); an unsigned `HEAD /?apiversion`; a form `POST /<bucket>`.
// No API-gateway service of Huawei's uses any of these: they sign `SDK-HMAC-SHA256`/`V11-HMAC-SHA256` or
// send X-Auth-Token. This runs on every request hwlocal gets, so the common case (an SDK signature, a
// token) is decided by one character of the Authorization header.
import type { IncomingMessage } from "node:http";
import { findRegion } from "../../kernel/regions.ts";

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
