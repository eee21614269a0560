// Which OBS operation a request is: its bucket and key (from a virtual-host Host or the path) and the
// method with the sub-resources of its query. Operation names are esdk-obs-nodejs's methods in PascalCase
// (Huawei's OBS API names; GetObjectMetadata is S3's HeadObject), plus ListObjectsV2, which only the AWS
// SDKs call (obs-facts §3.1 "Listing"). catalogue/obs.ops.tsv lists them all; a test routes each of its lines.
import { parseQueryPairs, safeDecode } from "./auth/canonical.ts";
import type { ObsHost } from "./classify.ts";

export interface ObsRequestTarget {
  /** undefined: the service itself (ListBuckets, HEAD /?apiversion). */
  bucket?: string;
  /** undefined or "": a bucket-level request. */
  key?: string;
  /** Decoded query parameters (first value wins). */
  query: Map<string, string>;
  operation: string;
}

export function parseQuery(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  // Values read "+" as a space, as form encoding does (esdk and the AWS SDK send %20 for a space anyway).
  for (const p of parseQueryPairs(rawQuery)) if (!out.has(p.key)) out.set(p.key, safeDecode(p.rawValue.replace(/\+/g, "%20")));
  return out;
}

/** Bucket-level sub-resources and the operation each names, per method. */
const BUCKET_SUBRESOURCES: Record<string, Record<string, string>> = {
  acl: { GET: "GetBucketAcl", PUT: "SetBucketAcl" },
  policy: { GET: "GetBucketPolicy", PUT: "SetBucketPolicy", DELETE: "DeleteBucketPolicy" },
  cors: { GET: "GetBucketCors", PUT: "SetBucketCors", DELETE: "DeleteBucketCors" },
  tagging: { GET: "GetBucketTagging", PUT: "SetBucketTagging", DELETE: "DeleteBucketTagging" },
  lifecycle: { GET: "GetBucketLifecycle", PUT: "SetBucketLifecycle", DELETE: "DeleteBucketLifecycle" },
  versioning: { GET: "GetBucketVersioning", PUT: "SetBucketVersioning" },
  versions: { GET: "ListVersions" },
  location: { GET: "GetBucketLocation" },
  storageinfo: { GET: "GetBucketStorageInfo" },
  quota: { GET: "GetBucketQuota", PUT: "SetBucketQuota" },
  storagePolicy: { GET: "GetBucketStoragePolicy", PUT: "SetBucketStoragePolicy" },
  storageClass: { GET: "GetBucketStoragePolicy", PUT: "SetBucketStoragePolicy" },
  logging: { GET: "GetBucketLogging", PUT: "SetBucketLogging" },
  website: { GET: "GetBucketWebsite", PUT: "SetBucketWebsite", DELETE: "DeleteBucketWebsite" },
  notification: { GET: "GetBucketNotification", PUT: "SetBucketNotification" },
  replication: { GET: "GetBucketReplication", PUT: "SetBucketReplication", DELETE: "DeleteBucketReplication" },
  encryption: { GET: "GetBucketEncryption", PUT: "SetBucketEncryption", DELETE: "DeleteBucketEncryption" },
  // GET without `id` lists them all (ListBucketInventory, below).
  inventory: { GET: "GetBucketInventory", PUT: "SetBucketInventory", DELETE: "DeleteBucketInventory" },
  customdomain: { GET: "GetBucketCustomDomain", PUT: "SetBucketCustomDomain", DELETE: "DeleteBucketCustomDomain" },
  directcoldaccess: { GET: "GetBucketDirectColdAccess", PUT: "SetBucketDirectColdAccess", DELETE: "DeleteBucketDirectColdAccess" },
  uploads: { GET: "ListMultipartUploads" },
  delete: { POST: "DeleteObjects" },
};

const OBJECT_SUBRESOURCES: Record<string, Record<string, string>> = {
  acl: { GET: "GetObjectAcl", PUT: "SetObjectAcl" },
  tagging: { GET: "GetObjectTagging", PUT: "SetObjectTagging", DELETE: "DeleteObjectTagging" },
  append: { POST: "AppendObject" },
  metadata: { PUT: "SetObjectMetadata" },
  restore: { POST: "RestoreObject" },
  // Parallel file systems only.
  modify: { PUT: "ModifyObject" },
  truncate: { PUT: "TruncateObject" },
  rename: { POST: "RenameObject" },
  uploads: { POST: "InitiateMultipartUpload" },
};

function objectOperation(method: string, q: Map<string, string>, copy: boolean): string {
  for (const [name, byMethod] of Object.entries(OBJECT_SUBRESOURCES)) {
    if (q.has(name)) return byMethod[method] ?? `${method} ?${name}`;
  }
  if (q.has("uploadId")) {
    if (method === "PUT") return copy ? "CopyPart" : "UploadPart";
    if (method === "GET") return "ListParts";
    if (method === "POST") return "CompleteMultipartUpload";
    if (method === "DELETE") return "AbortMultipartUpload";
  }
  switch (method) {
    case "PUT":
      return copy ? "CopyObject" : "PutObject";
    case "GET":
      return "GetObject";
    case "HEAD":
      return "GetObjectMetadata";
    case "DELETE":
      return "DeleteObject";
    case "OPTIONS":
      return "OptionsObject";
    case "POST":
      return "PostObject";
    default:
      return `${method} object`;
  }
}

function bucketOperation(method: string, q: Map<string, string>): string {
  for (const [name, byMethod] of Object.entries(BUCKET_SUBRESOURCES)) {
    if (name === "inventory" && method === "GET" && q.has(name) && !q.has("id")) return "ListBucketInventory";
    if (q.has(name)) return byMethod[method] ?? `${method} ?${name}`;
  }
  switch (method) {
    case "PUT":
      return "CreateBucket";
    case "HEAD":
      return "HeadBucket";
    case "DELETE":
      return "DeleteBucket";
    case "GET":
      return q.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
    case "POST":
      return "PostObject";
    case "OPTIONS":
      return "OptionsBucket";
    default:
      return `${method} bucket`;
  }
}

/**
 * Splits a request into bucket, key and operation. Path style `/<bucket>/<key>` (the AWS SDK ends bucket
 * requests with a slash: `/bkt/`), or virtual-host style with the bucket in the Host and the key in the path.
 */
export function routeObs(method: string, rawPath: string, rawQuery: string, host: ObsHost | null, copy: boolean): ObsRequestTarget {
  const query = parseQuery(rawQuery);
  let bucket: string | undefined;
  let key: string;
  if (host?.bucket) {
    bucket = host.bucket;
    key = safeDecode(rawPath.slice(1));
  } else {
    const slash = rawPath.indexOf("/", 1);
    const first = slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash);
    bucket = first === "" ? undefined : safeDecode(first);
    key = slash < 0 ? "" : safeDecode(rawPath.slice(slash + 1));
  }
  if (bucket === undefined) {
    const operation = method === "GET" ? "ListBuckets" : method === "HEAD" && query.has("apiversion") ? "GetApiVersion" : `${method} /`;
    return { query, operation };
  }
  // The negotiation also comes on a bucket's host (esdk asks there before bucket and object calls).
  if (key === "" && method === "HEAD" && query.has("apiversion")) return { bucket, key, query, operation: "GetApiVersion" };
  const operation = key === "" ? bucketOperation(method, query) : objectOperation(method, query, copy);
  return { bucket, key, query, operation };
}
