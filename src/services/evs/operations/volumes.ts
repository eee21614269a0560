// Volumes: create (v2.1 and v3, asynchronous jobs), show, update, delete (an asynchronous job as well).
import { z } from "../../../kernel/zod.ts";
import { evsOperation, isUuid, requireProject, requireVolume, viewBase, zonesOf, type EvsContext, type ProjectScope } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { submitCreate, submitVolumeJob } from "../jobs.ts";
import { checkDeletable, orThrow } from "../lifecycle.ts";
import { batchName, checkDescription, checkName, checkSpec } from "../rules.ts";
import type { StringMap } from "../store.ts";
import * as views from "../views.ts";
import type { Ids } from "../../../kernel/ids.ts";

const StringMapSchema = z.record(z.string(), z.string());
const Text = z.string().nullish();

const VolumeBody = z.object({
  availability_zone: z.string(),
  volume_type: z.string(),
  size: z.number().nullish(),
  name: Text,
  description: Text,
  imageRef: Text,
  snapshot_id: Text,
  backup_id: Text,
  count: z.number().nullish(),
  metadata: StringMapSchema.nullish(),
  multiattach: z.boolean().nullish(),
  /** v3 only; deprecated for multiattach. */
  shareable: Text,
  tags: StringMapSchema.nullish(),
  enterprise_project_id: Text,
});

export const CreateBody = z.object({
  volume: VolumeBody,
  bssParam: z
    .object({
      chargingMode: Text,
      periodType: Text,
      periodNum: z.number().nullish(),
      isAutoPay: Text,
      isAutoRenew: Text,
    })
    .nullish(),
  server_id: Text,
  "OS-SCH-HNT:scheduler_hints": z.object({ dedicated_storage_id: Text }).nullish(),
});
export type CreateBody = z.output<typeof CreateBody>;

export interface Handled {
  svc: EvsContext;
  p: ProjectScope;
  ids: Ids;
  now: number;
}

/** Validates, inserts the volumes as "creating" and submits their job; returns the job and volume ids. */
export function createVolumes(h: Handled, body: CreateBody): { jobId: string; volumeIds: string[] } {
  const b = body.volume;
  const charging = body.bssParam?.chargingMode;
  if (charging && charging !== "postPaid") throw evsErrors.invalidBssParam("hwlocal creates pay-per-use (postPaid) volumes only.");
  if (body.server_id) throw evsErrors.serverQueryFailed();
  if (body["OS-SCH-HNT:scheduler_hints"]?.dedicated_storage_id) throw evsErrors.malformedBody("hwlocal has no dedicated storage pools.");
  if ([b.imageRef, b.snapshot_id, b.backup_id].filter((x) => x).length > 1) throw evsErrors.onlyOneSource();
  // A volume from a snapshot (cinder's): an available snapshot of the project, in the source volume's zone.
  const snapshot = b.snapshot_id ? h.svc.store.snapshots.get(h.p.projectId, b.snapshot_id) : undefined;
  const source = snapshot ? h.svc.store.volume(h.p.projectId, snapshot.volumeId) : undefined;
  if (b.snapshot_id && (!snapshot || !source || h.now < snapshot.readyAt)) throw evsErrors.invalidSnapshot();
  if (source && source.availabilityZone !== b.availability_zone) {
    throw evsErrors.invalidAvailabilityZone(b.availability_zone, `A volume from a snapshot is made in the snapshot's zone, ${source.availabilityZone}.`);
  }
  if (b.backup_id) throw evsErrors.invalidBackup();
  if (b.shareable && b.shareable !== "true" && b.shareable !== "false") throw evsErrors.invalidShareable();
  const project = b.enterprise_project_id ?? "0";
  if (project !== "0" && !isUuid(project)) throw evsErrors.invalidEnterpriseProject();
  if (b.size === undefined || b.size === null) throw evsErrors.invalidSize("size is required.");
  // Huawei truncates decimals of size and count.
  const count = Math.trunc(b.count ?? 1);
  const spec = {
    projectId: h.p.projectId,
    availabilityZone: b.availability_zone,
    zones: zonesOf(h.p),
    size: Math.trunc(b.size),
    volumeType: b.volume_type,
    imageId: b.imageRef ?? undefined,
    name: b.name ?? "",
    description: b.description ?? null,
    count,
    metadata: b.metadata ?? {},
    tags: b.tags ?? {},
    multiattach: b.multiattach ?? b.shareable === "true",
  };
  if (snapshot && spec.size < snapshot.size) throw evsErrors.invalidSize(`A volume from a snapshot has at least its ${snapshot.size} GB.`);
  const fromSpec = checkSpec(h.svc.store, (id) => h.svc.ims().image(h.p.projectId, id), spec);
  // It boots, and shows its image, as the snapshot's volume did.
  const checked = source ? { ...fromSpec, bootable: source.bootable, image: source.image } : fromSpec;
  const volumeIds = Array.from({ length: count }, () => h.ids.uuid());
  const jobId = h.svc.store.tx(() => {
    volumeIds.forEach((id, i) =>
      h.svc.store.insert({
        id,
        projectId: h.p.projectId,
        name: batchName(spec.name, i, count),
        description: spec.description,
        status: "creating",
        size: spec.size,
        volumeType: checked.volumeType,
        availabilityZone: spec.availabilityZone,
        bootable: checked.bootable,
        multiattach: spec.multiattach,
        metadata: spec.metadata,
        tags: spec.tags,
        image: checked.image,
        snapshotId: snapshot?.id ?? null,
        enterpriseProjectId: project,
        userId: h.p.userId,
        now: h.now,
      }),
    );
    return submitCreate({ jobs: h.svc.jobs, projectId: h.p.projectId, now: h.now }, volumeIds);
  });
  return { jobId, volumeIds };
}

export const createVolume = evsOperation({
  name: "CreateVolume",
  method: "POST",
  path: "/v2.1/{project_id}/cloudvolumes",
  body: CreateBody,
  handle(ctx) {
    const h = { svc: ctx.svc, p: requireProject(ctx.scope), ids: ctx.ids, now: ctx.clock.now() };
    const { jobId, volumeIds } = createVolumes(h, ctx.input.body);
    return { status: 202, body: { job_id: jobId, volume_ids: volumeIds } };
  },
});

/** The older v2 create: the same volume, 202 {job_id} (doubt: its response is taken as the v2.1 one without volume_ids). */
export const createVolumeV2 = evsOperation({
  name: "CreateVolumeV2",
  method: "POST",
  path: "/v2/{project_id}/cloudvolumes",
  body: CreateBody,
  handle(ctx) {
    const h = { svc: ctx.svc, p: requireProject(ctx.scope), ids: ctx.ids, now: ctx.clock.now() };
    return { status: 202, body: { job_id: createVolumes(h, ctx.input.body).jobId } };
  },
});

export const createVolumeV3 = evsOperation({
  name: "CreateVolumeV3",
  method: "POST",
  path: "/v3/{project_id}/cloudvolumes",
  body: CreateBody,
  handle(ctx) {
    const h = { svc: ctx.svc, p: requireProject(ctx.scope), ids: ctx.ids, now: ctx.clock.now() };
    return { status: 200, body: { job_id: createVolumes(h, ctx.input.body).jobId } };
  },
});

export const showVolume = evsOperation({
  name: "ShowVolume",
  method: "GET",
  path: "/v2/{project_id}/cloudvolumes/{volume_id}",
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const v = requireVolume(ctx.svc.store, p, ctx.input.path.volume_id!);
    return { body: { volume: views.volume(v, ctx.svc.store.attachments(v.id), viewBase(ctx.request, p)) } };
  },
});

/** Metadata keys EVS sets itself; an update may not change them (EVS.2047). */
export const SYSTEM_METADATA: readonly string[] = ["__system__encrypted", "__system__cmkid", "hw:passthrough", "full_clone", "orderID"];

export function mergeMetadata(current: StringMap, requested: StringMap): StringMap {
  for (const key of SYSTEM_METADATA) {
    if (Object.hasOwn(requested, key) ? requested[key] !== current[key] : Object.hasOwn(current, key)) {
      throw evsErrors.metadataNotUpdatable(key);
    }
  }
  for (const [k, v] of Object.entries(requested)) {
    if (Buffer.byteLength(k) > 255 || Buffer.byteLength(v) > 255) throw evsErrors.metadataTooLarge("Metadata keys and values have at most 255 bytes.");
  }
  return requested;
}

export const updateVolume = evsOperation({
  name: "UpdateVolume",
  method: "PUT",
  path: "/v2/{project_id}/cloudvolumes/{volume_id}",
  body: z.object({ volume: z.object({ name: Text, description: Text, metadata: StringMapSchema.nullish() }) }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const { store } = ctx.svc;
    const v = requireVolume(store, p, ctx.input.path.volume_id!);
    const b = ctx.input.body.volume;
    if ((b.name === undefined || b.name === null) && (b.description === undefined || b.description === null) && !b.metadata) {
      throw evsErrors.nameAndDescriptionEmpty();
    }
    if (typeof b.name === "string") checkName(b.name);
    if (typeof b.description === "string") checkDescription(b.description);
    const metadata = b.metadata ? mergeMetadata(v.metadata, b.metadata) : undefined;
    store.update(p.projectId, v.id, { name: b.name ?? undefined, description: b.description ?? undefined, metadata }, ctx.clock.now());
    const updated = store.volume(p.projectId, v.id)!;
    return { body: views.volume(updated, store.attachments(v.id), viewBase(ctx.request, p)) };
  },
});

export const deleteVolume = evsOperation({
  name: "DeleteVolume",
  method: "DELETE",
  path: "/v2/{project_id}/cloudvolumes/{volume_id}",
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const { store } = ctx.svc;
    const v = requireVolume(store, p, ctx.input.path.volume_id!);
    orThrow(checkDeletable(store, v));
    const now = ctx.clock.now();
    const jobId = store.tx(() => {
      store.setStatus(p.projectId, v.id, "deleting", now);
      return submitVolumeJob({ jobs: ctx.svc.jobs, projectId: p.projectId, now }, "deleteVolume", v.id);
    });
    return { status: 200, body: { job_id: jobId } };
  },
});

export const volumeOperations = [createVolume, createVolumeV2, createVolumeV3, showVolume, updateVolume, deleteVolume];
