// The Auto Scaling engine through raw signed requests, its lifecycles driven only by hwlocal's clock: a
// resumed group launches its desired ECS servers (PENDING → INSERVICE, spread over zones, IPs in the
// subnet), follows desire changes both ways by its removal policy (protected instances kept), records
// activities, fails an activity with ECS's reason, and a forced delete removes its servers.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { UBUNTU, expectError, asNetwork, newKeypair } from "./helpers/as.ts";

type Row = Record<string, unknown>;


describe("AS scaling engine", () => {
  let hw: TestHwlocal;
  let base: string;
  let ecsBase: string;
  let vpcId: string;
  let subnetId: string;
  let configId: string;
  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 });
    base = `/as/autoscaling-api/v1/${hw.projectId()}`;
    ecsBase = `/ecs/v1/${hw.projectId()}`;
    ({ vpcId, subnetId, configId } = await asNetwork(hw));
  });
  after(() => hw.close());

  const newConfig = async (name: string, extra: Row): Promise<string> => {
    const c = await hw.call("POST", `${base}/scaling_configuration`, {
      body: {
        scaling_configuration_name: name,
        instance_config: { flavorRef: "s6.small.1", imageRef: UBUNTU, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], ...extra },
      },
    });
    assert.equal(c.status, 200, c.text);
    return c.json.scaling_configuration_id as string;
  };
  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  /** Lets an activity start and its servers boot (30 s) or go. */
  const settle = async () => {
    await advance(1);
    await advance(60);
  };
  const newGroup = async (name: string, extra: Row = {}): Promise<string> => {
    const r = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: name, scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 1, max_instance_number: 10, desire_instance_number: 2, ...extra },
    });
    assert.equal(r.status, 200, r.text);
    const id = r.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${id}/action`, { body: { action: "resume" } })).status, 204);
    return id;
  };
  const group = async (id: string): Promise<Row> => {
    const r = await hw.call("GET", `${base}/scaling_group/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_group as Row;
  };
  const instances = async (id: string): Promise<Row[]> => {
    const r = await hw.call("GET", `${base}/scaling_group_instance/${id}/list`);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_group_instances as Row[];
  };
  const activities = async (id: string): Promise<Row[]> => {
    const r = await hw.call("GET", `${base}/scaling_activity_log/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_activity_log as Row[];
  };
  const setDesire = async (id: string, desire: number) =>
    assert.equal((await hw.call("PUT", `${base}/scaling_group/${id}`, { body: { desire_instance_number: desire } })).status, 200);
  const server = (id: string) => hw.call("GET", `${ecsBase}/cloudservers/${id}`);

  test("a resumed group launches its desired servers: PENDING, then INSERVICE on ACTIVE servers in the subnet", async () => {
    const id = await newGroup("out");
    await advance(1);
    const pending = await instances(id);
    assert.equal(pending.length, 2);
    for (const i of pending) assert.deepEqual([i.life_cycle_state, i.health_status], ["PENDING", "INITIALIZING"]);
    const busy = await group(id);
    assert.equal(busy.is_scaling, true);
    assert.equal(busy.current_instance_number, 2);
    assert.equal((await activities(id))[0]?.status, "DOING");

    await advance(60);
    const up = await instances(id);
    const zones = new Set<string>();
    for (const i of up) {
      assert.deepEqual([i.life_cycle_state, i.health_status, i.scaling_configuration_id, i.protect_from_scaling_down], ["INSERVICE", "NORMAL", configId, false]);
      assert.equal(i.scaling_group_name, "out");
      const s = await server(String(i.instance_id));
      assert.equal(s.status, 200, s.text);
      const srv = s.json.server as { status: string; name: string; "OS-EXT-AZ:availability_zone": string; addresses: Record<string, { addr: string }[]> };
      assert.equal(srv.status, "ACTIVE");
      assert.equal(srv.name, i.instance_name);
      zones.add(srv["OS-EXT-AZ:availability_zone"]);
      assert.match(srv.addresses[vpcId]?.[0]?.addr ?? "", /^10\.0\.1\.\d+$/);
    }
    assert.equal(zones.size, 2, "spread over two zones");
    const g = await group(id);
    assert.deepEqual([g.current_instance_number, g.is_scaling], [2, false]);
    const [log] = await activities(id);
    assert.equal(log?.status, "SUCCESS");
    assert.deepEqual([log?.desire_value, log?.instance_value, log?.scaling_value], [2, 2, "2"]);
    assert.deepEqual(String(log?.instance_added_list).split(",").sort(), up.map((i) => i.instance_name).sort());
    const reason = (JSON.parse(String(log?.description)) as { reason: Row[] }).reason[0];
    assert.deepEqual([reason?.change_reason, reason?.old_value, reason?.new_value], ["DIFF", 0, 2]);
    assert.match(String(log?.end_time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`, { query: { force_delete: "yes" } })).status, 204);
    await settle();
  });

  test("desire changes scale out and in; scale-in removes the oldest first and deletes their servers", async () => {
    const id = await newGroup("updown");
    await settle();
    const first = (await instances(id)).map((i) => String(i.instance_id));
    await setDesire(id, 4);
    await settle();
    assert.equal((await instances(id)).length, 4);
    await setDesire(id, 2);
    await settle();
    const left = (await instances(id)).map((i) => String(i.instance_id));
    assert.equal(left.length, 2);
    for (const s of first) assert.ok(!left.includes(s), "the oldest instances went first");
    for (const s of first) assert.equal((await server(s)).status, 404);
    const logs = await activities(id);
    assert.deepEqual(logs.map((l) => l.status), ["SUCCESS", "SUCCESS", "SUCCESS"]);
    assert.equal(String(logs[0]?.instance_removed_list).split(",").length, 2);
    assert.equal(logs[0]?.instance_removed_list, logs[0]?.instance_deleted_list);
    const paged = await hw.call("GET", `${base}/scaling_activity_log/${id}`, { query: { start_number: "1", limit: "1" } });
    assert.deepEqual([paged.json.total_number, paged.json.start_number, paged.json.limit], [3, 1, 1]);
    expectError(await hw.call("GET", `${base}/scaling_activity_log/${id}`, { query: { start_time: "yesterday" } }), "AS.9001");
    expectError(await hw.call("GET", `${base}/scaling_activity_log/${id}`, { query: { limit: "x" } }), "AS.9004");
    const future = await hw.call("GET", `${base}/scaling_activity_log/${id}`, { query: { start_time: "2999-01-01T00:00:00Z" } });
    assert.equal(future.json.total_number, 0);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`, { query: { force_delete: "yes" } })).status, 204);
    await settle();
  });

  test("a protected instance is kept when the group scales in; desire below the protected count is AS.2010", async () => {
    const id = await newGroup("protect", { instance_terminate_policy: "OLD_INSTANCE" });
    await settle();
    const [oldest, newest] = await instances(id);
    const act = (action: string) => hw.call("POST", `${base}/scaling_group_instance/${id}/action`, { body: { action, instances_id: [oldest?.instance_id, newest?.instance_id] } });
    assert.equal((await act("PROTECT")).status, 204);
    expectError(await hw.call("PUT", `${base}/scaling_group/${id}`, { body: { desire_instance_number: 1 } }), "AS.2010");
    assert.equal((await hw.call("POST", `${base}/scaling_group_instance/${id}/action`, { body: { action: "UNPROTECT", instances_id: [newest?.instance_id] } })).status, 204);
    await setDesire(id, 1);
    await settle();
    const left = await instances(id);
    assert.deepEqual(left.map((i) => [i.instance_id, i.protect_from_scaling_down]), [[oldest?.instance_id, true]]);
    assert.equal((await server(String(newest?.instance_id))).status, 404);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`, { query: { force_delete: "yes" } })).status, 204);
    await settle();
  });

  test("a launch ECS refuses fails the activity with ECS's reason and leaves the group consistent", async () => {
    // The key pair exists when the configuration is made (else AS.7022) and is gone when the engine launches.
    await newKeypair(hw, "doomed-key");
    const badConfig = await newConfig("nokey", { key_name: "doomed-key" });
    assert.equal((await hw.call("DELETE", `/ecs/v2.1/${hw.projectId()}/os-keypairs/doomed-key`)).status, 204);
    const id = await newGroup("fails", { scaling_configuration_id: badConfig });
    await advance(1);
    const logs = await activities(id);
    assert.equal(logs.length, 1);
    assert.equal(logs[0]?.status, "FAIL");
    assert.equal(logs[0]?.instance_added_list, null);
    assert.match(String(logs[0]?.description), /Ecs\.0314/);
    const g = await group(id);
    assert.deepEqual([g.scaling_group_status, g.current_instance_number, g.is_scaling], ["INSERVICE", 0, false]);
    assert.deepEqual(await instances(id), []);
    await advance(60);
    assert.equal((await activities(id)).length, 1, "no retry within the cool-down");
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`)).status, 204);
  });

  test("deleting a group with instances: AS.2021 without force; with force, its servers go, then the group", async () => {
    const id = await newGroup("doomed");
    await settle();
    const ids = (await instances(id)).map((i) => String(i.instance_id));
    expectError(await hw.call("DELETE", `${base}/scaling_group/${id}`), "AS.2021");
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`, { query: { force_delete: "yes" } })).status, 204);
    await settle();
    expectError(await hw.call("GET", `${base}/scaling_group/${id}`), "AS.2007");
    for (const s of ids) assert.equal((await server(s)).status, 404);
  });
});
