// Master-slave (active-standby) pools (/elb/master-slave-pools): a pool created whole, with exactly two
// members (one role master, one slave) and its health monitor; it has no Update, and its members and monitor
// are not reached through the ordinary pool paths. listener_id and loadbalancer_id are both optional (type
// is required, which satisfies Huawei's "one of the three"): an unbound pool's vpc_id bounds its members. Protocols TCP, UDP, QUIC, TLS; under a listener the
// pool's protocol must suit it (UDP listener: UDP or QUIC; TCP: TCP; hwlocal has no TLS listener; other
// listeners have none). type instance needs vpc_id (the load balancer's), type ip refuses it. A member with
// subnet_cidr_id must lie in that subnet of the load balancer's VPC; without, the load balancer needs
// ip_target_enable. A member's operating_status is ONLINE while a server of the project with that primary
// address is ACTIVE (health.ts findServer), else OFFLINE; health checks are not scheduled for it.
// The listener link lives here: the listener's default_pool_id does not name a master-slave pool, and a
// listener with a default pool or another master-slave pool is refused (409 ELB.8907).
import { isIP } from "node:net";
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, inCidr, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { findServer } from "../health.ts";
import { LB_ALGORITHMS, PERSISTENCE_TYPES, QUOTA } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { requireLoadBalancer } from "./loadbalancers.ts";

const PROTOCOLS = ["TCP", "UDP", "QUIC", "TLS"] as const;
const FITS: Record<string, readonly string[]> = { UDP: ["UDP", "QUIC"], TCP: ["TCP"] };

const memberOption = z.object({
  address: z.string().min(1),
  admin_state_up: z.boolean().optional(),
  name: z.string().max(255).optional(),
  protocol_port: z.number().int().min(1).max(65535).optional(),
  subnet_cidr_id: z.string().min(1).optional(),
  role: z.enum(["master", "slave"]),
});

const monitorOption = z.object({
  delay: z.number().int().min(1).max(50),
  domain_name: z.string().max(100).optional(),
  expected_codes: z.string().max(64).optional(),
  http_method: z.enum(["GET", "HEAD", "POST"]).optional(),
  max_retries: z.number().int().min(1).max(10),
  max_retries_down: z.number().int().min(1).max(10).optional(),
  monitor_port: z.number().int().min(1).max(65535).optional(),
  name: z.string().max(255).optional(),
  timeout: z.number().int().min(1).max(50),
  type: z.enum(["TCP", "UDP_CONNECT", "HTTP", "HTTPS", "TLS"]),
  url_path: z.string().max(80).optional(),
});

const createBody = z.object({
  pool: z.object({
    description: z.string().max(255).optional(),
    lb_algorithm: z.enum(LB_ALGORITHMS),
    loadbalancer_id: z.string().min(1).optional(),
    listener_id: z.string().min(1).optional(),
    name: z.string().max(255).optional(),
    project_id: z.string().optional(),
    protocol: z.enum(PROTOCOLS),
    session_persistence: z.object({ type: z.enum(PERSISTENCE_TYPES), cookie_name: z.string().max(64).optional(), persistence_timeout: z.number().int().min(1).max(60).optional() }).nullable().optional(),
    vpc_id: z.string().min(1).optional(),
    type: z.enum(["instance", "ip"]),
    ip_version: z.enum(["v4", "dualstack"]).optional(),
    members: z.array(memberOption),
    healthmonitor: monitorOption,
    any_port_enable: z.boolean().optional(),
    connection_drain: z.object({ enable: z.boolean(), timeout: z.number().int().min(10).max(4000) }).optional(),
    quic_cid_hash_strategy: z.object({ len: z.number().int().min(1).max(20), offset: z.number().int().min(0).max(19) }).optional(),
    enterprise_project_id: z.string().optional(),
  }),
});

type CreatePool = z.output<typeof createBody>["pool"];

export interface MasterSlaveMember {
  id: string;
  name: string;
  address: string;
  protocol_port: number | null;
  subnet_cidr_id: string | null;
  admin_state_up: boolean;
  role: "master" | "slave";
}

export interface MasterSlavePoolDoc {
  name: string;
  description: string;
  lb_algorithm: CreatePool["lb_algorithm"];
  protocol: CreatePool["protocol"];
  type: "instance" | "ip";
  /** null: created with type only, bound to no load balancer (Huawei allows it). */
  loadbalancer_id: string | null;
  listener_id: string | null;
  vpc_id: string;
  ip_version: string;
  session_persistence: { type: string; cookie_name: string | null; persistence_timeout: number } | null;
  any_port_enable: boolean;
  connection_drain: { enable: boolean; timeout: number };
  quic_cid_hash_strategy: { len: number; offset: number } | null;
  members: MasterSlaveMember[];
  healthmonitor: Required<Omit<z.output<typeof monitorOption>, "monitor_port" | "domain_name">> & { id: string; monitor_port: number | null; domain_name: string };
  created_at: number;
  updated_at: number;
}

function checkMembers(svc: ElbContext, projectId: string, p: CreatePool, vpcId: string, ipTarget: boolean): void {
  const roles = p.members.map((m) => m.role).sort();
  if (roles.length !== 2 || roles[0] !== "master" || roles[1] !== "slave") throw elbErrors.invalid("a master-slave pool has exactly two members, one master and one slave.");
  for (const m of p.members) {
    if (isIP(m.address) !== 4) throw elbErrors.invalid(`member address ${m.address.slice(0, 64)} is not an IPv4 address.`);
    if (m.protocol_port === undefined && !p.any_port_enable) throw elbErrors.invalid("member protocol_port is required unless any_port_enable is true.");
    if (m.subnet_cidr_id === undefined) {
      if (!ipTarget) throw elbErrors.ipTargetDisabled();
      if (p.type === "instance" && p.protocol === "QUIC") throw elbErrors.invalid("a QUIC pool takes members in its VPC only.");
      continue;
    }
    if (p.type === "ip") throw elbErrors.invalid("a pool of type ip takes members without subnet_cidr_id.");
    const subnet = svc.vpc().subnet(projectId, m.subnet_cidr_id);
    if (!subnet || subnet.neutronSubnetId !== m.subnet_cidr_id) throw elbErrors.notFound("Subnet", m.subnet_cidr_id);
    if (subnet.vpcId !== vpcId) throw elbErrors.invalid(`subnet_cidr_id ${m.subnet_cidr_id} is not in vpc ${vpcId}.`);
    if (!inCidr(m.address, subnet.cidr)) throw elbErrors.invalid(`address ${m.address} is not in subnet ${m.subnet_cidr_id} (${subnet.cidr}).`);
  }
}

function checkMonitor(p: CreatePool): void {
  const h = p.healthmonitor;
  if (h.timeout > h.delay) throw elbErrors.invalid("healthmonitor timeout must not exceed its delay.");
  const udp = p.protocol === "UDP" || p.protocol === "QUIC";
  if (udp !== (h.type === "UDP_CONNECT")) throw elbErrors.invalid(`healthmonitor type ${h.type} does not suit a ${p.protocol} pool.`);
  if (h.type === "TLS" && p.protocol !== "TLS") throw elbErrors.invalid("a TLS health monitor needs a TLS pool.");
}

function view(svc: ElbContext, r: DocRow<MasterSlavePoolDoc>): Record<string, unknown> {
  const d = r.doc;
  const listenerId = d.listener_id !== null && svc.store.listeners.get(r.projectId, d.listener_id) ? d.listener_id : null;
  const cidrOf = (id: string | null) => (id === null ? undefined : svc.vpc().subnet(r.projectId, id)?.cidr);
  const members = d.members.map((m) => {
    const server = findServer(svc, r.projectId, m.address, cidrOf(m.subnet_cidr_id));
    const status = m.admin_state_up && server !== undefined ? "ONLINE" : "OFFLINE";
    return {
      id: m.id,
      name: m.name,
      admin_state_up: m.admin_state_up,
      subnet_cidr_id: m.subnet_cidr_id ?? "",
      protocol_port: m.protocol_port ?? 0,
      address: m.address,
      ip_version: "v4",
      device_owner: "",
      device_id: "",
      operating_status: status,
      member_type: m.subnet_cidr_id === null ? "ip" : "instance",
      instance_id: server ?? "",
      role: m.role,
      status: listenerId === null ? [] : [{ listener_id: listenerId, operating_status: status }],
    };
  });
  return {
    id: r.id,
    name: d.name,
    description: d.description,
    project_id: r.projectId,
    lb_algorithm: d.lb_algorithm,
    protocol: d.protocol,
    type: d.type,
    vpc_id: d.vpc_id,
    ip_version: d.ip_version,
    listeners: listenerId === null ? [] : [{ id: listenerId }],
    loadbalancers: d.loadbalancer_id === null ? [] : [{ id: d.loadbalancer_id }],
    members,
    healthmonitor: { ...d.healthmonitor, admin_state_up: true },
    session_persistence: d.session_persistence,
    any_port_enable: d.any_port_enable,
    connection_drain: d.connection_drain,
    quic_cid_hash_strategy: d.quic_cid_hash_strategy,
    enterprise_project_id: "0",
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

function requirePool(svc: ElbContext, projectId: string, id: string): DocRow<MasterSlavePoolDoc> {
  const r = svc.store.masterSlavePools.get(projectId, id);
  if (!r) throw elbErrors.notFound("Pool", id);
  return r;
}

export const createMasterSlavePool = elbOperation({
  name: "CreateMasterSlavePool",
  method: "POST",
  path: `${V3}/master-slave-pools`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const p = ctx.input.body.pool;
    if (p.enterprise_project_id !== undefined && p.enterprise_project_id !== "0") throw elbErrors.invalid(`enterprise_project_id ${p.enterprise_project_id} does not exist.`);
    let lbId = p.loadbalancer_id;
    if (p.listener_id !== undefined) {
      const l = svc.store.listeners.get(projectId, p.listener_id);
      if (!l) throw elbErrors.notFound("Listener", p.listener_id);
      if (lbId !== undefined && lbId !== l.doc.loadbalancer_id) throw elbErrors.invalid(`listener ${l.id} is not on load balancer ${lbId}.`);
      lbId = l.doc.loadbalancer_id;
      if (!FITS[l.doc.protocol]?.includes(p.protocol)) throw elbErrors.invalid(`a ${l.doc.protocol} listener cannot take a ${p.protocol} master-slave pool.`);
      const other = svc.store.masterSlavePools.byParent(projectId, l.id)[0];
      if (l.doc.default_pool_id !== null || other) throw elbErrors.conflict(`Listener ${l.id} already has a default pool.`);
    }
    const lb = lbId === undefined ? undefined : requireLoadBalancer(svc, projectId, lbId);
    if (p.type === "instance" && p.vpc_id === undefined) throw elbErrors.invalid("a pool of type instance needs vpc_id.");
    if (p.type === "ip" && p.vpc_id !== undefined) throw elbErrors.invalid("a pool of type ip takes no vpc_id.");
    if (p.vpc_id !== undefined && lb && p.vpc_id !== lb.doc.vpc_id) throw elbErrors.invalid(`vpc_id ${p.vpc_id} is not the load balancer's vpc.`);
    if (p.vpc_id !== undefined && !svc.vpc().vpc(projectId, p.vpc_id)) throw elbErrors.notFound("Vpc", p.vpc_id);
    if (p.any_port_enable && !["TCP", "UDP", "QUIC"].includes(p.protocol)) throw elbErrors.invalid("any_port_enable needs a TCP, UDP or QUIC pool.");
    if (p.lb_algorithm === "QUIC_CID" && p.protocol !== "QUIC") throw elbErrors.invalid("QUIC_CID needs a QUIC pool.");
    if (p.session_persistence?.cookie_name !== undefined && p.session_persistence.type !== "APP_COOKIE") throw elbErrors.invalid("cookie_name is only for APP_COOKIE session persistence.");
    if (p.session_persistence && p.session_persistence.type !== "SOURCE_IP") throw elbErrors.invalid(`session persistence ${p.session_persistence.type} does not suit a ${p.protocol} pool.`);
    // Without a load balancer the pool's own VPC bounds its members; ip members need no ip_target_enable yet.
    checkMembers(svc, projectId, p, lb?.doc.vpc_id ?? p.vpc_id ?? "", lb?.doc.ip_target_enable ?? true);
    checkMonitor(p);
    const count = svc.store.pools.count(projectId) + svc.store.masterSlavePools.count(projectId);
    if (count >= QUOTA.pool) throw elbErrors.quota("pool");
    const now = ctx.clock.now();
    const h = p.healthmonitor;
    const doc: MasterSlavePoolDoc = {
      name: p.name ?? "",
      description: p.description ?? "",
      lb_algorithm: p.lb_algorithm,
      protocol: p.protocol,
      type: p.type,
      loadbalancer_id: lb?.id ?? null,
      listener_id: p.listener_id ?? null,
      vpc_id: p.vpc_id ?? lb?.doc.vpc_id ?? "",
      ip_version: p.ip_version ?? "v4",
      session_persistence: p.session_persistence ? { type: p.session_persistence.type, cookie_name: p.session_persistence.cookie_name ?? null, persistence_timeout: p.session_persistence.persistence_timeout ?? 1 } : null,
      any_port_enable: p.any_port_enable ?? false,
      connection_drain: p.connection_drain ?? { enable: false, timeout: 300 },
      quic_cid_hash_strategy: p.quic_cid_hash_strategy ?? null,
      members: p.members.map((m) => ({ id: ctx.ids.uuid(), name: m.name ?? "", address: m.address, protocol_port: m.protocol_port ?? null, subnet_cidr_id: m.subnet_cidr_id ?? null, admin_state_up: m.admin_state_up ?? true, role: m.role })),
      healthmonitor: {
        id: ctx.ids.uuid(),
        name: h.name ?? "",
        type: h.type,
        delay: h.delay,
        timeout: h.timeout,
        max_retries: h.max_retries,
        max_retries_down: h.max_retries_down ?? 3,
        monitor_port: h.monitor_port ?? null,
        domain_name: h.domain_name ?? "",
        url_path: h.url_path ?? "/",
        expected_codes: h.expected_codes ?? "200",
        http_method: h.http_method ?? "GET",
      },
      created_at: now,
      updated_at: now,
    };
    const row = svc.store.masterSlavePools.insert({ id: ctx.ids.uuid(), projectId, lbId: doc.loadbalancer_id, parentId: doc.listener_id, doc });
    return { status: 201, body: { pool: view(svc, row), request_id: ctx.request.requestId } };
  },
});

export const listMasterSlavePools = elbOperation({
  name: "ListMasterSlavePools",
  method: "GET",
  path: `${V3}/master-slave-pools`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered(ctx.svc.store.masterSlavePools.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      healthmonitor_id: (r) => r.doc.healthmonitor.id,
      loadbalancer_id: (r) => r.doc.loadbalancer_id,
      listener_id: (r) => r.doc.listener_id,
      protocol: (r) => r.doc.protocol,
      lb_algorithm: (r) => r.doc.lb_algorithm,
      enterprise_project_id: () => "0",
      ip_version: (r) => r.doc.ip_version,
      member_address: (r) => r.doc.members.map((m) => m.address),
      vpc_id: (r) => r.doc.vpc_id,
      type: (r) => r.doc.type,
      connection_drain: (r) => r.doc.connection_drain.enable,
    });
    const p = page(rows, q);
    return { body: { pools: p.items.map((r) => view(ctx.svc, r)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showMasterSlavePool = elbOperation({
  name: "ShowMasterSlavePool",
  method: "GET",
  path: `${V3}/master-slave-pools/{pool_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    return { body: { pool: view(ctx.svc, requirePool(ctx.svc, projectId, ctx.input.path.pool_id ?? "")), request_id: ctx.request.requestId } };
  },
});

export const deleteMasterSlavePool = elbOperation({
  name: "DeleteMasterSlavePool",
  method: "DELETE",
  path: `${V3}/master-slave-pools/{pool_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const r = requirePool(ctx.svc, projectId, ctx.input.path.pool_id ?? "");
    ctx.svc.store.masterSlavePools.delete(projectId, r.id);
    return { status: 204 };
  },
});

export const masterSlavePoolOperations = [createMasterSlavePool, listMasterSlavePools, showMasterSlavePool, deleteMasterSlavePool];
