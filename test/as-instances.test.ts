// Auto Scaling instances through raw signed requests: ListScalingInstances filters and paging,
// DeleteScalingInstance (instance_delete yes/no, AS.4006, min bound), and BatchScalingInstances: ADD of an
// existing ECS server as a manual instance, REMOVE, PROTECT/UNPROTECT, ENTER/EXIT_STANDBY and their codes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { UBUNTU, expectError, asNetwork } from "./helpers/as.ts";

type Row = Record<string, unknown>;


describe("AS instances", () => {
  let hw: TestHwlocal;
  let base: string;
  let ecsBase: string;
  let vpcId: string;
  let subnetId: string;
  let groupId: string;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/as/autoscaling-api/v1/${hw.projectId()}`;
    ecsBase = `/ecs/v1/${hw.projectId()}`;
    let configId: string;
    ({ vpcId, subnetId, configId } = await asNetwork(hw));
    const g = await hw.call("POST", `${base}/scaling_group`, {
      body: {
        scaling_group_name: "inst", scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }],
        min_instance_number: 1, max_instance_number: 10, desire_instance_number: 3,
      },
    });
    assert.equal(g.status, 200, g.text);
    groupId = g.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${groupId}/action`, { body: { action: "resume" } })).status, 204);
    await advance(1);
  });
  after(() => hw.close());

  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const list = (q: Record<string, string> = {}) => hw.call("GET", `${base}/scaling_group_instance/${groupId}/list`, { query: q });
  const instances = async (): Promise<Row[]> => (await list()).json.scaling_group_instances as Row[];
  const batch = (body: Row) => hw.call("POST", `${base}/scaling_group_instance/${groupId}/action`, { body });
  const desire = async () => (await hw.call("GET", `${base}/scaling_group/${groupId}`)).json.scaling_group as Row;
  const serverStatus = async (id: unknown) => {
    const r = await hw.call("GET", `${ecsBase}/cloudservers/${String(id)}`);
    return r.status === 200 ? (r.json.server as Row).status : r.status;
  };

  test("list: filters, paging echo and AS.400x codes", async () => {
    const all = await list();
    assert.deepEqual([all.json.total_number, all.json.start_number, all.json.limit], [3, 0, 20]);
    assert.equal((await list({ life_cycle_state: "INSERVICE" })).json.total_number, 3);
    assert.equal((await list({ life_cycle_state: "PENDING" })).json.total_number, 0);
    assert.equal((await list({ health_status: "NORMAL", protect_from_scaling_down: "false" })).json.total_number, 3);
    const page = await list({ start_number: "2", limit: "5" });
    assert.deepEqual([page.json.total_number, page.json.start_number, page.json.limit, (page.json.scaling_group_instances as Row[]).length], [3, 2, 5, 1]);
    expectError(await list({ life_cycle_state: "SLEEPING" }), "AS.4003");
    expectError(await list({ health_status: "SICK" }), "AS.4004");
    expectError(await list({ start_number: "-1" }), "AS.4000");
    expectError(await list({ limit: "1000" }), "AS.4001");
    expectError(await hw.call("GET", `${base}/scaling_group_instance/no-such-group/list`), "AS.2007");
  });

  test("remove one instance: kept or deleted server, desire decreases, never below min", async () => {
    const [a, b] = await instances();
    expectError(await hw.call("DELETE", `${base}/scaling_group_instance/no-such-instance`), "AS.4006");
    expectError(await hw.call("DELETE", `${base}/scaling_group_instance/${String(a?.instance_id)}`, { query: { instance_delete: "maybe" } }), "AS.4007");
    const r0 = await hw.call("DELETE", `${base}/scaling_group_instance/${String(a?.instance_id)}`, { query: { instance_delete: "yes" } });
    assert.equal(r0.status, 204, r0.text);
    assert.equal((await desire()).desire_instance_number, 2);
    await advance(1);
    assert.equal(await serverStatus(a?.instance_id), 404);
    const kept = await hw.call("DELETE", `${base}/scaling_group_instance/${String(b?.instance_id)}`);
    assert.equal(kept.status, 204, kept.text);
    await advance(1);
    assert.equal(await serverStatus(b?.instance_id), "ACTIVE", "instance_delete=no keeps the server");
    const left = await instances();
    assert.equal(left.length, 1);
    expectError(await hw.call("DELETE", `${base}/scaling_group_instance/${String(left[0]?.instance_id)}`), "AS.2036");
    const g = await desire();
    assert.deepEqual([g.desire_instance_number, g.current_instance_number], [1, 1]);
    // The kept server joins again by hand: a manual instance, with no configuration.
    assert.equal((await batch({ action: "ADD", instances_id: [b?.instance_id] })).status, 204);
    const manual = (await instances()).find((i) => i.instance_id === b?.instance_id);
    assert.deepEqual([manual?.life_cycle_state, manual?.scaling_configuration_id, manual?.scaling_configuration_name], ["INSERVICE", "", ""]);
    assert.deepEqual([(await desire()).desire_instance_number, (await desire()).current_instance_number], [2, 2]);
    expectError(await batch({ action: "ADD", instances_id: [b?.instance_id] }), "AS.4023");
    // A manual instance is only removed, even with instance_delete=yes.
    assert.equal((await batch({ action: "REMOVE", instances_id: [b?.instance_id], instance_delete: "yes" })).status, 204);
    await advance(1);
    assert.equal(await serverStatus(b?.instance_id), "ACTIVE");
    assert.equal((await instances()).length, 1);
  });

  test("batch: ADD an ECS server, PROTECT/UNPROTECT, standby, and the codes", async () => {
    const created = await hw.call("POST", `${ecsBase}/cloudservers`, {
      body: { server: { name: "byhand", imageRef: UBUNTU, flavorRef: "s6.small.1", vpcid: vpcId, nics: [{ subnet_id: subnetId }], root_volume: { volumetype: "SSD", size: 40 }, adminPass: "Passw0rd!x" } },
    });
    assert.equal(created.status, 200, created.text);
    const serverId = (created.json.serverIds as string[])[0];
    await advance(1);
    expectError(await batch({ action: "JUMP", instances_id: [serverId] }), "AS.4018");
    expectError(await batch({ action: "ADD", instances_id: [] }), "AS.4032");
    expectError(await batch({ action: "ADD", instances_id: Array.from({ length: 11 }, (_, i) => `s-${i}`) }), "AS.4043");
    expectError(await batch({ action: "ADD", instances_id: ["no-such-server"] }), "AS.4006");
    assert.equal((await batch({ action: "ADD", instances_id: [serverId] })).status, 204);
    assert.equal((await instances()).length, 2);
    expectError(await batch({ action: "PROTECT", instances_id: ["not-in-group"] }), "AS.4006");
    assert.equal((await batch({ action: "PROTECT", instances_id: [serverId] })).status, 204);
    assert.equal((await list({ protect_from_scaling_down: "true" })).json.total_number, 1);
    assert.equal((await batch({ action: "UNPROTECT", instances_id: [serverId] })).status, 204);
    assert.equal((await list({ protect_from_scaling_down: "true" })).json.total_number, 0);
    expectError(await batch({ action: "EXIT_STANDBY", instances_id: [serverId] }), "AS.4038");
    assert.equal((await batch({ action: "ENTER_STANDBY", instances_id: [serverId] })).status, 204);
    assert.equal((await list({ life_cycle_state: "STANDBY" })).json.total_number, 1);
    expectError(await batch({ action: "PROTECT", instances_id: [serverId] }), "AS.4015");
    assert.equal((await batch({ action: "EXIT_STANDBY", instances_id: [serverId] })).status, 204);
    assert.equal((await list({ life_cycle_state: "INSERVICE" })).json.total_number, 2);
    const logs = (await hw.call("GET", `${base}/scaling_activity_log/${groupId}`)).json.scaling_activity_log as Row[];
    assert.equal(logs[0]?.instance_added_list, "byhand");
    // Force delete: the manual server is only removed; the AS-created one is deleted.
    const asCreated = (await instances()).find((i) => i.instance_id !== serverId);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${groupId}`, { query: { force_delete: "yes" } })).status, 204);
    await advance(1);
    await advance(1);
    expectError(await hw.call("GET", `${base}/scaling_group/${groupId}`), "AS.2007");
    assert.equal(await serverStatus(serverId), "ACTIVE");
    assert.equal(await serverStatus(asCreated?.instance_id), 404);
  });
});
