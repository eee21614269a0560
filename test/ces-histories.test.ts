// Cloud Eye's v2 ListAlarmHistories: a v1 rule's transitions on hwlocal's clock, in v2's shape (record ids,
// ISO times, status alarm / ok / invalid), with its filters and paging; through raw signed requests.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

describe("ces v2 alarm histories", () => {
  let hw: TestHwlocal;
  let v1: string;
  let v2: string;
  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    v1 = `/ces/V1.0/${hw.projectId("cn-north-4")}`;
    v2 = `/ces/v2/${hw.projectId("cn-north-4")}`;
  });
  after(() => hw.close());

  test("a v1 rule's transitions, filtered by status, resource and time, paged", async () => {
    const now = hw.clock.now();
    await advance((Math.ceil(now / 300_000) * 300_000 - now) / 1000);
    const T = hw.clock.now();
    const r = await hw.call("POST", `${v1}/alarms`, {
      body: {
        alarm_name: "hot", metric: { namespace: "MINE.APP", metric_name: "cpu", dimensions: [{ name: "instance_id", value: "i-7" }] },
        condition: { period: 300, filter: "average", comparison_operator: ">=", value: 80, count: 1, unit: "%" }, alarm_enabled: true, alarm_action_enabled: false, alarm_level: 3,
      },
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json.alarm_id as string;
    const point = (t: number, value: number) => ({ metric: { namespace: "MINE.APP", metric_name: "cpu", dimensions: [{ name: "instance_id", value: "i-7" }] }, ttl: 86400, collect_time: t, value, unit: "%" });
    assert.equal((await hw.call("POST", `${v1}/metric-data`, { body: [point(T + 10_000, 95)] })).status, 201);
    await advance(300);
    assert.equal((await hw.call("POST", `${v1}/metric-data`, { body: [point(T + 310_000, 10)] })).status, 201);
    await advance(300);

    const h = await hw.call("GET", `${v2}/alarm-histories`, { query: { alarm_id: id } });
    assert.equal(h.status, 200, h.text);
    const items = h.json.alarm_histories as Json[];
    assert.equal(h.json.count, 2);
    assert.deepEqual(items.map((i) => [i.status, i.level, i.name]), [["ok", 3, "hot"], ["alarm", 3, "hot"]]);
    const alarm = items[1]!;
    assert.match(String(alarm.record_id), /^ah\d{22}$/);
    assert.equal(alarm.first_alarm_time, new Date(T + 300_000).toISOString());
    assert.deepEqual(alarm.data_points, [{ time: new Date(T + 300_000).toISOString(), value: 95 }]);
    assert.deepEqual((alarm.metric as Json).dimensions, [{ name: "instance_id", value: "i-7" }]);
    assert.equal(items[0]!.alarm_recovery_time, new Date(T + 600_000).toISOString());

    const onlyAlarm = await hw.call("GET", `${v2}/alarm-histories`, { query: { status: "alarm", resource_id: "i-7" } });
    assert.deepEqual((onlyAlarm.json.alarm_histories as Json[]).map((i) => i.record_id), [alarm.record_id]);
    const page = await hw.call("GET", `${v2}/alarm-histories`, { query: { limit: "1", offset: "1", alarm_id: id } });
    assert.deepEqual([(page.json.alarm_histories as Json[]).length, page.json.count], [1, 2]);
    const early = await hw.call("GET", `${v2}/alarm-histories`, { query: { from: String(T), to: String(T + 400_000) } });
    assert.equal(early.json.count, 1);
    assert.equal((await hw.call("GET", `${v2}/alarm-histories`, { query: { status: "insufficient_data" } })).json.error_code, "ces.0013");
    assert.equal((await hw.call("GET", `${v2}/alarm-histories`, { query: { limit: "0" } })).status, 400);
    const other = await hw.call("GET", `/ces/v2/${hw.projectId("cn-east-3")}/alarm-histories`);
    assert.equal(other.json.count, 0);
  });
});
