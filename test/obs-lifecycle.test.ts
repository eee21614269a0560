// OBS bucket lifecycle through @aws-sdk/client-s3 (Put/Get/DeleteBucketLifecycleConfiguration, with the
// Content-MD5 OBS requires added as users add it) and esdk-obs-nodejs (set/get/deleteBucketLifecycle), and
// its execution on hwlocal's clock: the control plane sets and advances the clock, and objects under a
// rule's prefix are gone at the documented midnight while others stay; an old multipart upload is aborted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { errorOf, esdkClient, s3Client, type EsdkClient } from "./helpers/obs-clients.ts";

/** The S3 client with Content-MD5 on lifecycle bodies (the AWS SDK sends a CRC32 checksum, which OBS does not take). */
function lifecycleClient(hw: TestHwlocal): S3Client {
  const client = s3Client(hw);
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: unknown };
      if (typeof request.body === "string" && request.body.includes("<LifecycleConfiguration")) {
        request.headers["content-md5"] = createHash("md5").update(request.body).digest("base64");
      }
      return next(args);
    },
    { step: "build", name: "lifecycleContentMd5" },
  );
  return client;
}

async function setClock(hw: TestHwlocal, iso: string): Promise<void> {
  assert.equal((await hw.call("POST", "/_hwlocal/clock", { creds: null, body: { now: iso } })).status, 200);
}

async function advanceHours(hw: TestHwlocal, hours: number): Promise<void> {
  assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: hours * 3600 } })).status, 200);
}

describe("lifecycle through @aws-sdk/client-s3", () => {
  let hw: TestHwlocal;
  let client: S3Client;
  before(async () => {
    hw = await startTestHwlocal();
    client = lifecycleClient(hw);
    await client.send(new CreateBucketCommand({ Bucket: "lc-s3" }));
  });
  after(async () => {
    client.destroy();
    await hw.close();
  });

  const keys = async () => ((await client.send(new ListObjectsV2Command({ Bucket: "lc-s3" }))).Contents ?? []).map((o) => o.Key).sort();
  const uploads = async () => ((await client.send(new ListMultipartUploadsCommand({ Bucket: "lc-s3" }))).Uploads ?? []).length;

  test("set, get and delete; none set is 404 NoSuchLifecycleConfiguration", async () => {
    assert.deepEqual(await errorOf(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lc-s3" }))), {
      name: "NoSuchLifecycleConfiguration",
      status: 404,
    });
    const rules: LifecycleRule[] = [
      { ID: "logs", Filter: { Prefix: "logs/" }, Status: "Enabled", Expiration: { Days: 2 } },
      { ID: "uploads", Filter: { Prefix: "" }, Status: "Enabled", AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      { ID: "off", Filter: { Prefix: "keep/" }, Status: "Disabled", Expiration: { Days: 1 } },
      { ID: "dated", Filter: { Prefix: "tmp/" }, Status: "Enabled", Expiration: { Date: new Date("2031-01-01T00:00:00Z") } },
    ];
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: "lc-s3", LifecycleConfiguration: { Rules: rules } }));
    const got = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lc-s3" }));
    assert.deepEqual(
      got.Rules?.map((r) => [r.ID, r.Filter?.Prefix, r.Status, r.Expiration?.Days, r.Expiration?.Date?.toISOString(), r.AbortIncompleteMultipartUpload?.DaysAfterInitiation]),
      [
        ["logs", "logs/", "Enabled", 2, undefined, undefined],
        ["uploads", "", "Enabled", undefined, undefined, 1],
        ["off", "keep/", "Disabled", 1, undefined, undefined],
        ["dated", "tmp/", "Enabled", undefined, "2031-01-01T00:00:00.000Z", undefined],
      ],
    );
    await client.send(new DeleteBucketLifecycleCommand({ Bucket: "lc-s3" }));
    assert.equal((await errorOf(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lc-s3" })))).name, "NoSuchLifecycleConfiguration");
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: "lc-s3", LifecycleConfiguration: { Rules: rules } }));
  });

  test("bad configurations are 400s: no Content-MD5, a wrong one, repeated IDs, zero days, a date off midnight, no action", async () => {
    const plain = s3Client(hw);
    const one = (rule: Partial<LifecycleRule>) =>
      new PutBucketLifecycleConfigurationCommand({
        Bucket: "lc-s3",
        LifecycleConfiguration: { Rules: [{ ID: "r", Filter: { Prefix: "" }, Status: "Enabled", ...rule }] },
      });
    assert.deepEqual(await errorOf(plain.send(one({ Expiration: { Days: 1 } }))), { name: "InvalidRequest", status: 400 });
    plain.destroy();
    const wrong = s3Client(hw);
    wrong.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers["content-md5"] = createHash("md5").update("other").digest("base64");
        return next(args);
      },
      { step: "build", name: "wrongMd5" },
    );
    assert.deepEqual(await errorOf(wrong.send(one({ Expiration: { Days: 1 } }))), { name: "BadDigest", status: 400 });
    wrong.destroy();
    const twice = new PutBucketLifecycleConfigurationCommand({
      Bucket: "lc-s3",
      LifecycleConfiguration: {
        Rules: [
          { ID: "same", Filter: { Prefix: "a/" }, Status: "Enabled", Expiration: { Days: 1 } },
          { ID: "same", Filter: { Prefix: "b/" }, Status: "Enabled", Expiration: { Days: 1 } },
        ],
      },
    });
    assert.deepEqual(await errorOf(client.send(twice)), { name: "InvalidArgument", status: 400 });
    assert.deepEqual(await errorOf(client.send(one({ Expiration: { Days: 0 } }))), { name: "InvalidArgument", status: 400 });
    assert.deepEqual(await errorOf(client.send(one({ Expiration: { Date: new Date("2031-01-01T12:00:00Z") } }))), {
      name: "InvalidArgument",
      status: 400,
    });
    assert.deepEqual(await errorOf(client.send(one({}))), { name: "MalformedXML", status: 400 });
    // The configuration set before is untouched.
    assert.equal((await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "lc-s3" }))).Rules?.length, 4);
  });

  test("on the clock: an old upload is aborted, logs/ expire at the midnight after 2 days, the rest stays", async () => {
    await setClock(hw, "2030-01-01T12:00:00Z");
    for (const key of ["logs/a.log", "logs/b.log", "keep/x", "other.txt", "tmp/t", "logsX"]) {
      await client.send(new PutObjectCommand({ Bucket: "lc-s3", Key: key, Body: key }));
    }
    await client.send(new CreateMultipartUploadCommand({ Bucket: "lc-s3", Key: "big.bin" }));
    const all = ["keep/x", "logs/a.log", "logs/b.log", "logsX", "other.txt", "tmp/t"];

    await advanceHours(hw, 35); // 2030-01-02 23:00
    assert.deepEqual(await keys(), all);
    assert.equal(await uploads(), 1);

    await advanceHours(hw, 1); // 2030-01-03 00:00: one day after the upload's initiation, rounded up
    assert.equal(await uploads(), 0);
    assert.deepEqual(await keys(), all);

    await advanceHours(hw, 23); // 2030-01-03 23:00
    assert.deepEqual(await keys(), all);
    await advanceHours(hw, 1); // 2030-01-04 00:00: last modified + 2 days, rounded up to midnight
    assert.deepEqual(await keys(), ["keep/x", "logsX", "other.txt", "tmp/t"]);
    assert.equal((await errorOf(client.send(new HeadObjectCommand({ Bucket: "lc-s3", Key: "logs/a.log" })))).status, 404);

    // A new object under the prefix lives its own two days, then to the next midnight: written just after
    // 2030-01-04 00:00, it goes at 2030-01-07 00:00.
    await client.send(new PutObjectCommand({ Bucket: "lc-s3", Key: "logs/c.log", Body: "c" }));
    await advanceHours(hw, 71); // 2030-01-06 23:00
    assert.ok((await keys()).includes("logs/c.log"));
    await advanceHours(hw, 1); // 2030-01-07 00:00
    assert.ok(!(await keys()).includes("logs/c.log"));

    // The dated rule: objects last modified before 2031-01-01 go once the clock reaches it.
    await setClock(hw, "2030-12-31T23:00:00Z");
    assert.ok((await keys()).includes("tmp/t"));
    await advanceHours(hw, 1);
    assert.deepEqual(await keys(), ["keep/x", "logsX", "other.txt"]);
  });
});

describe("lifecycle in a versioned bucket", () => {
  let hw: TestHwlocal;
  let client: S3Client;
  before(async () => {
    hw = await startTestHwlocal();
    client = lifecycleClient(hw);
    await client.send(new CreateBucketCommand({ Bucket: "lc-ver" }));
    await client.send(new PutBucketVersioningCommand({ Bucket: "lc-ver", VersioningConfiguration: { Status: "Enabled" } }));
  });
  after(async () => {
    client.destroy();
    await hw.close();
  });

  test("expiry adds a delete marker and keeps the version; a noncurrent version goes a day after it was replaced", async () => {
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: "lc-ver",
        LifecycleConfiguration: {
          Rules: [
            { ID: "doc", Filter: { Prefix: "doc" }, Status: "Enabled", Expiration: { Days: 1 } },
            { ID: "nc", Filter: { Prefix: "nc/" }, Status: "Enabled", NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
          ],
        },
      }),
    );
    const versionsOf = async (key: string) =>
      ((await client.send(new ListObjectVersionsCommand({ Bucket: "lc-ver", Prefix: key }))).Versions ?? []).map((v) => [v.IsLatest, v.Size]);
    await setClock(hw, "2030-03-01T12:00:00Z");
    await client.send(new PutObjectCommand({ Bucket: "lc-ver", Key: "doc", Body: "v1" }));
    await client.send(new PutObjectCommand({ Bucket: "lc-ver", Key: "nc/a", Body: "first" }));
    await advanceHours(hw, 24); // 2030-03-02 12:00
    await client.send(new PutObjectCommand({ Bucket: "lc-ver", Key: "nc/a", Body: "second!" }));

    await advanceHours(hw, 12); // 2030-03-03 00:00: doc's day has passed
    assert.deepEqual(((await client.send(new ListObjectsV2Command({ Bucket: "lc-ver" }))).Contents ?? []).map((o) => o.Key), ["nc/a"]);
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: "lc-ver", Prefix: "doc" }));
    assert.deepEqual(versions.DeleteMarkers?.map((m) => [m.Key, m.IsLatest]), [["doc", true]]);
    assert.deepEqual(await versionsOf("doc"), [[false, 2]]);
    assert.deepEqual(await versionsOf("nc/"), [[true, 7], [false, 5]]);

    await advanceHours(hw, 23); // 2030-03-03 23:00
    assert.deepEqual(await versionsOf("nc/"), [[true, 7], [false, 5]]);
    await advanceHours(hw, 1); // 2030-03-04 00:00: replaced at 03-02 12:00, + 1 day, to the next midnight
    assert.deepEqual(await versionsOf("nc/"), [[true, 7]]);
    // The marker is the current version of doc: later days add no more markers.
    await advanceHours(hw, 72);
    assert.equal((await client.send(new ListObjectVersionsCommand({ Bucket: "lc-ver", Prefix: "doc" }))).DeleteMarkers?.length, 1);
    assert.deepEqual(await versionsOf("doc"), [[false, 2]]);
  });
});

describe("lifecycle through esdk-obs-nodejs", () => {
  let hw: TestHwlocal;
  let obs: EsdkClient;
  before(async () => {
    hw = await startTestHwlocal();
    obs = esdkClient(hw, hw.admin, { signature: "obs" });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await obs.createBucket!({ Bucket: "lc-esdk" })).CommonMsg.Status, 200);
  });
  after(async () => {
    obs.close();
    await hw.close();
  });

  test("setBucketLifecycle, getBucketLifecycle, expiry on the clock, deleteBucketLifecycle", async () => {
    const missing = await obs.getBucketLifecycle!({ Bucket: "lc-esdk" });
    assert.equal(missing.CommonMsg.Status, 404);
    assert.equal(missing.CommonMsg.Code, "NoSuchLifecycleConfiguration");
    const set = await obs.setBucketLifecycle!({
      Bucket: "lc-esdk",
      Rules: [
        { ID: "tmp", Prefix: "tmp/", Status: "Enabled", Expiration: { Days: 1 } },
        { ID: "archive", Prefix: "old/", Status: "Enabled", Transitions: [{ StorageClass: "COLD", Days: 30 }], NoncurrentVersionExpiration: { NoncurrentDays: 60 } },
      ],
    });
    assert.equal(set.CommonMsg.Status, 200, JSON.stringify(set.CommonMsg));
    const got = await obs.getBucketLifecycle!({ Bucket: "lc-esdk" });
    assert.equal(got.CommonMsg.Status, 200);
    const rules = got.InterfaceResult!.Rules as Record<string, unknown>[];
    assert.equal(rules.length, 2);
    assert.equal(rules[0]!.ID, "tmp");
    assert.equal(rules[0]!.Prefix, "tmp/");
    assert.equal(String((rules[0]!.Expiration as { Days: unknown }).Days), "1");
    // esdk's storage-class adapter sends COLD as S3's GLACIER in V2 mode: hwlocal answers the class as sent.
    assert.ok(["COLD", "GLACIER"].includes((rules[1]!.Transitions as { StorageClass: string }[])[0]!.StorageClass));
    assert.equal(String((rules[1]!.NoncurrentVersionExpiration as { NoncurrentDays: unknown }).NoncurrentDays), "60");

    await setClock(hw, "2030-06-01T08:00:00Z");
    assert.equal((await obs.putObject!({ Bucket: "lc-esdk", Key: "tmp/scratch", Body: "x" })).CommonMsg.Status, 200);
    assert.equal((await obs.putObject!({ Bucket: "lc-esdk", Key: "kept", Body: "y" })).CommonMsg.Status, 200);
    await advanceHours(hw, 39); // 2030-06-02 23:00
    assert.equal((await obs.getObjectMetadata!({ Bucket: "lc-esdk", Key: "tmp/scratch" })).CommonMsg.Status, 200);
    await advanceHours(hw, 1); // 2030-06-03 00:00
    assert.equal((await obs.getObjectMetadata!({ Bucket: "lc-esdk", Key: "tmp/scratch" })).CommonMsg.Status, 404);
    assert.equal((await obs.getObjectMetadata!({ Bucket: "lc-esdk", Key: "kept" })).CommonMsg.Status, 200);

    assert.equal((await obs.deleteBucketLifecycle!({ Bucket: "lc-esdk" })).CommonMsg.Status, 204);
    assert.equal((await obs.getBucketLifecycle!({ Bucket: "lc-esdk" })).CommonMsg.Code, "NoSuchLifecycleConfiguration");
    // Without a configuration nothing expires.
    assert.equal((await obs.putObject!({ Bucket: "lc-esdk", Key: "tmp/later", Body: "z" })).CommonMsg.Status, 200);
    await advanceHours(hw, 24 * 10);
    assert.equal((await obs.getObjectMetadata!({ Bucket: "lc-esdk", Key: "tmp/later" })).CommonMsg.Status, 200);
  });
});
