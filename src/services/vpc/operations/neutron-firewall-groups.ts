// FWaaS v2 firewall groups (/v2.0/fwaas/firewall_groups): an ingress and an egress policy applied to the
// project's ports; ACTIVE while it has ports (and is up), INACTIVE otherwise.
import { z } from "../../../kernel/zod.ts";
import { envOf, requireProject } from "../context.ts";
import { neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow } from "../neutron-list.ts";
import { checkGroup, groupView, listDocs, putDoc, requireDoc, type GroupDoc } from "../model/neutron-firewalls.ts";

const PolicyId = z.string().min(1).max(64).nullable();
const groupFields = {
  name: z.string().max(255).optional(),
  description: z.string().max(1024).optional(),
  ingress_firewall_policy_id: PolicyId.optional(),
  egress_firewall_policy_id: PolicyId.optional(),
  ports: z.array(z.string().min(1).max(64)).max(100).optional(),
  admin_state_up: z.boolean().optional(),
  public: z.boolean().optional(),
  shared: z.boolean().optional(),
};

export const neutronCreateFirewallGroup = neutronOperation({
  name: "NeutronCreateFirewallGroup",
  method: "POST",
  path: "/v2.0/fwaas/firewall_groups",
  body: z.object({ firewall_group: z.object(groupFields) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const b = ctx.input.body.firewall_group;
    const now = ctx.clock.now();
    const doc: GroupDoc = {
      name: b.name ?? "",
      description: b.description ?? "",
      ingress_firewall_policy_id: b.ingress_firewall_policy_id ?? null,
      egress_firewall_policy_id: b.egress_firewall_policy_id ?? null,
      ports: b.ports ?? [],
      admin_state_up: b.admin_state_up ?? true,
      public: b.public ?? b.shared ?? false,
      created_at: now,
      updated_at: now,
    };
    const id = ctx.ids.uuid();
    const stored = env.store.tx(() => {
      checkGroup(env, project.projectId, id, doc);
      return putDoc(env, project.projectId, "group", id, doc);
    });
    return { status: 201, body: { firewall_group: groupView(stored) } };
  },
});

export const neutronListFirewallGroups = neutronOperation({
  name: "NeutronListFirewallGroups",
  method: "GET",
  path: "/v2.0/fwaas/firewall_groups",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const items = listDocs(envOf(ctx), project.projectId, "group").map(groupView);
    return { body: neutronList({ key: "firewall_groups", path: "/v2.0/fwaas/firewall_groups", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowFirewallGroup = neutronOperation({
  name: "NeutronShowFirewallGroup",
  method: "GET",
  path: "/v2.0/fwaas/firewall_groups/{firewall_group_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const g = requireDoc(envOf(ctx), project.projectId, "group", ctx.input.path.firewall_group_id!);
    return { body: neutronShow("firewall_group", groupView(g), ctx.input.query) };
  },
});

export const neutronUpdateFirewallGroup = neutronOperation({
  name: "NeutronUpdateFirewallGroup",
  method: "PUT",
  path: "/v2.0/fwaas/firewall_groups/{firewall_group_id}",
  body: z.object({ firewall_group: z.object(groupFields) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const current = requireDoc(env, project.projectId, "group", ctx.input.path.firewall_group_id!);
    const b = ctx.input.body.firewall_group;
    const c = current.doc;
    const doc: GroupDoc = {
      name: b.name ?? c.name,
      description: b.description ?? c.description,
      ingress_firewall_policy_id: b.ingress_firewall_policy_id === undefined ? c.ingress_firewall_policy_id : b.ingress_firewall_policy_id,
      egress_firewall_policy_id: b.egress_firewall_policy_id === undefined ? c.egress_firewall_policy_id : b.egress_firewall_policy_id,
      ports: b.ports ?? c.ports,
      admin_state_up: b.admin_state_up ?? c.admin_state_up,
      public: b.public ?? b.shared ?? c.public,
      created_at: c.created_at,
      updated_at: ctx.clock.now(),
    };
    const stored = env.store.tx(() => {
      checkGroup(env, project.projectId, current.id, doc);
      return putDoc(env, project.projectId, "group", current.id, doc);
    });
    return { body: { firewall_group: groupView(stored) } };
  },
});

export const neutronDeleteFirewallGroup = neutronOperation({
  name: "NeutronDeleteFirewallGroup",
  method: "DELETE",
  path: "/v2.0/fwaas/firewall_groups/{firewall_group_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const g = requireDoc(env, project.projectId, "group", ctx.input.path.firewall_group_id!);
    env.store.neutron.deleteFirewallDoc(g.id);
    return { status: 204 };
  },
});

export const neutronFirewallGroupOperations = [
  neutronCreateFirewallGroup,
  neutronListFirewallGroups,
  neutronShowFirewallGroup,
  neutronUpdateFirewallGroup,
  neutronDeleteFirewallGroup,
];
