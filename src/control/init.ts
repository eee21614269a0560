// `hwlocal start --init DIR`: once hwlocal listens, and only on a fresh state (the one this start seeded;
// not a data folder that already held a state, nor a --state file), the files of DIR run in name order:
//   *.json, *.yaml, *.yml   API calls (init-calls.ts), run through hwlocal's own operation dispatch (the
//                           services' routing tables, no HTTP) as the seed's admin, in the region's project
//   executable files        scripts, run with HWLOCAL_ENDPOINT, HWLOCAL_REGION and the SDKs' variables
//                           (HUAWEICLOUD_SDK_AK/SK/PROJECT_ID/DOMAIN_ID/IAM_ENDPOINT) in their environment
//   anything else           skipped (a README beside them)
// The first file that fails stops the run; the files after it are "not run". GET /_hwlocal/init reports.
// OBS answers only over HTTP (it streams): create buckets and objects from a script.
import { accessSync, constants, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ApiError } from "../kernel/api-error.ts";
import { lazyChildProcess } from "../kernel/builtins.ts";
import type { IdentityProvider, Principal } from "../kernel/identity.ts";
import type { Ids } from "../kernel/ids.ts";
import type { Clock } from "../kernel/clock.ts";
import type { HandlerContext, OperationResult, Scope, SeedAccount } from "../kernel/service.ts";
import type { BoundService } from "../gateway/bind.ts";
import { parseCalls, resolveRefs, type InitCall, type RefScope } from "./init-calls.ts";

export interface InitFile {
  file: string;
  kind: "calls" | "script" | "other";
  status: "ok" | "failed" | "not run" | "skipped";
  /** Calls made (calls files). */
  calls?: number;
  /** Exit code (scripts). */
  exit_code?: number;
  error?: string;
  /** The end of a script's output. */
  output?: string;
  duration_ms?: number;
}

export interface InitReport {
  /** none: no --init; skipped: the state was not fresh; running, done, failed. */
  status: "none" | "skipped" | "running" | "done" | "failed";
  dir?: string;
  reason?: string;
  files: InitFile[];
}

export interface InitOptions {
  dir: string;
  services: BoundService[];
  identity: IdentityProvider;
  seed: SeedAccount;
  endpoint: string;
  ids: Ids;
  clock: Clock;
  /** Filled in place as the run goes, so GET /_hwlocal/init shows progress. */
  report: InitReport;
}

const OUTPUT_TAIL = 4000;
const SCRIPT_TIMEOUT_MS = 10 * 60 * 1000;

function kindOf(path: string): InitFile["kind"] {
  if (/\.(json|ya?ml)$/i.test(path)) return "calls";
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile() ? "script" : "other";
  } catch {
    return "other";
  }
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Runs DIR's files; never throws (failures are in the report). */
export async function runInit(o: InitOptions): Promise<InitReport> {
  const r = o.report;
  r.status = "running";
  r.dir = o.dir;
  let names: string[];
  try {
    names = readdirSync(o.dir).filter((n) => !n.startsWith(".")).sort();
  } catch (err) {
    r.status = "failed";
    r.reason = `cannot read ${o.dir}: ${message(err)}`;
    return r;
  }
  r.files = names.map((file) => ({ file, kind: kindOf(join(o.dir, file)), status: "not run" }));
  const named = new Map<string, unknown>();
  for (const f of r.files) {
    if (f.kind === "other") {
      f.status = "skipped";
      continue;
    }
    const t0 = performance.now();
    try {
      if (f.kind === "calls") await runCallsFile(o, f, named);
      else await runScript(o, f);
      f.status = "ok";
    } catch (err) {
      f.status = "failed";
      f.error ??= message(err);
    }
    f.duration_ms = Math.round(performance.now() - t0);
    if (f.status === "failed") {
      r.status = "failed";
      r.reason = `${f.file}: ${f.error}`;
      return r;
    }
  }
  r.status = "done";
  return r;
}

async function runCallsFile(o: InitOptions, f: InitFile, named: Map<string, unknown>): Promise<void> {
  const path = join(o.dir, f.file);
  const calls = await parseCalls(readFileSync(path, "utf8"), /\.ya?ml$/i.test(f.file));
  const results: unknown[] = [];
  f.calls = 0;
  for (const [i, call] of calls.entries()) {
    let answer: unknown;
    try {
      answer = await dispatch(o, call, { results, named, vars: {} });
    } catch (err) {
      throw new Error(`call ${i} (${call.service} ${call.operation}): ${message(err)}`);
    }
    results.push(answer);
    if (call.as) named.set(call.as, answer);
    f.calls++;
  }
}

function adminPrincipal(o: InitOptions): Principal {
  const record = o.identity.accessKey(o.seed.accessKey.ak);
  if (!record) throw new Error("the seed's access key is unknown (was it deleted?)");
  return record.principal;
}

/** One call through the service's routing table, as the gateway would run it after authentication. */
async function dispatch(o: InitOptions, call: InitCall, refs: RefScope): Promise<unknown> {
  const service = o.services.find((s) => s.name === call.service && s.served && !s.internal);
  if (!service) throw new Error(`hwlocal serves no service ${call.service}`);
  // One name may serve two API versions (VPC's CreateVpc on /v1 and /v3): `version` picks, else the oldest.
  const meta = service.implemented
    .filter((m) => m.name === call.operation && (call.version === undefined || m.path.startsWith(`/${call.version}/`)))
    .sort((a, b) => a.path.localeCompare(b.path))[0];
  if (!meta) {
    const hint = service.stream ? " (it answers over HTTP only: use a script)" : "";
    throw new Error(`${call.service} has no operation ${call.operation}${call.version ? ` in API ${call.version}` : ""}${hint}`);
  }
  const regionId = call.region ?? o.seed.regions[0]?.id;
  const region = o.seed.regions.find((x) => x.id === regionId);
  if (!region) throw new Error(`the seed has no project in ${regionId}`);
  const vars = { project_id: region.projectId, region: region.id, domain_id: o.seed.domain.id };
  const scoped: RefScope = { ...refs, vars };
  const given = (resolveRefs(call.path ?? {}, scoped) ?? {}) as Record<string, unknown>;
  const params: Record<string, string> = { ...vars, ...Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)])) };
  const path = meta.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`path parameter ${name} missing (give it in path:)`);
    return encodeURIComponent(v);
  });
  const match = service.router.match(meta.method, path);
  if (match.kind !== "found" || !match.value.invoke) throw new Error(`${meta.method} ${path} does not reach ${call.operation}`);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries((resolveRefs(call.query ?? {}, scoped) ?? {}) as Record<string, unknown>)) {
    query[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(resolveRefs(call.body, scoped)));
  const principal = adminPrincipal(o);
  const scope: Scope = service.global && !meta.path.includes("{project_id}")
    ? { principal, domainId: principal.domainId }
    : { principal, domainId: principal.domainId, projectId: region.projectId, region: region.id };
  const ctx: HandlerContext<unknown, unknown> = {
    scope,
    svc: undefined,
    input: undefined,
    clock: o.clock,
    ids: o.ids,
    request: { endpoint: o.endpoint, serviceBase: `${o.endpoint}/${service.name}`, region: region.id, requestId: o.ids.requestId() },
  };
  let result: OperationResult;
  try {
    result = await match.value.invoke(ctx, {
      path: match.params,
      query,
      headers: { "content-type": "application/json", "x-project-id": scope.projectId },
      body,
    });
  } catch (err) {
    if (err instanceof ApiError) throw new Error(`${err.status} ${err.code}: ${err.message}`);
    throw err;
  }
  if (result.json !== undefined) return JSON.parse(result.json) as unknown;
  return result.body ?? {};
}

async function runScript(o: InitOptions, f: InitFile): Promise<void> {
  const region = o.seed.regions[0];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HWLOCAL_ENDPOINT: o.endpoint,
    HWLOCAL_REGION: region?.id ?? "",
    HUAWEICLOUD_SDK_AK: o.seed.accessKey.ak,
    HUAWEICLOUD_SDK_SK: o.seed.accessKey.sk,
    HUAWEICLOUD_SDK_PROJECT_ID: region?.projectId ?? "",
    HUAWEICLOUD_SDK_DOMAIN_ID: o.seed.domain.id,
    HUAWEICLOUD_SDK_IAM_ENDPOINT: `${o.endpoint}/iam`,
  };
  let out = "";
  const code = await new Promise<number>((resolve, reject) => {
    const child = lazyChildProcess().spawn(join(o.dir, f.file), [], { cwd: o.dir, env, stdio: ["ignore", "pipe", "pipe"], timeout: SCRIPT_TIMEOUT_MS });
    const keep = (c: Buffer) => (out = (out + c.toString()).slice(-OUTPUT_TAIL));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  f.exit_code = code;
  f.output = out;
  if (code !== 0) {
    f.error = `exited with ${code}`;
    throw new Error(f.error);
  }
}
