// The request journal: a bounded ring of every API request (not /_hwlocal/ calls), read through
// GET /_hwlocal/journal and streamed by GET /_hwlocal/journal/stream (journal-http.ts).
//
// Recording is on the request path, so it keeps what the request already has (the header objects, the body
// Buffer, the answer's text) and copies only a body beyond the cap, and only the cap's bytes; masking,
// decoding and serializing happen when an entry is read. Size 0 (--journal-size 0) turns it off: the
// gateway is then given no journal at all.
import type { Principal } from "../kernel/identity.ts";
import { maskBody, maskHeaders, maskQuery } from "./journal-mask.ts";

/** Bytes kept of each request body, characters of each answer's text. */
export const BODY_CAP = 16 * 1024;

type Headers = Record<string, string | string[] | number | undefined>;

/** What the gateway hands over for one finished request. */
export interface JournalRecord {
  /** hwlocal's clock and wall time when the answer was ready. */
  now: number;
  wall: number;
  requestId: string;
  method: string;
  rawPath: string;
  rawQuery: string;
  status: number;
  latencyMs: number | undefined;
  service: string | undefined;
  operation: string | undefined;
  region: string | undefined;
  projectId: string | undefined;
  principal: Principal | undefined;
  remote: string | undefined;
  requestHeaders: Headers;
  /** undefined for a streaming service (OBS), whose bodies are not captured: their sizes are. */
  requestBody: Buffer | undefined;
  responseHeaders: Headers | undefined;
  /** The answer's text; beyond the cap, a copy of its first BODY_CAP characters. */
  responseBody: string | Buffer | undefined;
  /** The fault rule that shaped the answer. */
  fault: string | undefined;
  /** Streaming services: bodies are not kept. */
  streamed: boolean;
  /** Filled in by record(); given (as 0 and false) so that every entry has one shape from its creation. */
  seq: number;
  requestTruncated: boolean;
  responseTruncated: boolean;
  requestSize: number;
  /** -1: not measured yet (a body under the cap is measured when read). */
  responseSize: number;
}

type Stored = JournalRecord;

export interface JournalFilter {
  service?: string;
  operation?: string;
  /** 404, or a class: 4xx, 5xx; "error" is any status ≥ 400 (and dropped connections, 0). */
  status?: string;
  /** An ISO time (hwlocal's clock) or an entry id: entries after it. */
  since?: string;
  limit?: number;
}

export type Listener = (entry: Stored) => void;

function capBuffer(b: Buffer): Buffer {
  // A copy: a view would keep the whole (up to 12 MiB) request buffer alive in the ring.
  return b.length > BODY_CAP ? Buffer.from(b.subarray(0, BODY_CAP)) : b;
}

function headerSize(h: Headers | undefined): number {
  const v = h?.["content-length"] ?? h?.["Content-Length"];
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) ? n : 0;
}

export class Journal {
  private readonly ring: (Stored | undefined)[];
  private next = 0;
  private count = 0;
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  constructor(readonly size: number) {
    this.ring = new Array<Stored | undefined>(size);
  }

  get length(): number {
    return this.count;
  }

  record(e: JournalRecord): void {
    e.seq = ++this.seq;
    if (e.streamed) {
      e.requestSize = headerSize(e.requestHeaders);
      e.responseSize = headerSize(e.responseHeaders);
      e.requestTruncated = e.responseTruncated = false;
    } else {
      const req = e.requestBody;
      e.requestSize = req?.length ?? 0;
      e.requestTruncated = req !== undefined && req.length > BODY_CAP;
      if (e.requestTruncated) e.requestBody = capBuffer(req!);
      // A text under the cap is kept as it is and measured only when read; a longer one is cut to a copy
      // (a slice would keep the whole string alive) and its size taken from its Content-Length.
      const res = e.responseBody;
      if (typeof res === "string" && res.length > BODY_CAP) {
        e.responseSize = headerSize(e.responseHeaders) || Buffer.byteLength(res);
        e.responseTruncated = true;
        e.responseBody = Buffer.from(res.slice(0, BODY_CAP));
      } else e.responseSize = res === undefined ? 0 : -1;
    }
    this.ring[this.next] = e;
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count++;
    if (this.listeners.size > 0) for (const l of this.listeners) l(e);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  /** Newest first. */
  list(f: JournalFilter = {}): Stored[] {
    const out: Stored[] = [];
    const limit = f.limit ?? 100;
    const match = matcher(f);
    for (let i = 1; i <= this.count && out.length < limit; i++) {
      const e = this.ring[(this.next - i + this.size) % this.size]!;
      if (match(e)) out.push(e);
    }
    return out;
  }

  subscribe(f: JournalFilter, send: (entry: ReturnType<typeof entryView>) => void): () => void {
    const match = matcher(f);
    const l: Listener = (e) => {
      if (match(e)) send(entryView(e));
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}

export function matcher(f: JournalFilter): (e: Stored) => boolean {
  const status = f.status?.toLowerCase();
  const cls = status !== undefined && /^[1-5]xx$/.test(status) ? Number(status[0]) : undefined;
  let sinceSeq: number | undefined;
  let sinceTime: number | undefined;
  if (f.since !== undefined) {
    if (/^\d+$/.test(f.since)) sinceSeq = Number(f.since);
    else sinceTime = Date.parse(f.since);
  }
  return (e) =>
    (f.service === undefined || e.service === f.service) &&
    (f.operation === undefined || e.operation === f.operation) &&
    (status === undefined ||
      (cls !== undefined ? Math.floor(e.status / 100) === cls : status === "error" ? e.status >= 400 || e.status === 0 : String(e.status) === status)) &&
    (sinceSeq === undefined || e.seq > sinceSeq) &&
    (sinceTime === undefined || e.now > sinceTime);
}

function bodyView(body: Buffer | string | undefined, size: number, truncated: boolean, streamed: boolean | undefined) {
  if (streamed) return { body: null, size, truncated: false, captured: false };
  if (body === undefined) return { body: null, size, truncated };
  const text = typeof body === "string" ? body : body.toString("utf8");
  return { body: maskBody(text), size: size < 0 ? Buffer.byteLength(text) : size, truncated };
}

/** An entry as the API shows it: masked, with ISO times. */
export function entryView(e: Stored) {
  const p = e.principal;
  return {
    id: e.seq,
    time: new Date(e.now).toISOString(),
    wall_time: new Date(e.wall).toISOString(),
    service: e.service ?? null,
    region: e.region ?? null,
    project_id: e.projectId ?? null,
    operation: e.operation ?? null,
    method: e.method,
    path: e.rawPath,
    query: maskQuery(e.rawQuery),
    status: e.status,
    latency_ms: e.latencyMs === undefined ? null : Math.round(e.latencyMs * 100) / 100,
    request_id: e.requestId,
    caller: p ? { user_name: p.userName, user_id: p.userId, domain_name: p.domainName, via: p.via, access_key: p.accessKey ?? null } : null,
    remote: e.remote?.replace(/^::ffff:/, "") ?? null,
    fault: e.fault ?? null,
    request: { headers: maskHeaders(e.requestHeaders), ...bodyView(e.requestBody, e.requestSize, e.requestTruncated, e.streamed) },
    response: { headers: maskHeaders(e.responseHeaders), ...bodyView(e.responseBody, e.responseSize, e.responseTruncated, e.streamed) },
  };
}

export type JournalEntryView = ReturnType<typeof entryView>;
