// Smaller VPC groups through the official VPC SDK: v3 extension CIDRs (subnets in them, removal refused
// while used), a port's security groups inserted and removed (v3), batch creation of rules with
// ignore_duplicate, neutron's network IP availability, and v1 flow logs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateFlowLogReq,
  CreateFlowLogReqBody,
  CreateFlowLogRequest,
  CreateSecurityGroupOption,
  CreateSecurityGroupRequest,
  CreateSecurityGroupRequestBody,
  DeleteFlowLogRequest,
  ListFlowLogsRequest,
  ShowFlowLogRequest,
  ShowNetworkIpAvailabilitiesRequest,
  UpdateFlowLogReq,
  UpdateFlowLogReqBody,
  UpdateFlowLogRequest,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import {
  AddExtendCidrOption,
  AddSecurityGroupsRequest,
  AddSecurityGroupsRequestBody,
  AddVpcExtendCidrRequest,
  AddVpcExtendCidrRequestBody,
  BatchCreateSecurityGroupRulesOption,
  BatchCreateSecurityGroupRulesRequest,
  BatchCreateSecurityGroupRulesRequestBody,
  InsertSecurityGroupOption,
  RemoveExtendCidrOption,
  RemoveSecurityGroupOption,
  RemoveSecurityGroupsRequest,
  RemoveSecurityGroupsRequestBody,
  RemoveVpcExtendCidrRequest,
  RemoveVpcExtendCidrRequestBody,
  type VpcClient as VpcV3Client,
} from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const LOG_GROUP = "0b8e4e5a-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
const LOG_TOPIC = "1c9f5f6b-2d3e-4f5a-9bac-1d2e3f4a5b6c";

describe("VPC extras through the SDK", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let v3: VpcV3Client;
  before(async () => {
    hw = await startTestHwlocal();
    v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    v3 = vpcV3Client(hw.url, hw.admin, hw.projectId());
  });
  after(() => hw.close());

  async function newGroup(name: string): Promise<string> {
    const r = wire(await v1.createSecurityGroup(new CreateSecurityGroupRequest().withBody(new CreateSecurityGroupRequestBody().withSecurityGroup(new CreateSecurityGroupOption().withName(name)))));
    return (r.security_group as { id: string }).id;
  }

  test("extension CIDRs: add, a subnet inside one, removal refused while used, overlap refused", async () => {
    const v = await newVpc(v1, "10.20.0.0/16");
    const add = (cidrs: string[]) => v3.addVpcExtendCidr(new AddVpcExtendCidrRequest().withVpcId(v.id).withBody(new AddVpcExtendCidrRequestBody().withVpc(new AddExtendCidrOption().withExtendCidrs(cidrs))));
    const remove = (cidrs: string[]) =>
      v3.removeVpcExtendCidr(new RemoveVpcExtendCidrRequest().withVpcId(v.id).withBody(new RemoveVpcExtendCidrRequestBody().withVpc(new RemoveExtendCidrOption().withExtendCidrs(cidrs))));
    const added = wire(await add(["172.16.0.0/16"])).vpc as Row;
    assert.deepEqual(added.extend_cidrs, ["172.16.0.0/16"]);
    const overlap = await sdkError(add(["10.20.5.0/24"]));
    assert.deepEqual([overlap.httpStatusCode, overlap.errorCode], [400, "VPC.0101"]);
    const s = await newSubnet(v1, { vpcId: v.id, cidr: "172.16.1.0/24", gatewayIp: "172.16.1.1" });
    const used = await sdkError(remove(["172.16.0.0/16"]));
    assert.equal(used.httpStatusCode, 400);
    const notThere = await sdkError(remove(["192.168.0.0/16"]));
    assert.equal(notThere.httpStatusCode, 400);

    const avail = wire(await v1.showNetworkIpAvailabilities(new ShowNetworkIpAvailabilitiesRequest().withNetworkId(s.id))).network_ip_availability as Row;
    assert.deepEqual([avail.total_ips, avail.used_ips], [251, 0]);
    await newPort(v1, s.id);
    const after1 = wire(await v1.showNetworkIpAvailabilities(new ShowNetworkIpAvailabilitiesRequest().withNetworkId(s.id))).network_ip_availability as Row;
    assert.equal(after1.used_ips, 1);
    const noNet = await sdkError(v1.showNetworkIpAvailabilities(new ShowNetworkIpAvailabilitiesRequest().withNetworkId("missing")));
    assert.equal(noNet.httpStatusCode, 404);
  });

  test("a port's security groups: insert at a position, remove, unknown group refused", async () => {
    const v = await newVpc(v1, "10.21.0.0/16");
    const s = await newSubnet(v1, { vpcId: v.id, cidr: "10.21.1.0/24", gatewayIp: "10.21.1.1" });
    const p = await newPort(v1, s.id);
    const [g1, g2] = [await newGroup("sg-one"), await newGroup("sg-two")];
    const before = (p as Row).security_groups as string[];
    const inserted = wire(
      await v3.addSecurityGroups(new AddSecurityGroupsRequest().withPortId(p.id).withBody(new AddSecurityGroupsRequestBody().withPort(new InsertSecurityGroupOption().withSecurityGroups([g1]).withIndex(1)))),
    ).port as Row;
    assert.deepEqual(inserted.security_groups, [g1, ...before]);
    await v3.addSecurityGroups(new AddSecurityGroupsRequest().withPortId(p.id).withBody(new AddSecurityGroupsRequestBody().withPort(new InsertSecurityGroupOption().withSecurityGroups([g2]))));
    const removed = wire(
      await v3.removeSecurityGroups(new RemoveSecurityGroupsRequest().withPortId(p.id).withBody(new RemoveSecurityGroupsRequestBody().withPort(new RemoveSecurityGroupOption().withSecurityGroups([g1])))),
    ).port as Row;
    assert.deepEqual(removed.security_groups, [...before, g2]);
    const unknown = await sdkError(
      v3.addSecurityGroups(new AddSecurityGroupsRequest().withPortId(p.id).withBody(new AddSecurityGroupsRequestBody().withPort(new InsertSecurityGroupOption().withSecurityGroups(["nope"])))),
    );
    assert.deepEqual([unknown.httpStatusCode, unknown.errorCode], [404, "VPC.0603"]);
  });

  test("batch rule creation: all or nothing, ignore_duplicate skips rules the group has", async () => {
    const g = await newGroup("batch");
    const rule = (port: string) => new BatchCreateSecurityGroupRulesOption().withDirection("ingress").withEthertype("IPv4").withProtocol("tcp").withMultiport(port).withRemoteIpPrefix("0.0.0.0/0");
    const call = (rules: BatchCreateSecurityGroupRulesOption[], ignore?: boolean) => {
      let body = new BatchCreateSecurityGroupRulesRequestBody().withSecurityGroupRules(rules);
      if (ignore !== undefined) body = body.withIgnoreDuplicate(ignore);
      return v3.batchCreateSecurityGroupRules(new BatchCreateSecurityGroupRulesRequest().withSecurityGroupId(g).withBody(body));
    };
    const made = wire(await call([rule("22"), rule("443")])).security_group_rules as Row[];
    assert.deepEqual(made.map((r) => r.multiport), ["22", "443"]);
    const dup = await sdkError(call([rule("80"), rule("22")]));
    assert.equal(dup.httpStatusCode, 409);
    const skipped = wire(await call([rule("80"), rule("22")], true)).security_group_rules as Row[];
    assert.deepEqual(skipped.map((r) => r.multiport), ["80"]);
  });

  test("flow logs: create on a VPC, list, show, disable, delete; unknown resources refused", async () => {
    const v = await newVpc(v1, "10.22.0.0/16");
    const opt = (type: string, id: string) =>
      new CreateFlowLogReq().withName("fl-1").withResourceType(type).withResourceId(id).withTrafficType("all").withLogGroupId(LOG_GROUP).withLogTopicId(LOG_TOPIC);
    const created = wire(await v1.createFlowLog(new CreateFlowLogRequest().withBody(new CreateFlowLogReqBody().withFlowLog(opt("vpc", v.id))))).flow_log as Row & { id: string };
    assert.deepEqual([created.status, created.admin_state, created.log_store_type, created.resource_id], ["ACTIVE", true, "lts", v.id]);
    const again = await sdkError(v1.createFlowLog(new CreateFlowLogRequest().withBody(new CreateFlowLogReqBody().withFlowLog(opt("vpc", v.id)))));
    assert.equal(again.httpStatusCode, 400);
    const noPort = await sdkError(v1.createFlowLog(new CreateFlowLogRequest().withBody(new CreateFlowLogReqBody().withFlowLog(opt("port", "missing")))));
    assert.equal(noPort.httpStatusCode, 404);
    const listed = wire(await v1.listFlowLogs(new ListFlowLogsRequest().withResourceType("vpc"))).flow_logs as Row[];
    assert.deepEqual(listed.map((f) => f.id), [created.id]);
    const down = wire(await v1.updateFlowLog(new UpdateFlowLogRequest().withFlowlogId(created.id).withBody(new UpdateFlowLogReqBody().withFlowLog(new UpdateFlowLogReq().withAdminState(false))))).flow_log as Row;
    assert.equal(down.status, "DOWN");
    assert.equal((wire(await v1.showFlowLog(new ShowFlowLogRequest().withFlowlogId(created.id))).flow_log as Row).admin_state, false);
    await v1.deleteFlowLog(new DeleteFlowLogRequest().withFlowlogId(created.id));
    const gone = await sdkError(v1.showFlowLog(new ShowFlowLogRequest().withFlowlogId(created.id)));
    assert.deepEqual([gone.httpStatusCode, gone.errorCode], [404, "VPC.0202"]);
  });
});
