// Bucket configuration in obs_buckets' columns (cors and tagging as JSON, storage_class, quota) and object
// tags in obs_objects.tagging. One instance per database, made on first use (configOf).
import type { Database, Statement } from "better-sqlite3";
import { obsErrors } from "../errors.ts";
import type { CorsRule } from "../xml-config.ts";
import type { ObsStore } from "./index.ts";

function parseJson<T>(raw: unknown, check: (v: unknown) => v is T): T | null {
  if (typeof raw !== "string") return null;
  const v: unknown = JSON.parse(raw);
  return check(v) ? v : null;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function isCorsRules(v: unknown): v is CorsRule[] {
  return (
    Array.isArray(v) &&
    v.every((r: unknown) => {
      if (typeof r !== "object" || r === null) return false;
      const o = r as Record<string, unknown>;
      return (
        isStringArray(o["allowedMethods"]) &&
        isStringArray(o["allowedOrigins"]) &&
        isStringArray(o["allowedHeaders"]) &&
        isStringArray(o["exposeHeaders"]) &&
        (o["id"] === undefined || typeof o["id"] === "string") &&
        (o["maxAgeSeconds"] === undefined || typeof o["maxAgeSeconds"] === "number")
      );
    })
  );
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
}

type Name = "cors" | "setCors" | "tagging" | "setTagging" | "setClass" | "quota" | "setQuota" | "info" | "parts" | "setObjectTags";

export class BucketConfigStore {
  private readonly st: Record<Name, Statement>;

  constructor(db: Database) {
    this.st = {
      cors: db.prepare("SELECT cors FROM obs_buckets WHERE name = ?").pluck(),
      setCors: db.prepare("UPDATE obs_buckets SET cors = ? WHERE name = ?"),
      tagging: db.prepare("SELECT tagging FROM obs_buckets WHERE name = ?").pluck(),
      setTagging: db.prepare("UPDATE obs_buckets SET tagging = ? WHERE name = ?"),
      setClass: db.prepare("UPDATE obs_buckets SET storage_class = ? WHERE name = ?"),
      quota: db.prepare("SELECT quota FROM obs_buckets WHERE name = ?").pluck(),
      setQuota: db.prepare("UPDATE obs_buckets SET quota = ? WHERE name = ?"),
      info: db.prepare("SELECT COALESCE(SUM(size), 0) AS size, COUNT(*) AS objects FROM obs_objects WHERE bucket = ?"),
      parts: db.prepare("SELECT COALESCE(SUM(size), 0) FROM obs_parts WHERE upload_id = ?").pluck(),
      setObjectTags: db.prepare("UPDATE obs_objects SET tagging = ? WHERE bucket = ? AND key = ?"),
    };
  }

  private update(st: Statement, value: string | number | null, bucket: string): void {
    if (st.run(value, bucket).changes === 0) throw obsErrors.noSuchBucket(bucket);
  }

  /** The bucket's CORS rules; null when none are set (a missing bucket reads as none). */
  cors(bucket: string): CorsRule[] | null {
    return parseJson(this.st.cors.get(bucket), isCorsRules);
  }

  setCors(bucket: string, rules: readonly CorsRule[] | null): void {
    this.update(this.st.setCors, rules === null ? null : JSON.stringify(rules), bucket);
  }

  tagging(bucket: string): Record<string, string> | null {
    return parseJson(this.st.tagging.get(bucket), isStringMap);
  }

  setTagging(bucket: string, tags: Record<string, string> | null): void {
    this.update(this.st.setTagging, tags === null ? null : JSON.stringify(tags), bucket);
  }

  setStorageClass(bucket: string, storageClass: string): void {
    this.update(this.st.setClass, storageClass, bucket);
  }

  quota(bucket: string): number {
    const q: unknown = this.st.quota.get(bucket);
    return typeof q === "number" ? q : 0;
  }

  setQuota(bucket: string, quota: number): void {
    this.update(this.st.setQuota, quota, bucket);
  }

  /** Bytes and objects in the bucket, by one aggregate over its rows. */
  storageInfo(bucket: string): { size: number; objects: number } {
    const r = this.st.info.get(bucket) as { size: unknown; objects: unknown };
    return { size: Number(r.size), objects: Number(r.objects) };
  }

  /** The bytes of an upload's parts so far. */
  uploadedBytes(uploadId: string): number {
    return Number(this.st.parts.get(uploadId));
  }

  /** Replaces an object's tags (null: none); false when there is no such object. */
  setObjectTags(bucket: string, key: string, tags: Record<string, string> | null): boolean {
    return this.st.setObjectTags.run(tags === null ? null : JSON.stringify(tags), bucket, key).changes > 0;
  }
}

const instances = new WeakMap<Database, BucketConfigStore>();

/** The bucket-configuration statements of an OBS store's database. */
export function configOf(store: ObsStore): BucketConfigStore {
  let s = instances.get(store.db);
  if (!s) {
    s = new BucketConfigStore(store.db);
    instances.set(store.db, s);
  }
  return s;
}
