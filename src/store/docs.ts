// A service's smaller resources as JSON documents in one table of its own (SMN's smn_docs, Cloud Eye's
// ces_docs), each kind parsed with its own schema when read back. Every query names the project; `parent`
// ties a document to the one it belongs to (a widget to its dashboard, a tag to its topic), so deleting that
// parent deletes them.
import type { Database, Statement } from "better-sqlite3";
import type { z } from "../kernel/zod.ts";
import { int, text, type SqlRow } from "./rows.ts";

/** The migration that makes a service's document table. */
export const docsMigration = (table: string): string => `
  CREATE TABLE ${table} (
    kind TEXT NOT NULL, project_id TEXT NOT NULL, id TEXT NOT NULL, parent TEXT NOT NULL, doc TEXT NOT NULL,
    created_at INTEGER NOT NULL, PRIMARY KEY (kind, project_id, id));
  CREATE INDEX ${table}_parent ON ${table}(project_id, parent);
`;

export interface Doc<T> {
  id: string;
  parent: string;
  doc: T;
  createdAt: number;
}

type Stmt = "get" | "list" | "under" | "put" | "del" | "delUnder" | "delKindUnder";

export class DocTable {
  private readonly st: Record<Stmt, Statement>;

  constructor(
    private readonly db: Database,
    table: string,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      get: p(`SELECT * FROM ${table} WHERE kind = ? AND project_id = ? AND id = ?`),
      list: p(`SELECT * FROM ${table} WHERE kind = ? AND project_id = ? ORDER BY created_at, rowid`),
      under: p(`SELECT * FROM ${table} WHERE kind = ? AND project_id = ? AND parent = ? ORDER BY created_at, rowid`),
      put: p(`INSERT INTO ${table} (kind, project_id, id, parent, doc, created_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, project_id, id) DO UPDATE SET doc = excluded.doc, parent = excluded.parent`),
      del: p(`DELETE FROM ${table} WHERE kind = ? AND project_id = ? AND id = ?`),
      delUnder: p(`DELETE FROM ${table} WHERE project_id = ? AND parent = ?`),
      delKindUnder: p(`DELETE FROM ${table} WHERE kind = ? AND project_id = ? AND parent = ?`),
    };
  }

  /** The typed view of one kind of document. */
  kind<S extends z.ZodType>(kind: string, schema: S): DocKind<z.output<S>> {
    const read = (r: unknown): Doc<z.output<S>> => {
      const row = r as SqlRow;
      return { id: text(row, "id"), parent: text(row, "parent"), doc: schema.parse(JSON.parse(text(row, "doc"))), createdAt: int(row, "created_at") };
    };
    const st = this.st;
    return {
      get: (projectId, id) => {
        const r = st.get.get(kind, projectId, id);
        return r === undefined ? undefined : read(r);
      },
      list: (projectId, parent) =>
        (parent === undefined ? st.list.all(kind, projectId) : st.under.all(kind, projectId, parent)).map(read),
      put: (projectId, d) => void st.put.run(kind, projectId, d.id, d.parent, JSON.stringify(d.doc), d.createdAt),
      delete: (projectId, id) => st.del.run(kind, projectId, id).changes > 0,
      deleteUnder: (projectId, parent) => void st.delKindUnder.run(kind, projectId, parent),
    };
  }

  /** Runs fn in a transaction (a savepoint inside a caller's). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Deletes every document, of any kind, under a parent (a deleted topic's attributes, tags, logtanks…). */
  deleteUnder(projectId: string, parent: string): void {
    this.st.delUnder.run(projectId, parent);
  }
}

export interface DocKind<T> {
  get(projectId: string, id: string): Doc<T> | undefined;
  list(projectId: string, parent?: string): Doc<T>[];
  /** Inserts, or replaces the document of that id (its created_at stays). */
  put(projectId: string, d: Doc<T>): void;
  delete(projectId: string, id: string): boolean;
  deleteUnder(projectId: string, parent: string): void;
}
