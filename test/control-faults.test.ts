// Fault rules (POST/GET/DELETE /_hwlocal/faults): errors in the target service's own shape (SDK and plain
// HTTP), the next N matches, seeded probabilities that replay, resource matching, latency that does not hold
// other requests up, dropped connections, failing jobs, OBS's XML, the journal's marks, and bad input.
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { after, before, describe, test } from "node:test";
import { ListVpcsRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError } from "./helpers/sdk.ts";
import { newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Json = Record<string, unknown>;

describe("fault rules", () => {
  let hw: TestHwlocal;
  let pid: string;
  const add = (rule: Json) => hw.call("POST", "/_hwlocal/faults", { creds: null, body: rule });
  const list = async () => (await hw.call("GET", "/_hwlocal/faults", { creds: null })).json.faults as Json[];
  const clear = () => hw.call("DELETE", "/_hwlocal/faults", { creds: null });
  const listVpcs = () => hw.call("GET", `/vpc/v1/${pid}/vpcs`);

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId();
  });
  after(() => hw.close());

  test("an error rule answers the SDK with the chosen status and code for the next N matches, marked in the journal", async () => {
    const r = await add({ service: "vpc", operation: "ListVpcs", times: 1, effect: { type: "error", status: 429, error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached." } });
    assert.equal(r.status, 201, r.text);
    const fault = r.json.fault as Json;
    assert.match(String(fault.id), /^[0-9a-f]{32}$/);
    assert.equal(fault.remaining, 1);
    const client = vpcClient(hw.url, hw.admin, pid);
    const err = await sdkError(client.listVpcs(new ListVpcsRequest()));
    assert.equal(err.httpStatusCode, 429);
    assert.equal(err.errorCode, "APIGW.0308");
    assert.equal(err.errorMsg, "The throttling threshold has been reached.");
    const [entry] = (await hw.call("GET", "/_hwlocal/journal", { creds: null, query: { limit: "1" } })).json.entries as Json[];
    assert.equal(entry!.fault, fault.id);
    assert.equal(entry!.status, 429);
    // spent: the next call goes through, and the rule stays listed with its hit
    await client.listVpcs(new ListVpcsRequest());
    const [listed] = await list();
    assert.equal(listed!.hits, 1);
    assert.equal(listed!.remaining, 0);
    await clear();
    assert.deepEqual(await list(), []);
  });

  test("errors take the service's envelope (ECS: nested), a resource rule matches its id only, the control plane is never faulted", async () => {
    await add({ service: "ecs", effect: { type: "error", status: 403, error_code: "Ecs.0001", error_msg: "Quota exceeded." } });
    const ecs = await hw.call("GET", `/ecs/v1/${pid}/cloudservers/detail`);
    assert.equal(ecs.status, 403);
    assert.deepEqual(ecs.json.error, { code: "Ecs.0001", message: "Quota exceeded." });
    assert.equal(ecs.json.error_code, "Ecs.0001");
    assert.equal(ecs.json.request_id, ecs.headers.get("x-request-id"));
    await clear();

    const client = vpcClient(hw.url, hw.admin, pid);
    const a = await newVpc(client, "10.2.0.0/16", "a");
    const b = await newVpc(client, "10.3.0.0/16", "b");
    await add({ resource: a.id, effect: { type: "error", status: 503, error_code: "VPC.0001", error_msg: "Unavailable." } });
    const hit = await hw.call("GET", `/vpc/v1/${pid}/vpcs/${a.id}`);
    assert.equal(hit.status, 503);
    assert.equal(hit.json.error_code, "VPC.0001");
    assert.equal((await hw.call("GET", `/vpc/v1/${pid}/vpcs/${b.id}`)).status, 200);
    // the control plane is never faulted, even by a rule that matches anything
    await add({ effect: { type: "error", status: 500, error_code: "X.1", error_msg: "x" } });
    assert.equal((await hw.call("GET", "/_hwlocal/health", { creds: null })).status, 200);
    assert.equal((await listVpcs()).status, 500);
    await clear();
  });

  test("a probability draws from the rule's seed: the same seed fires on the same requests", async () => {
    const pattern = async () => {
      await add({ service: "vpc", probability: 0.5, seed: "replay", effect: { type: "error", status: 503, error_code: "VPC.0503", error_msg: "x" } });
      let out = "";
      for (let i = 0; i < 24; i++) out += (await listVpcs()).status === 503 ? "x" : ".";
      await clear();
      return out;
    };
    const first = await pattern();
    assert.match(first, /x/);
    assert.match(first, /\./);
    assert.equal(await pattern(), first);
  });

  test("latency delays the answer without holding other requests up; drop closes the connection", async () => {
    await add({ service: "vpc", operation: "ListVpcs", times: 1, effect: { type: "latency", ms: 300 } });
    const t0 = performance.now();
    const slow = listVpcs().then((r) => ({ r, ms: performance.now() - t0 }));
    const other = await hw.call("GET", "/iam/v3/projects");
    const otherMs = performance.now() - t0;
    assert.equal(other.status, 200);
    const { r, ms } = await slow;
    assert.equal(r.status, 200);
    assert.ok(ms >= 295, `answered after ${ms} ms`);
    assert.ok(otherMs < ms, "another request was answered meanwhile");

    const drop = (await add({ service: "vpc", times: 1, effect: { type: "drop" } })).json.fault as Json;
    await assert.rejects(listVpcs());
    const [entry] = (await hw.call("GET", "/_hwlocal/journal", { creds: null, query: { service: "vpc", limit: "1" } })).json.entries as Json[];
    assert.equal(entry!.status, 0);
    assert.equal(entry!.fault, drop.id);
    assert.equal((await listVpcs()).status, 200);
    await clear();
  });

  test("a job rule fails the next job of its type with the given code", async () => {
    await add({ service: "evs", effect: { type: "job", job_type: "createVolume", error_code: "EVS.2024", error_msg: "Insufficient capacity." } });
    const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 10 } } });
    assert.equal(r.status, 202, r.text);
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 10 } });
    const job = (await hw.call("GET", `/evs/v1/${pid}/jobs/${String(r.json.job_id)}`)).json;
    assert.equal(job.status, "FAIL");
    assert.equal(job.error_code, "EVS.2024");
    assert.equal(job.fail_reason, "Insufficient capacity.");
    assert.equal(((await list())[0] as Json).hits, 1);
    // other requests are not touched by a job rule
    assert.equal((await listVpcs()).status, 200);
    const again = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 10 } } });
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 10 } });
    assert.equal((await hw.call("GET", `/evs/v1/${pid}/jobs/${String(again.json.job_id)}`)).json.status, "FAIL", "every matching job until removed");
    await clear();
  });

  test("OBS answers a fault in its XML", async () => {
    await add({ service: "obs", times: 1, effect: { type: "error", status: 503, error_code: "ServiceUnavailable", error_msg: "Please reduce your request rate." } });
    const r = await fetch(`${hw.url}/some-bucket`, { headers: { Authorization: `OBS ${hw.admin.ak}:c2ln`, Date: new Date().toUTCString() } });
    assert.equal(r.status, 503);
    assert.match(r.headers.get("content-type") ?? "", /xml/);
    const text = await r.text();
    assert.match(text, /<Error><Code>ServiceUnavailable<\/Code><Message>Please reduce your request rate.<\/Message><RequestId>[0-9A-F]{32}<\/RequestId>/);
    await clear();
  });

  test("bad rules are refused with 400, unknown ids with 404", async () => {
    const bad: Json[] = [
      {},
      { effect: { type: "explode" } },
      { effect: { type: "error", status: 200, error_code: "X", error_msg: "x" } },
      { effect: { type: "error", status: 500, error_msg: "x" } },
      { probability: 1.5, effect: { type: "drop" } },
      { times: 0, effect: { type: "drop" } },
      { effect: { type: "latency", ms: -1 } },
      { colour: "red", effect: { type: "drop" } },
    ];
    for (const rule of bad) {
      const r = await add(rule);
      assert.equal(r.status, 400, `${JSON.stringify(rule)}: ${r.text}`);
      assert.equal(r.json.error_code, "HWLOCAL.0400");
    }
    const notJson = await hw.call("POST", "/_hwlocal/faults", { creds: null, rawBody: "{" });
    assert.equal(notJson.status, 400);
    const missing = await hw.call("DELETE", "/_hwlocal/faults/nope", { creds: null });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error_code, "HWLOCAL.0404");
    const id = ((await add({ effect: { type: "drop" }, service: "nothing" })).json.fault as Json).id as string;
    assert.equal((await hw.call("DELETE", `/_hwlocal/faults/${id}`, { creds: null })).status, 204);
    assert.deepEqual(await list(), []);
  });
});

describe("fault rules beyond loopback", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal({ host: "0.0.0.0" });
  });
  after(() => hw.close());

  test("the journal and fault calls want an administrator's signature", async () => {
    for (const [method, path] of [["GET", "/_hwlocal/faults"], ["GET", "/_hwlocal/journal"], ["DELETE", "/_hwlocal/faults"], ["DELETE", "/_hwlocal/journal"]] as const) {
      const anon = await hw.call(method, path, { creds: null });
      assert.equal(anon.status, 403, `${method} ${path}`);
      assert.equal(anon.json.error_code, "HWLOCAL.0403");
    }
    const signed = await hw.call("POST", "/_hwlocal/faults", { body: { service: "vpc", effect: { type: "drop" } } });
    assert.equal(signed.status, 201, signed.text);
    assert.equal((await hw.call("GET", "/_hwlocal/journal")).status, 200);
  });
});
