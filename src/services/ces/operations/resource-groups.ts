// Resource groups, v1 (/V1.0/…/resource-groups) and v2 (/v2/…/resource-groups): manual groups of resources,
// each a namespace and its dimensions. hwlocal knows no health of a resource: every resource and group is
// "health" (no alarm fires against a group here). v2's TAG/EPS/COMB groups keep their type, with no
// dynamic matching.
import { z } from "../../../kernel/zod.ts";
import { cesOperation, intParam, offsetLimit, PROJECT_PATH, requireProject, V2_PATH, type CesContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { cesId, dimension, groupResource, type Group, type GroupResource } from "../resources.ts";
import { requireTemplate } from "./templates.ts";

/** Huawei's quota: 1000 resources a group; hwlocal keeps 100 groups a project. */
export const GROUP_RESOURCE_LIMIT = 1000;
export const GROUP_LIMIT = 100;
const NAME = z.string().regex(/^[\p{L}\p{N}_-]{1,128}$/u);

export function requireGroup(svc: CesContext, projectId: string, id: string): Doc<Group> {
  const g = svc.docs.groups.get(projectId, id);
  if (!g) throw cesErrors.notFound(`resource group ${id.slice(0, 64)}`);
  return g;
}

const resKey = (r: GroupResource) => `${r.namespace}|${[...r.dimensions].sort((a, b) => a.name.localeCompare(b.name)).map((d) => `${d.name}=${d.value}`).join(",")}`;

/** The union of two resource lists, in order, without duplicates. */
function merge(have: GroupResource[], add: GroupResource[]): GroupResource[] {
  const seen = new Set(have.map(resKey));
  const out = [...have];
  for (const r of add) {
    if (seen.has(resKey(r))) continue;
    seen.add(resKey(r));
    out.push(r);
  }
  if (out.length > GROUP_RESOURCE_LIMIT) throw cesErrors.bodyInvalid(`A group holds at most ${GROUP_RESOURCE_LIMIT} resources.`);
  return out;
}

function create(ctx: { svc: CesContext; projectId: string; now: number; id: string }, g: Omit<Group, "updatedAt" | "template_ids">): void {
  const all = ctx.svc.docs.groups.list(ctx.projectId);
  if (all.some((o) => o.doc.group_name === g.group_name)) throw cesErrors.bodyInvalid(`group_name ${g.group_name} exists.`);
  if (all.length >= GROUP_LIMIT) throw cesErrors.forbidden(`The resource group quota (${GROUP_LIMIT}) is used up.`);
  ctx.svc.docs.groups.put(ctx.projectId, { id: ctx.id, parent: "", createdAt: ctx.now, doc: { ...g, resources: merge([], g.resources), template_ids: [], updatedAt: ctx.now } });
}

function rename(svc: CesContext, projectId: string, g: Doc<Group>, name: string): void {
  if (svc.docs.groups.list(projectId).some((o) => o.id !== g.id && o.doc.group_name === name)) throw cesErrors.bodyInvalid(`group_name ${name} exists.`);
}

// v1 ------------------------------------------------------------------------------------------------------

const V1Body = z.object({ group_name: NAME, resources: z.array(groupResource()).min(1).max(GROUP_RESOURCE_LIMIT), enterprise_project_id: z.string().max(64).optional() });

export const createResourceGroupV1 = cesOperation({
  name: "CreateResourceGroup",
  method: "POST",
  path: `${PROJECT_PATH}/resource-groups`,
  body: V1Body,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const id = cesId("rg", ctx.ids);
    create({ svc: ctx.svc, projectId, now: ctx.clock.now(), id }, { group_name: b.group_name, type: "Manual", enterprise_project_id: b.enterprise_project_id ?? "0", resources: b.resources });
    return { status: 201, body: { group_id: id } };
  },
});

const v1Summary = (g: Doc<Group>) => ({
  group_name: g.doc.group_name,
  group_id: g.id,
  create_time: g.createdAt,
  instance_statistics: { unhealth: 0, total: g.doc.resources.length, type_statistics: new Set(g.doc.resources.map((r) => r.namespace)).size },
  status: "health",
  enterprise_project_id: g.doc.enterprise_project_id,
});

export const listResourceGroupV1 = cesOperation({
  name: "ListResourceGroup",
  method: "GET",
  path: `${PROJECT_PATH}/resource-groups`,
  query: z.object({ group_name: z.string().optional(), group_id: z.string().optional(), status: z.string().optional(), start: z.string().optional(), limit: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const start = intParam(q.start, "start", 0, 1e9, 0);
    const limit = intParam(q.limit, "limit", 1, 100, 100);
    const list = ctx.svc.docs.groups.list(projectId).filter((g) =>
      (q.group_name === undefined || g.doc.group_name.includes(q.group_name)) && (q.group_id === undefined || g.id === q.group_id)
      && (q.status === undefined || q.status === "health"));
    return { body: { resource_groups: list.slice(start, start + limit).map(v1Summary), meta_data: { total: list.length } } };
  },
});

export const showResourceGroupV1 = cesOperation({
  name: "ShowResourceGroup",
  method: "GET",
  path: `${PROJECT_PATH}/resource-groups/{group_id}`,
  query: z.object({ status: z.string().optional(), namespace: z.string().optional(), dname: z.string().optional(), start: z.string().optional(), limit: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    const q = ctx.input.query;
    const start = intParam(q.start, "start", 0, 1e9, 0);
    const limit = intParam(q.limit, "limit", 1, 100, 100);
    const res = g.doc.resources.filter((r) => (q.namespace === undefined || r.namespace === q.namespace) && (q.dname === undefined || r.dimensions.some((d) => d.name === q.dname))
      && (q.status === undefined || q.status === "health"));
    const page = res.slice(start, start + limit);
    return {
      body: {
        group_name: g.doc.group_name, group_id: g.id, create_time: g.createdAt, status: "health", enterprise_project_id: g.doc.enterprise_project_id,
        resources: page.map((r) => ({ ...r, status: "health", event_type: 0 })),
        meta_data: { count: page.length, total: res.length, marker: "" },
      },
    };
  },
});

export const updateResourceGroupV1 = cesOperation({
  name: "UpdateResourceGroup",
  method: "PUT",
  path: `${PROJECT_PATH}/resource-groups/{group_id}`,
  body: z.object({ group_name: NAME, resources: z.array(groupResource()).max(GROUP_RESOURCE_LIMIT).optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    const b = ctx.input.body;
    rename(ctx.svc, projectId, g, b.group_name);
    const resources = b.resources === undefined ? g.doc.resources : merge([], b.resources);
    ctx.svc.docs.groups.put(projectId, { ...g, doc: { ...g.doc, group_name: b.group_name, resources, updatedAt: ctx.clock.now() } });
    return { status: 204 };
  },
});

export const deleteResourceGroupV1 = cesOperation({
  name: "DeleteResourceGroup",
  method: "DELETE",
  path: `${PROJECT_PATH}/resource-groups/{group_id}`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    ctx.svc.docs.groups.delete(projectId, g.id);
    return { status: 204 };
  },
});

// v2 ------------------------------------------------------------------------------------------------------

const V2Resource = z.object({ namespace: z.string().min(3).max(32).optional(), dimensions: z.array(dimension()).min(1).max(4) });
const toResources = (rs: z.output<typeof V2Resource>[]): GroupResource[] => rs.map((r) => {
  if (r.namespace === undefined) throw cesErrors.bodyInvalid("resources.namespace is required.");
  return { namespace: r.namespace, dimensions: r.dimensions };
});

const iso = (ms: number) => new Date(ms).toISOString();

const v2Summary = (g: Doc<Group>) => ({
  group_name: g.doc.group_name,
  group_id: g.id,
  create_time: iso(g.createdAt),
  update_time: iso(g.doc.updatedAt),
  enterprise_project_id: g.doc.enterprise_project_id,
  type: g.doc.type,
  status: "health",
  event_status: "health",
  resource_statistics: { unhealthy: 0, total: g.doc.resources.length, event_unhealthy: 0, namespaces: new Set(g.doc.resources.map((r) => r.namespace)).size },
  association_alarm_templates: g.doc.template_ids.map((template_id) => ({ template_id })),
  resource_level: "dimension",
});

export const createResourceGroupV2 = cesOperation({
  name: "CreateResourceGroup",
  method: "POST",
  path: `${V2_PATH}/resource-groups`,
  body: z.object({
    group_name: NAME, enterprise_project_id: z.string().max(64).optional(), type: z.enum(["EPS", "TAG", "NAME", "COMB"]).optional(),
    resources: z.array(V2Resource).max(GROUP_RESOURCE_LIMIT).optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const id = cesId("rg", ctx.ids);
    create({ svc: ctx.svc, projectId, now: ctx.clock.now(), id }, { group_name: b.group_name, type: b.type ?? "Manual", enterprise_project_id: b.enterprise_project_id ?? "0", resources: toResources(b.resources ?? []) });
    return { body: { group_id: id } };
  },
});

export const listResourceGroupsV2 = cesOperation({
  name: "ListResourceGroups",
  method: "GET",
  path: `${V2_PATH}/resource-groups`,
  query: z.object({
    enterprise_project_id: z.string().optional(), group_name: z.string().optional(), group_id: z.string().optional(), offset: z.string().optional(),
    limit: z.string().optional(), type: z.enum(["EPS", "TAG", "Manual", "COMB", "NAME"]).optional(), status: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = offsetLimit(q);
    const list = ctx.svc.docs.groups.list(projectId).filter((g) =>
      (q.group_name === undefined || g.doc.group_name.includes(q.group_name)) && (q.group_id === undefined || g.id === q.group_id)
      && (q.type === undefined || g.doc.type === q.type) && (q.enterprise_project_id === undefined || g.doc.enterprise_project_id === q.enterprise_project_id)
      && (q.status === undefined || q.status === "health"));
    return { body: { count: list.length, resource_groups: list.slice(offset, offset + limit).map(v2Summary) } };
  },
});

export const showResourceGroupV2 = cesOperation({
  name: "ShowResourceGroup",
  method: "GET",
  path: `${V2_PATH}/resource-groups/{group_id}`,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    return { body: { ...v2Summary(g), tags: [], association_ep_ids: [] } };
  },
});

export const updateResourceGroupV2 = cesOperation({
  name: "UpdateResourceGroup",
  method: "PUT",
  path: `${V2_PATH}/resource-groups/{group_id}`,
  body: z.object({ group_name: NAME }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    rename(ctx.svc, projectId, g, ctx.input.body.group_name);
    ctx.svc.docs.groups.put(projectId, { ...g, doc: { ...g.doc, group_name: ctx.input.body.group_name, updatedAt: ctx.clock.now() } });
    return { status: 204 };
  },
});

export const batchDeleteResourceGroups = cesOperation({
  name: "BatchDeleteResourceGroups",
  method: "POST",
  path: `${V2_PATH}/resource-groups/batch-delete`,
  body: z.object({ group_ids: z.array(z.string()).min(1).max(100) }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const ids = ctx.input.body.group_ids;
    for (const id of ids) requireGroup(ctx.svc, projectId, id);
    ctx.svc.docs.table.tx(() => ids.forEach((id) => ctx.svc.docs.groups.delete(projectId, id)));
    return { body: { group_ids: ids } };
  },
});

const ResourcesBody = z.object({ resources: z.array(V2Resource).min(1).max(GROUP_RESOURCE_LIMIT) });

export const batchCreateResources = cesOperation({
  name: "BatchCreateResources",
  method: "POST",
  path: `${V2_PATH}/resource-groups/{group_id}/resources/batch-create`,
  body: ResourcesBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    const resources = merge(g.doc.resources, toResources(ctx.input.body.resources));
    ctx.svc.docs.groups.put(projectId, { ...g, doc: { ...g.doc, resources, updatedAt: ctx.clock.now() } });
    return { body: { succeed_count: resources.length - g.doc.resources.length } };
  },
});

export const batchDeleteResources = cesOperation({
  name: "BatchDeleteResources",
  method: "POST",
  path: `${V2_PATH}/resource-groups/{group_id}/resources/batch-delete`,
  body: ResourcesBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    const gone = new Set(toResources(ctx.input.body.resources).map(resKey));
    const resources = g.doc.resources.filter((r) => !gone.has(resKey(r)));
    ctx.svc.docs.groups.put(projectId, { ...g, doc: { ...g.doc, resources, updatedAt: ctx.clock.now() } });
    return { body: { succeed_count: g.doc.resources.length - resources.length } };
  },
});

/** service is the namespace's service part, lower case ("ecs" for SYS.ECS). */
export const listResourceGroupsServicesResources = cesOperation({
  name: "ListResourceGroupsServicesResources",
  method: "GET",
  path: `${V2_PATH}/resource-groups/{group_id}/services/{service}/resources`,
  query: z.object({
    offset: z.string().optional(), limit: z.string().optional(), dim_name: z.string().optional(), status: z.string().optional(),
    dim_value: z.string().optional(), tag: z.string().optional(), extend_relation_id: z.string().optional(), product_name: z.string().optional(),
    resource_name: z.string().optional(), event_status: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    const service = (ctx.input.path.service ?? "").toLowerCase();
    const q = ctx.input.query;
    const { offset, limit } = offsetLimit(q);
    const res = g.doc.resources.filter((r) => (r.namespace.split(".")[1] ?? "").toLowerCase() === service)
      .filter((r) => (q.dim_name === undefined || r.dimensions.some((d) => d.name === q.dim_name)) && (q.dim_value === undefined || r.dimensions.some((d) => d.value === q.dim_value)))
      .filter(() => (q.status === undefined || q.status === "health") && (q.event_status === undefined || q.event_status === "health"));
    const resources = res.slice(offset, offset + limit).map((r) => ({ status: "health", event_status: "health", dimensions: r.dimensions, enterprise_project_id: g.doc.enterprise_project_id }));
    return { body: { count: res.length, resources } };
  },
});

export const updateResourceGroupAssociationAlarmTemplate = cesOperation({
  name: "UpdateResourceGroupAssociationAlarmTemplate",
  method: "PUT",
  path: `${V2_PATH}/resource-groups/{group_id}/alarm-templates/async-association`,
  body: z.object({ template_ids: z.array(z.string()).max(50), notification_enabled: z.boolean().optional() }).passthrough(),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.group_id!);
    const ids = ctx.input.body.template_ids;
    for (const id of ids) requireTemplate(ctx.svc, projectId, id);
    ctx.svc.docs.groups.put(projectId, { ...g, doc: { ...g.doc, template_ids: [...new Set(ids)], updatedAt: ctx.clock.now() } });
    return { body: { group_id: g.id, template_ids: [...new Set(ids)] } };
  },
});

export const resourceGroupOperations = [
  createResourceGroupV1, listResourceGroupV1, showResourceGroupV1, updateResourceGroupV1, deleteResourceGroupV1,
  createResourceGroupV2, listResourceGroupsV2, showResourceGroupV2, updateResourceGroupV2, batchDeleteResourceGroups,
  batchCreateResources, batchDeleteResources, listResourceGroupsServicesResources, updateResourceGroupAssociationAlarmTemplate,
];
