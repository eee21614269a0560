// The benchmark's output: one line per measured run as it finishes, and the final markdown table with
// each figure against its target (PASS / MISS; FAIL when the scenario's responses were wrong); then the
// ECS server timings (create-and-wait, list pages) as a second table.
import type { JobResult, ScenarioId } from "./protocol.ts";
import type { CreateWait, ListPaging } from "./servers.ts";

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** hwlocal's throughput must be at least this share of the bare server's. */
  minRatio?: number;
  hwlocal?: JobResult;
  bare?: JobResult;
  /** Why the scenario failed (errors, wrong statuses), if it did. */
  failure?: string;
  /** Data points each request carries (ces-ingest): the req/s cells show points/s too. */
  pointsPerRequest?: number;
  /** hwlocal/bare of every round; hwlocal and bare above are the round with the median ratio. */
  ratios?: number[];
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${n < 10 ? n.toFixed(1).replace(/\.0$/, "") : int(n)} ms`;
const pct = (n: number) => `${Math.round(n * 100)}%`;

export function runLine(scenario: string, target: string, r: JobResult): string {
  const codes = Object.entries(r.statusCounts)
    .map(([c, n]) => `${c}×${n}`)
    .join(" ");
  const signed = r.signatures !== undefined ? `  ${int(r.signatures)} signatures in ${int(r.signMs ?? 0)} ms` : "";
  const reuse =
    r.signatures !== undefined && r.sent > r.signatures ? ` (${int(r.sent)} sent: ${target === "bare" ? "cycled, unverified" : "REUSED"})` : "";
  const problem = r.problem ? `  PROBLEM: ${r.problem}` : "";
  const cpu = r.serverUs !== undefined ? `  ${r.serverUs.toFixed(1)} µs server CPU/req` : "";
  return `  ${scenario.padEnd(15)} ${target.padEnd(8)} ${int(r.rps).padStart(7)} req/s  p50 ${ms(r.p50).padStart(6)}  p99 ${ms(r.p99).padStart(6)}${cpu}  [${codes}]${signed}${reuse}${problem}`;
}

export function table(scenarios: Scenario[], cold: { medianMs: number; runsMs: number[] }, rss: { idleMb: number; afterMb?: number }): string {
  const rows: string[] = [
    "| Measure | hwlocal req/s | p50 | p99 | bare req/s | p50 | p99 | hwlocal / bare (median; all rounds) | server CPU/req, bare / hwlocal | Target | Result |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
  ];
  for (const s of scenarios) {
    const h = s.hwlocal;
    const b = s.bare;
    const ratio = h && b && b.rps > 0 ? h.rps / b.rps : undefined;
    const target = s.minRatio !== undefined ? `≥ ${pct(s.minRatio)} of bare` : "—";
    let result = "—";
    if (s.failure) result = `FAIL (${s.failure})`;
    else if (s.minRatio !== undefined && ratio !== undefined) result = ratio >= s.minRatio ? "PASS" : "MISS";
    const points = (r: JobResult) => (s.pointsPerRequest ? ` (${int(r.rps * s.pointsPerRequest)} points/s)` : "");
    const cells = (r: JobResult | undefined) => (r ? [`${int(r.rps)}${points(r)}`, ms(r.p50), ms(r.p99)] : ["—", "—", "—"]);
    const cpu =
      h?.serverUs !== undefined && b?.serverUs !== undefined
        ? `${b.serverUs.toFixed(1)} / ${h.serverUs.toFixed(1)} µs = ${pct(b.serverUs / h.serverUs)}`
        : "—";
    const all = s.ratios && s.ratios.length > 1 ? ` (${s.ratios.map(pct).join(", ")})` : "";
    rows.push(`| ${s.title} | ${[...cells(h), ...cells(b)].join(" | ")} | ${ratio !== undefined ? pct(ratio) : "—"}${all} | ${cpu} | ${target} | ${result} |`);
  }
  const coldRuns = cold.runsMs.map((x) => int(x)).join(", ");
  rows.push(`| Cold start, median of ${cold.runsMs.length} (${coldRuns} ms) | ${ms(cold.medianMs)} | | | | | | | | < 300 ms | ${cold.medianMs < 300 ? "PASS" : "MISS"} |`);
  const after = rss.afterMb !== undefined ? ` (${rss.afterMb.toFixed(1)} MB after the load)` : "";
  rows.push(`| Idle RSS${after} | ${rss.idleMb.toFixed(1)} MB | | | | | | | | < 80 MB | ${rss.idleMb < 80 ? "PASS" : "MISS"} |`);
  return rows.join("\n");
}

/** The ECS server scenarios' lines as they finish (create-and-wait, list-paging). */
export function createLine(c: CreateWait): string {
  if (c.failure) return `  create-wait     FAILED ${c.failure}`;
  return `  create-wait     ${c.count} servers: request answered in ${ms(c.postMs ?? 0)}, job SUCCESS at ${ms(c.jobMs ?? 0)} (${c.polls} polls), all ACTIVE in a list at ${ms(c.activeMs ?? 0)}`;
}

export function pagingLines(p: ListPaging): string[] {
  const lines: string[] = [];
  if (p.batchMs.length > 0) {
    const b = p.batchMs;
    lines.push(
      `  list-paging     created ${int(p.created)} servers in ${b.length} requests${p.createMs !== undefined ? ` in ${ms(p.createMs)}` : ""}; request+job per batch: ${b.map((x) => int(x)).join(", ")} ms`,
    );
  }
  for (const g of p.pages) {
    lines.push(`  list-paging     page ${String(g.page).padStart(2)}: ${ms(g.ms).padStart(6)} (${g.runsMs.map((x) => int(x)).join(", ")} ms), hwlocal CPU ${ms(g.cpuMs)}, ${(g.bytes / 1e6).toFixed(2)} MB`);
  }
  if (p.rssMb !== undefined) lines.push(`  list-paging     hwlocal RSS ${p.rssMb.toFixed(1)} MB holding ${int(p.created)} servers`);
  if (p.blocked) lines.push(`  list-paging     BLOCKED ${p.blocked}`);
  if (p.failure) lines.push(`  list-paging     FAILED ${p.failure}`);
  return lines;
}

/** Time growing with the page number beyond this ratio (page N / page 1) is reported as growth. */
const GROWTH = 1.5;

/** The second table: the server scenarios that are timings of one flow rather than throughput. */
export function serverTable(c: CreateWait | undefined, p: ListPaging | undefined): string {
  const rows = ["| ECS servers | Time | Detail | Result |", "|---|---:|---|---|"];
  if (c) {
    const title = `Create ${int(c.count)} servers (one request, boot delay 0) → job SUCCESS`;
    if (c.failure) rows.push(`| ${title} | — | ${c.failure} | FAIL |`);
    else {
      rows.push(`| ${title} | ${ms(c.jobMs ?? 0)} | request answered in ${ms(c.postMs ?? 0)}; ${c.polls} job poll(s), 10 ms apart | — |`);
      rows.push(`| … → a list shows all ${int(c.count)} ACTIVE | ${ms(c.activeMs ?? 0)} | listed once the job ended | — |`);
    }
  }
  if (p) {
    const title = `ListServersDetails of ${int(p.servers)} servers, limit ${int(p.pageSize)}`;
    const b = p.batchMs;
    if (b.length > 0) {
      const growth = b.length > 1 ? `; first → last batch ${int(b[0]!)} → ${int(b[b.length - 1]!)} ms (×${(b[b.length - 1]! / b[0]!).toFixed(1)})` : "";
      const done = p.createMs !== undefined ? ms(p.createMs) : "—";
      rows.push(`| Create ${int(p.created)} servers for it, ${b.length} requests of ≤ ${int(p.batchSize)} (own hwlocal) | ${done} | request → job SUCCESS per batch${growth} | ${p.createMs !== undefined ? "—" : "stopped"} |`);
    }
    if (p.blocked) rows.push(`| ${title} | — | ${p.blocked.replace(/\|/g, "/").replace(/\n/g, " ")} | BLOCKED |`);
    else if (p.failure) rows.push(`| ${title} | — | ${p.failure.replace(/\|/g, "/").replace(/\n/g, " ")} | FAIL |`);
    else {
      const last = p.pages[p.pages.length - 1];
      const shown = p.pages.filter((g) => g.page === 1 || g.page === Math.ceil(p.pages.length / 2) || g === last);
      for (const g of shown) {
        rows.push(`| ${title}, page ${g.page} (median of ${p.passes}) | ${ms(g.ms)} | hwlocal CPU ${ms(g.cpuMs)}; ${(g.bytes / 1e6).toFixed(2)} MB; runs ${g.runsMs.map((x) => int(x)).join(", ")} ms | — |`);
      }
      const first = p.pages[0];
      if (first && last && last !== first) {
        const ratio = last.ms / first.ms;
        const grows = ratio > GROWTH;
        rows.push(`| … page ${last.page} / page 1 | ×${ratio.toFixed(2)} | ${grows ? "time grows with the page number" : `no growth with the page number (≤ ×${GROWTH})`}; CPU ×${(last.cpuMs / Math.max(first.cpuMs, 1)).toFixed(2)} | ${grows ? "GROWS" : "—"} |`);
      }
    }
  }
  return rows.join("\n");
}
