// Signed JSON requests from the orchestrator to a running hwlocal (each one signed as the SDKs sign, over a
// fresh connection), and the few API steps the server scenarios build on: the account's projects, a VPC with
// a subnet, a create-servers request, a job polled until it ends.
import { performance } from "node:perf_hooks";
import { signRequest, type Credentials } from "../test/helpers/sign.ts";
import { send } from "./http.ts";

export const UBUNTU_IMAGE = "24e55760-5493-4b66-b471-ddaa29f3f89f";
export const FLAVOR = "s6.small.1";

export interface ApiReply {
  status: number;
  body: string;
  json: Record<string, unknown>;
}

/** The default account as GET /_hwlocal/info describes it. */
export interface Account {
  creds: Credentials;
  /** region id → project id */
  projects: Map<string, string>;
}

export async function account(base: string): Promise<Account> {
  const info = await send(`${base}/_hwlocal/info`);
  const body = JSON.parse(info.body) as { access_key?: { ak?: string; sk?: string }; regions?: { id: string; project_id: string }[] };
  const key = body.access_key;
  if (info.status !== 200 || !key?.ak || !key.sk || !body.regions) throw new Error(`/_hwlocal/info: ${info.status} ${info.body.slice(0, 300)}`);
  return { creds: { ak: key.ak, sk: key.sk }, projects: new Map(body.regions.map((r) => [r.id, r.project_id])) };
}

export class Api {
  constructor(
    readonly base: string,
    readonly creds: Credentials,
  ) {}

  async call(method: string, path: string, opts: { body?: unknown; timeoutMs?: number } = {}): Promise<ApiReply> {
    const url = new URL(`${this.base}${path}`);
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers = signRequest({
      method,
      url,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : Buffer.from(body),
      creds: this.creds,
    });
    const r = await send(url.href, { method, headers, body, timeoutMs: opts.timeoutMs ?? 30_000 });
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = r.body ? JSON.parse(r.body) : {};
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      // not JSON: the caller reports the body
    }
    return { status: r.status, body: r.body, json };
  }

  /** The call, which must answer `status`; anything else throws with the answer's body. */
  async expect(status: number, method: string, path: string, opts: { body?: unknown; timeoutMs?: number } = {}): Promise<ApiReply> {
    const r = await this.call(method, path, opts);
    if (r.status !== status) throw new ApiError(`${method} ${path} answered ${r.status} (expected ${status}): ${r.body.slice(0, 400)}`, r);
    return r;
  }
}

/** A refused request, with the answer (its error_code tells a quota refusal from a bug). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly reply?: ApiReply,
  ) {
    super(message);
  }
}

function str(o: Record<string, unknown>, ...keys: string[]): string {
  let v: unknown = o;
  for (const k of keys) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  if (typeof v !== "string") throw new Error(`no ${keys.join(".")} in ${JSON.stringify(o).slice(0, 300)}`);
  return v;
}

/** A VPC and one subnet in it, through VPC v1; returns their ids. */
export async function network(api: Api, projectId: string, n: { vpcCidr: string; subnetCidr: string; gatewayIp: string }): Promise<{ vpcId: string; subnetId: string }> {
  const vpc = await api.expect(200, "POST", `/vpc/v1/${projectId}/vpcs`, { body: { vpc: { name: "bench-vpc", cidr: n.vpcCidr } } });
  const vpcId = str(vpc.json, "vpc", "id");
  const subnet = await api.expect(200, "POST", `/vpc/v1/${projectId}/subnets`, {
    body: { subnet: { name: "bench-subnet", cidr: n.subnetCidr, gateway_ip: n.gatewayIp, vpc_id: vpcId } },
  });
  return { vpcId, subnetId: str(subnet.json, "subnet", "id") };
}

/** POST /ecs/v1/{project_id}/cloudservers for `count` servers; returns the job id and the server ids. */
export async function createServers(
  api: Api,
  projectId: string,
  s: { name: string; count: number; vpcId: string; subnetId: string },
): Promise<{ jobId: string; serverIds: string[] }> {
  const body = {
    server: {
      name: s.name,
      flavorRef: FLAVOR,
      imageRef: UBUNTU_IMAGE,
      vpcid: s.vpcId,
      nics: [{ subnet_id: s.subnetId }],
      root_volume: { volumetype: "SSD", size: 40 },
      count: s.count,
    },
  };
  const r = await api.expect(200, "POST", `/ecs/v1/${projectId}/cloudservers`, { body, timeoutMs: 60_000 });
  const ids = r.json.serverIds;
  if (!Array.isArray(ids) || ids.length !== s.count || !ids.every((x) => typeof x === "string")) {
    throw new Error(`create answered serverIds ${JSON.stringify(ids).slice(0, 200)} for count ${s.count}`);
  }
  return { jobId: str(r.json, "job_id"), serverIds: ids as string[] };
}

export interface JobEnd {
  /** ms from `since` until a poll saw SUCCESS */
  ms: number;
  polls: number;
}

/** Polls GET /ecs/v1/{project_id}/jobs/{job_id} until SUCCESS; FAIL, or no end before `deadline`, throws. */
export async function waitJob(api: Api, projectId: string, jobId: string, since: number, deadline: number, pollMs = 10): Promise<JobEnd> {
  for (let polls = 1; ; polls++) {
    const r = await api.expect(200, "GET", `/ecs/v1/${projectId}/jobs/${jobId}`);
    const status = r.json.status;
    if (status === "SUCCESS") return { ms: performance.now() - since, polls };
    if (status === "FAIL") throw new ApiError(`job ${jobId} FAIL: ${jobFailure(r.json)}`, r);
    if (performance.now() > deadline) throw new Error(`job ${jobId} still ${String(status)} after ${Math.round(performance.now() - since)} ms`);
    await new Promise((res) => setTimeout(res, pollMs));
  }
}

/** What a failed job says: its own code, or its sub-jobs' codes counted. */
export function jobFailure(job: Record<string, unknown>): string {
  const own = [job.error_code, job.fail_reason].filter((x) => typeof x === "string" && x !== "").join(" ");
  const entities = job.entities as { sub_jobs?: { status?: string; error_code?: string; fail_reason?: string }[] } | undefined;
  const subs = entities?.sub_jobs ?? [];
  const failed = subs.filter((s) => s.status === "FAIL");
  const byCode = new Map<string, { n: number; reason: string }>();
  for (const f of failed) {
    const code = f.error_code ?? "?";
    const e = byCode.get(code) ?? { n: 0, reason: f.fail_reason ?? "" };
    e.n++;
    byCode.set(code, e);
  }
  const codes = [...byCode].map(([code, e]) => `${code}×${e.n} (${e.reason.slice(0, 120)})`).join(", ");
  return [own, subs.length ? `${failed.length} of ${subs.length} sub-jobs failed${codes ? `: ${codes}` : ""}` : ""].filter(Boolean).join("; ");
}

/** The error_code values of a refused request or failed job, to tell a quota refusal from anything else. */
export function errorCodes(reply: ApiReply | undefined): string[] {
  if (!reply) return [];
  const codes = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if ((k === "error_code" || k === "code") && typeof x === "string") codes.add(x);
        else visit(x);
      }
    }
  };
  visit(reply.json);
  return [...codes];
}
