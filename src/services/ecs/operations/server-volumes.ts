// Volumes on a server: AttachServerVolume and DetachServerVolume (each answers a job_id; volume-jobs.ts does
// the work), ListServerBlockDevices / ShowServerBlockDevice and nova's ListServerVolumeAttachments, all read
// from the volumes EVS has attached to the server.
import { z } from "../../../kernel/zod.ts";
import type { EvsVolume } from "../../evs/api.ts";
import { ecsOperation, projectScope, type EcsContext, type ProjectScope } from "../context.ts";
import type { LaunchContext } from "../server-launch.ts";
import { ecsErrors } from "../errors.ts";
import type { ServerRow } from "../store-servers.ts";
import { VOLUME_JOB_TYPES } from "../volume-jobs.ts";
import { requireServer } from "./server-common.ts";

/** Disks a KVM server takes on its VBD bus (Ecs.0042), and SCSI slots (reported only). */
export const MAX_BLK = 24;
export const MAX_SCSI = 60;

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const Device = z.string().regex(/^\/dev\/(vd|sd|xvd)[a-z]{1,2}$/, "must be a device name such as /dev/vdb");

/** The first free /dev/vdX after the system disk. */
function nextDevice(used: Set<string>): string | undefined {
  for (const c of LETTERS.slice(1)) if (!used.has(`/dev/vd${c}`)) return `/dev/vd${c}`;
  return undefined;
}

export function deviceOf(v: EvsVolume, serverId: string): string {
  return v.attachments.find((a) => a.serverId === serverId)?.device ?? "";
}

/** ServerBlockDevice: PCI slots follow the device letter (/dev/vda → 0000:02:01.0). */
function blockDevice(s: ServerRow, v: EvsVolume) {
  const device = deviceOf(v, s.id);
  const slot = Math.max(0, LETTERS.indexOf(device.slice(-1))) + 1;
  return {
    bootIndex: v.id === s.root_volume_id ? 0 : -1,
    pciAddress: `0000:02:${slot.toString(16).padStart(2, "0")}.0`,
    volumeId: v.id,
    device,
    serverId: s.id,
    id: v.id,
    size: v.size,
    bus: "virtio",
  };
}

const movable = (s: ServerRow) => s.status === "ACTIVE" || s.status === "SHUTOFF";

/** Checks an attachment of a volume to a server (AttachServerVolume, nova's os-volume_attachments): the device it gets. */
export function planAttach(svc: EcsContext, scope: ProjectScope, s: ServerRow, req: { volumeId: string; device?: string }) {
  if (!movable(s)) throw ecsErrors.attachStatus(s.id);
  if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
  const evs = svc.evs();
  const v = evs.volume(scope.projectId, req.volumeId);
  if (!v) throw ecsErrors.volumeNotFound(req.volumeId);
  if (v.attachments.some((a) => a.serverId === s.id)) throw ecsErrors.volumeAlreadyAttached(v.id);
  if (!(v.status === "available" || (v.status === "in-use" && v.multiattach))) throw ecsErrors.volumeUnavailable(v.id, `It is ${v.status}.`);
  if (v.availabilityZone !== s.availability_zone) {
    throw ecsErrors.invalidParameter(`The disk ${v.id} is in ${v.availabilityZone}, the ECS in ${s.availability_zone}.`);
  }
  const attached = evs.volumesOfServer(scope.projectId, s.id);
  if (attached.length >= MAX_BLK) throw ecsErrors.tooManyDisks(s.id);
  const used = new Set(attached.map((a) => deviceOf(a, s.id)));
  if (req.device !== undefined && used.has(req.device)) throw ecsErrors.invalidParameter(`The device ${req.device} is in use.`);
  const device = req.device ?? nextDevice(used);
  if (device === undefined) throw ecsErrors.tooManyDisks(s.id);
  return { volume: v, device };
}

/** The attachVolume job, done after the server delay (volume-jobs.ts). */
export function submitAttach(ctx: LaunchContext, scope: ProjectScope, a: { server: ServerRow; volume: EvsVolume; device: string }): string {
  return ctx.svc.jobs.submit({
    service: "ecs",
    projectId: scope.projectId,
    jobType: VOLUME_JOB_TYPES.attach,
    entities: { server_id: a.server.id, volume_id: a.volume.id },
    state: { device: a.device },
    dueAt: ctx.clock.now() + ctx.svc.bootMs,
  });
}

/** Checks a detachment of a volume from a server; the volume. */
export function submitDetachPlan(svc: EcsContext, scope: ProjectScope, s: ServerRow, volumeId: string, force = false): EvsVolume {
  // The system disk stays (the real cloud detaches it from a stopped server; hwlocal never does).
  if (volumeId === s.root_volume_id) throw ecsErrors.systemDiskDetach(s.id);
  const v = svc.evs().volume(scope.projectId, volumeId);
  if (!v?.attachments.some((a) => a.serverId === s.id)) throw ecsErrors.volumeNotAttached(volumeId, s.id);
  // delete_flag=1 forces the detach whatever the server is doing.
  if (!force && !movable(s)) throw ecsErrors.statusConflict(s.id, s.status);
  return v;
}

/** Checks a detachment (DetachServerVolume, nova's os-volume_attachments) and submits its detachVolume job. */
export function submitDetach(ctx: LaunchContext, scope: ProjectScope, s: ServerRow, volumeId: string, force = false): string {
  const v = submitDetachPlan(ctx.svc, scope, s, volumeId, force);
  return ctx.svc.jobs.submit({
    service: "ecs",
    projectId: scope.projectId,
    jobType: VOLUME_JOB_TYPES.detach,
    entities: { server_id: s.id, volume_id: v.id },
    dueAt: ctx.clock.now() + ctx.svc.bootMs,
  });
}

export const attachServerVolume = ecsOperation({
  name: "AttachServerVolume",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/attachvolume",
  body: z.object({
    volumeAttachment: z.object({
      volumeId: z.string().min(1).max(64),
      device: Device.optional(),
      volume_type: z.string().max(32).optional(),
      count: z.number().int().min(1).max(1).optional(),
      "hw:passthrough": z.union([z.string().max(8), z.boolean()]).optional(),
    }),
    dry_run: z.boolean().optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const { volume, device } = planAttach(ctx.svc, scope, s, ctx.input.body.volumeAttachment);
    if (ctx.input.body.dry_run) return { status: 202 };
    const jobId = submitAttach(ctx, scope, { server: s, volume, device });
    return { body: { job_id: jobId } };
  },
});

export const detachServerVolume = ecsOperation({
  name: "DetachServerVolume",
  method: "DELETE",
  path: "/v1/{project_id}/cloudservers/{server_id}/detachvolume/{volume_id}",
  query: z.object({ delete_flag: z.enum(["0", "1"]).optional() }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const jobId = submitDetach(ctx, scope, s, ctx.input.path.volume_id!, ctx.input.query.delete_flag === "1");
    return { body: { job_id: jobId } };
  },
});

export const listServerBlockDevices = ecsOperation({
  name: "ListServerBlockDevices",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/block_device",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const volumes = ctx.svc.evs().volumesOfServer(scope.projectId, s.id);
    const n = volumes.length;
    return {
      body: {
        attachableQuantity: { free_scsi: Math.max(0, MAX_SCSI - n), free_blk: Math.max(0, MAX_BLK - n), free_disk: Math.max(0, MAX_BLK - n) },
        volumeAttachments: volumes.map((v) => blockDevice(s, v)),
      },
    };
  },
});

export const showServerBlockDevice = ecsOperation({
  name: "ShowServerBlockDevice",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/block_device/{volume_id}",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const volumeId = ctx.input.path.volume_id!;
    const v = ctx.svc.evs().volume(scope.projectId, volumeId);
    if (!v?.attachments.some((a) => a.serverId === s.id)) throw ecsErrors.volumeNotAttached(volumeId, s.id);
    return { body: { volumeAttachment: blockDevice(s, v) } };
  },
});

export const listServerVolumeAttachments = ecsOperation({
  name: "ListServerVolumeAttachments",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/os-volume_attachments",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const volumes = ctx.svc.evs().volumesOfServer(scope.projectId, s.id);
    return {
      body: { volumeAttachments: volumes.map((v) => ({ device: deviceOf(v, s.id), id: v.id, serverId: s.id, volumeId: v.id })) },
    };
  },
});

export const serverVolumeOperations = [
  attachServerVolume,
  detachServerVolume,
  listServerBlockDevices,
  showServerBlockDevice,
  listServerVolumeAttachments,
];
