// EVS's asynchronous work as persistent engine jobs, named as EVS names them (createVolume, batchCreateVolume,
// extendVolume, deleteVolume). Each job waits QUEUED_MS in INIT, runs for its step's time in RUNNING, then
// applies its effect and succeeds; ShowJob on the EVS endpoint reads them. A volume removed meanwhile fails
// its job with EVS.5404. A fault rule that fails a job leaves its volume where EVS leaves one after such a
// failure: error (create), error_extending (extend), error_deleting (delete).
import type { JobFaultHandler, JobRecord, JobRunner, JobsApi, JobStep } from "../../kernel/jobs.ts";
import type { EvsStore, VolumeStatus } from "./store.ts";

/**
 * How long EVS's jobs take on hwlocal's clock (the cloud takes seconds to a minute). Tests step through them
 * with POST /_hwlocal/clock/advance; change these constants to slow them down or speed them up.
 */
export const EVS_TIMINGS = {
  /** INIT before the first step. */
  queuedMs: 1_000,
  createMs: 3_000,
  extendMs: 3_000,
  deleteMs: 2_000,
};

const SERVICE = "evs";

function volumeIdOf(job: JobRecord): string {
  const id = job.entities.volume_id;
  return typeof id === "string" ? id : "";
}

/** A runner that spends `ms` in RUNNING, then applies `finish` (which may refuse with a FAIL step). */
function timed(store: EvsStore, ms: number, finish: (job: JobRecord, volumeId: string, now: number) => JobStep): JobRunner {
  return (job, now) => {
    const volumeId = volumeIdOf(job);
    if (!store.volume(job.projectId, volumeId)) {
      return { status: "FAIL", errorCode: "EVS.5404", failReason: `Resource(Volume) ${volumeId} cound not be found.` };
    }
    // Timed from when the step was due, not from when a late drain ran it: one long clock advance walks
    // the whole job, as the same time passing in the cloud would.
    if (job.state.running !== true) return { status: "RUNNING", nextAt: (job.dueAt ?? now) + ms, state: { running: true } };
    return finish(job, volumeId, now);
  };
}

/** A fault rule failed the job: its volume (if still there) takes `status`. */
function faulted(store: EvsStore, status: VolumeStatus): JobFaultHandler {
  return (job, _failure, now) => {
    const id = volumeIdOf(job);
    if (store.volume(job.projectId, id)) store.setStatus(job.projectId, id, status, now);
  };
}

export function registerRunners(jobs: JobsApi, store: EvsStore): void {
  jobs.register(
    "createVolume",
    timed(store, EVS_TIMINGS.createMs, (job, id, now) => {
      if (store.volume(job.projectId, id)?.status === "creating") store.setStatus(job.projectId, id, "available", now);
      return { status: "SUCCESS" };
    }),
    faulted(store, "error"),
  );
  jobs.register(
    "extendVolume",
    timed(store, EVS_TIMINGS.extendMs, (job, id, now) => {
      store.finishExtend(job.projectId, id, now);
      return { status: "SUCCESS" };
    }),
    faulted(store, "error_extending"),
  );
  jobs.register(
    "deleteVolume",
    timed(store, EVS_TIMINGS.deleteMs, (job, id) => {
      store.remove(job.projectId, id);
      return { status: "SUCCESS" };
    }),
    faulted(store, "error_deleting"),
  );
}

export interface Submitter {
  jobs: JobsApi;
  projectId: string;
  now: number;
}

/** One createVolume job, or a batchCreateVolume parent with a createVolume sub-job per volume. */
export function submitCreate(s: Submitter, volumeIds: string[]): string {
  const dueAt = s.now + EVS_TIMINGS.queuedMs;
  const base = { service: SERVICE, projectId: s.projectId };
  if (volumeIds.length === 1) {
    return s.jobs.submit({ ...base, jobType: "createVolume", entities: { volume_id: volumeIds[0] }, dueAt });
  }
  return s.jobs.submit(
    { ...base, jobType: "batchCreateVolume" },
    volumeIds.map((id) => ({ jobType: "createVolume", entities: { volume_id: id }, dueAt })),
  );
}

export function submitVolumeJob(s: Submitter, jobType: "extendVolume" | "deleteVolume", volumeId: string): string {
  return s.jobs.submit({
    service: SERVICE,
    projectId: s.projectId,
    jobType,
    entities: { volume_id: volumeId },
    dueAt: s.now + EVS_TIMINGS.queuedMs,
  });
}
