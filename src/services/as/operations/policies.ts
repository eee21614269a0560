// Scaling policies (/scaling_policy, /scaling_policies/action, /scaling_policy_execute_log): create, list,
// show, update, delete, execute/resume/pause, batch delete/resume/pause, and the execute logs (§1.4, §1.7).
// SCHEDULED and RECURRENCE triggers are kept as next_fire and fired by the policy ticker (policy-engine.ts).
import { z } from "../../../kernel/zod.ts";
import { checkAlarm, releaseAlarms, syncAlarmActions } from "../alarm-link.ts";
import { asOperation, paged, pagingQuery, parsePage, parseTime, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import { AS_QUOTA } from "../model.ts";
import { runPolicy } from "../policy-engine.ts";
import { checkAction, checkCoolDown, checkPolicyName, checkPolicyType, checkScheduled, CreatePolicyBody, nextFire, type CreatePolicyInput, UpdatePolicyBody } from "../policy-spec.ts";
import type { AsStore } from "../store.ts";
import { EXECUTE_TYPES, type PolicyRow, type PolicyType, type Scheduled } from "../store-policies.ts";
import * as views from "../views.ts";

const BATCH_MAX = 20;

function requirePolicy(store: AsStore, projectId: string, id: string): PolicyRow {
  const p = store.policies.get(projectId, id);
  if (!p) throw asErrors.policyNotFound();
  return p;
}

/** The trigger of a SCHEDULED or RECURRENCE policy (an ALARM policy's rule is checked by checkAlarm). */
function trigger(type: PolicyType, b: CreatePolicyInput, current: Scheduled | null, now: number, checkTimes: boolean): Scheduled | null {
  if (type === "ALARM") return null;
  return checkScheduled(type, b.scheduled_policy ?? current ?? undefined, now, checkTimes);
}

export const createScalingPolicy = asOperation({
  name: "CreateScalingPolicy",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_policy`,
  body: CreatePolicyBody,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const now = ctx.clock.now();
    const name = checkPolicyName(b.scaling_policy_name);
    const groupId = b.scaling_group_id;
    if (groupId === undefined || groupId === "") throw asErrors.policyGroupIdNull();
    const { store } = ctx.svc;
    if (!store.groups.get(projectId, groupId)) throw asErrors.groupNotFound();
    const type = checkPolicyType(b.scaling_policy_type);
    const scheduled = trigger(type, b, null, now, true);
    const alarmId = type === "ALARM" ? checkAlarm(ctx.svc, projectId, groupId, b.alarm_id) : null;
    const p: PolicyRow = {
      id: ctx.ids.uuid(),
      project_id: projectId,
      group_id: groupId,
      name,
      type,
      status: "INSERVICE",
      scheduled,
      alarm_id: alarmId,
      action: checkAction(b.scaling_policy_action),
      cool_down: checkCoolDown(b.cool_down_time),
      next_fire: nextFire(type, scheduled, now),
      created_at: now,
    };
    store.tx(() => {
      if (store.policies.count(projectId, groupId) >= AS_QUOTA.policiesPerGroup.quota) throw asErrors.policyQuota();
      store.policies.insert(p);
      syncAlarmActions(ctx.svc, projectId, null, alarmId);
    });
    return { body: { scaling_policy_id: p.id } };
  },
});

export const listScalingPolicies = asOperation({
  name: "ListScalingPolicies",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_policy/{scaling_group_id}/list`,
  query: z.object({
    scaling_policy_name: z.string().optional(),
    scaling_policy_type: z.string().optional(),
    scaling_policy_id: z.string().optional(),
    ...pagingQuery,
  }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = parsePage(q);
    const { store } = ctx.svc;
    const groupId = pathParam(ctx.input.path, "scaling_group_id");
    if (!store.groups.get(projectId, groupId)) throw asErrors.groupNotFound();
    if (q.scaling_policy_type !== undefined) checkPolicyType(q.scaling_policy_type);
    const rows = store.policies.ofGroup(projectId, groupId, { name: q.scaling_policy_name, type: q.scaling_policy_type, id: q.scaling_policy_id });
    return { body: paged("scaling_policies", rows, page, views.policy) };
  },
});

export const showScalingPolicy = asOperation({
  name: "ShowScalingPolicy",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_policy/{scaling_policy_id}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const p = requirePolicy(ctx.svc.store, projectId, pathParam(ctx.input.path, "scaling_policy_id"));
    return { body: { scaling_policy: views.policy(p) } };
  },
});

export const updateScalingPolicy = asOperation({
  name: "UpdateScalingPolicy",
  method: "PUT",
  path: `${PROJECT_PATH}/scaling_policy/{scaling_policy_id}`,
  body: UpdatePolicyBody,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const now = ctx.clock.now();
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "scaling_policy_id");
    store.tx(() => {
      const p = requirePolicy(store, projectId, id);
      const name = b.scaling_policy_name === undefined ? p.name : checkPolicyName(b.scaling_policy_name);
      const type = b.scaling_policy_type === undefined ? p.type : checkPolicyType(b.scaling_policy_type);
      const retimed = b.scheduled_policy !== undefined || type !== p.type;
      const scheduled = trigger(type, b, p.scheduled, now, retimed);
      const action = b.scaling_policy_action === undefined ? p.action : checkAction(b.scaling_policy_action);
      const cool = checkCoolDown(b.cool_down_time, p.cool_down);
      const alarmId = type === "ALARM" ? checkAlarm(ctx.svc, projectId, p.group_id, b.alarm_id ?? p.alarm_id ?? undefined) : null;
      store.policies.update({ ...p, name, type, scheduled, alarm_id: alarmId, action, cool_down: cool, next_fire: nextFire(type, scheduled, now) });
      syncAlarmActions(ctx.svc, projectId, p.alarm_id, alarmId);
    });
    return { body: { scaling_policy_id: id } };
  },
});

export const deleteScalingPolicy = asOperation({
  name: "DeleteScalingPolicy",
  method: "DELETE",
  path: `${PROJECT_PATH}/scaling_policy/{scaling_policy_id}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "scaling_policy_id");
    store.tx(() => {
      const p = requirePolicy(store, projectId, id);
      store.policies.delete(projectId, id);
      releaseAlarms(ctx.svc, [p]);
    });
    return { status: 204 };
  },
});

/** resume (its trigger counts from now: runs missed while paused are not made up) or pause; idempotent. */
function setStatus(store: AsStore, p: PolicyRow, resume: boolean, now: number): void {
  if (resume) store.policies.update({ ...p, status: "INSERVICE", next_fire: p.status === "INSERVICE" ? p.next_fire : nextFire(p.type, p.scheduled, now) });
  else store.policies.update({ ...p, status: "PAUSED" });
}

export const executeScalingPolicy = asOperation({
  name: "ExecuteScalingPolicy",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_policy/{scaling_policy_id}/action`,
  body: z.object({ action: z.string().optional() }).optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const { store } = ctx.svc;
    const now = ctx.clock.now();
    store.tx(() => {
      const p = requirePolicy(store, projectId, pathParam(ctx.input.path, "scaling_policy_id"));
      if (b.action === "execute") runPolicy(store, ctx.ids, p, now, "MANUAL");
      else if (b.action === "resume" || b.action === "pause") setStatus(store, p, b.action === "resume", now);
      else throw asErrors.policyActionInvalid();
    });
    return { status: 204 };
  },
});

const BATCH_CODES = { delete: "AS.3045", resume: "AS.3046", pause: "AS.3047" } as const;

export const batchPolicies = asOperation({
  name: "BatchPolicies",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_policies/action`,
  body: z
    .object({ scaling_policy_id: z.array(z.string()).optional(), action: z.string().optional(), force_delete: z.string().optional(), delete_alarm: z.string().optional() })
    .optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const action = b.action;
    if (action !== "delete" && action !== "resume" && action !== "pause") throw asErrors.policyActionInvalid();
    if (b.force_delete !== undefined && b.force_delete !== "yes" && b.force_delete !== "no") throw asErrors.policyForceDeleteInvalid();
    if (b.delete_alarm !== undefined && b.delete_alarm !== "yes" && b.delete_alarm !== "no") throw asErrors.deleteAlarmInvalid();
    const ids = b.scaling_policy_id ?? [];
    if (ids.length === 0) throw asErrors.batchPoliciesEmpty();
    if (ids.length > BATCH_MAX) throw asErrors.requestBodyError(`at most ${BATCH_MAX} policies a batch, got ${ids.length}.`);
    const { store } = ctx.svc;
    const now = ctx.clock.now();
    const failures: { id: string; errorCode: string; errorMessage: string }[] = [];
    store.tx(() => {
      for (const id of new Set(ids)) {
        const p = store.policies.get(projectId, id);
        if (!p) {
          const e = asErrors.policyNotFound();
          failures.push({ id, errorCode: e.code, errorMessage: e.message });
        } else if (action === "delete") {
          store.policies.delete(projectId, id);
          releaseAlarms(ctx.svc, [p], b.delete_alarm === "yes");
        } else setStatus(store, p, action === "resume", now);
      }
    });
    if (failures.length > 0) throw asErrors.batchPolicyFailed(BATCH_CODES[action], failures);
    return { status: 204 };
  },
});


export const listScalingPolicyExecuteLogs = asOperation({
  name: "ListScalingPolicyExecuteLogs",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_policy_execute_log/{scaling_policy_id}`,
  query: z.object({
    log_id: z.string().optional(),
    scaling_resource_type: z.string().optional(),
    scaling_resource_id: z.string().optional(),
    execute_type: z.string().optional(),
    start_time: z.string().optional(),
    end_time: z.string().optional(),
    ...pagingQuery,
  }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = parsePage(q, { start: asErrors.executeLogStartInvalid, limit: asErrors.executeLogLimitInvalid });
    const from = parseTime(q.start_time, asErrors.executeTimeFormat);
    const to = parseTime(q.end_time, asErrors.executeTimeFormat);
    const et = q.execute_type;
    if (et !== undefined && !(EXECUTE_TYPES as readonly string[]).includes(et)) throw asErrors.requestBodyError(`execute_type: ${et.slice(0, 16)}`);
    const rt = q.scaling_resource_type;
    if (rt !== undefined && rt !== "SCALING_GROUP" && rt !== "BANDWIDTH") throw asErrors.requestBodyError(`scaling_resource_type: ${rt.slice(0, 16)}`);
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "scaling_policy_id");
    requirePolicy(store, projectId, id);
    const rows = rt === "BANDWIDTH" ? [] : store.policies.logs(projectId, id, { logId: q.log_id, resourceId: q.scaling_resource_id, executeType: et, from, to });
    return { body: paged("scaling_policy_execute_log", rows, page, views.policyLog) };
  },
});

export const policyOperations = [
  createScalingPolicy,
  listScalingPolicies,
  showScalingPolicy,
  updateScalingPolicy,
  deleteScalingPolicy,
  executeScalingPolicy,
  batchPolicies,
  listScalingPolicyExecuteLogs,
];
