// Pools (/elb/pools, elb-facts §3.4): algorithms, session persistence by protocol, the listener's protocol
// deciding the pool's; a pool created with listener_id becomes that listener's default pool. Deletion is
// refused while the pool has members, a health monitor, or an L7 policy redirecting to it.
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { LB_ALGORITHMS, PERSISTENCE_TYPES, POOL_PROTOCOLS, QUOTA, type PoolDoc, type PoolProtocol, type SessionPersistence } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { poolView } from "../views.ts";
import { poolFitsListener, requireListener } from "./listeners.ts";
import { requireLoadBalancer } from "./loadbalancers.ts";

const persistenceSchema = z.object({
  type: z.enum(PERSISTENCE_TYPES),
  cookie_name: z.string().max(64).nullable().optional(),
  persistence_timeout: z.number().int().min(1).max(1440).optional(),
});

const slowStartSchema = z.object({ enable: z.boolean(), duration: z.number().int().min(30).max(1200).optional() });

const common = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  lb_algorithm: z.enum(LB_ALGORITHMS).optional(),
  session_persistence: persistenceSchema.nullable().optional(),
  slow_start: slowStartSchema.nullable().optional(),
  member_deletion_protection_enable: z.boolean().optional(),
  admin_state_up: z.boolean().optional(),
};

const createBody = z.object({
  pool: z.object({
    ...common,
    lb_algorithm: z.enum(LB_ALGORITHMS),
    protocol: z.enum(POOL_PROTOCOLS),
    listener_id: z.string().optional(),
    loadbalancer_id: z.string().optional(),
    type: z.enum(["instance", "ip", ""]).optional(),
    vpc_id: z.string().optional(),
  }),
});

const updateBody = z.object({ pool: z.object(common) });

export function requirePool(svc: ElbContext, projectId: string, id: string): DocRow<PoolDoc> {
  const p = svc.store.pools.get(projectId, id);
  if (!p) throw elbErrors.notFound("Pool", id);
  return p;
}

function persistence(protocol: PoolProtocol, algorithm: string, sp: z.output<typeof persistenceSchema> | null | undefined): SessionPersistence | null {
  if (protocol === "QUIC" && sp?.type !== "SOURCE_IP") throw elbErrors.invalid("A QUIC pool needs session_persistence of type SOURCE_IP.");
  if (algorithm === "QUIC_CID" && protocol !== "QUIC") throw elbErrors.invalid("lb_algorithm QUIC_CID is for QUIC pools only.");
  if (!sp) return null;
  const http = protocol === "HTTP" || protocol === "HTTPS";
  if (http && sp.type !== "HTTP_COOKIE") throw elbErrors.invalid(`session_persistence type ${sp.type} is not supported by ${protocol} pools of a dedicated load balancer (HTTP_COOKIE only).`);
  if (!http && sp.type !== "SOURCE_IP") throw elbErrors.invalid(`session_persistence type ${sp.type} is not supported by ${protocol} pools (SOURCE_IP only).`);
  const timeout = sp.persistence_timeout ?? (sp.type === "SOURCE_IP" ? 1 : 1440);
  if (sp.type === "SOURCE_IP" && timeout > 60) throw elbErrors.invalid("persistence_timeout of SOURCE_IP is 1-60 minutes.");
  return { type: sp.type, cookie_name: null, persistence_timeout: timeout };
}

export function renderPool(svc: ElbContext, p: DocRow<PoolDoc>): Record<string, unknown> {
  const monitor = svc.store.monitors.byParent(p.projectId, p.id)[0];
  return poolView(p, svc.store.members.byParent(p.projectId, p.id), monitor?.id ?? null);
}

export const createPool = elbOperation({
  name: "CreatePool",
  method: "POST",
  path: `${V3}/pools`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.pool;
    if (!b.listener_id && !b.loadbalancer_id && b.type === undefined) throw elbErrors.invalid("one of listener_id, loadbalancer_id, type is required.");
    const listener = b.listener_id ? requireListener(svc, projectId, b.listener_id) : undefined;
    let lbId = b.loadbalancer_id ?? listener?.doc.loadbalancer_id ?? null;
    if (listener && b.loadbalancer_id && listener.doc.loadbalancer_id !== b.loadbalancer_id) throw elbErrors.invalid(`Listener ${listener.id} does not belong to load balancer ${b.loadbalancer_id}.`);
    const lb = lbId ? requireLoadBalancer(svc, projectId, lbId) : undefined;
    lbId = lb?.id ?? null;
    if (listener) {
      if (!poolFitsListener(b.protocol, listener.doc.protocol)) throw elbErrors.invalid(`Pool protocol ${b.protocol} does not fit listener protocol ${listener.doc.protocol}.`);
      if (listener.doc.default_pool_id) throw elbErrors.conflict(`Listener ${listener.id} already has default pool ${listener.doc.default_pool_id}.`);
    }
    if (b.vpc_id && !svc.vpc().vpc(projectId, b.vpc_id)) throw elbErrors.notFound("Vpc", b.vpc_id);
    if (b.vpc_id && lb && lb.doc.vpc_id !== b.vpc_id) throw elbErrors.invalid(`vpc_id ${b.vpc_id} is not the load balancer's vpc.`);
    const sp = persistence(b.protocol, b.lb_algorithm, b.session_persistence);
    if (b.slow_start?.enable && !(b.protocol === "HTTP" || b.protocol === "HTTPS")) throw elbErrors.invalid("slow_start is for HTTP and HTTPS pools only.");
    if (svc.store.pools.count(projectId) >= QUOTA.pool) throw elbErrors.quota("pool");
    const now = ctx.clock.now();
    const id = ctx.ids.uuid();
    const doc: PoolDoc = {
      loadbalancer_id: lbId,
      listener_id: listener?.id ?? null,
      name: b.name ?? "",
      description: b.description ?? "",
      lb_algorithm: b.lb_algorithm,
      protocol: b.protocol,
      session_persistence: sp,
      slow_start: b.slow_start ? { enable: b.slow_start.enable, duration: b.slow_start.duration ?? 30 } : null,
      member_deletion_protection_enable: b.member_deletion_protection_enable ?? false,
      vpc_id: b.vpc_id ?? lb?.doc.vpc_id ?? "",
      type: b.type ?? (lb ? "" : "instance"),
      admin_state_up: b.admin_state_up ?? true,
      created_at: now,
      updated_at: now,
    };
    const row = svc.store.tx(() => {
      const p = svc.store.pools.insert({ id, projectId, lbId, parentId: null, doc });
      if (listener) {
        listener.doc.default_pool_id = id;
        svc.store.listeners.update(listener);
      }
      return p;
    });
    return { status: 201, body: { pool: renderPool(svc, row), request_id: ctx.request.requestId } };
  },
});

export const listPools = elbOperation({
  name: "ListPools",
  method: "GET",
  path: `${V3}/pools`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const q = ctx.input.query;
    const rows = filtered(svc.store.pools.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      loadbalancer_id: (r) => r.doc.loadbalancer_id,
      listener_id: (r) => r.doc.listener_id,
      protocol: (r) => r.doc.protocol,
      lb_algorithm: (r) => r.doc.lb_algorithm,
      healthmonitor_id: (r) => svc.store.monitors.byParent(projectId, r.id)[0]?.id ?? "",
      member_address: (r) => svc.store.members.byParent(projectId, r.id).map((m) => m.doc.address),
      member_instance_id: (r) => svc.store.members.byParent(projectId, r.id).map((m) => m.doc.instance_id ?? ""),
      member_deletion_protection_enable: (r) => r.doc.member_deletion_protection_enable,
      vpc_id: (r) => r.doc.vpc_id,
      type: (r) => r.doc.type,
    });
    const p = page(rows, q);
    return { body: { pools: p.items.map((r) => renderPool(svc, r)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showPool = elbOperation({
  name: "ShowPool",
  method: "GET",
  path: `${V3}/pools/{pool_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const p = requirePool(ctx.svc, projectId, ctx.input.path.pool_id ?? "");
    return { body: { pool: renderPool(ctx.svc, p), request_id: ctx.request.requestId } };
  },
});

export const updatePool = elbOperation({
  name: "UpdatePool",
  method: "PUT",
  path: `${V3}/pools/{pool_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const p = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    const b = ctx.input.body.pool;
    const d = p.doc;
    const algorithm = b.lb_algorithm ?? d.lb_algorithm;
    if (b.session_persistence !== undefined || b.lb_algorithm !== undefined) {
      d.session_persistence = persistence(d.protocol, algorithm, b.session_persistence === undefined ? d.session_persistence : b.session_persistence);
    }
    if (b.slow_start?.enable && !(d.protocol === "HTTP" || d.protocol === "HTTPS")) throw elbErrors.invalid("slow_start is for HTTP and HTTPS pools only.");
    d.lb_algorithm = algorithm;
    if (b.name !== undefined) d.name = b.name;
    if (b.description !== undefined) d.description = b.description;
    if (b.slow_start !== undefined) d.slow_start = b.slow_start ? { enable: b.slow_start.enable, duration: b.slow_start.duration ?? 30 } : null;
    if (b.member_deletion_protection_enable !== undefined) d.member_deletion_protection_enable = b.member_deletion_protection_enable;
    if (b.admin_state_up !== undefined) d.admin_state_up = b.admin_state_up;
    d.updated_at = ctx.clock.now();
    svc.store.pools.update(p);
    return { body: { pool: renderPool(svc, p), request_id: ctx.request.requestId } };
  },
});

/** Deletes a pool without children (elb-facts §3.4's refusals, 409 ELB.8907), unbinding it from its listener. */
export function removePool(svc: ElbContext, p: DocRow<PoolDoc>): void {
  const projectId = p.projectId;
  if (svc.store.members.byParent(projectId, p.id).length) throw elbErrors.conflict(`Pool ${p.id} still has members: delete them first.`);
  if (svc.store.monitors.byParent(projectId, p.id).length) throw elbErrors.conflict(`Pool ${p.id} still has a health monitor: delete it first.`);
  const policy = svc.store.l7policies.list(projectId).find((l) => l.doc.redirect_pool_id === p.id);
  if (policy) throw elbErrors.conflict(`Pool ${p.id} is used by L7 policy ${policy.id}.`);
  if (p.doc.listener_id) {
    const l = svc.store.listeners.get(projectId, p.doc.listener_id);
    if (l && l.doc.default_pool_id === p.id) {
      l.doc.default_pool_id = null;
      svc.store.listeners.update(l);
    }
  }
  svc.store.pools.delete(projectId, p.id);
}

export const deletePool = elbOperation({
  name: "DeletePool",
  method: "DELETE",
  path: `${V3}/pools/{pool_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const p = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    svc.store.tx(() => removePool(svc, p));
    return { status: 204 };
  },
});

export const poolOperations = [createPool, listPools, showPool, updatePool, deletePool];
