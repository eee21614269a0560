// IMS's asynchronous work as persistent engine jobs, named as IMS names them. imsCreateImageByInstance
// (CreateImage from an ECS) takes the image it made in "queued" through "saving" to "active" on hwlocal's
// clock; ShowJob on the IMS endpoint reads it. An image gone meanwhile fails its job with IMG.0027. A fault
// rule that fails the job leaves its image "killed", as IMS reports an image whose creation failed.
import type { JobsApi } from "../../kernel/jobs.ts";
import type { ImsStore } from "./store.ts";

/**
 * How long making an image takes on hwlocal's clock (the cloud takes minutes). Tests step through it with
 * POST /_hwlocal/clock/advance; change these constants to slow it down or speed it up.
 */
export const IMS_TIMINGS = {
  /** queued (job INIT) before saving starts. */
  queuedMs: 1_000,
  /** saving (job RUNNING) until the image is active. */
  savingMs: 5_000,
};

export const JOB_TYPES = {
  /** IMS API reference, "Querying the Status of an Asynchronous Job": job_type of CreateImage from an ECS. */
  createByInstance: "imsCreateImageByInstance",
} as const;

export function registerImageJobs(jobs: JobsApi, store: ImsStore): void {
  jobs.register(JOB_TYPES.createByInstance, (job, now) => {
    const id = typeof job.entities.image_id === "string" ? job.entities.image_id : "";
    const image = store.image(job.projectId, id);
    if (!image) return { status: "FAIL", errorCode: "IMG.0027", failReason: `The image ID in the request does not exist: ${id}.` };
    if (job.state.saving !== true) {
      store.setStatus(job.projectId, id, "saving", now);
      // Timed from when the step was due, so that one long clock advance walks the whole job.
      return { status: "RUNNING", nextAt: (job.dueAt ?? now) + IMS_TIMINGS.savingMs, state: { saving: true } };
    }
    store.setStatus(job.projectId, id, "active", now);
    return { status: "SUCCESS" };
  }, (job, _failure, now) => {
    const id = typeof job.entities.image_id === "string" ? job.entities.image_id : "";
    if (store.image(job.projectId, id)) store.setStatus(job.projectId, id, "killed", now);
  });
}
