// Statements prepared on first use. The services' stores prepare every statement they may need when they
// are built (~480 at a start), which was ~20 ms of every cold start although a run uses few of them. With
// prepareLazily(db), db.prepare returns a stand-in that remembers its SQL and its modes (pluck, raw, expand,
// safeIntegers) and prepares the real statement the first time it runs. A mistake in the SQL therefore
// shows when the statement first runs (every statement runs in the tests), not at start-up.
import type { Database, Statement } from "better-sqlite3";

type Mode = "pluck" | "raw" | "expand" | "safeIntegers";

class LazyStatement {
  private real: Statement | undefined;
  private modes: [Mode, boolean][] = [];

  constructor(
    private readonly prepare: (sql: string) => Statement,
    readonly source: string,
  ) {}

  private get statement(): Statement {
    if (this.real === undefined) {
      const s = this.prepare(this.source);
      for (const [mode, on] of this.modes) s[mode](on);
      this.real = s;
    }
    return this.real;
  }

  private set(mode: Mode, on: boolean): this {
    if (this.real !== undefined) this.real[mode](on);
    else this.modes.push([mode, on]);
    return this;
  }

  get reader(): boolean {
    return this.statement.reader;
  }

  run(...params: unknown[]) {
    return this.statement.run(...params);
  }

  get(...params: unknown[]): unknown {
    return this.statement.get(...params);
  }

  all(...params: unknown[]): unknown[] {
    return this.statement.all(...params);
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.statement.iterate(...params);
  }

  columns() {
    return this.statement.columns();
  }

  bind(...params: unknown[]): this {
    this.statement.bind(...params);
    return this;
  }

  pluck(on = true): this {
    return this.set("pluck", on);
  }

  raw(on = true): this {
    return this.set("raw", on);
  }

  expand(on = true): this {
    return this.set("expand", on);
  }

  safeIntegers(on = true): this {
    return this.set("safeIntegers", on);
  }
}

/** Makes `db.prepare` return statements that are prepared when they first run. */
export function prepareLazily(db: Database): Database {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  db.prepare = ((sql: string) => new LazyStatement(prepare, sql)) as unknown as Database["prepare"];
  return db;
}
