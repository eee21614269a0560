// Nova servers: NovaCreateServers (202, the first server of the request), NovaShowServer and NovaDeleteServer
// (204). A nova server is an ECS server like any other: the request is checked by planServers, made by the
// same createServer/createSingleServer jobs and deleted by deleteSingleServer; only the shapes differ.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, zonesOf } from "../context.ts";
import { NovaCreateBody, novaToV1 } from "../nova-spec.ts";
import { launchServers, submitServerDeletion } from "../server-launch.ts";
import { planServers } from "../server-spec.ts";
import { novaCreateResult, novaMinor, novaServer } from "../views-nova.ts";
import { requireServer } from "./server-common.ts";
import { serverParts } from "../server-parts.ts";

/** The microversion headers the nova operations send (OpenStack-API-Version is in the SDK's requests). */
export const NovaHeaders = z.object({
  "openstack-api-version": z.string().max(64).optional(),
  "x-openstack-nova-api-version": z.string().max(64).optional(),
});

/** NovaCreateServers, and its older spelling os-volumes_boot (the same request and answer in nova). */
const createOperation = (name: string, path: string) =>
  ecsOperation({
    name,
    method: "POST",
    path,
    body: NovaCreateBody,
    headers: NovaHeaders,
    handle(ctx) {
      const scope = projectScope(ctx.scope);
      const vpc = ctx.svc.vpc();
      const nova = ctx.input.body.server;
      const { plan, count } = planServers(scope, novaToV1(scope, nova, vpc), { store: ctx.svc.store, vpc, ims: ctx.svc.ims(), quota: ctx.svc.quota });
      const launched = launchServers(ctx, scope, {
        plan,
        count,
        // Nova names the servers of a multiple create "<name>-<n>", counting from 1.
        name: (i) => (count > 1 ? `${nova.name}-${i + 1}` : nova.name),
        description: nova.description,
        keyName: nova.key_name,
        userData: nova.user_data,
        metadata: nova.metadata,
        serverGroupId: ctx.input.body["os:scheduler_hints"]?.group,
      });
      const first = requireServer(ctx.svc, scope.projectId, launched.serverIds[0]!);
      const server = novaCreateResult(first, {
        links: { serviceBase: ctx.request.serviceBase, projectId: scope.projectId },
        securityGroupNames: plan.securityGroupIds.map((id) => vpc.securityGroup(scope.projectId, id)?.name ?? id),
        diskConfig: nova["OS-DCF:diskConfig"] ?? "MANUAL",
        adminPass: nova.adminPass,
        reservationId: nova.return_reservation_id ? launched.reservationId : undefined,
      });
      return { status: 202, body: { server } };
    },
  });

export const novaCreateServers = createOperation("NovaCreateServers", "/v2.1/{project_id}/servers");
export const novaCreateServersVolumesBoot = createOperation("NovaCreateServersVolumesBoot", "/v2.1/{project_id}/os-volumes_boot");

export const novaShowServer = ecsOperation({
  name: "NovaShowServer",
  method: "GET",
  path: "/v2.1/{project_id}/servers/{server_id}",
  headers: NovaHeaders,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const options = {
      links: { serviceBase: ctx.request.serviceBase, projectId: scope.projectId },
      minor: novaMinor(ctx.input.headers),
      zones: zonesOf(scope),
    };
    return { body: { server: novaServer(s, serverParts(ctx.svc, s), options) } };
  },
});

export const novaDeleteServer = ecsOperation({
  name: "NovaDeleteServer",
  method: "DELETE",
  path: "/v2.1/{project_id}/servers/{server_id}",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    // A second delete while the first runs changes nothing, as in nova.
    if (s.task_state !== "deleting") submitServerDeletion(ctx, scope, [s]);
    return { status: 204 };
  },
});

export const novaServerOperations = [novaCreateServers, novaCreateServersVolumesBoot, novaShowServer, novaDeleteServer];
