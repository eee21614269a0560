// OBS across kill -9 (issue 9): a real hwlocal process on a data folder takes acknowledged objects and
// multipart parts, is SIGKILLed in the middle of a large streamed upload, and restarts on the same folder:
// every acknowledged object is intact (MD5), the interrupted key is absent, the temp folder is empty and
// orphan blobs are swept, and the open upload's parts complete. A client that disconnects mid-upload
// leaves nothing behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request, type ClientRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { startCli } from "./helpers/cli-process.ts";
import { chunk, errorOf, kill, md5, MiB, s3Client, until } from "./helpers/obs-process.ts";

async function getMd5(client: S3Client, bucket: string, key: string): Promise<string> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return md5(Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()));
}

/** The largest file in `dir` (0 when empty or missing). */
function largest(dir: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(0, ...readdirSync(dir).map((f) => statSync(join(dir, f)).size));
}

/**
 * Starts a PUT of `total` bytes to a presigned URL and keeps writing (with backpressure) until `stop()`;
 * `done` settles when the request ends or fails.
 */
function slowPut(url: string, total: number): { req: ClientRequest; stop: () => void; done: Promise<unknown> } {
  const req = request(url, { method: "PUT", headers: { "content-length": String(total) } });
  let stopped = false;
  const done = new Promise((resolve) => {
    req.on("error", resolve);
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
  });
  void (async () => {
    for (let i = 0, sent = 0; sent < total && !stopped && !req.destroyed; i++) {
      const c = chunk(i, Math.min(256 * 1024, total - sent));
      sent += c.length;
      if (!req.write(c)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            req.off("drain", go).off("close", go);
            resolve();
          };
          req.on("drain", go).on("close", go);
        });
      }
      await new Promise((r) => setImmediate(r)); // slow enough that a kill lands mid-body
    }
  })();
  return { req, stop: () => (stopped = true), done };
}

test("after a SIGKILL mid-upload: acknowledged objects intact, no partial object, tmp empty, parts completable", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-obs-kill-"));
  const tmp = join(dataDir, "obs", "tmp");
  const blobs = join(dataDir, "obs", "blobs");
  const first = await startCli(["--data-dir", dataDir]);
  let client = s3Client(first.url);
  const acked = new Map<string, string>();
  const part1 = Buffer.concat([chunk(1, 150 * 1024), chunk(2, 60 * 1024)]);
  const part2 = chunk(3, 70 * 1024);
  let uploadId = "";
  try {
    await client.send(new CreateBucketCommand({ Bucket: "durable" }));
    await Promise.all(
      [0, 1, 7, 4096, 300 * 1024, 3 * MiB + 5].map(async (size, i) => {
        const body = size <= MiB ? chunk(i, size) : Buffer.concat([chunk(i, MiB), chunk(i + 1, MiB), chunk(i + 2, MiB), chunk(i + 3, 5)]);
        const key = `acked/${i}-${size}.bin`;
        await client.send(new PutObjectCommand({ Bucket: "durable", Key: key, Body: body }));
        acked.set(key, md5(body));
      }),
    );
    // The same key twice: the second write is the one acknowledged last.
    await client.send(new PutObjectCommand({ Bucket: "durable", Key: "acked/overwritten", Body: "first" }));
    await client.send(new PutObjectCommand({ Bucket: "durable", Key: "acked/overwritten", Body: "second" }));
    acked.set("acked/overwritten", md5("second"));
    uploadId = (await client.send(new CreateMultipartUploadCommand({ Bucket: "durable", Key: "multi.bin" }))).UploadId!;
    await client.send(new UploadPartCommand({ Bucket: "durable", Key: "multi.bin", UploadId: uploadId, PartNumber: 1, Body: part1 }));
    await client.send(new UploadPartCommand({ Bucket: "durable", Key: "multi.bin", UploadId: uploadId, PartNumber: 2, Body: part2 }));

    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: "durable", Key: "interrupted.bin" }), { expiresIn: 600 });
    const upload = slowPut(url, 100 * MiB);
    const partial = await until("the upload to reach its temp file", () => largest(tmp) >= 4 * MiB && largest(tmp), 15_000);
    await kill(first, "SIGKILL");
    upload.stop();
    await upload.done;
    assert.ok(partial < 100 * MiB, "killed before the body was complete");
    assert.ok(largest(tmp) > 0, "the kill left a partial temp file behind");
  } finally {
    client.destroy();
    if (first.child.exitCode === null && first.child.signalCode === null) await kill(first, "SIGKILL");
  }
  const orphan = join(blobs, "0".repeat(32));
  writeFileSync(orphan, "a blob no row names");

  const second = await startCli(["--data-dir", dataDir]);
  client = s3Client(second.url);
  try {
    assert.deepEqual(readdirSync(tmp), [], "the temp folder is emptied at start");
    await until("the orphan blob to be swept", () => !existsSync(orphan));
    for (const [key, sum] of acked) assert.equal(await getMd5(client, "durable", key), sum, `${key} is intact`);
    assert.equal((await errorOf(client.send(new HeadObjectCommand({ Bucket: "durable", Key: "interrupted.bin" })))).status, 404);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: "durable" }));
    assert.deepEqual((listed.Contents ?? []).map((o) => o.Key).sort(), [...acked.keys()].sort(), "only acknowledged keys are listed");

    const parts = await client.send(new ListPartsCommand({ Bucket: "durable", Key: "multi.bin", UploadId: uploadId }));
    assert.deepEqual(
      parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]),
      [
        [1, part1.length, `"${md5(part1)}"`],
        [2, part2.length, `"${md5(part2)}"`],
      ],
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: "durable",
        Key: "multi.bin",
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.Parts!.map((p) => ({ PartNumber: p.PartNumber, ETag: p.ETag })) },
      }),
    );
    assert.equal(await getMd5(client, "durable", "multi.bin"), md5(Buffer.concat([part1, part2])));
    // Every blob left is one a row names: the objects (multi.bin now included) and nothing else.
    await until("blobs to match the rows", () => readdirSync(blobs).length === acked.size + 1);
  } finally {
    client.destroy();
    await kill(second, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a client that disconnects mid-upload leaves no row and no temp file", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-obs-drop-"));
  const tmp = join(dataDir, "obs", "tmp");
  const hw = await startCli(["--data-dir", dataDir]);
  const client = s3Client(hw.url);
  try {
    await client.send(new CreateBucketCommand({ Bucket: "dropped" }));
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: "dropped", Key: "gone.bin" }), { expiresIn: 600 });
    const upload = slowPut(url, 64 * MiB);
    await until("the upload to reach its temp file", () => largest(tmp) >= 2 * MiB, 15_000);
    upload.stop();
    upload.req.destroy();
    await upload.done;
    await until("the temp folder to empty", () => readdirSync(tmp).length === 0);
    assert.equal((await errorOf(client.send(new HeadObjectCommand({ Bucket: "dropped", Key: "gone.bin" })))).status, 404);
    assert.equal((await client.send(new ListObjectsV2Command({ Bucket: "dropped" }))).KeyCount, 0);
    assert.deepEqual(readdirSync(join(dataDir, "obs", "blobs")), [], "no blob was made");
    // The server still serves the next upload of the same key.
    await client.send(new PutObjectCommand({ Bucket: "dropped", Key: "gone.bin", Body: "back" }));
    assert.equal(await getMd5(client, "dropped", "gone.bin"), md5("back"));
  } finally {
    client.destroy();
    await kill(hw, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a dropped UploadPart leaves no part; dropped GETs release their files; a read survives an overwrite", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-obs-drop-"));
  const tmp = join(dataDir, "obs", "tmp");
  const hw = await startCli(["--data-dir", dataDir]);
  const client = s3Client(hw.url);
  const fds = () => readdirSync(`/proc/${hw.child.pid}/fd`).length;
  try {
    await client.send(new CreateBucketCommand({ Bucket: "edges" }));
    const uploadId = (await client.send(new CreateMultipartUploadCommand({ Bucket: "edges", Key: "m.bin" }))).UploadId!;
    const part = chunk(5, 200 * 1024);
    await client.send(new UploadPartCommand({ Bucket: "edges", Key: "m.bin", UploadId: uploadId, PartNumber: 1, Body: part }));
    const url = await getSignedUrl(client, new UploadPartCommand({ Bucket: "edges", Key: "m.bin", UploadId: uploadId, PartNumber: 2 }), {
      expiresIn: 600,
    });
    const upload = slowPut(url, 32 * MiB);
    await until("the part to reach its temp file", () => largest(tmp) >= 2 * MiB, 15_000);
    upload.stop();
    upload.req.destroy();
    await upload.done;
    await until("the temp folder to empty", () => readdirSync(tmp).length === 0);
    const parts = await client.send(new ListPartsCommand({ Bucket: "edges", Key: "m.bin", UploadId: uploadId }));
    assert.deepEqual(
      parts.Parts?.map((p) => p.PartNumber),
      [1],
      "only the acknowledged part is listed",
    );

    // A big object read by clients that go away after the first bytes: every file they opened is closed.
    const big = Buffer.concat(Array.from({ length: 8 }, (_, i) => chunk(i, MiB)));
    await client.send(new PutObjectCommand({ Bucket: "edges", Key: "big.bin", Body: big }));
    const baseline = fds();
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: "edges", Key: "big.bin" }), { expiresIn: 600 });
    await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = request(getUrl, (res) => {
              res.once("data", () => {
                req.destroy();
                resolve();
              });
            });
            req.on("error", (err) => (req.destroyed ? resolve() : reject(err)));
            req.end();
          }),
      ),
    );
    await until(`open files back to ${baseline}`, () => fds() <= baseline);

    // A GET that started before an overwrite streams the old bytes whole; the next GET sees the new ones.
    const reading = await client.send(new GetObjectCommand({ Bucket: "edges", Key: "big.bin" }));
    await client.send(new PutObjectCommand({ Bucket: "edges", Key: "big.bin", Body: "replaced" }));
    const old = Buffer.from(await reading.Body!.transformToByteArray());
    assert.equal(md5(old), md5(big), "the reader got the object it started on");
    assert.equal(await getMd5(client, "edges", "big.bin"), md5("replaced"));
  } finally {
    client.destroy();
    await kill(hw, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a SIGKILL during a multipart Complete leaves the upload completable, never a partial object", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-obs-kill-"));
  const tmp = join(dataDir, "obs", "tmp");
  const first = await startCli(["--data-dir", dataDir]);
  let client = s3Client(first.url);
  const parts = Array.from({ length: 12 }, (_, i) => Buffer.concat(Array.from({ length: 5 }, (_, j) => chunk(i * 5 + j, MiB))));
  const whole = md5(Buffer.concat(parts));
  let uploadId = "";
  const etags: { PartNumber: number; ETag: string }[] = [];
  try {
    await client.send(new CreateBucketCommand({ Bucket: "completing" }));
    uploadId = (await client.send(new CreateMultipartUploadCommand({ Bucket: "completing", Key: "big.bin" }))).UploadId!;
    for (const [i, Body] of parts.entries()) {
      const r = await client.send(new UploadPartCommand({ Bucket: "completing", Key: "big.bin", UploadId: uploadId, PartNumber: i + 1, Body }));
      etags.push({ PartNumber: i + 1, ETag: r.ETag! });
    }
    const complete = client
      .send(new CompleteMultipartUploadCommand({ Bucket: "completing", Key: "big.bin", UploadId: uploadId, MultipartUpload: { Parts: etags } }))
      .catch((err: unknown) => err);
    // Kill once the concatenation has begun (or, on a fast disk, whenever the answer came first).
    await until("the concatenation to start", async () => largest(tmp) > 0 || (await Promise.race([complete, Promise.resolve(undefined)])) !== undefined);
    await kill(first, "SIGKILL");
    await complete;
  } finally {
    client.destroy();
    if (first.child.exitCode === null && first.child.signalCode === null) await kill(first, "SIGKILL");
  }

  const second = await startCli(["--data-dir", dataDir]);
  client = s3Client(second.url);
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: "completing", Key: "big.bin" })).catch(() => undefined);
    t.diagnostic(head ? "the Complete committed before the kill" : "killed during the Complete");
    if (head) {
      // The commit came before the kill: the object is whole and the upload is gone.
      assert.equal(head.ContentLength, 60 * MiB);
    } else {
      const listed = await client.send(new ListPartsCommand({ Bucket: "completing", Key: "big.bin", UploadId: uploadId }));
      assert.equal(listed.Parts?.length, 12, "every part survived the interrupted Complete");
      await client.send(
        new CompleteMultipartUploadCommand({ Bucket: "completing", Key: "big.bin", UploadId: uploadId, MultipartUpload: { Parts: etags } }),
      );
    }
    assert.equal(await getMd5(client, "completing", "big.bin"), whole);
    assert.deepEqual(readdirSync(tmp), []);
  } finally {
    client.destroy();
    await kill(second, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
});
