// ELB recycle bin: the project's setting and policy, deleted load balancers kept (VIP port, EIP, log tank)
// when it is enabled and they are old enough, restored as they were (a job), destroyed on request or when
// their retention ends on hwlocal's clock; through raw signed requests, with error paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { advance, body, elbNetwork, expectElbError, newEip, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB recycle bin", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
  });
  after(() => hw.close());

  const newLb = async (name: string, extra: Row = {}): Promise<Row> => {
    const r = await hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { name, availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId, ...extra } } });
    assert.equal(r.status, 201, r.text);
    return body(r, "loadbalancer");
  };
  const bin = () => hw.call("GET", `${base}/recycle-bin`);
  const setEnable = (enable: unknown) => hw.call("PUT", `${base}/recycle-bin`, { body: { recycle_bin: { enable } } });
  const setPolicy = (policy: Row) => hw.call("PUT", `${base}/recycle-bin/policy`, { body: { recycle_bin: { policy } } });
  const recycled = async (q = ""): Promise<Row[]> => {
    const r = await hw.call("GET", `${base}/recycle-bin/loadbalancers${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json.loadbalancers as Row[];
  };
  const port = (id: unknown) => hw.call("GET", `/vpc/v1/${hw.projectId()}/ports/${String(id)}`);

  test("setting: disabled by default, policy only while enabled, values checked", async () => {
    const r = await bin();
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(body(r, "recycle_bin"), { project_id: hw.projectId(), enable: false, policy: { recycle_threshold_hour: 0, retention_hour: 168 } });
    expectElbError(await setPolicy({ retention_hour: 24 }), "ELB.8907", 409);
    expectElbError(await setEnable("yes"), "ELB.8902", 400);
    expectElbError(await hw.call("PUT", `${base}/recycle-bin`, { body: {} }), "ELB.8902", 400);
    const on = await setEnable(true);
    assert.equal(on.status, 200, on.text);
    assert.equal(body(on, "recycle_bin").enable, true);
    expectElbError(await setPolicy({ retention_hour: 0 }), "ELB.8902", 400);
    expectElbError(await setPolicy({ recycle_threshold_hour: -1 }), "ELB.8902", 400);
    expectElbError(await setPolicy({ retention_hour: 1.5 }), "ELB.8902", 400);
    const p = await setPolicy({ recycle_threshold_hour: 1, retention_hour: 2 });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(body(p, "recycle_bin").policy, { recycle_threshold_hour: 1, retention_hour: 2 });
    assert.deepEqual(body(await bin(), "recycle_bin").policy, { recycle_threshold_hour: 1, retention_hour: 2 });
  });

  test("a load balancer younger than the threshold is deleted for good; an older one is kept, restored, destroyed", async () => {
    const young = await newLb("young");
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(young.id)}`)).status, 204);
    assert.deepEqual(await recycled(), []);
    assert.equal((await port(young.vip_port_id)).status, 404);

    const eip = await newEip(hw);
    const lb = await newLb("kept", { publicip_ids: [eip.id] });
    const tank = body(await hw.call("POST", `${base}/logtanks`, { body: { logtank: { loadbalancer_id: lb.id, log_group_id: "g1", log_topic_id: "t1" } } }), "logtank");
    await advance(hw, 3600);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/loadbalancers/${String(lb.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${base}/logtanks/${String(tank.id)}`), "ELB.8904", 404);
    const [r] = await recycled();
    assert.ok(r);
    assert.equal(r.id, lb.id);
    assert.equal(r.name, "kept");
    assert.equal(r.provisioning_status, "RECYCLING");
    assert.equal(r.vip_address, lb.vip_address);
    assert.equal(r.log_group_id, "g1");
    assert.equal(r.log_topic_id, "t1");
    assert.deepEqual(r.eips, lb.eips);
    // Deleted an hour (and the test's own few real milliseconds) after creation, kept for two; whole seconds.
    const kept = Date.parse(String(r.auto_terminate_time)) - Date.parse(String(lb.created_at));
    assert.ok(kept >= 3 * 3600_000 && kept <= 3 * 3600_000 + 5000, String(kept));
    assert.deepEqual((await recycled(`?name=kept&vpc_id=${net.vpcId}`)).map((x) => x.id), [lb.id]);
    assert.deepEqual(await recycled("?name=other"), []);
    assert.deepEqual(await recycled("?member_address=10.0.1.10"), []);
    assert.deepEqual((await recycled("?guaranteed=true&ip_version=4")).map((x) => x.id), [lb.id]);
    assert.equal((await port(lb.vip_port_id)).status, 200, "the VIP port is kept in the bin");
    expectElbError(await setEnable(false), "ELB.8907", 409);

    const rs = await hw.call("PUT", `${base}/recycle-bin/loadbalancers/${String(lb.id)}/recover`);
    assert.equal(rs.status, 200, rs.text);
    assert.equal(rs.json.type, "v3");
    const job = await hw.call("GET", `${base}/jobs/${String(rs.json.job_id)}`);
    assert.equal(job.status, 200, job.text);
    assert.equal(body(job, "job").status, "SUCCESS");
    assert.equal(body(job, "job").resource_id, lb.id);
    const back = body(await hw.call("GET", `${base}/loadbalancers/${String(lb.id)}`), "loadbalancer");
    assert.equal(back.vip_address, lb.vip_address);
    assert.equal(back.vip_port_id, lb.vip_port_id);
    assert.deepEqual(back.eips, lb.eips);
    assert.equal(body(await hw.call("GET", `${base}/logtanks/${String(tank.id)}`), "logtank").log_topic_id, "t1");
    assert.deepEqual(await recycled(), []);
    expectElbError(await hw.call("PUT", `${base}/recycle-bin/loadbalancers/${String(lb.id)}/recover`), "ELB.8904", 404);

    // Force deletion recycles too; then it is destroyed on request and its VIP port freed.
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}/force-elb`)).status, 204);
    assert.deepEqual((await recycled()).map((x) => x.id), [lb.id]);
    assert.equal((await hw.call("DELETE", `${base}/recycle-bin/loadbalancers/${String(lb.id)}`)).status, 204);
    assert.deepEqual(await recycled(), []);
    assert.equal((await port(lb.vip_port_id)).status, 404);
    expectElbError(await hw.call("DELETE", `${base}/recycle-bin/loadbalancers/${String(lb.id)}`), "ELB.8904", 404);
    // A bound EIP that the load balancer did not create outlives it.
    assert.equal((await hw.call("GET", `/vpc/v1/${hw.projectId()}/publicips/${eip.id}`)).status, 200);
  });

  test("the retention ends on hwlocal's clock: the recycled load balancer is destroyed", async () => {
    const lb = await newLb("expiring");
    await advance(hw, 3600);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    assert.deepEqual((await recycled()).map((x) => x.id), [lb.id]);
    await advance(hw, 2 * 3600 - 60);
    assert.deepEqual((await recycled()).map((x) => x.id), [lb.id]);
    await advance(hw, 120);
    assert.deepEqual(await recycled(), []);
    assert.equal((await port(lb.vip_port_id)).status, 404);
    const off = await setEnable(false);
    assert.equal(off.status, 200, off.text);
    assert.equal(body(off, "recycle_bin").enable, false);
    // Disabled again: a deletion is final.
    const gone = await newLb("final");
    await advance(hw, 3600);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(gone.id)}`)).status, 204);
    assert.deepEqual(await recycled(), []);
  });

  test("a restored load balancer shows only the EIPs still bound to its VIP port", async () => {
    assert.equal((await setEnable(true)).status, 200);
    const eip = await newEip(hw);
    const lb = await newLb("unbound", { publicip_ids: [eip.id] });
    await advance(hw, 3600);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    const unbind = await hw.call("PUT", `/vpc/v1/${hw.projectId()}/publicips/${eip.id}`, { body: { publicip: { port_id: "" } } });
    assert.equal(unbind.status, 200, unbind.text);
    assert.equal((await hw.call("PUT", `${base}/recycle-bin/loadbalancers/${String(lb.id)}/recover`)).status, 200);
    const back = body(await hw.call("GET", `${base}/loadbalancers/${String(lb.id)}`), "loadbalancer");
    assert.deepEqual(back.eips, []);
    assert.deepEqual(back.publicips, []);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/recycle-bin/loadbalancers/${String(lb.id)}`)).status, 204);
  });

  test("tenancy: each project has its own bin; another project cannot restore or destroy", async () => {
    assert.equal((await setEnable(true)).status, 200);
    const lb = await newLb("mine");
    await advance(hw, 3600);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    assert.equal(body(await hw.call("GET", `${other}/recycle-bin`), "recycle_bin").enable, false);
    assert.deepEqual((await hw.call("GET", `${other}/recycle-bin/loadbalancers`)).json.loadbalancers, []);
    expectElbError(await hw.call("PUT", `${other}/recycle-bin/loadbalancers/${String(lb.id)}/recover`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${other}/recycle-bin/loadbalancers/${String(lb.id)}`), "ELB.8904", 404);
    assert.deepEqual((await recycled()).map((x) => x.id), [lb.id]);
  });
});
