// Clones (elb-facts §2), all or nothing, each part made by the operation that makes it (CreateListener,
// CreatePool, BatchCreateMembers, CreateHealthMonitor) with its own checks: CloneListener copies a listener
// onto load balancers (target_listener_params: name default "<name>-copy", port default the source's, no
// port ranges), with a copy of its default pool, members and monitor; members keep their subnet in the same
// VPC; in another VPC each member subnet needs subnet_mapping_list (source subnet_cidr_id →
// dst_subnet_cidr_id, the address kept). CloneLoadbalancer makes count (1-10) load balancers like the source (flavors, zones, VIP subnet,
// downlinks, ip_target_enable and the target_loadbalancer_param overrides; no EIP) and clones every listener
// onto each. Both answer 202 with the new ids and a finished job (recordJob).
// Gaps and doubts: L7 policies are not copied; reuse_pool true is refused (a hwlocal pool serves one listener
// of one load balancer); the 202 status; the job types cloneListener / cloneLoadbalancer.
import type { HandlerContext } from "../../../kernel/service.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import type { ListenerDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { invoke } from "./batch.ts";
import { batchCreateMembers } from "./cascade.ts";
import { recordJob } from "./jobs.ts";
import { createListener, requireListener } from "./listeners.ts";
import { createLoadBalancer, requireLoadBalancer } from "./loadbalancers.ts";
import { createHealthMonitor } from "./monitors.ts";
import { createPool } from "./pools.ts";

type Ctx = HandlerContext<ElbContext, unknown>;
type Row = Record<string, unknown>;
const idOf = (out: { body?: unknown }, key: string): string => String(((out.body as Row)[key] as Row).id);

interface Target {
  loadbalancerId: string;
  name: string;
  port: number;
  subnets: Map<string, string> | undefined;
}

/** Copies listener l (with its default pool, members and monitor) onto target; the new listener's id. */
function cloneListenerTo(ctx: Ctx, projectId: string, l: DocRow<ListenerDoc>, t: Target): string {
  const { store } = ctx.svc;
  const d = l.doc;
  const listener: Row = {
    loadbalancer_id: t.loadbalancerId,
    name: t.name,
    description: d.description,
    protocol: d.protocol,
    protocol_port: t.port,
    default_tls_container_ref: d.default_tls_container_ref,
    client_ca_tls_container_ref: d.client_ca_tls_container_ref,
    sni_container_refs: d.sni_container_refs,
    tls_ciphers_policy: d.tls_ciphers_policy,
    security_policy_id: d.security_policy_id ?? null,
    http2_enable: d.http2_enable,
    insert_headers: d.insert_headers,
    keepalive_timeout: d.keepalive_timeout,
    enhance_l7policy_enable: d.enhance_l7policy_enable,
    ipgroup: d.ipgroup,
    tags: d.tags,
    ...(d.client_timeout === null ? {} : { client_timeout: d.client_timeout }),
    ...(d.member_timeout === null ? {} : { member_timeout: d.member_timeout }),
  };
  const newId = idOf(invoke(createListener, ctx, {}, { listener }), "listener");
  const pool = d.default_pool_id ? store.pools.get(projectId, d.default_pool_id) : undefined;
  if (!pool) return newId;
  const p = pool.doc;
  const poolBody = { listener_id: newId, name: p.name, description: p.description, lb_algorithm: p.lb_algorithm, protocol: p.protocol, session_persistence: p.session_persistence, slow_start: p.slow_start, member_deletion_protection_enable: p.member_deletion_protection_enable, type: p.type };
  const poolId = idOf(invoke(createPool, ctx, {}, { pool: poolBody }), "pool");
  const members = store.members.byParent(projectId, pool.id).map((m) => {
    let subnet = m.doc.subnet_cidr_id;
    if (subnet !== null && t.subnets) {
      const mapped = t.subnets.get(subnet);
      if (mapped === undefined) throw elbErrors.invalid(`subnet_mapping_list names no destination for member subnet ${subnet}.`);
      subnet = mapped;
    }
    return { address: m.doc.address, protocol_port: m.doc.protocol_port, weight: m.doc.weight, name: m.doc.name, admin_state_up: m.doc.admin_state_up, ...(subnet === null ? {} : { subnet_cidr_id: subnet }) };
  });
  if (members.length) invoke(batchCreateMembers, ctx, { pool_id: poolId }, { members });
  for (const h of store.monitors.byParent(projectId, pool.id)) {
    const m = h.doc;
    const healthmonitor = { pool_id: poolId, name: m.name, type: m.type, delay: m.delay, timeout: m.timeout, max_retries: m.max_retries, max_retries_down: m.max_retries_down, monitor_port: m.monitor_port, domain_name: m.domain_name, url_path: m.url_path, expected_codes: m.expected_codes, http_method: m.http_method, admin_state_up: m.admin_state_up };
    invoke(createHealthMonitor, ctx, {}, { healthmonitor });
  }
  return newId;
}

/** Member subnets for another VPC (a member whose subnet is not mapped is refused); none in the same VPC. */
function subnetMap(sameVpc: boolean, mapping: { subnet_cidr_id: string; dst_subnet_cidr_id: string }[] | undefined): Map<string, string> | undefined {
  if (sameVpc) {
    if (mapping?.length) throw elbErrors.invalid("subnet_mapping_list is only for a load balancer of another VPC.");
    return undefined;
  }
  return new Map((mapping ?? []).map((m) => [m.subnet_cidr_id, m.dst_subnet_cidr_id]));
}

const noReuse = (reuse: boolean | undefined): void => {
  if (reuse) throw elbErrors.invalid("reuse_pool: a pool serves one listener of one load balancer in hwlocal; clone it instead (reuse_pool false).");
};

export const cloneListener = elbOperation({
  name: "CloneListener",
  method: "POST",
  path: `${V3}/listeners/{listener_id}/clone`,
  body: z.object({
    target_listener_params: z
      .array(
        z.object({
          name: z.string().max(255).optional(),
          loadbalancer_id: z.string().min(1),
          protocol_port: z.number().int().min(0).max(65535).optional(),
          port_ranges: z.array(z.object({ start_port: z.number().int(), end_port: z.number().int() })).optional(),
          reuse_pool: z.boolean().optional(),
          subnet_mapping_list: z.array(z.object({ subnet_cidr_id: z.string(), dst_subnet_cidr_id: z.string() })).optional(),
        }),
      )
      .min(1)
      .max(10),
  }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const source = requireListener(svc, projectId, ctx.input.path.listener_id ?? "");
    const srcVpc = requireLoadBalancer(svc, projectId, source.doc.loadbalancer_id).doc.vpc_id;
    const targets = ctx.input.body.target_listener_params.map((p) => {
      if (p.port_ranges?.length || p.protocol_port === 0) throw elbErrors.invalid("port_ranges: hwlocal listeners listen on one port.");
      noReuse(p.reuse_pool);
      const lb = requireLoadBalancer(svc, projectId, p.loadbalancer_id);
      return { loadbalancerId: lb.id, name: p.name || `${source.doc.name}-copy`, port: p.protocol_port ?? source.doc.protocol_port, subnets: subnetMap(lb.doc.vpc_id === srcVpc, p.subnet_mapping_list) };
    });
    const { list, jobId } = svc.store.tx(() => {
      const ids = targets.map((t) => cloneListenerTo(ctx, projectId, source, t));
      return { list: ids.map((id, i) => ({ id, loadbalancer_id: targets[i]!.loadbalancerId, protocol_port: targets[i]!.port, port_ranges: [] })), jobId: recordJob(svc, projectId, "cloneListener", source.id, ids.map((id) => ({ resource_id: id, resource_type: "listener" }))) };
    });
    return { status: 202, body: { listener_list: list, job_id: jobId, request_id: ctx.request.requestId } };
  },
});

export const cloneLoadbalancer = elbOperation({
  name: "CloneLoadbalancer",
  method: "POST",
  path: `${V3}/loadbalancers/{loadbalancer_id}/clone`,
  body: z.object({
    count: z.number().int().min(1).max(10).optional(),
    target_loadbalancer_param: z.object({
      name: z.string().max(255).optional(),
      availability_zone_list: z.array(z.string()).min(1).optional(),
      vip_subnet_cidr_id: z.string().optional(),
      vip_address: z.string().optional(),
      ipv6_vip_virsubnet_id: z.string().optional(),
      ipv6_vip_address: z.string().optional(),
      elb_virsubnet_ids: z.array(z.string()).optional(),
      l4_flavor_id: z.string().optional(),
      l7_flavor_id: z.string().optional(),
      enterprise_project_id: z.string().optional(),
      reuse_pool: z.boolean().optional(),
      guaranteed: z.boolean().optional(),
    }),
  }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const src = requireLoadBalancer(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    const { count = 1, target_loadbalancer_param: t } = ctx.input.body;
    noReuse(t.reuse_pool);
    if (count > 1 && t.vip_address !== undefined) throw elbErrors.invalid("vip_address needs count 1.");
    if (t.ipv6_vip_address !== undefined) throw elbErrors.invalid("ipv6_vip_address: hwlocal serves IPv4 load balancers only.");
    const d = src.doc;
    const option: Row = {
      description: d.description,
      availability_zone_list: t.availability_zone_list ?? d.availability_zone_list,
      l4_flavor_id: t.l4_flavor_id ?? d.l4_flavor_id ?? undefined,
      l7_flavor_id: t.l7_flavor_id ?? d.l7_flavor_id ?? undefined,
      ip_target_enable: d.ip_target_enable,
      tags: d.tags,
      ...(t.guaranteed === undefined ? {} : { guaranteed: t.guaranteed }),
      ...(t.enterprise_project_id === undefined ? {} : { enterprise_project_id: t.enterprise_project_id }),
      ...(t.ipv6_vip_virsubnet_id === undefined ? {} : { ipv6_vip_virsubnet_id: t.ipv6_vip_virsubnet_id }),
      ...(t.vip_address === undefined ? {} : { vip_address: t.vip_address }),
    };
    const vipSubnet = t.vip_subnet_cidr_id ?? d.vip_subnet_cidr_id;
    if (vipSubnet) option.vip_subnet_cidr_id = vipSubnet;
    else option.vpc_id = d.vpc_id;
    if (t.elb_virsubnet_ids) option.elb_virsubnet_ids = t.elb_virsubnet_ids;
    else if (!t.vip_subnet_cidr_id) option.elb_virsubnet_ids = d.elb_virsubnet_ids;
    const base = t.name ?? `${d.name}-copy`;
    const listeners = svc.store.listeners.byLb(projectId, src.id);
    const { ids, jobId } = svc.store.tx(() => {
      const made = Array.from({ length: count }, (_, i) => {
        const name = count === 1 ? base : `${base}-${String(i + 1).padStart(4, "0")}`;
        const id = idOf(invoke(createLoadBalancer, ctx, {}, { loadbalancer: { ...option, name } }), "loadbalancer");
        const lb = requireLoadBalancer(svc, projectId, id);
        for (const l of listeners) cloneListenerTo(ctx, projectId, l, { loadbalancerId: id, name: l.doc.name, port: l.doc.protocol_port, subnets: subnetMap(lb.doc.vpc_id === d.vpc_id, undefined) });
        return id;
      });
      return { ids: made, jobId: recordJob(svc, projectId, "cloneLoadbalancer", src.id, made.map((id) => ({ resource_id: id, resource_type: "loadbalancer" }))) };
    });
    return { status: 202, body: { loadbalancer_list: ids.map((id) => ({ id })), job_id: jobId, request_id: ctx.request.requestId } };
  },
});

export const cloneOperations = [cloneListener, cloneLoadbalancer];
