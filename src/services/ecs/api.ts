// What ECS offers other services through rt.api("ecs"): its servers, read-only (IMS makes private images
// from a server; Auto Scaling will launch and remove servers through the operations' own code later).
import type { EcsStore } from "./store.ts";
import type { ServerStatus } from "./store-servers.ts";

export interface EcsServerInfo {
  id: string;
  name: string;
  status: ServerStatus;
  imageId: string;
  flavorId: string;
  rootVolumeId: string | null;
  availabilityZone: string;
}

export interface EcsApi {
  /** A server of the project that exists (not DELETED), or undefined. */
  server(projectId: string, serverId: string): EcsServerInfo | undefined;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    ecs: EcsApi;
  }
}

export function ecsApi(store: EcsStore): EcsApi {
  return {
    server(projectId, serverId) {
      const s = store.servers.get(projectId, serverId);
      if (!s || s.status === "DELETED") return undefined;
      return {
        id: s.id,
        name: s.name,
        status: s.status,
        imageId: s.image_id,
        flavorId: s.flavor_id,
        rootVolumeId: s.root_volume_id,
        availabilityZone: s.availability_zone,
      };
    },
  };
}
