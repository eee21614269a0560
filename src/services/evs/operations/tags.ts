// Volume tags: BatchCreateVolumeTags and BatchDeleteVolumeTags (one path, told apart by `action`; 204),
// ShowVolumeTags ({tags: [{key, value}]}), the project's ListVolumeTags ({tags: {key: [values]}}) and
// ListVolumesByTags (filter or count over tags and the name). Tags live in the volume row, the same map
// CreateVolume's `tags` fills: keys 1-36 and values 0-43 of EVS's characters (EVS.1062), at most 10 (EVS.1061).
import { z } from "../../../kernel/zod.ts";
import { evsOperation, requireProject, requireVolume, viewBase } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { checkTags } from "../rules.ts";
import type { StringMap, VolumeRow } from "../store.ts";
import * as views from "../views.ts";

const Tag = z.object({ key: z.string(), value: z.string().optional() });

export const batchVolumeTags = evsOperation({
  // One path serves two SDK operations.
  name: "BatchCreateVolumeTags|BatchDeleteVolumeTags",
  method: "POST",
  path: "/v2/{project_id}/cloudvolumes/{volume_id}/tags/action",
  body: z.object({ action: z.enum(["create", "delete"]), tags: z.array(Tag).min(1) }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const v = requireVolume(ctx.svc.store, p, ctx.input.path.volume_id!);
    const { action, tags } = ctx.input.body;
    let next: StringMap;
    if (action === "create") {
      // An existing key takes the new value.
      const added: StringMap = Object.fromEntries(tags.map((t) => [t.key, t.value ?? ""]));
      checkTags(added);
      next = { ...v.tags, ...added };
      if (Object.keys(next).length > 10) throw evsErrors.tooManyTags();
    } else {
      // A tag named with a value goes only when the value matches; keys the volume lacks are ignored.
      const gone = (key: string, value: string) => tags.some((d) => d.key === key && (d.value === undefined || d.value === "" || d.value === value));
      next = Object.fromEntries(Object.entries(v.tags).filter(([k, val]) => !gone(k, val)));
    }
    ctx.svc.store.update(p.projectId, v.id, { tags: next }, ctx.clock.now());
    return { status: 204 };
  },
});

export const showVolumeTags = evsOperation({
  name: "ShowVolumeTags",
  method: "GET",
  path: "/v2/{project_id}/cloudvolumes/{volume_id}/tags",
  handle(ctx) {
    const v = requireVolume(ctx.svc.store, requireProject(ctx.scope), ctx.input.path.volume_id!);
    return { body: { tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })) } };
  },
});

export const listVolumeTags = evsOperation({
  name: "ListVolumeTags",
  method: "GET",
  path: "/v2/{project_id}/cloudvolumes/tags",
  handle(ctx) {
    const values = new Map<string, Set<string>>();
    for (const v of ctx.svc.store.volumes(requireProject(ctx.scope).projectId)) {
      for (const [key, value] of Object.entries(v.tags)) values.set(key, (values.get(key) ?? new Set<string>()).add(value));
    }
    const keys = [...values.keys()].sort();
    return { body: { tags: Object.fromEntries(keys.map((k) => [k, [...values.get(k)!].sort()])) } };
  },
});

const TagFilter = z.object({ key: z.string().min(1).max(36), values: z.array(z.string().max(43)).max(10) });

/** A volume's tags match a filter: the key, with one of the values (any value when none is given). */
const hasTag = (v: VolumeRow, f: { key: string; values: string[] }) =>
  Object.hasOwn(v.tags, f.key) && (f.values.length === 0 || f.values.includes(v.tags[f.key]!));

export const listVolumesByTags = evsOperation({
  name: "ListVolumesByTags",
  method: "POST",
  path: "/v2/{project_id}/cloudvolumes/resource_instances/action",
  body: z.object({
    action: z.enum(["filter", "count"]),
    tags: z.array(TagFilter).min(1).max(10),
    matches: z.array(z.object({ key: z.literal("resource_name"), value: z.string().max(255) })).max(1).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const b = ctx.input.body;
    const name = b.matches?.[0]?.value;
    const found = ctx.svc.store
      .volumes(p.projectId)
      .filter((v) => b.tags.every((f) => hasTag(v, f)) && (name === undefined || name === "" || v.name.includes(name)));
    if (b.action === "count") return { body: { total_count: found.length } };
    const offset = b.offset ?? 0;
    const page = found.slice(offset, offset + (b.limit ?? 1000));
    const base = viewBase(ctx.request, p);
    return {
      body: {
        resources: page.map((v) => ({
          resource_id: v.id,
          resource_name: v.name,
          resource_detail: views.volume(v, ctx.svc.store.attachments(v.id), base),
          tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })),
        })),
        total_count: found.length,
      },
    };
  },
});

export const tagOperations = [batchVolumeTags, showVolumeTags, listVolumeTags, listVolumesByTags];
