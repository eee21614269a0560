// OBS's state, bytes and XML as modules, against a real SQLite database and blob folder in a temp dir:
// byte-exact round trips, bounded memory while 100 MiB stream through, nothing left by a bad digest or a
// broken stream, listing in UTF-8 byte order with keyset pages, multipart with its error paths, a
// simulated crash (orphans swept, acknowledged parts still completable), and XML in and out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Database } from "better-sqlite3";
import { ManualClock } from "../src/kernel/clock.ts";
import { randomIds } from "../src/kernel/ids.ts";
import { openDatabase } from "../src/store/database.ts";
import { XMLParser } from "fast-xml-parser";
import { errorHeaders, ObsError } from "../src/services/obs/errors.ts";
import { checkKey, checkMetadata, isValidBucketName, MAX_PUT_BYTES, MIN_PART_BYTES, parseMaxKeys, parsePartNumber } from "../src/services/obs/validate.ts";
import {
  obsNamespace,
  parseCompleteMultipartUpload,
  parseCreateBucketConfiguration,
  parseDelete,
  S3_NAMESPACE,
  xmlCompleteMultipart,
  xmlDeleteResult,
  xmlError,
  xmlListBuckets,
  xmlListObjectsV1,
  xmlListObjectsV2,
  xmlLocation,
} from "../src/services/obs/xml.ts";
import { closeObject, ObsStore, objectStream, type ObjectBody } from "../src/services/obs/store/index.ts";

const T0 = Date.UTC(2026, 11, 1);

interface Setup {
  dir: string;
  db: Database;
  store: ObsStore;
  clock: ManualClock;
}

function open(dir = mkdtempSync(join(tmpdir(), "hwlocal-obs-test-")), fsync = true): Setup {
  const db = openDatabase({ dataDir: dir, inMemory: false });
  const clock = new ManualClock(T0);
  const store = new ObsStore({ db, clock, ids: randomIds, dataDir: dir, inMemory: false, fsync });
  return { dir, db, store, clock };
}

function shut(s: Setup, remove = true): void {
  s.store.close();
  s.db.close();
  if (remove) rmSync(s.dir, { recursive: true, force: true });
}

async function read(body: ObjectBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of objectStream(body)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const md5hex = (b: Buffer) => createHash("md5").update(b).digest("hex");
const files = (s: Setup, sub: "blobs" | "tmp") => readdirSync(join(s.dir, "obs", sub));

/** Waits for the unlinks a commit leaves behind (they run after it, asynchronously). */
async function settled(check: () => boolean, what?: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), what);
}

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  await assert.rejects(async () => (typeof p === "function" ? p() : p), (err: unknown) => {
    assert.ok(err instanceof ObsError, `expected an ObsError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

test("buckets: one global namespace, OBS's conflicts, BucketNotEmpty, listing by domain", async () => {
  const s = open();
  try {
    const { store } = s;
    assert.equal(store.createBucket({ domainId: "d1", name: "bkt-one", location: "cn-north-4" }).created, true);
    assert.equal(store.createBucket({ domainId: "d1", name: "bkt-one", location: "cn-north-4" }).created, false);
    await rejectsWith(() => store.createBucket({ domainId: "d1", name: "bkt-one", location: "cn-east-3" }), "BucketAlreadyOwnedByYou");
    await rejectsWith(() => store.createBucket({ domainId: "d2", name: "bkt-one", location: "cn-north-4" }), "BucketAlreadyExists");
    await rejectsWith(() => store.createBucket({ domainId: "d1", name: "Bad_Name", location: "cn-north-4" }), "InvalidBucketName");
    store.createBucket({ domainId: "d1", name: "a-bkt", location: "cn-east-3" });
    store.createBucket({ domainId: "d2", name: "other", location: "cn-north-4" });
    assert.deepEqual(store.listBuckets("d1").map((b) => b.name), ["a-bkt", "bkt-one"]);
    assert.equal(store.bucketLocation("a-bkt"), "cn-east-3");
    await store.putObject("bkt-one", "k", Readable.from([Buffer.from("x")]));
    await rejectsWith(() => store.deleteBucket("bkt-one"), "BucketNotEmpty");
    store.deleteObject("bkt-one", "k");
    const u = store.multipart.initiate({ bucket: "bkt-one", key: "m", initiator: "d1" });
    await rejectsWith(() => store.deleteBucket("bkt-one"), "BucketNotEmpty");
    store.multipart.abort("bkt-one", "m", u.upload_id);
    store.deleteBucket("bkt-one");
    await rejectsWith(() => store.headBucket("bkt-one"), "NoSuchBucket");
    await rejectsWith(store.putObject("nope-bkt", "k", Readable.from([])), "NoSuchBucket");
  } finally {
    shut(s);
  }
});

test("objects: put, get (whole and ranged), replace and delete are byte-exact and leave no stray file", async () => {
  const s = open();
  try {
    const { store } = s;
    store.createBucket({ domainId: "d", name: "bytes", location: "cn-north-4" });
    const first = randomBytes(300_000);
    const row = await store.putObject("bytes", "dir/a b+ü.bin", Readable.from([first.subarray(0, 1000), first.subarray(1000)]), {
      contentType: "application/x-test",
      metadata: { color: "blue" },
      contentMd5: createHash("md5").update(first).digest("base64"),
      contentLength: first.length,
    });
    assert.equal(row.etag, `"${md5hex(first)}"`);
    assert.equal(row.last_modified, T0);
    const head = store.headObject("bytes", "dir/a b+ü.bin");
    assert.deepEqual([head.size, head.content_type, head.metadata], [first.length, "application/x-test", { color: "blue" }]);
    assert.ok((await read(store.getObject("bytes", "dir/a b+ü.bin"))).equals(first));
    const ranged = store.getObject("bytes", "dir/a b+ü.bin", { range: { start: 10, end: 19 } });
    assert.deepEqual([ranged.start, ranged.end, ranged.length], [10, 19, 10]);
    assert.ok((await read(ranged)).equals(first.subarray(10, 20)));
    const clamped = store.getObject("bytes", "dir/a b+ü.bin", { range: { start: first.length - 5, end: first.length + 100 } });
    assert.ok((await read(clamped)).equals(first.subarray(first.length - 5)));
    await rejectsWith(() => store.getObject("bytes", "dir/a b+ü.bin", { range: { start: first.length } }), "InvalidRange");

    // A reader that opened the old version keeps reading it after an overwrite unlinks its file.
    const opened = store.getObject("bytes", "dir/a b+ü.bin");
    const second = randomBytes(1234);
    await store.putObject("bytes", "dir/a b+ü.bin", Readable.from([second]));
    await settled(() => files(s, "blobs").length === 1);
    assert.ok((await read(opened)).equals(first));
    assert.ok((await read(store.getObject("bytes", "dir/a b+ü.bin"))).equals(second));

    const empty = await store.putObject("bytes", "empty", Readable.from([]));
    assert.equal(empty.etag, `"d41d8cd98f00b204e9800998ecf8427e"`);
    assert.equal((await read(store.getObject("bytes", "empty"))).length, 0);
    await rejectsWith(() => store.getObject("bytes", "empty", { range: { start: 0 } }), "InvalidRange");
    const notModified = store.getObject("bytes", "empty");
    closeObject(notModified);

    assert.equal(store.deleteObject("bytes", "dir/a b+ü.bin"), true);
    assert.equal(store.deleteObject("bytes", "dir/a b+ü.bin"), false, "deleting again is not an error");
    await rejectsWith(() => store.headObject("bytes", "dir/a b+ü.bin"), "NoSuchKey");
    assert.deepEqual(store.deleteObjects("bytes", ["empty", "never-was"]), [
      { key: "empty", existed: true },
      { key: "never-was", existed: false },
    ]);
    await settled(() => files(s, "blobs").length === 0);
    assert.deepEqual(files(s, "tmp"), []);
  } finally {
    shut(s);
  }
});

test("a 200 MiB body streams through at bounded memory, up and down", async () => {
  const s = open();
  try {
    const { store } = s;
    store.createBucket({ domainId: "d", name: "big", location: "cn-north-4" });
    const mib = 200; // large enough that the ~35 MiB of chunks awaiting collection stay far under half of it
    const size = mib * 1024 * 1024;
    const chunk = 64 * 1024;
    const expected = createHash("md5");
    function* generate(): Generator<Buffer> {
      for (let off = 0; off < size; off += chunk) {
        const b = Buffer.alloc(chunk, off / chunk);
        expected.update(b);
        yield b;
      }
    }
    // What RSS gains is the body's chunks awaiting garbage collection (V8 collects them once some tens of
    // MiB have piled up), the same ~35 MiB for 50, 200 or 400 MiB here: bounded, not the object's size.
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const t0 = performance.now();
    const row = await store.putObject("big", "blob", Readable.from(generate()), { contentLength: size });
    const t1 = performance.now();
    const got = createHash("md5");
    let n = 0;
    for await (const c of objectStream(store.getObject("big", "blob"))) {
      got.update(c as Buffer);
      n += (c as Buffer).length;
    }
    const t2 = performance.now();
    clearInterval(sampler);
    const growth = (peak - base) / 2 ** 20;
    assert.equal(row.etag, `"${expected.digest("hex")}"`);
    assert.equal(n, size);
    assert.equal(`"${got.digest("hex")}"`, row.etag);
    const mibs = (ms: number) => (mib / (ms / 1000)).toFixed(0);
    console.log(`${mib} MiB: put ${mibs(t1 - t0)} MiB/s, get ${mibs(t2 - t1)} MiB/s, RSS growth ${growth.toFixed(1)} MiB`);
    assert.ok(growth < mib / 2, `RSS grew by ${growth.toFixed(1)} MiB while ${mib} MiB streamed`);
  } finally {
    shut(s);
  }
});

test("a refused body leaves nothing: Content-MD5 mismatch, a broken stream, too many or too few bytes", async () => {
  const s = open();
  try {
    const { store } = s;
    store.createBucket({ domainId: "d", name: "refuse", location: "cn-north-4" });
    const body = Buffer.from("hello");
    await rejectsWith(store.putObject("refuse", "k", Readable.from([body]), { contentMd5: createHash("md5").update("other").digest("base64") }), "BadDigest");
    await rejectsWith(store.putObject("refuse", "k", Readable.from([body]), { contentMd5: "not-base64" }), "InvalidDigest");
    await rejectsWith(store.putObject("refuse", "k", Readable.from([body]), { expectedSha256: "00".repeat(32) }), "XAmzContentSHA256Mismatch");
    await rejectsWith(store.putObject("refuse", "k", Readable.from([body]), { maxBytes: 4 }), "EntityTooLarge");
    await rejectsWith(store.putObject("refuse", "k", Readable.from([body]), { contentLength: 6 }), "IncompleteBody");
    const broken = new Readable({ read() {} });
    broken.push(randomBytes(200_000));
    setTimeout(() => broken.destroy(new Error("client went away")), 20);
    await assert.rejects(store.putObject("refuse", "k", broken), /client went away/);
    await rejectsWith(() => store.headObject("refuse", "k"), "NoSuchKey");
    const sha = createHash("sha256").update(body).digest("hex");
    await store.putObject("refuse", "ok", Readable.from([body]), { expectedSha256: sha });
    assert.equal(files(s, "blobs").length, 1);
    assert.deepEqual(files(s, "tmp"), []);
  } finally {
    shut(s);
  }
});

test("copy shares the bytes and survives the source being overwritten", async () => {
  const s = open();
  try {
    const { store } = s;
    store.createBucket({ domainId: "d", name: "src-b", location: "cn-north-4" });
    store.createBucket({ domainId: "d", name: "dst-b", location: "cn-north-4" });
    const bytes = randomBytes(5000);
    const src = await store.putObject("src-b", "a", Readable.from([bytes]), { metadata: { m: "1" }, contentType: "text/x" });
    s.clock.tick(1000);
    const copy = await store.copyObject({ sourceBucket: "src-b", sourceKey: "a", bucket: "dst-b", key: "b" });
    assert.deepEqual([copy.etag, copy.metadata, copy.content_type, copy.last_modified], [src.etag, { m: "1" }, "text/x", T0 + 1000]);
    const replaced = await store.copyObject({ sourceBucket: "src-b", sourceKey: "a", bucket: "dst-b", key: "c", replace: { metadata: { n: "2" } } });
    assert.deepEqual([replaced.metadata, replaced.content_type], [{ n: "2" }, "binary/octet-stream"]);
    await store.putObject("src-b", "a", Readable.from([Buffer.from("new")]));
    assert.ok((await read(store.getObject("dst-b", "b"))).equals(bytes));
    await rejectsWith(store.copyObject({ sourceBucket: "src-b", sourceKey: "zz", bucket: "dst-b", key: "d" }), "NoSuchKey");
    await rejectsWith(
      store.copyObject({ sourceBucket: "src-b", sourceKey: "a", bucket: "dst-b", key: "e", check: () => { throw new ObsError(412, "PreconditionFailed", "no"); } }),
      "PreconditionFailed",
    );
  } finally {
    shut(s);
  }
});

/** Puts rows straight into the table (no bytes): listing reads only rows. */
function seedRows(store: ObsStore, bucket: string, keys: readonly string[]): void {
  for (const [i, key] of keys.entries()) {
    store.objects.put({
      bucket, key, version_id: null, size: i, etag: `"${md5hex(Buffer.from(key))}"`, content_type: "text/plain",
      metadata: {}, headers: {}, storage_class: "STANDARD", acl: null, last_modified: T0, blob: `row-${bucket}-${i}`,
      tagging: null, object_type: "Normal", append_count: 0,
    });
  }
}

const byteOrder = (keys: readonly string[]) => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

test("listing: UTF-8 byte order, v1 and v2 paging over 1,500 keys, prefixes and delimiters", async () => {
  const s = open(undefined, false);
  try {
    const { store } = s;
    store.createBucket({ domainId: "d", name: "list", location: "cn-north-4" });
    const keys: string[] = [];
    for (let d = 0; d < 30; d++) for (let f = 0; f < 50; f++) keys.push(`dir${String(d).padStart(2, "0")}/file${String(f).padStart(3, "0")}`);
    keys.push("é", "😀", "\uE000", "z", "a/b/c", "a/b/d", "a/x", "a b", "A", "dir05/sub/deep");
    // A few through the real write path too, the rest as rows.
    for (const k of ["é", "😀", "\uE000"]) await store.putObject("list", k, Readable.from([Buffer.from(k)]));
    seedRows(store, "list", keys.filter((k) => !["é", "😀", "\uE000"].includes(k)));
    const ordered = byteOrder(keys);
    // U+E000 sorts before U+1F600 in UTF-8 but after it in UTF-16, which JavaScript's sort uses.
    assert.ok(ordered.indexOf("\uE000") < ordered.indexOf("😀") && [...keys].sort().indexOf("\uE000") > [...keys].sort().indexOf("😀"));

    const v1: string[] = [];
    let marker: string | undefined;
    do {
      const page = store.listObjects("list", { maxKeys: 100, ...(marker ? { after: marker } : {}) });
      v1.push(...page.contents.map((o) => o.key));
      assert.equal(page.isTruncated, page.nextMarker !== undefined, "NextMarker whenever truncated, without a delimiter too");
      marker = page.nextMarker;
    } while (marker);
    assert.deepEqual(v1, ordered);

    const v2: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = store.listObjectsV2("list", { maxKeys: 250, ...(token ? { continuationToken: token } : {}) });
      assert.equal(page.keyCount, page.contents.length);
      v2.push(...page.contents.map((o) => o.key));
      token = page.nextContinuationToken;
      pages++;
    } while (token);
    assert.deepEqual([v2, pages], [ordered, 7]);
    assert.deepEqual(store.listObjectsV2("list", { maxKeys: 2, startAfter: "z" }).contents.map((o) => o.key), ["é", "\uE000"]);
    await rejectsWith(() => store.listObjectsV2("list", { maxKeys: 2, continuationToken: "not a token!" }), "InvalidArgument");

    const root = store.listObjects("list", { delimiter: "/", maxKeys: 1000 });
    const dirs = Array.from({ length: 30 }, (_, d) => `dir${String(d).padStart(2, "0")}/`);
    assert.deepEqual(root.commonPrefixes, ["a/", ...dirs]);
    assert.deepEqual(root.contents.map((o) => o.key), ["A", "a b", "z", "é", "\uE000", "😀"]);
    // Paging with a delimiter returns each common prefix once, whatever the page size.
    for (const maxKeys of [1, 7, 31]) {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = store.listObjects("list", { delimiter: "/", maxKeys, ...(after ? { after } : {}) });
        assert.ok(page.contents.length + page.commonPrefixes.length <= maxKeys);
        seen.push(...byteOrder([...page.commonPrefixes, ...page.contents.map((o) => o.key)]));
        after = page.nextMarker;
      } while (after);
      assert.deepEqual(seen, byteOrder([...root.commonPrefixes, ...root.contents.map((o) => o.key)]));
    }
    const sub = store.listObjects("list", { prefix: "a/", delimiter: "/", maxKeys: 1000 });
    assert.deepEqual([sub.commonPrefixes, sub.contents.map((o) => o.key)], [["a/b/"], ["a/x"]]);
    const dir5 = store.listObjects("list", { prefix: "dir05/", delimiter: "/", maxKeys: 1000 });
    assert.deepEqual([dir5.contents.length, dir5.commonPrefixes], [50, ["dir05/sub/"]]);
    assert.equal(store.listObjects("list", { prefix: "dir05/", maxKeys: 1000 }).contents.length, 51);
    assert.deepEqual(store.listObjects("list", { prefix: "nothing", maxKeys: 10 }).contents, []);
    assert.equal(store.listObjects("list", { maxKeys: 0 }).isTruncated, false);
  } finally {
    shut(s);
  }
});

test("keyset pages: page 10 reads no more rows than page 1, with or without a delimiter", () => {
  const s = open(undefined, false);
  try {
    const { store, db } = s;
    store.createBucket({ domainId: "d", name: "keyset", location: "cn-north-4" });
    const keys = Array.from({ length: 10_000 }, (_, i) => `k/${String(i).padStart(6, "0")}`);
    const nested = Array.from({ length: 200 * 50 }, (_, i) => `n/${String(Math.floor(i / 50)).padStart(4, "0")}/${i % 50}`);
    db.transaction(() => seedRows(store, "keyset", [...keys, ...nested]))();

    const pages: { scanned: number; ms: number }[] = [];
    let after: string | undefined;
    for (let p = 0; p < 10; p++) {
      const t0 = performance.now();
      const page = store.listObjects("keyset", { prefix: "k/", maxKeys: 1000, ...(after ? { after } : {}) });
      pages.push({ scanned: page.scanned, ms: performance.now() - t0 });
      assert.equal(page.contents[0]!.key, keys[p * 1000]);
      after = page.nextMarker;
    }
    assert.equal(pages[0]!.scanned, 1001);
    assert.equal(pages[9]!.scanned, 1000, "the last page has no row after it");
    console.log(`10,000 keys by 1,000: page 1 ${pages[0]!.ms.toFixed(2)} ms, page 10 ${pages[9]!.ms.toFixed(2)} ms`);

    // 200 common prefixes hiding 50 keys each: a page of 100 prefixes reads one row per prefix.
    const first = store.listObjects("keyset", { prefix: "n/", delimiter: "/", maxKeys: 100 });
    const second = store.listObjects("keyset", { prefix: "n/", delimiter: "/", maxKeys: 100, after: first.nextMarker! });
    assert.deepEqual([first.commonPrefixes.length, first.scanned, second.commonPrefixes.length, second.scanned], [100, 101, 100, 100]);
    assert.equal(second.commonPrefixes[0], "n/0100/");

    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT key FROM obs_objects WHERE bucket = ? AND key > CAST(? AS TEXT) AND key < CAST(? AS TEXT) ORDER BY key LIMIT 10")
      .all("keyset", Buffer.from("k/"), Buffer.from("k0"))
      .map((r) => String((r as { detail: unknown }).detail))
      .join(" | ");
    assert.match(plan, /SEARCH obs_objects USING PRIMARY KEY \(bucket=\? AND key>\? AND key<\?\)/);
  } finally {
    shut(s);
  }
});

test("multipart: parts out of order, list, complete with OBS's checks, abort", async () => {
  const s = open();
  try {
    const { store } = s;
    const mp = store.multipart;
    store.createBucket({ domainId: "d", name: "multi", location: "cn-north-4" });
    const up = mp.initiate({ bucket: "multi", key: "big.bin", initiator: "d", contentType: "video/mp4", metadata: { a: "1" } });
    assert.match(up.upload_id, /^[0-9A-F]{32}$/);
    const bodies = [randomBytes(100 * 1024), randomBytes(150 * 1024), randomBytes(10)];
    const put = (n: number, body: Buffer) =>
      mp.uploadPart({ bucket: "multi", key: "big.bin", uploadId: up.upload_id, partNumber: n, body: Readable.from([body]) });
    const [p3, p1] = await Promise.all([put(3, bodies[2]!), put(1, randomBytes(10))]);
    const p2 = await put(2, bodies[1]!);
    const p1again = await put(1, bodies[0]!); // the last upload of a part number wins
    assert.notEqual(p1again.etag, p1.etag);
    assert.equal(p3.etag, `"${md5hex(bodies[2]!)}"`);

    const head = mp.listParts("multi", "big.bin", up.upload_id, { maxParts: 2 });
    assert.deepEqual([head.page.parts.map((p) => p.part_number), head.page.isTruncated, head.page.nextPartNumberMarker], [[1, 2], true, 2]);
    const tail = mp.listParts("multi", "big.bin", up.upload_id, { maxParts: 2, partNumberMarker: 2 });
    assert.deepEqual([tail.page.parts.map((p) => p.part_number), tail.page.isTruncated], [[3], false]);

    const other = mp.initiate({ bucket: "multi", key: "dir/x", initiator: "d" });
    mp.initiate({ bucket: "multi", key: "dir/y", initiator: "d" });
    const uploads = mp.listUploads("multi", { delimiter: "/", maxUploads: 1000 });
    assert.deepEqual([uploads.uploads.map((u) => u.key), uploads.commonPrefixes], [["big.bin"], ["dir/"]]);
    const firstUpload = mp.listUploads("multi", { maxUploads: 1 });
    assert.deepEqual([firstUpload.isTruncated, firstUpload.nextKeyMarker], [true, "big.bin"]);
    const rest = mp.listUploads("multi", { maxUploads: 10, keyMarker: "big.bin", uploadIdMarker: up.upload_id });
    assert.deepEqual(rest.uploads.map((u) => u.key), ["dir/x", "dir/y"]);

    const complete = (parts: { partNumber: number; etag: string }[]) => mp.complete("multi", "big.bin", up.upload_id, parts);
    await rejectsWith(complete([{ partNumber: 2, etag: p2.etag }, { partNumber: 1, etag: p1again.etag }]), "InvalidPartOrder");
    await rejectsWith(complete([{ partNumber: 1, etag: p1.etag }]), "InvalidPart");
    await rejectsWith(complete([{ partNumber: 1, etag: p1again.etag }, { partNumber: 4, etag: p3.etag }]), "InvalidPart");
    await rejectsWith(complete([{ partNumber: 3, etag: p3.etag }, { partNumber: 4, etag: p3.etag }]), "InvalidPart");
    await rejectsWith(complete([{ partNumber: 1, etag: p1again.etag }, { partNumber: 3, etag: p3.etag }, { partNumber: 4, etag: "x" }]), "InvalidPart");
    const small = await put(4, randomBytes(1000));
    await rejectsWith(complete([{ partNumber: 3, etag: p3.etag }, { partNumber: 4, etag: small.etag }]), "EntityTooSmall");
    await rejectsWith(mp.uploadPart({ bucket: "multi", key: "big.bin", uploadId: up.upload_id, partNumber: 10_001, body: Readable.from([]) }), "InvalidArgument");

    // The ETags as rclone writes them (&#34;), decoded by the XML parser.
    const xmlBody =
      `<CompleteMultipartUpload>` +
      [p1again, p2, p3].map((p) => `<Part><PartNumber>${p.part_number}</PartNumber><ETag>${p.etag.replace(/"/g, "&#34;")}</ETag></Part>`).join("") +
      `</CompleteMultipartUpload>`;
    const row = await complete(parseCompleteMultipartUpload(xmlBody));
    const whole = Buffer.concat(bodies);
    const partMd5s = Buffer.concat(bodies.map((b) => createHash("md5").update(b).digest()));
    assert.equal(row.etag, `"${md5hex(partMd5s)}-3"`);
    assert.deepEqual([row.size, row.content_type, row.metadata], [whole.length, "video/mp4", { a: "1" }]);
    assert.ok((await read(store.getObject("multi", "big.bin"))).equals(whole));
    await rejectsWith(() => mp.listParts("multi", "big.bin", up.upload_id, { maxParts: 10 }), "NoSuchUpload");

    mp.abort("multi", "dir/x", other.upload_id);
    await rejectsWith(() => mp.abort("multi", "dir/x", other.upload_id), "NoSuchUpload");
    await rejectsWith(() => mp.abort("multi", "wrong-key", up.upload_id), "NoSuchUpload");
    await settled(() => files(s, "blobs").length === 1, "only the completed object's file is left");
  } finally {
    shut(s);
  }
});

test("after a crash: leftovers are swept, acknowledged objects and parts are intact, the upload completes", async () => {
  const first = open();
  const { store } = first;
  store.createBucket({ domainId: "d", name: "crash", location: "cn-north-4" });
  const kept = randomBytes(70_000);
  await store.putObject("crash", "kept", Readable.from([kept]));
  const up = store.multipart.initiate({ bucket: "crash", key: "resumed", initiator: "d" });
  const part1 = randomBytes(100 * 1024);
  const p1 = await store.multipart.uploadPart({ bucket: "crash", key: "resumed", uploadId: up.upload_id, partNumber: 1, body: Readable.from([part1]) });
  // What a kill -9 can leave: a body half written to tmp/, and a blob moved into place whose row never
  // committed (or whose object was replaced before its old file was unlinked).
  writeFileSync(join(first.dir, "obs", "tmp", "4242-7"), "half a body");
  const orphan = join(first.dir, "obs", "blobs", "0123456789abcdef0123456789abcdef");
  writeFileSync(orphan, "never committed");
  first.store.close();
  first.db.close();

  const second = open(first.dir);
  try {
    assert.equal(await second.store.swept, 1);
    assert.equal(existsSync(orphan), false);
    assert.deepEqual(files(second, "tmp"), []);
    assert.ok((await read(second.store.getObject("crash", "kept"))).equals(kept));
    const part2 = randomBytes(10);
    const p2 = await second.store.multipart.uploadPart({ bucket: "crash", key: "resumed", uploadId: up.upload_id, partNumber: 2, body: Readable.from([part2]) });
    await second.store.multipart.complete("crash", "resumed", up.upload_id, [
      { partNumber: 1, etag: p1.etag },
      { partNumber: 2, etag: p2.etag },
    ]);
    assert.ok((await read(second.store.getObject("crash", "resumed"))).equals(Buffer.concat([part1, part2])));
  } finally {
    shut(second);
  }
});

test("--in-memory keeps the bytes in a temporary folder removed at close", async () => {
  const db = openDatabase({ dataDir: "unused", inMemory: true });
  const store = new ObsStore({ db, clock: new ManualClock(T0), ids: randomIds, dataDir: "unused", inMemory: true });
  store.createBucket({ domainId: "d", name: "mem", location: "cn-north-4" });
  await store.putObject("mem", "k", Readable.from([Buffer.from("v")]));
  assert.ok(store.root.startsWith(tmpdir()) && existsSync(join(store.root, "blobs")));
  store.close();
  db.close();
  assert.equal(existsSync(store.root), false);
});

test("XML: listings and results render escaped and parse back; request bodies parse, bad ones are MalformedXML", async () => {
  const ns = obsNamespace("cn-north-4");
  const odd = `a&b<c>"d"'e' ü😀\x01\r`;
  const page = {
    contents: [{ key: odd, size: 5, etag: '"abc"', last_modified: T0, storage_class: "STANDARD" }],
    commonPrefixes: ["p/"],
    isTruncated: true,
    nextMarker: odd,
    scanned: 2,
  };
  const v1 = xmlListObjectsV1({ ns, bucket: "b", maxKeys: 2, ownerId: "dom", page });
  assert.ok(v1.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ListBucketResult xmlns="http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/">'));
  assert.match(v1, /<Key>a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos; ü😀&#1;&#13;<\/Key>/);
  assert.match(v1, /<NextMarker>a&amp;b/);
  assert.match(v1, /<LastModified>2026-12-01T00:00:00.000Z<\/LastModified><ETag>&quot;abc&quot;<\/ETag><Size>5<\/Size><Owner><ID>dom<\/ID><\/Owner>/);
  const parsed = new XMLParser({ parseTagValue: false, htmlEntities: true, trimValues: false }).parse(xmlListObjectsV1({ ns, bucket: "b", maxKeys: 2, page: { ...page, contents: [{ ...page.contents[0]!, key: "x & <y> ü" }] } }));
  assert.equal(parsed.ListBucketResult.Contents.Key, "x & <y> ü");
  const urlEncoded = xmlListObjectsV2({ ns: S3_NAMESPACE, bucket: "b", maxKeys: 2, encodingType: "url", page, nextContinuationToken: "tok", fetchOwner: false });
  assert.match(urlEncoded, /<Key>a%26b%3Cc%3E%22d%22&apos;e&apos;%20%C3%BC%F0%9F%98%80%01%0D<\/Key>/);
  assert.match(urlEncoded, /<NextContinuationToken>tok<\/NextContinuationToken><KeyCount>2<\/KeyCount>/);

  assert.equal(xmlLocation({ dialect: "obs", region: "cn-north-4" }).endsWith(`<Location xmlns="${ns}">cn-north-4</Location>`), true);
  assert.match(xmlLocation({ dialect: "s3", region: "cn-north-4" }), /<LocationConstraint xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">cn-north-4</);
  assert.match(xmlListBuckets({ ns, ownerId: "dom", withLocation: true, buckets: [{ name: "b1", domain_id: "dom", location: "cn-east-3", storage_class: "STANDARD", acl: "private", created_at: T0 }] }),
    /<Owner><ID>dom<\/ID><\/Owner><Buckets><Bucket><Name>b1<\/Name><CreationDate>2026-12-01T00:00:00.000Z<\/CreationDate><Location>cn-east-3<\/Location>/);
  assert.match(xmlDeleteResult({ ns, quiet: true, outcomes: [{ key: "gone" }, { key: "k", error: { code: "AccessDenied", message: "no" } }] }),
    /<DeleteResult xmlns="[^"]+"><Error><Key>k<\/Key><Code>AccessDenied<\/Code><Message>no<\/Message><\/Error><\/DeleteResult>$/);
  assert.match(xmlCompleteMultipart({ ns, location: "/b/k", bucket: "b", key: "k", etag: '"e-3"' }), /<ETag>&quot;e-3&quot;<\/ETag>/);

  const err = new ObsError(404, "NoSuchKey", "The resource you requested does not exist", "/b/ключ");
  assert.match(xmlError(err, { requestId: "R1", hostId: "H1" }), /<Error><Code>NoSuchKey<\/Code><Message>The resource you requested does not exist<\/Message><Resource>\/b\/ключ<\/Resource><RequestId>R1<\/RequestId><HostId>H1<\/HostId><\/Error>$/);
  const headers = errorHeaders(new ObsError(400, "KeyTooLongError", "key é\n"));
  assert.deepEqual([headers["x-obs-error-code"], headers["x-amz-error-message"]], ["KeyTooLongError", "key %C3%A9%0A"]);

  // Request bodies: both ETag spellings, Quiet, keys that keep their spaces and entities.
  assert.deepEqual(parseCompleteMultipartUpload(`<?xml version="1.0" encoding="utf-8"?><CompleteMultipartUpload xmlns="x"><Part><PartNumber> 1 </PartNumber><ETag>&quot;aa&quot;</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&#34;bb&#34;</ETag></Part></CompleteMultipartUpload>`),
    [{ partNumber: 1, etag: '"aa"' }, { partNumber: 2, etag: '"bb"' }]);
  assert.deepEqual(parseDelete(Buffer.from(`<Delete><Quiet>true</Quiet><Object><Key> a b </Key></Object><Object><Key>007</Key><VersionId>v1</VersionId></Object><Object><Key>x&amp;y&#x1F600;</Key></Object></Delete>`)),
    { quiet: true, objects: [{ key: " a b " }, { key: "007", versionId: "v1" }, { key: "x&y😀" }] });
  assert.equal(parseDelete("<Delete>\n  <Object>\n    <Key>k</Key>\n  </Object>\n</Delete>").quiet, false);
  assert.deepEqual(parseCreateBucketConfiguration(`<CreateBucketConfiguration xmlns="${ns}"><Location>cn-east-3</Location></CreateBucketConfiguration>`), { location: "cn-east-3" });
  assert.deepEqual(parseCreateBucketConfiguration("<CreateBucketConfiguration><LocationConstraint>cn-north-4</LocationConstraint></CreateBucketConfiguration>"), { location: "cn-north-4" });
  assert.deepEqual(parseCreateBucketConfiguration(Buffer.alloc(0)), {});
  const tooMany = `<Delete>${"<Object><Key>k</Key></Object>".repeat(1001)}</Delete>`;
  for (const bad of [
    "not xml", "<Delete><Object><Key>k</Key></Delete>", "<Delete></Delete>", "<Other/>", tooMany,
    '<!DOCTYPE d [<!ENTITY e "k">]><Delete><Object><Key>&e;</Key></Object></Delete>',
    "<Delete><Object><Key><i>k</i></Key></Object></Delete>", "<Delete><Object/></Delete>",
  ]) {
    await rejectsWith(() => parseDelete(bad), "MalformedXML");
  }
  for (const bad of ["", "<CompleteMultipartUpload/>", "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
    "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>", "<CompleteMultipartUpload><Part>"]) {
    await rejectsWith(() => parseCompleteMultipartUpload(bad), "MalformedXML");
  }
  await rejectsWith(() => parseCreateBucketConfiguration("<CreateBucketConfiguration>"), "MalformedXML");
});

test("validators: bucket names, key and metadata sizes, part numbers, max-keys", async () => {
  for (const ok of ["abc", "my-bucket.1", "a".repeat(63), "1bucket", "b.c-d"]) assert.equal(isValidBucketName(ok), true, ok);
  for (const bad of ["ab", "a".repeat(64), "Abc", "my_bucket", "-abc", "abc-", ".abc", "abc.", "a..b", "a-.b", "a.-b", "192.168.1.1", "bü"]) {
    assert.equal(isValidBucketName(bad), false, bad);
  }
  checkKey("é".repeat(512));
  await rejectsWith(() => checkKey("é".repeat(513)), "KeyTooLongError");
  await rejectsWith(() => checkKey("\uD800x"), "InvalidArgument");
  checkMetadata({ k: "v".repeat(8191) });
  await rejectsWith(() => checkMetadata({ k: "v".repeat(8192) }), "MetadataTooLarge");
  assert.equal(parsePartNumber("10000"), 10_000);
  for (const bad of ["0", "10001", "1.5", "-1", "", "abc"]) await rejectsWith(() => parsePartNumber(bad), "InvalidArgument");
  assert.deepEqual(["5", "1000", "1001", "-3", "0", undefined].map(parseMaxKeys), [5, 1000, 1000, 1000, 0, 1000]);
  await rejectsWith(() => parseMaxKeys("ten"), "InvalidArgument");
  assert.deepEqual([MIN_PART_BYTES, MAX_PUT_BYTES], [102_400, 5 * 2 ** 30]);
});
