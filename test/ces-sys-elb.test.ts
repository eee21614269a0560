// Cloud Eye's SYS.ELB: every load balancer gets, each minute of hwlocal's clock, ma_normal_servers and
// m9_abnormal_servers from its members' health (ONLINE / OFFLINE), and the connection and traffic metrics at
// an idle load balancer's figures; ListMetrics finds them by namespace, ShowMetricData reads them, and an
// alarm rule on m9_abnormal_servers fires when a member's server stops.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { advance, body, elbNetwork, newServers, serverAddress, stopServer } from "./elb-helpers.ts";

type Row = Record<string, unknown>;

describe("CES SYS.ELB", () => {
  let hw: TestHwlocal;
  let pid: string;
  let lbId: string;
  let server: string;

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 10 }, { clock: new ManualClock(Math.floor(Date.now() / 60_000) * 60_000 + 5_000) });
    pid = hw.projectId();
    const base = `/elb/v3/${pid}/elb`;
    const net = await elbNetwork(hw);
    lbId = String(body(await hw.call("POST", `${base}/loadbalancers`, { body: { loadbalancer: { name: "lb", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: net.subnetCidrId } } }), "loadbalancer").id);
    const [launched] = await newServers(hw, net, 1);
    assert.ok(launched, "a server was launched");
    server = launched;
    await advance(hw, 15);
    const ip = (await serverAddress(hw, server)).ip;
    const pool = body(await hw.call("POST", `${base}/pools`, { body: { pool: { loadbalancer_id: lbId, lb_algorithm: "ROUND_ROBIN", protocol: "TCP" } } }), "pool");
    assert.equal((await hw.call("POST", `${base}/pools/${String(pool.id)}/members`, { body: { member: { protocol_port: 80, subnet_cidr_id: net.subnetCidrId, address: ip } } })).status, 201);
    const hm = await hw.call("POST", `${base}/healthmonitors`, { body: { healthmonitor: { pool_id: pool.id, type: "TCP", delay: 5, timeout: 3, max_retries: 1, max_retries_down: 1 } } });
    assert.equal(hm.status, 201, hm.text);
    // the member's first check passes 5 s on; the minute after that is the first written with it ONLINE
    await advance(hw, 10);
    await advance(hw, 60);
  });
  after(() => hw.close());

  const latest = async (metric: string): Promise<number | undefined> => {
    const now = hw.clock.now();
    const r = await hw.call("GET", `/ces/V1.0/${pid}/metric-data`, {
      query: { namespace: "SYS.ELB", metric_name: metric, "dim.0": `lbaas_instance_id,${lbId}`, from: String(now - 600_000), to: String(now + 1), period: "1", filter: "average" },
    });
    assert.equal(r.status, 200, r.text);
    const points = r.json.datapoints as { average: number; timestamp: number }[];
    return points.sort((a, b) => a.timestamp - b.timestamp).at(-1)?.average;
  };

  test("ListMetrics lists SYS.ELB by load balancer; the healthy and unhealthy member counts follow the servers", async () => {
    const r = await hw.call("GET", `/ces/V1.0/${pid}/metrics`, { query: { namespace: "SYS.ELB" } });
    assert.equal(r.status, 200, r.text);
    const metrics = r.json.metrics as Row[];
    const names = new Set(metrics.map((m) => m.metric_name));
    for (const n of ["ma_normal_servers", "m9_abnormal_servers", "m1_cps", "m7_in_Bps", "m8_out_Bps"]) assert.ok(names.has(n), n);
    assert.deepEqual((metrics[0]!.dimensions as Row[])[0], { name: "lbaas_instance_id", value: lbId });
    assert.equal(await latest("ma_normal_servers"), 1);
    assert.equal(await latest("m9_abnormal_servers"), 0);

    await stopServer(hw, server);
    await advance(hw, 30);
    await advance(hw, 60);
    assert.equal(await latest("ma_normal_servers"), 0);
    assert.equal(await latest("m9_abnormal_servers"), 1);
  });

  test("another project sees no SYS.ELB metrics of this load balancer", async () => {
    const other = hw.projectId("cn-east-3");
    const r = await hw.call("GET", `/ces/V1.0/${other}/metrics`, { query: { namespace: "SYS.ELB" } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.metrics, []);
  });
});
