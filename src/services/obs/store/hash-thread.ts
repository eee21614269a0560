// A large body's MD5 (and SHA-256 for a V4 payload hash) computed on a worker thread, beside the socket
// reads and the file writes, instead of after them on the event loop. MD5 runs at ~600 MiB/s on one core
// here: on the event loop it was ~60% of a 200 MiB upload's server time, so the upload ran at the speed
// of the loop (200–300 MiB/s, varying with the VM). With the hash beside it, the loop only copies.
//
// The bytes are not copied into messages. The sink copies the body into 1 MiB segments of shared memory,
// taken from a pool that all writes share (so their pages are faulted in once, and a 1 MiB body holds one
// segment, not a ring's worth); a full segment goes at once to the file (pwrite at its offset, in the
// thread pool) and to the worker (the message shares the segment), and is filled again only after both
// are done with it. A write uses at most SEGMENTS segments in turn; when the next is still busy the sink
// waits, which is the stream's backpressure: memory per write stays SEGMENTS × SEGMENT.
//
// The worker's code is a string evaluated in the thread, so that it runs the same from the sources
// (tests, through tsx) and from the bundle, with no file of its own to find. It keeps one hash per write.
import { fdatasync, write as writeCb } from "node:fs";
import { Writable } from "node:stream";
import type { Worker } from "node:worker_threads";
import { lazyWorkerThreads } from "../../../kernel/builtins.ts";
import { obsErrors } from "../errors.ts";
import type { Digests } from "./blobs.ts";

const SEGMENT = 1 << 20;
const SEGMENTS = 4;
/** Idle segments kept for the next writes (16 MiB). */
const SPARE_SEGMENTS = 16;

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const jobs = new Map();
parentPort.on("message", (m) => {
  if (m.t === "open") {
    jobs.set(m.id, { md5: createHash("md5"), sha: m.sha256 ? createHash("sha256") : undefined });
  } else if (m.t === "data") {
    const job = jobs.get(m.id);
    if (job) {
      const bytes = new Uint8Array(m.segment, 0, m.len);
      job.md5.update(bytes);
      if (job.sha) job.sha.update(bytes);
    }
    parentPort.postMessage({ t: "ack", id: m.id, seg: m.seg });
  } else if (m.t === "end") {
    const job = jobs.get(m.id);
    jobs.delete(m.id);
    if (job) parentPort.postMessage({ t: "digest", id: m.id, md5: job.md5.digest(), sha256: job.sha ? job.sha.digest() : undefined });
  } else if (m.t === "drop") {
    jobs.delete(m.id);
  }
});`;

type FromWorker = { t: "ack"; id: number; seg: number } | { t: "digest"; id: number; md5: Uint8Array; sha256?: Uint8Array };

interface Job {
  acked(seg: number): void;
  digested(md5: Buffer, sha256: Buffer | undefined): void;
  failed(err: Error): void;
}

export interface SinkOptions {
  /** More bytes than this fail the sink with EntityTooLarge. */
  maxBytes: number;
  /** Compute the SHA-256 as well. */
  sha256: boolean;
  /**
   * Whether the caller will fdatasync the file: then the sink starts flushing every FLUSH_EVERY bytes, so
   * that the disk writes the body while the rest of it arrives and the caller's fdatasync finds only the
   * tail still dirty (a 200 MiB body's final fdatasync took ~135 ms here, ~20% of its upload).
   */
  flush: boolean;
}

const FLUSH_EVERY = 16 * SEGMENT;

/**
 * Makes glibc keep freed heap memory for reuse instead of returning it to the system at once. Its
 * malloc gives the top of the heap back whenever more than its trim threshold (128 KiB at first) is
 * free, and an upload frees one 64 KiB socket buffer per read (the HTTP parser's copy of the body): a
 * 200 MiB upload faulted in 30,000–40,000 fresh pages, ~40% of its server time on this VM, and the
 * downloads after it more. glibc raises the threshold to twice the size of the largest mapped block a
 * process frees (up to 32 MiB), so one 16 MiB block, allocated without being touched and dropped, sets
 * it to 32 MiB once it is collected. Elsewhere (musl, macOS) the block is only allocated and freed.
 * Measured: faults after the first upload fell from 4,000–11,000 to under 400 per 200 MiB.
 */
let heapKept = false;
function keepFreedHeap(): void {
  if (heapKept) return;
  heapKept = true;
  Buffer.allocUnsafeSlow(16 << 20);
}

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** One worker thread per BlobStore, started by its first large write and stopped by close(). */
export class HashThread {
  private worker: Worker | undefined;
  private readonly jobs = new Map<number, Job>();
  private readonly spare: SharedArrayBuffer[] = [];
  private nextId = 0;

  /**
   * A sink that writes what it is given to `fd` from byte `start` on and hashes it; its digests are ready
   * once it has finished. It fails with EntityTooLarge once more than `maxBytes` arrive.
   */
  sink(fd: number, start: number, opts: SinkOptions): HashingSink {
    const id = ++this.nextId;
    const sink = new HashingSink(this, id, fd, start, opts);
    this.jobs.set(id, sink);
    this.post({ t: "open", id, sha256: opts.sha256 });
    this.worker?.ref(); // a write waiting for its hashes keeps the process running
    return sink;
  }

  post(message: object): void {
    this.start().postMessage(message);
  }

  /** Forgets a write's hashes; a thread that has stopped holds none. */
  drop(id: number): void {
    this.worker?.postMessage({ t: "drop", id });
  }

  segment(): SharedArrayBuffer {
    return this.spare.pop() ?? new SharedArrayBuffer(SEGMENT);
  }

  /** A write is over: its segments may be used again (none the worker may still read is given back). */
  release(id: number, segments: readonly (SharedArrayBuffer | undefined)[]): void {
    this.jobs.delete(id);
    for (const segment of segments) if (segment && this.spare.length < SPARE_SEGMENTS) this.spare.push(segment);
    if (this.jobs.size === 0) this.worker?.unref();
  }

  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.spare.length = 0;
    for (const job of [...this.jobs.values()]) job.failed(new Error("OBS is stopping"));
    if (worker) void worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    keepFreedHeap();
    // Loaded here: worker_threads stays out of hwlocal's start until a large upload.
    const worker = new (lazyWorkerThreads().Worker)(WORKER_SOURCE, { eval: true });
    worker.on("message", (m: FromWorker) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.t === "ack") job.acked(m.seg);
      else job.digested(asBuffer(m.md5), m.sha256 ? asBuffer(m.sha256) : undefined);
    });
    const lost = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.spare.length = 0;
      for (const job of [...this.jobs.values()]) job.failed(err);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`the hashing thread stopped (exit code ${code})`)));
    // Unreferenced whenever no write uses it (after the listeners, which reference its port): an idle
    // worker never keeps the process running.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** The Writable that HashThread.sink returns: copy into segments, write and hash each one. */
export class HashingSink extends Writable implements Job {
  size = 0;
  digests: Digests | undefined;
  /** The segments in use, taken from the pool as they are first filled. */
  private readonly segments: (Buffer | undefined)[] = new Array<Buffer | undefined>(SEGMENTS).fill(undefined);
  /** Per segment: how many of its write and its hash are still outstanding (0: free). */
  private readonly busy = new Array<number>(SEGMENTS).fill(0);
  private writesInFlight = 0;
  private acksOwed = 0;
  private cur = 0;
  private used = 0;
  private position: number;
  /** Where the last early flush began (SinkOptions.flush), and whether one is running. */
  private flushedAt: number;
  private flushing = false;
  private failure: Error | undefined;
  /** Checks run again whenever a segment frees or the sink fails. */
  private waiters: (() => void)[] = [];
  /** _final's callback, once the digest has been asked for. */
  private ending: ((err?: Error) => void) | undefined;

  constructor(
    private readonly thread: HashThread,
    private readonly id: number,
    private readonly fd: number,
    start: number,
    private readonly opts: SinkOptions,
  ) {
    super({ highWaterMark: SEGMENT });
    this.position = start;
    this.flushedAt = start;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.size += chunk.length;
    if (this.size > this.opts.maxBytes) return cb(obsErrors.entityTooLarge(this.opts.maxBytes));
    this.copy(chunk, 0, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.used > 0) this.dispatch();
    this.when(() => this.writesInFlight === 0 && this.busy.every((n) => n === 0), false, (err) => {
      if (err) return cb(err);
      this.ending = cb;
      this.thread.post({ t: "end", id: this.id });
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.digests) return cb(err);
    this.thread.drop(this.id);
    // The fd stays the caller's: it may close it only once no write of ours can still land in it. Segments
    // the worker may still read are not reused.
    this.when(() => this.writesInFlight === 0, true, () => {
      this.thread.release(this.id, this.acksOwed === 0 ? this.shared() : []);
      cb(err);
    });
  }

  /** Resolves once no write of this sink is in flight (after a failure, before the fd is closed). */
  settled(): Promise<void> {
    return new Promise((resolve) => this.when(() => this.writesInFlight === 0, true, () => resolve()));
  }

  acked(seg: number): void {
    this.acksOwed--;
    this.done(seg);
  }

  digested(md5: Buffer, sha256: Buffer | undefined): void {
    const ending = this.ending;
    this.ending = undefined;
    this.digests = { size: this.size, md5, sha256 };
    this.thread.release(this.id, this.shared());
    ending?.();
  }

  failed(err: Error): void {
    this.failure ??= err;
    const ending = this.ending;
    this.ending = undefined;
    ending?.(err);
    this.wake();
  }

  /** The shared memory of the segments this write took. */
  private shared(): SharedArrayBuffer[] {
    return this.segments.filter((b) => b !== undefined).map((b) => b.buffer as SharedArrayBuffer);
  }

  private copy(chunk: Buffer, from: number, cb: (err?: Error | null) => void): void {
    while (from < chunk.length) {
      if (this.failure) return cb(this.failure);
      const segment = (this.segments[this.cur] ??= Buffer.from(this.thread.segment()));
      const n = chunk.copy(segment, this.used, from, Math.min(chunk.length, from + SEGMENT - this.used));
      from += n;
      this.used += n;
      if (this.used < SEGMENT) continue;
      this.dispatch();
      const seg = this.cur;
      if (this.busy[seg] !== 0) {
        // Every segment is busy: go on once this one's write and hash are both done.
        return this.when(() => this.busy[seg] === 0, false, (err) => (err ? cb(err) : this.copy(chunk, from, cb)));
      }
    }
    cb();
  }

  /** Sends the segment being filled to the file and to the worker, and moves on to the next one. */
  private dispatch(): void {
    const seg = this.cur;
    const segment = this.segments[seg]!;
    const len = this.used;
    this.busy[seg] = 2;
    this.writesInFlight++;
    this.acksOwed++;
    writeCb(this.fd, segment, 0, len, this.position, (err) => {
      this.writesInFlight--;
      if (err) this.failure ??= err;
      this.done(seg);
    });
    this.thread.post({ t: "data", id: this.id, seg, segment: segment.buffer, len });
    this.position += len;
    if (this.opts.flush && !this.flushing && this.position - this.flushedAt >= FLUSH_EVERY) this.flushEarly();
    this.cur = (seg + 1) % SEGMENTS;
    this.used = 0;
  }

  /** Starts the disk writing what the file holds so far; the caller's fdatasync still makes it durable. */
  private flushEarly(): void {
    this.flushing = true;
    this.flushedAt = this.position;
    this.writesInFlight++;
    fdatasync(this.fd, (err) => {
      this.writesInFlight--;
      this.flushing = false;
      if (err) this.failure ??= err;
      this.wake();
    });
  }

  private done(seg: number): void {
    this.busy[seg]!--;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const check of waiters) check();
  }

  /** Calls `then` once `ready()` holds, or at once with the failure if there is one (unless `despiteFailure`). */
  private when(ready: () => boolean, despiteFailure: boolean, then: (err?: Error) => void): void {
    const check = () => {
      if (this.failure && !despiteFailure) return then(this.failure);
      if (ready()) return then();
      this.waiters.push(check);
    };
    check();
  }
}
