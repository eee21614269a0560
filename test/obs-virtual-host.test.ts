// Virtual-host style in the OBS dialect, as esdk-obs-nodejs talks to a host name (obs-facts §2.1): the
// server is http://obs.cn-north-4.myhuaweicloud.com:<port>, an http_agent resolves every name to 127.0.0.1,
// and the SDK negotiates with an unsigned HEAD /?apiversion, then signs with the OBS signature and x-obs-*
// headers, the bucket in the Host (esdk sends it without the port). What the SDK sends and receives is observed through Node's http
// diagnostics channels.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { Agent, request, type ClientRequest, type IncomingMessage } from "node:http";
import type { LookupAddress } from "node:dns";
import { createRequire } from "node:module";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { md5 } from "./helpers/obs-process.ts";

interface EsdkResult {
  CommonMsg: { Status: number; Code?: string; Message?: string; RequestId?: string };
  InterfaceResult?: Record<string, unknown>;
}
type EsdkClient = Record<string, (params: Record<string, unknown>) => Promise<EsdkResult>> & {
  close(): void;
  createSignedUrlSync(p: Record<string, unknown>): { SignedUrl: string };
};
const ObsClient = createRequire(import.meta.url)("esdk-obs-nodejs") as new (o: Record<string, unknown>) => EsdkClient;

interface Seen {
  method: string;
  host: string;
  path: string;
  authorization: string;
  headers: string[];
  status?: number;
  responseHeaders?: IncomingMessage["headers"];
}

const DOMAIN = "obs.cn-north-4.myhuaweicloud.com";
const seen: Seen[] = [];
const onRequest = (message: unknown) => {
  const request = (message as { request: ClientRequest }).request;
  const host = String(request.getHeader("host") ?? "");
  if (!host.includes(DOMAIN)) return;
  const entry: Seen = {
    method: request.method,
    host,
    path: request.path,
    authorization: String(request.getHeader("authorization") ?? ""),
    headers: request.getHeaderNames(),
  };
  seen.push(entry);
  request.once("response", (res: IncomingMessage) => {
    entry.status = res.statusCode;
    entry.responseHeaders = res.headers;
  });
};

let hw: TestHwlocal;
let obs: EsdkClient;
let agent: Agent;
before(async () => {
  hw = await startTestHwlocal();
  subscribe("http.client.request.start", onRequest);
  // Every name is 127.0.0.1: what a wildcard DNS entry for *.obs.cn-north-4.myhuaweicloud.com would give.
  agent = new Agent({
    keepAlive: true,
    lookup: (_host, options, callback) => {
      const cb = callback as (err: Error | null, address: string | LookupAddress[], family?: number) => void;
      if ((options as { all?: boolean }).all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
      else cb(null, "127.0.0.1", 4);
    },
  });
  obs = new ObsClient({ access_key_id: hw.admin.ak, secret_access_key: hw.admin.sk, server: `http://${DOMAIN}:${hw.port}`, http_agent: agent });
  await new Promise((r) => setImmediate(r)); // esdk's factory is ready after a turn
});
after(async () => {
  unsubscribe("http.client.request.start", onRequest);
  obs.close();
  agent.destroy();
  await hw.close();
});

async function ok(op: string, params: Record<string, unknown>): Promise<EsdkResult> {
  const r = await obs[op]!(params);
  assert.ok(r.CommonMsg.Status < 300, `${op}: ${r.CommonMsg.Status} ${r.CommonMsg.Code ?? ""} ${r.CommonMsg.Message ?? ""}`);
  return r;
}

test("esdk negotiates HEAD /?apiversion, then signs with OBS and x-obs-* headers on the bucket's host", async () => {
  seen.length = 0;
  await ok("createBucket", { Bucket: "vhost-bkt", Location: "cn-north-4" });
  const negotiation = seen.find((s) => s.path === "/?apiversion");
  assert.ok(negotiation, "the SDK asked for the API version");
  assert.equal(negotiation.method, "HEAD");
  assert.equal(negotiation.authorization, "", "the negotiation is unsigned");
  assert.equal(negotiation.status, 200);
  assert.equal(negotiation.responseHeaders?.["x-obs-api"], "3.0");
  const create = seen.find((s) => s.method === "PUT")!;
  assert.equal(create.host, `vhost-bkt.${DOMAIN}`);
  assert.equal(create.path, "/");
  assert.match(create.authorization, new RegExp(`^OBS ${hw.admin.ak}:`));
  assert.equal(create.status, 200);
  assert.ok(create.responseHeaders?.["x-obs-request-id"], "OBS's request id header");

  seen.length = 0;
  const head = await obs.headBucket!({ Bucket: "vhost-bkt" });
  assert.equal(head.CommonMsg.Status, 200);
  const bucketNegotiation = seen.find((s) => s.path === "/?apiversion");
  assert.ok(bucketNegotiation, "the SDK asked again on the bucket's host");
  assert.equal(bucketNegotiation.host, `vhost-bkt.${DOMAIN}`);
  assert.equal(bucketNegotiation.status, 200, "an unsigned negotiation on a bucket's host is answered, not refused");
  assert.equal(bucketNegotiation.responseHeaders?.["x-obs-api"], "3.0");
  assert.match(seen.find((s) => s.method === "HEAD" && s.path === "/")?.authorization ?? "", /^OBS /);
  // On the host of a bucket that does not exist, the negotiation is 404 (esdk returns that as the result).
  const missing = await new Promise<IncomingMessage>((resolve, reject) =>
    request({ port: hw.port, host: "127.0.0.1", method: "HEAD", path: "/?apiversion", headers: { host: `no-such-bkt.${DOMAIN}` } }, resolve)
      .on("error", reject)
      .end(),
  );
  missing.resume();
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.headers["x-obs-error-code"], "NoSuchBucket");
});

test("put, get, list and delete through the OBS dialect", async () => {
  await ok("createBucket", { Bucket: "vhost-objects" });
  seen.length = 0;
  const put = await ok("putObject", {
    Bucket: "vhost-objects",
    Key: "dir/a b+ü.txt",
    Body: "virtual host body",
    Metadata: { owner: "me" },
    StorageClass: "STANDARD",
  });
  assert.equal(put.InterfaceResult?.ETag, `"${md5("virtual host body")}"`);
  assert.ok(put.InterfaceResult?.RequestId, "the SDK read x-obs-request-id");
  const putSeen = seen.find((s) => s.method === "PUT")!;
  assert.equal(putSeen.host, `vhost-objects.${DOMAIN}`);
  assert.equal(putSeen.path, "/dir/a%20b%2B%C3%BC.txt");
  assert.match(putSeen.authorization, /^OBS /);
  assert.ok(putSeen.headers.includes("x-obs-meta-owner"), `x-obs-* headers: ${putSeen.headers.join(", ")}`);
  assert.ok(!putSeen.headers.some((h) => h.startsWith("x-amz-")), "no x-amz-* header in OBS mode");
  assert.ok(putSeen.responseHeaders?.["x-obs-request-id"]);

  await ok("putObject", { Bucket: "vhost-objects", Key: "dir/sub/b.txt", Body: "b" });
  await ok("putObject", { Bucket: "vhost-objects", Key: "top.txt", Body: "t" });

  const got = await ok("getObject", { Bucket: "vhost-objects", Key: "dir/a b+ü.txt" });
  assert.equal(String(got.InterfaceResult?.Content), "virtual host body");
  // esdk sends a Body upload as application/json whatever ContentType says (obs-facts §2.1): stored as sent.
  assert.equal(got.InterfaceResult?.ContentType, "application/json");
  assert.deepEqual(got.InterfaceResult?.Metadata, { owner: "me" });
  const missing = await obs.getObject!({ Bucket: "vhost-objects", Key: "nope" });
  assert.equal(missing.CommonMsg.Status, 404);
  assert.equal(missing.CommonMsg.Code, "NoSuchKey");

  const listed = await ok("listObjects", { Bucket: "vhost-objects", Prefix: "dir/", Delimiter: "/" });
  const contents = (listed.InterfaceResult?.Contents ?? []) as { Key: string }[];
  const prefixes = (listed.InterfaceResult?.CommonPrefixes ?? []) as { Prefix: string }[];
  assert.deepEqual(
    contents.map((c) => c.Key),
    ["dir/a b+ü.txt"],
  );
  assert.deepEqual(
    prefixes.map((p) => p.Prefix),
    ["dir/sub/"],
  );
  const all = await ok("listObjects", { Bucket: "vhost-objects" });
  assert.deepEqual(
    ((all.InterfaceResult?.Contents ?? []) as { Key: string }[]).map((c) => c.Key),
    ["dir/a b+ü.txt", "dir/sub/b.txt", "top.txt"],
  );

  for (const Key of ["dir/a b+ü.txt", "dir/sub/b.txt", "top.txt"]) await ok("deleteObject", { Bucket: "vhost-objects", Key });
  assert.deepEqual((await ok("listObjects", { Bucket: "vhost-objects" })).InterfaceResult?.Contents ?? [], []);
  await ok("deleteBucket", { Bucket: "vhost-objects" });
  const gone = await obs.headBucket!({ Bucket: "vhost-objects" });
  assert.equal(gone.CommonMsg.Status, 404);
  const buckets = await ok("listBuckets", {});
  const names = ((buckets.InterfaceResult?.Buckets ?? []) as { BucketName: string }[]).map((b) => b.BucketName);
  assert.ok(names.includes("vhost-bkt") && !names.includes("vhost-objects"), names.join(", "));
});

/** A request through the agent that resolves every name to 127.0.0.1; resolves to status, headers, body. */
function viaAgent(url: string, method = "GET", body?: string): Promise<{ status: number; headers: IncomingMessage["headers"]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("OBS-mode presigned URLs on the bucket's host: PUT then GET; a changed signature is refused", async () => {
  await ok("createBucket", { Bucket: "vhost-signed" });
  const put = obs.createSignedUrlSync({ Method: "PUT", Bucket: "vhost-signed", Key: "dir/s.txt", Expires: 300 }).SignedUrl;
  const url = new URL(put);
  assert.equal(url.hostname, `vhost-signed.${DOMAIN}`);
  assert.ok(url.searchParams.has("AccessKeyId"), put);
  const stored = await viaAgent(put, "PUT", "signed by url");
  assert.equal(stored.status, 200, stored.text);
  assert.equal(stored.headers.etag, `"${md5("signed by url")}"`);
  const get = obs.createSignedUrlSync({ Method: "GET", Bucket: "vhost-signed", Key: "dir/s.txt", Expires: 300 }).SignedUrl;
  const got = await viaAgent(get);
  assert.equal(got.status, 200);
  assert.equal(got.text, "signed by url");
  assert.ok(got.headers["x-obs-request-id"]);
  const bad = new URL(get);
  const sig = bad.searchParams.get("Signature")!;
  bad.searchParams.set("Signature", (sig[0] === "A" ? "B" : "A") + sig.slice(1));
  const refused = await viaAgent(bad.toString());
  assert.equal(refused.status, 403);
  assert.match(refused.text, /<Code>SignatureDoesNotMatch<\/Code>/);
});
