// One resource kind's table (migrations.ts): rows are {id, project, load balancer, parent, doc}. Every call
// names the project; a row of another project is "not found". seq keeps creation order (ids are random).
import type { Database, Statement } from "better-sqlite3";
import { all, int, intOrNull, maybe, text, textOrNull, type SqlRow } from "../../../store/rows.ts";
import type { ElbTable } from "./migrations.ts";

export interface DocRow<T> {
  id: string;
  projectId: string;
  lbId: string | null;
  parentId: string | null;
  seq: number;
  dueAt: number | null;
  doc: T;
}

export class DocTable<T extends object> {
  private readonly getStmt: Statement;
  private readonly listStmt: Statement;
  private readonly byParentStmt: Statement;
  private readonly byLbStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly dueStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly countStmt: Statement;
  private readonly projectsStmt: Statement;
  private readonly dueListStmt: Statement;
  private readonly seqStmt: Statement;

  constructor(db: Database, table: ElbTable) {
    this.getStmt = db.prepare(`SELECT * FROM ${table} WHERE id = ? AND project_id = ?`);
    this.listStmt = db.prepare(`SELECT * FROM ${table} WHERE project_id = ? ORDER BY seq`);
    this.byParentStmt = db.prepare(`SELECT * FROM ${table} WHERE parent_id = ? AND project_id = ? ORDER BY seq`);
    this.byLbStmt = db.prepare(`SELECT * FROM ${table} WHERE lb_id = ? AND project_id = ? ORDER BY seq`);
    this.insertStmt = db.prepare(
      `INSERT INTO ${table} (id, project_id, lb_id, parent_id, seq, due_at, doc) VALUES (@id, @projectId, @lbId, @parentId, @seq, @dueAt, @doc)`,
    );
    this.updateStmt = db.prepare(`UPDATE ${table} SET doc = ?, lb_id = ?, parent_id = ? WHERE id = ? AND project_id = ?`);
    this.dueStmt = db.prepare(`UPDATE ${table} SET due_at = ? WHERE id = ?`);
    this.deleteStmt = db.prepare(`DELETE FROM ${table} WHERE id = ? AND project_id = ?`);
    this.countStmt = db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE project_id = ?`);
    this.projectsStmt = db.prepare(`SELECT DISTINCT project_id FROM ${table}`).pluck();
    this.dueListStmt = db.prepare(`SELECT * FROM ${table} WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT 500`);
    this.seqStmt = db.prepare(`SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM ${table}`);
  }

  private row = (r: SqlRow): DocRow<T> => ({
    id: text(r, "id"),
    projectId: text(r, "project_id"),
    lbId: textOrNull(r, "lb_id"),
    parentId: textOrNull(r, "parent_id"),
    seq: int(r, "seq"),
    dueAt: intOrNull(r, "due_at"),
    // Our own JSON, written by insert/update below from T.
    doc: JSON.parse(text(r, "doc")) as T,
  });

  get(projectId: string, id: string): DocRow<T> | undefined {
    return maybe(this.row, this.getStmt.get(id, projectId));
  }

  list(projectId: string): DocRow<T>[] {
    return all(this.row, this.listStmt.all(projectId));
  }

  byParent(projectId: string, parentId: string): DocRow<T>[] {
    return all(this.row, this.byParentStmt.all(parentId, projectId));
  }

  byLb(projectId: string, lbId: string): DocRow<T>[] {
    return all(this.row, this.byLbStmt.all(lbId, projectId));
  }

  /** The projects that have any row (Cloud Eye's SYS.ELB metrics walk them). */
  projects(): string[] {
    return this.projectsStmt.all() as string[];
  }

  count(projectId: string): number {
    return int(this.countStmt.get(projectId) as SqlRow, "n");
  }

  insert(r: { id: string; projectId: string; lbId: string | null; parentId: string | null; dueAt?: number | null; doc: T }): DocRow<T> {
    const seq = int(this.seqStmt.get() as SqlRow, "n");
    const row = { ...r, seq, dueAt: r.dueAt ?? null };
    this.insertStmt.run({ ...row, doc: JSON.stringify(r.doc) });
    return row;
  }

  update(row: DocRow<T>): void {
    this.updateStmt.run(JSON.stringify(row.doc), row.lbId, row.parentId, row.id, row.projectId);
  }

  setDue(id: string, dueAt: number | null): void {
    this.dueStmt.run(dueAt, id);
  }

  delete(projectId: string, id: string): boolean {
    return this.deleteStmt.run(id, projectId).changes > 0;
  }

  /** Rows of every project whose due_at has come (the health ticker's work), oldest first. */
  due(now: number): DocRow<T>[] {
    return all(this.row, this.dueListStmt.all(now));
  }
}
