// ELB log tanks (one a load balancer; the load balancer must exist; deleted with it), through raw signed
// requests, with their error paths and tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { body, elbNetwork, expectElbError, type ElbNet } from "./elb-helpers.ts";

type Row = Record<string, unknown>;
const GROUP = "5b9b8370-a1fc-4c59-a509-483a673c8a94";
const TOPIC = "7a1c1a1e-7d2b-4bb3-8f0b-2c5f2e2c9a10";

describe("ELB log tanks", () => {
  let hw: TestHwlocal;
  let base: string;
  let net: ElbNet;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/elb/v3/${hw.projectId()}/elb`;
    net = await elbNetwork(hw);
  });
  after(() => hw.close());

  const newLb = async (name: string): Promise<string> => {
    const r = await hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { name, availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId } } });
    assert.equal(r.status, 201, r.text);
    return String(body(r, "loadbalancer").id);
  };
  const create = (extra: Row) => hw.call("POST", `${base}/logtanks`, { body: { logtank: { log_group_id: GROUP, log_topic_id: TOPIC, ...extra } } });

  test("create, show, list with filters, update, delete", async () => {
    const lbA = await newLb("a");
    const lbB = await newLb("b");
    const r = await create({ loadbalancer_id: lbA });
    assert.equal(r.status, 201, r.text);
    const t = body(r, "logtank");
    assert.deepEqual(Object.keys(t).sort(), ["id", "loadbalancer_id", "log_group_id", "log_topic_id", "project_id"]);
    assert.equal(t.loadbalancer_id, lbA);
    assert.equal(t.project_id, hw.projectId());
    assert.equal(typeof r.json.request_id, "string");
    const t2 = body(await create({ loadbalancer_id: lbB, log_topic_id: "other-topic" }), "logtank");

    const shown = await hw.call("GET", `${base}/logtanks/${String(t.id)}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(body(shown, "logtank"), t);

    const all = await hw.call("GET", `${base}/logtanks`);
    assert.deepEqual((all.json.logtanks as Row[]).map((x) => x.id), [t.id, t2.id]);
    assert.equal((all.json.page_info as Row).current_count, 2);
    const byLb = await hw.call("GET", `${base}/logtanks?loadbalancer_id=${lbB}`);
    assert.deepEqual((byLb.json.logtanks as Row[]).map((x) => x.id), [t2.id]);
    const byTopic = await hw.call("GET", `${base}/logtanks?log_topic_id=${TOPIC}&log_topic_id=other-topic`);
    assert.equal((byTopic.json.logtanks as Row[]).length, 2);
    const paged = await hw.call("GET", `${base}/logtanks?limit=1`);
    assert.deepEqual((paged.json.logtanks as Row[]).map((x) => x.id), [t.id]);
    assert.equal((paged.json.page_info as Row).next_marker, t.id);
    const next = await hw.call("GET", `${base}/logtanks?limit=1&marker=${String(t.id)}`);
    assert.deepEqual((next.json.logtanks as Row[]).map((x) => x.id), [t2.id]);
    assert.deepEqual((await hw.call("GET", `${base}/logtanks?enterprise_project_id=other`)).json.logtanks, []);

    const upd = await hw.call("PUT", `${base}/logtanks/${String(t.id)}`, { body: { logtank: { log_topic_id: "new-topic" } } });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(body(upd, "logtank").log_topic_id, "new-topic");
    assert.equal(body(upd, "logtank").log_group_id, GROUP);
    assert.equal(body(await hw.call("GET", `${base}/logtanks/${String(t.id)}`), "logtank").log_topic_id, "new-topic");

    assert.equal((await hw.call("DELETE", `${base}/logtanks/${String(t.id)}`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/logtanks/${String(t.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${base}/logtanks/${String(t.id)}`), "ELB.8904", 404);
    // The load balancer is free for a new log tank again.
    assert.equal((await create({ loadbalancer_id: lbA })).status, 201);
  });

  test("error paths: missing fields, unknown load balancer, a second log tank, bad update", async () => {
    const lb = await newLb("c");
    expectElbError(await create({}), "ELB.8902", 400);
    expectElbError(await create({ loadbalancer_id: lb, log_group_id: "" }), "ELB.8902", 400);
    expectElbError(await create({ loadbalancer_id: lb, log_topic_id: undefined }), "ELB.8902", 400);
    expectElbError(await create({ loadbalancer_id: "6f2c8a62-0000-4000-8000-000000000000" }), "ELB.8904", 404);
    const t = body(await create({ loadbalancer_id: lb }), "logtank");
    expectElbError(await create({ loadbalancer_id: lb }), "ELB.8907", 409);
    expectElbError(await hw.call("PUT", `${base}/logtanks/${String(t.id)}`, { body: { logtank: { log_group_id: 7 } } }), "ELB.8902", 400);
    expectElbError(await hw.call("PUT", `${base}/logtanks/nope`, { body: { logtank: {} } }), "ELB.8904", 404);
    expectElbError(await hw.call("GET", `${base}/logtanks?limit=5000`), "ELB.8902", 400);
  });

  test("deleting the load balancer deletes its log tank", async () => {
    const lb = await newLb("d");
    const t = body(await create({ loadbalancer_id: lb }), "logtank");
    assert.equal((await hw.call("DELETE", `${base}/loadbalancers/${lb}`)).status, 204);
    expectElbError(await hw.call("GET", `${base}/logtanks/${String(t.id)}`), "ELB.8904", 404);
  });

  test("tenancy: another project neither sees nor touches a log tank, nor logs a foreign load balancer", async () => {
    const lb = await newLb("e");
    const t = body(await create({ loadbalancer_id: lb }), "logtank");
    const other = `/elb/v3/${hw.projectId("cn-east-3")}/elb`;
    expectElbError(await hw.call("GET", `${other}/logtanks/${String(t.id)}`), "ELB.8904", 404);
    expectElbError(await hw.call("PUT", `${other}/logtanks/${String(t.id)}`, { body: { logtank: { log_topic_id: "x" } } }), "ELB.8904", 404);
    expectElbError(await hw.call("DELETE", `${other}/logtanks/${String(t.id)}`), "ELB.8904", 404);
    assert.deepEqual((await hw.call("GET", `${other}/logtanks`)).json.logtanks, []);
    expectElbError(await hw.call("POST", `${other}/logtanks`, { body: { logtank: { loadbalancer_id: lb, log_group_id: GROUP, log_topic_id: TOPIC } } }), "ELB.8904", 404);
    assert.equal(body(await hw.call("GET", `${base}/logtanks/${String(t.id)}`), "logtank").log_topic_id, TOPIC);
  });
});
