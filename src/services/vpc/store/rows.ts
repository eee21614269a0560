// Typed records of VPC's tables, checked column by column as they are read back (ARCHITECTURE.md rule 11).
import { flag, int, intOrNull, oneOf, RowError, text, textOrNull, type SqlRow } from "../../../store/rows.ts";

export interface Route {
  destination: string;
  nexthop: string;
}

export interface Tag {
  key: string;
  value: string;
}

export interface DhcpOption {
  opt_name: string;
  opt_value: string;
}

export interface AddressPair {
  ip_address: string;
  mac_address?: string;
}

function json<T>(r: SqlRow, k: string, check: (v: unknown) => v is T): T {
  const v: unknown = JSON.parse(text(r, k));
  if (!check(v)) throw new RowError(`column ${k} does not hold the expected JSON`);
  return v;
}

function objArray<T>(keys: string[]) {
  return (v: unknown): v is T[] =>
    Array.isArray(v) &&
    v.every((x) => typeof x === "object" && x !== null && keys.every((k) => typeof (x as Record<string, unknown>)[k] === "string"));
}
const isRoutes = objArray<Route>(["destination", "nexthop"]);
const isTags = objArray<Tag>(["key", "value"]);
const isDhcp = objArray<DhcpOption>(["opt_name", "opt_value"]);
const isPairs = objArray<AddressPair>(["ip_address"]);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** A JSON column of tags, checked as it is read back. */
export function parseTags(textValue: string): Tag[] {
  const v: unknown = JSON.parse(textValue);
  if (!isTags(v)) throw new RowError("a tags column does not hold [{key, value}]");
  return v;
}

export interface VpcRow {
  seq: number;
  id: string;
  project_id: string;
  name: string;
  description: string;
  cidr: string;
  routes: Route[];
  enterprise_project_id: string;
  tags: Tag[];
  /** v3 extension CIDRs (add/remove-extend-cidr). */
  extend_cidrs: string[];
  created_at: number;
  updated_at: number;
}
export const toVpc = (r: SqlRow): VpcRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  description: text(r, "description"),
  cidr: text(r, "cidr"),
  routes: json(r, "routes", isRoutes),
  enterprise_project_id: text(r, "enterprise_project_id"),
  tags: json(r, "tags", isTags),
  extend_cidrs: json(r, "extend_cidrs", isStrings),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export interface SubnetRow {
  seq: number;
  id: string;
  project_id: string;
  vpc_id: string;
  name: string;
  description: string;
  cidr: string;
  gateway_ip: string;
  dhcp_enable: boolean;
  primary_dns: string;
  secondary_dns: string;
  dns_list: string[];
  availability_zone: string;
  neutron_subnet_id: string;
  extra_dhcp_opts: DhcpOption[];
  tags: Tag[];
  created_at: number;
  updated_at: number;
}
export const toSubnet = (r: SqlRow): SubnetRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  vpc_id: text(r, "vpc_id"),
  name: text(r, "name"),
  description: text(r, "description"),
  cidr: text(r, "cidr"),
  gateway_ip: text(r, "gateway_ip"),
  dhcp_enable: flag(r, "dhcp_enable"),
  primary_dns: text(r, "primary_dns"),
  secondary_dns: text(r, "secondary_dns"),
  dns_list: json(r, "dns_list", isStrings),
  availability_zone: text(r, "availability_zone"),
  neutron_subnet_id: text(r, "neutron_subnet_id"),
  extra_dhcp_opts: json(r, "extra_dhcp_opts", isDhcp),
  tags: json(r, "tags", isTags),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export interface SecurityGroupRow {
  seq: number;
  id: string;
  project_id: string;
  name: string;
  description: string;
  vpc_id: string | null;
  enterprise_project_id: string;
  is_default: boolean;
  tags: Tag[];
  created_at: number;
  updated_at: number;
}
export const toSecurityGroup = (r: SqlRow): SecurityGroupRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  description: text(r, "description"),
  vpc_id: textOrNull(r, "vpc_id"),
  enterprise_project_id: text(r, "enterprise_project_id"),
  is_default: flag(r, "is_default"),
  tags: json(r, "tags", isTags),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export const DIRECTIONS = ["ingress", "egress"] as const;
export const ETHERTYPES = ["IPv4", "IPv6"] as const;
export const ACTIONS = ["allow", "deny"] as const;

export interface RuleRow {
  seq: number;
  id: string;
  project_id: string;
  security_group_id: string;
  direction: (typeof DIRECTIONS)[number];
  ethertype: (typeof ETHERTYPES)[number];
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  multiport: string | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  description: string;
  action: (typeof ACTIONS)[number];
  priority: number;
  enabled: boolean;
  created_at: number;
  updated_at: number;
}
export const toRule = (r: SqlRow): RuleRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  security_group_id: text(r, "security_group_id"),
  direction: oneOf(r, "direction", DIRECTIONS),
  ethertype: oneOf(r, "ethertype", ETHERTYPES),
  protocol: textOrNull(r, "protocol"),
  port_range_min: intOrNull(r, "port_range_min"),
  port_range_max: intOrNull(r, "port_range_max"),
  multiport: textOrNull(r, "multiport"),
  remote_ip_prefix: textOrNull(r, "remote_ip_prefix"),
  remote_group_id: textOrNull(r, "remote_group_id"),
  remote_address_group_id: textOrNull(r, "remote_address_group_id"),
  description: text(r, "description"),
  action: oneOf(r, "action", ACTIONS),
  priority: int(r, "priority"),
  enabled: flag(r, "enabled"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export interface PortRow {
  seq: number;
  id: string;
  project_id: string;
  subnet_id: string;
  name: string;
  ip_address: string;
  mac_address: string;
  device_id: string;
  device_owner: string;
  admin_state_up: boolean;
  kind: "port" | "privateip";
  allowed_address_pairs: AddressPair[];
  extra_dhcp_opts: DhcpOption[];
  /** In the order they were given. */
  security_groups: string[];
  created_at: number;
  updated_at: number;
}
export const toPort = (r: SqlRow): PortRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  subnet_id: text(r, "subnet_id"),
  name: text(r, "name"),
  ip_address: text(r, "ip_address"),
  mac_address: text(r, "mac_address"),
  device_id: text(r, "device_id"),
  device_owner: text(r, "device_owner"),
  admin_state_up: flag(r, "admin_state_up"),
  kind: oneOf(r, "kind", ["port", "privateip"] as const),
  allowed_address_pairs: json(r, "allowed_address_pairs", isPairs),
  extra_dhcp_opts: json(r, "extra_dhcp_opts", isDhcp),
  security_groups: r.security_groups === null ? [] : text(r, "security_groups").split(","),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export interface BandwidthRow {
  seq: number;
  id: string;
  project_id: string;
  name: string;
  size: number;
  share_type: "PER" | "WHOLE";
  charge_mode: string;
  enterprise_project_id: string;
  created_at: number;
  updated_at: number;
}
export const toBandwidth = (r: SqlRow): BandwidthRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  size: int(r, "size"),
  share_type: oneOf(r, "share_type", ["PER", "WHOLE"] as const),
  charge_mode: text(r, "charge_mode"),
  enterprise_project_id: text(r, "enterprise_project_id"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

/** A public IP joined with its bandwidth and the port it is bound to. */
export interface PublicIpRow {
  seq: number;
  id: string;
  project_id: string;
  type: string;
  public_ip_address: string;
  alias: string;
  port_id: string | null;
  private_ip_address: string | null;
  bandwidth_id: string;
  bandwidth_name: string;
  bandwidth_size: number;
  bandwidth_share_type: "PER" | "WHOLE";
  bandwidth_charge_mode: string;
  enterprise_project_id: string;
  created_at: number;
  updated_at: number;
}
export const toPublicIp = (r: SqlRow): PublicIpRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  type: text(r, "type"),
  public_ip_address: text(r, "public_ip_address"),
  alias: text(r, "alias"),
  port_id: textOrNull(r, "port_id"),
  private_ip_address: textOrNull(r, "private_ip_address"),
  bandwidth_id: text(r, "bandwidth_id"),
  bandwidth_name: text(r, "bandwidth_name"),
  bandwidth_size: int(r, "bandwidth_size"),
  bandwidth_share_type: oneOf(r, "bandwidth_share_type", ["PER", "WHOLE"] as const),
  bandwidth_charge_mode: text(r, "bandwidth_charge_mode"),
  enterprise_project_id: text(r, "enterprise_project_id"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});
