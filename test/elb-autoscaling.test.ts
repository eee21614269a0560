// Auto Scaling behind an ELB load balancer (elb-facts §6), through raw signed requests on hwlocal's clock: a
// group with lbaas_listeners checked against ELB registers its instances as pool members (ONLINE once their
// checks pass), takes them out when it scales in, and with ELB_AUDIT replaces an instance whose member goes
// OFFLINE because its server was stopped; the deletion order still holds while the group is there.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { asNetwork, expectError } from "./helpers/as.ts";
import { advance, body, expectElbError, newEip, newServers, stopServer } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB with Auto Scaling", () => {
  let hw: TestHwlocal;
  let asBase: string;
  let elbBase: string;
  let vpcId: string;
  let subnetId: string;
  let configId: string;
  let lbId: string;
  let listenerId: string;
  let poolId: string;
  let monitorId: string;
  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 });
    asBase = `/as/autoscaling-api/v1/${hw.projectId()}`;
    elbBase = `/elb/v3/${hw.projectId()}/elb`;
    ({ vpcId, subnetId, configId } = await asNetwork(hw));
    const subnet = await hw.call("GET", `/vpc/v1/${hw.projectId()}/subnets/${subnetId}`);
    const cidrId = String(body(subnet, "subnet").neutron_subnet_id);
    const eip = await newEip(hw);
    const lb = await hw.call("POST", `${elbBase}/loadbalancers`, { body: { loadbalancer: { name: "web", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: cidrId, publicip_ids: [eip.id] } } });
    assert.equal(lb.status, 201, lb.text);
    lbId = String(body(lb, "loadbalancer").id);
    const l = await hw.call("POST", `${elbBase}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol: "HTTP", protocol_port: 80 } } });
    listenerId = String(body(l, "listener").id);
    const p = await hw.call("POST", `${elbBase}/pools`, { body: { pool: { listener_id: listenerId, protocol: "HTTP", lb_algorithm: "ROUND_ROBIN" } } });
    poolId = String(body(p, "pool").id);
    const hm = await hw.call("POST", `${elbBase}/healthmonitors`, { body: { healthmonitor: { pool_id: poolId, type: "HTTP", delay: 5, timeout: 3, max_retries: 2, max_retries_down: 3 } } });
    assert.equal(hm.status, 201, hm.text);
    monitorId = String(body(hm, "healthmonitor").id);
  });
  after(() => hw.close());

  const groupBody = (extra: Row): Row => ({
    scaling_group_name: "web",
    scaling_configuration_id: configId,
    vpc_id: vpcId,
    networks: [{ id: subnetId }],
    min_instance_number: 0,
    max_instance_number: 10,
    desire_instance_number: 0,
    lbaas_listeners: [{ pool_id: poolId, protocol_port: 8080, weight: 3 }],
    ...extra,
  });
  const members = async (): Promise<Row[]> => {
    const r = await hw.call("GET", `${elbBase}/pools/${poolId}/members`);
    assert.equal(r.status, 200, r.text);
    return r.json.members as Row[];
  };
  const instances = async (id: string): Promise<Row[]> => (await hw.call("GET", `${asBase}/scaling_group_instance/${id}/list`)).json.scaling_group_instances as Row[];
  const setDesire = async (id: string, desire: number) => assert.equal((await hw.call("PUT", `${asBase}/scaling_group/${id}`, { body: { desire_instance_number: desire } })).status, 200);
  const settle = async () => {
    await advance(hw, 1);
    await advance(hw, 31);
    await advance(hw, 1);
  };

  test("lbaas_listeners are checked against ELB; ELB_AUDIT needs them", async () => {
    const create = (extra: Row) => hw.call("POST", `${asBase}/scaling_group`, { body: groupBody(extra) });
    expectError(await create({ lbaas_listeners: [{ pool_id: "nope", protocol_port: 80, weight: 1 }] }), "AS.2042");
    expectError(await create({ lbaas_listeners: [{ pool_id: poolId, protocol_port: 0, weight: 1 }] }), "AS.2042");
    expectError(await create({ lbaas_listeners: [{ pool_id: poolId, protocol_port: 80, weight: 101 }] }), "AS.2042");
    expectError(await create({ lbaas_listeners: Array(7).fill({ pool_id: poolId, protocol_port: 80, weight: 1 }) }), "AS.2042");
    expectError(await create({ lb_listener_id: listenerId }), "AS.2026");
    expectError(await create({ lbaas_listeners: [], lb_listener_id: "classic" }), "AS.7012");
    expectError(await create({ lbaas_listeners: [], health_periodic_audit_method: "ELB_AUDIT" }), "AS.2029");
    const ok = await create({ scaling_group_name: "shown" });
    assert.equal(ok.status, 200, ok.text);
    const g = (await hw.call("GET", `${asBase}/scaling_group/${String(ok.json.scaling_group_id)}`)).json.scaling_group as Row;
    assert.deepEqual(g.lbaas_listeners, [{ pool_id: poolId, protocol_port: 8080, weight: 3 }]);
    assert.equal(g.health_periodic_audit_method, "ELB_AUDIT");
    assert.equal((await hw.call("DELETE", `${asBase}/scaling_group/${String(ok.json.scaling_group_id)}`)).status, 204);
  });

  test("a manual ADD joins the pools, standby leaves them and comes back, a manual REMOVE leaves them", async () => {
    const subnet = await hw.call("GET", `/vpc/v1/${hw.projectId()}/subnets/${subnetId}`);
    const net = { vpcId, networkId: subnetId, subnetCidrId: String(body(subnet, "subnet").neutron_subnet_id) };
    const [serverId] = await newServers(hw, net, 1, "manual");
    await advance(hw, 31);
    const r = await hw.call("POST", `${asBase}/scaling_group`, { body: groupBody({ scaling_group_name: "manual" }) });
    const groupId = String(r.json.scaling_group_id);
    assert.equal((await hw.call("POST", `${asBase}/scaling_group/${groupId}/action`, { body: { action: "resume" } })).status, 204);
    const act = (action: string) => hw.call("POST", `${asBase}/scaling_group_instance/${groupId}/action`, { body: { action, instances_id: [serverId] } });
    assert.equal((await act("ADD")).status, 204);
    assert.deepEqual((await members()).map((m) => m.instance_id), [serverId]);
    assert.equal((await act("ENTER_STANDBY")).status, 204);
    assert.deepEqual(await members(), []);
    assert.equal((await act("EXIT_STANDBY")).status, 204);
    assert.deepEqual((await members()).map((m) => m.instance_id), [serverId]);
    const rm = await hw.call("POST", `${asBase}/scaling_group_instance/${groupId}/action`, { body: { action: "REMOVE", instances_id: [serverId], instance_delete: "no" } });
    assert.equal(rm.status, 204, rm.text);
    await settle();
    assert.deepEqual(await members(), []);
    assert.equal((await instances(groupId)).length, 0);
    assert.equal((await hw.call("DELETE", `${asBase}/scaling_group/${groupId}`)).status, 204);
  });

  test("scale out to 4: four members ONLINE; a stopped server's member goes OFFLINE and ELB_AUDIT replaces it; scale in removes members", async () => {
    const r = await hw.call("POST", `${asBase}/scaling_group`, { body: groupBody({ health_periodic_audit_grace_period: 60 }) });
    assert.equal(r.status, 200, r.text);
    const groupId = String(r.json.scaling_group_id);
    assert.equal((await hw.call("POST", `${asBase}/scaling_group/${groupId}/action`, { body: { action: "resume" } })).status, 204);
    await setDesire(groupId, 4);
    await settle();
    const inService = (await instances(groupId)).filter((i) => i.life_cycle_state === "INSERVICE");
    assert.equal(inService.length, 4);
    let ms = await members();
    assert.equal(ms.length, 4);
    assert.deepEqual(ms.map((m) => m.instance_id).sort(), inService.map((i) => i.instance_id).sort());
    for (const m of ms) {
      assert.equal(m.protocol_port, 8080);
      assert.equal(m.weight, 3);
      assert.equal(m.member_type, "instance");
    }
    await advance(hw, 10);
    ms = await members();
    assert.deepEqual(ms.map((m) => m.operating_status), ["ONLINE", "ONLINE", "ONLINE", "ONLINE"]);

    // Deletion order holds while the group uses the pool.
    expectElbError(await hw.call("DELETE", `${elbBase}/loadbalancers/${lbId}`), "ELB.8907", 409);
    expectElbError(await hw.call("DELETE", `${elbBase}/listeners/${listenerId}`), "ELB.8907", 409);
    expectElbError(await hw.call("DELETE", `${elbBase}/pools/${poolId}`), "ELB.8907", 409);

    // Past the grace period, a stopped server's member goes OFFLINE and the group replaces the instance.
    await advance(hw, 60);
    const victim = String(ms[0]!.instance_id);
    await stopServer(hw, victim);
    await advance(hw, 31);
    await advance(hw, 15);
    await settle();
    await settle();
    const now = await instances(groupId);
    assert.equal(now.length, 4);
    assert.ok(!now.some((i) => i.instance_id === victim), "the unhealthy instance was replaced");
    const logs = (await hw.call("GET", `/as/autoscaling-api/v2/${hw.projectId()}/scaling_activity_log/${groupId}?type=ELB_CHECK_DELETE`)).json.scaling_activity_log as Row[];
    assert.equal(logs.length, 1, JSON.stringify(logs));
    await advance(hw, 10);
    ms = await members();
    assert.equal(ms.length, 4);
    assert.ok(!ms.some((m) => m.instance_id === victim));
    assert.deepEqual(ms.map((m) => m.operating_status), ["ONLINE", "ONLINE", "ONLINE", "ONLINE"]);

    // Scaling in takes the members out.
    await setDesire(groupId, 1);
    await settle();
    assert.equal((await instances(groupId)).length, 1);
    assert.equal((await members()).length, 1);
    await setDesire(groupId, 0);
    await settle();
    assert.equal((await members()).length, 0);
    assert.equal((await hw.call("DELETE", `${asBase}/scaling_group/${groupId}`)).status, 204);

    // Now the documented order lets everything go.
    assert.equal((await hw.call("DELETE", `${elbBase}/healthmonitors/${monitorId}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${elbBase}/pools/${poolId}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${elbBase}/listeners/${listenerId}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${elbBase}/loadbalancers/${lbId}`)).status, 204);
  });
});
