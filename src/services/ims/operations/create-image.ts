// CreateImage (POST /v2/cloudimages/action) for its "system disk image from an ECS" form: the server is read
// through rt.api("ecs") and its system disk through rt.api("evs"); the private image is a row in "queued"
// at once and an imsCreateImageByInstance job (jobs.ts) takes it to "active". The request's other forms
// (an image file in OBS, a data disk, data disk images) and CreateWholeImage answer 501 naming themselves.
// CreateImageInSafeMode (POST /v2.1/cloudimages/action) is the same operation on IMS's safe-mode path.
import { z } from "../../../kernel/zod.ts";
import { apigw } from "../../../kernel/apigw-errors.ts";
import type { EcsServerInfo } from "../../ecs/api.ts";
import { findImage, imsOperation, inSafeMode, requireProject, type ImsContext } from "../context.ts";
import { imsErrors } from "../errors.ts";
import { IMS_TIMINGS, JOB_TYPES } from "../jobs.ts";
import type { ImageRecord } from "../model.ts";
import { checkDescription, checkMemory, checkName } from "../rules.ts";
import type { NewPrivateImage } from "../store.ts";
import { bodyTags, putTags } from "./tags.ts";

const ImageTags = z.array(z.object({ key: z.string(), value: z.string() }));

const CreateImageBody = z
  .object({
    name: z.string().optional(),
    instance_id: z.string().optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    image_tags: ImageTags.optional(),
    enterprise_project_id: z.string().optional(),
    min_ram: z.unknown().optional(),
    max_ram: z.unknown().optional(),
    // The other forms of the request, recognised to be refused by name.
    image_url: z.unknown().optional(),
    volume_id: z.unknown().optional(),
    data_images: z.unknown().optional(),
  })
  .optional();
type CreateImageBody = NonNullable<z.output<typeof CreateImageBody>>;

/** Server statuses that are a task under way: IMG.0010. ACTIVE and SHUTOFF may be imaged; the rest IMG.0008. */
const BUSY = new Set(["BUILD", "REBOOT", "HARD_REBOOT", "REBUILD", "MIGRATING", "RESIZE", "REVERT_RESIZE", "VERIFY_RESIZE"]);

const notSupported = (what: string) => apigw.notImplemented("ims", `CreateImage ${what}`);

function requireName(name: string | undefined): string {
  if (name === undefined) throw imsErrors.nameMissing();
  return checkName(name);
}

/** The forms of CreateImage hwlocal does not make: refused by name once their own name is checked. */
function refuseOtherForms(b: CreateImageBody): void {
  if (b.image_url !== undefined) {
    requireName(b.name);
    throw notSupported("from an external image file in OBS (image_url)");
  }
  if (b.volume_id !== undefined) {
    requireName(b.name);
    throw notSupported("of a system disk image from a data disk (volume_id)");
  }
  const data = b.data_images;
  if (data !== undefined && data !== null && !(Array.isArray(data) && data.length === 0)) {
    throw notSupported("of data disk images from an ECS's data disks (data_images)");
  }
}

/** The server to image, as CreateImage requires it: the project's own, running or stopped, with its system disk. */
function imageableServer(svc: ImsContext, projectId: string, serverId: string): { server: EcsServerInfo; diskGb: number } {
  const server = svc.ecs().server(projectId, serverId);
  if (!server) throw imsErrors.serverNotFound(serverId);
  if (BUSY.has(server.status)) throw imsErrors.serverBusy(`The ECS is ${server.status}.`);
  if (server.status !== "ACTIVE" && server.status !== "SHUTOFF") {
    throw imsErrors.serverNotStopped(`hwlocal makes images of ACTIVE or SHUTOFF servers; this one is ${server.status}.`);
  }
  const origin = `instance,${server.id}`;
  const baking = svc.store.images(projectId).find((i) => i.dataOrigin === origin && (i.status === "queued" || i.status === "saving"));
  if (baking) throw imsErrors.serverBusy(`The image ${baking.id} is being created from it.`);
  if (!server.rootVolumeId) throw imsErrors.noSystemDisk();
  const disk = svc.evs().volume(projectId, server.rootVolumeId);
  if (!disk) throw imsErrors.systemDiskUnavailable(`The system disk ${server.rootVolumeId} does not exist.`);
  if (disk.status !== "in-use" && disk.status !== "available") {
    throw imsErrors.systemDiskUnavailable(`The system disk ${disk.id} is ${disk.status}.`);
  }
  return { server, diskGb: disk.size };
}

/** What the new image takes from the server's source image; "Other" when that image is gone (see index.ts). */
function inheritedOs(source: ImageRecord | undefined, diskGb: number) {
  if (!source) {
    const other = { osType: "Other", platform: "Other", osVersion: "Other", osBit: "64", firmware: "bios" } as const;
    return { ...other, minRam: 0, maxRam: undefined, imageSize: diskGb * 1024 ** 3 };
  }
  return {
    osType: source.osType,
    platform: source.platform,
    osVersion: source.osVersion,
    osBit: source.osBit,
    firmware: source.firmware,
    minRam: source.minRam,
    maxRam: source.maxRam ?? undefined,
    imageSize: source.imageSize,
  };
}

export const createImage = imsOperation({
  name: "CreateImage",
  method: "POST",
  path: "/v2/cloudimages/action",
  body: CreateImageBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw imsErrors.bodyEmpty();
    refuseOtherForms(b);
    const name = requireName(b.name);
    if (b.instance_id === undefined || b.instance_id === "") throw imsErrors.serverIdMissing();
    const description = b.description === undefined ? "" : checkDescription(b.description);
    const minRam = checkMemory(b.min_ram);
    const maxRam = checkMemory(b.max_ram);
    const tags = bodyTags(b.tags, b.image_tags);

    const { store, jobs } = ctx.svc;
    const { server, diskGb } = imageableServer(ctx.svc, projectId, b.instance_id);
    const os = inheritedOs(findImage(store, projectId, server.imageId), diskGb);
    const image: NewPrivateImage = {
      id: ctx.ids.uuid(),
      projectId,
      name,
      description,
      status: "queued",
      minDisk: diskGb,
      ...os,
      minRam: minRam ?? os.minRam,
      maxRam: maxRam ?? os.maxRam,
      dataOrigin: `instance,${server.id}`,
      now: ctx.clock.now(),
    };
    if (image.maxRam !== undefined && image.maxRam > 0 && image.maxRam < image.minRam) throw imsErrors.memoryInvalid();
    const jobId = store.tx(() => {
      store.insert(image);
      if (tags.length > 0) putTags(ctx.svc, projectId, image.id, tags, image.now);
      return jobs.submit({
        service: "ims",
        projectId,
        jobType: JOB_TYPES.createByInstance,
        entities: { image_id: image.id, image_name: name },
        dueAt: image.now + IMS_TIMINGS.queuedMs,
      });
    });
    return { body: { job_id: jobId } };
  },
});

/** Full-ECS images (an ECS with its data disks, or a CBR/CSBS backup) need backups hwlocal does not have. */
export const createWholeImage = imsOperation({
  name: "CreateWholeImage",
  method: "POST",
  path: "/v1/cloudimages/wholeimages/action",
  body: z.object({ name: z.string().optional(), instance_id: z.string().optional(), backup_id: z.string().optional() }).loose().optional(),
  handle(ctx) {
    requireProject(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw imsErrors.bodyEmpty();
    requireName(b.name);
    if (b.instance_id === undefined && b.backup_id === undefined) throw imsErrors.serverIdMissing();
    throw apigw.notImplemented("ims", "CreateWholeImage (full-ECS images)");
  },
});

export const createImageOperations = [createImage, inSafeMode(createImage, "CreateImageInSafeMode", "/v2.1/cloudimages/action"), createWholeImage];
