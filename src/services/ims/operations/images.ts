// Images: the list with its filters and marker paging, the OpenStack-native show/delete/update, and IMS's own
// update. Creating a private image from a server is create-image.ts.
import { z } from "../../../kernel/zod.ts";
import { findImage, imsOperation, projectOf, requireImage, visibleImages, type ImsContext } from "../context.ts";
import { imsErrors } from "../errors.ts";
import { IMAGE_STATUSES, OS_TYPES, type ImageRecord } from "../model.ts";
import { checkDescription, checkName } from "../rules.ts";
import * as views from "../views.ts";

const Q = z.string().optional();

export const ListQuery = z.object({
  __imagetype: Q,
  visibility: Q,
  protected: Q,
  status: Q,
  name: Q,
  id: Q,
  owner: Q,
  __os_type: Q,
  __platform: Q,
  __os_bit: Q,
  __isregistered: Q,
  disk_format: Q,
  container_format: Q,
  virtual_env_type: Q,
  flavor_id: Q,
  marker: Q,
  limit: Q,
  sort_key: Q,
  sort_dir: Q,
});
export type ListQuery = z.output<typeof ListQuery>;

/** Exact-match filters: query parameter → the image's value for it. */
export const FILTERS: [keyof ListQuery, (i: ImageRecord) => string][] = [
  ["__imagetype", (i) => i.imageType],
  ["visibility", (i) => i.visibility],
  ["protected", (i) => String(i.protected)],
  ["status", (i) => i.status],
  ["name", (i) => i.name],
  ["id", (i) => i.id],
  ["owner", (i) => i.owner],
  ["__os_type", (i) => i.osType],
  ["__platform", (i) => i.platform],
  ["__os_bit", (i) => i.osBit],
  ["__isregistered", () => "true"],
  ["disk_format", (i) => i.diskFormat],
  ["container_format", () => "bare"],
  ["virtual_env_type", (i) => i.virtualEnvType],
];

const SORT_KEYS: Record<string, (i: ImageRecord) => string | number> = {
  name: (i) => i.name,
  container_format: () => "bare",
  disk_format: (i) => i.diskFormat,
  status: (i) => i.status,
  id: (i) => i.id,
  size: (i) => i.imageSize,
  created_at: (i) => i.createdAt,
};

const DEFAULT_LIMIT = 500;

function checkEnum(value: string | undefined, allowed: readonly string[], fail: () => Error): void {
  if (value !== undefined && !allowed.includes(value)) throw fail();
}

export function validate(q: ListQuery): { limit: number; sortKey: (i: ImageRecord) => string | number; desc: boolean } {
  checkEnum(q.__imagetype, ["gold", "private", "shared", "market"], imsErrors.invalidImageType);
  checkEnum(q.visibility, ["public", "private", "shared"], () => imsErrors.invalidUrl("visibility must be public, private or shared."));
  checkEnum(q.status, IMAGE_STATUSES, () => imsErrors.invalidUrl(`status must be one of ${IMAGE_STATUSES.join(", ")}.`));
  checkEnum(q.__os_type, OS_TYPES, imsErrors.osTypeInvalid);
  checkEnum(q.protected, ["true", "false"], () => imsErrors.invalidUrl("protected must be true or false."));
  checkEnum(q.sort_dir, ["asc", "desc"], () => imsErrors.invalidUrl("sort_dir must be asc or desc."));
  const sortKey = SORT_KEYS[q.sort_key ?? "created_at"];
  if (!sortKey || !Object.hasOwn(SORT_KEYS, q.sort_key ?? "created_at")) {
    throw imsErrors.invalidUrl(`sort_key must be one of ${Object.keys(SORT_KEYS).join(", ")}.`);
  }
  let limit = DEFAULT_LIMIT;
  if (q.limit !== undefined) {
    if (!/^[0-9]{1,9}$/.test(q.limit) || Number(q.limit) < 1) throw imsErrors.invalidUrl("limit must be a positive integer.");
    limit = Number(q.limit);
  }
  return { limit, sortKey, desc: (q.sort_dir ?? "desc") === "desc" };
}

export const listImages = imsOperation({
  name: "ListImages",
  method: "GET",
  path: "/v2/cloudimages",
  query: ListQuery,
  handle(ctx) {
    const q = ctx.input.query;
    const { limit, sortKey, desc } = validate(q);
    const sign = desc ? -1 : 1;
    const images = visibleImages(ctx.svc.store, projectOf(ctx.scope))
      .filter((i) => FILTERS.every(([key, value]) => q[key] === undefined || value(i) === q[key]))
      .sort((a, b) => {
        const ka = sortKey(a);
        const kb = sortKey(b);
        if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
        return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
    let start = 0;
    if (q.marker !== undefined) {
      const at = images.findIndex((i) => i.id === q.marker);
      if (at < 0) throw imsErrors.invalidUrl(`marker ${q.marker} is not an image of this list.`);
      start = at + 1;
    }
    const { sharing } = ctx.svc.store;
    return { body: { images: images.slice(start, start + limit).map((i) => views.image(i, sharing.tags(i.owner, i.id))) } };
  },
});

export const glanceShowImage = imsOperation({
  name: "GlanceShowImage",
  method: "GET",
  path: "/v2/images/{image_id}",
  handle(ctx) {
    const i = requireImage(ctx.svc.store, projectOf(ctx.scope), ctx.input.path.image_id!);
    return { body: views.image(i, ctx.svc.store.sharing.tags(i.owner, i.id)) };
  },
});

export const glanceDeleteImage = imsOperation({
  name: "GlanceDeleteImage",
  method: "DELETE",
  path: "/v2/images/{image_id}",
  handle(ctx) {
    deleteImage(ctx.svc, projectOf(ctx.scope), ctx.input.path.image_id!);
    return { status: 204 };
  },
});

/** Deletes the caller's own image (glance v2 and v1.1 alike). */
export function deleteImage(svc: ImsContext, projectId: string | undefined, id: string): void {
  const i = requireImage(svc.store, projectId, id);
  if (i.visibility === "public") throw imsErrors.publicCannotBeDeleted();
  if (i.owner !== projectId) throw imsErrors.notOwner();
  if (i.protected) throw imsErrors.protectedCannotBeDeleted();
  // An image being made from a server cannot go; one created through glance and never uploaded can.
  if (i.status === "saving" || (i.status === "queued" && i.dataOrigin !== null)) throw imsErrors.creatingCannotBeDeleted();
  svc.store.remove(i.owner, i.id);
}

/** JSON Patch, as both PATCH operations take it (Content-Type application/openstack-images-v2.1-json-patch). */
const PatchBody = z.array(
  z.object({ op: z.enum(["add", "replace", "remove"]), path: z.string(), value: z.union([z.string(), z.number()]).optional() }),
);

function patchImage(ctx: { svc: ImsContext; now: number; projectId: string | undefined }, id: string, ops: z.output<typeof PatchBody>) {
  const i = requireImage(ctx.svc.store, ctx.projectId, id);
  if (i.visibility !== "private" || i.owner !== ctx.projectId) throw imsErrors.notOwner();
  if (i.status !== "active") throw imsErrors.imageUnavailable();
  const patch: { name?: string; description?: string; minRam?: number; maxRam?: number } = {};
  for (const op of ops) {
    const text = typeof op.value === "number" ? String(op.value) : op.value;
    if (op.path === "/__description") {
      patch.description = op.op === "remove" ? "" : checkDescription(text ?? "");
    } else if (op.path === "/name" && op.op !== "remove") {
      if (typeof op.value !== "string") throw imsErrors.nameInvalid();
      patch.name = checkName(op.value);
    } else if (op.path === "/min_ram" && op.op !== "remove") {
      if (text === undefined || !/^[0-9]{1,7}$/.test(text)) throw imsErrors.memoryInvalid();
      patch.minRam = Number(text);
    } else if (op.path === "/max_ram" && op.op !== "remove") {
      if (text === undefined || !/^[0-9]{1,7}$/.test(text)) throw imsErrors.memoryInvalid();
      patch.maxRam = Number(text);
    } else {
      throw imsErrors.invalidBody(`hwlocal updates only /name, /__description, /min_ram and /max_ram, not ${op.op} ${op.path}.`);
    }
  }
  // max_ram 0 means no limit; otherwise it is not below min_ram.
  const minRam = patch.minRam ?? i.minRam;
  const maxRam = patch.maxRam ?? i.maxRam ?? 0;
  if (maxRam > 0 && maxRam < minRam) throw imsErrors.memoryInvalid();
  ctx.svc.store.update(i.owner, i.id, patch, ctx.now);
  return views.image(findImage(ctx.svc.store, ctx.projectId, i.id)!, ctx.svc.store.sharing.tags(i.owner, i.id));
}

export const glanceUpdateImage = imsOperation({
  name: "GlanceUpdateImage",
  method: "PATCH",
  path: "/v2/images/{image_id}",
  body: PatchBody,
  handle(ctx) {
    const c = { svc: ctx.svc, now: ctx.clock.now(), projectId: projectOf(ctx.scope) };
    return { body: patchImage(c, ctx.input.path.image_id!, ctx.input.body) };
  },
});

export const updateImage = imsOperation({
  name: "UpdateImage",
  method: "PATCH",
  path: "/v2/cloudimages/{image_id}",
  body: PatchBody,
  handle(ctx) {
    const c = { svc: ctx.svc, now: ctx.clock.now(), projectId: projectOf(ctx.scope) };
    return { body: patchImage(c, ctx.input.path.image_id!, ctx.input.body) };
  },
});

export const imageOperations = [listImages, glanceShowImage, glanceDeleteImage, glanceUpdateImage, updateImage];
