// Objects: PutObject (streamed to disk, Content-MD5 → BadDigest, user metadata, canned ACL and storage class
// recorded), GetObject (one Range → 206, a malformed Range ignored as OBS does; If-Match / If-None-Match /
// If-Modified-Since / If-Unmodified-Since; response-content-* overrides), GetObjectMetadata (HEAD),
// DeleteObject (204 whether or not the key existed), CopyObject (x-obs-/x-amz-copy-source, COPY or REPLACE
// metadata, copy-source-if-*).
import type { IncomingMessage } from "node:http";
import { bodyLength, dialectHeader, header, ns, send, type ObsCall } from "../call.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { closeObject, type ObjectAttributes, type ObjectRow } from "../store/index.ts";
import { xmlCopyResult } from "../xml.ts";
import { sendObject } from "./object-body.ts";
import { copySourceVersionId, deleteHeaders, versionHeaders, versionIdOf } from "./versioning.ts";
import { putDefaults, taggingOf } from "./bucket-config.ts";

/** Headers a PUT may set that GET and HEAD answer back. */
const STORED_HEADERS = ["cache-control", "content-disposition", "content-encoding", "content-language", "expires"];

/** The attributes of an object as a PUT, an Initiate or a Copy with REPLACE gives them. */
export function attributesOf(req: IncomingMessage): ObjectAttributes {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(",") : value;
    if (name.startsWith("x-obs-meta-")) metadata[name.slice(11)] = v;
    else if (name.startsWith("x-amz-meta-")) metadata[name.slice(11)] = v;
    else if (STORED_HEADERS.includes(name)) headers[name] = v;
  }
  const contentType = header(req, "content-type");
  const acl = dialectHeader(req, "acl");
  const storageClass = dialectHeader(req, "storage-class");
  const tagging = taggingOf(req);
  return {
    metadata,
    headers,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(acl !== undefined ? { acl } : {}),
    ...(storageClass !== undefined ? { storageClass } : {}),
    ...(tagging !== undefined ? { tagging } : {}),
  };
}

/** The headers that describe an object on GET and HEAD, in the request's dialect. */
function objectHeaders(c: ObsCall, o: ObjectRow): Record<string, string> {
  const meta = c.dialect === "obs" ? "x-obs-meta-" : "x-amz-meta-";
  const out: Record<string, string> = {
    "Content-Type": o.content_type,
    ETag: o.etag,
    "Last-Modified": new Date(o.last_modified).toUTCString(),
    "Accept-Ranges": "bytes",
    ...o.headers,
  };
  for (const [k, v] of Object.entries(o.metadata)) out[`${meta}${k}`] = v;
  if (o.storage_class !== "STANDARD") out[c.dialect === "obs" ? "x-obs-storage-class" : "x-amz-storage-class"] = o.storage_class;
  Object.assign(out, versionHeaders(c, o));
  if (o.tagging !== null) out[c.dialect === "obs" ? "x-obs-tagging-count" : "x-amz-tagging-count"] = String(Object.keys(o.tagging).length);
  // AppendObject's objects (append.ts); both esdk models read these x-obs- names in either dialect.
  if (o.object_type === "Appendable") {
    out["x-obs-object-type"] = "Appendable";
    out["x-obs-next-append-position"] = String(o.size);
  }
  return out;
}

const putObject: ObsOperation = async (c) => {
  const contentLength = bodyLength(c);
  const contentMd5 = header(c.req, "content-md5");
  const row = await c.svc.store.putObject(c.target.bucket!, c.target.key!, c.body, {
    ...putDefaults(c, contentLength), // the bucket's default storage class; its quota
    ...attributesOf(c.req),
    ...(contentMd5 !== undefined ? { contentMd5 } : {}),
    ...(c.payloadHash !== undefined ? { expectedSha256: c.payloadHash } : {}),
    ...(contentLength !== undefined ? { contentLength } : {}),
  });
  send(c, 200, { ETag: row.etag, ...versionHeaders(c, row) });
};

function httpDate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : t;
}

/** RFC 7232 preconditions on an object, as OBS evaluates them (If-Match first, then If-None-Match). */
export function preconditions(get: (name: string) => string | undefined, o: ObjectRow, prefix = ""): "ok" | "not-modified" {
  const matches = (list: string) => list.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === o.etag || `"${t.trim()}"` === o.etag);
  const ifMatch = get(`${prefix}if-match`);
  const ifNoneMatch = get(`${prefix}if-none-match`);
  const since = httpDate(get(`${prefix}if-modified-since`));
  const unmodified = httpDate(get(`${prefix}if-unmodified-since`));
  const modifiedSec = Math.floor(o.last_modified / 1000) * 1000;
  if (ifMatch !== undefined && !matches(ifMatch)) throw obsErrors.preconditionFailed(`${prefix}If-Match`);
  if (ifMatch === undefined && unmodified !== undefined && modifiedSec > unmodified) throw obsErrors.preconditionFailed(`${prefix}If-Unmodified-Since`);
  if (ifNoneMatch !== undefined && matches(ifNoneMatch)) return "not-modified";
  if (ifNoneMatch === undefined && since !== undefined && modifiedSec <= since) return "not-modified";
  return "ok";
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else (several ranges, garbage) is ignored, as OBS does. */
function parseRange(raw: string | undefined, size: number): { start: number; end?: number } | undefined {
  const m = raw === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(raw.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") return { start: Math.max(0, size - Number(m[2])) };
  const start = Number(m[1]);
  if (m[2] === "") return { start };
  const end = Number(m[2]);
  return end < start ? undefined : { start, end };
}

const RESPONSE_OVERRIDES: [string, string][] = [
  ["response-content-type", "Content-Type"],
  ["response-content-language", "Content-Language"],
  ["response-expires", "Expires"],
  ["response-cache-control", "Cache-Control"],
  ["response-content-disposition", "Content-Disposition"],
  ["response-content-encoding", "Content-Encoding"],
];

const getObject: ObsOperation = async (c) => {
  const { bucket, key } = c.target;
  const versionId = versionIdOf(c);
  const head = c.svc.store.headObject(bucket!, key!, versionId);
  const range = parseRange(header(c.req, "range"), head.size);
  const state: { verdict: "ok" | "not-modified" } = { verdict: "ok" };
  const body = c.svc.store.getObject(bucket!, key!, {
    ...(range ? { range } : {}),
    ...(versionId !== undefined ? { versionId } : {}),
    check: (o) => {
      state.verdict = preconditions((n) => header(c.req, n), o);
    },
  });
  const headers = objectHeaders(c, body.object);
  if (state.verdict === "not-modified") {
    closeObject(body);
    send(c, 304, { ETag: body.object.etag, "Last-Modified": headers["Last-Modified"]! });
    return;
  }
  for (const [param, name] of RESPONSE_OVERRIDES) {
    const v = c.target.query.get(param);
    if (v !== undefined) headers[name] = v;
  }
  headers["Content-Length"] = String(body.length);
  if (range) headers["Content-Range"] = `bytes ${body.start}-${body.end}/${body.object.size}`;
  await sendObject(c, range ? 206 : 200, headers, body);
};

const getObjectMetadata: ObsOperation = (c) => {
  const o = c.svc.store.headObject(c.target.bucket!, c.target.key!, versionIdOf(c));
  const headers = objectHeaders(c, o);
  if (preconditions((n) => header(c.req, n), o) === "not-modified") {
    send(c, 304, { ETag: o.etag });
    return;
  }
  send(c, 200, { ...headers, "Content-Length": String(o.size) });
};

const deleteObject: ObsOperation = (c) => {
  const outcome = c.svc.store.versions.delete(c.target.bucket!, c.target.key!, versionIdOf(c));
  send(c, 204, deleteHeaders(c, outcome));
};

/** `bucket/key`, `/bucket/key`, URL-encoded as a whole (esdk encodes the slash too): decode, then split. */
export function copySource(c: ObsCall): { bucket: string; key: string } {
  const raw = dialectHeader(c.req, "copy-source")!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw obsErrors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
  }
  const path = (decoded.startsWith("/") ? decoded.slice(1) : decoded).replace(/\?versionId=.*$/, "");
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    throw obsErrors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
  }
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

const copyObject: ObsOperation = async (c) => {
  const source = copySource(c);
  const src = c.svc.store.findBucket(source.bucket);
  if (!src) throw obsErrors.noSuchBucket(source.bucket);
  if (src.domain_id !== c.principal!.domainId) throw obsErrors.accessDenied();
  const directive = (dialectHeader(c.req, "metadata-directive") ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") throw obsErrors.invalidArgument(`Unknown metadata directive: ${directive}.`);
  const sourceVersionId = copySourceVersionId(c);
  if (directive === "COPY" && source.bucket === c.target.bucket && source.key === c.target.key && sourceVersionId === undefined) {
    throw obsErrors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata.",
    );
  }
  const get = (n: string) => dialectHeader(c.req, n);
  const row = await c.svc.store.copyObject({
    sourceBucket: source.bucket,
    sourceKey: source.key,
    bucket: c.target.bucket!,
    key: c.target.key!,
    ...(sourceVersionId !== undefined ? { sourceVersionId } : {}),
    ...(directive === "REPLACE" ? { replace: attributesOf(c.req) } : {}),
    check: (o) => {
      if (preconditions(get, o, "copy-source-") === "not-modified") throw obsErrors.preconditionFailed("copy-source-if-none-match");
    },
  });
  const versions = {
    ...versionHeaders(c, row),
    ...(sourceVersionId !== undefined ? { [`x-${c.dialect === "obs" ? "obs" : "amz"}-copy-source-version-id`]: sourceVersionId } : {}),
  };
  send(c, 200, versions, xmlCopyResult({ ns: ns(c), lastModified: row.last_modified, etag: row.etag }));
};

/**
 * SetObjectMetadata (PUT ?metadata, OBS only): x-obs-metadata-directive REPLACE replaces every attribute with
 * the request's (the storage class is kept unless given); REPLACE_NEW sets the standard headers given and
 * keeps the others, and replaces the user metadata when the request carries any. Applied as a copy of the
 * object onto itself (its bytes shared, one commit).
 */
const setObjectMetadata: ObsOperation = async (c) => {
  const directive = dialectHeader(c.req, "metadata-directive");
  if (directive !== "REPLACE" && directive !== "REPLACE_NEW") {
    throw obsErrors.invalidArgument("x-obs-metadata-directive must be REPLACE_NEW or REPLACE.");
  }
  const { bucket, key } = c.target;
  const given = attributesOf(c.req);
  const current = c.svc.store.headObject(bucket!, key!);
  const replace: ObjectAttributes =
    directive === "REPLACE"
      ? { ...given, storageClass: given.storageClass ?? current.storage_class }
      : {
          contentType: given.contentType ?? current.content_type,
          headers: { ...current.headers, ...given.headers },
          metadata: Object.keys(given.metadata ?? {}).length > 0 ? given.metadata! : current.metadata,
          storageClass: given.storageClass ?? current.storage_class,
          ...(current.acl !== null ? { acl: current.acl } : {}),
        };
  const row = await c.svc.store.copyObject({ sourceBucket: bucket!, sourceKey: key!, bucket: bucket!, key: key!, replace });
  send(c, 200, { "x-obs-metadata-directive": directive, ETag: row.etag });
};

export const objectOperations: Record<string, ObsOperation> = {
  SetObjectMetadata: setObjectMetadata,
  PutObject: putObject,
  GetObject: getObject,
  GetObjectMetadata: getObjectMetadata,
  DeleteObject: deleteObject,
  CopyObject: copyObject,
};
