// OBS bucket configuration through the real clients: CORS (set, get, delete, the OPTIONS preflight signed by
// esdk-obs-nodejs and unsigned as a browser sends it on a bucket host, Access-Control-* headers on actual
// requests and on HEAD bucket), bucket and object tags (the x-amz-tagging header of a PUT too), the default
// storage class in esdk's V2 and OBS modes, quota (enforced on PUT) and storage info.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { LookupAddress } from "node:dns";
import { Agent, request } from "node:http";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCorsCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectTaggingCommand,
  GetBucketCorsCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type CORSRule,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { errorOf, esdkClient, ObsClient, s3Client, type EsdkClient, type EsdkResult } from "./helpers/obs-clients.ts";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request to hwlocal (unsigned unless the URL is presigned), with any Host and headers. */
function raw(hw: TestHwlocal, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: hw.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** OBS requires Content-MD5 on PUT ?cors and ?tagging; the AWS SDK sends a CRC32 instead, so users add it. */
function withContentMd5(client: S3Client): S3Client {
  client.middlewareStack.add(
    (next) => async (args) => {
      const r = args.request as { headers: Record<string, string>; body?: unknown; query?: Record<string, unknown> };
      if (typeof r.body === "string" && r.query && ("cors" in r.query || "tagging" in r.query)) {
        r.headers["content-md5"] = createHash("md5").update(r.body).digest("base64");
      }
      return next(args);
    },
    { step: "build", name: "obsConfigContentMd5" },
  );
  return client;
}

function ok(r: EsdkResult): Record<string, unknown> {
  assert.ok(r.CommonMsg.Status < 300, `${r.CommonMsg.Status} ${r.CommonMsg.Code ?? ""} ${r.CommonMsg.Message ?? ""}`);
  return r.InterfaceResult ?? {};
}

function fails(r: EsdkResult, status: number, code: string): void {
  assert.equal(r.CommonMsg.Status, status, `${r.CommonMsg.Code ?? ""} ${r.CommonMsg.Message ?? ""}`);
  assert.equal(r.CommonMsg.Code, code);
}

let hw: TestHwlocal;
before(async () => {
  hw = await startTestHwlocal();
});
after(async () => {
  await hw.close();
});

describe("through @aws-sdk/client-s3", () => {
  let plain: S3Client;
  let client: S3Client;
  before(async () => {
    plain = s3Client(hw);
    client = withContentMd5(s3Client(hw));
    await client.send(new CreateBucketCommand({ Bucket: "cfg-aws" }));
  });
  after(() => {
    plain.destroy();
    client.destroy();
  });

  test("CORS: put (Content-MD5 required), get, an actual GET with a matching Origin, delete, bad rules", async () => {
    const CORSConfiguration = {
      CORSRules: [
        { ID: "web", AllowedMethods: ["GET", "PUT"], AllowedOrigins: ["https://*.example.com"], AllowedHeaders: ["x-amz-*"], MaxAgeSeconds: 300, ExposeHeaders: ["ETag"] },
      ],
    };
    assert.deepEqual(await errorOf(plain.send(new PutBucketCorsCommand({ Bucket: "cfg-aws", CORSConfiguration }))), { name: "InvalidRequest", status: 400 });
    await client.send(new PutBucketCorsCommand({ Bucket: "cfg-aws", CORSConfiguration }));
    const got = await client.send(new GetBucketCorsCommand({ Bucket: "cfg-aws" }));
    assert.deepEqual(got.CORSRules, CORSConfiguration.CORSRules);

    await client.send(new PutObjectCommand({ Bucket: "cfg-aws", Key: "page.html", Body: "<p>hi</p>" }));
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: "cfg-aws", Key: "page.html" }), { expiresIn: 300 });
    const u = new URL(url);
    const hit = await raw(hw, "GET", u.pathname + u.search, { Origin: "https://app.example.com" });
    assert.equal(hit.status, 200);
    assert.equal(hit.body, "<p>hi</p>");
    assert.equal(hit.headers["access-control-allow-origin"], "https://app.example.com");
    assert.equal(hit.headers["access-control-expose-headers"], "ETag");
    const miss = await raw(hw, "GET", u.pathname + u.search, { Origin: "https://evil.test" });
    assert.equal(miss.status, 200);
    assert.equal(miss.headers["access-control-allow-origin"], undefined);
    // An error answer to a matching Origin carries the headers too (a browser can read the error).
    const gone = new URL(await getSignedUrl(client, new GetObjectCommand({ Bucket: "cfg-aws", Key: "none" }), { expiresIn: 300 }));
    const missing = await raw(hw, "GET", gone.pathname + gone.search, { Origin: "https://app.example.com" });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers["access-control-allow-origin"], "https://app.example.com");

    const bad = (rule: CORSRule) => client.send(new PutBucketCorsCommand({ Bucket: "cfg-aws", CORSConfiguration: { CORSRules: [rule] } }));
    assert.deepEqual(await errorOf(bad({ AllowedMethods: ["PATCH"], AllowedOrigins: ["*"] })), { name: "InvalidArgument", status: 400 });
    assert.deepEqual(await errorOf(bad({ AllowedMethods: ["GET"], AllowedOrigins: ["*a*b"] })), { name: "InvalidArgument", status: 400 });
    assert.deepEqual(await errorOf(bad({ AllowedMethods: ["GET"], AllowedOrigins: [] })), { name: "MalformedXML", status: 400 });

    await client.send(new DeleteBucketCorsCommand({ Bucket: "cfg-aws" }));
    assert.deepEqual(await errorOf(client.send(new GetBucketCorsCommand({ Bucket: "cfg-aws" }))), { name: "NoSuchCORSConfiguration", status: 404 });
    assert.deepEqual(await errorOf(client.send(new GetBucketCorsCommand({ Bucket: "cfg-none" }))), { name: "NoSuchBucket", status: 404 });
  });

  test("bucket tags: put, get, delete; none is NoSuchTagSet; OBS's limits are InvalidTagError", async () => {
    assert.deepEqual(await errorOf(client.send(new GetBucketTaggingCommand({ Bucket: "cfg-aws" }))), { name: "NoSuchTagSet", status: 404 });
    const TagSet = [
      { Key: "team", Value: "storage" },
      { Key: "env", Value: "" },
    ];
    await client.send(new PutBucketTaggingCommand({ Bucket: "cfg-aws", Tagging: { TagSet } }));
    assert.deepEqual((await client.send(new GetBucketTaggingCommand({ Bucket: "cfg-aws" }))).TagSet, TagSet);
    const put = (tags: { Key: string; Value: string }[]) => client.send(new PutBucketTaggingCommand({ Bucket: "cfg-aws", Tagging: { TagSet: tags } }));
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    assert.deepEqual(await errorOf(put(eleven)), { name: "InvalidTagError", status: 400 });
    assert.equal((await errorOf(put([{ Key: "a=b", Value: "v" }]))).name, "InvalidTagError");
    assert.equal((await errorOf(put([{ Key: "k".repeat(37), Value: "v" }]))).name, "InvalidTagError");
    assert.equal((await errorOf(put([{ Key: "k", Value: "v".repeat(44) }]))).name, "InvalidTagError");
    assert.equal((await errorOf(put([{ Key: "k", Value: "1" }, { Key: "k", Value: "2" }]))).name, "InvalidTagError");
    await client.send(new DeleteBucketTaggingCommand({ Bucket: "cfg-aws" }));
    assert.equal((await errorOf(client.send(new GetBucketTaggingCommand({ Bucket: "cfg-aws" })))).name, "NoSuchTagSet");
  });

  test("object tags: PutObject with Tagging, TagCount on GET, put, get and delete ?tagging, a missing key", async () => {
    await client.send(new PutObjectCommand({ Bucket: "cfg-aws", Key: "tagged", Body: "x", Tagging: "a=1&b=two%20words" }));
    assert.deepEqual((await client.send(new GetObjectTaggingCommand({ Bucket: "cfg-aws", Key: "tagged" }))).TagSet, [
      { Key: "a", Value: "1" },
      { Key: "b", Value: "two words" },
    ]);
    const get = await client.send(new GetObjectCommand({ Bucket: "cfg-aws", Key: "tagged" }));
    assert.equal(get.TagCount, 2);
    await get.Body?.transformToString();
    await client.send(new PutObjectTaggingCommand({ Bucket: "cfg-aws", Key: "tagged", Tagging: { TagSet: [{ Key: "c", Value: "3" }] } }));
    assert.deepEqual((await client.send(new GetObjectTaggingCommand({ Bucket: "cfg-aws", Key: "tagged" }))).TagSet, [{ Key: "c", Value: "3" }]);
    await client.send(new DeleteObjectTaggingCommand({ Bucket: "cfg-aws", Key: "tagged" }));
    assert.deepEqual((await client.send(new GetObjectTaggingCommand({ Bucket: "cfg-aws", Key: "tagged" }))).TagSet ?? [], []);
    assert.deepEqual(await errorOf(client.send(new GetObjectTaggingCommand({ Bucket: "cfg-aws", Key: "nope" }))), { name: "NoSuchKey", status: 404 });
    assert.equal(
      (await errorOf(client.send(new PutObjectTaggingCommand({ Bucket: "cfg-aws", Key: "nope", Tagging: { TagSet: [{ Key: "c", Value: "3" }] } })))).name,
      "NoSuchKey",
    );
    const many = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join("&");
    assert.deepEqual(await errorOf(client.send(new PutObjectCommand({ Bucket: "cfg-aws", Key: "t2", Body: "x", Tagging: many }))), { name: "InvalidTagError", status: 400 });
  });
});

test("multipart through the AWS SDK: the upload takes the bucket's class, Complete is held to the quota", async () => {
  const client = s3Client(hw);
  const esdk = esdkClient(hw);
  try {
    await client.send(new CreateBucketCommand({ Bucket: "cfg-mp" }));
    ok(await esdk.setBucketQuota!({ Bucket: "cfg-mp", StorageQuota: 150_000 }));
    ok(await esdk.setBucketStoragePolicy!({ Bucket: "cfg-mp", StorageClass: "WARM" }));
    const at = { Bucket: "cfg-mp", Key: "big" };
    const { UploadId } = await client.send(new CreateMultipartUploadCommand(at));
    const body = "a".repeat(100 * 1024);
    const Parts: { PartNumber: number; ETag: string | undefined }[] = [];
    for (const PartNumber of [1, 2]) Parts.push({ PartNumber, ETag: (await client.send(new UploadPartCommand({ ...at, UploadId, PartNumber, Body: body }))).ETag });
    const complete = () => client.send(new CompleteMultipartUploadCommand({ ...at, UploadId, MultipartUpload: { Parts } }));
    assert.deepEqual(await errorOf(complete()), { name: "InsufficientStorageSpace", status: 403 });
    ok(await esdk.setBucketQuota!({ Bucket: "cfg-mp", StorageQuota: 300_000 }));
    await complete();
    const head = await client.send(new HeadObjectCommand(at));
    assert.equal(head.ContentLength, 200 * 1024);
    assert.equal(head.StorageClass, "STANDARD_IA");
  } finally {
    client.destroy();
    esdk.close();
  }
});

describe("through esdk-obs-nodejs", () => {
  let v2: EsdkClient;
  let obs: EsdkClient;
  let agent: Agent;
  before(async () => {
    v2 = esdkClient(hw);
    // esdk speaks the OBS dialect only to a host name (virtual-host style, after HEAD /?apiversion): every
    // name resolves to 127.0.0.1 here, as a wildcard DNS entry for *.obs.cn-north-4.… would.
    agent = new Agent({
      keepAlive: true,
      lookup: (_host, options, callback) => {
        const cb = callback as (err: Error | null, address: string | LookupAddress[], family?: number) => void;
        if ((options as { all?: boolean }).all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
        else cb(null, "127.0.0.1", 4);
      },
    });
    obs = new ObsClient({
      access_key_id: hw.admin.ak,
      secret_access_key: hw.admin.sk,
      server: `http://obs.cn-north-4.myhuaweicloud.com:${hw.port}`,
      signature: "obs",
      http_agent: agent,
    });
    await new Promise((r) => setImmediate(r));
    ok(await v2.createBucket!({ Bucket: "cfg-esdk" }));
  });
  after(() => {
    v2.close();
    obs.close();
    agent.destroy();
  });

  test("CORS: set, get, the preflight (esdk's signed one, a browser's unsigned one on the bucket host), HEAD bucket with Origin, delete", async () => {
    // Without CORS the preflight is refused.
    const noCors = await raw(hw, "OPTIONS", "/", { Host: `cfg-esdk.obs.cn-north-4.myhuaweicloud.com:${hw.port}`, Origin: "https://a.test", "Access-Control-Request-Method": "GET" });
    assert.equal(noCors.status, 403);
    assert.match(noCors.body, /<Code>AccessForbidden<\/Code>/);

    const CorsRules = [
      { ID: "r1", AllowedMethod: ["GET", "HEAD"], AllowedOrigin: ["https://a.test"], AllowedHeader: ["*"], MaxAgeSeconds: 60, ExposeHeader: ["x-obs-request-id"] },
      { ID: "r2", AllowedMethod: ["PUT", "POST", "DELETE"], AllowedOrigin: ["*"], AllowedHeader: ["content-type"], ExposeHeader: [] },
    ];
    ok(await v2.setBucketCors!({ Bucket: "cfg-esdk", CorsRules }));
    const got = ok(await obs.getBucketCors!({ Bucket: "cfg-esdk" }));
    const rules = got["CorsRules"] as Record<string, unknown>[];
    assert.equal(rules.length, 2);
    assert.deepEqual(rules[0]!["AllowedMethod"], ["GET", "HEAD"]);
    assert.deepEqual(rules[0]!["AllowedOrigin"], ["https://a.test"]);
    assert.equal(String(rules[0]!["MaxAgeSeconds"]), "60");
    assert.deepEqual(rules[1]!["AllowedHeader"], ["content-type"]);

    const pre = ok(await v2.optionsBucket!({ Bucket: "cfg-esdk", Origin: "https://a.test", AccessControlRequestMethods: ["GET"], AccessControlRequestHeaders: ["x-custom"] }));
    assert.equal(pre["AllowOrigin"], "https://a.test");
    assert.equal(pre["AllowMethod"], "GET,HEAD");
    assert.equal(pre["AllowHeader"], "x-custom");
    assert.equal(pre["MaxAgeSeconds"], "60");
    assert.equal(pre["ExposeHeader"], "x-obs-request-id");
    const preObj = ok(await obs.optionsObject!({ Bucket: "cfg-esdk", Key: "dir/file.txt", Origin: "https://b.test", AccessControlRequestMethods: ["PUT"], AccessControlRequestHeaders: ["Content-Type"] }));
    assert.equal(preObj["AllowOrigin"], "https://b.test");
    assert.equal(preObj["AllowMethod"], "PUT,POST,DELETE");
    fails(await v2.optionsObject!({ Bucket: "cfg-esdk", Key: "k", Origin: "https://b.test", AccessControlRequestMethods: ["GET"] }), 403, "AccessForbidden");
    fails(await v2.optionsBucket!({ Bucket: "cfg-esdk", Origin: "https://b.test", AccessControlRequestMethods: ["PUT"], AccessControlRequestHeaders: ["x-other"] }), 403, "AccessForbidden");

    // A browser's preflight: unsigned, the bucket in the Host.
    const host = `cfg-esdk.obs.cn-north-4.myhuaweicloud.com:${hw.port}`;
    const browser = await raw(hw, "OPTIONS", "/some/key.txt", { Host: host, Origin: "https://a.test", "Access-Control-Request-Method": "GET" });
    assert.equal(browser.status, 200);
    assert.equal(browser.headers["access-control-allow-origin"], "https://a.test");
    assert.equal(browser.headers["access-control-max-age"], "60");
    // …and path style on 127.0.0.1, recognised as OBS because its first segment names an existing bucket.
    const pathStyle = await raw(hw, "OPTIONS", "/cfg-esdk/some/key.txt", { Origin: "https://a.test", "Access-Control-Request-Method": "HEAD" });
    assert.equal(pathStyle.status, 200);
    assert.equal(pathStyle.headers["access-control-allow-methods"], "GET,HEAD");
    const refused = await raw(hw, "OPTIONS", "/", { Host: host, Origin: "https://c.test", "Access-Control-Request-Method": "GET" });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /<Code>AccessForbidden<\/Code>/);
    const noOrigin = await raw(hw, "OPTIONS", "/", { Host: host, "Access-Control-Request-Method": "GET" });
    assert.equal(noOrigin.status, 400);
    assert.match(noOrigin.body, /Origin request header needed/);
    const noMethod = await raw(hw, "OPTIONS", "/", { Host: host, Origin: "https://a.test" });
    assert.equal(noMethod.status, 400);
    assert.match(noMethod.body, /Invalid Access-Control-Request-Method: null/);
    const noBucket = await raw(hw, "OPTIONS", "/", { Host: `cfg-missing.obs.cn-north-4.myhuaweicloud.com:${hw.port}`, Origin: "https://a.test", "Access-Control-Request-Method": "GET" });
    assert.equal(noBucket.status, 404);

    const meta = ok(await v2.getBucketMetadata!({ Bucket: "cfg-esdk", Origin: "https://a.test", RequestHeader: "x-custom" }));
    assert.equal(meta["AllowOrigin"], "https://a.test");
    assert.equal(meta["AllowMethod"], "GET,HEAD");
    assert.equal(meta["ExposeHeader"], "x-obs-request-id");
    assert.equal(ok(await v2.getBucketMetadata!({ Bucket: "cfg-esdk", Origin: "https://z.test" }))["AllowOrigin"], undefined);

    ok(await obs.deleteBucketCors!({ Bucket: "cfg-esdk" }));
    fails(await v2.getBucketCors!({ Bucket: "cfg-esdk" }), 404, "NoSuchCORSConfiguration");
    fails(await v2.optionsBucket!({ Bucket: "cfg-esdk", Origin: "https://a.test", AccessControlRequestMethods: ["GET"] }), 403, "AccessForbidden");
  });

  test("bucket and object tags", async () => {
    fails(await obs.getBucketTagging!({ Bucket: "cfg-esdk" }), 404, "NoSuchTagSet");
    ok(await obs.setBucketTagging!({ Bucket: "cfg-esdk", Tags: [{ Key: "owner", Value: "me" }] }));
    assert.deepEqual(ok(await v2.getBucketTagging!({ Bucket: "cfg-esdk" }))["Tags"], [{ Key: "owner", Value: "me" }]);
    fails(await v2.setBucketTagging!({ Bucket: "cfg-esdk", Tags: [{ Key: "a*", Value: "x" }] }), 400, "InvalidTagError");
    ok(await v2.deleteBucketTagging!({ Bucket: "cfg-esdk" }));
    fails(await v2.getBucketTagging!({ Bucket: "cfg-esdk" }), 404, "NoSuchTagSet");

    ok(await v2.putObject!({ Bucket: "cfg-esdk", Key: "obj", Body: "hello" }));
    ok(await obs.setObjectTagging!({ Bucket: "cfg-esdk", Key: "obj", Tags: [{ Key: "k", Value: "v" }] }));
    assert.deepEqual(ok(await obs.getObjectTagging!({ Bucket: "cfg-esdk", Key: "obj" }))["Tags"], [{ Key: "k", Value: "v" }]);
    ok(await v2.deleteObjectTagging!({ Bucket: "cfg-esdk", Key: "obj" }));
    assert.deepEqual(ok(await v2.getObjectTagging!({ Bucket: "cfg-esdk", Key: "obj" }))["Tags"] ?? [], []);
    fails(await v2.getObjectTagging!({ Bucket: "cfg-esdk", Key: "missing" }), 404, "NoSuchKey");
  });

  test("storage policy in the V2 and OBS dialects; objects inherit the bucket's class", async () => {
    ok(await v2.createBucket!({ Bucket: "cfg-class" }));
    assert.equal(ok(await v2.getBucketStoragePolicy!({ Bucket: "cfg-class" }))["StorageClass"], "STANDARD");
    ok(await v2.setBucketStoragePolicy!({ Bucket: "cfg-class", StorageClass: "WARM" })); // esdk sends STANDARD_IA in V2
    assert.equal(ok(await v2.getBucketStoragePolicy!({ Bucket: "cfg-class" }))["StorageClass"], "STANDARD_IA");
    assert.equal(ok(await obs.getBucketStoragePolicy!({ Bucket: "cfg-class" }))["StorageClass"], "WARM");
    ok(await obs.setBucketStoragePolicy!({ Bucket: "cfg-class", StorageClass: "COLD" }));
    assert.equal(ok(await obs.getBucketStoragePolicy!({ Bucket: "cfg-class" }))["StorageClass"], "COLD");
    assert.equal(ok(await v2.getBucketStoragePolicy!({ Bucket: "cfg-class" }))["StorageClass"], "GLACIER");
    // HEAD bucket (getBucketMetadata) answers the default class in each dialect's header.
    assert.equal(ok(await obs.getBucketMetadata!({ Bucket: "cfg-class" }))["StorageClass"], "COLD");
    assert.equal(ok(await v2.getBucketMetadata!({ Bucket: "cfg-class" }))["StorageClass"], "GLACIER");
    fails(await obs.setBucketStoragePolicy!({ Bucket: "cfg-class", StorageClass: "FROZEN" }), 400, "InvalidStorageClass");
    fails(await obs.getBucketStoragePolicy!({ Bucket: "cfg-nobucket" }), 404, "NoSuchBucket");

    ok(await obs.putObject!({ Bucket: "cfg-class", Key: "inherits", Body: "x" }));
    assert.equal(ok(await obs.getObjectMetadata!({ Bucket: "cfg-class", Key: "inherits" }))["StorageClass"], "COLD");
    ok(await obs.putObject!({ Bucket: "cfg-class", Key: "own", Body: "x", StorageClass: "STANDARD" }));
    assert.equal(ok(await obs.getObjectMetadata!({ Bucket: "cfg-class", Key: "own" }))["StorageClass"], undefined);
  });

  test("quota and storage info: PUTs past the quota are InsufficientStorageSpace", async () => {
    ok(await v2.createBucket!({ Bucket: "cfg-quota" }));
    assert.equal(String(ok(await v2.getBucketQuota!({ Bucket: "cfg-quota" }))["StorageQuota"]), "0");
    ok(await obs.setBucketQuota!({ Bucket: "cfg-quota", StorageQuota: 10 }));
    assert.equal(String(ok(await v2.getBucketQuota!({ Bucket: "cfg-quota" }))["StorageQuota"]), "10");
    ok(await v2.putObject!({ Bucket: "cfg-quota", Key: "a", Body: "123456" }));
    fails(await v2.putObject!({ Bucket: "cfg-quota", Key: "b", Body: "12345" }), 403, "InsufficientStorageSpace");
    ok(await v2.putObject!({ Bucket: "cfg-quota", Key: "a", Body: "1234567890" })); // replacing counts the old size out
    ok(await obs.putObject!({ Bucket: "cfg-quota", Key: "a", Body: "123" }));
    ok(await obs.putObject!({ Bucket: "cfg-quota", Key: "b", Body: "4567" }));
    const info = ok(await obs.getBucketStorageInfo!({ Bucket: "cfg-quota" }));
    assert.equal(String(info["Size"]), "7");
    assert.equal(String(info["ObjectNumber"]), "2");
    const v2info = ok(await v2.getBucketStorageInfo!({ Bucket: "cfg-quota" }));
    assert.equal(String(v2info["ObjectNumber"]), "2");
    fails(await v2.setBucketQuota!({ Bucket: "cfg-quota", StorageQuota: -1 }), 400, "InvalidArgument");
    fails(await v2.setBucketQuota!({ Bucket: "cfg-quota", StorageQuota: "ten" }), 400, "InvalidArgument");
    ok(await v2.setBucketQuota!({ Bucket: "cfg-quota", StorageQuota: 0 }));
    ok(await v2.putObject!({ Bucket: "cfg-quota", Key: "c", Body: "no limit any more" }));
    fails(await v2.getBucketStorageInfo!({ Bucket: "cfg-nobucket" }), 404, "NoSuchBucket");
  });
});
