// IAM's fine-grained policies on OBS (issue 12: every request of every service): a signed request of a
// user outside its domain's admin group needs an Allow of the operation's OBS action in its policies, and
// no Deny, as the JSON services' requests do at the gateway (gateway/authorize.ts judges both, in the mode
// of --iam-policies). The actions are Huawei's (OBS's permission reference, and the OBS system policies of
// services/iam/catalog-data.ts): obs:bucket:* for bucket operations, obs:object:* for objects, the
// *Version actions when a request names a version. OBS is a global service in IAM: policies granted on the
// domain (or on all projects) count, not those of one region's project.
//
// Doubts: on the cloud a bucket policy that allows a user of the bucket's own domain stands in for a
// missing IAM permission (the two are unioned); here the bucket policy and ACLs decide only for other
// domains and anonymous callers (operations/access.ts), and a domain's own users need IAM's Allow. CopyObject
// and CopyPart are judged as obs:object:PutObject only (the source's GetObject is not judged separately).
// Unsigned CORS preflights and the unsigned apiversion probe are never judged.
import type { Principal } from "../../kernel/identity.ts";
import type { ObsCall } from "./call.ts";
import { obsErrors } from "./errors.ts";

const BUCKET: Record<string, string> = {
  ListBuckets: "ListAllMyBuckets",
  CreateBucket: "CreateBucket",
  HeadBucket: "HeadBucket",
  DeleteBucket: "DeleteBucket",
  GetBucketLocation: "GetBucketLocation",
  ListObjects: "ListBucket",
  ListObjectsV2: "ListBucket",
  ListVersions: "ListBucketVersions",
  ListMultipartUploads: "ListBucketMultipartUploads",
  SetBucketVersioning: "PutBucketVersioning",
  GetBucketVersioning: "GetBucketVersioning",
  SetBucketCors: "PutBucketCORS",
  GetBucketCors: "GetBucketCORS",
  DeleteBucketCors: "PutBucketCORS",
  SetBucketTagging: "PutBucketTagging",
  GetBucketTagging: "GetBucketTagging",
  DeleteBucketTagging: "DeleteBucketTagging",
  SetBucketStoragePolicy: "PutBucketStoragePolicy",
  GetBucketStoragePolicy: "GetBucketStoragePolicy",
  SetBucketQuota: "PutBucketQuota",
  GetBucketQuota: "GetBucketQuota",
  GetBucketStorageInfo: "GetBucketStorage",
  SetBucketAcl: "PutBucketAcl",
  GetBucketAcl: "GetBucketAcl",
  SetBucketPolicy: "PutBucketPolicy",
  GetBucketPolicy: "GetBucketPolicy",
  DeleteBucketPolicy: "DeleteBucketPolicy",
  SetBucketLifecycle: "PutLifecycleConfiguration",
  GetBucketLifecycle: "GetLifecycleConfiguration",
  DeleteBucketLifecycle: "PutLifecycleConfiguration",
};

/** Object operations: their action, and the one for a request that names a version. */
const OBJECT: Record<string, [string, string]> = {
  PutObject: ["PutObject", "PutObject"],
  PostObject: ["PutObject", "PutObject"],
  AppendObject: ["PutObject", "PutObject"],
  CopyObject: ["PutObject", "PutObject"],
  InitiateMultipartUpload: ["PutObject", "PutObject"],
  UploadPart: ["PutObject", "PutObject"],
  CopyPart: ["PutObject", "PutObject"],
  CompleteMultipartUpload: ["PutObject", "PutObject"],
  AbortMultipartUpload: ["AbortMultipartUpload", "AbortMultipartUpload"],
  ListParts: ["ListMultipartUploadParts", "ListMultipartUploadParts"],
  GetObject: ["GetObject", "GetObjectVersion"],
  GetObjectMetadata: ["GetObject", "GetObjectVersion"],
  DeleteObject: ["DeleteObject", "DeleteObjectVersion"],
  DeleteObjects: ["DeleteObject", "DeleteObjectVersion"],
  SetObjectMetadata: ["ModifyObjectMetaData", "ModifyObjectMetaData"],
  SetObjectAcl: ["PutObjectAcl", "PutObjectVersionAcl"],
  GetObjectAcl: ["GetObjectAcl", "GetObjectVersionAcl"],
  SetObjectTagging: ["PutObjectTagging", "PutObjectTagging"],
  GetObjectTagging: ["GetObjectTagging", "GetObjectTagging"],
  DeleteObjectTagging: ["DeleteObjectTagging", "DeleteObjectTagging"],
};

/** The IAM action of an OBS operation, or undefined for one IAM does not judge. */
export function obsAction(operation: string, versioned: boolean): string | undefined {
  const bucket = BUCKET[operation];
  if (bucket !== undefined) return `obs:bucket:${bucket}`;
  const object = OBJECT[operation];
  return object === undefined ? undefined : `obs:object:${versioned ? object[1] : object[0]}`;
}

/** Throws AccessDenied when the caller's IAM policies do not allow the call's operation (enforce mode). */
export function requireIamPermission(c: ObsCall, principal: Principal): void {
  if (principal.isAdmin || c.r.authorize === undefined) return;
  const action = obsAction(c.target.operation, c.target.query.has("versionId"));
  if (action === undefined) return;
  if (!c.r.authorize(principal, action, c.region)) {
    throw obsErrors.accessDenied(`Policy doesn't allow ${action} to be performed.`);
  }
}
