// What servers hold in other services (EIPs, volumes, in ecs_server_resources), and the X-Client-Token
// answers of create requests (ecs_client_tokens); both tables are created by ECS_MIGRATIONS in store.ts.
import type { Database, Statement } from "better-sqlite3";
import { asRow, flag, jsonStrings, oneOf, text } from "../../store/rows.ts";

export interface ServerResource {
  kind: "publicip" | "root_volume" | "data_volume";
  resourceId: string;
  deleteOnTermination: boolean;
}

/** What servers hold in other services (EIPs, volumes), so that deleting a server frees them as asked. */
export class ServerResourcesTable {
  private readonly st: Record<"add" | "of" | "ofMany" | "forget" | "token" | "saveToken", Statement>;

  constructor(db: Database) {
    this.st = {
      add: db.prepare(`INSERT OR REPLACE INTO ecs_server_resources (server_id, kind, resource_id, delete_on_termination)
        VALUES (?, ?, ?, ?)`),
      of: db.prepare("SELECT * FROM ecs_server_resources WHERE server_id = ? ORDER BY rowid"),
      // The id list first (CROSS JOIN fixes the order): one primary-key range per server.
      ofMany: db.prepare(`SELECT r.server_id, r.resource_id, r.delete_on_termination FROM json_each(?) j
        CROSS JOIN ecs_server_resources r ON r.server_id = j.value ORDER BY r.rowid`),
      forget: db.prepare("DELETE FROM ecs_server_resources WHERE server_id = ?"),
      token: db.prepare("SELECT job_id, server_ids FROM ecs_client_tokens WHERE project_id = ? AND token = ?"),
      saveToken: db.prepare(`INSERT INTO ecs_client_tokens (project_id, token, job_id, server_ids, created_at)
        VALUES (?, ?, ?, ?, ?)`),
    };
  }

  add(serverId: string, r: ServerResource): void {
    this.st.add.run(serverId, r.kind, r.resourceId, r.deleteOnTermination ? 1 : 0);
  }

  of(serverId: string): ServerResource[] {
    return this.st.of.all(serverId).map((row) => {
      const r = asRow(row);
      return {
        kind: oneOf(r, "kind", ["publicip", "root_volume", "data_volume"] as const),
        resourceId: text(r, "resource_id"),
        deleteOnTermination: flag(r, "delete_on_termination"),
      };
    });
  }

  /**
   * What becomes of each resource when its server is deleted, by server id then resource id (as `of`
   * tells it; a later row of one resource wins), for many servers in one query.
   */
  deleteOnTermination(serverIds: readonly string[]): Map<string, Map<string, boolean>> {
    const out = new Map<string, Map<string, boolean>>();
    if (serverIds.length === 0) return out;
    for (const row of this.st.ofMany.all(JSON.stringify(serverIds))) {
      const r = asRow(row);
      const serverId = text(r, "server_id");
      let owned = out.get(serverId);
      if (!owned) out.set(serverId, (owned = new Map()));
      owned.set(text(r, "resource_id"), flag(r, "delete_on_termination"));
    }
    return out;
  }

  forget(serverId: string): void {
    this.st.forget.run(serverId);
  }

  /** The answer a create request with this X-Client-Token got, if one was made. */
  clientToken(projectId: string, token: string): { jobId: string; serverIds: string[] } | undefined {
    const row = this.st.token.get(projectId, token);
    if (row === undefined) return undefined;
    const r = asRow(row);
    return { jobId: text(r, "job_id"), serverIds: jsonStrings(r, "server_ids") };
  }

  saveClientToken(projectId: string, token: string, jobId: string, serverIds: string[], now: number): void {
    this.st.saveToken.run(projectId, token, jobId, JSON.stringify(serverIds), now);
  }
}
