// Tools for the bad-input barrage (test/bad-input.test.ts): a seeded pseudo-random generator, an
// SDK-HMAC-SHA256 signer that works on the exact bytes sent on the wire (odd paths such as "%zz" or ".."
// included, which URL objects would normalise), and a raw HTTP sender with a hard per-request deadline so
// that a hang fails the test instead of blocking it.
import { createHash, createHmac } from "node:crypto";
import { Agent, request, type IncomingHttpHeaders } from "node:http";
import type { Credentials } from "./sign.ts";

/** mulberry32: a tiny seeded generator, good enough to make mutations reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error("pick from an empty list");
    return xs[this.int(xs.length)]!;
  }

  /** k distinct elements, in a random order (all of them when k ≥ length). */
  sample<T>(xs: readonly T[], k: number): T[] {
    return this.shuffle([...xs]).slice(0, k);
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }

  string(len: number, alphabet = "abcdefghijklmnopqrstuvwxyz"): string {
    let s = "";
    for (let i = 0; i < len; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }

  hex(len: number): string {
    return this.string(len, "0123456789abcdef");
  }
}

/** A request exactly as it goes on the wire. */
export interface WireRequest {
  method: string;
  /** The path as sent, percent-encoding included, without the query. */
  path: string;
  /** The query as sent, without "?" ("" for none). */
  query: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

export interface WireResponse {
  /** 0 when no response arrived. */
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Set when the request timed out or the connection failed. */
  error?: string;
  ms: number;
}

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

/** RFC 3986 unreserved encoding with upper-case hex: every other byte, "%" included, becomes %XX. */
function encodeUnreserved(s: string): string {
  let out = "";
  for (const ch of s) {
    if (UNRESERVED.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function tryDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function sdkDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Signs a wire request as the official Node SDK does (sdk-wire-facts §1.3): each path segment as sent is
 * unreserved-encoded once more (so "%2F" on the wire signs as "%252F"), the query is decoded, sorted and
 * re-encoded, every listed header is signed. Paths must be ASCII and use only unreserved characters, "%",
 * sub-delims and "/" (what the SDK itself sends). Returns the headers with X-Sdk-Date and Authorization.
 */
export function signWire(
  req: WireRequest,
  creds: Credentials,
  opts: { date?: Date; signedHeaders?: string[] } = {},
): Record<string, string> {
  const headers: Record<string, string> = { ...req.headers };
  if (creds.securityToken) headers["X-Security-Token"] = creds.securityToken;
  headers["X-Sdk-Date"] = sdkDate(opts.date ?? new Date());
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const names = (opts.signedHeaders ?? Object.keys(lower)).map((n) => n.toLowerCase()).sort();
  const uri = req.path.split("/").map(encodeUnreserved).join("/");
  const query = req.query
    .split("&")
    .filter((p) => p !== "")
    .map((p): [string, string] => {
      const eq = p.indexOf("=");
      return [tryDecode(eq < 0 ? p : p.slice(0, eq)), tryDecode(eq < 0 ? "" : p.slice(eq + 1))];
    })
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([k, v]) => `${encodeUnreserved(k)}=${encodeUnreserved(v)}`)
    .join("&");
  const payload = createHash("sha256")
    .update(req.body ?? "")
    .digest("hex");
  const canonical = [
    req.method.toUpperCase(),
    uri.endsWith("/") ? uri : `${uri}/`,
    query,
    names.map((n) => `${n}:${lower[n] ?? ""}\n`).join(""),
    names.join(";"),
    payload,
  ].join("\n");
  const sts = `SDK-HMAC-SHA256\n${headers["X-Sdk-Date"]}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const sig = createHmac("sha256", creds.sk).update(sts).digest("hex");
  headers.Authorization = `SDK-HMAC-SHA256 Access=${creds.ak}, SignedHeaders=${names.join(";")}, Signature=${sig}`;
  return headers;
}

export function newAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** Sends one request; never rejects. A request still unanswered after timeoutMs is destroyed. */
export function sendWire(
  target: { host: string; port: number; agent: Agent },
  req: WireRequest,
  timeoutMs: number,
): Promise<WireResponse> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let status = 0;
    let resHeaders: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, headers: resHeaders, body: Buffer.concat(chunks), error, ms: performance.now() - started });
    };
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined && !req.chunked) headers["Content-Length"] = String(req.body.length);
    if (req.chunked) headers["Transfer-Encoding"] = "chunked";
    const cr = request({
      host: target.host,
      port: target.port,
      agent: target.agent,
      method: req.method,
      path: req.query === "" ? req.path : `${req.path}?${req.query}`,
      headers,
    });
    const timer = setTimeout(() => {
      done(`no complete answer within ${timeoutMs} ms (hang)`);
      cr.destroy();
    }, timeoutMs);
    cr.on("response", (res) => {
      status = res.statusCode ?? 0;
      resHeaders = res.headers;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done());
      res.on("error", (e) => done(`response stream failed: ${e.message}`));
    });
    cr.on("error", (e: NodeJS.ErrnoException) => {
      // The server may close the connection right after an early answer (413) while we still upload:
      // what counts then is the answer it gave.
      if (status !== 0 && (e.code === "EPIPE" || e.code === "ECONNRESET")) done();
      else done(`connection failed: ${e.code ?? ""} ${e.message}`);
    });
    if (req.body === undefined) cr.end();
    else if (req.chunked) {
      const step = 1024 * 1024;
      for (let i = 0; i < req.body.length; i += step) cr.write(req.body.subarray(i, i + step));
      cr.end();
    } else cr.end(req.body);
  });
}

/** Runs fn over items with at most `limit` in flight, keeping results in order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A short, printable preview of bytes: text when it looks like text, else hex. */
export function preview(data: Buffer | string | undefined, max = 160): string {
  if (data === undefined) return "(none)";
  const buf = typeof data === "string" ? Buffer.from(data) : data;
  if (buf.length === 0) return "(empty)";
  const text = buf.subarray(0, max * 4).toString("utf8");
  // eslint-disable-next-line no-control-regex
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
  const shown = printable
    ? JSON.stringify(text.length > max ? text.slice(0, max) : text)
    : `hex:${buf.subarray(0, Math.min(buf.length, max / 2)).toString("hex")}`;
  return `${shown}${buf.length > max ? `… (${buf.length} bytes)` : ""}`;
}
