// Flavors: the v1 flavor list (with zone filter and marker paging) and nova's extra specs of one flavor.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt, zonesOf } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { FLAVORS, findFlavor, flavorZones } from "../flavors-data.ts";
import * as views from "../views.ts";

export const listFlavors = ecsOperation({
  name: "ListFlavors",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/flavors",
  query: z.object({
    availability_zone: z.string().optional(),
    flavor_id: z.string().optional(),
    limit: queryInt(1, 1000).optional(),
    marker: z.string().optional(),
  }),
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const zones = zonesOf(p);
    const q = ctx.input.query;
    // A zone the region does not have sells nothing: an empty list, as for a zone where every flavor is sold out.
    let flavors = FLAVORS.filter(
      (f) =>
        (q.availability_zone === undefined || flavorZones(f, zones).includes(q.availability_zone)) &&
        (q.flavor_id === undefined || f.id === q.flavor_id),
    );
    if (q.marker !== undefined) {
      const at = flavors.findIndex((f) => f.id === q.marker);
      if (at < 0) throw ecsErrors.invalidParameter(`marker: the flavor ${q.marker} is not in the list.`);
      flavors = flavors.slice(at + 1);
    }
    if (q.limit !== undefined) flavors = flavors.slice(0, q.limit);
    const c = { serviceBase: ctx.request.serviceBase, projectId: p.projectId, zones };
    return { body: { flavors: flavors.map((f) => views.flavor(f, c)) } };
  },
});

export const novaShowFlavorExtraSpecs = ecsOperation({
  name: "NovaShowFlavorExtraSpecs",
  method: "GET",
  path: "/v2.1/{project_id}/flavors/{flavor_id}/os-extra_specs",
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const id = ctx.input.path.flavor_id ?? "";
    const f = findFlavor(id);
    if (!f) throw ecsErrors.flavorNotFoundById(id);
    return { body: { extra_specs: views.flavorExtraSpecs(f, zonesOf(p)) } };
  },
});

const SELL_MODES = ["postPaid", "prePaid"] as const;

export const listFlavorSellPolicies = ecsOperation({
  name: "ListFlavorSellPolicies",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/flavor-sell-policies",
  query: z.object({
    flavor_id: z.string().optional(),
    sell_status: z.enum(["available", "sellout"]).optional(),
    sell_mode: z.enum(["postPaid", "prePaid", "spot", "ri"]).optional(),
    availability_zone_id: z.string().optional(),
    longest_spot_duration_hours_gt: z.string().optional(),
    largest_spot_duration_count_gt: z.string().optional(),
    longest_spot_duration_hours: z.string().optional(),
    largest_spot_duration_count: z.string().optional(),
    interruption_policy: z.enum(["immediate", "delay"]).optional(),
    limit: queryInt(1, 1000).optional(),
    marker: queryInt(0, 1_000_000_000).optional(),
  }),
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const zones = zonesOf(p);
    const q = ctx.input.query;
    // One policy per flavor, zone and sell mode, numbered in that order; every policy is on sale (spot and
    // reserved instances are not sold here, so their filters find none).
    let n = 0;
    const all = FLAVORS.flatMap((f) =>
      zones.flatMap((az) =>
        SELL_MODES.map((mode) => ({ id: ++n, flavor_id: f.id, sell_status: flavorZones(f, zones).includes(az) ? "available" : "sellout", availability_zone_id: az, sell_mode: mode })),
      ),
    );
    const found = all.filter(
      (x) =>
        (q.flavor_id === undefined || x.flavor_id === q.flavor_id) &&
        (q.sell_status === undefined || x.sell_status === q.sell_status) &&
        (q.sell_mode === undefined || x.sell_mode === q.sell_mode) &&
        (q.availability_zone_id === undefined || x.availability_zone_id === q.availability_zone_id) &&
        q.interruption_policy === undefined,
    );
    const after = q.marker === undefined ? found : found.filter((x) => x.id > q.marker!);
    return { body: { count: found.length, sell_policies: after.slice(0, q.limit ?? 1000) } };
  },
});

export const showFlavorCapacity = ecsOperation({
  name: "ShowFlavorCapacity",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/flavors/{flavor_id}/resources",
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const id = ctx.input.path.flavor_id ?? "";
    const f = findFlavor(id);
    if (!f) throw ecsErrors.flavorNotFoundById(id);
    const zones = flavorZones(f, zonesOf(p));
    // The first zone that sells the flavor is the preferred one.
    return { body: { resources: zones.map((az, i) => ({ region_id: p.region, availability_zone: az, prefer: i === 0 })) } };
  },
});

export const flavorOperations = [listFlavors, novaShowFlavorExtraSpecs, listFlavorSellPolicies, showFlavorCapacity];
