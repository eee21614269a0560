// Server tags: BatchCreateServerTags and BatchDeleteServerTags (one path, told apart by `action`; 204),
// ShowServerTags and the project's ListServerTags ({key, values[]} over all its servers). Tags live in the
// server row; ListServersDetails' tags/not-tags filters read the same list.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import type { ServerTag } from "../store-servers.ts";
import { requireServer } from "./server-common.ts";

/** Tags one server may carry, and the key and value lengths ECS documents. */
export const MAX_SERVER_TAGS = 10;

const Tag = z.object({ key: z.string().trim().min(1).max(36), value: z.string().max(43).optional() });

const TagsActionBody = z
  .object({ action: z.enum(["create", "delete"]), tags: z.array(Tag).min(1).max(MAX_SERVER_TAGS) })
  .refine((b) => new Set(b.tags.map((t) => t.key)).size === b.tags.length, "tags: a key may appear only once");

export const batchServerTags = ecsOperation({
  // One path serves two SDK operations, as the batch start/stop/reboot action does.
  name: "BatchCreateServerTags|BatchDeleteServerTags",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/tags/action",
  body: TagsActionBody,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const { action, tags } = ctx.input.body;
    let next: ServerTag[];
    if (action === "create") {
      // An existing key takes the new value.
      const byKey = new Map(s.tags.map((t) => [t.key, t.value]));
      for (const t of tags) byKey.set(t.key, t.value ?? "");
      if (byKey.size > MAX_SERVER_TAGS) throw ecsErrors.tooManyTags(MAX_SERVER_TAGS);
      next = [...byKey].map(([key, value]) => ({ key, value }));
    } else {
      // A tag named with a value goes only when the value matches; keys the server lacks are ignored.
      const gone = (t: ServerTag) => tags.some((d) => d.key === t.key && (d.value === undefined || d.value === "" || d.value === t.value));
      next = s.tags.filter((t) => !gone(t));
    }
    ctx.svc.store.servers.update(scope.projectId, s.id, { tags: next }, ctx.clock.now());
    return { status: 204 };
  },
});

export const showServerTags = ecsOperation({
  name: "ShowServerTags",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/tags",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    return { body: { tags: s.tags.map((t) => ({ key: t.key, value: t.value })) } };
  },
});

export const listServerTags = ecsOperation({
  name: "ListServerTags",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/tags",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const { servers } = ctx.svc.store.servers.list(scope.projectId, {}, { page: 1, limit: 1_000_000 });
    const values = new Map<string, Set<string>>();
    for (const t of servers.flatMap((s) => s.tags)) {
      const set = values.get(t.key) ?? new Set<string>();
      set.add(t.value);
      values.set(t.key, set);
    }
    const tags = [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, v]) => ({ key, values: [...v].sort() }));
    return { body: { tags } };
  },
});

const TagFilter = z.object({ key: z.string().min(1).max(127), values: z.array(z.string().max(255)).max(10).optional() });
const Count = z.string().regex(/^\d{1,4}$/, "must be a whole number").transform(Number);

/** A server's tags match a filter: the key, with one of the values (any value when none is given). */
const hasTag = (tags: readonly ServerTag[], f: { key: string; values?: string[] }) =>
  tags.some((t) => t.key === f.key && (!f.values?.length || f.values.includes(t.value)));

export const listServersByTag = ecsOperation({
  name: "ListServersByTag",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/resource_instances/action",
  body: z.object({
    action: z.enum(["filter", "count"]),
    tags: z.array(TagFilter).max(10).optional(),
    not_tags: z.array(TagFilter).max(10).optional(),
    matches: z.array(z.object({ key: z.literal("resource_name"), value: z.string().max(255) })).max(1).optional(),
    limit: Count.pipe(z.number().int().min(1).max(1000)).optional(),
    offset: Count.pipe(z.number().int().min(0)).optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    const { servers } = ctx.svc.store.servers.list(scope.projectId, {}, { page: 1, limit: 1_000_000 });
    const name = b.matches?.[0]?.value;
    const found = servers
      .filter(
        (s) =>
          (b.tags ?? []).every((f) => hasTag(s.tags, f)) &&
          !(b.not_tags ?? []).some((f) => hasTag(s.tags, f)) &&
          (name === undefined || name === "" || s.name.includes(name)),
      )
      .reverse();
    if (b.action === "count") return { body: { total_count: found.length } };
    const offset = b.offset ?? 0;
    const page = found.slice(offset, offset + (b.limit ?? 1000));
    return {
      body: {
        resources: page.map((s) => ({ resource_id: s.id, resource_detail: "", tags: s.tags.map((t) => ({ key: t.key, value: t.value })), resource_name: s.name })),
        total_count: found.length,
      },
    };
  },
});

export const serverTagOperations = [batchServerTags, showServerTags, listServerTags, listServersByTag];
