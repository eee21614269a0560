// SMN through signed raw requests (no official Node SDK package for SMN here): topic CRUD and its errors,
// subscriptions per protocol, publishing with message and message_structure, the recorded deliveries
// (rt.api("smn").messages), and real HTTP delivery to a local receiver on hwlocal's clock, with retries.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ManualClock } from "../src/kernel/clock.ts";
import type { SmnApi, SmnDelivery } from "../src/services/smn/api.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

function assertSmnError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.code, code, r.text);
  assert.equal(typeof r.json.message, "string");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
}

function assertOk(r: CallResult, status = 200): void {
  assert.equal(r.status, status, r.text);
  assert.equal(typeof r.json.request_id, "string", "every SMN body carries request_id");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
}

interface Receiver {
  url: string;
  hits: { headers: Record<string, unknown>; body: Json }[];
  /** The status the next answers use. */
  status: number;
  close(): Promise<void>;
}

async function startReceiver(status: number): Promise<Receiver> {
  const rcv: Omit<Receiver, "url" | "close"> = { hits: [], status };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      rcv.hits.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Json });
      res.statusCode = rcv.status;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(rcv, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Polls until check() holds, for at most 5 s of real time. */
async function waitFor(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe("smn", () => {
  let hw: TestHwlocal;
  let pid: string;
  let api: SmnApi;
  const base = () => `/smn/v2/${pid}/notifications`;
  const advance = async (seconds: number) =>
    assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const createTopic = async (name: string) => {
    const r = await hw.call("POST", `${base()}/topics`, { body: { name, display_name: `${name} topic` } });
    assertOk(r, 201);
    return r.json.topic_urn as string;
  };
  const subscribe = async (urn: string, protocol: string, endpoint: string) => {
    const r = await hw.call("POST", `${base()}/topics/${urn}/subscriptions`, { body: { protocol, endpoint, remark: "r" } });
    assertOk(r, 201);
    return r.json.subscription_urn as string;
  };
  const deliveries = (messageId: string): SmnDelivery[] => api.messages(pid).filter((m) => m.messageId === messageId);

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
    api = hw.services.find((s) => s.name === "smn")!.api as SmnApi;
  });
  after(() => hw.close());

  test("topics: create, list with filters and paging, show, update, delete", async () => {
    const urn = await createTopic("orders-events");
    assert.equal(urn, `urn:smn:cn-north-4:${pid}:orders-events`);
    await createTopic("orders-audit");
    await createTopic("billing");
    const again = await hw.call("POST", `${base()}/topics`, { body: { name: "billing", display_name: "x" } });
    assertOk(again, 201);

    const all = await hw.call("GET", `${base()}/topics`);
    assertOk(all);
    assert.equal(all.json.topic_count, 3);
    const fuzzy = await hw.call("GET", `${base()}/topics`, { query: { fuzzy_name: "orders", limit: "1", offset: "1" } });
    assertOk(fuzzy);
    assert.equal(fuzzy.json.topic_count, 2);
    assert.equal((fuzzy.json.topics as Json[]).length, 1);
    const exact = await hw.call("GET", `${base()}/topics`, { query: { name: "orders-events" } });
    const t = (exact.json.topics as Json[])[0]!;
    assert.deepEqual([t.topic_urn, t.name, t.display_name, t.push_policy], [urn, "orders-events", "orders-events topic", 0]);

    const upd = await hw.call("PUT", `${base()}/topics/${urn}`, { body: { display_name: "Orders" } });
    assertOk(upd);
    const show = await hw.call("GET", `${base()}/topics/${urn}`);
    assertOk(show);
    assert.equal(show.json.display_name, "Orders");
    assert.match(String(show.json.create_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const del = await hw.call("DELETE", `${base()}/topics/${urn}`);
    assertOk(del);
    assert.deepEqual(Object.keys(del.json), ["request_id"]);
    assertSmnError(await hw.call("GET", `${base()}/topics/${urn}`), 404, "SMN.0006");
  });

  test("topic errors: name, display_name, URN, paging", async () => {
    assertSmnError(await hw.call("POST", `${base()}/topics`, { body: { name: "-bad", display_name: "x" } }), 400, "SMN.0002");
    assertSmnError(await hw.call("POST", `${base()}/topics`, { body: { name: "a b", display_name: "x" } }), 400, "SMN.0002");
    assertSmnError(await hw.call("POST", `${base()}/topics`, { body: { name: "ok", display_name: "x".repeat(193) } }), 400, "SMN.0003");
    assertSmnError(await hw.call("GET", `${base()}/topics/not-a-urn`), 400, "SMN.0005");
    assertSmnError(await hw.call("GET", `${base()}/topics/urn:smn:cn-north-4:${pid}:missing`), 404, "SMN.0006");
    assertSmnError(await hw.call("GET", `${base()}/topics`, { query: { limit: "101" } }), 400, "SMN.0015");
    assertSmnError(await hw.call("GET", `${base()}/topics`, { query: { offset: "-1" } }), 400, "SMN.0015");
    const notJson = await hw.call("POST", `${base()}/topics`, { rawBody: "{" });
    assert.equal(notJson.status, 400, notJson.text);
    assert.equal(typeof notJson.json.request_id, "string");
  });

  test("subscriptions: per-protocol checks, list per topic and all, unsubscribe", async () => {
    const urn = await createTopic("alerts");
    const email = await subscribe(urn, "email", "ops@example.com");
    assert.match(email, new RegExp(`^${urn}:[0-9a-f]{32}$`));
    await subscribe(urn, "sms", "+8613800000000");
    await subscribe(urn, "https", "https://hooks.example.com/smn");
    await subscribe(urn, "functionstage", `urn:fss:cn-north-4:${pid}:function:default:handler:latest`);
    const sub = (protocol: string, endpoint: string) =>
      hw.call("POST", `${base()}/topics/${urn}/subscriptions`, { body: { protocol, endpoint } });
    assertSmnError(await sub("pigeon", "x"), 400, "SMN.0011");
    assertSmnError(await sub("email", "not-an-address"), 400, "SMN.0012");
    assertSmnError(await sub("sms", "call me"), 400, "SMN.0012");
    assertSmnError(await sub("http", "https://wrong.scheme/"), 400, "SMN.0012");
    assertSmnError(await sub("functionstage", "urn:fss:nope"), 400, "SMN.0012");

    const list = await hw.call("GET", `${base()}/topics/${urn}/subscriptions`, { query: { limit: "2" } });
    assertOk(list);
    assert.equal(list.json.subscription_count, 4);
    const first = (list.json.subscriptions as Json[])[0]!;
    assert.deepEqual([first.protocol, first.endpoint, first.owner, first.status, first.remark], ["email", "ops@example.com", pid, 1, "r"]);
    const mine = await hw.call("GET", `${base()}/subscriptions`, { query: { protocol: "sms" } });
    assertOk(mine);
    assert.equal(mine.json.subscription_count, 1);

    assertOk(await hw.call("DELETE", `${base()}/subscriptions/${email}`));
    assertSmnError(await hw.call("DELETE", `${base()}/subscriptions/${email}`), 404, "SMN.0013");
    assertSmnError(await hw.call("DELETE", `${base()}/subscriptions/garbage`), 400, "SMN.0014");
    assertSmnError(await hw.call("GET", `${base()}/topics/urn:smn:cn-north-4:${pid}:nope/subscriptions`), 404, "SMN.0006");
  });

  test("publish: message and message_structure make one delivery per subscription, as each protocol gets it", async () => {
    const urn = await createTopic("news");
    await subscribe(urn, "email", "a@example.com");
    await subscribe(urn, "sms", "13800000000");
    await subscribe(urn, "functionstage", `urn:fss:cn-north-4:${pid}:function:default:news`);
    const pub = await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { subject: "Hello", message: "plain text" } });
    assertOk(pub);
    assert.match(String(pub.json.message_id), /^[0-9a-f]{32}$/);
    const d = deliveries(String(pub.json.message_id));
    assert.equal(d.length, 3);
    const email = d.find((m) => m.protocol === "email")!;
    assert.deepEqual([email.subject, email.body, email.status], ["Hello", "plain text", "recorded"]);
    assert.equal(d.find((m) => m.protocol === "sms")!.subject, "");
    const fn = JSON.parse(d.find((m) => m.protocol === "functionstage")!.body) as Json;
    assert.deepEqual([fn.type, fn.message, fn.topic_urn], ["Notification", "plain text", urn]);

    const structure = JSON.stringify({ default: "dflt", sms: "short" });
    const pub2 = await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message_structure: structure, time_to_live: "60" } });
    assertOk(pub2);
    const d2 = deliveries(String(pub2.json.message_id));
    assert.equal(d2.find((m) => m.protocol === "sms")!.body, "short");
    assert.equal(d2.find((m) => m.protocol === "email")!.body, "dflt");

    const publish = (body: Json) => hw.call("POST", `${base()}/topics/${urn}/publish`, { body });
    assertSmnError(await publish({ message_structure: JSON.stringify({ sms: "no default" }) }), 400, "SMN.0021");
    assertSmnError(await publish({ message_structure: "not json" }), 400, "SMN.0021");
    assertSmnError(await publish({ subject: "x" }), 403, "SMN.0009");
    assertSmnError(await publish({ subject: "x".repeat(513), message: "m" }), 403, "SMN.0008");
    assertSmnError(await hw.call("POST", `${base()}/topics/urn:smn:cn-north-4:${pid}:gone/publish`, { body: { message: "m" } }), 404, "SMN.0006");

    const viaApi = api.publish(pid, urn, { subject: "From AS", message: "scaled" });
    assert.ok(viaApi.ok);
    assert.equal(deliveries(viaApi.messageId).length, 3);
    const missing = api.publish(pid, `urn:smn:cn-north-4:${pid}:gone`, { message: "m" });
    assert.deepEqual(missing.ok ? undefined : [missing.status, missing.code], [404, "SMN.0006"]);
  });

  test("http subscription: the receiver gets Huawei's notification JSON when the clock lets the ticker run", async () => {
    const rcv = await startReceiver(200);
    try {
      const urn = await createTopic("webhooks");
      const subUrn = await subscribe(urn, "http", rcv.url);
      const pub = await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { subject: "Deploy", message: "v2 is live" } });
      assertOk(pub);
      const messageId = String(pub.json.message_id);
      assert.equal(deliveries(messageId)[0]!.status, "pending");
      await advance(1);
      await waitFor("the POST", () => rcv.hits.length === 1);
      const { body, headers } = rcv.hits[0]!;
      assert.equal(body.type, "Notification");
      assert.equal(body.signature_version, "v1");
      assert.deepEqual([body.topic_urn, body.message_id, body.subject, body.message], [urn, messageId, "Deploy", "v2 is live"]);
      assert.match(String(body.timestamp), /Z$/);
      assert.ok(String(body.unsubscribe_url).includes(encodeURIComponent(subUrn)));
      assert.equal(headers["x-smn-message-id"], messageId);
      await waitFor("the delivered status", () => deliveries(messageId)[0]!.status === "delivered");
      const d = deliveries(messageId)[0]!;
      assert.equal(d.attempts, 1);
      assert.deepEqual(d.log.map((a) => a.statusCode), [200]);
      await advance(60);
      assert.equal(rcv.hits.length, 1, "a delivered message is not sent again");
    } finally {
      await rcv.close();
    }
  });

  test("http delivery retries on 500 with backoff on the clock, three attempts, then failed", async () => {
    const rcv = await startReceiver(500);
    try {
      const urn = await createTopic("flaky");
      await subscribe(urn, "http", rcv.url);
      const messageId = String((await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message: "m" } })).json.message_id);
      const settled = (attempts: number) => () => deliveries(messageId)[0]!.attempts === attempts;
      await advance(0);
      await waitFor("attempt 1", settled(1));
      assert.equal(deliveries(messageId)[0]!.status, "pending");
      await advance(5);
      assert.equal(rcv.hits.length, 1, "no retry before the backoff");
      await advance(5);
      await waitFor("attempt 2", settled(2));
      await advance(30);
      await waitFor("attempt 3", settled(3));
      const d = deliveries(messageId)[0]!;
      assert.equal(d.status, "failed");
      assert.deepEqual(d.log.map((a) => a.statusCode), [500, 500, 500]);
      await advance(600);
      assert.equal(rcv.hits.length, 3);

      const shortLived = await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message: "m", time_to_live: 5 } });
      const shortId = String(shortLived.json.message_id);
      await advance(0);
      await waitFor("attempt 1 of the short-lived message", () => deliveries(shortId)[0]!.attempts === 1);
      await advance(10);
      assert.equal(deliveries(shortId)[0]!.status, "expired", "time_to_live ran out before the retry");
      assert.equal(rcv.hits.length, 4);
    } finally {
      await rcv.close();
    }
  });
});
