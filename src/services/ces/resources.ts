// The kinds of document Cloud Eye keeps in ces_docs (docs.ts), with the schemas that check both the request
// bodies that make them and the rows read back. Times are ms on hwlocal's clock.
import type { Database } from "better-sqlite3";
import type { Ids } from "../../kernel/ids.ts";
import { z } from "../../kernel/zod.ts";
import { DocTable, type DocKind } from "./docs.ts";

export const PERIODS = [0, 1, 300, 1200, 3600, 14400, 86400] as const;
export const FILTERS = ["average", "max", "min", "sum", "variance"] as const;
export const OPERATORS = [">", "<", ">=", "<=", "=", "!=", "cycle_decrease", "cycle_increase", "cycle_wave"] as const;
export const SUPPRESS = [0, 300, 600, 900, 1800, 3600, 10800, 21600, 43200, 86400] as const;
const NS = /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_]+$/;

export const dimension = () => z.object({ name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/), value: z.string().min(1).max(256) });
const period = () => z.number().refine((v) => (PERIODS as readonly number[]).includes(v), "period: 0, 1, 300, 1200, 3600, 14400 or 86400");
const suppress = () => z.number().refine((v) => (SUPPRESS as readonly number[]).includes(v), "suppress_duration: one of Cloud Eye's values");

/** One alarm policy as v2 templates and rules spell it (v1 templates' items are turned into these). */
export const policy = () =>
  z.object({
    namespace: z.string().min(3).max(32).regex(NS).optional(),
    dimension_name: z.string().max(131).optional(),
    metric_name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,95}$/),
    period: period(),
    filter: z.enum(FILTERS),
    comparison_operator: z.enum(OPERATORS),
    value: z.number().min(0).optional(),
    unit: z.string().max(32).optional(),
    count: z.number().int().min(1).max(180),
    suppress_duration: suppress().optional(),
    alarm_level: z.number().int().min(1).max(4).optional(),
    level: z.number().int().min(1).max(4).optional(),
  });
export type Policy = z.output<ReturnType<typeof policy>>;

const template = () =>
  z.object({
    template_name: z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u),
    template_description: z.string().max(256),
    /** 0: custom metric template, 2: custom event template (hwlocal keeps custom ones only). */
    template_type: z.number(),
    policies: z.array(policy()).min(1).max(50),
  });
export type Template = z.output<ReturnType<typeof template>>;

export const groupResource = () => z.object({ namespace: z.string().min(3).max(32).regex(NS), dimensions: z.array(dimension()).min(1).max(4) });
export type GroupResource = z.output<ReturnType<typeof groupResource>>;
const group = () =>
  z.object({
    group_name: z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u),
    type: z.string(),
    enterprise_project_id: z.string(),
    resources: z.array(groupResource()),
    template_ids: z.array(z.string()),
    updatedAt: z.number(),
  });
export type Group = z.output<ReturnType<typeof group>>;

export const EVENT_TYPES = ["EVENT.SYS", "EVENT.CUSTOM"] as const;
export const EVENT_STATES = ["normal", "warning", "incident"] as const;
export const EVENT_LEVELS = ["Critical", "Major", "Minor", "Info"] as const;
export const eventDetail = () =>
  z.object({
    content: z.string().max(4096).optional(),
    group_id: z.string().max(128).optional(),
    resource_id: z.string().max(128).optional(),
    resource_name: z.string().max(128).optional(),
    event_state: z.enum(EVENT_STATES).optional(),
    event_level: z.enum(EVENT_LEVELS).optional(),
    event_user: z.string().max(64).optional(),
    event_type: z.enum(EVENT_TYPES).optional(),
    sub_event_type: z.enum(["SUB_EVENT.OPS", "SUB_EVENT.PLAN", "SUB_EVENT.CUSTOM"]).optional(),
    dimensions: z.array(dimension()).max(4).optional(),
  });
const event = () =>
  z.object({
    event_name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/),
    event_source: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_]+$/).max(32),
    time: z.number().int(),
    detail: eventDetail(),
  });
export type CesEvent = z.output<ReturnType<typeof event>>;

export const notification = () =>
  z.object({ type: z.enum(["notification", "autoscaling", "groupwatch", "ecsRecovery", "contact", "contactGroup", "iecAction"]), notification_list: z.array(z.string()).max(20) });
export type CesNotification = z.output<ReturnType<typeof notification>>;
export const ruleDimension = () => z.object({ name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/), value: z.string().max(256).optional() });
export const RULE_TYPES = ["EVENT.SYS", "EVENT.CUSTOM", "DNSHealthCheck", "RESOURCE_GROUP", "MULTI_INSTANCE", "ALL_INSTANCE"] as const;
const rule = () =>
  z.object({
    name: z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u),
    description: z.string().max(256),
    namespace: z.string().min(3).max(32).regex(NS),
    resource_group_id: z.string().optional(),
    resources: z.array(z.array(ruleDimension()).max(4)).max(1000),
    policies: z.array(policy()).min(1).max(50),
    type: z.enum(RULE_TYPES),
    enabled: z.boolean(),
    notification_enabled: z.boolean(),
    alarm_notifications: z.array(notification()).max(10),
    ok_notifications: z.array(notification()).max(10),
    notification_begin_time: z.string(),
    notification_end_time: z.string(),
    effective_timezone: z.string(),
    enterprise_project_id: z.string(),
    alarm_template_id: z.string(),
    product_name: z.string(),
    resource_level: z.enum(["product", "dimension"]),
    tags: z.array(z.object({ key: z.string().min(1).max(128), value: z.string().max(255) })).max(20).optional(),
  });
export type Rule = z.output<ReturnType<typeof rule>>;

export const MASK_TYPES = ["START_END_TIME", "FOREVER_TIME", "CYCLE_TIME"] as const;
export const RELATION_TYPES = ["ALARM_RULE", "RESOURCE", "RESOURCE_POLICY_NOTIFICATION", "RESOURCE_POLICY_ALARM"] as const;
export const maskWindow = () =>
  z.object({
    mask_type: z.enum(MASK_TYPES),
    start_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    start_time: z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/).optional(),
    end_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    end_time: z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/).optional(),
    effective_timezone: z.string().regex(/^GMT[+-]\d{2}:\d{2}$/).optional(),
  });
const mask = () =>
  z.object({
    mask_name: z.string(),
    relation_type: z.enum(RELATION_TYPES),
    relation_ids: z.array(z.string()),
    resources: z.array(z.object({ namespace: z.string(), dimensions: z.array(z.object({ name: z.string(), value: z.string().optional() })) })),
    metric_names: z.array(z.string()),
    window: maskWindow(),
    updatedAt: z.number(),
  });
export type Mask = z.output<ReturnType<typeof mask>>;

const dashboard = () =>
  z.object({ dashboard_name: z.string(), enterprise_id: z.string(), row_widget_num: z.number(), is_favorite: z.boolean(), creator_name: z.string() });
export type Dashboard = z.output<ReturnType<typeof dashboard>>;
export const widgetMetric = () =>
  z.object({
    namespace: z.string().min(3).max(32).regex(NS),
    dimensions: z.object({ name: z.string().max(131), filter_type: z.enum(["all_instances", "specific_instances"]), values: z.array(z.string().max(256)).max(50).optional() }),
    metric_name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,95}$/),
    alias: z.array(z.string().max(128)).max(50).optional(),
    unit: z.string().max(32).optional(),
  }).passthrough();
export const WIDGET_VIEWS = ["bar", "line", "bar_chart", "table", "circular_bar", "area_chart"] as const;
export const widgetLocation = () => z.object({ top: z.number().int().min(0), left: z.number().int().min(0).max(99), width: z.number().int().min(1).max(100), height: z.number().int().min(1) });
const widget = () =>
  z.object({
    group_id: z.string().optional(),
    metrics: z.array(widgetMetric()).min(1).max(50),
    title: z.string().min(1).max(128),
    threshold: z.number().optional(),
    threshold_enabled: z.boolean(),
    view: z.enum(WIDGET_VIEWS),
    metric_display_mode: z.enum(["single", "multiple"]),
    properties: z.record(z.string(), z.unknown()).optional(),
    location: widgetLocation().optional(),
    unit: z.string().max(32).optional(),
  });
export type Widget = z.output<ReturnType<typeof widget>>;

const oneClickPolicy = () => policy().extend({ alarm_policy_id: z.string(), enabled: z.boolean() });
const oneClick = () =>
  z.object({
    namespace: z.string(),
    description: z.string(),
    dimension_names: z.object({ metric: z.array(z.string()), event: z.array(z.string()) }),
    notification_enabled: z.boolean(),
    alarm_notifications: z.array(notification()),
    ok_notifications: z.array(notification()),
    notification_begin_time: z.string(),
    notification_end_time: z.string(),
    effective_timezone: z.string(),
    alarms: z.array(z.object({ alarm_id: z.string(), name: z.string(), enabled: z.boolean(), policies: z.array(oneClickPolicy()) })),
  });
export type OneClick = z.output<ReturnType<typeof oneClick>>;

const invocation = () =>
  z.object({
    instance_id: z.string(),
    instance_name: z.string(),
    invocation_type: z.enum(["INSTALL", "UPDATE", "ROLLBACK", "RETRY", "SET_REMOTE_INSTALLER", "REMOTE_INSTALL"]),
    invocation_target: z.string(),
    target_version: z.string(),
  });
export type Invocation = z.output<ReturnType<typeof invocation>>;

export interface CesDocs {
  table: DocTable;
  templates: DocKind<Template>;
  groups: DocKind<Group>;
  events: DocKind<CesEvent>;
  rules: DocKind<Rule>;
  masks: DocKind<Mask>;
  dashboards: DocKind<Dashboard>;
  /** parent: the dashboard. */
  widgets: DocKind<Widget>;
  /** id: the one-click alarm's id (its service's, e.g. ECSSystemOneClickAlarm). */
  oneClicks: DocKind<OneClick>;
  /** Agent invocations (v3); parent: the server. */
  invocations: DocKind<Invocation>;
}

export function cesDocs(db: Database): CesDocs {
  const table = new DocTable(db);
  return {
    table,
    templates: table.kind("template", template()),
    groups: table.kind("group", group()),
    events: table.kind("event", event()),
    rules: table.kind("rule", rule()),
    masks: table.kind("mask", mask()),
    dashboards: table.kind("dashboard", dashboard()),
    widgets: table.kind("widget", widget()),
    oneClicks: table.kind("one_click", oneClick()),
    invocations: table.kind("invocation", invocation()),
  };
}

export const schemas = { template, group, event, rule, widget };

/** A Cloud Eye id: a prefix and 22 letters and digits ("at…" templates, "rg…" resource groups, "nm…" masks). */
export function cesId(prefix: string, ids: Ids): string {
  return `${prefix}${ids.secretKey().slice(0, 22)}`;
}
