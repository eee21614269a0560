// The 200 MiB object of `npm run bench`'s OBS figures, streamed up and down (a warm-up, then the median of
// three) by @aws-sdk/client-s3 (OBS's
// documented checksum settings) in a process of its own, which obs.ts forks for hwlocal and for s3rver
// alike with glibc's malloc told to keep the memory it frees (GLIBC_TUNABLES below).
//
// Why: on the benchmark machine (a small VM) a page of fresh memory costs ~13 µs to fault in, and the
// client's socket reads take a fresh 64 KiB buffer each time. In the bench's own process the client spent
// ~620 ms of CPU receiving 200 MiB that the server sent with ~130 ms: the download figure was the client's
// allocator (~350 MiB/s for any server; s3rver 269), not the server's. Keeping freed memory makes the
// client's reads reuse pages; the server runs as users run it. The download is checked byte for byte
// against what was sent (a comparison, not a hash: MD5 ran at ~270 MiB/s here).
//
// Even so the download is mostly the client's: the server sends 200 MiB with ~0.15 s of CPU, while the
// client's V8 runs a full (mark-compact) GC every ~30 ms, prompted by the external memory of the HTTP
// parser's 64 KiB body copies, and spends ~0.4 s. With the server's pid, each run reports both sides' CPU
// seconds per transfer, and the table prints them beside the figure.
import assert from "node:assert/strict";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { cpuSeconds } from "./children.ts";

/** glibc: no trimming of the heap's top, 64 MiB kept above it, mmap only beyond 4 MiB. */
export const CLIENT_MALLOC = "glibc.malloc.trim_threshold=536870912:glibc.malloc.top_pad=67108864:glibc.malloc.mmap_threshold=4194304";

export interface StreamJob {
  endpoint: string;
  ak: string;
  sk: string;
  bucket: string;
  mib: number;
  /** The server's process: its CPU seconds per transfer are reported beside the client's. */
  serverPid?: number;
}

/** CPU seconds one transfer took in the server and in this client process. */
export interface TransferCpu {
  server: number;
  client: number;
}

export interface StreamFigures {
  /** Medians of the measured runs. */
  upMiBs: number;
  downMiBs: number;
  /** Medians of the measured runs (with serverPid). */
  upCpu?: TransferCpu;
  downCpu?: TransferCpu;
  runs?: Run[];
}

interface Run {
  upMiBs: number;
  downMiBs: number;
  upCpu?: TransferCpu;
  downCpu?: TransferCpu;
}

/** The CPU seconds used so far by the server (when known) and by this process. */
function cpuNow(serverPid: number | undefined): TransferCpu {
  const own = process.cpuUsage();
  return { server: serverPid === undefined ? 0 : cpuSeconds(serverPid), client: (own.user + own.system) / 1e6 };
}

const since = (a: TransferCpu, b: TransferCpu): TransferCpu => ({ server: b.server - a.server, client: b.client - a.client });

/** The 1 MiB that `generated` repeats. */
const PATTERN = Buffer.alloc(1 << 20, "hwlocal-obs-bench ");

/** `size` bytes of a repeating pattern, produced in 1 MiB chunks (never held whole). */
function generated(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, PATTERN.length);
      left -= n;
      this.push(n === PATTERN.length ? PATTERN : PATTERN.subarray(0, n));
    },
  });
}

/** A sink that checks a download of generated(size) byte for byte; `check` throws unless all of it came. */
function verifier(size: number): { sink: Writable; check: () => void } {
  let at = 0;
  const sink = new Writable({
    write(c: Buffer, _e, cb) {
      for (let i = 0; i < c.length; ) {
        const off = (at + i) % PATTERN.length;
        const n = Math.min(c.length - i, PATTERN.length - off);
        if (!c.subarray(i, i + n).equals(PATTERN.subarray(off, off + n))) return cb(new Error(`the download differs near byte ${at + i}`));
        i += n;
      }
      at += c.length;
      cb();
    },
  });
  return { sink, check: () => assert.equal(at, size, "the whole object came down") };
}

async function stream(job: StreamJob): Promise<StreamFigures> {
  const s3 = new S3Client({
    endpoint: job.endpoint,
    region: "cn-north-4",
    forcePathStyle: true,
    credentials: { accessKeyId: job.ak, secretAccessKey: job.sk },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const size = job.mib << 20;
  const once = async (): Promise<Run> => {
    const c0 = cpuNow(job.serverPid);
    let t0 = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: job.bucket, Key: "huge", Body: generated(size), ContentLength: size }));
    const upMiBs = job.mib / ((performance.now() - t0) / 1000);
    const c1 = cpuNow(job.serverPid);
    t0 = performance.now();
    const got = await s3.send(new GetObjectCommand({ Bucket: job.bucket, Key: "huge" }));
    const down = verifier(size);
    await pipeline(got.Body as Readable, down.sink);
    const downMiBs = job.mib / ((performance.now() - t0) / 1000);
    const c2 = cpuNow(job.serverPid);
    down.check();
    return { upMiBs, downMiBs, ...(job.serverPid === undefined ? {} : { upCpu: since(c0, c1), downCpu: since(c1, c2) }) };
  };
  try {
    // One warm-up transfer each way (the client's memory and both sides' compiled code), then the median
    // of three, as the other rows measure after a warm-up.
    await once();
    const runs = [await once(), await once(), await once()];
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const cpu = (pick: (r: Run) => TransferCpu | undefined): TransferCpu | undefined =>
      job.serverPid === undefined ? undefined : { server: median(runs.map((r) => pick(r)!.server)), client: median(runs.map((r) => pick(r)!.client)) };
    const upCpu = cpu((r) => r.upCpu);
    const downCpu = cpu((r) => r.downCpu);
    return {
      upMiBs: median(runs.map((r) => r.upMiBs)),
      downMiBs: median(runs.map((r) => r.downMiBs)),
      ...(upCpu ? { upCpu } : {}),
      ...(downCpu ? { downCpu } : {}),
      runs,
    };
  } finally {
    s3.destroy();
  }
}

process.once("message", (job: StreamJob) => {
  stream(job).then(
    (figures) => process.send!({ figures }, () => process.disconnect()),
    (err: unknown) => process.send!({ failure: err instanceof Error ? err.message : String(err) }, () => process.disconnect()),
  );
});
