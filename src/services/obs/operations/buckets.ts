// Buckets and listings: ListBuckets, CreateBucket (LocationConstraint, BucketAlreadyExists across domains),
// HeadBucket, DeleteBucket (BucketNotEmpty), GetBucketLocation, ListObjects (v1, NextMarker whenever
// truncated) and ListObjectsV2, DeleteObjects (Content-MD5 required, as OBS requires it; Quiet; ≤ 1,000).
import { createHash } from "node:crypto";
import { findRegion } from "../../../kernel/regions.ts";
import { dialectHeader, header, ns, readSmallBody, send, type ObsCall } from "../call.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { inDialect } from "./bucket-config.ts";
import { parseMaxKeys } from "../validate.ts";
import {
  parseCreateBucketConfiguration,
  parseDelete,
  xmlDeleteResult,
  xmlListBuckets,
  xmlListObjectsV1,
  xmlListObjectsV2,
  xmlLocation,
} from "../xml.ts";

function bucketOf(c: ObsCall): string {
  return c.target.bucket!;
}

function domainOf(c: ObsCall): string {
  // An anonymous caller (a public bucket, operations/access.ts) has none: listings name the bucket's owner.
  return c.principal?.domainId ?? c.svc.store.headBucket(bucketOf(c)).domain_id;
}

const listBuckets: ObsOperation = (c) => {
  const withLocation = dialectHeader(c.req, "location") === "true" || header(c.req, "x-obs-bucket-type") !== undefined;
  const buckets = c.svc.store.listBuckets(domainOf(c));
  send(c, 200, {}, xmlListBuckets({ ns: ns(c), ownerId: domainOf(c), buckets, withLocation }));
};

const createBucket: ObsOperation = async (c) => {
  const body = await readSmallBody(c.req);
  const location = parseCreateBucketConfiguration(body).location ?? header(c.req, "x-obs-location") ?? c.region;
  if (!findRegion(location)) throw obsErrors.invalidLocationConstraint(location);
  const acl = dialectHeader(c.req, "acl");
  const storageClass = dialectHeader(c.req, "storage-class");
  c.svc.store.createBucket({
    domainId: domainOf(c),
    name: bucketOf(c),
    location,
    ...(acl !== undefined ? { acl } : {}),
    ...(storageClass !== undefined ? { storageClass } : {}),
  });
  send(c, 200, { Location: `/${bucketOf(c)}` });
};

const headBucket: ObsOperation = (c) => {
  const b = c.svc.store.headBucket(bucketOf(c));
  // The default storage class: esdk reads x-obs-storage-class in the OBS dialect, x-default-storage-class in V2's.
  const storageClass = { [c.dialect === "obs" ? "x-obs-storage-class" : "x-default-storage-class"]: inDialect(c, b.storage_class) };
  send(c, 200, { "x-obs-bucket-location": b.location, "x-amz-bucket-region": b.location, "x-obs-version": "3.0", ...storageClass });
};

const deleteBucket: ObsOperation = (c) => {
  c.svc.store.deleteBucket(bucketOf(c));
  send(c, 204);
};

const getBucketLocation: ObsOperation = (c) => {
  const region = c.svc.store.bucketLocation(bucketOf(c));
  send(c, 200, {}, xmlLocation({ dialect: c.dialect, region }));
};

function optional(q: Map<string, string>, name: string): string | undefined {
  const v = q.get(name);
  return v === undefined || v === "" ? undefined : v;
}

function encodingType(q: Map<string, string>): "url" | undefined {
  const v = q.get("encoding-type");
  if (v === undefined || v === "") return undefined;
  if (v !== "url") throw obsErrors.invalidArgument("Invalid Encoding Method specified in Request");
  return "url";
}

const listObjects: ObsOperation = (c) => {
  const q = c.target.query;
  const prefix = optional(q, "prefix");
  const delimiter = optional(q, "delimiter");
  const marker = optional(q, "marker");
  const maxKeys = parseMaxKeys(q.get("max-keys"));
  const enc = encodingType(q);
  const page = c.svc.store.listObjects(bucketOf(c), {
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(marker !== undefined ? { after: marker } : {}),
    maxKeys,
  });
  const xml = xmlListObjectsV1({
    ns: ns(c),
    bucket: bucketOf(c),
    maxKeys,
    ownerId: domainOf(c),
    page,
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(marker !== undefined ? { marker } : {}),
    ...(enc ? { encodingType: enc } : {}),
  });
  send(c, 200, {}, xml);
};

const listObjectsV2: ObsOperation = (c) => {
  const q = c.target.query;
  const prefix = optional(q, "prefix");
  const delimiter = optional(q, "delimiter");
  const continuationToken = optional(q, "continuation-token");
  const startAfter = optional(q, "start-after");
  const maxKeys = parseMaxKeys(q.get("max-keys"));
  const enc = encodingType(q);
  const page = c.svc.store.listObjectsV2(bucketOf(c), {
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(continuationToken !== undefined ? { continuationToken } : {}),
    ...(startAfter !== undefined ? { startAfter } : {}),
    maxKeys,
  });
  const fetchOwner = q.get("fetch-owner") === "true";
  const xml = xmlListObjectsV2({
    ns: ns(c),
    bucket: bucketOf(c),
    maxKeys,
    page,
    fetchOwner,
    ...(fetchOwner ? { ownerId: domainOf(c) } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(continuationToken !== undefined ? { continuationToken } : {}),
    ...(startAfter !== undefined ? { startAfter } : {}),
    ...(page.nextContinuationToken !== undefined ? { nextContinuationToken: page.nextContinuationToken } : {}),
    ...(enc ? { encodingType: enc } : {}),
  });
  send(c, 200, {}, xml);
};

const deleteObjects: ObsOperation = async (c) => {
  const body = await readSmallBody(c.req);
  const md5 = header(c.req, "content-md5");
  if (md5 === undefined) throw obsErrors.invalidRequest("Missing required header for this request: Content-MD5.");
  if (createHash("md5").update(body).digest("base64") !== md5) throw obsErrors.badDigest(bucketOf(c), "");
  const { quiet, objects } = parseDelete(body);
  const results = c.svc.store.deleteObjects(bucketOf(c), objects);
  const outcomes = results.map((r, i) => {
    const asked = objects[i]?.versionId;
    return {
      key: r.key,
      ...(asked !== undefined ? { versionId: asked } : {}),
      // A delete marker made (no version asked) or deleted: DeleteMarker and DeleteMarkerVersionId.
      ...(r.deleteMarker && r.versionId !== undefined ? { deleteMarker: true, deleteMarkerVersionId: r.versionId } : {}),
    };
  });
  send(c, 200, {}, xmlDeleteResult({ ns: ns(c), quiet, outcomes }));
};

export const bucketOperations: Record<string, ObsOperation> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  DeleteObjects: deleteObjects,
};
