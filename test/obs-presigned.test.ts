// Presigned URLs fetched with plain fetch, as a browser or curl uses them (issue 9): @aws-sdk/s3-request-
// presigner's V4 GET and PUT URLs and esdk-obs-nodejs's V2 `createSignedUrlSync` work; a URL with one
// signature character changed, or one signed in the past whose lifetime has run out, is refused with 403
// and OBS's XML error.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { md5, s3Client } from "./helpers/obs-process.ts";

interface EsdkClient {
  createSignedUrlSync(p: Record<string, unknown>): { SignedUrl: string };
  close(): void;
}
const ObsClient = createRequire(import.meta.url)("esdk-obs-nodejs") as new (o: Record<string, unknown>) => EsdkClient;

let hw: TestHwlocal;
let client: S3Client;
before(async () => {
  hw = await startTestHwlocal();
  client = s3Client(hw.url);
  await client.send(new CreateBucketCommand({ Bucket: "signed" }));
  await client.send(new PutObjectCommand({ Bucket: "signed", Key: "dir/a b+ü.txt", Body: "hello presigned", ContentType: "text/plain" }));
});
after(async () => {
  client.destroy();
  await hw.close();
});

/** Changes one character of the signature parameter, keeping it the same length and alphabet. */
function tamper(url: string, param: string): string {
  const u = new URL(url);
  const sig = u.searchParams.get(param)!;
  const i = sig.length >> 1;
  const swapped = sig[i] === "a" ? "b" : "a";
  u.searchParams.set(param, sig.slice(0, i) + swapped + sig.slice(i + 1));
  return u.toString();
}

/** Fetches a URL that must be refused: 403 with OBS's XML error body; returns its code and message. */
async function refused(url: string, init: RequestInit = {}): Promise<{ code: string; message: string }> {
  const res = await fetch(url, init);
  const body = await res.text();
  assert.equal(res.status, 403, body);
  assert.match(res.headers.get("content-type") ?? "", /xml/);
  assert.match(body, /^<\?xml[^>]*\?>\s*<Error>/);
  assert.match(body, /<RequestId>[^<]+<\/RequestId>/);
  assert.ok(res.headers.get("x-obs-request-id"));
  return { code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? "", message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? "" };
}

test("@aws-sdk/s3-request-presigner GET and PUT URLs work with plain fetch", async () => {
  const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: "signed", Key: "dir/a b+ü.txt" }), { expiresIn: 300 });
  assert.match(get, /X-Amz-Signature=/);
  const res = await fetch(get);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "hello presigned");
  assert.equal(res.headers.get("etag"), `"${md5("hello presigned")}"`);

  const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: "signed", Key: "uploaded.bin" }), { expiresIn: 300 });
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff));
  const up = await fetch(put, { method: "PUT", body: bytes });
  assert.equal(up.status, 200, await up.text());
  assert.equal(up.headers.get("etag"), `"${md5(bytes)}"`);
  const back = await client.send(new GetObjectCommand({ Bucket: "signed", Key: "uploaded.bin" }));
  assert.equal(md5(Buffer.from(await back.Body!.transformToByteArray())), md5(bytes));
});

test("a tampered V4 URL is refused with SignatureDoesNotMatch, and the object is untouched", async () => {
  const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: "signed", Key: "dir/a b+ü.txt" }), { expiresIn: 300 });
  assert.equal((await refused(tamper(get, "X-Amz-Signature"))).code, "SignatureDoesNotMatch");
  const other = new URL(get);
  other.pathname = other.pathname.replace("a%20b", "a%20c");
  assert.equal((await refused(other.toString())).code, "SignatureDoesNotMatch", "another key under the same signature");

  const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: "signed", Key: "dir/a b+ü.txt" }), { expiresIn: 300 });
  assert.equal((await refused(tamper(put, "X-Amz-Signature"), { method: "PUT", body: "overwritten" })).code, "SignatureDoesNotMatch");
  assert.equal((await refused(get, { method: "PUT", body: "overwritten" })).code, "SignatureDoesNotMatch", "a GET URL used for a PUT");
  assert.equal(await (await fetch(get)).text(), "hello presigned");
});

test("an expired V4 URL (signed in the past) is refused; the same lifetime signed now works", async () => {
  const command = new GetObjectCommand({ Bucket: "signed", Key: "dir/a b+ü.txt" });
  const past = new Date(Date.now() - 10 * 60_000);
  const expired = await getSignedUrl(client, command, { expiresIn: 60, signingDate: past });
  assert.match(expired, /X-Amz-Expires=60/);
  const e = await refused(expired);
  assert.equal(e.code, "RequestTimeTooSkewed");
  assert.equal(e.message, "Request has expired.");
  const putExpired = await getSignedUrl(client, new PutObjectCommand({ Bucket: "signed", Key: "late.txt" }), { expiresIn: 60, signingDate: past });
  assert.equal((await refused(putExpired, { method: "PUT", body: "late" })).code, "RequestTimeTooSkewed");
  assert.equal((await fetch(await getSignedUrl(client, command, { expiresIn: 60 }))).status, 200);
});

test("esdk-obs-nodejs createSignedUrlSync (V2) GET works with fetch; tampered and expired are refused", async (t) => {
  const obs = new ObsClient({ access_key_id: hw.admin.ak, secret_access_key: hw.admin.sk, server: hw.url });
  await new Promise((r) => setImmediate(r)); // esdk's factory is ready after a turn
  try {
    const url = obs.createSignedUrlSync({ Method: "GET", Bucket: "signed", Key: "dir/a b+ü.txt", Expires: 300 }).SignedUrl;
    assert.match(url, /[?&]AWSAccessKeyId=.*Signature=/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "hello presigned");
    assert.equal(res.headers.get("content-type"), "text/plain");

    assert.equal((await refused(tamper(url, "Signature"))).code, "SignatureDoesNotMatch");
    const u = new URL(url);
    u.searchParams.set("Expires", String(Number(u.searchParams.get("Expires")) + 1));
    assert.equal((await refused(u.toString())).code, "SignatureDoesNotMatch", "a later Expires is not signed");
    // esdk signs Expires as its clock + lifetime (a negative lifetime becomes 300 s): sign ten minutes ago.
    t.mock.timers.enable({ apis: ["Date"], now: Date.now() - 10 * 60_000 });
    const old = obs.createSignedUrlSync({ Method: "GET", Bucket: "signed", Key: "dir/a b+ü.txt", Expires: 60 }).SignedUrl;
    t.mock.timers.reset();
    const e = await refused(old);
    assert.deepEqual(e, { code: "RequestTimeTooSkewed", message: "Request has expired." });
  } finally {
    obs.close();
  }
});
