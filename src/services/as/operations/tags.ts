// Scaling group tags (/scaling_group_tag): create or delete a group's tags, show them, the project's keys
// with their values, and the groups filtered by tags (resource_instances/action) (§1.1).
import { z } from "../../../kernel/zod.ts";
import { asOperation, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import { AS_QUOTA } from "../model.ts";
import * as views from "../views.ts";

const KEY_MAX = 36;
const VALUE_MAX = 43;

export const createOrDeleteScalingTags = asOperation({
  name: "CreateOrDeleteScalingTags",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_group_tag/{resource_id}/tags/action`,
  body: z
    .object({ action: z.string().optional(), tags: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional() })
    .optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    if (b.action !== "create" && b.action !== "delete") throw asErrors.tagActionInvalid();
    if (!b.tags || b.tags.length === 0) throw asErrors.tagsNull();
    const keys = new Set<string>();
    for (const t of b.tags) {
      if (t.key === undefined || t.key === "") throw asErrors.tagKeyNull();
      if ([...t.key].length > KEY_MAX) throw asErrors.tagKeyTooLong(`At most ${KEY_MAX} characters.`);
      if (t.value !== undefined && [...t.value].length > VALUE_MAX) throw asErrors.tagValueTooLong(`At most ${VALUE_MAX} characters.`);
      if (keys.has(t.key)) throw asErrors.tagKeyDuplicate();
      keys.add(t.key);
    }
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "resource_id");
    store.tx(() => {
      if (!store.groups.get(projectId, id)) throw asErrors.groupNotFound();
      for (const t of b.tags ?? []) {
        const key = t.key ?? "";
        if (b.action === "create") store.tags.put(projectId, id, { key, value: t.value ?? "" });
        else store.tags.delete(projectId, id, key, t.value);
      }
      if (store.tags.ofGroup(projectId, id).length > AS_QUOTA.tagsPerGroup) throw asErrors.tooManyTags(`At most ${AS_QUOTA.tagsPerGroup}.`);
    });
    return { status: 204 };
  },
});

export const showResourceTags = asOperation({
  name: "ShowResourceTags",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_group_tag/{resource_id}/tags`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "resource_id");
    if (!store.groups.get(projectId, id)) throw asErrors.groupNotFound();
    return { body: { tags: views.tags(store.tags.ofGroup(projectId, id)), sys_tags: [] } };
  },
});

export const listProjectTags = asOperation({
  name: "ListProjectTags",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_group_tag/tags`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    return { body: { tags: views.projectTags(ctx.svc.store.tags.ofProject(projectId)) } };
  },
});

const TagFilter = z.array(z.object({ key: z.string().min(1).max(KEY_MAX), values: z.array(z.string().max(VALUE_MAX)).max(10).optional() })).max(10);
const PageNumber = z.string().regex(/^\d{1,9}$/);

type Tag = { key: string; value: string };
type Filter = z.infer<typeof TagFilter>;

/** A tag filter entry matches when the group has the key with one of the values (any value when none). */
const matches = (tags: Tag[], f: Filter[number]) =>
  tags.some((t) => t.key === f.key && (!f.values || f.values.length === 0 || f.values.includes(t.value)));

export const listResourceInstances = asOperation({
  name: "ListResourceInstances",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_group_tag/resource_instances/action`,
  body: z
    .object({
      action: z.string().optional(),
      tags: TagFilter.optional(),
      tags_any: TagFilter.optional(),
      not_tags: TagFilter.optional(),
      not_tags_any: TagFilter.optional(),
      limit: PageNumber.optional(),
      offset: PageNumber.optional(),
      matches: z.array(z.object({ key: z.string(), value: z.string() })).max(1).optional(),
    })
    .optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    if (b.action !== "filter" && b.action !== "count") throw asErrors.tagActionInvalid();
    const match = b.matches?.[0];
    if (match && (match.key !== "resource_name" || match.value === "")) throw asErrors.tagMatchesInvalid();
    const limit = Number(b.limit ?? 1000);
    if (limit < 1 || limit > 1000) throw asErrors.tagsInvalid("limit must be 1 to 1000.");
    const { store } = ctx.svc;
    // tags: every entry must match; tags_any: one must; not_tags: left out when every entry matches;
    // not_tags_any: left out when one does. matches: resource_name contains the value.
    const found = store.groups
      .list(projectId, {})
      .reverse()
      .map((g) => ({ g, tags: store.tags.ofGroup(projectId, g.id) }))
      .filter(
        ({ g, tags }) =>
          (b.tags ?? []).every((f) => matches(tags, f)) &&
          (!b.tags_any?.length || b.tags_any.some((f) => matches(tags, f))) &&
          !(b.not_tags?.length && b.not_tags.every((f) => matches(tags, f))) &&
          !(b.not_tags_any ?? []).some((f) => matches(tags, f)) &&
          (!match || g.name.includes(match.value)),
      );
    if (b.action === "count") return { body: { total_count: found.length } };
    const offset = Number(b.offset ?? 0);
    return {
      body: {
        resources: found.slice(offset, offset + limit).map(({ g, tags }) => ({
          resource_id: g.id,
          resource_detail: null,
          tags: views.tags(tags),
          resource_name: g.name,
        })),
        total_count: found.length,
      },
    };
  },
});

export const tagOperations = [createOrDeleteScalingTags, showResourceTags, listProjectTags, listResourceInstances];
