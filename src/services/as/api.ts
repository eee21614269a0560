// What Auto Scaling offers other services through rt.api("as"), read-only: Cloud Eye's built-in SYS.AS
// metrics read the INSERVICE groups of every project with the servers of their INSERVICE instances.
import type { AsContext } from "./context.ts";

export interface AsGroupInstances {
  projectId: string;
  groupId: string;
  /** The ECS server ids of the group's INSERVICE instances, oldest first. */
  serverIds: string[];
}

export interface AsApi {
  /** Every INSERVICE group, all projects. */
  groupsWithInstances(): AsGroupInstances[];
  /** Whether the project has a scaling group of that id (Cloud Eye's SYS.AS dimensions name one). */
  groupExists(projectId: string, groupId: string): boolean;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    as: AsApi;
  }
}

export function asApi(svc: AsContext): AsApi {
  return {
    groupExists(projectId, groupId) {
      return svc.store.groups.get(projectId, groupId) !== undefined;
    },
    groupsWithInstances() {
      return svc.store.groups
        .active()
        .filter((g) => g.status === "INSERVICE")
        .map((g) => ({
          projectId: g.project_id,
          groupId: g.id,
          serverIds: svc.store.instances.ofGroup(g.project_id, g.id).filter((i) => i.state === "INSERVICE").map((i) => i.id),
        }));
    },
  };
}
