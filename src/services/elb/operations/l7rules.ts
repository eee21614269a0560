// L7 rules (/elb/l7policies/{l7policy_id}/rules, elb-facts §3.7): HOST_NAME (EQUAL_TO only, wildcards
// allowed), PATH, METHOD, HEADER and QUERY_STRING (with a key), SOURCE_IP; HOST_NAME/PATH/METHOD/SOURCE_IP
// at most once a policy; none on a policy that redirects to a listener. ListAllL7Rules lists every policy's.
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { L7_COMPARE_TYPES, L7_RULE_TYPES, type L7PolicyDoc, type L7RuleDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";

export const ruleSchema = z.object({
  type: z.enum(L7_RULE_TYPES),
  compare_type: z.enum(L7_COMPARE_TYPES),
  value: z.string().min(1).max(128),
  key: z.string().max(40).nullable().optional(),
  invert: z.boolean().optional(),
  admin_state_up: z.boolean().optional(),
});

const updateBody = z.object({
  rule: z.object({ compare_type: z.enum(L7_COMPARE_TYPES).optional(), value: z.string().min(1).max(128).optional(), key: z.string().max(40).nullable().optional(), invert: z.boolean().optional(), admin_state_up: z.boolean().optional() }),
});

const UNIQUE: readonly string[] = ["HOST_NAME", "PATH", "METHOD", "SOURCE_IP"];
const HOST = /^(\*\.)?[A-Za-z0-9.-]{1,100}$/;

function checkRule(d: Pick<L7RuleDoc, "type" | "compare_type" | "value" | "key">): void {
  if (d.type === "HOST_NAME") {
    if (d.compare_type !== "EQUAL_TO") throw elbErrors.invalid("HOST_NAME rules take compare_type EQUAL_TO only.");
    if (!HOST.test(d.value)) throw elbErrors.invalid(`value ${d.value} is not a host name.`);
  }
  if (d.type === "PATH" && d.compare_type !== "REGEX" && !d.value.startsWith("/")) throw elbErrors.invalid("a PATH value starts with /.");
  if ((d.type === "HEADER" || d.type === "QUERY_STRING") && !d.key) throw elbErrors.invalid(`${d.type} rules need a key.`);
}

export function requirePolicy(svc: ElbContext, projectId: string, id: string): DocRow<L7PolicyDoc> {
  const p = svc.store.l7policies.get(projectId, id);
  if (!p) throw elbErrors.notFound("L7policy", id);
  return p;
}

export function insertRule(svc: ElbContext, policy: DocRow<L7PolicyDoc>, r: z.output<typeof ruleSchema>, env: { now: number; id: string }): DocRow<L7RuleDoc> {
  if (policy.doc.action === "REDIRECT_TO_LISTENER") throw elbErrors.invalid("A policy that redirects to a listener takes no rules.");
  const doc: L7RuleDoc = {
    policy_id: policy.id,
    type: r.type,
    compare_type: r.compare_type,
    value: r.value,
    key: r.key ?? null,
    invert: r.invert ?? false,
    admin_state_up: r.admin_state_up ?? true,
    created_at: env.now,
    updated_at: env.now,
  };
  checkRule(doc);
  if (UNIQUE.includes(r.type) && svc.store.l7rules.byParent(policy.projectId, policy.id).some((x) => x.doc.type === r.type)) {
    throw elbErrors.conflict(`L7 policy ${policy.id} already has a ${r.type} rule.`);
  }
  return svc.store.l7rules.insert({ id: env.id, projectId: policy.projectId, lbId: policy.lbId, parentId: policy.id, doc });
}

function view(r: DocRow<L7RuleDoc>): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    project_id: r.projectId,
    admin_state_up: d.admin_state_up,
    type: d.type,
    compare_type: d.compare_type,
    invert: d.invert,
    key: d.key,
    value: d.value,
    provisioning_status: "ACTIVE",
    conditions: [],
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

function requireRule(svc: ElbContext, policy: DocRow<L7PolicyDoc>, id: string): DocRow<L7RuleDoc> {
  const r = svc.store.l7rules.get(policy.projectId, id);
  if (!r || r.doc.policy_id !== policy.id) throw elbErrors.notFound("L7rule", id);
  return r;
}

const ruleFilters = {
  id: (r: DocRow<L7RuleDoc>) => r.id,
  compare_type: (r: DocRow<L7RuleDoc>) => r.doc.compare_type,
  provisioning_status: () => "ACTIVE",
  invert: (r: DocRow<L7RuleDoc>) => r.doc.invert,
  admin_state_up: (r: DocRow<L7RuleDoc>) => r.doc.admin_state_up,
  value: (r: DocRow<L7RuleDoc>) => r.doc.value,
  key: (r: DocRow<L7RuleDoc>) => r.doc.key,
  type: (r: DocRow<L7RuleDoc>) => r.doc.type,
};

export const createL7Rule = elbOperation({
  name: "CreateL7Rule",
  method: "POST",
  path: `${V3}/l7policies/{l7policy_id}/rules`,
  body: z.object({ rule: ruleSchema }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const policy = requirePolicy(ctx.svc, projectId, ctx.input.path.l7policy_id ?? "");
    const r = insertRule(ctx.svc, policy, ctx.input.body.rule, { now: ctx.clock.now(), id: ctx.ids.uuid() });
    return { status: 201, body: { rule: view(r), request_id: ctx.request.requestId } };
  },
});

export const listL7Rules = elbOperation({
  name: "ListL7Rules",
  method: "GET",
  path: `${V3}/l7policies/{l7policy_id}/rules`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const policy = requirePolicy(ctx.svc, projectId, ctx.input.path.l7policy_id ?? "");
    const p = page(filtered(ctx.svc.store.l7rules.byParent(projectId, policy.id), ctx.input.query, ruleFilters), ctx.input.query);
    return { body: { rules: p.items.map(view), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const listAllL7Rules = elbOperation({
  name: "ListAllL7Rules",
  method: "GET",
  path: `${V3}/l7policies/rules`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const rows = filtered(ctx.svc.store.l7rules.list(projectId), ctx.input.query, { ...ruleFilters, l7policy_id: (r) => r.doc.policy_id });
    const p = page(rows, ctx.input.query);
    return { body: { rules: p.items.map(view), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showL7Rule = elbOperation({
  name: "ShowL7Rule",
  method: "GET",
  path: `${V3}/l7policies/{l7policy_id}/rules/{l7rule_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const policy = requirePolicy(ctx.svc, projectId, ctx.input.path.l7policy_id ?? "");
    return { body: { rule: view(requireRule(ctx.svc, policy, ctx.input.path.l7rule_id ?? "")), request_id: ctx.request.requestId } };
  },
});

export const updateL7Rule = elbOperation({
  name: "UpdateL7Rule",
  method: "PUT",
  path: `${V3}/l7policies/{l7policy_id}/rules/{l7rule_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const policy = requirePolicy(ctx.svc, projectId, ctx.input.path.l7policy_id ?? "");
    const r = requireRule(ctx.svc, policy, ctx.input.path.l7rule_id ?? "");
    const b = ctx.input.body.rule;
    const d: L7RuleDoc = { ...r.doc };
    if (b.compare_type !== undefined) d.compare_type = b.compare_type;
    if (b.value !== undefined) d.value = b.value;
    if (b.key !== undefined) d.key = b.key;
    if (b.invert !== undefined) d.invert = b.invert;
    if (b.admin_state_up !== undefined) d.admin_state_up = b.admin_state_up;
    checkRule(d);
    d.updated_at = ctx.clock.now();
    r.doc = d;
    ctx.svc.store.l7rules.update(r);
    return { body: { rule: view(r), request_id: ctx.request.requestId } };
  },
});

export const deleteL7Rule = elbOperation({
  name: "DeleteL7Rule",
  method: "DELETE",
  path: `${V3}/l7policies/{l7policy_id}/rules/{l7rule_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const policy = requirePolicy(ctx.svc, projectId, ctx.input.path.l7policy_id ?? "");
    const r = requireRule(ctx.svc, policy, ctx.input.path.l7rule_id ?? "");
    ctx.svc.store.l7rules.delete(projectId, r.id);
    return { status: 204 };
  },
});

export const l7RuleOperations = [createL7Rule, listL7Rules, listAllL7Rules, showL7Rule, updateL7Rule, deleteL7Rule];
