// Load balancer extras (elb-facts §2): ShowLoadBalancerTopology (nodes: the load balancer, its EIPs,
// listeners and pools; edges eip→loadbalancer→listener→pool, a listener's default pool and every pool an L7
// policy redirects to, the policy as the edge's label), ListLoadbalancerFeature / ListFeatureConfigs
// (hwlocal's fixed feature switches), CountPreoccupyIpNum (the addresses hwlocal takes: one VIP a new IPv4
// load balancer, none for any change), UpgradeLoadbalancer (shared → dedicated: every hwlocal load balancer
// is dedicated, so 400 ELB.8902 after the checks) and ChangeLoadbalancerChargeMode (to prepaid; no order is
// placed: an order id is made up and the load balancers are remembered as prepaid, a second change refused).
// Doubts: the edge types' spelling (eip, loadbalancer, listener, pool); the feature names and values beyond
// the documented example (update_elastic_flavor, tcpssl); the charge change answers 200.
import { availabilityZones } from "../../../kernel/regions.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, listQuery, one, requireScope, values, V3 } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { FLAVORS } from "../model.ts";
import { lbSettings, saveLbSettings } from "./domains.ts";
import { requireLoadBalancer } from "./loadbalancers.ts";

/** [feature, type, value, description]: what hwlocal's load balancers can do. */
const FEATURES: readonly (readonly [string, "BOOL" | "INT", string, string])[] = [
  ["update_elastic_flavor", "BOOL", "false", "Elastic (autoscaling) flavors"],
  ["tcpssl", "BOOL", "false", "TLS listeners"],
  ["ipv6", "BOOL", "false", "IPv6 VIPs and members"],
  ["ip_target", "BOOL", "true", "IP as a backend (members outside the VPC)"],
  ["members_per_pool", "INT", "1000", "Members a pool holds"],
];
const FEATURES_SINCE = "2026-01-01T00:00:00Z";

export const listLoadbalancerFeature = elbOperation({
  name: "ListLoadbalancerFeature",
  method: "GET",
  path: `${V3}/loadbalancers/{loadbalancer_id}/features`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    requireLoadBalancer(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    return { body: { features: FEATURES.map(([feature, type, value]) => ({ feature, type, value })), request_id: ctx.request.requestId } };
  },
});

export const listFeatureConfigs = elbOperation({
  name: "ListFeatureConfigs",
  method: "GET",
  path: `${V3}/feature/configs`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const want = values(ctx.input.query, "feature");
    const configs = FEATURES.filter(([f]) => !want || want.includes(f)).map(([feature, type, value, description], i) => ({
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
      created_at: FEATURES_SINCE,
      updated_at: FEATURES_SINCE,
      service: "ELB",
      tenant_id: projectId,
      feature,
      switch: true,
      type,
      value,
      description,
      caller: "hwlocal",
    }));
    const page_info = { previous_marker: configs[0]?.id ?? null, next_marker: null, current_count: configs.length };
    return { body: { configs, page_info, request_id: ctx.request.requestId } };
  },
});

export const showLoadBalancerTopology = elbOperation({
  name: "ShowLoadBalancerTopology",
  method: "GET",
  path: `${V3}/loadbalancers/{loadbalancer_id}/topology`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const lb = requireLoadBalancer(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    const d = lb.doc;
    const listeners = store.listeners.byLb(projectId, lb.id);
    const pools = store.pools.byLb(projectId, lb.id);
    const edges: Record<string, unknown>[] = d.eips.map((e) => ({ source: e.eip_id, target: lb.id, source_type: "eip", target_type: "loadbalancer" }));
    const l7policies: Record<string, unknown>[] = [];
    for (const l of listeners) {
      edges.push({ source: lb.id, target: l.id, source_type: "loadbalancer", target_type: "listener" });
      if (l.doc.default_pool_id) edges.push({ source: l.id, target: l.doc.default_pool_id, source_type: "listener", target_type: "pool" });
      for (const p of store.l7policies.byParent(projectId, l.id)) {
        const rules = store.l7rules.byParent(projectId, p.id).map((r) => ({
          id: r.id,
          project_id: projectId,
          type: r.doc.type,
          compare_type: r.doc.compare_type,
          key: r.doc.key,
          value: r.doc.value,
          invert: r.doc.invert,
          admin_state_up: r.doc.admin_state_up,
          provisioning_status: "ACTIVE",
        }));
        l7policies.push({ id: p.id, name: p.doc.name, priority: p.doc.priority === null ? null : String(p.doc.priority), action: p.doc.action, admin_state_up: p.doc.admin_state_up, rules });
        if (p.doc.action === "REDIRECT_TO_POOL" && p.doc.redirect_pool_id)
          edges.push({ source: l.id, target: p.doc.redirect_pool_id, source_type: "listener", target_type: "pool", label: p.doc.name, label_id: p.id });
      }
    }
    const topology = {
      nodes: {
        loadbalancers: [{ id: lb.id, name: d.name, guaranteed: true, l4_flavor_id: d.l4_flavor_id, l7_flavor_id: d.l7_flavor_id, vip_address: d.vip_address, ipv6_vip_address: null, availability_zone_list: d.availability_zone_list }],
        eips: d.eips.map((e) => ({ id: e.eip_id, ip_address: e.eip_address, ip_version: e.ip_version })),
        listeners: listeners.map((l) => ({ id: l.id, name: l.doc.name, protocol: l.doc.protocol, protocol_port: l.doc.protocol_port, port_ranges: [] })),
        pools: pools.map((p) => ({ id: p.id, name: p.doc.name, protocol: p.doc.protocol, type: p.doc.type, lb_algorithm: p.doc.lb_algorithm })),
      },
      edges,
      labels: { l7policies },
    };
    return { body: { topology, request_id: ctx.request.requestId } };
  },
});

export const countPreoccupyIpNum = elbOperation({
  name: "CountPreoccupyIpNum",
  method: "GET",
  path: `${V3}/preoccupy-ip-num`,
  query: listQuery,
  handle(ctx) {
    const { projectId, region } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const flag = (key: string): boolean | undefined => {
      const v = one(q, key);
      if (v === undefined) return undefined;
      if (v !== "true" && v !== "false") throw elbErrors.invalid(`${key} ${v.slice(0, 16)} is not a boolean.`);
      return v === "true";
    };
    const l7 = one(q, "l7_flavor_id");
    if (l7 !== undefined) {
      const f = FLAVORS.find((x) => x.id === l7);
      if (!f) throw elbErrors.notFound("Flavor", l7);
      if (f.type !== "L7") throw elbErrors.invalid(`l7_flavor_id ${l7} is not an L7 flavor.`);
    }
    flag("ip_target_enable");
    flag("nat64_enable");
    const version = one(q, "ip_version");
    if (version !== undefined && version !== "4" && version !== "6") throw elbErrors.invalid(`ip_version ${version.slice(0, 16)} is not in [4, 6].`);
    const scene = one(q, "scene");
    if (scene !== undefined && scene !== "UPGRADE") throw elbErrors.invalid(`scene ${scene.slice(0, 32)} is not in [UPGRADE].`);
    const lbId = one(q, "loadbalancer_id");
    let total: number;
    if (lbId !== undefined) {
      requireLoadBalancer(ctx.svc, projectId, lbId);
      if (scene === "UPGRADE") throw elbErrors.invalid(`Loadbalancer ${lbId} is already a dedicated load balancer.`);
      total = 0;
    } else {
      if (scene !== undefined) throw elbErrors.invalid("scene needs loadbalancer_id.");
      const zones = values(q, "availability_zone_id");
      if (!zones?.length) throw elbErrors.invalid("availability_zone_id or loadbalancer_id is required.");
      const known = availabilityZones(region);
      for (const z of zones) if (!known.includes(z)) throw elbErrors.invalid(`availability_zone_id: ${z.slice(0, 32)} is not in [${known.join(", ")}].`);
      if (version === "6") throw elbErrors.invalid("ip_version 6: hwlocal serves IPv4 load balancers only.");
      total = 1;
    }
    return { body: { preoccupy_ip: { total }, request_id: ctx.request.requestId } };
  },
});

export const upgradeLoadbalancer = elbOperation({
  name: "UpgradeLoadbalancer",
  method: "POST",
  path: `${V3}/loadbalancers/{loadbalancer_id}/upgrade`,
  body: z.object({
    action: z.enum(["start", "complete", "rollback"]),
    l4_flavor_id: z.string().optional(),
    l7_flavor_id: z.string().optional(),
    availability_zone_list: z.array(z.string()).optional(),
    ipv6_vip_virsubnet_id: z.string().optional(),
    ipv6_vip_address: z.string().optional(),
    elb_virsubnet_ids: z.array(z.string()).optional(),
  }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const lb = requireLoadBalancer(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    const b = ctx.input.body;
    if (b.action === "start" && !b.availability_zone_list?.length) throw elbErrors.invalid("availability_zone_list is required to start an upgrade.");
    if (b.action === "start" && !b.l4_flavor_id && !b.l7_flavor_id) throw elbErrors.invalid("l4_flavor_id or l7_flavor_id is required to start an upgrade.");
    throw elbErrors.invalid(`Loadbalancer ${lb.id} is a dedicated load balancer: only shared load balancers are upgraded.`);
  },
});

export const changeLoadbalancerChargeMode = elbOperation({
  name: "ChangeLoadbalancerChargeMode",
  method: "POST",
  path: `${V3}/loadbalancers/change-charge-mode`,
  body: z.object({
    loadbalancer_ids: z.array(z.string().min(1)).min(1).max(20),
    charge_mode: z.literal("prepaid"),
    prepaid_options: z
      .object({
        include_publicip: z.boolean().optional(),
        publicip_ids: z.array(z.string()).optional(),
        period_type: z.enum(["month", "year"]),
        period_num: z.number().int().min(1).optional(),
        auto_renew: z.boolean().optional(),
        auto_pay: z.boolean().optional(),
      })
      .optional(),
  }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body;
    const o = b.prepaid_options;
    if (o?.period_num !== undefined && o.period_num > (o.period_type === "year" ? 3 : 9)) throw elbErrors.invalid(`period_num ${o.period_num} is out of range for ${o.period_type}.`);
    if (o?.publicip_ids?.length && !o.include_publicip) throw elbErrors.invalid("publicip_ids needs include_publicip true.");
    const ids = [...new Set(b.loadbalancer_ids)];
    const lbs = ids.map((id) => requireLoadBalancer(svc, projectId, id));
    const rows = lbs.map((lb) => lbSettings(svc, lb));
    for (const r of rows) if (r.doc.charge_mode === "prepaid") throw elbErrors.invalid(`Loadbalancer ${r.id} is already prepaid.`);
    const bound = lbs.flatMap((lb) => lb.doc.eips.map((e) => e.eip_id));
    let eips: string[] = [];
    if (o?.include_publicip) {
      eips = o.publicip_ids ?? bound;
      for (const e of eips) if (!bound.includes(e)) throw elbErrors.invalid(`publicip_ids: ${e.slice(0, 64)} is not bound to these load balancers.`);
    }
    svc.store.tx(() => {
      for (const r of rows) {
        r.doc.charge_mode = "prepaid";
        saveLbSettings(svc, r);
      }
    });
    const orderId = `CS${ctx.ids.uuid().replace(/-/g, "").slice(0, 15).toUpperCase()}`;
    return { body: { loadbalancer_id_list: ids, eip_id_list: eips, order_id: orderId, request_id: ctx.request.requestId } };
  },
});

export const lbExtraOperations = [listLoadbalancerFeature, listFeatureConfigs, showLoadBalancerTopology, countPreoccupyIpNum, upgradeLoadbalancer, changeLoadbalancerChargeMode];
