// Cinder's volumes over EVS, the same on /v2/{project_id} and /v3/{project_id} (the v3 operations carry a V3
// suffix): CinderCreateVolume (202, the volume "creating", made available by EVS's createVolume job),
// CinderListVolumes ({id, links, name}), CinderListVolumesDetails, CinderShowVolume, CinderUpdateVolume and
// CinderDeleteVolume (202, EVS's deleteVolume job). The volumes are EVS's: what one API makes the other shows.
import { z } from "../../../kernel/zod.ts";
import type { RequestInfo } from "../../../kernel/service.ts";
import { evsOperation, isUuid, requireProject, viewBase, type EvsContext, type ProjectScope } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { submitVolumeJob } from "../jobs.ts";
import { checkDeletable, orThrow } from "../lifecycle.ts";
import { checkDescription, checkName } from "../rules.ts";
import type { VolumeRow } from "../store.ts";
import * as views from "../views.ts";
import { ListQuery, links, page } from "./list.ts";
import { CreateBody, createVolumes, mergeMetadata } from "./volumes.ts";

type Version = "v2" | "v3";
const VERSIONS = [
  ["v2", ""],
  ["v3", "V3"],
] as const satisfies readonly (readonly [Version, string])[];

/** The system disk type EVS gives a cinder volume created without volume_type (index.ts, Doubts). */
export const CINDER_DEFAULT_VOLUME_TYPE = "SATA";

/** A volume by id on a cinder path: an unknown id, or a name, is cinder's 404 (clients then look names up in the list). */
function cinderVolume(svc: EvsContext, p: ProjectScope, id: string): VolumeRow {
  const v = isUuid(id) ? svc.store.volume(p.projectId, id) : undefined;
  if (!v) throw evsErrors.volumeNotFound(id);
  return v;
}

/** EVS's volume with links under the cinder version the caller used. */
function cinderView(svc: EvsContext, v: VolumeRow, request: RequestInfo, p: ProjectScope, version: Version) {
  const body = views.volume(v, svc.store.attachments(v.id), viewBase(request, p));
  const href = `${request.serviceBase}/${version}/${p.projectId}/volumes/${v.id}`;
  return { ...body, links: [{ href, rel: "self" }, { href: `${request.serviceBase}/${p.projectId}/volumes/${v.id}`, rel: "bookmark" }] };
}

const Text = z.string().nullish();

const CinderCreateBody = z.object({
  volume: z
    .object({
      // Huawei requires the zone; the clients send null when none is given, refused below with EVS's code.
      availability_zone: Text,
      size: z.number().nullish(),
      name: Text,
      description: Text,
      volume_type: Text,
      imageRef: Text,
      snapshot_id: Text,
      source_volid: Text,
      backup_id: Text,
      consistencygroup_id: Text,
      metadata: z.record(z.string(), z.string()).nullish(),
      multiattach: z.boolean().nullish(),
      shareable: Text,
    })
    .loose(),
  "OS-SCH-HNT:scheduler_hints": z.object({ dedicated_storage_id: Text }).loose().nullish(),
});

function createOperation(version: Version, suffix: string) {
  return evsOperation({
    name: `CinderCreateVolume${suffix}`,
    method: "POST",
    path: `/${version}/{project_id}/volumes`,
    body: CinderCreateBody,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const b = ctx.input.body.volume;
      if (!b.availability_zone) throw evsErrors.availabilityZoneRequired();
      if (b.source_volid) throw evsErrors.malformedBody("Cloning a volume (source_volid) is not supported.");
      const body: CreateBody = {
        volume: {
          availability_zone: b.availability_zone,
          volume_type: b.volume_type ?? CINDER_DEFAULT_VOLUME_TYPE,
          size: b.size,
          name: b.name,
          description: b.description,
          imageRef: b.imageRef,
          snapshot_id: b.snapshot_id,
          backup_id: b.backup_id,
          metadata: b.metadata,
          multiattach: b.multiattach,
          shareable: b.shareable,
        },
        "OS-SCH-HNT:scheduler_hints": ctx.input.body["OS-SCH-HNT:scheduler_hints"] ?? undefined,
      };
      const h = { svc: ctx.svc, p, ids: ctx.ids, now: ctx.clock.now() };
      const { volumeIds } = createVolumes(h, body);
      const v = ctx.svc.store.volume(p.projectId, volumeIds[0]!)!;
      return { status: 202, body: { volume: cinderView(ctx.svc, v, ctx.request, p, version) } };
    },
  });
}

/** all_tenants, project_id and sort (cinder's) are accepted and ignored: a caller sees its own project. */
const CinderListQuery = ListQuery.extend({
  all_tenants: z.string().optional(),
  project_id: z.string().optional(),
  sort: z.string().optional(),
  with_count: z.string().optional(),
});

function listOperation(version: Version, suffix: string, detail: boolean) {
  const path = detail ? "volumes/detail" : "volumes";
  return evsOperation({
    name: `CinderListVolumes${detail ? "Details" : ""}${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/${path}`,
    query: CinderListQuery,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const q = ctx.input.query;
      // cinder's sort=key:dir[,key:dir…]: the first key orders the list
      const [sortKey, sortDir] = (q.sort ?? "").split(",")[0]!.split(":");
      const query = { ...q, sort_key: q.sort_key ?? (sortKey || undefined), sort_dir: q.sort_dir ?? (sortDir || undefined) };
      const r = page(ctx.svc, p, query, ctx.request, path, version);
      const volumes = detail
        ? r.volumes.map((v) => cinderView(ctx.svc, v, ctx.request, p, version))
        : r.volumes.map((v) => ({ id: v.id, name: v.name, links: cinderView(ctx.svc, v, ctx.request, p, version).links }));
      return { body: { volumes, ...(q.with_count === "true" ? { count: r.count } : {}), ...links(r.next) } };
    },
  });
}

function showOperation(version: Version, suffix: string) {
  return evsOperation({
    name: `CinderShowVolume${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/volumes/{volume_id}`,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const v = cinderVolume(ctx.svc, p, ctx.input.path.volume_id!);
      return { body: { volume: cinderView(ctx.svc, v, ctx.request, p, version) } };
    },
  });
}

function updateOperation(version: Version, suffix: string) {
  return evsOperation({
    name: `CinderUpdateVolume${suffix}`,
    method: "PUT",
    path: `/${version}/{project_id}/volumes/{volume_id}`,
    body: z.object({
      volume: z.object({
        name: Text,
        description: Text,
        display_name: Text,
        display_description: Text,
        metadata: z.record(z.string(), z.string()).nullish(),
      }),
    }),
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const { store } = ctx.svc;
      const v = cinderVolume(ctx.svc, p, ctx.input.path.volume_id!);
      const b = ctx.input.body.volume;
      const name = b.name ?? b.display_name ?? undefined;
      const description = b.description ?? b.display_description ?? undefined;
      if (name === undefined && description === undefined && !b.metadata) throw evsErrors.nameAndDescriptionEmpty();
      if (name !== undefined) checkName(name);
      if (description !== undefined) checkDescription(description);
      // Cinder's update replaces the user metadata, as EVS's UpdateVolume does.
      const metadata = b.metadata ? mergeMetadata(v.metadata, b.metadata) : undefined;
      store.update(p.projectId, v.id, { name, description, metadata }, ctx.clock.now());
      return { body: { volume: cinderView(ctx.svc, store.volume(p.projectId, v.id)!, ctx.request, p, version) } };
    },
  });
}

function deleteOperation(version: Version, suffix: string) {
  return evsOperation({
    name: `CinderDeleteVolume${suffix}`,
    method: "DELETE",
    path: `/${version}/{project_id}/volumes/{volume_id}`,
    query: z.object({ cascade: z.enum(["true", "false", "True", "False"]).optional() }),
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const { store } = ctx.svc;
      const v = cinderVolume(ctx.svc, p, ctx.input.path.volume_id!);
      orThrow(checkDeletable(store, v));
      const now = ctx.clock.now();
      store.tx(() => {
        store.setStatus(p.projectId, v.id, "deleting", now);
        submitVolumeJob({ jobs: ctx.svc.jobs, projectId: p.projectId, now }, "deleteVolume", v.id);
      });
      return { status: 202 };
    },
  });
}

/** CinderShowVolumeV1: cinder v1's spelling of a volume (display_name, display_description). */
export const cinderShowVolumeV1 = evsOperation({
  name: "CinderShowVolumeV1",
  method: "GET",
  path: "/v1/{project_id}/volumes/{volume_id}",
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const v = cinderVolume(ctx.svc, p, ctx.input.path.volume_id!);
    const full = views.volume(v, ctx.svc.store.attachments(v.id), viewBase(ctx.request, p));
    const volume = {
      id: v.id,
      display_name: v.name,
      display_description: v.description,
      status: v.status,
      size: v.size,
      availability_zone: v.availabilityZone,
      created_at: full.created_at,
      attachments: full.attachments,
      volume_type: v.volumeType,
      snapshot_id: v.snapshotId,
      source_volid: null,
      metadata: v.metadata,
      bootable: full.bootable,
      shareable: full.shareable,
      multiattach: v.multiattach,
      encrypted: full.encrypted,
      "os-vol-tenant-attr:tenant_id": v.projectId,
      "os-vol-host-attr:host": full["os-vol-host-attr:host"],
      volume_image_metadata: full.volume_image_metadata,
    };
    return { body: { volume } };
  },
});

export const cinderVolumeOperations = VERSIONS.flatMap(([version, suffix]) => [
  createOperation(version, suffix),
  listOperation(version, suffix, false),
  listOperation(version, suffix, true),
  showOperation(version, suffix),
  updateOperation(version, suffix),
  deleteOperation(version, suffix),
]).concat([cinderShowVolumeV1]);
