// IMS's own image tags (key/value) on the project's private images: AddImageTag
// (POST /v2/{project_id}/images/{image_id}/tags {tag:{key,value}}), BatchAddOrDeleteTags
// (POST .../tags/action {action: create|delete, tags:[{key,value}]}), DeleteImageTag
// (DELETE .../tags/{key}), ListImageTags (GET .../tags → {tags:[{key,value}]}) and ListImagesTags
// (GET /v2/{project_id}/images/tags → {tags:[{key, values:[...]}]}, every key of the project's images).
// The reference's rules: a key has 1 to 36 characters and is not blank, a value 0 to 43; an image has at
// most 10 tags; adding a key the image has sets its value; the keys of one batch are unique; a batch delete
// of a tag the image lacks succeeds, and checks lengths only (key 127, value 255; a value, when given, must
// match for the tag to go). Adds and deletes answer 204.
// Doubts: IMS's error table names no tag codes: a bad tag or too many tags is 400 IMG.0001 (the request
// format), another project's or a public image is 400 IMG.0047 (owner only) as for glance's tags, and
// DeleteImageTag of a key the image lacks is 404 IMG.0027.
import { z } from "../../../kernel/zod.ts";
import { imsOperation, requireProject, type ImsContext } from "../context.ts";
import { imsErrors } from "../errors.ts";
import type { KvTag } from "../store-tags.ts";
import { ownImage } from "./glance.ts";

/** The reference's limits. */
const MAX_TAGS = 10;
const KEY_MAX = 36;
const VALUE_MAX = 43;
const DELETE_KEY_MAX = 127;
const DELETE_VALUE_MAX = 255;

const Tag = z.object({ key: z.string(), value: z.string() });

export function checkTag(t: KvTag): void {
  if (t.key.trim().length === 0) throw imsErrors.invalidBody("A tag key is not blank.");
  if (t.key.length > KEY_MAX) throw imsErrors.invalidBody(`A tag key has at most ${KEY_MAX} characters.`);
  if (t.value.length > VALUE_MAX) throw imsErrors.invalidBody(`A tag value has at most ${VALUE_MAX} characters.`);
}

/** Adds or updates tags of the caller's image, all or none, keeping the image within MAX_TAGS. */
export function putTags(svc: ImsContext, projectId: string, imageId: string, tags: KvTag[], now: number): void {
  const i = ownImage(svc, projectId, imageId);
  tags.forEach(checkTag);
  const keys = new Set(tags.map((t) => t.key));
  if (keys.size !== tags.length) throw imsErrors.invalidBody("The keys of the tags in one request are unique.");
  const have = svc.store.tags.list(projectId, i.id);
  const total = new Set([...have.map((t) => t.key), ...keys]).size;
  if (total > MAX_TAGS) throw imsErrors.invalidBody(`An image has at most ${MAX_TAGS} tags.`);
  svc.store.tx(() => tags.forEach((t) => svc.store.tags.put(projectId, i.id, t, now)));
}

/** A create request's tags as IMS tags: tags ("key.value" strings) or image_tags ({key, value}), not both. */
export function bodyTags(tags: string[] | undefined, imageTags: { key?: string; value?: string }[] | undefined): KvTag[] {
  if (tags !== undefined && imageTags !== undefined) throw imsErrors.invalidBody("Give tags or image_tags, not both.");
  return (
    tags?.map((t) => {
      const dot = t.indexOf(".");
      if (dot < 0) throw imsErrors.invalidBody('A tag of tags is "key.value".');
      return { key: t.slice(0, dot), value: t.slice(dot + 1) };
    }) ??
    imageTags?.map((t) => {
      if (t.key === undefined) throw imsErrors.invalidBody("A tag of image_tags has a key.");
      return { key: t.key, value: t.value ?? "" };
    }) ??
    []
  );
}

export const addImageTag = imsOperation({
  name: "AddImageTag",
  method: "POST",
  path: "/v2/{project_id}/images/{image_id}/tags",
  body: z.object({ tag: Tag }),
  handle(ctx) {
    putTags(ctx.svc, requireProject(ctx.scope), ctx.input.path.image_id!, [ctx.input.body.tag], ctx.clock.now());
    return { status: 204 };
  },
});

export const batchAddOrDeleteTags = imsOperation({
  name: "BatchAddOrDeleteTags",
  method: "POST",
  path: "/v2/{project_id}/images/{image_id}/tags/action",
  body: z.object({
    action: z.enum(["create", "delete"]),
    tags: z.array(z.object({ key: z.string(), value: z.string().optional() })).min(1),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const { action, tags } = ctx.input.body;
    if (action === "create") {
      putTags(ctx.svc, projectId, ctx.input.path.image_id!, tags.map((t) => ({ key: t.key, value: t.value ?? "" })), ctx.clock.now());
      return { status: 204 };
    }
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    for (const t of tags) {
      if (t.key.trim().length === 0) throw imsErrors.invalidBody("A tag key is not blank.");
      if (t.key.length > DELETE_KEY_MAX || (t.value ?? "").length > DELETE_VALUE_MAX) {
        throw imsErrors.invalidBody(`A tag to delete has a key of at most ${DELETE_KEY_MAX} and a value of at most ${DELETE_VALUE_MAX} characters.`);
      }
    }
    const { store } = ctx.svc;
    store.tx(() => {
      const have = new Map(store.tags.list(projectId, i.id).map((t) => [t.key, t.value]));
      for (const t of tags) if (t.value === undefined || have.get(t.key) === t.value) store.tags.remove(projectId, i.id, t.key);
    });
    return { status: 204 };
  },
});

export const deleteImageTag = imsOperation({
  name: "DeleteImageTag",
  method: "DELETE",
  path: "/v2/{project_id}/images/{image_id}/tags/{key}",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    const key = ctx.input.path.key!;
    if (!ctx.svc.store.tags.remove(projectId, i.id, key)) throw imsErrors.tagNotFound(key);
    return { status: 204 };
  },
});

export const listImageTags = imsOperation({
  name: "ListImageTags",
  method: "GET",
  path: "/v2/{project_id}/images/{image_id}/tags",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    return { body: { tags: ctx.svc.store.tags.list(projectId, i.id) } };
  },
});

export const listImagesTags = imsOperation({
  name: "ListImagesTags",
  method: "GET",
  path: "/v2/{project_id}/images/tags",
  handle(ctx) {
    const byKey = new Map<string, string[]>();
    for (const t of ctx.svc.store.tags.projectTags(requireProject(ctx.scope))) {
      const values = byKey.get(t.key) ?? [];
      if (!values.includes(t.value)) values.push(t.value);
      byKey.set(t.key, values);
    }
    return { body: { tags: [...byKey].map(([key, values]) => ({ key, values })) } };
  },
});

export const tagOperations = [addImageTag, batchAddOrDeleteTags, deleteImageTag, listImageTags, listImagesTags];
