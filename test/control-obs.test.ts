// OBS in hwlocal's control plane: /_hwlocal/info's obs block (the endpoint the caller reached, the seed's
// first region, the virtual host with the port), health and coverage counting the operations a streaming
// service reports by name, catalogue/obs.ops.tsv agreeing line by line with OBS's router, and the S3 and
// rclone lines of `hwlocal env`, which rclone uses as printed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { envLines } from "../src/cli/env.ts";
import { coverageReport } from "../src/control/coverage.ts";
import { loadCatalogue } from "../src/kernel/catalogue.ts";
import { OBS_OPERATION_NAMES } from "../src/services/obs/http.ts";
import { routeObs } from "../src/services/obs/route.ts";
import { runCli } from "./helpers/cli-process.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";

/** An unsigned GET to 127.0.0.1:port with the Host header given. */
function getWithHost(port: number, path: string, host: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

interface ObsInfo {
  endpoint: string;
  region: string;
  virtual_host: string;
  signatures: string[];
}

describe("OBS in the control plane", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  test("/_hwlocal/info has the obs block, with the endpoint the caller reached", async () => {
    const region = hw.seed.regions[0]!.id;
    const r = await hw.call("GET", "/_hwlocal/info", { creds: null });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.obs as ObsInfo, {
      endpoint: hw.url,
      region,
      virtual_host: `obs.${region}.myhuaweicloud.com:${hw.port}`,
      signatures: ["v2", "obs", "v4"],
    });
    const named = await getWithHost(hw.port, "/_hwlocal/info", `localhost:${hw.port}`);
    assert.equal((named.json.obs as ObsInfo).endpoint, `http://localhost:${hw.port}`);
  });

  test("health lists obs as available until its first request, then running with the operations it reports by name", async () => {
    const before = await hw.call("GET", "/_hwlocal/health", { creds: null });
    assert.deepEqual((before.json.services as Record<string, unknown>).obs, { status: "available" }, before.text);
    // Its first request (an unsigned HEAD /?apiversion, OBS's own probe) starts it.
    const probe = await fetch(`${hw.url}/?apiversion`, { method: "HEAD" });
    assert.equal(probe.headers.get("x-obs-api"), "3.0");
    const r = await hw.call("GET", "/_hwlocal/health", { creds: null });
    const obs = (r.json.services as Record<string, { status: string; operations: number; sdk_operations: number; sdk_operations_covered: number }>).obs;
    assert.ok(obs, r.text);
    assert.equal(obs.status, "running");
    assert.ok(OBS_OPERATION_NAMES.length > 0);
    assert.equal(obs.operations, OBS_OPERATION_NAMES.length);
    assert.equal(obs.sdk_operations, loadCatalogue("obs.ops.tsv").length);
    assert.equal(obs.sdk_operations_covered, OBS_OPERATION_NAMES.length, "every implemented operation is listed");
  });

  test("coverage counts OBS against its list by name", () => {
    const c = coverageReport(hw.services).services.find((s) => s.service === "obs");
    assert.ok(c && c.percent !== null);
    assert.equal(c.implemented_operations, OBS_OPERATION_NAMES.length);
    assert.equal(c.sdk_operations_covered + c.missing.length, c.sdk_operations);
    for (const name of OBS_OPERATION_NAMES) assert.ok(!c.missing.includes(name), name);
    assert.ok(c.missing.length > 0);
    for (const name of c.missing) assert.ok(!OBS_OPERATION_NAMES.includes(name), name);
  });

  test("hwlocal env prints the S3 variables and an rclone remote, and no SDK-core line for obs", async () => {
    const lines = await envLines(hw.url, "cn-north-4");
    const { ak, sk } = hw.seed.accessKey;
    for (const line of [
      `export AWS_ENDPOINT_URL_S3=${hw.url}`,
      `export AWS_ACCESS_KEY_ID=${ak}`,
      `export AWS_SECRET_ACCESS_KEY=${sk}`,
      "export AWS_REGION=cn-north-4",
      "export AWS_REQUEST_CHECKSUM_CALCULATION=when_required",
      "export AWS_RESPONSE_CHECKSUM_VALIDATION=when_required",
      "export RCLONE_CONFIG_HWLOCAL_TYPE=s3",
      "export RCLONE_CONFIG_HWLOCAL_PROVIDER=Other",
      `export RCLONE_CONFIG_HWLOCAL_ENDPOINT=${hw.url}`,
      `export RCLONE_CONFIG_HWLOCAL_ACCESS_KEY_ID=${ak}`,
      `export RCLONE_CONFIG_HWLOCAL_SECRET_ACCESS_KEY=${sk}`,
      "export RCLONE_CONFIG_HWLOCAL_FORCE_PATH_STYLE=true",
      "export RCLONE_CONFIG_HWLOCAL_REGION=cn-north-4",
    ]) {
      assert.ok(lines.includes(line), `${line}\n${lines.join("\n")}`);
    }
    assert.ok(!lines.some((l) => l.includes("HUAWEICLOUD_SDK_REGION_OBS")), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("export HUAWEICLOUD_SDK_REGION_ECS_CN_NORTH_4=")));
  });
});

describe("catalogue/obs.ops.tsv", () => {
  const text = readFileSync(new URL("../catalogue/obs.ops.tsv", import.meta.url), "utf8");
  const lines = text.split("\n").filter((l) => l !== "").map((l) => l.split("\t"));

  test("OBS's router names every line's request as the line does", () => {
    assert.equal(lines.length, loadCatalogue("obs.ops.tsv").length);
    for (const [name, route, ...facts] of lines) {
      const [method, template] = route!.split(" ");
      const [path, query = ""] = template!.split("?");
      const rawPath = path!.replace("{bucket}", "bkt").replace("{key}", "dir/k%20ey.txt");
      const rawQuery = query.replace(/\{[^}]+\}/g, "1");
      const copy = facts.some((f) => f.startsWith("h=x-obs-copy-source"));
      assert.equal(routeObs(method!, rawPath, rawQuery, null, copy).operation, name, `${route}`);
      // The same request in virtual-host style.
      const hostPath = rawPath.replace(/^\/bkt/, "") || "/";
      const host = rawPath === "/" ? { region: "cn-north-4" } : { region: "cn-north-4", bucket: "bkt" };
      assert.equal(routeObs(method!, hostPath, rawQuery, host, copy).operation, name, `${route} (virtual host)`);
    }
  });

  test("lists every operation hwlocal implements, each once", () => {
    const names = lines.map((l) => l[0]!);
    assert.equal(new Set(names).size, names.length);
    for (const name of OBS_OPERATION_NAMES) assert.ok(names.includes(name), name);
  });
});

/** rclone's path, or undefined when it is not installed (.ci/run installs it). */
async function rclonePath(): Promise<string | undefined> {
  try {
    await promisify(execFile)("rclone", ["version"]);
    return "rclone";
  } catch {
    return undefined;
  }
}

describe("`hwlocal env` run as a user runs it", () => {
  let hw: TestHwlocal;
  let dir: string;
  before(async () => {
    hw = await startTestHwlocal();
    dir = mkdtempSync(join(tmpdir(), "hwlocal-env-"));
  });
  after(async () => {
    await hw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("prints the OBS lines, and rclone works with its hwlocal: remote from them alone", async () => {
    const { code, output } = await runCli(["env", "--endpoint", hw.url]);
    assert.equal(code, 0, output);
    const vars: Record<string, string> = {};
    for (const line of output.split("\n")) {
      const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) vars[m[1]!] = m[2]!;
    }
    assert.equal(vars.AWS_ENDPOINT_URL_S3, hw.url, output);
    assert.equal(vars.RCLONE_CONFIG_HWLOCAL_ENDPOINT, hw.url, output);

    const rclone = await rclonePath();
    // CI installs rclone (.ci/run); a machine without it fails here rather than passing untested.
    assert.ok(rclone, "rclone is not installed: apt-get install -y rclone (.ci/run does it)");
    // Only PATH and a HOME without a config file, plus what hwlocal env printed: rclone refuses to start
    // with AWS_CA_BUNDLE set, and a proxy would take its requests elsewhere.
    const env = { PATH: process.env.PATH ?? "", HOME: dir, ...vars };
    const run = (...args: string[]) => promisify(execFile)(rclone, [...args, "--config", join(dir, "none.conf")], { env, timeout: 60_000 });
    writeFileSync(join(dir, "a.txt"), "hello from rclone\n");
    await run("mkdir", "hwlocal:env-bucket");
    await run("copyto", join(dir, "a.txt"), "hwlocal:env-bucket/dir/a.txt");
    const listed = await run("lsf", "-R", "hwlocal:env-bucket");
    assert.deepEqual(listed.stdout.trim().split("\n").sort(), ["dir/", "dir/a.txt"]);
    assert.equal((await run("cat", "hwlocal:env-bucket/dir/a.txt")).stdout, "hello from rclone\n");
    await run("purge", "hwlocal:env-bucket");
  });
});
