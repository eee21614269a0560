// ELB clones: CloneListener (onto the same or another load balancer, with a copy of its pool, members and
// monitor; another VPC maps member subnets) and CloneLoadbalancer (count copies with every listener), through
// raw signed requests, with their error paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { body, elbNetwork, expectElbError, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB clones of listeners and load balancers", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
  });
  after(() => hw.close());

  const post = async (path: string, b: Row, status = 201): Promise<Row> => {
    const r = await hw.call("POST", `${base}${path}`, { body: b });
    assert.equal(r.status, status, r.text);
    return r.json;
  };
  const get = async (path: string): Promise<Row> => {
    const r = await hw.call("GET", `${base}${path}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const newLb = async (extra: Row = {}): Promise<Row> =>
    (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, ...extra } })).loadbalancer as Row;
  /** A load balancer with an HTTP listener on 80 whose pool has two members and a monitor. */
  const source = async () => {
    const lb = await newLb({ name: "src", ip_target_enable: true });
    const l = (await post("/listeners", { listener: { loadbalancer_id: lb.id, protocol: "HTTP", protocol_port: 80, name: "web", keepalive_timeout: 100 } })).listener as Row;
    const p = (await post("/pools", { pool: { listener_id: l.id, protocol: "HTTP", lb_algorithm: "LEAST_CONNECTIONS", name: "web-pool" } })).pool as Row;
    await post(`/pools/${String(p.id)}/members/batch-add`, { members: [{ address: "10.0.1.21", protocol_port: 8080, subnet_cidr_id: net.subnetCidrId, weight: 5 }, { address: "192.168.9.9", protocol_port: 8080 }] }, 200);
    await post("/healthmonitors", { healthmonitor: { pool_id: p.id, type: "HTTP", delay: 5, timeout: 3, max_retries: 2, url_path: "/health" } });
    return { lb, l, p };
  };
  const treeOf = async (listenerId: string) => {
    const l = body(await hw.call("GET", `${base}/listeners/${listenerId}`), "listener");
    const pool = body(await hw.call("GET", `${base}/pools/${String(l.default_pool_id)}`), "pool");
    const members = ((await get(`/pools/${String(pool.id)}/members`)).members as Row[]).map((m) => [m.address, m.protocol_port, m.weight, m.subnet_cidr_id ?? null]);
    const monitor = body(await hw.call("GET", `${base}/healthmonitors/${String(pool.healthmonitor_id)}`), "healthmonitor");
    return { l, pool, members, monitor };
  };

  test("CloneListener copies a listener with its pool, members and monitor onto load balancers", async () => {
    const s = await source();
    const other = await newLb({ name: "dst", ip_target_enable: true });
    const r = await post(`/listeners/${String(s.l.id)}/clone`, { target_listener_params: [{ loadbalancer_id: s.lb.id, protocol_port: 81 }, { loadbalancer_id: other.id, name: "copy" }] }, 202);
    const list = r.listener_list as Row[];
    assert.deepEqual(list.map((x) => [x.loadbalancer_id, x.protocol_port]), [[s.lb.id, 81], [other.id, 80]]);
    assert.equal(body(await hw.call("GET", `${base}/jobs/${String(r.job_id)}`), "job").job_type, "cloneListener");
    const orig = await treeOf(String(s.l.id));
    for (const [i, c] of list.entries()) {
      const copy = await treeOf(String(c.id));
      assert.equal(copy.l.name, i === 0 ? "web-copy" : "copy");
      assert.equal(copy.l.keepalive_timeout, 100);
      assert.equal(copy.l.protocol, "HTTP");
      assert.notEqual(copy.pool.id, orig.pool.id);
      assert.deepEqual([copy.pool.name, copy.pool.lb_algorithm], ["web-pool", "LEAST_CONNECTIONS"]);
      assert.deepEqual(copy.members, orig.members);
      assert.deepEqual([copy.monitor.type, copy.monitor.url_path, copy.monitor.delay], ["HTTP", "/health", 5]);
    }
    // The source's port is taken on its own load balancer; a target that cannot take the listener refuses all.
    const before = ((await get("/listeners")).listeners as Row[]).length;
    expectElbError(await hw.call("POST", `${base}/listeners/${String(s.l.id)}/clone`, { body: { target_listener_params: [{ loadbalancer_id: other.id, protocol_port: 90 }, { loadbalancer_id: s.lb.id }] } }), "ELB.8907", 409);
    assert.equal(((await get("/listeners")).listeners as Row[]).length, before, "a refused clone makes nothing");
    const l4only = await newLb({ l4_flavor_id: "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a4001" });
    expectElbError(await hw.call("POST", `${base}/listeners/${String(s.l.id)}/clone`, { body: { target_listener_params: [{ loadbalancer_id: l4only.id }] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/listeners/${String(s.l.id)}/clone`, { body: { target_listener_params: [{ loadbalancer_id: other.id, protocol_port: 91, reuse_pool: true }] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/listeners/${String(s.l.id)}/clone`, { body: { target_listener_params: [{ loadbalancer_id: other.id, port_ranges: [{ start_port: 1, end_port: 9 }] }] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/listeners/${String(s.l.id)}/clone`, { body: { target_listener_params: [] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/listeners/${String(s.l.id)}/clone`, { body: { target_listener_params: [{ loadbalancer_id: "nope" }] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${base}/listeners/nope/clone`, { body: { target_listener_params: [{ loadbalancer_id: other.id }] } }), "ELB.8904", 404);
  });

  test("a clone into another VPC maps member subnets", async () => {
    const s = await source();
    const net2 = await elbNetwork(hw, "10.0.7.0/24");
    const far = await newLb({ vip_subnet_cidr_id: net2.subnetCidrId });
    const path = `${base}/listeners/${String(s.l.id)}/clone`;
    expectElbError(await hw.call("POST", path, { body: { target_listener_params: [{ loadbalancer_id: far.id }] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", path, { body: { target_listener_params: [{ loadbalancer_id: s.lb.id, protocol_port: 82, subnet_mapping_list: [{ subnet_cidr_id: net.subnetCidrId, dst_subnet_cidr_id: net2.subnetCidrId }] }] } }), "ELB.8902", 400);
    // The member keeps its address, which must then lie in the mapped subnet.
    expectElbError(await hw.call("POST", path, { body: { target_listener_params: [{ loadbalancer_id: far.id, subnet_mapping_list: [{ subnet_cidr_id: net.subnetCidrId, dst_subnet_cidr_id: net2.subnetCidrId }] }] } }), "ELB.8902", 400);
    const net3 = await elbNetwork(hw, "10.0.1.0/24");
    const far3 = await newLb({ vip_subnet_cidr_id: net3.subnetCidrId, ip_target_enable: true });
    const r = await post(`/listeners/${String(s.l.id)}/clone`, { target_listener_params: [{ loadbalancer_id: far3.id, subnet_mapping_list: [{ subnet_cidr_id: net.subnetCidrId, dst_subnet_cidr_id: net3.subnetCidrId }] }] }, 202);
    const copy = await treeOf(String((r.listener_list as Row[])[0]!.id));
    assert.deepEqual(copy.members, [["10.0.1.21", 8080, 5, net3.subnetCidrId], ["192.168.9.9", 8080, 1, null]]);
  });

  test("CloneLoadbalancer makes count copies, each with every listener", async () => {
    const s = await source();
    await post("/listeners", { listener: { loadbalancer_id: s.lb.id, protocol: "TCP", protocol_port: 22, name: "ssh" } });
    const r = await post(`/loadbalancers/${String(s.lb.id)}/clone`, { count: 2, target_loadbalancer_param: { name: "twin", availability_zone_list: ["cn-north-4b"] } }, 202);
    const ids = (r.loadbalancer_list as Row[]).map((x) => String(x.id));
    assert.equal(ids.length, 2);
    assert.equal(body(await hw.call("GET", `${base}/jobs/${String(r.job_id)}`), "job").job_type, "cloneLoadbalancer");
    for (const [i, id] of ids.entries()) {
      const lb = body(await hw.call("GET", `${base}/loadbalancers/${id}`), "loadbalancer");
      assert.equal(lb.name, `twin-000${i + 1}`);
      assert.deepEqual(lb.availability_zone_list, ["cn-north-4b"]);
      assert.deepEqual([lb.l4_flavor_id, lb.l7_flavor_id, lb.ip_target_enable, lb.vpc_id], [s.lb.l4_flavor_id, s.lb.l7_flavor_id, true, s.lb.vpc_id]);
      assert.notEqual(lb.vip_address, s.lb.vip_address);
      const ls = ((await get(`/listeners?loadbalancer_id=${id}`)).listeners as Row[]).map((l) => [l.name, l.protocol, l.protocol_port]);
      assert.deepEqual(ls, [["web", "HTTP", 80], ["ssh", "TCP", 22]]);
    }
    const one = await post(`/loadbalancers/${String(s.lb.id)}/clone`, { target_loadbalancer_param: {} }, 202);
    assert.equal(body(await hw.call("GET", `${base}/loadbalancers/${String((one.loadbalancer_list as Row[])[0]!.id)}`), "loadbalancer").name, "src-copy");
    const clone = `${base}/loadbalancers/${String(s.lb.id)}/clone`;
    expectElbError(await hw.call("POST", clone, { body: { count: 11, target_loadbalancer_param: {} } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", clone, { body: { count: 2, target_loadbalancer_param: { vip_address: "10.0.1.200" } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", clone, { body: { target_loadbalancer_param: { reuse_pool: true } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", clone, { body: { target_loadbalancer_param: { availability_zone_list: ["mars-1a"] } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", clone, { body: {} }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/nope/clone`, { body: { target_loadbalancer_param: {} } }), "ELB.8904", 404);
  });

  test("tenancy: another project can neither clone nor clone onto a load balancer of this one", async () => {
    const s = await source();
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("POST", `${other}/loadbalancers/${String(s.lb.id)}/clone`, { body: { target_loadbalancer_param: {} } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/listeners/${String(s.l.id)}/clone`, { body: { target_listener_params: [{ loadbalancer_id: s.lb.id, protocol_port: 99 }] } }), "ELB.8904", 404);
  });
});
