// Creating servers: CreatePostPaidServers (POST /v1/{project_id}/cloudservers) and CreateServers
// (POST /v1.1/{project_id}/cloudservers, which also takes prePaid extendparam; hwlocal bills nothing, so
// both create pay-per-use servers). The request is checked against real resources at once; the servers are
// rows in BUILD and a createServer job with one createSingleServer sub-job each does the rest.
import { z } from "zod";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { JOB_TYPES } from "../server-jobs.ts";
import { CreateServerBody, planServers } from "../server-spec.ts";

const ClientToken = z.object({ "x-client-token": z.string().min(1).max(64).optional() });

function createOperation(name: string, path: string) {
  return ecsOperation({
    name,
    method: "POST",
    path,
    body: CreateServerBody,
    headers: ClientToken,
    handle(ctx) {
      const scope = projectScope(ctx.scope);
      const { store, jobs } = ctx.svc;
      const req = ctx.input.body.server;
      const token = ctx.input.headers["x-client-token"];
      // A retried request with the same X-Client-Token gets the first answer, and creates nothing more.
      const earlier = token ? store.resources.clientToken(scope.projectId, token) : undefined;
      if (earlier) return { body: { job_id: earlier.jobId, serverIds: earlier.serverIds } };

      const { plan, count } = planServers(scope, req, { store, vpc: ctx.svc.vpc(), ims: ctx.svc.ims() });
      if (ctx.input.body.dry_run) return { status: 202 };

      const now = ctx.clock.now();
      const rename = count > 1 && req.isAutoRename !== false;
      const reservationId = `r-${ctx.ids.hex32().slice(0, 8)}`;
      const tags = [
        ...(req.server_tags ?? []),
        ...(req.tags ?? []).map((t) => {
          const dot = t.indexOf(".");
          return dot < 0 ? { key: t, value: "" } : { key: t.slice(0, dot), value: t.slice(dot + 1) };
        }),
      ];
      const groupId = req["os:scheduler_hints"]?.group;
      if (groupId !== undefined && !store.serverGroups.get(scope.projectId, groupId)) throw ecsErrors.serverGroupNotFound(groupId);
      const serverIds = store.tx(() => {
        const made = Array.from({ length: count }, (_, i) =>
          store.servers.insert({
            id: ctx.ids.uuid(),
            project_id: scope.projectId,
            user_id: scope.userId,
            name: rename ? `${req.name}-${String(i + 1).padStart(4, "0")}` : req.name,
            description: req.description ?? "",
            status: "BUILD",
            vm_state: "building",
            task_state: "scheduling",
            power_state: 0,
            flavor_id: plan.flavorId,
            image_id: plan.imageId,
            vpc_id: plan.vpcId,
            availability_zone: plan.availabilityZone,
            key_name: req.key_name ?? null,
            user_data: req.user_data ?? null,
            metadata: req.metadata ?? {},
            tags,
            security_group_ids: plan.securityGroupIds,
            root_volume_id: null,
            server_group_id: groupId ?? null,
            host_id: ctx.ids.hex32(),
            reservation_id: reservationId,
            launch_index: i,
            enterprise_project_id: req.extendparam?.enterprise_project_id ?? "0",
            client_token: token ?? null,
            created_at: now,
          }).id,
        );
        const jobId = jobs.submit(
          { service: "ecs", projectId: scope.projectId, jobType: JOB_TYPES.create },
          made.map((id) => ({ jobType: JOB_TYPES.createOne, entities: { server_id: id }, state: { plan } })),
        );
        if (token) store.resources.saveClientToken(scope.projectId, token, jobId, made, now);
        return { jobId, made };
      });
      return { body: { job_id: serverIds.jobId, serverIds: serverIds.made } };
    },
  });
}

export const serverCreateOperations = [
  createOperation("CreatePostPaidServers", "/v1/{project_id}/cloudservers"),
  createOperation("CreateServers", "/v1.1/{project_id}/cloudservers"),
];
