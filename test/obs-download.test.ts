// GetObject bodies over 1 MiB, which hwlocal sends from reused read buffers (operations/object-body.ts),
// through @aws-sdk/client-s3: whole, ranged across several of its 1 MiB reads, by suffix, HEAD, several at
// once, and a client that goes away mid-body, after which the object's file is closed and the next
// download is whole.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readlinkSync } from "node:fs";
import type { Readable } from "node:stream";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { s3Client } from "./helpers/obs-clients.ts";

const MiB = 1 << 20;
const data = randomBytes(5 * MiB + 123);
let hw: TestHwlocal;
let client: S3Client;

before(async () => {
  hw = await startTestHwlocal();
  client = s3Client(hw);
  await client.send(new CreateBucketCommand({ Bucket: "downloads" }));
  await client.send(new PutObjectCommand({ Bucket: "downloads", Key: "big", Body: data }));
});
after(async () => {
  client.destroy();
  await hw.close();
});

async function get(range?: string, key = "big"): Promise<{ bytes: Buffer; status: number | undefined; contentRange: string | undefined }> {
  const r = await client.send(new GetObjectCommand({ Bucket: "downloads", Key: key, ...(range ? { Range: range } : {}) }));
  const bytes = Buffer.from(await r.Body!.transformToByteArray());
  return { bytes, status: r.$metadata.httpStatusCode, contentRange: r.ContentRange };
}

/** How many of this process's open files are OBS blobs (hwlocal runs in this process). */
function openBlobs(): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).includes("/blobs/")) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

test("a 5 MiB object comes down whole, by ranges across its reads, by suffix, and HEAD tells its size", async () => {
  const whole = await get();
  assert.equal(whole.status, 200);
  assert.ok(whole.bytes.equals(data));

  const ranged = await get("bytes=1000000-4200000");
  assert.equal(ranged.status, 206);
  assert.equal(ranged.contentRange, `bytes 1000000-4200000/${data.length}`);
  assert.ok(ranged.bytes.equals(data.subarray(1000000, 4200001)));

  const tail = await get(`bytes=-${MiB + 7}`);
  assert.equal(tail.status, 206);
  assert.ok(tail.bytes.equals(data.subarray(data.length - MiB - 7)));

  const head = await client.send(new HeadObjectCommand({ Bucket: "downloads", Key: "big" }));
  assert.equal(head.ContentLength, data.length);
  assert.equal(openBlobs(), 0, "every download closed its file");
});

test("eight downloads at once each get their own bytes", async () => {
  const ranges = Array.from({ length: 8 }, (_, i) => [i * 500_000, i * 500_000 + 1_500_000 + i] as const);
  const got = await Promise.all(ranges.map(([a, b]) => get(`bytes=${a}-${b}`)));
  got.forEach((g, i) => assert.ok(g.bytes.equals(data.subarray(ranges[i]![0], ranges[i]![1] + 1)), `range ${i}`));
  assert.equal(openBlobs(), 0);
});

test("a client that goes away mid-body leaves no file open, and the next download is whole", async () => {
  // Larger than the loopback socket's buffers can take at once: the server is still sending when it goes.
  const huge = Buffer.alloc(48 * MiB, data.subarray(0, MiB));
  await client.send(new PutObjectCommand({ Bucket: "downloads", Key: "huge", Body: huge }));
  const r = await client.send(new GetObjectCommand({ Bucket: "downloads", Key: "huge" }));
  const body = r.Body as Readable;
  await new Promise<void>((resolve) => body.once("data", () => resolve()));
  body.destroy();
  // The server sees the socket close on a later turn of its loop: wait for it without a timer.
  const deadline = performance.now() + 10_000;
  while (openBlobs() > 0 && performance.now() < deadline) await new Promise((res) => setImmediate(res));
  assert.equal(openBlobs(), 0, "the abandoned download closed its file");
  assert.ok((await get(undefined, "huge")).bytes.equals(huge));
});
