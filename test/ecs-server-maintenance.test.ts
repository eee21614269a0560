// Host and billing actions through the official ECS SDK: migrate and redeploy (jobs that give a stopped
// server a new host), the crash dump of a running server, OS monitoring, the change to yearly/monthly,
// and the scheduled events API (hwlocal schedules none).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AcceptScheduledEventRequest,
  BatchStopServersOption,
  BatchStopServersRequest,
  BatchStopServersRequestBody,
  ChangeVpcNicBody,
  ChangeVpcRequest,
  ChangeVpcRequestBody,
  ChangeServerChargeModePrepaidOption,
  ChangeServerChargeModeRequest,
  ChangeServerChargeModeRequestBody,
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  type EcsClient,
  ExecuteServerDumpRequest,
  ExecuteServerRedeployRequest,
  ListCloudServersRequest,
  ListScheduledEventsRequest,
  MigrateServerOption,
  MigrateServerRequest,
  MigrateServerRequestBody,
  PostPaidServer,
  PostPaidServerNic,
  PostPaidServerRootVolume,
  RegisterServerMonitorRequest,
  RegisterServerMonitorRequestBody,
  RegisterServerMonitorRequestBodyMonitorMetricsEnum,
  ScheduledEventAcceptBody,
  ScheduledEventUpdateBody,
  ServerId,
  ShowJobRequest,
  ShowServerRequest,
  UpdateScheduledEventRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";

type Row = Record<string, unknown>;

describe("ECS host and billing actions", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let running: string;
  let stopped: string;
  let vpc: ReturnType<typeof vpcClient>;
  let vpcId: string;

  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const job = async (id: string) => wire(await ecs.showJob(new ShowJobRequest().withJobId(id)));
  const server = async (id: string) => wire(await ecs.showServer(new ShowServerRequest().withServerId(id))).server as Row;
  const expectError = async (p: Promise<unknown>, status: number, code: string) => {
    const e = await sdkError(p);
    assert.equal(e.httpStatusCode, status, `${code}: ${e.errorMsg}`);
    assert.equal(e.errorCode, code, e.errorMsg);
  };

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Date.now()) });
    const pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    vpc = vpcClient(hw.url, hw.admin, pid);
    vpcId = (await newVpc(vpc, "192.168.0.0/16", "maint")).id;
    const subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.12.0/24", gatewayIp: "192.168.12.1" })).id;
    const s = new PostPaidServer()
      .withName("maint")
      .withFlavorRef("s6.small.1")
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD"))
      .withCount(2);
    const created = wire(await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s))));
    [running, stopped] = created.serverIds as [string, string];
    await advance(31);
    await ecs.batchStopServers(new BatchStopServersRequest().withBody(new BatchStopServersRequestBody().withOsStop(new BatchStopServersOption().withServers([new ServerId().withId(stopped)]))));
    await advance(31);
  });
  after(() => hw.close());

  test("migrate and redeploy a stopped server to a new host; a running one is refused", async () => {
    const host = (await server(stopped)).hostId;
    const migrate = (id: string, opt?: MigrateServerOption) => {
      const body = new MigrateServerRequestBody();
      if (opt) body.withMigrate(opt);
      return ecs.migrateServer(new MigrateServerRequest().withServerId(id).withBody(body));
    };
    await expectError(migrate(running), 400, "Ecs.0100");
    await expectError(migrate(stopped, new MigrateServerOption().withDedicatedHostId(MISSING)), 400, "Ecs.0005");
    await expectError(migrate(MISSING), 404, "Ecs.0114");
    const moved = wire(await migrate(stopped));
    assert.equal((await server(stopped)).status, "MIGRATING");
    assert.equal((await job(String(moved.job_id))).job_type, "migrateServer");
    await advance(31);
    const after = await server(stopped);
    assert.equal(after.status, "SHUTOFF");
    assert.notEqual(after.hostId, host);

    await expectError(ecs.executeServerRedeploy(new ExecuteServerRedeployRequest().withServerId(running)), 400, "Ecs.0100");
    const redeployed = wire(await ecs.executeServerRedeploy(new ExecuteServerRedeployRequest().withServerId(stopped)));
    await advance(31);
    assert.equal((await job(String(redeployed.job_id))).status, "SUCCESS");
    assert.notEqual((await server(stopped)).hostId, after.hostId);
  });

  test("change VPC: a stopped server's NIC moves by job to the new VPC's subnet; checks", async () => {
    const other = (await newVpc(vpc, "10.8.0.0/16", "other")).id;
    const subnet = (await newSubnet(vpc, { vpcId: other, cidr: "10.8.1.0/24", gatewayIp: "10.8.1.1" })).id;
    const stray = (await newSubnet(vpc, { vpcId, cidr: "192.168.99.0/24", gatewayIp: "192.168.99.1" })).id;
    const change = (id: string, to: string, subnetId: string, ip?: string) => {
      const nic = new ChangeVpcNicBody().withSubnetId(subnetId);
      if (ip) nic.withIpAddress(ip);
      return ecs.changeVpc(new ChangeVpcRequest().withServerId(id).withBody(new ChangeVpcRequestBody().withVpcId(to).withNic(nic)));
    };
    await expectError(change(running, other, subnet), 400, "Ecs.0100");
    await expectError(change(stopped, vpcId, stray), 400, "Ecs.0005");
    await expectError(change(stopped, other, stray), 400, "Ecs.0064");
    await expectError(change(stopped, other, MISSING), 400, "Ecs.0038");
    await expectError(change(stopped, MISSING, subnet), 400, "Ecs.0014");
    // An address taken between the request and the job fails the job; the server keeps its NIC.
    const refused = wire(await change(stopped, other, subnet, "10.8.1.30"));
    await newPort(vpc, subnet, "10.8.1.30");
    await advance(31);
    const failed = await job(String(refused.job_id));
    assert.equal(failed.status, "FAIL");
    assert.equal(((failed.entities as Row).sub_jobs as Row[])[0]!.error_code, "Ecs.0010");
    const kept = await server(stopped);
    assert.deepEqual([Object.keys(kept.addresses as Row), kept["OS-EXT-STS:task_state"]], [[vpcId], null]);
    const moved = wire(await change(stopped, other, subnet, "10.8.1.20"));
    await expectError(change(stopped, other, subnet), 501, "Ecs.0603");
    await advance(31);
    const done = await job(String(moved.job_id));
    assert.deepEqual([done.job_type, done.status], ["changeVpc", "SUCCESS"]);
    const s = await server(stopped);
    assert.deepEqual(Object.keys(s.addresses as Row), [other]);
    assert.equal(((s.addresses as Record<string, Row[]>)[other]![0]!).addr, "10.8.1.20");
    assert.equal((s.metadata as Row).vpc_id, other);
  });

  test("crash dump of a running server; OS monitoring", async () => {
    assert.equal(wire(await ecs.executeServerDump(new ExecuteServerDumpRequest().withServerId(running))).httpStatusCode, 204);
    await expectError(ecs.executeServerDump(new ExecuteServerDumpRequest().withServerId(stopped)), 400, "Ecs.0100");
    const monitor = (id: string) =>
      ecs.registerServerMonitor(new RegisterServerMonitorRequest().withServerId(id).withBody(new RegisterServerMonitorRequestBody().withMonitorMetrics(RegisterServerMonitorRequestBodyMonitorMetricsEnum.Empty)));
    assert.equal(wire(await monitor(running)).httpStatusCode, 204);
    await expectError(monitor(MISSING), 404, "Ecs.0114");
  });

  test("change to yearly/monthly: an order, charging_mode 1, the v1.1 filter; errors", async () => {
    const change = (ids: string[], periodNum = "1") =>
      ecs.changeServerChargeMode(
        new ChangeServerChargeModeRequest().withBody(
          new ChangeServerChargeModeRequestBody()
            .withChargeMode("prePaid")
            .withServerIds(ids)
            .withPrepaidOptions(new ChangeServerChargeModePrepaidOption().withPeriodType("month").withPeriodNum(periodNum).withAutoPay(true)),
        ),
      );
    await expectError(change([running], "12"), 400, "Ecs.0005");
    await expectError(change([running, MISSING]), 404, "Ecs.0614");
    const order = wire(await change([running]));
    assert.match(String(order.order_id), /^CS[0-9A-F]{16}$/);
    assert.equal(((await server(running)).metadata as Row).charging_mode, "1");
    await expectError(change([running]), 400, "Ecs.0005");
    const prepaid = wire(await ecs.listCloudServers(new ListCloudServersRequest().withChargingMode("prePaid"))).servers as Row[];
    assert.deepEqual(prepaid.map((s) => [s.id, (s.market_info as Row).charge_mode]), [[running, "prePaid"]]);
  });

  test("scheduled events: none are scheduled; accepting or moving one is a 404", async () => {
    const events = wire(await ecs.listScheduledEvents(new ListScheduledEventsRequest().withType(["instance_redeploy"]).withLimit(10)));
    assert.deepEqual(events.events, []);
    await expectError(ecs.listScheduledEvents(new ListScheduledEventsRequest().withType(["instance_explode"])), 400, "Ecs.0005");
    const later = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19) + "Z";
    await expectError(ecs.acceptScheduledEvent(new AcceptScheduledEventRequest().withId("ev-1").withBody(new ScheduledEventAcceptBody().withNotBefore(later))), 404, "Ecs.0005");
    await expectError(ecs.updateScheduledEvent(new UpdateScheduledEventRequest().withId("ev-1").withBody(new ScheduledEventUpdateBody().withNotBefore(later))), 404, "Ecs.0005");
    await expectError(ecs.updateScheduledEvent(new UpdateScheduledEventRequest().withId("ev-1").withBody(new ScheduledEventUpdateBody().withNotBefore("soon"))), 400, "Ecs.0005");
  });
});
