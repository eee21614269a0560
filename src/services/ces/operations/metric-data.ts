// Metric data (reference §4.1): CreateMetricData (POST /metric-data, an array; 201 no body), ShowMetricData
// (GET /metric-data), BatchListMetricData (POST /batch-query-metric-data) and ListMetrics (GET /metrics).
import { z } from "../../../kernel/zod.ts";
import { cesOperation, intParam, metricSchema, orderQuery, parseDim, PROJECT_PATH, requireProject, type CesContext } from "../context.ts";
import { cesErrors } from "../errors.ts";
import { dimensionKey, dimensionsOf, FILTERS, PERIODS, type Dimension, type Filter } from "../model.ts";
import { rollUp } from "../rollup.ts";
import * as views from "../views.ts";

/** collect_time must lie in [now − 3 days + 20 s, now + 10 min − 20 s] on hwlocal's clock. */
const PAST_MS = 3 * 86400_000 - 20_000;
const FUTURE_MS = 600_000 - 20_000;
const RESERVED = /^(SYS|AGT|SRE)/;

const pointSchema = z.object({
  metric: metricSchema,
  ttl: z.number().int().min(1).max(604800),
  collect_time: z.number().int(),
  value: z.number().finite(),
  unit: z.string().max(32).optional(),
  type: z.enum(["int", "float"]).optional(),
});

export const createMetricData = cesOperation({
  name: "CreateMetricData",
  method: "POST",
  path: `${PROJECT_PATH}/metric-data`,
  body: z.array(pointSchema).min(1),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const now = ctx.clock.now();
    const points = ctx.input.body.map((p, i) => {
      if (RESERVED.test(p.metric.namespace)) throw cesErrors.sysMetric(p.metric.namespace);
      if (p.collect_time < now - PAST_MS || p.collect_time > now + FUTURE_MS) {
        throw cesErrors.bodyInvalid(`[${i}].collect_time: must lie within the last 3 days and the next 10 minutes of ${now}.`);
      }
      if (new Set(p.metric.dimensions.map((d) => d.name)).size !== p.metric.dimensions.length) {
        throw cesErrors.bodyInvalid(`[${i}].metric.dimensions: a dimension name is repeated.`);
      }
      return {
        project_id: projectId,
        namespace: p.metric.namespace,
        metric_name: p.metric.metric_name,
        dim_key: dimensionKey(p.metric.dimensions),
        collect_time: p.collect_time,
        value: p.value,
        unit: p.unit ?? "",
        expires_at: now + p.ttl * 1000,
      };
    });
    ctx.svc.store.insertPoints(points);
    return { status: 201 };
  },
});

const periodOf = (raw: string): number => {
  const p = Number(raw);
  if (!/^\d+$/.test(raw) || !(PERIODS as readonly number[]).includes(p)) throw cesErrors.urlInvalid(`period: ${raw.slice(0, 16)}`);
  return p;
};

const epochMs = (raw: string, name: string): number => {
  if (!/^\d{1,15}$/.test(raw)) throw cesErrors.urlInvalid(`${name}: ${raw.slice(0, 32)}`);
  return Number(raw);
};

interface Query {
  namespace: string;
  metric_name: string;
  dimensions: Dimension[];
  from: number;
  to: number;
  period: number;
  filter: Filter;
}

function query(svc: CesContext, projectId: string, q: Query, now: number) {
  if (q.from >= q.to) throw cesErrors.urlInvalid("from must be earlier than to.");
  const points = svc.store.points(projectId, { ...q, dim_key: dimensionKey(q.dimensions) }, q.from, q.to, now);
  return views.datapoints(q.filter, rollUp(points, q.period, q.filter));
}

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export const showMetricData = cesOperation({
  name: "ShowMetricData",
  method: "GET",
  path: `${PROJECT_PATH}/metric-data`,
  query: z.object({
    namespace: z.string().regex(NAME),
    metric_name: z.string().regex(NAME),
    "dim.0": z.string(),
    "dim.1": z.string().optional(),
    "dim.2": z.string().optional(),
    "dim.3": z.string().optional(),
    filter: z.enum(FILTERS),
    period: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const dims = [q["dim.0"], q["dim.1"], q["dim.2"], q["dim.3"]].flatMap((d, n) => (d === undefined ? [] : [parseDim(d, n)]));
    const datapoints = query(ctx.svc, projectId, {
      namespace: q.namespace,
      metric_name: q.metric_name,
      dimensions: dims,
      from: epochMs(q.from, "from"),
      to: epochMs(q.to, "to"),
      period: periodOf(q.period),
      filter: q.filter,
    }, ctx.clock.now());
    return { body: { datapoints, metric_name: q.metric_name } };
  },
});

export const batchListMetricData = cesOperation({
  name: "BatchListMetricData",
  method: "POST",
  path: `${PROJECT_PATH}/batch-query-metric-data`,
  body: z.object({
    metrics: z.array(metricSchema).min(1).max(500),
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    period: z.union([z.string(), z.number().int()]),
    filter: z.enum(FILTERS),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const period = Number(b.period);
    if (!(PERIODS as readonly number[]).includes(period)) throw cesErrors.bodyInvalid(`period: ${String(b.period).slice(0, 16)}`);
    if (b.from >= b.to) throw cesErrors.bodyInvalid("from must be earlier than to.");
    const now = ctx.clock.now();
    const metrics = b.metrics.map((m) => {
      const datapoints = query(ctx.svc, projectId, { ...m, from: b.from, to: b.to, period, filter: b.filter }, now);
      return { namespace: m.namespace, metric_name: m.metric_name, dimensions: m.dimensions, datapoints, unit: datapoints[0]?.unit ?? "" };
    });
    return { body: { metrics } };
  },
});

export const listMetrics = cesOperation({
  name: "ListMetrics",
  method: "GET",
  path: `${PROJECT_PATH}/metrics`,
  query: z.object({
    namespace: z.string().optional(),
    metric_name: z.string().optional(),
    "dim.0": z.string().optional(),
    "dim.1": z.string().optional(),
    "dim.2": z.string().optional(),
    start: z.string().optional(),
    limit: z.string().optional(),
    order: orderQuery,
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const limit = intParam(q.limit, "limit", 1, 1000, 1000);
    const dims = [q["dim.0"], q["dim.1"], q["dim.2"]].flatMap((d, n) => (d === undefined ? [] : [parseDim(d, n)]));
    let series = ctx.svc.store
      .series(projectId, ctx.clock.now())
      .filter((s) => (q.namespace === undefined || s.namespace === q.namespace) && (q.metric_name === undefined || s.metric_name === q.metric_name))
      .map((s) => ({ namespace: s.namespace, metric_name: s.metric_name, dimensions: dimensionsOf(s.dim_key), unit: s.unit }))
      .filter((s) => dims.every((d) => s.dimensions.some((x) => x.name === d.name && x.value === d.value)));
    if ((q.order ?? "desc") === "desc") series = series.reverse();
    const key = (s: (typeof series)[number]) => `${s.namespace}.${s.metric_name}.${s.dimensions.map((d) => `${d.name}:${d.value}`).join(",")}`;
    const p = views.page(series, key, q.start, limit);
    if (!p) throw cesErrors.pagingInvalid(`start: ${String(q.start).slice(0, 64)}`);
    return { body: { metrics: p.items, meta_data: p.meta_data } };
  },
});

export const metricDataOperations = [createMetricData, showMetricData, batchListMetricData, listMetrics];
