// Small pieces shared by the V2/OBS, V4, query and POST verifiers: header and query access, RFC 3986
// encoding, date parsing and a constant-time comparison. No HTTP, no clock: time comes in as an argument.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { RawHeaders } from "./types.ts";

/** Header auth is refused when its date is further than this from wall time (错误码.md, RequestTimeTooSkewed). */
export const SKEW_MS = 15 * 60 * 1000;
/** A V4 scope date may be this old at most (obs_errorcode_0012, "Signing key is no longer valid."). */
export const SCOPE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** One header's value; repeated headers (an array from headersDistinct) are joined with "," as S3/OBS fold them. */
export function header(h: RawHeaders, name: string): string | undefined {
  const v = h[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map((s) => s.trim()).join(",") : v;
}

export interface QueryPair {
  /** Percent-decoded name and value ("+" is kept: S3 clients send a space as %20). */
  key: string;
  value: string;
  rawKey: string;
  rawValue: string;
  /** Whether the pair had "=" (`?acl` vs `?acl=`). */
  hasValue: boolean;
}

/** Decodes percent-escapes, leaving the text as it is when it is not valid UTF-8 percent-encoding. */
export function safeDecode(s: string): string {
  if (s.indexOf("%") < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseQueryPairs(rawQuery: string): QueryPair[] {
  const out: QueryPair[] = [];
  if (rawQuery === "") return out;
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    out.push({ key: safeDecode(rawKey), value: safeDecode(rawValue), rawKey, rawValue, hasValue: eq >= 0 });
  }
  return out;
}

/** The first value of a query parameter, by exact (decoded) name. */
export function queryParam(pairs: readonly QueryPair[], name: string): string | undefined {
  for (const p of pairs) if (p.key === name) return p.value;
  return undefined;
}

const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const UNRESERVED_SLASH = /^[A-Za-z0-9\-_.~/]*$/;

/**
 * RFC 3986 encoding with upper-case hex, every byte but the unreserved set (and "/" when asked): the
 * UriEncode of AWS's SigV4 specification, which @smithy's escapeUri and esdk's encodeURIWithSafe match.
 */
export function uriEncode(s: string, keepSlash = false): string {
  if ((keepSlash ? UNRESERVED_SLASH : UNRESERVED).test(s)) return s;
  let out = "";
  for (const ch of s) {
    if (/[A-Za-z0-9\-_.~]/.test(ch) || (keepSlash && ch === "/")) {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    // A lone surrogate cannot be UTF-8 encoded; encode it as U+FFFD like a browser would.
    const bytes = cp >= 0xd800 && cp <= 0xdfff ? Buffer.from("\ufffd") : Buffer.from(ch, "utf8");
    for (const b of bytes) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The path re-encoded segment by segment: what a signer that escaped differently from the wire signed. */
export function reencodedPath(rawPath: string): string {
  return rawPath
    .split("/")
    .map((seg) => uriEncode(safeDecode(seg)))
    .join("/");
}

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** `20261128T082854Z` (x-amz-date, X-Amz-Date) to epoch ms. */
export function parseIsoBasic(v: string): number | undefined {
  const m = ISO_BASIC.exec(v);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A Date / x-amz-date / x-obs-date value: RFC 1123 (what esdk and s3cmd send) or ISO 8601 basic. */
export function parseHttpDate(v: string): number | undefined {
  const iso = parseIsoBasic(v);
  if (iso !== undefined) return iso;
  // Date.parse reads RFC 1123, RFC 850 and asctime, the three forms RFC 9110 allows.
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Compares a computed signature with the one provided without leaking where they differ. */
export function sameSignature(computed: string, provided: string): boolean {
  const a = Buffer.from(computed, "utf8");
  const b = Buffer.from(provided, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hmacSha1Base64(secret: string, text: string): string {
  return createHmac("sha1", secret).update(text, "utf8").digest("base64");
}

/** The value of a form field or header looked up case-insensitively in a plain record. */
export function lowerKeys(record: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(record)) {
    const lk = k.toLowerCase();
    if (!out.has(lk)) out.set(lk, v);
  }
  return out;
}
