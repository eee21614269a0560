// Load balancers (/elb/loadbalancers, elb-facts §3.2): the VIP is a VPC port of vip_subnet_cidr_id's
// subnet (taken through rt.api("vpc") as ECS takes NIC ports), an EIP is bound to that port (an existing
// one by publicip_ids, or a new one by publicip); deletion is refused while listeners or pools remain.
import { availabilityZones } from "../../../kernel/regions.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { DEFAULT_L4_FLAVOR, DEFAULT_L7_FLAVOR, FLAVORS, QUOTA, type LoadBalancerDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { loadBalancerView } from "../views.ts";
import { finishLoadBalancerDelete } from "./recycle-bin.ts";
import { lbStatusTree } from "../status.ts";
import { tagSchema } from "./tags-spec.ts";

const NAME = z.string().max(255);

const createBody = z.object({
  loadbalancer: z.object({
    name: NAME.optional(),
    description: z.string().max(255).optional(),
    vpc_id: z.string().optional(),
    vip_subnet_cidr_id: z.string().optional(),
    vip_address: z.string().optional(),
    ipv6_vip_virsubnet_id: z.string().optional(),
    elb_virsubnet_ids: z.array(z.string()).optional(),
    availability_zone_list: z.array(z.string()).min(1),
    l4_flavor_id: z.string().optional(),
    l7_flavor_id: z.string().optional(),
    guaranteed: z.boolean().optional(),
    admin_state_up: z.boolean().optional(),
    provider: z.string().optional(),
    tags: z.array(tagSchema).max(20).optional(),
    enterprise_project_id: z.string().optional(),
    ip_target_enable: z.boolean().optional(),
    deletion_protection_enable: z.boolean().optional(),
    publicip_ids: z.array(z.string()).optional(),
    publicip: z
      .object({
        ip_version: z.number().optional(),
        network_type: z.string().optional(),
        billing_info: z.string().optional(),
        description: z.string().optional(),
        bandwidth: z.object({
          name: z.string().optional(),
          size: z.number().int().min(1).max(2000).optional(),
          charge_mode: z.enum(["bandwidth", "traffic"]).optional(),
          share_type: z.enum(["PER", "WHOLE"]).optional(),
          id: z.string().optional(),
        }),
      })
      .optional(),
  }),
});

const updateBody = z.object({
  loadbalancer: z.object({
    name: NAME.optional(),
    description: z.string().max(255).optional(),
    admin_state_up: z.boolean().optional(),
    l4_flavor_id: z.string().nullable().optional(),
    l7_flavor_id: z.string().nullable().optional(),
    ip_target_enable: z.boolean().optional(),
    deletion_protection_enable: z.boolean().optional(),
    elb_virsubnet_ids: z.array(z.string()).optional(),
  }),
});

function flavorOf(id: string | undefined, type: "L4" | "L7", field: string): void {
  if (id === undefined) return;
  const f = FLAVORS.find((x) => x.id === id);
  if (!f) throw elbErrors.notFound("Flavor", id);
  if (f.type !== type) throw elbErrors.invalid(`${field} ${id} is not an ${type} flavor.`);
}

export function requireLoadBalancer(svc: ElbContext, projectId: string, id: string): DocRow<LoadBalancerDoc> {
  const lb = svc.store.loadbalancers.get(projectId, id);
  if (!lb) throw elbErrors.notFound("Loadbalancer", id);
  return lb;
}

export function renderLoadBalancer(svc: ElbContext, lb: DocRow<LoadBalancerDoc>): Record<string, unknown> {
  const { store } = svc;
  return loadBalancerView(lb, { listeners: store.listeners.byLb(lb.projectId, lb.id), pools: store.pools.byLb(lb.projectId, lb.id) });
}

/** The subnet of a VIP or downlink given as an IPv4 subnet id (neutron_subnet_id), in the project. */
function subnetOf(svc: ElbContext, projectId: string, id: string, field: string) {
  const s = svc.vpc().subnet(projectId, id);
  if (!s) throw elbErrors.notFound("Subnet", id);
  if (field === "vip_subnet_cidr_id" && s.neutronSubnetId !== id) throw elbErrors.invalid(`${field} must be the subnet's IPv4 subnet id (neutron_subnet_id).`);
  return s;
}

export const createLoadBalancer = elbOperation({
  name: "CreateLoadBalancer",
  method: "POST",
  path: `${V3}/loadbalancers`,
  body: createBody,
  handle(ctx) {
    const { projectId, region } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.loadbalancer;
    if (b.guaranteed === false) throw elbErrors.invalid("guaranteed: only true is supported.");
    if (b.admin_state_up === false) throw elbErrors.invalid("admin_state_up: only true is supported.");
    if (b.provider !== undefined && b.provider !== "vlb") throw elbErrors.invalid(`provider ${b.provider} is not in [vlb].`);
    if (b.enterprise_project_id === "0") throw elbErrors.invalid("enterprise_project_id: \"0\" may not be sent (leave it out for the default project).");
    if (b.enterprise_project_id !== undefined) throw elbErrors.invalid(`enterprise_project_id ${b.enterprise_project_id} does not exist.`);
    const zones = availabilityZones(region);
    for (const zone of b.availability_zone_list) if (!zones.includes(zone)) throw elbErrors.invalid(`availability_zone_list: ${zone} is not in [${zones.join(", ")}].`);
    if (new Set(b.availability_zone_list).size !== b.availability_zone_list.length) throw elbErrors.invalid("availability_zone_list has duplicates.");
    flavorOf(b.l4_flavor_id, "L4", "l4_flavor_id");
    flavorOf(b.l7_flavor_id, "L7", "l7_flavor_id");
    if (b.publicip_ids && b.publicip) throw elbErrors.invalid("publicip_ids and publicip are mutually exclusive.");
    if (!b.vpc_id && !b.vip_subnet_cidr_id && !b.ipv6_vip_virsubnet_id) throw elbErrors.invalid("one of vpc_id, vip_subnet_cidr_id, ipv6_vip_virsubnet_id is required.");
    if (b.ipv6_vip_virsubnet_id) throw elbErrors.invalid("ipv6_vip_virsubnet_id: hwlocal serves IPv4 load balancers only.");
    if (b.vip_address !== undefined && !b.vip_subnet_cidr_id) throw elbErrors.invalid("vip_address needs vip_subnet_cidr_id.");
    if ((b.publicip_ids?.length || b.publicip) && !b.vip_subnet_cidr_id) throw elbErrors.invalid("an EIP needs an IPv4 VIP (vip_subnet_cidr_id).");
    const vpc = svc.vpc();
    let vpcId = b.vpc_id;
    if (vpcId && !vpc.vpc(projectId, vpcId)) throw elbErrors.notFound("Vpc", vpcId);
    const vip = b.vip_subnet_cidr_id ? subnetOf(svc, projectId, b.vip_subnet_cidr_id, "vip_subnet_cidr_id") : undefined;
    if (vip) {
      if (vpcId && vip.vpcId !== vpcId) throw elbErrors.invalid(`vip_subnet_cidr_id ${vip.neutronSubnetId} is not in vpc ${vpcId}.`);
      vpcId = vip.vpcId;
    }
    const downlinks = b.elb_virsubnet_ids ?? (vip ? [vip.id] : []);
    for (const id of downlinks) {
      const s = vpc.subnet(projectId, id);
      if (!s || s.id !== id) throw elbErrors.notFound("Subnet", id);
      if (s.vpcId !== vpcId) throw elbErrors.invalid(`elb_virsubnet_ids: ${id} is not in vpc ${vpcId}.`);
    }
    const eipId = b.publicip_ids?.[0];
    if (eipId !== undefined) {
      const e = vpc.publicIp(projectId, eipId);
      if (!e) throw elbErrors.notFound("Publicip", eipId);
      if (e.portId !== null) throw elbErrors.conflict(`Publicip ${eipId} is already bound.`);
    }
    if (svc.store.loadbalancers.count(projectId) >= QUOTA.loadbalancer) throw elbErrors.quota("loadbalancer");
    const now = ctx.clock.now();
    const id = ctx.ids.uuid();
    const lb = svc.store.tx(() => {
      const doc: LoadBalancerDoc = {
        name: b.name ?? "",
        description: b.description ?? "",
        vpc_id: vpcId!,
        vip_subnet_cidr_id: vip?.neutronSubnetId ?? null,
        vip_address: null,
        vip_port_id: null,
        ipv6_vip_virsubnet_id: null,
        availability_zone_list: b.availability_zone_list,
        l4_flavor_id: b.l4_flavor_id ?? (b.l7_flavor_id ? null : DEFAULT_L4_FLAVOR),
        l7_flavor_id: b.l7_flavor_id ?? (b.l4_flavor_id ? null : DEFAULT_L7_FLAVOR),
        elb_virsubnet_ids: downlinks,
        ip_target_enable: b.ip_target_enable ?? false,
        deletion_protection_enable: b.deletion_protection_enable ?? false,
        enterprise_project_id: "0",
        tags: b.tags ?? [],
        eips: [],
        own_eip_id: null,
        created_at: now,
        updated_at: now,
      };
      if (vip) {
        const port = vpc.createPort(projectId, { subnetId: vip.id, ipAddress: b.vip_address, deviceId: id, deviceOwner: "neutron:LOADBALANCERV2", name: `ELB-${id}` });
        if (!port.ok) {
          if (port.reason === "ip-in-use") throw elbErrors.conflict(`vip_address ${b.vip_address ?? ""} is already in use.`);
          if (port.reason === "subnet-not-found") throw elbErrors.notFound("Subnet", vip.id);
          throw elbErrors.invalid(`vip_address: ${port.message}`);
        }
        doc.vip_address = port.port.ipAddress;
        doc.vip_port_id = port.port.id;
        let bindId = eipId;
        if (b.publicip) {
          const bw = b.publicip.bandwidth;
          const made = vpc.allocatePublicIp(projectId, {
            type: b.publicip.network_type ?? "5_bgp",
            bandwidth: { size: bw.size, shareType: bw.share_type ?? "PER", chargeMode: bw.charge_mode, name: bw.name, id: bw.id },
          });
          if (!made.ok) {
            if (made.reason === "quota-exceeded") throw elbErrors.quota("publicip");
            throw elbErrors.invalid(`publicip: ${made.message}`);
          }
          bindId = made.publicIp.id;
          doc.own_eip_id = bindId;
        }
        if (bindId !== undefined) {
          const bound = vpc.bindPublicIp(projectId, bindId, port.port.id);
          if (!bound.ok) throw elbErrors.conflict(`Publicip ${bindId}: ${bound.message}`);
          doc.eips = [{ eip_id: bindId, eip_address: bound.publicIp.publicIpAddress, ip_version: 4 }];
        }
      }
      return svc.store.loadbalancers.insert({ id, projectId, lbId: id, parentId: null, doc });
    });
    return { status: 201, body: { loadbalancer: renderLoadBalancer(svc, lb), request_id: ctx.request.requestId } };
  },
});

export const listLoadBalancers = elbOperation({
  name: "ListLoadBalancers",
  method: "GET",
  path: `${V3}/loadbalancers`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const q = ctx.input.query;
    const memberAddresses = q.member_address !== undefined || q.member_device_id !== undefined;
    const rows = filtered(svc.store.loadbalancers.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      provisioning_status: () => "ACTIVE",
      operating_status: () => "ONLINE",
      vpc_id: (r) => r.doc.vpc_id,
      vip_address: (r) => r.doc.vip_address,
      vip_subnet_cidr_id: (r) => r.doc.vip_subnet_cidr_id,
      vip_port_id: (r) => r.doc.vip_port_id,
      eips: (r) => r.doc.eips.flatMap((e) => [e.eip_id, e.eip_address]),
      publicips: (r) => r.doc.eips.flatMap((e) => [e.eip_id, e.eip_address]),
      availability_zone_list: (r) => r.doc.availability_zone_list,
      l4_flavor_id: (r) => r.doc.l4_flavor_id,
      l7_flavor_id: (r) => r.doc.l7_flavor_id,
      enterprise_project_id: (r) => r.doc.enterprise_project_id,
      deletion_protection_enable: (r) => r.doc.deletion_protection_enable,
      ip_version: () => [4],
      member_address: (r) => (memberAddresses ? membersOfLb(svc, projectId, r.id).map((m) => m.doc.address) : []),
      member_device_id: (r) => (memberAddresses ? membersOfLb(svc, projectId, r.id).map((m) => m.doc.instance_id ?? "") : []),
    });
    const p = page(rows, q);
    return { body: { loadbalancers: p.items.map((r) => renderLoadBalancer(svc, r)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

function membersOfLb(svc: ElbContext, projectId: string, lbId: string) {
  return svc.store.pools.byLb(projectId, lbId).flatMap((p) => svc.store.members.byParent(projectId, p.id));
}

export const showLoadBalancer = elbOperation({
  name: "ShowLoadBalancer",
  method: "GET",
  path: `${V3}/loadbalancers/{loadbalancer_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const lb = requireLoadBalancer(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    return { body: { loadbalancer: renderLoadBalancer(ctx.svc, lb), request_id: ctx.request.requestId } };
  },
});

export const updateLoadBalancer = elbOperation({
  name: "UpdateLoadBalancer",
  method: "PUT",
  path: `${V3}/loadbalancers/{loadbalancer_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const lb = requireLoadBalancer(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    const b = ctx.input.body.loadbalancer;
    if (b.admin_state_up === false) throw elbErrors.invalid("admin_state_up: only true is supported.");
    if (b.ip_target_enable === false && lb.doc.ip_target_enable) throw elbErrors.invalid("ip_target_enable cannot be switched off.");
    flavorOf(b.l4_flavor_id ?? undefined, "L4", "l4_flavor_id");
    flavorOf(b.l7_flavor_id ?? undefined, "L7", "l7_flavor_id");
    const d = lb.doc;
    const l4 = b.l4_flavor_id === undefined ? d.l4_flavor_id : b.l4_flavor_id;
    const l7 = b.l7_flavor_id === undefined ? d.l7_flavor_id : b.l7_flavor_id;
    if (!l4 && !l7) throw elbErrors.invalid("a load balancer keeps at least one flavor.");
    const listeners = svc.store.listeners.byLb(projectId, lb.id);
    if (!l4 && listeners.some((l) => l.doc.protocol === "TCP" || l.doc.protocol === "UDP")) throw elbErrors.conflict("TCP/UDP listeners need an L4 flavor.");
    if (!l7 && listeners.some((l) => l.doc.protocol === "HTTP" || l.doc.protocol === "HTTPS" || l.doc.protocol === "QUIC")) throw elbErrors.conflict("HTTP/HTTPS/QUIC listeners need an L7 flavor.");
    if (b.elb_virsubnet_ids) {
      for (const id of b.elb_virsubnet_ids) {
        const s = svc.vpc().subnet(projectId, id);
        if (!s || s.id !== id) throw elbErrors.notFound("Subnet", id);
        if (s.vpcId !== d.vpc_id) throw elbErrors.invalid(`elb_virsubnet_ids: ${id} is not in vpc ${d.vpc_id}.`);
      }
      d.elb_virsubnet_ids = b.elb_virsubnet_ids;
    }
    if (b.name !== undefined) d.name = b.name;
    if (b.description !== undefined) d.description = b.description;
    if (b.ip_target_enable !== undefined) d.ip_target_enable = b.ip_target_enable;
    if (b.deletion_protection_enable !== undefined) d.deletion_protection_enable = b.deletion_protection_enable;
    d.l4_flavor_id = l4;
    d.l7_flavor_id = l7;
    d.updated_at = ctx.clock.now();
    svc.store.loadbalancers.update(lb);
    return { body: { loadbalancer: renderLoadBalancer(svc, lb), request_id: ctx.request.requestId } };
  },
});

export const deleteLoadBalancer = elbOperation({
  name: "DeleteLoadBalancer",
  method: "DELETE",
  path: `${V3}/loadbalancers/{loadbalancer_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const lb = requireLoadBalancer(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    if (lb.doc.deletion_protection_enable) throw elbErrors.conflict(`Loadbalancer ${lb.id} has deletion protection enabled.`);
    if (svc.store.listeners.byLb(projectId, lb.id).length) throw elbErrors.conflict(`Loadbalancer ${lb.id} still has listeners: delete its listeners first.`);
    if (svc.store.pools.byLb(projectId, lb.id).length) throw elbErrors.conflict(`Loadbalancer ${lb.id} still has pools: delete its pools first.`);
    svc.store.tx(() => finishLoadBalancerDelete(svc, projectId, lb, { force: false }));
    return { status: 204 };
  },
});

export const showLoadBalancerStatus = elbOperation({
  name: "ShowLoadBalancerStatus",
  method: "GET",
  path: `${V3}/loadbalancers/{loadbalancer_id}/statuses`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const lb = requireLoadBalancer(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    return { body: { statuses: { loadbalancer: lbStatusTree(ctx.svc, lb) }, request_id: ctx.request.requestId } };
  },
});

export const loadBalancerOperations = [createLoadBalancer, listLoadBalancers, showLoadBalancer, updateLoadBalancer, deleteLoadBalancer, showLoadBalancerStatus];
