// Lifecycle hooks (/scaling_lifecycle_hook, §1.6): create (200 with the hook, unwrapped; 5 a group,
// AS.7038), list, show, update, delete — a hook missing by name is 404 AS.0007 (§0.2) — and the instances
// they hold (/scaling_instance_hook): ListHookInstances and CompleteLifecycleAction, whose decision the
// engine applies at once (lifecycle.ts, scaling.ts). notification_topic_urn must name an SMN topic of the
// caller's project: another project's URN is AS.7025 (its form names the wrong project), a topic the project
// lacks AS.7043; notify.ts publishes to it when an instance starts waiting.
import { z } from "../../../kernel/zod.ts";
import { asOperation, pathParam, PROJECT_PATH, projectScope, type AsContext, type ProjectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import { decide, type CallbackResult } from "../lifecycle.ts";
import { step } from "../scaling.ts";
import type { AsStore, GroupRow } from "../store.ts";
import { HOOK_RESULTS, HOOK_TYPES, type HookRow } from "../store-hooks.ts";
import * as views from "../views.ts";

const HOOKS_PER_GROUP = 5;
const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const TIMEOUT_MIN = 300;
const TIMEOUT_MAX = 86400;
const METADATA_MAX = 256;
const SPECIAL = /[<>&'()]/;

/** An SMN topic URN of the caller's region and project: urn:smn:<region>:<project_id>:<topic name>. */
export function topicUrnValid(urn: string, p: ProjectScope): boolean {
  const m = /^urn:smn:([a-z0-9-]+):([A-Za-z0-9]+):([A-Za-z0-9][A-Za-z0-9_-]{0,254})$/.exec(urn);
  return m !== null && m[1] === p.region && m[2] === p.projectId;
}

/** Whether the URN names one of the project's SMN topics (true when hwlocal runs without SMN). */
export function topicExists(svc: AsContext, p: ProjectScope, urn: string): boolean {
  return svc.smn()?.topicExists(p.projectId, urn) ?? true;
}

export function requireGroup(store: AsStore, projectId: string, id: string): GroupRow {
  const g = store.groups.get(projectId, id);
  if (!g) throw asErrors.groupNotFound();
  return g;
}

function requireHook(store: AsStore, projectId: string, groupId: string, name: string): HookRow {
  const h = store.hooks.get(projectId, groupId, name);
  if (!h) throw asErrors.resourceNotFound(name.slice(0, 64));
  return h;
}

const HookFields = {
  lifecycle_hook_type: z.string().optional(),
  default_result: z.string().optional(),
  default_timeout: z.number().optional(),
  notification_topic_urn: z.string().optional(),
  notification_metadata: z.string().optional(),
};
type HookInput = { [K in keyof typeof HookFields]?: z.infer<(typeof HookFields)[K]> };

/** The hook `b` makes of `base` (create: defaults), checked field by field. */
function hookOf(base: HookRow, b: HookInput, p: ProjectScope): HookRow {
  const type = b.lifecycle_hook_type === undefined ? base.type : HOOK_TYPES.find((t) => t === b.lifecycle_hook_type);
  if (type === undefined) throw asErrors.hookTypeInvalid();
  const result = b.default_result === undefined ? base.default_result : HOOK_RESULTS.find((r) => r === b.default_result);
  if (result === undefined) throw asErrors.requestBodyError(`default_result: ${String(b.default_result).slice(0, 16)}`);
  const timeout = b.default_timeout ?? base.default_timeout;
  if (!Number.isInteger(timeout) || timeout < TIMEOUT_MIN || timeout > TIMEOUT_MAX) throw asErrors.hookTimeoutInvalid(`${TIMEOUT_MIN}–${TIMEOUT_MAX} seconds.`);
  const urn = b.notification_topic_urn ?? base.topic_urn;
  if (!topicUrnValid(urn, p)) throw asErrors.topicUrnInvalid(`Expected urn:smn:${p.region}:${p.projectId}:<topic name>.`);
  const metadata = b.notification_metadata ?? base.metadata;
  if ([...metadata].length > METADATA_MAX) throw asErrors.hookMetadataTooLong(`At most ${METADATA_MAX} characters.`);
  if (SPECIAL.test(metadata)) throw asErrors.hookMetadataSpecial();
  return { ...base, type, default_result: result, default_timeout: timeout, topic_urn: urn, metadata };
}

export const createLifecycleHook = asOperation({
  name: "CreateLifecycleHook",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_lifecycle_hook/{scaling_group_id}`,
  body: z.object({ lifecycle_hook_name: z.string().optional(), ...HookFields }).optional(),
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.hookNull();
    const name = b.lifecycle_hook_name;
    if (name === undefined || name === "") throw asErrors.hookNameNull();
    if (!NAME.test(name)) throw asErrors.hookNameInvalid();
    if (b.lifecycle_hook_type === undefined || b.lifecycle_hook_type === "") throw asErrors.hookTypeNull();
    if (b.notification_topic_urn === undefined) throw asErrors.topicUrnInvalid("notification_topic_urn is required.");
    const { store } = ctx.svc;
    const h = store.tx(() => {
      const g = requireGroup(store, p.projectId, pathParam(ctx.input.path, "scaling_group_id"));
      const base: HookRow = {
        project_id: p.projectId, group_id: g.id, name, type: "INSTANCE_LAUNCHING", default_result: "ABANDON",
        default_timeout: 3600, topic_urn: "", metadata: "", created_at: ctx.clock.now(),
      };
      const hook = hookOf(base, b, p);
      if (!topicExists(ctx.svc, p, hook.topic_urn)) throw asErrors.hookTopicNotFound(`notification_topic_urn: ${hook.topic_urn.slice(0, 300)}`);
      if (store.hooks.get(p.projectId, g.id, name)) throw asErrors.hookDuplicate(`lifecycle_hook_name: ${name}`);
      if (store.hooks.ofGroup(p.projectId, g.id).length >= HOOKS_PER_GROUP) throw asErrors.hookQuota(`At most ${HOOKS_PER_GROUP} a group.`);
      store.hooks.put(hook);
      return hook;
    });
    return { body: views.hook(h) };
  },
});

export const listLifecycleHooks = asOperation({
  name: "ListLifecycleHooks",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_lifecycle_hook/{scaling_group_id}/list`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const g = requireGroup(ctx.svc.store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
    return { body: { lifecycle_hooks: ctx.svc.store.hooks.ofGroup(projectId, g.id).map(views.hook) } };
  },
});

const HOOK_PATH = `${PROJECT_PATH}/scaling_lifecycle_hook/{scaling_group_id}/{lifecycle_hook_name}`;

export const showLifecycleHook = asOperation({
  name: "ShowLifecycleHook",
  method: "GET",
  path: HOOK_PATH,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
    return { body: views.hook(requireHook(store, projectId, g.id, pathParam(ctx.input.path, "lifecycle_hook_name"))) };
  },
});

export const updateLifecycleHook = asOperation({
  name: "UpdateLifecycleHook",
  method: "PUT",
  path: HOOK_PATH,
  body: z.object(HookFields).optional(),
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.hookNull();
    const { store } = ctx.svc;
    const h = store.tx(() => {
      const g = requireGroup(store, p.projectId, pathParam(ctx.input.path, "scaling_group_id"));
      const hook = hookOf(requireHook(store, p.projectId, g.id, pathParam(ctx.input.path, "lifecycle_hook_name")), b, p);
      if (b.notification_topic_urn !== undefined && !topicExists(ctx.svc, p, hook.topic_urn)) {
        throw asErrors.hookTopicNotFound(`notification_topic_urn: ${hook.topic_urn.slice(0, 300)}`);
      }
      store.hooks.put(hook);
      return hook;
    });
    return { body: views.hook(h) };
  },
});

export const deleteLifecycleHook = asOperation({
  name: "DeleteLifecycleHook",
  method: "DELETE",
  path: HOOK_PATH,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    store.tx(() => {
      const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
      const h = requireHook(store, projectId, g.id, pathParam(ctx.input.path, "lifecycle_hook_name"));
      store.hooks.delete(projectId, g.id, h.name);
    });
    return { status: 204 };
  },
});

export const listHookInstances = asOperation({
  name: "ListHookInstances",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_instance_hook/{scaling_group_id}/list`,
  query: z.object({ instance_id: z.string().optional() }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
    const id = ctx.input.query.instance_id;
    const rows = store.hooks.hangsOfGroup(projectId, g.id).filter((h) => id === undefined || h.instance_id === id);
    return { body: { instance_hanging_info: rows.map(views.hang) } };
  },
});

const RESULTS: readonly CallbackResult[] = ["CONTINUE", "ABANDON", "EXTEND"];

export const completeLifecycleAction = asOperation({
  name: "CompleteLifecycleAction",
  method: "PUT",
  path: `${PROJECT_PATH}/scaling_instance_hook/{scaling_group_id}/callback`,
  body: z
    .object({
      lifecycle_action_key: z.string().optional(),
      instance_id: z.string().optional(),
      lifecycle_hook_name: z.string().optional(),
      lifecycle_action_result: z.string().optional(),
    })
    .optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    if (b.lifecycle_action_result === undefined || b.lifecycle_action_result === "") throw asErrors.callbackResultNull();
    const result = RESULTS.find((r) => r === b.lifecycle_action_result);
    if (!result) throw asErrors.callbackResultInvalid();
    const key = b.lifecycle_action_key;
    if (!key && !(b.instance_id && b.lifecycle_hook_name)) throw asErrors.callbackObjectNull();
    const { store } = ctx.svc;
    const now = ctx.clock.now();
    store.tx(() => {
      const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
      // The key takes precedence over instance_id + lifecycle_hook_name (§1.6).
      const h = key
        ? store.hooks.hang(projectId, g.id, key)
        : store.hooks.hangsOf(projectId, b.instance_id ?? "").find((x) => x.group_id === g.id && x.hook_name === b.lifecycle_hook_name && x.status === "HANGING");
      if (!h || h.status !== "HANGING") throw asErrors.callbackObjectNotFound();
      decide(store, h, result, now);
      step(ctx.svc, g, now);
    });
    return { status: 204 };
  },
});

export const hookOperations = [
  createLifecycleHook, listLifecycleHooks, showLifecycleHook, updateLifecycleHook, deleteLifecycleHook, listHookInstances, completeLifecycleAction,
];
