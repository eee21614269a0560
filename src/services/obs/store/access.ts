// Access state in the OBS tables: obs_buckets.acl (NOT NULL, 'private' by default) and .policy (NULL: none),
// obs_objects.acl (NULL: none given, read as private). The values are opaque text here: a canned ACL name
// or a JSON document (access-check.ts reads them), and the policy exactly as the owner sent it.
import type { Database, Statement } from "better-sqlite3";
import { asRow, text, textOrNull } from "../../../store/rows.ts";

/** What the access decision needs of a bucket, in one primary-key probe. */
export interface BucketAccess {
  domain_id: string;
  location: string;
  acl: string;
  policy: string | null;
}

export class AccessTable {
  private readonly st: Record<
    "exists" | "bucket" | "setBucketAcl" | "setPolicy" | "objectAcl" | "setObjectAcl",
    Statement
  >;

  constructor(db: Database) {
    this.st = {
      exists: db.prepare("SELECT 1 FROM obs_buckets WHERE name = ?").pluck(),
      bucket: db.prepare("SELECT domain_id, location, acl, policy FROM obs_buckets WHERE name = ?"),
      setBucketAcl: db.prepare("UPDATE obs_buckets SET acl = ? WHERE name = ?"),
      setPolicy: db.prepare("UPDATE obs_buckets SET policy = ? WHERE name = ?"),
      objectAcl: db.prepare("SELECT acl, version_id FROM obs_objects WHERE bucket = ? AND key = ?"),
      setObjectAcl: db.prepare("UPDATE obs_objects SET acl = ? WHERE bucket = ? AND key = ?"),
    };
  }

  /** Whether a bucket of that name exists (the classifier's probe for anonymous requests). */
  bucketExists(name: string): boolean {
    return this.st.exists.get(name) !== undefined;
  }

  bucket(name: string): BucketAccess | undefined {
    const raw: unknown = this.st.bucket.get(name);
    if (raw === undefined) return undefined;
    const r = asRow(raw);
    return { domain_id: text(r, "domain_id"), location: text(r, "location"), acl: text(r, "acl"), policy: textOrNull(r, "policy") };
  }

  /** false when the bucket does not exist. */
  setBucketAcl(name: string, acl: string): boolean {
    return this.st.setBucketAcl.run(acl, name).changes > 0;
  }

  /** null deletes the policy; false when the bucket does not exist. */
  setPolicy(name: string, policy: string | null): boolean {
    return this.st.setPolicy.run(policy, name).changes > 0;
  }

  /** The object's ACL and version, or undefined when there is no object under the key. */
  object(bucket: string, key: string): { acl: string | null; version_id: string | null } | undefined {
    const raw: unknown = this.st.objectAcl.get(bucket, key);
    if (raw === undefined) return undefined;
    const r = asRow(raw);
    return { acl: textOrNull(r, "acl"), version_id: textOrNull(r, "version_id") };
  }

  /** false when there is no object under the key. */
  setObjectAcl(bucket: string, key: string, acl: string): boolean {
    return this.st.setObjectAcl.run(acl, bucket, key).changes > 0;
  }
}
