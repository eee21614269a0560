// v3 network ACLs (/v3/{project_id}/vpc/firewalls), kept as documents: ordered ingress and egress rules
// (each with its own id), associated subnets (a subnet in at most one firewall), admin_state_up. Status is
// ACTIVE while enabled and associated with a subnet, INACTIVE otherwise. Rules are checked (protocol and
// ports, addresses of the rule's IP version, address groups of the project); no traffic is filtered.
import { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { QUOTAS } from "../quotas.ts";
import { docsOf, isAddressEntry, requireDoc, type Doc } from "./documents.ts";
import { requireAddressGroup } from "./address-groups.ts";

const Rule = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  action: z.enum(["allow", "deny"]),
  protocol: z.enum(["tcp", "udp", "icmp", "icmpv6", "any"]),
  ip_version: z.union([z.literal(4), z.literal(6)]),
  source_ip_address: z.string().nullable(),
  destination_ip_address: z.string().nullable(),
  source_port: z.string().nullable(),
  destination_port: z.string().nullable(),
  source_address_group_id: z.string().nullable(),
  destination_address_group_id: z.string().nullable(),
  enabled: z.boolean(),
});
export type FirewallRule = z.infer<typeof Rule>;

export const FirewallDoc = z.object({
  name: z.string(),
  description: z.string(),
  admin_state_up: z.boolean(),
  enterprise_project_id: z.string(),
  ingress_rules: z.array(Rule),
  egress_rules: z.array(Rule),
  subnets: z.array(z.string()),
});
export type FirewallDoc = z.infer<typeof FirewallDoc>;
export type Firewall = Doc<FirewallDoc>;

export type RuleInput = Partial<Omit<FirewallRule, "id">>;
export type Direction = "ingress_rules" | "egress_rules";
const DIRECTIONS: Direction[] = ["ingress_rules", "egress_rules"];
const MAX_RULES = 20;

export function firewalls(env: Env, project: ProjectScope): Firewall[] {
  return docsOf(env, project, "firewall", FirewallDoc);
}

export function requireFirewall(env: Env, project: ProjectScope, id: string): Firewall {
  return requireDoc(env, project, "firewall", FirewallDoc, id, "firewall");
}

export function firewallStatus(f: FirewallDoc): "ACTIVE" | "INACTIVE" {
  return f.admin_state_up && f.subnets.length > 0 ? "ACTIVE" : "INACTIVE";
}

function checkPort(p: string | null, protocol: string): void {
  if (p === null || p === "") return;
  if (protocol !== "tcp" && protocol !== "udp") throw vpcErrors.invalidParameter(`Ports are allowed only with tcp or udp, not ${protocol}.`);
  const ok = p.split(",").every((part) => {
    const m = /^([0-9]{1,5})(?:[-:]([0-9]{1,5}))?$/.exec(part.trim());
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return lo >= 1 && hi <= 65535 && lo <= hi;
  });
  if (!ok) throw vpcErrors.invalidParameter(`The port ${p} is not a port, a range or a list of them within 1-65535.`);
}

function checkRule(env: Env, project: ProjectScope, r: FirewallRule): FirewallRule {
  checkPort(r.source_port, r.protocol);
  checkPort(r.destination_port, r.protocol);
  for (const side of ["source", "destination"] as const) {
    const ip = r[`${side}_ip_address`];
    const group = r[`${side}_address_group_id`];
    if (ip && group) throw vpcErrors.invalidParameter(`${side}_ip_address and ${side}_address_group_id cannot both be given.`);
    if (ip && !isAddressEntry(ip, r.ip_version)) throw vpcErrors.invalidParameter(`${side}_ip_address ${ip} is not an IPv${r.ip_version} address or CIDR.`);
    if (group && requireAddressGroup(env, project, group).doc.ip_version !== r.ip_version) {
      throw vpcErrors.invalidParameter(`Address group ${group} is not of IP version ${r.ip_version}.`);
    }
  }
  if (r.protocol === "icmpv6" && r.ip_version !== 6) throw vpcErrors.invalidParameter("icmpv6 needs ip_version 6.");
  return r;
}

/** A new rule from its input, with Huawei's defaults (allow, any protocol, IPv4, enabled). */
export function newRule(env: Env, project: ProjectScope, r: RuleInput): FirewallRule {
  return checkRule(env, project, {
    id: env.ids.uuid(),
    name: r.name ?? "",
    description: r.description ?? "",
    action: r.action ?? "allow",
    protocol: r.protocol ?? "any",
    ip_version: r.ip_version ?? 4,
    source_ip_address: r.source_ip_address ?? null,
    destination_ip_address: r.destination_ip_address ?? null,
    source_port: r.source_port ?? null,
    destination_port: r.destination_port ?? null,
    source_address_group_id: r.source_address_group_id ?? null,
    destination_address_group_id: r.destination_address_group_id ?? null,
    enabled: r.enabled ?? true,
  });
}

function save(env: Env, f: Firewall, doc: FirewallDoc): void {
  for (const d of DIRECTIONS) if (doc[d].length > MAX_RULES) throw vpcErrors.quota("firewall_rule");
  env.store.documents.update(f.row.id, doc, env.clock.now());
}

export interface FirewallInput {
  name: string;
  description: string;
  adminStateUp: boolean;
  enterpriseProjectId: string;
  tags: { key: string; value: string }[];
}

export function createFirewall(env: Env, project: ProjectScope, input: FirewallInput): Firewall {
  const id = env.ids.uuid();
  env.store.tx(() => {
    if (env.store.documents.count(project.projectId, "firewall") >= QUOTAS.firewall) throw vpcErrors.quota("firewall");
    const doc: FirewallDoc = {
      name: input.name,
      description: input.description,
      admin_state_up: input.adminStateUp,
      enterprise_project_id: input.enterpriseProjectId,
      ingress_rules: [],
      egress_rules: [],
      subnets: [],
    };
    env.store.documents.insert({ id, projectId: project.projectId, kind: "firewall", doc, tags: input.tags, now: env.clock.now() });
  });
  return requireFirewall(env, project, id);
}

export function updateFirewall(env: Env, project: ProjectScope, id: string, patch: { name?: string; description?: string; admin_state_up?: boolean }): Firewall {
  return env.store.tx(() => {
    const f = requireFirewall(env, project, id);
    save(env, f, {
      ...f.doc,
      name: patch.name ?? f.doc.name,
      description: patch.description ?? f.doc.description,
      admin_state_up: patch.admin_state_up ?? f.doc.admin_state_up,
    });
    return requireFirewall(env, project, id);
  });
}

/** Inserts rules, after the rule insert_after names (in whichever direction holds it) or first. */
export function insertRules(env: Env, project: ProjectScope, id: string, add: Record<Direction, RuleInput[]>, after?: string): Firewall {
  return env.store.tx(() => {
    const f = requireFirewall(env, project, id);
    const doc = { ...f.doc };
    if (after !== undefined && !DIRECTIONS.some((d) => doc[d].some((r) => r.id === after))) throw vpcErrors.resourceNotFound("firewall rule", after);
    for (const d of DIRECTIONS) {
      const rules = add[d].map((r) => newRule(env, project, r));
      const at = after === undefined ? 0 : doc[d].findIndex((r) => r.id === after) + 1;
      doc[d] = [...doc[d].slice(0, at), ...rules, ...doc[d].slice(at)];
    }
    save(env, f, doc);
    return requireFirewall(env, project, id);
  });
}

function findRule(f: Firewall, d: Direction, ruleId: string): number {
  const i = f.doc[d].findIndex((r) => r.id === ruleId);
  if (i < 0) throw vpcErrors.resourceNotFound("firewall rule", ruleId);
  return i;
}

export function updateRules(env: Env, project: ProjectScope, id: string, change: Record<Direction, (RuleInput & { id: string })[]>): Firewall {
  return env.store.tx(() => {
    const f = requireFirewall(env, project, id);
    const doc = { ...f.doc, ingress_rules: [...f.doc.ingress_rules], egress_rules: [...f.doc.egress_rules] };
    for (const d of DIRECTIONS) {
      for (const c of change[d]) {
        const i = findRule(f, d, c.id);
        const merged = { ...doc[d][i]!, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) } as FirewallRule;
        doc[d][i] = checkRule(env, project, merged);
      }
    }
    save(env, f, doc);
    return requireFirewall(env, project, id);
  });
}

export function removeRules(env: Env, project: ProjectScope, id: string, remove: Record<Direction, string[]>): Firewall {
  return env.store.tx(() => {
    const f = requireFirewall(env, project, id);
    for (const d of DIRECTIONS) for (const r of remove[d]) findRule(f, d, r);
    save(env, f, { ...f.doc, ingress_rules: f.doc.ingress_rules.filter((r) => !remove.ingress_rules.includes(r.id)), egress_rules: f.doc.egress_rules.filter((r) => !remove.egress_rules.includes(r.id)) });
    return requireFirewall(env, project, id);
  });
}

export function associateSubnets(env: Env, project: ProjectScope, id: string, subnets: string[], associate: boolean): Firewall {
  return env.store.tx(() => {
    const f = requireFirewall(env, project, id);
    const all = firewalls(env, project);
    for (const s of subnets) {
      if (!env.store.networks.subnet(project.projectId, s)) throw vpcErrors.subnetNotFound(s);
      const holder = all.find((x) => x.doc.subnets.includes(s));
      if (associate && holder && holder.row.id !== id) throw vpcErrors.resourceInUse("subnet", s, `It is associated with firewall ${holder.row.id}.`);
      if (!associate && holder?.row.id !== id) throw vpcErrors.invalidParameter(`The subnet ${s} is not associated with firewall ${id}.`);
    }
    const next = associate ? [...new Set([...f.doc.subnets, ...subnets])] : f.doc.subnets.filter((s) => !subnets.includes(s));
    save(env, f, { ...f.doc, subnets: next });
    return requireFirewall(env, project, id);
  });
}

export function deleteFirewall(env: Env, project: ProjectScope, id: string): void {
  env.store.tx(() => {
    const f = requireFirewall(env, project, id);
    if (liveSubnets(env, project, f).length > 0) throw vpcErrors.resourceInUse("firewall", id, "Subnets are still associated with it.");
    env.store.documents.delete(id);
  });
}

/** The associated subnets that still exist (a deleted subnet leaves its firewall). */
export function liveSubnets(env: Env, project: ProjectScope, f: Firewall): string[] {
  return f.doc.subnets.filter((s) => env.store.networks.subnet(project.projectId, s));
}

export function firewallsUsingAddressGroup(env: Env, project: ProjectScope, groupId: string): string[] {
  const uses = (r: FirewallRule) => r.source_address_group_id === groupId || r.destination_address_group_id === groupId;
  return firewalls(env, project)
    .filter((f) => DIRECTIONS.some((d) => f.doc[d].some(uses)))
    .map((f) => f.row.id);
}

/** The force delete of an address group: the rules naming it go with it. */
export function dropAddressGroupRules(env: Env, project: ProjectScope, groupId: string): void {
  const uses = (r: FirewallRule) => r.source_address_group_id === groupId || r.destination_address_group_id === groupId;
  for (const f of firewalls(env, project)) {
    if (!DIRECTIONS.some((d) => f.doc[d].some(uses))) continue;
    save(env, f, { ...f.doc, ingress_rules: f.doc.ingress_rules.filter((r) => !uses(r)), egress_rules: f.doc.egress_rules.filter((r) => !uses(r)) });
  }
}
