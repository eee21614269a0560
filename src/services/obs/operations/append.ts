// AppendObject (POST /<key>?append&position=N, 追加写对象.md): the first append (position 0) creates an
// object of type Appendable with the request's content type, metadata, ACL and storage class; later appends
// add bytes at position = the current length and keep those attributes (what they send is ignored). Every
// answer carries x-obs-next-append-position (the new length) and the ETag of this append's bytes. A wrong
// position is 409 PositionNotEqualToLength; a Normal object, the 10,001st append, or a COLD/DEEP_ARCHIVE
// object is 409 ObjectNotAppendable; Content-MD5 is checked (BadDigest); one append carries at most 5 GB.
// GET/HEAD answer x-obs-object-type: Appendable and x-obs-next-append-position (objects.ts); a PutObject or
// CopyObject onto the key makes a Normal object again.
//
// Doubts: OBS documents the append answer's ETag as "the hash of the data uploaded this time, not of the
// whole object"; what GET/HEAD answer for an appendable object is not documented: hwlocal answers the last
// append's ETag there too. In a versioned bucket the first append makes a new version and later ones grow it
// in place, its version id answered each time (OBS documents the header, not whether appends make versions).
// SetObjectMetadata, applied as a copy onto itself, makes the object Normal.
import { bodyLength, header, send, type ObsCall } from "../call.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { appendObject } from "../store/append.ts";
import { attributesOf } from "./objects.ts";

function position(c: ObsCall): number {
  const raw = c.target.query.get("position");
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) throw obsErrors.invalidArgument("position must be a non-negative integer.");
  return Number(raw);
}

const append: ObsOperation = async (c) => {
  const pos = position(c);
  const length = bodyLength(c);
  const contentMd5 = header(c.req, "content-md5");
  const { row, etag } = await appendObject(c.svc.store, c.svc.clock, {
    bucket: c.target.bucket!,
    key: c.target.key!,
    position: pos,
    body: c.body,
    attributes: attributesOf(c.req),
    ...(contentMd5 !== undefined ? { contentMd5 } : {}),
    ...(c.payloadHash !== undefined ? { expectedSha256: c.payloadHash } : {}),
    ...(length !== undefined ? { contentLength: length } : {}),
  });
  const headers: Record<string, string> = { ETag: etag, "x-obs-next-append-position": String(row.size) };
  if (row.version_id !== null) headers[c.dialect === "obs" ? "x-obs-version-id" : "x-amz-version-id"] = row.version_id;
  if (row.storage_class !== "STANDARD") headers[c.dialect === "obs" ? "x-obs-storage-class" : "x-amz-storage-class"] = row.storage_class;
  send(c, 200, headers);
};

export const appendOperations: Record<string, ObsOperation> = { AppendObject: append };
