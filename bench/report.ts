// The benchmark's output: one line per measured run as it finishes, and the final markdown table with
// each figure against its target (PASS / MISS; FAIL when the scenario's responses were wrong).
import type { JobResult, ScenarioId } from "./protocol.ts";

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** hwlocal's throughput must be at least this share of the bare server's. */
  minRatio?: number;
  hwlocal?: JobResult;
  bare?: JobResult;
  /** Why the scenario failed (errors, wrong statuses), if it did. */
  failure?: string;
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
    const cells = (r: JobResult | undefined) => (r ? [int(r.rps), ms(r.p50), ms(r.p99)] : ["—", "—", "—"]);
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
