// ListVersions as keyset pages over both tables: the current versions (obs_objects, ranked above every
// other version of their key) and obs_versions, merged in (key, seq DESC) order. A page resumes after
// key-marker, or inside it below version-id-marker; with a delimiter, the versions under a common prefix
// are skipped with one restart past the group, as listing.ts does for ListObjects.
import type { Database, Statement } from "better-sqlite3";
import { successor } from "./listing.ts";

/** Ranks the current version (obs_objects) above every row of obs_versions. */
export const CURRENT_SEQ = Number.MAX_SAFE_INTEGER;
const LIST_COLUMNS = "key, version_id, seq, delete_marker, size, etag, last_modified, storage_class";

export interface VersionsQuery {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys: number;
}

export interface ListedVersion {
  key: string;
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
  lastModified: number;
  size: number;
  etag: string;
  storageClass: string;
}

export interface VersionsPage {
  entries: ListedVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

export class VersionLister {
  private readonly st: Record<"below" | "listAfter" | "listFrom", Statement>;

  constructor(db: Database) {
    const listFrom = (op: string) =>
      db
        .prepare(
          `SELECT ${LIST_COLUMNS} FROM (
            SELECT key, coalesce(version_id, 'null') AS version_id, ${CURRENT_SEQ} AS seq, 0 AS delete_marker,
              size, etag, last_modified, storage_class
            FROM obs_objects WHERE bucket = @bucket AND key ${op} CAST(@from AS TEXT) AND (@upper IS NULL OR key < CAST(@upper AS TEXT))
            UNION ALL
            SELECT ${LIST_COLUMNS} FROM obs_versions
            WHERE bucket = @bucket AND key ${op} CAST(@from AS TEXT) AND (@upper IS NULL OR key < CAST(@upper AS TEXT)))
          ORDER BY key, seq DESC LIMIT @limit`,
        )
        .raw(true);
    this.st = {
      below: db
        .prepare(`SELECT ${LIST_COLUMNS} FROM obs_versions WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`)
        .raw(true),
      listAfter: listFrom(">"),
      listFrom: listFrom(">="),
    };
  }

  /** ListVersions: keys in UTF-8 byte order, each key's versions newest first, delete markers among them. */
  list(bucket: string, q: VersionsQuery, markerSeq: (key: string, versionId: string) => number | undefined): VersionsPage {
    const page: VersionsPage = { entries: [], commonPrefixes: [], isTruncated: false };
    if (q.maxKeys <= 0) return page;
    const prefix = q.prefix ?? "";
    const delimiter = q.delimiter ? q.delimiter : undefined;
    const upper = prefix === "" ? null : (successor(prefix) ?? null);
    let count = 0;
    let lastKey: string | undefined;
    let lastVersion: string | undefined;
    let prevKey: string | undefined;
    const full = (): boolean => {
      if (count < q.maxKeys) return false;
      page.isTruncated = true;
      return true;
    };
    const take = (row: unknown[], latestPossible: boolean): void => {
      const key = row[0] as string;
      const entry: ListedVersion = {
        key,
        versionId: row[1] as string,
        isLatest: latestPossible && key !== prevKey,
        deleteMarker: row[3] === 1,
        size: row[4] as number,
        etag: row[5] as string,
        lastModified: row[6] as number,
        storageClass: row[7] as string,
      };
      prevKey = key;
      page.entries.push(entry);
      lastKey = key;
      lastVersion = entry.versionId;
      count++;
    };

    let from: { bytes: Buffer; inclusive: boolean } | undefined = { bytes: Buffer.from(prefix, "utf8"), inclusive: true };
    const km = q.keyMarker;
    if (km !== undefined && km !== "") {
      const cut = delimiter !== undefined && km.startsWith(prefix) ? km.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const next = successor(km.slice(0, cut + delimiter!.length));
        from = next ? { bytes: next, inclusive: true } : undefined;
      } else {
        if (q.versionIdMarker !== undefined && km.startsWith(prefix)) {
          // Resume inside the marker's key: its versions older than the marker.
          const seq = markerSeq(km, q.versionIdMarker);
          if (seq !== undefined) {
            prevKey = km;
            for (const row of this.st.below.iterate(bucket, km, seq, q.maxKeys + 1) as Iterable<unknown[]>) {
              if (full()) break;
              take(row, false);
            }
          }
        }
        const after = Buffer.from(km, "utf8");
        if (Buffer.compare(after, from.bytes) >= 0) from = { bytes: after, inclusive: false };
      }
    }
    scan: while (from && !page.isTruncated) {
      const start: { bytes: Buffer; inclusive: boolean } = from;
      from = undefined;
      const stmt = this.st[start.inclusive ? "listFrom" : "listAfter"];
      for (const row of stmt.iterate({ bucket, from: start.bytes, upper, limit: q.maxKeys - count + 1 }) as Iterable<unknown[]>) {
        if (full()) break scan;
        const key = row[0] as string;
        const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
        if (cut >= 0) {
          const cp = key.slice(0, cut + delimiter!.length);
          page.commonPrefixes.push(cp);
          count++;
          lastKey = cp;
          lastVersion = undefined;
          const next = successor(cp);
          from = next ? { bytes: next, inclusive: true } : undefined;
          break;
        }
        take(row, true);
      }
    }
    if (page.isTruncated && lastKey !== undefined) {
      page.nextKeyMarker = lastKey;
      if (lastVersion !== undefined) page.nextVersionIdMarker = lastVersion;
    }
    return page;
  }
}
