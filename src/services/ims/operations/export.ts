// ExportImage (POST /v1/cloudimages/{image_id}/file {bucket_url "bucket:object", file_format qcow2|vhd|zvhd|
// vmdk|raw|zvhd2, is_quick_import?}) → 200 {job_id}: the project's own active private image; the job
// (imsExportImage, entities image_id, bucket_url, file_format) succeeds IMS_TIMINGS.savingMs later on
// hwlocal's clock. Public and shared images are refused (400 IMG.0047, the owner's operation).
// ExportImageInSafeMode (POST /v2.1/cloudimages/{image_id}/file) is the same operation on the safe-mode path.
// Gaps: bookkeeping only: no object is written to OBS (an image here is metadata, with no file to copy),
// and the bucket is not checked. Doubts: the job_type name is ours; a bad bucket_url or file_format is
// 400 IMG.0001 (the request format).
import { z } from "../../../kernel/zod.ts";
import type { JobsApi } from "../../../kernel/jobs.ts";
import { imsOperation, inSafeMode, requireProject } from "../context.ts";
import { imsErrors } from "../errors.ts";
import { IMS_TIMINGS } from "../jobs.ts";
import type { ImsStore } from "../store.ts";
import { ownImage } from "./glance.ts";

export const EXPORT_JOB_TYPE = "imsExportImage";
const FILE_FORMATS = ["qcow2", "vhd", "zvhd", "vmdk", "raw", "zvhd2"] as const;
/** bucket:object, the bucket named as OBS names buckets. */
export const BUCKET_URL = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]:[^\s].*$/;

export function registerExportJobs(jobs: JobsApi, store: ImsStore): void {
  jobs.register(EXPORT_JOB_TYPE, (job) => {
    const id = typeof job.entities.image_id === "string" ? job.entities.image_id : "";
    if (!store.image(job.projectId, id)) return { status: "FAIL", errorCode: "IMG.0027", failReason: `The image ID in the request does not exist: ${id}.` };
    return { status: "SUCCESS" };
  });
}

export const exportImage = imsOperation({
  name: "ExportImage",
  method: "POST",
  path: "/v1/cloudimages/{image_id}/file",
  body: z.object({ bucket_url: z.string(), file_format: z.string(), is_quick_import: z.boolean().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    if (i.status !== "active") throw imsErrors.imageUnavailable();
    const b = ctx.input.body;
    if (!BUCKET_URL.test(b.bucket_url)) throw imsErrors.invalidBody("bucket_url is bucket:object.");
    if (!FILE_FORMATS.some((f) => f === b.file_format)) throw imsErrors.invalidBody(`file_format is one of ${FILE_FORMATS.join(", ")}.`);
    const jobId = ctx.svc.jobs.submit({
      service: "ims",
      projectId,
      jobType: EXPORT_JOB_TYPE,
      entities: { image_id: i.id, bucket_url: b.bucket_url, file_format: b.file_format },
      dueAt: ctx.clock.now() + IMS_TIMINGS.savingMs,
    });
    return { body: { job_id: jobId } };
  },
});

export const exportOperations = [exportImage, inSafeMode(exportImage, "ExportImageInSafeMode", "/v2.1/cloudimages/{image_id}/file")];
