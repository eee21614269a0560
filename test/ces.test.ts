// Cloud Eye through signed raw requests (no official Node SDK package for CES here): custom metric data and
// its roll-ups against a hand computation for every filter and period, ListMetrics, BatchListMetricData,
// the ingest validation codes, alarm rule CRUD with list paging, and alarm evaluation on hwlocal's clock
// (alarm → ok → insufficient_data, each with a history entry), plus the CesApi for Auto Scaling.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import type { CesApi, CesTransition } from "../src/services/ces/api.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;
const DAY = 86400_000;

function assertCesError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal(r.json.code, code, "CES's flat error shape");
  assert.equal(typeof r.json.message, "string");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
}

/** The points pushed to MINE.APP/requests{instance_id=i-1}: [seconds after B, value]. */
const POINTS: [number, number][] = [[0, 1], [100, 2], [200, 3], [299, 6], [300, 4], [500, 8], [1000, 10], [1300, 6], [3700, 8]];

/** Worked by hand: period → filter → [period start in seconds after B, value]. */
const EXPECTED: Record<string, Record<string, [number, number][]>> = {
  "300": {
    average: [[0, 3], [300, 6], [900, 10], [1200, 6], [3600, 8]],
    max: [[0, 6], [300, 8], [900, 10], [1200, 6], [3600, 8]],
    min: [[0, 1], [300, 4], [900, 10], [1200, 6], [3600, 8]],
    sum: [[0, 12], [300, 12], [900, 10], [1200, 6], [3600, 8]],
    variance: [[0, 3.5], [300, 4], [900, 0], [1200, 0], [3600, 0]],
  },
  "1200": {
    average: [[0, 34 / 7], [1200, 6], [3600, 8]],
    max: [[0, 10], [1200, 6], [3600, 8]],
    min: [[0, 1], [1200, 6], [3600, 8]],
    sum: [[0, 34], [1200, 6], [3600, 8]],
    variance: [[0, 454 / 49], [1200, 0], [3600, 0]],
  },
  "3600": {
    average: [[0, 5], [3600, 8]],
    max: [[0, 10], [3600, 8]],
    min: [[0, 1], [3600, 8]],
    sum: [[0, 40], [3600, 8]],
    variance: [[0, 8.25], [3600, 0]],
  },
  "14400": { average: [[0, 16 / 3]], max: [[0, 10]], min: [[0, 1]], sum: [[0, 48]], variance: [[0, 74 / 9]] },
  "86400": { average: [[0, 16 / 3]], max: [[0, 10]], min: [[0, 1]], sum: [[0, 48]], variance: [[0, 74 / 9]] },
  "1": Object.fromEntries(
    ["average", "max", "min", "sum", "variance"].map((f) => [f, POINTS.map(([t, v]): [number, number] => [t, f === "variance" ? 0 : v])]),
  ),
};

describe("ces", () => {
  let hw: TestHwlocal;
  let base: string;
  let D: number;
  let B: number;
  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const point = (metric: string, dim: string, t: number, value: number, extra: Json = {}) => ({
    metric: { namespace: "MINE.APP", metric_name: metric, dimensions: [{ name: "instance_id", value: dim }] },
    ttl: 172800,
    collect_time: t,
    value,
    unit: "Count",
    ...extra,
  });
  const push = (body: unknown) => hw.call("POST", `${base}/metric-data`, { body });
  const show = (q: Json) => hw.call("GET", `${base}/metric-data`, { query: { namespace: "MINE.APP", metric_name: "requests", "dim.0": "instance_id,i-1", from: String(B), to: String(B + DAY), ...q } as Record<string, string> });
  const api = () => hw.services.find((s) => s.name === "ces")?.api as CesApi;

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Math.floor(Date.now() / 1000) * 1000) });
    base = `/ces/V1.0/${hw.projectId("cn-north-4")}`;
    const now = hw.clock.now();
    await advance((Math.ceil(now / DAY) * DAY - now) / 1000);
    D = hw.clock.now();
    assert.equal(D % DAY, 0);
    B = D - DAY;
  });
  after(() => hw.close());

  test("CreateMetricData: 201 without a body", async () => {
    const r = await push([...POINTS.map(([t, v]) => point("requests", "i-1", B + t * 1000, v)), point("requests", "i-2", B, 100), point("latency", "i-1", B, 5, { unit: "ms" })]);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.text, "");
  });

  test("ShowMetricData: roll-ups to the period start, as computed by hand, for every filter and period", async () => {
    for (const [period, byFilter] of Object.entries(EXPECTED)) {
      for (const [filter, expected] of Object.entries(byFilter)) {
        const r = await show({ period, filter });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.metric_name, "requests");
        const dps = r.json.datapoints as Json[];
        assert.deepEqual(dps.map((d) => d.timestamp), expected.map(([t]) => B + t * 1000), `${period} ${filter} timestamps`);
        dps.forEach((d, i) => {
          const want = expected[i]![1];
          assert.ok(Math.abs((d[filter] as number) - want) < 1e-9, `${period} ${filter}[${i}]: ${String(d[filter])} ≠ ${want}`);
          assert.equal(d.unit, "Count");
        });
      }
    }
    const narrow = await show({ period: "300", filter: "sum", from: String(B + 300_000), to: String(B + 1200_000) });
    assert.deepEqual((narrow.json.datapoints as Json[]).map((d) => d.sum), [12, 10], "from ≤ collect_time < to");
  });

  test("BatchListMetricData and ListMetrics", async () => {
    const dims = (v: string) => [{ name: "instance_id", value: v }];
    const b = await hw.call("POST", `${base}/batch-query-metric-data`, {
      body: { metrics: [{ namespace: "MINE.APP", metric_name: "requests", dimensions: dims("i-1") }, { namespace: "MINE.APP", metric_name: "requests", dimensions: dims("i-2") }], from: B, to: D, period: "3600", filter: "max" },
    });
    assert.equal(b.status, 200, b.text);
    const ms = b.json.metrics as Json[];
    assert.deepEqual((ms[0]!.datapoints as Json[]).map((d) => d.max), [10, 8]);
    assert.deepEqual(ms[1]!.datapoints, [{ max: 100, timestamp: B, unit: "Count" }]);

    const all = await hw.call("GET", `${base}/metrics`);
    assert.equal(all.status, 200, all.text);
    assert.equal((all.json.metrics as Json[]).length, 3);
    assert.deepEqual(all.json.meta_data, { count: 3, marker: "", total: 3 });
    const one = await hw.call("GET", `${base}/metrics`, { query: { metric_name: "latency" } });
    assert.deepEqual(one.json.metrics, [{ namespace: "MINE.APP", metric_name: "latency", dimensions: dims("i-1"), unit: "ms" }]);
    const byDim = await hw.call("GET", `${base}/metrics`, { query: { "dim.0": "instance_id,i-2" } });
    assert.equal((byDim.json.metrics as Json[]).length, 1);
    const p1 = await hw.call("GET", `${base}/metrics`, { query: { limit: "2", order: "asc" } });
    const meta = p1.json.meta_data as Json;
    assert.equal(meta.count, 2);
    assert.equal(meta.total, 3);
    assert.equal(meta.marker, "MINE.APP.requests.instance_id:i-1");
    const p2 = await hw.call("GET", `${base}/metrics`, { query: { limit: "2", order: "asc", start: String(meta.marker) } });
    assert.deepEqual(p2.json.meta_data, { count: 1, marker: "", total: 3 });
    assertCesError(await hw.call("GET", `${base}/metrics`, { query: { limit: "0" } }), 400, "ces.0013");
  });

  test("CreateMetricData and ShowMetricData: validation codes", async () => {
    const bad = (over: Json) => push([{ ...point("requests", "i-1", D, 1), ...over }]);
    const metric = (m: Json) => bad({ metric: { namespace: "MINE.APP", metric_name: "requests", dimensions: [{ name: "instance_id", value: "i-1" }], ...m } });
    assertCesError(await metric({ namespace: "SYS.ECS" }), 403, "ces.0009");
    assertCesError(await metric({ namespace: "AGT.X" }), 403, "ces.0009");
    assertCesError(await metric({ namespace: "nodot" }), 400, "ces.0014");
    assertCesError(await metric({ dimensions: ["a", "b", "c", "d"].map((n) => ({ name: n, value: "v" })) }), 400, "ces.0014");
    assertCesError(await metric({ dimensions: [] }), 400, "ces.0014");
    assertCesError(await bad({ ttl: 0 }), 400, "ces.0014");
    assertCesError(await bad({ ttl: 604801 }), 400, "ces.0014");
    assertCesError(await bad({ collect_time: D - 3 * DAY }), 400, "ces.0014");
    assertCesError(await bad({ collect_time: D + 600_000 }), 400, "ces.0014");
    assertCesError(await bad({ value: "12" }), 400, "ces.0014");
    assertCesError(await push({ not: "an array" }), 400, "ces.0014");
    assert.equal((await bad({ collect_time: D - 3 * DAY + 21_000 })).status, 201, "the window's far edge is accepted");
    assertCesError(await show({ period: "60", filter: "average" }), 400, "ces.0013");
    assertCesError(await show({ period: "300", filter: "median" }), 400, "ces.0013");
    assertCesError(await show({ period: "300", filter: "sum", "dim.0": "nocomma" }), 400, "ces.0013");
    assertCesError(await show({ period: "300", filter: "sum", from: String(D), to: String(B) }), 400, "ces.0013");
  });

  const rule = (name: string, over: Json = {}) => ({
    alarm_name: name,
    metric: { namespace: "MINE.APP", metric_name: "cpu", dimensions: [{ name: "instance_id", value: "i-9" }] },
    condition: { period: 300, filter: "average", comparison_operator: ">", value: 80, unit: "%", count: 2 },
    alarm_action_enabled: false,
    ...over,
  });
  const create = async (body: Json): Promise<string> => {
    const r = await hw.call("POST", `${base}/alarms`, { body });
    assert.equal(r.status, 201, r.text);
    const id = r.json.alarm_id as string;
    assert.match(id, /^al\d{13}[A-Za-z0-9]{9}$/);
    return id;
  };
  const showAlarm = async (id: string) => {
    const r = await hw.call("GET", `${base}/alarms/${id}`);
    assert.equal(r.status, 200, r.text);
    const list = r.json.metric_alarms as Json[];
    assert.equal(list.length, 1);
    return list[0]!;
  };

  test("alarm rules: create, show, list paging, update, enable/disable, delete, quotas", async () => {
    const a = await create(rule("crud-a"));
    await advance(1);
    const b = await create(rule("crud-b"));
    await advance(1);
    const c = await create(rule("crud-c", { alarm_actions: [{ type: "autoscaling", notificationList: [] }], alarm_action_enabled: true }));
    const shown = await showAlarm(a);
    assert.equal(shown.alarm_name, "crud-a");
    assert.equal(shown.alarm_state, "insufficient_data");
    assert.equal(shown.alarm_enabled, true);
    assert.deepEqual(shown.condition, { period: 300, filter: "average", comparison_operator: ">", value: 80, unit: "%", count: 2, suppress_duration: 0 });

    const p1 = await hw.call("GET", `${base}/alarms`, { query: { limit: "2" } });
    assert.deepEqual((p1.json.metric_alarms as Json[]).map((x) => x.alarm_id), [c, b], "newest first by default");
    assert.deepEqual(p1.json.meta_data, { count: 2, marker: b, total: 3 });
    const p2 = await hw.call("GET", `${base}/alarms`, { query: { limit: "2", start: b } });
    assert.deepEqual((p2.json.metric_alarms as Json[]).map((x) => x.alarm_id), [a]);
    assert.deepEqual(p2.json.meta_data, { count: 1, marker: "", total: 3 });
    const asc = await hw.call("GET", `${base}/alarms`, { query: { order: "asc" } });
    assert.deepEqual((asc.json.metric_alarms as Json[]).map((x) => x.alarm_id), [a, b, c]);
    assertCesError(await hw.call("GET", `${base}/alarms`, { query: { limit: "101" } }), 400, "ces.0013");

    assert.equal((await hw.call("PUT", `${base}/alarms/${a}`, { body: { alarm_name: "crud-a2", alarm_level: 1 } })).status, 204);
    assert.equal((await showAlarm(a)).alarm_name, "crud-a2");
    assert.equal((await hw.call("PUT", `${base}/alarms/${a}/action`, { body: { alarm_enabled: false } })).status, 204);
    assert.equal((await showAlarm(a)).alarm_enabled, false);
    assert.equal((await hw.call("PUT", `${base}/alarms/${a}/action`, { body: { alarm_enabled: true } })).status, 204);
    assert.equal((await showAlarm(a)).alarm_enabled, true);

    const q = await hw.call("GET", `${base}/quotas`);
    assert.deepEqual(q.json, { quotas: { resources: [{ type: "alarm", used: 3, unit: "", quota: 1000 }] } });

    assertCesError(await hw.call("POST", `${base}/alarms`, { body: rule("x", { alarm_action_enabled: true }) }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${base}/alarms`, { body: rule("x", { condition: { period: 60, filter: "average", comparison_operator: ">", value: 1, count: 1 } }) }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${base}/alarms`, { body: rule("bad name!") }), 400, "ces.0014");
    assertCesError(await hw.call("PUT", `${base}/alarms/${a}`, { body: { alarm_actions: [{ type: "autoscaling", notificationList: ["urn:x"] }] } }), 400, "ces.0014");

    for (const id of [a, b, c]) assert.equal((await hw.call("DELETE", `${base}/alarms/${id}`)).status, 204);
    assertCesError(await hw.call("GET", `${base}/alarms/${a}`), 404, "ces.0016");
    assertCesError(await hw.call("DELETE", `${base}/alarms/${a}`), 404, "ces.0016");
  });

  test("evaluation: alarm after count breaching periods, ok when back below, insufficient_data without data", async () => {
    const seen: CesTransition[] = [];
    const off = api().onTransition((t) => seen.push(t));
    const now = hw.clock.now();
    await advance((Math.ceil(now / 300_000) * 300_000 - now) / 1000);
    const T = hw.clock.now();
    const id = await create(rule("cpu-high"));
    assert.equal(api().addAutoscalingAction(hw.projectId(), id), true);
    assert.deepEqual(api().alarm(hw.projectId(), id)?.alarmActions, [{ type: "autoscaling", notificationList: [] }]);
    const cpu = (t: number, v: number) => point("cpu", "i-9", t, v);
    assert.equal((await push([cpu(T + 10_000, 85), cpu(T + 20_000, 95), cpu(T + 310_000, 90)])).status, 201);

    await advance(300);
    assert.equal((await showAlarm(id)).alarm_state, "insufficient_data", "one breaching period of two");
    await advance(300);
    assert.equal((await showAlarm(id)).alarm_state, "alarm");
    assert.deepEqual(seen.map((t) => [t.alarmId, t.from, t.to, t.repeat, t.value, t.at]), [[id, "insufficient_data", "alarm", false, 90, T + 600_000]]);

    assert.equal((await push([cpu(T + 610_000, 10)])).status, 201);
    await advance(300);
    assert.equal((await showAlarm(id)).alarm_state, "ok");
    await advance(300);
    assert.equal((await showAlarm(id)).alarm_state, "ok", "one empty period of two keeps the state");
    await advance(300);
    assert.equal((await showAlarm(id)).alarm_state, "insufficient_data");
    off();

    const h = await hw.call("GET", `${base}/alarm-histories`, { query: { alarm_id: id } });
    assert.equal(h.status, 200, h.text);
    const entries = h.json.alarm_histories as Json[];
    assert.deepEqual(entries.map((e) => [e.old_status, e.status, e.begin_time]), [
      ["ok", "insufficient_data", T + 1500_000],
      ["alarm", "ok", T + 900_000],
      ["insufficient_data", "alarm", T + 600_000],
    ]);
    assert.deepEqual(entries[2]!.data_points, [{ time: T + 600_000, value: 90 }]);
    assert.deepEqual(h.json.meta_data, { count: 3, total: 3 });
    const alarmsOnly = await hw.call("GET", `${base}/alarm-histories`, { query: { alarm_status: "alarm" } });
    assert.equal((alarmsOnly.json.alarm_histories as Json[]).length, 1);
    assert.equal(api().removeAutoscalingAction(hw.projectId(), id), true);
    assert.deepEqual(api().alarm(hw.projectId(), id)?.alarmActions, []);
    assert.equal(api().alarm(hw.projectId(), "al0000000000000nothere"), undefined);
  });

  test("a rule that stays in alarm calls the hooks again per suppress_duration; points expire by ttl", async () => {
    const seen: CesTransition[] = [];
    const off = api().onTransition((t) => seen.push(t));
    const now = hw.clock.now();
    await advance((Math.ceil(now / 300_000) * 300_000 - now) / 1000);
    const T = hw.clock.now();
    const id = await create(rule("mem-high", { condition: { period: 300, filter: "max", comparison_operator: ">=", value: 50, count: 1, suppress_duration: 600 } }));
    const mem = [0, 1, 2, 3].map((i) => point("cpu", "i-9", T + i * 300_000 + 1000, 50, { ttl: 1500 }));
    assert.equal((await push(mem.slice(0, 2))).status, 201);
    await advance(300);
    await advance(300);
    assert.equal((await push(mem.slice(2))).status, 201);
    await advance(300);
    await advance(300);
    off();
    assert.deepEqual(seen.filter((t) => t.alarmId === id).map((t) => [t.to, t.repeat, t.at - T]), [
      ["alarm", false, 300_000],
      ["alarm", true, 900_000],
    ]);
    assert.equal((await hw.call("DELETE", `${base}/alarms/${id}`)).status, 204);
    const q = (from: number) => hw.call("GET", `${base}/metric-data`, { query: { namespace: "MINE.APP", metric_name: "cpu", "dim.0": "instance_id,i-9", filter: "max", period: "1", from: String(from), to: String(hw.clock.now()) } });
    assert.equal(((await q(T)).json.datapoints as Json[]).length, 4, "ttl counts from ingestion");
    await advance(300);
    assert.equal(((await q(T)).json.datapoints as Json[]).length, 2, "the first two points outlived their ttl");
    assert.equal(hw.db.prepare("SELECT COUNT(*) FROM ces_points WHERE metric_name = 'cpu' AND collect_time >= ?").pluck().get(T), 2, "pruned by the ticker");
    await advance(600);
    assert.equal(((await q(T)).json.datapoints as Json[]).length, 0);
  });
});
