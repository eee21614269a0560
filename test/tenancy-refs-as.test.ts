// Issue 8 §1: ids inside Auto Scaling, Cloud Eye and SMN bodies must name the caller's own resources.
// Project A, a second project S of the same account in the same region, and another tenant's project X each
// get the same world (tenancy.ts buildWorld); A's configurations, groups, notifications, hooks, instances,
// alarm rules and subscriptions naming S's or X's key pair, image, VPC, subnet, security group,
// configuration, server, SMN topic or scaling group are refused with the service's code and change nothing;
// the same references to A's own resources work.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { CallResult, TestHwlocal } from "./helpers/hwlocal.ts";
import { ACME, buildWorld, expectRefused, startTenancy, subProject, UBUNTU, type Tenancy, type World } from "./helpers/tenancy.ts";

type Row = Record<string, unknown>;

describe("tenancy: references inside bodies are the caller's own (AS, CES, SMN)", () => {
  let t: Tenancy;
  let hw: TestHwlocal;
  let a: World;
  let foreign: World[];
  let groupA = "";
  const foreignGroups: string[] = [];
  before(async () => {
    t = await startTenancy();
    hw = t.hw;
    const s = await subProject(hw);
    a = await buildWorld(hw, t.a, hw.admin, "a");
    foreign = [await buildWorld(hw, s, hw.admin, "s"), await buildWorld(hw, t.x, ACME, "x")];
    const group = async (w: World) => {
      const body = { scaling_group_name: "g", scaling_configuration_id: w.configId, vpc_id: w.vpcId, networks: [{ id: w.subnetId }], min_instance_number: 0, desire_instance_number: 0, max_instance_number: 2 };
      const r = await hw.call("POST", `/as/autoscaling-api/v1/${w.project}/scaling_group`, { body, creds: w.creds });
      assert.equal(r.status, 200, r.text);
      return r.json.scaling_group_id as string;
    };
    groupA = await group(a);
    for (const w of foreign) foreignGroups.push(await group(w));
  });
  after(() => hw.close());

  const as = (method: string, path: string, body?: unknown) => hw.call(method, `/as/autoscaling-api/v1/${t.a}${path}`, { body });
  const ces = (method: string, path: string, body?: unknown) => hw.call(method, `/ces/V1.0/${t.a}${path}`, { body });
  const refused = (r: CallResult, code: string, what: string, status = 400) => expectRefused(r, code, status, what);
  const total = async (path: string, key: string, via = as) => {
    const r = await via("GET", path);
    assert.equal(r.status, 200, r.text);
    return JSON.stringify(r.json[key]);
  };

  test("AS configurations: a key pair the project lacks is AS.7022; another project's image or security group is refused", async () => {
    const config = (ic: Row) => ({
      scaling_configuration_name: "refs",
      instance_config: { flavorRef: "s6.small.1", imageRef: UBUNTU, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], key_name: a.keyName, ...ic },
    });
    const before = await total("/scaling_configuration", "scaling_configurations");
    refused(await as("POST", "/scaling_configuration", config({ key_name: "no-such-key" })), "AS.7022", "a missing key pair");
    for (const w of foreign) {
      refused(await as("POST", "/scaling_configuration", config({ key_name: w.keyName })), "AS.7022", `${w.project}'s key pair`);
      refused(await as("POST", "/scaling_configuration", config({ imageRef: w.imageId })), "AS.1015", `${w.project}'s image`);
      refused(await as("POST", "/scaling_configuration", config({ security_groups: [{ id: w.sgId }] })), "AS.2014", `${w.project}'s security group`);
    }
    assert.equal(await total("/scaling_configuration", "scaling_configurations"), before, "nothing was created");
    const own = await as("POST", "/scaling_configuration", config({ imageRef: a.imageId, security_groups: [{ id: a.sgId }] }));
    assert.equal(own.status, 200, own.text);
  });

  test("AS groups: another project's VPC, subnet, security group or configuration is refused", async () => {
    const group = (over: Row) => ({ scaling_group_name: "refs", scaling_configuration_id: a.configId, vpc_id: a.vpcId, networks: [{ id: a.subnetId }], ...over });
    const before = await total("/scaling_group", "scaling_groups");
    for (const w of foreign) {
      refused(await as("POST", "/scaling_group", group({ vpc_id: w.vpcId })), "AS.2012", `${w.project}'s VPC`);
      refused(await as("POST", "/scaling_group", group({ networks: [{ id: w.subnetId }] })), "AS.2013", `${w.project}'s subnet`);
      refused(await as("POST", "/scaling_group", group({ security_groups: [{ id: w.sgId }] })), "AS.2014", `${w.project}'s security group`);
      refused(await as("POST", "/scaling_group", group({ scaling_configuration_id: w.configId })), "AS.1004", `${w.project}'s configuration`);
      refused(await as("PUT", `/scaling_group/${groupA}`, { scaling_configuration_id: w.configId }), "AS.1004", `update to ${w.project}'s configuration`);
    }
    assert.equal(await total("/scaling_group", "scaling_groups"), before, "nothing was created");
  });

  test("AS instances: another project's server cannot be added to a group", async () => {
    assert.equal((await as("POST", `/scaling_group/${groupA}/action`, { action: "resume" })).status, 204);
    for (const w of foreign) {
      refused(await as("POST", `/scaling_group_instance/${groupA}/action`, { action: "ADD", instances_id: [w.serverId] }), "AS.4006", `${w.project}'s server`);
    }
    assert.equal(await total(`/scaling_group_instance/${groupA}/list`, "scaling_group_instances"), "[]");
  });

  test("AS policies: an ALARM policy naming another project's Cloud Eye rule is AS.3030", async () => {
    const custom = { namespace: "MINE.APP", metric_name: "load", dimensions: [{ name: "host", value: "h" }] };
    const condition = { period: 300, filter: "average", comparison_operator: ">", value: 1, count: 1 };
    const policy = (alarmId: string) => ({
      scaling_policy_name: "refs", scaling_group_id: groupA, scaling_policy_type: "ALARM", alarm_id: alarmId, scaling_policy_action: { operation: "ADD", instance_number: 1 },
    });
    for (const w of foreign) {
      const r = await hw.call("POST", `/ces/V1.0/${w.project}/alarms`, { creds: w.creds, body: { alarm_name: "theirs", metric: custom, condition, alarm_action_enabled: false } });
      assert.equal(r.status, 201, r.text);
      refused(await as("POST", "/scaling_policy", policy(r.json.alarm_id as string)), "AS.3030", `${w.project}'s alarm rule`);
      const theirs = (await hw.call("GET", `/ces/V1.0/${w.project}/alarms/${String(r.json.alarm_id)}`, { creds: w.creds })).json.metric_alarms as Row[];
      assert.deepEqual(theirs[0]!.alarm_actions, [], "their rule got no autoscaling action");
    }
    assert.equal(await total(`/scaling_policy/${groupA}/list`, "scaling_policies"), "[]");
  });

  test("AS notifications and hooks: another project's topic is AS.7025; a topic the project lacks is AS.7025 / AS.7043", async () => {
    const missing = `urn:smn:cn-north-4:${t.a}:no-such-topic`;
    for (const urn of [...foreign.map((w) => w.topicUrn), missing]) {
      refused(await as("PUT", `/scaling_notification/${groupA}`, { topic_urn: urn, topic_scene: ["SCALING_UP"] }), "AS.7025", `notification to ${urn}`);
    }
    assert.equal(await total(`/scaling_notification/${groupA}`, "topics"), "[]");
    const hook = (urn: string, name = "h") => ({ lifecycle_hook_name: name, lifecycle_hook_type: "INSTANCE_LAUNCHING", notification_topic_urn: urn });
    for (const w of foreign) refused(await as("POST", `/scaling_lifecycle_hook/${groupA}`, hook(w.topicUrn)), "AS.7025", `hook to ${w.project}'s topic`);
    refused(await as("POST", `/scaling_lifecycle_hook/${groupA}`, hook(missing)), "AS.7043", "hook to a missing topic");
    assert.equal(await total(`/scaling_lifecycle_hook/${groupA}/list`, "lifecycle_hooks"), "[]");
    assert.equal((await as("PUT", `/scaling_notification/${groupA}`, { topic_urn: a.topicUrn, topic_scene: ["SCALING_UP"] })).status, 200);
    assert.equal((await as("POST", `/scaling_lifecycle_hook/${groupA}`, hook(a.topicUrn))).status, 200);
    for (const w of foreign) refused(await as("PUT", `/scaling_lifecycle_hook/${groupA}/h`, { notification_topic_urn: w.topicUrn }), "AS.7025", "hook update");
    refused(await as("PUT", `/scaling_lifecycle_hook/${groupA}/h`, { notification_topic_urn: missing }), "AS.7043", "hook update to a missing topic");
  });

  const rule = (over: Row = {}): Row => ({
    alarm_name: "refs",
    metric: { namespace: "SYS.ECS", metric_name: "cpu_util", dimensions: [{ name: "instance_id", value: a.serverId }] },
    condition: { period: 300, filter: "average", comparison_operator: ">", value: 80, count: 1 },
    alarm_actions: [{ type: "notification", notificationList: [a.topicUrn] }],
    ...over,
  });

  test("Cloud Eye alarms: a notificationList naming another project's topic, or none, is ces.0014", async () => {
    const before = await total("/alarms", "metric_alarms", ces);
    const missing = `urn:smn:cn-north-4:${t.a}:no-such-topic`;
    for (const urn of [...foreign.map((w) => w.topicUrn), missing]) {
      const list = [{ type: "notification", notificationList: [a.topicUrn, urn] }];
      for (const field of ["alarm_actions", "ok_actions", "insufficientdata_actions"]) {
        refused(await ces("POST", "/alarms", rule({ [field]: list })), "ces.0014", `${field} with ${urn}`);
      }
    }
    assert.equal(await total("/alarms", "metric_alarms", ces), before, "nothing was created");
    const own = await ces("POST", "/alarms", rule({ ok_actions: [{ type: "notification", notificationList: [a.topicUrn] }] }));
    assert.equal(own.status, 201, own.text);
    const id = own.json.alarm_id as string;
    for (const w of foreign) {
      refused(await ces("PUT", `/alarms/${id}`, { alarm_actions: [{ type: "notification", notificationList: [w.topicUrn] }] }), "ces.0014", "update");
    }
    const shown = (await ces("GET", `/alarms/${id}`)).json.metric_alarms as Row[];
    assert.deepEqual(shown[0]!.alarm_actions, [{ type: "notification", notificationList: [a.topicUrn] }], "the rule is unchanged");
  });

  test("Cloud Eye alarms: SYS.ECS and SYS.AS dimensions must name the project's own server or group", async () => {
    const metric = (namespace: string, name: string, value: string) => ({ namespace, metric_name: "cpu_util", dimensions: [{ name, value }] });
    const before = await total("/alarms", "metric_alarms", ces);
    for (const [i, w] of foreign.entries()) {
      refused(await ces("POST", "/alarms", rule({ metric: metric("SYS.ECS", "instance_id", w.serverId) })), "ces.0014", `${w.project}'s server`);
      refused(await ces("POST", "/alarms", rule({ metric: metric("SYS.AS", "AutoScalingGroup", foreignGroups[i]!) })), "ces.0014", `${w.project}'s group`);
    }
    refused(await ces("POST", "/alarms", rule({ metric: metric("SYS.ECS", "instance_id", "00000000-0000-4000-8000-000000000000") })), "ces.0014", "no server");
    assert.equal(await total("/alarms", "metric_alarms", ces), before, "nothing was created");
    assert.equal((await ces("POST", "/alarms", rule({ metric: metric("SYS.AS", "AutoScalingGroup", groupA) }))).status, 201);
    // Custom namespaces name whatever the customer's own data names: no check.
    assert.equal((await ces("POST", "/alarms", rule({ metric: metric("MINE.APP", "instance_id", foreign[0]!.serverId) }))).status, 201);
  });

  test("SMN: another project's topic in A's paths is not found (SMN.0006), and gets no subscription or message", async () => {
    const smn = (method: string, path: string, body?: unknown) => hw.call(method, `/smn/v2/${t.a}/notifications${path}`, { body });
    for (const w of foreign) {
      const sub = await smn("POST", `/topics/${w.topicUrn}/subscriptions`, { protocol: "email", endpoint: "a@example.com" });
      refused(sub, "SMN.0006", `subscribe to ${w.project}'s topic`, 404);
      refused(await smn("POST", `/topics/${w.topicUrn}/publish`, { message: "m" }), "SMN.0006", "publish", 404);
      refused(await smn("DELETE", `/topics/${w.topicUrn}`), "SMN.0006", "delete", 404);
      const theirs = await hw.call("GET", `/smn/v2/${w.project}/notifications/topics/${w.topicUrn}/subscriptions`, { creds: w.creds });
      assert.equal(theirs.json.subscription_count, 0);
    }
  });
});
