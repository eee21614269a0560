// Notification masks (v2): silence the notifications of alarm rules or resources, for ever, for a window of
// dates and times, or daily between two times. mask_status is derived from hwlocal's clock at read time
// (MASK_EFFECTIVE inside the window, MASK_INEFFECTIVE outside it). hwlocal's v1 evaluator does not consult
// masks: they are bookkeeping for the v2 API.
import { z } from "../../../kernel/zod.ts";
import { cesOperation, offsetLimit, requireProject, V2_PATH, type CesContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { cesId, maskWindow, RELATION_TYPES, ruleDimension, type Mask } from "../resources.ts";

const Masks = `${V2_PATH}/notification-masks`;
const MaskResource = z.object({ namespace: z.string().min(3).max(32), dimensions: z.array(ruleDimension()).max(4) });
type Window = Mask["window"];

function checkWindow(w: Window): void {
  if (w.mask_type === "FOREVER_TIME") return;
  if (w.start_time === undefined || w.end_time === undefined) throw cesErrors.bodyInvalid("start_time and end_time are required.");
  if (w.mask_type === "START_END_TIME") {
    if (w.start_date === undefined || w.end_date === undefined) throw cesErrors.bodyInvalid("start_date and end_date are required.");
    if (`${w.start_date} ${w.start_time}` >= `${w.end_date} ${w.end_time}`) throw cesErrors.bodyInvalid("The mask ends before it starts.");
  }
}

const offsetMs = (tz: string | undefined) => {
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(tz ?? "GMT+08:00");
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 8 * 3_600_000;
};
const hms = (t: string) => (t.length === 5 ? `${t}:00` : t);

export function maskStatus(w: Window, now: number): "MASK_EFFECTIVE" | "MASK_INEFFECTIVE" {
  if (w.mask_type === "FOREVER_TIME") return "MASK_EFFECTIVE";
  // The wall time in the mask's time zone, as "YYYY-MM-DD HH:MM:SS".
  const local = new Date(now + offsetMs(w.effective_timezone)).toISOString().slice(0, 19).replace("T", " ");
  const [date, time] = local.split(" ") as [string, string];
  const start = hms(w.start_time ?? "00:00");
  const end = hms(w.end_time ?? "23:59:59");
  if (w.mask_type === "START_END_TIME") {
    return local >= `${w.start_date} ${start}` && local <= `${w.end_date} ${end}` ? "MASK_EFFECTIVE" : "MASK_INEFFECTIVE";
  }
  const inDates = (w.start_date === undefined || date >= w.start_date) && (w.end_date === undefined || date <= w.end_date);
  const inTimes = start <= end ? time >= start && time <= end : time >= start || time <= end;
  return inDates && inTimes ? "MASK_EFFECTIVE" : "MASK_INEFFECTIVE";
}

function requireMask(svc: CesContext, projectId: string, id: string): Doc<Mask> {
  const m = svc.docs.masks.get(projectId, id);
  if (!m) throw cesErrors.notFound(`notification mask ${id.slice(0, 64)}`);
  return m;
}

const view = (m: Doc<Mask>, now: number) => ({
  notification_mask_id: m.id,
  mask_name: m.doc.mask_name,
  relation_type: m.doc.relation_type,
  relation_id: m.doc.relation_ids[0] ?? "",
  relation_ids: m.doc.relation_ids,
  resource_type: m.doc.resources.length > 0 ? "MULTI_INSTANCE" : "ALL_INSTANCE",
  metric_names: m.doc.metric_names,
  resources: m.doc.resources.map((r) => ({ namespace: r.namespace, dimension_names: r.dimensions.map((d) => d.name) })),
  mask_status: maskStatus(m.doc.window, now),
  ...m.doc.window,
  create_time: m.createdAt,
  update_time: m.doc.updatedAt,
});

const MaskBody = maskWindow().extend({
  mask_name: z.string().regex(/^[\p{L}\p{N}_-]{1,64}$/u).optional(),
  relation_type: z.enum(RELATION_TYPES),
  relation_ids: z.array(z.string().min(1).max(64)).max(100).optional(),
  resources: z.array(MaskResource).max(1000).optional(),
  metric_names: z.array(z.string().max(96)).max(50).optional(),
});

function windowOf(b: z.output<ReturnType<typeof maskWindow>>): Window {
  const { mask_type, start_date, start_time, end_date, end_time, effective_timezone } = b;
  const w: Window = { mask_type, start_date, start_time, end_date, end_time, effective_timezone: effective_timezone ?? "GMT+08:00" };
  checkWindow(w);
  return w;
}

function checkRelations(svc: CesContext, projectId: string, b: z.output<typeof MaskBody>): string[] {
  const ids = b.relation_ids ?? [];
  if (b.relation_type === "ALARM_RULE") {
    if (ids.length === 0) throw cesErrors.bodyInvalid("relation_ids is required for ALARM_RULE masks.");
    for (const id of ids) if (!svc.docs.rules.get(projectId, id) && !svc.store.alarm(projectId, id)) throw cesErrors.notFound(`alarm rule ${id}`);
  } else if ((b.resources ?? []).length === 0) {
    throw cesErrors.bodyInvalid("resources is required for resource masks.");
  }
  return ids;
}

export const batchUpdateNotificationMasks = cesOperation({
  name: "BatchUpdateNotificationMasks",
  method: "PUT",
  path: Masks,
  body: MaskBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const relationIds = checkRelations(ctx.svc, projectId, b);
    const id = cesId("nm", ctx.ids);
    const now = ctx.clock.now();
    const doc: Mask = {
      mask_name: b.mask_name ?? id, relation_type: b.relation_type, relation_ids: relationIds, resources: b.resources ?? [], metric_names: b.metric_names ?? [],
      window: windowOf(b), updatedAt: now,
    };
    ctx.svc.docs.masks.put(projectId, { id, parent: "", createdAt: now, doc });
    return { body: { notification_mask_id: id, relation_ids: relationIds } };
  },
});

export const listNotificationMasks = cesOperation({
  name: "ListNotificationMasks",
  method: "POST",
  path: `${Masks}/batch-query`,
  query: z.object({ offset: z.string().optional(), limit: z.string().optional(), sort_key: z.enum(["create_time", "update_time"]).optional(), sort_dir: z.enum(["asc", "desc"]).optional() }),
  body: z.object({
    relation_type: z.enum(RELATION_TYPES).optional(), relation_ids: z.array(z.string()).optional(), metric_name: z.string().optional(),
    mask_id: z.string().optional(), mask_name: z.string().optional(), mask_status: z.enum(["UN_MASKED", "MASK_EFFECTIVE", "MASK_INEFFECTIVE"]).optional(),
    namespace: z.string().optional(),
  }).optional(),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const f = ctx.input.body ?? {};
    const { offset, limit } = offsetLimit(q);
    const now = ctx.clock.now();
    const key = q.sort_key === "update_time" ? "update_time" : "create_time";
    const list = ctx.svc.docs.masks.list(projectId).map((m) => view(m, now))
      .filter((m) => (f.relation_type === undefined || m.relation_type === f.relation_type) && (f.mask_id === undefined || m.notification_mask_id === f.mask_id))
      .filter((m) => (f.mask_name === undefined || m.mask_name.includes(f.mask_name)) && (f.mask_status === undefined || m.mask_status === f.mask_status))
      .filter((m) => (f.metric_name === undefined || m.metric_names.includes(f.metric_name)) && (f.namespace === undefined || m.resources.some((r) => r.namespace === f.namespace)))
      .filter((m) => f.relation_ids === undefined || m.relation_ids.some((id) => f.relation_ids!.includes(id)))
      .sort((a, b) => (q.sort_dir === "asc" ? a[key] - b[key] : b[key] - a[key]));
    return { body: { notification_masks: list.slice(offset, offset + limit), count: list.length } };
  },
});

export const updateNotificationMask = cesOperation({
  name: "UpdateNotificationMask",
  method: "PUT",
  path: `${Masks}/{notification_mask_id}`,
  body: MaskBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const m = requireMask(ctx.svc, projectId, ctx.input.path.notification_mask_id!);
    const b = ctx.input.body;
    const relationIds = checkRelations(ctx.svc, projectId, b);
    const doc: Mask = {
      mask_name: b.mask_name ?? m.doc.mask_name, relation_type: b.relation_type, relation_ids: relationIds, resources: b.resources ?? [],
      metric_names: b.metric_names ?? [], window: windowOf(b), updatedAt: ctx.clock.now(),
    };
    ctx.svc.docs.masks.put(projectId, { ...m, doc });
    return { status: 204 };
  },
});

const IdsBody = z.object({ notification_mask_ids: z.array(z.string()).min(1).max(100) });

export const batchDeleteNotificationMasks = cesOperation({
  name: "BatchDeleteNotificationMasks",
  method: "POST",
  path: `${Masks}/batch-delete`,
  body: IdsBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const ids = ctx.input.body.notification_mask_ids;
    ids.forEach((id) => requireMask(ctx.svc, projectId, id));
    ctx.svc.docs.table.tx(() => ids.forEach((id) => ctx.svc.docs.masks.delete(projectId, id)));
    return { body: { notification_mask_ids: ids } };
  },
});

export const batchUpdateNotificationMaskTime = cesOperation({
  name: "BatchUpdateNotificationMaskTime",
  method: "POST",
  path: `${Masks}/batch-update`,
  body: IdsBody.extend(maskWindow().shape),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const masks = ctx.input.body.notification_mask_ids.map((id) => requireMask(ctx.svc, projectId, id));
    const window = windowOf(ctx.input.body);
    const now = ctx.clock.now();
    ctx.svc.docs.table.tx(() => masks.forEach((m) => ctx.svc.docs.masks.put(projectId, { ...m, doc: { ...m.doc, window, updatedAt: now } })));
    return { status: 204 };
  },
});

export const listNotificationMaskResources = cesOperation({
  name: "ListNotificationMaskResources",
  method: "GET",
  path: `${Masks}/{notification_mask_id}/resources`,
  query: z.object({ offset: z.string().optional(), limit: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const m = requireMask(ctx.svc, projectId, ctx.input.path.notification_mask_id!);
    const { offset, limit } = offsetLimit(ctx.input.query);
    const resources = m.doc.resources.map((r) => ({ namespace: r.namespace, dimensions: r.dimensions.map((d) => ({ name: d.name, value: d.value ?? "" })) }));
    return { body: { resources: resources.slice(offset, offset + limit), count: resources.length } };
  },
});

export const maskOperations = [
  batchUpdateNotificationMasks, listNotificationMasks, updateNotificationMask, batchDeleteNotificationMasks, batchUpdateNotificationMaskTime, listNotificationMaskResources,
];
