// The scaling engine's tables: a group's instances and its scaling activities (the activity log). Every
// query names its project, except the engine's own scan of what is due (activeGroups in store.ts).
import type { Database, Statement } from "better-sqlite3";
import { all, flag, int, intOrNull, maybe, oneOf, text, textOrNull, type SqlRow } from "../../store/rows.ts";

export const SCALING_MIGRATION = `
  ALTER TABLE as_groups ADD COLUMN user_id TEXT;
  ALTER TABLE as_groups ADD COLUMN region TEXT;
  CREATE TABLE as_instances (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, group_id TEXT NOT NULL, name TEXT NOT NULL,
    state TEXT NOT NULL, health TEXT NOT NULL, config_id TEXT, config_name TEXT, protected INTEGER NOT NULL,
    delete_server INTEGER NOT NULL, activity_id TEXT, availability_zone TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX as_instances_group ON as_instances(group_id, created_at);
  CREATE TABLE as_activities (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, group_id TEXT NOT NULL, status TEXT NOT NULL,
    description TEXT NOT NULL, added TEXT, removed TEXT, deleted TEXT, scaling_value TEXT NOT NULL,
    instance_value INTEGER NOT NULL, desire_value INTEGER NOT NULL, error TEXT,
    start_time INTEGER NOT NULL, end_time INTEGER);
  CREATE INDEX as_activities_group ON as_activities(group_id, start_time);
`;

export const LIFE_CYCLE_STATES = ["INSERVICE", "PENDING", "PENDING_WAIT", "REMOVING", "REMOVING_WAIT", "STANDBY"] as const;
export type LifeCycleState = (typeof LIFE_CYCLE_STATES)[number];
export const HEALTH_STATUSES = ["INITIALIZING", "NORMAL", "ERROR"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
export const ACTIVITY_STATUSES = ["DOING", "SUCCESS", "FAIL"] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export interface InstanceRow {
  /** The ECS server's id. */
  id: string;
  project_id: string;
  group_id: string;
  name: string;
  state: LifeCycleState;
  health: HealthStatus;
  /** null: added by hand (BatchScalingInstances ADD), never deleted by AS. */
  config_id: string | null;
  config_name: string | null;
  protected: boolean;
  /** While REMOVING: the server is being deleted, and the row goes once it is gone. */
  delete_server: boolean;
  activity_id: string | null;
  availability_zone: string;
  created_at: number;
}
const toInstance = (r: SqlRow): InstanceRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  group_id: text(r, "group_id"),
  name: text(r, "name"),
  state: oneOf(r, "state", LIFE_CYCLE_STATES),
  health: oneOf(r, "health", HEALTH_STATUSES),
  config_id: textOrNull(r, "config_id"),
  config_name: textOrNull(r, "config_name"),
  protected: flag(r, "protected"),
  delete_server: flag(r, "delete_server"),
  activity_id: textOrNull(r, "activity_id"),
  availability_zone: text(r, "availability_zone"),
  created_at: int(r, "created_at"),
});

export interface ActivityRow {
  id: string;
  project_id: string;
  group_id: string;
  status: ActivityStatus;
  /** Huawei's description: a JSON string {"reason":[{change_reason, old_value, new_value, change_time}]}. */
  description: string;
  added: string | null;
  removed: string | null;
  deleted: string | null;
  scaling_value: string;
  instance_value: number;
  desire_value: number;
  /** Why it failed (ECS's code and message), shown in the description. */
  error: string | null;
  start_time: number;
  end_time: number | null;
}
const toActivity = (r: SqlRow): ActivityRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  group_id: text(r, "group_id"),
  status: oneOf(r, "status", ACTIVITY_STATUSES),
  description: text(r, "description"),
  added: textOrNull(r, "added"),
  removed: textOrNull(r, "removed"),
  deleted: textOrNull(r, "deleted"),
  scaling_value: text(r, "scaling_value"),
  instance_value: int(r, "instance_value"),
  desire_value: int(r, "desire_value"),
  error: textOrNull(r, "error"),
  start_time: int(r, "start_time"),
  end_time: intOrNull(r, "end_time"),
});

export interface InstanceFilter {
  state?: string;
  health?: string;
  protected?: boolean;
}

const b = (v: boolean) => (v ? 1 : 0);

export class InstancesTable {
  private readonly st: Record<"get" | "ofGroup" | "byServer" | "insert" | "update" | "delete" | "deleteGroup", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM as_instances WHERE project_id = ? AND id = ?"),
      ofGroup: db.prepare("SELECT * FROM as_instances WHERE project_id = ? AND group_id = ? ORDER BY created_at, rowid"),
      byServer: db.prepare("SELECT * FROM as_instances WHERE id = ?"),
      insert: db.prepare(`INSERT INTO as_instances (id, project_id, group_id, name, state, health, config_id, config_name,
        protected, delete_server, activity_id, availability_zone, created_at) VALUES (@id, @project_id, @group_id, @name,
        @state, @health, @config_id, @config_name, @protected, @delete_server, @activity_id, @availability_zone, @created_at)`),
      update: db.prepare(`UPDATE as_instances SET state = @state, health = @health, protected = @protected,
        delete_server = @delete_server, activity_id = @activity_id WHERE project_id = @project_id AND id = @id`),
      delete: db.prepare("DELETE FROM as_instances WHERE project_id = ? AND id = ?"),
      deleteGroup: db.prepare("DELETE FROM as_instances WHERE project_id = ? AND group_id = ?"),
    };
  }

  get(projectId: string, id: string): InstanceRow | undefined {
    return maybe(toInstance, this.st.get.get(projectId, id));
  }
  /** Oldest first. */
  ofGroup(projectId: string, groupId: string, f: InstanceFilter = {}): InstanceRow[] {
    return all(toInstance, this.st.ofGroup.all(projectId, groupId)).filter(
      (i) =>
        (f.state === undefined || i.state === f.state) &&
        (f.health === undefined || i.health === f.health) &&
        (f.protected === undefined || i.protected === f.protected),
    );
  }
  /** The group row holding a server, in any project's view (a server is in at most one group). */
  ofServer(serverId: string): InstanceRow | undefined {
    return maybe(toInstance, this.st.byServer.get(serverId));
  }
  insert(i: InstanceRow): void {
    this.st.insert.run({ ...i, protected: b(i.protected), delete_server: b(i.delete_server) });
  }
  update(i: InstanceRow): void {
    this.st.update.run({ ...i, protected: b(i.protected), delete_server: b(i.delete_server) });
  }
  delete(projectId: string, id: string): void {
    this.st.delete.run(projectId, id);
  }
  deleteGroup(projectId: string, groupId: string): void {
    this.st.deleteGroup.run(projectId, groupId);
  }
}

export class ActivitiesTable {
  private readonly st: Record<"get" | "ofGroup" | "doing" | "last" | "insert" | "update" | "deleteGroup", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM as_activities WHERE project_id = ? AND id = ?"),
      ofGroup: db.prepare(`SELECT * FROM as_activities WHERE project_id = @project_id AND group_id = @group_id
        AND (@from IS NULL OR start_time >= @from) AND (@to IS NULL OR start_time <= @to) ORDER BY start_time DESC, rowid DESC`),
      doing: db.prepare("SELECT * FROM as_activities WHERE project_id = ? AND group_id = ? AND status = 'DOING' ORDER BY rowid LIMIT 1"),
      last: db.prepare("SELECT * FROM as_activities WHERE project_id = ? AND group_id = ? ORDER BY start_time DESC, rowid DESC LIMIT 1"),
      insert: db.prepare(`INSERT INTO as_activities (id, project_id, group_id, status, description, added, removed, deleted,
        scaling_value, instance_value, desire_value, error, start_time, end_time) VALUES (@id, @project_id, @group_id, @status,
        @description, @added, @removed, @deleted, @scaling_value, @instance_value, @desire_value, @error, @start_time, @end_time)`),
      update: db.prepare(`UPDATE as_activities SET status = @status, description = @description, added = @added, removed = @removed,
        deleted = @deleted, instance_value = @instance_value, error = @error, end_time = @end_time
        WHERE project_id = @project_id AND id = @id`),
      deleteGroup: db.prepare("DELETE FROM as_activities WHERE project_id = ? AND group_id = ?"),
    };
  }

  get(projectId: string, id: string): ActivityRow | undefined {
    return maybe(toActivity, this.st.get.get(projectId, id));
  }
  /** Newest first, started within [from, to] when given. */
  ofGroup(projectId: string, groupId: string, from?: number, to?: number): ActivityRow[] {
    return all(toActivity, this.st.ofGroup.all({ project_id: projectId, group_id: groupId, from: from ?? null, to: to ?? null }));
  }
  doing(projectId: string, groupId: string): ActivityRow | undefined {
    return maybe(toActivity, this.st.doing.get(projectId, groupId));
  }
  last(projectId: string, groupId: string): ActivityRow | undefined {
    return maybe(toActivity, this.st.last.get(projectId, groupId));
  }
  insert(a: ActivityRow): void {
    this.st.insert.run(a);
  }
  update(a: ActivityRow): void {
    this.st.update.run(a);
  }
  deleteGroup(projectId: string, groupId: string): void {
    this.st.deleteGroup.run(projectId, groupId);
  }
}
