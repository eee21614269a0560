// Alarm rules, v2 (/v2/…/alarms): several policies over several resources (or a resource group), with
// notification lists, batch enable and delete, and their policies, resources and notifications edited apart.
// v2 rules are kept and listed, not evaluated (the v1 rules are: see evaluator.ts), and v1's ListAlarms does
// not show them.
import { z } from "../../../kernel/zod.ts";
import { alarmId, cesOperation, offsetLimit, requireProject, V2_PATH, type CesContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { checkTopics } from "../references.ts";
import { notification, policy, RULE_TYPES, ruleDimension, schemas, type CesNotification, type Rule } from "../resources.ts";
import { requireGroup } from "./resource-groups.ts";
import { requireTemplate } from "./templates.ts";

const Alarms = `${V2_PATH}/alarms`;
/** Huawei's quota, shared here with the v1 rules' count: 1000 rules a project. */
export const RULE_LIMIT = 1000;
const HHMM = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/);

export function requireRule(svc: CesContext, projectId: string, id: string): Doc<Rule> {
  const r = svc.docs.rules.get(projectId, id);
  if (!r) throw cesErrors.notFound(`alarm rule ${id.slice(0, 64)}`);
  return r;
}

function checkNotifications(svc: CesContext, projectId: string, lists: CesNotification[][]): void {
  checkTopics(svc, projectId, lists.map((l) => l.map((n) => ({ type: n.type === "notification" ? "notification" : "autoscaling", notificationList: n.notification_list }))));
}

const CreateBody = z.object({
  name: z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u),
  description: z.string().max(256).optional(),
  namespace: z.string().min(3).max(32),
  resource_group_id: z.string().optional(),
  resources: z.array(z.array(ruleDimension()).max(4)).max(1000),
  policies: z.array(policy()).max(50).optional(),
  type: z.enum(RULE_TYPES),
  alarm_notifications: z.array(notification()).max(10).optional(),
  ok_notifications: z.array(notification()).max(10).optional(),
  notification_begin_time: HHMM.optional(),
  notification_end_time: HHMM.optional(),
  effective_timezone: z.string().max(16).optional(),
  enterprise_project_id: z.string().max(64).optional(),
  enabled: z.boolean(),
  notification_enabled: z.boolean(),
  alarm_template_id: z.string().optional(),
  product_name: z.string().max(128).optional(),
  resource_level: z.enum(["product", "dimension"]).optional(),
  tags: z.array(z.object({ key: z.string().min(1).max(128), value: z.string().max(255) })).max(20).optional(),
});

const ruleView = (r: Doc<Rule>) => ({
  alarm_id: r.id,
  ...r.doc,
  resources: [{ resource_group_id: r.doc.resource_group_id ?? "", dimensions: r.doc.resources.flat() }],
  policies: r.doc.policies.map(policyView),
  tags: r.doc.tags ?? [],
});

const policyView = (p: Rule["policies"][number]) => ({
  metric_name: p.metric_name, period: p.period, filter: p.filter, comparison_operator: p.comparison_operator, value: p.value ?? 0, unit: p.unit ?? "",
  count: p.count, suppress_duration: p.suppress_duration ?? 0, level: p.level ?? p.alarm_level ?? 2, namespace: p.namespace ?? "", dimension_name: p.dimension_name ?? "",
});

export const createAlarmRules = cesOperation({
  name: "CreateAlarmRules",
  method: "POST",
  path: Alarms,
  body: CreateBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (b.type === "RESOURCE_GROUP") {
      if (b.resource_group_id === undefined) throw cesErrors.bodyInvalid("resource_group_id is required for a RESOURCE_GROUP rule.");
      requireGroup(ctx.svc, projectId, b.resource_group_id);
    }
    const policies = b.policies ?? (b.alarm_template_id === undefined ? [] : requireTemplate(ctx.svc, projectId, b.alarm_template_id).doc.policies);
    if (policies.length === 0) throw cesErrors.bodyInvalid("policies (or alarm_template_id) is required.");
    const alarmN = b.alarm_notifications ?? [];
    const okN = b.ok_notifications ?? [];
    if (b.notification_enabled && alarmN.length === 0 && okN.length === 0) throw cesErrors.bodyInvalid("notification_enabled needs alarm_notifications or ok_notifications.");
    checkNotifications(ctx.svc, projectId, [alarmN, okN]);
    if (ctx.svc.docs.rules.list(projectId).length + ctx.svc.store.countAlarms(projectId) >= RULE_LIMIT) throw cesErrors.alarmQuota();
    const doc = schemas.rule().parse({
      name: b.name, description: b.description ?? "", namespace: b.namespace, resource_group_id: b.resource_group_id, resources: b.resources,
      policies: policies.map((p) => ({ ...p, namespace: p.namespace ?? b.namespace })), type: b.type, enabled: b.enabled, notification_enabled: b.notification_enabled,
      alarm_notifications: alarmN, ok_notifications: okN, notification_begin_time: b.notification_begin_time ?? "00:00",
      notification_end_time: b.notification_end_time ?? "23:59", effective_timezone: b.effective_timezone ?? "GMT+08:00",
      enterprise_project_id: b.enterprise_project_id ?? "0", alarm_template_id: b.alarm_template_id ?? "", product_name: b.product_name ?? "",
      resource_level: b.resource_level ?? "dimension", tags: b.tags ?? [],
    });
    const id = alarmId(ctx.clock.now(), ctx.ids);
    ctx.svc.docs.rules.put(projectId, { id, parent: "", createdAt: ctx.clock.now(), doc });
    return { body: { alarm_id: id } };
  },
});

export const listAlarmRules = cesOperation({
  name: "ListAlarmRules",
  method: "GET",
  path: Alarms,
  query: z.object({
    alarm_id: z.string().optional(), name: z.string().optional(), namespace: z.string().optional(), resource_id: z.string().optional(),
    enterprise_project_id: z.string().optional(), product_name: z.string().optional(), resource_level: z.string().optional(),
    offset: z.string().optional(), limit: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = offsetLimit(q);
    const list = ctx.svc.docs.rules.list(projectId).reverse().filter((r) =>
      (q.alarm_id === undefined || r.id === q.alarm_id) && (q.name === undefined || r.doc.name.includes(q.name))
      && (q.namespace === undefined || r.doc.namespace === q.namespace) && (q.enterprise_project_id === undefined || r.doc.enterprise_project_id === q.enterprise_project_id)
      && (q.product_name === undefined || r.doc.product_name === q.product_name) && (q.resource_level === undefined || r.doc.resource_level === q.resource_level)
      && (q.resource_id === undefined || r.doc.resources.some((dims) => dims.some((d) => d.value === q.resource_id))));
    return { body: { alarms: list.slice(offset, offset + limit).map(ruleView), count: list.length } };
  },
});

const IdsBody = z.object({ alarm_ids: z.array(z.string()).min(1).max(100) });

export const batchDeleteAlarmRules = cesOperation({
  name: "BatchDeleteAlarmRules",
  method: "POST",
  path: `${Alarms}/batch-delete`,
  body: IdsBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const ids = ctx.input.body.alarm_ids;
    ids.forEach((id) => requireRule(ctx.svc, projectId, id));
    ctx.svc.docs.table.tx(() => ids.forEach((id) => ctx.svc.docs.rules.delete(projectId, id)));
    return { body: { alarm_ids: ids } };
  },
});

export const batchEnableAlarmRules = cesOperation({
  name: "BatchEnableAlarmRules",
  method: "POST",
  path: `${Alarms}/action`,
  body: IdsBody.extend({ alarm_enabled: z.boolean() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const rules = ctx.input.body.alarm_ids.map((id) => requireRule(ctx.svc, projectId, id));
    ctx.svc.docs.table.tx(() => rules.forEach((r) => ctx.svc.docs.rules.put(projectId, { ...r, doc: { ...r.doc, enabled: ctx.input.body.alarm_enabled } })));
    return { body: { alarm_ids: ctx.input.body.alarm_ids } };
  },
});

const Paged = z.object({ offset: z.string().optional(), limit: z.string().optional() });

export const listAlarmRulePolicies = cesOperation({
  name: "ListAlarmRulePolicies",
  method: "GET",
  path: `${Alarms}/{alarm_id}/policies`,
  query: Paged,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const r = requireRule(ctx.svc, projectId, ctx.input.path.alarm_id!);
    const { offset, limit } = offsetLimit(ctx.input.query);
    return { body: { policies: r.doc.policies.slice(offset, offset + limit).map((p) => ({ ...policyView(p), type: "" })), count: r.doc.policies.length } };
  },
});

export const updateAlarmRulePolicies = cesOperation({
  name: "UpdateAlarmRulePolicies",
  method: "PUT",
  path: `${Alarms}/{alarm_id}/policies`,
  body: z.object({ policies: z.array(policy()).min(1).max(50) }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const r = requireRule(ctx.svc, projectId, ctx.input.path.alarm_id!);
    const policies = ctx.input.body.policies.map((p) => ({ ...p, namespace: p.namespace ?? r.doc.namespace }));
    ctx.svc.docs.rules.put(projectId, { ...r, doc: { ...r.doc, policies } });
    return { body: { policies: policies.map(policyView) } };
  },
});

export const listAlarmRuleResources = cesOperation({
  name: "ListAlarmRuleResources",
  method: "GET",
  path: `${Alarms}/{alarm_id}/resources`,
  query: Paged,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const r = requireRule(ctx.svc, projectId, ctx.input.path.alarm_id!);
    const { offset, limit } = offsetLimit(ctx.input.query);
    return { body: { resources: r.doc.resources.slice(offset, offset + limit), count: r.doc.resources.length } };
  },
});

const ResourcesBody = z.object({ resources: z.array(z.array(ruleDimension()).min(1).max(4)).min(1).max(1000) });
const dimsKey = (dims: { name: string; value?: string | undefined }[]) => dims.map((d) => `${d.name}=${d.value ?? ""}`).sort().join(",");

export const addAlarmRuleResources = cesOperation({
  name: "AddAlarmRuleResources",
  method: "POST",
  path: `${Alarms}/{alarm_id}/resources/batch-create`,
  body: ResourcesBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const r = requireRule(ctx.svc, projectId, ctx.input.path.alarm_id!);
    if (r.doc.type === "RESOURCE_GROUP" || r.doc.type === "ALL_INSTANCE") throw cesErrors.bodyInvalid(`A ${r.doc.type} rule takes no resources.`);
    const have = new Set(r.doc.resources.map(dimsKey));
    const resources = [...r.doc.resources, ...ctx.input.body.resources.filter((d) => !have.has(dimsKey(d)))];
    if (resources.length > 1000) throw cesErrors.bodyInvalid("A rule holds at most 1000 resources.");
    ctx.svc.docs.rules.put(projectId, { ...r, doc: { ...r.doc, resources } });
    return { status: 200 };
  },
});

export const deleteAlarmRuleResources = cesOperation({
  name: "DeleteAlarmRuleResources",
  method: "POST",
  path: `${Alarms}/{alarm_id}/resources/batch-delete`,
  body: ResourcesBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const r = requireRule(ctx.svc, projectId, ctx.input.path.alarm_id!);
    const gone = new Set(ctx.input.body.resources.map(dimsKey));
    ctx.svc.docs.rules.put(projectId, { ...r, doc: { ...r.doc, resources: r.doc.resources.filter((d) => !gone.has(dimsKey(d))) } });
    return { status: 200 };
  },
});

export const updateAlarmNotifications = cesOperation({
  name: "UpdateAlarmNotifications",
  method: "PUT",
  path: `${Alarms}/{alarm_id}/notifications`,
  body: z.object({
    notification_enabled: z.boolean(), alarm_notifications: z.array(notification()).max(10).optional(), ok_notifications: z.array(notification()).max(10).optional(),
    notification_begin_time: HHMM.optional(), notification_end_time: HHMM.optional(), effective_timezone: z.string().max(16).optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const r = requireRule(ctx.svc, projectId, ctx.input.path.alarm_id!);
    const b = ctx.input.body;
    const alarmN = b.alarm_notifications ?? r.doc.alarm_notifications;
    const okN = b.ok_notifications ?? r.doc.ok_notifications;
    if (b.notification_enabled && alarmN.length === 0 && okN.length === 0) throw cesErrors.bodyInvalid("notification_enabled needs alarm_notifications or ok_notifications.");
    checkNotifications(ctx.svc, projectId, [alarmN, okN]);
    const doc = {
      ...r.doc, notification_enabled: b.notification_enabled, alarm_notifications: alarmN, ok_notifications: okN,
      notification_begin_time: b.notification_begin_time ?? r.doc.notification_begin_time, notification_end_time: b.notification_end_time ?? r.doc.notification_end_time,
      effective_timezone: b.effective_timezone ?? r.doc.effective_timezone,
    };
    ctx.svc.docs.rules.put(projectId, { ...r, doc });
    const { notification_enabled, alarm_notifications, ok_notifications, notification_begin_time, notification_end_time, effective_timezone } = doc;
    return {
      body: { notification_enabled, alarm_notifications, ok_notifications, notification_begin_time, notification_end_time, effective_timezone, notification_manner: "NOTIFICATION_GROUP", notification_policy_ids: [] },
    };
  },
});

export const listAlarmTemplateAssociationAlarms = cesOperation({
  name: "ListAlarmTemplateAssociationAlarms",
  method: "GET",
  path: `${V2_PATH}/alarm-templates/{template_id}/association-alarms`,
  query: Paged,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, projectId, ctx.input.path.template_id!);
    const { offset, limit } = offsetLimit(ctx.input.query);
    const rules = ctx.svc.docs.rules.list(projectId).filter((r) => r.doc.alarm_template_id === t.id);
    const alarms = rules.slice(offset, offset + limit).map((r) => ({ alarm_id: r.id, name: r.doc.name, description: r.doc.description }));
    return { body: { alarms, count: rules.length } };
  },
});

export const alarmRuleOperations = [
  createAlarmRules, listAlarmRules, batchDeleteAlarmRules, batchEnableAlarmRules, listAlarmRulePolicies, updateAlarmRulePolicies,
  listAlarmRuleResources, addAlarmRuleResources, deleteAlarmRuleResources, updateAlarmNotifications, listAlarmTemplateAssociationAlarms,
];
