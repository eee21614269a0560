// The Cloud Eye alarm evaluator's cost (run.ts runs it unless BENCH_CES=0), on an hwlocal of its own:
//   ces-eval  10,000 enabled rules (period 300, average, count 1, actions off), each on its own series of a
//             custom metric (BENCH.EVAL cpu, instance_id r-<i>); half of them breach. CES allows 1,000 rules
//             a project (ALARM_QUOTA): the rules are spread over the default account's region projects and
//             IAM sub-projects (cn-north-4_cesbenchN, ...) created until they fit. Each round pushes one point
//             per rule into the current period (not measured), then POST /_hwlocal/clock/advance 300 s, which
//             crosses one period boundary and answers once the tickers (the evaluator among them) ran: its
//             wall time and hwlocal's CPU (/proc/<pid>/stat) across it. The same rounds on an hwlocal with no
//             rules and no points give the baseline (the other tickers, the request itself); per round and
//             per rule = median of (with − without). The first round moves every rule out of
//             insufficient_data (history rows); later rounds keep the state (alarm rules repeat, hooks only).
import { performance } from "node:perf_hooks";
import { Api, account } from "./api.ts";
import { cpuSeconds, rssMb, stop } from "./children.ts";
import { median, startHwlocal, type RunningHwlocal } from "./hwlocal.ts";
import { send } from "./http.ts";

/** src/services/ces/model.ts ALARM_QUOTA: rules a project. */
const RULES_PER_PROJECT = 1000;
const PERIOD = 300;
const CONCURRENCY = 8;
/** Points in each metric-data POST that feeds the rules. */
const PUSH_BATCH = 500;

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function pool<T, R>(items: T[], n: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

const cesPath = (projectId: string) => `/ces/V1.0/${projectId}`;

async function clockNow(base: string): Promise<number> {
  const r = await send(`${base}/_hwlocal/clock`);
  const now = Date.parse((JSON.parse(r.body) as { now?: string }).now ?? "");
  if (r.status !== 200 || !Number.isFinite(now)) throw new Error(`GET /_hwlocal/clock: ${r.status} ${r.body.slice(0, 200)}`);
  return now;
}

/** One round: the clock advanced by PERIOD s; wall ms and hwlocal CPU ms across the request. */
async function advance(hw: RunningHwlocal): Promise<{ ms: number; cpuMs: number }> {
  const pid = hw.child.pid!;
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  const r = await send(`${hw.endpoint}/_hwlocal/clock/advance`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ seconds: PERIOD }),
    timeoutMs: 120_000,
  });
  const ms = performance.now() - t0;
  const cpuMs = (cpuSeconds(pid) - c0) * 1000;
  if (r.status !== 200) throw new Error(`clock advance answered ${r.status}: ${r.body.slice(0, 300)}`);
  return { ms, cpuMs };
}

interface Rule {
  projectId: string;
  index: number;
}

/** One point per rule, 1 s into the period after hwlocal's now, half of them above the threshold. */
async function feed(api: Api, rules: Rule[], now: number, round: number): Promise<void> {
  const byProject = new Map<string, Rule[]>();
  for (const r of rules) byProject.set(r.projectId, [...(byProject.get(r.projectId) ?? []), r]);
  const batches: { projectId: string; rules: Rule[] }[] = [];
  for (const [projectId, list] of byProject) {
    for (let i = 0; i < list.length; i += PUSH_BATCH) batches.push({ projectId, rules: list.slice(i, i + PUSH_BATCH) });
  }
  await pool(batches, CONCURRENCY, (b) =>
    api.expect(201, "POST", `${cesPath(b.projectId)}/metric-data`, {
      body: b.rules.map((r) => ({
        metric: { namespace: "BENCH.EVAL", metric_name: "cpu", dimensions: [{ name: "instance_id", value: `r-${r.index}` }] },
        ttl: 604800,
        collect_time: now + 1000,
        value: r.index % 2 === 0 ? 90 + (round % 5) : 10 + (r.index % 50),
        unit: "%",
      })),
    }),
  );
}

export interface CesEval {
  wanted: number;
  rules: number;
  projects: number;
  rounds: number;
  setupMs?: number;
  /** per round, with rules and without */
  ms: number[];
  cpuMs: number[];
  baseMs: number[];
  baseCpuMs: number[];
  /** median(with − without) per round */
  roundMs?: number;
  roundCpuMs?: number;
  usPerRule?: number;
  /** rule states after the rounds */
  states?: Record<string, number>;
  rssMb?: number;
  baseRssMb?: number;
  failure?: string;
  stderr?: string;
}

export async function alarmEvaluation(opts: { rules: number; rounds: number }): Promise<CesEval> {
  const out: CesEval = { wanted: opts.rules, rules: 0, projects: 0, rounds: opts.rounds, ms: [], cpuMs: [], baseMs: [], baseCpuMs: [] };
  let hw: RunningHwlocal | undefined;
  let base: RunningHwlocal | undefined;
  try {
    hw = await startHwlocal();
    const acc = await account(hw.endpoint);
    const api = new Api(hw.endpoint, acc.creds);
    const t0 = performance.now();
    const ids = [...acc.projects.values()];
    const regions = [...acc.projects.keys()];
    for (let k = 0; ids.length * RULES_PER_PROJECT < opts.rules; k++) {
      const region = regions[k % regions.length]!;
      const r = await api.expect(201, "POST", "/iam/v3/projects", { body: { project: { name: `${region}_cesbench${k}` } } });
      const id = (r.json.project as { id?: unknown } | undefined)?.id;
      if (typeof id !== "string") throw new Error(`no project.id in ${r.body.slice(0, 200)}`);
      ids.push(id);
    }
    const rules: Rule[] = Array.from({ length: opts.rules }, (_, index) => ({ projectId: ids[Math.floor(index / RULES_PER_PROJECT)]!, index }));
    out.projects = new Set(rules.map((r) => r.projectId)).size;
    await pool(rules, CONCURRENCY, async (r) => {
      await api.expect(201, "POST", `${cesPath(r.projectId)}/alarms`, {
        body: {
          alarm_name: `eval-${r.index}`,
          metric: { namespace: "BENCH.EVAL", metric_name: "cpu", dimensions: [{ name: "instance_id", value: `r-${r.index}` }] },
          condition: { period: PERIOD, filter: "average", comparison_operator: ">", value: 80, unit: "%", count: 1 },
          alarm_action_enabled: false,
        },
      });
      out.rules++;
    });
    out.setupMs = performance.now() - t0;

    base = await startHwlocal();
    for (let round = 0; round < opts.rounds; round++) {
      await feed(api, rules, await clockNow(hw.endpoint), round);
      const w = await advance(hw);
      const b = await advance(base);
      out.ms.push(w.ms);
      out.cpuMs.push(w.cpuMs);
      out.baseMs.push(b.ms);
      out.baseCpuMs.push(b.cpuMs);
    }
    out.roundMs = median(out.ms.map((x, i) => x - out.baseMs[i]!));
    out.roundCpuMs = median(out.cpuMs.map((x, i) => x - out.baseCpuMs[i]!));
    out.usPerRule = (Math.max(0, out.roundCpuMs) * 1000) / out.rules;
    out.rssMb = rssMb(hw.child.pid!);
    out.baseRssMb = rssMb(base.child.pid!);

    // Not timed: every rule was evaluated (none left in insufficient_data, half in alarm).
    const states: Record<string, number> = {};
    await pool([...new Set(rules.map((r) => r.projectId))], CONCURRENCY, async (p) => {
      // `start` is a marker: the id of the last rule of the previous page.
      for (let marker = ""; ; ) {
        const r = await api.expect(200, "GET", `${cesPath(p)}/alarms?limit=100${marker ? `&start=${marker}` : ""}`);
        const page = (r.json.metric_alarms ?? []) as { alarm_id?: string; alarm_state?: string }[];
        for (const a of page) states[a.alarm_state ?? "?"] = (states[a.alarm_state ?? "?"] ?? 0) + 1;
        marker = page.length === 100 ? (page[page.length - 1]?.alarm_id ?? "") : "";
        if (!marker) break;
      }
    });
    out.states = states;
    const alarm = states.alarm ?? 0;
    const ok = states.ok ?? 0;
    if (alarm !== Math.ceil(out.rules / 2) || ok !== Math.floor(out.rules / 2)) {
      throw new Error(`after ${opts.rounds} rounds the rules are ${JSON.stringify(states)} (expected ${Math.ceil(out.rules / 2)} alarm, ${Math.floor(out.rules / 2)} ok)`);
    }
  } catch (e) {
    out.failure = why(e);
  } finally {
    await Promise.all([hw, base].map((h) => (h ? stop(h.child) : Promise.resolve())));
    const err = [hw?.stderr().trim(), base?.stderr().trim()].filter(Boolean).join("\n");
    if (err) out.stderr = err;
  }
  return out;
}

const int = (x: number) => Math.round(x).toLocaleString("en-US");
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : int(x)} ms`;
const list = (xs: number[]) => xs.map((x) => int(x)).join(", ");
const cell = (s: string) => s.replace(/\|/g, "/").replace(/\n/g, " ");

export function cesLines(c: CesEval): string[] {
  const lines: string[] = [];
  if (c.ms.length > 0) {
    lines.push(`  ces-eval        ${int(c.rules)} rules over ${c.projects} projects (set up in ${ms(c.setupMs ?? 0)}); ${c.ms.length} advances of ${PERIOD} s:`);
    lines.push(`  ces-eval          with rules    ${list(c.ms)} ms, CPU ${list(c.cpuMs)} ms`);
    lines.push(`  ces-eval          without rules ${list(c.baseMs)} ms, CPU ${list(c.baseCpuMs)} ms`);
  }
  if (c.states) lines.push(`  ces-eval        rule states after: ${JSON.stringify(c.states)}`);
  if (c.failure) lines.push(`  ces-eval        FAILED ${c.failure}`);
  return lines;
}

export function cesTable(c: CesEval): string {
  const rows = ["| Cloud Eye | Figure | Detail | Result |", "|---|---:|---|---|"];
  const title = `Alarm evaluation of ${int(c.rules)} rules per round (period ${PERIOD} s, one boundary per clock advance)`;
  if (c.failure && c.roundMs === undefined) {
    rows.push(`| ${title} | — | ${cell(c.failure)} | FAIL |`);
    return rows.join("\n");
  }
  const detail = `median over ${c.ms.length} advances of (with − without rules); advance ${list(c.ms)} vs ${list(c.baseMs)} ms; ${c.projects} projects; RSS ${(c.rssMb ?? 0).toFixed(0)} vs ${(c.baseRssMb ?? 0).toFixed(0)} MB`;
  const result = c.failure ? `FAIL (${cell(c.failure)})` : "—";
  rows.push(`| ${title}: wall time | ${ms(c.roundMs ?? 0)} | ${detail} | ${result} |`);
  rows.push(`| … hwlocal CPU per round | ${ms(c.roundCpuMs ?? 0)} | CPU ${list(c.cpuMs)} vs ${list(c.baseCpuMs)} ms; first round: every rule leaves insufficient_data | — |`);
  rows.push(`| … per rule | ${(c.usPerRule ?? 0).toFixed(1)} µs | CPU per round / ${int(c.rules)} rules | — |`);
  return rows.join("\n");
}
