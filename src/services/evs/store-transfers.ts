// Cinder's volume transfers (migration 3 of EVS_MIGRATIONS): a pending transfer holds a volume of its project
// "awaiting-transfer" until another project accepts it with the auth key, which moves the volume (and its
// quota usage) to that project. A transfer is found by its id alone when accepted: the receiving project
// knows only the id and key it was given, as in cinder.
import type { Database, Statement } from "better-sqlite3";
import { all, int, maybe, text, type SqlRow } from "../../store/rows.ts";

export const TRANSFERS_MIGRATION = `
  CREATE TABLE evs_transfers (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, volume_id TEXT NOT NULL UNIQUE REFERENCES evs_volumes(id) ON DELETE CASCADE,
    name TEXT NOT NULL, auth_key TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX evs_transfers_project ON evs_transfers(project_id, created_at);
  -- A volume moved to another project takes its share of the quota usage with it.
  CREATE TRIGGER evs_usage_move AFTER UPDATE OF project_id ON evs_volumes BEGIN
    UPDATE evs_usage SET volumes = volumes - 1, gigabytes = gigabytes - MAX(OLD.size, COALESCE(OLD.new_size, 0))
      WHERE project_id = OLD.project_id;
    INSERT INTO evs_usage (project_id, volumes, gigabytes) VALUES (NEW.project_id, 1, MAX(NEW.size, COALESCE(NEW.new_size, 0)))
      ON CONFLICT (project_id) DO UPDATE SET volumes = volumes + 1, gigabytes = gigabytes + excluded.gigabytes;
  END;
`;

export interface TransferRow {
  id: string;
  projectId: string;
  volumeId: string;
  name: string;
  authKey: string;
  createdAt: number;
}

const toTransfer = (r: SqlRow): TransferRow => ({
  id: text(r, "id"),
  projectId: text(r, "project_id"),
  volumeId: text(r, "volume_id"),
  name: text(r, "name"),
  authKey: text(r, "auth_key"),
  createdAt: int(r, "created_at"),
});

export class TransfersTable {
  private readonly st: Record<"get" | "byId" | "list" | "insert" | "remove" | "move", Statement>;

  constructor(db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      get: p("SELECT * FROM evs_transfers WHERE project_id = ? AND id = ?"),
      byId: p("SELECT * FROM evs_transfers WHERE id = ?"),
      list: p("SELECT * FROM evs_transfers WHERE project_id = ? ORDER BY created_at, id"),
      insert: p("INSERT INTO evs_transfers (id, project_id, volume_id, name, auth_key, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
      remove: p("DELETE FROM evs_transfers WHERE id = ?"),
      move: p("UPDATE evs_volumes SET project_id = ?, user_id = ?, status = 'available', updated_at = ? WHERE project_id = ? AND id = ?"),
    };
  }

  get(projectId: string, id: string): TransferRow | undefined {
    return maybe(toTransfer, this.st.get.get(projectId, id));
  }

  /** The transfer a receiving project names (see the header). */
  pending(id: string): TransferRow | undefined {
    return maybe(toTransfer, this.st.byId.get(id));
  }

  list(projectId: string): TransferRow[] {
    return all(toTransfer, this.st.list.all(projectId));
  }

  insert(t: TransferRow): void {
    this.st.insert.run(t.id, t.projectId, t.volumeId, t.name, t.authKey, t.createdAt);
  }

  remove(id: string): void {
    this.st.remove.run(id);
  }

  /** Moves the transfer's volume to the receiving project, available, and ends the transfer. */
  accept(t: TransferRow, to: { projectId: string; userId: string }, now: number): void {
    this.st.move.run(to.projectId, to.userId, now, t.projectId, t.volumeId);
    this.st.remove.run(t.id);
  }
}
