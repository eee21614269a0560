// Row → neutron /v2.0 wire JSON (the VPC SDK's Neutron* models, plus the attributes OpenStack's clients
// read): the only place that spells neutron's response fields. Times are neutron's "2018-09-20T01:53:34".
import { createHash } from "node:crypto";
import { isoSeconds } from "../../kernel/time.ts";
import { allocatableRange, formatIpv4, parseCidr } from "./ip.ts";
import * as views from "./views.ts";
import type { PortRow, PublicIpRow, RuleRow, SecurityGroupRow, SubnetRow, VpcRow } from "./store/index.ts";
import type { NeutronNetworkRow, RouterAttrs } from "./store/neutron.ts";

const time = (ms: number) => isoSeconds(ms).slice(0, 19);

export const EXTERNAL_NETWORK_NAME = "admin_external_net";

/** The id of a region's `admin_external_net`: stable, the same for every project of the region. */
export function externalNetworkId(region: string): string {
  const h = createHash("sha1").update(`hwlocal:${EXTERNAL_NETWORK_NAME}:${region}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function networkBase(id: string, projectId: string) {
  return {
    id,
    status: "ACTIVE",
    shared: false,
    "router:external": false,
    "provider:network_type": "vxlan",
    port_security_enabled: true,
    dns_domain: "",
    description: "",
    mtu: 1500,
    tenant_id: projectId,
    project_id: projectId,
  };
}

/** A network: a VPC subnet's (its id, its one neutron subnet), or one made through neutron with no subnet yet. */
export function network(s: SubnetRow | undefined, overlay: NeutronNetworkRow | undefined) {
  const id = s?.id ?? overlay!.id;
  const projectId = s?.project_id ?? overlay!.project_id;
  return {
    ...networkBase(id, projectId),
    name: overlay?.name ?? s!.name,
    admin_state_up: overlay?.admin_state_up ?? true,
    subnets: s ? [s.neutron_subnet_id] : [],
    availability_zone_hints: [],
    availability_zones: s && s.availability_zone !== "" ? [s.availability_zone] : [],
    created_at: time(overlay?.created_at ?? s!.created_at),
    updated_at: time(Math.max(overlay?.updated_at ?? 0, s?.updated_at ?? 0)),
  };
}

/** The region's external network, owned by no tenant of hwlocal; floating IPs come from it. */
export function externalNetwork(region: string) {
  return {
    ...networkBase(externalNetworkId(region), "admin"),
    name: EXTERNAL_NETWORK_NAME,
    "router:external": true,
    "provider:network_type": "",
    admin_state_up: true,
    subnets: [],
    availability_zone_hints: [],
    availability_zones: [],
    created_at: time(0),
    updated_at: time(0),
  };
}

export function subnet(s: SubnetRow) {
  const c = parseCidr(s.cidr)!;
  const { lo, hi } = allocatableRange(c);
  const gw = s.gateway_ip;
  const start = formatIpv4(lo) === gw ? lo + 1 : lo;
  return {
    id: s.neutron_subnet_id,
    name: s.name,
    description: s.description,
    cidr: s.cidr,
    gateway_ip: gw,
    network_id: s.id,
    ip_version: 4,
    enable_dhcp: s.dhcp_enable,
    dns_nameservers: s.dns_list,
    allocation_pools: [{ start: formatIpv4(start), end: formatIpv4(hi) }],
    host_routes: [],
    subnetpool_id: "",
    ipv6_address_mode: null,
    ipv6_ra_mode: null,
    tenant_id: s.project_id,
    project_id: s.project_id,
    created_at: time(s.created_at),
    updated_at: time(s.updated_at),
  };
}

export function port(p: PortRow, s: SubnetRow) {
  const v = views.port(p, s);
  return {
    id: v.id,
    name: v.name,
    network_id: v.network_id,
    admin_state_up: v.admin_state_up,
    mac_address: v.mac_address,
    fixed_ips: v.fixed_ips,
    device_id: v.device_id,
    device_owner: v.device_owner,
    status: v.status,
    security_groups: v.security_groups,
    allowed_address_pairs: v.allowed_address_pairs,
    extra_dhcp_opts: v.extra_dhcp_opts,
    "binding:vnic_type": "normal",
    "binding:vif_details": {},
    "binding:profile": {},
    dns_assignment: [],
    dns_name: "",
    port_security_enabled: true,
    description: "",
    tenant_id: p.project_id,
    project_id: p.project_id,
    created_at: time(p.created_at),
    updated_at: time(p.updated_at),
  };
}

export function rule(r: RuleRow) {
  return {
    ...views.rule(r),
    project_id: r.project_id,
    created_at: time(r.created_at),
    updated_at: time(r.updated_at),
  };
}

export function securityGroup(g: SecurityGroupRow, rules: RuleRow[]) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    security_group_rules: rules.map(rule),
    tenant_id: g.project_id,
    project_id: g.project_id,
    created_at: time(g.created_at),
    updated_at: time(g.updated_at),
  };
}

export function router(v: VpcRow, attrs: RouterAttrs | undefined) {
  const ext = attrs?.external_network_id ?? null;
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    status: "ACTIVE",
    admin_state_up: attrs?.admin_state_up ?? true,
    external_gateway_info: ext === null ? null : { network_id: ext, enable_snat: false, external_fixed_ips: [] },
    routes: v.routes,
    tenant_id: v.project_id,
    project_id: v.project_id,
    created_at: time(v.created_at),
    updated_at: time(v.updated_at),
  };
}

/** A floating IP is an EIP; router_id is the VPC of the port it is bound to. */
export function floatingIp(e: PublicIpRow, opts: { region: string; routerId: string | null }) {
  return {
    id: e.id,
    floating_ip_address: e.public_ip_address,
    floating_network_id: externalNetworkId(opts.region),
    router_id: opts.routerId,
    port_id: e.port_id,
    fixed_ip_address: e.private_ip_address,
    status: e.port_id === null ? "DOWN" : "ACTIVE",
    description: "",
    tenant_id: e.project_id,
    project_id: e.project_id,
    created_at: time(e.created_at),
    updated_at: time(e.updated_at),
  };
}
