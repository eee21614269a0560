// Cloud Eye's built-in metrics on hwlocal's clock: an AS group's servers get SYS.ECS cpu_util and the group
// SYS.AS instance_num / cpu_util every minute; PUT /_hwlocal/ces/load changes them; an alarm rule on SYS.AS
// cpu_util publishes to its SMN topic when it goes to alarm, seen in GET /_hwlocal/smn/messages.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { asNetwork } from "./helpers/as.ts";

type Row = Record<string, unknown>;

describe("CES built-in metrics", () => {
  let hw: TestHwlocal;
  let pid: string;
  let groupId: string;
  let servers: string[];
  const advance = async (seconds: number) =>
    assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const load = async (body: Row) => {
    const r = await hw.call("PUT", "/_hwlocal/ces/load", { creds: null, body });
    assert.equal(r.status, 200, r.text);
  };
  /** The latest raw value of a series. */
  const latest = async (namespace: string, metric: string, dim: string): Promise<{ value: number; unit: string }> => {
    const now = hw.clock.now();
    const r = await hw.call("GET", `/ces/V1.0/${pid}/metric-data`, {
      query: { namespace, metric_name: metric, "dim.0": dim, from: String(now - 3600_000), to: String(now + 1), period: "1", filter: "average" },
    });
    assert.equal(r.status, 200, r.text);
    const points = r.json.datapoints as Row[];
    assert.ok(points.length > 0, `${namespace}/${metric} has data`);
    const last = points[points.length - 1]!;
    assert.equal(last.timestamp as number % 60_000, 0, "aligned on the minute");
    return { value: last.average as number, unit: last.unit as string };
  };

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Math.floor(Date.now() / 60_000) * 60_000 + 5_000) });
    pid = hw.projectId();
    const base = `/as/autoscaling-api/v1/${pid}`;
    const { vpcId, subnetId, configId } = await asNetwork(hw, pid);
    const g = await hw.call("POST", `${base}/scaling_group`, {
      body: {
        scaling_group_name: "web", scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }],
        min_instance_number: 0, max_instance_number: 5, desire_instance_number: 2,
      },
    });
    assert.equal(g.status, 200, g.text);
    groupId = g.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${groupId}/action`, { body: { action: "resume" } })).status, 204);
    await advance(1);
    await advance(60);
    const list = await hw.call("GET", `${base}/scaling_group_instance/${groupId}/list`);
    const instances = list.json.scaling_group_instances as Row[];
    assert.deepEqual(instances.map((i) => i.life_cycle_state), ["INSERVICE", "INSERVICE"]);
    servers = instances.map((i) => i.instance_id as string);
  });
  after(() => hw.close());

  test("every minute: SYS.ECS cpu_util per server (default 10) and SYS.AS instance_num / cpu_util per group", async () => {
    await advance(120);
    for (const s of servers) assert.deepEqual(await latest("SYS.ECS", "cpu_util", `instance_id,${s}`), { value: 10, unit: "%" });
    assert.deepEqual(await latest("SYS.AS", "instance_num", `AutoScalingGroup,${groupId}`), { value: 2, unit: "count" });
    assert.deepEqual(await latest("SYS.AS", "cpu_util", `AutoScalingGroup,${groupId}`), { value: 10, unit: "%" });
    // The other built-in metrics, at an idle machine's figures.
    assert.deepEqual(await latest("SYS.ECS", "mem_util", `instance_id,${servers[0]}`), { value: 30, unit: "%" });
    assert.deepEqual(await latest("SYS.AS", "disk_write_bytes_rate", `AutoScalingGroup,${groupId}`), { value: 0, unit: "byte/s" });
    const sys = await hw.call("POST", `/ces/V1.0/${pid}/metric-data`, {
      body: [{ metric: { namespace: "SYS.AS", metric_name: "cpu_util", dimensions: [{ name: "AutoScalingGroup", value: groupId }] }, ttl: 600, collect_time: hw.clock.now(), value: 1, unit: "%" }],
    });
    assert.equal(sys.status, 403, "customers still may not write SYS.*");
  });

  test("PUT /_hwlocal/ces/load: a group's load on all its servers, a server's own load wins", async () => {
    await load({ scaling_group_id: groupId, cpu_util: 90 });
    await advance(60);
    for (const s of servers) assert.equal((await latest("SYS.ECS", "cpu_util", `instance_id,${s}`)).value, 90);
    assert.equal((await latest("SYS.AS", "cpu_util", `AutoScalingGroup,${groupId}`)).value, 90);
    await load({ server_id: servers[0]!, cpu_util: 30 });
    await advance(60);
    assert.equal((await latest("SYS.ECS", "cpu_util", `instance_id,${servers[0]!}`)).value, 30);
    assert.equal((await latest("SYS.AS", "cpu_util", `AutoScalingGroup,${groupId}`)).value, 60);
    const bad = await hw.call("PUT", "/_hwlocal/ces/load", { creds: null, body: { cpu_util: 50 } });
    assert.equal(bad.status, 400, bad.text);
  });

  test("an alarm rule on SYS.AS cpu_util > 70 goes to alarm under load and publishes to its SMN topic", async () => {
    const smn = `/smn/v2/${pid}/notifications`;
    const t = await hw.call("POST", `${smn}/topics`, { body: { name: "ops", display_name: "ops" } });
    assert.equal(t.status, 201, t.text);
    const urn = t.json.topic_urn as string;
    const s = await hw.call("POST", `${smn}/topics/${urn}/subscriptions`, { body: { protocol: "email", endpoint: "ops@example.com", remark: "" } });
    assert.equal(s.status, 201, s.text);
    const a = await hw.call("POST", `/ces/V1.0/${pid}/alarms`, {
      body: {
        alarm_name: "as-cpu-high",
        metric: { namespace: "SYS.AS", metric_name: "cpu_util", dimensions: [{ name: "AutoScalingGroup", value: groupId }] },
        condition: { period: 1, filter: "average", comparison_operator: ">", value: 70, unit: "%", count: 1 },
        alarm_action_enabled: true,
        alarm_actions: [{ type: "notification", notificationList: [urn] }],
      },
    });
    assert.equal(a.status, 201, a.text);
    const alarmId = a.json.alarm_id as string;
    await load({ server_id: servers[0]!, cpu_util: 90 });
    await advance(120);
    const shown = await hw.call("GET", `/ces/V1.0/${pid}/alarms/${alarmId}`);
    assert.equal((shown.json.metric_alarms as Row[])[0]!.alarm_state, "alarm", shown.text);
    const m = await hw.call("GET", "/_hwlocal/smn/messages", { creds: null, query: { project_id: pid } });
    assert.equal(m.status, 200, m.text);
    const mine = (m.json.messages as Row[]).filter((x) => x.topic_urn === urn);
    assert.ok(mine.length >= 1, m.text);
    assert.equal(mine[0]!.project_id, pid);
    assert.equal(mine[0]!.endpoint, "ops@example.com");
    assert.match(mine[0]!.subject as string, /as-cpu-high triggered/);
    assert.match(mine[0]!.body as string, /Alarm Status: Triggered/);
    assert.match(mine[0]!.body as string, /Current Data: 90%/);
    const other = await hw.call("GET", "/_hwlocal/smn/messages", { creds: null, query: { project_id: "nope" } });
    assert.deepEqual(other.json.messages, []);
  });
});
