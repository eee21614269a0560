// Log tanks (/elb/logtanks): a load balancer's access logs sent to a Cloud Log Service (LTS) log group and
// topic. One log tank a load balancer (a second is 409 ELB.8907); the load balancer must exist in the
// project. hwlocal has no LTS: log_group_id and log_topic_id are kept as given (non-empty) and no log is
// written. Deleting the load balancer deletes its log tank (recycle-bin.ts keeps it with a recycled one).
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, values, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import type { DocRow } from "../store/docs.ts";
import { requireLoadBalancer } from "./loadbalancers.ts";

export interface LogtankDoc {
  loadbalancer_id: string;
  log_group_id: string;
  log_topic_id: string;
  created_at: number;
}

const ltsId = z.string().min(1).max(64);
const createBody = z.object({ logtank: z.object({ loadbalancer_id: z.string().min(1), log_group_id: ltsId, log_topic_id: ltsId }) });
const updateBody = z.object({ logtank: z.object({ log_group_id: ltsId.optional(), log_topic_id: ltsId.optional() }) });

export function logtankView(r: DocRow<LogtankDoc>): Record<string, unknown> {
  return { id: r.id, project_id: r.projectId, loadbalancer_id: r.doc.loadbalancer_id, log_group_id: r.doc.log_group_id, log_topic_id: r.doc.log_topic_id };
}

function requireLogtank(svc: ElbContext, projectId: string, id: string): DocRow<LogtankDoc> {
  const r = svc.store.logtanks.get(projectId, id);
  if (!r) throw elbErrors.notFound("Logtank", id);
  return r;
}

/** The log tank of a load balancer, if it has one. */
export function logtankOf(svc: ElbContext, projectId: string, lbId: string): DocRow<LogtankDoc> | undefined {
  return svc.store.logtanks.byLb(projectId, lbId)[0];
}

export const createLogtank = elbOperation({
  name: "CreateLogtank",
  method: "POST",
  path: `${V3}/logtanks`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.logtank;
    const lb = requireLoadBalancer(svc, projectId, b.loadbalancer_id);
    const existing = logtankOf(svc, projectId, lb.id);
    if (existing) throw elbErrors.conflict(`Loadbalancer ${lb.id} already has logtank ${existing.id}.`);
    const doc: LogtankDoc = { loadbalancer_id: lb.id, log_group_id: b.log_group_id, log_topic_id: b.log_topic_id, created_at: ctx.clock.now() };
    const row = svc.store.logtanks.insert({ id: ctx.ids.uuid(), projectId, lbId: lb.id, parentId: null, doc });
    return { status: 201, body: { logtank: logtankView(row), request_id: ctx.request.requestId } };
  },
});

export const listLogtanks = elbOperation({
  name: "ListLogtanks",
  method: "GET",
  path: `${V3}/logtanks`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const eps = values(q, "enterprise_project_id");
    const rows = filtered(ctx.svc.store.logtanks.list(projectId), q, {
      id: (r) => r.id,
      loadbalancer_id: (r) => r.doc.loadbalancer_id,
      log_group_id: (r) => r.doc.log_group_id,
      log_topic_id: (r) => r.doc.log_topic_id,
    }).filter(() => eps === undefined || eps.some((e) => e === "0" || e === "all_granted_eps"));
    const p = page(rows, q);
    return { body: { logtanks: p.items.map(logtankView), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showLogtank = elbOperation({
  name: "ShowLogtank",
  method: "GET",
  path: `${V3}/logtanks/{logtank_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    return { body: { logtank: logtankView(requireLogtank(ctx.svc, projectId, ctx.input.path.logtank_id ?? "")), request_id: ctx.request.requestId } };
  },
});

export const updateLogtank = elbOperation({
  name: "UpdateLogtank",
  method: "PUT",
  path: `${V3}/logtanks/{logtank_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const r = requireLogtank(ctx.svc, projectId, ctx.input.path.logtank_id ?? "");
    const b = ctx.input.body.logtank;
    if (b.log_group_id !== undefined) r.doc.log_group_id = b.log_group_id;
    if (b.log_topic_id !== undefined) r.doc.log_topic_id = b.log_topic_id;
    ctx.svc.store.logtanks.update(r);
    return { body: { logtank: logtankView(r), request_id: ctx.request.requestId } };
  },
});

export const deleteLogtank = elbOperation({
  name: "DeleteLogtank",
  method: "DELETE",
  path: `${V3}/logtanks/{logtank_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const r = requireLogtank(ctx.svc, projectId, ctx.input.path.logtank_id ?? "");
    ctx.svc.store.logtanks.delete(projectId, r.id);
    return { status: 204 };
  },
});

export const logtankOperations = [createLogtank, listLogtanks, showLogtank, updateLogtank, deleteLogtank];
