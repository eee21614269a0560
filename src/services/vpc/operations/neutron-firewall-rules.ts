// FWaaS v2 firewall rules and policies (/v2.0/fwaas/firewall_rules, /v2.0/fwaas/firewall_policies), with
// insert_rule/remove_rule, which answer the policy itself (not wrapped), as neutron does.
import { z } from "../../../kernel/zod.ts";
import { envOf, requireProject } from "../context.ts";
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow } from "../neutron-list.ts";
import {
  checkPolicyRules,
  checkRule,
  listDocs,
  policyView,
  putDoc,
  requireDoc,
  ruleView,
  type PolicyDoc,
  type RuleDoc,
} from "../model/neutron-firewalls.ts";

const Name = z.string().max(255);
const Description = z.string().max(1024);
const Address = z.string().max(64).nullable();
const Port = z.string().max(16).nullable();
const Protocol = z.enum(["tcp", "udp", "icmp", "any", "TCP", "UDP", "ICMP", "ANY"]).nullable();
const Id = z.string().min(1).max(64);

const ruleFields = {
  name: Name.optional(),
  description: Description.optional(),
  protocol: Protocol.optional(),
  ip_version: z.union([z.literal(4), z.literal(6)]).optional(),
  source_ip_address: Address.optional(),
  destination_ip_address: Address.optional(),
  source_port: Port.optional(),
  destination_port: Port.optional(),
  action: z.enum(["allow", "deny", "reject"]).optional(),
  enabled: z.boolean().optional(),
  public: z.boolean().optional(),
  shared: z.boolean().optional(),
};

function protocolOf(p: string | null | undefined): RuleDoc["protocol"] | undefined {
  if (p === undefined) return undefined;
  if (p === null) return null;
  const lower = p.toLowerCase();
  return lower === "any" ? null : (lower as "tcp" | "udp" | "icmp");
}

export const neutronCreateFirewallRule = neutronOperation({
  name: "NeutronCreateFirewallRule",
  method: "POST",
  path: "/v2.0/fwaas/firewall_rules",
  body: z.object({ firewall_rule: z.object(ruleFields) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.firewall_rule;
    const doc: RuleDoc = {
      name: b.name ?? "",
      description: b.description ?? "",
      protocol: protocolOf(b.protocol) ?? null,
      ip_version: b.ip_version ?? 4,
      source_ip_address: b.source_ip_address ?? null,
      destination_ip_address: b.destination_ip_address ?? null,
      source_port: b.source_port ?? null,
      destination_port: b.destination_port ?? null,
      action: b.action ?? "deny",
      enabled: b.enabled ?? true,
      public: b.public ?? b.shared ?? false,
    };
    checkRule(doc);
    const stored = putDoc(envOf(ctx), project.projectId, "rule", ctx.ids.uuid(), doc);
    return { status: 201, body: { firewall_rule: ruleView(stored) } };
  },
});

export const neutronListFirewallRules = neutronOperation({
  name: "NeutronListFirewallRules",
  method: "GET",
  path: "/v2.0/fwaas/firewall_rules",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const items = listDocs(envOf(ctx), project.projectId, "rule").map(ruleView);
    return { body: neutronList({ key: "firewall_rules", path: "/v2.0/fwaas/firewall_rules", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowFirewallRule = neutronOperation({
  name: "NeutronShowFirewallRule",
  method: "GET",
  path: "/v2.0/fwaas/firewall_rules/{firewall_rule_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const r = requireDoc(envOf(ctx), project.projectId, "rule", ctx.input.path.firewall_rule_id!);
    return { body: neutronShow("firewall_rule", ruleView(r), ctx.input.query) };
  },
});

export const neutronUpdateFirewallRule = neutronOperation({
  name: "NeutronUpdateFirewallRule",
  method: "PUT",
  path: "/v2.0/fwaas/firewall_rules/{firewall_rule_id}",
  body: z.object({ firewall_rule: z.object(ruleFields) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const current = requireDoc(env, project.projectId, "rule", ctx.input.path.firewall_rule_id!);
    const b = ctx.input.body.firewall_rule;
    const doc: RuleDoc = { ...current.doc };
    for (const k of ["name", "description", "source_ip_address", "destination_ip_address", "source_port", "destination_port"] as const) {
      const v = b[k];
      if (v !== undefined) (doc as Record<string, unknown>)[k] = v;
    }
    const protocol = protocolOf(b.protocol);
    if (protocol !== undefined) doc.protocol = protocol;
    if (b.ip_version !== undefined) doc.ip_version = b.ip_version;
    if (b.action !== undefined) doc.action = b.action;
    if (b.enabled !== undefined) doc.enabled = b.enabled;
    if (b.public !== undefined || b.shared !== undefined) doc.public = b.public ?? b.shared ?? doc.public;
    checkRule(doc);
    return { body: { firewall_rule: ruleView(putDoc(env, project.projectId, "rule", current.id, doc)) } };
  },
});

export const neutronDeleteFirewallRule = neutronOperation({
  name: "NeutronDeleteFirewallRule",
  method: "DELETE",
  path: "/v2.0/fwaas/firewall_rules/{firewall_rule_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const r = requireDoc(env, project.projectId, "rule", ctx.input.path.firewall_rule_id!);
    const holder = listDocs(env, project.projectId, "policy").find((p) => p.doc.firewall_rules.includes(r.id));
    if (holder) throw neutronErrors.conflict("FirewallRuleInUse", `Firewall rule ${r.id} is being used by firewall policy ${holder.id}.`);
    env.store.neutron.deleteFirewallDoc(r.id);
    return { status: 204 };
  },
});

const policyFields = {
  name: Name.optional(),
  description: Description.optional(),
  firewall_rules: z.array(Id).max(500).optional(),
  audited: z.boolean().optional(),
  public: z.boolean().optional(),
  shared: z.boolean().optional(),
};

export const neutronCreateFirewallPolicy = neutronOperation({
  name: "NeutronCreateFirewallPolicy",
  method: "POST",
  path: "/v2.0/fwaas/firewall_policies",
  body: z.object({ firewall_policy: z.object(policyFields) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const b = ctx.input.body.firewall_policy;
    const doc: PolicyDoc = {
      name: b.name ?? "",
      description: b.description ?? "",
      firewall_rules: b.firewall_rules ?? [],
      audited: b.audited ?? false,
      public: b.public ?? b.shared ?? false,
    };
    checkPolicyRules(env, project.projectId, doc.firewall_rules);
    return { status: 201, body: { firewall_policy: policyView(putDoc(env, project.projectId, "policy", ctx.ids.uuid(), doc)) } };
  },
});

export const neutronListFirewallPolicies = neutronOperation({
  name: "NeutronListFirewallPolicies",
  method: "GET",
  path: "/v2.0/fwaas/firewall_policies",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const items = listDocs(envOf(ctx), project.projectId, "policy").map(policyView);
    return {
      body: neutronList({ key: "firewall_policies", path: "/v2.0/fwaas/firewall_policies", items, query: ctx.input.query, request: ctx.request }),
    };
  },
});

export const neutronShowFirewallPolicy = neutronOperation({
  name: "NeutronShowFirewallPolicy",
  method: "GET",
  path: "/v2.0/fwaas/firewall_policies/{firewall_policy_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const p = requireDoc(envOf(ctx), project.projectId, "policy", ctx.input.path.firewall_policy_id!);
    return { body: neutronShow("firewall_policy", policyView(p), ctx.input.query) };
  },
});

export const neutronUpdateFirewallPolicy = neutronOperation({
  name: "NeutronUpdateFirewallPolicy",
  method: "PUT",
  path: "/v2.0/fwaas/firewall_policies/{firewall_policy_id}",
  body: z.object({ firewall_policy: z.object(policyFields) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const current = requireDoc(env, project.projectId, "policy", ctx.input.path.firewall_policy_id!);
    const b = ctx.input.body.firewall_policy;
    const doc: PolicyDoc = {
      name: b.name ?? current.doc.name,
      description: b.description ?? current.doc.description,
      firewall_rules: b.firewall_rules ?? current.doc.firewall_rules,
      // A changed policy is no longer audited unless the update says so (neutron's rule).
      audited: b.audited ?? false,
      public: b.public ?? b.shared ?? current.doc.public,
    };
    checkPolicyRules(env, project.projectId, doc.firewall_rules);
    return { body: { firewall_policy: policyView(putDoc(env, project.projectId, "policy", current.id, doc)) } };
  },
});

export const neutronDeleteFirewallPolicy = neutronOperation({
  name: "NeutronDeleteFirewallPolicy",
  method: "DELETE",
  path: "/v2.0/fwaas/firewall_policies/{firewall_policy_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const p = requireDoc(env, project.projectId, "policy", ctx.input.path.firewall_policy_id!);
    const holder = listDocs(env, project.projectId, "group").find(
      (g) => g.doc.ingress_firewall_policy_id === p.id || g.doc.egress_firewall_policy_id === p.id,
    );
    if (holder) throw neutronErrors.conflict("FirewallPolicyInUse", `Firewall policy ${p.id} is being used by firewall group ${holder.id}.`);
    env.store.neutron.deleteFirewallDoc(p.id);
    return { status: 204 };
  },
});

export const neutronAddFirewallRule = neutronOperation({
  name: "NeutronAddFirewallRule",
  method: "PUT",
  path: "/v2.0/fwaas/firewall_policies/{firewall_policy_id}/insert_rule",
  body: z.object({ firewall_rule_id: Id, insert_before: z.string().max(64).optional(), insert_after: z.string().max(64).optional() }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const p = requireDoc(env, project.projectId, "policy", ctx.input.path.firewall_policy_id!);
    const b = ctx.input.body;
    requireDoc(env, project.projectId, "rule", b.firewall_rule_id);
    const rules = p.doc.firewall_rules;
    if (rules.includes(b.firewall_rule_id)) {
      throw neutronErrors.conflict("FirewallRuleAlreadyAssociated", `Operation cannot be performed since firewall rule ${b.firewall_rule_id} is already associated with firewall policy ${p.id}.`);
    }
    const at = (ref: string | undefined, offset: number): number | undefined => {
      if (ref === undefined || ref === "") return undefined;
      const i = rules.indexOf(ref);
      if (i < 0) throw neutronErrors.badRequest(`Firewall rule ${ref} is not associated with firewall policy ${p.id}.`);
      return i + offset;
    };
    // insert_before wins over insert_after; with neither, the rule goes first.
    const position = at(b.insert_before, 0) ?? at(b.insert_after, 1) ?? 0;
    const next = [...rules.slice(0, position), b.firewall_rule_id, ...rules.slice(position)];
    const stored = putDoc(env, project.projectId, "policy", p.id, { ...p.doc, firewall_rules: next, audited: false });
    return { body: policyView(stored) };
  },
});

export const neutronRemoveFirewallRule = neutronOperation({
  name: "NeutronRemoveFirewallRule",
  method: "PUT",
  path: "/v2.0/fwaas/firewall_policies/{firewall_policy_id}/remove_rule",
  body: z.object({ firewall_rule_id: Id }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const p = requireDoc(env, project.projectId, "policy", ctx.input.path.firewall_policy_id!);
    const id = ctx.input.body.firewall_rule_id;
    requireDoc(env, project.projectId, "rule", id);
    if (!p.doc.firewall_rules.includes(id)) throw neutronErrors.badRequest(`Firewall rule ${id} is not associated with firewall policy ${p.id}.`);
    const stored = putDoc(env, project.projectId, "policy", p.id, { ...p.doc, firewall_rules: p.doc.firewall_rules.filter((r) => r !== id), audited: false });
    return { body: policyView(stored) };
  },
});

export const neutronFirewallRuleOperations = [
  neutronCreateFirewallRule,
  neutronListFirewallRules,
  neutronShowFirewallRule,
  neutronUpdateFirewallRule,
  neutronDeleteFirewallRule,
  neutronCreateFirewallPolicy,
  neutronListFirewallPolicies,
  neutronShowFirewallPolicy,
  neutronUpdateFirewallPolicy,
  neutronDeleteFirewallPolicy,
  neutronAddFirewallRule,
  neutronRemoveFirewallRule,
];
