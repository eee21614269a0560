// The project's ECS quota with what is used: servers, their cores and RAM (by flavor), server groups.
import { ecsOperation, projectScope } from "../context.ts";
import { findFlavor } from "../flavors-data.ts";
import * as views from "../views.ts";

export const showServerLimits = ecsOperation({
  name: "ShowServerLimits",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/limits",
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    let cores = 0;
    let ram = 0;
    for (const { flavorId, count } of store.servers.flavorUsage(projectId)) {
      const f = findFlavor(flavorId);
      cores += (f?.vcpus ?? 0) * count;
      ram += (f?.ram ?? 0) * count;
    }
    const used = { instances: store.servers.countInProject(projectId), cores, ram, serverGroups: store.serverGroups.count(projectId) };
    return { body: { absolute: views.limits(used) } };
  },
});

export const limitOperations = [showServerLimits];
