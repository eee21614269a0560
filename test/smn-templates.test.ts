// SMN message templates (CRUD, publishing with a template and its tags), topic attributes, logtanks and
// KMS keys, through raw requests signed as the SDK signs; with their error paths and another project's view.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import type { SmnApi } from "../src/services/smn/api.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

function assertSmnError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.code, code, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal(typeof r.json.error_msg, "string");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
}

function ok(r: CallResult, status = 200): Json {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
  return r.json;
}

describe("smn templates, attributes, logtanks, kms", () => {
  let hw: TestHwlocal;
  let pid: string;
  let other: string;
  let api: SmnApi;
  const base = (p = pid) => `/smn/v2/${p}/notifications`;
  const createTopic = async (name: string) => ok(await hw.call("POST", `${base()}/topics`, { body: { name, display_name: name } }), 201).topic_urn as string;

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
    other = hw.projectId("cn-east-3");
    api = hw.services.find((s) => s.name === "smn")!.api as SmnApi;
  });
  after(() => hw.close());

  test("message templates: create, list, show, update, delete, and their errors", async () => {
    const mk = (body: Json) => hw.call("POST", `${base()}/message_template`, { body });
    const id = ok(await mk({ message_template_name: "order_notice", protocol: "default", content: "Order {order} is {state}." }), 201)
      .message_template_id as string;
    assert.match(id, /^[0-9a-f]{32}$/);
    ok(await mk({ message_template_name: "order_notice", protocol: "sms", content: "{order}: {state}" }), 201);
    assertSmnError(await mk({ message_template_name: "order_notice", protocol: "sms", content: "again" }), 400, "SMN.0025");
    assertSmnError(await mk({ message_template_name: "-bad", protocol: "sms", content: "x" }), 400, "SMN.0002");
    assertSmnError(await mk({ message_template_name: "t2", protocol: "pigeon", content: "x" }), 400, "SMN.0011");
    assertSmnError(await mk({ message_template_name: "t2", protocol: "email", content: "" }), 400, "SMN.0024");

    const list = ok(await hw.call("GET", `${base()}/message_template`, { query: { message_template_name: "order", protocol: "default" } }));
    assert.equal(list.message_template_count, 1);
    const item = (list.message_templates as Json[])[0]!;
    assert.deepEqual([item.message_template_id, item.protocol, item.tag_names], [id, "default", ["order", "state"]]);
    assertSmnError(await hw.call("GET", `${base()}/message_template`, { query: { limit: "0" } }), 400, "SMN.0015");

    const show = ok(await hw.call("GET", `${base()}/message_template/${id}`));
    assert.equal(show.content, "Order {order} is {state}.");
    ok(await hw.call("PUT", `${base()}/message_template/${id}`, { body: { content: "Order {order} now {state}." } }));
    assert.equal(ok(await hw.call("GET", `${base()}/message_template/${id}`)).content, "Order {order} now {state}.");
    assertSmnError(await hw.call("PUT", `${base()}/message_template/${id}`, { body: { content: 7 } }), 400, "SMN.0024");
    assertSmnError(await hw.call("GET", `${base()}/message_template/not-an-id`), 400, "SMN.0031");
    // Another project of the same account does not see it.
    assertSmnError(await hw.call("GET", `${base(other)}/message_template/${id}`), 404, "SMN.0031");

    const gone = ok(await mk({ message_template_name: "gone", protocol: "email", content: "x" }), 201).message_template_id as string;
    ok(await hw.call("DELETE", `${base()}/message_template/${gone}`));
    assertSmnError(await hw.call("DELETE", `${base()}/message_template/${gone}`), 404, "SMN.0031");
  });

  test("publish with a template: the protocol's template, else default, tags filled in", async () => {
    const urn = await createTopic("orders");
    for (const [protocol, endpoint] of [["email", "ops@example.com"], ["sms", "+8613800000001"]]) {
      ok(await hw.call("POST", `${base()}/topics/${urn}/subscriptions`, { body: { protocol, endpoint } }), 201);
    }
    const pub = (body: Json) => hw.call("POST", `${base()}/topics/${urn}/publish`, { body });
    const mid = ok(await pub({ subject: "s", message_template_name: "order_notice", tags: { order: "A-1", state: "paid" } })).message_id;
    const sent = api.messages(pid).filter((m) => m.messageId === mid);
    assert.deepEqual(sent.map((m) => [m.protocol, m.body]).sort(), [["email", "Order A-1 now paid."], ["sms", "A-1: paid"]]);
    assertSmnError(await pub({ message_template_name: "nosuch" }), 403, "SMN.0009");
    assertSmnError(await pub({ message_template_name: "order_notice", tags: ["x"] }), 403, "SMN.0009");
  });

  test("topic attributes: set, show by name, delete one, delete all", async () => {
    const urn = await createTopic("with-policy");
    const policy = JSON.stringify({ Version: "2016-09-07", Id: "p", Statement: [{ Sid: "s", Effect: "Allow", Principal: { Service: ["obs"] }, Action: ["SMN:Publish"], Resource: urn }] });
    const attrs = `${base()}/topics/${urn}/attributes`;
    ok(await hw.call("PUT", `${attrs}/access_policy`, { body: { value: policy } }));
    ok(await hw.call("PUT", `${attrs}/introduction`, { body: { value: "orders topic" } }));
    const all = ok(await hw.call("GET", attrs)).attributes as Json;
    assert.equal(all.access_policy, policy);
    assert.equal(all.introduction, "orders topic");
    assert.match(String(all.create_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const one = ok(await hw.call("GET", attrs, { query: { name: "introduction" } })).attributes as Json;
    assert.equal(one.access_policy, undefined);
    assertSmnError(await hw.call("PUT", `${attrs}/access_policy`, { body: { value: "not json" } }), 400, "SMN.0101");
    assertSmnError(await hw.call("PUT", `${attrs}/color`, { body: { value: "x" } }), 400, "SMN.0101");
    assertSmnError(await hw.call("GET", `${base(other)}/topics/urn:smn:cn-east-3:${other}:with-policy/attributes`), 404, "SMN.0006");
    ok(await hw.call("DELETE", `${attrs}/introduction`));
    assert.deepEqual(Object.keys(ok(await hw.call("GET", attrs)).attributes as Json).sort(), ["access_policy", "create_time", "update_time"]);
    ok(await hw.call("DELETE", attrs));
    assert.deepEqual(ok(await hw.call("GET", attrs)).attributes, {});
  });

  test("logtanks and KMS keys: one each a topic, update, delete, gone with the topic", async () => {
    const urn = await createTopic("logged");
    const lts = `${base()}/topics/${urn}/logtanks`;
    const body = { log_group_id: "0b3f6cd5-9d2c-4b32-9a9e-000000000001", log_stream_id: "0b3f6cd5-9d2c-4b32-9a9e-000000000002" };
    const id = ok(await hw.call("POST", lts, { body }), 201).id as string;
    assertSmnError(await hw.call("POST", lts, { body }), 400, "SMN.0102");
    assertSmnError(await hw.call("POST", `${base()}/topics/${urn}/logtanks`, { body: { log_group_id: "a b" } }), 400, "SMN.0101");
    const list = ok(await hw.call("GET", lts));
    assert.equal(list.count, 1);
    assert.equal((list.logtanks as Json[])[0]!.log_group_id, body.log_group_id);
    const upd = ok(await hw.call("PUT", `${lts}/${id}`, { body: { ...body, log_stream_id: "stream-2" } }));
    assert.equal((upd.logtank as Json).log_stream_id, "stream-2");
    assertSmnError(await hw.call("DELETE", `${lts}/${"0".repeat(32)}`), 404, "SMN.0104");

    const kms = `${base()}/topics/${urn}/kms`;
    const kid = ok(await hw.call("POST", kms, { body: { key_id: "5a4c1c3e-0000-4000-8000-000000000001" } }), 201).id as string;
    const shown = ok(await hw.call("GET", kms));
    assert.deepEqual([shown.id, shown.key_id, shown.status], [kid, "5a4c1c3e-0000-4000-8000-000000000001", "ENABLED"]);
    ok(await hw.call("PUT", `${kms}/${kid}`, { body: { key_id: "5a4c1c3e-0000-4000-8000-000000000002" } }));
    assert.equal(ok(await hw.call("GET", kms)).key_id, "5a4c1c3e-0000-4000-8000-000000000002");
    assertSmnError(await hw.call("PUT", `${kms}/${kid}`, { body: { key_id: "" } }), 400, "SMN.0101");

    ok(await hw.call("DELETE", `${base()}/topics/${urn}`));
    await createTopic("logged");
    assert.equal(ok(await hw.call("GET", lts)).count, 0, "a new topic of the same name starts without the old logtank");
    assertSmnError(await hw.call("GET", kms), 404, "SMN.0104");
    ok(await hw.call("DELETE", `${lts}/${id}`).then(() => hw.call("GET", lts)));
  });
});
