// The OBS rows that compare hwlocal with Azurite through one client: autocannon over URLs that carry their
// own authorisation (hwlocal: V4 presigned URLs from @aws-sdk/s3-request-presigner; Azurite: an account
// SAS), 16 connections for PUT 4 KiB (one key overwritten, as wrk measured the peers) and 8 for GET 1 MiB.
// Only 2xx answers count; anything else is reported as a failure rather than as throughput.
import autocannon from "autocannon";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { send } from "./http.ts";
import { azuriteSas, AZURITE_ACCOUNT } from "./peers.ts";

export interface RawFigures {
  put4k: number;
  get1m: number;
}

const SMALL = Buffer.alloc(4096, "s");
const BIG = Buffer.alloc(1 << 20, "m");

/** 2xx answers per second of one request repeated on `connections` connections for `seconds`. */
export function rawRate(
  url: string,
  opts: { method: string; body?: Buffer; headers?: Record<string, string>; connections: number; seconds: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: opts.method,
        connections: opts.connections,
        duration: opts.seconds,
        timeout: 20,
        ...(opts.headers ? { headers: opts.headers } : {}),
        ...(opts.body ? { body: opts.body } : {}),
      },
      (err, r) => {
        if (err) return reject(err);
        if (r.non2xx > 0 || r.errors > 0) {
          return reject(new Error(`${opts.method} ${url.split("?")[0]}: ${r.non2xx} non-2xx, ${r.errors} errors (${JSON.stringify(r.statusCodeStats)})`));
        }
        resolve(r.requests.total !== undefined ? r.requests.total / r.duration : r.requests.average);
      },
    );
  });
}

/** hwlocal (or any S3 endpoint the client points at) through presigned URLs. */
export async function s3Raw(s3: S3Client, bucket: string, seconds: number): Promise<RawFigures> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "raw/get-1m", Body: BIG }));
  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: "raw/put-4k" }), { expiresIn: 3600 });
  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: "raw/get-1m" }), { expiresIn: 3600 });
  const put4k = await rawRate(putUrl, { method: "PUT", body: SMALL, connections: 16, seconds });
  const get1m = await rawRate(getUrl, { method: "GET", connections: 8, seconds });
  return { put4k, get1m };
}

/** Azurite's blob service through an account SAS (block blobs in one container). */
export async function azuriteRaw(endpoint: string, seconds: number, nowMs: number): Promise<RawFigures> {
  const sas = azuriteSas(nowMs);
  const container = `${endpoint}/${AZURITE_ACCOUNT}/bench`;
  const created = await send(`${container}?restype=container&${sas}`, { method: "PUT" });
  if (created.status !== 201 && created.status !== 409) throw new Error(`Azurite container: ${created.status} ${created.body}`);
  const blobHeaders = { "x-ms-blob-type": "BlockBlob", "Content-Type": "application/octet-stream" };
  const seeded = await send(`${container}/get-1m?${sas}`, { method: "PUT", headers: blobHeaders, body: BIG });
  if (seeded.status !== 201) throw new Error(`Azurite blob: ${seeded.status} ${seeded.body}`);
  const put4k = await rawRate(`${container}/put-4k?${sas}`, { method: "PUT", body: SMALL, headers: blobHeaders, connections: 16, seconds });
  const get1m = await rawRate(`${container}/get-1m?${sas}`, { method: "GET", connections: 8, seconds });
  return { put4k, get1m };
}
