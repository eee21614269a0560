// OBS: object storage on hwlocal's one port, for esdk-obs-nodejs, the AWS S3 SDKs and S3 tools.
//
// Emulated (first step of issue 9): requests recognised from their headers alone before any body is read
// (classify.ts: obs.<region> / <bucket>.obs.<region> Hosts, AWS/OBS/V4 signatures, query auth, HEAD
//   /?apiversion, form POSTs) and answered on the raw request and response (http.ts); path style and
//   virtual-host style; V2, OBS and V4 signatures in headers and queries, verified strictly against IAM's
//   keys and temporary keys (auth/); buckets in the caller's domain in one global namespace (ListBuckets,
//   CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, ListObjects v1 and v2, DeleteObjects);
//   objects streamed to files (PutObject, GetObject with one Range and conditions, GetObjectMetadata,
//   DeleteObject, CopyObject, SetObjectMetadata REPLACE/REPLACE_NEW); multipart uploads (Initiate,
//   UploadPart, Complete, Abort, ListParts, ListMultipartUploads, CopyPart with a source range); browser
//   form uploads (PostObject: V2/OBS/V4 policies verified against the fields before the file, parsed by
//   busboy while the file streams). Durability: temp file → fsync → rename → one SQLite commit
//   (store/index.ts).
// Gaps: everything else answers 501 ServiceNotImplemented naming the operation: AppendObject,
//   versioning, CORS and OPTIONS, policy, ACL, tagging, lifecycle, success_action_redirect on forms,
//   anonymous access to public-read buckets. catalogue/obs.ops.tsv
//   lists the API reference's operations; coverage and health count OBS_OPERATION_NAMES against it.
// By design: real OBS refuses path style (VirtualHostDomainRequired); hwlocal serves it, since Huawei's own
//   SDK uses it for an IP endpoint. The AWS SDKs' default aws-chunked uploads are refused as OBS refuses
//   them, with a message naming AWS_REQUEST_CHECKSUM_CALCULATION=when_required.
// Errors: OBS's XML <Error> (Code, Message, RequestId, HostId, Resource); hwlocal's error_code/error_msg
//   travel as x-obs-error-code/x-obs-error-message (and x-amz-…) headers on every error (errors.ts).
// Doubts: an expired presigned URL answers 403 RequestTimeTooSkewed "Request has expired." (OBS's error
//   page lists it there; S3 says AccessDenied).
import { defineService } from "../../kernel/service.ts";
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
  tickers: (svc) => ({ lifecycle: lifecycleTicker(svc) }),
  stream: (svc) => obsStreamingHandler(svc),
  streamOperations: OBS_OPERATION_NAMES,
  operations: [],
});
