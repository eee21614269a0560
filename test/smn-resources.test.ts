// SMN tags (TMS-style), subscription updates, batch deletes and filter policies, push applications and
// their endpoints, versions, protocols, cloud services, statistics and topics with their associated
// resources; through raw requests signed as the SDK signs, with error paths and another project's view.
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
}

function ok(r: CallResult, status = 200): Json {
  assert.equal(r.status, status, r.text);
  return r.json;
}

describe("smn tags, subscriptions, applications, service info", () => {
  let hw: TestHwlocal;
  let pid: string;
  let other: string;
  let api: SmnApi;
  const base = (p = pid) => `/smn/v2/${p}/notifications`;
  const topic = async (name: string) => {
    const urn = ok(await hw.call("POST", `${base()}/topics`, { body: { name, display_name: `${name} shown` } }), 201).topic_urn as string;
    const id = ok(await hw.call("GET", `${base()}/topics/${urn}`)).topic_id as string;
    return { urn, id };
  };
  const subscribe = async (urn: string, protocol: string, endpoint: string) =>
    ok(await hw.call("POST", `${base()}/topics/${urn}/subscriptions`, { body: { protocol, endpoint, remark: "first" } }), 201).subscription_urn as string;

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
    other = hw.projectId("cn-east-3");
    api = hw.services.find((s) => s.name === "smn")!.api as SmnApi;
  });
  after(() => hw.close());

  test("tags: add, batch create/delete, list, project tags, filter and count by tags", async () => {
    const a = await topic("tagged-a");
    const b = await topic("tagged-b");
    await topic("untagged");
    const tags = (id: string) => `/smn/v2/${pid}/smn_topic/${id}/tags`;
    assert.equal((await hw.call("POST", tags(a.id), { body: { tag: { key: "env", value: "prod" } } })).status, 204);
    assert.equal((await hw.call("POST", `${tags(b.id)}/action`, { body: { action: "create", tags: [{ key: "env", value: "dev" }, { key: "team", value: "pay" }] } })).status, 204);
    assert.deepEqual(ok(await hw.call("GET", tags(a.id))).tags, [{ key: "env", value: "prod" }]);
    // The URN names the topic as well as its id.
    assert.equal((ok(await hw.call("GET", tags(b.urn))).tags as Json[]).length, 2);
    const project = ok(await hw.call("GET", `/smn/v2/${pid}/smn_topic/tags`)).tags as Json[];
    assert.deepEqual(project.find((t) => t.key === "env")!.values, ["prod", "dev"]);

    const find = (body: Json) => hw.call("POST", `/smn/v2/${pid}/smn_topic/resource_instances/action`, { body });
    const prod = ok(await find({ action: "filter", tags: [{ key: "env", values: ["prod"] }] }));
    assert.equal(prod.total_count, 1);
    const r = (prod.resources as Json[])[0]!;
    assert.deepEqual([r.resource_id, r.resource_name, (r.resource_detail as Json).topic_urn], [a.id, "tagged-a", a.urn]);
    assert.equal(ok(await find({ action: "count", tags: [{ key: "env", values: [] }] })).total_count, 2);
    assert.equal(ok(await find({ action: "count", without_any_tag: true, matches: [{ key: "resource_name", value: "tagged" }] })).total_count, 1);
    assert.equal(ok(await find({ action: "filter", not_tags_any: [{ key: "team", values: [] }], matches: [{ key: "resource_name", value: "tagged" }] })).total_count, 2);
    assert.equal((await find({ action: "guess" })).status, 400);

    assert.equal((await hw.call("POST", `${tags(b.id)}/action`, { body: { action: "delete", tags: [{ key: "team" }] } })).status, 204);
    assert.equal((await hw.call("DELETE", `${tags(b.id)}/env`)).status, 204);
    assert.deepEqual(ok(await hw.call("GET", tags(b.id))).tags, []);
    assertSmnError(await hw.call("DELETE", `${tags(b.id)}/env`), 404, "SMN.0104");
    assertSmnError(await hw.call("POST", tags(a.id), { body: { tag: { key: "bad=key", value: "x" } } }), 400, "SMN.0101");
    assertSmnError(await hw.call("GET", `/smn/v2/${pid}/ecs_server/${a.id}/tags`), 400, "SMN.0101");
    assertSmnError(await hw.call("GET", `/smn/v2/${other}/smn_topic/${a.id}/tags`), 404, "SMN.0006");
    const many = Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    assertSmnError(await hw.call("POST", `${tags(a.id)}/action`, { body: { action: "create", tags: many } }), 400, "SMN.0101");
  });

  test("subscriptions: remark update, fuzzy_remark, delete through the topic, batch deletes, filter policies", async () => {
    const { urn } = await topic("subs");
    const s1 = await subscribe(urn, "email", "a@example.com");
    const s2 = await subscribe(urn, "functiongraph", `urn:fss:cn-north-4:${pid}:function:default:fn:latest`);
    const s3 = await subscribe(urn, "sms", "+8613800000002");
    const upd = ok(await hw.call("PUT", `${base()}/topics/${urn}/subscriptions/${s1}`, { body: { remark: "on call" } }));
    assert.equal(upd.subscription_urn, s1);
    assertSmnError(await hw.call("PUT", `${base()}/topics/${urn}/subscriptions/${s1}`, { body: { remark: "x".repeat(129) } }), 400, "SMN.0017");
    const byRemark = ok(await hw.call("GET", `${base()}/topics/${urn}/subscriptions`, { query: { fuzzy_remark: "call" } }));
    assert.deepEqual((byRemark.subscriptions as Json[]).map((s) => s.subscription_urn), [s1]);

    const pol = (method: string, body: Json) => hw.call(method, `${base()}/subscriptions/filter_polices`, { body });
    const created = ok(await pol("POST", { polices: [{ subscription_urn: s1, filter_polices: [{ name: "level", string_equals: ["major"] }] }, { subscription_urn: `${urn}:${"0".repeat(32)}`, filter_polices: [{ name: "x", string_equals: ["y"] }] }] }));
    assert.deepEqual((created.batch_result as Json[]).map((r) => r.code), ["200", "SMN.0013"]);
    assert.deepEqual((ok(await pol("PUT", { polices: [{ subscription_urn: s2, filter_polices: [{ name: "a", string_equals: ["b"] }] }] })).batch_result as Json[])[0]!.code, "SMN.0104");
    const listed = ok(await hw.call("GET", `${base()}/subscriptions`, { query: { protocol: "email" } })).subscriptions as Json[];
    assert.deepEqual(listed[0]!.filter_polices, [{ name: "level", string_equals: ["major"] }]);
    assert.deepEqual((ok(await pol("DELETE", { subscription_urns: [s1] })).batch_result as Json[])[0]!.code, "200");

    ok(await hw.call("DELETE", `${base()}/topics/${urn}/subscriptions/${s3}`));
    assertSmnError(await hw.call("DELETE", `${base()}/topics/${urn}/subscriptions/${s3}`), 404, "SMN.0013");
    const batch = ok(await hw.call("DELETE", `${base()}/topics/${urn}/subscriptions`, { body: { subscription_urns: [{ subscription_urn: s2 }, { subscription_urn: "bad" }] } }));
    assert.deepEqual((batch.subscriptions_result as Json[]).map((r) => r.http_code), [200, 400]);
    const all = ok(await hw.call("DELETE", `${base()}/subscriptions`, { body: { subscription_urns: [{ subscription_urn: s1 }] } }));
    assert.deepEqual((all.subscriptions_result as Json[]).map((r) => r.http_code), [200]);
    assert.equal(ok(await hw.call("GET", `${base()}/topics/${urn}/subscriptions`)).subscription_count, 0);
  });

  test("applications and endpoints: bookkeeping, app publish recorded, errors", async () => {
    const apps = `${base()}/applications`;
    const body = { name: "shop_app", platform: "HMS", platform_principal: "10086", platform_credential: "a".repeat(32) };
    const created = ok(await hw.call("POST", apps, { body }), 201);
    const appUrn = created.application_urn as string;
    assert.equal(appUrn, `urn:smn:cn-north-4:${pid}:app-HMS-shop_app`);
    assert.equal(ok(await hw.call("POST", apps, { body }), 201).application_urn, appUrn, "the same application again is its URN");
    assertSmnError(await hw.call("POST", apps, { body: { ...body, platform_principal: "10087" } }), 400, "SMN.0121");
    assertSmnError(await hw.call("POST", apps, { body: { ...body, name: "x", platform: "GCM" } }), 400, "SMN.0101");
    assertSmnError(await hw.call("POST", apps, { body: { ...body, name: "y", platform_credential: "short" } }), 400, "SMN.0101");
    const list = ok(await hw.call("GET", apps, { query: { platform: "HMS" } }));
    assert.equal(list.application_count, 1);
    assert.equal((list.applications as Json[])[0]!.enabled, "true");
    assert.equal((ok(await hw.call("GET", `${apps}/${appUrn}`)).attributes as Json).enabled, "true");
    ok(await hw.call("PUT", `${apps}/${appUrn}`, { body: { platform_principal: "10088", platform_credential: "b".repeat(40) } }));

    const ep = ok(await hw.call("POST", `${apps}/${appUrn}/endpoints`, { body: { token: "device-token-1", user_data: "alice" } }), 201).endpoint_urn as string;
    assert.match(ep, /:endpoint-HMS-shop_app-[0-9a-f]{32}$/);
    const eps = ok(await hw.call("GET", `${apps}/${appUrn}/endpoints`, { query: { user_data: "alice" } }));
    assert.deepEqual([(eps.endpoints as Json[]).length, eps.next_page_flag], [1, false]);
    const mid = ok(await hw.call("POST", `${base()}/endpoints/${ep}/publish`, { body: { message_structure: JSON.stringify({ default: "d", HMS: "hello" }) } })).message_id;
    const rec = api.messages(pid).find((m) => m.messageId === mid)!;
    assert.deepEqual([rec.protocol, rec.endpoint, rec.body, rec.status], ["application", "device-token-1", "hello", "recorded"]);
    ok(await hw.call("PUT", `${base()}/endpoints/${ep}`, { body: { enabled: "false" } }));
    assert.equal((ok(await hw.call("GET", `${base()}/endpoints/${ep}`)).attributes as Json).enabled, "false");
    assertSmnError(await hw.call("POST", `${base()}/endpoints/${ep}/publish`, { body: { message: "m" } }), 403, "SMN.0001");
    assertSmnError(await hw.call("GET", `${base(other)}/endpoints/${ep.replace(pid, other)}`), 404, "SMN.0104");
    ok(await hw.call("DELETE", `${base()}/endpoints/${ep}`));
    assertSmnError(await hw.call("DELETE", `${base()}/endpoints/${ep}`), 404, "SMN.0104");
    ok(await hw.call("DELETE", `${apps}/${appUrn}`));
    assertSmnError(await hw.call("GET", `${apps}/${appUrn}`), 404, "SMN.0104");
  });

  test("versions, protocols, cloud services, statistics, topics with associated resources", async () => {
    const versions = ok(await hw.call("GET", "/smn/", { creds: null }));
    assert.equal((versions.versions as Json[])[0]!.id, "v2");
    assert.equal((ok(await hw.call("GET", "/smn/v2", { creds: null })).version as Json).status, "CURRENT");
    assert.ok((ok(await hw.call("GET", "/smn/v2/notifications/protocols", { creds: null })).protocols as string[]).includes("sms"));
    for (const p of ["cloud-services", "cloud_service"]) {
      assert.ok((ok(await hw.call("GET", `/smn/v2/notifications/${p}`, { creds: null })).cloud_services as Json[]).some((s) => s.name === "ces"));
    }
    const { urn, id } = await topic("stats");
    await subscribe(urn, "sms", "+8613800000003");
    ok(await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message: "m1" } }));
    ok(await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message: "m2" } }));
    const now = Date.now();
    const stats = ok(await hw.call("GET", `${base()}/topics/${urn}/statistics`, { query: { start_time: String(now - 86_400_000), end_time: String(now + 60_000) } }));
    assert.deepEqual(stats.total, { sms: 2 });
    assert.equal((stats.statistics as Json[]).reduce((n, s) => n + ((s.count as Json).sms as number), 0), 2);
    assertSmnError(await hw.call("GET", `${base()}/topics/${urn}/statistics`, { query: { start_time: "5", end_time: "1" } }), 400, "SMN.0101");

    ok(await hw.call("PUT", `${base()}/topics/${urn}/attributes/access_policy`, { body: { value: JSON.stringify({ Version: "2016-09-07", Statement: [] }) } }));
    assert.equal((await hw.call("POST", `/smn/v2/${pid}/smn_topic/${id}/tags`, { body: { tag: { key: "k", value: "v" } } })).status, 204);
    const assoc = ok(await hw.call("GET", `/smn/v2/${pid}/notifications/topics-with-associated-resources`, { query: { topic_id: id } }));
    const t = (assoc.topics as Json[])[0]!;
    assert.deepEqual([assoc.topic_count, t.topic_urn, t.tags], [1, urn, [{ key: "k", value: "v" }]]);
    assert.equal(typeof (t.attributes as Json).access_policy, "string");
    assert.deepEqual(t.logtanks, []);
  });

  test("publish with message_attributes: filter policies and PROTOCOL choose the subscriptions", async () => {
    const { urn } = await topic("filtered");
    const major = await subscribe(urn, "email", "major@example.com");
    const any = await subscribe(urn, "email", "any@example.com");
    const sms = await subscribe(urn, "sms", "+8613800000009");
    ok(await hw.call("POST", `${base()}/subscriptions/filter_polices`, { body: { polices: [{ subscription_urn: major, filter_polices: [{ name: "level", string_equals: ["major", "critical"] }] }] } }));
    const pub = async (body: Json) => {
      const mid = ok(await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message: "m", ...body } })).message_id;
      return api.messages(pid).filter((m) => m.messageId === mid).map((m) => m.subscriptionUrn).sort();
    };
    assert.deepEqual(await pub({}), [any, sms].sort(), "no attributes: not to the filtered subscription");
    assert.deepEqual(await pub({ message_attributes: [{ name: "level", type: "STRING", value: "major" }] }), [major, any, sms].sort());
    assert.deepEqual(await pub({ message_attributes: [{ name: "level", type: "STRING_ARRAY", value: ["minor"] }] }), [any, sms].sort());
    assert.deepEqual(await pub({ message_attributes: [{ name: "level", type: "STRING", value: "critical" }, { name: "p", type: "PROTOCOL", value: ["email"] }] }), [major, any].sort());
    assertSmnError(await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message: "m", message_attributes: [{ name: "level", type: "STRING", value: ["x"] }] } }), 400, "SMN.0101");
    assertSmnError(await hw.call("POST", `${base()}/topics/${urn}/publish`, { body: { message: "m", message_attributes: [{ name: "p", type: "PROTOCOL", value: ["pigeon"] }] } }), 400, "SMN.0011");
  });
});
