// Turning a checked ServerPlan into servers, shared by the v1 creates (servers-create.ts) and nova's
// (nova-servers.ts): one row per server in BUILD, then a createServer job with one createSingleServer
// sub-job each (server-jobs.ts), all in one transaction. Deleting goes through the same jobs too.
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import type { EcsContext, ProjectScope } from "./context.ts";
import { ecsErrors } from "./errors.ts";
import { JOB_TYPES } from "./server-jobs.ts";
import type { ServerPlan } from "./server-spec.ts";
import type { ServerRow, ServerTag } from "./store-servers.ts";

/** What a launch needs from a handler's context. */
export interface LaunchContext {
  svc: EcsContext;
  clock: Clock;
  ids: Ids;
}

export interface LaunchRequest {
  plan: ServerPlan;
  count: number;
  /** The name of the i-th server (0-based) of the batch. */
  name: (index: number) => string;
  description?: string;
  keyName?: string;
  userData?: string;
  metadata?: Record<string, string>;
  tags?: ServerTag[];
  serverGroupId?: string;
  enterpriseProjectId?: string;
  /** X-Client-Token of a v1 create: the answer is remembered for retries. */
  clientToken?: string;
}

export interface Launched {
  jobId: string;
  serverIds: string[];
  reservationId: string;
}

export function launchServers(ctx: LaunchContext, scope: ProjectScope, req: LaunchRequest): Launched {
  const { store, jobs } = ctx.svc;
  const groupId = req.serverGroupId;
  if (groupId !== undefined && !store.serverGroups.get(scope.projectId, groupId)) throw ecsErrors.serverGroupNotFound(groupId);
  const now = ctx.clock.now();
  const reservationId = `r-${ctx.ids.hex32().slice(0, 8)}`;
  const { plan } = req;
  return store.tx(() => {
    const serverIds = Array.from(
      { length: req.count },
      (_, i) =>
        store.servers.insert({
          id: ctx.ids.uuid(),
          project_id: scope.projectId,
          user_id: scope.userId,
          name: req.name(i),
          description: req.description ?? "",
          status: "BUILD",
          vm_state: "building",
          task_state: "scheduling",
          power_state: 0,
          flavor_id: plan.flavorId,
          image_id: plan.imageId,
          vpc_id: plan.vpcId,
          availability_zone: plan.availabilityZone,
          key_name: req.keyName ?? null,
          user_data: req.userData ?? null,
          metadata: req.metadata ?? {},
          tags: req.tags ?? [],
          security_group_ids: plan.securityGroupIds,
          root_volume_id: null,
          server_group_id: groupId ?? null,
          host_id: ctx.ids.hex32(),
          reservation_id: reservationId,
          launch_index: i,
          enterprise_project_id: req.enterpriseProjectId ?? "0",
          client_token: req.clientToken ?? null,
          created_at: now,
        }).id,
    );
    const jobId = jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: JOB_TYPES.create },
      serverIds.map((id) => ({ jobType: JOB_TYPES.createOne, entities: { server_id: id }, state: { plan } })),
    );
    if (req.clientToken) store.resources.saveClientToken(scope.projectId, req.clientToken, jobId, serverIds, now);
    return { jobId, serverIds, reservationId };
  });
}

export interface DeleteOptions {
  deletePublicIp?: boolean;
  deleteVolume?: boolean;
  /** Which servers go to the recycle bin (stopped, hidden) instead (recycle-bin.ts). */
  recycle?: (s: ServerRow) => boolean;
}

/** Marks the servers as deleting and submits a deleteServer job with a deleteSingleServer sub-job each. */
export function submitServerDeletion(ctx: LaunchContext, scope: ProjectScope, servers: ServerRow[], opts: DeleteOptions = {}): string {
  const { store, jobs, bootMs } = ctx.svc;
  const now = ctx.clock.now();
  return store.tx(() => {
    for (const s of servers) store.servers.update(scope.projectId, s.id, { task_state: "deleting" }, now);
    return jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: JOB_TYPES.delete },
      servers.map((s) => ({
        jobType: JOB_TYPES.deleteOne,
        entities: { server_id: s.id },
        state: { delete_publicip: opts.deletePublicIp, delete_volume: opts.deleteVolume, ...(opts.recycle?.(s) ? { recycle: true } : {}) },
        dueAt: now + bootMs,
      })),
    );
  });
}
