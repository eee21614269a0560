// AS lifecycle hooks and v2 activity logs through raw signed requests, lifecycles driven only by hwlocal's
// clock: hook CRUD and its codes (a missing hook name is 404), a launching hook holding a new instance in
// PENDING_WAIT until a callback (CONTINUE → INSERVICE, ABANDON → removed) or its default timeout decides, a
// terminating hook holding REMOVING_WAIT, and v2 logs filtered by status, type and id.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { expectError, asNetwork, newTopic } from "./helpers/as.ts";

type Row = Record<string, unknown>;


describe("AS lifecycle hooks", () => {
  let hw: TestHwlocal;
  let base: string;
  let urn: string;
  let vpcId: string;
  let subnetId: string;
  let configId: string;
  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 });
    base = `/as/autoscaling-api/v1/${hw.projectId()}`;
    // Hooks and notifications may name only the project's existing SMN topics (AS.7043 / AS.7025).
    urn = await newTopic(hw, "as-topic");
    for (const n of [2, 3, 4, 5, 6]) await newTopic(hw, `as-topic${n}`);
    ({ vpcId, subnetId, configId } = await asNetwork(hw));
  });
  after(() => hw.close());

  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const newGroup = async (name: string, desire: number): Promise<string> => {
    const r = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: name, scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 0, max_instance_number: 5, desire_instance_number: desire },
    });
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_group_id as string;
  };
  const resume = async (id: string) => assert.equal((await hw.call("POST", `${base}/scaling_group/${id}/action`, { body: { action: "resume" } })).status, 204);
  const addHook = (id: string, body: Row) => hw.call("POST", `${base}/scaling_lifecycle_hook/${id}`, { body: { notification_topic_urn: urn, ...body } });
  const instances = async (id: string): Promise<Row[]> => {
    const r = await hw.call("GET", `${base}/scaling_group_instance/${id}/list`);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_group_instances as Row[];
  };
  const states = async (id: string) => (await instances(id)).map((i) => i.life_cycle_state);
  const hangs = async (id: string, query: Record<string, string> = {}): Promise<Row[]> => {
    const r = await hw.call("GET", `${base}/scaling_instance_hook/${id}/list`, { query });
    assert.equal(r.status, 200, r.text);
    return r.json.instance_hanging_info as Row[];
  };
  const activities = async (id: string): Promise<Row[]> => {
    const r = await hw.call("GET", `${base}/scaling_activity_log/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_activity_log as Row[];
  };
  const callback = (id: string, body: Row) => hw.call("PUT", `${base}/scaling_instance_hook/${id}/callback`, { body });
  const server = (id: string) => hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/${id}`);
  /** A resumed group with one launching hook, its instance launched and held. */
  const heldGroup = async (name: string, hook: Row): Promise<{ id: string; instance: string }> => {
    const id = await newGroup(name, 1);
    assert.equal((await addHook(id, { lifecycle_hook_name: "launch", lifecycle_hook_type: "INSTANCE_LAUNCHING", ...hook })).status, 200);
    await resume(id);
    await advance(1);
    assert.deepEqual(await states(id), ["PENDING"]);
    await advance(60);
    const [i] = await instances(id);
    assert.equal(i?.life_cycle_state, "PENDING_WAIT");
    return { id, instance: String(i?.instance_id) };
  };

  test("hooks: create (defaults, codes, quota), list, show, update, delete; a missing name is 404", async () => {
    const id = await newGroup("crud", 0);
    const c = await addHook(id, { lifecycle_hook_name: "h1", lifecycle_hook_type: "INSTANCE_LAUNCHING", notification_metadata: "meta" });
    assert.equal(c.status, 200, c.text);
    assert.deepEqual(
      [c.json.lifecycle_hook_name, c.json.lifecycle_hook_type, c.json.default_result, c.json.default_timeout, c.json.notification_topic_urn, c.json.notification_topic_name, c.json.notification_metadata],
      ["h1", "INSTANCE_LAUNCHING", "ABANDON", 3600, urn, "as-topic", "meta"],
    );
    assert.match(String(c.json.create_time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expectError(await addHook(id, { lifecycle_hook_name: "h1", lifecycle_hook_type: "INSTANCE_LAUNCHING" }), "AS.7041");
    expectError(await addHook(id, { lifecycle_hook_type: "INSTANCE_LAUNCHING" }), "AS.7032");
    expectError(await addHook(id, { lifecycle_hook_name: "bad name", lifecycle_hook_type: "INSTANCE_LAUNCHING" }), "AS.7031");
    expectError(await addHook(id, { lifecycle_hook_name: "h2" }), "AS.7037");
    expectError(await addHook(id, { lifecycle_hook_name: "h2", lifecycle_hook_type: "LAUNCH" }), "AS.7033");
    expectError(await addHook(id, { lifecycle_hook_name: "h2", lifecycle_hook_type: "INSTANCE_LAUNCHING", default_timeout: 10 }), "AS.7030");
    expectError(await addHook(id, { lifecycle_hook_name: "h2", lifecycle_hook_type: "INSTANCE_LAUNCHING", notification_topic_urn: "urn:smn:x" }), "AS.7025");
    expectError(await addHook(id, { lifecycle_hook_name: "h2", lifecycle_hook_type: "INSTANCE_LAUNCHING", notification_metadata: "a<b" }), "AS.7055");
    expectError(await addHook("no-such-group", { lifecycle_hook_name: "h2", lifecycle_hook_type: "INSTANCE_LAUNCHING" }), "AS.2007");
    for (const n of ["h2", "h3", "h4", "h5"]) assert.equal((await addHook(id, { lifecycle_hook_name: n, lifecycle_hook_type: "INSTANCE_TERMINATING" })).status, 200);
    expectError(await addHook(id, { lifecycle_hook_name: "h6", lifecycle_hook_type: "INSTANCE_TERMINATING" }), "AS.7038");

    const list = await hw.call("GET", `${base}/scaling_lifecycle_hook/${id}/list`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual((list.json.lifecycle_hooks as Row[]).map((h) => h.lifecycle_hook_name), ["h1", "h2", "h3", "h4", "h5"]);
    const u = await hw.call("PUT", `${base}/scaling_lifecycle_hook/${id}/h1`, { body: { default_result: "CONTINUE", default_timeout: 600 } });
    assert.equal(u.status, 200, u.text);
    assert.deepEqual([u.json.default_result, u.json.default_timeout, u.json.lifecycle_hook_type], ["CONTINUE", 600, "INSTANCE_LAUNCHING"]);
    const s = await hw.call("GET", `${base}/scaling_lifecycle_hook/${id}/h1`);
    assert.deepEqual([s.status, s.json.default_timeout], [200, 600]);
    expectError(await hw.call("GET", `${base}/scaling_lifecycle_hook/${id}/nope`), "AS.0007", 404);
    expectError(await hw.call("PUT", `${base}/scaling_lifecycle_hook/${id}/nope`, { body: { default_timeout: 600 } }), "AS.0007", 404);
    assert.equal((await hw.call("DELETE", `${base}/scaling_lifecycle_hook/${id}/h1`)).status, 204);
    expectError(await hw.call("DELETE", `${base}/scaling_lifecycle_hook/${id}/h1`), "AS.0007", 404);
  });

  test("a launching hook holds the new instance in PENDING_WAIT; the callback CONTINUE puts it in service", async () => {
    const { id, instance } = await heldGroup("hold", {});
    assert.equal((await activities(id))[0]?.status, "DOING");
    const [h] = await hangs(id, { instance_id: instance });
    assert.deepEqual([h?.instance_id, h?.lifecycle_hook_name, h?.scaling_group_id, h?.default_result, h?.lifecycle_hook_status], [instance, "launch", id, "ABANDON", "HANGING"]);
    assert.match(String(h?.timeout), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(await hangs(id, { instance_id: "other" }), []);
    expectError(await callback(id, { lifecycle_action_key: h?.lifecycle_action_key }), "AS.7039");
    expectError(await callback(id, { lifecycle_action_key: h?.lifecycle_action_key, lifecycle_action_result: "MAYBE" }), "AS.7034");
    expectError(await callback(id, { lifecycle_action_result: "CONTINUE" }), "AS.7040");
    expectError(await callback(id, { lifecycle_action_key: "nope", lifecycle_action_result: "CONTINUE" }), "AS.7042");
    // EXTEND restarts the timeout: an hour later the instance still waits.
    assert.equal((await callback(id, { lifecycle_action_key: h?.lifecycle_action_key, lifecycle_action_result: "EXTEND" })).status, 204);
    await advance(3000);
    assert.deepEqual(await states(id), ["PENDING_WAIT"]);
    assert.equal((await callback(id, { lifecycle_action_key: h?.lifecycle_action_key, lifecycle_action_result: "CONTINUE" })).status, 204);
    const [i] = await instances(id);
    assert.deepEqual([i?.life_cycle_state, i?.health_status], ["INSERVICE", "NORMAL"]);
    assert.equal((await activities(id))[0]?.status, "SUCCESS");
    assert.deepEqual(await hangs(id), []);
  });

  test("the callback ABANDON (by instance id and hook name) removes the instance and deletes its server", async () => {
    const { id, instance } = await heldGroup("abandon", {});
    assert.equal((await callback(id, { instance_id: instance, lifecycle_hook_name: "launch", lifecycle_action_result: "ABANDON" })).status, 204);
    assert.deepEqual(await states(id), []);
    const [a] = await activities(id);
    assert.equal(a?.status, "FAIL");
    assert.match(String(a?.description), /abandoned by a lifecycle hook/);
    await advance(60);
    assert.equal((await server(instance)).status, 404);
  });

  test("the default timeout decides: CONTINUE puts the instance in service, ABANDON removes it", async () => {
    const cont = await heldGroup("timeout-continue", { default_result: "CONTINUE", default_timeout: 300 });
    const aban = await heldGroup("timeout-abandon", { default_result: "ABANDON", default_timeout: 300 });
    await advance(200);
    assert.deepEqual(await states(cont.id), ["PENDING_WAIT"]);
    await advance(200);
    assert.deepEqual(await states(cont.id), ["INSERVICE"]);
    assert.equal((await activities(cont.id))[0]?.status, "SUCCESS");
    const left = await states(aban.id);
    assert.ok(!left.includes("PENDING_WAIT") && !(await instances(aban.id)).some((i) => i.instance_id === aban.instance), left.join());
    assert.equal((await activities(aban.id)).at(-1)?.status, "FAIL");
  });

  test("a terminating hook holds a removed instance in REMOVING_WAIT before its server is deleted", async () => {
    const id = await newGroup("terminate", 1);
    await resume(id);
    await advance(1);
    await advance(60);
    const [i] = await instances(id);
    assert.equal(i?.life_cycle_state, "INSERVICE");
    assert.equal((await addHook(id, { lifecycle_hook_name: "bye", lifecycle_hook_type: "INSTANCE_TERMINATING", default_result: "CONTINUE", default_timeout: 300 })).status, 200);
    assert.equal((await hw.call("PUT", `${base}/scaling_group/${id}`, { body: { desire_instance_number: 0 } })).status, 200);
    await advance(1);
    await advance(60);
    assert.deepEqual(await states(id), ["REMOVING_WAIT"]);
    const s = await server(String(i?.instance_id));
    assert.equal((s.json.server as Row).status, "ACTIVE");
    const [h] = await hangs(id);
    assert.equal(h?.lifecycle_hook_name, "bye");
    assert.equal((await callback(id, { lifecycle_action_key: h?.lifecycle_action_key, lifecycle_action_result: "CONTINUE" })).status, 204);
    await advance(60);
    await advance(60);
    assert.deepEqual(await states(id), []);
    assert.equal((await server(String(i?.instance_id))).status, 404);
    assert.equal((await activities(id))[0]?.status, "SUCCESS");

    // v2 logs over the same activities: by status, type (comma-separated, MANNUAL_* read too) and id.
    const v2 = (query: Record<string, string>) => hw.call("GET", `/as/autoscaling-api/v2/${hw.projectId()}/scaling_activity_log/${id}`, { query });
    const all = await v2({});
    assert.equal(all.status, 200, all.text);
    const logs = all.json.scaling_activity_log as Row[];
    assert.equal(all.json.total_number, 2);
    assert.deepEqual(logs.map((l) => l.type), ["DIFF", "DIFF"]);
    const removed = (logs[0]?.instance_deleted_list as Row[] | null)?.[0];
    assert.equal(removed?.instance_name, i?.instance_name);
    assert.equal((await v2({ status: "FAIL" })).json.total_number, 0);
    assert.equal((await v2({ status: "SUCCESS,FAIL", type: "DIFF" })).json.total_number, 2);
    assert.equal((await v2({ type: "MANNUAL_ADD,MANUAL_REMOVE" })).json.total_number, 0);
    const one = await v2({ log_id: String(logs[1]?.id) });
    assert.deepEqual((one.json.scaling_activity_log as Row[]).map((l) => l.id), [logs[1]?.id]);
    expectError(await v2({ status: "DONE" }), "AS.0022");
    expectError(await v2({ start_time: "yesterday" }), "AS.9001");
  });

  test("notifications: set (create or replace), list, delete; URN form, scenes and 5 topics a group", async () => {
    const id = await newGroup("notify", 0);
    const put = (body: Row) => hw.call("PUT", `${base}/scaling_notification/${id}`, { body });
    const r = await put({ topic_urn: urn, topic_scene: ["SCALING_UP", "SCALING_DOWN_FAIL"] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { topic_urn: urn, topic_scene: ["SCALING_UP", "SCALING_DOWN_FAIL"], topic_name: "as-topic" });
    assert.equal((await put({ topic_urn: urn, topic_scene: ["SCALING_GROUP_ABNORMAL"] })).status, 200);
    expectError(await put({ topic_scene: ["SCALING_UP"] }), "AS.7027");
    expectError(await put({ topic_urn: "urn:smn:cn-north-4:other:t", topic_scene: ["SCALING_UP"] }), "AS.7025");
    expectError(await put({ topic_urn: urn, topic_scene: ["SCALING_SIDEWAYS"] }), "AS.7026");
    for (const n of [2, 3, 4, 5]) assert.equal((await put({ topic_urn: `${urn}${n}`, topic_scene: ["SCALING_UP"] })).status, 200);
    expectError(await put({ topic_urn: `${urn}6`, topic_scene: ["SCALING_UP"] }), "AS.7028");
    const list = await hw.call("GET", `${base}/scaling_notification/${id}`);
    assert.equal(list.status, 200, list.text);
    const topics = list.json.topics as Row[];
    assert.equal(topics.length, 5);
    assert.deepEqual(topics[0], { topic_urn: urn, topic_scene: ["SCALING_GROUP_ABNORMAL"], topic_name: "as-topic" });
    assert.equal((await hw.call("DELETE", `${base}/scaling_notification/${id}/${urn}`)).status, 204);
    expectError(await hw.call("DELETE", `${base}/scaling_notification/${id}/${urn}`), "AS.7025");
    assert.equal(((await hw.call("GET", `${base}/scaling_notification/${id}`)).json.topics as Row[]).length, 4);
  });
});
