// VPC v1 private IPs and quotas. A private IP is a port without a device (its id is the port's id), so the
// subnet's list shows every address in use: private IPs and the ports of servers alike.
import { z } from "../../../kernel/zod.ts";
import { Id, Marker, V1Limit, envOf, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { createPort, deletePortByUser, portFailureError, requirePort, type PortRequest } from "../model/ports.ts";
import { requireSubnet } from "../model/networks.ts";
import { ensureDefaultGroup } from "../model/security.ts";
import { QUOTA_TYPES, quotaUsage } from "../quotas.ts";
import * as views from "../views.ts";
import { vpcErrors } from "../errors.ts";

export const createPrivateipV1 = vpcOperation({
  name: "CreatePrivateip",
  method: "POST",
  path: "/v1/{project_id}/privateips",
  body: z.object({
    privateips: z
      .array(z.object({ subnet_id: Id, ip_address: z.string().max(64).optional() }))
      .min(1)
      .max(100),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    // All or nothing: a failure part-way rolls the earlier ones back.
    const created = env.store.tx(() =>
      ctx.input.body.privateips.map((p) => {
        const req: PortRequest = {
          subnetId: p.subnet_id,
          ipAddress: p.ip_address,
          securityGroupIds: [],
          deviceId: "",
          deviceOwner: "",
          name: "",
          kind: "privateip",
        };
        const subnet = env.store.networks.subnet(project.projectId, p.subnet_id);
        if (!subnet) throw vpcErrors.subnetNotFound(p.subnet_id);
        const r = createPort(env, project.projectId, req);
        if (!r.ok) throw portFailureError(r, req, subnet);
        return r.port;
      }),
    );
    return { body: { privateips: created.map(views.privateIp) } };
  },
});

export const listPrivateipsV1 = vpcOperation({
  name: "ListPrivateips",
  method: "GET",
  path: "/v1/{project_id}/subnets/{subnet_id}/privateips",
  query: z.object({ limit: V1Limit.optional(), marker: Marker.optional() }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const subnet = requireSubnet(env, project, ctx.input.path.subnet_id!);
    const q = ctx.input.query;
    const rows = paged(env.store.ports.ports(project.projectId, { subnetId: subnet.id }, pageOf(q)), q.marker);
    return { body: { privateips: rows.map(views.privateIp) } };
  },
});

export const showPrivateipV1 = vpcOperation({
  name: "ShowPrivateip",
  method: "GET",
  path: "/v1/{project_id}/privateips/{privateip_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const p = ctx.svc.store.ports.port(project.projectId, ctx.input.path.privateip_id!);
    if (!p) throw vpcErrors.privateIpNotFound(ctx.input.path.privateip_id!);
    return { body: { privateip: views.privateIp(p) } };
  },
});

export const deletePrivateipV1 = vpcOperation({
  name: "DeletePrivateip",
  method: "DELETE",
  path: "/v1/{project_id}/privateips/{privateip_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const id = ctx.input.path.privateip_id!;
    if (!env.store.ports.port(project.projectId, id)) throw vpcErrors.privateIpNotFound(id);
    deletePortByUser(env, project.projectId, requirePort(env, project.projectId, id));
    return { status: 204 };
  },
});

export const showQuotaV1 = vpcOperation({
  name: "ShowQuota",
  method: "GET",
  path: "/v1/{project_id}/quotas",
  query: z.object({ type: z.enum(QUOTA_TYPES).optional() }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    ensureDefaultGroup(env, project.projectId);
    return { body: { quotas: views.quotas(quotaUsage(env.store, project.projectId), ctx.input.query.type) } };
  },
});

export const privateIpOperations = [createPrivateipV1, listPrivateipsV1, showPrivateipV1, deletePrivateipV1, showQuotaV1];
