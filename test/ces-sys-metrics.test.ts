// Cloud Eye's SYS namespaces for the services hwlocal serves: an AS group's servers get SYS.ECS, the group
// SYS.AS, and each server's disks SYS.EVS (disk_name "<server>-<device>") every minute of hwlocal's clock;
// ListMetrics finds them by namespace and ShowMetricData reads them. The agent (v3 invocations and status,
// v2 agent dimensions) on that server, on hwlocal's clock.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { asNetwork } from "./helpers/as.ts";

type Row = Record<string, unknown>;

describe("CES SYS namespaces", () => {
  let hw: TestHwlocal;
  let pid: string;
  let server: string;
  const advance = async (seconds: number) =>
    assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Math.floor(Date.now() / 60_000) * 60_000 + 5_000) });
    pid = hw.projectId();
    const base = `/as/autoscaling-api/v1/${pid}`;
    const { vpcId, subnetId, configId } = await asNetwork(hw, pid);
    const g = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: "disks", scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 0, max_instance_number: 2, desire_instance_number: 1 },
    });
    assert.equal(g.status, 200, g.text);
    const groupId = g.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${groupId}/action`, { body: { action: "resume" } })).status, 204);
    await advance(1);
    await advance(60);
    const list = await hw.call("GET", `${base}/scaling_group_instance/${groupId}/list`);
    server = ((list.json.scaling_group_instances as Row[])[0]!).instance_id as string;
    await advance(60);
  });
  after(() => hw.close());

  test("SYS.EVS per attached disk, SYS.ECS and SYS.AS, listed by namespace and readable", async () => {
    const metrics = async (namespace: string) => {
      const r = await hw.call("GET", `/ces/V1.0/${pid}/metrics`, { query: { namespace } });
      assert.equal(r.status, 200, r.text);
      return r.json.metrics as Row[];
    };
    const evs = await metrics("SYS.EVS");
    const names = new Set(evs.map((m) => m.metric_name));
    assert.ok(names.has("disk_device_io_util") && names.has("disk_device_read_bytes_rate"), JSON.stringify([...names]));
    const dims = evs.map((m) => ((m.dimensions as Row[])[0]!).value as string);
    assert.ok(dims.every((d) => d.startsWith(`${server}-vd`)), JSON.stringify(dims));
    assert.equal((evs[0]!.dimensions as Row[])[0]!.name, "disk_name");
    assert.ok((await metrics("SYS.ECS")).some((m) => m.metric_name === "cpu_util"));
    assert.ok((await metrics("SYS.AS")).some((m) => m.metric_name === "instance_num"));

    const now = hw.clock.now();
    const data = await hw.call("GET", `/ces/V1.0/${pid}/metric-data`, {
      query: { namespace: "SYS.EVS", metric_name: "disk_device_io_util", "dim.0": `disk_name,${dims[0]}`, from: String(now - 600_000), to: String(now + 1), period: "1", filter: "average" },
    });
    assert.equal(data.status, 200, data.text);
    const points = data.json.datapoints as Row[];
    assert.ok(points.length >= 1);
    assert.deepEqual([points.at(-1)!.average, points.at(-1)!.unit], [0, "%"]);
    const other = await hw.call("GET", `/ces/V1.0/${hw.projectId("cn-east-3")}/metrics`, { query: { namespace: "SYS.EVS" } });
    assert.equal((other.json.metrics as Row[]).length, 0, "another project sees none of them");
  });

  test("agent: install invocation runs then succeeds, status, dimensions, errors", async () => {
    const v3 = `/ces/v3/${pid}`;
    const dims = (dim_name: string) => hw.call("GET", `/ces/v2/${pid}/instances/${server}/agent-dimensions`, { query: { dim_name } });
    assert.equal(((await dims("disk")).json.count), 0, "no agent, no dimensions");
    const made = await hw.call("POST", `${v3}/agent-invocations/batch-create`, { body: { instance_ids: [server, "no-such-server"], invocation_type: "INSTALL", invocation_target: "telescope" } });
    assert.equal(made.status, 200, made.text);
    const [ok, bad] = made.json.invocations as Row[];
    assert.deepEqual([ok!.ret_status, bad!.ret_status, bad!.error_code], ["successful", "error", "ces.0016"]);
    const again = await hw.call("POST", `${v3}/agent-invocations/batch-create`, { body: { instance_ids: [server], invocation_type: "INSTALL" } });
    assert.equal(((again.json.invocations as Row[])[0]!).error_code, "ces.0014", "one invocation at a time");
    const list = async () => (await hw.call("GET", `${v3}/agent-invocations`, { query: { instance_id: server } })).json.invocations as Row[];
    assert.equal((await list())[0]!.invocation_status, "RUNNING");
    const status = async () => ((await hw.call("POST", `${v3}/agent-status/batch-query`, { body: { instance_ids: [server] } })).json.agent_status as Row[])[0]!;
    assert.equal((await status()).uniagent_status, "none");
    await advance(61);
    assert.deepEqual([(await list())[0]!.invocation_status, (await list())[0]!.current_version], ["SUCCEEDED", "2.7.2"]);
    const st = await status();
    assert.deepEqual([st.uniagent_status, ((st.extensions as Row[])[0]!).name], ["running", "telescope"]);
    const disk = await dims("disk");
    assert.equal(disk.status, 200, disk.text);
    const d = (disk.json.dimensions as Row[])[0]!;
    assert.match(String(d.origin_value), /^vd[a-z]$/);
    assert.match(String(d.value), /^[0-9a-f]{32}$/);
    assert.deepEqual(((await dims("mount_point")).json.dimensions as Row[]).map((x) => x.origin_value), ["/"]);
    assert.equal((await dims("cpu")).status, 400);
    assert.equal((await hw.call("GET", `/ces/v2/${pid}/instances/nosuch/agent-dimensions`, { query: { dim_name: "disk" } })).json.error_code, "ces.0016");
    assert.equal((await hw.call("POST", `${v3}/agent-status/batch-query`, { body: { instance_ids: [] } })).status, 400);
  });
});
