// Lifecycle fault rules (effect "job"): the job fails with the rule's code and its resource ends where the
// cloud leaves it after such a failure: an ECS server in ERROR with the rule's message as its fault, an EVS
// volume in error / error_extending, an AS scaling activity FAIL with the rule's code in its description
// (and no server launched).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../src/kernel/clock.ts";
import { asNetwork, UBUNTU } from "./helpers/as.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

describe("lifecycle fault rules", () => {
  let hw: TestHwlocal;
  let pid: string;
  const add = (rule: Json) => hw.call("POST", "/_hwlocal/faults", { creds: null, body: rule });
  const clear = () => hw.call("DELETE", "/_hwlocal/faults", { creds: null });
  const advance = async (seconds: number) => assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
  const volume = async (id: string) => (await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`)).json.volume as Json;
  const job = async (id: unknown) => (await hw.call("GET", `/evs/v1/${pid}/jobs/${String(id)}`)).json;
  const newVolume = async () => {
    const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 10 } } });
    assert.equal(r.status, 202, r.text);
    return r.json;
  };

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId();
  });
  after(() => hw.close());

  test("a failed createVolume job leaves its volume in error; a failed extendVolume leaves error_extending at the old size", async () => {
    await add({ service: "evs", times: 1, effect: { type: "job", job_type: "createVolume", error_code: "EVS.2024", error_msg: "Insufficient capacity." } });
    const failed = await newVolume();
    await advance(10);
    assert.equal((await job(failed.job_id)).status, "FAIL");
    const [failedId] = failed.volume_ids as string[];
    assert.equal((await volume(String(failedId))).status, "error");

    const ok = await newVolume();
    await advance(10);
    const [id] = ok.volume_ids as string[];
    assert.equal((await volume(String(id))).status, "available", "the rule was spent after one match");
    await add({ service: "evs", resource: String(id), effect: { type: "job", job_type: "extendVolume", error_code: "EVS.5400", error_msg: "Extending the disk failed." } });
    const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes/${String(id)}/action`, { body: { "os-extend": { new_size: 20 } } });
    assert.equal(r.status, 202, r.text);
    await advance(10);
    const j = await job(r.json.job_id);
    assert.deepEqual([j.status, j.error_code, j.fail_reason], ["FAIL", "EVS.5400", "Extending the disk failed."]);
    const v = await volume(String(id));
    assert.deepEqual([v.status, v.size], ["error_extending", 10]);
    await clear();
  });

  test("a failed createSingleServer job leaves its server in ERROR with the rule's message as its fault", async () => {
    const { vpcId, subnetId } = await asNetwork(hw);
    await add({ service: "ecs", times: 1, effect: { type: "job", job_type: "createSingleServer", error_code: "Ecs.0013", error_msg: "Insufficient EIP quota." } });
    const r = await hw.call("POST", `/ecs/v1/${pid}/cloudservers`, {
      body: { server: { name: "doomed", flavorRef: "s6.small.1", imageRef: UBUNTU, vpcid: vpcId, nics: [{ subnet_id: subnetId }], root_volume: { volumetype: "SSD" } } },
    });
    assert.equal(r.status, 200, r.text);
    await advance(5);
    const job = (await hw.call("GET", `/ecs/v1/${pid}/jobs/${String(r.json.job_id)}`)).json;
    assert.equal(job.status, "FAIL");
    const [serverId] = r.json.serverIds as string[];
    const server = (await hw.call("GET", `/ecs/v1/${pid}/cloudservers/${String(serverId)}`)).json.server as Json;
    assert.equal(server.status, "ERROR");
    assert.equal((server.fault as Json).message, "Insufficient EIP quota.");
    await clear();
  });

  test("a SCALE_OUT rule fails the AS scaling activity with its code, launching nothing", async () => {
    const { vpcId, subnetId, configId } = await asNetwork(hw);
    const base = `/as/autoscaling-api/v1/${pid}`;
    await add({ service: "as", times: 1, effect: { type: "job", job_type: "SCALE_OUT", error_code: "AS.0001", error_msg: "Scaling out failed." } });
    const servers = async () => (await hw.call("GET", `/ecs/v1/${pid}/cloudservers/detail`)).json.count as number;
    const before = await servers();
    const g = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: "faulted", scaling_configuration_id: configId, vpc_id: vpcId, networks: [{ id: subnetId }], min_instance_number: 0, max_instance_number: 4, desire_instance_number: 1 },
    });
    assert.equal(g.status, 200, g.text);
    const id = g.json.scaling_group_id as string;
    assert.equal((await hw.call("POST", `${base}/scaling_group/${id}/action`, { body: { action: "resume" } })).status, 204);
    await advance(1);
    const logs = (await hw.call("GET", `${base}/scaling_activity_log/${id}`)).json.scaling_activity_log as Json[];
    assert.equal(logs.length, 1);
    assert.equal(logs[0]?.status, "FAIL");
    assert.equal(logs[0]?.instance_added_list, null);
    assert.match(String(logs[0]?.description), /AS\.0001: Scaling out failed\./);
    assert.equal(await servers(), before, "no server launched");
    const [rule] = (await hw.call("GET", "/_hwlocal/faults", { creds: null })).json.faults as Json[];
    assert.equal(rule?.hits, 1);
    // after the cool-down, the next activity (the rule spent) launches the server
    await advance(400);
    const again = (await hw.call("GET", `${base}/scaling_activity_log/${id}`)).json.scaling_activity_log as Json[];
    assert.equal(again.length, 2);
    assert.notEqual(again[0]?.status, "FAIL");
    await clear();
  });
});
