// Listing a bucket's keys (ListObjects v1 and v2) as keyset pages: every page is a range scan of the
// primary key (bucket, key) that starts where the last one stopped, so page 10 costs what page 1 costs.
//
// Bounds are UTF-8 byte strings bound as BLOBs and compared as `CAST(? AS TEXT)`: the stored keys are
// compared by memcmp (BINARY collation), and a bound such as "every key after the ones starting with
// `photos/`" is `photos0`, the prefix with its last byte incremented, which need not be valid UTF-8 (and
// so cannot be a JavaScript string) but is a fine memcmp bound.
//
// With a delimiter, the keys under one common prefix are not read one by one: on meeting the first of
// them the scan restarts past the whole group, so a page reads about max-keys rows however many keys each
// common prefix hides.
import type { Database, Statement } from "better-sqlite3";
import { obsErrors } from "../errors.ts";

export interface ListQuery {
  prefix?: string;
  /** An empty delimiter is none. */
  delimiter?: string;
  /** List only what sorts after this: v1's marker, v2's start-after or continuation token. */
  after?: string;
  /** 0–1000 (the caller parses max-keys with validate.ts `parseMaxKeys`). */
  maxKeys: number;
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  last_modified: number;
  storage_class: string;
}

export interface ListPage {
  contents: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** When truncated: the last key or common prefix of the page, which OBS returns as NextMarker. */
  nextMarker: string | undefined;
  /** Rows read to build the page: about max-keys plus one per common prefix, wherever the page starts. */
  scanned: number;
}

interface Bound {
  bytes: Buffer;
  inclusive: boolean;
}

/** The smallest byte string above every string that starts with `s`; undefined when there is none. */
export function successor(s: string | Buffer): Buffer | undefined {
  const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  let i = b.length - 1;
  while (i >= 0 && b[i] === 0xff) i--;
  if (i < 0) return undefined;
  const out = Buffer.from(b.subarray(0, i + 1));
  out[i] = out[i]! + 1;
  return out;
}

/** v2's continuation token: the page's last key or common prefix, opaque to the client. */
export function encodeContinuationToken(marker: string): string {
  return Buffer.from(marker, "utf8").toString("base64url");
}

export function decodeContinuationToken(token: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw obsErrors.invalidArgument("The continuation token provided is incorrect");
  return Buffer.from(token, "base64url").toString("utf8");
}

const COLUMNS = "key, size, etag, last_modified, storage_class";

export class ObjectLister {
  /** [lower inclusive?][has upper bound?] */
  private readonly st: Statement[][];

  constructor(db: Database) {
    const make = (op: string, upper: boolean) =>
      db
        .prepare(
          `SELECT ${COLUMNS} FROM obs_objects WHERE bucket = ? AND key ${op} CAST(? AS TEXT)` +
            (upper ? " AND key < CAST(? AS TEXT)" : " AND ? IS NULL") +
            " ORDER BY key LIMIT ?",
        )
        .raw(true);
    this.st = [
      [make(">", false), make(">", true)],
      [make(">=", false), make(">=", true)],
    ];
  }

  list(bucket: string, q: ListQuery): ListPage {
    const prefix = q.prefix ?? "";
    const delimiter = q.delimiter ? q.delimiter : undefined;
    const page: ListPage = { contents: [], commonPrefixes: [], isTruncated: false, nextMarker: undefined, scanned: 0 };
    if (q.maxKeys <= 0) return page;
    const upper = prefix === "" ? undefined : successor(prefix);
    let lower: Bound | undefined = { bytes: Buffer.from(prefix, "utf8"), inclusive: true };
    if (q.after) {
      const from = startAfter(q.after, prefix, delimiter);
      if (!from) return page;
      if (Buffer.compare(from.bytes, lower.bytes) >= 0) lower = from;
    }
    let count = 0;
    let last = "";
    scan: while (lower) {
      const from: Bound = lower;
      lower = undefined;
      const stmt = this.st[from.inclusive ? 1 : 0]![upper ? 1 : 0]!;
      for (const row of stmt.iterate(bucket, from.bytes, upper ?? null, q.maxKeys - count + 1) as Iterable<unknown[]>) {
        page.scanned++;
        if (count === q.maxKeys) {
          page.isTruncated = true;
          break scan;
        }
        const key = row[0] as string;
        const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
        count++;
        if (cut >= 0) {
          last = key.slice(0, cut + delimiter!.length);
          page.commonPrefixes.push(last);
          // Jump past every key under this common prefix, with a fresh statement.
          const next = successor(last);
          lower = next ? { bytes: next, inclusive: true } : undefined;
          break;
        }
        last = key;
        page.contents.push({
          key,
          size: row[1] as number,
          etag: row[2] as string,
          last_modified: row[3] as number,
          storage_class: row[4] as string,
        });
      }
    }
    if (page.isTruncated) page.nextMarker = last;
    return page;
  }
}

/**
 * Where a page that resumes after `after` starts. If `after` lies under a common prefix (a NextMarker that
 * was one, or any key below it), that prefix sorts at or before `after` and was listed already: resume past
 * the whole group, not inside it, or the same common prefix would come back on every page.
 */
function startAfter(after: string, prefix: string, delimiter: string | undefined): Bound | undefined {
  if (delimiter !== undefined && after.startsWith(prefix)) {
    const cut = after.indexOf(delimiter, prefix.length);
    if (cut >= 0) {
      const next = successor(after.slice(0, cut + delimiter.length));
      return next ? { bytes: next, inclusive: true } : undefined;
    }
  }
  return { bytes: Buffer.from(after, "utf8"), inclusive: false };
}
