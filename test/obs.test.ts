// OBS through the real clients against a real hwlocal on port 0: @aws-sdk/client-s3 (path style, V4, OBS's
// documented checksum settings) and esdk-obs-nodejs (path style on 127.0.0.1: V2 signatures).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  UploadPartCopyCommand,
  GetBucketWebsiteCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { BucketLocationConstraint } from "@aws-sdk/client-s3";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { errorOf, ObsClient, s3Client, text, type EsdkClient } from "./helpers/obs-clients.ts";

const s3 = s3Client;

describe("OBS through @aws-sdk/client-s3", () => {
  let hw: TestHwlocal;
  let client: S3Client;
  before(async () => {
    hw = await startTestHwlocal({
      seed: { tenants: [{ domain: { name: "acme" }, access_key: { ak: "ACMEACCESSKEY0000001", sk: "acme-secret-key-0000000000000001" } }] },
    });
    client = s3(hw);
  });
  after(async () => {
    client.destroy();
    await hw.close();
  });

  test("buckets: create, head, location, list; a second create is fine, another domain's name is taken", async () => {
    await client.send(new CreateBucketCommand({ Bucket: "aws-bucket", CreateBucketConfiguration: { LocationConstraint: "cn-north-4" as BucketLocationConstraint } }));
    await client.send(new CreateBucketCommand({ Bucket: "aws-bucket" }));
    await client.send(new HeadBucketCommand({ Bucket: "aws-bucket" }));
    const loc = await client.send(new GetBucketLocationCommand({ Bucket: "aws-bucket" }));
    assert.equal(loc.LocationConstraint, "cn-north-4");
    const list = await client.send(new ListBucketsCommand({}));
    assert.ok(list.Buckets?.some((b) => b.Name === "aws-bucket"));
    assert.deepEqual(await errorOf(client.send(new HeadBucketCommand({ Bucket: "no-such-bucket" }))), { name: "NotFound", status: 404 });
    assert.equal((await errorOf(client.send(new CreateBucketCommand({ Bucket: "Bad_Name" })))).name, "InvalidBucketName");
  });

  test("objects: put with metadata, get, ranged and conditional get, head, copy, delete", async () => {
    await client.send(new CreateBucketCommand({ Bucket: "objects" }));
    const put = await client.send(
      new PutObjectCommand({ Bucket: "objects", Key: "dir/a b+ü.txt", Body: "hello world", ContentType: "text/plain", Metadata: { owner: "me" } }),
    );
    assert.equal(put.ETag, `"${createHash("md5").update("hello world").digest("hex")}"`);
    const got = await client.send(new GetObjectCommand({ Bucket: "objects", Key: "dir/a b+ü.txt" }));
    assert.equal(await text(got.Body), "hello world");
    assert.equal(got.ContentType, "text/plain");
    assert.deepEqual(got.Metadata, { owner: "me" });
    const ranged = await client.send(new GetObjectCommand({ Bucket: "objects", Key: "dir/a b+ü.txt", Range: "bytes=6-10" }));
    assert.equal(await text(ranged.Body), "world");
    assert.equal(ranged.ContentRange, "bytes 6-10/11");
    assert.equal((await errorOf(client.send(new GetObjectCommand({ Bucket: "objects", Key: "dir/a b+ü.txt", IfMatch: '"nope"' })))).status, 412);
    assert.equal((await errorOf(client.send(new GetObjectCommand({ Bucket: "objects", Key: "dir/a b+ü.txt", IfNoneMatch: put.ETag })))).status, 304);
    const head = await client.send(new HeadObjectCommand({ Bucket: "objects", Key: "dir/a b+ü.txt" }));
    assert.equal(head.ContentLength, 11);
    await client.send(new CopyObjectCommand({ Bucket: "objects", Key: "copy.txt", CopySource: "objects/dir/a%20b%2B%C3%BC.txt" }));
    assert.equal(await text((await client.send(new GetObjectCommand({ Bucket: "objects", Key: "copy.txt" }))).Body), "hello world");
    await client.send(new DeleteObjectCommand({ Bucket: "objects", Key: "copy.txt" }));
    assert.deepEqual(await errorOf(client.send(new GetObjectCommand({ Bucket: "objects", Key: "copy.txt" }))), { name: "NoSuchKey", status: 404 });
    assert.equal((await errorOf(client.send(new DeleteBucketCommand({ Bucket: "objects" })))).name, "BucketNotEmpty");
  });

  test("listing: 1,200 keys by pages with prefix and delimiter; DeleteObjects", async () => {
    await client.send(new CreateBucketCommand({ Bucket: "listing" }));
    const keys = Array.from({ length: 1200 }, (_, i) => `${i % 3 === 0 ? "logs/" : "data/"}${String(i).padStart(5, "0")}`);
    for (let i = 0; i < keys.length; i += 100) {
      await Promise.all(keys.slice(i, i + 100).map((Key) => client.send(new PutObjectCommand({ Bucket: "listing", Key, Body: Key }))));
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: "listing", Prefix: "data/", MaxKeys: 300, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    assert.deepEqual(seen, keys.filter((k) => k.startsWith("data/")).sort());
    const top = await client.send(new ListObjectsV2Command({ Bucket: "listing", Delimiter: "/" }));
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ["data/", "logs/"]);
    assert.equal(top.KeyCount, 2);
    const deleted = await client.send(
      new DeleteObjectsCommand({ Bucket: "listing", Delete: { Objects: keys.slice(0, 10).map((Key) => ({ Key })), Quiet: false } }),
    );
    assert.equal(deleted.Deleted?.length, 10);
  });

  test("multipart: two parts complete to ETag md5(parts)-2; a small non-last part is EntityTooSmall; abort", async () => {
    await client.send(new CreateBucketCommand({ Bucket: "multi" }));
    const part1 = randomBytes(150 * 1024);
    const part2 = randomBytes(1000);
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: "multi", Key: "big.bin" }));
    const e1 = await client.send(new UploadPartCommand({ Bucket: "multi", Key: "big.bin", UploadId, PartNumber: 1, Body: part1 }));
    const e2 = await client.send(new UploadPartCommand({ Bucket: "multi", Key: "big.bin", UploadId, PartNumber: 2, Body: part2 }));
    const parts = await client.send(new ListPartsCommand({ Bucket: "multi", Key: "big.bin", UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => p.PartNumber), [1, 2]);
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: "multi",
        Key: "big.bin",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1.ETag }, { PartNumber: 2, ETag: e2.ETag }] },
      }),
    );
    const md5s = Buffer.concat([part1, part2].map((p) => createHash("md5").update(p).digest()));
    assert.equal(done.ETag, `"${createHash("md5").update(md5s).digest("hex")}-2"`);
    const got = await client.send(new GetObjectCommand({ Bucket: "multi", Key: "big.bin" }));
    const bytes = Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    assert.ok(bytes.equals(Buffer.concat([part1, part2])));

    // CopyPart: the same object rebuilt from two ranges of big.bin, server-side.
    const copy = await client.send(new CreateMultipartUploadCommand({ Bucket: "multi", Key: "copy.bin" }));
    const whole = Buffer.concat([part1, part2]);
    const cut = 120 * 1024;
    const c1 = await client.send(
      new UploadPartCopyCommand({ Bucket: "multi", Key: "copy.bin", UploadId: copy.UploadId, PartNumber: 1, CopySource: "multi/big.bin", CopySourceRange: `bytes=0-${cut - 1}` }),
    );
    const c2 = await client.send(
      new UploadPartCopyCommand({ Bucket: "multi", Key: "copy.bin", UploadId: copy.UploadId, PartNumber: 2, CopySource: "multi/big.bin", CopySourceRange: `bytes=${cut}-${whole.length - 1}` }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: "multi",
        Key: "copy.bin",
        UploadId: copy.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: c1.CopyPartResult?.ETag }, { PartNumber: 2, ETag: c2.CopyPartResult?.ETag }] },
      }),
    );
    const copied = await client.send(new GetObjectCommand({ Bucket: "multi", Key: "copy.bin" }));
    assert.ok(Buffer.from(await (copied.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(whole));

    const small = await client.send(new CreateMultipartUploadCommand({ Bucket: "multi", Key: "small.bin" }));
    const s1 = await client.send(new UploadPartCommand({ Bucket: "multi", Key: "small.bin", UploadId: small.UploadId, PartNumber: 1, Body: "tiny" }));
    const s2 = await client.send(new UploadPartCommand({ Bucket: "multi", Key: "small.bin", UploadId: small.UploadId, PartNumber: 2, Body: "end" }));
    const tooSmall = client.send(
      new CompleteMultipartUploadCommand({
        Bucket: "multi",
        Key: "small.bin",
        UploadId: small.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.ETag }] },
      }),
    );
    assert.equal((await errorOf(tooSmall)).name, "EntityTooSmall");
    await client.send(new AbortMultipartUploadCommand({ Bucket: "multi", Key: "small.bin", UploadId: small.UploadId }));
    assert.equal((await errorOf(client.send(new ListPartsCommand({ Bucket: "multi", Key: "small.bin", UploadId: small.UploadId })))).name, "NoSuchUpload");
  });

  test("a wrong secret is SignatureDoesNotMatch; another tenant cannot read the bucket; unbuilt operations are 501 by name", async () => {
    const wrong = s3(hw, { ak: hw.admin.ak, sk: "not-the-secret" });
    assert.equal((await errorOf(wrong.send(new ListBucketsCommand({})))).name, "SignatureDoesNotMatch");
    wrong.destroy();
    assert.deepEqual(await errorOf(client.send(new GetBucketWebsiteCommand({ Bucket: "aws-bucket" }))), { name: "ServiceNotImplemented", status: 501 });
    const other = s3(hw, { ak: "ACMEACCESSKEY0000001", sk: "acme-secret-key-0000000000000001" });
    // A bodiless HEAD error reaches the AWS SDK as its status only.
    assert.deepEqual(await errorOf(other.send(new HeadBucketCommand({ Bucket: "aws-bucket" }))), { name: "Unknown", status: 403 });
    assert.equal((await errorOf(other.send(new ListObjectsV2Command({ Bucket: "aws-bucket" })))).name, "AccessDenied");
    assert.equal((await errorOf(other.send(new CreateBucketCommand({ Bucket: "aws-bucket" })))).name, "BucketAlreadyExists");
    other.destroy();
    // Requests signed as the Huawei SDKs sign go on to their services, untouched by OBS.
    assert.equal((await hw.call("GET", "/iam/v3/projects")).status, 200);
  });
});

describe("OBS through esdk-obs-nodejs (path style, V2)", () => {
  let hw: TestHwlocal;
  let obs: EsdkClient;
  before(async () => {
    hw = await startTestHwlocal();
    obs = new ObsClient({ access_key_id: hw.admin.ak, secret_access_key: hw.admin.sk, server: hw.url });
  });
  after(async () => {
    obs.close();
    await hw.close();
  });

  test("create a bucket, put, get, list and delete objects", async () => {
    assert.equal((await obs.createBucket!({ Bucket: "esdk-bucket" })).CommonMsg.Status, 200);
    assert.equal((await obs.putObject!({ Bucket: "esdk-bucket", Key: "dir/hello.txt", Body: "hello from esdk" })).CommonMsg.Status, 200);
    const got = await obs.getObject!({ Bucket: "esdk-bucket", Key: "dir/hello.txt" });
    assert.equal(got.CommonMsg.Status, 200);
    assert.equal(String(got.InterfaceResult!.Content), "hello from esdk");
    const listed = await obs.listObjects!({ Bucket: "esdk-bucket", Prefix: "dir/" });
    assert.deepEqual((listed.InterfaceResult!.Contents as { Key: string }[]).map((o) => o.Key), ["dir/hello.txt"]);
    const missing = await obs.getObject!({ Bucket: "esdk-bucket", Key: "nope" });
    assert.equal(missing.CommonMsg.Status, 404);
    assert.equal(missing.CommonMsg.Code, "NoSuchKey");
    const set = await obs.setObjectMetadata!({
      Bucket: "esdk-bucket",
      Key: "dir/hello.txt",
      MetadataDirective: "REPLACE_NEW",
      ContentType: "text/html",
      Metadata: { team: "storage" },
    });
    assert.equal(set.CommonMsg.Status, 200, JSON.stringify(set.CommonMsg));
    const meta = await obs.getObjectMetadata!({ Bucket: "esdk-bucket", Key: "dir/hello.txt" });
    assert.equal(meta.InterfaceResult!.ContentType, "text/html");
    assert.deepEqual(meta.InterfaceResult!.Metadata, { team: "storage" });
    assert.equal(String((await obs.getObject!({ Bucket: "esdk-bucket", Key: "dir/hello.txt" })).InterfaceResult!.Content), "hello from esdk");
    assert.equal((await obs.deleteObject!({ Bucket: "esdk-bucket", Key: "dir/hello.txt" })).CommonMsg.Status, 204);
    assert.equal((await obs.deleteBucket!({ Bucket: "esdk-bucket" })).CommonMsg.Status, 204);
  });
});

describe("OBS browser form uploads (PostObject) with esdk-obs-nodejs policies", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(async () => {
    await hw.close();
  });

  test("a V2 and a V4 policy form upload the file; a tampered policy and an unlisted field are refused", async () => {
    const obs = new ObsClient({ access_key_id: hw.admin.ak, secret_access_key: hw.admin.sk, server: hw.url }) as EsdkClient & {
      createPostSignatureSync(p: Record<string, unknown>): { Policy: string; Signature: string };
      createV4PostSignatureSync(p: Record<string, unknown>): { Policy: string; Signature: string; Algorithm: string; Credential: string; Date: string };
    };
    await new Promise((resolve) => setImmediate(resolve)); // esdk finishes its set-up after a turn
    assert.equal((await obs.createBucket!({ Bucket: "forms" })).CommonMsg.Status, 200);
    const post = (fields: Record<string, string>, content = "form body") => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append("file", new Blob([content]), "local.txt");
      return fetch(`${hw.url}/forms`, { method: "POST", body: form });
    };
    const formParams = { "content-type": "text/plain", success_action_status: "201" };
    const v2 = obs.createPostSignatureSync({ Bucket: "forms", Key: "v2.txt", Expires: 3600, FormParams: formParams });
    const v2Fields = { key: "v2.txt", ...formParams, policy: v2.Policy, AWSAccessKeyId: hw.admin.ak, signature: v2.Signature };
    const ok = await post(v2Fields);
    assert.equal(ok.status, 201, await ok.clone().text());
    assert.match(await ok.text(), /<Key>v2\.txt<\/Key>/);
    const got = await obs.getObject!({ Bucket: "forms", Key: "v2.txt" });
    assert.equal(String(got.InterfaceResult!.Content), "form body");

    const v4 = obs.createV4PostSignatureSync({ Bucket: "forms", Key: "v4.txt", Expires: 3600, FormParams: { "content-type": "text/plain" } });
    const v4Fields = {
      key: "v4.txt",
      "content-type": "text/plain",
      policy: v4.Policy,
      "X-Amz-Algorithm": v4.Algorithm,
      "X-Amz-Credential": v4.Credential,
      "X-Amz-Date": v4.Date,
      "X-Amz-Signature": v4.Signature,
    };
    assert.equal((await post(v4Fields)).status, 204);
    const refused = await post({ ...v2Fields, key: "other.txt" });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /<Code>InvalidPolicyDocument<\/Code>/);
    const tampered = await post({ ...v2Fields, signature: `A${v2Fields.signature.slice(1)}` });
    assert.equal(tampered.status, 403);
    assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    const listed = await obs.listObjects!({ Bucket: "forms" });
    assert.deepEqual((listed.InterfaceResult!.Contents as { Key: string }[]).map((o) => o.Key), ["v2.txt", "v4.txt"]);

    // success_action_redirect: a 303 to the page with bucket, key and etag added.
    const redirect = "https://app.example/uploaded?from=form";
    const r = obs.createPostSignatureSync({ Bucket: "forms", Key: "r.txt", Expires: 3600, FormParams: { success_action_redirect: redirect } });
    const redirected = await fetch(`${hw.url}/forms`, {
      method: "POST",
      redirect: "manual",
      body: (() => {
        const form = new FormData();
        for (const [k, v] of Object.entries({ key: "r.txt", success_action_redirect: redirect, policy: r.Policy, AWSAccessKeyId: hw.admin.ak, signature: r.Signature })) {
          form.append(k, v);
        }
        form.append("file", new Blob(["redirected"]), "r.txt");
        return form;
      })(),
    });
    assert.equal(redirected.status, 303);
    const to = new URL(redirected.headers.get("location")!);
    assert.equal(`${to.origin}${to.pathname}`, "https://app.example/uploaded");
    assert.deepEqual([to.searchParams.get("from"), to.searchParams.get("bucket"), to.searchParams.get("key")], ["form", "forms", "r.txt"]);
    assert.equal(to.searchParams.get("etag"), `"${createHash("md5").update("redirected").digest("hex")}"`);

    // A file under the policy's content-length-range is refused before it replaces what the key held.
    const policy = Buffer.from(
      JSON.stringify({ expiration: new Date(Date.now() + 3_600_000).toISOString(), conditions: [{ bucket: "forms" }, { key: "v2.txt" }, ["content-length-range", 5, 100]] }),
    ).toString("base64");
    const signature = createHmac("sha1", hw.admin.sk).update(policy).digest("base64");
    const small = await post({ key: "v2.txt", policy, AWSAccessKeyId: hw.admin.ak, signature }, "tiny");
    assert.equal(small.status, 400, await small.clone().text());
    assert.equal(String((await obs.getObject!({ Bucket: "forms", Key: "v2.txt" })).InterfaceResult!.Content), "form body");
    obs.close();
  });
});
