// ECS's recycle bin: when the project turns it on, DeleteServers puts a server created at least
// recycle_threshold_day days before into the bin instead of deleting it: the deleteSingleServer job stops
// it and marks it recycled (recycled_at), the server APIs stop showing it, and a purgeRecycledServer job
// due retention_hour hours later deletes it for good, freeing what the delete request asked. Reverting
// (a revertRecycledServer job) brings it back stopped; deleting it from the bin purges it at once.
import type { JobStep } from "../../kernel/jobs.ts";
import type { EcsContext } from "./context.ts";
import { releaseServer } from "./server-jobs.ts";
import type { ServerRow } from "./store-servers.ts";

export const RECYCLE_JOBS = { purge: "purgeRecycledServer", revert: "revertServer", revertOne: "revertSingleServer" } as const;

export interface RecycleBin {
  switch: "on" | "off";
  policy: { recycle_threshold_day: number; retention_hour: number };
}

/** The documentation's example values, taken as the defaults. */
const DEFAULT_BIN: RecycleBin = { switch: "off", policy: { recycle_threshold_day: 7, retention_hour: 24 } };
const DAY_MS = 86_400_000;

export function recycleBinOf(svc: EcsContext, projectId: string): RecycleBin {
  const saved = svc.store.settings.get(projectId, "recycle_bin") as Partial<RecycleBin> | undefined;
  return { switch: saved?.switch ?? DEFAULT_BIN.switch, policy: { ...DEFAULT_BIN.policy, ...saved?.policy } };
}

export function saveRecycleBin(svc: EcsContext, projectId: string, bin: RecycleBin): void {
  svc.store.settings.set(projectId, "recycle_bin", bin);
}

/** Whether deleting this server now puts it in the bin. */
export function goesToBin(svc: EcsContext, s: ServerRow, now: number): boolean {
  const bin = recycleBinOf(svc, s.project_id);
  return bin.switch === "on" && now - s.created_at >= bin.policy.recycle_threshold_day * DAY_MS;
}

/** Runs in the deleteSingleServer job: stops the server, hides it, and schedules its purge. */
export function recycleServer(ctx: EcsContext, s: ServerRow, opts: { deletePublicIp: unknown; deleteVolume: unknown }, now: number): void {
  ctx.store.servers.update(s.project_id, s.id, { status: "SHUTOFF", vm_state: "stopped", power_state: 4, task_state: null, recycled_at: now }, now);
  const hours = recycleBinOf(ctx, s.project_id).policy.retention_hour;
  ctx.jobs.submit({
    service: "ecs",
    projectId: s.project_id,
    jobType: RECYCLE_JOBS.purge,
    entities: { server_id: s.id },
    state: { recycled_at: now, delete_publicip: opts.deletePublicIp, delete_volume: opts.deleteVolume },
    dueAt: now + hours * 3_600_000,
  });
}

export function registerRecycleJobs(ctx: EcsContext): void {
  const recycled = (projectId: string, id: string) => {
    const s = ctx.store.servers.get(projectId, id);
    return s && s.status !== "DELETED" && s.recycled_at !== null ? s : undefined;
  };
  // A server reverted (or purged) since leaves the job nothing to do.
  ctx.jobs.register(RECYCLE_JOBS.purge, (job, now): JobStep => {
    const s = recycled(job.projectId, String(job.entities.server_id ?? ""));
    if (!s || s.recycled_at !== job.state.recycled_at) return { status: "SUCCESS" };
    releaseServer(ctx, s, { deletePublicIp: job.state.delete_publicip as boolean | undefined, deleteVolume: job.state.delete_volume as boolean | undefined });
    ctx.store.servers.update(s.project_id, s.id, { status: "DELETED", vm_state: "deleted", task_state: null, power_state: 0, terminated_at: now }, now);
    return { status: "SUCCESS" };
  });
  ctx.jobs.register(RECYCLE_JOBS.revertOne, (job, now): JobStep => {
    const id = String(job.entities.server_id ?? "");
    const s = recycled(job.projectId, id);
    if (!s) return { status: "FAIL", errorCode: "Ecs.0114", failReason: `Instance[${id}] could not be found.` };
    ctx.store.servers.update(s.project_id, s.id, { recycled_at: null, task_state: null }, now);
    return { status: "SUCCESS" };
  });
}
