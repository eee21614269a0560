// Lifecycle hooks, the instances they hold (hangs), and a group's notification topics. A hang is one
// instance's wait on one hook: HANGING until a callback or its timeout decides CONTINUE or ABANDON; decided
// hangs stay until the instance leaves the group (or goes INSERVICE), so the engine knows which hooks an
// instance has passed.
import type { Database, Statement } from "better-sqlite3";
import { all, int, jsonStrings, maybe, oneOf, text, type SqlRow } from "../../store/rows.ts";

export const HOOKS_MIGRATION = `
  CREATE TABLE as_hooks (
    project_id TEXT NOT NULL, group_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
    default_result TEXT NOT NULL, default_timeout INTEGER NOT NULL, topic_urn TEXT NOT NULL,
    metadata TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (group_id, name));
  CREATE TABLE as_hangs (
    action_key TEXT PRIMARY KEY, project_id TEXT NOT NULL, group_id TEXT NOT NULL, instance_id TEXT NOT NULL,
    hook_name TEXT NOT NULL, hook_type TEXT NOT NULL, status TEXT NOT NULL, default_result TEXT NOT NULL,
    default_timeout INTEGER NOT NULL, timeout_at INTEGER NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX as_hangs_instance ON as_hangs(instance_id, created_at);
  CREATE INDEX as_hangs_group ON as_hangs(project_id, group_id, created_at);
  CREATE TABLE as_notifications (
    project_id TEXT NOT NULL, group_id TEXT NOT NULL, topic_urn TEXT NOT NULL, topic_scene TEXT NOT NULL,
    created_at INTEGER NOT NULL, PRIMARY KEY (group_id, topic_urn));
`;

export const HOOK_TYPES = ["INSTANCE_LAUNCHING", "INSTANCE_TERMINATING"] as const;
export type HookType = (typeof HOOK_TYPES)[number];
export const HOOK_RESULTS = ["ABANDON", "CONTINUE"] as const;
export type HookResult = (typeof HOOK_RESULTS)[number];
export const HANG_STATUSES = ["HANGING", "CONTINUE", "ABANDON"] as const;
export type HangStatus = (typeof HANG_STATUSES)[number];

export interface HookRow {
  project_id: string;
  group_id: string;
  name: string;
  type: HookType;
  default_result: HookResult;
  /** Seconds. */
  default_timeout: number;
  topic_urn: string;
  metadata: string;
  created_at: number;
}
const toHook = (r: SqlRow): HookRow => ({
  project_id: text(r, "project_id"),
  group_id: text(r, "group_id"),
  name: text(r, "name"),
  type: oneOf(r, "type", HOOK_TYPES),
  default_result: oneOf(r, "default_result", HOOK_RESULTS),
  default_timeout: int(r, "default_timeout"),
  topic_urn: text(r, "topic_urn"),
  metadata: text(r, "metadata"),
  created_at: int(r, "created_at"),
});

export interface HangRow {
  action_key: string;
  project_id: string;
  group_id: string;
  instance_id: string;
  hook_name: string;
  hook_type: HookType;
  status: HangStatus;
  default_result: HookResult;
  default_timeout: number;
  /** Epoch ms at which default_result decides. */
  timeout_at: number;
  created_at: number;
}
const toHang = (r: SqlRow): HangRow => ({
  action_key: text(r, "action_key"),
  project_id: text(r, "project_id"),
  group_id: text(r, "group_id"),
  instance_id: text(r, "instance_id"),
  hook_name: text(r, "hook_name"),
  hook_type: oneOf(r, "hook_type", HOOK_TYPES),
  status: oneOf(r, "status", HANG_STATUSES),
  default_result: oneOf(r, "default_result", HOOK_RESULTS),
  default_timeout: int(r, "default_timeout"),
  timeout_at: int(r, "timeout_at"),
  created_at: int(r, "created_at"),
});

export interface NotificationRow {
  project_id: string;
  group_id: string;
  topic_urn: string;
  topic_scene: string[];
  created_at: number;
}
const toNotification = (r: SqlRow): NotificationRow => ({
  project_id: text(r, "project_id"),
  group_id: text(r, "group_id"),
  topic_urn: text(r, "topic_urn"),
  topic_scene: jsonStrings(r, "topic_scene"),
  created_at: int(r, "created_at"),
});

export class HooksTable {
  private readonly st: Record<
    "get" | "ofGroup" | "put" | "delete" | "deleteGroup" | "hang" | "hangsOf" | "hangsOfGroup" | "putHang" | "dropHangs" | "dropGroupHangs",
    Statement
  >;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM as_hooks WHERE project_id = ? AND group_id = ? AND name = ?"),
      ofGroup: db.prepare("SELECT * FROM as_hooks WHERE project_id = ? AND group_id = ? ORDER BY created_at, rowid"),
      put: db.prepare(`INSERT OR REPLACE INTO as_hooks (project_id, group_id, name, type, default_result, default_timeout, topic_urn,
        metadata, created_at) VALUES (@project_id, @group_id, @name, @type, @default_result, @default_timeout, @topic_urn, @metadata, @created_at)`),
      delete: db.prepare("DELETE FROM as_hooks WHERE project_id = ? AND group_id = ? AND name = ?"),
      deleteGroup: db.prepare("DELETE FROM as_hooks WHERE project_id = ? AND group_id = ?"),
      hang: db.prepare("SELECT * FROM as_hangs WHERE project_id = ? AND group_id = ? AND action_key = ?"),
      hangsOf: db.prepare("SELECT * FROM as_hangs WHERE project_id = ? AND instance_id = ? ORDER BY created_at, rowid"),
      hangsOfGroup: db.prepare("SELECT * FROM as_hangs WHERE project_id = ? AND group_id = ? ORDER BY created_at, rowid"),
      putHang: db.prepare(`INSERT OR REPLACE INTO as_hangs (action_key, project_id, group_id, instance_id, hook_name, hook_type, status,
        default_result, default_timeout, timeout_at, created_at) VALUES (@action_key, @project_id, @group_id, @instance_id, @hook_name,
        @hook_type, @status, @default_result, @default_timeout, @timeout_at, @created_at)`),
      dropHangs: db.prepare("DELETE FROM as_hangs WHERE project_id = ? AND instance_id = ?"),
      dropGroupHangs: db.prepare("DELETE FROM as_hangs WHERE project_id = ? AND group_id = ?"),
    };
  }

  get(projectId: string, groupId: string, name: string): HookRow | undefined {
    return maybe(toHook, this.st.get.get(projectId, groupId, name));
  }
  /** Oldest first: the order in which an instance passes them. */
  ofGroup(projectId: string, groupId: string): HookRow[] {
    return all(toHook, this.st.ofGroup.all(projectId, groupId));
  }
  put(h: HookRow): void {
    this.st.put.run(h);
  }
  delete(projectId: string, groupId: string, name: string): void {
    this.st.delete.run(projectId, groupId, name);
  }
  /** Deletes a group's hooks and hangs. */
  deleteGroup(projectId: string, groupId: string): void {
    this.st.deleteGroup.run(projectId, groupId);
    this.st.dropGroupHangs.run(projectId, groupId);
  }
  hang(projectId: string, groupId: string, key: string): HangRow | undefined {
    return maybe(toHang, this.st.hang.get(projectId, groupId, key));
  }
  /** An instance's hangs, oldest first. */
  hangsOf(projectId: string, instanceId: string): HangRow[] {
    return all(toHang, this.st.hangsOf.all(projectId, instanceId));
  }
  hangsOfGroup(projectId: string, groupId: string): HangRow[] {
    return all(toHang, this.st.hangsOfGroup.all(projectId, groupId));
  }
  putHang(h: HangRow): void {
    this.st.putHang.run(h);
  }
  dropHangs(projectId: string, instanceId: string): void {
    this.st.dropHangs.run(projectId, instanceId);
  }
}

export class NotificationsTable {
  private readonly st: Record<"ofGroup" | "put" | "delete" | "deleteGroup", Statement>;

  constructor(db: Database) {
    this.st = {
      ofGroup: db.prepare("SELECT * FROM as_notifications WHERE project_id = ? AND group_id = ? ORDER BY created_at, rowid"),
      put: db.prepare(`INSERT INTO as_notifications (project_id, group_id, topic_urn, topic_scene, created_at)
        VALUES (@project_id, @group_id, @topic_urn, @topic_scene, @created_at)
        ON CONFLICT (group_id, topic_urn) DO UPDATE SET topic_scene = excluded.topic_scene`),
      delete: db.prepare("DELETE FROM as_notifications WHERE project_id = ? AND group_id = ? AND topic_urn = ?"),
      deleteGroup: db.prepare("DELETE FROM as_notifications WHERE project_id = ? AND group_id = ?"),
    };
  }

  ofGroup(projectId: string, groupId: string): NotificationRow[] {
    return all(toNotification, this.st.ofGroup.all(projectId, groupId));
  }
  put(n: NotificationRow): void {
    this.st.put.run({ ...n, topic_scene: JSON.stringify(n.topic_scene) });
  }
  /** Whether a row was deleted. */
  delete(projectId: string, groupId: string, urn: string): boolean {
    return this.st.delete.run(projectId, groupId, urn).changes > 0;
  }
  deleteGroup(projectId: string, groupId: string): void {
    this.st.deleteGroup.run(projectId, groupId);
  }
}
