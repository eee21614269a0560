// The scaling engine survives a SIGKILL: a group resumed with desire 3 on an hwlocal whose servers boot for
// 60 s of its clock is killed while its activity is DOING (instances PENDING, servers BUILD), restarted on
// the same data folder, and once the clock passes the boot the activity ends SUCCESS with 3 INSERVICE
// instances on ACTIVE servers, and no server launched twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRequest } from "./helpers/sign.ts";
import { UBUNTU } from "./helpers/as.ts";

const CLI = new URL("./helpers/cli.ts", import.meta.url).pathname;
const ADMIN = { ak: "HWLOCALDEFAULTAK0001", sk: "hwlocalDefaultSecretKeyDoNotUseInCloud01" };

type Row = Record<string, unknown>;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

async function startCli(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "start", "--port", "0", "--data-dir", dataDir, "--boot-delay", "60"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hwlocal did not start: ${out}`)), 10_000);
    child.stdout!.on("data", () => {
      const m = /endpoint\s+(http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hwlocal exited with ${code}: ${out}`));
    });
  });
  return { child, url };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

async function signed(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Row; text: string }> {
  const url = new URL(`${base}${path}`);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = signRequest({ method, url, headers: { "Content-Type": "application/json" }, body: data, creds: ADMIN });
  const res = await fetch(url, { method, headers, body: data, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  let json: Row = {};
  if (text) json = JSON.parse(text) as Row;
  return { status: res.status, json, text };
}

test("a scaling activity running when hwlocal is SIGKILLed finishes after the restart, nothing launched twice", { timeout: 30_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-as-restart-"));
  let second: { child: ChildProcess; url: string } | undefined;
  const first = await startCli(dataDir);
  try {
    const info = (await (await fetch(`${first.url}/_hwlocal/info`)).json()) as { regions: { id: string; project_id: string }[] };
    const p = info.regions.find((r) => r.id === "cn-north-4")!.project_id;
    const as = `/as/autoscaling-api/v1/${p}`;

    const vpc = await signed(first.url, "POST", `/vpc/v1/${p}/vpcs`, { vpc: { name: "as-r", cidr: "10.9.0.0/16" } });
    assert.equal(vpc.status, 200, vpc.text);
    const vpcId = (vpc.json.vpc as { id: string }).id;
    const subnet = await signed(first.url, "POST", `/vpc/v1/${p}/subnets`, { subnet: { name: "as-r", cidr: "10.9.1.0/24", gateway_ip: "10.9.1.1", vpc_id: vpcId } });
    assert.equal(subnet.status, 200, subnet.text);
    const subnetId = (subnet.json.subnet as { id: string }).id;
    const config = await signed(first.url, "POST", `${as}/scaling_configuration`, {
      scaling_configuration_name: "as-r",
      instance_config: { flavorRef: "s6.small.1", imageRef: UBUNTU, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], metadata: { admin_pass: "Passw0rd!x" } },
    });
    assert.equal(config.status, 200, config.text);
    const group = await signed(first.url, "POST", `${as}/scaling_group`, {
      scaling_group_name: "as-r",
      scaling_configuration_id: config.json.scaling_configuration_id,
      vpc_id: vpcId,
      networks: [{ id: subnetId }],
      min_instance_number: 0,
      max_instance_number: 5,
      desire_instance_number: 3,
    });
    assert.equal(group.status, 200, group.text);
    const groupId = String(group.json.scaling_group_id);
    const resumed = await signed(first.url, "POST", `${as}/scaling_group/${groupId}/action`, { action: "resume" });
    assert.equal(resumed.status, 204, resumed.text);

    const activities = async (base: string): Promise<Row[]> => {
      const r = await signed(base, "GET", `${as}/scaling_activity_log/${groupId}`);
      assert.equal(r.status, 200, r.text);
      return r.json.scaling_activity_log as Row[];
    };
    const instances = async (base: string): Promise<Row[]> => {
      const r = await signed(base, "GET", `${as}/scaling_group_instance/${groupId}/list`);
      assert.equal(r.status, 200, r.text);
      return r.json.scaling_group_instances as Row[];
    };

    // The engine ticks once a second of real time: wait (bounded) for it to start the activity.
    let logs: Row[] = [];
    for (let i = 0; i < 50 && logs.length === 0; i++) {
      logs = await activities(first.url);
      if (logs.length === 0) await sleep(100);
    }
    assert.equal(logs.length, 1, "the engine started one activity within 5 s");
    assert.equal(logs[0]?.status, "DOING");
    const pending = await instances(first.url);
    assert.equal(pending.length, 3);
    for (const i of pending) assert.equal(i.life_cycle_state, "PENDING");
    const before = await signed(first.url, "GET", `/ecs/v1/${p}/cloudservers/detail`);
    assert.equal(before.json.count, 3, before.text);
    for (const s of before.json.servers as Row[]) assert.equal(s.status, "BUILD");

    const killed = exited(first.child);
    first.child.kill("SIGKILL");
    assert.equal((await killed).signal, "SIGKILL");

    second = await startCli(dataDir);
    const url = second.url;
    const advanced = await fetch(`${url}/_hwlocal/clock/advance`, { method: "POST", body: JSON.stringify({ seconds: 60 }) });
    assert.equal(advanced.status, 200);
    // The advance runs the tickers; should AS's run before ECS's, the next real tick (1 s) ends the activity.
    for (let i = 0; i < 30; i++) {
      logs = await activities(url);
      if (logs[0]?.status !== "DOING") break;
      await sleep(100);
    }
    assert.equal(logs.length, 1, "one activity, not a second one launching again");
    assert.equal(logs[0]?.status, "SUCCESS", JSON.stringify(logs[0]));
    assert.deepEqual([logs[0]?.desire_value, logs[0]?.instance_value], [3, 3]);

    const up = await instances(url);
    assert.equal(up.length, 3);
    const list = await signed(url, "GET", `/ecs/v1/${p}/cloudservers/detail`);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.count, 3, "exactly 3 servers: none launched twice");
    const servers = list.json.servers as Row[];
    assert.equal(servers.length, 3);
    assert.deepEqual(servers.map((s) => s.id).sort(), up.map((i) => i.instance_id).sort(), "the instances are the listed servers");
    for (const i of up) assert.deepEqual([i.life_cycle_state, i.health_status], ["INSERVICE", "NORMAL"]);
    for (const s of servers) assert.equal(s.status, "ACTIVE");
    const g = await signed(url, "GET", `${as}/scaling_group/${groupId}`);
    const sg = g.json.scaling_group as Row;
    assert.deepEqual([sg.current_instance_number, sg.is_scaling, sg.scaling_group_status], [3, false, "INSERVICE"]);
  } finally {
    first.child.kill("SIGKILL");
    await exited(first.child);
    if (second) {
      const stopped = exited(second.child);
      second.child.kill("SIGTERM");
      const timer = setTimeout(() => second?.child.kill("SIGKILL"), 3000);
      await stopped;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
