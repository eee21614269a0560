// Nothing acknowledged is lost: a hwlocal process is killed with SIGKILL right after N acknowledged writes,
// restarted on the same data folder, and every one of them is there. Also: the CLI starts, prints its
// endpoint and credentials, keeps the clock offset across restarts, and stops cleanly on SIGTERM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signRequest } from "./helpers/sign.ts";

const CLI = new URL("./helpers/cli.ts", import.meta.url).pathname;
const ADMIN = { ak: "HWLOCALDEFAULTAK0001", sk: "hwlocalDefaultSecretKeyDoNotUseInCloud01" };

async function startCli(dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string; stdout: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "start", "--port", "0", "--data-dir", dataDir, ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hwlocal did not start: ${out}`)), 20_000);
    const check = () => {
      const m = /endpoint\s+(http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => reject(new Error(`hwlocal exited with ${code}: ${out}`)));
  });
  return { child, url, stdout: () => out };
}

async function signed(base: string, method: string, path: string, body?: unknown) {
  const url = new URL(`${base}${path}`);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = signRequest({ method, url, headers: { "Content-Type": "application/json" }, body: data, creds: ADMIN });
  const res = await fetch(url, { method, headers, body: data });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

test("a SIGKILLed hwlocal restarts with every acknowledged write", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-restart-"));
  const first = await startCli(dataDir);
  assert.match(first.stdout(), /access key\s+HWLOCALDEFAULTAK0001/);
  const N = 60;
  const acked: string[] = [];
  const tokens: string[] = [];
  // Writes of several kinds, each counted only once the client has its answer.
  await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const r = await signed(first.url, "POST", "/iam/v3/groups", { group: { name: `g${i}` } });
      assert.equal(r.status, 201);
      acked.push(`g${i}`);
    }),
  );
  const token = await fetch(`${first.url}/iam/v3/auth/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      auth: { identity: { methods: ["password"], password: { user: { name: "admin", password: "Hwlocal@2026", domain: { name: "hwlocal" } } } } },
    }),
  });
  assert.equal(token.status, 201);
  tokens.push(token.headers.get("x-subject-token")!);
  const advanced = await fetch(`${first.url}/_hwlocal/clock/advance`, { method: "POST", body: JSON.stringify({ seconds: 7200 }) });
  const offsetBefore = ((await advanced.json()) as { offset_seconds: number }).offset_seconds;
  const killed = exited(first.child);
  first.child.kill("SIGKILL");
  assert.equal((await killed).signal, "SIGKILL");

  const second = await startCli(dataDir);
  try {
    const groups = await signed(second.url, "GET", "/iam/v3/groups");
    const names = new Set((groups.json.groups as { name: string }[]).map((g) => g.name));
    assert.deepEqual(acked.filter((n) => !names.has(n)), [], "every acknowledged group survived");
    assert.equal(acked.length, N);
    const v = await fetch(`${second.url}/iam/v3/auth/domains`, { headers: { "X-Auth-Token": tokens[0]! } });
    assert.equal(v.status, 200, "the token survived the restart");
    const clock = (await (await fetch(`${second.url}/_hwlocal/clock`)).json()) as { offset_seconds: number };
    assert.equal(clock.offset_seconds, offsetBefore, "the clock offset survived");
  } finally {
    const stopped = exited(second.child);
    second.child.kill("SIGTERM");
    const { code } = await stopped;
    assert.equal(code, 0, "SIGTERM stops hwlocal cleanly");
    assert.match(second.stdout(), /SIGTERM, stopping/);
  }
});

test("a server booting when hwlocal is SIGKILLed finishes booting after the restart", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-restart-job-"));
  const first = await startCli(dataDir, ["--boot-delay", "60"]);
  const info = (await (await fetch(`${first.url}/_hwlocal/info`)).json()) as { regions: { id: string; project_id: string }[] };
  const p = info.regions.find((r) => r.id === "cn-north-4")!.project_id;
  const vpc = await signed(first.url, "POST", `/vpc/v1/${p}/vpcs`, { vpc: { name: "r", cidr: "10.8.0.0/16" } });
  const vpcId = (vpc.json.vpc as { id: string }).id;
  const subnet = await signed(first.url, "POST", `/vpc/v1/${p}/subnets`, {
    subnet: { name: "r", cidr: "10.8.1.0/24", gateway_ip: "10.8.1.1", vpc_id: vpcId },
  });
  const created = await signed(first.url, "POST", `/ecs/v1/${p}/cloudservers`, {
    server: {
      name: "survivor",
      imageRef: "24e55760-5493-4b66-b471-ddaa29f3f89f",
      flavorRef: "s6.small.1",
      vpcid: vpcId,
      nics: [{ subnet_id: (subnet.json.subnet as { id: string }).id }],
      root_volume: { volumetype: "SSD" },
    },
  });
  assert.equal(created.status, 200);
  const jobId = String(created.json.job_id);
  const serverId = (created.json.serverIds as string[])[0]!;
  // Let the job take its first step (ports, disk) before the kill: it is then RUNNING, waiting to boot.
  for (let i = 0; i < 50; i++) {
    if ((await signed(first.url, "GET", `/ecs/v1/${p}/jobs/${jobId}`)).json.status === "RUNNING") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal((await signed(first.url, "GET", `/ecs/v1/${p}/jobs/${jobId}`)).json.status, "RUNNING");
  const killed = exited(first.child);
  first.child.kill("SIGKILL");
  await killed;

  const second = await startCli(dataDir, ["--boot-delay", "60"]);
  try {
    const before = await signed(second.url, "GET", `/ecs/v1/${p}/cloudservers/${serverId}`);
    assert.equal((before.json.server as { status: string }).status, "BUILD");
    await fetch(`${second.url}/_hwlocal/clock/advance`, { method: "POST", body: JSON.stringify({ seconds: 60 }) });
    assert.equal((await signed(second.url, "GET", `/ecs/v1/${p}/jobs/${jobId}`)).json.status, "SUCCESS");
    const after = await signed(second.url, "GET", `/ecs/v1/${p}/cloudservers/${serverId}`);
    const server = after.json.server as { status: string; addresses: Record<string, { addr: string }[]> };
    assert.equal(server.status, "ACTIVE");
    assert.match(server.addresses[vpcId]![0]!.addr, /^10\.8\.1\.\d+$/);
  } finally {
    const stopped = exited(second.child);
    second.child.kill("SIGTERM");
    await stopped;
  }
});
