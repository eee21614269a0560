// The request journal (GET/DELETE /_hwlocal/journal, its SSE stream): what an entry holds, the secrets it
// masks (IAM's password, token and credential bodies, signatures, token headers), its filters and bad
// input, OBS's entries without bodies, the cap on bodies and the ring's bound under 20,000 requests.
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { vpcClient, newVpc } from "./helpers/vpc-sdk.ts";
import { esdkClient, type EsdkClient } from "./helpers/obs-clients.ts";
import { maskAuthorization, maskBody, maskQuery } from "../src/control/journal-mask.ts";
import { Journal, type JournalRecord } from "../src/control/journal.ts";

type Json = Record<string, unknown>;
interface Entry {
  id: number;
  time: string;
  service: string | null;
  operation: string | null;
  region: string | null;
  project_id: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  latency_ms: number | null;
  request_id: string;
  caller: { user_name: string; access_key: string | null; via: string } | null;
  fault: string | null;
  request: { headers: Record<string, string>; body: string | null; size: number; truncated: boolean; captured?: boolean };
  response: { headers: Record<string, string>; body: string | null; size: number; truncated: boolean; captured?: boolean };
}

async function journal(hw: TestHwlocal, query: Record<string, string> = {}): Promise<Entry[]> {
  const r = await hw.call("GET", "/_hwlocal/journal", { creds: null, query });
  assert.equal(r.status, 200, r.text);
  return r.json.entries as Entry[];
}

const START = Date.now();

describe("request journal", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(START) });
  });
  after(() => hw.close());

  test("an SDK call is recorded with its service, operation, scope, caller, latency and bodies; signatures masked", async () => {
    const pid = hw.projectId();
    const vpc = await newVpc(vpcClient(hw.url, hw.admin, pid), "10.1.0.0/16", "journal-vpc");
    const [e] = await journal(hw, { limit: "1" });
    assert.ok(e);
    assert.equal(e.service, "vpc");
    assert.equal(e.operation, "CreateVpc");
    assert.equal(e.region, "cn-north-4");
    assert.equal(e.project_id, pid);
    assert.equal(e.method, "POST");
    assert.equal(e.path, `/vpc/v1/${pid}/vpcs`);
    assert.equal(e.status, 200);
    assert.equal(e.time, new Date(START).toISOString(), "hwlocal's clock");
    assert.ok(typeof e.latency_ms === "number" && e.latency_ms >= 0);
    assert.match(e.request_id, /^[0-9a-f]{32}$/);
    assert.equal(e.caller?.user_name, hw.seed.user.name);
    assert.equal(e.caller?.access_key, hw.admin.ak);
    assert.equal(e.fault, null);
    const auth = e.request.headers.authorization ?? "";
    assert.match(auth, /^SDK-HMAC-SHA256 Access=\S+, SignedHeaders=\S+, Signature=\*\*\*$/);
    assert.ok(!auth.includes(hw.admin.sk));
    assert.deepEqual(JSON.parse(e.request.body ?? "{}"), { vpc: { name: "journal-vpc", cidr: "10.1.0.0/16" } });
    assert.equal((JSON.parse(e.response.body ?? "{}") as { vpc: { id: string } }).vpc.id, vpc.id);
    assert.equal(e.response.headers["X-Request-Id"], e.request_id);
    assert.equal(e.request.truncated, false);
  });

  test("IAM's secrets are masked: passwords, X-Subject-Token, X-Auth-Token, credential secret and securitytoken", async () => {
    const { user, domain } = hw.seed;
    const issue = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: {
        auth: {
          identity: { methods: ["password"], password: { user: { name: user.name, password: user.password, domain: { name: domain.name } } } },
          scope: { project: { id: hw.projectId() } },
        },
      },
    });
    assert.equal(issue.status, 201, issue.text);
    const token = issue.headers.get("x-subject-token")!;
    const temp = await hw.call("POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", {
      creds: null,
      headers: { "X-Auth-Token": token },
      body: { auth: { identity: { methods: ["token"], token: { id: token, duration_seconds: 900 } } } },
    });
    assert.equal(temp.status, 201, temp.text);
    const cred = temp.json.credential as { secret: string; securitytoken: string };
    const [t, i] = await journal(hw, { service: "iam", limit: "2" });
    assert.ok(t && i);
    const all = JSON.stringify([t, i]);
    for (const secret of [user.password, token, cred.secret, cred.securitytoken]) assert.ok(!all.includes(secret), `leaked ${secret.slice(0, 12)}`);
    assert.equal(i.operation !== null && i.status, 201);
    assert.match(i.request.body ?? "", /"password":"\*\*\*"/);
    assert.match(i.request.body ?? "", /"methods":\["password"\]/, "the rest of the body stays readable");
    assert.equal(i.response.headers["X-Subject-Token"] ?? i.response.headers["x-subject-token"], "***");
    assert.equal(i.caller, null, "a password call has no caller yet");
    assert.equal(t.request.headers["x-auth-token"], "***");
    assert.match(t.response.body ?? "", /"secret":"\*\*\*"/);
    assert.match(t.response.body ?? "", /"securitytoken":"\*\*\*"/);
    assert.match(t.response.body ?? "", /"access":"[A-Z0-9]{20}"/, "the access key is no secret");
    assert.equal(t.caller?.via, "token");
    assert.equal(i.response.size, Buffer.byteLength(issue.text));
    assert.equal(i.response.truncated, issue.text.length > 16 * 1024);
    if (i.response.truncated) assert.equal(i.response.body?.length, 16 * 1024);
  });

  test("control calls are not recorded; filters by service, operation, status, since and limit; DELETE clears", async () => {
    const pid = hw.projectId();
    await hw.call("GET", "/_hwlocal/health", { creds: null });
    assert.ok((await journal(hw, { limit: "1000" })).every((e) => !e.path.startsWith("/_hwlocal")));
    const missing = await hw.call("GET", `/vpc/v1/${pid}/vpcs/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`);
    assert.equal(missing.status, 404);
    const [last] = await journal(hw, { limit: "1" });
    await hw.call("GET", `/vpc/v1/${pid}/vpcs`);
    const after = await journal(hw, { since: String(last!.id) });
    assert.deepEqual(after.map((e) => e.operation), ["ListVpcs"]);
    assert.ok((await journal(hw, { status: "4xx" })).every((e) => e.status >= 400 && e.status < 500));
    assert.equal((await journal(hw, { status: "404" }))[0]?.operation, "ShowVpc");
    assert.ok((await journal(hw, { status: "error" })).length >= 1);
    assert.deepEqual(
      (await journal(hw, { service: "vpc", operation: "ListVpcs" })).map((e) => e.operation),
      ["ListVpcs"],
    );
    assert.equal((await journal(hw, { since: new Date(START - 1000).toISOString() })).length > 0, true);
    assert.equal((await journal(hw, { since: new Date(START + 1000).toISOString() })).length, 0);
    const newest = await journal(hw, { limit: "2" });
    assert.ok(newest[0]!.id > newest[1]!.id, "newest first");

    for (const [k, v] of [["limit", "0"], ["limit", "x"], ["status", "teapot"], ["since", "yesterday"]] as const) {
      const bad = await hw.call("GET", "/_hwlocal/journal", { creds: null, query: { [k]: v } });
      assert.equal(bad.status, 400, `${k}=${v}: ${bad.text}`);
      assert.equal(bad.json.error_code, "HWLOCAL.0400");
    }
    const cleared = await hw.call("DELETE", "/_hwlocal/journal", { creds: null });
    assert.equal(cleared.status, 204);
    assert.deepEqual(await journal(hw), []);
  });

  test("OBS requests are recorded with their sizes but no bodies", async () => {
    await hw.call("DELETE", "/_hwlocal/journal", { creds: null });
    const auth = `OBS ${hw.admin.ak}:bm90IGEgc2lnbmF0dXJl`;
    const r = await fetch(`${hw.url}/journal-bucket/key.txt`, { method: "PUT", body: "hello obs", headers: { Authorization: auth, Date: new Date().toUTCString() } });
    assert.ok(r.status >= 400, String(r.status));
    await r.text();
    const [e] = await journal(hw);
    assert.ok(e, "OBS's request is in the journal");
    assert.equal(e.service, "obs");
    assert.equal(e.status, r.status);
    assert.equal(e.request.body, null);
    assert.equal(e.request.captured, false);
    assert.equal(e.request.size, 9);
    assert.equal(e.response.body, null);
    assert.equal(e.request.headers.authorization, `OBS ${hw.admin.ak}:***`);
    // the region of OBS's endpoint; OBS buckets belong to a domain, so there is no project
    assert.equal(e.region, "cn-north-4");
    assert.equal(e.project_id, null);
    assert.equal(e.response.headers["x-request-id"] ?? e.response.headers["X-Request-Id"], e.request_id);
  });

  test("the stream sends new entries as Server-Sent Events and lets go when the client leaves", async () => {
    const ac = new AbortController();
    const res = await fetch(`${hw.url}/_hwlocal/journal/stream?service=vpc`, { signal: ac.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    assert.match(text, /^: hwlocal journal\n\n/);
    await hw.call("GET", "/iam/v3/projects"); // another service: filtered out
    await hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs`);
    while (!text.includes("\ndata: ") || !text.endsWith("\n\n")) text += decoder.decode((await reader.read()).value);
    const events = text.split("\n\n").filter((b) => b.includes("data: "));
    assert.equal(events.length, 1, text);
    const data = JSON.parse(events[0]!.split("\n").find((l) => l.startsWith("data: "))!.slice(6)) as Entry;
    assert.equal(data.operation, "ListVpcs");
    assert.match(events[0]!, /^id: \d+\n/);
    ac.abort();
    // The server drops its subscriber on the connection's close.
    for (let i = 0; i < 1000 && hw.journal!.subscribers > 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(hw.journal!.subscribers, 0);
  });

  test("20,000 requests keep the ring at its bound and every kept body under the cap", async () => {
    await hw.call("DELETE", "/_hwlocal/journal", { creds: null });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const small = Buffer.alloc(512, "a");
    const big = Buffer.alloc(64 * 1024, "b");
    const send = (i: number) =>
      new Promise<void>((resolve, reject) => {
        const body = i % 1000 === 0 ? big : small;
        const req = request(
          { host: "127.0.0.1", port: hw.port, path: `/vpc/nowhere/${i}`, method: "POST", agent, headers: { "Content-Length": body.length } },
          (res) => {
            res.resume();
            res.on("end", resolve);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    let next = 0;
    const worker = async () => {
      while (next < 20_000) await send(next++);
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    agent.destroy();
    const j = hw.journal!;
    assert.equal(j.size, 10_000, "the default size");
    assert.equal(j.length, 10_000);
    const entries = await journal(hw, { limit: "1000000" });
    assert.equal(entries.length, 10_000);
    assert.equal(entries[0]!.path, "/vpc/nowhere/19999");
    assert.equal(entries.at(-1)!.path, "/vpc/nowhere/10000");
    const truncated = entries.filter((e) => e.request.truncated);
    assert.equal(truncated.length, 10);
    for (const e of truncated) {
      assert.equal(e.request.size, 64 * 1024);
      assert.equal(e.request.body?.length, 16 * 1024);
    }
    assert.ok(entries.every((e) => (e.request.body?.length ?? 0) <= 16 * 1024 && (e.response.body?.length ?? 0) <= 16 * 1024));
    await hw.call("DELETE", "/_hwlocal/journal", { creds: null });
    assert.equal(j.length, 0);
  });
});

describe("journal masking", () => {
  test("the shapes secrets come in: IAM bodies, nova's adminPass, cut bodies, forms, presigned queries, every Authorization", () => {
    const body = {
      auth: { identity: { methods: ["password", "token"], password: { user: { name: "u", password: 'p"w' } }, token: { id: `MIIB${"x".repeat(40)}` } } },
      user: { password_expires_at: "2026-01-01", user_passwd: "q" },
      server: { adminPass: "zz" },
      credential: { access: "AKAK", secret: "S3CR3T", securitytoken: "gQabc" },
    };
    assert.deepEqual(JSON.parse(maskBody(JSON.stringify(body))), {
      auth: { identity: { methods: ["password", "token"], password: { user: { name: "u", password: "***" } }, token: { id: "***" } } },
      user: { password_expires_at: "2026-01-01", user_passwd: "***" },
      server: { adminPass: "***" },
      credential: { access: "AKAK", secret: "***", securitytoken: "***" },
    });
    assert.equal(maskBody('{"user":{"password":"abcdefg'), '{"user":{"password":"***"', "a body cut at the cap");
    assert.equal(maskBody("grant_type=password&password=hunter2&username=x"), "grant_type=password&password=***&username=x");
    assert.equal(maskQuery("AccessKeyId=AK&Expires=1&Signature=abc%2B"), "AccessKeyId=AK&Expires=1&Signature=***");
    assert.equal(maskQuery("X-Amz-Credential=a%2Fb&X-Amz-Signature=ff&X-Amz-Security-Token=tt"), "X-Amz-Credential=a%2Fb&X-Amz-Signature=***&X-Amz-Security-Token=***");
    assert.equal(
      maskAuthorization("AWS4-HMAC-SHA256 Credential=AK/20260101/cn-north-4/s3/aws4_request, SignedHeaders=host, Signature=abcd"),
      "AWS4-HMAC-SHA256 Credential=AK/20260101/cn-north-4/s3/aws4_request, SignedHeaders=host, Signature=***",
    );
    assert.equal(maskAuthorization("AWS AK:c2ln"), "AWS AK:***");
    assert.equal(maskAuthorization("Bearer xyz"), "Bearer ***");
  });
});

describe("journal ring", () => {
  test("an answer beyond the cap is cut to a copy, sized by its Content-Length; the ring keeps its newest", () => {
    const j = new Journal(2);
    const rec = (text: string, i: number): JournalRecord => ({
      now: i, wall: i, requestId: String(i), method: "GET", rawPath: `/x/${i}`, rawQuery: "", status: 200, latencyMs: 1,
      service: "x", operation: "X", region: undefined, projectId: undefined, principal: undefined, remote: "::ffff:127.0.0.1",
      requestHeaders: {}, requestBody: undefined, responseHeaders: { "Content-Length": String(Buffer.byteLength(text)) },
      responseBody: text, fault: undefined,
    policy: undefined, streamed: false, seq: 0, requestTruncated: false, responseTruncated: false, requestSize: 0, responseSize: 0,
    });
    const big = `"${"é".repeat(20_000)}"`;
    j.record(rec("{}", 1));
    j.record(rec(big, 2));
    j.record(rec("[]", 3));
    assert.equal(j.length, 2);
    const [newest, cut] = j.list().map((e) => j.view(e));
    assert.equal(newest!.response.body, "[]");
    assert.equal(newest!.response.size, 2);
    assert.equal(newest!.remote, "127.0.0.1");
    assert.equal(cut!.response.truncated, true);
    assert.equal(cut!.response.size, Buffer.byteLength(big));
    assert.equal(cut!.response.body, big.slice(0, 16 * 1024));
  });

  test("headers and bodies live in a fixed arena: once it has gone round, the oldest entries keep their sizes, not their bytes", () => {
    const j = new Journal(100, 8192);
    const rec = (i: number): JournalRecord => ({
      now: i, wall: i, requestId: String(i), method: "POST", rawPath: `/x/${i}`, rawQuery: "", status: 201, latencyMs: 1,
      service: "x", operation: "X", region: undefined, projectId: undefined, principal: undefined, remote: undefined,
      requestHeaders: { "content-type": "application/json" }, requestBody: Buffer.from(`{"n":${i}}`), responseHeaders: { "x-request-id": String(i) },
      responseBody: `{"answer":${i},"pad":"${"p".repeat(400)}"}`, fault: undefined,
    policy: undefined, streamed: false, seq: 0, requestTruncated: false,
      responseTruncated: false, requestSize: 0, responseSize: 0,
    });
    for (let i = 1; i <= 60; i++) j.record(rec(i));
    const views = j.list({ limit: 60 }).map((e) => j.view(e));
    const newest = views[0]!;
    assert.equal(newest.request.body, '{"n":60}');
    assert.equal(newest.response.headers?.["x-request-id"], "60");
    assert.match(newest.response.body ?? "", /^\{"answer":60,/);
    const oldest = views.at(-1)!;
    assert.equal(oldest.response.body, null);
    assert.equal(oldest.response.size, Buffer.byteLength(rec(1).responseBody as string));
    assert.equal((oldest.response as { evicted?: boolean }).evicted, true);
    // Never a mix: an entry has its bytes or none.
    for (const v of views) assert.equal(v.request.body === null, v.response.body === null, `entry ${v.id}`);
  });
});

describe("request journal off", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ journalSize: 0 });
  });
  after(() => hw.close());

  test("--journal-size 0 records nothing and refuses the stream", async () => {
    await hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs`);
    const r = await hw.call("GET", "/_hwlocal/journal", { creds: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { entries: [], size: 0 } as Json);
    const s = await hw.call("GET", "/_hwlocal/journal/stream", { creds: null });
    assert.equal(s.status, 409);
    assert.equal(s.json.error_code, "HWLOCAL.0409");
    assert.equal(hw.journal, undefined);
  });
});

describe("request journal of signed OBS requests", () => {
  // The wall clock here (the other suites' is manual, which OBS's RequestTimeTooSkewed check would refuse).
  let hw: TestHwlocal;
  let obs: EsdkClient;
  before(async () => {
    hw = await startTestHwlocal();
    // esdk-obs-nodejs sets itself up asynchronously: a call in the same tick as its constructor fails.
    obs = esdkClient(hw);
  });
  after(async () => {
    obs.close();
    await hw.close();
  });

  test("the web console's own calls (X-Hwlocal-Console) are neither journaled nor matched by fault rules", async () => {
    const pid = hw.projectId();
    await hw.call("DELETE", "/_hwlocal/journal", { creds: null });
    await hw.call("POST", "/_hwlocal/faults", { creds: null, body: { service: "vpc", times: 1, effect: { type: "error", status: 503, error_code: "APIGW.0201", error_msg: "down" } } });
    const console = await hw.call("GET", `/vpc/v1/${pid}/vpcs`, { headers: { "X-Hwlocal-Console": "1" } });
    assert.equal(console.status, 200, "the rule did not fire on the console's read");
    assert.deepEqual(await journal(hw, { service: "vpc" }), []);
    assert.equal((await hw.call("GET", `/vpc/v1/${pid}/vpcs`)).status, 503, "the rule fires on the user's call");
    assert.equal((await journal(hw, { service: "vpc" })).length, 1);
    await hw.call("DELETE", "/_hwlocal/faults", { creds: null });
  });

  test("an OBS request signed through esdk-obs-nodejs names its caller, access key and region", async () => {
    assert.equal((await obs.createBucket!({ Bucket: "journal-signed" })).CommonMsg.Status, 200);
    const [made] = await journal(hw, { service: "obs", operation: "CreateBucket" });
    assert.ok(made, "the CreateBucket entry");
    assert.equal(made.status, 200);
    assert.equal(made.caller?.user_name, "admin");
    assert.equal(made.caller?.access_key, hw.admin.ak);
    assert.equal(made.region, "cn-north-4");
    assert.equal(made.project_id, null);
  });
});
