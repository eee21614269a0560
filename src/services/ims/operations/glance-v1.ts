// Glance v1.1 over IMS, which Huawei still documents: GlanceListImagesV1 (GET /v1.1/images/detail, v1's
// image shape with IMS's fields under `properties`; name, status, disk_format and container_format filters,
// marker/limit paging) and GlanceDeleteImageV1 (the same rules as v2's delete).
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { imsOperation, projectOf, visibleImages } from "../context.ts";
import { imsErrors } from "../errors.ts";
import type { ImageRecord } from "../model.ts";
import * as views from "../views.ts";
import { deleteImage } from "./images.ts";

/** v1's image: the v2 fields IMS adds (__os_type, …) move under `properties`. */
function v1Image(i: ImageRecord) {
  const v2 = views.image(i);
  const properties = Object.fromEntries(Object.entries(v2).filter(([k]) => k.startsWith("__") || k === "virtual_env_type" || k === "hw_firmware_type"));
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    is_public: i.visibility === "public",
    protected: i.protected,
    owner: i.owner,
    size: i.imageSize,
    min_disk: i.minDisk,
    min_ram: i.minRam,
    disk_format: i.diskFormat,
    container_format: "bare",
    checksum: v2.checksum,
    created_at: isoSeconds(i.createdAt),
    updated_at: isoSeconds(i.updatedAt),
    deleted: false,
    deleted_at: null,
    properties,
  };
}

export const glanceListImagesV1 = imsOperation({
  name: "GlanceListImagesV1",
  method: "GET",
  path: "/v1.1/images/detail",
  query: z.object({
    name: z.string().optional(),
    status: z.string().optional(),
    disk_format: z.string().optional(),
    container_format: z.string().optional(),
    is_public: z.enum(["true", "false", "True", "False"]).optional(),
    limit: z.string().regex(/^\d{1,4}$/, "must be a whole number").optional(),
    marker: z.string().optional(),
  }),
  handle(ctx) {
    const q = ctx.input.query;
    const pub = q.is_public === undefined ? undefined : q.is_public.toLowerCase() === "true";
    // v1 sorts by created_at, newest first.
    const images = visibleImages(ctx.svc.store, projectOf(ctx.scope))
      .filter((i) => q.name === undefined || i.name === q.name)
      .filter((i) => q.status === undefined || i.status === q.status)
      .filter((i) => q.disk_format === undefined || i.diskFormat === q.disk_format)
      .filter(() => q.container_format === undefined || q.container_format === "bare")
      .filter((i) => pub === undefined || (i.visibility === "public") === pub)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    let start = 0;
    if (q.marker !== undefined) {
      const at = images.findIndex((i) => i.id === q.marker);
      if (at < 0) throw imsErrors.imageNotFound(q.marker);
      start = at + 1;
    }
    const limit = Math.min(Number(q.limit ?? 1000), 1000);
    return { body: { images: images.slice(start, start + limit).map(v1Image) } };
  },
});

export const glanceDeleteImageV1 = imsOperation({
  name: "GlanceDeleteImageV1",
  method: "DELETE",
  path: "/v1.1/images/{image_id}",
  handle(ctx) {
    deleteImage(ctx.svc, projectOf(ctx.scope), ctx.input.path.image_id!);
    return { status: 200 };
  },
});

export const glanceV1Operations = [glanceListImagesV1, glanceDeleteImageV1];
