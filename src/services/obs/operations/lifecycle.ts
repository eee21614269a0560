// Lifecycle: SetBucketLifecycle (PUT ?lifecycle; Content-MD5 required, as OBS and esdk require it),
// GetBucketLifecycle (404 NoSuchLifecycleConfiguration without one), DeleteBucketLifecycle (204). The rules'
// XML is xml-lifecycle.ts; their execution on hwlocal's clock (Expiration, NoncurrentVersionExpiration,
// AbortIncompleteMultipartUpload) is store/lifecycle.ts, run by the engine's ticker.
//
// Doubts: expiry follows S3's documented rounding (the first UTC midnight after last_modified + Days); OBS
// documents "Days after the last update" without the rounding. A Date expires the objects last modified
// before it (OBS's wording), not every object as S3 does. Transitions (current and noncurrent) are stored
// and answered back but not executed; noncurrent delete markers are never removed. The AWS SDKs send
// x-amz-checksum-crc32 instead of Content-MD5 on PutBucketLifecycleConfiguration: refused as OBS refuses
// it (users add Content-MD5, as for DeleteObjects).
import { createHash } from "node:crypto";
import { header, ns, readSmallBody, send, type ObsCall } from "../call.ts";
import type { ObsContext } from "../context.ts";
import { obsErrors } from "../errors.ts";
import type { ObsOperation } from "../http.ts";
import { decodeContentMd5 } from "../store/index.ts";
import { lifecycleOf } from "../store/lifecycle.ts";
import { parseLifecycle, xmlLifecycle } from "../xml-lifecycle.ts";

function bucketOf(c: ObsCall): string {
  return c.target.bucket!;
}

const setBucketLifecycle: ObsOperation = async (c) => {
  const bucket = bucketOf(c);
  c.svc.store.headBucket(bucket);
  const md5 = header(c.req, "content-md5");
  const body = await readSmallBody(c.req);
  if (md5 === undefined) throw obsErrors.invalidRequest("Missing required header for this request: Content-MD5.");
  if (!decodeContentMd5(md5).equals(createHash("md5").update(body).digest())) throw obsErrors.badDigest(bucket, "");
  lifecycleOf(c.svc.store).set(bucket, parseLifecycle(body));
  send(c, 200);
};

const getBucketLifecycle: ObsOperation = (c) => {
  const rules = lifecycleOf(c.svc.store).get(bucketOf(c));
  send(c, 200, {}, xmlLifecycle(ns(c), rules));
};

const deleteBucketLifecycle: ObsOperation = (c) => {
  lifecycleOf(c.svc.store).set(bucketOf(c), null);
  send(c, 204);
};

export const lifecycleOperations: Record<string, ObsOperation> = {
  SetBucketLifecycle: setBucketLifecycle,
  GetBucketLifecycle: getBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
};

/** The engine's ticker: expiry and aborts that the clock has made due (see store/lifecycle.ts). */
export function lifecycleTicker(svc: ObsContext): (now: number) => boolean {
  return (now) => lifecycleOf(svc.store).tick(now);
}
