// Versioning: GetBucketVersioning, SetBucketVersioning, ListVersions (version ids, delete markers); the
// version-aware object paths (versionId on GET, HEAD, DELETE and in a copy source, version ids on PUT,
// Copy and Complete, DeleteObjects' VersionId) live with their operations and call versionHeaders below.
// The rules are store/versions.ts's.
//
// Doubts (where Huawei's reference is silent and S3's behaviour was chosen):
// - DeleteObject with a versionId the key does not have answers 204, as S3 does (and as a missing key
//   does), not NoSuchVersion; GET and HEAD of such a version are 404 NoSuchVersion.
// - A version id that is not one hwlocal made is simply not found (no 400 "Invalid version id").
// - An object written while versioning is Suspended is the null version: no version-id header is answered
//   for it on PUT (S3 answers none either); GET/HEAD/DELETE name it with versionId=null.
// - SetObjectMetadata in a versioned bucket makes a new version (it is a copy onto itself).
import { dialectHeader, ns, readSmallBody, send, type ObsCall } from "../call.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import type { ObjectRow } from "../store/index.ts";
import { parseMaxKeys } from "../validate.ts";
import { parseVersioningConfiguration, xmlListVersions, xmlVersioningConfiguration } from "../xml-versions.ts";

/** A header in the request's dialect: x-obs-<name> to OBS-signed requests, x-amz-<name> to the others. */
function dialectName(c: ObsCall, name: string): string {
  return c.dialect === "obs" ? `x-obs-${name}` : `x-amz-${name}`;
}

/** `x-obs-version-id` / `x-amz-version-id` for a versioned object (none for the null version). */
export function versionHeaders(c: ObsCall, row: Pick<ObjectRow, "version_id">): Record<string, string> {
  return row.version_id === null ? {} : { [dialectName(c, "version-id")]: row.version_id };
}

/** The `versionId` query parameter of GET, HEAD and DELETE (an empty one is none). */
export function versionIdOf(c: ObsCall): string | undefined {
  const v = c.target.query.get("versionId");
  return v === undefined || v === "" ? undefined : v;
}

/** DeleteObject's answer headers: the version deleted or the delete marker made. */
export function deleteHeaders(c: ObsCall, outcome: { versionId?: string; deleteMarker?: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  if (outcome.versionId !== undefined) out[dialectName(c, "version-id")] = outcome.versionId;
  if (outcome.deleteMarker) out[dialectName(c, "delete-marker")] = "true";
  return out;
}

/** `bucket/key?versionId=…` in a copy source: the version id, if any (the copy source is decoded first). */
export function copySourceVersionId(c: ObsCall): string | undefined {
  const raw = dialectHeader(c.req, "copy-source");
  if (raw === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  const m = /\?versionId=([^&]*)$/.exec(decoded);
  return m && m[1] !== "" ? m[1] : undefined;
}

const setBucketVersioning: ObsOperation = async (c) => {
  const status = parseVersioningConfiguration(await readSmallBody(c.req, 64 << 10));
  c.svc.store.versions.setStatus(c.target.bucket!, status);
  send(c, 200);
};

const getBucketVersioning: ObsOperation = (c) => {
  const bucket = c.target.bucket!;
  c.svc.store.headBucket(bucket);
  send(c, 200, {}, xmlVersioningConfiguration({ ns: ns(c), status: c.svc.store.versions.status(bucket) }));
};

function optional(q: Map<string, string>, name: string): string | undefined {
  const v = q.get(name);
  return v === undefined || v === "" ? undefined : v;
}

const listVersions: ObsOperation = (c) => {
  const q = c.target.query;
  const prefix = optional(q, "prefix");
  const delimiter = optional(q, "delimiter");
  const keyMarker = optional(q, "key-marker");
  const versionIdMarker = optional(q, "version-id-marker");
  const maxKeys = parseMaxKeys(q.get("max-keys"));
  const enc = q.get("encoding-type");
  if (enc !== undefined && enc !== "" && enc !== "url") throw obsErrors.invalidArgument("Invalid Encoding Method specified in Request");
  if (versionIdMarker !== undefined && keyMarker === undefined) {
    throw obsErrors.invalidArgument("A version-id marker cannot be specified without a key marker.");
  }
  const page = c.svc.store.versions.list(c.target.bucket!, {
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(keyMarker !== undefined ? { keyMarker } : {}),
    ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
    maxKeys,
  });
  const xml = xmlListVersions({
    ns: ns(c),
    bucket: c.target.bucket!,
    ownerId: c.principal!.domainId,
    maxKeys,
    page,
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(keyMarker !== undefined ? { keyMarker } : {}),
    ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
    ...(enc === "url" ? { encodingType: "url" as const } : {}),
  });
  send(c, 200, {}, xml);
};

export const versioningOperations: Record<string, ObsOperation> = {
  SetBucketVersioning: setBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  ListVersions: listVersions,
};
