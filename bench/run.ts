// `npm run bench`: hwlocal against a bare node:http server, each in its own process, loaded by autocannon
// from a third process (load.ts). Measures four request kinds on both, hwlocal's cold start and idle RSS,
// and prints a markdown table against the targets. Exit 1 when a scenario errored (wrong statuses, socket
// errors, a crash); a missed target is only reported.
// Then the ECS server scenarios (servers.ts): 100 servers created in one request and waited for, a signed
// ShowServer throughput run over them (a row of the first table), and list pages of 10,000 servers on an
// hwlocal of their own (a second table). A quota refusal there is reported as BLOCKED and does not fail.
//   BENCH_SECONDS (5)      measured seconds per run        BENCH_WARMUP (1)  warm-up seconds before each
//   BENCH_CONNECTIONS (32) concurrent connections          BENCH_SIGNATURES (20000) least signed requests
//   BENCH_ROUNDS (3)       hwlocal/bare pairs per scenario, order alternating; the table shows the pair
//                          with the median ratio (one pair on 2 shared cores swings by ±15%)
//   BENCH_SERVERS (1)      0 skips the ECS server scenarios (create-and-wait, signed ShowServer, list paging)
//   BENCH_LIST (1)         0 skips only the list paging of BENCH_LIST_SERVERS servers
//   BENCH_HEALTH (1)       0 skips the GET /_hwlocal/health row (a reference, without a target)
//   BENCH_LIST_SERVERS (10000) servers for the list pages (pages of 1,000, median of 3 passes each)
//   BENCH_CPU_PROF (unset) a directory: the list-paging hwlocal runs under node --cpu-prof and writes there
//   BENCH_AS (1)           0 skips the Auto Scaling scenarios (autoscaling.ts: 100 groups scaling 0 → 10 at
//                          once, and the engine's CPU for 1,000 idle groups; a third table)
//   BENCH_AS_IDLE_GROUPS (1000) idle groups     BENCH_AS_IDLE_SECONDS (20) seconds their CPU is measured
//   BENCH_CES (1)          0 skips the Cloud Eye scenarios: signed metric-data ingest (10 points a request, a
//                          row of the first table) and, on an hwlocal of its own, the alarm evaluator's cost
//                          for 10,000 rules per round (ces.ts; a fourth table)
//   BENCH_CES_RULES (10000) alarm rules     BENCH_CES_EVAL_ROUNDS (5) clock advances of 300 s measured
//   BENCH_OBS (1)          0 skips the OBS figures (obs.ts: PUT/GET 4 KiB and 1 MiB, a BENCH_OBS_MIB (200) MiB
//                          object up and down with hwlocal's peak RSS, listing 10,000 keys; a fifth table)
//   BENCH_PEERS (1)        0 skips OBS's peers (peers.ts: s3rver and Azurite, installed on first use into
//                          node_modules/.cache/, then measured one at a time beside hwlocal's figures)
//   BENCH_STATE (1)        0 skips the state figures (checkpoints.ts: a checkpoint and a restore of a state of
//                          BENCH_STATE_SERVERS (1000) servers, BENCH_STATE_ROUNDS (5) rounds; a sixth table)
//   BENCH_ELB (1)          0 skips the ELB figures (elb.ts: ListMembers of a pool of BENCH_ELB_MEMBERS (1000)
//                          members, whole and its last page by marker; a seventh table)
import type { ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Credentials } from "../test/helpers/sign.ts";
import { cpuSeconds, forkTs, installCleanup, rssMb, startServer, stopAll } from "./children.ts";
import { adminToken, coldStartOnce, median, startHwlocal, type RunningHwlocal } from "./hwlocal.ts";
import { send } from "./http.ts";
import type { FromLoad, Job, JobResult, ToLoad } from "./protocol.ts";
import { createLine, pagingLines, runLine, serverTable, table, type Scenario } from "./report.ts";
import { createAndWait, listPaging, type CreateWait, type ListPaging } from "./servers.ts";
import { asLines, asTable, idleCost, scalingBurst, type AsBurst, type AsIdle } from "./autoscaling.ts";
import { alarmEvaluation, cesLines, cesTable, type CesEval } from "./ces.ts";
import { obsBench, obsPeers, obsTable, type ObsFigures, type ObsPeers } from "./obs.ts";
import { stateBench, stateLines, stateTable, type StateFigures } from "./checkpoints.ts";
import { elbBench, elbTable, type ElbFigures } from "./elb.ts";

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got ${raw}`);
  return n;
}

const SECONDS = envNumber("BENCH_SECONDS", 5, 1);
const WARMUP = envNumber("BENCH_WARMUP", 1, 0);
const CONNECTIONS = envNumber("BENCH_CONNECTIONS", 32, 1);
const MIN_SIGNATURES = envNumber("BENCH_SIGNATURES", 20_000, 1);
const ROUNDS = envNumber("BENCH_ROUNDS", 3, 1);
const SERVERS = process.env.BENCH_SERVERS !== "0";
const LIST_SERVERS = envNumber("BENCH_LIST_SERVERS", 10_000, 1);
const LIST = SERVERS && process.env.BENCH_LIST !== "0";
const AS = process.env.BENCH_AS !== "0";
const AS_IDLE_GROUPS = envNumber("BENCH_AS_IDLE_GROUPS", 1000, 1);
const AS_IDLE_SECONDS = envNumber("BENCH_AS_IDLE_SECONDS", 20, 1);
const CES = process.env.BENCH_CES !== "0";
const CES_RULES = envNumber("BENCH_CES_RULES", 10_000, 1);
const CES_EVAL_ROUNDS = envNumber("BENCH_CES_EVAL_ROUNDS", 5, 1);
/** Data points in each signed metric-data POST of the ingest scenario. */
const CES_POINTS = 10;
const OBS = process.env.BENCH_OBS !== "0";
const OBS_MIB = envNumber("BENCH_OBS_MIB", 200, 1);
const PEERS = process.env.BENCH_PEERS !== "0";
const STATE = process.env.BENCH_STATE !== "0";
const ELB = process.env.BENCH_ELB !== "0";
const ELB_MEMBERS = envNumber("BENCH_ELB_MEMBERS", 1000, 1);
const STATE_SERVERS = envNumber("BENCH_STATE_SERVERS", 1000, 1);
const STATE_ROUNDS = envNumber("BENCH_STATE_ROUNDS", 5, 1);
const CPU_PROF = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
/** The servers of the create-and-wait scenario, which the signed ShowServer run then reads. */
const CREATE_COUNT = 100;
const CREATE_REGION = "cn-east-3";
const COLD_RUNS = envNumber("BENCH_COLD_RUNS", 5, 1);
const BARE = fileURLToPath(new URL("./bare-server.ts", import.meta.url));
const LOAD = fileURLToPath(new URL("./load.ts", import.meta.url));

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

function runOn(load: ChildProcess, job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromLoad) => {
      done();
      if (m.type === "result") resolve(m.result);
      else reject(new Error(`load generator: ${m.message}`));
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`load generator exited (${code})`));
    };
    const done = () => {
      load.off("message", onMessage);
      load.off("exit", onExit);
    };
    load.on("message", onMessage);
    load.once("exit", onExit);
    load.send({ type: "job", job } satisfies ToLoad);
  });
}

async function main(): Promise<number> {
  installCleanup();
  console.log(
    `hwlocal benchmark: ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP} s warm-up, ${ROUNDS} round(s), node ${process.version}, ${cpus().length} CPUs`,
  );

  // Cold start first, while nothing else runs.
  const coldRuns: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) coldRuns.push(await coldStartOnce());
  const cold = { medianMs: median(coldRuns), runsMs: coldRuns };
  console.log(`  cold start: ${coldRuns.map((x) => x.toFixed(0)).join(", ")} ms → median ${cold.medianMs.toFixed(0)} ms`);

  const hw = await startHwlocal();
  await sleep(1000);
  const idleMb = rssMb(hw.child.pid!);
  console.log(`  hwlocal at ${hw.endpoint} (pid ${hw.child.pid}), idle RSS ${idleMb.toFixed(1)} MB`);
  const bare = await startServer(["--import", "tsx", BARE], /listening (\d+)/);
  const bareBase = `http://127.0.0.1:${bare.match[1]}`;

  const info = await send(`${hw.endpoint}/_hwlocal/info`);
  const key = (JSON.parse(info.body) as { access_key?: { ak?: string; sk?: string } }).access_key;
  if (info.status !== 200 || !key?.ak || !key.sk) throw new Error(`/_hwlocal/info: ${info.status} ${info.body}`);
  const token = await adminToken(hw.endpoint);

  const load = forkTs(LOAD);
  const targets: Targets = { hw, bareBase, barePid: bare.child.pid!, load, creds: { ak: key.ak, sk: key.sk }, token };
  const scenarios: BenchScenario[] = [
    ...(process.env.BENCH_HEALTH === "0" ? [] : [{ id: "health" as const, title: "GET /_hwlocal/health", expect: 200 }]),
    { id: "signed-read", title: "Signed GET /iam/v3/projects", expect: 200, minRatio: 0.4 },
    { id: "token-issue", title: "POST /iam/v3/auth/tokens", expect: 201, minRatio: 0.25 },
    { id: "token-validate", title: "GET /iam/v3/auth/tokens", expect: 200, minRatio: 0.25 },
  ];
  for (const s of scenarios) {
    await measure(s, targets);
    if (!running(hw.child)) {
      for (const rest of scenarios.slice(scenarios.indexOf(s) + 1)) rest.failure = "not run: hwlocal died";
      break;
    }
  }
  // RSS after the load of the scenarios above, before the servers below add their rows.
  const afterMb = running(hw.child) ? rssMb(hw.child.pid!) : undefined;

  let created: CreateWait | undefined;
  let paging: ListPaging | undefined;
  if (SERVERS) {
    const show: BenchScenario = {
      id: "signed-show",
      title: `Signed GET /ecs/v1/{project_id}/cloudservers/{server_id} (${CREATE_COUNT} servers)`,
      expect: 200,
      minRatio: 0.25,
    };
    scenarios.push(show);
    if (running(hw.child)) {
      created = await createAndWait(hw.endpoint, CREATE_REGION, CREATE_COUNT);
      console.log(createLine(created));
      const projectId = await projectOf(hw.endpoint, CREATE_REGION);
      if (created.serverIds.length === 0) show.failure = "not run: no servers were created";
      else {
        show.paths = created.serverIds.map((id) => `/ecs/v1/${projectId}/cloudservers/${id}`);
        await measure(show, targets);
      }
    } else show.failure = "not run: hwlocal died";
  }
  if (CES) {
    const ingest: BenchScenario = {
      id: "ces-ingest",
      title: `Signed POST /ces/V1.0/{project_id}/metric-data (${CES_POINTS} points a request)`,
      expect: 201,
      pointsPerRequest: CES_POINTS,
    };
    scenarios.push(ingest);
    if (running(hw.child)) {
      ingest.projectId = await projectOf(hw.endpoint, "cn-north-4");
      await measure(ingest, targets);
    } else ingest.failure = "not run: hwlocal died";
  }
  load.send({ type: "exit" } satisfies ToLoad);
  if (LIST) {
    paging = await listPaging({ servers: LIST_SERVERS, pageSize: 1000, passes: 3, cpuProfDir: CPU_PROF });
    for (const line of pagingLines(paging)) console.log(line);
    if (paging.stderr) console.log(`\nlist-paging hwlocal stderr:\n${paging.stderr.split("\n").slice(0, 20).join("\n")}`);
    if (CPU_PROF) console.log(`  list-paging     CPU profile of its hwlocal in ${CPU_PROF}`);
  }
  let burst: AsBurst | undefined;
  let idle: AsIdle | undefined;
  if (AS) {
    burst = await scalingBurst({ groups: 100, desire: 10 });
    for (const line of asLines(burst, undefined)) console.log(line);
    idle = await idleCost({ groups: AS_IDLE_GROUPS, seconds: AS_IDLE_SECONDS });
    for (const line of asLines(undefined, idle)) console.log(line);
    for (const [name, err] of [["as-burst", burst.stderr], ["as-idle", idle.stderr]] as const) {
      if (err) console.log(`\n${name} hwlocal stderr:\n${err.split("\n").slice(0, 20).join("\n")}`);
    }
  }

  let cesEval: CesEval | undefined;
  if (CES) {
    cesEval = await alarmEvaluation({ rules: CES_RULES, rounds: CES_EVAL_ROUNDS });
    for (const line of cesLines(cesEval)) console.log(line);
    if (cesEval.stderr) console.log(`\nces-eval hwlocal stderr:\n${cesEval.stderr.split("\n").slice(0, 20).join("\n")}`);
  }

  let obs: ObsFigures | undefined;
  let peers: ObsPeers | undefined;
  if (OBS) {
    obs = await obsBench({ seconds: Math.min(SECONDS, 3), bigMiB: OBS_MIB, listKeys: 10_000 });
    if (PEERS) peers = await obsPeers({ seconds: Math.min(SECONDS, 3), bigMiB: OBS_MIB });
    console.log(`  obs             ${obs.failure ? `FAILED ${obs.failure}` : `PUT 4 KiB ${obs.put4k.toFixed(0)}/s, GET 1 MiB ${obs.get1m.toFixed(0)}/s, ${OBS_MIB} MiB up ${obs.upMiBs.toFixed(0)} / down ${obs.downMiBs.toFixed(0)} MiB/s, peak RSS ${obs.peakRssMb.toFixed(0)} MiB`}`);
  }

  let state: StateFigures | undefined;
  if (STATE) {
    state = await stateBench({ servers: STATE_SERVERS, rounds: STATE_ROUNDS });
    for (const line of stateLines(state)) console.log(line);
    if (state.stderr) console.log(`\nstate hwlocal stderr:\n${state.stderr.split("\n").slice(0, 20).join("\n")}`);
  }

  let elb: ElbFigures | undefined;
  if (ELB) {
    elb = await elbBench({ members: ELB_MEMBERS, runs: 5 });
    console.log(`  elb             ${elb.failure ? `FAILED ${elb.failure}` : `ListMembers of ${elb.members}: ${median(elb.wholeMs).toFixed(1)} ms`}`);
  }

  const alive = running(hw.child);
  if (hw.stderr().trim()) console.log(`\nhwlocal stderr:\n${hw.stderr().trim().split("\n").slice(0, 40).join("\n")}`);
  console.log(`\n${table(scenarios, cold, { idleMb, afterMb })}\n`);
  if (SERVERS && (LIST || created)) console.log(`${serverTable(created, paging)}\n`);
  if (AS) console.log(`${asTable(burst, idle)}\n`);
  if (cesEval) console.log(`${cesTable(cesEval)}\n`);
  if (obs) console.log(`${obsTable(obs, peers, OBS_MIB)}\n`);
  if (state) console.log(`${stateTable(state)}\n`);
  if (elb) console.log(`${elbTable(elb)}\n`);
  const failed = scenarios.filter((s) => s.failure);
  const serverFailures = [created?.failure, paging?.failure, burst?.failure, idle?.failure, cesEval?.failure, obs?.failure, state?.failure].filter(Boolean).length;
  if (paging?.blocked) console.log(`bench: list-paging BLOCKED by a quota of hwlocal (not counted as a failure): ${paging.blocked}`);
  if (failed.length > 0 || serverFailures > 0 || !alive) {
    console.log(`bench: ${failed.length + serverFailures} scenario(s) failed${alive ? "" : ", hwlocal died"}`);
    return 1;
  }
  return 0;
}

type BenchScenario = Scenario & { expect: number; paths?: string[]; projectId?: string };

interface Targets {
  hw: RunningHwlocal;
  bareBase: string;
  barePid: number;
  load: ChildProcess;
  creds: Credentials;
  token: string;
}

async function projectOf(base: string, region: string): Promise<string> {
  const info = await send(`${base}/_hwlocal/info`);
  const r = (JSON.parse(info.body) as { regions?: { id: string; project_id: string }[] }).regions?.find((x) => x.id === region);
  if (!r) throw new Error(`/_hwlocal/info has no project in ${region}`);
  return r.project_id;
}

/** ROUNDS hwlocal/bare pairs of one scenario, order alternating; the scenario keeps the pair with the median ratio. */
async function measure(s: BenchScenario, t: Targets): Promise<void> {
  const { hw, load } = t;
  const pairs: { hwlocal?: JobResult; bare?: JobResult }[] = [];
  for (let round = 0; round < ROUNDS && !s.failure; round++) {
    const pair: { hwlocal?: JobResult; bare?: JobResult } = {};
    const targets = [
      ["hwlocal", hw.endpoint, s.expect, hw.child.pid!],
      ["bare", t.bareBase, 200, t.barePid],
    ] as const;
    for (const [name, base, expectStatus, pid] of round % 2 === 0 ? targets : [...targets].reverse()) {
      const job: Job = {
        scenario: s.id,
        base,
        seconds: WARMUP,
        connections: CONNECTIONS,
        expectStatus,
        creds: t.creds,
        token: t.token,
        signatures: MIN_SIGNATURES,
        ...(s.paths ? { signedPaths: s.paths } : {}),
        ...(s.projectId ? { projectId: s.projectId, pointsPerRequest: s.pointsPerRequest } : {}),
        nonce: `${s.id}-${name}-warm-${round}`,
      };
      try {
        let rate = 0;
        if (WARMUP > 0) {
          const warm = await runOn(load, job);
          if (warm.problem) throw new Error(`warm-up: ${warm.problem}`);
          rate = warm.rps;
        }
        // hwlocal: enough signatures, from the warm-up's rate, that no connection has to reuse one. The bare
        // server verifies nothing: it gets as many distinct signed requests as hwlocal got, cycled.
        const signatures = pair.hwlocal?.signatures ?? pairs[0]?.hwlocal?.signatures ?? Math.max(MIN_SIGNATURES, Math.ceil(rate * SECONDS * 2));
        const cpu0 = cpuSeconds(pid);
        const r = await runOn(load, { ...job, seconds: SECONDS, signatures, nonce: `${s.id}-${name}-${round}` });
        // CPU per request is steadier than throughput when the load generator shares the two cores.
        r.serverUs = r.completed > 0 ? ((cpuSeconds(pid) - cpu0) * 1e6) / r.completed : undefined;
        console.log(runLine(s.id, name, r));
        pair[name] = r;
        if (r.problem) throw new Error(r.problem);
      } catch (err) {
        const why = `${name}: ${err instanceof Error ? err.message : String(err)}`;
        s.failure = s.failure ? `${s.failure}; ${why}` : why;
        console.log(`  ${s.id.padEnd(15)} ${name.padEnd(8)} FAILED ${why}`);
      }
      if (!running(hw.child)) {
        s.failure = `hwlocal exited (${hw.child.exitCode ?? hw.child.signalCode}) during this scenario`;
        break;
      }
    }
    pairs.push(pair);
    if (!running(hw.child)) break;
  }
  const ratio = (p: { hwlocal?: JobResult; bare?: JobResult }) => (p.hwlocal && p.bare && p.bare.rps > 0 ? p.hwlocal.rps / p.bare.rps : 0);
  const sorted = [...pairs].sort((a, b) => ratio(a) - ratio(b));
  const mid = sorted[Math.floor((sorted.length - 1) / 2)];
  s.hwlocal = mid?.hwlocal;
  s.bare = mid?.bare;
  s.ratios = pairs.map(ratio);
}

main().then(
  async (code) => {
    await stopAll();
    process.exit(code);
  },
  async (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await stopAll();
    process.exit(1);
  },
);
