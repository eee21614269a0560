// Tags of taggable resources, one set of rules for every kind: up to 20 tags a resource, unique keys, a
// create of an existing key replaces its value, a batch delete ignores keys the resource lacks (a single
// delete of a missing key is 404), and the by-tags queries (tags AND over keys, OR over a key's values; an
// empty values list matches any value; tags_any / not_tags / not_tags_any; matches on resource_name).
import type { ApiError } from "../../../kernel/api-error.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import type { Tag, TagTarget, Tagged } from "../store/index.ts";

export const MAX_TAGS = 20;

export interface TagKind {
  target: TagTarget;
  notFound: (id: string) => ApiError;
  /** v2.0 APIs: key ≤ 36, value ≤ 43; v3 APIs: key ≤ 128, value ≤ 255. */
  keyMax: number;
  valueMax: number;
}

export interface TagFilter {
  key: string;
  values: string[];
}

export interface ByTagsQuery {
  tags?: TagFilter[];
  tags_any?: TagFilter[];
  not_tags?: TagFilter[];
  not_tags_any?: TagFilter[];
  matches?: { key: string; value: string }[];
}

function checkTag(k: TagKind, t: { key: string; value?: string }): void {
  const key = t.key.trim();
  if (key.length === 0) throw vpcErrors.tagInvalid("Tag key can not be null.");
  if (key.length > k.keyMax || (t.value ?? "").length > k.valueMax) {
    throw vpcErrors.tagInvalid(`Tag length is invalid. The key length must be in range [1,${k.keyMax}] and value in range [0,${k.valueMax}]`);
  }
  if (!/^[\p{L}\p{N}_.:=+@/ -]+$/u.test(key)) throw vpcErrors.tagInvalid(`Tag key ${t.key} is invalid.`);
  if (t.value && !/^[\p{L}\p{N}_.:=+@/ -]*$/u.test(t.value)) throw vpcErrors.tagInvalid(`Tag value ${t.value} is invalid.`);
}

function noDuplicates(tags: { key: string }[]): void {
  if (new Set(tags.map((t) => t.key)).size !== tags.length) throw vpcErrors.tagDuplicated();
}

export function requireTags(env: Env, project: ProjectScope, k: TagKind, id: string): Tag[] {
  const tags = env.store.tags.tags(k.target, project.projectId, id);
  if (!tags) throw k.notFound(id);
  return tags;
}

/** Adds or replaces tags. */
export function addTags(env: Env, project: ProjectScope, k: TagKind, id: string, add: Tag[]): void {
  if (add.length === 0) throw vpcErrors.tagInvalid("Tag can not be null.");
  for (const t of add) checkTag(k, t);
  noDuplicates(add);
  env.store.tx(() => {
    const tags = requireTags(env, project, k, id);
    const next = tags.filter((t) => !add.some((a) => a.key === t.key)).concat(add.map((t) => ({ key: t.key, value: t.value })));
    if (next.length > MAX_TAGS) throw vpcErrors.tagQuota(id, MAX_TAGS);
    env.store.tags.setTags(k.target, id, next);
  });
}

/** Removes the tags with these keys (and, where a value is given, that value); missing ones are ignored. */
export function removeTags(env: Env, project: ProjectScope, k: TagKind, id: string, remove: { key: string; value?: string }[]): void {
  if (remove.length === 0) throw vpcErrors.tagInvalid("Tag can not be null.");
  for (const t of remove) checkTag(k, t);
  noDuplicates(remove);
  env.store.tx(() => {
    const tags = requireTags(env, project, k, id);
    const gone = (t: Tag) => remove.some((r) => r.key === t.key && (r.value === undefined || r.value === "" || r.value === t.value));
    env.store.tags.setTags(k.target, id, tags.filter((t) => !gone(t)));
  });
}

export function deleteTag(env: Env, project: ProjectScope, k: TagKind, id: string, key: string): void {
  env.store.tx(() => {
    const tags = requireTags(env, project, k, id);
    if (!tags.some((t) => t.key === key)) throw vpcErrors.tagNotFound(key);
    env.store.tags.setTags(k.target, id, tags.filter((t) => t.key !== key));
  });
}

/** Every key the project's resources of the kind carry, with the values seen, in first-seen order. */
export function projectTags(env: Env, project: ProjectScope, k: TagKind): TagFilter[] {
  const keys = new Map<string, string[]>();
  for (const r of env.store.tags.tagged(k.target, project.projectId)) {
    for (const t of r.tags) {
      const values = keys.get(t.key) ?? [];
      if (!values.includes(t.value)) values.push(t.value);
      keys.set(t.key, values);
    }
  }
  return [...keys].map(([key, values]) => ({ key, values }));
}

function has(r: Tagged, f: TagFilter): boolean {
  return r.tags.some((t) => t.key === f.key && (f.values.length === 0 || f.values.includes(t.value)));
}

/** The project's resources of the kind that the query selects, in creation order. */
export function selectByTags(env: Env, project: ProjectScope, k: TagKind, q: ByTagsQuery): Tagged[] {
  for (const f of [...(q.tags ?? []), ...(q.tags_any ?? []), ...(q.not_tags ?? []), ...(q.not_tags_any ?? [])]) {
    checkTag(k, { key: f.key });
    if (new Set(f.values).size !== f.values.length) throw vpcErrors.tagDuplicated();
  }
  for (const m of q.matches ?? []) {
    if (m.key !== "resource_name") throw vpcErrors.tagInvalid(`matches key ${m.key} is invalid; only resource_name is supported.`);
  }
  return env.store.tags.tagged(k.target, project.projectId).filter(
    (r) =>
      (q.tags ?? []).every((f) => has(r, f)) &&
      (!q.tags_any?.length || q.tags_any.some((f) => has(r, f))) &&
      !(q.not_tags?.length && q.not_tags.every((f) => has(r, f))) &&
      !(q.not_tags_any ?? []).some((f) => has(r, f)) &&
      (q.matches ?? []).every((m) => m.value === "" || r.name.includes(m.value)),
  );
}

/** The wire form of a by-tags result row. */
export function resourceView(r: Tagged) {
  return { resource_id: r.id, resource_name: r.name, resource_detail: "", tags: r.tags };
}
