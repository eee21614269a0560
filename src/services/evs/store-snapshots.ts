// Cinder's volume snapshots (migration 4 of EVS_MIGRATIONS). A snapshot is "creating" until its ready_at on
// hwlocal's clock, then "available": a status derived at read time, with no job (it has no side effect). A
// snapshot goes with its volume (ON DELETE CASCADE), as EVS deletes a disk's snapshots with the disk.
import type { Database, Statement } from "better-sqlite3";
import { all, int, maybe, text, textOrNull, RowError, type SqlRow } from "../../store/rows.ts";

export const SNAPSHOTS_MIGRATION = `
  CREATE TABLE evs_snapshots (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL,
    volume_id TEXT NOT NULL REFERENCES evs_volumes(id) ON DELETE CASCADE,
    name TEXT NOT NULL, description TEXT, size INTEGER NOT NULL, metadata TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, ready_at INTEGER NOT NULL);
  CREATE INDEX evs_snapshots_project ON evs_snapshots(project_id, created_at);
  CREATE INDEX evs_snapshots_volume ON evs_snapshots(volume_id);
`;

export interface SnapshotRow {
  id: string;
  projectId: string;
  volumeId: string;
  name: string;
  description: string | null;
  size: number;
  metadata: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  readyAt: number;
}

function metadataOf(r: SqlRow): Record<string, string> {
  const v: unknown = JSON.parse(text(r, "metadata"));
  if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === "string")) {
    throw new RowError("column metadata is not a JSON object of strings");
  }
  return v as Record<string, string>;
}

const toSnapshot = (r: SqlRow): SnapshotRow => ({
  id: text(r, "id"),
  projectId: text(r, "project_id"),
  volumeId: text(r, "volume_id"),
  name: text(r, "name"),
  description: textOrNull(r, "description"),
  size: int(r, "size"),
  metadata: metadataOf(r),
  createdAt: int(r, "created_at"),
  updatedAt: int(r, "updated_at"),
  readyAt: int(r, "ready_at"),
});

export class SnapshotsTable {
  private readonly st: Record<"get" | "list" | "insert" | "update" | "remove", Statement>;

  constructor(db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      get: p("SELECT * FROM evs_snapshots WHERE project_id = ? AND id = ?"),
      list: p("SELECT * FROM evs_snapshots WHERE project_id = ? ORDER BY created_at, id"),
      insert: p(`INSERT INTO evs_snapshots (id, project_id, volume_id, name, description, size, metadata, created_at, updated_at, ready_at)
        VALUES (@id, @project_id, @volume_id, @name, @description, @size, @metadata, @created_at, @created_at, @ready_at)`),
      update: p(`UPDATE evs_snapshots SET name = COALESCE(@name, name), description = COALESCE(@description, description),
        metadata = COALESCE(@metadata, metadata), updated_at = @now WHERE project_id = @project_id AND id = @id`),
      remove: p("DELETE FROM evs_snapshots WHERE project_id = ? AND id = ?"),
    };
  }

  get(projectId: string, id: string): SnapshotRow | undefined {
    return maybe(toSnapshot, this.st.get.get(projectId, id));
  }

  list(projectId: string): SnapshotRow[] {
    return all(toSnapshot, this.st.list.all(projectId));
  }

  insert(s: SnapshotRow): void {
    this.st.insert.run({
      id: s.id,
      project_id: s.projectId,
      volume_id: s.volumeId,
      name: s.name,
      description: s.description,
      size: s.size,
      metadata: JSON.stringify(s.metadata),
      created_at: s.createdAt,
      ready_at: s.readyAt,
    });
  }

  update(projectId: string, id: string, patch: { name?: string; description?: string; metadata?: Record<string, string> }, now: number): void {
    this.st.update.run({
      project_id: projectId,
      id,
      name: patch.name ?? null,
      description: patch.description ?? null,
      metadata: patch.metadata === undefined ? null : JSON.stringify(patch.metadata),
      now,
    });
  }

  remove(projectId: string, id: string): boolean {
    return this.st.remove.run(projectId, id).changes > 0;
  }
}
