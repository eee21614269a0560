// Row → wire JSON for VPC v1 (the SDK's v2 module, sdk-wire-facts §5.3 and the model .d.ts files): the only
// place that spells v1 response fields.
import { isoSeconds } from "../../kernel/time.ts";
import { QUOTA_TYPES, QUOTAS, type QuotaType } from "./quotas.ts";
import type { PortRow, RuleRow, SecurityGroupRow, SubnetRow, VpcRow } from "./store/index.ts";

export function vpc(v: VpcRow) {
  return {
    id: v.id,
    name: v.name,
    cidr: v.cidr,
    description: v.description,
    routes: v.routes,
    status: "OK",
    enterprise_project_id: v.enterprise_project_id,
    tenant_id: v.project_id,
    created_at: isoSeconds(v.created_at),
    updated_at: isoSeconds(v.updated_at),
  };
}

export function subnet(s: SubnetRow) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    cidr: s.cidr,
    gateway_ip: s.gateway_ip,
    ipv6_enable: false,
    cidr_v6: "",
    gateway_ip_v6: "",
    dhcp_enable: s.dhcp_enable,
    primary_dns: s.primary_dns,
    secondary_dns: s.secondary_dns,
    dnsList: s.dns_list,
    availability_zone: s.availability_zone,
    vpc_id: s.vpc_id,
    status: "ACTIVE",
    neutron_network_id: s.id,
    neutron_subnet_id: s.neutron_subnet_id,
    neutron_subnet_id_v6: "",
    extra_dhcp_opts: s.extra_dhcp_opts,
    scope: "center",
    tenant_id: s.project_id,
    created_at: isoSeconds(s.created_at),
    updated_at: isoSeconds(s.updated_at),
  };
}

export function rule(r: RuleRow) {
  return {
    id: r.id,
    description: r.description,
    security_group_id: r.security_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    port_range_min: r.port_range_min,
    port_range_max: r.port_range_max,
    remote_ip_prefix: r.remote_ip_prefix,
    remote_group_id: r.remote_group_id,
    remote_address_group_id: r.remote_address_group_id,
    tenant_id: r.project_id,
  };
}

export function securityGroup(g: SecurityGroupRow, rules: RuleRow[]) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    vpc_id: g.vpc_id,
    enterprise_project_id: g.enterprise_project_id,
    security_group_rules: rules.map(rule),
  };
}

/** A port is ACTIVE while a device (a server) uses it, DOWN otherwise. */
export function portStatus(p: PortRow): "ACTIVE" | "DOWN" {
  return p.device_id === "" ? "DOWN" : "ACTIVE";
}

export function port(p: PortRow, s: SubnetRow) {
  return {
    id: p.id,
    name: p.name,
    network_id: p.subnet_id,
    admin_state_up: p.admin_state_up,
    mac_address: p.mac_address,
    fixed_ips: [{ subnet_id: s.neutron_subnet_id, ip_address: p.ip_address }],
    device_id: p.device_id,
    device_owner: p.device_owner,
    tenant_id: p.project_id,
    status: portStatus(p),
    security_groups: p.security_groups,
    allowed_address_pairs: p.allowed_address_pairs,
    extra_dhcp_opts: p.extra_dhcp_opts,
    "binding:vnic_type": "normal",
    dns_assignment: [],
    dns_name: "",
    "binding:vif_details": {},
    "binding:profile": {},
    instance_id: "",
    instance_type: "",
    port_security_enabled: true,
    zone_id: s.availability_zone,
    enable_efi: false,
  };
}

export function privateIp(p: PortRow) {
  return {
    status: portStatus(p),
    id: p.id,
    subnet_id: p.subnet_id,
    tenant_id: p.project_id,
    device_owner: p.device_owner,
    ip_address: p.ip_address,
  };
}

export function quotas(used: Record<QuotaType, number>, only: QuotaType | undefined) {
  const types = only === undefined ? QUOTA_TYPES : [only];
  return { resources: types.map((type) => ({ type, used: used[type], quota: QUOTAS[type], min: 0 })) };
}
