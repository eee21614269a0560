// The sink that OBS writes every body larger than 64 KiB through (src/services/obs/store/hash-thread.ts):
// the file it writes and the digests its worker thread computes must equal what was sent, whatever the
// chunking (chunks that straddle its 1 MiB segments, bodies that go round its ring several times, an
// AppendObject's offset), and a failure must leave no write of its in flight. The end-to-end paths
// (PutObject, UploadPart, AppendObject, a V4 payload hash, a client gone mid-upload, kill -9) are in
// obs-stream, obs-append, obs-auth and obs-durability.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, test } from "node:test";
import { HashThread } from "../src/services/obs/store/hash-thread.ts";

const MiB = 1 << 20;
let dir: string;
let thread: HashThread;
let files = 0;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "hwlocal-hash-thread-"));
  thread = new HashThread();
});
after(() => {
  thread.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `data` cut into chunks of the given sizes, repeated until all of it is out. */
function chunked(data: Buffer, sizes: number[]): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, data.length - at);
    chunks.push(data.subarray(at, at + n));
    at += n;
  }
  return Readable.from(chunks);
}

async function sinkInto(body: Readable, opts: { prefix?: Buffer; maxBytes?: number; sha256?: boolean; flush?: boolean } = {}) {
  const path = join(dir, `f${++files}`);
  const fd = openSync(path, "wx");
  if (opts.prefix) writeSync(fd, opts.prefix);
  const sink = thread.sink(fd, opts.prefix?.length ?? 0, { maxBytes: opts.maxBytes ?? 1 << 30, sha256: opts.sha256 ?? true, flush: opts.flush ?? true });
  try {
    await pipeline(body, sink);
    return { digests: sink.digests!, file: readFileSync(path) };
  } catch (err) {
    await sink.settled();
    throw err;
  } finally {
    closeSync(fd);
  }
}

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

test("bodies of every size and chunking come out whole, with their MD5 and SHA-256", async () => {
  const cases: [number, number[]][] = [
    [0, [1]],
    [1, [1]],
    [MiB - 1, [65536]],
    [MiB, [MiB]],
    [MiB + 1, [65536, 7]],
    [5 * MiB + 123, [65536]], // round the 4-segment ring more than once
    [3 * MiB + 5, [3 * MiB]], // one chunk larger than a segment
    [33 * MiB + 77, [1000, 300_000, 65536, 2 * MiB + 3]], // uneven chunks across 33 segments and two early flushes
  ];
  for (const [size, sizes] of cases) {
    const data = randomBytes(size);
    const { digests, file } = await sinkInto(chunked(data, sizes));
    assert.equal(digests.size, size, `size of ${size}`);
    assert.ok(file.equals(data), `the file of ${size} bytes holds what was sent`);
    assert.equal(digests.md5.toString("hex"), md5(data), `MD5 of ${size}`);
    assert.equal(digests.sha256?.toString("hex"), sha256(data), `SHA-256 of ${size}`);
  }
});

test("several bodies at once, each into its own file, share the thread without mixing", async () => {
  const bodies = Array.from({ length: 6 }, (_, i) => randomBytes(2 * MiB + i * 4099));
  const results = await Promise.all(bodies.map((b, i) => sinkInto(chunked(b, [65536 + i * 13]), { sha256: i % 2 === 0 })));
  results.forEach(({ digests, file }, i) => {
    assert.ok(file.equals(bodies[i]!));
    assert.equal(digests.md5.toString("hex"), md5(bodies[i]!));
    assert.equal(digests.sha256?.toString("hex"), i % 2 === 0 ? sha256(bodies[i]!) : undefined);
  });
});

test("an append writes after the object so far, and hashes only the new bytes", async () => {
  const prefix = randomBytes(300_000);
  const data = randomBytes(2 * MiB + 17);
  const { digests, file } = await sinkInto(chunked(data, [65536]), { prefix, flush: false });
  assert.ok(file.equals(Buffer.concat([prefix, data])));
  assert.equal(digests.size, data.length);
  assert.equal(digests.md5.toString("hex"), md5(data));
});

test("a body larger than allowed fails with EntityTooLarge, and one that breaks off fails with its error", async () => {
  await assert.rejects(sinkInto(chunked(randomBytes(3 * MiB), [65536]), { maxBytes: 2 * MiB }), { code: "EntityTooLarge" });
  const broken = new Readable({
    read() {
      this.push(randomBytes(MiB));
      this.destroy(new Error("the client went away"));
    },
  });
  await assert.rejects(sinkInto(broken), /the client went away/);
  // The thread still serves the next body.
  const data = randomBytes(MiB + 3);
  assert.equal((await sinkInto(chunked(data, [65536]))).digests.md5.toString("hex"), md5(data));
});

test("a sink whose thread stops fails instead of waiting for ever, and a new thread serves the next body", async () => {
  const own = new HashThread();
  const path = join(dir, "stopped");
  const fd = openSync(path, "wx");
  try {
    const sink = own.sink(fd, 0, { maxBytes: 1 << 30, sha256: false, flush: false });
    const body = new Readable({ read() {} });
    const done = pipeline(body, sink);
    body.push(randomBytes(2 * MiB));
    own.close();
    body.push(randomBytes(2 * MiB));
    body.push(null);
    await assert.rejects(done, /OBS is stopping/);
    await sink.settled();
  } finally {
    closeSync(fd);
  }
  const fd2 = openSync(join(dir, "after-stop"), "wx");
  try {
    const data = randomBytes(MiB + 9);
    const sink = own.sink(fd2, 0, { maxBytes: 1 << 30, sha256: false, flush: false });
    await pipeline(chunked(data, [65536]), sink);
    assert.equal(sink.digests!.md5.toString("hex"), md5(data));
  } finally {
    own.close();
    closeSync(fd2);
  }
});
