// The object and part bytes: one immutable file per object or part under `<root>/blobs/`, written through
// `<root>/tmp/`. The write path is: stream the body to a tmp file (counted as it goes and, unless it is
// small, hashed on a thread of its own beside the file writes: hash-thread.ts; with the stream's own
// backpressure), check it, fsync the file, rename it to blobs/<name>, fsync blobs/. Only then may a row
// name it; the caller commits that row through `adopt`. A crash at any point leaves either a tmp file
// (cleared at start) or a blob no row names (removed by `sweep`), never a row without its bytes.
//
// A blob is "pending" from the moment it has its name until `adopt` has run its commit, so that a sweep
// running meanwhile never takes a file whose row is about to be committed.
import { hash } from "node:crypto";
import {
  close as closeCb,
  closeSync,
  createReadStream,
  createWriteStream,
  fdatasync,
  fsync,
  mkdirSync,
  open as openCb,
  openSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { lazyFsPromises } from "../../../kernel/builtins.ts";
import type { Ids } from "../../../kernel/ids.ts";
import { obsErrors } from "../errors.ts";
import { HashThread } from "./hash-thread.ts";

const fsyncFd = promisify(fsync);
// A new file's data and size are what a later read needs; fdatasync skips the timestamps fsync also writes.
const fdatasyncFd = promisify(fdatasync);
const openFd = promisify(openCb);
const closeFd = promisify(closeCb);

/**
 * A write stream on an fd the caller keeps (numeric: a FileHandle's stream holds a reference that only
 * its own close releases), which the caller fsyncs and closes after the stream finishes. 1 MiB lets it
 * gather a socket's small chunks into one writev while bounding what waits in memory.
 */
function fileSink(fd: number): Writable {
  return createWriteStream("", { fd, autoClose: false, emitClose: false, highWaterMark: 1 << 20 });
}

/** Bodies of at most this many announced bytes are read whole and written in one call (writeSmall). */
const SMALL_BODY = 64 * 1024;

/** Every byte of a body of `expected` bytes (fewer if the client stops early; the caller checks the size). */
function readWhole(body: Readable, expected: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      body.off("data", onData).off("end", onEnd).off("error", done).off("close", onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= expected) chunks.push(c);
      else done(obsErrors.incompleteBody(expected, size));
    };
    const onEnd = () => done();
    // A client that goes away before the end: no error event may come, only close.
    const onClose = () => done(new Error("the client closed the connection before the body ended"));
    body.on("data", onData).on("end", onEnd).on("error", done).on("close", onClose);
  });
}

export interface BlobOptions {
  root: string;
  ids: Ids;
  /** fsync files and the folder before a commit (off for --in-memory, where nothing must survive). */
  fsync: boolean;
  /** Whether a row names this blob: a new name is never one in use (seeded ids can repeat across runs). */
  inUse: (name: string) => boolean;
}

export interface WriteLimits {
  /** More bytes than this fail the write with EntityTooLarge as soon as they arrive. */
  maxBytes: number;
  /** The Content-Length the client announced: fewer bytes is IncompleteBody. */
  expectedBytes?: number;
  /** Compute the SHA-256 as well (for a V4 payload hash). */
  sha256?: boolean;
  /** Runs on the finished digests before the file is made durable; throw to refuse the body. */
  check?: (w: Digests) => void;
  /** Bytes written before the body (AppendObject: the object so far); not counted in the digests or limits. */
  prefix?: Readable;
}

export interface Digests {
  size: number;
  md5: Buffer;
  sha256: Buffer | undefined;
}

export interface WrittenBlob extends Digests {
  name: string;
}

function errno(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

async function unlinkQuietly(path: string): Promise<void> {
  try {
    await lazyFsPromises().unlink(path);
  } catch (err) {
    if (errno(err) !== "ENOENT") throw err;
  }
}

export class BlobStore {
  readonly tmpDir: string;
  readonly blobDir: string;
  private readonly pending = new Set<string>();
  /** Hashes the bodies that are not small, beside their file writes (hash-thread.ts). */
  private readonly hashes = new HashThread();
  private readonly dirFd: number;
  private tmpCount = 0;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly opts: BlobOptions) {
    this.tmpDir = join(opts.root, "tmp");
    this.blobDir = join(opts.root, "blobs");
    mkdirSync(this.blobDir, { recursive: true });
    // Whatever is in tmp/ was being written when the last run stopped: no row can name it.
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir);
    this.dirFd = openSync(this.blobDir, "r");
  }

  path(name: string): string {
    return join(this.blobDir, name);
  }

  /** Streams `body` into a new blob; resolves once the blob is durable under its final name (pending). */
  async write(body: Readable, limits: WriteLimits): Promise<WrittenBlob> {
    const n = limits.expectedBytes;
    if (n !== undefined && n <= SMALL_BODY && n <= limits.maxBytes && !limits.prefix) return this.writeSmall(body, n, limits);
    return this.fill(async (fd) => {
      let start = 0;
      if (limits.prefix) {
        limits.prefix.on("data", (c: Buffer) => (start += c.length));
        await pipeline(limits.prefix, fileSink(fd));
      }
      const sink = this.hashes.sink(fd, start, { maxBytes: limits.maxBytes, sha256: limits.sha256 === true, flush: this.opts.fsync });
      try {
        await pipeline(body, sink);
      } catch (err) {
        await sink.settled(); // the caller closes the fd next: no write of the sink's may still be on its way
        throw err;
      }
      const digests = sink.digests!;
      if (limits.expectedBytes !== undefined && digests.size !== limits.expectedBytes) {
        throw obsErrors.incompleteBody(limits.expectedBytes, digests.size);
      }
      limits.check?.(digests);
      return digests;
    });
  }

  /**
   * A small body of announced length: read whole (bounded by SMALL_BODY), checked before anything touches
   * the disk, then written straight into blobs/ under its pending name in one write. No tmp file and no
   * rename: until a row names it, a crash leaves an orphan the start-up sweep removes, as for any blob.
   */
  private async writeSmall(body: Readable, expected: number, limits: WriteLimits): Promise<WrittenBlob> {
    const data = await readWhole(body, expected);
    const digests: Digests = {
      size: data.length,
      md5: hash("md5", data, "buffer"),
      sha256: limits.sha256 === true ? hash("sha256", data, "buffer") : undefined,
    };
    if (digests.size !== expected) throw obsErrors.incompleteBody(expected, digests.size);
    limits.check?.(digests);
    const name = this.freshName();
    const path = this.path(name);
    try {
      // Opening and writing a few KiB only touch the page cache: done here, they cost less than the thread
      // pool's round trips would; the fdatasync, which waits for the disk, goes to the pool.
      let fd: number;
      try {
        fd = openSync(path, "wx");
      } catch (err) {
        if (errno(err) !== "EEXIST") throw err;
        rmSync(path, { force: true }); // an orphan under a reused (seeded) name: no row holds it
        fd = openSync(path, "wx");
      }
      try {
        for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
        if (this.opts.fsync) await fdatasyncFd(fd);
      } finally {
        closeSync(fd);
      }
      await this.syncDir();
      return { name, ...digests };
    } catch (err) {
      this.pending.delete(name);
      await unlinkQuietly(path);
      throw err;
    }
  }

  /** Concatenates blobs into a new one by streaming (a multipart Complete); no digest is needed there. */
  async concat(names: readonly string[]): Promise<WrittenBlob> {
    return this.fill(async (fd) => {
      let size = 0;
      for (const name of names) {
        const source = createReadStream(this.path(name), { highWaterMark: 1 << 20 });
        source.on("data", (chunk) => (size += chunk.length));
        await pipeline(source, fileSink(fd));
      }
      return { size, md5: Buffer.alloc(0), sha256: undefined };
    });
  }

  /** A second name for an existing blob (a server-side copy): a hard link, or a copy where links fail. */
  async duplicate(source: string): Promise<string> {
    const name = this.freshName();
    const target = this.path(name);
    try {
      await unlinkQuietly(target); // an orphan under this name would make the link fail
      try {
        await lazyFsPromises().link(this.path(source), target);
      } catch (err) {
        const code = errno(err);
        if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP" && code !== "EMLINK") throw err;
        await lazyFsPromises().copyFile(this.path(source), target);
        if (this.opts.fsync) await this.syncFile(target);
      }
      await this.syncDir();
      return name;
    } catch (err) {
      this.pending.delete(name);
      await unlinkQuietly(target);
      throw err;
    }
  }

  /**
   * Runs the commit that makes a pending blob referenced (or not). If it throws, the blob is removed;
   * either way the blob stops being pending.
   */
  adopt<T>(name: string, commit: () => T): T {
    try {
      return commit();
    } catch (err) {
      this.removeLater([name]);
      throw err;
    } finally {
      this.pending.delete(name);
    }
  }

  /** Unlinks blobs that no row names any more (after the commit that dropped them). */
  removeLater(names: readonly string[]): void {
    for (const name of names) {
      unlinkQuietly(this.path(name)).catch(() => undefined); // a leftover is swept at the next start
    }
  }

  /**
   * Opens a blob for reading now. Opening in the same turn as the row was read means a concurrent
   * overwrite or delete, whose unlink comes after its commit, cannot take the file away first; an open
   * file stays readable after its unlink.
   */
  openForRead(name: string): number {
    return openSync(this.path(name), "r");
  }

  /** Removes every blob that is neither pending nor named by a row; returns how many. */
  async sweep(isReferenced: (name: string) => boolean): Promise<number> {
    let removed = 0;
    for await (const entry of await lazyFsPromises().opendir(this.blobDir)) {
      if (this.pending.has(entry.name) || isReferenced(entry.name)) continue;
      await unlinkQuietly(this.path(entry.name));
      removed++;
    }
    return removed;
  }

  close(): void {
    this.hashes.close();
    closeSync(this.dirFd);
  }

  /** Writes a tmp file with `produce`, makes it durable, and moves it into blobs/ as a pending blob. */
  private async fill(produce: (fd: number) => Promise<Digests>): Promise<WrittenBlob> {
    const tmp = join(this.tmpDir, `${process.pid}-${++this.tmpCount}`);
    let fd: number | undefined = await openFd(tmp, "wx");
    let name: string | undefined;
    try {
      const digests = await produce(fd);
      if (this.opts.fsync) await fdatasyncFd(fd);
      await closeFd(fd);
      fd = undefined;
      name = this.freshName();
      await lazyFsPromises().rename(tmp, this.path(name));
      await this.syncDir();
      return { name, ...digests };
    } catch (err) {
      if (fd !== undefined) await closeFd(fd).catch(() => undefined);
      await unlinkQuietly(tmp);
      if (name !== undefined && this.pending.delete(name)) await unlinkQuietly(this.path(name));
      throw err;
    }
  }

  /**
   * A new blob name, marked pending. Random ids do not repeat, but seeded ones (tests) do across a restart:
   * a name that a row or a write in progress holds is never handed out again, so a rename cannot replace
   * a live file (a file under a name nobody holds is an orphan the sweep would remove anyway).
   */
  private freshName(): string {
    for (;;) {
      const name = this.opts.ids.hex32();
      if (this.pending.has(name) || this.opts.inUse(name)) continue;
      this.pending.add(name);
      return name;
    }
  }

  private async syncFile(path: string): Promise<void> {
    const fh = await lazyFsPromises().open(path, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /**
   * Makes the names given so far durable. Concurrent writers share one fsync of the folder: a caller that
   * arrives while one runs waits for the next, which covers every name given before it starts.
   */
  private syncDir(): Promise<void> {
    if (!this.opts.fsync) return Promise.resolve();
    if (this.queued) return this.queued;
    if (this.running) {
      const start = () => {
        this.queued = undefined;
        return this.startSync();
      };
      const next = this.running.then(start, start);
      this.queued = next;
      return next;
    }
    return this.startSync();
  }

  private startSync(): Promise<void> {
    const run = fsyncFd(this.dirFd).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}
