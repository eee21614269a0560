// Row → wire JSON for VPC v3 (the SDK's v3 module; sdk-wire-facts §5.3 "VPC v3 shapes") and for EIP v1
// (reference §3.3): the only place that spells their response fields.
import { isoSeconds } from "../../kernel/time.ts";
import type { BandwidthRow, PublicIpRow, RuleRow, SecurityGroupRow, VpcRow } from "./store/index.ts";

export function vpcV3(v: VpcRow, subnetCount: number, routeTableCount: number) {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    cidr: v.cidr,
    extend_cidrs: v.extend_cidrs,
    status: "ACTIVE",
    project_id: v.project_id,
    enterprise_project_id: v.enterprise_project_id,
    created_at: isoSeconds(v.created_at),
    updated_at: isoSeconds(v.updated_at),
    cloud_resources: [
      { resource_type: "routetable", resource_count: routeTableCount },
      { resource_type: "virsubnet", resource_count: subnetCount },
    ],
    tags: v.tags,
  };
}

export function ruleV3(r: RuleRow) {
  return {
    id: r.id,
    description: r.description,
    security_group_id: r.security_group_id,
    direction: r.direction,
    protocol: r.protocol ?? "",
    ethertype: r.ethertype,
    multiport: r.multiport ?? "",
    action: r.action,
    priority: r.priority,
    remote_group_id: r.remote_group_id ?? "",
    remote_ip_prefix: r.remote_ip_prefix ?? "",
    remote_address_group_id: r.remote_address_group_id ?? "",
    created_at: isoSeconds(r.created_at),
    updated_at: isoSeconds(r.updated_at),
    project_id: r.project_id,
    enabled: r.enabled,
  };
}

export function securityGroupV3(g: SecurityGroupRow, rules: RuleRow[] | undefined) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    project_id: g.project_id,
    created_at: isoSeconds(g.created_at),
    updated_at: isoSeconds(g.updated_at),
    enterprise_project_id: g.enterprise_project_id,
    tags: g.tags,
    ...(rules === undefined ? {} : { security_group_rules: rules.map(ruleV3) }),
  };
}

/** EIP's create_time spelling: "2015-07-16 04:32:50". */
function eipTime(ms: number): string {
  return isoSeconds(ms).slice(0, 19).replace("T", " ");
}

export function publicIp(e: PublicIpRow) {
  return {
    id: e.id,
    status: e.port_id === null ? "DOWN" : "ACTIVE",
    type: e.type,
    public_ip_address: e.public_ip_address,
    ...(e.port_id === null ? {} : { port_id: e.port_id, private_ip_address: e.private_ip_address }),
    tenant_id: e.project_id,
    create_time: eipTime(e.created_at),
    bandwidth_id: e.bandwidth_id,
    bandwidth_name: e.bandwidth_name,
    bandwidth_share_type: e.bandwidth_share_type,
    bandwidth_size: e.bandwidth_size,
    enterprise_project_id: e.enterprise_project_id,
    ip_version: 4,
    alias: e.alias,
  };
}

export function bandwidth(b: BandwidthRow, ips: PublicIpRow[]) {
  return {
    id: b.id,
    name: b.name,
    size: b.size,
    share_type: b.share_type,
    publicip_info: ips.map((e) => ({ publicip_id: e.id, publicip_address: e.public_ip_address, ip_version: 4, publicip_type: e.type })),
    tenant_id: b.project_id,
    bandwidth_type: b.share_type === "WHOLE" ? "share" : "bgp",
    charge_mode: b.charge_mode,
    billing_info: "",
    enterprise_project_id: b.enterprise_project_id,
    status: "NORMAL",
    created_at: isoSeconds(b.created_at),
    updated_at: isoSeconds(b.updated_at),
  };
}
