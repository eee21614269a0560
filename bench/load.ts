// The load generator: a separate process (forked by run.ts) that receives one Job at a time over IPC,
// checks one request by hand (preflight), then drives autocannon against the target and returns the
// figures. Signed reads (signed-read; signed-show, over the paths the job lists) carry their own signature
// each: every connection cycles through its own slice of freshly signed requests (X-Sdk-Date spread over
// ±5 min, a distinct signed X-Bench-Nonce header). ces-ingest: signed POSTs of Cloud Eye metric data, each
// its own signature over its own body (a JSON array of pointsPerRequest points, collect_time within the last
// minute, a distinct value and instance_id dimension per point).
import { performance } from "node:perf_hooks";
import autocannon, { type AutocannonOptions, type AutocannonResult } from "autocannon";
import { signRequest } from "../test/helpers/sign.ts";
import { send } from "./http.ts";
import type { FromLoad, Job, JobResult, ToLoad } from "./protocol.ts";

const TOKEN_BODY = JSON.stringify({
  auth: {
    identity: { methods: ["password"], password: { user: { name: "admin", password: "Hwlocal@2026", domain: { name: "hwlocal" } } } },
    scope: { project: { name: "cn-north-4" } },
  },
});
const SIGNED_PATH = "/iam/v3/projects?name=cn-north-4";

interface BenchRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The same request on every connection, or a slice of distinct signed ones per connection. */
type Plan = { kind: "fixed"; request: BenchRequest } | { kind: "signed"; requests: BenchRequest[] };

function signed(job: Job, i: number, now: number): BenchRequest {
  const paths = job.signedPaths?.length ? job.signedPaths : [SIGNED_PATH];
  const url = new URL(`${job.base}${paths[i % paths.length]!}`);
  const headers = signRequest({
    method: "GET",
    url,
    headers: { "Content-Type": "application/json", "X-Bench-Nonce": `${job.nonce}-${i}` },
    body: undefined,
    creds: job.creds,
    date: new Date(now + ((i % 600) - 300) * 1000),
  });
  return { method: "GET", path: `${url.pathname}${url.search}`, headers };
}

/** A signed POST /ces/V1.0/{project_id}/metric-data of `n` distinct points. */
function ingest(job: Job, i: number, now: number): BenchRequest {
  const n = job.pointsPerRequest ?? 10;
  const url = new URL(`${job.base}/ces/V1.0/${job.projectId ?? "none"}/metric-data`);
  const points = Array.from({ length: n }, (_, k) => ({
    metric: { namespace: "BENCH.INGEST", metric_name: `m${k}`, dimensions: [{ name: "instance_id", value: `${job.nonce}-${i % 1000}` }] },
    ttl: 3600,
    collect_time: now - ((i * n + k) % 60_000),
    value: i * n + k,
    unit: "Count",
  }));
  const body = JSON.stringify(points);
  const headers = signRequest({
    method: "POST",
    url,
    headers: { "Content-Type": "application/json", "X-Bench-Nonce": `${job.nonce}-${i}` },
    body: Buffer.from(body),
    creds: job.creds,
    date: new Date(now + ((i % 600) - 300) * 1000),
  });
  return { method: "POST", path: url.pathname, headers, body };
}

function plan(job: Job): Plan {
  switch (job.scenario) {
    case "health":
      return { kind: "fixed", request: { method: "GET", path: "/_hwlocal/health", headers: {} } };
    case "token-issue":
      return {
        kind: "fixed",
        request: { method: "POST", path: "/iam/v3/auth/tokens", headers: { "Content-Type": "application/json" }, body: TOKEN_BODY },
      };
    case "token-validate":
      return {
        kind: "fixed",
        request: { method: "GET", path: "/iam/v3/auth/tokens", headers: { "X-Auth-Token": job.token, "X-Subject-Token": job.token } },
      };
    case "signed-read":
    case "signed-show": {
      const now = Date.now();
      // One more than asked for: the preflight's own.
      return { kind: "signed", requests: Array.from({ length: job.signatures + 1 }, (_, i) => signed(job, i, now)) };
    }
    case "ces-ingest": {
      const now = Date.now();
      return { kind: "signed", requests: Array.from({ length: job.signatures + 1 }, (_, i) => ingest(job, i, now)) };
    }
  }
}

/** Gives connection k its own contiguous slice of the signed requests, so no two connections share one. */
function slicer(requests: BenchRequest[], connections: number): AutocannonOptions["setupClient"] {
  const per = Math.max(1, Math.floor(requests.length / connections));
  let next = 0;
  return (client) => {
    const k = next++ % connections;
    client.setRequests(requests.slice(k * per, (k + 1) * per));
  };
}

function runAutocannon(opts: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function runJob(job: Job): Promise<JobResult> {
  const t0 = performance.now();
  const p = plan(job);
  const signMs = p.kind === "signed" ? performance.now() - t0 : undefined;

  // preflight: one request by hand, so that a wrong answer is reported with its body
  const first = p.kind === "signed" ? p.requests.pop()! : p.request;
  const pre = await send(`${job.base}${first.path}`, { method: first.method, headers: first.headers, body: first.body });
  const empty = { rps: 0, p50: 0, p99: 0, completed: 0, sent: 0, statusCounts: {}, errors: 0, timeouts: 0 };
  if (pre.status !== job.expectStatus) {
    return { ...empty, problem: `preflight answered ${pre.status} (expected ${job.expectStatus}): ${pre.body.slice(0, 300)}` };
  }

  const common = { connections: job.connections, duration: job.seconds, timeout: 10 };
  const { method, path, headers, body } = first;
  const r = await runAutocannon(
    p.kind === "signed"
      ? { ...common, url: job.base, setupClient: slicer(p.requests, job.connections) }
      : { ...common, url: `${job.base}${path}`, method, headers, body },
  );

  const statusCounts: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) statusCounts[code] = count;
  const completed = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  const wrong = Object.entries(statusCounts).filter(([code]) => Number(code) !== job.expectStatus);
  const problems: string[] = [];
  if (completed === 0) problems.push("no response at all");
  if (wrong.length > 0) problems.push(`unexpected statuses ${wrong.map(([c, n]) => `${c}×${n}`).join(", ")}`);
  if (r.errors > 0) problems.push(`${r.errors} connection errors`);
  if (r.timeouts > 0) problems.push(`${r.timeouts} timeouts`);
  return {
    rps: completed / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    completed,
    sent: r.requests.sent,
    statusCounts,
    errors: r.errors,
    timeouts: r.timeouts,
    ...(p.kind === "signed" ? { signatures: p.requests.length, signMs } : {}),
    ...(problems.length > 0 ? { problem: problems.join("; ") } : {}),
  };
}

function reply(msg: FromLoad): void {
  process.send?.(msg);
}

process.on("message", (msg: ToLoad) => {
  if (msg.type === "exit") {
    process.disconnect?.();
    return;
  }
  runJob(msg.job).then(
    (result) => reply({ type: "result", result }),
    (err: unknown) => reply({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
process.on("disconnect", () => process.exit(0));
