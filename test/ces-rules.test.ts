// Cloud Eye events (v1: report, list, detail, a resource's event data) and v2 alarm rules (create from
// policies or a template, list, enable, policies, resources, notifications, batch delete), through raw
// requests signed as the SDK signs, with error paths and another project's view.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

function assertCesError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal(typeof r.json.error_msg, "string");
}

function ok(r: CallResult, status = 200): Json {
  assert.equal(r.status, status, r.text);
  return r.text === "" ? {} : r.json;
}

describe("ces events and v2 alarm rules", () => {
  let hw: TestHwlocal;
  let pid: string;
  let v1: string;
  let v2: string;
  let now: number;

  before(async () => {
    now = Date.now();
    hw = await startTestHwlocal({}, { clock: new ManualClock(now) });
    pid = hw.projectId("cn-north-4");
    v1 = `/ces/V1.0/${pid}`;
    v2 = `/ces/v2/${pid}`;
  });
  after(() => hw.close());

  test("events: report, list by name, detail with filters, event data of a resource", async () => {
    const ev = (name: string, t: number, detail: Json) => ({ event_name: name, event_source: "MY.APP", time: t, detail });
    const made = await hw.call("POST", `${v1}/events`, {
      body: [
        ev("deploy", now - 60_000, { content: "v1 out", event_state: "normal", event_level: "Info", event_user: "ci", dimensions: [{ name: "instance_id", value: "s-1" }] }),
        ev("deploy", now - 30_000, { content: "v2 out", event_state: "warning", event_level: "Major", event_user: "ops", dimensions: [{ name: "instance_id", value: "s-2" }] }),
        ev("restart", now - 10_000, { event_type: "EVENT.CUSTOM", content: "r" }),
      ],
    });
    const ids = ok(made, 201) as unknown as Json[];
    assert.equal(ids.length, 3);
    assert.match(String(ids[0]!.event_id), /^ev\d{13}[A-Za-z0-9]{9}$/);
    assertCesError(await hw.call("POST", `${v1}/events`, { body: [ev("old", now - 2 * 3_600_000, {})] }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v1}/events`, { body: [ev("bad", now, { event_level: "Huge" })] }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v1}/events`, { body: [] }), 400, "ces.0014");

    const list = ok(await hw.call("GET", `${v1}/events`, { query: { event_type: "EVENT.CUSTOM" } }));
    assert.equal((list.meta_data as Json).total, 2);
    const deploy = (list.events as Json[]).find((e) => e.event_name === "deploy")!;
    assert.deepEqual([deploy.event_count, deploy.latest_occur_time, deploy.latest_event_source], [2, now - 30_000, "MY.APP"]);

    const detail = ok(await hw.call("GET", `${v1}/event/deploy`, { query: { event_type: "EVENT.CUSTOM", event_level: "Major" } }));
    assert.deepEqual([(detail.meta_data as Json).total, (detail.event_info as Json[])[0]!.event_id, detail.event_users], [1, ids[1]!.event_id, ["ops"]]);
    assertCesError(await hw.call("GET", `${v1}/event/deploy`), 400, "ces.0013");
    const data = ok(await hw.call("GET", `${v1}/event-data`, {
      query: { namespace: "MY.APP", type: "deploy", "dim.0": "instance_id,s-1", from: String(now - 3_600_000), to: String(now) },
    }));
    assert.deepEqual(data.datapoints, [{ type: "deploy", timestamp: now - 60_000, value: "v1 out" }]);
    assertCesError(await hw.call("GET", `${v1}/event-data`, { query: { namespace: "MY.APP", type: "deploy", "dim.0": "nocomma", from: "0", to: "1" } }), 400, "ces.0013");
    const other = ok(await hw.call("GET", `/ces/V1.0/${hw.projectId("cn-east-3")}/events`));
    assert.equal((other.meta_data as Json).total, 0);
  });

  test("v2 alarm rules: create, list, enable, policies, resources, notifications, delete", async () => {
    const topic = ok(await hw.call("POST", `/smn/v2/${pid}/notifications/topics`, { body: { name: "ces-v2" } }), 201).topic_urn as string;
    const policy = { metric_name: "cpu_util", period: 300, filter: "average", comparison_operator: ">", value: 80, unit: "%", count: 3, suppress_duration: 0, level: 2 };
    const body = {
      name: "cpu_rule", namespace: "SYS.ECS", resources: [[{ name: "instance_id", value: "s-1" }]], policies: [policy], type: "MULTI_INSTANCE",
      enabled: true, notification_enabled: true, alarm_notifications: [{ type: "notification", notification_list: [topic] }],
    };
    const id = ok(await hw.call("POST", `${v2}/alarms`, { body })).alarm_id as string;
    assert.match(id, /^al\d{13}/);
    assertCesError(await hw.call("POST", `${v2}/alarms`, { body: { ...body, alarm_notifications: [{ type: "notification", notification_list: [`urn:smn:cn-north-4:${pid}:nosuch`] }] } }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v2}/alarms`, { body: { ...body, policies: undefined } }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v2}/alarms`, { body: { ...body, type: "RESOURCE_GROUP", resource_group_id: "rgnothere" } }), 404, "ces.0016");
    assertCesError(await hw.call("POST", `${v2}/alarms`, { body: { ...body, policies: [{ ...policy, period: 60 }] } }), 400, "ces.0014");

    const tid = ok(await hw.call("POST", `${v2}/alarm-templates`, { body: { template_name: "tpl", policies: [{ ...policy, namespace: "SYS.ECS" }] } })).template_id as string;
    const fromTpl = ok(await hw.call("POST", `${v2}/alarms`, { body: { ...body, name: "from_tpl", policies: undefined, alarm_template_id: tid, notification_enabled: false } })).alarm_id;
    const assoc = ok(await hw.call("GET", `${v2}/alarm-templates/${tid}/association-alarms`));
    assert.deepEqual([assoc.count, (assoc.alarms as Json[])[0]!.alarm_id], [1, fromTpl]);

    const list = ok(await hw.call("GET", `${v2}/alarms`, { query: { resource_id: "s-1", name: "cpu" } }));
    const rule = (list.alarms as Json[])[0]!;
    assert.deepEqual([list.count, rule.alarm_id, rule.enabled, (rule.policies as Json[])[0]!.level], [1, id, true, 2]);
    assert.deepEqual(ok(await hw.call("POST", `${v2}/alarms/action`, { body: { alarm_ids: [id], alarm_enabled: false } })).alarm_ids, [id]);
    assert.equal(((ok(await hw.call("GET", `${v2}/alarms`, { query: { alarm_id: id } })).alarms as Json[])[0]!).enabled, false);

    const upd = ok(await hw.call("PUT", `${v2}/alarms/${id}/policies`, { body: { policies: [{ ...policy, value: 90 }, { ...policy, metric_name: "mem_util" }] } }));
    assert.equal((upd.policies as Json[]).length, 2);
    const pols = ok(await hw.call("GET", `${v2}/alarms/${id}/policies`, { query: { limit: "1" } }));
    assert.deepEqual([pols.count, (pols.policies as Json[])[0]!.value], [2, 90]);

    ok(await hw.call("POST", `${v2}/alarms/${id}/resources/batch-create`, { body: { resources: [[{ name: "instance_id", value: "s-2" }], [{ name: "instance_id", value: "s-1" }]] } }));
    assert.equal(ok(await hw.call("GET", `${v2}/alarms/${id}/resources`)).count, 2);
    ok(await hw.call("POST", `${v2}/alarms/${id}/resources/batch-delete`, { body: { resources: [[{ name: "instance_id", value: "s-1" }]] } }));
    assert.deepEqual(ok(await hw.call("GET", `${v2}/alarms/${id}/resources`)).resources, [[{ name: "instance_id", value: "s-2" }]]);

    const n = ok(await hw.call("PUT", `${v2}/alarms/${id}/notifications`, { body: { notification_enabled: true, ok_notifications: [{ type: "notification", notification_list: [topic] }], notification_begin_time: "08:00" } }));
    assert.deepEqual([n.notification_begin_time, (n.ok_notifications as Json[]).length, (n.alarm_notifications as Json[]).length], ["08:00", 1, 1]);
    assertCesError(await hw.call("PUT", `${v2}/alarms/${id}/notifications`, { body: { notification_enabled: true, notification_begin_time: "25:00" } }), 400, "ces.0014");

    assertCesError(await hw.call("GET", `/ces/v2/${hw.projectId("cn-east-3")}/alarms/${id}/policies`), 404, "ces.0016");
    assertCesError(await hw.call("POST", `${v2}/alarms/batch-delete`, { body: { alarm_ids: [id, "alnothere"] } }), 404, "ces.0016");
    assert.deepEqual(ok(await hw.call("POST", `${v2}/alarms/batch-delete`, { body: { alarm_ids: [id, fromTpl] } })).alarm_ids, [id, fromTpl]);
    assert.equal(ok(await hw.call("GET", `${v2}/alarms`)).count, 0);
  });
});
