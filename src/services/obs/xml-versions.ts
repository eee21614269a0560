// Versioning's XML: VersioningConfiguration (both ways) and ListVersionsResult. Element names and order as
// esdk-obs-nodejs's models (ListVersionsOutput, GetBucketVersioningConfigurationOutput) and S3's
// ListObjectVersions read them: Version and DeleteMarker entries in listing order, then CommonPrefixes.
import { obsErrors } from "./errors.ts";
import type { VersioningStatus, VersionsPage } from "./store/versions.ts";
import { bodyParser, esc, isoDate, parseXmlBody, urlEncode } from "./xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

function el(name: string, value: string | number | boolean | undefined, encode?: (s: string) => string): string {
  if (value === undefined) return "";
  const t = typeof value === "string" ? esc(encode ? encode(value) : value) : String(value);
  return t === "" ? `<${name}/>` : `<${name}>${t}</${name}>`;
}

/** GetBucketVersioning: `<Status>` once versioning was ever set, an empty configuration before. */
export function xmlVersioningConfiguration(p: { ns: string; status: VersioningStatus | undefined }): string {
  const body = p.status === undefined ? "" : el("Status", p.status);
  return body === ""
    ? `${DECLARATION}<VersioningConfiguration xmlns="${p.ns}"/>`
    : `${DECLARATION}<VersioningConfiguration xmlns="${p.ns}">${body}</VersioningConfiguration>`;
}

const parser = bodyParser({ trimValues: true });

/** SetBucketVersioning's body: `<VersioningConfiguration><Status>Enabled|Suspended</Status>`; else MalformedXML. */
export function parseVersioningConfiguration(body: Buffer): VersioningStatus {
  const xml = body.toString("utf8").replace(/^\uFEFF/, "");
  if (xml.trim() === "") throw obsErrors.malformedXml("The versioning configuration is empty.");
  const parsed = parseXmlBody(xml, parser);
  const root = (parsed as Record<string, unknown>)["VersioningConfiguration"];
  const status = typeof root === "object" && root !== null ? (root as Record<string, unknown>)["Status"] : undefined;
  const s = typeof status === "string" ? status.trim() : undefined;
  if (s !== "Enabled" && s !== "Suspended") {
    throw obsErrors.malformedXml("VersioningConfiguration needs a Status of Enabled or Suspended.");
  }
  return s;
}

export interface ListVersionsXml {
  ns: string;
  bucket: string;
  ownerId: string;
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys: number;
  encodingType?: "url";
  page: VersionsPage;
}

export function xmlListVersions(p: ListVersionsXml): string {
  const enc = p.encodingType === "url" ? urlEncode : undefined;
  const owner = `<Owner><ID>${esc(p.ownerId)}</ID></Owner>`;
  const page = p.page;
  let body =
    el("Name", p.bucket) +
    el("Prefix", p.prefix ?? "", enc) +
    el("KeyMarker", p.keyMarker ?? "", enc) +
    el("VersionIdMarker", p.versionIdMarker ?? "") +
    (page.isTruncated ? el("NextKeyMarker", page.nextKeyMarker, enc) + el("NextVersionIdMarker", page.nextVersionIdMarker) : "") +
    el("MaxKeys", p.maxKeys) +
    (p.delimiter ? el("Delimiter", p.delimiter, enc) : "") +
    el("IsTruncated", page.isTruncated) +
    (p.encodingType ? el("EncodingType", p.encodingType) : "");
  for (const v of page.entries) {
    const common = el("Key", v.key, enc) + el("VersionId", v.versionId) + el("IsLatest", v.isLatest) + el("LastModified", isoDate(v.lastModified));
    body += v.deleteMarker
      ? `<DeleteMarker>${common}${owner}</DeleteMarker>`
      : `<Version>${common}${el("ETag", v.etag)}${el("Size", v.size)}${owner}${el("StorageClass", v.storageClass)}</Version>`;
  }
  for (const cp of page.commonPrefixes) body += `<CommonPrefixes>${el("Prefix", cp, enc)}</CommonPrefixes>`;
  return `${DECLARATION}<ListVersionsResult xmlns="${p.ns}">${body}</ListVersionsResult>`;
}
