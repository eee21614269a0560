// SQLite through better-sqlite3: one file in the data folder, WAL journal. synchronous=NORMAL makes every
// committed transaction survive the process being killed (kill -9): the commit is in the WAL file before
// the statement returns. Only a power loss or OS crash could drop the last commits, which FULL would
// prevent at the cost of an fsync per write; an emulator does not need that. Keep SQL in store files.
// The file is opened in EXCLUSIVE locking mode: one hwlocal per data folder (lock.ts), and no other process
// (the sqlite3 shell included) can open the database while hwlocal runs.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { prepareLazily } from "./lazy-statements.ts";
import BetterSqlite3 from "better-sqlite3";
import type { Database } from "better-sqlite3";
import { DataDirInUseError, readOwner } from "./lock.ts";

export interface OpenOptions {
  /** Folder for hwlocal.db; ignored when inMemory. */
  dataDir: string;
  inMemory: boolean;
}

export function openDatabase(opts: OpenOptions): Database {
  let db: Database;
  if (opts.inMemory) {
    db = newDatabase(":memory:");
  } else {
    mkdirSync(opts.dataDir, { recursive: true });
    // A short wait: a hwlocal that has just been stopped releases the lock as its process exits.
    db = newDatabase(join(opts.dataDir, "hwlocal.db"), 250);
    try {
      // EXCLUSIVE before the first access: the file lock is then held until the connection closes or the
      // process dies (lock.ts), and WAL needs no shared-memory file.
      db.pragma("locking_mode = EXCLUSIVE");
      db.pragma("journal_mode = WAL");
      db.exec("BEGIN EXCLUSIVE; COMMIT");
    } catch (err) {
      db.close();
      if ((err as { code?: unknown }).code === "SQLITE_BUSY") throw new DataDirInUseError(opts.dataDir, readOwner(opts.dataDir));
      throw err;
    }
    db.pragma("synchronous = NORMAL");
  }
  db.pragma("foreign_keys = ON");
  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    service TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (service, idx))`);
  db.exec(`CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  return db;
}

function newDatabase(file: string, timeoutMs = 5000): Database {
  try {
    return prepareLazily(new BetterSqlite3(file, { timeout: timeoutMs }));
  } catch (err) {
    // npm 11 skips dependencies' install scripts unless the project allows them (allowScripts), and
    // better-sqlite3's compiles or downloads its native module.
    if (err instanceof Error && err.message.startsWith("Could not locate the bindings file")) {
      throw new Error(
        "better-sqlite3's native module is missing (npm skipped its install script): run " +
          "`npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3` (npm 11), or `npm rebuild better-sqlite3`",
      );
    }
    throw err;
  }
}

/** Applies the migrations of one owner that this database has not seen, each in its own transaction. */
export function migrate(db: Database, owner: string, migrations: readonly string[]): void {
  const done = new Set(
    db
      .prepare("SELECT idx FROM _migrations WHERE service = ?")
      .pluck()
      .all(owner)
      .map((v) => Number(v)),
  );
  const record = db.prepare("INSERT INTO _migrations (service, idx) VALUES (?, ?)");
  migrations.forEach((sql, idx) => {
    if (done.has(idx)) return;
    db.transaction(() => {
      db.exec(sql);
      record.run(owner, idx);
    })();
  });
}

export function getMeta(db: Database, key: string): string | undefined {
  const v: unknown = db.prepare("SELECT value FROM _meta WHERE key = ?").pluck().get(key);
  return typeof v === "string" ? v : undefined;
}

export function setMeta(db: Database, key: string, value: string): void {
  db.prepare("INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
    key,
    value,
  );
}

/** Deletes every row of every table except the bookkeeping ones: the first half of a reset. */
export function clearAllTables(db: Database): void {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'")
    .pluck()
    .all()
    .filter((t): t is string => typeof t === "string");
  db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => {
      for (const t of tables) db.exec(`DELETE FROM "${t}"`);
    })();
  } finally {
    db.pragma("foreign_keys = ON");
  }
}
