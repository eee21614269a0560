// The digests a client announces for a body (Content-MD5, a V4 payload hash) checked against the ones
// computed while it streamed in, and ETags made from them.
import { obsErrors } from "../errors.ts";
import type { Digests } from "./blobs.ts";

/** Reads a Content-MD5 header: base64 of exactly 16 bytes, else InvalidDigest. */
export function decodeContentMd5(header: string): Buffer {
  const b = Buffer.from(header.trim(), "base64");
  if (b.length !== 16 || !/^[A-Za-z0-9+/]{22}==$/.test(header.trim())) throw obsErrors.invalidDigest();
  return b;
}

/** Checks on a finished body: the digests the client announced. */
export function bodyCheck(bucket: string, key: string, opts: { contentMd5?: string; expectedSha256?: string }): (d: Digests) => void {
  const md5 = opts.contentMd5 === undefined ? undefined : decodeContentMd5(opts.contentMd5);
  const sha = opts.expectedSha256?.toLowerCase();
  return (d) => {
    if (md5 && !md5.equals(d.md5)) throw obsErrors.badDigest(bucket, key);
    if (sha !== undefined && d.sha256?.toString("hex") !== sha) throw obsErrors.contentSha256Mismatch();
  };
}

export function quotedEtag(md5: Buffer): string {
  return `"${md5.toString("hex")}"`;
}
