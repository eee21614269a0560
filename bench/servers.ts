// The ECS server scenarios that are not throughput runs (the signed ShowServer run is one, in run.ts):
//   create-and-wait  one CreatePostPaidServers request for 100 servers on the benchmark's hwlocal (boot delay
//                    0, its default), timed from the request to the job's SUCCESS and to a list showing all
//                    100 ACTIVE. Their ids are what the signed ShowServer run reads.
//   list-paging      a hwlocal of its own holding 10,000 servers (batches of 500, each job waited for), then
//                    ListServersDetails limit=1000 for every page (offset is a page number in ECS), each page
//                    timed on the wire and in server CPU, the median of 3 passes per page.
// A project holds 100 servers by default (ECS; cores, RAM and the EVS disk quota scale with
// HWLOCAL_ECS_MAX_SERVERS): list-paging asks its own hwlocal for 10,000 through that variable. An hwlocal that
// refuses on a quota makes the scenario BLOCKED, not failed.
import { performance } from "node:perf_hooks";
import { Api, ApiError, account, createServers, errorCodes, network, waitJob } from "./api.ts";
import { cpuSeconds, rssMb, stop } from "./children.ts";
import { median, startHwlocal } from "./hwlocal.ts";

const JOB_LIMIT_MS = 60_000;
const BATCH = 500;
const ROOT_GB = 40;

/** Refusals that mean "over a quota" (request: Ecs.0001; job: Ecs.0021 EVS disks, Ecs.0013 EIPs; EVS's own). */
const QUOTA_CODES: Record<string, string> = {
  "Ecs.0001": "the ECS quota (servers, cores or RAM; HWLOCAL_ECS_MAX_SERVERS not honoured?)",
  "Ecs.0021": `the EVS quota (200 disks / 100,000 GB per project, each server's ${ROOT_GB} GB system disk counts; it grows with HWLOCAL_ECS_MAX_SERVERS)`,
  "EVS.1034": "the EVS disk count quota (it grows with HWLOCAL_ECS_MAX_SERVERS)",
  "EVS.1042": "the EVS gigabytes quota (it grows with HWLOCAL_ECS_MAX_SERVERS)",
};

/** Which quota refused, and what hwlocal said, or undefined when the refusal is not a quota's. */
function quotaOf(e: unknown): string | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const hits = errorCodes(e.reply).filter((c) => c in QUOTA_CODES);
  if (hits.length === 0) return undefined;
  const msg = e.reply?.json.error_msg;
  const said = typeof msg === "string" ? `${e.reply?.status} ${hits.join(", ")} "${msg}"` : e.message.replace(/^job \S+ /, "job ");
  return `${hits.map((c) => QUOTA_CODES[c]).join("; ")}: ${said}`;
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface CreateWait {
  count: number;
  /** ms until the create request answered */
  postMs?: number;
  /** ms from the request until a job poll saw SUCCESS */
  jobMs?: number;
  polls?: number;
  /** ms from the request until a list showed every server ACTIVE (listed once the job ended) */
  activeMs?: number;
  serverIds: string[];
  failure?: string;
}

/** Creates `count` servers in one request on a running hwlocal and times their job and their ACTIVE list. */
export async function createAndWait(base: string, region: string, count: number): Promise<CreateWait> {
  const out: CreateWait = { count, serverIds: [] };
  try {
    const acc = await account(base);
    const projectId = acc.projects.get(region);
    if (!projectId) throw new Error(`no project in ${region}`);
    const api = new Api(base, acc.creds);
    const net = await network(api, projectId, { vpcCidr: "10.0.0.0/8", subnetCidr: "10.0.0.0/16", gatewayIp: "10.0.0.1" });

    const t0 = performance.now();
    const deadline = t0 + JOB_LIMIT_MS;
    const made = await createServers(api, projectId, { name: "bench", count, ...net });
    out.postMs = performance.now() - t0;
    out.serverIds = made.serverIds;
    const end = await waitJob(api, projectId, made.jobId, t0, deadline);
    out.jobMs = end.ms;
    out.polls = end.polls;
    for (;;) {
      const list = await api.expect(200, "GET", `/ecs/v1/${projectId}/cloudservers/detail?limit=${Math.min(count, 1000)}`);
      const servers = (list.json.servers ?? []) as { status?: string }[];
      if (list.json.count === count && servers.length === count && servers.every((s) => s.status === "ACTIVE")) break;
      if (performance.now() > deadline) {
        const statuses = servers.map((s) => s.status).join(",");
        throw new Error(`the list still shows count ${String(list.json.count)}, statuses ${statuses.slice(0, 200)} after ${JOB_LIMIT_MS} ms`);
      }
      await new Promise((res) => setTimeout(res, 10));
    }
    out.activeMs = performance.now() - t0;
  } catch (e) {
    out.failure = why(e);
  }
  return out;
}

export interface PageTiming {
  page: number;
  /** median over the passes: wire time (request sent → whole body read) and hwlocal's CPU for the page */
  ms: number;
  cpuMs: number;
  runsMs: number[];
  bytes: number;
}

export interface ListPaging {
  servers: number;
  pageSize: number;
  passes: number;
  /** servers per create request */
  batchSize: number;
  /** servers that exist when the creation stopped */
  created: number;
  createMs?: number;
  /** each batch's request → job SUCCESS, in order (growth shows a cost that rises with the project's size) */
  batchMs: number[];
  pages: PageTiming[];
  rssMb?: number;
  /** refused on a quota: the scenario cannot run on this hwlocal (not a failure of the bench) */
  blocked?: string;
  failure?: string;
  /** what that hwlocal wrote to stderr */
  stderr?: string;
}

/**
 * Starts its own hwlocal asking for room for `servers` servers, fills one project, then times every page
 * of ListServersDetails. `cpuProfDir` runs that hwlocal under node --cpu-prof (the profile is written on exit).
 */
export async function listPaging(opts: { servers: number; pageSize: number; passes: number; cpuProfDir?: string }): Promise<ListPaging> {
  const { servers, pageSize, passes } = opts;
  const out: ListPaging = { servers, pageSize, passes, batchSize: BATCH, created: 0, batchMs: [], pages: [] };
  const hw = await startHwlocal({
    nodeArgs: opts.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProfDir}`] : [],
    args: ["--boot-delay", "0"],
    env: {
      HWLOCAL_ECS_MAX_SERVERS: String(servers),
    },
  });
  const pid = hw.child.pid!;
  try {
    const acc = await account(hw.endpoint);
    const projectId = acc.projects.values().next().value;
    if (!projectId) throw new Error("the account has no project");
    const api = new Api(hw.endpoint, acc.creds);
    const net = await network(api, projectId, { vpcCidr: "10.0.0.0/8", subnetCidr: "10.0.0.0/16", gatewayIp: "10.0.0.1" });

    const t0 = performance.now();
    try {
      while (out.created < servers) {
        const count = Math.min(BATCH, servers - out.created);
        const t = performance.now();
        const made = await createServers(api, projectId, { name: `b${out.batchMs.length + 1}`, count, ...net });
        await waitJob(api, projectId, made.jobId, t, t + JOB_LIMIT_MS, 20);
        out.batchMs.push(performance.now() - t);
        out.created += count;
      }
    } catch (e) {
      const quota = quotaOf(e);
      const where = `in batch ${out.batchMs.length + 1} of ${Math.ceil(servers / BATCH)} (${out.created.toLocaleString("en-US")} servers made before it)`;
      if (quota) out.blocked = `refused ${where} by ${quota}`;
      else out.failure = `creating ${where}: ${why(e)}`;
      return out;
    }
    out.createMs = performance.now() - t0;

    const pages = Math.ceil(servers / pageSize);
    const runs: { ms: number; cpuMs: number; bytes: number }[][] = Array.from({ length: pages }, () => []);
    for (let pass = 0; pass < passes; pass++) {
      for (let page = 1; page <= pages; page++) {
        const cpu0 = cpuSeconds(pid);
        const t = performance.now();
        const r = await api.expect(200, "GET", `/ecs/v1/${projectId}/cloudservers/detail?limit=${pageSize}&offset=${page}`, { timeoutMs: 60_000 });
        const ms = performance.now() - t;
        const cpuMs = (cpuSeconds(pid) - cpu0) * 1000;
        const got = Array.isArray(r.json.servers) ? r.json.servers.length : -1;
        const want = Math.min(pageSize, servers - (page - 1) * pageSize);
        if (r.json.count !== servers || got !== want) {
          throw new Error(`page ${page}: count ${String(r.json.count)} and ${got} servers (expected ${servers} and ${want})`);
        }
        runs[page - 1]!.push({ ms, cpuMs, bytes: r.body.length });
      }
    }
    out.pages = runs.map((rs, i) => ({
      page: i + 1,
      ms: median(rs.map((x) => x.ms)),
      cpuMs: median(rs.map((x) => x.cpuMs)),
      runsMs: rs.map((x) => x.ms),
      bytes: rs[0]!.bytes,
    }));
    out.rssMb = rssMb(pid);
  } catch (e) {
    out.failure = why(e);
  } finally {
    // A CPU profile is written as the process exits: give it time.
    await stop(hw.child, opts.cpuProfDir ? 60_000 : 2000);
    const err = hw.stderr().trim();
    if (err) out.stderr = err;
  }
  return out;
}
