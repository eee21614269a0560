// Cinder's volume metadata on /v2 and /v3 (V3 suffix): show, add (merge), update (replace), and one item's
// show, update and delete. It is EVS's user metadata: the keys EVS sets itself (encryption, passthrough) can
// be read but neither changed nor removed (EVS.2047), and a replace keeps them.
import { z } from "../../../kernel/zod.ts";
import { evsOperation, isUuid, requireProject, type EvsContext, type ProjectScope } from "../context.ts";
import { evsErrors } from "../errors.ts";
import type { StringMap, VolumeRow } from "../store.ts";
import { mergeMetadata, SYSTEM_METADATA } from "./volumes.ts";

const VERSIONS = [
  ["v2", ""],
  ["v3", "V3"],
] as const;

const Metadata = z.record(z.string(), z.string());

function volumeOf(svc: EvsContext, p: ProjectScope, id: string): VolumeRow {
  const v = isUuid(id) ? svc.store.volume(p.projectId, id) : undefined;
  if (!v) throw evsErrors.volumeNotFound(id);
  return v;
}

/** A request may name EVS's own keys only with the values they have. */
function checkSystemKeys(v: VolumeRow, wanted: StringMap): void {
  const changed = SYSTEM_METADATA.find((k) => Object.hasOwn(wanted, k) && wanted[k] !== v.metadata[k]);
  if (changed !== undefined) throw evsErrors.metadataNotUpdatable(changed);
}

/** Writes the volume's whole metadata, system keys as they were. */
function save(svc: EvsContext, p: ProjectScope, v: VolumeRow, next: StringMap, now: number): StringMap {
  const system = Object.fromEntries(Object.entries(v.metadata).filter(([k]) => SYSTEM_METADATA.includes(k)));
  const metadata = mergeMetadata(v.metadata, { ...next, ...system });
  svc.store.update(p.projectId, v.id, { metadata }, now);
  return metadata;
}

export const cinderMetadataOperations = VERSIONS.flatMap(([version, suffix]) => {
  const base = `/${version}/{project_id}/volumes/{volume_id}/metadata`;
  return [
    evsOperation({
      name: `CinderShowVolumeMetadata${suffix}`,
      method: "GET",
      path: base,
      handle(ctx) {
        return { body: { metadata: volumeOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.volume_id!).metadata } };
      },
    }),
    evsOperation({
      name: `CinderAddVolumeMetadata${suffix}`,
      method: "POST",
      path: base,
      body: z.object({ metadata: Metadata }),
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const v = volumeOf(ctx.svc, p, ctx.input.path.volume_id!);
        const wanted = ctx.input.body.metadata;
        checkSystemKeys(v, wanted);
        return { body: { metadata: save(ctx.svc, p, v, { ...v.metadata, ...wanted }, ctx.clock.now()) } };
      },
    }),
    evsOperation({
      name: `CinderUpdateVolumeMetadata${suffix}`,
      method: "PUT",
      path: base,
      body: z.object({ metadata: Metadata }),
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const v = volumeOf(ctx.svc, p, ctx.input.path.volume_id!);
        const wanted = ctx.input.body.metadata;
        checkSystemKeys(v, wanted);
        return { body: { metadata: save(ctx.svc, p, v, wanted, ctx.clock.now()) } };
      },
    }),
    evsOperation({
      name: `CinderShowVolumeMetadataItem${suffix}`,
      method: "GET",
      path: `${base}/{key}`,
      handle(ctx) {
        const v = volumeOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.volume_id!);
        const key = ctx.input.path.key!;
        const value = v.metadata[key];
        if (value === undefined) throw evsErrors.metadataNotFound(key);
        return { body: { meta: { [key]: value } } };
      },
    }),
    evsOperation({
      name: `CinderUpdateVolumeMetadataItem${suffix}`,
      method: "PUT",
      path: `${base}/{key}`,
      body: z.object({ meta: Metadata }),
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const v = volumeOf(ctx.svc, p, ctx.input.path.volume_id!);
        const key = ctx.input.path.key!;
        const meta = ctx.input.body.meta;
        if (Object.keys(meta).length !== 1 || meta[key] === undefined) throw evsErrors.malformedBody("meta must hold exactly the key of the path.");
        if (SYSTEM_METADATA.includes(key) && meta[key] !== v.metadata[key]) throw evsErrors.metadataNotUpdatable(key);
        save(ctx.svc, p, v, { ...v.metadata, ...meta }, ctx.clock.now());
        return { body: { meta } };
      },
    }),
    evsOperation({
      name: `CinderDeleteVolumeMetadataItem${suffix}`,
      method: "DELETE",
      path: `${base}/{key}`,
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const v = volumeOf(ctx.svc, p, ctx.input.path.volume_id!);
        const key = ctx.input.path.key!;
        if (v.metadata[key] === undefined) throw evsErrors.metadataNotFound(key);
        if (SYSTEM_METADATA.includes(key)) throw evsErrors.metadataNotUpdatable(key);
        const rest = { ...v.metadata };
        delete rest[key];
        save(ctx.svc, p, v, rest, ctx.clock.now());
        return { status: 200 };
      },
    }),
  ];
});

/** The cinder extensions hwlocal's volumes carry (CinderListExtensions). */
const EXTENSIONS = [
  ["AvailabilityZones", "os-availability-zone", "Describe Availability Zones."],
  ["Quotas", "os-quota-sets", "Quota management support."],
  ["Types", "types", "Volume types."],
  ["VolumeActions", "os-volume-actions", "Enable volume actions."],
  ["VolumeHostAttribute", "os-vol-host-attr", "Expose host as an attribute of a volume."],
  ["VolumeTenantAttribute", "os-vol-tenant-attr", "Expose the internal project_id as an attribute of a volume."],
  ["VolumeMigStatusAttribute", "os-vol-mig-status-attr", "Expose migration_status as an attribute of a volume."],
  ["VolumeImageMetadata", "os-vol-image-meta", "Show image metadata associated with the volume."],
  ["VolumeTransfer", "os-volume-transfer", "Volume transfer management support."],
] as const;

export const cinderExtensionOperations = VERSIONS.map(([version, suffix]) =>
  evsOperation({
    name: `CinderListExtensions${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/extensions`,
    handle(ctx) {
      requireProject(ctx.scope);
      const extensions = EXTENSIONS.map(([name, alias, description]) => ({ name, alias, description, updated: "2013-01-01T00:00:00+00:00", links: [] }));
      return { body: { extensions } };
    },
  }),
);
