// v3 network ACLs (/v3/{project_id}/vpc/firewalls): create, list (no rules in list items), show, update,
// delete, insert/update/remove rules, associate/disassociate subnets. v3 conventions: request_id, nested
// errors, 201 on create, page_info on lists.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { BoolText, Description, EnterpriseProjectId, Many, Marker, V3Limit, V3Tags, envOf, pageInfo, pageOf, paged, requireProject, vpcOperation, type VpcContext } from "../context.ts";
import {
  associateSubnets,
  createFirewall,
  deleteFirewall,
  firewallStatus,
  firewalls,
  insertRules,
  liveSubnets,
  removeRules,
  requireFirewall,
  updateFirewall,
  updateRules,
  type Firewall,
  type FirewallRule,
} from "../model/firewalls.ts";
import { pageList } from "../store/documents.ts";

const FwName = z.string().max(64).regex(/^[\p{L}\p{N}_.-]*$/u, "may hold only letters, digits, '_', '-' and '.'");
const RuleFields = {
  name: FwName.optional(),
  description: Description.optional(),
  action: z.enum(["allow", "deny"]).optional(),
  protocol: z.enum(["tcp", "udp", "icmp", "icmpv6", "any"]).optional(),
  ip_version: z.union([z.literal(4), z.literal(6)]).optional(),
  source_ip_address: z.string().max(64).optional(),
  destination_ip_address: z.string().max(64).optional(),
  source_port: z.string().max(255).optional(),
  destination_port: z.string().max(255).optional(),
  source_address_group_id: z.string().max(64).optional(),
  destination_address_group_id: z.string().max(64).optional(),
  enabled: z.boolean().optional(),
};
const NewRule = z.object(RuleFields);
const ChangedRule = z.object({ id: z.string().min(1).max(64), ...RuleFields });
const RuleId = z.object({ id: z.string().min(1).max(64) });
const Subnets = z.object({ subnets: z.array(z.object({ virsubnet_id: z.string().min(1).max(64) })).min(1).max(100) });

function ruleView(projectId: string, r: FirewallRule) {
  return { ...r, project_id: projectId };
}

function view(ctx: HandlerContext<VpcContext, unknown>, f: Firewall, withRules: boolean) {
  const subnets = liveSubnets(envOf(ctx), requireProject(ctx.scope), f);
  return {
    id: f.row.id,
    name: f.doc.name,
    description: f.doc.description,
    project_id: f.row.project_id,
    created_at: isoSeconds(f.row.created_at),
    updated_at: isoSeconds(f.row.updated_at),
    admin_state_up: f.doc.admin_state_up,
    status: firewallStatus({ ...f.doc, subnets }),
    enterprise_project_id: f.doc.enterprise_project_id,
    tags: f.row.tags,
    associations: subnets.map((s) => ({ virsubnet_id: s })),
    ...(withRules
      ? { ingress_rules: f.doc.ingress_rules.map((r) => ruleView(f.row.project_id, r)), egress_rules: f.doc.egress_rules.map((r) => ruleView(f.row.project_id, r)) }
      : {}),
  };
}

const one = "/v3/{project_id}/vpc/firewalls/{firewall_id}";
const answer = (ctx: HandlerContext<VpcContext, unknown>, f: Firewall) => ({ body: { request_id: ctx.request.requestId, firewall: view(ctx, f, true) } });

export const firewallOperationsV3 = [
  vpcOperation({
    name: "CreateFirewall",
    method: "POST",
    path: "/v3/{project_id}/vpc/firewalls",
    errorShape: "nested",
    body: z.object({
      firewall: z.object({
        name: FwName.min(1),
        description: Description.optional(),
        admin_state_up: z.boolean().optional(),
        enterprise_project_id: EnterpriseProjectId.optional(),
        tags: V3Tags.optional(),
      }),
    }),
    handle(ctx) {
      const b = ctx.input.body.firewall;
      const f = createFirewall(envOf(ctx), requireProject(ctx.scope), {
        name: b.name,
        description: b.description ?? "",
        adminStateUp: b.admin_state_up ?? true,
        enterpriseProjectId: b.enterprise_project_id ?? "0",
        tags: b.tags ?? [],
      });
      return { status: 201, ...answer(ctx, f) };
    },
  }),
  vpcOperation({
    name: "ListFirewall",
    method: "GET",
    path: "/v3/{project_id}/vpc/firewalls",
    errorShape: "nested",
    query: z.object({
      limit: V3Limit.optional(),
      marker: Marker.optional(),
      id: Many.optional(),
      name: Many.optional(),
      status: z.enum(["ACTIVE", "INACTIVE"]).optional(),
      admin_state_up: BoolText.optional(),
      enterprise_project_id: z.string().max(64).optional(),
    }),
    handle(ctx) {
      const q = ctx.input.query;
      const items = firewalls(envOf(ctx), requireProject(ctx.scope))
        .map((f) => view(ctx, f, false))
        .filter(
          (f) =>
            (!q.id || q.id.includes(f.id)) &&
            (!q.name || q.name.includes(f.name)) &&
            (!q.status || f.status === q.status) &&
            (q.admin_state_up === undefined || f.admin_state_up === q.admin_state_up) &&
            (!q.enterprise_project_id || q.enterprise_project_id === "all_granted_eps" || f.enterprise_project_id === q.enterprise_project_id),
        );
      const page = paged(pageList(items, pageOf(q)), q.marker);
      return { body: { request_id: ctx.request.requestId, firewalls: page, page_info: pageInfo(page, q.limit) } };
    },
  }),
  vpcOperation({
    name: "ShowFirewall",
    method: "GET",
    path: one,
    errorShape: "nested",
    handle(ctx) {
      return answer(ctx, requireFirewall(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!));
    },
  }),
  vpcOperation({
    name: "UpdateFirewall",
    method: "PUT",
    path: one,
    errorShape: "nested",
    body: z.object({ firewall: z.object({ name: FwName.min(1).optional(), description: Description.optional(), admin_state_up: z.boolean().optional() }) }),
    handle(ctx) {
      return answer(ctx, updateFirewall(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!, ctx.input.body.firewall));
    },
  }),
  vpcOperation({
    name: "DeleteFirewall",
    method: "DELETE",
    path: one,
    errorShape: "nested",
    handle(ctx) {
      deleteFirewall(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!);
      return { status: 204 };
    },
  }),
  vpcOperation({
    name: "AddFirewallRules",
    method: "PUT",
    path: `${one}/insert-rules`,
    errorShape: "nested",
    body: z.object({
      firewall: z.object({ ingress_rules: z.array(NewRule).max(20).optional(), egress_rules: z.array(NewRule).max(20).optional(), insert_after_rule: z.string().max(64).optional() }),
    }),
    handle(ctx) {
      const b = ctx.input.body.firewall;
      const f = insertRules(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!, { ingress_rules: b.ingress_rules ?? [], egress_rules: b.egress_rules ?? [] }, b.insert_after_rule);
      return answer(ctx, f);
    },
  }),
  vpcOperation({
    name: "UpdateFirewallRules",
    method: "PUT",
    path: `${one}/update-rules`,
    errorShape: "nested",
    body: z.object({ firewall: z.object({ ingress_rules: z.array(ChangedRule).max(20).optional(), egress_rules: z.array(ChangedRule).max(20).optional() }) }),
    handle(ctx) {
      const b = ctx.input.body.firewall;
      return answer(ctx, updateRules(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!, { ingress_rules: b.ingress_rules ?? [], egress_rules: b.egress_rules ?? [] }));
    },
  }),
  vpcOperation({
    name: "RemoveFirewallRules",
    method: "PUT",
    path: `${one}/remove-rules`,
    errorShape: "nested",
    body: z.object({ firewall: z.object({ ingress_rules: z.array(RuleId).max(20).optional(), egress_rules: z.array(RuleId).max(20).optional() }) }),
    handle(ctx) {
      const b = ctx.input.body.firewall;
      const ids = { ingress_rules: (b.ingress_rules ?? []).map((r) => r.id), egress_rules: (b.egress_rules ?? []).map((r) => r.id) };
      return answer(ctx, removeRules(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!, ids));
    },
  }),
  vpcOperation({
    name: "AssociateSubnetFirewall",
    method: "PUT",
    path: `${one}/associate-subnets`,
    errorShape: "nested",
    body: Subnets,
    handle(ctx) {
      const ids = ctx.input.body.subnets.map((s) => s.virsubnet_id);
      return answer(ctx, associateSubnets(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!, ids, true));
    },
  }),
  vpcOperation({
    name: "DisassociateSubnetFirewall",
    method: "PUT",
    path: `${one}/disassociate-subnets`,
    errorShape: "nested",
    body: Subnets,
    handle(ctx) {
      const ids = ctx.input.body.subnets.map((s) => s.virsubnet_id);
      return answer(ctx, associateSubnets(envOf(ctx), requireProject(ctx.scope), ctx.input.path.firewall_id!, ids, false));
    },
  }),
];
