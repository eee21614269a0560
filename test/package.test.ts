// hwlocal installed into another project: `npm pack` builds and packs it, a fresh project installs the
// tarball as a dev dependency, and `npx hwlocal start` / `npx hwlocal env` work there, far from this
// checkout. Nothing here looks inside dist/: only at what a user runs.
//
// Offline and fast: npm ci fetched hwlocal's dependencies' tarballs into npm's cache but not their registry
// metadata, so the project gets a lockfile naming them (copied from this checkout's), which npm installs
// from the cache by integrity without asking the registry. Install scripts are skipped and the checkout's
// compiled better-sqlite3 module is copied in: compiling SQLite again would take a minute and test nothing
// of hwlocal's (npm 11 skips it anyway unless the project allows it; the README says how).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { signRequest } from "./helpers/sign.ts";

const run = promisify(execFile);
const CHECKOUT = new URL("..", import.meta.url).pathname;
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";
const ADMIN = { ak: "HWLOCALDEFAULTAK0001", sk: "hwlocalDefaultSecretKeyDoNotUseInCloud01" };

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The checkout's lockfile entries of hwlocal's runtime dependencies and theirs, by node_modules path. */
function runtimeLockEntries(): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(join(CHECKOUT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(CHECKOUT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  // Node's lookup: node_modules/<name> beside the dependent, then in each folder above it.
  const resolve = (from: string, name: string): string => {
    for (let base = from; ; ) {
      const key = `${base ? `${base}/` : ""}node_modules/${name}`;
      if (lock.packages[key]) return key;
      if (!base) throw new Error(`package-lock.json has no ${name} for ${from || "the root"}`);
      const i = base.lastIndexOf("/node_modules/");
      base = i < 0 ? "" : base.slice(0, i);
    }
  };
  const out: Record<string, LockEntry> = {};
  const queue: [string, string][] = Object.keys(pkg.dependencies).map((n) => ["", n]);
  for (let next = queue.shift(); next; next = queue.shift()) {
    const key = resolve(...next);
    if (out[key]) continue;
    const entry = lock.packages[key]!;
    out[key] = entry;
    for (const d of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) queue.push([key, d]);
  }
  return out;
}

test("npm pack gives a tarball that another project installs and runs with npx", { timeout: 120_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), "hwlocal-package-"));
  try {
    const packDir = join(tmp, "pack");
    mkdirSync(packDir);
    await run(NPM, ["pack", "--pack-destination", packDir, "--silent"], { cwd: CHECKOUT, maxBuffer: 64 * 1024 * 1024 });
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
    assert.equal(tarballs.length, 1, `one tarball: ${tarballs.join(", ")}`);
    const tarball = join(packDir, tarballs[0]!);

    const files = (await run("tar", ["-tzf", tarball], { maxBuffer: 16 * 1024 * 1024 })).stdout.split("\n").filter(Boolean);
    for (const f of ["package/package.json", "package/LICENSE", "package/README.md", "package/bin/hwlocal.js", "package/catalogue/iam_v3.ops.tsv"]) {
      assert.ok(files.includes(f), `the tarball has ${f}`);
    }
    assert.ok(files.some((f) => f.startsWith("package/dist/")), "the tarball has the built dist/");
    const stray = files.filter((f) => /^package\/(src|test|bench|node_modules|scripts|\.ci)\//.test(f) || f.endsWith(".map"));
    assert.deepEqual(stray, [], "sources, tests, benchmarks and source maps stay out");

    const project = join(tmp, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "uses-hwlocal", version: "1.0.0", private: true }, null, 2)}\n`);
    const lock = { name: "uses-hwlocal", version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "uses-hwlocal", version: "1.0.0" }, ...runtimeLockEntries() } };
    writeFileSync(join(project, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
    await run(NPM, ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--save-dev", tarball], { cwd: project });
    const installed = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
    assert.ok(installed.devDependencies?.hwlocal, "hwlocal is a dev dependency");
    const native = "node_modules/better-sqlite3/build/Release/better_sqlite3.node";
    mkdirSync(join(project, native, ".."), { recursive: true });
    copyFileSync(join(CHECKOUT, native), join(project, native));

    // Its own process group: npx does not pass SIGTERM on to hwlocal, so the test signals the group, as a
    // terminal's Ctrl-C or a process manager does.
    const child = spawn(NPX, ["hwlocal", "start", "--port", "0", "--in-memory"], { cwd: project, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    // "close": every process of the group has let go of the pipes.
    const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    let url = "";
    try {
      url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npx hwlocal start did not start: ${out}`)), 30_000);
        child.stdout.on("data", () => {
          const m = /endpoint\s+(http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        void closed.then(() => reject(new Error(`npx hwlocal start exited: ${out}`)));
      });
      // The bundle starts each service on its first use: none before, IAM after a signed IAM call.
      const status = async () =>
        Object.fromEntries(
          Object.entries(((await (await fetch(`${url}/_hwlocal/health`)).json()) as { services: Record<string, { status: string }> }).services).map(([k, v]) => [k, v.status]),
        );
      const before = await status();
      assert.ok(Object.keys(before).length >= 10 && Object.values(before).every((v) => v === "available"), JSON.stringify(before));
      const target = new URL(`${url}/iam/v3/auth/domains`);
      const res = await fetch(target, { headers: signRequest({ method: "GET", url: target, headers: {}, body: undefined, creds: ADMIN }) });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(((await res.json()) as { domains: { name: string }[] }).domains[0]!.name, "hwlocal");
      const after = await status();
      assert.equal(after.iam, "running");
      assert.equal(after.ecs, "available");

      const env = await run(NPX, ["hwlocal", "env", "--endpoint", url], { cwd: project });
      assert.match(env.stdout, new RegExp(`^export HUAWEICLOUD_SDK_AK=${ADMIN.ak}$`, "m"));
      assert.match(env.stdout, new RegExp(`^export HUAWEICLOUD_SDK_IAM_ENDPOINT=${url}/iam$`, "m"));
    } finally {
      signalGroup("SIGTERM");
      const killer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
      await closed;
      clearTimeout(killer);
    }
    assert.match(out, /SIGTERM, stopping/, "hwlocal stopped cleanly");
    await assert.rejects(fetch(`${url}/_hwlocal/health`), "and no longer listens");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
