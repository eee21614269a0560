// Volumes across servers: BatchAttachSharableVolumes (one shared volume to several servers) and
// BatchDetachVolumes (one volume from several servers), each a parent job whose sub-jobs are the
// attachVolume/detachVolume jobs of AttachServerVolume and DetachServerVolume (volume-jobs.ts);
// ShowAppendableVolumeQuota (the disks a server may still take) and UpdateServerBlockDevice (whether a data
// disk goes with its server).
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { VOLUME_JOB_TYPES } from "../volume-jobs.ts";
import { requireServer } from "./server-common.ts";
import { MAX_BLK, MAX_SCSI, planAttach, submitDetachPlan } from "./server-volumes.ts";

const Device = z.string().regex(/^\/dev\/(vd|sd|xvd)[a-z]{1,2}$/, "must be a device name such as /dev/vdb");

export const batchAttachSharableVolumes = ecsOperation({
  name: "BatchAttachSharableVolumes",
  method: "POST",
  path: "/v1/{project_id}/batchaction/attachvolumes/{volume_id}",
  body: z.object({ serverinfo: z.array(z.object({ server_id: z.string().min(1).max(64), device: Device.optional() })).min(1).max(16) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const volumeId = ctx.input.path.volume_id!;
    const evs = ctx.svc.evs();
    const v = evs.volume(scope.projectId, volumeId);
    if (!v) throw ecsErrors.volumeNotFound(volumeId);
    if (!v.multiattach) throw ecsErrors.invalidParameter(`The disk ${volumeId} is not shareable.`);
    const info = ctx.input.body.serverinfo;
    if (new Set(info.map((i) => i.server_id)).size !== info.length) throw ecsErrors.invalidParameter("serverinfo: an ECS appears twice.");
    const plans = info.map((i) => {
      const s = requireServer(ctx.svc, scope.projectId, i.server_id);
      return { server: s, device: planAttach(ctx.svc, scope, s, { volumeId, device: i.device }).device };
    });
    const due = ctx.clock.now() + ctx.svc.bootMs;
    const jobId = ctx.svc.jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: "batchAttachSharableVolumes", entities: { volume_id: volumeId } },
      plans.map((p) => ({ jobType: VOLUME_JOB_TYPES.attach, entities: { server_id: p.server.id, volume_id: volumeId }, state: { device: p.device }, dueAt: due })),
    );
    return { body: { job_id: jobId } };
  },
});

export const batchDetachVolumes = ecsOperation({
  name: "BatchDetachVolumes",
  method: "POST",
  path: "/v1/{project_id}/batchaction/detachvolumes/{volume_id}",
  // The API reference gives serverinfo as [{server_id}]; the SDK's model types it as a list of ids: both are read.
  body: z.object({ serverinfo: z.array(z.union([z.string().min(1).max(64), z.object({ server_id: z.string().min(1).max(64) })])).min(1).max(16) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const volumeId = ctx.input.path.volume_id!;
    if (!ctx.svc.evs().volume(scope.projectId, volumeId)) throw ecsErrors.volumeNotFound(volumeId);
    const info = ctx.input.body.serverinfo.map((i) => (typeof i === "string" ? { server_id: i } : i));
    if (new Set(info.map((i) => i.server_id)).size !== info.length) throw ecsErrors.invalidParameter("serverinfo: an ECS appears twice.");
    const servers = info.map((i) => requireServer(ctx.svc, scope.projectId, i.server_id));
    for (const s of servers) submitDetachPlan(ctx.svc, scope, s, volumeId);
    const due = ctx.clock.now() + ctx.svc.bootMs;
    const jobId = ctx.svc.jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: "batchDetachVolumes", entities: { volume_id: volumeId } },
      servers.map((s) => ({ jobType: VOLUME_JOB_TYPES.detach, entities: { server_id: s.id, volume_id: volumeId }, dueAt: due })),
    );
    return { body: { job_id: jobId } };
  },
});

export const showAppendableVolumeQuota = ecsOperation({
  name: "ShowAppendableVolumeQuota",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/appendvolumequota",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const n = ctx.svc.evs().volumesOfServer(scope.projectId, s.id).length;
    const free = Math.max(0, MAX_BLK - n);
    return { body: { count: free, free_scsi: Math.max(0, MAX_SCSI - n), free_blk: free } };
  },
});

export const updateServerBlockDevice = ecsOperation({
  name: "UpdateServerBlockDevice",
  method: "PUT",
  path: "/v1/{project_id}/cloudservers/{server_id}/block_device/{volume_id}",
  body: z.object({ block_device: z.object({ delete_on_termination: z.boolean() }) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const volumeId = ctx.input.path.volume_id!;
    const v = ctx.svc.evs().volume(scope.projectId, volumeId);
    if (!v?.attachments.some((a) => a.serverId === s.id)) throw ecsErrors.volumeNotAttached(volumeId, s.id);
    const keep = ctx.input.body.block_device.delete_on_termination;
    // The system disk always goes with its server here (releaseServer deletes it).
    if (volumeId === s.root_volume_id) {
      if (!keep) throw ecsErrors.invalidParameter("The system disk is always deleted with its ECS.");
      return { status: 204 };
    }
    ctx.svc.store.resources.add(s.id, { kind: "data_volume", resourceId: volumeId, deleteOnTermination: keep });
    return { status: 204 };
  },
});

export const serverVolumeBatchOperations = [batchAttachSharableVolumes, batchDetachVolumes, showAppendableVolumeQuota, updateServerBlockDevice];
