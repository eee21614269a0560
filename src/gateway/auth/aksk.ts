// AK/SK signature verification: SDK-HMAC-SHA256 and its derived variant V11-HMAC-SHA256, rebuilt from the
// request as it arrived on the wire (reference sdk-wire-facts.md §1.3–§1.5, checked against the 80
// captured SDK requests in test/signature-vectors.test.ts).
//
// Client quirks handled here:
// - the official Node SDK signs path segments from Node's legacy url.parse, so "%XX" on the wire for an
//   ASCII character signs as "%25XX", and raw ' | ^ sign as %2527 %257C %255E;
// - an endpoint configured with a trailing slash makes the SDK sign "/prefix//v1/…" while sending
//   "/prefix/v1/…": after a mismatch we retry with one doubled slash at each position;
// - a caller that passes an already percent-encoded id makes the SDK sign "%25C3…": retried too.
import { createHmac, hash, hkdfSync, timingSafeEqual } from "node:crypto";

export type SignatureAlgorithm = "SDK-HMAC-SHA256" | "V11-HMAC-SHA256";

export interface ParsedAuthorization {
  algorithm: SignatureAlgorithm;
  accessKey: string;
  signedHeaders: string[];
  signature: string;
  /** V11 only: "<YYYYMMDD>/<region>/<service>" */
  scope?: string;
}

const SDK_RE = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]{64})$/;
const V11_RE =
  /^V11-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8}\/[^/,\s]+\/[^/,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]{64})$/;

/** Parses an Authorization header value, or returns undefined when it is not a well-formed one. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  let m = SDK_RE.exec(value);
  if (m) {
    return {
      algorithm: "SDK-HMAC-SHA256",
      accessKey: m[1]!,
      signedHeaders: m[2]!.toLowerCase().split(";"),
      signature: m[3]!.toLowerCase(),
    };
  }
  m = V11_RE.exec(value);
  if (m) {
    return {
      algorithm: "V11-HMAC-SHA256",
      accessKey: m[1]!,
      scope: m[2]!,
      signedHeaders: m[3]!.toLowerCase().split(";"),
      signature: m[4]!.toLowerCase(),
    };
  }
  return undefined;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
const ALL_UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const PLAIN_PATH = /^[A-Za-z0-9\-_.~/]*$/;

function hexByte(b: number): string {
  return `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** RFC 3986 unreserved encoding with upper-case hex, as the SDK's urlEncode does ("%" is encoded too). */
export function unreservedEncode(s: string): string {
  if (ALL_UNRESERVED.test(s)) return s;
  let out = "";
  for (const ch of s) {
    if (UNRESERVED.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += hexByte(b);
  }
  return out;
}

const LEGACY_ESCAPED: Record<string, string> = { "'": "%2527", "|": "%257C", "^": "%255E" };

/** One wire path segment as the SDK signed it. `reencodeAll` also escapes %XX of non-ASCII bytes. */
function canonicalSegment(seg: string, reencodeAll: boolean): string {
  let out = "";
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i]!;
    if (ch === "%" && /^[0-9A-Fa-f]{2}$/.test(seg.slice(i + 1, i + 3))) {
      const hex = seg.slice(i + 1, i + 3).toUpperCase();
      out += parseInt(hex, 16) < 0x80 || reencodeAll ? `%25${hex}` : `%${hex}`;
      i += 2;
    } else if (UNRESERVED.test(ch)) {
      out += ch;
    } else if (LEGACY_ESCAPED[ch]) {
      out += LEGACY_ESCAPED[ch];
    } else {
      const cp = seg.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      for (const b of Buffer.from(s, "utf8")) out += hexByte(b);
      i += s.length - 1;
    }
  }
  return out;
}

export function canonicalUri(rawPath: string, reencodeAll = false): string {
  // The common case, ids and names of plain characters, needs no per-character work.
  if (PLAIN_PATH.test(rawPath)) return rawPath.endsWith("/") ? rawPath : `${rawPath}/`;
  const joined = rawPath
    .split("/")
    .map((s) => canonicalSegment(s, reencodeAll))
    .join("/");
  return joined.endsWith("/") ? joined : `${joined}/`;
}

/** Rebuilds the canonical query string from the raw query (without "?"); undefined if undecodable. */
export function canonicalQuery(rawQuery: string): string | undefined {
  if (rawQuery === "") return "";
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    try {
      pairs.push([decodeURIComponent(k), decodeURIComponent(v)]);
    } catch {
      return undefined;
    }
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${unreservedEncode(k)}=${unreservedEncode(v)}`).join("&");
}

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** One-shot hashing: a third of the cost of createHash().update().digest() on the request path. */
export function sha256Hex(data: string | Buffer): string {
  return hash("sha256", data, "hex");
}

export interface SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** Lower-case header names as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
}

export type VerifyFailure =
  | "missing-date"
  | "missing-host"
  | "missing-signed-header"
  | "bad-query"
  | "signature-mismatch";

function headerValue(h: SignedRequest["headers"], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function derivedKey(sk: string, ak: string, info: string): string {
  return Buffer.from(hkdfSync("sha256", sk, ak, info, 32)).toString("hex");
}

/** Verifies one request against a secret key. The skew check is the caller's (it needs the clock). */
export function verifySignature(
  req: SignedRequest,
  auth: ParsedAuthorization,
  secretKey: string,
): { ok: true } | { ok: false; reason: VerifyFailure } {
  const date = headerValue(req.headers, "x-sdk-date");
  if (!date || !auth.signedHeaders.includes("x-sdk-date")) return { ok: false, reason: "missing-date" };
  if (!auth.signedHeaders.includes("host")) return { ok: false, reason: "missing-host" };
  let headerBlock = "";
  for (const name of auth.signedHeaders) {
    const v = headerValue(req.headers, name);
    if (v === undefined) return { ok: false, reason: "missing-signed-header" };
    headerBlock += `${name}:${v}\n`;
  }
  const query = canonicalQuery(req.rawQuery);
  if (query === undefined) return { ok: false, reason: "bad-query" };
  const payload =
    headerValue(req.headers, "x-sdk-content-sha256") ??
    (req.body && req.body.length > 0 ? sha256Hex(req.body) : EMPTY_SHA256);
  const signedList = auth.signedHeaders.join(";");
  const method = req.method.toUpperCase();
  const key = auth.algorithm === "V11-HMAC-SHA256" ? derivedKey(secretKey, auth.accessKey, auth.scope!) : secretKey;
  const expected = Buffer.from(auth.signature, "hex");

  const matches = (uri: string): boolean => {
    const cr = `${method}\n${uri}\n${query}\n${headerBlock}\n${signedList}\n${payload}`;
    const sts =
      auth.algorithm === "V11-HMAC-SHA256"
        ? `V11-HMAC-SHA256\n${date}\n${auth.scope}\n${sha256Hex(cr)}`
        : `SDK-HMAC-SHA256\n${date}\n${sha256Hex(cr)}`;
    const got = createHmac("sha256", key).update(sts).digest();
    return got.length === expected.length && timingSafeEqual(got, expected);
  };

  if (matches(canonicalUri(req.rawPath))) return { ok: true };
  // The fallbacks below only run for requests that already failed, so they cost nothing on the fast path.
  if (matches(canonicalUri(req.rawPath, true))) return { ok: true };
  let tries = 0;
  for (let i = req.rawPath.indexOf("/", 1); i > 0 && tries < 8; i = req.rawPath.indexOf("/", i + 1), tries++) {
    const doubled = `${req.rawPath.slice(0, i)}/${req.rawPath.slice(i)}`;
    if (matches(canonicalUri(doubled))) return { ok: true };
  }
  return { ok: false, reason: "signature-mismatch" };
}
