// Jobs (/elb/jobs): the record of ELB's asynchronous tasks. hwlocal finishes every task within its request,
// so a job is written already SUCCESS with begin_time = end_time; recordJob is how an operation that
// answers a job_id (RestoreLoadbalancer here; clones, batch creates and deletes may use it too) leaves one.
// ListJobs filters by job_id, job_type, status, error_code, resource_id and begin_time (jobs that began
// at or after it) and pages by marker (job_id).
// Member health-check jobs (/elb/members/{id}/health-check, /elb/members/check/jobs/{id}): a check of why
// a member may be unhealthy behind a listener, done at once (status processed). The config group checks what
// hwlocal knows: the listener reaches the member's pool (default pool or an L7 policy's redirect), the pool
// has a health monitor and it is enabled. hwlocal has no security-group or network-ACL model for ELB
// traffic: those groups pass with no items.
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, listQuery, one, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import type { DocRow } from "../store/docs.ts";

export interface JobEntity {
  resource_id: string;
  resource_type: string;
}

export interface JobDoc {
  job_type: string;
  status: "INIT" | "RUNNING" | "FAIL" | "SUCCESS" | "ROLLBACKING" | "COMPLETE" | "ROLLBACK_FAIL" | "CANCEL";
  resource_id: string;
  error_code: string | null;
  error_msg: string | null;
  begin_time: number;
  end_time: number | null;
  sub_jobs: { job_id: string; job_type: string; resource_id: string; entities: JobEntity[] }[];
}

type CheckSubject = "config" | "acl" | "security_group";

export interface MemberCheckItem {
  name: string;
  reason: string;
  severity: "Major" | "Tips";
  subject: string;
  reason_template: string;
  reason_params: string[];
}

export interface MemberCheckDoc {
  member_id: string;
  listener_id: string;
  subject: string;
  groups: Partial<Record<CheckSubject, MemberCheckItem[]>>;
  created_at: number;
}

/** Writes a finished job (and one sub-job a resource) and answers its id. */
export function recordJob(svc: ElbContext, projectId: string, jobType: string, resourceId: string, entities: JobEntity[] = []): string {
  const now = svc.clock.now();
  const id = svc.ids.uuid();
  const sub_jobs = entities.map((e) => ({ job_id: svc.ids.uuid(), job_type: jobType, resource_id: e.resource_id, entities: [e] }));
  const doc: JobDoc = { job_type: jobType, status: "SUCCESS", resource_id: resourceId, error_code: null, error_msg: null, begin_time: now, end_time: now, sub_jobs };
  svc.store.jobs.insert({ id, projectId, lbId: null, parentId: null, doc });
  return id;
}

function jobView(r: DocRow<JobDoc>): Record<string, unknown> & { id: string } {
  const d = r.doc;
  const base = { status: d.status, begin_time: isoSeconds(d.begin_time), end_time: d.end_time === null ? null : isoSeconds(d.end_time), error_code: d.error_code, error_msg: d.error_msg, project_id: r.projectId };
  return {
    id: r.id,
    job_id: r.id,
    job_type: d.job_type,
    resource_id: d.resource_id,
    ...base,
    sub_jobs: d.sub_jobs.map((s) => ({ job_id: s.job_id, job_type: s.job_type, resource_id: s.resource_id, entities: s.entities, ...base })),
  };
}

const publicJob = (v: Record<string, unknown>) => {
  const { id: _id, ...rest } = v;
  return rest;
};

export const listJobs = elbOperation({
  name: "ListJobs",
  method: "GET",
  path: `${V3}/jobs`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const since = one(q, "begin_time");
    let from: number | undefined;
    if (since !== undefined) {
      from = Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(since) ? since : `${since}Z`);
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(since) || Number.isNaN(from)) throw elbErrors.invalid(`begin_time ${since.slice(0, 32)} is not yyyy-MM-ddTHH:mm:ss.`);
    }
    const want = (key: string, v: string | null) => {
      const w = one(q, key);
      return w === undefined || w === v;
    };
    const rows = ctx.svc.store.jobs
      .list(projectId)
      .filter((r) => want("job_id", r.id) && want("job_type", r.doc.job_type) && want("status", r.doc.status) && want("error_code", r.doc.error_code) && want("resource_id", r.doc.resource_id))
      .filter((r) => from === undefined || r.doc.begin_time >= from)
      .map(jobView);
    const p = page(rows, q);
    return { body: { jobs: p.items.map(publicJob), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showJob = elbOperation({
  name: "ShowJob",
  method: "GET",
  path: `${V3}/jobs/{job_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.job_id ?? "";
    const r = ctx.svc.store.jobs.get(projectId, id);
    if (!r) throw elbErrors.notFound("Job", id);
    return { body: { job: publicJob(jobView(r)), request_id: ctx.request.requestId } };
  },
});

const SUBJECTS = { all: ["config", "acl", "security_group"], config: ["config"], networkAcl: ["acl"], securityGroup: ["security_group"] } as const;

const checkBody = z.object({ member_check: z.object({ listener_id: z.string().min(1), subject: z.enum(["securityGroup", "networkAcl", "config", "all"]) }) });

function configItems(svc: ElbContext, projectId: string, listenerId: string, poolId: string): MemberCheckItem[] {
  const items: MemberCheckItem[] = [];
  const item = (name: string, reason_template: string, reason_params: string[]): MemberCheckItem => ({
    name,
    reason: reason_params.reduce((s, p, i) => s.replace(`{${i}}`, p), reason_template),
    severity: "Major",
    subject: "config",
    reason_template,
    reason_params,
  });
  const listener = svc.store.listeners.get(projectId, listenerId);
  const redirects = svc.store.l7policies.byParent(projectId, listenerId).some((p) => p.doc.redirect_pool_id === poolId);
  if (listener?.doc.default_pool_id !== poolId && !redirects) items.push(item("listener_pool", "The listener {0} does not forward to the member's pool {1}.", [listenerId, poolId]));
  const monitor = svc.store.monitors.byParent(projectId, poolId)[0];
  if (!monitor) items.push(item("healthmonitor", "The pool {0} has no health monitor.", [poolId]));
  else if (!monitor.doc.admin_state_up) items.push(item("healthmonitor", "The health monitor {0} of pool {1} is disabled.", [monitor.id, poolId]));
  return items;
}

export const createMemberHealthCheckJob = elbOperation({
  name: "CreateMemberHealthCheckJob",
  method: "POST",
  path: `${V3}/members/{member_id}/health-check`,
  body: checkBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const memberId = ctx.input.path.member_id ?? "";
    const member = svc.store.members.get(projectId, memberId);
    if (!member) throw elbErrors.notFound("Member", memberId);
    const b = ctx.input.body.member_check;
    const listener = svc.store.listeners.get(projectId, b.listener_id);
    if (!listener) throw elbErrors.notFound("Listener", b.listener_id);
    const pool = svc.store.pools.get(projectId, member.doc.pool_id);
    const poolLb = pool?.doc.loadbalancer_id ?? (pool?.doc.listener_id ? svc.store.listeners.get(projectId, pool.doc.listener_id)?.doc.loadbalancer_id : undefined);
    if (poolLb !== listener.doc.loadbalancer_id) {
      throw elbErrors.invalid(`listener ${listener.id} is not on the load balancer of member ${member.id}.`);
    }
    const groups: MemberCheckDoc["groups"] = {};
    for (const s of SUBJECTS[b.subject]) groups[s] = s === "config" ? configItems(svc, projectId, listener.id, member.doc.pool_id) : [];
    const doc: MemberCheckDoc = { member_id: member.id, listener_id: listener.id, subject: b.subject, groups, created_at: ctx.clock.now() };
    const row = svc.store.memberChecks.insert({ id: ctx.ids.uuid(), projectId, lbId: listener.doc.loadbalancer_id, parentId: member.id, doc });
    return { status: 201, body: { member_check: { job_id: row.id }, request_id: ctx.request.requestId } };
  },
});

export const showMemberHealthCheckJob = elbOperation({
  name: "ShowMemberHealthCheckJob",
  method: "GET",
  path: `${V3}/members/check/jobs/{job_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.job_id ?? "";
    const r = ctx.svc.store.memberChecks.get(projectId, id);
    if (!r) throw elbErrors.notFound("Member check job", id);
    const d = r.doc;
    const result: Record<string, unknown> = {};
    for (const [group, items] of Object.entries(d.groups)) {
      result[group] = { check_result: items.length === 0, check_status: "processed", check_items: items.map((i) => ({ ...i, job_id: r.id })) };
    }
    const n = Object.keys(d.groups).length;
    const at = isoSeconds(d.created_at);
    const body = { job_id: r.id, status: "processed", result, created_at: at, updated_at: at, check_item_total_num: n, check_item_finished_num: n, listener_id: d.listener_id, member_id: d.member_id };
    return { body: { member_check: body, request_id: ctx.request.requestId } };
  },
});

export const jobOperations = [listJobs, showJob, createMemberHealthCheckJob, showMemberHealthCheckJob];
