// Scaling group tags (/scaling_group_tag): create or delete a group's tags, show them, and the project's
// keys with their values (§1.1). Filtering resources by tag (resource_instances/action) is not built yet.
import { z } from "zod";
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

export const tagOperations = [createOrDeleteScalingTags, showResourceTags, listProjectTags];
