// Bandwidths: /v1/{project_id}/bandwidths (list, show, update) for every bandwidth, and the v2.0 shared
// (WHOLE) bandwidth create and delete. A PER bandwidth is born and dies with its EIP.
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { EnterpriseProjectId, Marker, V1Limit, eipOperation, envOf, pageOf, paged, requireProject, type VpcContext } from "../context.ts";
import { createSharedBandwidth, deleteSharedBandwidth, requireBandwidth } from "../model/publicips.ts";
import type { BandwidthRow } from "../store/index.ts";
import { bandwidth } from "../views-v3.ts";

const BandwidthName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.-]+$/u, "may hold only letters, digits, '_', '-' and '.'");
const Size = z.number().int().min(1).max(2000);

function view(ctx: HandlerContext<VpcContext, unknown>, b: BandwidthRow) {
  return bandwidth(b, ctx.svc.store.publicIps.publicIpsOfBandwidth(b.id));
}

export const listBandwidths = eipOperation({
  name: "ListBandwidths",
  method: "GET",
  path: "/v1/{project_id}/bandwidths",
  query: z.object({
    marker: Marker.optional(),
    limit: V1Limit.optional(),
    enterprise_project_id: z.string().max(64).optional(),
    share_type: z.enum(["PER", "WHOLE"]).optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const filter = { shareType: q.share_type, enterpriseProjectId: q.enterprise_project_id };
    const rows = paged(ctx.svc.store.publicIps.bandwidths(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { bandwidths: rows.map((b) => view(ctx, b)) } };
  },
});

export const showBandwidth = eipOperation({
  name: "ShowBandwidth",
  method: "GET",
  path: "/v1/{project_id}/bandwidths/{bandwidth_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    return { body: { bandwidth: view(ctx, requireBandwidth(envOf(ctx), project.projectId, ctx.input.path.bandwidth_id!)) } };
  },
});

export const updateBandwidth = eipOperation({
  name: "UpdateBandwidth",
  method: "PUT",
  path: "/v1/{project_id}/bandwidths/{bandwidth_id}",
  body: z.object({ bandwidth: z.object({ name: BandwidthName.optional(), size: Size.optional() }) }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const id = ctx.input.path.bandwidth_id!;
    requireBandwidth(env, project.projectId, id);
    env.store.publicIps.updateBandwidth(id, ctx.input.body.bandwidth, env.clock.now());
    return { body: { bandwidth: view(ctx, requireBandwidth(env, project.projectId, id)) } };
  },
});

export const createSharedBandwidthOp = eipOperation({
  name: "CreateSharedBandwidth",
  method: "POST",
  path: "/v2.0/{project_id}/bandwidths",
  body: z.object({
    bandwidth: z.object({ name: BandwidthName, size: Size, enterprise_project_id: EnterpriseProjectId.optional() }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.bandwidth;
    const row = createSharedBandwidth(envOf(ctx), project.projectId, { name: b.name, size: b.size, enterpriseProjectId: b.enterprise_project_id });
    return { body: { bandwidth: view(ctx, row) } };
  },
});

export const deleteSharedBandwidthOp = eipOperation({
  name: "DeleteSharedBandwidth",
  method: "DELETE",
  path: "/v2.0/{project_id}/bandwidths/{bandwidth_id}",
  handle(ctx) {
    deleteSharedBandwidth(envOf(ctx), requireProject(ctx.scope).projectId, ctx.input.path.bandwidth_id!);
    return { status: 204 };
  },
});

export const bandwidthOperations = [listBandwidths, showBandwidth, updateBandwidth, createSharedBandwidthOp, deleteSharedBandwidthOp];
