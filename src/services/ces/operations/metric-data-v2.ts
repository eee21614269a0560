// BatchListSpecifiedMetricData (v2: the latest point of every series of a metric that has the named
// dimensions) and ListCesTargetProjectTags (the tag keys and values on the project's v2 alarm rules).
import { z } from "../../../kernel/zod.ts";
import { cesOperation, requireProject, V2_PATH } from "../context.ts";
import { cesErrors } from "../errors.ts";
import { dimensionsOf } from "../model.ts";

export const batchListSpecifiedMetricData = cesOperation({
  name: "BatchListSpecifiedMetricData",
  method: "POST",
  path: `${V2_PATH}/batch-query-metric-data`,
  body: z.object({
    namespace: z.string().min(3).max(32),
    metric_name: z.string().min(1).max(96),
    metric_dimension: z.string().min(1).max(256),
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const now = ctx.clock.now();
    const to = b.to ?? now;
    const from = b.from ?? to - 3_600_000;
    if (from >= to) throw cesErrors.bodyInvalid("from must be before to.");
    // metric_dimension names the dimensions, comma-separated (e.g. "instance_id" or "instance_id,mount_point"); a series matches with exactly those.
    const wanted = b.metric_dimension.split(",");
    const points = ctx.svc.store.series(projectId, now)
      .filter((s) => s.namespace === b.namespace && s.metric_name === b.metric_name)
      .map((s) => ({ s, dims: dimensionsOf(s.dim_key) }))
      .filter(({ dims }) => dims.length === wanted.length && wanted.every((w) => dims.some((d) => d.name === w)))
      .flatMap(({ s, dims }) => {
        const last = ctx.svc.store.points(projectId, s, from, to, now).at(-1);
        return last ? [{ dimensions: dims, timestamp: last.time, value: last.value, unit: last.unit }] : [];
      });
    const offset = b.offset ?? 0;
    return { body: { namespace: b.namespace, metric_name: b.metric_name, metric_dimension: b.metric_dimension, data_points: points.slice(offset, offset + (b.limit ?? 1000)) } };
  },
});

export const listCesTargetProjectTags = cesOperation({
  name: "ListCesTargetProjectTags",
  method: "GET",
  path: `${V2_PATH}/{resource_type}/tags`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    // CES's taggable resource type is its alarm rules.
    if (ctx.input.path.resource_type !== "CES-alarm") throw cesErrors.urlInvalid(`resource_type: ${(ctx.input.path.resource_type ?? "").slice(0, 32)}`);
    const keys = new Map<string, Set<string>>();
    for (const r of ctx.svc.docs.rules.list(projectId)) for (const t of r.doc.tags ?? []) keys.set(t.key, (keys.get(t.key) ?? new Set()).add(t.value));
    return { body: { tags: [...keys].map(([key, values]) => ({ key, values: [...values] })) } };
  },
});

export const metricDataV2Operations = [batchListSpecifiedMetricData, listCesTargetProjectTags];
