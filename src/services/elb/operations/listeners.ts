// Listeners (/elb/listeners, elb-facts §3.3): protocols allowed by the load balancer's flavors, ports
// unique per load balancer across protocols except UDP (which may share a TCP/HTTP/HTTPS port), HTTPS with a
// server certificate; deletion refused while the listener has a pool or L7 policies.
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { LISTENER_PROTOCOLS, QUOTA, type ListenerDoc, type ListenerProtocol, type LoadBalancerDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { listenerView } from "../views.ts";
import { requireLoadBalancer } from "./loadbalancers.ts";
import { requireSecurityPolicy, SYSTEM_POLICIES } from "./security-policies.ts";
import { tagSchema } from "./tags-spec.ts";

const ipgroupSchema = z.object({ ipgroup_id: z.string(), enable_ipgroup: z.boolean().optional(), type: z.enum(["white", "black"]).optional() });

const common = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  default_pool_id: z.string().nullable().optional(),
  default_tls_container_ref: z.string().nullable().optional(),
  client_ca_tls_container_ref: z.string().nullable().optional(),
  sni_container_refs: z.array(z.string()).optional(),
  tls_ciphers_policy: z.string().nullable().optional(),
  security_policy_id: z.string().nullable().optional(),
  http2_enable: z.boolean().optional(),
  insert_headers: z.record(z.string(), z.boolean()).optional(),
  keepalive_timeout: z.number().int().min(0).max(4000).optional(),
  client_timeout: z.number().int().min(1).max(300).optional(),
  member_timeout: z.number().int().min(1).max(300).optional(),
  enhance_l7policy_enable: z.boolean().optional(),
  ipgroup: ipgroupSchema.nullable().optional(),
  admin_state_up: z.boolean().optional(),
};

const createBody = z.object({
  listener: z.object({
    ...common,
    loadbalancer_id: z.string(),
    protocol: z.enum(LISTENER_PROTOCOLS),
    protocol_port: z.number().int().min(1).max(65535),
    tags: z.array(tagSchema).max(20).optional(),
  }),
});

const updateBody = z.object({ listener: z.object(common) });

const L4: readonly ListenerProtocol[] = ["TCP", "UDP"];

export function requireListener(svc: ElbContext, projectId: string, id: string): DocRow<ListenerDoc> {
  const l = svc.store.listeners.get(projectId, id);
  if (!l) throw elbErrors.notFound("Listener", id);
  return l;
}

function checkPortFree(svc: ElbContext, lb: DocRow<LoadBalancerDoc>, protocol: ListenerProtocol, port: number): void {
  for (const other of svc.store.listeners.byLb(lb.projectId, lb.id)) {
    if (other.doc.protocol_port !== port) continue;
    const udpPair = (protocol === "UDP") !== (other.doc.protocol === "UDP");
    const quicClash = protocol === "QUIC" || other.doc.protocol === "QUIC";
    if (!udpPair || quicClash) throw elbErrors.conflict(`Load Balancer ${lb.id} already has a listener with protocol_port of ${port}.`);
  }
}

function checkCertificate(svc: ElbContext, projectId: string, id: string, want: "server" | "client", field: string): void {
  const c = svc.store.certificates.get(projectId, id);
  if (!c) throw elbErrors.notFound("Certificate", id);
  if (c.doc.type !== want) throw elbErrors.invalid(`${field} ${id} is not a ${want} certificate.`);
}

function checkDefaultPool(svc: ElbContext, listener: { id: string | null; loadbalancerId: string; protocol: ListenerProtocol }, projectId: string, poolId: string): void {
  const pool = svc.store.pools.get(projectId, poolId);
  if (!pool) throw elbErrors.notFound("Pool", poolId);
  if (pool.doc.loadbalancer_id !== listener.loadbalancerId) throw elbErrors.invalid(`Pool ${poolId} belongs to another load balancer.`);
  if (pool.doc.listener_id !== null && pool.doc.listener_id !== listener.id) throw elbErrors.conflict(`Pool ${poolId} is already used by listener ${pool.doc.listener_id}.`);
  if (!poolFitsListener(pool.doc.protocol, listener.protocol)) throw elbErrors.invalid(`Pool protocol ${pool.doc.protocol} does not fit listener protocol ${listener.protocol}.`);
}

/** elb-facts §3.4: UDP → UDP/QUIC, TCP → TCP, HTTP → HTTP, HTTPS → HTTP/HTTPS, QUIC → UDP/QUIC. */
export function poolFitsListener(pool: string, listener: ListenerProtocol): boolean {
  switch (listener) {
    case "UDP":
    case "QUIC":
      return pool === "UDP" || pool === "QUIC";
    case "TCP":
      return pool === "TCP";
    case "HTTP":
      return pool === "HTTP";
    case "HTTPS":
      return pool === "HTTP" || pool === "HTTPS";
  }
}

function render(svc: ElbContext, l: DocRow<ListenerDoc>): Record<string, unknown> {
  return listenerView(l, svc.store.l7policies.byParent(l.projectId, l.id));
}

export const createListener = elbOperation({
  name: "CreateListener",
  method: "POST",
  path: `${V3}/listeners`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.listener;
    const lb = requireLoadBalancer(svc, projectId, b.loadbalancer_id);
    const protocol: ListenerProtocol = b.protocol === "TERMINATED_HTTPS" ? "HTTPS" : b.protocol;
    const l4 = L4.includes(protocol);
    if (l4 && !lb.doc.l4_flavor_id) throw elbErrors.invalid(`Loadbalancer ${lb.id} has no L4 flavor: ${protocol} listeners are not allowed.`);
    if (!l4 && !lb.doc.l7_flavor_id) throw elbErrors.invalid(`Loadbalancer ${lb.id} has no L7 flavor: ${protocol} listeners are not allowed.`);
    if (protocol === "QUIC" && b.protocol_port === 4789) throw elbErrors.invalid("A QUIC listener may not use port 4789.");
    checkPortFree(svc, lb, protocol, b.protocol_port);
    if (protocol === "HTTPS" || protocol === "QUIC") {
      if (!b.default_tls_container_ref) throw elbErrors.invalid(`default_tls_container_ref is required for ${protocol} listeners.`);
    } else if (b.default_tls_container_ref || b.client_ca_tls_container_ref || b.sni_container_refs?.length) {
      throw elbErrors.invalid(`${protocol} listeners take no certificates.`);
    }
    if (b.default_tls_container_ref) checkCertificate(svc, projectId, b.default_tls_container_ref, "server", "default_tls_container_ref");
    if (b.client_ca_tls_container_ref) checkCertificate(svc, projectId, b.client_ca_tls_container_ref, "client", "client_ca_tls_container_ref");
    for (const ref of b.sni_container_refs ?? []) checkCertificate(svc, projectId, ref, "server", "sni_container_refs");
    if (b.ipgroup) requireIpGroup(svc, projectId, b.ipgroup.ipgroup_id);
    checkTls(svc, projectId, protocol, b);
    if (b.default_pool_id) checkDefaultPool(svc, { id: null, loadbalancerId: lb.id, protocol }, projectId, b.default_pool_id);
    if (svc.store.listeners.count(projectId) >= QUOTA.listener) throw elbErrors.quota("listener");
    const now = ctx.clock.now();
    const id = ctx.ids.uuid();
    const doc: ListenerDoc = {
      loadbalancer_id: lb.id,
      name: b.name ?? "",
      description: b.description ?? "",
      protocol,
      protocol_port: b.protocol_port,
      default_pool_id: b.default_pool_id ?? null,
      default_tls_container_ref: b.default_tls_container_ref ?? null,
      client_ca_tls_container_ref: b.client_ca_tls_container_ref ?? null,
      sni_container_refs: b.sni_container_refs ?? [],
      http2_enable: b.http2_enable ?? false,
      keepalive_timeout: b.keepalive_timeout ?? (l4 ? 300 : 60),
      client_timeout: l4 ? null : (b.client_timeout ?? 60),
      member_timeout: l4 ? null : (b.member_timeout ?? 60),
      insert_headers: b.insert_headers ?? {},
      tls_ciphers_policy: protocol === "HTTPS" ? (b.tls_ciphers_policy ?? "tls-1-0") : null,
      security_policy_id: b.security_policy_id ?? null,
      enhance_l7policy_enable: b.enhance_l7policy_enable ?? false,
      ipgroup: b.ipgroup ? { ipgroup_id: b.ipgroup.ipgroup_id, enable_ipgroup: b.ipgroup.enable_ipgroup ?? true, type: b.ipgroup.type ?? "white" } : null,
      tags: b.tags ?? [],
      admin_state_up: b.admin_state_up ?? true,
      created_at: now,
      updated_at: now,
    };
    const row = svc.store.tx(() => {
      const l = svc.store.listeners.insert({ id, projectId, lbId: lb.id, parentId: lb.id, doc });
      if (doc.default_pool_id) bindPool(svc, projectId, doc.default_pool_id, id);
      return l;
    });
    return { status: 201, body: { listener: render(svc, row), request_id: ctx.request.requestId } };
  },
});

function bindPool(svc: ElbContext, projectId: string, poolId: string, listenerId: string | null): void {
  const pool = svc.store.pools.get(projectId, poolId);
  if (!pool) return;
  pool.doc.listener_id = listenerId;
  svc.store.pools.update(pool);
}

/** tls_ciphers_policy names a system policy, security_policy_id a custom one; both only on HTTPS/QUIC. */
function checkTls(svc: ElbContext, projectId: string, protocol: ListenerProtocol, b: { tls_ciphers_policy?: string | null; security_policy_id?: string | null }): void {
  const tls = protocol === "HTTPS" || protocol === "QUIC";
  if (!tls && (b.tls_ciphers_policy || b.security_policy_id)) throw elbErrors.invalid(`${protocol} listeners take no TLS policy.`);
  if (b.tls_ciphers_policy && !SYSTEM_POLICIES.some((p) => p.name === b.tls_ciphers_policy)) throw elbErrors.invalid(`tls_ciphers_policy ${b.tls_ciphers_policy.slice(0, 64)} is not a system security policy.`);
  if (b.security_policy_id) requireSecurityPolicy(svc, projectId, b.security_policy_id);
}

function requireIpGroup(svc: ElbContext, projectId: string, id: string): void {
  if (!svc.store.ipgroups.get(projectId, id)) throw elbErrors.notFound("Ipgroup", id);
}

export const listListeners = elbOperation({
  name: "ListListeners",
  method: "GET",
  path: `${V3}/listeners`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const q = ctx.input.query;
    const rows = filtered(svc.store.listeners.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      protocol: (r) => r.doc.protocol,
      protocol_port: (r) => r.doc.protocol_port,
      loadbalancer_id: (r) => r.doc.loadbalancer_id,
      default_pool_id: (r) => r.doc.default_pool_id,
      default_tls_container_ref: (r) => r.doc.default_tls_container_ref,
      client_ca_tls_container_ref: (r) => r.doc.client_ca_tls_container_ref,
      http2_enable: (r) => r.doc.http2_enable,
      tls_ciphers_policy: (r) => r.doc.tls_ciphers_policy,
      keepalive_timeout: (r) => r.doc.keepalive_timeout,
      enhance_l7policy_enable: (r) => r.doc.enhance_l7policy_enable,
    });
    const p = page(rows, q);
    return { body: { listeners: p.items.map((r) => render(svc, r)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showListener = elbOperation({
  name: "ShowListener",
  method: "GET",
  path: `${V3}/listeners/{listener_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const l = requireListener(ctx.svc, projectId, ctx.input.path.listener_id ?? "");
    return { body: { listener: render(ctx.svc, l), request_id: ctx.request.requestId } };
  },
});

export const updateListener = elbOperation({
  name: "UpdateListener",
  method: "PUT",
  path: `${V3}/listeners/{listener_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const l = requireListener(svc, projectId, ctx.input.path.listener_id ?? "");
    const b = ctx.input.body.listener;
    const d = l.doc;
    const tls = d.protocol === "HTTPS" || d.protocol === "QUIC";
    if (!tls && (b.default_tls_container_ref || b.client_ca_tls_container_ref || b.sni_container_refs?.length)) throw elbErrors.invalid(`${d.protocol} listeners take no certificates.`);
    if (tls && b.default_tls_container_ref === null) throw elbErrors.invalid(`default_tls_container_ref is required for ${d.protocol} listeners.`);
    if (b.default_tls_container_ref) checkCertificate(svc, projectId, b.default_tls_container_ref, "server", "default_tls_container_ref");
    if (b.client_ca_tls_container_ref) checkCertificate(svc, projectId, b.client_ca_tls_container_ref, "client", "client_ca_tls_container_ref");
    for (const ref of b.sni_container_refs ?? []) checkCertificate(svc, projectId, ref, "server", "sni_container_refs");
    if (b.ipgroup) requireIpGroup(svc, projectId, b.ipgroup.ipgroup_id);
    checkTls(svc, projectId, d.protocol, b);
    if (b.default_pool_id) checkDefaultPool(svc, { id: l.id, loadbalancerId: d.loadbalancer_id, protocol: d.protocol }, projectId, b.default_pool_id);
    svc.store.tx(() => {
      if (b.default_pool_id !== undefined && b.default_pool_id !== d.default_pool_id) {
        if (d.default_pool_id) bindPool(svc, projectId, d.default_pool_id, null);
        if (b.default_pool_id) bindPool(svc, projectId, b.default_pool_id, l.id);
        d.default_pool_id = b.default_pool_id;
      }
      if (b.name !== undefined) d.name = b.name;
      if (b.description !== undefined) d.description = b.description;
      if (b.default_tls_container_ref) d.default_tls_container_ref = b.default_tls_container_ref;
      if (b.client_ca_tls_container_ref !== undefined) d.client_ca_tls_container_ref = b.client_ca_tls_container_ref;
      if (b.sni_container_refs !== undefined) d.sni_container_refs = b.sni_container_refs;
      if (b.tls_ciphers_policy && tls) d.tls_ciphers_policy = b.tls_ciphers_policy;
      if (b.security_policy_id !== undefined) d.security_policy_id = b.security_policy_id;
      if (b.http2_enable !== undefined) d.http2_enable = b.http2_enable;
      if (b.insert_headers !== undefined) d.insert_headers = b.insert_headers;
      if (b.keepalive_timeout !== undefined) d.keepalive_timeout = b.keepalive_timeout;
      if (b.client_timeout !== undefined && d.client_timeout !== null) d.client_timeout = b.client_timeout;
      if (b.member_timeout !== undefined && d.member_timeout !== null) d.member_timeout = b.member_timeout;
      if (b.enhance_l7policy_enable !== undefined) d.enhance_l7policy_enable = b.enhance_l7policy_enable;
      if (b.ipgroup !== undefined) d.ipgroup = b.ipgroup ? { ipgroup_id: b.ipgroup.ipgroup_id, enable_ipgroup: b.ipgroup.enable_ipgroup ?? true, type: b.ipgroup.type ?? "white" } : null;
      if (b.admin_state_up !== undefined) d.admin_state_up = b.admin_state_up;
      d.updated_at = ctx.clock.now();
      svc.store.listeners.update(l);
    });
    return { body: { listener: render(svc, l), request_id: ctx.request.requestId } };
  },
});

export const deleteListener = elbOperation({
  name: "DeleteListener",
  method: "DELETE",
  path: `${V3}/listeners/{listener_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const l = requireListener(svc, projectId, ctx.input.path.listener_id ?? "");
    const pool = svc.store.pools.list(projectId).find((p) => p.doc.listener_id === l.id);
    if (pool) throw elbErrors.conflict(`Listener ${l.id} still has pool ${pool.id}: delete or unbind its pool first.`);
    if (svc.store.l7policies.byParent(projectId, l.id).length) throw elbErrors.conflict(`Listener ${l.id} still has L7 policies: delete them first.`);
    const redirect = svc.store.l7policies.list(projectId).find((p) => p.doc.redirect_listener_id === l.id);
    if (redirect) throw elbErrors.conflict(`Listener ${l.id} is the target of L7 policy ${redirect.id}.`);
    svc.store.listeners.delete(projectId, l.id);
    return { status: 204 };
  },
});

export const listenerOperations = [createListener, listListeners, showListener, updateListener, deleteListener];
