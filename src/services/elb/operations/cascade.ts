// Batch member operations and the deletes that take children with them (elb-facts §2): BatchCreateMembers,
// BatchDeleteMembers and BatchUpdateMembers on one pool (all or nothing: the first refused item answers its
// own code), DeletePoolCascade (the pool with its members and monitor), DeleteListenerForce (the listener
// with its L7 policies and its pool cascaded) and DeleteLoadBalancerForce (everything under it, then it).
import { z } from "../../../kernel/zod.ts";
import { elbOperation, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import type { MemberDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { requireListener } from "./listeners.ts";
import { requireLoadBalancer } from "./loadbalancers.ts";
import { addMember, memberRenderer } from "./members.ts";
import { requirePool } from "./pools.ts";
import { finishLoadBalancerDelete } from "./recycle-bin.ts";

const memberSpec = z.object({
  address: z.string().min(1),
  protocol_port: z.number().int().min(1).max(65535),
  subnet_cidr_id: z.string().optional(),
  weight: z.number().int().min(0).max(100).optional(),
  name: z.string().max(255).optional(),
  admin_state_up: z.boolean().optional(),
});
const MAX_BATCH = 200;

function poolMember(svc: ElbContext, projectId: string, poolId: string, id: string): DocRow<MemberDoc> {
  const m = svc.store.members.get(projectId, id);
  if (!m || m.doc.pool_id !== poolId) throw elbErrors.notFound("Member", id);
  return m;
}

/** Deletes a pool with its members and monitor; clears the listener's default_pool_id. */
function cascadePool(svc: ElbContext, projectId: string, poolId: string): void {
  const { store } = svc;
  const pool = store.pools.get(projectId, poolId);
  if (!pool) return;
  const policy = store.l7policies.list(projectId).find((l) => l.doc.redirect_pool_id === poolId);
  if (policy) throw elbErrors.conflict(`Pool ${poolId} is used by L7 policy ${policy.id}.`);
  for (const m of store.members.byParent(projectId, poolId)) store.members.delete(projectId, m.id);
  for (const h of store.monitors.byParent(projectId, poolId)) store.monitors.delete(projectId, h.id);
  if (pool.doc.listener_id) {
    const l = store.listeners.get(projectId, pool.doc.listener_id);
    if (l && l.doc.default_pool_id === poolId) {
      l.doc.default_pool_id = null;
      store.listeners.update(l);
    }
  }
  store.pools.delete(projectId, poolId);
}

function forceListener(svc: ElbContext, projectId: string, listenerId: string): void {
  const { store } = svc;
  for (const p of store.l7policies.byParent(projectId, listenerId)) {
    for (const r of store.l7rules.byParent(projectId, p.id)) store.l7rules.delete(projectId, r.id);
    store.l7policies.delete(projectId, p.id);
  }
  for (const pool of store.pools.list(projectId).filter((p) => p.doc.listener_id === listenerId)) cascadePool(svc, projectId, pool.id);
  store.listeners.delete(projectId, listenerId);
}

export const batchCreateMembers = elbOperation({
  name: "BatchCreateMembers",
  method: "POST",
  path: `${V3}/pools/{pool_id}/members/batch-add`,
  body: z.object({ members: z.array(memberSpec).min(1).max(MAX_BATCH) }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const pool = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    const now = ctx.clock.now();
    const render = memberRenderer(svc);
    const rows = svc.store.tx(() => ctx.input.body.members.map((m) => addMember(svc, pool, m, { now, id: ctx.ids.uuid() })));
    return { body: { members: rows.map((m) => render(m, pool)), request_id: ctx.request.requestId } };
  },
});

export const batchUpdateMembers = elbOperation({
  name: "BatchUpdateMembers",
  method: "POST",
  path: `${V3}/pools/{pool_id}/members/batch-update`,
  body: z.object({
    members: z
      .array(z.object({ id: z.string(), name: z.string().max(255).optional(), weight: z.number().int().min(0).max(100).optional(), admin_state_up: z.boolean().optional() }))
      .min(1)
      .max(MAX_BATCH),
  }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const pool = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    const now = ctx.clock.now();
    const render = memberRenderer(svc);
    const rows = svc.store.tx(() =>
      ctx.input.body.members.map((u) => {
        const m = poolMember(svc, projectId, pool.id, u.id);
        if (u.name !== undefined) m.doc.name = u.name;
        if (u.weight !== undefined) m.doc.weight = u.weight;
        if (u.admin_state_up !== undefined) m.doc.admin_state_up = u.admin_state_up;
        m.doc.updated_at = now;
        svc.store.members.update(m);
        return m;
      }),
    );
    return { body: { members: rows.map((m) => render(m, pool)), request_id: ctx.request.requestId } };
  },
});

export const batchDeleteMembers = elbOperation({
  name: "BatchDeleteMembers",
  method: "POST",
  path: `${V3}/pools/{pool_id}/members/batch-delete`,
  body: z.object({ members: z.array(z.object({ id: z.string() })).min(1).max(MAX_BATCH) }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const pool = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    if (pool.doc.member_deletion_protection_enable) throw elbErrors.conflict(`Pool ${pool.id} has member deletion protection enabled.`);
    const rows = svc.store.tx(() =>
      ctx.input.body.members.map((d) => {
        const m = poolMember(svc, projectId, pool.id, d.id);
        svc.store.members.delete(projectId, m.id);
        return m;
      }),
    );
    const members = rows.map((m) => ({ id: m.id, address: m.doc.address, protocol_port: m.doc.protocol_port, project_id: projectId }));
    return { body: { members, request_id: ctx.request.requestId } };
  },
});

export const deletePoolCascade = elbOperation({
  name: "DeletePoolCascade",
  method: "DELETE",
  path: `${V3}/pools/{pool_id}/delete-cascade`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const pool = requirePool(ctx.svc, projectId, ctx.input.path.pool_id ?? "");
    ctx.svc.store.tx(() => cascadePool(ctx.svc, projectId, pool.id));
    return { status: 204 };
  },
});

export const deleteListenerForce = elbOperation({
  name: "DeleteListenerForce",
  method: "DELETE",
  path: `${V3}/listeners/{listener_id}/force`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const l = requireListener(ctx.svc, projectId, ctx.input.path.listener_id ?? "");
    ctx.svc.store.tx(() => forceListener(ctx.svc, projectId, l.id));
    return { status: 204 };
  },
});

export const deleteLoadBalancerForce = elbOperation({
  name: "DeleteLoadBalancerForce",
  method: "DELETE",
  path: `${V3}/loadbalancers/{loadbalancer_id}/force-elb`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const lb = requireLoadBalancer(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    if (lb.doc.deletion_protection_enable) throw elbErrors.conflict(`Loadbalancer ${lb.id} has deletion protection enabled.`);
    svc.store.tx(() => {
      for (const l of svc.store.listeners.byLb(projectId, lb.id)) forceListener(svc, projectId, l.id);
      for (const p of svc.store.pools.byLb(projectId, lb.id)) cascadePool(svc, projectId, p.id);
      finishLoadBalancerDelete(svc, projectId, lb, { force: true });
    });
    return { status: 204 };
  },
});

export const cascadeOperations = [batchCreateMembers, batchUpdateMembers, batchDeleteMembers, deletePoolCascade, deleteListenerForce, deleteLoadBalancerForce];
