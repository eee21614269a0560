// OBS through rclone, the S3 tool Debian packages (issue 9; .ci/run installs it): provider Other in path
// style, configured on the fly through RCLONE_CONFIG_HW_* variables, with AWS_* and proxy variables removed
// from its environment (rclone fails before sending anything when AWS_CA_BUNDLE is set, obs-facts §2.3).
// mkdir, copy a tree up (one file large enough to go multipart, its parts sent concurrently), ls, check
// (MD5s, the multipart one from rclone's stored metadata), copy it back down and compare, delete, rmdir.
// Then provider HuaweiOBS in virtual-host style, its bucket hosts reaching hwlocal through a proxy.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { HeadBucketCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { chunk, errorOf, md5, MiB, s3Client } from "./helpers/obs-process.ts";

const run = promisify(execFile);

/** rclone's environment: ours without AWS_* and proxy variables, plus the remote `hw:` (path style by default). */
function rcloneEnv(hw: TestHwlocal, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^AWS_/i.test(k) || /_proxy$/i.test(k) || /^RCLONE_/i.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    RCLONE_CONFIG: join(home, "rclone.conf"), // absent: the remote comes from the variables below
    RCLONE_CONFIG_HW_TYPE: "s3",
    RCLONE_CONFIG_HW_PROVIDER: "Other",
    RCLONE_CONFIG_HW_ENDPOINT: hw.url,
    RCLONE_CONFIG_HW_ACCESS_KEY_ID: hw.admin.ak,
    RCLONE_CONFIG_HW_SECRET_ACCESS_KEY: hw.admin.sk,
    RCLONE_CONFIG_HW_REGION: "cn-north-4",
    RCLONE_CONFIG_HW_FORCE_PATH_STYLE: "true",
    ...extra,
  };
}

let hw: TestHwlocal;
let client: S3Client;
let env: NodeJS.ProcessEnv;
let work: string;

async function rclone(...args: string[]): Promise<string> {
  return rcloneIn(env, ...args);
}

async function rcloneIn(environment: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  try {
    const options = { env: environment, maxBuffer: 1 << 20, timeout: 60_000 };
    const { stdout } = await run("rclone", [...args, "--retries", "1", "--low-level-retries", "1"], options);
    return stdout;
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string; message: string };
    if (e.code === "ENOENT") {
      assert.fail("rclone is not installed: run `apt-get install -y rclone` (.ci/run installs it when missing)");
    }
    assert.fail(`rclone ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
  }
}

/** Every file under `dir`, relative path → MD5. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), md5(readFileSync(p)));
    }
  };
  walk(dir);
  return out;
}

before(async () => {
  hw = await startTestHwlocal();
  client = s3Client(hw.url);
  work = mkdtempSync(join(tmpdir(), "hwlocal-rclone-"));
  env = rcloneEnv(hw, work);
});
after(async () => {
  client.destroy();
  await hw.close();
  rmSync(work, { recursive: true, force: true });
});

test("rclone: mkdir, copy a tree up (multipart included), ls, check, copy down, delete, rmdir", async () => {
  const src = join(work, "src");
  mkdirSync(join(src, "dir", "sub"), { recursive: true });
  writeFileSync(join(src, "a.txt"), "alpha\n");
  writeFileSync(join(src, "empty"), "");
  writeFileSync(join(src, "space name+ü.txt"), "unicode and spaces\n");
  writeFileSync(join(src, "dir", "b.bin"), chunk(1, 300 * 1024));
  writeFileSync(join(src, "dir", "sub", "c.txt"), "gamma\n");
  // rclone's smallest chunk is 5 MiB: 12 MiB goes up as 3 parts (5, 5, 2), uploaded concurrently.
  writeFileSync(join(src, "dir", "large.bin"), Buffer.concat(Array.from({ length: 12 }, (_, i) => chunk(i + 10, MiB))));
  const local = tree(src);

  await rclone("mkdir", "hw:rc-bucket");
  await client.send(new HeadBucketCommand({ Bucket: "rc-bucket" }));

  await rclone("copy", src, "hw:rc-bucket", "--s3-upload-cutoff", "1M", "--s3-chunk-size", "5M", "--s3-upload-concurrency", "3");
  const head = await client.send(new HeadObjectCommand({ Bucket: "rc-bucket", Key: "dir/large.bin" }));
  assert.match(head.ETag ?? "", /-3"$/, "the large file went up in 3 parts");
  assert.equal(head.ContentLength, 12 * MiB);
  assert.equal(head.Metadata?.md5chksum, Buffer.from(local.get("dir/large.bin")!, "hex").toString("base64"), "rclone's whole-file MD5 is stored");

  const listed = (await rclone("ls", "hw:rc-bucket"))
    .trim()
    .split("\n")
    .map((line) => /^\s*(\d+) (.+)$/.exec(line)!)
    .map((m) => [m[2]!, Number(m[1])] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const expected = [...local.keys()].sort().map((k) => [k, statSync(join(src, k)).size] as const);
  assert.deepEqual(listed, expected);
  assert.deepEqual((await rclone("lsf", "hw:rc-bucket/dir")).trim().split("\n").sort(), ["b.bin", "large.bin", "sub/"]);

  await rclone("check", src, "hw:rc-bucket"); // compares sizes and MD5s, the multipart file's through its metadata

  const dst = join(work, "dst");
  await rclone("copy", "hw:rc-bucket", dst);
  assert.deepEqual(tree(dst), local, "the tree comes back byte for byte");

  await rclone("delete", "hw:rc-bucket");
  assert.equal((await rclone("ls", "hw:rc-bucket")).trim(), "");
  await rclone("rmdir", "hw:rc-bucket");
  assert.equal((await errorOf(client.send(new HeadBucketCommand({ Bucket: "rc-bucket" })))).status, 404);
});

test("rclone's HuaweiOBS provider in virtual-host style, through a forwarding proxy standing in for DNS", async () => {
  // rclone keeps virtual-host style for HuaweiOBS (obs-facts §2.3): <bucket>.obs.cn-north-4.myhuaweicloud.com
  // reaches hwlocal through an HTTP proxy, with the Host (and the port V4 signs) unchanged.
  const seen: string[] = [];
  const proxy = createServer((req, res) => {
    const target = new URL(req.url ?? "/");
    seen.push(`${req.method} ${req.headers.host} ${target.pathname}`);
    const upstream = request({ host: "127.0.0.1", port: hw.port, method: req.method, path: target.pathname + target.search, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on("error", (err) => res.writeHead(502).end(String(err)));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  try {
    const port = (proxy.address() as AddressInfo).port;
    const vhost = rcloneEnv(hw, work, {
      RCLONE_CONFIG_HW_PROVIDER: "HuaweiOBS",
      RCLONE_CONFIG_HW_ENDPOINT: `http://obs.cn-north-4.myhuaweicloud.com:${hw.port}`,
      RCLONE_CONFIG_HW_FORCE_PATH_STYLE: "false",
      HTTP_PROXY: `http://127.0.0.1:${port}`,
    });
    const src = join(work, "vhost-src");
    mkdirSync(join(src, "d"), { recursive: true });
    writeFileSync(join(src, "top.txt"), "top\n");
    writeFileSync(join(src, "d", "f.txt"), "virtual host\n");
    await rcloneIn(vhost, "mkdir", "hw:rc-vhost");
    await rcloneIn(vhost, "copy", src, "hw:rc-vhost");
    assert.deepEqual((await rcloneIn(vhost, "lsf", "-R", "hw:rc-vhost")).trim().split("\n").sort(), ["d/", "d/f.txt", "top.txt"]);
    assert.equal(await rcloneIn(vhost, "cat", "hw:rc-vhost/d/f.txt"), "virtual host\n");
    await rcloneIn(vhost, "check", src, "hw:rc-vhost");
    await rcloneIn(vhost, "purge", "hw:rc-vhost");
    assert.equal((await errorOf(client.send(new HeadBucketCommand({ Bucket: "rc-vhost" })))).status, 404);
    assert.ok(seen.length > 0 && seen.every((line) => line.includes(` rc-vhost.obs.cn-north-4.myhuaweicloud.com:${hw.port} `)), seen.join("\n"));
  } finally {
    proxy.closeAllConnections();
    proxy.close();
  }
});
