// `npm run bench:quick`: the gateway rows of `npm run bench` only, one round, in about 40 s: cold start
// through the bin, idle RSS, signed read, token issue and validate, signed ShowServer over 100 servers
// (2 s measured after 0.5 s of warm-up per run: throughput swings more than in `npm run bench`).
// Run it before and after any change to the request path; the table's last columns are the targets.
// The BENCH_* variables of run.ts still apply (set before this file sets its defaults).
const quick: Record<string, string> = {
  BENCH_ROUNDS: "1",
  BENCH_SECONDS: "2",
  BENCH_WARMUP: "0.5",
  BENCH_COLD_RUNS: "5",
  BENCH_LIST: "0",
  BENCH_HEALTH: "0",
  BENCH_AS: "0",
  BENCH_CES: "0",
  BENCH_OBS: "0",
  BENCH_ELB: "0",
};
for (const [k, v] of Object.entries(quick)) process.env[k] ??= v;
await import("./run.ts");
