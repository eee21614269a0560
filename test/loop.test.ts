// The closed loop end to end, through raw signed requests and hwlocal's clock only: a group (min 1, max 5)
// with an SMN topic (http subscription to a local receiver) for SCALING_UP/SCALING_DOWN; Cloud Eye rules on
// the built-in SYS.AS cpu_util (> 70 / < 30 for 2 periods of 300 s) publishing to the same topic and bound to
// ALARM policies ADD 2 / REMOVE 2 (cool-down 300 s). PUT /_hwlocal/ces/load 90 → alarm → 3 → 5 (max);
// load 10 → the high rule recovers, the low rule fires → 3 → 1 (min). Deleting the group (force_delete=yes)
// deletes its servers and the alarm rules its policies used; BatchPolicies delete_alarm=yes deletes a rule, =no keeps it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { asNetwork, expectError, httpReceiver } from "./helpers/as.ts";

type Row = Record<string, unknown>;

describe("the scaling loop: load → Cloud Eye → AS → SMN", () => {
  let hw: TestHwlocal;
  let pid: string;
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
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Math.floor(Date.now() / 60_000) * 60_000 + 5_000) });
    pid = hw.projectId();
    base = `/as/autoscaling-api/v1/${pid}`;
    ces = `/ces/V1.0/${pid}`;
    smn = `/smn/v2/${pid}/notifications`;
    ({ vpcId, subnetId, configId } = await asNetwork(hw));
    ({ url, hits, close: closeReceiver } = await httpReceiver("/loop"));
  });
  after(async () => {
    await closeReceiver();
    await hw.close();
  });

  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const load = async (cpu: number, groupId: string) => {
    const r = await hw.call("PUT", "/_hwlocal/ces/load", { creds: null, body: { scaling_group_id: groupId, cpu_util: cpu } });
    assert.equal(r.status, 200, r.text);
  };
  const group = async (id: string): Promise<Row> => (await hw.call("GET", `${base}/scaling_group/${id}`)).json.scaling_group as Row;
  const instances = async (id: string): Promise<Row[]> => (await hw.call("GET", `${base}/scaling_group_instance/${id}/list`)).json.scaling_group_instances as Row[];
  const inService = async (id: string): Promise<number> => (await instances(id)).filter((i) => i.life_cycle_state === "INSERVICE").length;
  const alarmState = async (id: string): Promise<unknown> => ((await hw.call("GET", `${ces}/alarms/${id}`)).json.metric_alarms as Row[])[0]!.alarm_state;
  /** Advances the clock a minute at a time (the built-in metrics are written each minute) until `done`, within `minutes`. */
  const until = async (what: string, minutes: number, done: () => Promise<boolean>) => {
    for (let i = 0; i < minutes; i++) {
      if (await done()) return;
      await advance(60);
    }
    assert.ok(await done(), `${what} within ${minutes} minutes`);
  };
  /** Waits a bounded real time for the receiver to get a message matching `match` (SMN posts on its ticker). */
  const received = async (what: string, match: (h: Row) => boolean): Promise<Row> => {
    for (let i = 0; i < 100 && !hits.some(match); i++) {
      await advance(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    const hit = hits.find(match);
    assert.ok(hit, `${what}: ${JSON.stringify(hits.map((h) => h.subject))}`);
    return hit;
  };
  const subject = (h: Row) => String(h.subject);
  const scaling = (h: Row): Row => JSON.parse(String(h.message)) as Row;

  test("load 90 scales out to max, load 10 scales in to min, SMN tells each step, deletion cleans up", async () => {
    const g = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: "loop", scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 1, max_instance_number: 5, desire_instance_number: 1 },
    });
    assert.equal(g.status, 200, g.text);
    const gid = g.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${gid}/action`, { body: { action: "resume" } })).status, 204);
    await advance(1);
    await advance(60);
    assert.equal(await inService(gid), 1);

    const topic = await hw.call("POST", `${smn}/topics`, { body: { name: "loop-events", display_name: "loop" } });
    assert.equal(topic.status, 201, topic.text);
    const urn = topic.json.topic_urn as string;
    const sub = await hw.call("POST", `${smn}/topics/${urn}/subscriptions`, { body: { protocol: "http", endpoint: url, remark: "loop" } });
    assert.equal(sub.status, 201, sub.text);
    const n = await hw.call("PUT", `${base}/scaling_notification/${gid}`, { body: { topic_urn: urn, topic_scene: ["SCALING_UP", "SCALING_DOWN"] } });
    assert.equal(n.status, 200, n.text);

    const rule = async (name: string, operator: string, value: number): Promise<string> => {
      const r = await hw.call("POST", `${ces}/alarms`, {
        body: {
          alarm_name: name,
          metric: { namespace: "SYS.AS", metric_name: "cpu_util", dimensions: [{ name: "AutoScalingGroup", value: gid }] },
          condition: { period: 300, filter: "average", comparison_operator: operator, value, unit: "%", count: 2 },
          alarm_action_enabled: true,
          alarm_actions: [{ type: "notification", notificationList: [urn] }],
          ok_actions: [{ type: "notification", notificationList: [urn] }],
        },
      });
      assert.equal(r.status, 201, r.text);
      return r.json.alarm_id as string;
    };
    const policy = async (name: string, alarmId: string, operation: string): Promise<string> => {
      const r = await hw.call("POST", `${base}/scaling_policy`, {
        body: { scaling_policy_name: name, scaling_group_id: gid, scaling_policy_type: "ALARM", alarm_id: alarmId, scaling_policy_action: { operation, instance_number: 2 }, cool_down_time: 300 },
      });
      assert.equal(r.status, 200, r.text);
      return r.json.scaling_policy_id as string;
    };
    const high = await rule("cpu-high", ">", 70);
    const low = await rule("cpu-low", "<", 30);
    const addPolicy = await policy("add2", high, "ADD");
    const removePolicy = await policy("remove2", low, "REMOVE");

    // Scale out: the high rule needs two breaching 300 s periods, then ADD 2; after the cool-down, ADD 2 again (max 5).
    await load(90, gid);
    await until("the high rule in alarm", 20, async () => (await alarmState(high)) === "alarm");
    await until("desire 3", 2, async () => (await group(gid)).desire_instance_number === 3);
    await until("3 INSERVICE", 3, async () => (await inService(gid)) === 3);
    await until("desire 5 after the cool-down", 15, async () => (await group(gid)).desire_instance_number === 5);
    await until("5 INSERVICE", 3, async () => (await inService(gid)) === 5);
    await advance(600);
    assert.equal((await group(gid)).desire_instance_number, 5, "max holds under sustained load");
    const outRuns = (await hw.call("GET", `${base}/scaling_policy_execute_log/${addPolicy}`)).json.scaling_policy_execute_log as Row[];
    assert.deepEqual(
      outRuns.filter((l) => l.status === "SUCCESS").map((l) => [l.execute_type, l.old_value, l.desire_value]).slice(-2),
      [["ALARM", "3", "5"], ["ALARM", "1", "3"]],
    );

    const triggered = await received("the high rule's alarm notification", (h) => /cpu-high triggered/.test(subject(h)));
    assert.match(String(triggered.message), /Alarm Status: Triggered/);
    assert.match(String(triggered.message), new RegExp(`Resource: AutoScalingGroup=${gid}`));
    await received("SCALING_UP to 5", (h) => subject(h).includes("SCALING_UP") && scaling(h).instance_value === 5);
    const ups = hits.filter((h) => subject(h).includes("SCALING_UP")).map(scaling);
    assert.deepEqual(ups.map((m) => [m.scene, m.scaling_group_id, m.status, m.instance_value]), [["SCALING_UP", gid, "SUCCESS", 3], ["SCALING_UP", gid, "SUCCESS", 5]]);

    // Scale in: the high rule recovers (ok_actions), the low rule fires, REMOVE 2 → 3, after the cool-down → 1 (min).
    await load(10, gid);
    await until("the high rule ok", 20, async () => (await alarmState(high)) === "ok");
    await until("the low rule in alarm", 20, async () => (await alarmState(low)) === "alarm");
    await until("desire 3", 2, async () => (await group(gid)).desire_instance_number === 3);
    await until("3 instances", 3, async () => (await instances(gid)).length === 3);
    await until("desire 1 after the cool-down", 15, async () => (await group(gid)).desire_instance_number === 1);
    await until("1 instance", 3, async () => (await instances(gid)).length === 1);
    await advance(600);
    assert.equal((await group(gid)).desire_instance_number, 1, "min holds under sustained low load");
    const inRuns = (await hw.call("GET", `${base}/scaling_policy_execute_log/${removePolicy}`)).json.scaling_policy_execute_log as Row[];
    assert.deepEqual(
      inRuns.filter((l) => l.status === "SUCCESS").map((l) => [l.execute_type, l.old_value, l.desire_value]).slice(-2),
      [["ALARM", "3", "1"], ["ALARM", "5", "3"]],
    );

    const resolved = await received("the high rule's ok notification", (h) => /cpu-high resolved/.test(subject(h)));
    assert.match(String(resolved.message), /Alarm Status: Resolved/);
    await received("the low rule's alarm notification", (h) => /cpu-low triggered/.test(subject(h)));
    await received("SCALING_DOWN to 1", (h) => subject(h).includes("SCALING_DOWN") && scaling(h).instance_value === 1);
    const downs = hits.filter((h) => subject(h).includes("SCALING_DOWN")).map(scaling);
    assert.deepEqual(downs.map((m) => [m.scene, m.status, m.instance_value]), [["SCALING_DOWN", "SUCCESS", 3], ["SCALING_DOWN", "SUCCESS", 1]]);

    // SMN's record agrees with what the receiver got.
    const m = await hw.call("GET", "/_hwlocal/smn/messages", { creds: null, query: { project_id: pid } });
    assert.equal(m.status, 200, m.text);
    const mine = (m.json.messages as Row[]).filter((x) => x.topic_urn === urn);
    assert.ok(mine.every((x) => x.endpoint === url), m.text);
    for (const s of ["cpu-high triggered", "cpu-high resolved", "cpu-low triggered", "SCALING_UP", "SCALING_DOWN"]) {
      assert.ok(mine.some((x) => String(x.subject).includes(s)), `${s} recorded: ${m.text}`);
    }

    // BatchPolicies delete: delete_alarm=no keeps the rule (without the autoscaling action), yes deletes it.
    const spareA = await rule("spare-a", ">", 95);
    const spareB = await rule("spare-b", ">", 96);
    const pa = await policy("spare-a", spareA, "ADD");
    const pb = await policy("spare-b", spareB, "ADD");
    const batch = (ids: string[], deleteAlarm: string) => hw.call("POST", `${base}/scaling_policies/action`, { body: { action: "delete", scaling_policy_id: ids, delete_alarm: deleteAlarm } });
    assert.equal((await batch([pa], "no")).status, 204);
    const kept = await hw.call("GET", `${ces}/alarms/${spareA}`);
    assert.equal(kept.status, 200, kept.text);
    assert.deepEqual((kept.json.metric_alarms as Row[])[0]!.alarm_actions, [{ type: "notification", notificationList: [urn] }]);
    assert.equal((await batch([pb], "yes")).status, 204);
    assert.equal((await hw.call("GET", `${ces}/alarms/${spareB}`)).status, 404);

    // Deleting the group with force_delete=yes: its servers are deleted, then the group; the rules its policies used go too.
    const servers = (await hw.call("GET", `${base}/scaling_group_instance/${gid}/list`)).json.scaling_group_instances as Row[];
    const serverIds = servers.map((i) => i.instance_id as string);
    assert.equal(serverIds.length, 1);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${gid}`, { query: { force_delete: "yes" } })).status, 204);
    await until("the group gone", 5, async () => (await hw.call("GET", `${base}/scaling_group/${gid}`)).status !== 200);
    expectError(await hw.call("GET", `${base}/scaling_group/${gid}`), "AS.2007");
    for (const id of serverIds) assert.equal((await hw.call("GET", `/ecs/v1/${pid}/cloudservers/${id}`)).status, 404, id);
    expectError(await hw.call("GET", `${base}/scaling_policy/${addPolicy}`), "AS.3020");
    for (const id of [high, low]) assert.equal((await hw.call("GET", `${ces}/alarms/${id}`)).status, 404, id);
  });
});
