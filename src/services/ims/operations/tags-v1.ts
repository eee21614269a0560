// IMS's older tag APIs and the tag search, over the same key/value tags as operations/tags.ts:
// CreateOrUpdateTags (PUT /v1/cloudimages/tags {image_id, tag: "key.value" | image_tag: {key, value}}, one of
//   the two) → 204; the key/value rules and the 10-tag limit of AddImageTag.
// BatchDeleteTags (DELETE /v1/{project_id}/cloudimages/{image_id}/tags/delete {tags: [{key, value}]}) → 204;
//   a tag goes when the image has its key with that value (an empty value: whatever the value); a tag the
//   image lacks is no error, as for BatchAddOrDeleteTags.
// ListTags (GET /v1/cloudimages/tags?__imagetype&id&status&name&min_disk&__platform&__os_type&
//   virtual_env_type&limit&page...) → {tags: ["key.value", ...]}: the distinct tags of the images the
//   caller sees that match the filters, sorted; page (default 1) of limit (default all) tags.
// ListImageByTags (POST /v2/{project_id}/images/resource_instances/action {action: filter|count, tags,
//   tags_any, not_tags, not_tags_any, matches, without_any_tag, limit (default 10, at most 1000), offset})
//   → {resources: [{resource_id, resource_name, resource_detail: {status}, tags}], total_count} (count:
//   {total_count} only) over the project's private images. tags: every key present with one of its values
//   (no values: any value); tags_any: one of them; not_tags / not_tags_any: the negations; matches
//   resource_name (a substring) only; without_any_tag: the images with no tag, the other filters ignored.
// Doubts: codes are ours (IMS's table names none for tags): a bad body is 400 IMG.0001. ListTags's filters
//   member_status, enterprise_project_id, architecture, created_at and updated_at are accepted and not
//   applied (every image is x86 in enterprise project "0"); tags are only on the caller's own images.
import { z } from "../../../kernel/zod.ts";
import { imsOperation, projectOf, requireProject, visibleImages } from "../context.ts";
import { imsErrors } from "../errors.ts";
import type { ImageRecord } from "../model.ts";
import type { KvTag } from "../store-tags.ts";
import { ownImage } from "./glance.ts";
import { putTags } from "./tags.ts";

const Tag = z.object({ key: z.string(), value: z.string() });

export const createOrUpdateTags = imsOperation({
  name: "CreateOrUpdateTags",
  method: "PUT",
  path: "/v1/cloudimages/tags",
  body: z.object({ image_id: z.string(), tag: z.string().optional(), image_tag: Tag.optional() }),
  handle(ctx) {
    const b = ctx.input.body;
    if ((b.tag === undefined) === (b.image_tag === undefined)) throw imsErrors.invalidBody("Give one of tag and image_tag.");
    let tag: KvTag;
    if (b.image_tag) tag = b.image_tag;
    else {
      const dot = b.tag!.indexOf(".");
      if (dot < 0) throw imsErrors.invalidBody('tag is "key.value".');
      tag = { key: b.tag!.slice(0, dot), value: b.tag!.slice(dot + 1) };
    }
    putTags(ctx.svc, requireProject(ctx.scope), b.image_id, [tag], ctx.clock.now());
    return { status: 204 };
  },
});

export const batchDeleteTags = imsOperation({
  name: "BatchDeleteTags",
  method: "DELETE",
  path: "/v1/{project_id}/cloudimages/{image_id}/tags/delete",
  body: z.object({ tags: z.array(Tag).min(1) }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    const tags = ctx.input.body.tags;
    for (const t of tags) {
      if (t.key.trim().length === 0) throw imsErrors.invalidBody("A tag key is not blank.");
      if (t.key.length > 127 || t.value.length > 255) throw imsErrors.invalidBody("A tag has a key of at most 127 and a value of at most 255 characters.");
    }
    const { store } = ctx.svc;
    store.tx(() => {
      const have = new Map(store.tags.list(projectId, i.id).map((t) => [t.key, t.value]));
      for (const t of tags) if (have.has(t.key) && (t.value === "" || have.get(t.key) === t.value)) store.tags.remove(projectId, i.id, t.key);
    });
    return { status: 204 };
  },
});

const Q = z.string().optional();
const ListTagsQuery = z.object({
  limit: Q,
  page: Q,
  __imagetype: Q,
  id: Q,
  status: Q,
  name: Q,
  min_disk: Q,
  __platform: Q,
  __os_type: Q,
  virtual_env_type: Q,
});
type ListTagsQuery = z.output<typeof ListTagsQuery>;

const TAG_FILTERS: [keyof ListTagsQuery, (i: ImageRecord) => string][] = [
  ["__imagetype", (i) => i.imageType],
  ["id", (i) => i.id],
  ["status", (i) => i.status],
  ["name", (i) => i.name],
  ["min_disk", (i) => String(i.minDisk)],
  ["__platform", (i) => i.platform],
  ["__os_type", (i) => i.osType],
  ["virtual_env_type", (i) => i.virtualEnvType],
];

function positive(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(v) || Number(v) < 1) throw imsErrors.invalidUrl(`${name} is a positive integer.`);
  return Number(v);
}

export const listTags = imsOperation({
  name: "ListTags",
  method: "GET",
  path: "/v1/cloudimages/tags",
  query: ListTagsQuery,
  handle(ctx) {
    const q = ctx.input.query;
    const limit = positive(q.limit, "limit");
    const page = positive(q.page, "page") ?? 1;
    const projectId = projectOf(ctx.scope);
    const tags = new Set<string>();
    if (projectId) {
      for (const i of visibleImages(ctx.svc.store, projectId)) {
        if (i.owner !== projectId || !TAG_FILTERS.every(([k, value]) => q[k] === undefined || value(i) === q[k])) continue;
        for (const t of ctx.svc.store.tags.list(projectId, i.id)) tags.add(`${t.key}.${t.value}`);
      }
    }
    const sorted = [...tags].sort();
    return { body: { tags: limit === undefined ? sorted : sorted.slice((page - 1) * limit, page * limit) } };
  },
});

const TagSet = z.array(z.object({ key: z.string(), values: z.array(z.string()) }));
type TagSet = z.output<typeof TagSet>;

function checkTagSet(set: TagSet | undefined, name: string): void {
  if (set === undefined) return;
  if (set.length === 0 || set.length > 10) throw imsErrors.invalidBody(`${name} lists 1 to 10 keys.`);
  if (new Set(set.map((t) => t.key)).size !== set.length) throw imsErrors.invalidBody(`The keys of ${name} are unique.`);
  for (const t of set) {
    if (t.key.trim().length === 0 || t.key.length > 127) throw imsErrors.invalidBody(`A key of ${name} has 1 to 127 characters.`);
    if (t.values.length > 10 || new Set(t.values).size !== t.values.length) throw imsErrors.invalidBody(`A key of ${name} has at most 10 distinct values.`);
    if (t.values.some((v) => v.length > 255)) throw imsErrors.invalidBody(`A value of ${name} has at most 255 characters.`);
  }
}

const has = (tags: Map<string, string>, t: TagSet[number]) => tags.has(t.key) && (t.values.length === 0 || t.values.includes(tags.get(t.key)!));

function count(v: string | undefined, name: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^[0-9]{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw imsErrors.invalidBody(`${name} is an integer from ${min} to ${max}.`);
  return Number(v);
}

export const listImageByTags = imsOperation({
  name: "ListImageByTags",
  method: "POST",
  path: "/v2/{project_id}/images/resource_instances/action",
  body: z.object({
    action: z.enum(["filter", "count"]),
    tags: TagSet.optional(),
    tags_any: TagSet.optional(),
    not_tags: TagSet.optional(),
    not_tags_any: TagSet.optional(),
    matches: z.array(Tag).optional(),
    without_any_tag: z.boolean().optional(),
    limit: z.union([z.string(), z.number()]).optional(),
    offset: z.union([z.string(), z.number()]).optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    checkTagSet(b.tags, "tags");
    checkTagSet(b.tags_any, "tags_any");
    checkTagSet(b.not_tags, "not_tags");
    checkTagSet(b.not_tags_any, "not_tags_any");
    const limit = count(b.limit === undefined ? undefined : String(b.limit), "limit", 10, 1, 1000);
    const offset = count(b.offset === undefined ? undefined : String(b.offset), "offset", 0, 0, 1e9);
    const matches = b.matches ?? [];
    if (new Set(matches.map((m) => m.key)).size !== matches.length) throw imsErrors.invalidBody("The keys of matches are unique.");
    for (const m of matches) if (m.key !== "resource_name") throw imsErrors.invalidBody("matches takes the key resource_name.");
    const name = matches[0]?.value;

    const { store } = ctx.svc;
    const found = store
      .images(projectId)
      .map((i) => ({ i, tags: store.tags.list(projectId, i.id) }))
      .filter(({ i, tags }) => {
        if (name !== undefined && !i.name.includes(name)) return false;
        if (b.without_any_tag === true) return tags.length === 0;
        const m = new Map(tags.map((t) => [t.key, t.value]));
        if (b.tags && !b.tags.every((t) => has(m, t))) return false;
        if (b.tags_any && !b.tags_any.some((t) => has(m, t))) return false;
        if (b.not_tags && b.not_tags.every((t) => has(m, t))) return false;
        if (b.not_tags_any && b.not_tags_any.some((t) => has(m, t))) return false;
        return true;
      });
    if (b.action === "count") return { body: { total_count: found.length } };
    const resources = found.slice(offset, offset + limit).map(({ i, tags }) => ({
      resource_id: i.id,
      resource_detail: { status: i.status },
      tags,
      resource_name: i.name,
    }));
    return { body: { resources, total_count: found.length } };
  },
});

export const tagV1Operations = [createOrUpdateTags, batchDeleteTags, listTags, listImageByTags];
