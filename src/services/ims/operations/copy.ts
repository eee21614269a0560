// CopyImageInRegion (POST /v1/cloudimages/{image_id}/copy) and CopyImageInRegionInSafeMode (the same at
// /v2.1/cloudimages/{image_id}/copy): {name, description?, cmk_id?, enterprise_project_id?} → 200 {job_id}.
// The source is the project's own active private image (a public or shared image is 400 IMG.0047, one not
// active 400 IMG.0046, another project's 404 IMG.0027). The copy is a new private image of the project with
// the source's OS, disk, memory, format and firmware fields, "queued" at once and taken to "active" by an
// imsCopyImageInRegion job (jobs.ts), whose entities name it (image_id, image_name) and the source
// (source_image_id). Its __data_origin is "image,<source id>".
// Gaps: cmk_id is accepted and not kept (hwlocal encrypts nothing: an image is metadata); the copy is in
// enterprise project "0" whatever enterprise_project_id says; the source's tags are not copied.
// Doubts: the job_type and the __data_origin of a copy are ours.
import { z } from "../../../kernel/zod.ts";
import { imsOperation, inSafeMode, requireProject } from "../context.ts";
import { imsErrors } from "../errors.ts";
import { IMS_TIMINGS, JOB_TYPES } from "../jobs.ts";
import { checkDescription, checkName } from "../rules.ts";
import { ownImage } from "./glance.ts";

const CopyBody = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    cmk_id: z.string().optional(),
    enterprise_project_id: z.string().optional(),
  })
  .optional();

export const copyImageInRegion = imsOperation({
  name: "CopyImageInRegion",
  method: "POST",
  path: "/v1/cloudimages/{image_id}/copy",
  body: CopyBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw imsErrors.bodyEmpty();
    if (b.name === undefined) throw imsErrors.nameMissing();
    const name = checkName(b.name);
    const description = b.description === undefined ? "" : checkDescription(b.description);
    const src = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    if (src.status !== "active") throw imsErrors.imageUnavailable();
    const { store, jobs } = ctx.svc;
    const id = ctx.ids.uuid();
    const now = ctx.clock.now();
    const jobId = store.tx(() => {
      store.insert({
        id,
        projectId,
        name,
        description,
        status: "queued",
        minDisk: src.minDisk,
        minRam: src.minRam,
        ...(src.maxRam !== null ? { maxRam: src.maxRam } : {}),
        osType: src.osType,
        platform: src.platform,
        osVersion: src.osVersion,
        osBit: src.osBit,
        imageSize: src.imageSize,
        firmware: src.firmware,
        diskFormat: src.diskFormat,
        virtualEnvType: src.virtualEnvType,
        dataOrigin: `image,${src.id}`,
        now,
      });
      return jobs.submit({
        service: "ims",
        projectId,
        jobType: JOB_TYPES.copyInRegion,
        entities: { image_id: id, image_name: name, source_image_id: src.id },
        dueAt: now + IMS_TIMINGS.queuedMs,
      });
    });
    return { body: { job_id: jobId } };
  },
});

export const copyOperations = [
  copyImageInRegion,
  inSafeMode(copyImageInRegion, "CopyImageInRegionInSafeMode", "/v2.1/cloudimages/{image_id}/copy"),
];
