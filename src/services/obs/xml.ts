// OBS's XML bodies: the answers rendered as strings (element order as in Huawei's API reference examples),
// and the few request bodies parsed with fast-xml-parser, checked well-formed first so that any bad body
// is a 400 MalformedXML and never an exception.
//
// Two dialects share the shapes and differ in the namespace: OBS's
// `http://obs.<region>.myhuaweicloud.com/doc/2015-06-30/` for clients that negotiated OBS (esdk after
// `HEAD /?apiversion`, the OBS signature) and S3's `http://s3.amazonaws.com/doc/2006-03-01/` for V2/V4
// clients; GetBucketLocation also differs in the root (`<Location>` / `<LocationConstraint>`).
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { ApiError } from "../../kernel/api-error.ts";
import { obsErrors } from "./errors.ts";
import type { BucketRow, PartRow, UploadRow } from "./store/rows.ts";
import type { ListPage } from "./store/listing.ts";
import type { PartsPage, UploadsPage } from "./store/multipart.ts";
import { MAX_LIST } from "./validate.ts";

export type Dialect = "obs" | "s3";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

export function obsNamespace(region: string): string {
  return `http://obs.${region}.myhuaweicloud.com/doc/2015-06-30/`;
}

export function namespaceFor(dialect: Dialect, region: string): string {
  return dialect === "obs" ? obsNamespace(region) : S3_NAMESPACE;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
// Characters XML 1.0 text cannot hold as themselves: markup, CR (a parser would turn it into LF), controls,
// and a UTF-16 surrogate standing alone (no UTF-8 exists for it).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const SPECIAL = /[&<>"'\r\x00-\x08\x0B\x0C\x0E-\x1F]|[\uD800-\uDFFF]/u;
// eslint-disable-next-line no-control-regex -- the same set, to replace
const SPECIAL_ALL = /[&<>"'\r\x00-\x08\x0B\x0C\x0E-\x1F]|[\uD800-\uDFFF]/gu;
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;
const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Escapes text for an element. Control characters become character references, as S3 writes them (not
 * valid XML 1.0, which is why encoding-type=url exists; clients that ask for it get keys they can parse).
 */
export function esc(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(SPECIAL_ALL, (c) => {
    const named = ENTITY[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code >= 0xd800 && code <= 0xdfff ? "\uFFFD" : `&#${code};`;
  });
}

/** encoding-type=url: the value percent-encoded, '/' kept as S3 keeps it. */
export function urlEncode(s: string): string {
  return encodeURIComponent(s.replace(LONE_SURROGATE, "\uFFFD")).replace(/%2F/g, "/");
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** `<name>text</name>`, or `<name/>` when empty, or nothing when undefined. */
function el(name: string, value: string | number | boolean | undefined, encode?: (s: string) => string): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? esc(encode ? encode(value) : value) : String(value);
  return text === "" ? `<${name}/>` : `<${name}>${text}</${name}>`;
}

function doc(root: string, ns: string, body: string): string {
  return `${DECLARATION}<${root} xmlns="${ns}">${body}</${root}>`;
}

function owner(tag: "Owner" | "Initiator", id: string | undefined): string {
  return id === undefined ? "" : `<${tag}><ID>${esc(id)}</ID></${tag}>`;
}

export function xmlListBuckets(p: { ns: string; ownerId: string; buckets: readonly BucketRow[]; withLocation: boolean }): string {
  const buckets = p.buckets
    .map(
      (b) =>
        `<Bucket>${el("Name", b.name)}${el("CreationDate", isoDate(b.created_at))}` +
        `${p.withLocation ? el("Location", b.location) : ""}<BucketType>OBJECT</BucketType></Bucket>`,
    )
    .join("");
  return doc("ListAllMyBucketsResult", p.ns, `${owner("Owner", p.ownerId)}<Buckets>${buckets}</Buckets>`);
}

export interface ListObjectsXml {
  ns: string;
  bucket: string;
  prefix?: string;
  delimiter?: string;
  maxKeys: number;
  encodingType?: "url";
  /** Owner of each object: always in v1 (as OBS's examples show), in v2 only with fetch-owner=true. */
  ownerId?: string;
  page: ListPage;
}

function listEntries(p: ListObjectsXml, withOwner: boolean): string {
  const enc = p.encodingType === "url" ? urlEncode : undefined;
  let out = "";
  for (const o of p.page.contents) {
    out +=
      `<Contents>${el("Key", o.key, enc)}${el("LastModified", isoDate(o.last_modified))}${el("ETag", o.etag)}` +
      `${el("Size", o.size)}${withOwner ? owner("Owner", p.ownerId) : ""}${el("StorageClass", o.storage_class)}</Contents>`;
  }
  for (const cp of p.page.commonPrefixes) out += `<CommonPrefixes>${el("Prefix", cp, enc)}</CommonPrefixes>`;
  return out;
}

/** ListObjects (v1): NextMarker whenever the page is truncated, as OBS answers (S3 only with a delimiter). */
export function xmlListObjectsV1(p: ListObjectsXml & { marker?: string }): string {
  const enc = p.encodingType === "url" ? urlEncode : undefined;
  const head =
    el("Name", p.bucket) +
    el("Prefix", p.prefix ?? "", enc) +
    el("Marker", p.marker ?? "", enc) +
    (p.page.isTruncated ? el("NextMarker", p.page.nextMarker, enc) : "") +
    el("MaxKeys", p.maxKeys) +
    (p.delimiter ? el("Delimiter", p.delimiter, enc) : "") +
    el("IsTruncated", p.page.isTruncated) +
    (p.encodingType ? el("EncodingType", p.encodingType) : "");
  return doc("ListBucketResult", p.ns, head + listEntries(p, p.ownerId !== undefined));
}

/** ListObjectsV2: KeyCount counts keys and common prefixes; the token is the store's opaque cursor. */
export function xmlListObjectsV2(
  p: ListObjectsXml & { startAfter?: string; continuationToken?: string; nextContinuationToken?: string; fetchOwner: boolean },
): string {
  const enc = p.encodingType === "url" ? urlEncode : undefined;
  const head =
    el("Name", p.bucket) +
    el("Prefix", p.prefix ?? "", enc) +
    (p.startAfter ? el("StartAfter", p.startAfter, enc) : "") +
    (p.continuationToken ? el("ContinuationToken", p.continuationToken) : "") +
    (p.page.isTruncated ? el("NextContinuationToken", p.nextContinuationToken) : "") +
    el("KeyCount", p.page.contents.length + p.page.commonPrefixes.length) +
    el("MaxKeys", p.maxKeys) +
    (p.delimiter ? el("Delimiter", p.delimiter, enc) : "") +
    el("IsTruncated", p.page.isTruncated) +
    (p.encodingType ? el("EncodingType", p.encodingType) : "");
  return doc("ListBucketResult", p.ns, head + listEntries(p, p.fetchOwner && p.ownerId !== undefined));
}

export function xmlInitiateMultipart(p: { ns: string; bucket: string; key: string; uploadId: string }): string {
  return doc("InitiateMultipartUploadResult", p.ns, el("Bucket", p.bucket) + el("Key", p.key) + el("UploadId", p.uploadId));
}

export function xmlCompleteMultipart(p: { ns: string; location: string; bucket: string; key: string; etag: string }): string {
  return doc(
    "CompleteMultipartUploadResult",
    p.ns,
    el("Location", p.location) + el("Bucket", p.bucket) + el("Key", p.key) + el("ETag", p.etag),
  );
}

export function xmlListParts(p: {
  ns: string;
  upload: UploadRow;
  ownerId: string;
  partNumberMarker: number;
  maxParts: number;
  page: PartsPage;
}): string {
  const u = p.upload;
  const parts = p.page.parts
    .map((x: PartRow) => `<Part>${el("PartNumber", x.part_number)}${el("LastModified", isoDate(x.last_modified))}${el("ETag", x.etag)}${el("Size", x.size)}</Part>`)
    .join("");
  return doc(
    "ListPartsResult",
    p.ns,
    el("Bucket", u.bucket) +
      el("Key", u.key) +
      el("UploadId", u.upload_id) +
      owner("Initiator", u.initiator) +
      owner("Owner", p.ownerId) +
      el("StorageClass", u.storage_class) +
      el("PartNumberMarker", p.partNumberMarker) +
      (p.page.nextPartNumberMarker !== undefined ? el("NextPartNumberMarker", p.page.nextPartNumberMarker) : "") +
      el("MaxParts", p.maxParts) +
      el("IsTruncated", p.page.isTruncated) +
      parts,
  );
}

export function xmlListUploads(p: {
  ns: string;
  bucket: string;
  ownerId: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  prefix?: string;
  delimiter?: string;
  maxUploads: number;
  page: UploadsPage;
}): string {
  const uploads = p.page.uploads
    .map(
      (u) =>
        `<Upload>${el("Key", u.key)}${el("UploadId", u.upload_id)}${owner("Initiator", u.initiator)}${owner("Owner", p.ownerId)}` +
        `${el("StorageClass", u.storage_class)}${el("Initiated", isoDate(u.initiated))}</Upload>`,
    )
    .join("");
  const prefixes = p.page.commonPrefixes.map((cp) => `<CommonPrefixes>${el("Prefix", cp)}</CommonPrefixes>`).join("");
  return doc(
    "ListMultipartUploadsResult",
    p.ns,
    el("Bucket", p.bucket) +
      el("KeyMarker", p.keyMarker ?? "") +
      el("UploadIdMarker", p.uploadIdMarker ?? "") +
      (p.page.isTruncated ? el("NextKeyMarker", p.page.nextKeyMarker) + el("NextUploadIdMarker", p.page.nextUploadIdMarker) : "") +
      (p.delimiter ? el("Delimiter", p.delimiter) : "") +
      el("Prefix", p.prefix ?? "") +
      el("MaxUploads", p.maxUploads) +
      el("IsTruncated", p.page.isTruncated) +
      uploads +
      prefixes,
  );
}

/** CopyObjectResult, or CopyPartResult for UploadPartCopy. */
export function xmlCopyResult(p: { ns: string; root?: "CopyObjectResult" | "CopyPartResult"; lastModified: number; etag: string }): string {
  return doc(p.root ?? "CopyObjectResult", p.ns, el("LastModified", isoDate(p.lastModified)) + el("ETag", p.etag));
}

export interface DeleteOutcome {
  key: string;
  versionId?: string;
  /** A delete marker was made (or the version deleted was one), with its version id. */
  deleteMarker?: boolean;
  deleteMarkerVersionId?: string;
  /** Set for a key that could not be deleted. */
  error?: { code: string; message: string };
}

/** DeleteResult: in Quiet mode only the failures are listed. */
export function xmlDeleteResult(p: { ns: string; quiet: boolean; outcomes: readonly DeleteOutcome[] }): string {
  let body = "";
  for (const o of p.outcomes) {
    if (o.error) body += `<Error>${el("Key", o.key)}${el("VersionId", o.versionId)}${el("Code", o.error.code)}${el("Message", o.error.message)}</Error>`;
    else if (!p.quiet) {
      const marker = o.deleteMarker ? el("DeleteMarker", true) + el("DeleteMarkerVersionId", o.deleteMarkerVersionId) : "";
      body += `<Deleted>${el("Key", o.key)}${el("VersionId", o.versionId)}${marker}</Deleted>`;
    }
  }
  return doc("DeleteResult", p.ns, body);
}

/** GetBucketLocation: `<Location>` in the OBS dialect, `<LocationConstraint>` to S3 clients. */
export function xmlLocation(p: { dialect: Dialect; region: string }): string {
  const root = p.dialect === "obs" ? "Location" : "LocationConstraint";
  return `${DECLARATION}<${root} xmlns="${namespaceFor(p.dialect, p.region)}">${esc(p.region)}</${root}>`;
}

/** The Error body (错误码.md): Code, Message, Resource when known, RequestId, HostId. */
export function xmlError(err: ApiError & { resource?: string | undefined }, ids: { requestId: string; hostId: string }): string {
  return (
    `${DECLARATION}<Error>${el("Code", err.code)}${el("Message", err.message)}${el("Resource", err.resource)}` +
    `${el("RequestId", ids.requestId)}${el("HostId", ids.hostId)}</Error>`
  );
}

// ---- request bodies -------------------------------------------------------------------------------------

/**
 * fast-xml-parser as OBS's request bodies need it: attributes and namespaces dropped, values kept as
 * strings (a key "007" must not become 7) with their spaces unless `trimValues` (keys may have them),
 * character references decoded (rclone writes ETag quotes as &#34;), and `arrays` always arrays.
 */
export function bodyParser(opts: { arrays?: ReadonlySet<string>; trimValues?: boolean } = {}): XMLParser {
  const arrays = opts.arrays;
  return new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: opts.trimValues ?? false,
    htmlEntities: true,
    ...(arrays ? { isArray: (name: string) => arrays.has(name) } : {}),
  });
}

/** A request body parsed whole, or `malformed()`. No body OBS takes declares a DTD: refusing one keeps entity expansion out. */
export function parseXmlBody(body: Buffer | string, xmlParser: XMLParser, malformed: (detail?: string) => ApiError = obsErrors.malformedXml): unknown {
  const xml = (typeof body === "string" ? body : body.toString("utf8")).replace(/^\uFEFF/, "");
  if (/<!DOCTYPE/i.test(xml)) throw malformed("A DTD is not allowed.");
  if (XMLValidator.validate(xml) !== true) throw malformed();
  try {
    return xmlParser.parse(xml) as unknown;
  } catch {
    throw malformed();
  }
}

const parser = bodyParser({ arrays: new Set(["Object", "Part"]) });

type Node = Record<string, unknown>;

/** Parses a body into its root element's children, or throws MalformedXML. */
function parseRoot(body: Buffer | string, root: string): Node | "" {
  const parsed = parseXmlBody(body, parser);
  const top = (parsed as Node)[root];
  if (top === "") return "";
  if (typeof top !== "object" || top === null || Array.isArray(top)) throw obsErrors.malformedXml(`The root element must be ${root}.`);
  return top as Node;
}

function textOf(node: Node, name: string): string | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw obsErrors.malformedXml(`${name} must be text.`);
  return v;
}

function listOf(node: Node | "", name: string): Node[] {
  if (node === "") return [];
  const v = node[name];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw obsErrors.malformedXml();
  return v.map((item: unknown) => {
    if (item === "") return {};
    if (typeof item !== "object" || item === null) throw obsErrors.malformedXml(`${name} must have elements.`);
    return item as Node;
  });
}

/** CreateBucketConfiguration: `<Location>` (OBS) or `<LocationConstraint>` (S3); an empty body names none. */
export function parseCreateBucketConfiguration(body: Buffer | string | undefined): { location?: string } {
  if (body === undefined || body.toString().trim() === "") return {};
  const root = parseRoot(body, "CreateBucketConfiguration");
  if (root === "") return {};
  const location = (textOf(root, "Location") ?? textOf(root, "LocationConstraint"))?.trim();
  return location ? { location } : {};
}

/** Delete (batch delete): 1–1,000 objects, each with a Key; Quiet is "true" or absent. */
export function parseDelete(body: Buffer | string): { quiet: boolean; objects: { key: string; versionId?: string }[] } {
  const root = parseRoot(body, "Delete");
  const objects = listOf(root, "Object").map((o) => {
    const key = textOf(o, "Key");
    if (key === undefined || key === "") throw obsErrors.malformedXml("Every Object needs a Key.");
    const versionId = textOf(o, "VersionId")?.trim();
    return versionId ? { key, versionId } : { key };
  });
  if (objects.length === 0 || objects.length > MAX_LIST) throw obsErrors.malformedXml(`A Delete names 1 to ${MAX_LIST} objects.`);
  const quiet = root === "" ? undefined : textOf(root, "Quiet");
  return { quiet: quiet?.trim().toLowerCase() === "true", objects };
}

/** CompleteMultipartUpload: the parts as listed (order checks are the store's: InvalidPartOrder). */
export function parseCompleteMultipartUpload(body: Buffer | string): { partNumber: number; etag: string }[] {
  const root = parseRoot(body, "CompleteMultipartUpload");
  const parts = listOf(root, "Part").map((p) => {
    const n = textOf(p, "PartNumber")?.trim();
    const etag = textOf(p, "ETag")?.trim();
    if (n === undefined || !/^\d{1,9}$/.test(n) || etag === undefined) {
      throw obsErrors.malformedXml("Every Part needs a PartNumber and an ETag.");
    }
    return { partNumber: Number(n), etag };
  });
  if (parts.length === 0) throw obsErrors.malformedXml("You must specify at least one part.");
  return parts;
}
