// Neutron v2.0 security groups and rules: VPC's groups and rules (model/security.ts), so a group made
// here is the one VPC's API shows, with Huawei's default rules; the project's "default" group is made on
// first need, as neutron makes it.
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { envOf, requireProject, type VpcContext } from "../context.ts";
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow } from "../neutron-list.ts";
import * as nv from "../neutron-views.ts";
import { createGroup, createRule, deleteGroup, deleteRule, ensureDefaultGroup, updateGroup } from "../model/security.ts";
import type { SecurityGroupRow } from "../store/index.ts";

const Name = z.string().max(255);
const Description = z.string().max(255);

function view(ctx: HandlerContext<VpcContext, unknown>, g: SecurityGroupRow) {
  return nv.securityGroup(g, ctx.svc.store.security.rulesOf(g.id));
}

function requireGroup(ctx: HandlerContext<VpcContext, unknown>, projectId: string, id: string): SecurityGroupRow {
  const g = ctx.svc.store.security.group(projectId, id);
  if (!g) throw neutronErrors.securityGroupNotFound(id);
  return g;
}

export const neutronCreateSecurityGroup = neutronOperation({
  name: "NeutronCreateSecurityGroup",
  method: "POST",
  path: "/v2.0/security-groups",
  body: z.object({ security_group: z.object({ name: Name.optional(), description: Description.optional() }) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.security_group;
    if (b.name === "default") throw neutronErrors.conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
    const g = createGroup(envOf(ctx), project, { name: b.name ?? "", description: b.description ?? "", vpcId: null, enterpriseProjectId: "0", tags: [] });
    return { status: 201, body: { security_group: view(ctx, g) } };
  },
});

export const neutronListSecurityGroups = neutronOperation({
  name: "NeutronListSecurityGroups",
  method: "GET",
  path: "/v2.0/security-groups",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    ensureDefaultGroup(envOf(ctx), project.projectId);
    const rows = ctx.svc.store.security.groups(project.projectId, {}, {});
    const items = (rows === "bad-marker" ? [] : rows).map((g) => view(ctx, g));
    return { body: neutronList({ key: "security_groups", path: "/v2.0/security-groups", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowSecurityGroup = neutronOperation({
  name: "NeutronShowSecurityGroup",
  method: "GET",
  path: "/v2.0/security-groups/{security_group_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const g = requireGroup(ctx, project.projectId, ctx.input.path.security_group_id!);
    return { body: neutronShow("security_group", view(ctx, g), ctx.input.query) };
  },
});

export const neutronUpdateSecurityGroup = neutronOperation({
  name: "NeutronUpdateSecurityGroup",
  method: "PUT",
  path: "/v2.0/security-groups/{security_group_id}",
  body: z.object({ security_group: z.object({ name: Name.optional(), description: Description.optional() }) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.security_group_id!;
    const current = requireGroup(ctx, project.projectId, id);
    const b = ctx.input.body.security_group;
    if (current.is_default && b.name !== undefined && b.name !== "default") {
      throw neutronErrors.conflict("SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.");
    }
    const g = updateGroup(envOf(ctx), project, id, { name: b.name, description: b.description });
    return { body: { security_group: view(ctx, g) } };
  },
});

export const neutronDeleteSecurityGroup = neutronOperation({
  name: "NeutronDeleteSecurityGroup",
  method: "DELETE",
  path: "/v2.0/security-groups/{security_group_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.security_group_id!;
    const g = requireGroup(ctx, project.projectId, id);
    if (g.is_default) throw neutronErrors.conflict("SecurityGroupCannotRemoveDefault", "Removing default security group not allowed.");
    if (ctx.svc.store.security.groupInUse(id)) throw neutronErrors.conflict("SecurityGroupInUse", `Security Group ${id} in use.`);
    deleteGroup(envOf(ctx), project, id);
    return { status: 204 };
  },
});

export const neutronCreateSecurityGroupRule = neutronOperation({
  name: "NeutronCreateSecurityGroupRule",
  method: "POST",
  path: "/v2.0/security-group-rules",
  body: z.object({
    security_group_rule: z.object({
      security_group_id: z.string().min(1).max(64),
      direction: z.enum(["ingress", "egress"]),
      ethertype: z.enum(["IPv4", "IPv6"]).optional(),
      protocol: z.string().max(16).nullable().optional(),
      port_range_min: z.number().int().nullable().optional(),
      port_range_max: z.number().int().nullable().optional(),
      remote_ip_prefix: z.string().max(64).nullable().optional(),
      remote_group_id: z.string().max(64).nullable().optional(),
      remote_address_group_id: z.string().max(64).nullable().optional(),
      description: Description.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.security_group_rule;
    requireGroup(ctx, project.projectId, b.security_group_id);
    if (b.remote_group_id) requireGroup(ctx, project.projectId, b.remote_group_id);
    const r = createRule(envOf(ctx), project, {
      securityGroupId: b.security_group_id,
      direction: b.direction,
      ethertype: b.ethertype,
      protocol: b.protocol,
      portRangeMin: b.port_range_min,
      portRangeMax: b.port_range_max,
      remoteIpPrefix: b.remote_ip_prefix,
      remoteGroupId: b.remote_group_id,
      remoteAddressGroupId: b.remote_address_group_id,
      description: b.description,
    });
    return { status: 201, body: { security_group_rule: nv.rule(r) } };
  },
});

export const neutronListSecurityGroupRules = neutronOperation({
  name: "NeutronListSecurityGroupRules",
  method: "GET",
  path: "/v2.0/security-group-rules",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const rows = ctx.svc.store.security.rules(project.projectId, {}, {});
    const items = (rows === "bad-marker" ? [] : rows).map(nv.rule);
    return {
      body: neutronList({ key: "security_group_rules", path: "/v2.0/security-group-rules", items, query: ctx.input.query, request: ctx.request }),
    };
  },
});

export const neutronShowSecurityGroupRule = neutronOperation({
  name: "NeutronShowSecurityGroupRule",
  method: "GET",
  path: "/v2.0/security-group-rules/{security_group_rule_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.security_group_rule_id!;
    const r = ctx.svc.store.security.rule(project.projectId, id);
    if (!r) throw neutronErrors.ruleNotFound(id);
    return { body: neutronShow("security_group_rule", nv.rule(r), ctx.input.query) };
  },
});

export const neutronDeleteSecurityGroupRule = neutronOperation({
  name: "NeutronDeleteSecurityGroupRule",
  method: "DELETE",
  path: "/v2.0/security-group-rules/{security_group_rule_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.security_group_rule_id!;
    if (!ctx.svc.store.security.rule(project.projectId, id)) throw neutronErrors.ruleNotFound(id);
    deleteRule(envOf(ctx), project, id);
    return { status: 204 };
  },
});

export const neutronSecurityGroupOperations = [
  neutronCreateSecurityGroup,
  neutronListSecurityGroups,
  neutronShowSecurityGroup,
  neutronUpdateSecurityGroup,
  neutronDeleteSecurityGroup,
  neutronCreateSecurityGroupRule,
  neutronListSecurityGroupRules,
  neutronShowSecurityGroupRule,
  neutronDeleteSecurityGroupRule,
];
