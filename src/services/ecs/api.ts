// What ECS offers other services through rt.api("ecs"): its servers read-only (IMS makes private images
// from a server), and launching and deleting servers for Auto Scaling through the very code the
// operations use — planServers' checks, the createServer and deleteServer jobs (server-launch.ts); Cloud Eye
// reads the ACTIVE servers of a project for its built-in SYS.ECS metrics.
import { ApiError } from "../../kernel/api-error.ts";
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import type { EcsContext } from "./context.ts";
import { launchServers, submitServerDeletion } from "./server-launch.ts";
import { planServers, type CreateServerRequest } from "./server-spec.ts";
import type { ServerRow, ServerStatus } from "./store-servers.ts";

export interface EcsServerInfo {
  id: string;
  name: string;
  status: ServerStatus;
  imageId: string;
  flavorId: string;
  vpcId: string;
  rootVolumeId: string | null;
  availabilityZone: string;
  /** A deletion job is on its way. */
  deleting: boolean;
}

/** Who launches: the project, its region (for zones) and the user the servers belong to. */
export interface LaunchScope {
  projectId: string;
  region: string;
  userId: string;
}

/** The caller's clock and ids (hwlocal's own), which every row and job written on its behalf uses. */
export interface LaunchEnv {
  clock: Clock;
  ids: Ids;
}

export type LaunchResult = { ok: true; jobId: string; serverIds: string[] } | { ok: false; code: string; message: string };

export interface EcsApi {
  /** A server of the project that exists (not DELETED), or undefined. */
  server(projectId: string, serverId: string): EcsServerInfo | undefined;
  /** The project's ACTIVE servers (read-only; Cloud Eye's built-in metrics). */
  activeServers(projectId: string): EcsServerInfo[];
  /** Whether the user has a key pair of that name in the project (key pairs are per project and user). */
  keypairExists(projectId: string, userId: string, name: string): boolean;
  /**
   * Creates servers exactly as CreatePostPaidServers does (same checks, same job); count servers are named
   * "<name>-0001"… unless isAutoRename is false. A refused request answers ECS's code and message.
   */
  launchServers(scope: LaunchScope, request: CreateServerRequest, env: LaunchEnv): LaunchResult;
  /** Deletes the servers that exist (and are not already being deleted) through a deleteServer job. */
  deleteServers(
    projectId: string,
    serverIds: string[],
    opts: { deletePublicIp?: boolean; deleteVolume?: boolean },
    env: LaunchEnv,
  ): string | undefined;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    ecs: EcsApi;
  }
}

function info(s: ServerRow): EcsServerInfo {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    imageId: s.image_id,
    flavorId: s.flavor_id,
    vpcId: s.vpc_id,
    rootVolumeId: s.root_volume_id,
    availabilityZone: s.availability_zone,
    deleting: s.task_state === "deleting",
  };
}

export function ecsApi(svc: EcsContext): EcsApi {
  const { store } = svc;
  return {
    server(projectId, serverId) {
      const s = store.servers.visible(projectId, serverId);
      if (!s || s.status === "DELETED") return undefined;
      return info(s);
    },
    activeServers(projectId) {
      return store.servers.list(projectId, { status: "ACTIVE" }, { page: 1, limit: 1_000_000 }).servers.map(info);
    },
    keypairExists(projectId, userId, name) {
      return store.keypairs.get({ projectId, userId }, name) !== undefined;
    },
    launchServers(scope, req, env) {
      try {
        const { plan, count } = planServers(scope, req, { store, vpc: svc.vpc(), ims: svc.ims(), quota: svc.quota });
        const rename = count > 1 && req.isAutoRename !== false;
        const launched = launchServers({ svc, clock: env.clock, ids: env.ids }, scope, {
          plan,
          count,
          name: (i) => (rename ? `${req.name}-${String(i + 1).padStart(4, "0")}` : req.name),
          description: req.description,
          keyName: req.key_name,
          userData: req.user_data,
          metadata: req.metadata,
          tags: req.server_tags,
          serverGroupId: req["os:scheduler_hints"]?.group,
          enterpriseProjectId: req.extendparam?.enterprise_project_id,
        });
        return { ok: true, jobId: launched.jobId, serverIds: launched.serverIds };
      } catch (e) {
        if (e instanceof ApiError) return { ok: false, code: e.code, message: e.message };
        throw e;
      }
    },
    deleteServers(projectId, serverIds, opts, env) {
      const servers = serverIds.flatMap((id) => {
        const s = store.servers.visible(projectId, id);
        return s && s.status !== "DELETED" && s.task_state !== "deleting" ? [s] : [];
      });
      if (servers.length === 0) return undefined;
      const scope = { projectId, region: "", userId: servers[0]!.user_id };
      return submitServerDeletion({ svc, clock: env.clock, ids: env.ids }, scope, servers, opts);
    },
  };
}
