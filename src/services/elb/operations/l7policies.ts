// L7 policies (/elb/l7policies, elb-facts §3.7) on HTTP/HTTPS listeners: REDIRECT_TO_POOL (a pool of the
// same load balancer), REDIRECT_TO_LISTENER (HTTP listeners only, to an HTTPS listener of the same load
// balancer), REDIRECT_TO_URL and FIXED_RESPONSE (both, and priority, need enhance_l7policy_enable).
// Deleting a policy deletes its rules (rules.ts holds the rule operations).
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { L7_ACTIONS, QUOTA, type L7PolicyDoc, type ListenerDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { requireListener } from "./listeners.ts";
import { insertRule, requirePolicy, ruleSchema } from "./l7rules.ts";

const urlConfig = z.object({
  protocol: z.enum(["HTTP", "HTTPS", "${protocol}"]).optional(),
  host: z.string().max(128).optional(),
  port: z.string().max(16).optional(),
  path: z.string().max(128).optional(),
  query: z.string().max(128).optional(),
  status_code: z.enum(["301", "302", "303", "307", "308"]),
});
const fixedConfig = z.object({
  status_code: z.string().regex(/^[245]\d\d$/, "status_code: 2xx, 4xx or 5xx"),
  content_type: z.enum(["text/plain", "text/css", "text/html", "application/javascript", "application/json"]).optional(),
  message_body: z.string().max(1024).optional(),
});

const common = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  redirect_pool_id: z.string().nullable().optional(),
  redirect_listener_id: z.string().nullable().optional(),
  redirect_url: z.string().max(255).nullable().optional(),
  redirect_url_config: urlConfig.nullable().optional(),
  fixed_response_config: fixedConfig.nullable().optional(),
  priority: z.number().int().min(0).max(10000).nullable().optional(),
  position: z.number().int().min(1).max(100).optional(),
  admin_state_up: z.boolean().optional(),
};

const createBody = z.object({ l7policy: z.object({ ...common, listener_id: z.string(), action: z.enum(L7_ACTIONS), rules: z.array(ruleSchema).optional() }) });
const updateBody = z.object({ l7policy: z.object(common) });

function checkTargets(svc: ElbContext, projectId: string, listener: DocRow<ListenerDoc>, d: L7PolicyDoc): void {
  const enhanced = listener.doc.enhance_l7policy_enable;
  switch (d.action) {
    case "REDIRECT_TO_POOL": {
      if (!d.redirect_pool_id) throw elbErrors.invalid("redirect_pool_id is required for REDIRECT_TO_POOL.");
      const pool = svc.store.pools.get(projectId, d.redirect_pool_id);
      if (!pool) throw elbErrors.notFound("Pool", d.redirect_pool_id);
      if (pool.doc.loadbalancer_id !== listener.doc.loadbalancer_id) throw elbErrors.invalid(`Pool ${pool.id} belongs to another load balancer.`);
      if (pool.doc.protocol !== "HTTP" && pool.doc.protocol !== "HTTPS") throw elbErrors.invalid(`Pool ${pool.id} is not an HTTP or HTTPS pool.`);
      break;
    }
    case "REDIRECT_TO_LISTENER": {
      if (listener.doc.protocol !== "HTTP") throw elbErrors.invalid("REDIRECT_TO_LISTENER is for HTTP listeners only.");
      if (!d.redirect_listener_id) throw elbErrors.invalid("redirect_listener_id is required for REDIRECT_TO_LISTENER.");
      const target = svc.store.listeners.get(projectId, d.redirect_listener_id);
      if (!target) throw elbErrors.notFound("Listener", d.redirect_listener_id);
      if (target.doc.loadbalancer_id !== listener.doc.loadbalancer_id || target.doc.protocol !== "HTTPS") throw elbErrors.invalid("redirect_listener_id must be an HTTPS listener of the same load balancer.");
      break;
    }
    case "REDIRECT_TO_URL":
      if (!enhanced) throw elbErrors.invalid("REDIRECT_TO_URL needs the listener's enhance_l7policy_enable.");
      if (!d.redirect_url_config && !d.redirect_url) throw elbErrors.invalid("redirect_url_config is required for REDIRECT_TO_URL.");
      break;
    case "FIXED_RESPONSE":
      if (!enhanced) throw elbErrors.invalid("FIXED_RESPONSE needs the listener's enhance_l7policy_enable.");
      if (!d.fixed_response_config) throw elbErrors.invalid("fixed_response_config is required for FIXED_RESPONSE.");
      break;
  }
  if (d.priority !== null && !enhanced) throw elbErrors.invalid("priority needs the listener's enhance_l7policy_enable.");
  if (d.action === "REDIRECT_TO_LISTENER" && d.priority !== null && d.priority !== 0) throw elbErrors.invalid("a REDIRECT_TO_LISTENER policy takes priority 0 only.");
}

/** Priorities are unique among a listener's policies (the SDK's BatchUpdatePriorityRequestBody). */
function checkUniquePriorities(svc: ElbContext, projectId: string, listenerId: string, changed: Map<string, number | null>): void {
  const seen = new Set<number>();
  for (const p of svc.store.l7policies.byParent(projectId, listenerId)) {
    const priority = changed.has(p.id) ? changed.get(p.id)! : p.doc.priority;
    if (priority === null || priority === 0) continue;
    if (seen.has(priority)) throw elbErrors.invalid(`priority ${priority} is used twice on listener ${listenerId}.`);
    seen.add(priority);
  }
}

export function renderPolicy(svc: ElbContext, p: DocRow<L7PolicyDoc>): Record<string, unknown> {
  const d = p.doc;
  return {
    id: p.id,
    project_id: p.projectId,
    name: d.name,
    description: d.description,
    admin_state_up: d.admin_state_up,
    listener_id: d.listener_id,
    action: d.action,
    redirect_pool_id: d.redirect_pool_id,
    redirect_pools_config: [],
    redirect_listener_id: d.redirect_listener_id,
    redirect_url: d.redirect_url,
    redirect_url_config: d.redirect_url_config,
    fixed_response_config: d.fixed_response_config,
    position: d.position,
    priority: d.priority,
    provisioning_status: "ACTIVE",
    rules: svc.store.l7rules.byParent(p.projectId, p.id).map((r) => ({ id: r.id })),
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

export const createL7Policy = elbOperation({
  name: "CreateL7Policy",
  method: "POST",
  path: `${V3}/l7policies`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.l7policy;
    const listener = requireListener(svc, projectId, b.listener_id);
    if (listener.doc.protocol !== "HTTP" && listener.doc.protocol !== "HTTPS") throw elbErrors.invalid("L7 policies are for HTTP and HTTPS listeners only.");
    if (svc.store.l7policies.count(projectId) >= QUOTA.l7policy) throw elbErrors.quota("l7policy");
    const now = ctx.clock.now();
    const doc: L7PolicyDoc = {
      listener_id: listener.id,
      name: b.name ?? "",
      description: b.description ?? "",
      action: b.action,
      redirect_pool_id: b.redirect_pool_id ?? null,
      redirect_listener_id: b.redirect_listener_id ?? null,
      redirect_url: b.redirect_url ?? null,
      redirect_url_config: b.redirect_url_config ?? null,
      fixed_response_config: b.fixed_response_config ?? null,
      priority: b.priority ?? null,
      position: b.position ?? svc.store.l7policies.byParent(projectId, listener.id).length + 1,
      admin_state_up: b.admin_state_up ?? true,
      created_at: now,
      updated_at: now,
    };
    checkTargets(svc, projectId, listener, doc);
    const siblings = svc.store.l7policies.byParent(projectId, listener.id);
    if (listener.doc.enhance_l7policy_enable && doc.priority === null && b.action !== "REDIRECT_TO_LISTENER") {
      // The highest priority of the listener's policies + 1 (1 for the first); beyond 10000 it fails.
      doc.priority = Math.max(0, ...siblings.map((p) => p.doc.priority ?? 0)) + 1;
      if (doc.priority > 10000) throw elbErrors.invalid("priority would exceed 10000: give one, or lower the listener's others.");
    }
    if (doc.priority !== null && doc.priority !== 0 && siblings.some((p) => p.doc.priority === doc.priority)) {
      throw elbErrors.invalid(`priority ${doc.priority} is used twice on listener ${listener.id}.`);
    }
    if (b.action === "REDIRECT_TO_LISTENER" && b.rules?.length) throw elbErrors.invalid("A policy that redirects to a listener takes no rules.");
    const row = svc.store.tx(() => {
      const p = svc.store.l7policies.insert({ id: ctx.ids.uuid(), projectId, lbId: listener.doc.loadbalancer_id, parentId: listener.id, doc });
      for (const r of b.rules ?? []) insertRule(svc, p, r, { now, id: ctx.ids.uuid() });
      return p;
    });
    return { status: 201, body: { l7policy: renderPolicy(svc, row), request_id: ctx.request.requestId } };
  },
});

export const listL7Policies = elbOperation({
  name: "ListL7Policies",
  method: "GET",
  path: `${V3}/l7policies`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered(ctx.svc.store.l7policies.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      admin_state_up: (r) => r.doc.admin_state_up,
      listener_id: (r) => r.doc.listener_id,
      position: (r) => r.doc.position,
      action: (r) => r.doc.action,
      redirect_url: (r) => r.doc.redirect_url,
      redirect_pool_id: (r) => r.doc.redirect_pool_id,
      redirect_listener_id: (r) => r.doc.redirect_listener_id,
      provisioning_status: () => "ACTIVE",
      priority: (r) => r.doc.priority,
    });
    const p = page(rows, q);
    return { body: { l7policies: p.items.map((r) => renderPolicy(ctx.svc, r)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showL7Policy = elbOperation({
  name: "ShowL7Policy",
  method: "GET",
  path: `${V3}/l7policies/{l7policy_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const p = requirePolicy(ctx.svc, projectId, ctx.input.path.l7policy_id ?? "");
    return { body: { l7policy: renderPolicy(ctx.svc, p), request_id: ctx.request.requestId } };
  },
});

export const updateL7Policy = elbOperation({
  name: "UpdateL7Policy",
  method: "PUT",
  path: `${V3}/l7policies/{l7policy_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const p = requirePolicy(svc, projectId, ctx.input.path.l7policy_id ?? "");
    const b = ctx.input.body.l7policy;
    const d: L7PolicyDoc = { ...p.doc };
    if (b.name !== undefined) d.name = b.name;
    if (b.description !== undefined) d.description = b.description;
    if (b.redirect_pool_id !== undefined) d.redirect_pool_id = b.redirect_pool_id;
    if (b.redirect_listener_id !== undefined) d.redirect_listener_id = b.redirect_listener_id;
    if (b.redirect_url !== undefined) d.redirect_url = b.redirect_url;
    if (b.redirect_url_config !== undefined) d.redirect_url_config = b.redirect_url_config;
    if (b.fixed_response_config !== undefined) d.fixed_response_config = b.fixed_response_config;
    if (b.priority !== undefined) d.priority = b.priority;
    if (b.position !== undefined) d.position = b.position;
    if (b.admin_state_up !== undefined) d.admin_state_up = b.admin_state_up;
    checkTargets(svc, projectId, requireListener(svc, projectId, d.listener_id), d);
    checkUniquePriorities(svc, projectId, d.listener_id, new Map([[p.id, d.priority]]));
    d.updated_at = ctx.clock.now();
    p.doc = d;
    svc.store.l7policies.update(p);
    return { body: { l7policy: renderPolicy(svc, p), request_id: ctx.request.requestId } };
  },
});

export const deleteL7Policy = elbOperation({
  name: "DeleteL7Policy",
  method: "DELETE",
  path: `${V3}/l7policies/{l7policy_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const p = requirePolicy(svc, projectId, ctx.input.path.l7policy_id ?? "");
    svc.store.tx(() => {
      for (const r of svc.store.l7rules.byParent(projectId, p.id)) svc.store.l7rules.delete(projectId, r.id);
      svc.store.l7policies.delete(projectId, p.id);
    });
    return { status: 204 };
  },
});

export const batchUpdatePoliciesPriority = elbOperation({
  name: "BatchUpdatePoliciesPriority",
  method: "POST",
  path: `${V3}/l7policies/batch-update-priority`,
  body: z.object({ l7policies: z.array(z.object({ id: z.string(), priority: z.number().int().min(0).max(10000) })).min(1).max(100) }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const byListener = new Map<string, Map<string, number | null>>();
    const rows = ctx.input.body.l7policies.map((u) => {
      const p = requirePolicy(svc, projectId, u.id);
      const listener = requireListener(svc, projectId, p.doc.listener_id);
      const d = { ...p.doc, priority: u.priority };
      checkTargets(svc, projectId, listener, d);
      const changes = byListener.get(listener.id) ?? byListener.set(listener.id, new Map()).get(listener.id)!;
      changes.set(p.id, u.priority);
      return { p, priority: u.priority };
    });
    for (const [listenerId, changes] of byListener) checkUniquePriorities(svc, projectId, listenerId, changes);
    const now = ctx.clock.now();
    svc.store.tx(() => {
      for (const { p, priority } of rows) {
        p.doc = { ...p.doc, priority, updated_at: now };
        svc.store.l7policies.update(p);
      }
    });
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const l7PolicyOperations = [createL7Policy, listL7Policies, showL7Policy, updateL7Policy, deleteL7Policy, batchUpdatePoliciesPriority];
