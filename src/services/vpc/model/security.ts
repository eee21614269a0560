// Security groups and rules, shared by v1, v3 and VpcApi: Huawei's default rules, the project's lazily
// created "default" group, rule validation and duplicate detection.
import type { Env, ProjectScope } from "../context.ts";
import { requireAddressGroup } from "./address-groups.ts";
import { vpcErrors } from "../errors.ts";
import { isIpv6Cidr, parseCidr } from "../ip.ts";
import { QUOTAS } from "../quotas.ts";
import type { RuleRow, SecurityGroupRow, Tag } from "../store/index.ts";

export function requireGroup(env: Env, projectId: string, id: string): SecurityGroupRow {
  const g = env.store.security.group(projectId, id);
  if (!g) throw vpcErrors.securityGroupNotFound(id);
  return g;
}

export function requireRule(env: Env, projectId: string, id: string): RuleRow {
  const r = env.store.security.rule(projectId, id);
  if (!r) throw vpcErrors.ruleNotFound(id);
  return r;
}

export interface GroupInput {
  name: string;
  description: string;
  vpcId: string | null;
  enterpriseProjectId: string;
  tags: Tag[];
}

function insertGroup(env: Env, projectId: string, input: GroupInput, isDefault: boolean): string {
  const id = env.ids.uuid();
  const now = env.clock.now();
  env.store.security.insertGroup({ id, projectId, ...input, isDefault, now });
  // Huawei's defaults: everything out, and in only from members of the same group.
  for (const ethertype of ["IPv4", "IPv6"] as const) {
    insertRule(env, projectId, { securityGroupId: id, direction: "egress", ethertype });
    insertRule(env, projectId, { securityGroupId: id, direction: "ingress", ethertype, remoteGroupId: id });
  }
  return id;
}

/** The project's "default" security group, created on first need. */
export function ensureDefaultGroup(env: Env, projectId: string): SecurityGroupRow {
  const existing = env.store.security.defaultGroup(projectId);
  if (existing) return existing;
  return env.store.tx(() => {
    const id = insertGroup(env, projectId, { name: "default", description: "default", vpcId: null, enterpriseProjectId: "0", tags: [] }, true);
    return requireGroup(env, projectId, id);
  });
}

export function createGroup(env: Env, project: ProjectScope, input: GroupInput): SecurityGroupRow {
  if (input.vpcId !== null && !env.store.networks.vpc(project.projectId, input.vpcId)) throw vpcErrors.vpcNotFound(input.vpcId);
  ensureDefaultGroup(env, project.projectId);
  const { store } = env;
  const id = store.tx(() => {
    if (store.security.groupCount(project.projectId) >= QUOTAS.securityGroup) throw vpcErrors.securityGroupQuota();
    return insertGroup(env, project.projectId, input, false);
  });
  return requireGroup(env, project.projectId, id);
}

export function updateGroup(env: Env, project: ProjectScope, id: string, patch: { name?: string; description?: string }): SecurityGroupRow {
  requireGroup(env, project.projectId, id);
  env.store.security.updateGroup(id, patch, env.clock.now());
  return requireGroup(env, project.projectId, id);
}

export function deleteGroup(env: Env, project: ProjectScope, id: string): void {
  const g = requireGroup(env, project.projectId, id);
  if (g.is_default) throw vpcErrors.defaultSecurityGroup();
  if (env.store.security.groupInUse(id)) throw vpcErrors.securityGroupInUse(id);
  env.store.security.deleteGroup(id);
}

export interface RuleInput {
  securityGroupId: string;
  direction: "ingress" | "egress";
  ethertype?: "IPv4" | "IPv6";
  protocol?: string | null;
  portRangeMin?: number | null;
  portRangeMax?: number | null;
  /** v3's port list: "22", "8000-8080" or "22,8000-8080". */
  multiport?: string | null;
  remoteIpPrefix?: string | null;
  remoteGroupId?: string | null;
  remoteAddressGroupId?: string | null;
  description?: string;
  action?: "allow" | "deny";
  priority?: number;
  enabled?: boolean;
}

const NAMED_PROTOCOLS = new Set(["tcp", "udp", "icmp", "icmpv6"]);

function normalizeProtocol(p: string | null | undefined): string | null {
  if (p === undefined || p === null || p === "") return null;
  const lower = p.toLowerCase();
  if (NAMED_PROTOCOLS.has(lower)) return lower;
  if (/^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255) return p;
  throw vpcErrors.ruleInvalid(`protocol ${p} is not tcp, udp, icmp, icmpv6 or a protocol number 0-255.`);
}

const PORTED = new Set(["tcp", "udp", "6", "17"]);
const ICMP = new Set(["icmp", "icmpv6", "1", "58"]);

interface Ports {
  min: number | null;
  max: number | null;
  multiport: string | null;
}

function parseMultiport(text: string): Ports {
  const parts = text.split(",");
  if (parts.length > 20) throw vpcErrors.ruleInvalid("multiport may list at most 20 ports or ranges.");
  const ranges = parts.map((part) => {
    const m = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/.exec(part.trim());
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (!m || lo < 1 || hi > 65535 || lo > hi) throw vpcErrors.ruleInvalid(`multiport ${text} is not a list of ports 1-65535 or ranges.`);
    return [lo, hi] as const;
  });
  const single = ranges.length === 1 ? ranges[0]! : undefined;
  const canonical = ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",");
  return { min: single?.[0] ?? null, max: single?.[1] ?? null, multiport: canonical };
}

function checkPorts(input: RuleInput, protocol: string | null): Ports {
  const min = input.portRangeMin ?? null;
  const max = input.portRangeMax ?? null;
  const multi = input.multiport ?? null;
  const any = min !== null || max !== null || (multi !== null && multi !== "");
  if (!any) return { min: null, max: null, multiport: null };
  if (protocol === null || (!PORTED.has(protocol) && !ICMP.has(protocol))) {
    throw vpcErrors.ruleInvalid("Ports may only be given for tcp, udp or icmp rules.");
  }
  if (multi !== null && multi !== "") {
    if (min !== null || max !== null) throw vpcErrors.ruleInvalid("Give either multiport or port_range_min/port_range_max.");
    if (!PORTED.has(protocol)) throw vpcErrors.ruleInvalid("multiport is only valid for tcp and udp rules.");
    return parseMultiport(multi);
  }
  if (min === null) throw vpcErrors.ruleInvalid("port_range_max needs port_range_min.");
  if (ICMP.has(protocol)) {
    // For ICMP, Neutron reads port_range_min as the type and port_range_max as the code.
    if (min < 0 || min > 255 || (max !== null && (max < 0 || max > 255))) throw vpcErrors.ruleInvalid("ICMP type and code must be 0-255.");
    return { min, max, multiport: null };
  }
  const hi = max ?? min;
  if (min < 1 || hi > 65535 || min > hi) {
    throw vpcErrors.ruleInvalid(`The port range ${min}-${hi} is not within 1-65535 with port_range_min <= port_range_max.`);
  }
  return { min, max: hi, multiport: min === hi ? `${min}` : `${min}-${hi}` };
}

function checkRemoteIp(prefix: string, ethertype: "IPv4" | "IPv6"): string {
  if (ethertype === "IPv4") {
    const c = parseCidr(prefix, false);
    if (!c) throw vpcErrors.ruleInvalid(`remote_ip_prefix ${prefix} is not an IPv4 CIDR.`);
    return c.text;
  }
  if (!isIpv6Cidr(prefix)) throw vpcErrors.ruleInvalid(`remote_ip_prefix ${prefix} is not an IPv6 CIDR.`);
  return prefix.toLowerCase();
}

/** Validates and inserts a rule; the caller holds a transaction or accepts a single statement's atomicity. */
function insertRule(env: Env, projectId: string, input: RuleInput): string {
  const ethertype = input.ethertype ?? "IPv4";
  const protocol = normalizeProtocol(input.protocol);
  const ports = checkPorts(input, protocol);
  const remotes = [input.remoteIpPrefix, input.remoteGroupId, input.remoteAddressGroupId].filter((v) => v !== undefined && v !== null && v !== "");
  if (remotes.length > 1) throw vpcErrors.ruleInvalid("Give at most one of remote_ip_prefix, remote_group_id and remote_address_group_id.");
  const remoteIp = input.remoteIpPrefix ? checkRemoteIp(input.remoteIpPrefix, ethertype) : null;
  const remoteGroup = input.remoteGroupId ? input.remoteGroupId : null;
  if (remoteGroup !== null && remoteGroup !== input.securityGroupId) requireGroup(env, projectId, remoteGroup);
  const remoteAddressGroup = input.remoteAddressGroupId ? input.remoteAddressGroupId : null;
  if (remoteAddressGroup !== null) {
    const g = requireAddressGroup(env, { projectId, region: "" }, remoteAddressGroup);
    if (`IPv${g.doc.ip_version}` !== ethertype) throw vpcErrors.ruleInvalid(`Address group ${remoteAddressGroup} is not of ethertype ${ethertype}.`);
  }
  const action = input.action ?? "allow";
  const priority = input.priority ?? 1;
  // The address group joins the key only when named, so keys of rules stored before address groups stay.
  const key = JSON.stringify([
    input.direction,
    ethertype,
    protocol,
    ports.min,
    ports.max,
    ports.multiport,
    remoteIp,
    remoteGroup,
    action,
    priority,
    ...(remoteAddressGroup === null ? [] : [remoteAddressGroup]),
  ]);
  const { security } = env.store;
  if (security.hasDuplicate(input.securityGroupId, key)) throw vpcErrors.ruleExists();
  if (security.ruleCount(projectId) >= QUOTAS.securityGroupRule) throw vpcErrors.ruleQuota();
  const id = env.ids.uuid();
  security.insertRule({
    id,
    project_id: projectId,
    security_group_id: input.securityGroupId,
    direction: input.direction,
    ethertype,
    protocol,
    port_range_min: ports.min,
    port_range_max: ports.max,
    multiport: ports.multiport,
    remote_ip_prefix: remoteIp,
    remote_group_id: remoteGroup,
    remote_address_group_id: remoteAddressGroup,
    description: input.description ?? "",
    action,
    priority,
    enabled: input.enabled ?? true,
    dedupeKey: key,
    now: env.clock.now(),
  });
  return id;
}

export function createRule(env: Env, project: ProjectScope, input: RuleInput): RuleRow {
  requireGroup(env, project.projectId, input.securityGroupId);
  const id = env.store.tx(() => insertRule(env, project.projectId, input));
  return requireRule(env, project.projectId, id);
}

export function deleteRule(env: Env, project: ProjectScope, id: string): void {
  requireRule(env, project.projectId, id);
  env.store.security.deleteRule(id);
}
