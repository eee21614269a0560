// Rows read back from SQLite, checked column by column into typed records. Plain typeof checks rather than
// a schema library: these run on every authenticated request, and the tables are hwlocal's own.

export type SqlRow = Record<string, unknown>;

export class RowError extends Error {}

export function asRow(r: unknown): SqlRow {
  if (typeof r !== "object" || r === null) throw new RowError("not a row");
  return r as SqlRow;
}

export function text(r: SqlRow, k: string): string {
  const v = r[k];
  if (typeof v !== "string") throw new RowError(`column ${k} is not text`);
  return v;
}

export function textOrNull(r: SqlRow, k: string): string | null {
  const v = r[k];
  if (v === null) return null;
  if (typeof v !== "string") throw new RowError(`column ${k} is not text or null`);
  return v;
}

export function int(r: SqlRow, k: string): number {
  const v = r[k];
  if (typeof v !== "number") throw new RowError(`column ${k} is not a number`);
  return v;
}

export function intOrNull(r: SqlRow, k: string): number | null {
  const v = r[k];
  if (v === null) return null;
  if (typeof v !== "number") throw new RowError(`column ${k} is not a number or null`);
  return v;
}

export function flag(r: SqlRow, k: string): boolean {
  return int(r, k) === 1;
}

export function oneOf<T extends string>(r: SqlRow, k: string, values: readonly T[]): T {
  const v = text(r, k);
  if (!(values as readonly string[]).includes(v)) throw new RowError(`column ${k} has unexpected value ${v}`);
  return v as T;
}

export function jsonStrings(r: SqlRow, k: string): string[] {
  const parsed: unknown = JSON.parse(text(r, k));
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) throw new RowError(`column ${k} is not a JSON string array`);
  return parsed;
}

/** Maps one optional row. */
export function maybe<T>(map: (r: SqlRow) => T, r: unknown): T | undefined {
  return r === undefined ? undefined : map(asRow(r));
}

/** Maps a list of rows. */
export function all<T>(map: (r: SqlRow) => T, rows: unknown[]): T[] {
  return rows.map((r) => map(asRow(r)));
}

/** Freezes a value read once and shared (a cached row) with the objects in it: changing one would be a bug. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
