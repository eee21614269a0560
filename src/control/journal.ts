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
  /** The fine-grained policy decision for a caller outside the admin group: action, outcome, deciding statement. */
  policy: { action: string; allowed: boolean; by: string } | undefined;
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

/** What the ring keeps: the record's scalars, with its headers and bodies as places in the byte arena. */
interface Stored
  extends Omit<JournalRecord, "requestHeaders" | "requestBody" | "responseHeaders" | "responseBody"> {
  requestHeaders: Ref | undefined;
  requestBody: Ref | undefined;
  responseHeaders: Ref | undefined;
  responseBody: Ref | undefined;
  /** The arena's mark before this entry's first byte. */
  mark: number;
}

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

/** Bytes of headers and bodies the journal keeps, whatever its length (--journal-size) or the bodies' sizes. */
export const ARENA_BYTES = 16 * 1024 * 1024;

/** A run of bytes written at an absolute offset of the arena (offsets only grow). */
interface Ref {
  at: number;
  length: number;
}

/**
 * One fixed buffer that headers and bodies are copied into, round and round. Keeping each request's own
 * objects (header maps, body buffers, answer texts) alive until they left a 10,000-entry ring doubled the
 * heap and the garbage collector's work on the request path; a copy of a few KiB into this buffer costs
 * about a microsecond and nothing afterwards. An entry whose bytes were written over (the oldest, once
 * the arena has gone round) shows its sizes without its headers and bodies.
 */
class Arena {
  private readonly buf: Buffer;
  private end = 0;

  constructor(private readonly capacity: number) {
    // Not touched until written: an idle hwlocal's resident memory does not grow by it.
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  /** Where `max` bytes fit without wrapping (the rest of the lap is skipped). */
  private place(max: number): number {
    let at = this.end % this.capacity;
    if (at + max > this.capacity) {
      this.end += this.capacity - at;
      at = 0;
    }
    return at;
  }

  text(s: string): Ref | undefined {
    const max = s.length * 3;
    if (max > this.capacity / 4) return undefined;
    const n = this.buf.write(s, this.place(max), "utf8");
    const ref = { at: this.end, length: n };
    this.end += n;
    return ref;
  }

  bytes(b: Buffer): Ref | undefined {
    if (b.length > this.capacity / 4) return undefined;
    b.copy(this.buf, this.place(b.length));
    const ref = { at: this.end, length: b.length };
    this.end += b.length;
    return ref;
  }

  /** Where the next bytes go (an entry's bytes all lie after the mark taken before its first write). */
  get mark(): number {
    return this.end;
  }

  /** Whether the bytes written from `mark` on are all still there. */
  holds(mark: number): boolean {
    return mark + this.capacity >= this.end;
  }

  /** The bytes, or undefined once written over. */
  read(ref: Ref | undefined): Buffer | undefined {
    if (ref === undefined || ref.at + this.capacity < this.end) return undefined;
    const at = ref.at % this.capacity;
    return Buffer.from(this.buf.subarray(at, at + ref.length));
  }

  reset(): void {
    this.end = 0;
  }
}

/** Header maps as `name: value` lines (what the arena keeps), and back. */
function headerLines(h: Headers | undefined): string | undefined {
  if (h === undefined) return undefined;
  let out = "";
  for (const name in h) {
    const v = h[name];
    if (v === undefined) continue;
    out += `${name}: ${Array.isArray(v) ? v.join(", ") : String(v)}\n`;
  }
  return out;
}

function parseHeaderLines(b: Buffer | undefined): Record<string, string> | undefined {
  if (b === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const line of b.toString("utf8").split("\n")) {
    const colon = line.indexOf(": ");
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 2);
  }
  return out;
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
  private readonly arena: Arena;

  constructor(readonly size: number, arenaBytes = ARENA_BYTES) {
    this.ring = new Array<Stored | undefined>(size);
    this.arena = new Arena(arenaBytes);
  }

  get length(): number {
    return this.count;
  }

  record(e: JournalRecord): void {
    const a = this.arena;
    const mark = a.mark;
    let requestBody: Ref | undefined;
    let responseBody: Ref | undefined;
    let requestSize: number;
    let responseSize: number;
    let requestTruncated = false;
    let responseTruncated = false;
    if (e.streamed) {
      requestSize = headerSize(e.requestHeaders);
      responseSize = headerSize(e.responseHeaders);
    } else {
      const req = e.requestBody;
      requestSize = req?.length ?? 0;
      requestTruncated = requestSize > BODY_CAP;
      if (req !== undefined) requestBody = a.bytes(requestTruncated ? req.subarray(0, BODY_CAP) : req);
      const res = e.responseBody;
      if (res === undefined) responseSize = 0;
      else if (typeof res !== "string") {
        responseSize = res.length;
        responseTruncated = res.length > BODY_CAP;
        responseBody = a.bytes(responseTruncated ? res.subarray(0, BODY_CAP) : res);
      } else {
        // A long text is cut at BODY_CAP characters and sized by its Content-Length; a short one by its bytes.
        responseTruncated = res.length > BODY_CAP;
        responseBody = a.text(responseTruncated ? res.slice(0, BODY_CAP) : res);
        responseSize = responseTruncated ? headerSize(e.responseHeaders) || Buffer.byteLength(res) : (responseBody?.length ?? Buffer.byteLength(res));
      }
    }
    const reqHeaders = headerLines(e.requestHeaders);
    const resHeaders = headerLines(e.responseHeaders);
    const stored: Stored = {
      now: e.now,
      wall: e.wall,
      requestId: e.requestId,
      method: e.method,
      rawPath: e.rawPath,
      rawQuery: e.rawQuery,
      status: e.status,
      latencyMs: e.latencyMs,
      service: e.service,
      operation: e.operation,
      region: e.region,
      projectId: e.projectId,
      principal: e.principal,
      remote: e.remote,
      fault: e.fault,
      policy: e.policy,
      streamed: e.streamed,
      seq: ++this.seq,
      requestTruncated,
      responseTruncated,
      requestSize,
      responseSize,
      requestHeaders: reqHeaders === undefined ? undefined : a.text(reqHeaders),
      requestBody,
      responseHeaders: resHeaders === undefined ? undefined : a.text(resHeaders),
      responseBody,
      mark,
    };
    this.ring[this.next] = stored;
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count++;
    if (this.listeners.size > 0) for (const l of this.listeners) l(stored);
  }

  /** An entry as the API shows it: masked, with ISO times; headers and bodies read back from the arena. */
  view(e: Stored): JournalEntryView {
    const a = this.arena;
    if (!a.holds(e.mark)) {
      return entryView(e, { requestHeaders: undefined, responseHeaders: undefined, requestBody: undefined, responseBody: undefined, evicted: true });
    }
    return entryView(e, {
      requestHeaders: parseHeaderLines(a.read(e.requestHeaders)),
      responseHeaders: parseHeaderLines(a.read(e.responseHeaders)),
      requestBody: a.read(e.requestBody),
      responseBody: a.read(e.responseBody),
      evicted: false,
    });
  }

  clear(): void {
    this.arena.reset();
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

  subscribe(f: JournalFilter, send: (entry: JournalEntryView) => void): () => void {
    const match = matcher(f);
    const l: Listener = (e) => {
      if (match(e)) send(this.view(e));
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

function bodyView(body: Buffer | undefined, size: number, truncated: boolean, streamed: boolean, evicted: boolean) {
  if (streamed) return { body: null, size, truncated: false, captured: false };
  if (body === undefined) return { body: null, size, truncated, ...(evicted ? { evicted: true } : {}) };
  return { body: maskBody(body.toString("utf8")), size, truncated };
}

interface Kept {
  requestHeaders: Record<string, string> | undefined;
  responseHeaders: Record<string, string> | undefined;
  requestBody: Buffer | undefined;
  responseBody: Buffer | undefined;
  /** The arena went round since: headers and bodies are gone, the rest is kept. */
  evicted: boolean;
}

function entryView(e: Stored, k: Kept) {
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
    policy: e.policy ?? null,
    request: { headers: maskHeaders(k.requestHeaders), ...bodyView(k.requestBody, e.requestSize, e.requestTruncated, e.streamed, k.evicted) },
    response: { headers: maskHeaders(k.responseHeaders), ...bodyView(k.responseBody, e.responseSize, e.responseTruncated, e.streamed, k.evicted) },
  };
}

export type JournalEntryView = ReturnType<typeof entryView>;
