// OBS: object storage on hwlocal's one port, for esdk-obs-nodejs, the AWS S3 SDKs and S3 tools.
//
// Emulated (issue 9): requests recognised from their headers alone before any body is read (classify.ts:
//   obs.<region> / <bucket>.obs.<region> Hosts, AWS/OBS/V4 signatures, query auth, HEAD /?apiversion, form
//   POSTs, and rule 6: an unsigned path-style request whose first segment is an existing bucket) and answered
//   on the raw request and response (http.ts); path style and virtual-host style; V2, OBS and V4 signatures
//   in headers and queries, verified strictly against IAM's keys and temporary keys (auth/); aws-chunked
//   bodies refused as OBS refuses them, or decoded with --obs-aws-chunked accept (aws-chunked.ts: chunk and
//   trailer signatures, CRC32/SHA-1/SHA-256 trailers). A signed request of a user outside its domain's admin
//   group is judged by IAM's fine-grained policies on its OBS action (iam.ts), as the other services' are.
//   - Buckets in the caller's domain in one global namespace: ListBuckets, CreateBucket, HeadBucket,
//     DeleteBucket, GetBucketLocation, ListObjects v1 and v2, DeleteObjects.
//   - Objects streamed to files: PutObject, GetObject (one Range, conditions), GetObjectMetadata,
//     DeleteObject, CopyObject, SetObjectMetadata REPLACE/REPLACE_NEW, AppendObject (Appendable objects,
//     x-obs-next-append-position, PositionNotEqualToLength / ObjectNotAppendable; one new blob per append,
//     the position re-checked in the commit), PostObject (V2/OBS/V4 policies checked before the file).
//   - Multipart: Initiate, UploadPart, Complete, Abort, ListParts, ListMultipartUploads, CopyPart.
//   - Versioning (operations/versioning.ts, store/versions.ts): Set/GetBucketVersioning, ListVersions;
//     version ids on PUT/Copy/Complete, the null version when Suspended, versionId on GET/HEAD/DELETE/
//     DeleteObjects/copy source, delete markers; noncurrent versions in obs_versions.
//   - Bucket configuration (operations/bucket-config.ts, cors.ts): CORS (Content-MD5 required) with the
//     unsigned OPTIONS preflight (OptionsBucket, OptionsObject) and Access-Control-* headers on answers to
//     a matching Origin; bucket and object tags (x-obs-tagging on PUT); the default storage class
//     (?storageClass and ?storagePolicy, names per dialect, inherited by new objects); quota (403
//     InsufficientStorageSpace on PutObject and Complete); GetBucketStorageInfo.
//   - Access (operations/access.ts, access-check.ts): bucket and object ACLs by canned header, grant
//     headers or an AccessControlPolicy body in the S3 and OBS dialects; bucket policy (JSON checked);
//     anonymous requests and other domains' signed ones served when an ACL or a policy Allow grants the
//     operation, an explicit Deny winning.
//   - Lifecycle (operations/lifecycle.ts): Set/Get/DeleteBucketLifecycle (Content-MD5 required);
//     Expiration, NoncurrentVersionExpiration and AbortIncompleteMultipartUpload run on hwlocal's clock by
//     an engine ticker, at the UTC midnight after the day count (free when no bucket has rules).
//   Durability: bytes → file → fsync → rename (small bodies: straight into blobs/ under a pending name) →
//   one SQLite commit (store/index.ts).
// Gaps: everything else answers 501 ServiceNotImplemented naming the operation (logging, website,
//   notification, replication, encryption, inventory, custom domains, restore, the parallel-file-system
//   calls; catalogue/obs.ops.tsv lists them, and coverage and health count OBS_OPERATION_NAMES against it).
//   Lifecycle transitions are stored, never applied; ExpiredObjectDelete
//   Marker is not supported. Policy Conditions are not evaluated (such a statement never allows but does
//   deny); NotPrincipal/NotAction/NotResource are stored only; READ_ACP/WRITE_ACP grants are not honoured
//   (ACL and policy calls are the owner's); grantees by e-mail are refused; ACLs of noncurrent versions
//   cannot be read or set. Appends are not held to the quota; quota and storage info do not count
//   noncurrent versions; x-obs-tagging on InitiateMultipartUpload is checked, not stored.
// By design: real OBS refuses path style (VirtualHostDomainRequired); hwlocal serves it, since Huawei's own
//   SDK uses it for an IP endpoint. A bucket named like a service path prefix (iam, ecs, v1.1,
//   autoscaling-api, …) is reachable anonymously only by virtual host; signed requests reach it either way.
// Errors: OBS's XML <Error> (Code, Message, RequestId, HostId, Resource); hwlocal's error_code/error_msg
//   travel as x-obs-error-code/x-obs-error-message (and x-amz-…) headers on every error (errors.ts).
// Doubts:
//   - An expired presigned URL answers 403 RequestTimeTooSkewed "Request has expired." (OBS's error page
//     lists it there; S3 says AccessDenied).
//   - A public-read(-write) bucket lets everyone read its objects; Huawei documents that only the
//     -delivered variants pass the bucket ACL to objects, but esdk in V2 mode turns -delivered into plain
//     public-read. A bad policy answers 400 MalformedPolicy (S3's code).
//   - DeleteObject with a versionId the key lacks answers 204 (S3's behaviour); a PUT in a Suspended bucket
//     answers no version-id header; SetObjectMetadata in a versioned bucket makes a new version.
//   - An appendable object's GET/HEAD ETag is the last append's (undocumented); the first append in a
//     versioned bucket makes a version and later ones grow it; SetObjectMetadata makes it Normal.
//   - Expiry uses S3's midnight rounding; a Date rule expires only objects last modified before the date.
//   - Bucket tags are limited to 10 (the current reference says 20); object tags use S3's limits; the
//     preflight echoes the request's Origin; the quota is checked before the bytes land, so concurrent
//     writers can pass it together.
//   - CRC32C and CRC64NVME aws-chunked trailers are accepted unverified (Node has no implementation).
import { defineService } from "../../kernel/service.ts";
import { obsApi } from "./api.ts";
import { obsErrors } from "./errors.ts";
import type { ObsContext } from "./context.ts";
import { OBS_OPERATION_NAMES, obsStreamingHandler } from "./http.ts";
import { lifecycleTicker } from "./operations/lifecycle.ts";
import { OBS_MIGRATIONS, ObsStore } from "./store/index.ts";

export const obs = defineService<ObsContext>({
  name: "obs",
  catalogType: "object",
  global: false,
  // Huawei's OBS API reference, counted by name against OBS_OPERATION_NAMES (never routed: OBS names its own 501s).
  sdkCatalogues: ["obs.ops.tsv"],
  // Used only if a JSON-path request ever reached OBS (it has no JSON operations).
  errors: {
    shape: "plain",
    invalidBody: (d) => obsErrors.malformedXml(d),
    invalidParameter: (d) => obsErrors.invalidArgument(d),
    forbidden: (d) => obsErrors.accessDenied(d),
  },
  migrations: OBS_MIGRATIONS,
  init: (rt) => ({
    store: new ObsStore({ db: rt.db, clock: rt.clock, ids: rt.ids, dataDir: rt.settings.dataDir, inMemory: rt.settings.inMemory }),
    clock: rt.clock,
    defaultRegion: rt.settings.seed.regions[0]?.id ?? "cn-north-4",
    awsChunked: rt.settings.obsAwsChunked,
  }),
  afterReset: (svc) => void svc.store.sweep(),
  api: (svc) => obsApi(svc),
  tickers: (svc) => ({ lifecycle: lifecycleTicker(svc) }),
  stream: (svc) => obsStreamingHandler(svc),
  streamOperations: OBS_OPERATION_NAMES,
  operations: [],
});
