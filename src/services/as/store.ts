// Auto Scaling's tables and typed statements. Every query is limited to one project; rows are parsed at
// this boundary, the JSON columns with model.ts's schemas.
import type { Database, Statement } from "better-sqlite3";
import { all, asRow, int, maybe, oneOf, text, textOrNull, type SqlRow } from "../../store/rows.ts";
import { ActivitiesTable, InstancesTable, SCALING_MIGRATION } from "./store-scaling.ts";
import { PoliciesTable, POLICIES_ALARM_MIGRATION, POLICIES_MIGRATION } from "./store-policies.ts";
import { HooksTable, HOOKS_MIGRATION, NotificationsTable } from "./store-hooks.ts";
import { GROUP_STATUSES, GroupSettingsSchema, InstanceConfigSchema, type GroupSettings, type GroupStatus, type InstanceConfig } from "./model.ts";

export const AS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE as_configs (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, image_id TEXT NOT NULL,
    instance_config TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX as_configs_project ON as_configs(project_id, created_at);
  CREATE TABLE as_groups (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
    config_id TEXT, desire INTEGER NOT NULL, min INTEGER NOT NULL, max INTEGER NOT NULL,
    settings TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX as_groups_project ON as_groups(project_id, created_at);
  CREATE INDEX as_groups_config ON as_groups(config_id) WHERE config_id IS NOT NULL;
  CREATE TABLE as_group_tags (
    group_id TEXT NOT NULL, project_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (group_id, key));
  CREATE INDEX as_group_tags_project ON as_group_tags(project_id);
  `,
  SCALING_MIGRATION,
  POLICIES_MIGRATION,
  HOOKS_MIGRATION,
  POLICIES_ALARM_MIGRATION,
];

export interface ConfigRow {
  id: string;
  project_id: string;
  name: string;
  instance_config: InstanceConfig;
  created_at: number;
}
const toConfig = (r: SqlRow): ConfigRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  instance_config: InstanceConfigSchema.parse(JSON.parse(text(r, "instance_config"))),
  created_at: int(r, "created_at"),
});

export interface GroupRow {
  id: string;
  project_id: string;
  name: string;
  status: GroupStatus;
  config_id: string | null;
  desire: number;
  min: number;
  max: number;
  settings: GroupSettings;
  created_at: number;
  /** Who created the group and where: the engine launches servers as that user, in that region. */
  user_id: string | null;
  region: string | null;
}
const toGroup = (r: SqlRow): GroupRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  status: oneOf(r, "status", GROUP_STATUSES),
  config_id: textOrNull(r, "config_id"),
  desire: int(r, "desire"),
  min: int(r, "min"),
  max: int(r, "max"),
  settings: GroupSettingsSchema.parse(JSON.parse(text(r, "settings"))),
  created_at: int(r, "created_at"),
  user_id: textOrNull(r, "user_id"),
  region: textOrNull(r, "region"),
});

export interface Tag {
  key: string;
  value: string;
}
const toTag = (r: SqlRow): Tag => ({ key: text(r, "key"), value: text(r, "value") });

/** Filters of ListScalingConfigs; name is a substring. */
export interface ConfigFilter {
  name?: string;
  imageId?: string;
}

/** Filters of ListScalingGroups; name is a substring. */
export interface GroupFilter {
  name?: string;
  configId?: string;
  status?: string;
}

const likeArg = (s: string | undefined) => (s === undefined ? null : `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

class ConfigsTable {
  private readonly st: Record<"get" | "list" | "count" | "insert" | "delete", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM as_configs WHERE project_id = ? AND id = ?"),
      list: db.prepare(`SELECT * FROM as_configs WHERE project_id = @project_id
        AND (@name IS NULL OR name LIKE @name ESCAPE '\\') AND (@image_id IS NULL OR image_id = @image_id)
        ORDER BY created_at DESC, rowid DESC`),
      count: db.prepare("SELECT COUNT(*) AS n FROM as_configs WHERE project_id = ?"),
      insert: db.prepare(`INSERT INTO as_configs (id, project_id, name, image_id, instance_config, created_at)
        VALUES (@id, @project_id, @name, @image_id, @instance_config, @created_at)`),
      delete: db.prepare("DELETE FROM as_configs WHERE project_id = ? AND id = ?"),
    };
  }

  get(projectId: string, id: string): ConfigRow | undefined {
    return maybe(toConfig, this.st.get.get(projectId, id));
  }
  /** Newest first. */
  list(projectId: string, f: ConfigFilter): ConfigRow[] {
    return all(toConfig, this.st.list.all({ project_id: projectId, name: likeArg(f.name), image_id: f.imageId ?? null }));
  }
  count(projectId: string): number {
    return int(asRow(this.st.count.get(projectId)), "n");
  }
  insert(c: ConfigRow): void {
    this.st.insert.run({ ...c, image_id: c.instance_config.imageRef, instance_config: JSON.stringify(c.instance_config) });
  }
  delete(projectId: string, id: string): boolean {
    return this.st.delete.run(projectId, id).changes > 0;
  }
}

class GroupsTable {
  private readonly st: Record<"get" | "list" | "count" | "insert" | "update" | "delete" | "usingConfig" | "active", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM as_groups WHERE project_id = ? AND id = ?"),
      list: db.prepare(`SELECT * FROM as_groups WHERE project_id = @project_id
        AND (@name IS NULL OR name LIKE @name ESCAPE '\\') AND (@config_id IS NULL OR config_id = @config_id)
        AND (@status IS NULL OR status = @status) ORDER BY created_at DESC, rowid DESC`),
      count: db.prepare("SELECT COUNT(*) AS n FROM as_groups WHERE project_id = ?"),
      insert: db.prepare(`INSERT INTO as_groups (id, project_id, name, status, config_id, desire, min, max, settings, created_at,
        user_id, region) VALUES (@id, @project_id, @name, @status, @config_id, @desire, @min, @max, @settings, @created_at,
        @user_id, @region)`),
      update: db.prepare(`UPDATE as_groups SET name = @name, status = @status, config_id = @config_id, desire = @desire,
        min = @min, max = @max, settings = @settings WHERE project_id = @project_id AND id = @id`),
      delete: db.prepare("DELETE FROM as_groups WHERE project_id = ? AND id = ?"),
      usingConfig: db.prepare("SELECT id FROM as_groups WHERE project_id = ? AND config_id = ? ORDER BY created_at, rowid"),
      active: db.prepare(`SELECT * FROM as_groups WHERE status IN ('INSERVICE', 'DELETING')
        OR id IN (SELECT group_id FROM as_activities WHERE status = 'DOING') ORDER BY created_at, rowid`),
    };
  }

  get(projectId: string, id: string): GroupRow | undefined {
    return maybe(toGroup, this.st.get.get(projectId, id));
  }
  /** Newest first. */
  list(projectId: string, f: GroupFilter): GroupRow[] {
    return all(
      toGroup,
      this.st.list.all({ project_id: projectId, name: likeArg(f.name), config_id: f.configId ?? null, status: f.status ?? null }),
    );
  }
  count(projectId: string): number {
    return int(asRow(this.st.count.get(projectId)), "n");
  }
  insert(g: GroupRow): void {
    this.st.insert.run({ ...g, settings: JSON.stringify(g.settings) });
  }
  /** The groups of every project that the engine may have to act on: INSERVICE, DELETING, or running an activity. */
  active(): GroupRow[] {
    return all(toGroup, this.st.active.all());
  }
  /** Writes every column but the id, project, creator and creation time. */
  update(g: GroupRow): void {
    const { created_at: _created, user_id: _user, region: _region, ...rest } = g;
    this.st.update.run({ ...rest, settings: JSON.stringify(g.settings) });
  }
  delete(projectId: string, id: string): boolean {
    return this.st.delete.run(projectId, id).changes > 0;
  }
  /** The groups that use a configuration, oldest first. */
  usingConfig(projectId: string, configId: string): string[] {
    return this.st.usingConfig.all(projectId, configId).map((r) => text(asRow(r), "id"));
  }
}

class TagsTable {
  private readonly st: Record<"ofGroup" | "ofProject" | "put" | "delete" | "deleteGroup", Statement>;

  constructor(db: Database) {
    this.st = {
      ofGroup: db.prepare("SELECT key, value FROM as_group_tags WHERE project_id = ? AND group_id = ? ORDER BY key"),
      ofProject: db.prepare("SELECT DISTINCT key, value FROM as_group_tags WHERE project_id = ? ORDER BY key, value"),
      put: db.prepare(`INSERT INTO as_group_tags (group_id, project_id, key, value) VALUES (?, ?, ?, ?)
        ON CONFLICT (group_id, key) DO UPDATE SET value = excluded.value`),
      delete: db.prepare("DELETE FROM as_group_tags WHERE project_id = ? AND group_id = ? AND key = ? AND (? IS NULL OR value = ?)"),
      deleteGroup: db.prepare("DELETE FROM as_group_tags WHERE project_id = ? AND group_id = ?"),
    };
  }

  ofGroup(projectId: string, groupId: string): Tag[] {
    return all(toTag, this.st.ofGroup.all(projectId, groupId));
  }
  ofProject(projectId: string): Tag[] {
    return all(toTag, this.st.ofProject.all(projectId));
  }
  put(projectId: string, groupId: string, tag: Tag): void {
    this.st.put.run(groupId, projectId, tag.key, tag.value);
  }
  /** Deletes a tag by key, or only when it has the given value. */
  delete(projectId: string, groupId: string, key: string, value?: string): void {
    this.st.delete.run(projectId, groupId, key, value ?? null, value ?? null);
  }
  deleteGroup(projectId: string, groupId: string): void {
    this.st.deleteGroup.run(projectId, groupId);
  }
}

/** Typed access to AS's tables. */
export class AsStore {
  readonly configs: ConfigsTable;
  readonly groups: GroupsTable;
  readonly tags: TagsTable;
  readonly instances: InstancesTable;
  readonly activities: ActivitiesTable;
  readonly policies: PoliciesTable;
  readonly hooks: HooksTable;
  readonly notifications: NotificationsTable;

  constructor(private readonly db: Database) {
    this.configs = new ConfigsTable(db);
    this.groups = new GroupsTable(db);
    this.tags = new TagsTable(db);
    this.instances = new InstancesTable(db);
    this.activities = new ActivitiesTable(db);
    this.policies = new PoliciesTable(db);
    this.hooks = new HooksTable(db);
    this.notifications = new NotificationsTable(db);
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
