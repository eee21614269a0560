// A seeded barrage over every operation of OBS's API reference (catalogue/obs.ops.tsv): each is sent with
// malformed bodies (truncated, nested, oversized and non-XML), odd headers (digests, ACLs, copy sources,
// ranges, tags, classes) and odd query values, and every answer must be OBS's: no 500, no hang, and an error
// is an XML <Error> with its code in x-obs-error-code. hwlocal runs with --auth off (credentials are
// accepted as well-formed), so the barrage reaches the operations themselves; signatures have their own tests.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Rng } from "./helpers/fuzz.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";

interface Operation {
  name: string;
  method: string;
  path: string;
}

const OPERATIONS: Operation[] = readFileSync(new URL("../catalogue/obs.ops.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"))
  .map((l) => {
    const [name, route] = l.split("\t");
    const [method, path] = route!.split(" ");
    return { name: name!, method: method!, path: path! };
  });

const BODIES: (string | Buffer | undefined)[] = [
  undefined,
  "",
  "<",
  "<?xml version=\"1.0\"?><Nope>",
  "<a>".repeat(2000),
  `<CORSConfiguration><CORSRule>${"<AllowedOrigin>*</AllowedOrigin>".repeat(500)}</CORSRule></CORSConfiguration>`,
  "<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet></Tagging>",
  "<LifecycleConfiguration><Rule><Status>Maybe</Status><Expiration><Days>-1</Days></Expiration></Rule></LifecycleConfiguration>",
  "<VersioningConfiguration><Status>On</Status></VersioningConfiguration>",
  "<AccessControlPolicy><Owner/><AccessControlList><Grant><Permission>ALL</Permission></Grant></AccessControlList></AccessControlPolicy>",
  "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>y</ETag></Part></CompleteMultipartUpload>",
  "<Delete><Object><Key></Key></Object></Delete>",
  "{\"Statement\": 5}",
  "{",
  Buffer.from([0, 255, 254, 0, 60, 33]),
  "x".repeat(200_000),
];

const HEADERS: Record<string, string>[] = [
  {},
  { "Content-MD5": "not-base64" },
  { "Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA==" },
  { "x-obs-acl": "everyone-may-write" },
  { "x-amz-acl": "public-read", "x-amz-grant-read": "id=" },
  { "x-amz-copy-source": "%zz/%%" },
  { "x-obs-copy-source": "/fzz/missing?versionId=zz" },
  { "x-amz-metadata-directive": "SOMETIMES" },
  { Range: "bytes=99999-1" },
  { Range: "bytes=--" },
  { "x-amz-tagging": "a=%zz&&=" },
  { "x-obs-storage-class": "PLATINUM" },
  { "x-amz-storage-class": "GLACIER" },
  { Origin: "http://evil.example", "Access-Control-Request-Method": "BREW" },
  { "If-Match": "\"nope\"", "If-Modified-Since": "yesterday" },
  { "x-amz-meta-big": "m".repeat(9000) },
  { "x-obs-next-append-position": "x", "x-amz-copy-source-range": "bytes=5-1" },
];

const QUERIES = ["", "max-keys=-5", "max-keys=abc&marker=%00", "versionId=zz", "partNumber=0", "position=-1", "encoding-type=base91", "list-type=2&continuation-token=%%%", "uploadId=nope", "delimiter=&prefix=%ff"];

function instantiate(path: string, uploadId: string, rng: Rng): string {
  return path
    .replace("{bucket}", "fzz")
    .replace("{key}", rng.int(3) === 0 ? "a%2Fb%20c" : "obj")
    .replace("{id}", rng.int(2) === 0 ? uploadId : "zz")
    .replace("{n}", String([1, 0, 10001, -1][rng.int(4)]))
    .replace(/\{position\}/g, String([0, 5, -3][rng.int(3)]))
    .replace("{length}", "1")
    .replace("{name}", "renamed")
    .replace("{domain}", "www.example.com");
}

describe("OBS barrage: every operation, odd bodies, headers and queries; never a 500", () => {
  let hw: TestHwlocal;
  let uploadId = "";
  const send = async (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) => {
    const res = await fetch(`${hw.url}${path}`, {
      method,
      headers: { Authorization: `AWS ${hw.admin.ak}:unchecked`, "Content-Type": "application/xml", ...headers },
      ...(body !== undefined && method !== "GET" && method !== "HEAD" ? { body: typeof body === "string" ? body : new Uint8Array(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, code: res.headers.get("x-obs-error-code"), body: await res.text() };
  };
  before(async () => {
    hw = await startTestHwlocal({ auth: "off" });
    const created = await send("PUT", "/fzz");
    assert.equal(created.status, 200, created.body);
    assert.equal((await send("PUT", "/fzz/obj", {}, "0123456789")).status, 200);
    uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec((await send("POST", "/fzz/mp?uploads")).body)![1]!;
  });
  after(() => hw.close());

  test(`${OPERATIONS.length} operations × 12 seeded mutations each`, async () => {
    const rng = new Rng(0x0b5);
    const failures: string[] = [];
    for (const op of OPERATIONS) {
      for (let i = 0; i < 12; i++) {
        let path = instantiate(op.path, uploadId, rng);
        const query = QUERIES[rng.int(QUERIES.length)]!;
        if (query) path += `${path.includes("?") ? "&" : "?"}${query}`;
        const headers = HEADERS[rng.int(HEADERS.length)]!;
        const body = BODIES[rng.int(BODIES.length)];
        const what = `${op.name}: ${op.method} ${path} ${JSON.stringify(headers).slice(0, 80)} body=${body === undefined ? "none" : String(body).slice(0, 30)}`;
        let r: { status: number; code: string | null; body: string };
        try {
          r = await send(op.method, path, headers, body);
        } catch (err) {
          failures.push(`${what}: ${(err as Error).message}`);
          continue;
        }
        if (r.status >= 500 && r.status !== 501) failures.push(`${what}: ${r.status} ${r.body.slice(0, 200)}`);
        else if (r.status >= 400 && op.method !== "HEAD" && (!r.body.includes("<Error>") || r.code === null)) {
          failures.push(`${what}: ${r.status} without OBS's error shape: ${r.body.slice(0, 200)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    // And it still serves: a fresh object reads back.
    assert.equal((await send("PUT", "/fzz/after", { "Content-Type": "text/plain" }, "still here")).status, 200);
    assert.equal((await send("GET", "/fzz/after")).body, "still here");
  });
});
