// Zones, flavors and quotas (elb-facts §3.1): one zone set of the region's three zones, hwlocal's fixed
// flavors (model.ts), quotas at the reference's example figures with what the project uses.
import { availabilityZones } from "../../../kernel/regions.ts";
import { elbOperation, filtered, listQuery, one, page, requireScope, V3 } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { FLAVORS, QUOTA, type Flavor } from "../model.ts";
import type { ElbStore } from "../store/index.ts";

const flavorView = (f: Flavor, projectId: string) => ({
  id: f.id,
  name: f.name,
  type: f.type,
  shared: true,
  project_id: projectId,
  flavor_sold_out: false,
  public_border_group: "center",
  category: 0,
  info: f.info,
});

export const listAvailabilityZones = elbOperation({
  name: "ListAvailabilityZones",
  method: "GET",
  path: `${V3}/availability-zones`,
  query: listQuery,
  handle(ctx) {
    const { projectId, region } = requireScope(ctx.scope);
    const lbId = one(ctx.input.query, "loadbalancer_id");
    if (lbId !== undefined && !ctx.svc.store.loadbalancers.get(projectId, lbId)) throw elbErrors.notFound("Loadbalancer", lbId);
    const set = availabilityZones(region).map((code) => ({ code, state: "ACTIVE", protocol: ["L4", "L7"], public_border_group: "center", category: 0 }));
    return { body: { availability_zones: [set], request_id: ctx.request.requestId } };
  },
});

export const listFlavors = elbOperation({
  name: "ListFlavors",
  method: "GET",
  path: `${V3}/flavors`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered([...FLAVORS], q, {
      id: (f) => f.id,
      name: (f) => f.name,
      type: (f) => f.type,
      shared: () => true,
      flavor_sold_out: () => false,
      public_border_group: () => "center",
      category: () => 0,
    });
    const p = page(rows, q);
    return { body: { flavors: p.items.map((f) => flavorView(f, projectId)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showFlavor = elbOperation({
  name: "ShowFlavor",
  method: "GET",
  path: `${V3}/flavors/{flavor_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const id = ctx.input.path.flavor_id ?? "";
    const f = FLAVORS.find((x) => x.id === id);
    if (!f) throw elbErrors.notFound("Flavor", id);
    return { body: { flavor: flavorView(f, projectId), request_id: ctx.request.requestId } };
  },
});

export const showQuota = elbOperation({
  name: "ShowQuota",
  method: "GET",
  path: `${V3}/quotas`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    return { body: { quota: { project_id: projectId, ...QUOTA }, request_id: ctx.request.requestId } };
  },
});

function used(store: ElbStore, projectId: string): Record<keyof typeof QUOTA, number> {
  const pools = store.pools.list(projectId);
  return {
    loadbalancer: store.loadbalancers.count(projectId),
    certificate: store.certificates.count(projectId),
    listener: store.listeners.count(projectId),
    l7policy: store.l7policies.count(projectId),
    pool: pools.length,
    healthmonitor: store.monitors.count(projectId),
    member: store.members.count(projectId),
    members_per_pool: Math.max(0, ...pools.map((p) => store.members.byParent(projectId, p.id).length)),
    ipgroup: store.ipgroups.count(projectId),
    security_policy: store.securityPolicies.count(projectId),
  };
}

export const listQuotaDetails = elbOperation({
  name: "ListQuotaDetails",
  method: "GET",
  path: `${V3}/quotas/details`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const counts = used(ctx.svc.store, projectId);
    const keys = (Object.keys(QUOTA) as (keyof typeof QUOTA)[]).filter((k) => {
      const want = ctx.input.query.quota_key;
      if (want === undefined) return true;
      return (Array.isArray(want) ? want : [want]).includes(k);
    });
    const quotas = keys.map((k) => ({ quota_key: k, quota_limit: QUOTA[k], used: counts[k], unit: "count" }));
    return { body: { quotas, request_id: ctx.request.requestId } };
  },
});

export const listApiVersions = elbOperation({
  name: "ListApiVersions",
  method: "GET",
  path: "/versions",
  auth: "none",
  handle(ctx) {
    const version = (id: string, status: string) => ({ id, status, links: [{ rel: "self", href: `${ctx.request.serviceBase}/${id}/` }], min_version: "", updated: "2022-12-01T00:00:00Z", version: "" });
    return { body: { versions: [version("v3", "CURRENT"), version("v2", "SUPPORTED")], request_id: ctx.request.requestId } };
  },
});

export const catalogueOperations = [listAvailabilityZones, listFlavors, showFlavor, showQuota, listQuotaDetails, listApiVersions];
