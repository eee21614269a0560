// The small SQL toolkit VPC's stores share: cached statements, transactions, and Huawei's marker paging.
import type { Database, Statement } from "better-sqlite3";
import { all, type SqlRow } from "../../../store/rows.ts";

export type SqlValue = string | number | null;

/** One condition of a list query, e.g. { sql: "t.vpc_id = ?", params: [id] }. */
export interface Condition {
  sql: string;
  params: SqlValue[];
}

/** `column = value`, or nothing when the filter is absent. */
export function eq(column: string, value: SqlValue | undefined): Condition[] {
  return value === undefined ? [] : [{ sql: `${column} = ?`, params: [value] }];
}

/** `column IN (values…)`, or nothing when the filter is absent; an empty list matches nothing. */
export function anyOf(column: string, values: SqlValue[] | undefined): Condition[] {
  if (values === undefined) return [];
  if (values.length === 0) return [{ sql: "0", params: [] }];
  return [{ sql: `${column} IN (${values.map(() => "?").join(", ")})`, params: values }];
}

export interface PageRequest {
  /** Id of the last item of the previous page. */
  marker?: string;
  /** undefined: every remaining item. */
  limit?: number;
}

/** A page, or "bad-marker" when the marker names no item of the list. */
export type Page<T> = T[] | "bad-marker";

export class Sql {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  st(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size > 500) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Marker paging over a table with a `seq` column (alias t): items after the marker in creation order,
   * within the project, matching every condition.
   */
  page<T>(opts: {
    select: string;
    /** The FROM clause: a table aliased t, possibly with joins. */
    table: string;
    /** The table the marker's id is looked up in, when `table` has joins. */
    markerTable?: string;
    projectId: string;
    where: Condition[];
    page: PageRequest;
    map: (r: SqlRow) => T;
  }): Page<T> {
    const conds: Condition[] = [{ sql: "t.project_id = ?", params: [opts.projectId] }, ...opts.where];
    if (opts.page.marker !== undefined) {
      const seq: unknown = this.st(`SELECT seq FROM ${opts.markerTable ?? opts.table} WHERE id = ? AND project_id = ?`)
        .pluck()
        .get(opts.page.marker, opts.projectId);
      if (typeof seq !== "number") return "bad-marker";
      conds.push({ sql: "t.seq > ?", params: [seq] });
    }
    const limit = opts.page.limit === undefined ? "" : ` LIMIT ${Math.trunc(opts.page.limit)}`;
    const from = opts.markerTable === undefined ? `${opts.table} t` : opts.table;
    const sql = `${opts.select} FROM ${from} WHERE ${conds.map((c) => `(${c.sql})`).join(" AND ")} ORDER BY t.seq${limit}`;
    return all(opts.map, this.st(sql).all(...conds.flatMap((c) => c.params)));
  }

  count(table: string, projectId: string, extra = ""): number {
    const n: unknown = this.st(`SELECT count(*) FROM ${table} WHERE project_id = ?${extra}`).pluck().get(projectId);
    return typeof n === "number" ? n : 0;
  }
}
