// aws-chunked uploads: what the AWS SDK sends by default for a streamed body (STREAMING-UNSIGNED-PAYLOAD-
// TRAILER with a CRC32 trailer). By default hwlocal refuses them as OBS does, naming the fix; with
// --obs-aws-chunked accept it decodes them. Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), which no
// client here sends, are built by hand as the SigV4 streaming specification describes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";
import { crc32 } from "node:zlib";
import { Readable } from "node:stream";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { errorOf, s3Client, text } from "./helpers/obs-clients.ts";

/** The AWS SDK with its default checksum settings (aws-chunked for streamed bodies). */
function defaultS3(hw: TestHwlocal): S3Client {
  return new S3Client({
    endpoint: hw.url,
    region: "cn-north-4",
    forcePathStyle: true,
    credentials: { accessKeyId: hw.admin.ak, secretAccessKey: hw.admin.sk },
  });
}

function streamOf(parts: Buffer[]): Readable {
  return Readable.from(parts);
}

describe("aws-chunked uploads, refused by default as OBS refuses them", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  test("a streamed PutObject with the SDK's default checksums: 400 XAmzContentSHA256Mismatch naming the fix; nothing stored", async () => {
    const ok = s3Client(hw);
    await ok.send(new CreateBucketCommand({ Bucket: "chunked" }));
    const client = defaultS3(hw);
    let message = "";
    try {
      await client.send(new PutObjectCommand({ Bucket: "chunked", Key: "k", Body: streamOf([Buffer.from("hello ")]), ContentLength: 6 }));
      assert.fail("accepted an aws-chunked upload");
    } catch (err) {
      const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
      assert.equal(e.name, "XAmzContentSHA256Mismatch");
      assert.equal(e.$metadata?.httpStatusCode, 400);
      message = e.message;
    }
    assert.match(message, /AWS_REQUEST_CHECKSUM_CALCULATION=when_required/);
    assert.match(message, /--obs-aws-chunked accept/);
    assert.deepEqual(await errorOf(ok.send(new HeadObjectCommand({ Bucket: "chunked", Key: "k" }))), { name: "NotFound", status: 404 });
    client.destroy();
    ok.destroy();
  });
});

describe("aws-chunked uploads with --obs-aws-chunked accept", () => {
  let hw: TestHwlocal;
  let client: S3Client;
  before(async () => {
    hw = await startTestHwlocal({ obsAwsChunked: "accept" });
    client = defaultS3(hw);
    await s3Client(hw).send(new CreateBucketCommand({ Bucket: "chunked" }));
  });
  after(async () => {
    client.destroy();
    await hw.close();
  });

  test("the SDK's default streamed upload (CRC32 trailer) is decoded: the object is the bytes, not the framing", async () => {
    const parts = [Buffer.alloc(70_000, "a"), Buffer.alloc(200_000, "b"), Buffer.from("tail")];
    const whole = Buffer.concat(parts);
    const put = await client.send(
      new PutObjectCommand({ Bucket: "chunked", Key: "streamed", Body: streamOf(parts), ContentLength: whole.length, ContentType: "text/plain" }),
    );
    assert.equal(put.ETag, `"${createHash("md5").update(whole).digest("hex")}"`);
    const got = await s3Client(hw).send(new GetObjectCommand({ Bucket: "chunked", Key: "streamed" }));
    assert.equal(got.ContentLength, whole.length);
    assert.equal(got.ContentEncoding, undefined, "aws-chunked is not the object's Content-Encoding");
    assert.equal(await text(got.Body), whole.toString());
  });

  test("a small streamed body (one chunk) and an empty one", async () => {
    await client.send(new PutObjectCommand({ Bucket: "chunked", Key: "small", Body: streamOf([Buffer.from("hi")]), ContentLength: 2 }));
    assert.equal(await text((await client.send(new GetObjectCommand({ Bucket: "chunked", Key: "small" }))).Body), "hi");
  });

  const raw = (path: string, headers: Record<string, string>, body: Buffer) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${hw.url}${path}`, { method: "PUT", headers: { ...headers, "content-length": String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on("error", reject);
      req.end(body);
    });

  /**
   * A V4 header signature over an aws-chunked body. "signed": STREAMING-AWS4-HMAC-SHA256-PAYLOAD, each chunk
   * signed after the previous; "trailer": STREAMING-UNSIGNED-PAYLOAD-TRAILER with an x-amz-checksum-crc32
   * trailer (`crc` overrides the right one).
   */
  function chunked(path: string, chunks: Buffer[], o: { mode?: "signed" | "trailer"; tamper?: boolean; crc?: string } = {}) {
    const mode = o.mode ?? "signed";
    const streaming = mode === "signed" ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" : "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const day = amzDate.slice(0, 8);
    const scope = `${day}/cn-north-4/s3/aws4_request`;
    const whole = Buffer.concat(chunks);
    const headers: Record<string, string> = {
      host: new URL(hw.url).host,
      "x-amz-date": amzDate,
      "x-amz-content-sha256": streaming,
      "x-amz-decoded-content-length": String(whole.length),
      "content-encoding": "aws-chunked",
      ...(mode === "trailer" ? { "x-amz-trailer": "x-amz-checksum-crc32" } : {}),
    };
    const names = Object.keys(headers).sort();
    const canonical = ["PUT", path, "", ...names.map((n) => `${n}:${headers[n]}`), "", names.join(";"), streaming].join("\n");
    const sha = (d: string | Buffer) => createHash("sha256").update(d).digest("hex");
    const hmac = (k: Buffer | string, d: string) => createHmac("sha256", k).update(d).digest();
    let key = hmac(`AWS4${hw.admin.sk}`, day);
    for (const part of ["cn-north-4", "s3", "aws4_request"]) key = hmac(key, part);
    const seed = hmac(key, ["AWS4-HMAC-SHA256", amzDate, scope, sha(canonical)].join("\n")).toString("hex");
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${hw.admin.ak}/${scope}, SignedHeaders=${names.join(";")}, Signature=${seed}`;
    let previous = seed;
    const framed: Buffer[] = [];
    for (const data of [...chunks, Buffer.alloc(0)]) {
      const sent = o.tamper && data.length > 0 ? Buffer.from(data.toString().toUpperCase()) : data;
      if (mode === "signed") {
        const sig = hmac(key, ["AWS4-HMAC-SHA256-PAYLOAD", amzDate, scope, previous, sha(""), sha(data)].join("\n")).toString("hex");
        previous = sig;
        framed.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${sig}\r\n`), sent);
      } else {
        framed.push(Buffer.from(`${data.length.toString(16)}\r\n`), sent);
      }
      if (data.length > 0 || mode === "signed") framed.push(Buffer.from("\r\n"));
    }
    if (mode === "trailer") {
      const crc = crc32(whole);
      const right = Buffer.from([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255]).toString("base64");
      framed.push(Buffer.from(`x-amz-checksum-crc32:${o.crc ?? right}\r\n\r\n`));
    }
    return { headers, body: Buffer.concat(framed) };
  }

  test("signed chunks are verified one by one: intact → 200, a changed chunk → 403 SignatureDoesNotMatch and nothing stored", async () => {
    const chunks = [Buffer.alloc(65_536, "x"), Buffer.from("signed tail")];
    const good = chunked("/chunked/signed", chunks);
    const ok = await raw("/chunked/signed", good.headers, good.body);
    assert.equal(ok.status, 200, ok.body);
    assert.equal(await text((await s3Client(hw).send(new GetObjectCommand({ Bucket: "chunked", Key: "signed" }))).Body), Buffer.concat(chunks).toString());

    const bad = chunked("/chunked/tampered", chunks, { tamper: true });
    const refused = await raw("/chunked/tampered", bad.headers, bad.body);
    assert.equal(refused.status, 403);
    assert.match(refused.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.deepEqual(await errorOf(s3Client(hw).send(new HeadObjectCommand({ Bucket: "chunked", Key: "tampered" }))), { name: "NotFound", status: 404 });
  });

  test("bad framing, a wrong trailer checksum and a missing decoded length are OBS 4xx, never stored", async () => {
    const sign = chunked("/chunked/x", [Buffer.from("abc")]);
    const trailer = chunked("/chunked/crc", [Buffer.from("checked by crc")], { mode: "trailer" });
    assert.equal((await raw("/chunked/crc", trailer.headers, trailer.body)).status, 200);
    const wrong = chunked("/chunked/badcrc", [Buffer.from("checked by crc")], { mode: "trailer", crc: "AAAAAA==" });
    const badCrc = await raw("/chunked/badcrc", wrong.headers, wrong.body);
    assert.equal(badCrc.status, 400);
    assert.match(badCrc.body, /<Code>BadDigest<\/Code>/);
    const framing = await raw("/chunked/x", sign.headers, Buffer.from("zz;chunk-signature=00\r\nabc\r\n"));
    assert.equal(framing.status, 400);
    assert.match(framing.body, /<Code>InvalidArgument<\/Code>/);
    const short = chunked("/chunked/short", [Buffer.from("abc")]);
    const truncated = await raw("/chunked/short", short.headers, short.body.subarray(0, short.body.length - 30));
    assert.equal(truncated.status, 400);
    const noLength = chunked("/chunked/nolen", [Buffer.from("abc")]);
    delete noLength.headers["x-amz-decoded-content-length"];
    const missing = await raw("/chunked/nolen", noLength.headers, noLength.body);
    // The header is signed, so dropping it breaks the signature first: either way nothing is stored.
    assert.ok(missing.status === 403 || missing.status === 411, `${missing.status}`);
    for (const key of ["x", "short", "nolen", "badcrc"]) {
      assert.deepEqual(await errorOf(s3Client(hw).send(new HeadObjectCommand({ Bucket: "chunked", Key: key }))), { name: "NotFound", status: 404 });
    }
  });
});
