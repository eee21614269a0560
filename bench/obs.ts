// OBS figures for `npm run bench` (BENCH_OBS=0 skips them): hwlocal started through its bin on a data folder
// (fsync on, as users run it), driven from this process by @aws-sdk/client-s3 with OBS's documented checksum
// settings, the way obs-facts §7 measured the peers (16 concurrent requests for 4 KiB, 8 for 1 MiB, a
// 200 MiB object streamed up and down once, peak RSS as hwlocal's VmHWM), plus listing 10,000 keys by pages
// of 1,000. The 200 MiB stream runs in a client process of its own (obs-stream-client.ts says why). The peers run in the same bench, one at a time (peers.ts; BENCH_PEERS=0 skips them): s3rver
// through the same S3 client, and Azurite (disk and in memory), which is not S3, beside hwlocal through
// one load generator over self-authorising URLs (obs-raw.ts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { fileURLToPath } from "node:url";
import { forkTs, stop } from "./children.ts";
import { CLIENT_MALLOC, type StreamFigures, type StreamJob, type TransferCpu } from "./obs-stream-client.ts";
import { startHwlocal } from "./hwlocal.ts";
import { send } from "./http.ts";
import { azuriteRaw, s3Raw, type RawFigures } from "./obs-raw.ts";
const STREAM_CLIENT = fileURLToPath(new URL("./obs-stream-client.ts", import.meta.url));
import { ensurePeers, startAzurite, startS3rver, stopPeer } from "./peers.ts";

export interface ObsFigures {
  put4k: number;
  get4k: number;
  put1m: number;
  get1m: number;
  upMiBs: number;
  downMiBs: number;
  /** CPU seconds of one big transfer, server and client (medians of the measured runs). */
  upCpu?: TransferCpu;
  downCpu?: TransferCpu;
  peakRssMb: number;
  idleRssMb: number;
  listPage1Ms: number;
  listPage10Ms: number;
  /** autocannon over a presigned PUT and GET URL. */
  raw?: RawFigures;
  failure?: string;
}

/** The same run's peers; a peer that could not run says why. */
export interface ObsPeers {
  s3rver?: ObsFigures;
  azuriteDisk?: RawFigures;
  azuriteMemory?: RawFigures;
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

/** The 200 MiB stream, run by the client process of obs-stream-client.ts; resolves to its figures. */
function streamBig(job: StreamJob): Promise<StreamFigures> {
  const child = forkTs(STREAM_CLIENT, { GLIBC_TUNABLES: CLIENT_MALLOC });
  return new Promise<StreamFigures>((resolve, reject) => {
    child.once("message", (m: { figures?: StreamFigures; failure?: string }) => (m.figures ? resolve(m.figures) : reject(new Error(m.failure ?? "no figures"))));
    child.once("exit", (code) => reject(new Error(`the stream client ended with ${code}`)));
    child.send(job);
  });
}

function s3ClientFor(endpoint: string, ak: string, sk: string): S3Client {
  return new S3Client({
    endpoint,
    region: "cn-north-4",
    forcePathStyle: true,
    credentials: { accessKeyId: ak, secretAccessKey: sk },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

const NO_FIGURES = { put4k: 0, get4k: 0, put1m: 0, get1m: 0, upMiBs: 0, downMiBs: 0, peakRssMb: 0, idleRssMb: 0, listPage1Ms: 0, listPage10Ms: 0 };

function failed(err: unknown): ObsFigures {
  if (process.env.BENCH_DEBUG) console.error(err);
  return { ...NO_FIGURES, failure: err instanceof Error ? err.message : String(err) };
}

/** The S3 workload against one server (`pid` for its memory); listing only when `listKeys` > 0. */
async function s3Workload(
  s3: S3Client,
  target: { endpoint: string; ak: string; sk: string },
  pid: number,
  opts: { seconds: number; bigMiB: number; listKeys: number },
): Promise<ObsFigures> {
  const idleRssMb = vm(pid, "VmRSS");
  await s3.send(new CreateBucketCommand({ Bucket: "bench" }));
  const small = Buffer.alloc(4096, "s");
  const big = Buffer.alloc(1 << 20, "m");
  // The GETs read only keys the PUTs wrote (up to 1,000 and 50 of them).
  const smallKeys: string[] = [];
  const put4k = await rate(opts.seconds, 16, async (i) => {
    const key = `small/${i % 2000}`;
    await s3.send(new PutObjectCommand({ Bucket: "bench", Key: key, Body: small }));
    if (smallKeys.length < 1000) smallKeys.push(key);
  });
  const get4k = await rate(opts.seconds, 16, async (i) => {
    const r = await s3.send(new GetObjectCommand({ Bucket: "bench", Key: smallKeys[i % smallKeys.length] }));
    await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  });
  const bigKeys: string[] = [];
  const put1m = await rate(opts.seconds, 8, async (i) => {
    const key = `big/${i % 200}`;
    await s3.send(new PutObjectCommand({ Bucket: "bench", Key: key, Body: big }));
    if (bigKeys.length < 50) bigKeys.push(key);
  });
  const get1m = await rate(opts.seconds, 8, async (i) => {
    const r = await s3.send(new GetObjectCommand({ Bucket: "bench", Key: bigKeys[i % bigKeys.length] }));
    await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  });

  const { upMiBs, downMiBs, upCpu, downCpu } = await streamBig({ ...target, bucket: "bench", mib: opts.bigMiB, serverPid: pid });
  const peakRssMb = vm(pid, "VmHWM");

  const pages: number[] = [];
  for (let i = 0; i < opts.listKeys; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, opts.listKeys - i) }, (_, k) =>
        s3.send(new PutObjectCommand({ Bucket: "bench", Key: `list/${String(i + k).padStart(6, "0")}`, Body: "x" })),
      ),
    );
  }
  let token: string | undefined;
  while (opts.listKeys > 0) {
    const t = performance.now();
    const page = await s3.send(new ListObjectsV2Command({ Bucket: "bench", Prefix: "list/", MaxKeys: 1000, ContinuationToken: token }));
    pages.push(performance.now() - t);
    token = page.NextContinuationToken;
    if (!token) break;
  }
  return {
    put4k, get4k, put1m, get1m, upMiBs, downMiBs, peakRssMb, idleRssMb,
    ...(upCpu ? { upCpu } : {}),
    ...(downCpu ? { downCpu } : {}),
    listPage1Ms: pages[0] ?? 0,
    listPage10Ms: pages[Math.min(9, pages.length - 1)] ?? 0,
  };
}

export async function obsBench(opts: { seconds: number; bigMiB: number; listKeys: number }): Promise<ObsFigures> {
  const dir = mkdtempSync(join(tmpdir(), "hwlocal-obs-bench-"));
  const hw = await startHwlocal({ args: ["--data-dir", dir], inMemory: false });
  const info = JSON.parse((await send(`${hw.endpoint}/_hwlocal/info`)).body) as { access_key: { ak: string; sk: string } };
  const s3 = s3ClientFor(hw.endpoint, info.access_key.ak, info.access_key.sk);
  try {
    const figures = await s3Workload(s3, { endpoint: hw.endpoint, ...info.access_key }, hw.child.pid!, opts);
    return { ...figures, raw: await s3Raw(s3, "bench-raw", opts.seconds) };
  } catch (err) {
    return failed(err);
  } finally {
    s3.destroy();
    await stop(hw.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The peers, one at a time, on the same workloads (s3rver without the listing: it has no keyset paging). */
export async function obsPeers(opts: { seconds: number; bigMiB: number }): Promise<ObsPeers> {
  const missing = await ensurePeers();
  if (missing) return { failure: missing };
  const out: ObsPeers = {};
  const s3rver = await startS3rver();
  const s3 = s3ClientFor(s3rver.endpoint, "S3RVER", "S3RVER");
  try {
    out.s3rver = await s3Workload(s3, { endpoint: s3rver.endpoint, ak: "S3RVER", sk: "S3RVER" }, s3rver.child.pid!, { ...opts, listKeys: 0 });
  } catch (err) {
    out.s3rver = failed(err);
  } finally {
    s3.destroy();
    await stopPeer(s3rver);
  }
  for (const inMemory of [false, true]) {
    const az = await startAzurite(inMemory);
    try {
      const figures = await azuriteRaw(az.endpoint, opts.seconds, Date.now());
      if (inMemory) out.azuriteMemory = figures;
      else out.azuriteDisk = figures;
    } catch (err) {
      out.failure = `Azurite${inMemory ? " in memory" : ""}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      await stopPeer(az);
    }
  }
  return out;
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

/** hwlocal's OBS figures beside the same run's peers (obs-facts §7's earlier figures where a peer could not run). */
export function obsTable(f: ObsFigures, peers: ObsPeers | undefined, bigMiB: number): string {
  const rows = [
    "| OBS, hwlocal on a data folder | hwlocal | s3rver 3.7.1 | Azurite 3.35 disk | Azurite 3.35 in memory | Target | Result |",
    "|---|---:|---:|---:|---:|---|---|",
  ];
  if (f.failure) return [...rows, `| — | — | — | — | — | ${f.failure.replace(/\|/g, "/")} | FAIL |`].join("\n");
  const s3r = peers?.s3rver?.failure ? undefined : peers?.s3rver;
  const cell = (x: number | undefined, unit = "/s") => (x === undefined ? "—" : `${n(x)} ${unit}`);
  // The issue sets no target here: the in-process SDK client, on the same two cores, bounds both servers.
  const sdk = (label: string, k: "put4k" | "get4k" | "put1m" | "get1m") => {
    rows.push(`| ${label} | ${cell(f[k])} | ${cell(s3r?.[k])} | — | — | — | — |`);
  };
  sdk("@aws-sdk/client-s3 PUT 4 KiB, 16 concurrent", "put4k");
  sdk("@aws-sdk/client-s3 GET 4 KiB, 16 concurrent", "get4k");
  sdk("@aws-sdk/client-s3 PUT 1 MiB, 8 concurrent", "put1m");
  sdk("@aws-sdk/client-s3 GET 1 MiB, 8 concurrent", "get1m");
  // Azurite is not S3: the comparison with it goes through one load generator over presigned/SAS URLs.
  const azDisk = peers?.azuriteDisk?.put4k;
  const azMem = peers?.azuriteMemory?.get1m;
  const azDiskRef = azDisk ?? 766;
  const azMemRef = azMem ?? 944;
  const raw = f.raw;
  if (raw) {
    rows.push(
      `| autocannon PUT 4 KiB (one key), 16 connections | ${cell(raw.put4k)} | — | ${cell(azDisk)} | ${cell(peers?.azuriteMemory?.put4k)} | ≥ 2× Azurite disk${azDisk === undefined ? " (766 /s, obs-facts §7)" : ""} | ${verdict(raw.put4k >= 2 * azDiskRef)} |`,
    );
    rows.push(
      `| autocannon GET 1 MiB, 8 connections | ${cell(raw.get1m)} | — | ${cell(peers?.azuriteDisk?.get1m)} | ${cell(azMem)} | ≥ Azurite in memory${azMem === undefined ? " (944 /s, obs-facts §7)" : ""} | ${verdict(raw.get1m >= azMemRef)} |`,
    );
  }
  // Where each transfer's time went: the server's CPU seconds and the client's (one process each).
  const streamed = (x: number | undefined, cpu: TransferCpu | undefined) =>
    `${cell(x, "MiB/s")}${cpu ? ` (CPU s: server ${cpu.server.toFixed(2)}, client ${cpu.client.toFixed(2)})` : ""}`;
  rows.push(`| ${bigMiB} MiB streamed up | ${streamed(f.upMiBs, f.upCpu)} | ${streamed(s3r?.upMiBs, s3r?.upCpu)} | — | — | ≥ 250 MiB/s | ${verdict(f.upMiBs >= 250)} |`);
  rows.push(`| ${bigMiB} MiB streamed down | ${streamed(f.downMiBs, f.downCpu)} | ${streamed(s3r?.downMiBs, s3r?.downCpu)} | — | — | ≥ 500 MiB/s | ${verdict(f.downMiBs >= 500)} |`);
  rows.push(`| peak RSS (VmHWM) over the S3 workload | ${cell(f.peakRssMb, "MiB")} | ${cell(s3r?.peakRssMb, "MiB")} | — | — | < 200 MiB | ${verdict(f.peakRssMb < 200)} |`);
  rows.push(`| idle RSS with OBS built in | ${cell(f.idleRssMb, "MiB")} | ${cell(s3r?.idleRssMb, "MiB")} | — | — | ≤ 80 MiB | ${verdict(f.idleRssMb <= 80)} |`);
  rows.push(
    `| ListObjectsV2 page 1 / page 10 of 10,000 keys | ${f.listPage1Ms.toFixed(1)} / ${f.listPage10Ms.toFixed(1)} ms | — | — | — | page 10 ≤ page 1 × 1.5 | ${verdict(f.listPage10Ms <= f.listPage1Ms * 1.5)} |`,
  );
  const notes = [peers?.failure, peers?.s3rver?.failure ? `s3rver: ${peers.s3rver.failure}` : undefined].filter(Boolean);
  if (notes.length) rows.push("", `Peers: ${notes.join("; ")}`);
  return rows.join("\n");
}
