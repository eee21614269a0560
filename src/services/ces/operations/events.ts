// Events (v1): custom events reported with CreateEvents, listed by name (ListEvents), in detail
// (ListEventDetail), and as a resource's event data (ShowEventData). hwlocal raises no system events of its
// own: EVENT.SYS appears only when a caller reports it.
import { z } from "../../../kernel/zod.ts";
import { cesOperation, intParam, parseDim, PROJECT_PATH, requireProject } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { eventDetail, type CesEvent } from "../resources.ts";

const HOUR = 3_600_000;
const EVENT_TYPES = z.enum(["EVENT.SYS", "EVENT.CUSTOM"]);

const EventBody = z.object({
  event_name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/),
  event_source: z.string().max(32).regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_]+$/),
  time: z.number().int(),
  detail: eventDetail(),
});

const typeOf = (e: CesEvent) => e.detail.event_type ?? "EVENT.CUSTOM";
const subTypeOf = (e: CesEvent) => e.detail.sub_event_type ?? "SUB_EVENT.CUSTOM";

export const createEvents = cesOperation({
  name: "CreateEvents",
  method: "POST",
  path: `${PROJECT_PATH}/events`,
  body: z.array(EventBody).min(1).max(100),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const now = ctx.clock.now();
    // Huawei accepts events from the last hour up to 10 minutes ahead.
    const late = ctx.input.body.find((e) => e.time < now - HOUR || e.time > now + 10 * 60_000);
    if (late) throw cesErrors.bodyInvalid(`time ${late.time}: events may be at most 1 hour old and 10 minutes ahead.`);
    const out = ctx.svc.docs.table.tx(() =>
      ctx.input.body.map((e) => {
        const id = `ev${String(now).padStart(13, "0")}${ctx.ids.secretKey().slice(0, 9)}`;
        ctx.svc.docs.events.put(projectId, { id, parent: e.event_name, createdAt: now, doc: e });
        return { event_id: id, event_name: e.event_name };
      }),
    );
    return { status: 201, body: out };
  },
});

const Range = { from: z.string().optional(), to: z.string().optional(), start: z.string().optional(), limit: z.string().optional() };

function inRange(events: Doc<CesEvent>[], q: { from?: string | undefined; to?: string | undefined }): Doc<CesEvent>[] {
  const from = intParam(q.from, "from", 0, 9e15, 0);
  const to = intParam(q.to, "to", 0, 9e15, 9e15);
  if (from > to) throw cesErrors.urlInvalid("from is after to");
  return events.filter((e) => e.doc.time >= from && e.doc.time <= to);
}

export const listEvents = cesOperation({
  name: "ListEvents",
  method: "GET",
  path: `${PROJECT_PATH}/events`,
  query: z.object({ event_type: EVENT_TYPES.optional(), sub_event_type: z.string().optional(), event_name: z.string().optional(), ...Range }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const start = intParam(q.start, "start", 0, 1e9, 0);
    const limit = intParam(q.limit, "limit", 1, 100, 100);
    const events = inRange(ctx.svc.docs.events.list(projectId), q).filter((e) =>
      (q.event_type === undefined || typeOf(e.doc) === q.event_type) && (q.sub_event_type === undefined || subTypeOf(e.doc) === q.sub_event_type)
      && (q.event_name === undefined || e.doc.event_name === q.event_name));
    const byName = new Map<string, Doc<CesEvent>[]>();
    for (const e of events) byName.set(e.doc.event_name, [...(byName.get(e.doc.event_name) ?? []), e]);
    const rows = [...byName].map(([name, list]) => {
      const latest = list.reduce((a, b) => (b.doc.time >= a.doc.time ? b : a));
      return {
        event_name: name, event_type: typeOf(latest.doc), sub_event_type: subTypeOf(latest.doc), event_count: list.length,
        latest_occur_time: latest.doc.time, latest_event_source: latest.doc.event_source,
      };
    }).sort((a, b) => b.latest_occur_time - a.latest_occur_time);
    return { body: { events: rows.slice(start, start + limit), meta_data: { total: rows.length } } };
  },
});

export const listEventDetail = cesOperation({
  name: "ListEventDetail",
  method: "GET",
  path: `${PROJECT_PATH}/event/{event_name}`,
  query: z.object({
    event_type: EVENT_TYPES, sub_event_type: z.string().optional(), event_source: z.string().optional(), event_level: z.string().optional(),
    event_user: z.string().optional(), event_state: z.string().optional(), ...Range,
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const name = ctx.input.path.event_name ?? "";
    const start = intParam(q.start, "start", 0, 1e9, 0);
    const limit = intParam(q.limit, "limit", 1, 100, 100);
    const events = inRange(ctx.svc.docs.events.list(projectId, name), q)
      .filter((e) => typeOf(e.doc) === q.event_type && (q.sub_event_type === undefined || subTypeOf(e.doc) === q.sub_event_type))
      .filter((e) => (q.event_source === undefined || e.doc.event_source === q.event_source) && (q.event_level === undefined || e.doc.detail.event_level === q.event_level))
      .filter((e) => (q.event_user === undefined || e.doc.detail.event_user === q.event_user) && (q.event_state === undefined || e.doc.detail.event_state === q.event_state))
      .sort((a, b) => b.doc.time - a.doc.time);
    const info = events.slice(start, start + limit).map((e) => ({ ...e.doc, event_id: e.id }));
    return {
      body: {
        event_name: name, event_type: q.event_type, sub_event_type: events[0] ? subTypeOf(events[0].doc) : q.sub_event_type ?? "SUB_EVENT.CUSTOM",
        event_users: [...new Set(events.flatMap((e) => (e.doc.detail.event_user ? [e.doc.detail.event_user] : [])))],
        event_sources: [...new Set(events.map((e) => e.doc.event_source))],
        event_info: info,
        meta_data: { total: events.length },
      },
    };
  },
});

export const showEventData = cesOperation({
  name: "ShowEventData",
  method: "GET",
  path: `${PROJECT_PATH}/event-data`,
  query: z.object({
    namespace: z.string().min(3).max(32), type: z.string().min(1), from: z.string(), to: z.string(),
    "dim.0": z.string(), "dim.1": z.string().optional(), "dim.2": z.string().optional(), "dim.3": z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const dims = [q["dim.0"], q["dim.1"], q["dim.2"], q["dim.3"]].flatMap((d, i) => (d === undefined ? [] : [parseDim(d, i)]));
    const datapoints = inRange(ctx.svc.docs.events.list(projectId, q.type), q)
      .filter((e) => e.doc.event_source === q.namespace)
      .filter((e) => dims.every((d) => (e.doc.detail.dimensions ?? []).some((x) => x.name === d.name && x.value === d.value)))
      .sort((a, b) => a.doc.time - b.doc.time)
      .map((e) => ({ type: e.doc.event_name, timestamp: e.doc.time, value: e.doc.detail.content ?? "" }));
    return { body: { datapoints } };
  },
});

export const eventOperations = [createEvents, listEvents, listEventDetail, showEventData];
