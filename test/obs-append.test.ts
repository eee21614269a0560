// OBS AppendObject through esdk-obs-nodejs (its appendObject, V2 by default and with `signature: "obs"`),
// GET/HEAD of an appendable object through esdk and @aws-sdk/client-s3, and the error paths.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { ManualClock } from "../src/kernel/clock.ts";
import { randomIds } from "../src/kernel/ids.ts";
import { openDatabase } from "../src/store/database.ts";
import { ObsStore } from "../src/services/obs/store/index.ts";
import { appendObject, MAX_APPENDS } from "../src/services/obs/store/append.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { esdkClient, s3Client, type EsdkClient, type EsdkResult } from "./helpers/obs-clients.ts";

const md5hex = (b: string | Buffer) => createHash("md5").update(b).digest("hex");

/** A raw V2-signed request (esdk always sends Content-Type application/json with a Body; this sends any). */
async function v2(hw: TestHwlocal, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Response> {
  const url = new URL(`${hw.url}${path}`);
  const all: Record<string, string> = { "x-amz-date": new Date().toUTCString(), ...headers };
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v]));
  const amz = Object.keys(lower).filter((k) => k.startsWith("x-amz-")).sort().map((k) => `${k}:${lower[k]}\n`).join("");
  const sub = [...url.searchParams.entries()]
    .filter(([k]) => k === "append" || k === "position")
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => (v === "" ? k : `${k}=${v}`));
  const toSign = `${method}\n\n${lower["content-type"] ?? ""}\n\n${amz}${url.pathname}${sub.length ? `?${sub.join("&")}` : ""}`;
  all.Authorization = `AWS ${hw.admin.ak}:${createHmac("sha1", hw.admin.sk).update(toSign).digest("base64")}`;
  return fetch(url, { method, headers: all, ...(body !== undefined ? { body } : {}) });
}
const field = (r: EsdkResult, ...names: string[]) => names.map((n) => r.InterfaceResult?.[n]).find((v) => v !== undefined);

for (const mode of ["v2", "obs"] as const) {
  describe(`AppendObject through esdk-obs-nodejs (${mode})`, () => {
    let hw: TestHwlocal;
    let obs: EsdkClient;
    const bucket = `append-${mode}`;
    before(async () => {
      hw = await startTestHwlocal();
      obs = esdkClient(hw, hw.admin, mode === "obs" ? { signature: "obs" } : {});
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal((await obs.createBucket!({ Bucket: bucket })).CommonMsg.Status, 200);
    });
    after(async () => {
      obs.close();
      await hw.close();
    });

    test("appends at the next position; the first append's attributes stay; GET and HEAD say Appendable", async () => {
      const first = await obs.appendObject!({
        Bucket: bucket,
        Key: "log.txt",
        Position: 0,
        Body: "hello ",
        ContentType: "text/plain",
        Metadata: { origin: "first" },
      });
      assert.equal(first.CommonMsg.Status, 200, JSON.stringify(first.CommonMsg));
      assert.equal(String(field(first, "NextPosition", "NextPositionObs")), "6");
      assert.equal(first.InterfaceResult!.ETag, `"${md5hex("hello ")}"`);
      const second = await obs.appendObject!({
        Bucket: bucket,
        Key: "log.txt",
        Position: 6,
        Body: "world",
        ContentType: "application/json",
        Metadata: { origin: "second" },
      });
      assert.equal(second.CommonMsg.Status, 200, JSON.stringify(second.CommonMsg));
      assert.equal(String(field(second, "NextPosition", "NextPositionObs")), "11");
      // The ETag is this append's bytes' MD5, not the whole object's (追加写对象.md).
      assert.equal(second.InterfaceResult!.ETag, `"${md5hex("world")}"`);

      const got = await obs.getObject!({ Bucket: bucket, Key: "log.txt" });
      assert.equal(String(got.InterfaceResult!.Content), "hello world");
      const meta = await obs.getObjectMetadata!({ Bucket: bucket, Key: "log.txt" });
      assert.equal(meta.CommonMsg.Status, 200);
      assert.equal(field(meta, "ObjectType", "ObjectTypeObs"), "Appendable");
      assert.equal(String(field(meta, "NextPosition", "NextPositionObs")), "11");
      // esdk sends Content-Type application/json with every Body (its quirk), so only the metadata tells here.
      assert.deepEqual(meta.InterfaceResult!.Metadata, { origin: "first" });
      assert.equal(meta.InterfaceResult!.ContentLength, "11");
    });

    test("a wrong position is 409 PositionNotEqualToLength; the object is unchanged", async () => {
      assert.equal((await obs.appendObject!({ Bucket: bucket, Key: "pos.txt", Position: 0, Body: "abc" })).CommonMsg.Status, 200);
      for (const position of [0, 2, 4]) {
        const bad = await obs.appendObject!({ Bucket: bucket, Key: "pos.txt", Position: position, Body: "x" });
        assert.equal(bad.CommonMsg.Status, 409);
        assert.equal(bad.CommonMsg.Code, "PositionNotEqualToLength");
      }
      // A first append must start at 0.
      const fresh = await obs.appendObject!({ Bucket: bucket, Key: "new.txt", Position: 5, Body: "x" });
      assert.equal(fresh.CommonMsg.Code, "PositionNotEqualToLength");
      assert.equal(String((await obs.getObject!({ Bucket: bucket, Key: "pos.txt" })).InterfaceResult!.Content), "abc");
      assert.equal((await obs.getObject!({ Bucket: bucket, Key: "new.txt" })).CommonMsg.Status, 404);
    });

    test("a normal object, a COLD class and a bad Content-MD5 are refused", async () => {
      assert.equal((await obs.putObject!({ Bucket: bucket, Key: "normal.txt", Body: "plain" })).CommonMsg.Status, 200);
      const normal = await obs.appendObject!({ Bucket: bucket, Key: "normal.txt", Position: 5, Body: "more" });
      assert.equal(normal.CommonMsg.Status, 409);
      assert.equal(normal.CommonMsg.Code, "ObjectNotAppendable");
      const cold = await obs.appendObject!({ Bucket: bucket, Key: "cold.txt", Position: 0, Body: "x", StorageClass: "COLD" });
      assert.equal(cold.CommonMsg.Code, "ObjectNotAppendable");
      const digest = await obs.appendObject!({
        Bucket: bucket,
        Key: "digest.txt",
        Position: 0,
        Body: "payload",
        ContentMD5: createHash("md5").update("other").digest("base64"),
      });
      assert.equal(digest.CommonMsg.Status, 400);
      assert.equal(digest.CommonMsg.Code, "BadDigest");
      assert.equal((await obs.getObject!({ Bucket: bucket, Key: "digest.txt" })).CommonMsg.Status, 404);
      const good = await obs.appendObject!({
        Bucket: bucket,
        Key: "digest.txt",
        Position: 0,
        Body: "payload",
        ContentMD5: createHash("md5").update("payload").digest("base64"),
      });
      assert.equal(good.CommonMsg.Status, 200);
      const missing = await obs.appendObject!({ Bucket: "no-such-bucket-here", Key: "k", Position: 0, Body: "x" });
      assert.equal(missing.CommonMsg.Code, "NoSuchBucket");
    });

    test("3 MiB appended in three streamed MiBs, each sent in 64 KiB pieces, reads back whole", async () => {
      const whole = Buffer.alloc(3 << 20);
      for (let i = 0; i < whole.length; i++) whole[i] = (i * 31 + (i >> 16)) & 0xff;
      let next = 0;
      for (let m = 0; m < 3; m++) {
        const slice = whole.subarray(m << 20, (m + 1) << 20);
        const pieces = function* () {
          for (let o = 0; o < slice.length; o += 64 << 10) yield slice.subarray(o, o + (64 << 10));
        };
        const r = await obs.appendObject!({
          Bucket: bucket,
          Key: "big.bin",
          Position: next,
          Body: Readable.from(pieces()),
          ContentLength: slice.length,
        });
        assert.equal(r.CommonMsg.Status, 200, JSON.stringify(r.CommonMsg));
        next = Number(field(r, "NextPosition", "NextPositionObs"));
        assert.equal(next, (m + 1) << 20);
      }
      const got = await obs.getObject!({ Bucket: bucket, Key: "big.bin", SaveAsStream: true });
      const chunks: Buffer[] = [];
      for await (const chunk of got.InterfaceResult!.Content as Readable) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks);
      assert.equal(content.length, whole.length);
      assert.equal(md5hex(content), md5hex(whole));
    });
  });
}

describe("appendable objects seen through @aws-sdk/client-s3", () => {
  let hw: TestHwlocal;
  let obs: EsdkClient;
  let s3: S3Client;
  let seen: Record<string, string> = {};
  before(async () => {
    hw = await startTestHwlocal();
    obs = esdkClient(hw);
    s3 = s3Client(hw);
    // The AWS SDK models no x-obs-* header: read them off the raw answer.
    s3.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        seen = (out.response as { headers: Record<string, string> }).headers;
        return out;
      },
      { step: "deserialize", name: "rawHeaders" },
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await obs.createBucket!({ Bucket: "append-s3" })).CommonMsg.Status, 200);
  });
  after(async () => {
    obs.close();
    s3.destroy();
    await hw.close();
  });

  test("HEAD answers the type and next position; a copy is Normal; a PUT over it makes it Normal", async () => {
    assert.equal((await obs.appendObject!({ Bucket: "append-s3", Key: "a", Position: 0, Body: "12345" })).CommonMsg.Status, 200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: "append-s3", Key: "a" }));
    assert.equal(head.ContentLength, 5);
    assert.equal(seen["x-obs-object-type"], "Appendable");
    assert.equal(seen["x-obs-next-append-position"], "5");

    await s3.send(new CopyObjectCommand({ Bucket: "append-s3", Key: "b", CopySource: "append-s3/a" }));
    await s3.send(new HeadObjectCommand({ Bucket: "append-s3", Key: "b" }));
    assert.equal(seen["x-obs-object-type"], undefined);
    assert.equal((await obs.appendObject!({ Bucket: "append-s3", Key: "b", Position: 5, Body: "6" })).CommonMsg.Code, "ObjectNotAppendable");

    await s3.send(new PutObjectCommand({ Bucket: "append-s3", Key: "a", Body: "fresh" }));
    await s3.send(new HeadObjectCommand({ Bucket: "append-s3", Key: "a" }));
    assert.equal(seen["x-obs-object-type"], undefined);
    assert.equal((await obs.appendObject!({ Bucket: "append-s3", Key: "a", Position: 5, Body: "6" })).CommonMsg.Code, "ObjectNotAppendable");
  });

  test("raw V2 requests: the first append's Content-Type and metadata stay; a bad position is InvalidArgument", async () => {
    const first = await v2(hw, "POST", "/append-s3/doc.txt?append&position=0", { "Content-Type": "text/plain", "x-amz-meta-step": "one" }, "hello");
    assert.equal(first.status, 200, await first.text());
    assert.equal(first.headers.get("x-obs-next-append-position"), "5");
    assert.equal(first.headers.get("etag"), `"${md5hex("hello")}"`);
    const second = await v2(hw, "POST", "/append-s3/doc.txt?append&position=5", { "Content-Type": "application/json", "x-amz-meta-step": "two" }, "!!");
    assert.equal(second.status, 200, await second.text());
    assert.equal(second.headers.get("x-obs-next-append-position"), "7");
    const head = await v2(hw, "HEAD", "/append-s3/doc.txt");
    assert.equal(head.headers.get("content-type"), "text/plain");
    assert.equal(head.headers.get("x-amz-meta-step"), "one");
    assert.equal(head.headers.get("x-obs-object-type"), "Appendable");
    assert.equal(head.headers.get("x-obs-next-append-position"), "7");
    assert.equal(head.headers.get("content-length"), "7");
    for (const query of ["append&position=abc", "append&position=-1", "append"]) {
      const bad = await v2(hw, "POST", `/append-s3/doc.txt?${query}`, { "Content-Type": "text/plain" }, "x");
      assert.equal(bad.status, 400, query);
      assert.equal(bad.headers.get("x-obs-error-code"), "InvalidArgument");
      await bad.text();
    }
  });

  test("a versioned bucket: the first append makes a version, later appends grow it under the same id", async () => {
    assert.equal((await obs.createBucket!({ Bucket: "append-ver" })).CommonMsg.Status, 200);
    await s3.send(new PutBucketVersioningCommand({ Bucket: "append-ver", VersioningConfiguration: { Status: "Enabled" } }));
    const first = await v2(hw, "POST", "/append-ver/v.txt?append&position=0", { "Content-Type": "text/plain" }, "ab");
    assert.equal(first.status, 200, await first.text());
    const id = first.headers.get("x-amz-version-id");
    assert.ok(id && id !== "null");
    const second = await v2(hw, "POST", "/append-ver/v.txt?append&position=2", { "Content-Type": "text/plain" }, "cd");
    assert.equal(second.status, 200, await second.text());
    assert.equal(second.headers.get("x-amz-version-id"), id);
    await s3.send(new PutObjectCommand({ Bucket: "append-ver", Key: "v.txt", Body: "normal" }));
    const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket: "append-ver" }))).Versions ?? [];
    assert.deepEqual(
      versions.map((v) => [v.IsLatest, v.Size, v.VersionId === id]),
      [
        [true, 6, false],
        [false, 4, true],
      ],
    );
  });

  test("concurrent appends at the same position: exactly one wins, the other is PositionNotEqualToLength", async () => {
    assert.equal((await obs.appendObject!({ Bucket: "append-s3", Key: "race", Position: 0, Body: "0" })).CommonMsg.Status, 200);
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((body) => obs.appendObject!({ Bucket: "append-s3", Key: "race", Position: 1, Body: body.repeat(1000) })),
    );
    const ok = results.filter((r) => r.CommonMsg.Status === 200);
    assert.equal(ok.length, 1);
    for (const r of results.filter((x) => x.CommonMsg.Status !== 200)) assert.equal(r.CommonMsg.Code, "PositionNotEqualToLength");
    const got = await obs.getObject!({ Bucket: "append-s3", Key: "race" });
    assert.equal((got.InterfaceResult!.Content as Buffer).length, 1001);
  });
});

test("the store refuses the 10,001st append with ObjectNotAppendable", async () => {
  const db = openDatabase({ dataDir: "unused", inMemory: true });
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  const store = new ObsStore({ db, clock, ids: randomIds, dataDir: "unused", inMemory: true });
  try {
    store.createBucket({ domainId: "d", name: "many", location: "cn-north-4" });
    const put = (position: number) =>
      appendObject(store, clock, { bucket: "many", key: "k", position, body: Readable.from([Buffer.from("x")]), attributes: {} });
    const first = await put(0);
    assert.equal(first.row.append_count, 1);
    // 9,999 more appends are slow to make one by one; the row is brought to the limit directly.
    store.objects.put({ ...store.findObject("many", "k")!, append_count: MAX_APPENDS - 1 });
    assert.equal((await put(1)).row.append_count, MAX_APPENDS);
    await assert.rejects(put(2), (err: Error & { code?: string }) => err.code === "ObjectNotAppendable");
    assert.equal(store.findObject("many", "k")!.size, 2);
  } finally {
    store.close();
    db.close();
  }
});
