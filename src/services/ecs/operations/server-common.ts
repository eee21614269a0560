// Lookups shared by the operations on one server (nova servers, tags, volumes, interfaces).
import type { EcsContext } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import type { ServerRow } from "../store-servers.ts";

/** A server of the project that exists; a DELETED or unknown one is Huawei's 404 Ecs.0114. */
export function requireServer(svc: EcsContext, projectId: string, serverId: string): ServerRow {
  const s = svc.store.servers.visible(projectId, serverId);
  if (!s || s.status === "DELETED") throw ecsErrors.serverNotFound(serverId);
  return s;
}
