// Cloud Eye one-click alarms (enable, rules, switch rules and policies, notifications, delete), the v2
// BatchListSpecifiedMetricData over pushed custom metrics, and the alarm rules' tags, through raw requests
// signed as the SDK signs, with error paths and another project's view.
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

describe("ces one-click alarms, v2 metric data, rule tags", () => {
  let hw: TestHwlocal;
  let pid: string;
  let v2: string;
  let now: number;

  before(async () => {
    now = Date.now();
    hw = await startTestHwlocal({}, { clock: new ManualClock(now) });
    pid = hw.projectId("cn-north-4");
    v2 = `/ces/v2/${pid}`;
  });
  after(() => hw.close());

  test("one-click alarms: enable, list, rules, switch a rule and a policy, notifications, delete", async () => {
    const topic = ok(await hw.call("POST", `/smn/v2/${pid}/notifications/topics`, { body: { name: "one-click" } }), 201).topic_urn as string;
    const body = { one_click_alarm_id: "ECSSystemOneClickAlarm", dimension_names: { metric: ["instance_id"], event: [] }, notification_enabled: true, alarm_notifications: [{ type: "notification", notification_list: [topic] }] };
    assert.equal(ok(await hw.call("POST", `${v2}/one-click-alarms`, { body })).one_click_alarm_id, "ECSSystemOneClickAlarm");
    assertCesError(await hw.call("POST", `${v2}/one-click-alarms`, { body }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v2}/one-click-alarms`, { body: { ...body, one_click_alarm_id: "NoSuchOneClickAlarm" } }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v2}/one-click-alarms`, { body: { ...body, one_click_alarm_id: "EVSSystemOneClickAlarm", alarm_notifications: [] } }), 400, "ces.0014");

    assert.deepEqual(ok(await hw.call("GET", `${v2}/one-click-alarms`)).one_click_alarms, [{ one_click_alarm_id: "ECSSystemOneClickAlarm", namespace: "SYS.ECS", description: "Elastic Cloud Server", enabled: true }]);
    const rules = ok(await hw.call("GET", `${v2}/one-click-alarms/ECSSystemOneClickAlarm/alarms`)).alarms as Json[];
    assert.equal(rules.length, 1);
    const rule = rules[0]!;
    const policies = rule.policies as Json[];
    assert.deepEqual([rule.namespace, rule.type, policies.map((x) => x.metric_name)], ["SYS.ECS", "ALL_INSTANCE", ["cpu_util", "mem_util", "disk_util_inband"]]);

    const pid0 = policies[0]!.alarm_policy_id as string;
    const polPath = `${v2}/one-click-alarms/ECSSystemOneClickAlarm/alarms/${rule.alarm_id}/policies/action`;
    assert.deepEqual(ok(await hw.call("PUT", polPath, { body: { alarm_policy_ids: [pid0], enabled: false } })).alarm_policy_ids, [pid0]);
    assertCesError(await hw.call("PUT", polPath, { body: { alarm_policy_ids: ["nope"], enabled: false } }), 404, "ces.0016");
    const after1 = (ok(await hw.call("GET", `${v2}/one-click-alarms/ECSSystemOneClickAlarm/alarms`)).alarms as Json[])[0]!;
    assert.deepEqual((after1.policies as Json[]).map((x) => x.enabled), [false, true, true]);

    const rulesPath = `${v2}/one-click-alarms/ECSSystemOneClickAlarm/alarm-rules/action`;
    ok(await hw.call("PUT", rulesPath, { body: { alarm_ids: [rule.alarm_id], alarm_enabled: false } }));
    assert.equal((ok(await hw.call("GET", `${v2}/one-click-alarms`)).one_click_alarms as Json[])[0]!.enabled, false);
    assertCesError(await hw.call("PUT", rulesPath, { body: { alarm_ids: ["alnothere"], alarm_enabled: true } }), 404, "ces.0016");

    assert.equal((await hw.call("PUT", `${v2}/one-click-alarms/ECSSystemOneClickAlarm/notifications`, { body: { notification_enabled: false, notification_begin_time: "09:00" } })).status, 204);
    const after2 = (ok(await hw.call("GET", `${v2}/one-click-alarms/ECSSystemOneClickAlarm/alarms`)).alarms as Json[])[0]!;
    assert.deepEqual([after2.notification_enabled, after2.notification_begin_time], [false, "09:00"]);
    assertCesError(await hw.call("GET", `/ces/v2/${hw.projectId("cn-east-3")}/one-click-alarms/ECSSystemOneClickAlarm/alarms`), 404, "ces.0016");
    assert.deepEqual(ok(await hw.call("POST", `${v2}/one-click-alarms/batch-delete`, { body: { one_click_alarm_ids: ["ECSSystemOneClickAlarm"] } })).one_click_alarm_ids, ["ECSSystemOneClickAlarm"]);
    assertCesError(await hw.call("POST", `${v2}/one-click-alarms/batch-delete`, { body: { one_click_alarm_ids: ["ECSSystemOneClickAlarm"] } }), 404, "ces.0016");
  });

  test("BatchListSpecifiedMetricData: the latest point of each series with the named dimensions", async () => {
    const point = (id: string, t: number, value: number, dims: Json[] = [{ name: "instance_id", value: id }]) => ({
      metric: { namespace: "MINE.APP", metric_name: "latency", dimensions: dims }, ttl: 3600, collect_time: t, value, unit: "ms",
    });
    assert.equal((await hw.call("POST", `/ces/V1.0/${pid}/metric-data`, {
      body: [point("a", now - 120_000, 5), point("a", now - 60_000, 7), point("b", now - 30_000, 9), point("c", now - 30_000, 1, [{ name: "instance_id", value: "c" }, { name: "disk", value: "vda" }])],
    })).status, 201);
    const r = ok(await hw.call("POST", `${v2}/batch-query-metric-data`, { body: { namespace: "MINE.APP", metric_name: "latency", metric_dimension: "instance_id", from: now - 600_000, to: now + 1 } }));
    const got = (r.data_points as Json[]).map((p) => [((p.dimensions as Json[])[0]!).value, p.value, p.timestamp]).sort();
    assert.deepEqual(got, [["a", 7, now - 60_000], ["b", 9, now - 30_000]]);
    const two = ok(await hw.call("POST", `${v2}/batch-query-metric-data`, { body: { namespace: "MINE.APP", metric_name: "latency", metric_dimension: "instance_id,disk" } }));
    assert.equal((two.data_points as Json[]).length, 1);
    assertCesError(await hw.call("POST", `${v2}/batch-query-metric-data`, { body: { namespace: "MINE.APP", metric_name: "latency", metric_dimension: "instance_id", from: 10, to: 5 } }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v2}/batch-query-metric-data`, { body: { namespace: "MINE.APP" } }), 400, "ces.0014");
  });

  test("ListCesTargetProjectTags: the tags of the project's v2 alarm rules", async () => {
    const rule = (name: string, tags: Json[]) => ({
      name, namespace: "SYS.ECS", resources: [], type: "ALL_INSTANCE", enabled: true, notification_enabled: false, tags,
      policies: [{ metric_name: "cpu_util", period: 300, filter: "average", comparison_operator: ">", value: 1, count: 1 }],
    });
    ok(await hw.call("POST", `${v2}/alarms`, { body: rule("t1", [{ key: "env", value: "prod" }]) }));
    ok(await hw.call("POST", `${v2}/alarms`, { body: rule("t2", [{ key: "env", value: "dev" }, { key: "team", value: "core" }]) }));
    const tags = ok(await hw.call("GET", `${v2}/CES-alarm/tags`)).tags as Json[];
    assert.deepEqual(tags, [{ key: "env", values: ["prod", "dev"] }, { key: "team", values: ["core"] }]);
    assertCesError(await hw.call("GET", `${v2}/ecs-server/tags`), 400, "ces.0013");
    assert.deepEqual(ok(await hw.call("GET", `/ces/v2/${hw.projectId("cn-east-3")}/CES-alarm/tags`)).tags, []);
  });
});
