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

export const flavorOperations = [listFlavors, novaShowFlavorExtraSpecs];
