// Access: SetBucketAcl / GetBucketAcl and SetObjectAcl / GetObjectAcl (a canned ACL in x-obs-acl /
// x-amz-acl, grant headers, or an <AccessControlPolicy> body; xml-access.ts), SetBucketPolicy /
// GetBucketPolicy / DeleteBucketPolicy (JSON, validated, 204 on set and delete as OBS documents), and the
// check that lets anyone but a bucket's owner in (authorizeOthers: anonymous requests and other domains'
// signed ones, decided by access-check.ts).
//
// Doubts: a body that is not a policy answers 400 MalformedPolicy (S3's code; OBS's error table lists
// InvalidPolicyDocument for form policies only). An ACL on a noncurrent version cannot be set or read here
// (NoSuchVersion): obs_objects holds the current version's ACL only. The bucket policy does not bind the
// bucket's own domain (its Deny statements stop anonymous callers and other domains only).
import { BUCKET_CANNED, isAllowed, OBJECT_CANNED, parsePolicy, readAcl, type Acl } from "../access-check.ts";
import { dialectHeader, ns, readSmallBody, send, sendBytes, type ObsCall } from "../call.ts";
import { ObsError, obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { AccessTable, type BucketAccess } from "../store/access.ts";
import type { ObsStore } from "../store/index.ts";
import { grantsFromHeaders, parseAccessControlPolicy, xmlAccessControlPolicy } from "../xml-access.ts";

/** OBS caps a bucket policy at 20 KB. */
const MAX_POLICY_BYTES = 20 * 1024;

const tables = new WeakMap<ObsStore, AccessTable>();

/** The access statements over the store's database, prepared once per store. */
export function accessTable(store: ObsStore): AccessTable {
  let t = tables.get(store);
  if (!t) {
    t = new AccessTable(store.db);
    tables.set(store, t);
  }
  return t;
}

function bucketOf(c: ObsCall): BucketAccess {
  const b = accessTable(c.svc.store).bucket(c.target.bucket!);
  if (!b) throw obsErrors.noSuchBucket(c.target.bucket!);
  return b;
}

/**
 * Whether a caller who does not own the bucket (anonymous: `caller` undefined; or another domain's signed
 * request) may perform the request's operation; AccessDenied otherwise. NoSuchBucket for a missing bucket.
 */
export function authorizeOthers(c: ObsCall, caller: string | undefined): BucketAccess {
  const { bucket, key, operation } = c.target;
  if (bucket === undefined) throw obsErrors.accessDenied();
  const table = accessTable(c.svc.store);
  const b = table.bucket(bucket);
  if (!b) throw obsErrors.noSuchBucket(bucket);
  const ok = isAllowed({
    operation,
    bucket,
    key,
    owner: b.domain_id,
    bucketAcl: b.acl,
    policy: b.policy,
    objectAcl: () => (key ? table.object(bucket, key)?.acl : undefined),
    caller,
  });
  if (!ok) throw obsErrors.accessDenied();
  return b;
}

/** The ACL a Set request gives: a canned header, grant headers, or a body (only one of them). */
async function requestedAcl(c: ObsCall, level: "bucket" | "object"): Promise<string> {
  const canned = dialectHeader(c.req, "acl");
  const granted = grantsFromHeaders((name) => dialectHeader(c.req, name));
  const body = await readSmallBody(c.req, 64 * 1024);
  const given = [canned !== undefined, granted !== undefined, body.length > 0].filter(Boolean).length;
  if (given > 1) throw obsErrors.invalidRequest("Specify an ACL either by a canned ACL header, by grant headers, or in the request body, not several.");
  if (canned !== undefined) {
    const name = canned.trim().toLowerCase();
    if (!(level === "bucket" ? BUCKET_CANNED : OBJECT_CANNED).has(name)) throw obsErrors.invalidArgument(`Invalid canned ACL: ${canned}`);
    return name;
  }
  if (granted !== undefined) return JSON.stringify({ grants: granted } satisfies Acl);
  if (body.length === 0) throw obsErrors.missingRequestBody();
  // The body's <Owner> is not checked: the bucket's domain owns whatever it sets (and keeps full control).
  return JSON.stringify(parseAccessControlPolicy(body));
}

const setBucketAcl: ObsOperation = async (c) => {
  bucketOf(c);
  const acl = await requestedAcl(c, "bucket");
  if (!accessTable(c.svc.store).setBucketAcl(c.target.bucket!, acl)) throw obsErrors.noSuchBucket(c.target.bucket!);
  send(c, 200);
};

const getBucketAcl: ObsOperation = (c) => {
  const b = bucketOf(c);
  const acl = readAcl(b.acl, b.domain_id);
  send(c, 200, {}, xmlAccessControlPolicy({ ns: ns(c), dialect: c.dialect, owner: b.domain_id, acl, level: "bucket" }));
};

function noSuchVersion(bucket: string, key: string): ObsError {
  return new ObsError(404, "NoSuchVersion", "The specified version does not exist.", `/${bucket}/${key}`);
}

/** The current object under the key, checked against `versionId` when one is given. */
function objectOf(c: ObsCall): { acl: string | null; version_id: string | null } {
  const bucket = c.target.bucket!;
  const key = c.target.key!;
  const o = accessTable(c.svc.store).object(bucket, key);
  const versionId = c.target.query.get("versionId");
  if (!o) {
    if (versionId !== undefined && versionId !== "") throw noSuchVersion(bucket, key);
    throw obsErrors.noSuchKey(bucket, key);
  }
  if (versionId !== undefined && versionId !== "" && versionId !== (o.version_id ?? "null")) throw noSuchVersion(bucket, key);
  return o;
}

function versionHeaders(c: ObsCall, versionId: string | null): Record<string, string> {
  if (versionId === null) return {};
  return { [c.dialect === "obs" ? "x-obs-version-id" : "x-amz-version-id"]: versionId };
}

const setObjectAcl: ObsOperation = async (c) => {
  bucketOf(c);
  const o = objectOf(c);
  const acl = await requestedAcl(c, "object");
  if (!accessTable(c.svc.store).setObjectAcl(c.target.bucket!, c.target.key!, acl)) throw obsErrors.noSuchKey(c.target.bucket!, c.target.key!);
  send(c, 200, versionHeaders(c, o.version_id));
};

const getObjectAcl: ObsOperation = (c) => {
  const b = bucketOf(c);
  const o = objectOf(c);
  const acl = readAcl(o.acl, b.domain_id);
  send(c, 200, versionHeaders(c, o.version_id), xmlAccessControlPolicy({ ns: ns(c), dialect: c.dialect, owner: b.domain_id, acl, level: "object" }));
};

const setBucketPolicy: ObsOperation = async (c) => {
  bucketOf(c);
  const body = await readSmallBody(c.req, MAX_POLICY_BYTES);
  if (body.length === 0) throw obsErrors.missingRequestBody();
  const text = body.toString("utf8");
  const checked = parsePolicy(text, c.target.bucket!);
  if (typeof checked === "string") throw obsErrors.malformedPolicy(checked);
  if (!accessTable(c.svc.store).setPolicy(c.target.bucket!, text)) throw obsErrors.noSuchBucket(c.target.bucket!);
  send(c, 204);
};

const getBucketPolicy: ObsOperation = (c) => {
  const b = bucketOf(c);
  if (b.policy === null) throw obsErrors.noSuchBucketPolicy(c.target.bucket!);
  const body = Buffer.from(b.policy, "utf8");
  sendBytes(c, 200, { "Content-Type": "application/json", "Content-Length": String(body.length) }, body);
};

const deleteBucketPolicy: ObsOperation = (c) => {
  bucketOf(c);
  accessTable(c.svc.store).setPolicy(c.target.bucket!, null);
  send(c, 204);
};

export const accessOperations: Record<string, ObsOperation> = {
  SetBucketAcl: setBucketAcl,
  GetBucketAcl: getBucketAcl,
  SetObjectAcl: setObjectAcl,
  GetObjectAcl: getObjectAcl,
  SetBucketPolicy: setBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
};
