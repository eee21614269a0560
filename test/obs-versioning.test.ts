// OBS bucket versioning through the real clients: @aws-sdk/client-s3 (PutBucketVersioning, version ids on
// PUT/GET/HEAD/DELETE/Copy/Complete, delete markers, ListObjectVersions paging, DeleteObjects with VersionId)
// and esdk-obs-nodejs (setBucketVersioning, getBucketVersioning, listVersions, getObject and deleteObject
// with VersionId, in V2 and OBS signatures), the error paths, and a restart on a data folder after which
// the noncurrent versions' files are still there (the start-up sweep consults obs_versions).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { startCli } from "./helpers/cli-process.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { errorOf, esdkClient, s3Client, text, type EsdkClient } from "./helpers/obs-clients.ts";
import { kill, s3Client as processClient, until } from "./helpers/obs-process.ts";

async function body(client: S3Client, bucket: string, key: string, versionId?: string): Promise<string> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return text(got.Body);
}

/** The status, code and headers of a failing AWS SDK call (HEAD errors have no body, only headers). */
async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; headers: Record<string, string> }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, headers: e.$response?.headers ?? {} };
  }
  assert.fail("expected an error");
}

describe("OBS versioning through @aws-sdk/client-s3", () => {
  let hw: TestHwlocal;
  let client: S3Client;
  before(async () => {
    hw = await startTestHwlocal();
    client = s3Client(hw);
  });
  after(async () => {
    client.destroy();
    await hw.close();
  });

  test("a bucket never versioned answers an empty configuration; Enabled and Suspended are kept", async () => {
    await client.send(new CreateBucketCommand({ Bucket: "ver-status" }));
    const never = await client.send(new GetBucketVersioningCommand({ Bucket: "ver-status" }));
    assert.equal(never.Status, undefined);
    await client.send(new PutBucketVersioningCommand({ Bucket: "ver-status", VersioningConfiguration: { Status: "Enabled" } }));
    assert.equal((await client.send(new GetBucketVersioningCommand({ Bucket: "ver-status" }))).Status, "Enabled");
    await client.send(new PutBucketVersioningCommand({ Bucket: "ver-status", VersioningConfiguration: { Status: "Suspended" } }));
    assert.equal((await client.send(new GetBucketVersioningCommand({ Bucket: "ver-status" }))).Status, "Suspended");
    assert.equal((await errorOf(client.send(new GetBucketVersioningCommand({ Bucket: "ver-none" })))).name, "NoSuchBucket");

    // A body that is not XML at all, swapped in before signing.
    const bad = new PutBucketVersioningCommand({ Bucket: "ver-status", VersioningConfiguration: { Status: "Enabled" } });
    bad.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers: Record<string, string> };
        const broken = "<VersioningConfiguration><Status>Enabled</Status>";
        request.body = broken;
        request.headers["content-length"] = String(broken.length);
        return next(args);
      },
      { step: "build", priority: "low", name: "brokenBody" },
    );
    assert.deepEqual(await errorOf(client.send(bad)), { name: "MalformedXML", status: 400 });
    assert.equal((await client.send(new GetBucketVersioningCommand({ Bucket: "ver-status" }))).Status, "Suspended");
  });

  test("PUT makes versions; GET and HEAD by VersionId; DELETE adds a marker; deleting versions promotes the next", async () => {
    const Bucket = "ver-objects";
    await client.send(new CreateBucketCommand({ Bucket }));
    const before = await client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "v0 unversioned" }));
    assert.equal(before.VersionId, undefined, "no version id before versioning");
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const v1 = await client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "version one" }));
    const v2 = await client.send(new PutObjectCommand({ Bucket, Key: "k", Body: "version two!" }));
    assert.match(v1.VersionId ?? "", /^[0-9A-F]{32}$/);
    assert.notEqual(v1.VersionId, v2.VersionId);

    assert.equal(await body(client, Bucket, "k"), "version two!");
    assert.equal(await body(client, Bucket, "k", v1.VersionId), "version one");
    assert.equal(await body(client, Bucket, "k", "null"), "v0 unversioned", "the object from before versioning is the null version");
    const got = await client.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: v1.VersionId }));
    assert.equal(got.VersionId, v1.VersionId);
    await text(got.Body);
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: v1.VersionId }));
    assert.equal(head.ContentLength, "version one".length);
    assert.equal(head.VersionId, v1.VersionId);
    assert.equal((await client.send(new HeadObjectCommand({ Bucket, Key: "k" }))).VersionId, v2.VersionId);
    assert.deepEqual(await errorOf(client.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: "0123456789ABCDEF0123456789ABCDEF" }))), {
      name: "NoSuchVersion",
      status: 404,
    });
    assert.equal((await errorOf(client.send(new HeadObjectCommand({ Bucket, Key: "k", VersionId: "nope" })))).status, 404);

    // Deleting without a version id adds a delete marker: the key is gone from GET and from the listings.
    const del = await client.send(new DeleteObjectCommand({ Bucket, Key: "k" }));
    assert.equal(del.DeleteMarker, true);
    assert.match(del.VersionId ?? "", /^[0-9A-F]{32}$/);
    const gone = await failure(client.send(new GetObjectCommand({ Bucket, Key: "k" })));
    assert.equal(gone.name, "NoSuchKey");
    assert.equal(gone.status, 404);
    assert.equal(gone.headers["x-amz-delete-marker"], "true");
    assert.equal(gone.headers["x-amz-version-id"], del.VersionId);
    assert.equal((await client.send(new ListObjectsV2Command({ Bucket }))).KeyCount, 0);
    assert.equal((await client.send(new ListObjectsCommand({ Bucket }))).Contents, undefined);
    // The marker itself cannot be read (405), and the old versions still can.
    const marker = await failure(client.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: del.VersionId })));
    assert.equal(marker.name, "MethodNotAllowed");
    assert.equal(marker.status, 405);
    assert.equal(marker.headers["x-amz-delete-marker"], "true");
    assert.equal(await body(client, Bucket, "k", v2.VersionId), "version two!");

    // Deleting the marker by id brings v2 back as current; deleting v2 then makes v1 current.
    const undo = await client.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: del.VersionId }));
    assert.equal(undo.DeleteMarker, true);
    assert.equal(undo.VersionId, del.VersionId);
    assert.equal(await body(client, Bucket, "k"), "version two!");
    const dropped = await client.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v2.VersionId }));
    assert.equal(dropped.VersionId, v2.VersionId);
    assert.equal(dropped.DeleteMarker, undefined);
    assert.equal(await body(client, Bucket, "k"), "version one");
    assert.equal((await client.send(new ListObjectsV2Command({ Bucket }))).Contents?.[0]?.Size, "version one".length);
    assert.equal((await errorOf(client.send(new GetObjectCommand({ Bucket, Key: "k", VersionId: v2.VersionId })))).name, "NoSuchVersion");
    // A version the key does not have: 204, as for a missing key.
    await client.send(new DeleteObjectCommand({ Bucket, Key: "k", VersionId: v2.VersionId }));

    // Versions and markers are content: the bucket cannot go until they have all been deleted.
    await client.send(new DeleteObjectCommand({ Bucket, Key: "k" }));
    assert.equal((await errorOf(client.send(new DeleteBucketCommand({ Bucket })))).name, "BucketNotEmpty");
    const all = await client.send(new ListObjectVersionsCommand({ Bucket }));
    assert.equal(all.Versions?.length, 2);
    assert.equal(all.DeleteMarkers?.length, 1);
    await client.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: {
          Objects: [...(all.Versions ?? []), ...(all.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId! })),
        },
      }),
    );
    assert.equal((await client.send(new ListObjectVersionsCommand({ Bucket }))).Versions, undefined);
    await client.send(new DeleteBucketCommand({ Bucket }));
  });

  test("Suspended: new objects are the null version, replacing the previous null version; DELETE makes a null marker", async () => {
    const Bucket = "ver-suspended";
    await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const kept = await client.send(new PutObjectCommand({ Bucket, Key: "s", Body: "kept" }));
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }));
    const n1 = await client.send(new PutObjectCommand({ Bucket, Key: "s", Body: "null one" }));
    assert.equal(n1.VersionId, undefined);
    await client.send(new PutObjectCommand({ Bucket, Key: "s", Body: "null two" }));
    assert.equal(await body(client, Bucket, "s", "null"), "null two");
    assert.equal(await body(client, Bucket, "s", kept.VersionId), "kept");
    let listed = await client.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(
      listed.Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size]),
      [
        ["null", true, 8],
        [kept.VersionId, false, 4],
      ],
    );
    const del = await client.send(new DeleteObjectCommand({ Bucket, Key: "s" }));
    assert.equal(del.DeleteMarker, true);
    assert.equal(del.VersionId, "null");
    listed = await client.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [["null", true]]);
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[kept.VersionId, false]], "the null object was replaced by the marker");
  });

  test("ListObjectVersions pages with key and version-id markers, with prefixes and delimiters", async () => {
    const Bucket = "ver-list";
    await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const made: [string, string][] = [];
    for (const key of ["a", "b", "b", "b", "c", "dir/x", "dir/y"]) {
      const r = await client.send(new PutObjectCommand({ Bucket, Key: key, Body: `${key}-${made.length}` }));
      made.push([key, r.VersionId!]);
    }
    const marker = await client.send(new DeleteObjectCommand({ Bucket, Key: "c" }));
    // Expected order: keys ascending, each key's versions newest first, the marker among them.
    const expected: [string, string][] = [
      made[0]!,
      made[3]!,
      made[2]!,
      made[1]!,
      ["c", marker.VersionId!],
      made[4]!,
      made[5]!,
      made[6]!,
    ];
    const seen: [string, string, boolean][] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10);
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket,
          MaxKeys: 3,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
        }),
      );
      const entries = [
        ...(page.Versions ?? []).map((v) => ({ k: v.Key!, id: v.VersionId!, latest: v.IsLatest!, at: 0 })),
        ...(page.DeleteMarkers ?? []).map((m) => ({ k: m.Key!, id: m.VersionId!, latest: m.IsLatest!, at: 1 })),
      ];
      // The SDK splits Version and DeleteMarker; put them back in the listing order.
      entries.sort((x, y) => expected.findIndex(([k, id]) => k === x.k && id === x.id) - expected.findIndex(([k, id]) => k === y.k && id === y.id));
      seen.push(...entries.map((e): [string, string, boolean] => [e.k, e.id, e.latest]));
      if (!page.IsTruncated) break;
      assert.equal(entries.length, 3);
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
    assert.deepEqual(
      seen.map(([k, id]) => [k, id]),
      expected,
    );
    assert.deepEqual(
      seen.filter(([, , latest]) => latest).map(([k]) => k),
      ["a", "b", "c", "dir/x", "dir/y"],
      "one latest entry per key (the marker for c)",
    );

    const grouped = await client.send(new ListObjectVersionsCommand({ Bucket, Delimiter: "/" }));
    assert.deepEqual(grouped.CommonPrefixes?.map((p) => p.Prefix), ["dir/"]);
    assert.equal(grouped.Versions?.length, 5);
    const under = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: "dir/", MaxKeys: 1 }));
    assert.deepEqual(under.Versions?.map((v) => v.Key), ["dir/x"]);
    assert.equal(under.NextKeyMarker, "dir/x");
    assert.equal((await errorOf(client.send(new ListObjectVersionsCommand({ Bucket, VersionIdMarker: "x" })))).name, "InvalidArgument");
  });

  test("DeleteObjects with VersionId; CopyObject from a version; Complete makes a version", async () => {
    const Bucket = "ver-batch";
    await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const old = await client.send(new PutObjectCommand({ Bucket, Key: "src", Body: "old bytes" }));
    const cur = await client.send(new PutObjectCommand({ Bucket, Key: "src", Body: "current bytes" }));

    const copied = await client.send(new CopyObjectCommand({ Bucket, Key: "restored", CopySource: `${Bucket}/src?versionId=${old.VersionId}` }));
    assert.equal(copied.CopySourceVersionId, old.VersionId);
    assert.match(copied.VersionId ?? "", /^[0-9A-F]{32}$/);
    assert.equal(await body(client, Bucket, "restored"), "old bytes");
    // Copying an old version onto its own key restores it as the newest version.
    await client.send(new CopyObjectCommand({ Bucket, Key: "src", CopySource: `${Bucket}/src?versionId=${old.VersionId}` }));
    assert.equal(await body(client, Bucket, "src"), "old bytes");
    assert.equal(
      (await errorOf(client.send(new CopyObjectCommand({ Bucket, Key: "x", CopySource: `${Bucket}/src?versionId=FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF` })))).name,
      "NoSuchVersion",
    );

    const upload = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: "multi" }));
    const part = await client.send(new UploadPartCommand({ Bucket, Key: "multi", UploadId: upload.UploadId!, PartNumber: 1, Body: "one part" }));
    const done = await client.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: "multi", UploadId: upload.UploadId!, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag! }] } }),
    );
    assert.match(done.VersionId ?? "", /^[0-9A-F]{32}$/);

    const result = await client.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: "src", VersionId: cur.VersionId! }, { Key: "multi" }, { Key: "never", VersionId: "nope" }] },
      }),
    );
    const byKey = new Map((result.Deleted ?? []).map((d) => [d.Key, d]));
    assert.equal(byKey.get("src")?.VersionId, cur.VersionId);
    assert.equal(byKey.get("src")?.DeleteMarker, undefined);
    assert.equal(byKey.get("multi")?.DeleteMarker, true);
    assert.match(byKey.get("multi")?.DeleteMarkerVersionId ?? "", /^[0-9A-F]{32}$/);
    assert.ok(byKey.has("never"), "a missing version still counts as deleted");
    assert.equal((await errorOf(client.send(new GetObjectCommand({ Bucket, Key: "src", VersionId: cur.VersionId })))).name, "NoSuchVersion");
    assert.equal(await body(client, Bucket, "multi", done.VersionId), "one part");
  });
});

describe("OBS versioning through esdk-obs-nodejs", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(async () => {
    await hw.close();
  });

  for (const signature of ["v2", "obs"] as const) {
    test(`setBucketVersioning, getBucketVersioning, listVersions, getObject and deleteObject with VersionId (${signature})`, async () => {
      const obs: EsdkClient = esdkClient(hw, hw.admin, signature === "obs" ? { signature: "obs" } : {});
      const Bucket = `esdk-ver-${signature}`;
      await new Promise((resolve) => setImmediate(resolve)); // esdk finishes its set-up after a turn
      try {
        assert.equal((await obs.createBucket!({ Bucket })).CommonMsg.Status, 200);
        assert.equal((await obs.getBucketVersioning!({ Bucket })).InterfaceResult?.["VersionStatus"], undefined);
        assert.equal((await obs.setBucketVersioning!({ Bucket, VersionStatus: "Enabled" })).CommonMsg.Status, 200);
        assert.equal((await obs.getBucketVersioning!({ Bucket })).InterfaceResult?.["VersionStatus"], "Enabled");
        const bad = await obs.setBucketVersioning!({ Bucket, VersionStatus: "Sometimes" });
        assert.equal(bad.CommonMsg.Status, 400);
        assert.equal(bad.CommonMsg.Code, "MalformedXML");

        const p1 = await obs.putObject!({ Bucket, Key: "doc.txt", Body: "first" });
        const p2 = await obs.putObject!({ Bucket, Key: "doc.txt", Body: "second" });
        const id1 = String(p1.InterfaceResult?.["VersionId"]);
        const id2 = String(p2.InterfaceResult?.["VersionId"]);
        assert.match(id1, /^[0-9A-F]{32}$/);
        assert.notEqual(id1, id2);
        const got = await obs.getObject!({ Bucket, Key: "doc.txt", VersionId: id1 });
        assert.equal(String(got.InterfaceResult?.["Content"]), "first");
        assert.equal(got.InterfaceResult?.["VersionId"], id1);
        const missing = await obs.getObject!({ Bucket, Key: "doc.txt", VersionId: "00000000000000000000000000000000" });
        assert.equal(missing.CommonMsg.Status, 404);
        assert.equal(missing.CommonMsg.Code, "NoSuchVersion");

        const del = await obs.deleteObject!({ Bucket, Key: "doc.txt" });
        assert.equal(del.CommonMsg.Status, 204);
        assert.equal(del.InterfaceResult?.["DeleteMarker"], "true");
        const markerId = String(del.InterfaceResult?.["VersionId"]);
        const onMarker = await obs.getObject!({ Bucket, Key: "doc.txt", VersionId: markerId });
        assert.equal(onMarker.CommonMsg.Status, 405);

        const listed = await obs.listVersions!({ Bucket, MaxKeys: 2 });
        const r = listed.InterfaceResult as { Versions: { VersionId: string; IsLatest: string }[]; DeleteMarkers: { VersionId: string; IsLatest: string }[]; IsTruncated: string; NextKeyMarker: string; NextVersionIdMarker: string };
        assert.deepEqual(r.DeleteMarkers.map((m) => [m.VersionId, m.IsLatest]), [[markerId, "true"]]);
        assert.deepEqual(r.Versions.map((v) => [v.VersionId, v.IsLatest]), [[id2, "false"]]);
        assert.equal(r.IsTruncated, "true");
        assert.equal(r.NextKeyMarker, "doc.txt");
        assert.equal(r.NextVersionIdMarker, id2);
        const rest = await obs.listVersions!({ Bucket, KeyMarker: r.NextKeyMarker, VersionIdMarker: r.NextVersionIdMarker });
        const rr = rest.InterfaceResult as { Versions: { VersionId: string }[]; IsTruncated: string };
        assert.deepEqual(rr.Versions.map((v) => v.VersionId), [id1]);
        assert.equal(rr.IsTruncated, "false");

        const undo = await obs.deleteObject!({ Bucket, Key: "doc.txt", VersionId: markerId });
        assert.equal(undo.CommonMsg.Status, 204);
        assert.equal(String((await obs.getObject!({ Bucket, Key: "doc.txt" })).InterfaceResult?.["Content"]), "second");
        assert.equal((await obs.deleteObject!({ Bucket, Key: "doc.txt", VersionId: id2 })).InterfaceResult?.["VersionId"], id2);
        assert.equal(String((await obs.getObject!({ Bucket, Key: "doc.txt" })).InterfaceResult?.["Content"]), "first");

        assert.equal((await obs.setBucketVersioning!({ Bucket, VersionStatus: "Suspended" })).CommonMsg.Status, 200);
        assert.equal((await obs.getBucketVersioning!({ Bucket })).InterfaceResult?.["VersionStatus"], "Suspended");
        await obs.putObject!({ Bucket, Key: "doc.txt", Body: "null version" });
        assert.equal(String((await obs.getObject!({ Bucket, Key: "doc.txt", VersionId: "null" })).InterfaceResult?.["Content"]), "null version");
        assert.equal(String((await obs.getObject!({ Bucket, Key: "doc.txt", VersionId: id1 })).InterfaceResult?.["Content"]), "first");
      } finally {
        obs.close();
      }
    });
  }
});

test("noncurrent versions survive a restart and the start-up sweep", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-obs-versions-"));
  const blobs = join(dataDir, "obs", "blobs");
  const first = await startCli(["--data-dir", dataDir]);
  let client = processClient(first.url);
  const ids: string[] = [];
  try {
    await client.send(new CreateBucketCommand({ Bucket: "ver-durable" }));
    await client.send(new PutBucketVersioningCommand({ Bucket: "ver-durable", VersioningConfiguration: { Status: "Enabled" } }));
    for (const text of ["one", "two", "three"]) {
      ids.push((await client.send(new PutObjectCommand({ Bucket: "ver-durable", Key: "k", Body: text }))).VersionId!);
    }
    await client.send(new DeleteObjectCommand({ Bucket: "ver-durable", Key: "k" }));
    assert.equal(readdirSync(blobs).length, 3, "one file per version");
  } finally {
    client.destroy();
    await kill(first, "SIGTERM");
  }
  const orphan = join(blobs, "0".repeat(32));
  writeFileSync(orphan, "a blob no row names");
  const second = await startCli(["--data-dir", dataDir]);
  client = processClient(second.url);
  try {
    await until("the orphan blob to be swept", () => !existsSync(orphan));
    assert.equal(readdirSync(blobs).length, 3, "the noncurrent versions' files were kept");
    assert.equal(await body(client, "ver-durable", "k", ids[0]), "one");
    assert.equal(await body(client, "ver-durable", "k", ids[1]), "two");
    assert.equal(await body(client, "ver-durable", "k", ids[2]), "three");
    assert.equal((await errorOf(client.send(new GetObjectCommand({ Bucket: "ver-durable", Key: "k" })))).name, "NoSuchKey");
    assert.equal((await client.send(new GetBucketVersioningCommand({ Bucket: "ver-durable" }))).Status, "Enabled");
  } finally {
    client.destroy();
    await kill(second, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
});
