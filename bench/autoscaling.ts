// The Auto Scaling scenarios (run.ts runs them unless BENCH_AS=0), each on an hwlocal of its own (boot delay 0):
//   as-burst  100 groups, desire 10 each, resumed all at once: wall time from the last resume's answer until
//             every group shows current_instance_number 10 with no activity running (its activity ended, so
//             all 10 instances are INSERVICE; checked afterwards on every group's instance list). AS allows
//             25 groups a project: the groups are spread over the default account's region projects, each
//             with its own VPC, subnet and configuration; HWLOCAL_ECS_MAX_SERVERS=2000 gives ECS room for
//             their 1,000 servers. Fails after 120 s.
//   as-idle   the engine's cost of idle groups: 1,000 INSERVICE groups with desire 0 (nothing to do on any
//             tick). 25 groups a project do not fit in the 6 region projects (150), so IAM sub-projects
//             (cn-north-4_asbenchN, ...) are created until the groups fit; if IAM refuses, the scenario
//             measures with the groups that fit and says so. hwlocal's CPU (user + system, /proc/<pid>/stat)
//             over 20 s of real time, minus the same measure, over the same 20 s, of an hwlocal with no
//             groups: % of one core, and µs per group per engine tick (one tick a second, tickSeconds).
//             Target: 1,000 idle groups cost < 5% of one core.
import { performance } from "node:perf_hooks";
import { Api, ApiError, FLAVOR, UBUNTU_IMAGE, account, errorCodes, network } from "./api.ts";
import { cpuSeconds, rssMb, stop } from "./children.ts";
import { startHwlocal, type RunningHwlocal } from "./hwlocal.ts";

const GROUPS_PER_PROJECT = 25;
const BURST_LIMIT_MS = 120_000;
/** hwlocal's default tickSeconds (src/config.ts): the engine's ticks per second of real time. */
const TICKS_PER_SECOND = 1;
const IDLE_TARGET_PCT = 5;
const CONCURRENCY = 8;

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Runs `fn` over `items`, `n` at a time, in order of start. */
async function pool<T, R>(items: T[], n: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** A project ready for groups: its network and one configuration. */
interface Slot {
  projectId: string;
  vpcId: string;
  subnetId: string;
  configId: string;
}

const asPath = (projectId: string) => `/as/autoscaling-api/v1/${projectId}`;

async function prepare(api: Api, projectId: string): Promise<Slot> {
  const net = await network(api, projectId, { vpcCidr: "10.0.0.0/8", subnetCidr: "10.0.0.0/16", gatewayIp: "10.0.0.1" });
  const c = await api.expect(200, "POST", `${asPath(projectId)}/scaling_configuration`, {
    body: {
      scaling_configuration_name: "bench",
      instance_config: { flavorRef: FLAVOR, imageRef: UBUNTU_IMAGE, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], metadata: { admin_pass: "Passw0rd!x" } },
    },
  });
  const configId = c.json.scaling_configuration_id;
  if (typeof configId !== "string") throw new Error(`no scaling_configuration_id in ${c.body.slice(0, 200)}`);
  return { projectId, ...net, configId };
}

/** Creates a (paused) group; returns its id. */
async function createGroup(api: Api, s: Slot, name: string, desire: number): Promise<string> {
  const r = await api.expect(200, "POST", `${asPath(s.projectId)}/scaling_group`, {
    body: {
      scaling_group_name: name,
      scaling_configuration_id: s.configId,
      vpc_id: s.vpcId,
      networks: [{ id: s.subnetId }],
      min_instance_number: 0,
      max_instance_number: Math.max(desire, 10),
      desire_instance_number: desire,
    },
  });
  const id = r.json.scaling_group_id;
  if (typeof id !== "string") throw new Error(`no scaling_group_id in ${r.body.slice(0, 200)}`);
  return id;
}

const resume = (api: Api, projectId: string, groupId: string) =>
  api.expect(204, "POST", `${asPath(projectId)}/scaling_group/${groupId}/action`, { body: { action: "resume" } });

interface GroupState {
  id: string;
  current: number;
  scaling: boolean;
  status: string;
}

/** Every group of a project (pages of 100). */
async function listGroups(api: Api, projectId: string): Promise<GroupState[]> {
  const out: GroupState[] = [];
  for (let start = 0; ; start += 100) {
    const r = await api.expect(200, "GET", `${asPath(projectId)}/scaling_group?start_number=${start}&limit=100`);
    const page = (r.json.scaling_groups ?? []) as Record<string, unknown>[];
    for (const g of page) {
      out.push({ id: String(g.scaling_group_id), current: Number(g.current_instance_number), scaling: g.is_scaling === true, status: String(g.scaling_group_status) });
    }
    if (page.length < 100) return out;
  }
}

export interface AsBurst {
  groups: number;
  desire: number;
  projects: number;
  /** ms to create the networks, configurations and groups (not timed against a target) */
  setupMs?: number;
  /** ms from the first resume sent to the last one answered */
  resumeMs?: number;
  /** ms from the last resume's answer until every group is at its desire with no activity running */
  inServiceMs?: number;
  polls?: number;
  /** hwlocal's CPU seconds over that time */
  cpuS?: number;
  rssMb?: number;
  failure?: string;
  stderr?: string;
}

/** 100 groups × desire 10 on an hwlocal of its own, resumed at once, timed to all INSERVICE. */
export async function scalingBurst(opts: { groups: number; desire: number }): Promise<AsBurst> {
  const { groups, desire } = opts;
  const out: AsBurst = { groups, desire, projects: 0 };
  const hw = await startHwlocal({ args: ["--boot-delay", "0"], env: { HWLOCAL_ECS_MAX_SERVERS: "2000" } });
  const pid = hw.child.pid!;
  try {
    const acc = await account(hw.endpoint);
    const api = new Api(hw.endpoint, acc.creds);
    const projects = [...acc.projects.values()];
    if (projects.length * GROUPS_PER_PROJECT < groups) throw new Error(`${groups} groups do not fit in ${projects.length} projects × ${GROUPS_PER_PROJECT}`);
    const t0 = performance.now();
    // Spread evenly over every project (17 each for 100 over 6): each project needs at most 170 servers.
    const used = projects.slice(0, Math.min(projects.length, groups));
    out.projects = used.length;
    const slots = await pool(used, CONCURRENCY, (p) => prepare(api, p));
    const made = await pool(
      Array.from({ length: groups }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const slot = slots[i % slots.length]!;
        return { slot, id: await createGroup(api, slot, `burst-${i}`, desire) };
      },
    );
    out.setupMs = performance.now() - t0;

    const r0 = performance.now();
    await Promise.all(made.map((g) => resume(api, g.slot.projectId, g.id)));
    const start = performance.now();
    out.resumeMs = start - r0;
    const cpu0 = cpuSeconds(pid);
    const deadline = start + BURST_LIMIT_MS;
    const ids = new Set(made.map((g) => g.id));
    for (let polls = 1; ; polls++) {
      const states = (await Promise.all(slots.map((s) => listGroups(api, s.projectId)))).flat().filter((g) => ids.has(g.id));
      const done = states.filter((g) => g.current === desire && !g.scaling);
      if (states.length === groups && done.length === groups) {
        out.inServiceMs = performance.now() - start;
        out.cpuS = cpuSeconds(pid) - cpu0;
        out.polls = polls;
        break;
      }
      if (performance.now() > deadline) {
        const current = states.reduce((n, g) => n + g.current, 0);
        throw new Error(`after ${BURST_LIMIT_MS / 1000} s: ${done.length} of ${groups} groups done, ${current} of ${groups * desire} instances, ${states.filter((g) => g.scaling).length} still scaling`);
      }
      await sleep(50);
    }
    out.rssMb = rssMb(pid);
    // Not timed: every instance is INSERVICE and every activity SUCCESS.
    await pool(made, CONCURRENCY, async (g) => {
      const r = await api.expect(200, "GET", `${asPath(g.slot.projectId)}/scaling_group_instance/${g.id}/list?limit=100`);
      const list = (r.json.scaling_group_instances ?? []) as { life_cycle_state?: string }[];
      const inService = list.filter((i) => i.life_cycle_state === "INSERVICE").length;
      if (list.length !== desire || inService !== desire) throw new Error(`group ${g.id}: ${list.length} instances, ${inService} INSERVICE`);
      const a = await api.expect(200, "GET", `${asPath(g.slot.projectId)}/scaling_activity_log/${g.id}`);
      const logs = (a.json.scaling_activity_log ?? []) as { status?: string }[];
      if (logs.length !== 1 || logs[0]?.status !== "SUCCESS") throw new Error(`group ${g.id}: activities ${logs.map((l) => l.status).join(",")}`);
    });
  } catch (e) {
    out.failure = why(e);
  } finally {
    await stop(hw.child);
    const err = hw.stderr().trim();
    if (err) out.stderr = err;
  }
  return out;
}

export interface AsIdle {
  wanted: number;
  /** INSERVICE groups at desire that the measured hwlocal holds */
  groups: number;
  projects: number;
  /** why fewer than wanted */
  shortBy?: string;
  seconds: number;
  setupMs?: number;
  /** CPU seconds over the window: the hwlocal with the groups, the one without */
  cpuS?: number;
  baseCpuS?: number;
  /** (cpuS − baseCpuS) / seconds, in % of one core */
  pct?: number;
  usPerGroupTick?: number;
  rssMb?: number;
  baseRssMb?: number;
  failure?: string;
  stderr?: string;
}

/** The projects to hold `groups` groups: the region projects, then IAM sub-projects of them as needed. */
async function projectsFor(api: Api, regionProjects: Map<string, string>, groups: number): Promise<{ ids: string[]; shortBy?: string }> {
  const ids = [...regionProjects.values()];
  const regions = [...regionProjects.keys()];
  for (let k = 0; ids.length * GROUPS_PER_PROJECT < groups; k++) {
    const region = regions[k % regions.length]!;
    const r = await api.call("POST", "/iam/v3/projects", { body: { project: { name: `${region}_asbench${k}` } } });
    const id = (r.json.project as { id?: unknown } | undefined)?.id;
    if (r.status !== 201 || typeof id !== "string") {
      return { ids, shortBy: `IAM refused sub-project ${region}_asbench${k} (${r.status} ${r.body.slice(0, 160)}): ${ids.length} projects × ${GROUPS_PER_PROJECT} groups` };
    }
    ids.push(id);
  }
  return { ids };
}

/** CPU of idle groups: `groups` INSERVICE groups at desire 0 against an hwlocal with none, over `seconds`. */
export async function idleCost(opts: { groups: number; seconds: number }): Promise<AsIdle> {
  const out: AsIdle = { wanted: opts.groups, groups: 0, projects: 0, seconds: opts.seconds };
  let hw: RunningHwlocal | undefined;
  let base: RunningHwlocal | undefined;
  try {
    hw = await startHwlocal({ args: ["--boot-delay", "0"] });
    const acc = await account(hw.endpoint);
    const api = new Api(hw.endpoint, acc.creds);
    const t0 = performance.now();
    const projects = await projectsFor(api, acc.projects, opts.groups);
    if (projects.shortBy) out.shortBy = projects.shortBy;
    const slots = await pool(projects.ids, CONCURRENCY, (p) => prepare(api, p));
    out.projects = slots.length;
    const count = Math.min(opts.groups, slots.length * GROUPS_PER_PROJECT);
    await pool(
      Array.from({ length: count }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const slot = slots[i % slots.length]!;
        try {
          await resume(api, slot.projectId, await createGroup(api, slot, `idle-${i}`, 0));
          out.groups++;
        } catch (e) {
          // A quota refusal: measure with the groups that fit.
          if (!(e instanceof ApiError && errorCodes(e.reply).includes("AS.2023"))) throw e;
          out.shortBy ??= `AS.2023 (group quota) in a project after ${out.groups} groups`;
        }
      },
    );
    out.setupMs = performance.now() - t0;
    const states = (await Promise.all(slots.map((s) => listGroups(api, s.projectId)))).flat();
    const idle = states.filter((g) => g.status === "INSERVICE" && g.current === 0 && !g.scaling).length;
    if (idle !== out.groups) throw new Error(`${idle} of ${out.groups} groups are INSERVICE and idle`);

    base = await startHwlocal({ args: ["--boot-delay", "0"] });
    // Both settle (the first ticks after the requests, the baseline's start-up), then one window for both.
    await sleep(2000);
    const pid = hw.child.pid!;
    const basePid = base.child.pid!;
    const c0 = cpuSeconds(pid);
    const b0 = cpuSeconds(basePid);
    const w0 = performance.now();
    await sleep(opts.seconds * 1000);
    const elapsed = (performance.now() - w0) / 1000;
    out.cpuS = cpuSeconds(pid) - c0;
    out.baseCpuS = cpuSeconds(basePid) - b0;
    out.seconds = elapsed;
    const extra = Math.max(0, out.cpuS - out.baseCpuS);
    out.pct = (extra / elapsed) * 100;
    out.usPerGroupTick = out.groups > 0 ? (extra * 1e6) / (elapsed * TICKS_PER_SECOND * out.groups) : undefined;
    out.rssMb = rssMb(pid);
    out.baseRssMb = rssMb(basePid);
  } catch (e) {
    out.failure = why(e);
  } finally {
    await Promise.all([hw, base].map((h) => (h ? stop(h.child) : Promise.resolve())));
    const err = [hw?.stderr().trim(), base?.stderr().trim()].filter(Boolean).join("\n");
    if (err) out.stderr = err;
  }
  return out;
}

const ms = (x: number) => `${Math.round(x).toLocaleString("en-US")} ms`;
const cell = (s: string) => s.replace(/\|/g, "/").replace(/\n/g, " ");

export function asLines(b: AsBurst | undefined, i: AsIdle | undefined): string[] {
  const lines: string[] = [];
  if (b) {
    lines.push(
      b.failure
        ? `  as-burst        FAILED ${b.failure}`
        : `  as-burst        ${b.groups} groups × ${b.desire} over ${b.projects} projects: set up in ${ms(b.setupMs ?? 0)}, resumed in ${ms(b.resumeMs ?? 0)}, all INSERVICE ${ms(b.inServiceMs ?? 0)} after (${b.polls} polls, hwlocal CPU ${(b.cpuS ?? 0).toFixed(2)} s)`,
    );
  }
  if (i) {
    lines.push(
      i.failure
        ? `  as-idle         FAILED ${i.failure}`
        : `  as-idle         ${i.groups} idle groups over ${i.projects} projects (set up in ${ms(i.setupMs ?? 0)}): CPU ${(i.cpuS ?? 0).toFixed(2)} s vs ${(i.baseCpuS ?? 0).toFixed(2)} s without groups in ${i.seconds.toFixed(1)} s`,
    );
    if (i.shortBy) lines.push(`  as-idle         fewer groups than the ${i.wanted} wanted: ${i.shortBy}`);
  }
  return lines;
}

export function asTable(b: AsBurst | undefined, i: AsIdle | undefined): string {
  const rows = ["| Auto Scaling | Figure | Detail | Result |", "|---|---:|---|---|"];
  if (b) {
    const title = `${b.groups} groups 0 → ${b.desire} resumed at once (boot delay 0): last resume → all INSERVICE`;
    if (b.failure) rows.push(`| ${title} | — | ${cell(b.failure)} | FAIL |`);
    else {
      const detail = `${b.groups * b.desire} instances over ${b.projects} projects; hwlocal CPU ${(b.cpuS ?? 0).toFixed(2)} s meanwhile; RSS after ${(b.rssMb ?? 0).toFixed(0)} MB; fails after ${BURST_LIMIT_MS / 1000} s`;
      rows.push(`| ${title} | ${ms(b.inServiceMs ?? 0)} | ${detail} | — |`);
    }
  }
  if (i) {
    const title = `${i.groups.toLocaleString("en-US")} idle INSERVICE groups: engine CPU, % of one core`;
    if (i.failure) rows.push(`| ${title} | — | ${cell(i.failure)} | FAIL |`);
    else {
      const pct = i.pct ?? 0;
      const short = i.shortBy ? `; only ${i.groups} of ${i.wanted}: ${cell(i.shortBy)}` : "";
      const detail = `${(i.cpuS ?? 0).toFixed(2)} s − ${(i.baseCpuS ?? 0).toFixed(2)} s (no groups) over ${i.seconds.toFixed(1)} s; ${i.projects} projects; RSS ${(i.rssMb ?? 0).toFixed(0)} vs ${(i.baseRssMb ?? 0).toFixed(0)} MB${short}`;
      rows.push(`| ${title} | ${pct.toFixed(2)} % | ${detail} | ${pct < IDLE_TARGET_PCT && !i.shortBy ? `OK (< ${IDLE_TARGET_PCT} %)` : pct < IDLE_TARGET_PCT ? `OK for ${i.groups}` : `MISSED (< ${IDLE_TARGET_PCT} %)`} |`);
      rows.push(`| … per group per tick (${TICKS_PER_SECOND} tick/s) | ${(i.usPerGroupTick ?? 0).toFixed(1)} µs | (CPU with − without) / ticks / groups | — |`);
    }
  }
  return rows.join("\n");
}
