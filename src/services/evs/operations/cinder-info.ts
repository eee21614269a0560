// What cinder clients read besides volumes, on /v2 and /v3: CinderListAvailabilityZones (the region's zones),
// CinderListVolumeTypes and CinderShowVolumeType (EVS's disk types, each sold in every zone of the region),
// CinderListQuotas (EVS's per-project quota with what the project uses, in total and by type), the quota
// defaults and cinder's absolute limits (CinderShowQuotaDefaults and CinderShowLimits: names ours).
import { z } from "../../../kernel/zod.ts";
import { evsOperation, requireProject, zonesOf, type EvsContext } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { VOLUME_TYPES, volumeTypeId } from "../rules.ts";

const VERSIONS = [
  ["v2", ""],
  ["v3", "V3"],
] as const;

function volumeType(name: string, zones: readonly string[]) {
  return {
    id: volumeTypeId(name),
    name,
    description: null,
    is_public: true,
    "os-volume-type-access:is_public": true,
    qos_specs_id: null,
    extra_specs: {
      volume_backend_name: name,
      "availability-zone": zones.join(","),
      "RESKEY:availability_zones": zones.join(","),
      "os-vendor-extended:sold_out_availability_zones": "",
    },
  };
}

/** Volume types (and snapshots, backups: hwlocal has none) have no quota of their own: -1 as cinder writes "unlimited". */
const UNLIMITED = -1;

type QuotaDetail = { limit: number; in_use: number; reserved: number; allocated: number };

/** Only the caller's own project: another project's quota is not the caller's to read. */
function ownTarget(projectId: string, target: string): string {
  if (target !== projectId) throw evsErrors.forbidden(`The project ${target.slice(0, 64)} is not the caller's.`);
  return target;
}

/** EVS's quota with what the project uses, in total and by volume type, by cinder's names. */
function quotaFigures(svc: EvsContext, projectId: string): Record<string, QuotaDetail> {
  const { store } = svc;
  const used = store.usage(projectId);
  const byType = new Map<string, { volumes: number; gigabytes: number }>();
  for (const v of store.volumes(projectId)) {
    const t = byType.get(v.volumeType) ?? { volumes: 0, gigabytes: 0 };
    byType.set(v.volumeType, { volumes: t.volumes + 1, gigabytes: t.gigabytes + v.size });
  }
  const detail = (limit: number, inUse: number): QuotaDetail => ({ limit, in_use: inUse, reserved: 0, allocated: 0 });
  const figures: Record<string, QuotaDetail> = {
    volumes: detail(store.quota.volumes, used.volumes),
    gigabytes: detail(store.quota.gigabytes, used.gigabytes),
    snapshots: detail(UNLIMITED, 0),
    backups: detail(UNLIMITED, 0),
    backup_gigabytes: detail(UNLIMITED, 0),
    per_volume_gigabytes: detail(32_768, 0),
    groups: detail(UNLIMITED, 0),
  };
  for (const t of VOLUME_TYPES) {
    const u = byType.get(t);
    figures[`volumes_${t}`] = detail(UNLIMITED, u?.volumes ?? 0);
    figures[`gigabytes_${t}`] = detail(UNLIMITED, u?.gigabytes ?? 0);
    figures[`snapshots_${t}`] = detail(UNLIMITED, 0);
  }
  return figures;
}

const limitsOnly = (figures: Record<string, QuotaDetail>) => Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v.limit]));

export const cinderInfoOperations = VERSIONS.flatMap(([version, suffix]) => [
  evsOperation({
    name: `CinderListAvailabilityZones${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/os-availability-zone`,
    handle(ctx) {
      const zones = zonesOf(requireProject(ctx.scope));
      return { body: { availabilityZoneInfo: zones.map((zoneName) => ({ zoneName, zoneState: { available: true } })) } };
    },
  }),
  evsOperation({
    name: `CinderListVolumeTypes${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/types`,
    query: z.object({ is_public: z.string().max(8).optional() }),
    handle(ctx) {
      const zones = zonesOf(requireProject(ctx.scope));
      const privateOnly = ["false", "False", "0"].includes(ctx.input.query.is_public ?? "");
      return { body: { volume_types: privateOnly ? [] : VOLUME_TYPES.map((t) => volumeType(t, zones)) } };
    },
  }),
  evsOperation({
    name: `CinderShowVolumeType${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/types/{type_id}`,
    handle(ctx) {
      const zones = zonesOf(requireProject(ctx.scope));
      const id = ctx.input.path.type_id!;
      // By id, or by name as cinder also accepts.
      const name = VOLUME_TYPES.find((t) => volumeTypeId(t) === id || t === id);
      if (!name) throw evsErrors.volumeTypeNotFound(id);
      return { body: { volume_type: volumeType(name, zones) } };
    },
  }),
  evsOperation({
    name: `CinderListQuotas${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/os-quota-sets/{target_project_id}`,
    query: z.object({ usage: z.enum(["True", "true", "False", "false"]).optional() }),
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const target = ownTarget(p.projectId, ctx.input.path.target_project_id!);
      const figures = quotaFigures(ctx.svc, p.projectId);
      const withUsage = ["True", "true"].includes(ctx.input.query.usage ?? "");
      return { body: { quota_set: { id: target, ...(withUsage ? figures : limitsOnly(figures)) } } };
    },
  }),
  evsOperation({
    name: `CinderShowQuotaDefaults${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/os-quota-sets/{target_project_id}/defaults`,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const target = ownTarget(p.projectId, ctx.input.path.target_project_id!);
      return { body: { quota_set: { id: target, ...limitsOnly(quotaFigures(ctx.svc, p.projectId)) } } };
    },
  }),
  evsOperation({
    name: `CinderShowLimits${suffix}`,
    method: "GET",
    path: `/${version}/{project_id}/limits`,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const f = quotaFigures(ctx.svc, p.projectId);
      const absolute = {
        maxTotalVolumes: f.volumes!.limit,
        maxTotalVolumeGigabytes: f.gigabytes!.limit,
        maxTotalSnapshots: f.snapshots!.limit,
        maxTotalBackups: f.backups!.limit,
        maxTotalBackupGigabytes: f.backup_gigabytes!.limit,
        totalVolumesUsed: f.volumes!.in_use,
        totalGigabytesUsed: f.gigabytes!.in_use,
        totalSnapshotsUsed: 0,
        totalBackupsUsed: 0,
        totalBackupGigabytesUsed: 0,
      };
      return { body: { limits: { rate: [], absolute } } };
    },
  }),
]);
