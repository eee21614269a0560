// ALARM policies through raw signed requests, driven only by hwlocal's clock: a Cloud Eye rule on a custom
// metric (average > 70 for 2 periods of 300 s) enters alarm → ADD 2 → 3 instances; a repeat within the
// policy's cool-down logs FAIL with AS.0026; a later repeat → 5 (max); the rule carries the autoscaling
// action; AS.3030 / AS.3034; the group's SCALING_UP topic delivers to an http subscription.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { asNetwork, expectError, httpReceiver } from "./helpers/as.ts";

type Row = Record<string, unknown>;
const PERIOD = 300_000;

describe("AS alarm policies", () => {
  let hw: TestHwlocal;
  let base: string;
  let ces: string;
  let smn: string;
  let configId: string;
  let vpcId: string;
  let subnetId: string;
  let hits: Row[] = [];
  let url: string;
  let closeReceiver: () => Promise<void>;

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Math.floor(Date.now() / 1000) * 1000) });
    const pid = hw.projectId();
    base = `/as/autoscaling-api/v1/${pid}`;
    ces = `/ces/V1.0/${pid}`;
    smn = `/smn/v2/${pid}/notifications`;
    ({ vpcId, subnetId, configId } = await asNetwork(hw));
    ({ url, hits, close: closeReceiver } = await httpReceiver("/as"));
  });
  after(async () => {
    await closeReceiver();
    await hw.close();
  });

  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const advanceTo = async (at: number) => advance((at - hw.clock.now()) / 1000);
  const newGroup = async (name: string): Promise<string> => {
    const r = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: name, scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 1, max_instance_number: 5, desire_instance_number: 1 },
    });
    assert.equal(r.status, 200, r.text);
    const id = r.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${id}/action`, { body: { action: "resume" } })).status, 204);
    return id;
  };
  const group = async (id: string): Promise<Row> => (await hw.call("GET", `${base}/scaling_group/${id}`)).json.scaling_group as Row;
  const inService = async (id: string): Promise<number> =>
    ((await hw.call("GET", `${base}/scaling_group_instance/${id}/list`)).json.scaling_group_instances as Row[]).filter((i) => i.life_cycle_state === "INSERVICE").length;
  const policy = (groupId: string, name: string, alarmId: string) =>
    hw.call("POST", `${base}/scaling_policy`, {
      body: { scaling_policy_name: name, scaling_group_id: groupId, scaling_policy_type: "ALARM", alarm_id: alarmId, scaling_policy_action: { operation: "ADD", instance_number: 2 }, cool_down_time: 300 },
    });
  const alarmOf = async (id: string): Promise<Row> => ((await hw.call("GET", `${ces}/alarms/${id}`)).json.metric_alarms as Row[])[0]!;
  const logs = async (id: string): Promise<Row[]> => (await hw.call("GET", `${base}/scaling_policy_execute_log/${id}`)).json.scaling_policy_execute_log as Row[];

  test("an alarm rule scales the group out, within cool-down AS.0026, up to max; SMN tells SCALING_UP", async () => {
    const gid = await newGroup("alarmed");
    await advance(1);
    await advance(60);
    assert.equal(await inService(gid), 1);

    const topic = await hw.call("POST", `${smn}/topics`, { body: { name: "as-events", display_name: "AS events" } });
    assert.equal(topic.status, 201, topic.text);
    const urn = topic.json.topic_urn as string;
    const sub = await hw.call("POST", `${smn}/topics/${urn}/subscriptions`, { body: { protocol: "http", endpoint: url, remark: "as" } });
    assert.equal(sub.status, 201, sub.text);
    const n = await hw.call("PUT", `${base}/scaling_notification/${gid}`, { body: { topic_urn: urn, topic_scene: ["SCALING_UP"] } });
    assert.equal(n.status, 200, n.text);

    await advanceTo(Math.ceil(hw.clock.now() / PERIOD) * PERIOD);
    const T = hw.clock.now();
    const rule = await hw.call("POST", `${ces}/alarms`, {
      body: {
        alarm_name: "load-high",
        metric: { namespace: "MyApp.Load", metric_name: "cpu_util", dimensions: [{ name: "group", value: gid }] },
        condition: { period: 300, filter: "average", comparison_operator: ">", value: 70, unit: "%", count: 2 },
        alarm_action_enabled: true,
        alarm_actions: [{ type: "notification", notificationList: [] }],
      },
    });
    assert.equal(rule.status, 201, rule.text);
    const alarmId = rule.json.alarm_id as string;

    expectError(await policy(gid, "missing", "al0000000000000nothere"), "AS.3030");
    const created = await policy(gid, "add2", alarmId);
    assert.equal(created.status, 200, created.text);
    const pid = created.json.scaling_policy_id as string;
    const shown = await hw.call("GET", `${base}/scaling_policy/${pid}`);
    assert.equal((shown.json.scaling_policy as Row).alarm_id, alarmId);
    assert.deepEqual((await alarmOf(alarmId)).alarm_actions, [{ type: "notification", notificationList: [] }, { type: "autoscaling", notificationList: [] }]);
    const other = await newGroup("other");
    expectError(await policy(other, "steal", alarmId), "AS.3034");

    const ingest = async (at: number, value: number) => {
      const r = await hw.call("POST", `${ces}/metric-data`, {
        body: [{ metric: { namespace: "MyApp.Load", metric_name: "cpu_util", dimensions: [{ name: "group", value: gid }] }, ttl: 172800, collect_time: at, value, unit: "%" }],
      });
      assert.equal(r.status, 201, r.text);
    };
    await ingest(T + 10_000, 90);
    await advanceTo(T + PERIOD);
    await ingest(T + PERIOD + 10_000, 90);
    assert.equal((await group(gid)).desire_instance_number, 1, "one breaching period of two");
    await advanceTo(T + 2 * PERIOD);
    assert.equal((await alarmOf(alarmId)).alarm_state, "alarm");
    assert.equal((await group(gid)).desire_instance_number, 3);
    await advance(1);
    await advance(60);
    assert.equal(await inService(gid), 3);

    // SMN posts on its ticker as the clock moves; wait a bounded real time.
    for (let i = 0; i < 100 && hits.length === 0; i++) {
      await advance(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    const hit = hits.find((h) => String(h.subject).includes("SCALING_UP"));
    assert.ok(hit, JSON.stringify(hits));
    const msg = JSON.parse(String(hit.message)) as Row;
    assert.deepEqual([msg.scene, msg.scaling_group_id, msg.status, msg.instance_value], ["SCALING_UP", gid, "SUCCESS", 3]);

    // The next boundary repeats the alarm within the 300 s cool-down since the activity ended.
    await ingest(T + 2 * PERIOD + 10_000, 90);
    await advanceTo(T + 3 * PERIOD);
    assert.equal((await group(gid)).desire_instance_number, 3);
    const [refused] = await logs(pid);
    assert.deepEqual([refused?.status, refused?.execute_type, refused?.failed_reason], ["FAIL", "ALARM", "Scaling action is not allowed in the cooling duration."]);

    await ingest(T + 3 * PERIOD + 10_000, 90);
    await advanceTo(T + 4 * PERIOD);
    assert.equal((await group(gid)).desire_instance_number, 5);
    await advance(1);
    await advance(60);
    assert.equal(await inService(gid), 5);
    const runs = await logs(pid);
    assert.deepEqual(runs.map((l) => [l.status, l.old_value, l.desire_value, l.limit_value]), [["SUCCESS", "3", "5", "5"], ["FAIL", "3", "3", "5"], ["SUCCESS", "1", "3", "5"]]);

    await ingest(T + 4 * PERIOD + 10_000, 10);
    await advanceTo(T + 5 * PERIOD);
    assert.equal((await alarmOf(alarmId)).alarm_state, "ok");
    assert.equal((await group(gid)).desire_instance_number, 5);

    assert.equal((await hw.call("DELETE", `${base}/scaling_policy/${pid}`)).status, 204);
    assert.deepEqual((await alarmOf(alarmId)).alarm_actions, [{ type: "notification", notificationList: [] }]);
    const now = await policy(other, "now-free", alarmId);
    assert.equal(now.status, 200, now.text);
  });
});
