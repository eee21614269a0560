// `hwlocal faults add|list|rm` and `hwlocal journal [--follow] [filters] [--json]` as processes against a
// running hwlocal: readable tables, --json for scripts, exit 1 with the API's message on bad input.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { exited, runCli } from "./helpers/cli-process.ts";

const CLI = new URL("./helpers/cli.ts", import.meta.url).pathname;

describe("hwlocal journal and hwlocal faults", () => {
  let hw: TestHwlocal;
  let ep: string[];
  const listVpcs = () => hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs`);

  before(async () => {
    hw = await startTestHwlocal();
    ep = ["--endpoint", hw.url];
  });
  after(() => hw.close());

  test("faults add, list and rm; the rule shows in the journal's table", async () => {
    const added = await runCli(["faults", "add", "--service", "vpc", "--operation", "ListVpcs", "--error", "429", "--code", "APIGW.0308", "--message", "Throttled.", "--times", "1", ...ep]);
    assert.equal(added.code, 0, added.output);
    const id = /^added ([0-9a-f]{32}): service=vpc operation=ListVpcs → error 429 APIGW\.0308$/m.exec(added.output)?.[1];
    assert.ok(id, added.output);
    const r = await listVpcs();
    assert.equal(r.status, 429);
    assert.equal(r.json.error_msg, "Throttled.");

    const listed = await runCli(["faults", "list", ...ep]);
    assert.equal(listed.code, 0, listed.output);
    assert.match(listed.output, /^ID\s+MATCH\s+EFFECT\s+HITS\s+LEFT$/m);
    assert.match(listed.output, new RegExp(`^${id}\\s+service=vpc operation=ListVpcs\\s+error 429 APIGW\\.0308\\s+1\\s+0$`, "m"));

    const table = await runCli(["journal", "--service", "vpc", ...ep]);
    assert.equal(table.code, 0, table.output);
    assert.match(table.output, /^TIME\s+STATUS\s+OPERATION\s+LATENCY\s+CALLER\s+PATH$/m);
    assert.match(table.output, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+429\\s+vpc:ListVpcs \\[fault ${id.slice(0, 8)}\\]\\s+[\\d.]+ms\\s+${hw.seed.user.name} \\(${hw.admin.ak}\\)\\s+GET /vpc/v1/`, "m"));

    const json = await runCli(["journal", "--json", "--limit", "1", "--status", "4xx", ...ep]);
    assert.equal(json.code, 0, json.output);
    const entries = JSON.parse(json.output) as { status: number; fault: string }[];
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.fault, id);

    const removed = await runCli(["faults", "rm", id, ...ep]);
    assert.equal(removed.code, 0, removed.output);
    assert.match(removed.output, new RegExp(`removed ${id}`));
    const empty = await runCli(["faults", "list", "--json", ...ep]);
    assert.deepEqual(JSON.parse(empty.output), []);

    const job = await runCli(["faults", "add", "--service", "evs", "--job", "--job-type", "extendVolume", "--code", "EVS.2024", "--message", "No capacity.", "--probability", "0.5", "--json", ...ep]);
    assert.equal(job.code, 0, job.output);
    const rule = JSON.parse(job.output) as { service: string; probability: number; effect: unknown };
    assert.deepEqual(rule.effect, { type: "job", job_type: "extendVolume", error_code: "EVS.2024", error_msg: "No capacity." });
    assert.equal(rule.probability, 0.5);
    const all = await runCli(["faults", "rm", "--all", ...ep]);
    assert.equal(all.code, 0, all.output);
    assert.deepEqual((await hw.call("GET", "/_hwlocal/faults", { creds: null })).json.faults, []);
  });

  test("bad input exits 1 with a message", async () => {
    const noEffect = await runCli(["faults", "add", "--service", "vpc", ...ep]);
    assert.equal(noEffect.code, 1);
    assert.match(noEffect.output, /exactly one effect/);
    const badP = await runCli(["faults", "add", "--drop", "--probability", "2", ...ep]);
    assert.equal(badP.code, 1);
    assert.match(badP.output, /400 .*probability/);
    const missing = await runCli(["faults", "rm", "0123", ...ep]);
    assert.equal(missing.code, 1);
    assert.match(missing.output, /404 No fault rule has the id 0123/);
    const badStatus = await runCli(["journal", "--status", "teapot", ...ep]);
    assert.equal(badStatus.code, 1);
    assert.match(badStatus.output, /400/);
  });

  test("journal --follow prints requests as they are answered", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "journal", "--follow", "--service", "vpc", ...ep], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const seen = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (re.test(out)) resolve();
        };
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          check();
        });
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.once("exit", () => reject(new Error(`journal --follow exited: ${out}`)));
        check();
      });
    await seen(/^TIME\s+STATUS/m);
    await hw.call("GET", "/iam/v3/projects");
    assert.equal((await listVpcs()).status, 200);
    await seen(/^\S+\s+200\s+vpc:ListVpcs\s/m);
    assert.doesNotMatch(out, /iam:/, "filtered by service");
    child.kill("SIGTERM");
    await exited(child);
  });
});
