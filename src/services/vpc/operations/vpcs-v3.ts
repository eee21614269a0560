// VPC v3: /v3/{project_id}/vpc/vpcs, over the same tables as v1 (a VPC made through either is seen by
// both). Bodies carry request_id, lists page_info, filters may repeat (?id=a&id=b), errors are nested.
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import {
  Description,
  EnterpriseProjectId,
  Many,
  Marker,
  Name,
  V3Limit,
  V3Tags,
  dryRun,
  envOf,
  pageInfo,
  pageOf,
  paged,
  requireProject,
  vpcOperation,
  type VpcContext,
} from "../context.ts";
import { addExtendCidrs, createVpc, deleteVpc, removeExtendCidrs, requireVpc, updateVpc } from "../model/networks.ts";
import type { VpcRow } from "../store/index.ts";
import { vpcV3 } from "../views-v3.ts";

const VpcName = z.union([z.literal(""), Name]);

function view(ctx: HandlerContext<VpcContext, unknown>, v: VpcRow) {
  // The default route table (made on first need) and the VPC's custom ones.
  const custom = ctx.svc.store.documents.all(v.project_id, "routetable").filter((t) => {
    const doc = t.doc as { vpc_id?: unknown; default?: unknown };
    return doc.vpc_id === v.id && doc.default === false;
  }).length;
  return vpcV3(v, ctx.svc.store.networks.subnetsOfVpc(v.id).length, 1 + custom);
}

export const createVpcV3 = vpcOperation({
  name: "CreateVpc",
  method: "POST",
  path: "/v3/{project_id}/vpc/vpcs",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    vpc: z.object({
      name: VpcName.optional(),
      description: Description.optional(),
      cidr: z.string().max(64),
      enterprise_project_id: EnterpriseProjectId.optional(),
      tags: V3Tags.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.vpc;
    const env = envOf(ctx);
    const create = () =>
      createVpc(env, project, {
        name: b.name ?? "",
        description: b.description ?? "",
        cidr: b.cidr,
        enterpriseProjectId: b.enterprise_project_id,
        tags: b.tags ?? [],
      });
    if (ctx.input.body.dry_run) {
      dryRun(env.store, create);
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    return { status: 201, body: { request_id: ctx.request.requestId, vpc: view(ctx, create()) } };
  },
});

export const listVpcsV3 = vpcOperation({
  name: "ListVpcs",
  method: "GET",
  path: "/v3/{project_id}/vpc/vpcs",
  errorShape: "nested",
  query: z.object({
    limit: V3Limit.optional(),
    marker: Marker.optional(),
    id: Many.optional(),
    name: Many.optional(),
    description: Many.optional(),
    cidr: Many.optional(),
    enterprise_project_id: z.string().max(64).optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const filter = { ids: q.id, names: q.name, descriptions: q.description, cidrs: q.cidr, enterpriseProjectId: q.enterprise_project_id };
    const rows = paged(ctx.svc.store.networks.vpcs(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { request_id: ctx.request.requestId, vpcs: rows.map((v) => view(ctx, v)), page_info: pageInfo(rows, q.limit) } };
  },
});

export const showVpcV3 = vpcOperation({
  name: "ShowVpc",
  method: "GET",
  path: "/v3/{project_id}/vpc/vpcs/{vpc_id}",
  errorShape: "nested",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const v = requireVpc(envOf(ctx), project, ctx.input.path.vpc_id!);
    return { body: { request_id: ctx.request.requestId, vpc: view(ctx, v) } };
  },
});

export const updateVpcV3 = vpcOperation({
  name: "UpdateVpc",
  method: "PUT",
  path: "/v3/{project_id}/vpc/vpcs/{vpc_id}",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    vpc: z.object({ name: VpcName.optional(), description: Description.optional() }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const update = () => updateVpc(env, project, ctx.input.path.vpc_id!, ctx.input.body.vpc);
    if (ctx.input.body.dry_run) {
      dryRun(env.store, update);
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    return { body: { request_id: ctx.request.requestId, vpc: view(ctx, update()) } };
  },
});

export const deleteVpcV3 = vpcOperation({
  name: "DeleteVpc",
  method: "DELETE",
  path: "/v3/{project_id}/vpc/vpcs/{vpc_id}",
  errorShape: "nested",
  handle(ctx) {
    deleteVpc(envOf(ctx), requireProject(ctx.scope), ctx.input.path.vpc_id!);
    return { status: 204 };
  },
});

const ExtendBody = z.object({ dry_run: z.boolean().optional(), vpc: z.object({ extend_cidrs: z.array(z.string().max(64)).min(1).max(5) }) });

function extendOperation(name: string, action: "add" | "remove") {
  return vpcOperation({
    name,
    method: "PUT",
    path: `/v3/{project_id}/vpc/vpcs/{vpc_id}/${action}-extend-cidr`,
    errorShape: "nested",
    body: ExtendBody,
    handle(ctx) {
      const env = envOf(ctx);
      const change = () => (action === "add" ? addExtendCidrs : removeExtendCidrs)(env, requireProject(ctx.scope), ctx.input.path.vpc_id!, ctx.input.body.vpc.extend_cidrs);
      if (ctx.input.body.dry_run) {
        dryRun(env.store, change);
        return { status: 202, body: { request_id: ctx.request.requestId } };
      }
      return { body: { request_id: ctx.request.requestId, vpc: view(ctx, change()) } };
    },
  });
}

export const vpcOperationsV3 = [
  createVpcV3,
  listVpcsV3,
  showVpcV3,
  updateVpcV3,
  deleteVpcV3,
  extendOperation("AddVpcExtendCidr", "add"),
  extendOperation("RemoveVpcExtendCidr", "remove"),
];
