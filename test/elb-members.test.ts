// ELB pools, members and health monitors through raw signed requests, with member health on hwlocal's
// clock: a member follows its ECS server (ONLINE while ACTIVE after max_retries checks, OFFLINE after
// max_retries_down failed checks once stopped or deleted), NO_MONITOR without a monitor, the status tree.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { advance, body, elbNetwork, expectElbError, newServers, serverAddress, startServer, stopServer, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB pools, members and health", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  let lbId: string;
  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 10 });
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
    const r = await hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { name: "lb", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId } } });
    assert.equal(r.status, 201, r.text);
    lbId = String(body(r, "loadbalancer").id);
  });
  after(() => hw.close());

  const pool = async (extra: Row): Promise<Row> => {
    const r = await hw.call("POST", `${base}/pools`, { body: { pool: { loadbalancer_id: lbId, lb_algorithm: "ROUND_ROBIN", protocol: "TCP", ...extra } } });
    assert.equal(r.status, 201, r.text);
    return body(r, "pool");
  };
  const member = (poolId: unknown, extra: Row) => hw.call("POST", `${base}/pools/${String(poolId)}/members`, { body: { member: { protocol_port: 80, subnet_cidr_id: net.subnetCidrId, ...extra } } });
  const showMember = async (poolId: unknown, id: unknown): Promise<Row> => body(await hw.call("GET", `${base}/pools/${String(poolId)}/members/${String(id)}`), "member");

  test("pools: algorithms, protocols by listener, session persistence, update, list, errors", async () => {
    const l = await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol: "UDP", protocol_port: 53 } } });
    assert.equal(l.status, 201, l.text);
    const lid = body(l, "listener").id;
    const bad = (p: Row) => hw.call("POST", `${base}/pools`, { body: { pool: { lb_algorithm: "ROUND_ROBIN", protocol: "TCP", loadbalancer_id: lbId, ...p } } });
    expectElbError(await bad({ listener_id: lid, loadbalancer_id: undefined }), "ELB.8902", 400);
    expectElbError(await bad({ lb_algorithm: "RANDOM" }), "ELB.8902", 400);
    expectElbError(await bad({ protocol: "QUIC" }), "ELB.8902", 400);
    expectElbError(await bad({ session_persistence: { type: "HTTP_COOKIE" } }), "ELB.8902", 400);
    expectElbError(await bad({ protocol: "HTTP", session_persistence: { type: "APP_COOKIE", cookie_name: "c" } }), "ELB.8902", 400);
    expectElbError(await bad({ loadbalancer_id: undefined }), "ELB.8902", 400);
    expectElbError(await bad({ loadbalancer_id: "nope" }), "ELB.8904", 404);
    expectElbError(await bad({ listener_id: "nope" }), "ELB.8904", 404);
    const udp = await pool({ listener_id: lid, protocol: "UDP", lb_algorithm: "SOURCE_IP", session_persistence: { type: "SOURCE_IP", persistence_timeout: 5 } });
    assert.deepEqual(udp.listeners, [{ id: lid }]);
    assert.equal(udp.ip_version, "dualstack");
    assert.deepEqual(udp.session_persistence, { type: "SOURCE_IP", cookie_name: null, persistence_timeout: 5 });
    expectElbError(await bad({ listener_id: lid, protocol: "UDP", loadbalancer_id: undefined }), "ELB.8907", 409);
    const upd = await hw.call("PUT", `${base}/pools/${String(udp.id)}`, { body: { pool: { name: "dns", lb_algorithm: "LEAST_CONNECTIONS" } } });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(body(upd, "pool").lb_algorithm, "LEAST_CONNECTIONS");
    const list = await hw.call("GET", `${base}/pools?listener_id=${String(lid)}`);
    assert.deepEqual((list.json.pools as Row[]).map((p) => p.name), ["dns"]);
    expectElbError(await hw.call("GET", `${base}/pools/nope`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${base}/listeners/${String(lid)}`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/pools/${String(udp.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/listeners/${String(lid)}`)).status, 204);
  });

  test("members: address in the subnet of the VPC, unique address and port, update, list, errors", async () => {
    const p = await pool({ name: "m" });
    expectElbError(await member(p.id, { address: "10.0.2.5" }), "ELB.8902", 400);
    expectElbError(await member(p.id, { address: "not-an-ip" }), "ELB.8902", 400);
    expectElbError(await member(p.id, { address: "10.0.1.5", subnet_cidr_id: "nope" }), "ELB.8904", 404);
    expectElbError(await member(p.id, { address: "10.0.1.5", subnet_cidr_id: undefined }), "ELB.8939", 400);
    expectElbError(await member(p.id, { address: "10.0.1.5", weight: 101 }), "ELB.8902", 400);
    expectElbError(await member("nope", { address: "10.0.1.5" }), "ELB.8904", 404);
    const r = await member(p.id, { address: "10.0.1.5", weight: 5, name: "m1" });
    assert.equal(r.status, 201, r.text);
    const m = body(r, "member");
    assert.equal(m.operating_status, "NO_MONITOR");
    assert.equal(m.member_type, "instance");
    assert.equal(m.ip_version, "v4");
    assert.equal(m.instance_id, "");
    expectElbError(await member(p.id, { address: "10.0.1.5" }), "ELB.8907", 409);
    assert.equal((await member(p.id, { address: "10.0.1.5", protocol_port: 81 })).status, 201);
    const upd = await hw.call("PUT", `${base}/pools/${String(p.id)}/members/${String(m.id)}`, { body: { member: { weight: 0 } } });
    assert.equal(body(upd, "member").weight, 0);
    const list = await hw.call("GET", `${base}/pools/${String(p.id)}/members?protocol_port=81`);
    assert.deepEqual((list.json.members as Row[]).map((x) => x.protocol_port), [81]);
    const all = await hw.call("GET", `${base}/members?pool_id=${String(p.id)}`);
    assert.equal((all.json.members as Row[]).length, 2);
    assert.deepEqual(body(await hw.call("GET", `${base}/pools/${String(p.id)}`), "pool").members, (all.json.members as Row[]).map((x) => ({ id: x.id })));
    expectElbError(await hw.call("GET", `${base}/pools/${String(p.id)}/members/nope`), "ELB.8904", 404);
    for (const x of all.json.members as Row[]) assert.equal((await hw.call("DELETE", `${base}/pools/${String(p.id)}/members/${String(x.id)}`)).status, 204);
    expectElbError(await hw.call("DELETE", `${base}/pools/${String(p.id)}/members/${String(m.id)}`), "ELB.8904", 404);
  });

  test("health monitors: one a pool, type by protocol, ranges, update, list", async () => {
    const p = await pool({ name: "hm" });
    const hm = (extra: Row) => hw.call("POST", `${base}/healthmonitors`, { body: { healthmonitor: { pool_id: p.id, type: "TCP", delay: 5, timeout: 3, max_retries: 2, ...extra } } });
    expectElbError(await hm({ type: "UDP_CONNECT" }), "ELB.8902", 400);
    expectElbError(await hm({ delay: 51 }), "ELB.8902", 400);
    expectElbError(await hm({ timeout: 10 }), "ELB.8902", 400);
    expectElbError(await hm({ max_retries: 0 }), "ELB.8902", 400);
    expectElbError(await hm({ expected_codes: "abc" }), "ELB.8902", 400);
    expectElbError(await hm({ pool_id: "nope" }), "ELB.8904", 404);
    const r = await hm({ name: "tcp" });
    assert.equal(r.status, 201, r.text);
    const h = body(r, "healthmonitor");
    assert.deepEqual(h.pools, [{ id: p.id }]);
    assert.equal(h.max_retries_down, 3);
    assert.equal(h.url_path, "/");
    assert.equal(h.expected_codes, "200");
    expectElbError(await hm({}), "ELB.8907", 409);
    assert.equal(body(await hw.call("GET", `${base}/pools/${String(p.id)}`), "pool").healthmonitor_id, h.id);
    const upd = await hw.call("PUT", `${base}/healthmonitors/${String(h.id)}`, { body: { healthmonitor: { delay: 10, name: "tcp2" } } });
    assert.equal(body(upd, "healthmonitor").delay, 10);
    expectElbError(await hw.call("PUT", `${base}/healthmonitors/${String(h.id)}`, { body: { healthmonitor: { timeout: 20 } } }), "ELB.8902", 400);
    const list = await hw.call("GET", `${base}/healthmonitors?name=tcp2`);
    assert.deepEqual((list.json.healthmonitors as Row[]).map((x) => x.id), [h.id]);
    expectElbError(await hw.call("GET", `${base}/healthmonitors/nope`), "ELB.8904", 404);
    assert.equal((await hw.call("DELETE", `${base}/healthmonitors/${String(h.id)}`)).status, 204);
    expectElbError(await hw.call("DELETE", `${base}/healthmonitors/${String(h.id)}`), "ELB.8904", 404);
  });

  test("a member follows its server on hwlocal's clock, with the monitor's delay and retries", async () => {
    const [s1, s2] = await newServers(hw, net, 2, "web");
    await advance(hw, 11);
    const a1 = await serverAddress(hw, s1!);
    const a2 = await serverAddress(hw, s2!);
    assert.equal(a1.status, "ACTIVE");
    const p = await pool({ name: "web" });
    const m1 = body(await member(p.id, { address: a1.ip }), "member");
    const m2 = body(await member(p.id, { address: a2.ip }), "member");
    assert.equal(m1.instance_id, s1);
    assert.equal(m1.operating_status, "NO_MONITOR");
    const hm = await hw.call("POST", `${base}/healthmonitors`, { body: { healthmonitor: { pool_id: p.id, type: "TCP", delay: 5, timeout: 3, max_retries: 2, max_retries_down: 3 } } });
    assert.equal(hm.status, 201, hm.text);
    // OFFLINE until max_retries (2) checks 5 s apart have passed.
    assert.equal((await showMember(p.id, m1.id)).operating_status, "OFFLINE");
    await advance(hw, 5);
    assert.equal((await showMember(p.id, m1.id)).operating_status, "OFFLINE");
    await advance(hw, 5);
    assert.equal((await showMember(p.id, m1.id)).operating_status, "ONLINE");
    assert.equal((await showMember(p.id, m2.id)).operating_status, "ONLINE");
    const ok = await hw.call("GET", `${base}/loadbalancers/${lbId}/statuses`);
    const tree = (ok.json.statuses as { loadbalancer: { operating_status: string; pools: { id: string; operating_status: string }[] } }).loadbalancer;
    assert.equal(tree.pools.find((x) => x.id === p.id)?.operating_status, "ONLINE");

    // Stopped: OFFLINE after max_retries_down (3) failed checks, not before.
    await stopServer(hw, s1!);
    await advance(hw, 11);
    assert.equal((await serverAddress(hw, s1!)).status, "SHUTOFF");
    // Two checks have failed since it stopped (11 s, 5 s apart): still ONLINE.
    assert.equal((await showMember(p.id, m1.id)).operating_status, "ONLINE");
    await advance(hw, 5);
    assert.equal((await showMember(p.id, m1.id)).operating_status, "OFFLINE");
    assert.equal((await showMember(p.id, m2.id)).operating_status, "ONLINE");
    const offline = await hw.call("GET", `${base}/pools/${String(p.id)}/members?operating_status=OFFLINE`);
    assert.deepEqual((offline.json.members as Row[]).map((x) => x.id), [m1.id]);
    const degraded = await hw.call("GET", `${base}/loadbalancers/${lbId}/statuses`);
    const t2 = (degraded.json.statuses as { loadbalancer: { operating_status: string; pools: { id: string; operating_status: string; members: Row[] }[] } }).loadbalancer;
    assert.equal(t2.operating_status, "DEGRADED");
    assert.equal(t2.pools.find((x) => x.id === p.id)?.operating_status, "DEGRADED");

    // Started again: ONLINE after max_retries passes.
    await startServer(hw, s1!);
    await advance(hw, 11);
    await advance(hw, 10);
    assert.equal((await showMember(p.id, m1.id)).operating_status, "ONLINE");

    // Deleted: OFFLINE.
    const del = await hw.call("POST", `/ecs/v1/${hw.projectId()}/cloudservers/delete`, { body: { servers: [{ id: s2 }], delete_publicip: false, delete_volume: true } });
    assert.equal(del.status, 200, del.text);
    await advance(hw, 11);
    await advance(hw, 15);
    assert.equal((await showMember(p.id, m2.id)).operating_status, "OFFLINE");

    // Without a monitor members are NO_MONITOR again.
    assert.equal((await hw.call("DELETE", `${base}/healthmonitors/${String(body(hm, "healthmonitor").id)}`)).status, 204);
    assert.equal((await showMember(p.id, m1.id)).operating_status, "NO_MONITOR");
  });

  test("tenancy: another project cannot reach a pool, its members or its monitor", async () => {
    const p = await pool({ name: "private" });
    const m = body(await member(p.id, { address: "10.0.1.9" }), "member");
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/pools/${String(p.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${other}/pools/${String(p.id)}/members/${String(m.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/healthmonitors`, { body: { healthmonitor: { pool_id: p.id, type: "TCP", delay: 5, timeout: 3, max_retries: 2 } } }), "ELB.8904", 404);
    assert.deepEqual((await hw.call("GET", `${other}/members`)).json.members, []);
  });
});
