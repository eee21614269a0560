// Members (/elb/pools/{pool_id}/members, elb-facts §3.5): by address — with subnet_cidr_id an ECS's primary
// NIC address in that subnet of the load balancer's VPC (the server is found through ECS's and VPC's APIs),
// without it an IP back end (needs ip_target_enable). (address, protocol_port) is unique in a pool.
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, inCidr, ipv4, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { findServer, startChecks } from "../health.ts";
import { QUOTA, type MemberDoc, type PoolDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { memberView } from "../views.ts";
import { requirePool } from "./pools.ts";

const createBody = z.object({
  member: z.object({
    address: z.string().min(1),
    protocol_port: z.number().int().min(1).max(65535),
    subnet_cidr_id: z.string().optional(),
    weight: z.number().int().min(0).max(100).optional(),
    name: z.string().max(255).optional(),
    admin_state_up: z.boolean().optional(),
  }),
});

const updateBody = z.object({
  member: z.object({ name: z.string().max(255).optional(), weight: z.number().int().min(0).max(100).optional(), admin_state_up: z.boolean().optional() }),
});

export interface NewMember {
  address: string;
  protocol_port: number;
  subnet_cidr_id?: string;
  weight?: number;
  name?: string;
  admin_state_up?: boolean;
}

/** Checks and inserts one member (CreateMember, and AS adding an instance through api.ts). */
export function addMember(svc: ElbContext, pool: DocRow<PoolDoc>, m: NewMember, env: { now: number; id: string }): DocRow<MemberDoc> {
  const projectId = pool.projectId;
  if (ipv4(m.address) === undefined) throw elbErrors.invalid(`address ${m.address.slice(0, 64)} is not an IPv4 address.`);
  const lb = pool.doc.loadbalancer_id ? svc.store.loadbalancers.get(projectId, pool.doc.loadbalancer_id) : undefined;
  let cidr: string | undefined;
  if (m.subnet_cidr_id !== undefined) {
    const subnet = svc.vpc().subnet(projectId, m.subnet_cidr_id);
    if (!subnet || subnet.neutronSubnetId !== m.subnet_cidr_id) throw elbErrors.notFound("Subnet", m.subnet_cidr_id);
    const vpcId = lb?.doc.vpc_id ?? pool.doc.vpc_id;
    if (vpcId && subnet.vpcId !== vpcId) throw elbErrors.invalid(`subnet_cidr_id ${m.subnet_cidr_id} is not in the load balancer's vpc ${vpcId}.`);
    if (!inCidr(m.address, subnet.cidr)) throw elbErrors.invalid(`address ${m.address} is not in subnet ${m.subnet_cidr_id} (${subnet.cidr}).`);
    cidr = subnet.cidr;
  } else if (!lb?.doc.ip_target_enable) {
    throw elbErrors.ipTargetDisabled();
  }
  const siblings = svc.store.members.byParent(projectId, pool.id);
  if (siblings.some((s) => s.doc.address === m.address && s.doc.protocol_port === m.protocol_port)) {
    throw elbErrors.conflict(`Pool ${pool.id} already has a member with address ${m.address} and protocol_port ${m.protocol_port}.`);
  }
  if (siblings.length >= QUOTA.members_per_pool) throw elbErrors.quota("members_per_pool");
  if (svc.store.members.count(projectId) >= QUOTA.member) throw elbErrors.quota("member");
  const doc: MemberDoc = {
    pool_id: pool.id,
    name: m.name ?? "",
    address: m.address,
    protocol_port: m.protocol_port,
    weight: m.weight ?? 1,
    subnet_cidr_id: m.subnet_cidr_id ?? null,
    admin_state_up: m.admin_state_up ?? true,
    instance_id: m.subnet_cidr_id !== undefined ? (findServer(svc, projectId, m.address, cidr) ?? null) : null,
    health: "OFFLINE",
    ok: 0,
    fail: 0,
    last_check_at: env.now,
    created_at: env.now,
    updated_at: env.now,
  };
  const row = svc.store.members.insert({ id: env.id, projectId, lbId: pool.doc.loadbalancer_id, parentId: pool.id, doc });
  startChecks(svc, row, svc.store.monitors.byParent(projectId, pool.id)[0]?.doc, env.now);
  svc.store.members.update(row);
  return row;
}

interface PoolInfo {
  monitored: boolean;
  listenerId: string | null;
  loadbalancerId: string | null;
}

function poolInfo(svc: ElbContext, projectId: string, poolId: string, pool?: DocRow<PoolDoc>): PoolInfo {
  const p = pool ?? svc.store.pools.get(projectId, poolId);
  const monitored = svc.store.monitors.byParent(projectId, poolId).some((h) => h.doc.admin_state_up);
  return { monitored, listenerId: p?.doc.listener_id ?? null, loadbalancerId: p?.doc.loadbalancer_id ?? null };
}

/** Renders members, reading each pool's monitor and listener once (a list of 1,000 costs two queries a pool). */
export function memberRenderer(svc: ElbContext): (m: DocRow<MemberDoc>, pool?: DocRow<PoolDoc>) => Record<string, unknown> {
  const pools = new Map<string, PoolInfo>();
  return (m, pool) => {
    let info = pools.get(m.doc.pool_id);
    if (!info) pools.set(m.doc.pool_id, (info = poolInfo(svc, m.projectId, m.doc.pool_id, pool)));
    return memberView(m, info);
  };
}

export function renderMember(svc: ElbContext, m: DocRow<MemberDoc>, pool?: DocRow<PoolDoc>): Record<string, unknown> {
  return memberRenderer(svc)(m, pool);
}

function requireMember(svc: ElbContext, projectId: string, pool: DocRow<PoolDoc>, id: string): DocRow<MemberDoc> {
  const m = svc.store.members.get(projectId, id);
  if (!m || m.doc.pool_id !== pool.id) throw elbErrors.notFound("Member", id);
  return m;
}

const memberFilters = (render: ReturnType<typeof memberRenderer>) => ({
  id: (r: DocRow<MemberDoc>) => r.id,
  name: (r: DocRow<MemberDoc>) => r.doc.name,
  weight: (r: DocRow<MemberDoc>) => r.doc.weight,
  admin_state_up: (r: DocRow<MemberDoc>) => r.doc.admin_state_up,
  subnet_cidr_id: (r: DocRow<MemberDoc>) => r.doc.subnet_cidr_id,
  address: (r: DocRow<MemberDoc>) => r.doc.address,
  protocol_port: (r: DocRow<MemberDoc>) => r.doc.protocol_port,
  operating_status: (r: DocRow<MemberDoc>) => render(r).operating_status,
  ip_version: () => "v4",
  member_type: (r: DocRow<MemberDoc>) => (r.doc.subnet_cidr_id ? "instance" : "ip"),
  instance_id: (r: DocRow<MemberDoc>) => r.doc.instance_id ?? "",
});

export const createMember = elbOperation({
  name: "CreateMember",
  method: "POST",
  path: `${V3}/pools/{pool_id}/members`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const pool = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    const m = svc.store.tx(() => addMember(svc, pool, ctx.input.body.member, { now: ctx.clock.now(), id: ctx.ids.uuid() }));
    return { status: 201, body: { member: renderMember(svc, m, pool), request_id: ctx.request.requestId } };
  },
});

export const listMembers = elbOperation({
  name: "ListMembers",
  method: "GET",
  path: `${V3}/pools/{pool_id}/members`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const pool = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    const render = memberRenderer(svc);
    const rows = filtered(svc.store.members.byParent(projectId, pool.id), ctx.input.query, memberFilters(render));
    const p = page(rows, ctx.input.query);
    return { body: { members: p.items.map((m) => render(m, pool)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const listAllMembers = elbOperation({
  name: "ListAllMembers",
  method: "GET",
  path: `${V3}/members`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const render = memberRenderer(svc);
    const rows = filtered(svc.store.members.list(projectId), ctx.input.query, {
      ...memberFilters(render),
      pool_id: (r) => r.doc.pool_id,
      loadbalancer_id: (r) => r.lbId,
    });
    const p = page(rows, ctx.input.query);
    return { body: { members: p.items.map((m) => render(m)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showMember = elbOperation({
  name: "ShowMember",
  method: "GET",
  path: `${V3}/pools/{pool_id}/members/{member_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const pool = requirePool(ctx.svc, projectId, ctx.input.path.pool_id ?? "");
    const m = requireMember(ctx.svc, projectId, pool, ctx.input.path.member_id ?? "");
    return { body: { member: renderMember(ctx.svc, m, pool), request_id: ctx.request.requestId } };
  },
});

export const updateMember = elbOperation({
  name: "UpdateMember",
  method: "PUT",
  path: `${V3}/pools/{pool_id}/members/{member_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const pool = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    const m = requireMember(svc, projectId, pool, ctx.input.path.member_id ?? "");
    const b = ctx.input.body.member;
    if (b.name !== undefined) m.doc.name = b.name;
    if (b.weight !== undefined) m.doc.weight = b.weight;
    if (b.admin_state_up !== undefined) m.doc.admin_state_up = b.admin_state_up;
    m.doc.updated_at = ctx.clock.now();
    svc.store.members.update(m);
    return { body: { member: renderMember(svc, m, pool), request_id: ctx.request.requestId } };
  },
});

export const deleteMember = elbOperation({
  name: "DeleteMember",
  method: "DELETE",
  path: `${V3}/pools/{pool_id}/members/{member_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const pool = requirePool(svc, projectId, ctx.input.path.pool_id ?? "");
    const m = requireMember(svc, projectId, pool, ctx.input.path.member_id ?? "");
    if (pool.doc.member_deletion_protection_enable) throw elbErrors.conflict(`Pool ${pool.id} has member deletion protection enabled.`);
    svc.store.members.delete(projectId, m.id);
    return { status: 204 };
  },
});

export const memberOperations = [createMember, listMembers, listAllMembers, showMember, updateMember, deleteMember];
