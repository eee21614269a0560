// Cloud Eye notification masks (status from hwlocal's clock) and dashboards with their widgets, through raw
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

describe("ces notification masks and dashboards", () => {
  let hw: TestHwlocal;
  let v2: string;
  let otherV2: string;
  let now: number;

  before(async () => {
    now = Date.now();
    hw = await startTestHwlocal({}, { clock: new ManualClock(now) });
    v2 = `/ces/v2/${hw.projectId("cn-north-4")}`;
    otherV2 = `/ces/v2/${hw.projectId("cn-east-3")}`;
  });
  after(() => hw.close());

  test("masks: create for a rule and for resources, query, status by the clock, update, resources, delete", async () => {
    const rule = ok(await hw.call("POST", `${v2}/alarms`, {
      body: { name: "r", namespace: "SYS.ECS", resources: [[{ name: "instance_id", value: "s-1" }]], policies: [{ metric_name: "cpu_util", period: 300, filter: "max", comparison_operator: ">", value: 1, count: 1 }], type: "MULTI_INSTANCE", enabled: true, notification_enabled: false },
    })).alarm_id as string;
    const forever = ok(await hw.call("PUT", `${v2}/notification-masks`, { body: { mask_name: "all_quiet", relation_type: "ALARM_RULE", relation_ids: [rule], mask_type: "FOREVER_TIME" } }));
    assert.deepEqual(forever.relation_ids, [rule]);
    const fid = forever.notification_mask_id as string;
    assert.match(fid, /^nm[A-Za-z0-9]{22}$/);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const hm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const later = now + 2 * 86_400_000;
    const windowed = ok(await hw.call("PUT", `${v2}/notification-masks`, {
      body: {
        mask_name: "maint", relation_type: "RESOURCE", resources: [{ namespace: "SYS.ECS", dimensions: [{ name: "instance_id", value: "s-2" }] }],
        mask_type: "START_END_TIME", start_date: day(later), start_time: "00:00", end_date: day(later + 86_400_000), end_time: "23:59", effective_timezone: "GMT+00:00",
      },
    })).notification_mask_id as string;
    assertCesError(await hw.call("PUT", `${v2}/notification-masks`, { body: { relation_type: "ALARM_RULE", relation_ids: ["alnothere"], mask_type: "FOREVER_TIME" } }), 404, "ces.0016");
    assertCesError(await hw.call("PUT", `${v2}/notification-masks`, { body: { relation_type: "RESOURCE", mask_type: "FOREVER_TIME" } }), 400, "ces.0014");
    assertCesError(await hw.call("PUT", `${v2}/notification-masks`, { body: { relation_type: "RESOURCE", resources: [{ namespace: "SYS.ECS", dimensions: [] }], mask_type: "START_END_TIME" } }), 400, "ces.0014");

    const status = async (): Promise<Record<string, unknown>> => {
      const masks = ok(await hw.call("POST", `${v2}/notification-masks/batch-query`, { body: {} })).notification_masks as Json[];
      return Object.fromEntries(masks.map((m) => [m.notification_mask_id, m.mask_status]));
    };
    assert.deepEqual(await status(), { [fid]: "MASK_EFFECTIVE", [windowed]: "MASK_INEFFECTIVE" });
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 2 * 86_400 + 3600 } });
    assert.equal((await status())[windowed], "MASK_EFFECTIVE");
    const effective = ok(await hw.call("POST", `${v2}/notification-masks/batch-query`, { query: { limit: "1", sort_key: "create_time", sort_dir: "asc" }, body: { mask_status: "MASK_EFFECTIVE" } }));
    assert.deepEqual([effective.count, (effective.notification_masks as Json[])[0]!.notification_mask_id], [2, fid]);

    const res = ok(await hw.call("GET", `${v2}/notification-masks/${windowed}/resources`));
    assert.deepEqual(res.resources, [{ namespace: "SYS.ECS", dimensions: [{ name: "instance_id", value: "s-2" }] }]);
    const t = hw.clock.now();
    assert.equal((await hw.call("POST", `${v2}/notification-masks/batch-update`, { body: { notification_mask_ids: [fid], mask_type: "CYCLE_TIME", start_time: hm(t + 3_600_000), end_time: hm(t + 7_200_000), effective_timezone: "GMT+00:00" } })).status, 204);
    assert.equal((await status())[fid], "MASK_INEFFECTIVE");
    assert.equal((await hw.call("PUT", `${v2}/notification-masks/${fid}`, { body: { mask_name: "again", relation_type: "ALARM_RULE", relation_ids: [rule], mask_type: "FOREVER_TIME" } })).status, 204);
    assert.equal((await status())[fid], "MASK_EFFECTIVE");
    assertCesError(await hw.call("GET", `${otherV2}/notification-masks/${fid}/resources`), 404, "ces.0016");
    assert.deepEqual(ok(await hw.call("POST", `${v2}/notification-masks/batch-delete`, { body: { notification_mask_ids: [fid, windowed] } })).notification_mask_ids, [fid, windowed]);
    assertCesError(await hw.call("POST", `${v2}/notification-masks/batch-delete`, { body: { notification_mask_ids: [fid] } }), 404, "ces.0016");
  });

  test("dashboards and widgets: create, copy, list, update, widgets CRUD and batch update, delete", async () => {
    const id = ok(await hw.call("POST", `${v2}/dashboards`, { body: { dashboard_name: "ops", row_widget_num: 2 } })).dashboard_id as string;
    assert.match(id, /^db[A-Za-z0-9]{22}$/);
    assertCesError(await hw.call("POST", `${v2}/dashboards`, { body: { dashboard_name: "ops" } }), 400, "ces.0014");
    const metric = { namespace: "SYS.ECS", dimensions: { name: "instance_id", filter_type: "specific_instances", values: ["s-1"] }, metric_name: "cpu_util", alias: ["web"] };
    const widget = { metrics: [metric], title: "CPU", threshold_enabled: false, view: "line", metric_display_mode: "single", location: { top: 0, left: 0, width: 4, height: 3 }, properties: { topN: 5 } };
    const wids = ok(await hw.call("POST", `${v2}/dashboards/${id}/widgets`, { body: [widget, { ...widget, title: "CPU2", group_id: "g1" }] })).widget_ids as string[];
    assert.equal(wids.length, 2);
    assertCesError(await hw.call("POST", `${v2}/dashboards/${id}/widgets`, { body: [{ ...widget, view: "pie" }] }), 400, "ces.0014");
    const shown = ok(await hw.call("GET", `${v2}/widgets/${wids[0]}`));
    assert.deepEqual([shown.widget_id, shown.title, ((shown.metrics as Json[])[0]!.dimensions as Json).filter_type, (shown.properties as Json).topN], [wids[0], "CPU", "specific_instances", 5]);
    assert.equal((ok(await hw.call("GET", `${v2}/dashboards/${id}/widgets`, { query: { group_id: "g1" } })).widgets as Json[]).length, 1);

    const upd = ok(await hw.call("POST", `${v2}/widgets/batch-update`, { body: [{ widget_id: wids[0], title: "CPU %", threshold: 80, threshold_enabled: true }, { widget_id: "wgmissing" }] }));
    assert.deepEqual((upd.widgets as Json[]).map((w) => w.ret_status), ["successful", "error"]);
    const after2 = ok(await hw.call("GET", `${v2}/widgets/${wids[0]}`));
    assert.deepEqual([after2.title, after2.threshold, after2.view], ["CPU %", 80, "line"]);

    const copy = ok(await hw.call("POST", `${v2}/dashboards`, { body: { dashboard_name: "ops_copy", dashboard_id: id } })).dashboard_id as string;
    assert.equal((ok(await hw.call("GET", `${v2}/dashboards/${copy}/widgets`)).widgets as Json[]).length, 2);
    assert.equal((await hw.call("PUT", `${v2}/dashboards/${id}`, { body: { is_favorite: true, row_widget_num: 3 } })).status, 204);
    const favs = ok(await hw.call("GET", `${v2}/dashboards`, { query: { is_favorite: "true" } })).dashboards as Json[];
    assert.deepEqual(favs.map((d) => [d.dashboard_id, d.row_widget_num, d.widgets_num]), [[id, 3, 2]]);
    assert.equal((await hw.call("DELETE", `${v2}/widgets/${wids[1]}`)).status, 204);
    assertCesError(await hw.call("DELETE", `${v2}/widgets/${wids[1]}`), 404, "ces.0016");
    assertCesError(await hw.call("GET", `${otherV2}/dashboards/${id}/widgets`), 404, "ces.0016");
    const del = ok(await hw.call("POST", `${v2}/dashboards/batch-delete`, { body: { dashboard_ids: [id, "dbmissing"] } }));
    assert.deepEqual((del.dashboards as Json[]).map((d) => d.ret_status), ["successful", "error"]);
    assertCesError(await hw.call("GET", `${v2}/widgets/${wids[0]}`), 404, "ces.0016");
  });
});
