// The CLI over the control API, run as a process: status, wait (until healthy; 1 at the timeout), reset,
// clock [advance], checkpoint save|list|restore|rm|export|import, readable and --json, and the exit code
// and message of a failed call.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSeconds } from "../src/cli/control.ts";
import { exited, runCli, startCli } from "./helpers/cli-process.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";

type Row = Record<string, unknown>;

/** A port nothing listens on (taken, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("hwlocal status, wait, reset, clock and checkpoint", () => {
  let hw: TestHwlocal;
  const cli = async (...args: string[]) => runCli([...args, "--endpoint", hw.url]);
  const vpcNames = async () => ((await hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs`)).json.vpcs as Row[]).map((v) => v.name);
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  test("status for people and for scripts; wait returns at once on a running hwlocal", async () => {
    const people = await cli("status");
    assert.equal(people.code, 0, people.output);
    assert.match(people.output, new RegExp(`hwlocal \\S+ at ${hw.url}: up \\d+s`));
    assert.match(people.output, /services\s+.*\becs\b.*\bvpc\b/);
    // Nothing has called a service yet: each is available, and starts on its first call.
    assert.match(people.output, /clock\s+\d{4}-\d\d-\d\dT/);
    const scripts = await cli("status", "--json");
    assert.equal(scripts.code, 0, scripts.output);
    const s = JSON.parse(scripts.output) as Row;
    assert.equal(s.status, "ok");
    assert.equal((s.services as Row).ecs, "available");
    await vpcNames();
    const later = JSON.parse((await cli("status", "--json")).output) as Row;
    assert.deepEqual([(later.services as Row).vpc, (later.services as Row).iam], ["running", "running"]);
    assert.match((await cli("status")).output, /services\s+.*\biam\*.*\bvpc\*.*\(\* started\)/);
    assert.equal(typeof s.uptime_seconds, "number");
    const wait = await cli("wait", "--timeout", "5");
    assert.equal(wait.code, 0, wait.output);
    assert.match(wait.output, /is up at/);
  });

  test("clock advance moves hwlocal's clock; reset puts it back and drops resources", async () => {
    const moved = await cli("clock", "advance", "2h", "--json");
    assert.equal(moved.code, 0, moved.output);
    assert.equal((JSON.parse(moved.output) as Row).offset_seconds, 7200);
    const shown = await cli("clock");
    assert.match(shown.output, /\d{4}-\d\d-\d\dT\S+Z\s+\(real time \+7200 s\)/);
    const bad = await cli("clock", "advance", "soon");
    assert.equal(bad.code, 1);
    assert.match(bad.output, /soon: not a duration/);

    await hw.call("POST", `/vpc/v1/${hw.projectId()}/vpcs`, { body: { vpc: { name: "gone", cidr: "10.0.0.0/16" } } });
    const reset = await cli("reset");
    assert.equal(reset.code, 0, reset.output);
    assert.ok(!(await vpcNames()).includes("gone"));
    assert.equal((await hw.call("GET", "/_hwlocal/clock", { creds: null })).json.offset_seconds, 0);
  });

  test("checkpoint save, list, restore, rm, export and import; a failed call exits 1 with the API's message", async () => {
    await hw.call("POST", `/vpc/v1/${hw.projectId()}/vpcs`, { body: { vpc: { name: "saved", cidr: "10.1.0.0/16" } } });
    const save = await cli("checkpoint", "save", "cli-base");
    assert.equal(save.code, 0, save.output);
    assert.match(save.output, /saved cli-base \(ckpt-[0-9a-f]{16}, /);
    const list = await cli("checkpoint", "list");
    assert.match(list.output, /^NAME\s+ID\s+SAVED\s+SIZE\ncli-base\s+ckpt-/);
    const listed = JSON.parse((await cli("checkpoint", "list", "--json")).output) as { checkpoints: Row[] };
    assert.deepEqual(listed.checkpoints.map((c) => c.name), ["cli-base"]);

    const file = join(mkdtempSync(join(tmpdir(), "hwlocal-cli-")), "state.tar");
    const exported = await cli("checkpoint", "export", file);
    assert.equal(exported.code, 0, exported.output);
    assert.match(exported.output, /exported to .*state\.tar \(\d/);

    await hw.call("POST", `/vpc/v1/${hw.projectId()}/vpcs`, { body: { vpc: { name: "later", cidr: "10.2.0.0/16" } } });
    const restore = await cli("checkpoint", "restore", "cli-base");
    assert.equal(restore.code, 0, restore.output);
    assert.match(restore.output, /restored cli-base/);
    assert.deepEqual((await vpcNames()).filter((n) => n === "saved" || n === "later"), ["saved"]);

    await hw.call("POST", `/vpc/v1/${hw.projectId()}/vpcs`, { body: { vpc: { name: "later", cidr: "10.2.0.0/16" } } });
    const imported = await cli("checkpoint", "import", file);
    assert.equal(imported.code, 0, imported.output);
    assert.deepEqual((await vpcNames()).filter((n) => n === "saved" || n === "later"), ["saved"]);

    const rm = await cli("checkpoint", "rm", "cli-base");
    assert.equal(rm.code, 0, rm.output);
    const missing = await cli("checkpoint", "restore", "cli-base");
    assert.equal(missing.code, 1);
    assert.match(missing.output, /404 No checkpoint has the id or name cli-base/);
    const dup = await cli("checkpoint", "save", "a/b");
    assert.equal(dup.code, 1);
    assert.match(dup.output, /400 /);
  });
});

describe("the control commands beyond loopback", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ host: "0.0.0.0" });
  });
  after(() => {
    delete process.env.HUAWEICLOUD_SDK_AK;
    delete process.env.HUAWEICLOUD_SDK_SK;
    return hw.close();
  });

  test("sign with HUAWEICLOUD_SDK_AK/SK: save, export and import work; without them the call is refused", async () => {
    const refused = await runCli(["checkpoint", "save", "x", "--endpoint", hw.url]);
    assert.equal(refused.code, 1);
    assert.match(refused.output, /403 .*set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
    process.env.HUAWEICLOUD_SDK_AK = hw.admin.ak;
    process.env.HUAWEICLOUD_SDK_SK = hw.admin.sk;
    const saved = await runCli(["checkpoint", "save", "x", "--endpoint", hw.url]);
    assert.equal(saved.code, 0, saved.output);
    const file = join(mkdtempSync(join(tmpdir(), "hwlocal-cli-")), "state.tar");
    const exported = await runCli(["checkpoint", "export", file, "--endpoint", hw.url]);
    assert.equal(exported.code, 0, exported.output);
    const imported = await runCli(["checkpoint", "import", file, "--endpoint", hw.url]);
    assert.equal(imported.code, 0, imported.output);
  });
});

describe("hwlocal start --init and --state", () => {
  test("--init runs its folder before the ready lines; a --state file that is missing stops the start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hwlocal-cli-init-"));
    writeFileSync(join(dir, "01.yaml"), "- {service: vpc, operation: CreateVpc, body: {vpc: {name: from-init, cidr: 10.0.0.0/16}}}\n");
    const hw = await startCli(["--in-memory", "--init", dir]);
    try {
      const init = (await (await fetch(`${hw.url}/_hwlocal/init`)).json()) as Row;
      assert.equal(init.status, "done");
      assert.equal(((init.files as Row[])[0]!).calls, 1);
    } finally {
      hw.child.kill("SIGTERM");
      await exited(hw.child);
    }
    const missing = await runCli(["start", "--in-memory", "--port", "0", "--state", join(dir, "nothing.tar")]);
    assert.equal(missing.code, 1);
    assert.match(missing.output, /--state .*nothing\.tar: no such file/);
  });
});

describe("hwlocal wait without a hwlocal", () => {
  test("gives up at the timeout with exit code 1", async () => {
    const port = await deadPort();
    const r = await runCli(["wait", "--timeout", "0.5", "--endpoint", `http://127.0.0.1:${port}`]);
    assert.equal(r.code, 1);
    assert.match(r.output, /not ready at http:\/\/127\.0\.0\.1:\d+ after 0\.5 s: not reachable/);
    const status = await runCli(["status", "--endpoint", `http://127.0.0.1:${port}`]);
    assert.equal(status.code, 1);
    assert.match(status.output, /not reachable/);
  });

  test("durations", () => {
    assert.equal(parseSeconds("90"), 90);
    assert.equal(parseSeconds("15m"), 900);
    assert.equal(parseSeconds("1.5h"), 5400);
    assert.equal(parseSeconds("1d"), 86400);
    assert.throws(() => parseSeconds("-1"));
  });
});
