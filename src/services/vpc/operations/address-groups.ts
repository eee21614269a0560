// IP address groups (/v3/{project_id}/vpc/address-groups): create (dry_run), list (repeated filters,
// page_info), show, update, delete and force delete. v3 conventions: request_id, nested errors, 201 on create.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { Description, EnterpriseProjectId, Many, Marker, Name, V3Limit, V3Tags, dryRun, envOf, pageInfo, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { addressGroups, createAddressGroup, deleteAddressGroup, requireAddressGroup, updateAddressGroup, type AddressGroup } from "../model/address-groups.ts";
import { pageList } from "../store/documents.ts";

const IpSet = z.array(z.string().max(64)).max(20000);
const ExtraSet = z.array(z.object({ ip: z.string().max(64), remarks: Description.optional() })).max(20000);
const Capacity = z.number().int();

function view(g: AddressGroup) {
  return {
    id: g.row.id,
    name: g.doc.name,
    description: g.doc.description,
    max_capacity: g.doc.max_capacity,
    ip_set: g.doc.ip_set,
    ip_extra_set: g.doc.ip_extra_set,
    ip_version: g.doc.ip_version,
    status: "NORMAL",
    status_message: "",
    tenant_id: g.row.project_id,
    enterprise_project_id: g.doc.enterprise_project_id,
    tags: g.row.tags,
    created_at: isoSeconds(g.row.created_at),
    updated_at: isoSeconds(g.row.updated_at),
  };
}

export const createAddressGroupOp = vpcOperation({
  name: "CreateAddressGroup",
  method: "POST",
  path: "/v3/{project_id}/vpc/address-groups",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    address_group: z.object({
      name: Name,
      description: Description.optional(),
      ip_version: z.union([z.literal(4), z.literal(6)]),
      ip_set: IpSet.optional(),
      ip_extra_set: ExtraSet.optional(),
      max_capacity: Capacity.optional(),
      enterprise_project_id: EnterpriseProjectId.optional(),
      tags: V3Tags.optional(),
    }),
  }),
  handle(ctx) {
    const b = ctx.input.body.address_group;
    const env = envOf(ctx);
    const create = () =>
      createAddressGroup(
        env,
        requireProject(ctx.scope),
        {
          name: b.name,
          description: b.description ?? "",
          ip_version: b.ip_version,
          ip_set: b.ip_set ?? [],
          ip_extra_set: (b.ip_extra_set ?? []).map((e) => ({ ip: e.ip, remarks: e.remarks ?? "" })),
          max_capacity: b.max_capacity ?? 20,
          enterprise_project_id: b.enterprise_project_id ?? "0",
        },
        b.tags ?? [],
      );
    if (ctx.input.body.dry_run) {
      dryRun(env.store, create);
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    return { status: 201, body: { request_id: ctx.request.requestId, address_group: view(create()) } };
  },
});

export const listAddressGroup = vpcOperation({
  name: "ListAddressGroup",
  method: "GET",
  path: "/v3/{project_id}/vpc/address-groups",
  errorShape: "nested",
  query: z.object({
    limit: V3Limit.optional(),
    marker: Marker.optional(),
    id: Many.optional(),
    name: Many.optional(),
    description: Many.optional(),
    ip_version: z.enum(["4", "6"]).transform(Number).optional(),
    enterprise_project_id: z.string().max(64).optional(),
  }),
  handle(ctx) {
    const q = ctx.input.query;
    const items = addressGroups(envOf(ctx), requireProject(ctx.scope))
      .map(view)
      .filter(
        (g) =>
          (!q.id || q.id.includes(g.id)) &&
          (!q.name || q.name.includes(g.name)) &&
          (!q.description || q.description.includes(g.description)) &&
          (q.ip_version === undefined || g.ip_version === q.ip_version) &&
          (!q.enterprise_project_id || q.enterprise_project_id === "all_granted_eps" || g.enterprise_project_id === q.enterprise_project_id),
      );
    const page = paged(pageList(items, pageOf(q)), q.marker);
    return { body: { request_id: ctx.request.requestId, address_groups: page, page_info: pageInfo(page, q.limit) } };
  },
});

export const showAddressGroup = vpcOperation({
  name: "ShowAddressGroup",
  method: "GET",
  path: "/v3/{project_id}/vpc/address-groups/{address_group_id}",
  errorShape: "nested",
  handle(ctx) {
    const g = requireAddressGroup(envOf(ctx), requireProject(ctx.scope), ctx.input.path.address_group_id!);
    return { body: { request_id: ctx.request.requestId, address_group: view(g) } };
  },
});

export const updateAddressGroupOp = vpcOperation({
  name: "UpdateAddressGroup",
  method: "PUT",
  path: "/v3/{project_id}/vpc/address-groups/{address_group_id}",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    address_group: z.object({
      name: Name.optional(),
      description: Description.optional(),
      ip_set: IpSet.optional(),
      ip_extra_set: ExtraSet.optional(),
      max_capacity: Capacity.optional(),
    }),
  }),
  handle(ctx) {
    const b = ctx.input.body.address_group;
    const env = envOf(ctx);
    const update = () =>
      updateAddressGroup(env, requireProject(ctx.scope), ctx.input.path.address_group_id!, {
        ...b,
        ip_extra_set: b.ip_extra_set?.map((e) => ({ ip: e.ip, remarks: e.remarks ?? "" })),
      });
    if (ctx.input.body.dry_run) {
      dryRun(env.store, update);
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    return { body: { request_id: ctx.request.requestId, address_group: view(update()) } };
  },
});

export const deleteAddressGroupOp = vpcOperation({
  name: "DeleteAddressGroup",
  method: "DELETE",
  path: "/v3/{project_id}/vpc/address-groups/{address_group_id}",
  errorShape: "nested",
  handle(ctx) {
    deleteAddressGroup(envOf(ctx), requireProject(ctx.scope), ctx.input.path.address_group_id!, false);
    return { status: 204 };
  },
});

export const deleteIpAddressGroupForce = vpcOperation({
  name: "DeleteIpAddressGroupForce",
  method: "DELETE",
  path: "/v3/{project_id}/vpc/address-groups/{address_group_id}/force",
  errorShape: "nested",
  handle(ctx) {
    deleteAddressGroup(envOf(ctx), requireProject(ctx.scope), ctx.input.path.address_group_id!, true);
    return { status: 204 };
  },
});

export const addressGroupOperations = [createAddressGroupOp, listAddressGroup, showAddressGroup, updateAddressGroupOp, deleteAddressGroupOp, deleteIpAddressGroupForce];
