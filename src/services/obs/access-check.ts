// Who may do what to a bucket or an object besides its owner: ACLs (canned or granted) and the bucket
// policy, decided by pure functions over what the store holds. The owner's own signed requests never come
// here (http.ts lets a bucket's domain do everything); an anonymous request and another domain's signed
// request do, and are allowed only when an ACL grant or a policy Allow covers the operation and no policy
// Deny does (an explicit Deny wins).
//
// ACLs are stored as text (obs_buckets.acl, obs_objects.acl): a canned name, or a JSON `Acl` document when
// set from an <AccessControlPolicy> body. A canned name expands to grants here, for GetBucketAcl and for
// the decision alike.
//
// Doubts (where hwlocal picks a behaviour):
// - a public-read (or public-read-write) BUCKET lets everyone read its objects too. Huawei documents that
//   only the `-delivered` variants pass the bucket's ACL on to its objects (obs_canned_acl in the C SDK
//   guide), but esdk in V2 mode turns public-read-delivered into public-read, and S3 users set public-read
//   to publish a bucket; hwlocal serves both the same.
// - a policy statement with a Condition is never an Allow (conditions are not evaluated) but is a Deny.
//   Statements written with NotPrincipal / NotAction / NotResource are stored and not evaluated.

export type Permission = "READ" | "WRITE" | "READ_ACP" | "WRITE_ACP" | "FULL_CONTROL";
export type Group = "AllUsers" | "AuthenticatedUsers" | "LogDelivery";
export const PERMISSIONS: readonly Permission[] = ["READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL"];

export interface Grant {
  grantee: { id: string } | { group: Group };
  permission: Permission;
  /** OBS's bucket grants: whether the grant passes on to the bucket's objects. */
  delivered?: boolean;
}

export interface Acl {
  grants: Grant[];
  /** OBS's object ACLs: whether the object takes its bucket's ACL (rendered only, not evaluated). */
  delivered?: boolean;
}

/** The canned ACLs a bucket takes (OBS's six and S3's list, esdk's two allow-lists together). */
export const BUCKET_CANNED: ReadonlySet<string> = new Set([
  "private",
  "public-read",
  "public-read-write",
  "public-read-delivered",
  "public-read-write-delivered",
  "authenticated-read",
  "bucket-owner-read",
  "bucket-owner-full-control",
  "log-delivery-write",
]);

/** The `-delivered` variants and log-delivery-write are for buckets only. */
export const OBJECT_CANNED: ReadonlySet<string> = new Set([
  "private",
  "public-read",
  "public-read-write",
  "authenticated-read",
  "bucket-owner-read",
  "bucket-owner-full-control",
]);

function cannedGrants(name: string, owner: string): Grant[] {
  const grants: Grant[] = [{ grantee: { id: owner }, permission: "FULL_CONTROL" }];
  const add = (group: Group, permission: Permission, delivered?: boolean) =>
    grants.push({ grantee: { group }, permission, ...(delivered ? { delivered } : {}) });
  switch (name) {
    case "public-read":
      add("AllUsers", "READ");
      break;
    case "public-read-write":
      add("AllUsers", "READ");
      add("AllUsers", "WRITE");
      break;
    case "public-read-delivered":
      add("AllUsers", "READ", true);
      break;
    case "public-read-write-delivered":
      add("AllUsers", "READ", true);
      add("AllUsers", "WRITE", true);
      break;
    case "authenticated-read":
      add("AuthenticatedUsers", "READ");
      break;
    case "log-delivery-write":
      add("LogDelivery", "WRITE");
      add("LogDelivery", "READ_ACP");
      break;
    // private, bucket-owner-read, bucket-owner-full-control: the owner (who is the bucket's owner) alone.
  }
  return grants;
}

function isGroup(v: unknown): v is Group {
  return v === "AllUsers" || v === "AuthenticatedUsers" || v === "LogDelivery";
}

function isPermission(v: unknown): v is Permission {
  return typeof v === "string" && (PERMISSIONS as readonly string[]).includes(v);
}

/** A stored JSON ACL read back; anything unexpected reads as no grants (owner only). */
function parseStoredAcl(textValue: string): Acl {
  let raw: unknown;
  try {
    raw = JSON.parse(textValue);
  } catch {
    return { grants: [] };
  }
  const doc = raw as { grants?: unknown; delivered?: unknown };
  const out: Acl = { grants: [] };
  if (typeof doc.delivered === "boolean") out.delivered = doc.delivered;
  if (!Array.isArray(doc.grants)) return out;
  for (const g of doc.grants as unknown[]) {
    const grant = g as { grantee?: { id?: unknown; group?: unknown }; permission?: unknown; delivered?: unknown };
    if (!isPermission(grant.permission) || grant.grantee === undefined) continue;
    const grantee = typeof grant.grantee.id === "string" ? { id: grant.grantee.id } : isGroup(grant.grantee.group) ? { group: grant.grantee.group } : undefined;
    if (!grantee) continue;
    out.grants.push({ grantee, permission: grant.permission, ...(grant.delivered === true ? { delivered: true } : {}) });
  }
  return out;
}

/** The grants a stored ACL means: a canned name expanded, a JSON document parsed, NULL as private. */
export function readAcl(stored: string | null, owner: string): Acl {
  if (stored === null || stored === "") return { grants: cannedGrants("private", owner) };
  if (stored.startsWith("{")) return parseStoredAcl(stored);
  return { grants: cannedGrants(stored, owner) };
}

/** What a caller is, for matching grantees and policy principals: a domain id, or undefined (anonymous). */
function grantsTo(acl: Acl, caller: string | undefined, wanted: Permission): boolean {
  return acl.grants.some((g) => {
    if (g.permission !== wanted && g.permission !== "FULL_CONTROL") return false;
    if ("id" in g.grantee) return caller !== undefined && g.grantee.id === caller;
    return g.grantee.group === "AllUsers" || (g.grantee.group === "AuthenticatedUsers" && caller !== undefined);
  });
}

// ---- bucket policy ------------------------------------------------------------------------------------

export interface PolicyStatement {
  effect: "Allow" | "Deny";
  principals: string[] | undefined;
  actions: string[] | undefined;
  resources: string[] | undefined;
  conditional: boolean;
}

function strings(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string")) return v as string[];
  return undefined;
}

/** Principal: "*", {"AWS": …}, {"ID": …} (OBS), {"CanonicalUser": …}: every listed value, flattened. */
function principals(v: unknown): string[] | undefined {
  const direct = strings(v);
  if (direct) return direct;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const value of Object.values(v)) {
    const list = strings(value);
    if (!list) return undefined;
    out.push(...list);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Validates a policy document for `bucket` and returns its statements, or a reason it is malformed (the
 * caller answers 400 MalformedPolicy with it).
 */
export function parsePolicy(json: string, bucket: string): PolicyStatement[] | string {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return "Policies must be valid JSON and the first byte must be '{'";
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return "Policies must be a JSON object";
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? (raw as unknown[]) : typeof raw === "object" && raw !== null ? [raw] : undefined;
  if (!list || list.length === 0) return "Missing required field Statement";
  const out: PolicyStatement[] = [];
  for (const item of list) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return "Statement entries must be objects";
    const s = item as Record<string, unknown>;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") return "Invalid effect: Effect must be Allow or Deny";
    if (s.Principal === undefined && s.NotPrincipal === undefined) return "Missing required field Principal";
    if (strings(s.Action) === undefined && strings(s.NotAction) === undefined) return "Missing required field Action";
    if (strings(s.Resource) === undefined && strings(s.NotResource) === undefined) return "Missing required field Resource";
    const p = s.Principal === undefined ? undefined : principals(s.Principal);
    if (s.Principal !== undefined && p === undefined) return "Invalid principal in policy";
    const resources = strings(s.Resource);
    for (const r of resources ?? strings(s.NotResource) ?? []) {
      const name = normaliseResource(r).split("/")[0]!;
      if (!wildcard(name).test(bucket)) return "Policy has invalid resource";
    }
    out.push({ effect: s.Effect, principals: p, actions: strings(s.Action), resources, conditional: s.Condition !== undefined });
  }
  return out;
}

/** `arn:aws:s3:::b/k`, `obs:*:*:object:b/k` (OBS's IAM form) or `b/k` → `b/k`. */
function normaliseResource(r: string): string {
  if (r.startsWith("arn:aws:s3:::")) return r.slice(13);
  const m = /^obs:[^:]*:[^:]*:(?:object|bucket):(.*)$/.exec(r);
  return m ? m[1]! : r;
}

const patterns = new Map<string, RegExp>();

/** A policy pattern (`*` any run, `?` one character) as an anchored RegExp. */
function wildcard(p: string): RegExp {
  let re = patterns.get(p);
  if (re) return re;
  re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
  if (patterns.size >= 1000) patterns.clear();
  patterns.set(p, re);
  return re;
}

/** `s3:GetObject`, `obs:object:GetObject`, `GetObject`: compared by the last segment, case-insensitively. */
function actionMatches(pattern: string, action: string): boolean {
  const bare = pattern.slice(pattern.lastIndexOf(":") + 1);
  return new RegExp(wildcard(bare).source, "is").test(action);
}

function principalMatches(list: string[], caller: string | undefined): boolean {
  return list.some((p) => p === "*" || (caller !== undefined && (p === caller || p.includes(`domain/${caller}`) || p.includes(`::${caller}:`))));
}

// ---- the decision -------------------------------------------------------------------------------------

interface Need {
  /** Which ACL is asked: the object's (with the bucket's as a fallback) or the bucket's. */
  on: "object" | "bucket";
  permission: Permission;
  /** The policy actions that allow it (none: only an ACL can). */
  actions: readonly string[];
}

const READ_OBJECT: Need = { on: "object", permission: "READ", actions: ["GetObject"] };
const LIST: Need = { on: "bucket", permission: "READ", actions: ["ListBucket"] };
const PUT: Need = { on: "bucket", permission: "WRITE", actions: ["PutObject"] };

/** The operations anyone but the owner may be granted; everything else (ACLs, policy, configuration) is the owner's. */
const NEEDS: Record<string, Need> = {
  GetObject: READ_OBJECT,
  GetObjectMetadata: READ_OBJECT,
  ListObjects: LIST,
  ListObjectsV2: LIST,
  HeadBucket: { on: "bucket", permission: "READ", actions: ["ListBucket", "HeadBucket"] },
  PutObject: PUT,
  InitiateMultipartUpload: PUT,
  UploadPart: PUT,
  CompleteMultipartUpload: PUT,
  AbortMultipartUpload: { on: "bucket", permission: "WRITE", actions: ["AbortMultipartUpload"] },
  DeleteObject: { on: "bucket", permission: "WRITE", actions: ["DeleteObject"] },
  // Per-key resources cannot be matched for a batch: an ACL grant only.
  DeleteObjects: { on: "bucket", permission: "WRITE", actions: [] },
};

export interface AccessQuery {
  operation: string;
  bucket: string;
  /** "" or undefined for a bucket-level request. */
  key: string | undefined;
  /** The bucket's owner (its domain id). */
  owner: string;
  bucketAcl: string;
  policy: string | null;
  /** The object's stored ACL (null: none given), or undefined when there is no object; read only if needed. */
  objectAcl: () => string | null | undefined;
  /** The signed caller's domain id; undefined for an anonymous request. */
  caller: string | undefined;
}

/** Whether a caller other than the owner may perform the operation. */
export function isAllowed(q: AccessQuery): boolean {
  const need = NEEDS[q.operation];
  if (!need) return false;
  const resource = q.key ? `${q.bucket}/${q.key}` : q.bucket;
  let policyAllows = false;
  if (q.policy !== null) {
    const statements = parsePolicy(q.policy, q.bucket);
    if (typeof statements !== "string") {
      for (const s of statements) {
        if (!s.principals || !s.actions || !s.resources) continue;
        if (!principalMatches(s.principals, q.caller)) continue;
        if (!s.actions.some((a) => need.actions.some((wanted) => actionMatches(a, wanted)))) continue;
        if (!s.resources.some((r) => wildcard(normaliseResource(r)).test(resource))) continue;
        if (s.effect === "Deny") return false;
        if (!s.conditional) policyAllows = true;
      }
    }
  }
  if (policyAllows) return true;
  if (grantsTo(readAcl(q.bucketAcl, q.owner), q.caller, need.permission)) return true;
  if (need.on === "object" && q.key) {
    const stored = q.objectAcl();
    if (stored !== undefined && grantsTo(readAcl(stored, q.owner), q.caller, need.permission)) return true;
  }
  return false;
}
