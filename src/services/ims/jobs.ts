// IMS's asynchronous work as persistent engine jobs, named as IMS names them. imsCreateImageByInstance
// (CreateImage from an ECS), and the copy, import and register jobs beside it, take the image in "queued"
// through "saving" to "active" on hwlocal's clock; ShowJob and ShowJobProgress on the IMS endpoint read
// them. An image gone meanwhile fails its job with IMG.0027. A fault rule that fails the job leaves its
// image "killed", as IMS reports an image whose creation failed.
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
  /** The names below are ours (index.ts, Doubts): CopyImageInRegion, CreateDataImage, ImportImageQuick, RegisterImage. */
  copyInRegion: "imsCopyImageInRegion",
  createDataImage: "imsCreateDataImageByFile",
  quickImport: "imsQuickImportImage",
  register: "imsRegisterImage",
} as const;

/** Every job that takes one image of the job's project from "queued" through "saving" to "active". */
const IMAGE_MAKING = [JOB_TYPES.createByInstance, JOB_TYPES.copyInRegion, JOB_TYPES.createDataImage, JOB_TYPES.quickImport, JOB_TYPES.register];

export function registerImageJobs(jobs: JobsApi, store: ImsStore): void {
  for (const type of IMAGE_MAKING) registerImageMaking(jobs, store, type);
}

function registerImageMaking(jobs: JobsApi, store: ImsStore, type: string): void {
  jobs.register(type, (job, now) => {
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
