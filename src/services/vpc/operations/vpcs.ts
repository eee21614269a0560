// VPC v1: /v1/{project_id}/vpcs (the SDK's v2 module; reference §3.2).
import { z } from "../../../kernel/zod.ts";
import {
  Description,
  EnterpriseProjectId,
  Marker,
  Name,
  V1Limit,
  envOf,
  pageOf,
  paged,
  requireProject,
  vpcOperation,
} from "../context.ts";
import { createVpc, deleteVpc, requireVpc, updateVpc } from "../model/networks.ts";
import type { Tag } from "../store/index.ts";
import * as views from "../views.ts";

/** v1 tags are "key*value" strings. */
export const V1Tags = z
  .array(z.string().max(128))
  .max(20)
  .transform((tags, ctx): Tag[] => {
    const out: Tag[] = [];
    for (const t of tags) {
      const star = t.indexOf("*");
      if (star <= 0) {
        ctx.addIssue({ code: "custom", message: `tag ${t} is not "key*value"` });
        return z.NEVER;
      }
      out.push({ key: t.slice(0, star), value: t.slice(star + 1) });
    }
    return out;
  });

const VpcName = z.union([z.literal(""), Name]);

const Route = z.object({ destination: z.string().max(64), nexthop: z.string().max(64) });

export const createVpcV1 = vpcOperation({
  name: "CreateVpc",
  method: "POST",
  path: "/v1/{project_id}/vpcs",
  body: z.object({
    vpc: z.object({
      name: VpcName.optional(),
      description: Description.optional(),
      cidr: z.string().max(64).optional(),
      enterprise_project_id: EnterpriseProjectId.optional(),
      tags: V1Tags.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.vpc;
    const v = createVpc(envOf(ctx), project, {
      name: b.name ?? "",
      description: b.description ?? "",
      cidr: b.cidr,
      enterpriseProjectId: b.enterprise_project_id,
      tags: b.tags ?? [],
    });
    return { status: 200, body: { vpc: views.vpc(v) } };
  },
});

export const listVpcsV1 = vpcOperation({
  name: "ListVpcs",
  method: "GET",
  path: "/v1/{project_id}/vpcs",
  query: z.object({
    limit: V1Limit.optional(),
    marker: Marker.optional(),
    id: z.string().min(1).max(64).optional(),
    enterprise_project_id: z.string().max(64).optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const filter = { ids: q.id === undefined ? undefined : [q.id], enterpriseProjectId: q.enterprise_project_id };
    const rows = paged(ctx.svc.store.networks.vpcs(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { vpcs: rows.map(views.vpc) } };
  },
});

export const showVpcV1 = vpcOperation({
  name: "ShowVpc",
  method: "GET",
  path: "/v1/{project_id}/vpcs/{vpc_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    return { body: { vpc: views.vpc(requireVpc(envOf(ctx), project, ctx.input.path.vpc_id!)) } };
  },
});

export const updateVpcV1 = vpcOperation({
  name: "UpdateVpc",
  method: "PUT",
  path: "/v1/{project_id}/vpcs/{vpc_id}",
  body: z.object({
    vpc: z.object({
      name: VpcName.optional(),
      description: Description.optional(),
      cidr: z.string().max(64).optional(),
      routes: z.array(Route).max(200).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const v = updateVpc(envOf(ctx), project, ctx.input.path.vpc_id!, ctx.input.body.vpc);
    return { body: { vpc: views.vpc(v) } };
  },
});

export const deleteVpcV1 = vpcOperation({
  name: "DeleteVpc",
  method: "DELETE",
  path: "/v1/{project_id}/vpcs/{vpc_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    deleteVpc(envOf(ctx), project, ctx.input.path.vpc_id!);
    return { status: 204 };
  },
});

export const vpcOperationsV1 = [createVpcV1, listVpcsV1, showVpcV1, updateVpcV1, deleteVpcV1];
