// Scaling groups (/scaling_group): create (PAUSED, §0.3), list, show, update, delete, resume/pause (§1.1,
// §1.2). current_instance_number and is_scaling come from the engine's tables (scaling.ts).
import { z } from "../../../kernel/zod.ts";
import { releaseAlarms } from "../alarm-link.ts";
import { asOperation, paged, pagingQuery, parsePage, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import { checkGroupName, checkNumbers, checkSettings, CreateGroupBody, defaultSettings, refuseListeners, UpdateGroupBody } from "../group-spec.ts";
import { AS_QUOTA, type GroupStatus } from "../model.ts";
import type { AsStore, GroupRow } from "../store.ts";
import * as views from "../views.ts";

function view(store: AsStore, g: GroupRow) {
  const c = g.config_id === null ? undefined : store.configs.get(g.project_id, g.config_id);
  const current = store.instances.ofGroup(g.project_id, g.id).length;
  return views.group(g, c?.name ?? null, { current, scaling: store.activities.doing(g.project_id, g.id) !== undefined });
}

function requireGroup(store: AsStore, projectId: string, id: string): GroupRow {
  const g = store.groups.get(projectId, id);
  if (!g) throw asErrors.groupNotFound();
  return g;
}

function requireConfig(store: AsStore, projectId: string, id: string): string {
  if (id === "") throw asErrors.configIdNull();
  if (!store.configs.get(projectId, id)) throw asErrors.configNotFound();
  return id;
}

export const createScalingGroup = asOperation({
  name: "CreateScalingGroup",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_group`,
  body: CreateGroupBody,
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const name = checkGroupName(b.scaling_group_name);
    const { store } = ctx.svc;
    const configId = b.scaling_configuration_id === undefined ? null : requireConfig(store, p.projectId, b.scaling_configuration_id);
    const min = b.min_instance_number ?? 0;
    const max = b.max_instance_number ?? 0;
    const desire = b.desire_instance_number ?? min;
    checkNumbers({ min, max, desire });
    refuseListeners(b);
    if (b.vpc_id === undefined || b.vpc_id === "") throw asErrors.vpcIdNull();
    if (!ctx.svc.vpc().vpc(p.projectId, b.vpc_id)) throw asErrors.vpcNotFound();
    if (b.networks === undefined) throw asErrors.networksInvalid("networks is required.");
    const settings = checkSettings(ctx.svc, p, b, defaultSettings(p, b.vpc_id));
    const g: GroupRow = {
      id: ctx.ids.uuid(),
      project_id: p.projectId,
      name,
      status: "PAUSED",
      config_id: configId,
      desire,
      min,
      max,
      settings,
      created_at: ctx.clock.now(),
      user_id: ctx.scope?.principal.userId ?? null,
      region: p.region,
    };
    store.tx(() => {
      if (store.groups.count(p.projectId) >= AS_QUOTA.groups.quota) throw asErrors.groupQuota();
      store.groups.insert(g);
    });
    return { body: { scaling_group_id: g.id } };
  },
});

export const listScalingGroups = asOperation({
  name: "ListScalingGroups",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_group`,
  query: z.object({
    scaling_group_name: z.string().optional(),
    scaling_configuration_id: z.string().optional(),
    scaling_group_status: z.string().optional(),
    enterprise_project_id: z.string().optional(),
    ...pagingQuery,
  }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = parsePage(q);
    const { store } = ctx.svc;
    // Every group is in the default enterprise project; "all_granted_eps" names them all.
    const ep = q.enterprise_project_id;
    const rows =
      ep !== undefined && ep !== "0" && ep !== "all_granted_eps"
        ? []
        : store.groups.list(projectId, { name: q.scaling_group_name, configId: q.scaling_configuration_id, status: q.scaling_group_status });
    return { body: paged("scaling_groups", rows, page, (g) => view(store, g)) };
  },
});

export const showScalingGroup = asOperation({
  name: "ShowScalingGroup",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_group/{scaling_group_id}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
    return { body: { scaling_group: view(store, g) } };
  },
});

export const updateScalingGroup = asOperation({
  name: "UpdateScalingGroup",
  method: "PUT",
  path: `${PROJECT_PATH}/scaling_group/{scaling_group_id}`,
  body: UpdateGroupBody,
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "scaling_group_id");
    store.tx(() => {
      const g = requireGroup(store, p.projectId, id);
      const name = b.scaling_group_name === undefined ? g.name : checkGroupName(b.scaling_group_name);
      const configId = b.scaling_configuration_id === undefined ? g.config_id : requireConfig(store, p.projectId, b.scaling_configuration_id);
      const min = b.min_instance_number ?? g.min;
      const max = b.max_instance_number ?? g.max;
      const desire = b.desire_instance_number ?? g.desire;
      checkNumbers({ min, max, desire });
      refuseListeners(b);
      // §1.2: zones, subnets and security groups change only on a group with no instances, no activity,
      // and not in service.
      const placement = b.available_zones !== undefined || b.networks !== undefined || b.security_groups !== undefined;
      const instances = store.instances.ofGroup(p.projectId, g.id);
      const busy = instances.length > 0 || store.activities.doing(p.projectId, g.id) !== undefined;
      if (placement && (g.status === "INSERVICE" || busy)) throw asErrors.networkChangeRefused();
      if (desire < instances.filter((i) => i.protected).length) throw asErrors.desireBelowProtected();
      const settings = checkSettings(ctx.svc, p, b, g.settings);
      store.groups.update({ ...g, name, config_id: configId, min, max, desire, settings });
    });
    return { body: { scaling_group_id: id } };
  },
});

export const deleteScalingGroup = asOperation({
  name: "DeleteScalingGroup",
  method: "DELETE",
  path: `${PROJECT_PATH}/scaling_group/{scaling_group_id}`,
  query: z.object({ force_delete: z.string().optional() }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const force = ctx.input.query.force_delete ?? "no";
    if (force !== "yes" && force !== "no") throw asErrors.forceDeleteInvalid();
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "scaling_group_id");
    store.tx(() => {
      const g = requireGroup(store, projectId, id);
      // Without force, a group with instances or a running activity is refused (AS.2021). With force, such a
      // group goes DELETING: the engine removes its instances (deleting the ones AS created), then the group.
      const busy = store.instances.ofGroup(projectId, id).length > 0 || store.activities.doing(projectId, id) !== undefined;
      if (busy && force === "no") throw asErrors.instancesNotZero();
      if (busy) {
        store.groups.update({ ...g, status: "DELETING" });
        return;
      }
      store.activities.deleteGroup(projectId, id);
      store.tags.deleteGroup(projectId, id);
      const policies = store.policies.ofGroup(projectId, id);
      store.policies.deleteGroup(projectId, id);
      releaseAlarms(ctx.svc, policies, true);
      store.hooks.deleteGroup(projectId, id);
      store.notifications.deleteGroup(projectId, id);
      store.groups.delete(projectId, id);
    });
    return { status: 204 };
  },
});

const RESUMABLE: readonly GroupStatus[] = ["PAUSED", "ERROR"];
const PAUSABLE: readonly GroupStatus[] = ["INSERVICE", "ERROR"];

export const enableOrDisableScalingGroup = asOperation({
  name: "EnableOrDisableScalingGroup",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_group/{scaling_group_id}/action`,
  body: z.object({ action: z.string().optional() }).optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    const { store } = ctx.svc;
    store.tx(() => {
      const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
      if (b.action === "resume") {
        if (!RESUMABLE.includes(g.status)) throw asErrors.statusRefused(g.status);
        if (g.config_id === null) throw asErrors.noConfigInGroup();
        store.groups.update({ ...g, status: "INSERVICE" });
      } else if (b.action === "pause") {
        if (!PAUSABLE.includes(g.status)) throw asErrors.statusRefused(g.status);
        store.groups.update({ ...g, status: "PAUSED" });
      } else throw asErrors.groupActionInvalid();
    });
    return { status: 204 };
  },
});

export const groupOperations = [
  createScalingGroup,
  listScalingGroups,
  showScalingGroup,
  updateScalingGroup,
  deleteScalingGroup,
  enableOrDisableScalingGroup,
];
