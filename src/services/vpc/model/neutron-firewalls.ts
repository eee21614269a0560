// FWaaS v2 (neutron /v2.0/fwaas): rules, policies (ordered rule lists) and groups (an ingress and an
// egress policy applied to ports). Stored as JSON documents (store/neutron.ts), parsed on every read.
// hwlocal keeps them and checks their references; it filters no traffic (there is none).
import { z } from "../../../kernel/zod.ts";
import type { Env } from "../context.ts";
import { parseCidr, parseIpv4 } from "../ip.ts";
import { neutronErrors } from "../neutron-errors.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import type { FirewallKind } from "../store/neutron.ts";

export const RuleDoc = z.object({
  name: z.string(),
  description: z.string(),
  protocol: z.enum(["tcp", "udp", "icmp"]).nullable(),
  ip_version: z.union([z.literal(4), z.literal(6)]),
  source_ip_address: z.string().nullable(),
  destination_ip_address: z.string().nullable(),
  source_port: z.string().nullable(),
  destination_port: z.string().nullable(),
  action: z.enum(["allow", "deny", "reject"]),
  enabled: z.boolean(),
  public: z.boolean(),
});
export type RuleDoc = z.infer<typeof RuleDoc>;

export const PolicyDoc = z.object({
  name: z.string(),
  description: z.string(),
  firewall_rules: z.array(z.string()),
  audited: z.boolean(),
  public: z.boolean(),
});
export type PolicyDoc = z.infer<typeof PolicyDoc>;

export const GroupDoc = z.object({
  name: z.string(),
  description: z.string(),
  ingress_firewall_policy_id: z.string().nullable(),
  egress_firewall_policy_id: z.string().nullable(),
  ports: z.array(z.string()),
  admin_state_up: z.boolean(),
  public: z.boolean(),
  created_at: z.number(),
  updated_at: z.number(),
});
export type GroupDoc = z.infer<typeof GroupDoc>;

const SCHEMAS = { rule: RuleDoc, policy: PolicyDoc, group: GroupDoc } as const;
const RESOURCE = { rule: "FirewallRule", policy: "FirewallPolicy", group: "FirewallGroup" } as const;
type DocOf<K extends FirewallKind> = z.infer<(typeof SCHEMAS)[K]>;

export interface Stored<T> {
  id: string;
  projectId: string;
  doc: T;
}

function parse<K extends FirewallKind>(kind: K, raw: unknown): DocOf<K> {
  return SCHEMAS[kind].parse(raw) as DocOf<K>;
}

export function findDoc<K extends FirewallKind>(env: Env, projectId: string, kind: K, id: string): Stored<DocOf<K>> | undefined {
  const row = env.store.neutron.firewallDoc(projectId, kind, id);
  return row && { id: row.id, projectId: row.project_id, doc: parse(kind, row.doc) };
}

export function requireDoc<K extends FirewallKind>(env: Env, projectId: string, kind: K, id: string): Stored<DocOf<K>> {
  const d = findDoc(env, projectId, kind, id);
  if (!d) throw neutronErrors.notFound(RESOURCE[kind], id);
  return d;
}

export function listDocs<K extends FirewallKind>(env: Env, projectId: string, kind: K): Stored<DocOf<K>>[] {
  return env.store.neutron.firewallDocs(projectId, kind).map((r) => ({ id: r.id, projectId: r.project_id, doc: parse(kind, r.doc) }));
}

export function putDoc<K extends FirewallKind>(env: Env, projectId: string, kind: K, id: string, doc: DocOf<K>): Stored<DocOf<K>> {
  env.store.neutron.putFirewallDoc(projectId, kind, id, doc);
  return { id, projectId, doc };
}

// ------------------------------------------------------------------------------------------ checks

function checkAddress(field: string, v: string | null, ipVersion: 4 | 6): void {
  if (v === null) return;
  if (ipVersion === 6) {
    if (!v.includes(":")) throw neutronErrors.badRequest(`Invalid input for ${field}: '${v}' is not an IPv6 address or CIDR.`);
    return;
  }
  if (parseIpv4(v) === undefined && !parseCidr(v, false)) {
    throw neutronErrors.badRequest(`Invalid input for ${field}: '${v}' is not an IPv4 address or CIDR.`);
  }
}

function checkPort(field: string, v: string | null): void {
  if (v === null) return;
  const m = /^([0-9]{1,5})(?::([0-9]{1,5}))?$/.exec(v);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) throw neutronErrors.badRequest(`Invalid input for ${field}: '${v}' is not a port or a range lo:hi of 1-65535.`);
}

/** A rule's fields together: ports only for tcp/udp, addresses of its IP version. */
export function checkRule(r: RuleDoc): void {
  if ((r.source_port !== null || r.destination_port !== null) && r.protocol !== "tcp" && r.protocol !== "udp") {
    throw neutronErrors.badRequest("Source, destination ports are not allowed when protocol is set to ICMP or any.");
  }
  checkPort("source_port", r.source_port);
  checkPort("destination_port", r.destination_port);
  checkAddress("source_ip_address", r.source_ip_address, r.ip_version);
  checkAddress("destination_ip_address", r.destination_ip_address, r.ip_version);
}

/** The rules a policy lists must be the project's, each once. */
export function checkPolicyRules(env: Env, projectId: string, ids: string[]): void {
  if (new Set(ids).size !== ids.length) throw neutronErrors.badRequest("Duplicate firewall rules in firewall_rules.");
  for (const id of ids) requireDoc(env, projectId, "rule", id);
}

/** A group's ports must be the project's and in no other group; its policies must exist. */
export function checkGroup(env: Env, projectId: string, groupId: string, g: GroupDoc): void {
  for (const p of [g.ingress_firewall_policy_id, g.egress_firewall_policy_id]) if (p !== null) requireDoc(env, projectId, "policy", p);
  if (new Set(g.ports).size !== g.ports.length) throw neutronErrors.badRequest("Duplicate ports in ports.");
  const others = listDocs(env, projectId, "group").filter((o) => o.id !== groupId);
  for (const port of g.ports) {
    if (!env.store.ports.port(projectId, port)) throw neutronErrors.portNotFound(port);
    const holder = others.find((o) => o.doc.ports.includes(port));
    if (holder) throw neutronErrors.conflict("FirewallGroupPortInUse", `Port(s) ${port} provided already associated with other firewall group ${holder.id}.`);
  }
}

// ------------------------------------------------------------------------------------------ views

export function ruleView(s: Stored<RuleDoc>) {
  return { id: s.id, ...s.doc, protocol: s.doc.protocol, tenant_id: s.projectId, project_id: s.projectId };
}

export function policyView(s: Stored<PolicyDoc>) {
  return { id: s.id, ...s.doc, tenant_id: s.projectId, project_id: s.projectId };
}

export function groupView(s: Stored<GroupDoc>) {
  const { created_at, updated_at, ...rest } = s.doc;
  return {
    id: s.id,
    ...rest,
    status: rest.ports.length > 0 && rest.admin_state_up ? "ACTIVE" : "INACTIVE",
    tenant_id: s.projectId,
    project_id: s.projectId,
    created_at: isoSeconds(created_at).slice(0, 19),
    updated_at: isoSeconds(updated_at).slice(0, 19),
  };
}
