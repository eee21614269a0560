// Launch templates and their numbered versions (tables created by ECS_MIGRATIONS in store.ts). A version's
// template_data is kept as the JSON the request carried, parsed again when read.
import type { Database, Statement } from "better-sqlite3";
import { all, int, maybe, text, type SqlRow } from "../../store/rows.ts";

export interface LaunchTemplateRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  default_version: number;
  latest_version: number;
  created_at: number;
  updated_at: number;
}

export interface TemplateVersionRow {
  template_id: string;
  version_number: number;
  version_description: string;
  template_data: Record<string, unknown>;
  created_at: number;
}

const toTemplate = (r: SqlRow): LaunchTemplateRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  description: text(r, "description"),
  default_version: int(r, "default_version"),
  latest_version: int(r, "latest_version"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

function toVersion(r: SqlRow): TemplateVersionRow {
  const data: unknown = JSON.parse(text(r, "template_data"));
  return {
    template_id: text(r, "template_id"),
    version_number: int(r, "version_number"),
    version_description: text(r, "version_description"),
    template_data: typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {},
    created_at: int(r, "created_at"),
  };
}

export class LaunchTemplatesTable {
  private readonly st: Record<"get" | "byName" | "list" | "insert" | "delete" | "insertVersion" | "versions" | "deleteVersions", Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM ecs_launch_templates WHERE project_id = ? AND id = ?"),
      byName: db.prepare("SELECT * FROM ecs_launch_templates WHERE project_id = ? AND name = ?"),
      list: db.prepare("SELECT * FROM ecs_launch_templates WHERE project_id = ? ORDER BY created_at, rowid"),
      insert: db.prepare(`INSERT INTO ecs_launch_templates (id, project_id, name, description, default_version, latest_version, created_at, updated_at)
        VALUES (@id, @project_id, @name, @description, @default_version, @latest_version, @created_at, @updated_at)`),
      delete: db.prepare("DELETE FROM ecs_launch_templates WHERE project_id = ? AND id = ?"),
      insertVersion: db.prepare(`INSERT INTO ecs_launch_template_versions (template_id, version_number, version_description, template_data, created_at)
        VALUES (@template_id, @version_number, @version_description, @template_data, @created_at)`),
      versions: db.prepare("SELECT * FROM ecs_launch_template_versions WHERE template_id = ? ORDER BY version_number"),
      deleteVersions: db.prepare("DELETE FROM ecs_launch_template_versions WHERE template_id = ?"),
    };
  }

  get(projectId: string, id: string): LaunchTemplateRow | undefined {
    return maybe(toTemplate, this.st.get.get(projectId, id));
  }
  byName(projectId: string, name: string): LaunchTemplateRow | undefined {
    return maybe(toTemplate, this.st.byName.get(projectId, name));
  }
  list(projectId: string): LaunchTemplateRow[] {
    return all(toTemplate, this.st.list.all(projectId));
  }
  insert(t: LaunchTemplateRow, v: TemplateVersionRow): void {
    this.st.insert.run(t);
    this.st.insertVersion.run({ ...v, template_data: JSON.stringify(v.template_data) });
  }
  versions(templateId: string): TemplateVersionRow[] {
    return all(toVersion, this.st.versions.all(templateId));
  }
  delete(projectId: string, id: string): boolean {
    if (this.st.delete.run(projectId, id).changes === 0) return false;
    this.st.deleteVersions.run(id);
    return true;
  }
}
