// ECS's tables and typed statements. Rows are parsed at this boundary (ARCHITECTURE.md rule 11); every
// query is limited to one project (key pairs: to one project and user). Servers live in store-servers.ts,
// what they hold elsewhere in store-resources.ts.
import type { Database, Statement } from "better-sqlite3";
import { all, asRow, int, jsonStrings, maybe, oneOf, text, type SqlRow } from "../../store/rows.ts";
import { ServerResourcesTable } from "./store-resources.ts";
import { ProjectSettingsTable, ServerAttrsTable } from "./store-settings.ts";
import { LaunchTemplatesTable } from "./store-templates.ts";
import { ServersTable } from "./store-servers.ts";

// Servers keep their row after deletion (status DELETED, terminated_at set), as ECS lists recently deleted
// servers under status=DELETED; instance names ("instance-0000002a") come from the row's rowid, so rows
// are never reused. Server group membership is the server's server_group_id: a server is in one group at most.
export const ECS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ecs_keypairs (
    id INTEGER PRIMARY KEY, project_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('ssh', 'x509')), public_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    created_at INTEGER NOT NULL, UNIQUE (project_id, user_id, name));
  CREATE TABLE ecs_server_groups (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, policies TEXT NOT NULL,
    created_at INTEGER NOT NULL);
  CREATE INDEX ecs_server_groups_project ON ecs_server_groups(project_id, created_at);
  CREATE TABLE ecs_servers (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL, vm_state TEXT NOT NULL, task_state TEXT, power_state INTEGER NOT NULL DEFAULT 0,
    flavor_id TEXT NOT NULL, image_id TEXT NOT NULL, vpc_id TEXT NOT NULL, availability_zone TEXT NOT NULL,
    key_name TEXT, user_data TEXT, metadata TEXT NOT NULL DEFAULT '{}', tags TEXT NOT NULL DEFAULT '[]',
    security_group_ids TEXT NOT NULL DEFAULT '[]', root_volume_id TEXT, server_group_id TEXT,
    host_id TEXT NOT NULL, instance_name TEXT NOT NULL, reservation_id TEXT NOT NULL,
    launch_index INTEGER NOT NULL DEFAULT 0, enterprise_project_id TEXT NOT NULL DEFAULT '0',
    client_token TEXT, locked INTEGER NOT NULL DEFAULT 0, fault TEXT,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, launched_at INTEGER, terminated_at INTEGER);
  CREATE INDEX ecs_servers_project ON ecs_servers(project_id, created_at);
  CREATE INDEX ecs_servers_token ON ecs_servers(project_id, client_token) WHERE client_token IS NOT NULL;
  CREATE INDEX ecs_servers_group ON ecs_servers(server_group_id) WHERE server_group_id IS NOT NULL;
  `,
  // What a server took from other services when it booted (EIPs, volumes), with what happens to each when
  // the server is deleted; and the X-Client-Token of create requests, for idempotent retries.
  `
  CREATE TABLE ecs_server_resources (
    server_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('publicip', 'root_volume', 'data_volume')),
    resource_id TEXT NOT NULL, delete_on_termination INTEGER NOT NULL, PRIMARY KEY (server_id, kind, resource_id));
  CREATE TABLE ecs_client_tokens (
    project_id TEXT NOT NULL, token TEXT NOT NULL, job_id TEXT NOT NULL, server_ids TEXT NOT NULL,
    created_at INTEGER NOT NULL, PRIMARY KEY (project_id, token));
  `,
  // The servers that exist, by project in creation order: ListServersDetails counts them and walks its
  // offset in this index alone (a page of 1,000 at offset 9,000 read 10,000 rows for their status), and the
  // instances quota counts them.
  `
  CREATE INDEX ecs_servers_existing ON ecs_servers(project_id, created_at) WHERE status <> 'DELETED';
  `,
  // Named settings of a server and of a project (store-settings.ts), and launch templates with their
  // numbered versions (store-templates.ts).
  `
  CREATE TABLE ecs_server_attrs (
    project_id TEXT NOT NULL, server_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (project_id, server_id, name));
  CREATE TABLE ecs_project_settings (
    project_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (project_id, name));
  CREATE TABLE ecs_launch_templates (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    default_version INTEGER NOT NULL, latest_version INTEGER NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, UNIQUE (project_id, name));
  CREATE TABLE ecs_launch_template_versions (
    template_id TEXT NOT NULL, version_number INTEGER NOT NULL, version_description TEXT NOT NULL DEFAULT '',
    template_data TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (template_id, version_number));
  `,
  // When a deleted server went to the recycle bin (NULL: it is not there). Such a server still exists
  // (its resources and quota stay) but the server APIs no longer show it.
  `
  ALTER TABLE ecs_servers ADD COLUMN recycled_at INTEGER;
  `,
];

/** Who owns a nova key pair: nova key pairs belong to a user, here within one project. */
export interface KeypairOwner {
  projectId: string;
  userId: string;
}

export interface KeypairRow {
  id: number;
  project_id: string;
  user_id: string;
  name: string;
  type: "ssh" | "x509";
  public_key: string;
  fingerprint: string;
  created_at: number;
}
const toKeypair = (r: SqlRow): KeypairRow => ({
  id: int(r, "id"),
  project_id: text(r, "project_id"),
  user_id: text(r, "user_id"),
  name: text(r, "name"),
  type: oneOf(r, "type", ["ssh", "x509"] as const),
  public_key: text(r, "public_key"),
  fingerprint: text(r, "fingerprint"),
  created_at: int(r, "created_at"),
});

export interface ServerGroupRow {
  id: string;
  project_id: string;
  name: string;
  policies: string[];
  created_at: number;
}
const toServerGroup = (r: SqlRow): ServerGroupRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  policies: jsonStrings(r, "policies"),
  created_at: int(r, "created_at"),
});

class KeypairsTable {
  private readonly st: Record<"get" | "list" | "count" | "insert" | "delete", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM ecs_keypairs WHERE project_id = ? AND user_id = ? AND name = ?"),
      list: db.prepare(`SELECT * FROM ecs_keypairs WHERE project_id = @project_id AND user_id = @user_id
        AND (@marker IS NULL OR name > @marker) ORDER BY name LIMIT @limit`),
      count: db.prepare("SELECT COUNT(*) AS n FROM ecs_keypairs WHERE project_id = ? AND user_id = ?"),
      insert: db.prepare(`INSERT INTO ecs_keypairs (project_id, user_id, name, type, public_key, fingerprint, created_at)
        VALUES (@project_id, @user_id, @name, @type, @public_key, @fingerprint, @created_at)`),
      delete: db.prepare("DELETE FROM ecs_keypairs WHERE project_id = ? AND user_id = ? AND name = ?"),
    };
  }

  get(owner: KeypairOwner, name: string): KeypairRow | undefined {
    return maybe(toKeypair, this.st.get.get(owner.projectId, owner.userId, name));
  }
  /** By name; `marker` is the last name of the previous page. */
  list(owner: KeypairOwner, page: { marker?: string; limit?: number }): KeypairRow[] {
    return all(
      toKeypair,
      this.st.list.all({ project_id: owner.projectId, user_id: owner.userId, marker: page.marker ?? null, limit: page.limit ?? -1 }),
    );
  }
  count(owner: KeypairOwner): number {
    return int(asRow(this.st.count.get(owner.projectId, owner.userId)), "n");
  }
  insert(k: Omit<KeypairRow, "id">): KeypairRow {
    this.st.insert.run(k);
    return this.get({ projectId: k.project_id, userId: k.user_id }, k.name)!;
  }
  delete(owner: KeypairOwner, name: string): boolean {
    return this.st.delete.run(owner.projectId, owner.userId, name).changes > 0;
  }
}

class ServerGroupsTable {
  private readonly st: Record<"get" | "list" | "count" | "insert" | "delete", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM ecs_server_groups WHERE project_id = ? AND id = ?"),
      list: db.prepare("SELECT * FROM ecs_server_groups WHERE project_id = ? ORDER BY created_at, rowid"),
      count: db.prepare("SELECT COUNT(*) AS n FROM ecs_server_groups WHERE project_id = ?"),
      insert: db.prepare(`INSERT INTO ecs_server_groups (id, project_id, name, policies, created_at)
        VALUES (@id, @project_id, @name, @policies, @created_at)`),
      delete: db.prepare("DELETE FROM ecs_server_groups WHERE project_id = ? AND id = ?"),
    };
  }

  get(projectId: string, id: string): ServerGroupRow | undefined {
    return maybe(toServerGroup, this.st.get.get(projectId, id));
  }
  list(projectId: string): ServerGroupRow[] {
    return all(toServerGroup, this.st.list.all(projectId));
  }
  count(projectId: string): number {
    return int(asRow(this.st.count.get(projectId)), "n");
  }
  insert(g: ServerGroupRow): void {
    this.st.insert.run({ ...g, policies: JSON.stringify(g.policies) });
  }
  delete(projectId: string, id: string): boolean {
    return this.st.delete.run(projectId, id).changes > 0;
  }
}

/** Typed access to ECS's tables. */
export class EcsStore {
  readonly keypairs: KeypairsTable;
  readonly serverGroups: ServerGroupsTable;
  readonly servers: ServersTable;
  readonly resources: ServerResourcesTable;
  readonly attrs: ServerAttrsTable;
  readonly settings: ProjectSettingsTable;
  readonly templates: LaunchTemplatesTable;
  private readonly totalChanges: Statement;

  constructor(private readonly db: Database) {
    this.totalChanges = db.prepare("SELECT total_changes()").pluck();
    this.keypairs = new KeypairsTable(db);
    this.serverGroups = new ServerGroupsTable(db);
    this.servers = new ServersTable(db);
    this.resources = new ServerResourcesTable(db);
    this.attrs = new ServerAttrsTable(db);
    this.settings = new ProjectSettingsTable(db);
    this.templates = new LaunchTemplatesTable(db);
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * A number that changes whenever any service has written anything (SQLite's total_changes), or undefined
   * inside a transaction, where what is read may still roll back: the key of read caches that span services.
   */
  version(): number | undefined {
    return this.db.inTransaction ? undefined : (this.totalChanges.get() as number);
  }
}
