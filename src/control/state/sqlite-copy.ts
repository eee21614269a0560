// The database half of checkpoints, export and import. A snapshot is SQLite's own `VACUUM INTO`: one
// consistent, compacted file written in one synchronous call, so no transaction is ever half in it. A
// restore copies every table of a snapshot into the live database inside ONE transaction, also in one
// synchronous call: requests, which run on the same thread, see the state before it or after it, never
// between. The live connection (and every prepared statement the services hold) stays; only rows change.
//
// A snapshot restores only into a database with the same migrations (the same hwlocal version): a state
// from another version is refused with a clear reason instead of being half applied.
import type { Database } from "better-sqlite3";

/** A snapshot that cannot be restored here; its message says why (answered as a 400). */
export class SnapshotMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotMismatchError";
  }
}

/** Writes the whole database to `file` (which must not exist yet). */
export function snapshotTo(db: Database, file: string): void {
  db.prepare("VACUUM INTO ?").run(file);
}

const TABLES = "SELECT name FROM %s.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

function tableNames(db: Database, schema: string): string[] {
  return db
    .prepare(TABLES.replace("%s", schema))
    .pluck()
    .all()
    .filter((t): t is string => typeof t === "string");
}

function migrationsOf(db: Database, schema: string): Set<string> {
  const rows = db.prepare(`SELECT service, idx FROM ${schema}._migrations`).all() as { service: string; idx: number }[];
  return new Set(rows.map((r) => `${r.service}#${r.idx}`));
}

function hasSequence(db: Database, schema: string): boolean {
  return db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE name = 'sqlite_sequence'`).get() !== undefined;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Checks that the attached snapshot has this database's migrations and tables; throws why not. */
function checkCompatible(db: Database): void {
  let theirs: Set<string>;
  try {
    theirs = migrationsOf(db, "snap");
  } catch {
    throw new SnapshotMismatchError("the file is not a hwlocal state (it has no _migrations table)");
  }
  const ours = migrationsOf(db, "main");
  const missing = [...ours].filter((m) => !theirs.has(m));
  const extra = [...theirs].filter((m) => !ours.has(m));
  if (missing.length > 0 || extra.length > 0) {
    throw new SnapshotMismatchError(
      `the state was made by another hwlocal version (migrations ${missing.length > 0 ? `missing: ${missing.join(", ")}` : ""}` +
        `${missing.length > 0 && extra.length > 0 ? "; " : ""}${extra.length > 0 ? `unknown: ${extra.join(", ")}` : ""})`,
    );
  }
}

/**
 * Replaces every row of the live database by the snapshot's, in one transaction. Throws
 * SnapshotMismatchError (nothing changed) when the snapshot is not a state of this hwlocal version.
 */
export function restoreFrom(db: Database, file: string): void {
  try {
    db.prepare("ATTACH DATABASE ? AS snap").run(file);
  } catch (err) {
    throw new SnapshotMismatchError(`the file is not an SQLite database (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    try {
      checkCompatible(db);
    } catch (err) {
      if (err instanceof SnapshotMismatchError) throw err;
      throw new SnapshotMismatchError(`the file is not a readable SQLite database (${err instanceof Error ? err.message : String(err)})`);
    }
    const tables = tableNames(db, "main");
    const theirs = new Set(tableNames(db, "snap"));
    const absent = tables.filter((t) => !theirs.has(t));
    if (absent.length > 0) throw new SnapshotMismatchError(`the state lacks the tables ${absent.join(", ")}`);
    // Same migrations, so the same columns in the same order: `INSERT INTO t SELECT * FROM snap.t` into an
    // emptied table lets SQLite copy the b-tree records and index entries as they are (its transfer
    // optimization) instead of inserting row by row. Both it and the DELETE's truncation need foreign keys off.
    const copies = tables.map((t) => [db.prepare(`DELETE FROM main.${quote(t)}`), db.prepare(`INSERT INTO main.${quote(t)} SELECT * FROM snap.${quote(t)}`)]);
    const seq = hasSequence(db, "main")
      ? [db.prepare("DELETE FROM main.sqlite_sequence"), ...(hasSequence(db, "snap") ? [db.prepare("INSERT INTO main.sqlite_sequence SELECT * FROM snap.sqlite_sequence")] : [])]
      : [];
    db.pragma("foreign_keys = OFF");
    try {
      db.transaction(() => {
        for (const [del, ins] of copies) {
          del!.run();
          ins!.run();
        }
        for (const s of seq) s.run();
      })();
    } finally {
      db.pragma("foreign_keys = ON");
    }
  } finally {
    db.exec("DETACH DATABASE snap");
  }
}
