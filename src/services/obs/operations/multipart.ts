// Multipart uploads: InitiateMultipartUpload, UploadPart (streamed; parts other than the last ≥ 100 KB at
// Complete, OBS's limit), CompleteMultipartUpload (ETag `md5(parts)-N`, InvalidPart, InvalidPartOrder,
// EntityTooSmall), AbortMultipartUpload, ListParts and ListMultipartUploads.
import { dialectHeader, header, ns, readSmallBody, send, type ObsCall } from "../call.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { MAX_LIST, parsePartNumber } from "../validate.ts";
import { parseCompleteMultipartUpload, xmlCompleteMultipart, xmlCopyResult, xmlInitiateMultipart, xmlListParts, xmlListUploads } from "../xml.ts";
import { objectStream } from "../store/index.ts";
import { attributesOf, copySource, preconditions } from "./objects.ts";
import { checkCompleteQuota, putDefaults } from "./bucket-config.ts";
import { versionHeaders } from "./versioning.ts";

function uploadId(c: ObsCall): string {
  return c.target.query.get("uploadId") ?? "";
}

function count(raw: string | undefined, name: string): number {
  if (raw === undefined || raw === "") return MAX_LIST;
  if (!/^\d+$/.test(raw)) throw obsErrors.invalidArgument(`Provided ${name} not an integer or within integer range: ${raw}`);
  return Math.min(Number(raw), MAX_LIST);
}

const initiate: ObsOperation = (c) => {
  const upload = c.svc.store.multipart.initiate({
    bucket: c.target.bucket!,
    key: c.target.key!,
    initiator: c.principal?.domainId ?? "anonymous", // a public-read-write bucket's anonymous uploader
    ...putDefaults(c, 0), // the bucket's default storage class
    ...attributesOf(c.req),
  });
  send(c, 200, {}, xmlInitiateMultipart({ ns: ns(c), bucket: upload.bucket, key: upload.key, uploadId: upload.upload_id }));
};

const uploadPart: ObsOperation = async (c) => {
  const partNumber = parsePartNumber(c.target.query.get("partNumber") ?? "");
  const rawLength = header(c.req, "content-length");
  if (rawLength === undefined && header(c.req, "transfer-encoding") === undefined) throw obsErrors.missingContentLength();
  const contentMd5 = header(c.req, "content-md5");
  const part = await c.svc.store.multipart.uploadPart({
    bucket: c.target.bucket!,
    key: c.target.key!,
    uploadId: uploadId(c),
    partNumber,
    body: c.body,
    ...(contentMd5 !== undefined ? { contentMd5 } : {}),
    ...(c.payloadHash !== undefined ? { expectedSha256: c.payloadHash } : {}),
    ...(rawLength !== undefined && /^\d+$/.test(rawLength) ? { contentLength: Number(rawLength) } : {}),
  });
  send(c, 200, { ETag: part.etag });
};

/**
 * CopyPart (S3's UploadPartCopy): a part taken from an existing object, whole or `x-*-copy-source-range:
 * bytes=a-b`, streamed from its file into the part like an upload (rclone's server-side copy of big files).
 */
const copyPart: ObsOperation = async (c) => {
  const partNumber = parsePartNumber(c.target.query.get("partNumber") ?? "");
  const source = copySource(c);
  const src = c.svc.store.findBucket(source.bucket);
  if (!src) throw obsErrors.noSuchBucket(source.bucket);
  if (src.domain_id !== c.principal!.domainId) throw obsErrors.accessDenied();
  const rawRange = dialectHeader(c.req, "copy-source-range");
  let range: { start: number; end: number } | undefined;
  if (rawRange !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rawRange.trim());
    if (!m || Number(m[2]) < Number(m[1])) throw obsErrors.invalidArgument(`The x-amz-copy-source-range value must be of the form bytes=first-last: ${rawRange}`);
    range = { start: Number(m[1]), end: Number(m[2]) };
  }
  const get = (n: string) => dialectHeader(c.req, n);
  const body = c.svc.store.getObject(source.bucket, source.key, {
    ...(range ? { range } : {}),
    check: (o) => {
      if (range && range.end >= o.size) throw obsErrors.invalidRange(o.size);
      if (preconditions(get, o, "copy-source-") === "not-modified") throw obsErrors.preconditionFailed("copy-source-if-none-match");
    },
  });
  const stream = objectStream(body);
  let part;
  try {
    part = await c.svc.store.multipart.uploadPart({
      bucket: c.target.bucket!,
      key: c.target.key!,
      uploadId: uploadId(c),
      partNumber,
      body: stream,
      contentLength: body.length,
    });
  } finally {
    stream.destroy(); // closes the source's fd if the part failed before reading it all
  }
  send(c, 200, {}, xmlCopyResult({ ns: ns(c), root: "CopyPartResult", lastModified: part.last_modified, etag: part.etag }));
};

const complete: ObsOperation = async (c) => {
  const parts = parseCompleteMultipartUpload(await readSmallBody(c.req, 4 << 20));
  checkCompleteQuota(c, uploadId(c));
  const row = await c.svc.store.multipart.complete(c.target.bucket!, c.target.key!, uploadId(c), parts);
  const location = `/${row.bucket}/${row.key}`;
  send(c, 200, versionHeaders(c, row), xmlCompleteMultipart({ ns: ns(c), location, bucket: row.bucket, key: row.key, etag: row.etag }));
};

const abort: ObsOperation = (c) => {
  c.svc.store.multipart.abort(c.target.bucket!, c.target.key!, uploadId(c));
  send(c, 204);
};

const listParts: ObsOperation = (c) => {
  const q = c.target.query;
  const marker = q.get("part-number-marker");
  const partNumberMarker = marker === undefined || marker === "" ? 0 : Number(count(marker, "part-number-marker"));
  const maxParts = count(q.get("max-parts"), "max-parts");
  const { upload, page } = c.svc.store.multipart.listParts(c.target.bucket!, c.target.key!, uploadId(c), { partNumberMarker, maxParts });
  send(c, 200, {}, xmlListParts({ ns: ns(c), upload, ownerId: c.principal!.domainId, partNumberMarker, maxParts, page }));
};

const listUploads: ObsOperation = (c) => {
  const q = c.target.query;
  const opt = (n: string) => {
    const v = q.get(n);
    return v === undefined || v === "" ? undefined : v;
  };
  const prefix = opt("prefix");
  const delimiter = opt("delimiter");
  const keyMarker = opt("key-marker");
  const uploadIdMarker = opt("upload-id-marker");
  const maxUploads = count(q.get("max-uploads"), "max-uploads");
  const filters = {
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(keyMarker !== undefined ? { keyMarker } : {}),
    ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}),
  };
  const page = c.svc.store.multipart.listUploads(c.target.bucket!, { ...filters, maxUploads });
  send(c, 200, {}, xmlListUploads({ ns: ns(c), bucket: c.target.bucket!, ownerId: c.principal!.domainId, maxUploads, page, ...filters }));
};

export const multipartOperations: Record<string, ObsOperation> = {
  InitiateMultipartUpload: initiate,
  UploadPart: uploadPart,
  CopyPart: copyPart,
  CompleteMultipartUpload: complete,
  AbortMultipartUpload: abort,
  ListParts: listParts,
  ListMultipartUploads: listUploads,
};
