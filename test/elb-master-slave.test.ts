// ELB master-slave pools: created whole (two members, master and slave, and a health monitor), on a load
// balancer, under a TCP/UDP listener or unbound, listed, shown and deleted; members ONLINE while their server is
// ACTIVE; a load balancer with one is not deleted (forced, it goes with it). Raw signed requests, with error
// paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { advance, body, elbNetwork, expectElbError, newServers, serverAddress, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB master-slave pools", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  let lbId: string;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
    lbId = String((await newLb("lb")).id);
  });
  after(() => hw.close());

  async function newLb(name: string, extra: Row = {}): Promise<Row> {
    const r = await hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { name, availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, ...extra } } });
    assert.equal(r.status, 201, r.text);
    return body(r, "loadbalancer");
  }
  const listener = async (protocol: string, port: number): Promise<Row> => {
    const r = await hw.call("POST", `${base}/listeners`, { body: { listener: { loadbalancer_id: lbId, protocol, protocol_port: port } } });
    assert.equal(r.status, 201, r.text);
    return body(r, "listener");
  };
  const members = (a = "10.0.1.20", b = "10.0.1.21") => [
    { address: a, protocol_port: 80, subnet_cidr_id: net.subnetCidrId, role: "master", name: "m" },
    { address: b, protocol_port: 80, subnet_cidr_id: net.subnetCidrId, role: "slave" },
  ];
  const spec = (extra: Row = {}): Row => ({
    name: "ms",
    loadbalancer_id: lbId,
    lb_algorithm: "ROUND_ROBIN",
    protocol: "TCP",
    type: "instance",
    vpc_id: net.vpcId,
    members: members(),
    healthmonitor: { type: "TCP", delay: 5, timeout: 3, max_retries: 3 },
    ...extra,
  });
  const create = (extra: Row = {}) => hw.call("POST", `${base}/master-slave-pools`, { body: { pool: spec(extra) } });

  test("create on a load balancer: fields, members with roles and status, show, list filters, delete", async () => {
    const [server] = await newServers(hw, net, 1, "primary");
    await advance(hw, 11);
    const addr = await serverAddress(hw, server!);
    assert.equal(addr.status, "ACTIVE");
    const r = await create({ members: members(addr.ip, "10.0.1.99"), session_persistence: { type: "SOURCE_IP" } });
    assert.equal(r.status, 201, r.text);
    const p = body(r, "pool");
    assert.equal(p.protocol, "TCP");
    assert.equal(p.type, "instance");
    assert.equal(p.vpc_id, net.vpcId);
    assert.equal(p.ip_version, "v4");
    assert.equal(p.enterprise_project_id, "0");
    assert.deepEqual(p.loadbalancers, [{ id: lbId }]);
    assert.deepEqual(p.listeners, []);
    assert.deepEqual(p.session_persistence, { type: "SOURCE_IP", cookie_name: null, persistence_timeout: 1 });
    const hm = p.healthmonitor as Row;
    assert.equal(hm.type, "TCP");
    assert.equal(hm.max_retries_down, 3);
    assert.equal(typeof hm.id, "string");
    const ms = p.members as Row[];
    assert.deepEqual(ms.map((m) => [m.address, m.role, m.operating_status, m.member_type]), [
      [addr.ip, "master", "ONLINE", "instance"],
      ["10.0.1.99", "slave", "OFFLINE", "instance"],
    ]);
    assert.equal(ms[0]?.instance_id, server);
    assert.match(String(p.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const shown = await hw.call("GET", `${base}/master-slave-pools/${String(p.id)}`);
    assert.equal(shown.status, 200, shown.text);
    assert.deepEqual(body(shown, "pool"), p);
    const ids = async (q: string) => ((await hw.call("GET", `${base}/master-slave-pools${q}`)).json.pools as Row[]).map((x) => x.id);
    assert.deepEqual(await ids(""), [p.id]);
    assert.deepEqual(await ids(`?member_address=${addr.ip}`), [p.id]);
    assert.deepEqual(await ids(`?loadbalancer_id=${lbId}&protocol=TCP`), [p.id]);
    assert.deepEqual(await ids("?protocol=UDP"), []);
    assert.deepEqual(await ids(`?healthmonitor_id=${String(hm.id)}`), [p.id]);
    // An ordinary pool list does not include it.
    assert.deepEqual((await hw.call("GET", `${base}/pools`)).json.pools, []);

    // The load balancer cannot be deleted while it has one.
    expectElbError(await hw.call("DELETE", `${base}/loadbalancers/${lbId}`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/master-slave-pools/${String(p.id)}`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/master-slave-pools/${String(p.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${base}/master-slave-pools/${String(p.id)}`), "ELB.8904", 404);
  });

  test("under a listener: protocol must suit it, one pool a listener", async () => {
    const udp = await listener("UDP", 53);
    const tcp = await listener("TCP", 8080);
    const http = await listener("HTTP", 80);
    const udpSpec = { listener_id: udp.id, loadbalancer_id: undefined, protocol: "UDP", healthmonitor: { type: "UDP_CONNECT", delay: 5, timeout: 3, max_retries: 3 } };
    const r = await create(udpSpec);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(body(r, "pool").listeners, [{ id: udp.id }]);
    assert.deepEqual(body(r, "pool").loadbalancers, [{ id: lbId }]);
    expectElbError(await create(udpSpec), "ELB.8907", 409);
    expectElbError(await create({ listener_id: tcp.id, protocol: "UDP", healthmonitor: { type: "UDP_CONNECT", delay: 5, timeout: 3, max_retries: 3 } }), "ELB.8902", 400);
    expectElbError(await create({ listener_id: http.id }), "ELB.8902", 400);
    const ok = await create({ listener_id: tcp.id, loadbalancer_id: undefined });
    assert.equal(ok.status, 201, ok.text);
    // Forced deletion of the load balancer takes its master-slave pools with it.
    const lb2 = await newLb("forced");
    const p2 = body(await create({ loadbalancer_id: lb2.id }), "pool");
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb2.id)}/force-elb`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/master-slave-pools/${String(p2.id)}`), "ELB.8904", 404);
  });

  test("error paths: members, type and vpc, monitor, unknown parents", async () => {
    const m = members();
    expectElbError(await create({ members: [m[0]] }), "ELB.8902", 400);
    expectElbError(await create({ members: [m[0], m[0]] }), "ELB.8902", 400);
    expectElbError(await create({ members: [...m, m[1]] }), "ELB.8902", 400);
    expectElbError(await create({ members: [{ ...m[0], role: "primary" }, m[1]] }), "ELB.8902", 400);
    expectElbError(await create({ members: [{ ...m[0], address: "10.9.9.9" }, m[1]] }), "ELB.8902", 400);
    expectElbError(await create({ members: [{ ...m[0], address: "fe80::1" }, m[1]] }), "ELB.8902", 400);
    expectElbError(await create({ members: [{ ...m[0], protocol_port: undefined }, m[1]] }), "ELB.8902", 400);
    expectElbError(await create({ members: [{ ...m[0], subnet_cidr_id: undefined }, m[1]] }), "ELB.8939", 400);
    expectElbError(await create({ members: [{ ...m[0], subnet_cidr_id: "6f2c8a62-0000-4000-8000-000000000000" }, m[1]] }), "ELB.8904", 404);
    expectElbError(await create({ vpc_id: undefined }), "ELB.8902", 400);
    expectElbError(await create({ type: "ip" }), "ELB.8902", 400);
    expectElbError(await create({ vpc_id: "6f2c8a62-0000-4000-8000-000000000000" }), "ELB.8902", 400);
    expectElbError(await create({ protocol: "HTTP" }), "ELB.8902", 400);
    expectElbError(await create({ lb_algorithm: "QUIC_CID" }), "ELB.8902", 400);
    expectElbError(await create({ session_persistence: { type: "HTTP_COOKIE" } }), "ELB.8902", 400);
    expectElbError(await create({ healthmonitor: { type: "TCP", delay: 3, timeout: 5, max_retries: 3 } }), "ELB.8902", 400);
    expectElbError(await create({ healthmonitor: { type: "UDP_CONNECT", delay: 5, timeout: 3, max_retries: 3 } }), "ELB.8902", 400);
    expectElbError(await create({ healthmonitor: undefined }), "ELB.8902", 400);
    expectElbError(await create({ session_persistence: { type: "SOURCE_IP", cookie_name: "c" } }), "ELB.8902", 400);
    expectElbError(await create({ loadbalancer_id: undefined, vpc_id: "6f2c8a62-0000-4000-8000-000000000000" }), "ELB.8904", 404);
    // Neither load balancer nor listener: an unbound pool in its VPC.
    const unbound = await create({ loadbalancer_id: undefined });
    assert.equal(unbound.status, 201, unbound.text);
    assert.deepEqual(body(unbound, "pool").loadbalancers, []);
    assert.equal(body(unbound, "pool").vpc_id, net.vpcId);
    expectElbError(await create({ loadbalancer_id: undefined, members: [{ ...m[0], address: "10.9.9.9" }, m[1]] }), "ELB.8902", 400);
    expectElbError(await create({ loadbalancer_id: "6f2c8a62-0000-4000-8000-000000000000" }), "ELB.8904", 404);
    expectElbError(await create({ listener_id: "6f2c8a62-0000-4000-8000-000000000000" }), "ELB.8904", 404);
    expectElbError(await create({ enterprise_project_id: "ep" }), "ELB.8902", 400);
    // An ip-target load balancer takes members without a subnet in a pool of type ip.
    const ipLb = await newLb("ip", { ip_target_enable: true });
    const noSubnet = members().map(({ subnet_cidr_id: _s, ...rest }) => ({ ...rest, address: rest.address.replace("10.0.1.", "192.168.7.") }));
    const ipPool = await create({ loadbalancer_id: ipLb.id, type: "ip", vpc_id: undefined, members: noSubnet });
    assert.equal(ipPool.status, 201, ipPool.text);
    assert.deepEqual((body(ipPool, "pool").members as Row[]).map((x) => x.member_type), ["ip", "ip"]);
    expectElbError(await create({ loadbalancer_id: ipLb.id, type: "ip", vpc_id: undefined }), "ELB.8902", 400);
  });

  test("tenancy: another project neither sees nor deletes a master-slave pool, nor builds on a foreign load balancer", async () => {
    const p = body(await create(), "pool");
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/master-slave-pools/${String(p.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${other}/master-slave-pools/${String(p.id)}`), "ELB.8904", 404);
    assert.deepEqual((await hw.call("GET", `${other}/master-slave-pools`)).json.pools, []);
    expectElbError(await hw.call("POST", `${other}/master-slave-pools`, { body: { pool: spec() } }), "ELB.8904", 404);
    assert.equal((await hw.call("GET", `${base}/master-slave-pools/${String(p.id)}`)).status, 200);
  });
});
