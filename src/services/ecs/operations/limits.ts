// The project's ECS quota with what is used: servers, their cores and RAM (by flavor), server groups.
import { ecsOperation, projectScope } from "../context.ts";
import { usage } from "../server-spec.ts";
import * as views from "../views.ts";

export const showServerLimits = ecsOperation({
  name: "ShowServerLimits",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/limits",
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const used = { ...usage(store, projectId), serverGroups: store.serverGroups.count(projectId) };
    return { body: { absolute: views.limits(used, ctx.svc.quota) } };
  },
});

export const limitOperations = [showServerLimits];
