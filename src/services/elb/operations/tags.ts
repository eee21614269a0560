// Tags of load balancers and listeners (elb-facts §2, Tags): POST …/tags/action {"action":"create"|"delete",
// "tags":[{key,value}]} (204), GET …/{id}/tags, and the project's keys with their values (GET …/tags). The
// v3 paths have no /elb/ segment. A create replaces the value of a key that exists; at most 20 tags.
import { z } from "../../../kernel/zod.ts";
import { elbOperation, requireScope } from "../context.ts";
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

export const changeLoadbalancerTags = elbOperation({
  name: "ChangeLoadbalancerTags",
  method: "POST",
  path: "/v3/{project_id}/loadbalancers/{loadbalancer_id}/tags/action",
  body: actionBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.loadbalancer_id ?? "";
    const lb = ctx.svc.store.loadbalancers.get(projectId, id);
    if (!lb) throw elbErrors.notFound("Loadbalancer", id);
    lb.doc.tags = applyTags(lb.doc.tags, ctx.input.body.action, ctx.input.body.tags);
    ctx.svc.store.loadbalancers.update(lb);
    return { status: 204 };
  },
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

export const tagOperations = [changeLoadbalancerTags, showLoadbalancerTags, listLoadbalancerTags, changeListenerTags, showListenerTags, listListenerTags];
