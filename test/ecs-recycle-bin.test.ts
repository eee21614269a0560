// The recycle bin through the official ECS SDK: its switch and policy, DeleteServers putting servers in
// the bin (stopped, no longer shown by the server APIs), listing them, reverting one, purging another.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  DeleteRecycleBinServerRequest,
  DeleteServersRequest,
  DeleteServersRequestBody,
  type EcsClient,
  ListCloudServersRequest,
  ListRecycleBinServersRequest,
  ListServersDetailsRequest,
  PostPaidServer,
  PostPaidServerNic,
  PostPaidServerRootVolume,
  RevertRecycleBinServerRequest,
  ServerId,
  ShowJobRequest,
  ShowRecycleBinRequest,
  ShowServerRequest,
  UpdateRecycleBinOption,
  UpdateRecycleBinPolicyOption,
  UpdateRecycleBinPolicyReq,
  UpdateRecycleBinPolicyRequest,
  UpdateRecycleBinReq,
  UpdateRecycleBinRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";

type Row = Record<string, unknown>;

describe("ECS recycle bin", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let vpcId: string;
  let subnetId: string;

  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const job = async (id: string) => wire(await ecs.showJob(new ShowJobRequest().withJobId(id)));
  const expectError = async (p: Promise<unknown>, status: number, code: string) => {
    const e = await sdkError(p);
    assert.equal(e.httpStatusCode, status, `${code}: ${e.errorMsg}`);
    assert.equal(e.errorCode, code, e.errorMsg);
  };
  const bin = async () => wire(await ecs.showRecycleBin(new ShowRecycleBinRequest()));
  const inBin = async () => (wire(await ecs.listRecycleBinServers(new ListRecycleBinServersRequest())).servers as Row[]).map((s) => s.id);
  const listed = async () => (wire(await ecs.listServersDetails(new ListServersDetailsRequest())).servers as Row[]).map((s) => s.id);
  const newServers = async (count: number): Promise<string[]> => {
    const s = new PostPaidServer()
      .withName("bin")
      .withFlavorRef("s6.small.1")
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD"))
      .withCount(count);
    const created = wire(await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s))));
    await advance(31);
    return created.serverIds as string[];
  };
  const remove = async (ids: string[]) => {
    const r = wire(await ecs.deleteServers(new DeleteServersRequest().withBody(new DeleteServersRequestBody().withServers(ids.map((id) => new ServerId().withId(id))))));
    await advance(31);
    return String(r.job_id);
  };
  const policy = (retention: number, threshold: number) =>
    ecs.updateRecycleBinPolicy(
      new UpdateRecycleBinPolicyRequest().withBody(new UpdateRecycleBinPolicyReq().withPolicy(new UpdateRecycleBinPolicyOption().withRetentionHour(retention).withRecycleThresholdDay(threshold))),
    );
  const turn = (on: "on" | "off") => ecs.updateRecycleBin(new UpdateRecycleBinRequest().withBody(new UpdateRecycleBinReq().withRecycleBin(new UpdateRecycleBinOption().withSwitch(on))));

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Date.now()) });
    const pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    const vpc = vpcClient(hw.url, hw.admin, pid);
    vpcId = (await newVpc(vpc, "192.168.0.0/16", "bin")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.13.0/24", gatewayIp: "192.168.13.1" })).id;
  });
  after(() => hw.close());

  test("switch and policy; deleted servers in the bin; revert; purge", async () => {
    const pid = hw.projectId();
    assert.deepEqual(await bin(), { httpStatusCode: 200, project_id: pid, switch: "off", policy: { recycle_threshold_day: 7, retention_hour: 24 } });
    await expectError(policy(0, 7), 400, "Ecs.0005");
    await expectError(turn("maybe" as "on"), 400, "Ecs.0005");

    // Off, or a server younger than the threshold: deleted for good.
    const [young] = await newServers(1);
    await turn("on");
    await remove([young!]);
    await expectError(ecs.showServer(new ShowServerRequest().withServerId(young!)), 404, "Ecs.0114");
    assert.deepEqual(await inBin(), []);

    await policy(2, 0);
    assert.deepEqual((await bin()).policy, { recycle_threshold_day: 0, retention_hour: 2 });
    assert.equal((await bin()).switch, "on");
    const [a, b] = await newServers(2);
    const jobId = await remove([a!, b!]);
    assert.equal((await job(jobId)).status, "SUCCESS");
    assert.deepEqual(new Set(await inBin()), new Set([a, b]));
    const recycled = (wire(await ecs.listRecycleBinServers(new ListRecycleBinServersRequest().withLimit(1))).servers as Row[])[0]!;
    assert.equal(recycled.status, "SHUTOFF");
    assert.ok(!(await listed()).includes(a));
    const v11 = wire(await ecs.listCloudServers(new ListCloudServersRequest().withInRecycleBin(true))).servers as Row[];
    assert.deepEqual(new Set(v11.map((s) => s.id)), new Set([a, b]));
    assert.ok(v11.every((s) => s.in_recycle_bin === true));
    await expectError(ecs.showServer(new ShowServerRequest().withServerId(a!)), 404, "Ecs.0114");

    const reverted = wire(await ecs.revertRecycleBinServer(new RevertRecycleBinServerRequest().withServerId(a!)));
    await advance(31);
    assert.equal((await job(String(reverted.job_id))).status, "SUCCESS");
    assert.equal((wire(await ecs.showServer(new ShowServerRequest().withServerId(a!))).server as Row).status, "SHUTOFF");
    assert.deepEqual(await inBin(), [b]);
    await expectError(ecs.revertRecycleBinServer(new RevertRecycleBinServerRequest().withServerId(a!)), 404, "Ecs.0114");

    const purged = wire(await ecs.deleteRecycleBinServer(new DeleteRecycleBinServerRequest().withServerId(b!)));
    await advance(31);
    assert.equal((await job(String(purged.job_id))).status, "SUCCESS");
    assert.deepEqual(await inBin(), []);
    await expectError(ecs.deleteRecycleBinServer(new DeleteRecycleBinServerRequest().withServerId(b!)), 404, "Ecs.0114");
    await expectError(ecs.deleteRecycleBinServer(new DeleteRecycleBinServerRequest().withServerId(MISSING)), 404, "Ecs.0114");

    await turn("off");
    assert.equal((await bin()).switch, "off");
  });
});
