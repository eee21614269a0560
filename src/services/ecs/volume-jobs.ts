// The jobs of AttachServerVolume and DetachServerVolume, run by the engine after the configured server
// delay: attachVolume attaches through EVS and records the volume as a data disk the server does not
// delete on termination; detachVolume detaches it. A refusal by EVS at run time (another request took the
// volume or the device first) fails the job with ECS's code. Job types must not clash with EVS's
// (createVolume, batchCreateVolume, extendVolume, deleteVolume) nor server-jobs.ts's.
import type { JobRecord, JobStep } from "../../kernel/jobs.ts";
import type { EcsContext } from "./context.ts";

export const VOLUME_JOB_TYPES = { attach: "attachVolume", detach: "detachVolume" } as const;

/** What an attach or detach job acts on, read back from its entities and state. */
function target(job: JobRecord) {
  return {
    serverId: String(job.entities.server_id ?? ""),
    volumeId: String(job.entities.volume_id ?? ""),
    device: String(job.state.device ?? ""),
  };
}

export function registerVolumeJobs(ctx: EcsContext): void {
  const live = (job: JobRecord, serverId: string) => {
    const s = ctx.store.servers.get(job.projectId, serverId);
    return s !== undefined && s.status !== "DELETED";
  };
  const missing = (serverId: string): JobStep => ({ status: "FAIL", errorCode: "Ecs.0114", failReason: `ECS [${serverId}] could not be found.` });

  ctx.jobs.register(VOLUME_JOB_TYPES.attach, (job) => {
    const t = target(job);
    if (!live(job, t.serverId)) return missing(t.serverId);
    const r = ctx.evs().attach(job.projectId, t.volumeId, t.serverId, t.device);
    if (!r.ok) {
      return { status: "FAIL", errorCode: "Ecs.0205", failReason: `Failed to attach disk ${t.volumeId} to ECS ${t.serverId} because ${r.message}` };
    }
    ctx.store.resources.add(t.serverId, { kind: "data_volume", resourceId: t.volumeId, deleteOnTermination: false });
    return { status: "SUCCESS" };
  });

  ctx.jobs.register(VOLUME_JOB_TYPES.detach, (job) => {
    const t = target(job);
    if (!live(job, t.serverId)) return missing(t.serverId);
    const r = ctx.evs().detach(job.projectId, t.volumeId, t.serverId);
    if (!r.ok) return { status: "FAIL", errorCode: "Ecs.0111", failReason: `Disk ${t.volumeId} is not in the attachment list for ECS ${t.serverId}.` };
    // The server's resource row may stay: releaseServer only looks at the volumes still attached.
    return { status: "SUCCESS" };
  });
}
