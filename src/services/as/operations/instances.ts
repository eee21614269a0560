// A group's instances (/scaling_group_instance): list with filters, remove one (DeleteScalingInstance), and
// the batch actions ADD (existing ECS servers, as manual instances), REMOVE, PROTECT/UNPROTECT and
// ENTER_STANDBY/EXIT_STANDBY (§1.5). Removals mark instances REMOVING under an activity; the engine
// (scaling.ts) deletes the servers and drops the rows. A batch is checked whole before anything changes.
import { z } from "../../../kernel/zod.ts";
import type { Ids } from "../../../kernel/ids.ts";
import { asOperation, type AsContext, paged, pagingQuery, parsePage, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import { newActivity, startRemoval } from "../scaling.ts";
import type { AsStore, GroupRow } from "../store.ts";
import { HEALTH_STATUSES, LIFE_CYCLE_STATES, type InstanceRow } from "../store-scaling.ts";
import * as views from "../views.ts";
import { deregisterInstance, registerInstance } from "../elb-link.ts";

const BATCH_MAX = 10;

function requireGroup(store: AsStore, projectId: string, id: string): GroupRow {
  const g = store.groups.get(projectId, id);
  if (!g) throw asErrors.groupNotFound();
  return g;
}

/** Manual additions and removals need an INSERVICE group with no activity running. */
function requireIdle(store: AsStore, g: GroupRow): void {
  if (g.status !== "INSERVICE") throw asErrors.statusRefused(g.status);
  if (store.activities.doing(g.project_id, g.id)) throw asErrors.statusRefused("SCALING");
}

function yesNo(v: string | undefined, fail: () => Error): boolean {
  const s = v ?? "no";
  if (s !== "yes" && s !== "no") throw fail();
  return s === "yes";
}

export const listScalingInstances = asOperation({
  name: "ListScalingInstances",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_group_instance/{scaling_group_id}/list`,
  query: z.object({
    life_cycle_state: z.string().optional(),
    health_status: z.string().optional(),
    protect_from_scaling_down: z.string().optional(),
    ...pagingQuery,
  }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = parsePage(q, { start: asErrors.instanceStartInvalid, limit: asErrors.instanceLimitInvalid });
    const state = q.life_cycle_state;
    if (state !== undefined && !(LIFE_CYCLE_STATES as readonly string[]).includes(state)) throw asErrors.lifeCycleStateInvalid();
    const health = q.health_status;
    if (health !== undefined && !(HEALTH_STATUSES as readonly string[]).includes(health)) throw asErrors.healthStatusInvalid();
    const prot = q.protect_from_scaling_down;
    if (prot !== undefined && prot !== "true" && prot !== "false") throw asErrors.requestBodyError(`protect_from_scaling_down: ${prot.slice(0, 16)}`);
    const { store } = ctx.svc;
    const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
    const rows = store.instances.ofGroup(projectId, g.id, { state, health, protected: prot === undefined ? undefined : prot === "true" });
    return { body: paged("scaling_group_instances", rows, page, (i) => views.instance(i, g)) };
  },
});

/** Removes instances of one group by hand: desire drops by as many, never below min (AS.2036). */
function removeByHand(store: AsStore, ctx: { ids: Ids; now: number }, g: GroupRow, picked: InstanceRow[], del: boolean): void {
  requireIdle(store, g);
  for (const i of picked) if (i.state !== "INSERVICE") throw asErrors.instanceNotInService();
  const desire = g.desire - picked.length;
  if (desire < g.min) throw asErrors.tooManyRemoved();
  store.groups.update({ ...g, desire });
  startRemoval(store, ctx.ids, g, picked, ctx.now, { reason: del ? "MANUAL_DELETE" : "MANUAL_REMOVE", deleteServers: del, desire });
}

export const deleteScalingInstance = asOperation({
  name: "DeleteScalingInstance",
  method: "DELETE",
  path: `${PROJECT_PATH}/scaling_group_instance/{instance_id}`,
  query: z.object({ instance_delete: z.string().optional() }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const del = yesNo(ctx.input.query.instance_delete, asErrors.instanceDeleteInvalid);
    const { store } = ctx.svc;
    store.tx(() => {
      const i = store.instances.get(projectId, pathParam(ctx.input.path, "instance_id"));
      if (!i) throw asErrors.instanceNotFound();
      removeByHand(store, { ids: ctx.ids, now: ctx.clock.now() }, requireGroup(store, projectId, i.group_id), [i], del);
    });
    return { status: 204 };
  },
});

const ACTIONS = ["ADD", "REMOVE", "PROTECT", "UNPROTECT", "ENTER_STANDBY", "EXIT_STANDBY"] as const;

export const batchScalingInstances = asOperation({
  name: "BatchScalingInstances",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_group_instance/{scaling_group_id}/action`,
  body: z
    .object({
      instances_id: z.array(z.string()).optional(),
      action: z.string().optional(),
      instance_delete: z.string().optional(),
      instance_append: z.string().optional(),
    })
    .optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const action = ACTIONS.find((a) => a === b.action);
    if (!action) throw asErrors.instanceActionInvalid();
    const ids = [...new Set(b.instances_id ?? [])];
    if (ids.length === 0) throw asErrors.instanceListNull();
    if (ids.length > BATCH_MAX) throw asErrors.tooManyInstances(`At most ${BATCH_MAX} a call.`);
    const del = yesNo(b.instance_delete, asErrors.instanceDeleteInvalid);
    const append = yesNo(b.instance_append, asErrors.instanceAppendInvalid);
    const { store } = ctx.svc;
    const now = ctx.clock.now();
    store.tx(() => {
      const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
      if (action === "ADD") {
        addServers(ctx.svc.ecs(), store, { ids: ctx.ids, now }, g, ids);
        // Manual instances join the group's load balancer pools too (elb-link.ts).
        for (const id of ids) {
          const i = store.instances.get(projectId, id);
          if (i) registerInstance(ctx.svc, g, i);
        }
        return;
      }
      const picked = ids.map((id) => {
        const i = store.instances.get(projectId, id);
        if (!i) throw asErrors.instanceNotFound(`instance: ${id.slice(0, 64)}`);
        if (i.group_id !== g.id) throw asErrors.instancesNotSameGroup();
        return i;
      });
      if (action === "REMOVE") return removeByHand(store, { ids: ctx.ids, now }, g, picked, del);
      if (action === "EXIT_STANDBY") {
        for (const i of picked) if (i.state !== "STANDBY") throw asErrors.instanceNotStandby();
        for (const i of picked) {
          store.instances.update({ ...i, state: "INSERVICE" });
          registerInstance(ctx.svc, g, i);
        }
        return;
      }
      for (const i of picked) if (i.state !== "INSERVICE") throw asErrors.instanceNotInService();
      if (action === "ENTER_STANDBY") {
        // instance_append=yes: as many new instances as go to standby (desire rises, within max).
        if (append) {
          if (g.desire + picked.length > g.max) throw asErrors.standbyAppendTooMany();
          store.groups.update({ ...g, desire: g.desire + picked.length });
        }
        // A standby instance is unbound from the load balancer (§6).
        for (const i of picked) {
          store.instances.update({ ...i, state: "STANDBY" });
          deregisterInstance(ctx.svc, g, i);
        }
        return;
      }
      for (const i of picked) store.instances.update({ ...i, protected: action === "PROTECT" });
    });
    return { status: 204 };
  },
});

type Ecs = ReturnType<AsContext["ecs"]>;

/** ADD: existing ACTIVE servers of the group's VPC and zones join as manual instances, INSERVICE at once. */
function addServers(ecs: Ecs, store: AsStore, ctx: { ids: Ids; now: number }, g: GroupRow, ids: string[]): void {
  requireIdle(store, g);
  const servers = ids.map((id) => {
    const s = ecs.server(g.project_id, id);
    if (!s) throw asErrors.instanceNotFound(`instance: ${id.slice(0, 64)}`);
    const held = store.instances.ofServer(id);
    if (held) throw held.group_id === g.id ? asErrors.instanceAlreadyIn() : asErrors.instanceInOtherGroup();
    if (s.status !== "ACTIVE" || s.deleting) throw asErrors.instanceNotActive();
    if (s.vpcId !== g.settings.vpc_id) throw asErrors.instanceVpcInvalid();
    if (!g.settings.available_zones.includes(s.availabilityZone)) throw asErrors.instanceZoneInvalid();
    return s;
  });
  const current = store.instances.ofGroup(g.project_id, g.id).length;
  if (current + servers.length > g.max) throw asErrors.tooManyAdded();
  const desire = Math.max(g.desire, current + servers.length);
  store.groups.update({ ...g, desire });
  const a = newActivity(ctx.ids, g, ctx.now, { reason: "MANUAL_ADD", current, desire, change: servers.length });
  store.activities.insert({ ...a, status: "SUCCESS", added: servers.map((s) => s.name).join(","), instance_value: current + servers.length, end_time: ctx.now });
  for (const s of servers) {
    store.instances.insert({
      id: s.id, project_id: g.project_id, group_id: g.id, name: s.name, state: "INSERVICE", health: "NORMAL", config_id: null,
      config_name: null, protected: false, delete_server: false, activity_id: null, availability_zone: s.availabilityZone, created_at: ctx.now,
    });
  }
}

export const instanceOperations = [listScalingInstances, deleteScalingInstance, batchScalingInstances];
