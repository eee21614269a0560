// SMN notify policies, the HTTP(S) endpoint detection against a local receiver, and the public
// subscribe/confirm/unsubscribe links (no credentials), with their error paths.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

function assertSmnError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.code, code, r.text);
  assert.equal(r.json.error_code, code, r.text);
}

function ok(r: CallResult, status = 200): Json {
  assert.equal(r.status, status, r.text);
  return r.json;
}

describe("smn notify policies, detection, public links", () => {
  let hw: TestHwlocal;
  let pid: string;
  let server: Server;
  let receiverUrl: string;
  const hits: { headers: Record<string, unknown>; body: string }[] = [];
  let answer = 200;
  const base = () => `/smn/v2/${pid}/notifications`;
  const topic = async (name: string) => ok(await hw.call("POST", `${base()}/topics`, { body: { name } }), 201).topic_urn as string;
  const subscribe = async (urn: string, protocol: string, endpoint: string) =>
    ok(await hw.call("POST", `${base()}/topics/${urn}/subscriptions`, { body: { protocol, endpoint } }), 201).subscription_urn as string;

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.statusCode = answer;
        res.end(`answer ${answer}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/detect`;
  });
  after(async () => {
    await hw.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("notify policy: create, show with subscriptions in order, update, delete", async () => {
    const urn = await topic("oncall");
    const s1 = await subscribe(urn, "sms", "+8613800000011");
    const s2 = await subscribe(urn, "sms", "+8613800000012");
    const np = `${base()}/topics/${urn}/notify-policy`;
    const body = { protocol: "callnotify", polling: [{ order: 1, subscription_urns: [s1] }, { order: 2, subscription_urns: [s2] }] };
    const id = ok(await hw.call("POST", np, { body }), 201).id as string;
    assertSmnError(await hw.call("POST", np, { body }), 400, "SMN.0102");
    const shown = ok(await hw.call("GET", np));
    assert.equal(shown.id, id);
    assert.deepEqual((shown.polling as Json[]).map((p) => [(p.order), ((p.subscriptions as Json[])[0]!).endpoint]), [[1, "+8613800000011"], [2, "+8613800000012"]]);
    ok(await hw.call("PUT", `${np}/${id}`, { body: { protocol: "callnotify", polling: [{ order: 1, subscription_urns: [s2, s1] }] } }));
    assert.equal(((ok(await hw.call("GET", np)).polling as Json[])[0]!.subscriptions as Json[]).length, 2);
    assertSmnError(await hw.call("PUT", `${np}/${id}`, { body: { protocol: "callnotify", polling: [{ order: 1, subscription_urns: [`${urn}:${"f".repeat(32)}`] }] } }), 404, "SMN.0013");
    assert.equal((await hw.call("PUT", `${np}/${id}`, { body: { protocol: "sms", polling: [] } })).status, 400);
    ok(await hw.call("DELETE", `${np}/${id}`));
    assertSmnError(await hw.call("GET", np), 404, "SMN.0104");
  });

  test("http detection: a real POST, then the result: 0 on 2xx, 2 otherwise", async () => {
    const urn = await topic("detect");
    const run = async () => {
      const taskId = ok(await hw.call("POST", `${base()}/topics/${urn}/detection`, { body: { protocol: "http", endpoint: receiverUrl, extension: { header: { "x-trace": "t1" } } } })).task_id as string;
      for (let i = 0; i < 250; i++) {
        const r = ok(await hw.call("GET", `${base()}/topics/${urn}/detection/${taskId}`));
        if (r.status !== 1) return r;
        await new Promise((res) => setTimeout(res, 20));
      }
      return assert.fail("the detection did not finish");
    };
    const good = await run();
    assert.deepEqual([good.status, (good.detail as Json).httpCode, (good.detail as Json).httpResponse], [0, 200, "answer 200"]);
    assert.equal(hits.at(-1)!.headers["x-trace"], "t1");
    answer = 500;
    const bad = await run();
    assert.deepEqual([bad.status, (bad.detail as Json).httpCode], [2, 500]);
    assertSmnError(await hw.call("POST", `${base()}/topics/${urn}/detection`, { body: { protocol: "https", endpoint: receiverUrl } }), 400, "SMN.0012");
    assertSmnError(await hw.call("GET", `${base()}/topics/${urn}/detection/${"0".repeat(32)}`), 404, "SMN.0104");
  });

  test("public links: subscribe/confirm answer the subscription, unsubscribe removes it", async () => {
    const urn = await topic("links");
    const sub = await subscribe(urn, "email", "links@example.com");
    const q = { topic_urn: urn, endpoint: "links@example.com", token: "tok" };
    assert.equal(ok(await hw.call("GET", "/smn/v2/notifications/subscriptions/subscribe", { creds: null, query: q })).subscription_urn, sub);
    assert.equal(ok(await hw.call("GET", "/smn/rest/v2/notifications/subscription/confirm", { creds: null, query: q })).subscription_urn, sub);
    assertSmnError(await hw.call("GET", "/smn/v2/notifications/subscriptions/subscribe", { creds: null, query: { ...q, endpoint: "no@example.com" } }), 404, "SMN.0013");
    assertSmnError(await hw.call("GET", "/smn/rest/v2/notifications/subscription/confirm", { creds: null, query: { ...q, topic_urn: "bad" } }), 400, "SMN.0005");
    assert.equal(typeof ok(await hw.call("GET", "/smn/v2/notifications/subscriptions/unsubscribe", { creds: null, query: { subscription_urn: sub } })).message, "string");
    assertSmnError(await hw.call("GET", "/smn/rest/v2/notifications/subscription/unsubscribe", { creds: null, query: { subscription_urn: sub } }), 404, "SMN.0013");
    const again = await subscribe(urn, "email", "links@example.com");
    ok(await hw.call("GET", "/smn/rest/v2/notifications/subscription/unsubscribe", { creds: null, query: { subscription_urn: again } }));
    assert.equal(ok(await hw.call("GET", `${base()}/topics/${urn}/subscriptions`)).subscription_count, 0);
  });
});
