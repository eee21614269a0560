// Alarm templates, v1 (/V1.0/…/alarm-template: one namespace and dimension, template_items) and v2
// (/v2/…/alarm-templates: policies, each with its own namespace). One store for both: a v1 template is a v2
// template whose policies share a namespace and dimension.
import type { Ids } from "../../../kernel/ids.ts";
import { z } from "../../../kernel/zod.ts";
import { cesOperation, intParam, offsetLimit, PROJECT_PATH, requireProject, V2_PATH, type CesContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { cesId, FILTERS, OPERATORS, PERIODS, policy, schemas, SUPPRESS, type Template } from "../resources.ts";

/** Huawei's quota: 100 custom templates a project. */
export const TEMPLATE_LIMIT = 100;

const V1Item = () =>
  z.object({
    metric_name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,95}$/),
    condition: z.object({
      comparison_operator: z.enum(OPERATORS),
      count: z.number().int().min(1).max(180),
      filter: z.enum(FILTERS),
      period: z.number().refine((v) => (PERIODS as readonly number[]).includes(v)),
      unit: z.string().max(32).optional(),
      value: z.number().min(0),
      suppress_duration: z.number().refine((v) => (SUPPRESS as readonly number[]).includes(v)).optional(),
    }),
    alarm_level: z.number().int().min(1).max(4).optional(),
  });

const V1Body = z.object({
  template_name: z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u),
  template_description: z.string().max(256).optional(),
  namespace: z.string().min(3).max(32),
  dimension_name: z.string().min(1).max(32),
  template_items: z.array(V1Item()).min(1).max(50),
});

function fromV1(b: z.output<typeof V1Body>): Template {
  return {
    template_name: b.template_name,
    template_description: b.template_description ?? "",
    template_type: 0,
    policies: b.template_items.map((i) => ({
      namespace: b.namespace, dimension_name: b.dimension_name, metric_name: i.metric_name, ...i.condition, alarm_level: i.alarm_level ?? 2,
    })),
  };
}

function v1View(t: Doc<Template>) {
  const first = t.doc.policies[0];
  return {
    template_id: t.id,
    template_name: t.doc.template_name,
    template_description: t.doc.template_description,
    namespace: first?.namespace ?? "",
    dimension_name: first?.dimension_name ?? "",
    template_items: t.doc.policies.map((p) => ({
      metric_name: p.metric_name,
      condition: { comparison_operator: p.comparison_operator, count: p.count, filter: p.filter, period: p.period, unit: p.unit ?? "", value: p.value ?? 0, suppress_duration: p.suppress_duration ?? 0 },
      alarm_level: p.alarm_level ?? 2,
    })),
  };
}

const v2Item = (t: Doc<Template>) => ({
  template_id: t.id,
  template_name: t.doc.template_name,
  template_type: "custom",
  create_time: new Date(t.createdAt).toISOString(),
  template_description: t.doc.template_description,
});

export function requireTemplate(svc: CesContext, projectId: string, id: string): Doc<Template> {
  const t = svc.docs.templates.get(projectId, id);
  if (!t) throw cesErrors.notFound(`alarm template ${id.slice(0, 64)}`);
  return t;
}

function create(svc: CesContext, ctx: { projectId: string; now: number; ids: Ids }, doc: Template): string {
  const all = svc.docs.templates.list(ctx.projectId);
  if (all.some((t) => t.doc.template_name === doc.template_name)) throw cesErrors.bodyInvalid(`template_name ${doc.template_name} exists.`);
  if (all.length >= TEMPLATE_LIMIT) throw cesErrors.forbidden("The alarm template quota (100) is used up.");
  const id = cesId("at", ctx.ids);
  svc.docs.templates.put(ctx.projectId, { id, parent: "", createdAt: ctx.now, doc });
  return id;
}

function replace(svc: CesContext, projectId: string, t: Doc<Template>, doc: Template): void {
  if (svc.docs.templates.list(projectId).some((o) => o.id !== t.id && o.doc.template_name === doc.template_name)) {
    throw cesErrors.bodyInvalid(`template_name ${doc.template_name} exists.`);
  }
  svc.docs.templates.put(projectId, { ...t, doc });
}

export const createAlarmTemplateV1 = cesOperation({
  name: "CreateAlarmTemplate",
  method: "POST",
  path: `${PROJECT_PATH}/alarm-template`,
  body: V1Body,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const id = create(ctx.svc, { projectId, now: ctx.clock.now(), ids: ctx.ids }, fromV1(ctx.input.body));
    return { status: 201, body: { template_id: id } };
  },
});

export const listAlarmTemplatesV1 = cesOperation({
  name: "ListAlarmTemplates",
  method: "GET",
  path: `${PROJECT_PATH}/alarm-template`,
  query: z.object({ alarmTemplateId: z.string().optional(), namespace: z.string().optional(), dname: z.string().optional(), start: z.string().optional(), limit: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const limit = intParam(q.limit, "limit", 1, 100, 100);
    const list = ctx.svc.docs.templates.list(projectId).map(v1View)
      .filter((t) => (q.alarmTemplateId === undefined || t.template_id === q.alarmTemplateId) && (q.namespace === undefined || t.namespace === q.namespace))
      .filter((t) => q.dname === undefined || t.dimension_name === q.dname);
    const from = q.start === undefined ? 0 : list.findIndex((t) => t.template_id === q.start) + 1;
    const page = list.slice(from, from + limit);
    const more = from + limit < list.length;
    return { body: { alarm_templates: page, meta_data: { count: page.length, total: list.length, marker: more ? page.at(-1)!.template_id : "" } } };
  },
});

export const updateAlarmTemplateV1 = cesOperation({
  name: "UpdateAlarmTemplate",
  method: "PUT",
  path: `${PROJECT_PATH}/alarm-template/{template_id}`,
  body: V1Body,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, projectId, ctx.input.path.template_id!);
    replace(ctx.svc, projectId, t, fromV1(ctx.input.body));
    return { status: 204 };
  },
});

export const deleteAlarmTemplateV1 = cesOperation({
  name: "DeleteAlarmTemplate",
  method: "DELETE",
  path: `${PROJECT_PATH}/alarm-template/{template_id}`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, projectId, ctx.input.path.template_id!);
    ctx.svc.docs.templates.delete(projectId, t.id);
    return { status: 204 };
  },
});

const V2Body = z.object({
  template_name: z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u),
  template_description: z.string().max(256).optional(),
  template_type: z.union([z.literal(0), z.literal(2)]).optional(),
  policies: z.array(policy()).min(1).max(50),
});

const fromV2 = (b: z.output<typeof V2Body>): Template => {
  if (b.policies.some((p) => p.namespace === undefined)) throw cesErrors.bodyInvalid("policies.namespace is required.");
  return schemas.template().parse({ ...b, template_description: b.template_description ?? "", template_type: b.template_type ?? 0 });
};

export const createAlarmTemplateV2 = cesOperation({
  name: "CreateAlarmTemplate",
  method: "POST",
  path: `${V2_PATH}/alarm-templates`,
  body: V2Body,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    return { body: { template_id: create(ctx.svc, { projectId, now: ctx.clock.now(), ids: ctx.ids }, fromV2(ctx.input.body)) } };
  },
});

export const listAlarmTemplatesV2 = cesOperation({
  name: "ListAlarmTemplates",
  method: "GET",
  path: `${V2_PATH}/alarm-templates`,
  query: z.object({
    offset: z.string().optional(), limit: z.string().optional(), namespace: z.string().optional(), dim_name: z.string().optional(),
    template_type: z.enum(["system", "custom", "system_event", "custom_event", "system_custom_event"]).optional(),
    template_name: z.string().optional(), product_name: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = offsetLimit(q);
    const list = ctx.svc.docs.templates.list(projectId)
      .filter(() => q.template_type === undefined || q.template_type === "custom")
      .filter((t) => q.template_name === undefined || t.doc.template_name.includes(q.template_name))
      .filter((t) => q.namespace === undefined || t.doc.policies.some((p) => p.namespace === q.namespace))
      .filter((t) => q.dim_name === undefined || t.doc.policies.some((p) => p.dimension_name === q.dim_name));
    return { body: { alarm_templates: list.slice(offset, offset + limit).map(v2Item), count: list.length } };
  },
});

export const showAlarmTemplate = cesOperation({
  name: "ShowAlarmTemplate",
  method: "GET",
  path: `${V2_PATH}/alarm-templates/{template_id}`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, projectId, ctx.input.path.template_id!);
    const policies = t.doc.policies.map((p) => ({ ...p, dimension_name: p.dimension_name ?? "", unit: p.unit ?? "", suppress_duration: p.suppress_duration ?? 0, alarm_level: p.alarm_level ?? 2 }));
    return { body: { ...v2Item(t), policies } };
  },
});

export const updateAlarmTemplateV2 = cesOperation({
  name: "UpdateAlarmTemplate",
  method: "PUT",
  path: `${V2_PATH}/alarm-templates/{template_id}`,
  body: V2Body,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, projectId, ctx.input.path.template_id!);
    replace(ctx.svc, projectId, t, fromV2(ctx.input.body));
    return { status: 204 };
  },
});

export const batchDeleteAlarmTemplates = cesOperation({
  name: "BatchDeleteAlarmTemplates",
  method: "POST",
  path: `${V2_PATH}/alarm-templates/batch-delete`,
  body: z.object({ template_ids: z.array(z.string()).min(1).max(100), delete_associate_alarm: z.boolean().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const ids = ctx.input.body.template_ids;
    for (const id of ids) requireTemplate(ctx.svc, projectId, id);
    ctx.svc.docs.table.tx(() => {
      for (const id of ids) ctx.svc.docs.templates.delete(projectId, id);
    });
    return { body: { template_ids: ids } };
  },
});

export const templateOperations = [
  createAlarmTemplateV1, listAlarmTemplatesV1, updateAlarmTemplateV1, deleteAlarmTemplateV1,
  createAlarmTemplateV2, listAlarmTemplatesV2, showAlarmTemplate, updateAlarmTemplateV2, batchDeleteAlarmTemplates,
];
