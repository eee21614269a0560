// What an alarm rule names outside Cloud Eye must be the caller's own: the SMN topics of its notification
// actions, and, for the built-in namespaces hwlocal serves, the server (SYS.ECS instance_id) or scaling group
// (SYS.AS AutoScalingGroup) its dimensions name. Another project's topic, server or group is, from where the
// caller stands, one that does not exist: 400 ces.0014 (see the Doubts in index.ts).
import type { CesContext } from "./context.ts";
import { cesErrors } from "./errors.ts";
import type { AlarmAction } from "./model.ts";

/** The built-in dimensions whose values are ids of another service's resources, and how to look them up. */
const RESOURCE_DIMENSIONS: Record<string, Record<string, (svc: CesContext, projectId: string, id: string) => boolean>> = {
  "SYS.ECS": { instance_id: (svc, p, id) => svc.running.ecs()?.server(p, id) !== undefined },
  "SYS.AS": { AutoScalingGroup: (svc, p, id) => svc.running.as()?.groupExists(p, id) ?? false },
};

/** Every notification action's topics must be SMN topics of the project. */
export function checkTopics(svc: CesContext, projectId: string, lists: (AlarmAction[] | undefined)[]): void {
  for (const actions of lists) {
    for (const a of actions ?? []) {
      if (a.type !== "notification") continue;
      const missing = a.notificationList.find((urn) => !(svc.running.smn()?.topicExists(projectId, urn) ?? false));
      if (missing !== undefined) throw cesErrors.bodyInvalid(`notificationList: the project has no SMN topic ${missing}.`);
    }
  }
}

/** A SYS.ECS / SYS.AS rule's resource dimensions must name the project's own server or scaling group. */
export function checkDimensions(svc: CesContext, projectId: string, metric: { namespace: string; dimensions: { name: string; value: string }[] }): void {
  const lookups = RESOURCE_DIMENSIONS[metric.namespace];
  if (!lookups) return;
  for (const d of metric.dimensions) {
    const exists = lookups[d.name];
    if (exists && !exists(svc, projectId, d.value)) {
      throw cesErrors.bodyInvalid(`metric.dimensions: ${d.name} ${d.value} is not a resource of the project.`);
    }
  }
}
