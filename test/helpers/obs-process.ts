// For the OBS tests that run hwlocal as a real process (durability, streaming, presigned URLs, rclone):
// an @aws-sdk/client-s3 client with OBS's documented checksum settings, MD5s, bodies generated on the fly,
// presigned URLs, a bounded poll, and the process's resident memory.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { S3Client } from "@aws-sdk/client-s3";
import { exited, type CliProcess } from "./cli-process.ts";

/** The default account's key (src/services/iam/seed.ts): what `hwlocal start` prints. */
export const ADMIN = { ak: "HWLOCALDEFAULTAK0001", sk: "hwlocalDefaultSecretKeyDoNotUseInCloud01" };
export const MiB = 1024 * 1024;

export function s3Client(url: string): S3Client {
  return new S3Client({
    endpoint: url,
    region: "cn-north-4",
    forcePathStyle: true,
    credentials: { accessKeyId: ADMIN.ak, secretAccessKey: ADMIN.sk },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export function md5(data: Buffer | string): string {
  return createHash("md5").update(data).digest("hex");
}

/** Chunk `i` of `size` (≤ 1 MiB) bytes: a slice of one random pool, stamped with i so chunks differ. */
const POOL = randomBytes(MiB + 4096);
export function chunk(i: number, size: number): Buffer {
  const start = (i * 7919) % 4096;
  const out = Buffer.from(POOL.subarray(start, start + size));
  if (size >= 4) out.writeUInt32BE(i >>> 0, 0);
  return out;
}

/** `total` bytes in chunks of `size`, as a Readable fed from a generator, and the MD5 it will have. */
export function generated(total: number, size = 256 * 1024): { body: Readable; md5: () => string } {
  const hash = createHash("md5");
  let digest: string | undefined;
  function* gen(): Generator<Buffer> {
    for (let i = 0, sent = 0; sent < total; i++) {
      const c = chunk(i, Math.min(size, total - sent));
      hash.update(c);
      sent += c.length;
      yield c;
    }
  }
  return { body: Readable.from(gen(), { objectMode: false }), md5: () => (digest ??= hash.digest("hex")) };
}

/** Polls `check` every 20 ms until it returns a value other than undefined/false, for at most `ms`. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The process's resident set size in bytes (Linux). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

export async function kill(p: CliProcess, signal: NodeJS.Signals): Promise<void> {
  const done = exited(p.child);
  p.child.kill(signal);
  await done;
}

/** The status and text of an error a client call threw (the XML code is the error's name). */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected an error");
}
