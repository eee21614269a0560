// ELB jobs (ListJobs/ShowJob over the jobs restores leave) and member health-check jobs (config, ACL and
// security-group groups; the config check sees the listener → pool link and the health monitor), through
// raw signed requests, with error paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { advance, body, elbNetwork, expectElbError, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("ELB jobs and member health-check jobs", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
  });
  after(() => hw.close());

  const post = async (path: string, key: string, payload: Row): Promise<Row> => {
    const r = await hw.call("POST", `${base}/${path}`, { body: { [key]: payload } });
    assert.equal(r.status, 201, r.text);
    return body(r, key);
  };
  const newLb = (name: string) => post("loadbalancers", "loadbalancer", { name, availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId });

  /** A load balancer deleted into the bin and restored: the restore's job id. */
  const restoreJob = async (name: string): Promise<{ jobId: string; lbId: string }> => {
    const lb = await newLb(name);
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${String(lb.id)}`)).status, 204);
    const r = await hw.call("PUT", `${base}/recycle-bin/loadbalancers/${String(lb.id)}/recover`);
    assert.equal(r.status, 200, r.text);
    return { jobId: String(r.json.job_id), lbId: String(lb.id) };
  };

  test("ListJobs and ShowJob: filters, paging, begin_time, 404", async () => {
    assert.deepEqual((await hw.call("GET", `${base}/jobs`)).json.jobs, []);
    assert.equal((await hw.call("PUT", `${base}/recycle-bin`, { body: { recycle_bin: { enable: true } } })).status, 200);
    const a = await restoreJob("a");
    await advance(hw, 120);
    const b = await restoreJob("b");

    const show = await hw.call("GET", `${base}/jobs/${a.jobId}`);
    assert.equal(show.status, 200, show.text);
    const job = body(show, "job");
    assert.equal(job.job_id, a.jobId);
    assert.equal(job.status, "SUCCESS");
    assert.equal(job.project_id, hw.projectId());
    assert.equal(job.resource_id, a.lbId);
    assert.equal(job.begin_time, job.end_time);
    assert.match(String(job.begin_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const subs = job.sub_jobs as Row[];
    assert.equal(subs.length, 1);
    assert.deepEqual(subs[0]?.entities, [{ resource_id: a.lbId, resource_type: "loadbalancer" }]);

    const all = await hw.call("GET", `${base}/jobs`);
    assert.deepEqual((all.json.jobs as Row[]).map((j) => j.job_id), [a.jobId, b.jobId]);
    const ids = async (q: string) => ((await hw.call("GET", `${base}/jobs?${q}`)).json.jobs as Row[]).map((j) => j.job_id);
    assert.deepEqual(await ids(`resource_id=${b.lbId}`), [b.jobId]);
    assert.deepEqual(await ids(`job_id=${a.jobId}`), [a.jobId]);
    assert.deepEqual(await ids("status=SUCCESS"), [a.jobId, b.jobId]);
    assert.deepEqual(await ids("status=FAIL"), []);
    assert.deepEqual(await ids(`job_type=${String(job.job_type)}`), [a.jobId, b.jobId]);
    assert.deepEqual(await ids("job_type=cloneLoadbalancer"), []);
    const bBegin = String(body(await hw.call("GET", `${base}/jobs/${b.jobId}`), "job").begin_time).replace(/Z$/, "");
    assert.deepEqual(await ids(`begin_time=${bBegin}`), [b.jobId]);
    assert.deepEqual(await ids("limit=1"), [a.jobId]);
    assert.deepEqual(await ids(`limit=1&marker=${a.jobId}`), [b.jobId]);
    expectElbError(await hw.call("GET", `${base}/jobs?begin_time=yesterday`), "ELB.8902", 400);
    expectElbError(await hw.call("GET", `${base}/jobs?marker=nope`), "ELB.8902", 400);
    expectElbError(await hw.call("GET", `${base}/jobs/6f2c8a62-0000-4000-8000-000000000000`), "ELB.8904", 404);

    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/jobs/${a.jobId}`), "ELB.8904", 404);
    assert.deepEqual((await hw.call("GET", `${other}/jobs`)).json.jobs, []);
  });

  test("member health-check jobs: config finds a missing monitor and a listener not reaching the pool", async () => {
    const lb = await newLb("checked");
    const listener = await post("listeners", "listener", { loadbalancer_id: lb.id, protocol: "TCP", protocol_port: 80 });
    const idle = await post("listeners", "listener", { loadbalancer_id: lb.id, protocol: "TCP", protocol_port: 81 });
    const pool = await post("pools", "pool", { listener_id: listener.id, lb_algorithm: "ROUND_ROBIN", protocol: "TCP" });
    const member = await post(`pools/${String(pool.id)}/members`, "member", { address: "10.0.1.10", protocol_port: 80, subnet_cidr_id: net.subnetCidrId });
    const check = (memberId: unknown, payload: Row) => hw.call("POST", `${base}/members/${String(memberId)}/health-check`, { body: { member_check: payload } });
    const run = async (payload: Row): Promise<Row> => {
      const c = await check(member.id, payload);
      assert.equal(c.status, 201, c.text);
      const jobId = (c.json.member_check as Row).job_id;
      const s = await hw.call("GET", `${base}/members/check/jobs/${String(jobId)}`);
      assert.equal(s.status, 200, s.text);
      const mc = body(s, "member_check");
      assert.equal(mc.job_id, jobId);
      assert.equal(mc.status, "processed");
      assert.equal(mc.member_id, member.id);
      return mc;
    };

    const noMonitor = await run({ listener_id: listener.id, subject: "config" });
    assert.equal(noMonitor.check_item_total_num, 1);
    assert.equal(noMonitor.check_item_finished_num, 1);
    const config = (noMonitor.result as Row).config as Row;
    assert.equal(config.check_result, false);
    assert.equal(config.check_status, "processed");
    const items = config.check_items as Row[];
    assert.deepEqual(items.map((i) => [i.name, i.subject, i.severity]), [["healthmonitor", "config", "Major"]]);
    assert.deepEqual(items[0]?.reason_params, [pool.id]);
    assert.equal(items[0]?.job_id, noMonitor.job_id);

    await post("healthmonitors", "healthmonitor", { pool_id: pool.id, type: "TCP", delay: 5, timeout: 3, max_retries: 2 });
    const all = await run({ listener_id: listener.id, subject: "all" });
    assert.equal(all.check_item_total_num, 3);
    const result = all.result as Record<string, Row>;
    assert.deepEqual(Object.keys(result).sort(), ["acl", "config", "security_group"]);
    for (const g of Object.values(result)) assert.equal(g.check_result, true);

    const wrongListener = await run({ listener_id: idle.id, subject: "config" });
    const wl = ((wrongListener.result as Row).config as Row).check_items as Row[];
    assert.deepEqual(wl.map((i) => i.name), ["listener_pool"]);
    const sg = await run({ listener_id: listener.id, subject: "securityGroup" });
    assert.deepEqual(Object.keys(sg.result as Row), ["security_group"]);

    expectElbError(await check(member.id, { listener_id: listener.id, subject: "everything" }), "ELB.8902", 400);
    expectElbError(await check(member.id, { subject: "all" }), "ELB.8902", 400);
    expectElbError(await check("6f2c8a62-0000-4000-8000-000000000000", { listener_id: listener.id, subject: "all" }), "ELB.8904", 404);
    expectElbError(await check(member.id, { listener_id: "6f2c8a62-0000-4000-8000-000000000000", subject: "all" }), "ELB.8904", 404);
    const lb2 = await newLb("elsewhere");
    const foreign = await post("listeners", "listener", { loadbalancer_id: lb2.id, protocol: "TCP", protocol_port: 80 });
    expectElbError(await check(member.id, { listener_id: foreign.id, subject: "all" }), "ELB.8902", 400);
    expectElbError(await hw.call("GET", `${base}/members/check/jobs/nope`), "ELB.8904", 404);

    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/members/check/jobs/${String(all.job_id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("POST", `${other}/members/${String(member.id)}/health-check`, { body: { member_check: { listener_id: listener.id, subject: "all" } } }), "ELB.8904", 404);
  });
});
