// Small named settings (tables created by ECS_MIGRATIONS in store.ts): per server (auto-terminate time,
// metadata and serial console options, when its password was last reset, its charging mode, whether OS
// monitoring is registered) in ecs_server_attrs, and per
// project (the recycle bin's switch and policy) in ecs_project_settings. Values are JSON text, parsed by
// the caller that knows their shape.
import type { Database, Statement } from "better-sqlite3";
import { asRow, text } from "../../store/rows.ts";

export type ServerAttr = "auto_terminate_time" | "metadata_options" | "serial_console" | "password_reset_at" | "charging_mode" | "monitoring";

export class ServerAttrsTable {
  private readonly st: Record<"get" | "set" | "unset" | "all", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT value FROM ecs_server_attrs WHERE project_id = ? AND server_id = ? AND name = ?"),
      set: db.prepare("INSERT OR REPLACE INTO ecs_server_attrs (project_id, server_id, name, value) VALUES (?, ?, ?, ?)"),
      unset: db.prepare("DELETE FROM ecs_server_attrs WHERE project_id = ? AND server_id = ? AND name = ?"),
      all: db.prepare("SELECT server_id, value FROM ecs_server_attrs WHERE project_id = ? AND name = ?"),
    };
  }

  get(projectId: string, serverId: string, name: ServerAttr): unknown {
    const row = this.st.get.get(projectId, serverId, name);
    return row === undefined ? undefined : (JSON.parse(text(asRow(row), "value")) as unknown);
  }

  set(projectId: string, serverId: string, name: ServerAttr, value: unknown): void {
    this.st.set.run(projectId, serverId, name, JSON.stringify(value));
  }

  unset(projectId: string, serverId: string, name: ServerAttr): void {
    this.st.unset.run(projectId, serverId, name);
  }

  /** The attribute over every server of the project that has it. */
  all(projectId: string, name: ServerAttr): Map<string, unknown> {
    return new Map(this.st.all.all(projectId, name).map((r) => [text(asRow(r), "server_id"), JSON.parse(text(asRow(r), "value")) as unknown]));
  }
}

export class ProjectSettingsTable {
  private readonly st: Record<"get" | "set", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT value FROM ecs_project_settings WHERE project_id = ? AND name = ?"),
      set: db.prepare("INSERT OR REPLACE INTO ecs_project_settings (project_id, name, value) VALUES (?, ?, ?)"),
    };
  }

  get(projectId: string, name: string): unknown {
    const row = this.st.get.get(projectId, name);
    return row === undefined ? undefined : (JSON.parse(text(asRow(row), "value")) as unknown);
  }

  set(projectId: string, name: string, value: unknown): void {
    this.st.set.run(projectId, name, JSON.stringify(value));
  }
}
