// What servers hold and how they are found, through the official ECS SDK: NICs added and deleted by jobs,
// a shared volume attached to and detached from several servers, delete_on_termination of a data disk,
// ListServersByTag, server group membership, batch renaming, the v1.1 list (ListCloudServers), and the
// flavor sell policies and capacity.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddServerGroupMemberRequest,
  AddServerGroupMemberRequestBody,
  BatchAddServerNicOption,
  BatchAddServerNicsRequest,
  BatchAddServerNicsRequestBody,
  BatchAttachSharableVolumesOption,
  BatchAttachSharableVolumesRequest,
  BatchAttachSharableVolumesRequestBody,
  BatchCreateServerTagsRequest,
  BatchCreateServerTagsRequestBody,
  BatchAddServerTag,
  BatchDeleteServerNicOption,
  BatchDeleteServerNicsRequest,
  BatchDeleteServerNicsRequestBody,
  BatchDetachVolumesRequest,
  BatchUpdateServersNameRequest,
  BatchUpdateServersNameRequestBody,
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  CreateServerGroupOption,
  CreateServerGroupRequest,
  CreateServerGroupRequestBody,
  DeleteServerGroupMemberRequest,
  DeleteServerGroupMemberRequestBody,
  type EcsClient,
  ListCloudServersRequest,
  ListFlavorSellPoliciesRequest,
  ListServerInterfacesRequest,
  ListServersByTagRequest,
  ListServersByTagRequestBody,
  PostPaidServer,
  PostPaidServerNic,
  PostPaidServerRootVolume,
  ServerGroupMember,
  ServerId,
  ServerTagMatch,
  ServerTags,
  ShowAppendableVolumeQuotaRequest,
  ShowFlavorCapacityRequest,
  ShowJobRequest,
  ShowServerAttachableNicNumRequest,
  ShowServerGroupRequest,
  ShowServerRequest,
  UpdateServerBlockDeviceOption,
  UpdateServerBlockDeviceReq,
  UpdateServerBlockDeviceRequest,
  VolumeBatchDetachRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";

type Row = Record<string, unknown>;

describe("ECS server resources and lookups", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let pid: string;
  let subnetId: string;
  let otherSubnetId: string;
  let foreignSubnetId: string;
  let a: string;
  let b: string;
  let zone: string;

  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const job = async (id: string) => wire(await ecs.showJob(new ShowJobRequest().withJobId(id)));
  const server = async (id: string) => wire(await ecs.showServer(new ShowServerRequest().withServerId(id))).server as Row;
  const expectError = async (p: Promise<unknown>, status: number, code: string) => {
    const e = await sdkError(p);
    assert.equal(e.httpStatusCode, status, `${code}: ${e.errorMsg}`);
    assert.equal(e.errorCode, code, e.errorMsg);
  };
  const nics = async (id: string) => wire(await ecs.listServerInterfaces(new ListServerInterfacesRequest().withServerId(id))).interfaceAttachments as Row[];
  const volume = async (id: string) => (await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`)).json.volume as Row;

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    const vpc = vpcClient(hw.url, hw.admin, pid);
    const vpcId = (await newVpc(vpc, "192.168.0.0/16", "resources")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.9.0/24", gatewayIp: "192.168.9.1" })).id;
    otherSubnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.10.0/24", gatewayIp: "192.168.10.1" })).id;
    const foreignVpc = (await newVpc(vpc, "10.0.0.0/16", "elsewhere")).id;
    foreignSubnetId = (await newSubnet(vpc, { vpcId: foreignVpc, cidr: "10.0.1.0/24", gatewayIp: "10.0.1.1" })).id;
    const s = new PostPaidServer()
      .withName("res")
      .withFlavorRef("s6.large.2")
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnetId)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD"))
      .withCount(2);
    const created = wire(await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(s))));
    [a, b] = created.serverIds as [string, string];
    await advance(31);
    zone = String((await server(a))["OS-EXT-AZ:availability_zone"]);
  });
  after(() => hw.close());

  test("NICs: add by job (fixed address), count what the flavor allows, delete; errors", async () => {
    const free = wire(await ecs.showServerAttachableNicNum(new ShowServerAttachableNicNumRequest().withServerId(a)));
    const before = (free.attachableQuantity as Row).free_nic as number;
    assert.ok(before > 0);
    assert.equal((free.interfaceAttachments as Row[]).length, 1);
    const add = (opts: BatchAddServerNicOption[], id = a) => ecs.batchAddServerNics(new BatchAddServerNicsRequest().withServerId(id).withBody(new BatchAddServerNicsRequestBody().withNics(opts)));
    const added = wire(await add([new BatchAddServerNicOption().withSubnetId(otherSubnetId).withIpAddress("192.168.10.50")]));
    assert.equal((await job(String(added.job_id))).job_type, "batchAddNics");
    assert.equal((await nics(a)).length, 1, "the NIC comes with the job");
    await advance(31);
    assert.equal((await job(String(added.job_id))).status, "SUCCESS");
    const list = await nics(a);
    assert.equal(list.length, 2);
    const second = list.find((n) => (n.fixed_ips as Row[])[0]!.ip_address === "192.168.10.50")!;
    const after = wire(await ecs.showServerAttachableNicNum(new ShowServerAttachableNicNumRequest().withServerId(a)));
    assert.equal((after.attachableQuantity as Row).free_nic, before - 1);

    await expectError(add([new BatchAddServerNicOption().withSubnetId(foreignSubnetId)]), 400, "Ecs.0064");
    await expectError(add([new BatchAddServerNicOption().withSubnetId(MISSING)]), 400, "Ecs.0038");
    await expectError(add([new BatchAddServerNicOption().withSubnetId(subnetId)], MISSING), 404, "Ecs.0114");
    // An address taken meanwhile fails the job, not the request.
    const taken = wire(await add([new BatchAddServerNicOption().withSubnetId(otherSubnetId).withIpAddress("192.168.10.50")], b));
    await advance(31);
    const failed = await job(String(taken.job_id));
    assert.equal(failed.status, "FAIL");

    const del = (ids: string[]) =>
      ecs.batchDeleteServerNics(new BatchDeleteServerNicsRequest().withServerId(a).withBody(new BatchDeleteServerNicsRequestBody().withNics(ids.map((id) => new BatchDeleteServerNicOption().withId(id)))));
    await expectError(del([String(list[0]!.port_id)]), 400, "Ecs.0005");
    await expectError(del([MISSING]), 404, "Ecs.0005");
    const deleted = wire(await del([String(second.port_id)]));
    await advance(31);
    assert.equal((await job(String(deleted.job_id))).status, "SUCCESS");
    assert.equal((await nics(a)).length, 1);
  });

  test("volumes: a shared disk to two servers and back, the appendable quota, delete_on_termination", async () => {
    const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: zone, volume_type: "SSD", size: 10, name: "shared", multiattach: true } } });
    assert.equal(r.status, 202, r.text);
    const plain = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: zone, volume_type: "SSD", size: 10, name: "plain" } } });
    await advance(5);
    const shared = (r.json.volume_ids as string[])[0]!;
    const single = (plain.json.volume_ids as string[])[0]!;
    const quota = async (id: string) => wire(await ecs.showAppendableVolumeQuota(new ShowAppendableVolumeQuotaRequest().withServerId(id)));
    const q0 = await quota(a);
    assert.deepEqual([q0.count, q0.free_blk, q0.free_scsi], [23, 23, 59]);

    const attach = (volumeId: string, ids: string[]) =>
      ecs.batchAttachSharableVolumes(
        new BatchAttachSharableVolumesRequest()
          .withVolumeId(volumeId)
          .withBody(new BatchAttachSharableVolumesRequestBody().withServerinfo(ids.map((id) => new BatchAttachSharableVolumesOption().withServerId(id)))),
      );
    await expectError(attach(single, [a, b]), 400, "Ecs.0005");
    await expectError(attach(MISSING, [a]), 400, "Ecs.0005");
    await expectError(attach(shared, [a, MISSING]), 404, "Ecs.0114");
    const attached = wire(await attach(shared, [a, b]));
    await advance(31);
    const parent = await job(String(attached.job_id));
    assert.deepEqual([parent.status, (parent.entities as Row).sub_jobs_total], ["SUCCESS", 2]);
    assert.equal(((await volume(shared)).attachments as unknown[]).length, 2);
    assert.equal((await quota(a)).count, 22);

    const keep = (serverId: string, volumeId: string, v: boolean) =>
      ecs.updateServerBlockDevice(
        new UpdateServerBlockDeviceRequest().withServerId(serverId).withVolumeId(volumeId).withBody(new UpdateServerBlockDeviceReq().withBlockDevice(new UpdateServerBlockDeviceOption().withDeleteOnTermination(v))),
      );
    assert.equal(wire(await keep(a, shared, true)).httpStatusCode, 204);
    const vols = (await server(a))["os-extended-volumes:volumes_attached"] as Row[];
    assert.equal(vols.find((v) => v.id === shared)!.delete_on_termination, "true");
    await keep(a, shared, false);
    await expectError(keep(a, single, true), 400, "Ecs.0111");
    await expectError(keep(a, String(vols.find((v) => v.bootIndex === "0")!.id), false), 400, "Ecs.0005");

    const detached = wire(await ecs.batchDetachVolumes(new BatchDetachVolumesRequest().withVolumeId(shared).withBody(new VolumeBatchDetachRequest().withServerinfo([a, b]))));
    await advance(31);
    assert.equal((await job(String(detached.job_id))).status, "SUCCESS");
    assert.equal((await volume(shared)).status, "available");
    await expectError(ecs.batchDetachVolumes(new BatchDetachVolumesRequest().withVolumeId(shared).withBody(new VolumeBatchDetachRequest().withServerinfo([a]))), 400, "Ecs.0111");
  });

  test("ListServersByTag (filter and count), batch rename, ListCloudServers", async () => {
    const tag = (id: string, key: string, value: string) =>
      ecs.batchCreateServerTags(
        new BatchCreateServerTagsRequest().withServerId(id).withBody(new BatchCreateServerTagsRequestBody().withAction("create").withTags([new BatchAddServerTag().withKey(key).withValue(value)])),
      );
    await tag(a, "env", "prod");
    await tag(b, "env", "dev");
    const byTag = async (body: ListServersByTagRequestBody) => wire(await ecs.listServersByTag(new ListServersByTagRequest().withBody(body)));
    const prod = await byTag(new ListServersByTagRequestBody().withAction("filter").withTags([new ServerTags().withKey("env").withValues(["prod"])]));
    assert.equal(prod.total_count, 1);
    assert.deepEqual((prod.resources as Row[])[0], { resource_id: a, resource_detail: "", tags: [{ key: "env", value: "prod" }], resource_name: "res-0001" });
    const any = await byTag(new ListServersByTagRequestBody().withAction("count").withTags([new ServerTags().withKey("env").withValues([])]));
    assert.deepEqual(any, { httpStatusCode: 200, total_count: 2 });
    const notProd = await byTag(new ListServersByTagRequestBody().withAction("filter").withNotTags([new ServerTags().withKey("env").withValues(["prod"])]).withLimit("10").withOffset("0"));
    assert.deepEqual((notProd.resources as Row[]).map((r) => r.resource_id), [b]);
    const named = await byTag(new ListServersByTagRequestBody().withAction("filter").withMatches([new ServerTagMatch().withKey("resource_name").withValue("0002")]));
    assert.deepEqual((named.resources as Row[]).map((r) => r.resource_id), [b]);
    await expectError(byTag(new ListServersByTagRequestBody().withAction("search")), 400, "Ecs.0005");

    const rename = (ids: string[]) =>
      ecs.batchUpdateServersName(new BatchUpdateServersNameRequest().withBody(new BatchUpdateServersNameRequestBody().withName("renamed").withServers(ids.map((id) => new ServerId().withId(id)))));
    assert.deepEqual(wire(await rename([a, b])).response, [{ id: a }, { id: b }]);
    assert.equal((await server(b)).name, "renamed");
    await expectError(rename([a, MISSING]), 404, "Ecs.0614");

    const page1 = wire(await ecs.listCloudServers(new ListCloudServersRequest().withLimit(1)));
    const servers = page1.servers as Row[];
    assert.equal(servers.length, 1);
    assert.equal((page1.servers_links as Row[])[0]!.rel, "next");
    const first = servers[0]!;
    assert.equal(typeof (first.flavor as Row).vcpus, "number");
    assert.equal(first.availability_zone, zone);
    const page2 = wire(await ecs.listCloudServers(new ListCloudServersRequest().withLimit(1).withMarker(String(first.id))));
    assert.equal((page2.servers as Row[]).length, 1);
    assert.deepEqual(page2.servers_links, []);
    const tagged = wire(await ecs.listCloudServers(new ListCloudServersRequest().withTags("env=prod")));
    assert.deepEqual((tagged.servers as Row[]).map((s) => s.id), [a]);
    await expectError(ecs.listCloudServers(new ListCloudServersRequest().withMarker(MISSING)), 400, "Ecs.0005");
  });

  test("server group membership: add, show, remove; errors", async () => {
    const g = wire(
      await ecs.createServerGroup(new CreateServerGroupRequest().withBody(new CreateServerGroupRequestBody().withServerGroup(new CreateServerGroupOption().withName("grp").withPolicies(["anti-affinity"])))),
    ).server_group as Row;
    const gid = String(g.id);
    const addM = (id: string) => ecs.addServerGroupMember(new AddServerGroupMemberRequest().withServerGroupId(gid).withBody(new AddServerGroupMemberRequestBody().withAddMember(new ServerGroupMember().withInstanceUuid(id))));
    const removeM = (id: string) =>
      ecs.deleteServerGroupMember(new DeleteServerGroupMemberRequest().withServerGroupId(gid).withBody(new DeleteServerGroupMemberRequestBody().withRemoveMember(new ServerGroupMember().withInstanceUuid(id))));
    await addM(a);
    assert.deepEqual((wire(await ecs.showServerGroup(new ShowServerGroupRequest().withServerGroupId(gid))).server_group as Row).members, [a]);
    assert.deepEqual((await server(a))["os:scheduler_hints"], { group: [gid] });
    await expectError(addM(a), 400, "Ecs.0005");
    await expectError(addM(MISSING), 404, "Ecs.0114");
    await expectError(removeM(b), 400, "Ecs.0005");
    await removeM(a);
    assert.deepEqual((wire(await ecs.showServerGroup(new ShowServerGroupRequest().withServerGroupId(gid))).server_group as Row).members, []);
    await expectError(
      ecs.addServerGroupMember(new AddServerGroupMemberRequest().withServerGroupId(MISSING).withBody(new AddServerGroupMemberRequestBody().withAddMember(new ServerGroupMember().withInstanceUuid(a)))),
      404,
      "Ecs.0005",
    );
  });

  test("flavor sell policies and capacity", async () => {
    const all = wire(await ecs.listFlavorSellPolicies(new ListFlavorSellPoliciesRequest().withFlavorId("s6.small.1").withSellMode("postPaid")));
    const policies = all.sell_policies as Row[];
    assert.equal(all.count, policies.length);
    assert.ok(policies.length >= 1 && policies.every((p) => p.flavor_id === "s6.small.1" && p.sell_status === "available"));
    const page = wire(await ecs.listFlavorSellPolicies(new ListFlavorSellPoliciesRequest().withLimit(2).withMarker(String(policies[0]!.id))));
    assert.equal((page.sell_policies as Row[]).length, 2);
    assert.ok((page.sell_policies as Row[]).every((p) => Number(p.id) > Number(policies[0]!.id)));
    const spot = wire(await ecs.listFlavorSellPolicies(new ListFlavorSellPoliciesRequest().withSellMode("spot")));
    assert.equal(spot.count, 0);

    const cap = wire(await ecs.showFlavorCapacity(new ShowFlavorCapacityRequest().withFlavorId("m7.large.8"))).resources as Row[];
    assert.ok(cap.length >= 1);
    assert.deepEqual(cap[0], { region_id: "cn-north-4", availability_zone: cap[0]!.availability_zone, prefer: true });
    await expectError(ecs.showFlavorCapacity(new ShowFlavorCapacityRequest().withFlavorId("nope.large.2")), 404, "Ecs.0029");
  });
});
