// Images from image files in OBS, as bookkeeping only (as ExportImage is): the image_url "bucket:object" is
// checked for form, never read (neither the bucket nor the object is looked up), and the image is a private
// image of the project whose job (jobs.ts) takes it from "queued" through "saving" to "active" on hwlocal's
// clock. Its __data_origin is "file,<image_url>" and its __image_size 0 (no file is read).
// ImportImageQuick (POST /v2/cloudimages/quickimport/action) and ImportImageQuickInSafeMode (/v2.1/...):
//   {name, os_version, image_url, min_disk, description?, type? ECS|BMS|DataImage, os_type? (DataImage),
//   hw_firmware_type? bios|uefi, architecture? x86|arm, license_type?, tags? | image_tags?,
//   enterprise_project_id?} → 200 {job_id} (imsQuickImportImage, entities image_id, image_name).
//   A system disk image takes its OS from os_version: the platform from its first words (Windows, Ubuntu,
//   CentOS, Debian, Red Hat, SUSE, openSUSE, Oracle Linux, Fedora, CoreOS, EulerOS; else "Other"), the bit
//   from "32bit" (else 64); min_disk 1 to 1024 GB. A DataImage is a data disk image (virtual_env_type
//   DataImage, os_type Linux or Windows, default Linux), min_disk 40 to 2048 GB.
// CreateDataImage (POST /v1/cloudimages/dataimages/action) and CreateDataImageInSafeMode (/v2.1/...):
//   {name, image_url, min_disk 40..2048, os_type? Linux|Windows, description?, cmk_id?, tags? |
//   image_tags?, enterprise_project_id?} → 200 {job_id} (imsCreateDataImageByFile): a data disk image.
// RegisterImage (PUT /v1/cloudimages/{image_id}/upload {image_url}) → 200 {job_id} (imsRegisterImage): the
//   file of the project's own image created through glance (POST /v2/images) and still "queued"; the image
//   is "saving" at once and "active" IMS_TIMINGS.savingMs later. Another status is 400 IMG.0046.
// tags ("key.value") or image_tags ({key, value}), not both, become the image's IMS tags (tags.ts's rules).
// Gaps: BMS images and arm images answer 501 (hwlocal's images are x86 ECS images); cmk_id and license_type
//   are accepted and not kept; the enterprise project is "0" whatever the body says.
// Doubts: the job_type names are ours; a bad image_url or tag is 400 IMG.0001; a min_disk out of range is
//   400 IMG.0055; the cloud accepts only the os_version values ListOsVersions lists, hwlocal any (its list
//   is the public catalogue's only).
import { z } from "../../../kernel/zod.ts";
import { apigw } from "../../../kernel/apigw-errors.ts";
import { imsOperation, inSafeMode, requireProject, type ImsContext } from "../context.ts";
import { imsErrors } from "../errors.ts";
import { IMS_TIMINGS, JOB_TYPES } from "../jobs.ts";
import type { OsType } from "../model.ts";
import { checkDescription, checkName } from "../rules.ts";
import type { NewPrivateImage } from "../store.ts";
import type { KvTag } from "../store-tags.ts";
import { BUCKET_URL } from "./export.ts";
import { ownImage } from "./glance.ts";
import { bodyTags, putTags } from "./tags.ts";

/** os_version's leading words → __platform (IMS's documented platforms). */
const PLATFORMS: [RegExp, string][] = [
  [/^windows\b/i, "Windows"],
  [/^ubuntu\b/i, "Ubuntu"],
  [/^centos\b/i, "CentOS"],
  [/^debian\b/i, "Debian"],
  [/^red ?hat\b/i, "RedHat"],
  [/^opensuse\b/i, "OpenSUSE"],
  [/^(suse|sles)\b/i, "SUSE"],
  [/^oracle\b/i, "Oracle Linux"],
  [/^fedora\b/i, "Fedora"],
  [/^coreos\b/i, "CoreOS"],
  [/^(huawei cloud )?euleros\b/i, "EulerOS"],
];

const Common = {
  name: z.string().optional(),
  description: z.string().optional(),
  image_url: z.string().optional(),
  min_disk: z.unknown().optional(),
  tags: z.array(z.string()).optional(),
  image_tags: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional(),
  enterprise_project_id: z.string().optional(),
};

const QuickBody = z
  .object({
    ...Common,
    os_version: z.string().optional(),
    type: z.enum(["ECS", "BMS", "DataImage"]).optional(),
    os_type: z.enum(["Linux", "Windows"]).optional(),
    hw_firmware_type: z.enum(["bios", "uefi"]).optional(),
    architecture: z.enum(["x86", "arm"]).optional(),
    license_type: z.enum(["platform", "byol"]).optional(),
  })
  .optional();

const DataBody = z.object({ ...Common, os_type: z.enum(["Linux", "Windows"]).optional(), cmk_id: z.string().optional() }).optional();

type CommonBody = { [K in keyof typeof Common]?: z.output<(typeof Common)[K]> };

function checkUrl(url: string | undefined): string {
  if (url === undefined || !BUCKET_URL.test(url)) throw imsErrors.invalidBody("image_url is <bucket>:<object>.");
  return url;
}

function checkMinDisk(v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw imsErrors.memoryInvalid();
  return v;
}

function systemOs(version: string | undefined): { osType: OsType; platform: string; osVersion: string; osBit: "32" | "64" } {
  if (version === undefined || version.trim() === "" || version.length > 255) throw imsErrors.invalidBody("os_version names the image's OS.");
  const platform = PLATFORMS.find(([re]) => re.test(version.trim()))?.[1] ?? "Other";
  const osType = platform === "Windows" ? "Windows" : platform === "Other" ? "Other" : "Linux";
  return { osType, platform, osVersion: version, osBit: /\b32 ?bit\b/i.test(version) ? "32" : "64" };
}

function dataOs(osType: "Linux" | "Windows" | undefined) {
  return { osType: osType ?? "Linux", platform: "Other", osVersion: "Other", osBit: "64", virtualEnvType: "DataImage" } as const;
}

/** Inserts the image with its tags and submits the job that makes it active; returns the job id. */
function makeImage(svc: ImsContext, image: NewPrivateImage, tags: KvTag[], jobType: string): string {
  const { store, jobs } = svc;
  return store.tx(() => {
    store.insert(image);
    if (tags.length > 0) putTags(svc, image.projectId, image.id, tags, image.now);
    return jobs.submit({
      service: "ims",
      projectId: image.projectId,
      jobType,
      entities: { image_id: image.id, image_name: image.name },
      dueAt: image.now + IMS_TIMINGS.queuedMs,
    });
  });
}

/** A private image of the project from a file in OBS, "queued" until its job runs (no byte of the file is read). */
function fileImage(
  ctx: { ids: { uuid(): string }; clock: { now(): number } },
  p: Omit<NewPrivateImage, "id" | "status" | "minRam" | "imageSize" | "dataOrigin" | "now"> & { url: string },
): NewPrivateImage {
  const { url, ...rest } = p;
  return { ...rest, id: ctx.ids.uuid(), status: "queued", minRam: 0, imageSize: 0, dataOrigin: `file,${url}`, now: ctx.clock.now() };
}

function named(b: CommonBody) {
  if (b.name === undefined) throw imsErrors.nameMissing();
  return { name: checkName(b.name), description: b.description === undefined ? "" : checkDescription(b.description) };
}

export const importImageQuick = imsOperation({
  name: "ImportImageQuick",
  method: "POST",
  path: "/v2/cloudimages/quickimport/action",
  body: QuickBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw imsErrors.bodyEmpty();
    const { name, description } = named(b);
    const url = checkUrl(b.image_url);
    if (b.type === "BMS") throw apigw.notImplemented("ims", "ImportImageQuick of a BMS image (type BMS)");
    if (b.architecture === "arm") throw apigw.notImplemented("ims", "ImportImageQuick of an arm image (architecture arm)");
    const data = b.type === "DataImage";
    const minDisk = data ? checkMinDisk(b.min_disk, 40, 2048) : checkMinDisk(b.min_disk, 1, 1024);
    const os = data ? dataOs(b.os_type) : systemOs(b.os_version);
    const tags = bodyTags(b.tags, b.image_tags);
    const image = fileImage(ctx, { projectId, name, description, minDisk, ...os, firmware: b.hw_firmware_type ?? "bios", url });
    return { body: { job_id: makeImage(ctx.svc, image, tags, JOB_TYPES.quickImport) } };
  },
});

export const createDataImage = imsOperation({
  name: "CreateDataImage",
  method: "POST",
  path: "/v1/cloudimages/dataimages/action",
  body: DataBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw imsErrors.bodyEmpty();
    const { name, description } = named(b);
    const url = checkUrl(b.image_url);
    const minDisk = checkMinDisk(b.min_disk, 40, 2048);
    const tags = bodyTags(b.tags, b.image_tags);
    const image = fileImage(ctx, { projectId, name, description, minDisk, ...dataOs(b.os_type), url });
    return { body: { job_id: makeImage(ctx.svc, image, tags, JOB_TYPES.createDataImage) } };
  },
});

export const registerImage = imsOperation({
  name: "RegisterImage",
  method: "PUT",
  path: "/v1/cloudimages/{image_id}/upload",
  body: z.object({ image_url: z.string() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    const url = checkUrl(ctx.input.body.image_url);
    if (i.status !== "queued") throw imsErrors.imageUnavailable();
    const { store, jobs } = ctx.svc;
    const now = ctx.clock.now();
    const jobId = store.tx(() => {
      store.registered(projectId, i.id, `file,${url}`, now);
      return jobs.submit({
        service: "ims",
        projectId,
        jobType: JOB_TYPES.register,
        entities: { image_id: i.id, image_name: i.name },
        dueAt: now,
      });
    });
    return { body: { job_id: jobId } };
  },
});

export const importOperations = [
  importImageQuick,
  inSafeMode(importImageQuick, "ImportImageQuickInSafeMode", "/v2.1/cloudimages/quickimport/action"),
  createDataImage,
  inSafeMode(createDataImage, "CreateDataImageInSafeMode", "/v2.1/cloudimages/dataimages/action"),
  registerImage,
];
