// Glance's image create and upload over IMS: GlanceCreateImageMetadata (POST /v2/images: a private image
// "queued", its OS read from __os_version / __os_type) and GlanceUploadImage (PUT /v2/images/{id}/file, an
// application/octet-stream body: the image becomes "active" with the file's size). The bytes are counted,
// not kept (hwlocal never runs an image), and the body is bounded by hwlocal's request size limit.
import { z } from "../../../kernel/zod.ts";
import type { Operation } from "../../../kernel/service.ts";
import { imsOperation, requireImage, requireProject, type ImsContext } from "../context.ts";
import { imsErrors } from "../errors.ts";
import { OS_TYPES, type OsType } from "../model.ts";
import { checkName } from "../rules.ts";
import * as views from "../views.ts";

/** The disk formats IMS takes for an image file (GlanceCreateImageMetadataRequestBody). */
const DISK_FORMATS = ["vhd", "zvhd", "raw", "qcow2", "zvhd2", "vmdk", "iso"] as const;

const CreateBody = z
  .object({
    name: z.string(),
    container_format: z.literal("bare").nullish(),
    disk_format: z.enum(DISK_FORMATS).nullish(),
    min_disk: z.number().int().min(0).max(1024).nullish(),
    min_ram: z.number().int().min(0).max(1_048_576).nullish(),
    protected: z.literal(false).nullish(),
    tags: z.array(z.string().min(1).max(255)).max(128).nullish(),
    visibility: z.literal("private").nullish(),
    __os_version: z.string().max(255).nullish(),
    __os_type: z.enum(OS_TYPES).nullish(),
    __os_bit: z.enum(["32", "64"]).nullish(),
  })
  // Other properties (openstacksdk's owner_specified.* checksums) are accepted and not kept.
  .loose();

function osOf(b: z.output<typeof CreateBody>): { osType: OsType; platform: string; osVersion: string } {
  const version = b.__os_version ?? "Other";
  const osType = b.__os_type ?? (/windows/i.test(version) ? "Windows" : b.__os_version ? "Linux" : "Other");
  const platform = osType === "Windows" ? "Windows" : (version.split(/\s+/)[0] ?? "Other") || "Other";
  return { osType, platform, osVersion: version };
}

export const glanceCreateImageMetadata = imsOperation({
  name: "GlanceCreateImageMetadata",
  method: "POST",
  path: "/v2/images",
  body: CreateBody,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const name = checkName(b.name);
    const { store } = ctx.svc;
    const id = ctx.ids.uuid();
    const now = ctx.clock.now();
    store.tx(() => {
      store.insert({
        id,
        projectId,
        name,
        status: "queued",
        minDisk: b.min_disk ?? 0,
        minRam: b.min_ram ?? 0,
        ...osOf(b),
        osBit: b.__os_bit ?? "64",
        imageSize: 0,
        diskFormat: b.disk_format ?? "raw",
        now,
      });
      for (const tag of b.tags ?? []) store.sharing.addTag(projectId, id, tag, now);
    });
    const image = requireImage(store, projectId, id);
    return { status: 201, headers: { Location: `${ctx.request.serviceBase}/v2/images/${id}` }, body: views.image(image, store.sharing.tags(projectId, id)) };
  },
});

/** Its body is the image file, not JSON: the operation reads the raw body itself. */
export const glanceUploadImage: Operation<ImsContext> = {
  name: "GlanceUploadImage",
  method: "PUT",
  path: "/v2/images/{image_id}/file",
  auth: "required",
  adminOnly: false,
  errorShape: undefined,
  run(ctx, raw) {
    const projectId = requireProject(ctx.scope);
    const { store } = ctx.svc;
    const i = requireImage(store, projectId, raw.path.image_id ?? "");
    if (i.visibility !== "private" || i.owner !== projectId) throw imsErrors.notOwner();
    const type = String(raw.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/octet-stream") throw imsErrors.invalidBody("The image file is sent as application/octet-stream.");
    if (i.status !== "queued") throw imsErrors.imageUnavailable();
    const size = raw.body?.length ?? 0;
    if (size === 0) throw imsErrors.bodyEmpty();
    store.uploaded(projectId, i.id, size, ctx.clock.now());
    return { status: 204 };
  },
};

export const glanceCreateOperations = [glanceCreateImageMetadata, glanceUploadImage];
