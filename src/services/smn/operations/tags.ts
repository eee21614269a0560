// Resource tags on topics (resource_type "smn_topic"), the TMS-style APIs: one tag, a batch create or
// delete, a topic's tags, the project's keys and values, and topics filtered (or counted) by tags.
// resource_id is the topic's topic_id; its URN is accepted too.
import { z } from "../../../kernel/zod.ts";
import { requireProject, smnOperation, type SmnContext } from "../context.ts";
import { smnErrors } from "../errors.ts";
import type { ResourceTag } from "../resources.ts";
import type { Topic } from "../store.ts";

const Res = "/v2/{project_id}/{resource_type}";
export const TAG_LIMIT = 20;
const KEY = /^[^=*<>\\,|/\s](?:[^=*<>\\,|/]{0,126}[^=*<>\\,|/\s])?$/u;
const VALUE = /^[^=*<>\\,|/]{0,255}$/u;

function checkType(t: string | undefined): void {
  if (t !== "smn_topic") throw smnErrors.parameterInvalid("resource_type");
}

function requireResource(svc: SmnContext, projectId: string, type: string | undefined, id: string | undefined): Topic {
  checkType(type);
  const t = svc.store.topics(projectId).find((x) => x.topicId === id || x.topicUrn === id);
  if (!t) throw smnErrors.topicNotFound();
  return t;
}

function checkTag(v: unknown, needValue: boolean): ResourceTag {
  if (typeof v !== "object" || v === null) throw smnErrors.parameterInvalid("tags");
  const { key, value } = v as { key?: unknown; value?: unknown };
  if (typeof key !== "string" || !KEY.test(key)) throw smnErrors.parameterInvalid("tags.key");
  if (value === undefined && !needValue) return { key, value: "" };
  if (typeof value !== "string" || !VALUE.test(value)) throw smnErrors.parameterInvalid("tags.value");
  return { key, value };
}

const tagsOf = (svc: SmnContext, projectId: string, t: Topic): ResourceTag[] => svc.docs.tags.get(projectId, t.topicUrn)?.doc.tags ?? [];

function save(svc: SmnContext, projectId: string, t: Topic, tags: ResourceTag[], now: number): void {
  if (tags.length > TAG_LIMIT) throw smnErrors.parameterInvalid(`tags (at most ${TAG_LIMIT} a topic)`);
  svc.docs.tags.put(projectId, { id: t.topicUrn, parent: t.topicUrn, createdAt: now, doc: { tags } });
}

function upsert(tags: ResourceTag[], add: ResourceTag[]): ResourceTag[] {
  const out = tags.filter((t) => !add.some((a) => a.key === t.key));
  return [...out, ...add];
}

export const createResourceTag = smnOperation({
  name: "CreateResourceTag",
  method: "POST",
  path: `${Res}/{resource_id}/tags`,
  body: z.object({ tag: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireResource(ctx.svc, p.projectId, ctx.input.path.resource_type, ctx.input.path.resource_id);
    const tag = checkTag(ctx.input.body.tag, true);
    save(ctx.svc, p.projectId, t, upsert(tagsOf(ctx.svc, p.projectId, t), [tag]), ctx.clock.now());
    return { status: 204 };
  },
});

export const batchCreateOrDeleteResourceTags = smnOperation({
  name: "BatchCreateOrDeleteResourceTags",
  method: "POST",
  path: `${Res}/{resource_id}/tags/action`,
  body: z.object({ action: z.unknown().optional(), tags: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireResource(ctx.svc, p.projectId, ctx.input.path.resource_type, ctx.input.path.resource_id);
    const { action, tags } = ctx.input.body;
    if (action !== "create" && action !== "delete") throw smnErrors.parameterInvalid("action");
    if (!Array.isArray(tags) || tags.length === 0) throw smnErrors.parameterInvalid("tags");
    const list = tags.map((x) => checkTag(x, action === "create"));
    const have = tagsOf(ctx.svc, p.projectId, t);
    // delete: a tag goes when its key matches and, if the request names a value, its value too.
    const next = action === "create" ? upsert(have, list)
      : have.filter((h) => !list.some((d, i) => d.key === h.key && ((tags[i] as { value?: unknown }).value === undefined || d.value === h.value)));
    save(ctx.svc, p.projectId, t, next, ctx.clock.now());
    return { status: 204 };
  },
});

export const deleteResourceTag = smnOperation({
  name: "DeleteResourceTag",
  method: "DELETE",
  path: `${Res}/{resource_id}/tags/{key}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireResource(ctx.svc, p.projectId, ctx.input.path.resource_type, ctx.input.path.resource_id);
    const have = tagsOf(ctx.svc, p.projectId, t);
    const key = ctx.input.path.key ?? "";
    if (!have.some((h) => h.key === key)) throw smnErrors.notFound(`tag ${key}`);
    save(ctx.svc, p.projectId, t, have.filter((h) => h.key !== key), ctx.clock.now());
    return { status: 204 };
  },
});

export const listResourceTags = smnOperation({
  name: "ListResourceTags",
  method: "GET",
  path: `${Res}/{resource_id}/tags`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireResource(ctx.svc, p.projectId, ctx.input.path.resource_type, ctx.input.path.resource_id);
    return { body: { tags: tagsOf(ctx.svc, p.projectId, t) } };
  },
});

export const listProjectTags = smnOperation({
  name: "ListProjectTags",
  method: "GET",
  path: `${Res}/tags`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    checkType(ctx.input.path.resource_type);
    const keys = new Map<string, Set<string>>();
    for (const d of ctx.svc.docs.tags.list(p.projectId)) {
      for (const t of d.doc.tags) keys.set(t.key, (keys.get(t.key) ?? new Set()).add(t.value));
    }
    return { body: { tags: [...keys].map(([key, values]) => ({ key, values: [...values] })) } };
  },
});

const TagsFilter = z.array(z.object({ key: z.string().min(1).max(128), values: z.array(z.string().max(255)).max(10) })).max(10);

/** One tag filter: the key present and, when values are given, one of them (an empty value list: any). */
const hasTag = (tags: ResourceTag[], f: { key: string; values: string[] }) =>
  tags.some((t) => t.key === f.key && (f.values.length === 0 || f.values.includes(t.value)));

export const listResourceInstances = smnOperation({
  name: "ListResourceInstances",
  method: "POST",
  path: `${Res}/resource_instances/action`,
  body: z.object({
    action: z.enum(["filter", "count"]),
    tags: TagsFilter.optional(),
    tags_any: TagsFilter.optional(),
    not_tags: TagsFilter.optional(),
    not_tags_any: TagsFilter.optional(),
    without_any_tag: z.boolean().optional(),
    offset: z.string().regex(/^[0-9]{1,9}$/).optional(),
    limit: z.string().regex(/^[0-9]{1,4}$/).optional(),
    matches: z.array(z.object({ key: z.literal("resource_name"), value: z.string().max(255) })).optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    checkType(ctx.input.path.resource_type);
    const b = ctx.input.body;
    const offset = Number(b.offset ?? "0");
    const limit = Number(b.limit ?? "1000");
    if (limit < 1 || limit > 1000) throw smnErrors.pagingInvalid();
    const found = ctx.svc.store
      .topics(p.projectId)
      .map((t) => ({ t, tags: tagsOf(ctx.svc, p.projectId, t) }))
      .filter(({ t, tags }) => {
        if (b.without_any_tag && tags.length > 0) return false;
        if (b.tags && !b.tags.every((f) => hasTag(tags, f))) return false;
        if (b.tags_any && b.tags_any.length > 0 && !b.tags_any.some((f) => hasTag(tags, f))) return false;
        if (b.not_tags && b.not_tags.length > 0 && b.not_tags.every((f) => hasTag(tags, f))) return false;
        if (b.not_tags_any && b.not_tags_any.some((f) => hasTag(tags, f))) return false;
        return (b.matches ?? []).every((m) => m.value === "" || t.name.includes(m.value));
      });
    if (b.action === "count") return { body: { total_count: found.length } };
    return {
      body: {
        total_count: found.length,
        resources: found.slice(offset, offset + limit).map(({ t, tags }) => ({
          resource_id: t.topicId,
          resource_name: t.name,
          resource_detail: { detailId: "", topic_urn: t.topicUrn, display_name: t.displayName, enterprise_project_id: t.enterpriseProjectId },
          tags,
        })),
      },
    };
  },
});

export const tagOperations = [
  createResourceTag, batchCreateOrDeleteResourceTags, deleteResourceTag, listResourceTags, listProjectTags, listResourceInstances,
];
