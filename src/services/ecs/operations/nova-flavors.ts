// Nova's flavors (NovaListFlavors, NovaListFlavorsDetails with minDisk/minRam/is_public/sort/marker paging,
// NovaShowFlavor), the zone detail list that nova keeps for admins (403, so that the OpenStack CLI falls back
// to the plain list), and nova's quota sets and limits over ECS's quota (quota.ts) and what the project uses.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt, type EcsContext } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { FLAVORS, findFlavor, type FlavorSpec } from "../flavors-data.ts";
import { ECS_QUOTA } from "../quota.ts";
import { usage } from "../server-spec.ts";
import * as views from "../views.ts";
import { novaMinor, type NovaLinks } from "../views-nova.ts";
import { NovaHeaders } from "./nova-servers.ts";

/** From 2.55 a flavor carries its description (null for every catalogue flavor). */
const DESCRIPTION_MINOR = 55;

function flavorLinks(l: NovaLinks, id: string) {
  return [
    { rel: "self", href: `${l.serviceBase}/v2.1/${l.projectId}/flavors/${id}` },
    { rel: "bookmark", href: `${l.serviceBase}/${l.projectId}/flavors/${id}` },
  ];
}

/** Nova's flavor: disk 0 and swap "" as Huawei's flavors have them (system disks are EVS volumes). */
function novaFlavor(f: FlavorSpec, l: NovaLinks, minor: number) {
  return {
    id: f.id,
    name: f.id,
    vcpus: f.vcpus,
    ram: f.ram,
    disk: 0,
    swap: "",
    "OS-FLV-EXT-DATA:ephemeral": 0,
    "OS-FLV-DISABLED:disabled": false,
    rxtx_factor: 1.0,
    "os-flavor-access:is_public": true,
    links: flavorLinks(l, f.id),
    ...(minor >= DESCRIPTION_MINOR ? { description: null } : {}),
  };
}

const SORT = {
  flavorid: (f: FlavorSpec) => f.id,
  name: (f: FlavorSpec) => f.id,
  id: (f: FlavorSpec) => f.id,
  memory_mb: (f: FlavorSpec) => f.ram,
  vcpus: (f: FlavorSpec) => f.vcpus,
  root_gb: () => 0,
  swap: () => 0,
  ephemeral_gb: () => 0,
  rxtx_factor: () => 1,
  created_at: (f: FlavorSpec) => FLAVORS.indexOf(f),
} as const;
type SortKey = keyof typeof SORT;

const FlavorQuery = z.object({
  minDisk: queryInt(0, 1_000_000).optional(),
  minRam: queryInt(0, 100_000_000).optional(),
  // "None" lists public and private flavors alike; every catalogue flavor is public.
  is_public: z.enum(["true", "false", "True", "False", "1", "0", "none", "None"]).optional(),
  sort_key: z.enum(Object.keys(SORT) as [SortKey, ...SortKey[]]).optional(),
  sort_dir: z.enum(["asc", "desc"]).optional(),
  limit: queryInt(1, 1000).optional(),
  marker: z.string().max(255).optional(),
});
type FlavorQueryT = z.infer<typeof FlavorQuery>;

function flavorPage(q: FlavorQueryT): { flavors: FlavorSpec[]; next?: string } {
  const privateOnly = q.is_public !== undefined && ["false", "False", "0"].includes(q.is_public);
  let rows = privateOnly ? [] : FLAVORS.filter((f) => f.ram >= (q.minRam ?? 0) && (q.minDisk ?? 0) <= 0);
  const key = SORT[q.sort_key ?? "flavorid"];
  const dir = q.sort_dir === "desc" ? -1 : 1;
  rows = [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1) * dir;
  });
  let from = 0;
  if (q.marker !== undefined) {
    const at = rows.findIndex((f) => f.id === q.marker);
    if (at < 0) throw ecsErrors.invalidParameter(`marker [${q.marker}] not found.`);
    from = at + 1;
  }
  const limit = q.limit ?? 1000;
  const flavors = rows.slice(from, from + limit);
  const last = flavors[flavors.length - 1];
  return { flavors, next: last && from + limit < rows.length ? last.id : undefined };
}

function listOperation(name: string, detail: boolean) {
  return ecsOperation({
    name,
    method: "GET",
    path: `/v2.1/{project_id}/flavors${detail ? "/detail" : ""}`,
    query: FlavorQuery,
    headers: NovaHeaders,
    handle(ctx) {
      const { projectId } = projectScope(ctx.scope);
      const l = { serviceBase: ctx.request.serviceBase, projectId };
      const q = ctx.input.query;
      const { flavors, next } = flavorPage(q);
      const minor = novaMinor(ctx.input.headers);
      const body = flavors.map((f) => (detail ? novaFlavor(f, l, minor) : { id: f.id, name: f.id, links: flavorLinks(l, f.id) }));
      const href = `${ctx.request.serviceBase}/v2.1/${projectId}/flavors${detail ? "/detail" : ""}?limit=${q.limit ?? 1000}&marker=${next}`;
      return { body: { flavors: body, ...(next ? { flavors_links: [{ rel: "next", href }] } : {}) } };
    },
  });
}

export const novaListFlavors = listOperation("NovaListFlavors", false);
export const novaListFlavorsDetails = listOperation("NovaListFlavorsDetails", true);

export const novaShowFlavor = ecsOperation({
  name: "NovaShowFlavor",
  method: "GET",
  path: "/v2.1/{project_id}/flavors/{flavor_id}",
  headers: NovaHeaders,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const id = ctx.input.path.flavor_id!;
    const f = findFlavor(id);
    if (!f) throw ecsErrors.flavorNotFoundById(id);
    return { body: { flavor: novaFlavor(f, { serviceBase: ctx.request.serviceBase, projectId }, novaMinor(ctx.input.headers)) } };
  },
});

export const novaListAvailabilityZonesDetail = ecsOperation({
  name: "NovaListAvailabilityZonesDetail",
  method: "GET",
  path: "/v2.1/{project_id}/os-availability-zone/detail",
  handle(ctx) {
    projectScope(ctx.scope);
    // Nova's policy keeps the detail (hosts and services) for admins; Huawei documents no detail at all.
    throw ecsErrors.forbidden("Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed.");
  },
});

/** What the project uses and may use, by nova's quota names. */
function quotaFigures(ctx: { svc: EcsContext }, projectId: string, userId: string) {
  const store = ctx.svc.store;
  const used = usage(store, projectId);
  const q = ctx.svc.quota;
  const row = (limit: number, inUse = 0) => ({ limit, in_use: inUse, reserved: 0 });
  return {
    cores: row(q.cores, used.cores),
    instances: row(q.instances, used.instances),
    ram: row(q.ram, used.ram),
    key_pairs: row(ECS_QUOTA.keypairs, store.keypairs.count({ projectId, userId })),
    server_groups: row(ECS_QUOTA.serverGroups, store.serverGroups.count(projectId)),
    server_group_members: row(ECS_QUOTA.serverGroupMembers),
    metadata_items: row(ECS_QUOTA.serverMeta),
    injected_files: row(ECS_QUOTA.personality),
    injected_file_content_bytes: row(ECS_QUOTA.personalitySize),
    injected_file_path_bytes: row(255),
    fixed_ips: row(-1),
    floating_ips: row(ECS_QUOTA.floatingIps),
    security_groups: row(ECS_QUOTA.securityGroups),
    security_group_rules: row(ECS_QUOTA.securityGroupRules),
  };
}

function quotaOperation(name: string, suffix: "" | "/detail" | "/defaults") {
  return ecsOperation({
    name,
    method: "GET",
    path: `/v2.1/{project_id}/os-quota-sets/{tenant_id}${suffix}`,
    query: z.object({ user_id: z.string().max(64).optional() }),
    headers: NovaHeaders,
    handle(ctx) {
      const scope = projectScope(ctx.scope);
      const target = ctx.input.path.tenant_id!;
      // Only the project itself: another project's quota is not the caller's to read.
      if (target !== scope.projectId) throw ecsErrors.forbidden(`The project ${target} is not the caller's.`);
      const figures = quotaFigures(ctx, scope.projectId, ctx.input.query.user_id ?? scope.userId);
      const flat = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v.limit]));
      const set = suffix === "/detail" ? figures : flat;
      return { body: { quota_set: { id: target, ...set } } };
    },
  });
}

export const novaShowQuotaSet = quotaOperation("NovaShowQuotaSet", "");
export const novaShowQuotaSetDetail = quotaOperation("NovaShowQuotaSetDetail", "/detail");
export const novaShowQuotaSetDefaults = quotaOperation("NovaShowQuotaSetDefaults", "/defaults");

export const novaShowLimits = ecsOperation({
  name: "NovaShowLimits",
  method: "GET",
  path: "/v2.1/{project_id}/limits",
  query: z.object({ tenant_id: z.string().max(64).optional(), reserved: z.string().max(8).optional() }),
  headers: NovaHeaders,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const used = { ...usage(store, projectId), serverGroups: store.serverGroups.count(projectId) };
    const all = views.limits(used, ctx.svc.quota);
    // Nova's absolute limits: the keys nova 2.1 has (ECS's spot figures and limit_by_flavor are v1's).
    const keys = [
      "maxImageMeta", "maxPersonality", "maxPersonalitySize", "maxSecurityGroupRules", "maxSecurityGroups",
      "maxServerGroupMembers", "maxServerGroups", "maxServerMeta", "maxTotalCores", "maxTotalFloatingIps",
      "maxTotalInstances", "maxTotalKeypairs", "maxTotalRAMSize", "totalCoresUsed", "totalFloatingIpsUsed",
      "totalInstancesUsed", "totalRAMUsed", "totalSecurityGroupsUsed", "totalServerGroupsUsed",
    ] as const;
    const absolute = Object.fromEntries(keys.map((k) => [k, all[k]]));
    return { body: { limits: { rate: [], absolute } } };
  },
});

export const novaFlavorOperations = [
  novaListFlavors,
  novaListFlavorsDetails,
  novaShowFlavor,
  novaListAvailabilityZonesDetail,
  novaShowQuotaSet,
  novaShowQuotaSetDetail,
  novaShowQuotaSetDefaults,
  novaShowLimits,
];
