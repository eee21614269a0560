// Quotas (/quotas): the project's groups and configurations, and one group's policies and instances (§1.8).
import { asOperation, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import * as views from "../views.ts";

export const showResourceQuota = asOperation({
  name: "ShowResourceQuota",
  method: "GET",
  path: `${PROJECT_PATH}/quotas`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    return { body: views.resourceQuotas({ groups: store.groups.count(projectId), configs: store.configs.count(projectId) }) };
  },
});

export const showPolicyAndInstanceQuota = asOperation({
  name: "ShowPolicyAndInstanceQuota",
  method: "GET",
  path: `${PROJECT_PATH}/quotas/{scaling_group_id}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const id = pathParam(ctx.input.path, "scaling_group_id");
    const { store } = ctx.svc;
    if (!store.groups.get(projectId, id)) throw asErrors.groupNotFound();
    return { body: views.groupQuotas({ policies: store.policies.count(projectId, id), instances: store.instances.ofGroup(projectId, id).length }) };
  },
});

export const quotaOperations = [showResourceQuota, showPolicyAndInstanceQuota];
