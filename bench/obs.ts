// OBS figures for `npm run bench` (BENCH_OBS=0 skips them): hwlocal started through its bin on a data folder
// (fsync on, as users run it), driven from this process by @aws-sdk/client-s3 with OBS's documented checksum
// settings, the way obs-facts §7 measured the peers (16 concurrent requests for 4 KiB, 8 for 1 MiB, a
// 200 MiB object streamed up and down once, peak RSS as hwlocal's VmHWM), plus listing 10,000 keys by pages
// of 1,000. The peers (Azurite, s3rver) are not run here yet: their figures from the same kind of machine
// are in obs-facts §7 and the README quotes them beside these.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { stop } from "./children.ts";
import { startHwlocal } from "./hwlocal.ts";
import { send } from "./http.ts";

export interface ObsFigures {
  put4k: number;
  get4k: number;
  put1m: number;
  get1m: number;
  upMiBs: number;
  downMiBs: number;
  peakRssMb: number;
  idleRssMb: number;
  listPage1Ms: number;
  listPage10Ms: number;
  failure?: string;
}

function vm(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Requests per second of `op` run by `concurrency` workers for `seconds`. */
async function rate(seconds: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async (w: number) => {
    for (let i = w; performance.now() < end; i += concurrency) {
      await op(i);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return done / ((performance.now() - t0) / 1000);
}

/** `size` bytes of a repeating pattern, produced in 1 MiB chunks (never held whole). */
function generated(size: number): Readable {
  const chunk = Buffer.alloc(1 << 20, "hwlocal-obs-bench ");
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

export async function obsBench(opts: { seconds: number; bigMiB: number; listKeys: number }): Promise<ObsFigures> {
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-obs-bench-"));
  const hw = await startHwlocal({ args: ["--data-dir", dir], inMemory: false });
  const pid = hw.child.pid!;
  const info = JSON.parse((await send(`${hw.endpoint}/_hwlocal/info`)).body) as { access_key: { ak: string; sk: string } };
  const s3 = new S3Client({
    endpoint: hw.endpoint,
    region: "cn-north-4",
    forcePathStyle: true,
    credentials: { accessKeyId: info.access_key.ak, secretAccessKey: info.access_key.sk },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  try {
    const idleRssMb = vm(pid, "VmRSS");
    await s3.send(new CreateBucketCommand({ Bucket: "bench" }));
    const small = Buffer.alloc(4096, "s");
    const big = Buffer.alloc(1 << 20, "m");
    const put4k = await rate(opts.seconds, 16, (i) => s3.send(new PutObjectCommand({ Bucket: "bench", Key: `small/${i % 2000}`, Body: small })));
    const get4k = await rate(opts.seconds, 16, async (i) => {
      const r = await s3.send(new GetObjectCommand({ Bucket: "bench", Key: `small/${i % 1000}` }));
      await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    });
    const put1m = await rate(opts.seconds, 8, (i) => s3.send(new PutObjectCommand({ Bucket: "bench", Key: `big/${i % 200}`, Body: big })));
    const get1m = await rate(opts.seconds, 8, async (i) => {
      const r = await s3.send(new GetObjectCommand({ Bucket: "bench", Key: `big/${i % 50}` }));
      await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    });

    const size = opts.bigMiB << 20;
    let t0 = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: "bench", Key: "huge", Body: generated(size), ContentLength: size }));
    const upMiBs = opts.bigMiB / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    const got = await s3.send(new GetObjectCommand({ Bucket: "bench", Key: "huge" }));
    const md5 = createHash("md5");
    await pipeline(got.Body as Readable, new Writable({ write: (c: Buffer, _e, cb) => (md5.update(c), cb()) }));
    const downMiBs = opts.bigMiB / ((performance.now() - t0) / 1000);
    const peakRssMb = vm(pid, "VmHWM");

    for (let i = 0; i < opts.listKeys; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, opts.listKeys - i) }, (_, k) =>
          s3.send(new PutObjectCommand({ Bucket: "bench", Key: `list/${String(i + k).padStart(6, "0")}`, Body: "x" })),
        ),
      );
    }
    const pages: number[] = [];
    let token: string | undefined;
    do {
      const t = performance.now();
      const page = await s3.send(new ListObjectsV2Command({ Bucket: "bench", Prefix: "list/", MaxKeys: 1000, ContinuationToken: token }));
      pages.push(performance.now() - t);
      token = page.NextContinuationToken;
    } while (token);
    return {
      put4k,
      get4k,
      put1m,
      get1m,
      upMiBs,
      downMiBs,
      peakRssMb,
      idleRssMb,
      listPage1Ms: pages[0] ?? 0,
      listPage10Ms: pages[Math.min(9, pages.length - 1)] ?? 0,
    };
  } catch (err) {
    return {
      put4k: 0, get4k: 0, put1m: 0, get1m: 0, upMiBs: 0, downMiBs: 0, peakRssMb: 0, idleRssMb: 0, listPage1Ms: 0, listPage10Ms: 0,
      failure: err instanceof Error ? err.message : String(err),
    };
  } finally {
    s3.destroy();
    await stop(hw.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");

export function obsTable(f: ObsFigures, bigMiB: number): string {
  const rows = ["| OBS (@aws-sdk/client-s3, hwlocal on a data folder) | Figure | Peers on this kind of machine (obs-facts §7) | Target | Result |", "|---|---:|---|---|---|"];
  if (f.failure) return [...rows, `| — | — | ${f.failure.replace(/\|/g, "/")} | — | FAIL |`].join("\n");
  const azDisk = 766;
  const azMemGet1m = 944;
  rows.push(`| PUT 4 KiB, 16 concurrent | ${n(f.put4k)} /s | Azurite disk 745–766 /s, s3rver 536–623 /s | ≥ 2× Azurite disk | ${f.put4k >= 2 * azDisk ? "PASS" : "MISS"} |`);
  rows.push(`| GET 4 KiB, 16 concurrent | ${n(f.get4k)} /s | Azurite disk 1,293–1,489 /s, s3rver 694–877 /s | — | — |`);
  rows.push(`| PUT 1 MiB, 8 concurrent | ${n(f.put1m)} /s | Azurite disk 186–200 /s, s3rver 141–195 /s | — | — |`);
  rows.push(`| GET 1 MiB, 8 concurrent | ${n(f.get1m)} /s | Azurite in-memory 934–944 /s | ≥ Azurite in-memory | ${f.get1m >= azMemGet1m ? "PASS" : "MISS"} |`);
  rows.push(`| ${bigMiB} MiB streamed up | ${n(f.upMiBs)} MiB/s | s3rver 254–362 MiB/s | ≥ 250 MiB/s | ${f.upMiBs >= 250 ? "PASS" : "MISS"} |`);
  rows.push(`| ${bigMiB} MiB streamed down | ${n(f.downMiBs)} MiB/s | s3rver 526–862 MiB/s | ≥ 500 MiB/s | ${f.downMiBs >= 500 ? "PASS" : "MISS"} |`);
  rows.push(`| hwlocal peak RSS (VmHWM) over all of the above | ${n(f.peakRssMb)} MiB | Azurite in-memory 2.3–2.6 GiB | < 200 MiB | ${f.peakRssMb < 200 ? "PASS" : "MISS"} |`);
  rows.push(`| ListObjectsV2 page 1 / page 10 of 10,000 keys | ${f.listPage1Ms.toFixed(1)} / ${f.listPage10Ms.toFixed(1)} ms | — | page 10 ≤ page 1 × 1.5 | ${f.listPage10Ms <= f.listPage1Ms * 1.5 ? "PASS" : "MISS"} |`);
  return rows.join("\n");
}
