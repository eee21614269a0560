// VPC v1 security groups and rules: /v1/{project_id}/security-groups and /security-group-rules
// (reference §3.2). The project's "default" group appears in lists from the first one on.
import { z } from "../../../kernel/zod.ts";
import { Description, EnterpriseProjectId, Id, Marker, Name, V1Limit, envOf, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { createGroup, createRule, deleteGroup, deleteRule, ensureDefaultGroup, requireGroup, requireRule } from "../model/security.ts";
import * as views from "../views.ts";

const Nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();
const Port = z.number().int().min(0).max(65535);

export const createSecurityGroupV1 = vpcOperation({
  name: "CreateSecurityGroup",
  method: "POST",
  path: "/v1/{project_id}/security-groups",
  body: z.object({
    security_group: z.object({
      name: Name,
      description: Description.optional(),
      vpc_id: Id.optional(),
      enterprise_project_id: EnterpriseProjectId.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.security_group;
    const env = envOf(ctx);
    const g = createGroup(env, project, {
      name: b.name,
      description: b.description ?? "",
      vpcId: b.vpc_id ?? null,
      enterpriseProjectId: b.enterprise_project_id ?? "0",
      tags: [],
    });
    return { body: { security_group: views.securityGroup(g, env.store.security.rulesOf(g.id)) } };
  },
});

export const listSecurityGroupsV1 = vpcOperation({
  name: "ListSecurityGroups",
  method: "GET",
  path: "/v1/{project_id}/security-groups",
  query: z.object({
    limit: V1Limit.optional(),
    marker: Marker.optional(),
    vpc_id: z.string().min(1).max(64).optional(),
    enterprise_project_id: z.string().max(64).optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const env = envOf(ctx);
    ensureDefaultGroup(env, project.projectId);
    const { security } = env.store;
    const filter = { vpcId: q.vpc_id, enterpriseProjectId: q.enterprise_project_id };
    const rows = paged(security.groups(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { security_groups: rows.map((g) => views.securityGroup(g, security.rulesOf(g.id))) } };
  },
});

export const showSecurityGroupV1 = vpcOperation({
  name: "ShowSecurityGroup",
  method: "GET",
  path: "/v1/{project_id}/security-groups/{security_group_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const g = requireGroup(env, project.projectId, ctx.input.path.security_group_id!);
    return { body: { security_group: views.securityGroup(g, env.store.security.rulesOf(g.id)) } };
  },
});

export const deleteSecurityGroupV1 = vpcOperation({
  name: "DeleteSecurityGroup",
  method: "DELETE",
  path: "/v1/{project_id}/security-groups/{security_group_id}",
  handle(ctx) {
    deleteGroup(envOf(ctx), requireProject(ctx.scope), ctx.input.path.security_group_id!);
    return { status: 204 };
  },
});

export const createSecurityGroupRuleV1 = vpcOperation({
  name: "CreateSecurityGroupRule",
  method: "POST",
  path: "/v1/{project_id}/security-group-rules",
  body: z.object({
    security_group_rule: z.object({
      security_group_id: Id,
      description: Description.optional(),
      direction: z.enum(["ingress", "egress"]),
      ethertype: z.enum(["IPv4", "IPv6"]).optional(),
      protocol: Nullable(z.string().max(16)),
      port_range_min: Nullable(Port),
      port_range_max: Nullable(Port),
      remote_ip_prefix: Nullable(z.string().max(64)),
      remote_group_id: Nullable(z.string().max(64)),
      remote_address_group_id: Nullable(z.string().max(64)),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.security_group_rule;
    const r = createRule(envOf(ctx), project, {
      securityGroupId: b.security_group_id,
      description: b.description,
      direction: b.direction,
      ethertype: b.ethertype,
      protocol: b.protocol,
      portRangeMin: b.port_range_min,
      portRangeMax: b.port_range_max,
      remoteIpPrefix: b.remote_ip_prefix,
      remoteGroupId: b.remote_group_id,
      remoteAddressGroupId: b.remote_address_group_id,
    });
    return { body: { security_group_rule: views.rule(r) } };
  },
});

export const listSecurityGroupRulesV1 = vpcOperation({
  name: "ListSecurityGroupRules",
  method: "GET",
  path: "/v1/{project_id}/security-group-rules",
  query: z.object({
    limit: V1Limit.optional(),
    marker: Marker.optional(),
    security_group_id: z.string().min(1).max(64).optional(),
    remote_ip_prefix: z.string().min(1).max(64).optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const filter = {
      securityGroupIds: q.security_group_id === undefined ? undefined : [q.security_group_id],
      remoteIpPrefix: q.remote_ip_prefix,
    };
    const rows = paged(ctx.svc.store.security.rules(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { security_group_rules: rows.map(views.rule) } };
  },
});

export const showSecurityGroupRuleV1 = vpcOperation({
  name: "ShowSecurityGroupRule",
  method: "GET",
  path: "/v1/{project_id}/security-group-rules/{security_group_rule_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    return { body: { security_group_rule: views.rule(requireRule(envOf(ctx), project.projectId, ctx.input.path.security_group_rule_id!)) } };
  },
});

export const deleteSecurityGroupRuleV1 = vpcOperation({
  name: "DeleteSecurityGroupRule",
  method: "DELETE",
  path: "/v1/{project_id}/security-group-rules/{security_group_rule_id}",
  handle(ctx) {
    deleteRule(envOf(ctx), requireProject(ctx.scope), ctx.input.path.security_group_rule_id!);
    return { status: 204 };
  },
});

export const securityGroupOperationsV1 = [
  createSecurityGroupV1,
  listSecurityGroupsV1,
  showSecurityGroupV1,
  deleteSecurityGroupV1,
  createSecurityGroupRuleV1,
  listSecurityGroupRulesV1,
  showSecurityGroupRuleV1,
  deleteSecurityGroupRuleV1,
];
