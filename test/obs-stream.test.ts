// A 200 MiB object streamed up and down through @aws-sdk/client-s3 (OBS's documented checksum settings, a
// Readable body with its ContentLength) against a real hwlocal process on a data folder, built and started as `npx hwlocal`
// runs it (one bundled file, `node --max-semi-space-size=4`): its resident memory, sampled from /proc
// while the bytes flow, stays under 200 MiB, and the bytes round-trip by MD5 (issue 9).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { build } from "esbuild";
import { startCli, type CliProcess } from "./helpers/cli-process.ts";
import { chunk, generated, kill, md5, MiB, rssOf, s3Client } from "./helpers/obs-process.ts";

const SIZE = 200 * MiB;
const ROOT = new URL("..", import.meta.url).pathname;

/**
 * Bundles the CLI as scripts/build.mjs does into <temp>/dist/, beside links to the project's package.json,
 * catalogue/ and node_modules/ (what the bundle reads at run time); returns the script to run.
 */
const LINKS = ["package.json", "catalogue", "node_modules"];
async function bundle(): Promise<{ entry: string; remove: () => void }> {
  const root = mkdtempSync(join(tmpdir(), "hwlocal-dist-"));
  for (const name of LINKS) symlinkSync(join(ROOT, name), join(root, name));
  const dir = join(root, "dist");
  mkdirSync(dir);
  const entry = join(dir, "main.js");
  await build({
    entryPoints: [join(ROOT, "src/cli/main.ts")],
    outfile: join(dir, "hwlocal.js"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3"],
    banner: { js: 'import { createRequire as __hwlocalRequire } from "node:module"; const require = __hwlocalRequire(import.meta.url);' },
    logLevel: "warning",
  });
  writeFileSync(entry, 'import { run } from "./hwlocal.js";\nrun(process.argv).catch((e) => { console.error(e); process.exit(1); });\n');
  const remove = () => {
    for (const name of LINKS) unlinkSync(join(root, name)); // the links go first: nothing is removed through them
    rmSync(root, { recursive: true, force: true });
  };
  return { entry, remove };
}

/** Samples the process's RSS every 10 ms until stopped; returns the peak. */
function sampler(p: CliProcess): { stop: () => number } {
  let peak = rssOf(p.child.pid!);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(p.child.pid!))), 10);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssOf(p.child.pid!));
    },
  };
}

test("a 200 MiB object streams up and down with hwlocal's peak RSS under 200 MiB", async (t) => {
  const built = await bundle();
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-stream-"));
  // A data folder, as `hwlocal start` uses by default: the bytes are fsync'd before the answer.
  const hw = await startCli(["--data-dir", dataDir], { node: ["--max-semi-space-size=4"], script: built.entry });
  const client = s3Client(hw.url);
  try {
    await client.send(new CreateBucketCommand({ Bucket: "stream" }));
    const idle = rssOf(hw.child.pid!);
    const memory = sampler(hw);

    const up = generated(SIZE, MiB);
    let started = performance.now();
    await client.send(new PutObjectCommand({ Bucket: "stream", Key: "big.bin", Body: up.body, ContentLength: SIZE }));
    const upSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const got = await client.send(new GetObjectCommand({ Bucket: "stream", Key: "big.bin" }));
    assert.equal(got.ContentLength, SIZE);
    const hash = createHash("md5");
    let size = 0;
    for await (const c of got.Body as Readable) {
      hash.update(c as Buffer);
      size += (c as Buffer).length;
    }
    const downSeconds = (performance.now() - started) / 1000;
    // Ranges deep in the object come straight from their offset: MiB 100, and the last 5 bytes.
    const mid = await client.send(new GetObjectCommand({ Bucket: "stream", Key: "big.bin", Range: `bytes=${100 * MiB}-${101 * MiB - 1}` }));
    assert.equal(mid.ContentRange, `bytes ${100 * MiB}-${101 * MiB - 1}/${SIZE}`);
    assert.equal(md5(Buffer.from(await mid.Body!.transformToByteArray())), md5(chunk(100, MiB)));
    const tail = await client.send(new GetObjectCommand({ Bucket: "stream", Key: "big.bin", Range: "bytes=-5" }));
    assert.deepEqual(Buffer.from(await tail.Body!.transformToByteArray()), chunk(199, MiB).subarray(MiB - 5));
    const peak = memory.stop();

    assert.equal(size, SIZE);
    assert.equal(hash.digest("hex"), up.md5(), "the bytes round-trip");
    assert.equal(got.ETag, `"${up.md5()}"`);
    const mib = (n: number) => (n / MiB).toFixed(1);
    t.diagnostic(
      `200 MiB up ${(200 / upSeconds).toFixed(0)} MiB/s, down ${(200 / downSeconds).toFixed(0)} MiB/s; ` +
        `hwlocal RSS idle ${mib(idle)} MiB, peak ${mib(peak)} MiB`,
    );
    assert.ok(peak < 200 * MiB, `peak RSS ${mib(peak)} MiB stays under 200 MiB`);
  } finally {
    client.destroy();
    await kill(hw, "SIGTERM");
    built.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
