// `hwlocal faults add|list|rm`: fault rules of a running hwlocal (POST/GET/DELETE /_hwlocal/faults).
//   add  [--service S] [--operation O] [--region R] [--project P] [--resource ID] [--probability 0.5]
//        [--times N] [--seed S] and one effect: --error STATUS --code CODE [--message M] | --latency MS |
//        --drop | --job --code CODE [--message M] [--job-type T]
//   list             the rules with their hits
//   rm ID… | --all   removes rules
import { control, table } from "./control-client.ts";

export interface FaultAddFlags {
  service?: string;
  operation?: string;
  region?: string;
  project?: string;
  resource?: string;
  probability?: string;
  times?: string;
  seed?: string;
  error?: string;
  code?: string;
  message?: string;
  latency?: string;
  drop?: boolean;
  job?: boolean;
  jobType?: string;
  json?: boolean;
}

interface FaultView {
  id: string;
  service: string | null;
  operation: string | null;
  region: string | null;
  project: string | null;
  resource: string | null;
  probability: number | null;
  times: number | null;
  remaining: number | null;
  effect: { type: string; status?: number; error_code?: string; error_msg?: string; ms?: number; job_type?: string };
  hits: number;
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new Error(`--${name} must be a number, not ${v}`);
  return n;
}

function effectOf(f: FaultAddFlags): Record<string, unknown> {
  const chosen = [f.error !== undefined, f.latency !== undefined, f.drop === true, f.job === true].filter(Boolean).length;
  if (chosen !== 1) throw new Error("give exactly one effect: --error STATUS, --latency MS, --drop or --job");
  const message = f.message ?? "Fault injected by hwlocal.";
  if (f.latency !== undefined) return { type: "latency", ms: num("latency", f.latency) };
  if (f.drop) return { type: "drop" };
  if (f.code === undefined) throw new Error(`--${f.job ? "job" : "error"} needs --code (the error_code to answer)`);
  if (f.job) return { type: "job", error_code: f.code, error_msg: message, ...(f.jobType ? { job_type: f.jobType } : {}) };
  return { type: "error", status: num("error", f.error), error_code: f.code, error_msg: message };
}

export function ruleBody(f: FaultAddFlags): Record<string, unknown> {
  const body: Record<string, unknown> = {
    service: f.service,
    operation: f.operation,
    region: f.region,
    project: f.project,
    resource: f.resource,
    probability: num("probability", f.probability),
    times: num("times", f.times),
    seed: f.seed,
    effect: effectOf(f),
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

function describeEffect(e: FaultView["effect"]): string {
  switch (e.type) {
    case "error":
      return `error ${e.status} ${e.error_code}`;
    case "latency":
      return `latency ${e.ms}ms`;
    case "job":
      return `job${e.job_type ? ` ${e.job_type}` : ""} fails ${e.error_code}`;
    default:
      return e.type;
  }
}

function describeMatch(r: FaultView): string {
  const parts = [
    r.service && `service=${r.service}`,
    r.operation && `operation=${r.operation}`,
    r.region && `region=${r.region}`,
    r.project && `project=${r.project}`,
    r.resource && `resource=${r.resource}`,
    r.probability !== null && `p=${r.probability}`,
  ].filter((x): x is string => typeof x === "string" && x !== "");
  return parts.length ? parts.join(" ") : "any request";
}

const row = (r: FaultView) => [r.id, describeMatch(r), describeEffect(r.effect), String(r.hits), r.remaining === null ? "-" : String(r.remaining)];

export async function faultsAdd(endpoint: string, f: FaultAddFlags, out: (s: string) => void): Promise<void> {
  const r = (await control(endpoint, "POST", "/faults", ruleBody(f))) as { fault: FaultView };
  out(f.json ? `${JSON.stringify(r.fault, null, 2)}\n` : `added ${r.fault.id}: ${describeMatch(r.fault)} → ${describeEffect(r.fault.effect)}\n`);
}

export async function faultsList(endpoint: string, json: boolean, out: (s: string) => void): Promise<void> {
  const r = (await control(endpoint, "GET", "/faults")) as { faults: FaultView[] };
  if (json) out(`${JSON.stringify(r.faults, null, 2)}\n`);
  else if (r.faults.length === 0) out("no fault rules\n");
  else out(`${table([["ID", "MATCH", "EFFECT", "HITS", "LEFT"], ...r.faults.map(row)])}\n`);
}

export async function faultsRemove(endpoint: string, ids: string[], all: boolean, json: boolean, out: (s: string) => void): Promise<void> {
  if (all === (ids.length > 0)) throw new Error("give the ids of the rules to remove, or --all");
  if (all) await control(endpoint, "DELETE", "/faults");
  for (const id of ids) await control(endpoint, "DELETE", `/faults/${encodeURIComponent(id)}`);
  const removed = all ? "all" : ids;
  out(json ? `${JSON.stringify({ removed })}\n` : `removed ${all ? "every rule" : ids.join(", ")}\n`);
}
