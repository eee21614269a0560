// An SDK-HMAC-SHA256 signer for raw test requests, written from the SDK's algorithm (sdk-wire-facts §1.3)
// independently of the server's verifier: every header sent is signed, the canonical URI gets a trailing
// slash, the query is sorted and unreserved-encoded, the payload is hashed.
import { createHash, createHmac } from "node:crypto";

export interface Credentials {
  ak: string;
  sk: string;
  securityToken?: string;
}

function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sdkDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function signRequest(opts: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer | undefined;
  creds: Credentials;
  date?: Date;
}): Record<string, string> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.creds.securityToken) headers["X-Security-Token"] = opts.creds.securityToken;
  headers["X-Sdk-Date"] = sdkDate(opts.date ?? new Date());
  headers.host = opts.url.host;
  const names = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const path = opts.url.pathname
    .split("/")
    .map((seg) => encode(decodeURIComponent(seg)))
    .join("/");
  const uri = path.endsWith("/") ? path : `${path}/`;
  const query = [...opts.url.searchParams.entries()]
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join("&");
  const payload = createHash("sha256").update(opts.body ?? "").digest("hex");
  const canonical = [
    opts.method.toUpperCase(),
    uri,
    query,
    names.map((n) => `${n}:${lower[n]}\n`).join(""),
    names.join(";"),
    payload,
  ].join("\n");
  const sts = `SDK-HMAC-SHA256\n${headers["X-Sdk-Date"]}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const sig = createHmac("sha256", opts.creds.sk).update(sts).digest("hex");
  headers.Authorization = `SDK-HMAC-SHA256 Access=${opts.creds.ak}, SignedHeaders=${names.join(";")}, Signature=${sig}`;
  return headers;
}
