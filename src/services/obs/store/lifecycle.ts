// A bucket's lifecycle configuration (obs_buckets.lifecycle, the parsed rules as JSON) and its execution on
// hwlocal's clock, run by the engine's ticker (index.ts `tickers`), so that POST /_hwlocal/clock/advance
// answers after the objects it made due are gone.
//
// When things expire (S3's documented rule, which OBS's console describes the same way): an object expires
// at the first UTC midnight after last_modified + Days, so it is gone once `today - Days > day(last_modified)`;
// with a Date (a UTC midnight), objects last modified before it expire once the clock reaches it (OBS: "对该
// 日期之前的对象执行"). Multipart uploads are aborted DaysAfterInitiation days after their initiation, on the
// same midnight rounding. Everything therefore changes only at UTC midnights: a bucket's rules are evaluated
// once per emulated day (and again when its configuration changes), and a tick costs one query over the
// buckets that have a configuration plus a map look-up each, and nothing at all once none has one.
// Expiration goes through the store's public deleteObject, so a versioned bucket gets a delete marker.
// NoncurrentVersionExpiration removes a noncurrent object version NoncurrentDays after it stopped being
// current (the next version's write), on the same midnight rounding; noncurrent delete markers stay.
// Not executed: transitions (storage classes are recorded, never changed), ExpiredObjectDeleteMarker.
import type { Statement } from "better-sqlite3";
import { asRow, text } from "../../../store/rows.ts";
import { z } from "../../../kernel/zod.ts";
import { obsErrors } from "../errors.ts";
import type { LifecycleRule } from "../xml-lifecycle.ts";
import type { ObsStore } from "./index.ts";
import { successor } from "./listing.ts";

const DAY_MS = 86_400_000;
const EXPIRED = "SELECT key FROM obs_objects WHERE bucket = ? AND key >= CAST(? AS TEXT)";
const STALE = "SELECT key, upload_id FROM obs_uploads WHERE bucket = ? AND key >= CAST(? AS TEXT)";
// A noncurrent object version (delete markers are left alone), and when it stopped being current: when the
// next newer version of its key was written (obs_versions by seq, else the current object in obs_objects).
const NONCURRENT = "SELECT v.key, v.version_id FROM obs_versions v WHERE v.bucket = ? AND v.key >= CAST(? AS TEXT)";
const NONCURRENT_SINCE =
  "v.delete_marker = 0 AND COALESCE(" +
  "(SELECT n.last_modified FROM obs_versions n WHERE n.bucket = v.bucket AND n.key = v.key AND n.seq > v.seq ORDER BY n.seq LIMIT 1), " +
  "(SELECT o.last_modified FROM obs_objects o WHERE o.bucket = v.bucket AND o.key = v.key)) < ? ORDER BY v.key, v.seq LIMIT ?";
/** Deletions (or aborts) per bucket per tick: a drain runs more rounds until none is left. */
const BATCH = 500;

const When = z.strictObject({ days: z.number().optional(), date: z.number().optional() });
const Rules = z.array(
  z.strictObject({
    id: z.string(),
    prefix: z.string(),
    filter: z.boolean(),
    enabled: z.boolean(),
    expiration: When.optional(),
    transitions: z.array(z.strictObject({ days: z.number().optional(), date: z.number().optional(), storageClass: z.string() })),
    noncurrentExpirationDays: z.number().optional(),
    noncurrentTransitions: z.array(z.strictObject({ days: z.number(), storageClass: z.string() })),
    abortUploadDays: z.number().optional(),
  }),
);

function readRules(json: string): LifecycleRule[] {
  const parsed = Rules.parse(JSON.parse(json));
  // zod's optional fields come back as `T | undefined`; the model leaves them out instead.
  return parsed.map((r) => JSON.parse(JSON.stringify(r)) as LifecycleRule);
}

/** The last-modified bound below which a rule's objects have expired at `now`, or undefined (none yet). */
function cutoff(w: { days?: number; date?: number }, now: number): number | undefined {
  if (w.days !== undefined) return (Math.floor(now / DAY_MS) - w.days) * DAY_MS;
  if (w.date !== undefined && now >= w.date) return w.date;
  return undefined;
}

class LifecycleStore {
  private readonly st: Record<"get" | "set" | "configured" | "expiredIn" | "expiredFrom" | "staleIn" | "staleFrom" | "noncurrentIn" | "noncurrentFrom", Statement>;
  /** Per bucket: the configuration and the UTC day its rules last ran to completion. */
  private readonly done = new Map<string, { config: string; day: number }>();
  /**
   * false once a tick found no bucket with a configuration: later ticks cost nothing until set() stores one
   * (only set() gives a bucket a configuration; deleting buckets or a reset can only take them away).
   */
  private anyConfigured = true;

  constructor(private readonly store: ObsStore) {
    const db = store.db;
    this.st = {
      get: db.prepare("SELECT lifecycle FROM obs_buckets WHERE name = ?").pluck(),
      set: db.prepare("UPDATE obs_buckets SET lifecycle = ? WHERE name = ?"),
      configured: db.prepare("SELECT name, lifecycle FROM obs_buckets WHERE lifecycle IS NOT NULL"),
      // Within a prefix (upper bound known) and from a prefix to the end: two statements, so that both
      // bounds reach the primary key's range (an "OR ? IS NULL" would keep the upper one out of it).
      expiredIn: db.prepare(`${EXPIRED} AND key < CAST(? AS TEXT) AND last_modified < ? ORDER BY key LIMIT ?`).pluck(),
      expiredFrom: db.prepare(`${EXPIRED} AND last_modified < ? ORDER BY key LIMIT ?`).pluck(),
      staleIn: db.prepare(`${STALE} AND key < CAST(? AS TEXT) AND initiated < ? ORDER BY key LIMIT ?`),
      staleFrom: db.prepare(`${STALE} AND initiated < ? ORDER BY key LIMIT ?`),
      noncurrentIn: db.prepare(`${NONCURRENT} AND v.key < CAST(? AS TEXT) AND ${NONCURRENT_SINCE}`),
      noncurrentFrom: db.prepare(`${NONCURRENT} AND ${NONCURRENT_SINCE}`),
    };
  }

  get(bucket: string): LifecycleRule[] {
    this.store.headBucket(bucket);
    const raw: unknown = this.st.get.get(bucket);
    if (typeof raw !== "string") throw obsErrors.noSuchLifecycleConfiguration(bucket);
    return readRules(raw);
  }

  set(bucket: string, rules: readonly LifecycleRule[] | null): void {
    this.store.db.transaction(() => {
      this.store.headBucket(bucket);
      this.st.set.run(rules === null ? null : JSON.stringify(rules), bucket);
    })();
    if (rules !== null) this.anyConfigured = true;
  }

  /** One tick: runs what is due in every configured bucket; true when a batch filled up (more is due now). */
  tick(now: number): boolean {
    if (!this.anyConfigured) return false;
    const today = Math.floor(now / DAY_MS);
    let busy = false;
    const seen = new Set<string>();
    const configured = this.st.configured.all();
    this.anyConfigured = configured.length > 0;
    for (const raw of configured) {
      const row = asRow(raw);
      const bucket = text(row, "name");
      const config = text(row, "lifecycle");
      seen.add(bucket);
      const last = this.done.get(bucket);
      if (last !== undefined && last.config === config && last.day === today) continue;
      if (this.runBucket(bucket, readRules(config), now)) busy = true;
      else this.done.set(bucket, { config, day: today });
    }
    for (const bucket of this.done.keys()) if (!seen.has(bucket)) this.done.delete(bucket);
    return busy;
  }

  /** Expires and aborts up to a batch per rule; true when some rule may have more. */
  private runBucket(bucket: string, rules: readonly LifecycleRule[], now: number): boolean {
    let more = false;
    for (const r of rules) {
      if (!r.enabled) continue;
      const upper = r.prefix === "" ? undefined : successor(r.prefix);
      const range = upper === undefined ? [bucket, Buffer.from(r.prefix, "utf8")] : [bucket, Buffer.from(r.prefix, "utf8"), upper];
      const expiredBefore = r.expiration ? cutoff(r.expiration, now) : undefined;
      if (expiredBefore !== undefined) {
        const keys = (upper === undefined ? this.st.expiredFrom : this.st.expiredIn).all(...range, expiredBefore, BATCH)
          .filter((k): k is string => typeof k === "string");
        // Synchronous from the query to the last delete: no request can write one of these keys meanwhile.
        for (const key of keys) this.store.deleteObject(bucket, key);
        if (keys.length === BATCH) more = true;
      }
      if (r.noncurrentExpirationDays !== undefined) {
        const before = cutoff({ days: r.noncurrentExpirationDays }, now)!;
        const versions = (upper === undefined ? this.st.noncurrentFrom : this.st.noncurrentIn).all(...range, before, BATCH).map(asRow);
        for (const v of versions) this.store.versions.delete(bucket, text(v, "key"), text(v, "version_id"));
        if (versions.length === BATCH) more = true;
      }
      if (r.abortUploadDays !== undefined) {
        const before = cutoff({ days: r.abortUploadDays }, now)!;
        const uploads = (upper === undefined ? this.st.staleFrom : this.st.staleIn).all(...range, before, BATCH).map(asRow);
        for (const u of uploads) {
          try {
            this.store.multipart.abort(bucket, text(u, "key"), text(u, "upload_id"));
          } catch {
            // Being completed right now (OperationAborted): the completion wins.
          }
        }
        if (uploads.length === BATCH) more = true;
      }
    }
    return more;
  }
}

const stores = new WeakMap<ObsStore, LifecycleStore>();

/** The lifecycle tables of an ObsStore (one per store, made on first use). */
export function lifecycleOf(store: ObsStore): LifecycleStore {
  let l = stores.get(store);
  if (l === undefined) {
    l = new LifecycleStore(store);
    stores.set(store, l);
  }
  return l;
}
