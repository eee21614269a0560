// One-click alarms (v2): a service's recommended alarm rules switched on in one call, for the services
// hwlocal serves. Each enabled one-click alarm holds one ALL_INSTANCE rule of the service's namespace with
// the policies below; rules and policies can be switched off one by one. Like the v2 rules, they are kept,
// not evaluated.
import { z } from "../../../kernel/zod.ts";
import { alarmId, cesOperation, requireProject, V2_PATH, type CesContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { checkTopics } from "../references.ts";
import { notification, type CesNotification, type OneClick, type Policy } from "../resources.ts";

const Base = `${V2_PATH}/one-click-alarms`;

const p = (metric_name: string, value: number, unit: string): Policy => ({
  metric_name, period: 300, filter: "average", comparison_operator: ">=", value, unit, count: 3, suppress_duration: 86400, level: 2,
});

/** The one-click alarms hwlocal offers: id → namespace, description, recommended policies. Ids and metrics follow the console's, from memory. */
export const ONE_CLICK_CATALOG: Record<string, { namespace: string; description: string; policies: Policy[] }> = {
  ECSSystemOneClickAlarm: { namespace: "SYS.ECS", description: "Elastic Cloud Server", policies: [p("cpu_util", 80, "%"), p("mem_util", 80, "%"), p("disk_util_inband", 80, "%")] },
  EVSSystemOneClickAlarm: { namespace: "SYS.EVS", description: "Elastic Volume Service", policies: [p("disk_device_io_util", 80, "%")] },
  VPCSystemOneClickAlarm: { namespace: "SYS.VPC", description: "Elastic IP and bandwidth", policies: [p("upstream_bandwidth_usage", 80, "%"), p("downstream_bandwidth_usage", 80, "%")] },
  ELBSystemOneClickAlarm: { namespace: "SYS.ELB", description: "Elastic Load Balance", policies: [p("m1_cps", 10000, "Count"), p("m5_in_pps", 100000, "Count/s")] },
  OBSSystemOneClickAlarm: { namespace: "SYS.OBS", description: "Object Storage Service", policies: [p("request_count_4xx", 100, "Count"), p("request_count_5xx", 10, "Count")] },
};

function requireOneClick(svc: CesContext, projectId: string, id: string): Doc<OneClick> {
  const o = svc.docs.oneClicks.get(projectId, id);
  if (!o) throw cesErrors.notFound(`one-click alarm ${id.slice(0, 64)}`);
  return o;
}

const Notifications = {
  notification_enabled: z.boolean(),
  alarm_notifications: z.array(notification()).max(10).optional(),
  ok_notifications: z.array(notification()).max(10).optional(),
  notification_begin_time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/).optional(),
  notification_end_time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/).optional(),
  effective_timezone: z.string().max(16).optional(),
};

function checkNotifications(svc: CesContext, projectId: string, enabled: boolean, lists: CesNotification[][]): void {
  if (enabled && lists.every((l) => l.length === 0)) throw cesErrors.bodyInvalid("notification_enabled needs alarm_notifications or ok_notifications.");
  checkTopics(svc, projectId, lists.map((l) => l.map((n) => ({ type: n.type === "notification" ? "notification" : "autoscaling", notificationList: n.notification_list }))));
}

export const createOneClickAlarm = cesOperation({
  name: "CreateOneClickAlarm",
  method: "POST",
  path: Base,
  body: z.object({ one_click_alarm_id: z.string(), dimension_names: z.object({ metric: z.array(z.string()).optional(), event: z.array(z.string()).optional() }).optional(), ...Notifications }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const entry = ONE_CLICK_CATALOG[b.one_click_alarm_id];
    if (!entry) throw cesErrors.bodyInvalid(`one_click_alarm_id ${b.one_click_alarm_id.slice(0, 64)} is not one of ${Object.keys(ONE_CLICK_CATALOG).join(", ")}.`);
    if (ctx.svc.docs.oneClicks.get(projectId, b.one_click_alarm_id)) throw cesErrors.bodyInvalid(`${b.one_click_alarm_id} is enabled already.`);
    const alarmN = b.alarm_notifications ?? [];
    const okN = b.ok_notifications ?? [];
    checkNotifications(ctx.svc, projectId, b.notification_enabled, [alarmN, okN]);
    const now = ctx.clock.now();
    const doc: OneClick = {
      namespace: entry.namespace, description: entry.description,
      dimension_names: { metric: b.dimension_names?.metric ?? [], event: b.dimension_names?.event ?? [] },
      notification_enabled: b.notification_enabled, alarm_notifications: alarmN, ok_notifications: okN,
      notification_begin_time: b.notification_begin_time ?? "00:00", notification_end_time: b.notification_end_time ?? "23:59",
      effective_timezone: b.effective_timezone ?? "GMT+08:00",
      alarms: [{
        alarm_id: alarmId(now, ctx.ids), name: `alarm-${entry.namespace.split(".")[1]!.toLowerCase()}-one-click`, enabled: true,
        policies: entry.policies.map((pol, i) => ({ ...pol, alarm_policy_id: `${b.one_click_alarm_id.slice(0, 3).toLowerCase()}p${i + 1}${ctx.ids.secretKey().slice(0, 10)}`, enabled: true })),
      }],
    };
    ctx.svc.docs.oneClicks.put(projectId, { id: b.one_click_alarm_id, parent: "", createdAt: now, doc });
    return { body: { one_click_alarm_id: b.one_click_alarm_id } };
  },
});

export const listOneClickAlarms = cesOperation({
  name: "ListOneClickAlarms",
  method: "GET",
  path: Base,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const one_click_alarms = ctx.svc.docs.oneClicks.list(projectId).map((o) => ({
      one_click_alarm_id: o.id, namespace: o.doc.namespace, description: o.doc.description, enabled: o.doc.alarms.some((a) => a.enabled),
    }));
    return { body: { one_click_alarms } };
  },
});

export const listOneClickAlarmRules = cesOperation({
  name: "ListOneClickAlarmRules",
  method: "GET",
  path: `${Base}/{one_click_alarm_id}/alarms`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const o = requireOneClick(ctx.svc, projectId, ctx.input.path.one_click_alarm_id!);
    const { notification_enabled, alarm_notifications, ok_notifications, notification_begin_time, notification_end_time, effective_timezone } = o.doc;
    const alarms = o.doc.alarms.map((a) => ({
      alarm_id: a.alarm_id, name: a.name, description: "", namespace: o.doc.namespace, type: "ALL_INSTANCE", enabled: a.enabled,
      policies: a.policies.map(({ namespace: _ns, alarm_level: _l, ...rest }) => rest),
      resources: [], notification_enabled, alarm_notifications, ok_notifications, notification_begin_time, notification_end_time, effective_timezone,
      notification_manner: "NOTIFICATION_GROUP", notification_policy_ids: [],
    }));
    return { body: { alarms } };
  },
});

export const batchDeleteOneClickAlarms = cesOperation({
  name: "BatchDeleteOneClickAlarms",
  method: "POST",
  path: `${Base}/batch-delete`,
  body: z.object({ one_click_alarm_ids: z.array(z.string()).min(1).max(100), action_type: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const ids = ctx.input.body.one_click_alarm_ids;
    ids.forEach((id) => requireOneClick(ctx.svc, projectId, id));
    ctx.svc.docs.table.tx(() => ids.forEach((id) => ctx.svc.docs.oneClicks.delete(projectId, id)));
    return { body: { one_click_alarm_ids: ids } };
  },
});

export const batchUpdateOneClickAlarmsEnabledState = cesOperation({
  name: "BatchUpdateOneClickAlarmsEnabledState",
  method: "PUT",
  path: `${Base}/{one_click_alarm_id}/alarm-rules/action`,
  body: z.object({ alarm_ids: z.array(z.string()).min(1).max(100), alarm_enabled: z.boolean(), retain_when_all_disabled: z.boolean().optional(), action_type: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const o = requireOneClick(ctx.svc, projectId, ctx.input.path.one_click_alarm_id!);
    const b = ctx.input.body;
    const missing = b.alarm_ids.find((id) => !o.doc.alarms.some((a) => a.alarm_id === id));
    if (missing !== undefined) throw cesErrors.notFound(`alarm rule ${missing.slice(0, 64)} of ${o.id}`);
    const alarms = o.doc.alarms.map((a) => (b.alarm_ids.includes(a.alarm_id) ? { ...a, enabled: b.alarm_enabled } : a));
    ctx.svc.docs.oneClicks.put(projectId, { ...o, doc: { ...o.doc, alarms } });
    return { body: { alarm_ids: b.alarm_ids } };
  },
});

export const batchUpdateOneClickAlarmPoliciesEnabledState = cesOperation({
  name: "BatchUpdateOneClickAlarmPoliciesEnabledState",
  method: "PUT",
  path: `${Base}/{one_click_alarm_id}/alarms/{alarm_id}/policies/action`,
  body: z.object({ alarm_policy_ids: z.array(z.string()).min(1).max(100), enabled: z.boolean(), retain_when_all_disabled: z.boolean().optional(), action_type: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const o = requireOneClick(ctx.svc, projectId, ctx.input.path.one_click_alarm_id!);
    const rule = o.doc.alarms.find((a) => a.alarm_id === ctx.input.path.alarm_id);
    if (!rule) throw cesErrors.notFound(`alarm rule ${(ctx.input.path.alarm_id ?? "").slice(0, 64)} of ${o.id}`);
    const b = ctx.input.body;
    const missing = b.alarm_policy_ids.find((id) => !rule.policies.some((x) => x.alarm_policy_id === id));
    if (missing !== undefined) throw cesErrors.notFound(`alarm policy ${missing.slice(0, 64)}`);
    const alarms = o.doc.alarms.map((a) => (a !== rule ? a : { ...a, policies: a.policies.map((x) => (b.alarm_policy_ids.includes(x.alarm_policy_id) ? { ...x, enabled: b.enabled } : x)) }));
    ctx.svc.docs.oneClicks.put(projectId, { ...o, doc: { ...o.doc, alarms } });
    return { body: { alarm_policy_ids: b.alarm_policy_ids } };
  },
});

export const updateOneClickAlarmNotifications = cesOperation({
  name: "UpdateOneClickAlarmNotifications",
  method: "PUT",
  path: `${Base}/{one_click_alarm_id}/notifications`,
  body: z.object({ ...Notifications, notification_manner: z.string().optional(), notification_policy_ids: z.array(z.string()).optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const o = requireOneClick(ctx.svc, projectId, ctx.input.path.one_click_alarm_id!);
    const b = ctx.input.body;
    const alarmN = b.alarm_notifications ?? o.doc.alarm_notifications;
    const okN = b.ok_notifications ?? o.doc.ok_notifications;
    checkNotifications(ctx.svc, projectId, b.notification_enabled, [alarmN, okN]);
    const doc = {
      ...o.doc, notification_enabled: b.notification_enabled, alarm_notifications: alarmN, ok_notifications: okN,
      notification_begin_time: b.notification_begin_time ?? o.doc.notification_begin_time, notification_end_time: b.notification_end_time ?? o.doc.notification_end_time,
      effective_timezone: b.effective_timezone ?? o.doc.effective_timezone,
    };
    ctx.svc.docs.oneClicks.put(projectId, { ...o, doc });
    return { status: 204 };
  },
});

export const oneClickOperations = [
  createOneClickAlarm, listOneClickAlarms, listOneClickAlarmRules, batchDeleteOneClickAlarms, batchUpdateOneClickAlarmsEnabledState,
  batchUpdateOneClickAlarmPoliciesEnabledState, updateOneClickAlarmNotifications,
];
