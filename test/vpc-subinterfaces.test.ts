// Sub-network interfaces and CloudDCN subnets through the official VPC SDK (v3): VLANs under a parent
// port, addresses allocated in the subnet, batch creation, count, update, migration to another parent, the
// parent port kept while it has sub-interfaces; CloudDCN subnets inside the VPC with their tags.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DeletePortRequest, type VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import {
  AddClouddcnSubnetsTagsRequest,
  AddResourceTagsRequestBody,
  AddResourceTagsRequestBodyTag,
  BatchCreateClouddcnSubnetsTagsRequest,
  BatchCreateRequestBody,
  BatchCreateRequestBodyTags,
  BatchCreateSubNetworkInterfaceOption,
  BatchCreateSubNetworkInterfaceRequest,
  BatchCreateSubNetworkInterfaceRequestBody,
  BatchDeleteClouddcnSubnetsTagsRequest,
  BatchDeleteRequestBody,
  CreateClouddcnSubnetOption,
  CreateClouddcnSubnetRequest,
  CreateClouddcnSubnetRequestBody,
  CreateSubNetworkInterfaceOption,
  CreateSubNetworkInterfaceRequest,
  CreateSubNetworkInterfaceRequestBody,
  DeleteClouddcnSubnetRequest,
  DeleteClouddcnSubnetsTagRequest,
  DeleteSubNetworkInterfaceRequest,
  ListClouddcnSubnetsCountFilterTagsRequest,
  ListClouddcnSubnetsFilterTagsRequest,
  ListClouddcnSubnetsRequest,
  ListClouddcnSubnetsTagsRequest,
  ListResourcesByTagsRequestBody,
  ListSubNetworkInterfacesRequest,
  MigrateSubNetworkInterfaceOption,
  MigrateSubNetworkInterfaceRequest,
  MigrateSubNetworkInterfaceRequestBody,
  ResourceTags,
  ShowClouddcnSubnetRequest,
  ShowClouddcnSubnetsTagsRequest,
  ShowSubNetworkInterfaceRequest,
  ShowSubNetworkInterfacesQuantityRequest,
  UpdateClouddcnSubnetOption,
  UpdateClouddcnSubnetRequest,
  UpdateClouddcnSubnetRequestBody,
  UpdateSubNetworkInterfaceOption,
  UpdateSubNetworkInterfaceRequest,
  UpdateSubNetworkInterfaceRequestBody,
  type VpcClient as VpcV3Client,
} from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;

describe("sub-network interfaces and CloudDCN subnets through the SDK", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let v3: VpcV3Client;
  let vpcId: string;
  let subnetId: string;
  before(async () => {
    hw = await startTestHwlocal();
    v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    v3 = vpcV3Client(hw.url, hw.admin, hw.projectId());
    vpcId = (await newVpc(v1, "10.30.0.0/16")).id;
    subnetId = (await newSubnet(v1, { vpcId, cidr: "10.30.1.0/24", gatewayIp: "10.30.1.1" })).id;
  });
  after(() => hw.close());

  test("create with a VLAN and an address, batch create, list, count, update, migrate, delete", async () => {
    const parent = await newPort(v1, subnetId);
    const other = await newPort(v1, subnetId);
    const create = (opt: CreateSubNetworkInterfaceOption) => v3.createSubNetworkInterface(new CreateSubNetworkInterfaceRequest().withBody(new CreateSubNetworkInterfaceRequestBody().withSubNetworkInterface(opt)));
    const sub = wire(await create(new CreateSubNetworkInterfaceOption().withVirsubnetId(subnetId).withParentId(parent.id).withVlanId("100").withPrivateIpAddress("10.30.1.50").withDescription("vlan100")))
      .sub_network_interface as Row & { id: string };
    assert.deepEqual([sub.vlan_id, sub.private_ip_address, sub.parent_id, sub.vpc_id, sub.state], [100, "10.30.1.50", parent.id, vpcId, "ACTIVE"]);
    const dupVlan = await sdkError(create(new CreateSubNetworkInterfaceOption().withVirsubnetId(subnetId).withParentId(parent.id).withVlanId("100")));
    assert.equal(dupVlan.httpStatusCode, 409);
    const takenIp = await sdkError(create(new CreateSubNetworkInterfaceOption().withVirsubnetId(subnetId).withParentId(parent.id).withPrivateIpAddress("10.30.1.50")));
    assert.equal(takenIp.httpStatusCode, 409);
    const noParent = await sdkError(create(new CreateSubNetworkInterfaceOption().withVirsubnetId(subnetId).withParentId("missing")));
    assert.equal(noParent.httpStatusCode, 404);

    const batch = wire(
      await v3.batchCreateSubNetworkInterface(
        new BatchCreateSubNetworkInterfaceRequest().withBody(
          new BatchCreateSubNetworkInterfaceRequestBody().withCount(2).withSubNetworkInterface(new BatchCreateSubNetworkInterfaceOption().withVirsubnetId(subnetId).withParentId(parent.id)),
        ),
      ),
    ).sub_network_interfaces as Row[];
    assert.deepEqual(batch.map((s) => s.vlan_id), [1, 2]);
    assert.equal(wire(await v3.showSubNetworkInterfacesQuantity(new ShowSubNetworkInterfacesQuantityRequest())).sub_network_interfaces, 3);
    const listed = wire(await v3.listSubNetworkInterfaces(new ListSubNetworkInterfacesRequest().withParentId([parent.id]).withLimit(2)));
    assert.equal((listed.sub_network_interfaces as Row[]).length, 2);
    assert.equal((listed.page_info as Row).next_marker, (batch[0] as Row).id);

    // The parent port cannot go while it has sub-interfaces.
    const parentBusy = await sdkError(v1.deletePort(new DeletePortRequest().withPortId(parent.id)));
    assert.equal(parentBusy.httpStatusCode, 409);

    const updated = wire(
      await v3.updateSubNetworkInterface(
        new UpdateSubNetworkInterfaceRequest().withSubNetworkInterfaceId(sub.id).withBody(new UpdateSubNetworkInterfaceRequestBody().withSubNetworkInterface(new UpdateSubNetworkInterfaceOption().withDescription("renamed"))),
      ),
    ).sub_network_interface as Row;
    assert.equal(updated.description, "renamed");
    const moved = wire(
      await v3.migrateSubNetworkInterface(
        new MigrateSubNetworkInterfaceRequest().withBody(
          new MigrateSubNetworkInterfaceRequestBody().withMigrationInfo(new MigrateSubNetworkInterfaceOption().withParentId(other.id).withSubNetworkInterfaces([{ id: sub.id }])),
        ),
      ),
    ).sub_network_interfaces as Row[];
    assert.deepEqual(moved.map((s) => [s.id, s.parent_id, s.vlan_id]), [[sub.id, other.id, 100]]);

    for (const s of [sub, ...batch]) await v3.deleteSubNetworkInterface(new DeleteSubNetworkInterfaceRequest().withSubNetworkInterfaceId(String(s.id)));
    const gone = await sdkError(v3.showSubNetworkInterface(new ShowSubNetworkInterfaceRequest().withSubNetworkInterfaceId(sub.id)));
    assert.deepEqual([gone.httpStatusCode, gone.errorCode], [404, "VPC.0202"]);
    await v1.deletePort(new DeletePortRequest().withPortId(parent.id));
  });

  test("CloudDCN subnets: inside the VPC, no overlap, update, tags, delete", async () => {
    const create = (cidr: string, gw: string) =>
      v3.createClouddcnSubnet(
        new CreateClouddcnSubnetRequest().withBody(new CreateClouddcnSubnetRequestBody().withClouddcnSubnet(new CreateClouddcnSubnetOption().withName("dcn").withVpcId(vpcId).withCidr(cidr).withGatewayIp(gw))),
      );
    const d = wire(await create("10.30.8.0/24", "10.30.8.1")).clouddcn_subnet as Row & { id: string };
    assert.deepEqual([d.cidr, d.vpc_id, d.gateway_ip], ["10.30.8.0/24", vpcId, "10.30.8.1"]);
    const overlap = await sdkError(create("10.30.1.0/25", "10.30.1.1"));
    assert.deepEqual([overlap.httpStatusCode, overlap.errorCode], [400, "VPC.0204"]);
    const outside = await sdkError(create("10.99.0.0/24", "10.99.0.1"));
    assert.deepEqual([outside.httpStatusCode, outside.errorCode], [400, "VPC.0203"]);
    const renamed = wire(
      await v3.updateClouddcnSubnet(
        new UpdateClouddcnSubnetRequest().withClouddcnSubnetId(d.id).withBody(new UpdateClouddcnSubnetRequestBody().withClouddcnSubnet(new UpdateClouddcnSubnetOption().withName("dcn2"))),
      ),
    ).clouddcn_subnet as Row;
    assert.equal(renamed.name, "dcn2");
    assert.deepEqual((wire(await v3.listClouddcnSubnets(new ListClouddcnSubnetsRequest().withVpcId(vpcId))).clouddcn_subnets as Row[]).map((x) => x.id), [d.id]);

    await v3.addClouddcnSubnetsTags(new AddClouddcnSubnetsTagsRequest().withResourceId(d.id).withBody(new AddResourceTagsRequestBody().withTag(new AddResourceTagsRequestBodyTag().withKey("site").withValue("dc1"))));
    await v3.batchCreateClouddcnSubnetsTags(
      new BatchCreateClouddcnSubnetsTagsRequest().withResourceId(d.id).withBody(new BatchCreateRequestBody().withTags([new BatchCreateRequestBodyTags().withKey("rack").withValue("r7"), new BatchCreateRequestBodyTags().withKey("tmp").withValue("x")])),
    );
    await v3.batchDeleteClouddcnSubnetsTags(new BatchDeleteClouddcnSubnetsTagsRequest().withResourceId(d.id).withBody(new BatchDeleteRequestBody().withTags([new BatchCreateRequestBodyTags().withKey("tmp").withValue("x")])));
    await v3.deleteClouddcnSubnetsTag(new DeleteClouddcnSubnetsTagRequest().withResourceId(d.id).withTagKey("rack"));
    assert.deepEqual(wire(await v3.showClouddcnSubnetsTags(new ShowClouddcnSubnetsTagsRequest().withResourceId(d.id))).tags, [{ key: "site", value: "dc1" }]);
    assert.deepEqual(wire(await v3.listClouddcnSubnetsTags(new ListClouddcnSubnetsTagsRequest())).tags, [{ key: "site", values: ["dc1"] }]);
    const filter = new ListResourcesByTagsRequestBody().withTags([new ResourceTags().withKey("site").withValues(["dc1"])]);
    const found = wire(await v3.listClouddcnSubnetsFilterTags(new ListClouddcnSubnetsFilterTagsRequest().withBody(filter)));
    assert.deepEqual((found.resources as Row[]).map((r) => r.resource_id), [d.id]);
    assert.equal(wire(await v3.listClouddcnSubnetsCountFilterTags(new ListClouddcnSubnetsCountFilterTagsRequest().withBody(filter))).total_count, 1);

    await v3.deleteClouddcnSubnet(new DeleteClouddcnSubnetRequest().withClouddcnSubnetId(d.id));
    const gone = await sdkError(v3.showClouddcnSubnet(new ShowClouddcnSubnetRequest().withClouddcnSubnetId(d.id)));
    assert.equal(gone.httpStatusCode, 404);
  });
});
