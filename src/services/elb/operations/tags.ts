// Tags of load balancers and listeners (elb-facts §2, Tags): POST …/tags/action {"action":"create"|"delete",
// "tags":[{key,value}]} (204), GET …/{id}/tags, and the project's keys with their values (GET …/tags). The
// v3 paths have no /elb/ segment. A create replaces the value of a key that exists; at most 20 tags.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import { elbOperation, requireScope, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import type { Tag } from "../model.ts";
import { tagSchema } from "./tags-spec.ts";

const actionBody = z.object({ action: z.enum(["create", "delete"]), tags: z.array(tagSchema).min(1).max(20) });

function applyTags(current: Tag[], action: "create" | "delete", tags: Tag[]): Tag[] {
  const map = new Map(current.map((t) => [t.key, t.value]));
  for (const t of tags) {
    if (action === "create") map.set(t.key, t.value);
    else map.delete(t.key);
  }
  if (map.size > 20) throw elbErrors.invalid("at most 20 tags a resource.");
  return [...map].map(([key, value]) => ({ key, value }));
}

function projectTags(all: Tag[][]): { key: string; values: string[] }[] {
  const keys = new Map<string, Set<string>>();
  for (const tags of all) for (const t of tags) (keys.get(t.key) ?? keys.set(t.key, new Set()).get(t.key)!).add(t.value);
  return [...keys].map(([key, values]) => ({ key, values: [...values] }));
}

function applyLb(svc: ElbContext, scope: Scope | undefined, id: string, action: "create" | "delete", tags: Tag[]): { status: number } {
  const { projectId } = requireScope(scope);
  const lb = svc.store.loadbalancers.get(projectId, id);
  if (!lb) throw elbErrors.notFound("Loadbalancer", id);
  lb.doc.tags = applyTags(lb.doc.tags, action, tags);
  svc.store.loadbalancers.update(lb);
  return { status: 204 };
}

export const changeLoadbalancerTags = elbOperation({
  name: "ChangeLoadbalancerTags",
  method: "POST",
  path: "/v3/{project_id}/loadbalancers/{loadbalancer_id}/tags/action",
  body: actionBody,
  handle: (ctx) => applyLb(ctx.svc, ctx.scope, ctx.input.path.loadbalancer_id ?? "", ctx.input.body.action, ctx.input.body.tags),
});

export const showLoadbalancerTags = elbOperation({
  name: "ShowLoadbalancerTags",
  method: "GET",
  path: "/v3/{project_id}/loadbalancers/{loadbalancer_id}/tags",
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.loadbalancer_id ?? "";
    const lb = ctx.svc.store.loadbalancers.get(projectId, id);
    if (!lb) throw elbErrors.notFound("Loadbalancer", id);
    return { body: { tags: lb.doc.tags, request_id: ctx.request.requestId } };
  },
});

export const listLoadbalancerTags = elbOperation({
  name: "ListLoadbalancerTags",
  method: "GET",
  path: "/v3/{project_id}/loadbalancers/tags",
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const tags = projectTags(ctx.svc.store.loadbalancers.list(projectId).map((r) => r.doc.tags));
    return { body: { tags, request_id: ctx.request.requestId } };
  },
});

export const changeListenerTags = elbOperation({
  name: "ChangeListenerTags",
  method: "POST",
  path: "/v3/{project_id}/listeners/{listener_id}/tags/action",
  body: actionBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.listener_id ?? "";
    const l = ctx.svc.store.listeners.get(projectId, id);
    if (!l) throw elbErrors.notFound("Listener", id);
    l.doc.tags = applyTags(l.doc.tags, ctx.input.body.action, ctx.input.body.tags);
    ctx.svc.store.listeners.update(l);
    return { status: 204 };
  },
});

export const showListenerTags = elbOperation({
  name: "ShowListenerTags",
  method: "GET",
  path: "/v3/{project_id}/listeners/{listener_id}/tags",
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.listener_id ?? "";
    const l = ctx.svc.store.listeners.get(projectId, id);
    if (!l) throw elbErrors.notFound("Listener", id);
    return { body: { tags: l.doc.tags, request_id: ctx.request.requestId } };
  },
});

export const listListenerTags = elbOperation({
  name: "ListListenerTags",
  method: "GET",
  path: "/v3/{project_id}/listeners/tags",
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const tags = projectTags(ctx.svc.store.listeners.list(projectId).map((r) => r.doc.tags));
    return { body: { tags, request_id: ctx.request.requestId } };
  },
});

// The v2.0 tag API that Huawei's 2022 reference and Terraform use for dedicated load balancers too
// (elb-facts §2, Tags): the same tags; a single tag is added with {"tag":{key,value}} (201, no body).
const V2_TAGS = "/v2.0/{project_id}/loadbalancers/{loadbalancer_id}/tags";

export const changeLoadbalancerTagsV2 = elbOperation({
  name: "ChangeLoadbalancerTagsV2",
  method: "POST",
  path: `${V2_TAGS}/action`,
  body: actionBody,
  handle: (ctx) => applyLb(ctx.svc, ctx.scope, ctx.input.path.loadbalancer_id ?? "", ctx.input.body.action, ctx.input.body.tags),
});

export const createLoadbalancerTagV2 = elbOperation({
  name: "CreateLoadbalancerTagV2",
  method: "POST",
  path: V2_TAGS,
  body: z.object({ tag: tagSchema }),
  handle(ctx) {
    applyLb(ctx.svc, ctx.scope, ctx.input.path.loadbalancer_id ?? "", "create", [ctx.input.body.tag]);
    return { status: 201 };
  },
});

export const showLoadbalancerTagsV2 = elbOperation({
  name: "ShowLoadbalancerTagsV2",
  method: "GET",
  path: V2_TAGS,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.loadbalancer_id ?? "";
    const lb = ctx.svc.store.loadbalancers.get(projectId, id);
    if (!lb) throw elbErrors.notFound("Loadbalancer", id);
    return { body: { tags: lb.doc.tags, request_id: ctx.request.requestId } };
  },
});

export const tagOperations = [
  changeLoadbalancerTags,
  showLoadbalancerTags,
  listLoadbalancerTags,
  changeListenerTags,
  showListenerTags,
  listListenerTags,
  changeLoadbalancerTagsV2,
  createLoadbalancerTagV2,
  showLoadbalancerTagsV2,
];
