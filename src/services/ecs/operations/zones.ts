// Availability zones of the project's region, in the v1 and the nova spellings.
import { ecsOperation, projectScope, zonesOf } from "../context.ts";
import * as views from "../views.ts";

export const listServerAzInfo = ecsOperation({
  name: "ListServerAzInfo",
  method: "GET",
  path: "/v1/{project_id}/availability-zones",
  handle(ctx) {
    const zones = zonesOf(projectScope(ctx.scope));
    return { body: { availability_zones: zones.map((z, i) => views.azInfo(z, i)) } };
  },
});

export const novaListAvailabilityZones = ecsOperation({
  name: "NovaListAvailabilityZones",
  method: "GET",
  path: "/v2.1/{project_id}/os-availability-zone",
  handle(ctx) {
    const zones = zonesOf(projectScope(ctx.scope));
    return { body: { availabilityZoneInfo: zones.map(views.novaAz) } };
  },
});

export const zoneOperations = [listServerAzInfo, novaListAvailabilityZones];
