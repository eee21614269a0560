// VPC v3 security groups and rules: /v3/{project_id}/vpc/security-groups and /security-group-rules, over
// the same tables as v1. v3 rules add multiport, action (allow/deny), priority (1-100) and enabled.
import { z } from "../../../kernel/zod.ts";
import {
  BoolText,
  Description,
  EnterpriseProjectId,
  Id,
  Many,
  Marker,
  Name,
  V3Limit,
  V3Tags,
  dryRun,
  envOf,
  pageInfo,
  pageOf,
  paged,
  requireProject,
  vpcOperation,
} from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { createGroup, createRule, deleteGroup, deleteRule, ensureDefaultGroup, requireGroup, requireRule, updateGroup } from "../model/security.ts";
import { ruleV3, securityGroupV3 } from "../views-v3.ts";

const Priority = z
  .union([z.number(), z.string().regex(/^[0-9]{1,3}$/).transform(Number)])
  .pipe(z.number().int().min(1).max(100));

export const createSecurityGroupV3 = vpcOperation({
  name: "CreateSecurityGroup",
  method: "POST",
  path: "/v3/{project_id}/vpc/security-groups",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    security_group: z.object({
      name: Name,
      description: Description.optional(),
      enterprise_project_id: EnterpriseProjectId.optional(),
      tags: V3Tags.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.security_group;
    const env = envOf(ctx);
    const create = () =>
      createGroup(env, project, {
        name: b.name,
        description: b.description ?? "",
        vpcId: null,
        enterpriseProjectId: b.enterprise_project_id ?? "0",
        tags: b.tags ?? [],
      });
    if (ctx.input.body.dry_run) {
      dryRun(env.store, create);
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    const g = create();
    return { status: 201, body: { request_id: ctx.request.requestId, security_group: securityGroupV3(g, env.store.security.rulesOf(g.id)) } };
  },
});

export const listSecurityGroupsV3 = vpcOperation({
  name: "ListSecurityGroups",
  method: "GET",
  path: "/v3/{project_id}/vpc/security-groups",
  errorShape: "nested",
  query: z.object({
    limit: V3Limit.optional(),
    marker: Marker.optional(),
    id: Many.optional(),
    name: Many.optional(),
    description: Many.optional(),
    enterprise_project_id: z.string().max(64).optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const env = envOf(ctx);
    ensureDefaultGroup(env, project.projectId);
    const filter = { ids: q.id, names: q.name, descriptions: q.description, enterpriseProjectId: q.enterprise_project_id };
    const rows = paged(env.store.security.groups(project.projectId, filter, pageOf(q)), q.marker);
    return {
      body: {
        request_id: ctx.request.requestId,
        security_groups: rows.map((g) => securityGroupV3(g, undefined)),
        page_info: pageInfo(rows, q.limit),
      },
    };
  },
});

export const showSecurityGroupV3 = vpcOperation({
  name: "ShowSecurityGroup",
  method: "GET",
  path: "/v3/{project_id}/vpc/security-groups/{security_group_id}",
  errorShape: "nested",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const g = requireGroup(env, project.projectId, ctx.input.path.security_group_id!);
    return { body: { request_id: ctx.request.requestId, security_group: securityGroupV3(g, env.store.security.rulesOf(g.id)) } };
  },
});

export const updateSecurityGroupV3 = vpcOperation({
  name: "UpdateSecurityGroup",
  method: "PUT",
  path: "/v3/{project_id}/vpc/security-groups/{security_group_id}",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    security_group: z.object({ name: Name.optional(), description: Description.optional() }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const id = ctx.input.path.security_group_id!;
    const update = () => updateGroup(env, project, id, ctx.input.body.security_group);
    if (ctx.input.body.dry_run) {
      dryRun(env.store, update);
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    const g = update();
    return { body: { request_id: ctx.request.requestId, security_group: securityGroupV3(g, env.store.security.rulesOf(g.id)) } };
  },
});

export const deleteSecurityGroupV3 = vpcOperation({
  name: "DeleteSecurityGroup",
  method: "DELETE",
  path: "/v3/{project_id}/vpc/security-groups/{security_group_id}",
  errorShape: "nested",
  handle(ctx) {
    deleteGroup(envOf(ctx), requireProject(ctx.scope), ctx.input.path.security_group_id!);
    return { status: 204 };
  },
});

export const createSecurityGroupRuleV3 = vpcOperation({
  name: "CreateSecurityGroupRule",
  method: "POST",
  path: "/v3/{project_id}/vpc/security-group-rules",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    security_group_rule: z.object({
      security_group_id: Id,
      description: Description.optional(),
      direction: z.enum(["ingress", "egress"]),
      ethertype: z.enum(["IPv4", "IPv6"]).optional(),
      protocol: z.string().max(16).optional(),
      multiport: z.string().max(512).optional(),
      remote_ip_prefix: z.string().max(64).optional(),
      remote_group_id: z.string().max(64).optional(),
      remote_address_group_id: z.string().max(64).optional(),
      action: z.enum(["allow", "deny"]).optional(),
      priority: Priority.optional(),
      enabled: z.boolean().optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.security_group_rule;
    const env = envOf(ctx);
    const create = () =>
      createRule(env, project, {
        securityGroupId: b.security_group_id,
        description: b.description,
        direction: b.direction,
        ethertype: b.ethertype,
        protocol: b.protocol,
        multiport: b.multiport,
        remoteIpPrefix: b.remote_ip_prefix,
        remoteGroupId: b.remote_group_id,
        remoteAddressGroupId: b.remote_address_group_id,
        action: b.action,
        priority: b.priority,
        enabled: b.enabled,
      });
    if (ctx.input.body.dry_run) {
      dryRun(env.store, create);
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    return { status: 201, body: { request_id: ctx.request.requestId, security_group_rule: ruleV3(create()) } };
  },
});

export const listSecurityGroupRulesV3 = vpcOperation({
  name: "ListSecurityGroupRules",
  method: "GET",
  path: "/v3/{project_id}/vpc/security-group-rules",
  errorShape: "nested",
  query: z.object({
    limit: V3Limit.optional(),
    marker: Marker.optional(),
    id: Many.optional(),
    security_group_id: Many.optional(),
    protocol: Many.optional(),
    description: Many.optional(),
    remote_group_id: Many.optional(),
    direction: z.enum(["ingress", "egress"]).optional(),
    action: z.enum(["allow", "deny"]).optional(),
    remote_ip_prefix: z.string().max(64).optional(),
    priority: Many.optional(),
    ethertype: Many.optional(),
    remote_address_group_id: Many.optional(),
    enabled: BoolText.optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const priorities = q.priority?.map((p) => {
      if (!/^[0-9]{1,3}$/.test(p)) throw vpcErrors.invalidParameter(`priority ${p} is not a number.`);
      return Number(p);
    });
    const filter = {
      ids: q.id,
      securityGroupIds: q.security_group_id,
      protocols: q.protocol,
      descriptions: q.description,
      remoteGroupIds: q.remote_group_id,
      direction: q.direction,
      action: q.action,
      remoteIpPrefix: q.remote_ip_prefix,
      priorities,
      ethertypes: q.ethertype,
      remoteAddressGroupIds: q.remote_address_group_id,
      enabled: q.enabled,
    };
    const rows = paged(ctx.svc.store.security.rules(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { request_id: ctx.request.requestId, security_group_rules: rows.map(ruleV3), page_info: pageInfo(rows, q.limit) } };
  },
});

export const showSecurityGroupRuleV3 = vpcOperation({
  name: "ShowSecurityGroupRule",
  method: "GET",
  path: "/v3/{project_id}/vpc/security-group-rules/{security_group_rule_id}",
  errorShape: "nested",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const r = requireRule(envOf(ctx), project.projectId, ctx.input.path.security_group_rule_id!);
    return { body: { request_id: ctx.request.requestId, security_group_rule: ruleV3(r) } };
  },
});

export const deleteSecurityGroupRuleV3 = vpcOperation({
  name: "DeleteSecurityGroupRule",
  method: "DELETE",
  path: "/v3/{project_id}/vpc/security-group-rules/{security_group_rule_id}",
  errorShape: "nested",
  handle(ctx) {
    deleteRule(envOf(ctx), requireProject(ctx.scope), ctx.input.path.security_group_rule_id!);
    return { status: 204 };
  },
});

export const securityGroupOperationsV3 = [
  createSecurityGroupV3,
  listSecurityGroupsV3,
  showSecurityGroupV3,
  updateSecurityGroupV3,
  deleteSecurityGroupV3,
  createSecurityGroupRuleV3,
  listSecurityGroupRulesV3,
  showSecurityGroupRuleV3,
  deleteSecurityGroupRuleV3,
];
