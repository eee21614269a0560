// OBS's bad input: malformed XML bodies, part numbers, ranges, metadata, names, list parameters, copy
// sources and directives. Every answer is a 4xx (or a documented 2xx for what OBS ignores) with OBS's XML
// <Error> and its code in x-obs-error-code, never a 500. Requests are signed V2 by hand (AWS ak:sig over
// VERB, Content-MD5, Content-Type, Date and the canonical resource), as esdk-obs-nodejs signs on 127.0.0.1.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";

interface Sent {
  status: number;
  code: string | null;
  body: string;
}

const SUBRESOURCES = ["cors", "delete", "location", "metadata", "partNumber", "uploadId", "uploads"];

async function v2(hw: TestHwlocal, method: string, path: string, opts: { body?: string; headers?: Record<string, string> } = {}): Promise<Sent> {
  const url = new URL(`${hw.url}${path}`);
  // x-amz-date instead of Date (fetch may not send Date as given), with the Date line empty, as s3cmd signs;
  // an explicit Content-Type, since fetch adds one to string bodies.
  const headers: Record<string, string> = { "x-amz-date": new Date().toUTCString(), "Content-Type": "application/octet-stream", ...opts.headers };
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const amz = Object.keys(lower)
    .filter((k) => k.startsWith("x-amz-"))
    .sort()
    .map((k) => `${k}:${lower[k]}\n`)
    .join("");
  const sub = [...url.searchParams.entries()]
    .filter(([k]) => SUBRESOURCES.includes(k))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => (v === "" ? k : `${k}=${v}`));
  const resource = `${url.pathname}${sub.length ? `?${sub.join("&")}` : ""}`;
  const toSign = `${method}\n${lower["content-md5"] ?? ""}\n${lower["content-type"] ?? ""}\n\n${amz}${resource}`;
  headers.Authorization = `AWS ${hw.admin.ak}:${createHmac("sha1", hw.admin.sk).update(toSign).digest("base64")}`;
  const res = await fetch(url, { method, headers, body: opts.body });
  return { status: res.status, code: res.headers.get("x-obs-error-code"), body: await res.text() };
}

function md5(s: string): string {
  return createHash("md5").update(s).digest("base64");
}

describe("OBS bad input: 4xx in OBS's XML, never a 500", () => {
  let hw: TestHwlocal;
  let uploadId = "";
  before(async () => {
    hw = await startTestHwlocal();
    assert.equal((await v2(hw, "PUT", "/bad")).status, 200);
    assert.equal((await v2(hw, "PUT", "/bad/obj", { body: "0123456789" })).status, 200);
    const init = await v2(hw, "POST", "/bad/mp?uploads");
    uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body)![1]!;
  });
  after(async () => {
    await hw.close();
  });

  const expectError = (r: Sent, status: number, code: string) => {
    assert.equal(r.status, status, r.body);
    assert.equal(r.code, code, r.body);
    assert.match(r.body, new RegExp(`<Code>${code}</Code>`));
  };

  test("XML bodies: malformed, empty, wrong root, too many keys", async () => {
    for (const body of ["<Delete><Object><Key>a</Key></Object>", "not xml", "<Other/>", "<!DOCTYPE x [<!ENTITY a 'b'>]><Delete/>"]) {
      expectError(await v2(hw, "POST", "/bad?delete", { body, headers: { "Content-MD5": md5(body), "Content-Type": "application/xml" } }), 400, "MalformedXML");
    }
    const many = `<Delete>${Array.from({ length: 1001 }, (_, i) => `<Object><Key>k${i}</Key></Object>`).join("")}</Delete>`;
    expectError(await v2(hw, "POST", "/bad?delete", { body: many, headers: { "Content-MD5": md5(many) } }), 400, "MalformedXML");
    const good = "<Delete><Object><Key>x</Key></Object></Delete>";
    expectError(await v2(hw, "POST", "/bad?delete", { body: good, headers: { "Content-MD5": md5("other") } }), 400, "BadDigest");
    for (const body of ["<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part>", "<CompleteMultipartUpload/>", "garbage"]) {
      const r = await v2(hw, "POST", `/bad/mp?uploadId=${uploadId}`, { body });
      assert.ok(r.status >= 400 && r.status < 500, `${body}: ${r.status} ${r.body}`);
      assert.match(r.body, /<Error>/);
    }
    expectError(await v2(hw, "PUT", "/bad2", { body: "<CreateBucketConfiguration><LocationConstraint>mars-1</LocationConstraint></CreateBucketConfiguration>" }), 400, "InvalidLocationConstraint");
    expectError(await v2(hw, "PUT", "/bad3", { body: "<CreateBucketConfiguration>" }), 400, "MalformedXML");
  });

  test("names, part numbers, upload ids, list parameters", async () => {
    for (const name of ["ab", "UPPER", "a..b", "192.168.1.1", `${"x".repeat(64)}`]) expectError(await v2(hw, "PUT", `/${name}`), 400, "InvalidBucketName");
    for (const n of ["0", "10001", "abc", "-1"]) expectError(await v2(hw, "PUT", `/bad/mp?partNumber=${n}&uploadId=${uploadId}`, { body: "x" }), 400, "InvalidArgument");
    expectError(await v2(hw, "PUT", "/bad/mp?partNumber=1&uploadId=NOPE", { body: "x" }), 404, "NoSuchUpload");
    expectError(await v2(hw, "GET", "/bad?max-keys=ten"), 400, "InvalidArgument");
    expectError(await v2(hw, "GET", "/bad?encoding-type=base64"), 400, "InvalidArgument");
    expectError(await v2(hw, "PUT", `/bad/${"k".repeat(1025)}`, { body: "x" }), 400, "KeyTooLongError");
    expectError(await v2(hw, "GET", "/nope-bucket/key"), 404, "NoSuchBucket");
  });

  test("ranges, metadata, copy sources, directives, digests", async () => {
    expectError(await v2(hw, "GET", "/bad/obj", { headers: { Range: "bytes=50-60" } }), 416, "InvalidRange");
    // A malformed Range is ignored and the whole object returned, as OBS documents.
    const whole = await v2(hw, "GET", "/bad/obj", { headers: { Range: "bytes=garbage" } });
    assert.equal(whole.status, 200);
    assert.equal(whole.body, "0123456789");
    expectError(await v2(hw, "PUT", "/bad/big-meta", { body: "x", headers: { "x-amz-meta-a": "v".repeat(9000) } }), 400, "MetadataTooLarge");
    expectError(await v2(hw, "PUT", "/bad/md5", { body: "x", headers: { "Content-MD5": md5("y") } }), 400, "BadDigest");
    expectError(await v2(hw, "PUT", "/bad/md5", { body: "x", headers: { "Content-MD5": "not-base64!" } }), 400, "InvalidDigest");
    for (const source of ["nobucket", "/", "bad/"]) {
      expectError(await v2(hw, "PUT", "/bad/copy", { headers: { "x-amz-copy-source": source } }), 400, "InvalidArgument");
    }
    expectError(await v2(hw, "PUT", "/bad/copy", { headers: { "x-amz-copy-source": "bad/missing" } }), 404, "NoSuchKey");
    expectError(await v2(hw, "PUT", "/bad/copy", { headers: { "x-amz-copy-source": "bad/obj", "x-amz-metadata-directive": "MERGE" } }), 400, "InvalidArgument");
    expectError(await v2(hw, "PUT", "/bad/obj?metadata", { headers: { "x-amz-metadata-directive": "COPY" } }), 400, "InvalidArgument");
    expectError(await v2(hw, "POST", "/bad?cors"), 501, "ServiceNotImplemented");
  });
});
