// ELB batch member operations, cascade and force deletes, the v2.0 tag paths and the version document,
// through raw signed requests, with their error paths.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { body, elbNetwork, expectElbError, newEip, SERVER_CERT, SERVER_KEY, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB batches, cascades, v2.0 tags", () => {
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
  /** A load balancer with an HTTP listener, its pool with two members and a monitor, and an L7 policy. */
  const tree = async () => {
    const lb = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4b"], vip_subnet_cidr_id: net.subnetCidrId } })).loadbalancer as Row;
    const l = (await post("/listeners", { listener: { loadbalancer_id: lb.id, protocol: "HTTP", protocol_port: 80 } })).listener as Row;
    const p = (await post("/pools", { pool: { listener_id: l.id, protocol: "HTTP", lb_algorithm: "ROUND_ROBIN" } })).pool as Row;
    await post(`/pools/${String(p.id)}/members/batch-add`, { members: [1, 2].map((n) => ({ address: `10.0.1.${n + 10}`, protocol_port: 80, subnet_cidr_id: net.subnetCidrId })) }, 200);
    await post("/healthmonitors", { healthmonitor: { pool_id: p.id, type: "TCP", delay: 5, timeout: 3, max_retries: 2 } });
    await post("/l7policies", { l7policy: { listener_id: l.id, action: "REDIRECT_TO_POOL", redirect_pool_id: p.id } });
    return { lbId: String(lb.id), listenerId: String(l.id), poolId: String(p.id) };
  };

  test("batch add, update and delete members of a pool, all or nothing", async () => {
    const p = (await post("/pools", { pool: { type: "instance", vpc_id: net.vpcId, protocol: "TCP", lb_algorithm: "ROUND_ROBIN" } })).pool as Row;
    const pool = `/pools/${String(p.id)}/members`;
    const added = (await post(`${pool}/batch-add`, { members: [{ address: "10.0.1.21", protocol_port: 80, subnet_cidr_id: net.subnetCidrId }, { address: "10.0.1.22", protocol_port: 80, subnet_cidr_id: net.subnetCidrId, weight: 7 }] }, 200)).members as Row[];
    assert.deepEqual(added.map((m) => m.weight), [1, 7]);
    const dup = await hw.call("POST", `${base}${pool}/batch-add`, { body: { members: [{ address: "10.0.1.23", protocol_port: 80, subnet_cidr_id: net.subnetCidrId }, { address: "10.0.1.21", protocol_port: 80, subnet_cidr_id: net.subnetCidrId }] } });
    expectElbError(dup, "ELB.8907", 409);
    assert.equal(((await hw.call("GET", `${base}${pool}`)).json.members as Row[]).length, 2, "nothing of a refused batch is kept");
    expectElbError(await hw.call("POST", `${base}${pool}/batch-add`, { body: { members: [] } }), "ELB.8902", 400);
    const upd = (await post(`${pool}/batch-update`, { members: added.map((m) => ({ id: m.id, weight: 50 })) }, 200)).members as Row[];
    assert.deepEqual(upd.map((m) => m.weight), [50, 50]);
    expectElbError(await hw.call("POST", `${base}${pool}/batch-update`, { body: { members: [{ id: "nope", weight: 1 }] } }), "ELB.8904", 404);
    const del = (await post(`${pool}/batch-delete`, { members: added.map((m) => ({ id: m.id })) }, 200)).members as Row[];
    assert.deepEqual(del.map((m) => m.address), ["10.0.1.21", "10.0.1.22"]);
    assert.deepEqual((await hw.call("GET", `${base}${pool}`)).json.members, []);
    expectElbError(await hw.call("POST", `${base}${pool}/batch-delete`, { body: { members: [{ id: added[0]!.id }] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${base}/pools/nope/members/batch-add`, { body: { members: [{ address: "10.0.1.5", protocol_port: 1, subnet_cidr_id: net.subnetCidrId }] } }), "ELB.8904", 404);
  });

  test("cascade and force deletes take the children with them", async () => {
    const a = await tree();
    expectElbError(await hw.call("DELETE", `${base}/pools/${a.poolId}/delete-cascade`), "ELB.8907", 409);
    assert.equal((await hw.call("DELETE", `${base}/listeners/${a.listenerId}/force`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/pools/${a.poolId}`), "ELB.8904", 404);
    assert.deepEqual((await hw.call("GET", `${base}/members?pool_id=${a.poolId}`)).json.members, []);
    assert.deepEqual((await hw.call("GET", `${base}/l7policies?listener_id=${a.listenerId}`)).json.l7policies, []);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${a.lbId}`)).status, 204);

    const b = await tree();
    const pool2 = (await post("/pools", { pool: { loadbalancer_id: b.lbId, protocol: "TCP", lb_algorithm: "ROUND_ROBIN" } })).pool as Row;
    await post(`/pools/${String(pool2.id)}/members`, { member: { address: "10.0.1.30", protocol_port: 22, subnet_cidr_id: net.subnetCidrId } });
    assert.equal((await hw.call("DELETE", `${base}/pools/${String(pool2.id)}/delete-cascade`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/pools/${String(pool2.id)}`), "ELB.8904", 404);
    const lb = body(await hw.call("GET", `${base}/loadbalancers/${b.lbId}`), "loadbalancer");
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${b.lbId}/force-elb`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/loadbalancers/${b.lbId}`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${base}/listeners/${b.listenerId}`), "ELB.8904", 404);
    assert.equal((await hw.call("GET", `/vpc/v1/${hw.projectId()}/ports/${String(lb.vip_port_id)}`)).status, 404);
    expectElbError(await hw.call("DELETE", `${base}/loadbalancers/${b.lbId}/force-elb`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${base}/listeners/nope/force`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${base}/pools/nope/delete-cascade`), "ELB.8904", 404);
  });

  test("batch delete of pools and certificates answers each id's outcome", async () => {
    const a = await tree();
    const free = (await post("/pools", { pool: { loadbalancer_id: a.lbId, protocol: "TCP", lb_algorithm: "ROUND_ROBIN" } })).pool as Row;
    const r = await post("/pools/batch-delete", { pools: [free.id, a.poolId, "nope"] }, 200);
    assert.deepEqual(r.pools, [
      { id: free.id, ret_status: "successful" },
      { id: a.poolId, ret_status: "failed", ret_code: "ELB.8907" },
      { id: "nope", ret_status: "not found" },
    ]);
    expectElbError(await hw.call("GET", `${base}/pools/${String(free.id)}`), "ELB.8904", 404);
    assert.equal((await hw.call("GET", `${base}/pools/${a.poolId}`)).status, 200);
    expectElbError(await hw.call("POST", `${base}/pools/batch-delete`, { body: { pools: [] } }), "ELB.8902", 400);
    const cert = (await post("/certificates", { certificate: { certificate: SERVER_CERT, private_key: SERVER_KEY } })).certificate as Row;
    const c = await post("/certificates/batch-delete", { certificates: [cert.id, "0".repeat(32)] }, 200);
    assert.deepEqual(c.certificates, [{ id: cert.id, ret_status: "successful" }, { id: "0".repeat(32), ret_status: "not found" }]);
    expectElbError(await hw.call("POST", `${base}/certificates/batch-delete`, { body: { certificates: "x" } }), "ELB.8902", 400);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${a.lbId}/force-elb`)).status, 204);
  });

  test("the v2.0 tag paths serve the same tags; the version document", async () => {
    const lb = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4c"], vip_subnet_cidr_id: net.subnetCidrId } })).loadbalancer as Row;
    const v2 = `/elb/v2.0/${hw.projectId()}/loadbalancers/${String(lb.id)}/tags`;
    assert.equal((await hw.call("POST", v2, { body: { tag: { key: "k", value: "v" } } })).status, 201);
    assert.equal((await hw.call("POST", `${v2}/action`, { body: { action: "create", tags: [{ key: "k2", value: "v2" }] } })).status, 204);
    assert.deepEqual((await hw.call("GET", v2)).json.tags, [{ key: "k", value: "v" }, { key: "k2", value: "v2" }]);
    assert.deepEqual((await hw.call("GET", `/elb/v3/${hw.projectId()}/loadbalancers/${String(lb.id)}/tags`)).json.tags, [{ key: "k", value: "v" }, { key: "k2", value: "v2" }]);
    expectElbError(await hw.call("POST", v2, { body: { tag: { key: "" } } }), "ELB.8902", 400);
    expectElbError(await hw.call("GET", `/elb/v2.0/${hw.projectId()}/loadbalancers/nope/tags`), "ELB.8904", 404);
    const versions = await hw.call("GET", "/elb/versions", { creds: null });
    assert.equal(versions.status, 200, versions.text);
    assert.deepEqual((versions.json.versions as Row[]).map((v) => [v.id, v.status]), [["v3", "CURRENT"], ["v2", "SUPPORTED"]]);
  });
});

describe("ELB batch create/delete of load balancers and listeners, zones, retired cascade delete", () => {
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
  const lbOf = async (id: string): Promise<Row> => body(await hw.call("GET", `${base}/loadbalancers/${id}`), "loadbalancer");

  test("BatchCreateLoadBalancers makes number load balancers with suffixed names, all or nothing", async () => {
    const r = await post("/loadbalancers/batch-create", { loadbalancer: { number: 3, name: "web", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, tags: [{ key: "k", value: "v" }] } }, 202);
    const ids = r.loadbalancer_ids as string[];
    assert.equal(ids.length, 3);
    const job = body(await hw.call("GET", `${base}/jobs/${String(r.job_id)}`), "job");
    assert.deepEqual([job.job_type, job.status, (job.sub_jobs as Row[]).map((s) => s.resource_id)], ["batchCreateV3Loadbalancer", "SUCCESS", ids]);
    const lbs = await Promise.all(ids.map(lbOf));
    assert.deepEqual(lbs.map((l) => l.name), ["web-0001", "web-0002", "web-0003"]);
    assert.equal(new Set(lbs.map((l) => l.vip_address)).size, 3);
    assert.deepEqual(lbs[0]!.tags, [{ key: "k", value: "v" }]);
    const one = await post("/loadbalancers/batch-create", { loadbalancer: { name: "solo", availability_zone_list: ["cn-north-4a"], vpc_id: net.vpcId } }, 202);
    assert.equal((await lbOf((one.loadbalancer_ids as string[])[0]!)).name, "solo");
    const before = ((await hw.call("GET", `${base}/loadbalancers`)).json.loadbalancers as Row[]).length;
    // A fixed VIP, or publicip_ids, needs number 1; a zone outside the region refuses the whole batch.
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-create`, { body: { loadbalancer: { number: 2, vip_address: "10.0.1.99", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-create`, { body: { loadbalancer: { number: 2, availability_zone_list: ["mars-1a"], vip_subnet_cidr_id: net.subnetCidrId } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-create`, { body: { loadbalancer: { number: 11, availability_zone_list: ["cn-north-4a"], vpc_id: net.vpcId } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-create`, { body: { loadbalancer: { number: 2, availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: "nope" } } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-create`, { body: {} }), "ELB.8902", 400);
    assert.equal(((await hw.call("GET", `${base}/loadbalancers`)).json.loadbalancers as Row[]).length, before, "a refused batch creates nothing");
    const del = await post("/loadbalancers/batch-delete", { loadbalancer_ids: [...ids, (one.loadbalancer_ids as string[])[0]] }, 202);
    assert.equal((del.loadbalancer_ids as string[]).length, 4);
  });

  test("BatchDeleteLoadbalancers deletes each with its children and frees VIPs; public_ip releases EIPs", async () => {
    const eip = await newEip(hw);
    const a = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, publicip_ids: [eip.id] } })).loadbalancer as Row;
    const b = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId } })).loadbalancer as Row;
    const l = (await post("/listeners", { listener: { loadbalancer_id: b.id, protocol: "TCP", protocol_port: 22 } })).listener as Row;
    await post("/pools", { pool: { listener_id: l.id, protocol: "TCP", lb_algorithm: "ROUND_ROBIN" } });
    const p = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vpc_id: net.vpcId, deletion_protection_enable: true } })).loadbalancer as Row;
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-delete`, { body: { loadbalancer_ids: [a.id, p.id] } }), "ELB.8907", 409);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-delete`, { body: { loadbalancer_ids: [a.id, "nope"] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/batch-delete`, { body: { loadbalancer_ids: [] } }), "ELB.8902", 400);
    assert.equal((await hw.call("GET", `${base}/loadbalancers/${String(a.id)}`)).status, 200, "a refused batch deletes nothing");
    const r = await post("/loadbalancers/batch-delete", { loadbalancer_ids: [a.id, b.id], public_ip: true }, 202);
    assert.deepEqual(r.loadbalancer_ids, [a.id, b.id]);
    assert.equal(body(await hw.call("GET", `${base}/jobs/${String(r.job_id)}`), "job").job_type, "batchDeleteLoadbalancer");
    for (const id of [a.id, b.id]) expectElbError(await hw.call("GET", `${base}/loadbalancers/${String(id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${base}/listeners/${String(l.id)}`), "ELB.8904", 404);
    assert.equal((await hw.call("GET", `/vpc/v1/${hw.projectId()}/ports/${String(a.vip_port_id)}`)).status, 404);
    assert.equal((await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips/${eip.id}`)).status, 404, "public_ip: true released the bound EIP");
    // Without public_ip the EIP is only unbound.
    const eip2 = await newEip(hw);
    const c = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, publicip_ids: [eip2.id] } })).loadbalancer as Row;
    await post("/loadbalancers/batch-delete", { loadbalancer_ids: [c.id] }, 202);
    const kept = await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips/${eip2.id}`);
    assert.equal(kept.status, 200, kept.text);
    assert.equal((kept.json.publicip as Row).port_id ?? null, null);
    await hw.call("PUT", `${base}/loadbalancers/${String(p.id)}`, { body: { loadbalancer: { deletion_protection_enable: false } } });
    await post("/loadbalancers/batch-delete", { loadbalancer_ids: [p.id] }, 202);
  });

  test("BatchDeleteListeners deletes up to ten listeners, refusing all while one keeps its pool", async () => {
    const lb = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vpc_id: net.vpcId } })).loadbalancer as Row;
    const ls: Row[] = [];
    for (const port of [80, 81, 82]) ls.push((await post("/listeners", { listener: { loadbalancer_id: lb.id, protocol: "HTTP", protocol_port: port } })).listener as Row);
    const pool = (await post("/pools", { pool: { listener_id: ls[2]!.id, protocol: "HTTP", lb_algorithm: "ROUND_ROBIN" } })).pool as Row;
    expectElbError(await hw.call("POST", `${base}/listeners/batch-delete`, { body: { listener_ids: ls.map((l) => l.id) } }), "ELB.8907", 409);
    expectElbError(await hw.call("POST", `${base}/listeners/batch-delete`, { body: { listener_ids: [ls[0]!.id, "nope"] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${base}/listeners/batch-delete`, { body: { listener_ids: Array.from({ length: 11 }, (_, i) => `l${i}`) } }), "ELB.8902", 400);
    assert.equal((await hw.call("GET", `${base}/listeners/${String(ls[0]!.id)}`)).status, 200, "a refused batch deletes nothing");
    const r = await post("/listeners/batch-delete", { listener_ids: [ls[0]!.id, ls[1]!.id] }, 202);
    assert.deepEqual(r.listener_ids, [ls[0]!.id, ls[1]!.id]);
    const job = body(await hw.call("GET", `${base}/jobs/${String(r.job_id)}`), "job");
    assert.deepEqual([job.job_type, job.status, (job.sub_jobs as Row[]).map((s) => s.resource_id)], ["batchDeleteListener", "SUCCESS", r.listener_ids]);
    assert.deepEqual(((await hw.call("GET", `${base}/listeners?loadbalancer_id=${String(lb.id)}`)).json.listeners as Row[]).map((l) => l.id), [ls[2]!.id]);
    assert.equal((await hw.call("DELETE", `${base}/pools/${String(pool.id)}`)).status, 204);
    await post("/listeners/batch-delete", { listener_ids: [ls[2]!.id] }, 202);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
  });

  test("zones are added and removed; a load balancer keeps one; the retired cascade delete answers ELB.8902", async () => {
    const lb = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vpc_id: net.vpcId } })).loadbalancer as Row;
    const zones = `/loadbalancers/${String(lb.id)}/availability-zone`;
    const added = (await post(`${zones}/batch-add`, { availability_zone_list: ["cn-north-4b", "cn-north-4c"] }, 200)).loadbalancer as Row;
    assert.deepEqual(added.availability_zone_list, ["cn-north-4a", "cn-north-4b", "cn-north-4c"]);
    expectElbError(await hw.call("POST", `${base}${zones}/batch-add`, { body: { availability_zone_list: ["cn-north-4b"] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${zones}/batch-add`, { body: { availability_zone_list: ["cn-east-3a"] } }), "ELB.8902", 400);
    const removed = (await post(`${zones}/batch-remove`, { availability_zone_list: ["cn-north-4a", "cn-north-4c"] }, 200)).loadbalancer as Row;
    assert.deepEqual(removed.availability_zone_list, ["cn-north-4b"]);
    assert.deepEqual((await lbOf(String(lb.id))).availability_zone_list, ["cn-north-4b"]);
    expectElbError(await hw.call("POST", `${base}${zones}/batch-remove`, { body: { availability_zone_list: ["cn-north-4b"] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${zones}/batch-remove`, { body: { availability_zone_list: ["cn-north-4a"] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}${zones}/batch-add`, { body: { availability_zone_list: [] } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/nope/availability-zone/batch-add`, { body: { availability_zone_list: ["cn-north-4a"] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/${String(lb.id)}/delete-cascade`, { body: { loadbalancer: { public_ip: true } } }), "ELB.8902", 400);
    expectElbError(await hw.call("POST", `${base}/loadbalancers/nope/delete-cascade`, { body: { loadbalancer: {} } }), "ELB.8904", 404);
    assert.equal((await hw.call("GET", `${base}/loadbalancers/${String(lb.id)}`)).status, 200);
  });

  test("tenancy: another project can neither batch-delete nor change the zones of a load balancer", async () => {
    const lb = (await post("/loadbalancers", { loadbalancer: { availability_zone_list: ["cn-north-4a"], vpc_id: net.vpcId } })).loadbalancer as Row;
    const l = (await post("/listeners", { listener: { loadbalancer_id: lb.id, protocol: "TCP", protocol_port: 9 } })).listener as Row;
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("POST", `${other}/loadbalancers/batch-delete`, { body: { loadbalancer_ids: [lb.id] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/listeners/batch-delete`, { body: { listener_ids: [l.id] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/loadbalancers/${String(lb.id)}/availability-zone/batch-add`, { body: { availability_zone_list: ["cn-east-3b"] } }), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/loadbalancers/batch-create`, { body: { loadbalancer: { availability_zone_list: ["cn-east-3a"], vip_subnet_cidr_id: net.subnetCidrId } } }), "ELB.8904", 404);
    assert.equal((await hw.call("GET", `${base}/listeners/${String(l.id)}`)).status, 200);
  });
});
