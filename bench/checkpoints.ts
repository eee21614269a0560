// The state scenarios (BENCH_STATE): a hwlocal of its own, with a data folder, holding BENCH_STATE_SERVERS
// (1,000) ACTIVE servers (batches of 500, each job waited for; their ports, disks and jobs with them), then
// BENCH_STATE_ROUNDS rounds of POST /_hwlocal/state/checkpoints and .../restore, each timed on the wire.
// Target (issue 11): a checkpoint and a restore each under 100 ms. The restore is checked to bring back the
// state: a VPC created after the checkpoint is gone after it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Api, account, createServers, network, waitJob } from "./api.ts";
import { rssMb, stop } from "./children.ts";
import { median, startHwlocal } from "./hwlocal.ts";

const BATCH = 500;
const JOB_LIMIT_MS = 60_000;
const TARGET_MS = 100;

export interface StateFigures {
  servers: number;
  rounds: number;
  createMs?: number;
  saveMs: number[];
  restoreMs: number[];
  /** the checkpoint's size as hwlocal reports it */
  bytes?: number;
  rssMb?: number;
  failure?: string;
  stderr?: string;
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function stateBench(opts: { servers: number; rounds: number }): Promise<StateFigures> {
  const out: StateFigures = { servers: opts.servers, rounds: opts.rounds, saveMs: [], restoreMs: [] };
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-bench-state-"));
  const hw = await startHwlocal({
    inMemory: false,
    args: ["--data-dir", dataDir, "--boot-delay", "0"],
    env: { HWLOCAL_ECS_MAX_SERVERS: String(Math.max(100, opts.servers)) },
  });
  try {
    const acc = await account(hw.endpoint);
    const projectId = acc.projects.values().next().value;
    if (!projectId) throw new Error("the account has no project");
    const api = new Api(hw.endpoint, acc.creds);
    const net = await network(api, projectId, { vpcCidr: "10.0.0.0/8", subnetCidr: "10.0.0.0/16", gatewayIp: "10.0.0.1" });
    const t0 = performance.now();
    for (let made = 0; made < opts.servers; made += BATCH) {
      const count = Math.min(BATCH, opts.servers - made);
      const t = performance.now();
      const job = await createServers(api, projectId, { name: `s${made}`, count, ...net });
      await waitJob(api, projectId, job.jobId, t, t + JOB_LIMIT_MS, 20);
    }
    out.createMs = performance.now() - t0;

    for (let round = 0; round < opts.rounds; round++) {
      let t = performance.now();
      const saved = await api.expect(201, "POST", "/_hwlocal/state/checkpoints", { body: { name: `round-${round}` } });
      out.saveMs.push(performance.now() - t);
      out.bytes = Number(saved.json.size);
      const vpc = await api.expect(200, "POST", `/vpc/v1/${projectId}/vpcs`, { body: { vpc: { name: "after", cidr: "192.168.0.0/16" } } });
      const vpcId = String((vpc.json.vpc as { id: string }).id);
      t = performance.now();
      await api.expect(200, "POST", `/_hwlocal/state/checkpoints/${String(saved.json.id)}/restore`);
      out.restoreMs.push(performance.now() - t);
      const gone = await api.call("GET", `/vpc/v1/${projectId}/vpcs/${vpcId}`);
      if (gone.status !== 404) throw new Error(`after the restore the VPC made after the checkpoint answers ${gone.status}, not 404`);
      const list = await api.expect(200, "GET", `/ecs/v1/${projectId}/cloudservers/detail?limit=1`);
      if (list.json.count !== opts.servers) throw new Error(`after the restore the project lists ${String(list.json.count)} servers`);
    }
    out.rssMb = rssMb(hw.child.pid!);
  } catch (e) {
    out.failure = why(e);
  } finally {
    await stop(hw.child);
    const err = hw.stderr().trim();
    if (err) out.stderr = err;
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
const cell = (s: string) => s.replace(/\|/g, "/").replace(/\n/g, " ");
const verdict = (xs: number[]) => (xs.length > 0 && median(xs) < TARGET_MS ? "PASS" : "FAIL");

export function stateLines(s: StateFigures): string[] {
  if (s.failure) return [`  state           FAILED ${s.failure}`];
  return [
    `  state           ${s.servers} servers (made in ${((s.createMs ?? 0) / 1000).toFixed(1)} s), checkpoint ${((s.bytes ?? 0) / (1 << 20)).toFixed(1)} MiB: ` +
      `save ${list(s.saveMs)} ms, restore ${list(s.restoreMs)} ms`,
  ];
}

export function stateTable(s: StateFigures): string {
  const rows = ["| State | Median | Detail | Target |", "|---|---:|---|---|"];
  if (s.failure && s.saveMs.length === 0) {
    rows.push(`| Checkpoint of ${s.servers} servers | — | ${cell(s.failure)} | FAIL |`);
    return rows.join("\n");
  }
  const size = `${((s.bytes ?? 0) / (1 << 20)).toFixed(1)} MiB database; RSS ${(s.rssMb ?? 0).toFixed(0)} MB`;
  rows.push(`| Checkpoint (POST /_hwlocal/state/checkpoints) of ${s.servers} servers | ${ms(median(s.saveMs))} | runs ${list(s.saveMs)} ms; ${size} | < ${TARGET_MS} ms ${verdict(s.saveMs)} |`);
  rows.push(`| Restore of that checkpoint | ${ms(median(s.restoreMs))} | runs ${list(s.restoreMs)} ms${s.failure ? `; ${cell(s.failure)}` : ""} | < ${TARGET_MS} ms ${verdict(s.restoreMs)} |`);
  return rows.join("\n");
}
