// What hangs off a server, through the official ECS SDK: tags (batch create and delete, show, the project's
// list, the list filter), EVS volumes attached and detached by jobs on hwlocal's clock (block devices, nova
// volume attachments, the errors of attaching an in-use volume or detaching the system disk), and the
// network interfaces from its VPC ports.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AttachServerVolumeOption,
  AttachServerVolumeRequest,
  AttachServerVolumeRequestBody,
  BatchAddServerTag,
  BatchCreateServerTagsRequest,
  BatchCreateServerTagsRequestBody,
  BatchDeleteServerTagsRequest,
  BatchDeleteServerTagsRequestBody,
  CreatePostPaidServersRequest,
  CreatePostPaidServersRequestBody,
  DeleteServersRequest,
  DeleteServersRequestBody,
  DetachServerVolumeRequest,
  type EcsClient,
  ListServerBlockDevicesRequest,
  ListServerInterfacesRequest,
  ListServersDetailsRequest,
  ListServerTagsRequest,
  ListServerVolumeAttachmentsRequest,
  NovaShowServerInterfaceRequest,
  PostPaidServer,
  PostPaidServerNic,
  PostPaidServerRootVolume,
  ServerId,
  ServerTag,
  ShowJobRequest,
  ShowServerBlockDeviceRequest,
  ShowServerRequest,
  ShowServerTagsRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";

type Row = Record<string, unknown>;
interface BlockDevice {
  bootIndex: number;
  volumeId: string;
  device: string;
  serverId: string;
  id: string;
  size: number;
}

describe("ECS server tags, volumes and interfaces", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let pid: string;
  let vpcId: string;
  let subnet: { id: string; neutron_subnet_id: string };
  let web: string;
  let db: string;
  let zone: string;

  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const job = async (id: string) => wire(await ecs.showJob(new ShowJobRequest().withJobId(id)));
  const expectError = async (p: Promise<unknown>, status: number, code: string) => {
    const e = await sdkError(p);
    assert.equal(e.httpStatusCode, status, `${code}: ${e.errorMsg}`);
    assert.equal(e.errorCode, code, e.errorMsg);
  };
  const tagsAction = (serverId: string, action: "create" | "delete", tags: [string, string?][]) =>
    action === "create"
      ? ecs.batchCreateServerTags(
          new BatchCreateServerTagsRequest()
            .withServerId(serverId)
            .withBody(new BatchCreateServerTagsRequestBody().withAction("create").withTags(tags.map(([k, v]) => new BatchAddServerTag().withKey(k).withValue(v ?? "")))),
        )
      : ecs.batchDeleteServerTags(
          new BatchDeleteServerTagsRequest().withServerId(serverId).withBody(
            new BatchDeleteServerTagsRequestBody().withAction("delete").withTags(
              tags.map(([k, v]) => {
                const t = new ServerTag().withKey(k);
                return v === undefined ? t : t.withValue(v);
              }),
            ),
          ),
        );
  const tagsOf = async (serverId: string) => wire(await ecs.showServerTags(new ShowServerTagsRequest().withServerId(serverId))).tags as Row[];
  const attach = (serverId: string, volumeId: string, device?: string) => {
    const o = new AttachServerVolumeOption().withVolumeId(volumeId);
    if (device) o.withDevice(device);
    return ecs.attachServerVolume(new AttachServerVolumeRequest().withServerId(serverId).withBody(new AttachServerVolumeRequestBody().withVolumeAttachment(o)));
  };
  const detach = (serverId: string, volumeId: string) => ecs.detachServerVolume(new DetachServerVolumeRequest().withServerId(serverId).withVolumeId(volumeId));
  const blockDevices = async (serverId: string) => wire(await ecs.listServerBlockDevices(new ListServerBlockDevicesRequest().withServerId(serverId)));
  const volume = async (id: string) => (await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`)).json.volume as Row;
  const newVolume = async (name: string, multiattach = false) => {
    const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, {
      body: { volume: { availability_zone: zone, volume_type: "SSD", size: 10, name, multiattach } },
    });
    assert.equal(r.status, 202, r.text);
    await advance(5);
    return (r.json.volume_ids as string[])[0]!;
  };

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    const vpc = vpcClient(hw.url, hw.admin, pid);
    vpcId = (await newVpc(vpc, "192.168.0.0/16", "extras")).id;
    subnet = await newSubnet(vpc, { vpcId, cidr: "192.168.7.0/24", gatewayIp: "192.168.7.1" });
    const server = new PostPaidServer()
      .withName("box")
      .withFlavorRef("s6.small.1")
      .withImageRef(UBUNTU)
      .withVpcid(vpcId)
      .withNics([new PostPaidServerNic().withSubnetId(subnet.id)])
      .withRootVolume(new PostPaidServerRootVolume().withVolumetype("SSD"))
      .withCount(2);
    const created = wire(await ecs.createPostPaidServers(new CreatePostPaidServersRequest().withBody(new CreatePostPaidServersRequestBody().withServer(server))));
    [web, db] = created.serverIds as [string, string];
    await advance(31);
    const shown = wire(await ecs.showServer(new ShowServerRequest().withServerId(web))).server as Row;
    assert.equal(shown.status, "ACTIVE");
    zone = String(shown["OS-EXT-AZ:availability_zone"]);
  });
  after(() => hw.close());

  test("tags: create (an existing key takes the new value), show, delete by key or key and value, list, filter; limits", async () => {
    assert.equal(wire(await tagsAction(web, "create", [["env", "dev"], ["team", "core"], ["tier", "web"]])).httpStatusCode, 204);
    await tagsAction(web, "create", [["env", "prod"]]);
    assert.deepEqual(await tagsOf(web), [
      { key: "env", value: "prod" },
      { key: "team", value: "core" },
      { key: "tier", value: "web" },
    ]);
    assert.equal(wire(await tagsAction(web, "delete", [["team"], ["tier", "not-this-value"], ["absent"]])).httpStatusCode, 204);
    assert.deepEqual(await tagsOf(web), [
      { key: "env", value: "prod" },
      { key: "tier", value: "web" },
    ]);
    await tagsAction(db, "create", [["env", "dev"], ["tier", "db"]]);
    const all = wire(await ecs.listServerTags(new ListServerTagsRequest())).tags;
    assert.deepEqual(all, [
      { key: "env", values: ["dev", "prod"] },
      { key: "tier", values: ["db", "web"] },
    ]);
    const filtered = wire(await ecs.listServersDetails(new ListServersDetailsRequest().withTags("env=prod"))).servers as Row[];
    assert.deepEqual(filtered.map((s) => s.id), [web]);

    const eight = Array.from({ length: 8 }, (_, i): [string, string] => [`k${i}`, "v"]);
    await expectError(tagsAction(web, "create", [...eight, ["one-too-many", "x"]]), 400, "Ecs.0005");
    assert.equal((await tagsOf(web)).length, 2, "a refused batch adds nothing");
    await expectError(tagsAction(web, "create", [["k".repeat(37), "v"]]), 400, "Ecs.0005");
    await expectError(tagsAction(web, "create", [["k", "v".repeat(44)]]), 400, "Ecs.0005");
    await expectError(tagsAction(web, "create", [["dup", "a"], ["dup", "b"]]), 400, "Ecs.0005");
    await expectError(tagsAction(MISSING, "create", [["env", "x"]]), 404, "Ecs.0114");
    await expectError(ecs.showServerTags(new ShowServerTagsRequest().withServerId(MISSING)), 404, "Ecs.0114");
  });

  test("volumes: attach and detach by job; block devices and nova attachments; in-use, system disk and other errors", async () => {
    const data = await newVolume("data-1");
    const attached = wire(await attach(web, data));
    const jobId = String(attached.job_id);
    assert.equal((await job(jobId)).job_type, "attachVolume");
    assert.notEqual((await job(jobId)).status, "SUCCESS", "the attach takes the server delay");
    assert.equal((await volume(data)).status, "available");
    await advance(31);
    assert.equal((await job(jobId)).status, "SUCCESS");
    assert.equal((await volume(data)).status, "in-use");

    const devices = await blockDevices(web);
    const list = devices.volumeAttachments as BlockDevice[];
    assert.equal(list.length, 2);
    const root = list.find((d) => d.bootIndex === 0)!;
    const disk = list.find((d) => d.volumeId === data)!;
    assert.equal(root.device, "/dev/vda");
    assert.equal(disk.device, "/dev/vdb");
    assert.equal(disk.serverId, web);
    assert.equal(disk.size, 10);
    assert.deepEqual(devices.attachableQuantity, { free_scsi: 58, free_blk: 22, free_disk: 22 });
    const one = wire(await ecs.showServerBlockDevice(new ShowServerBlockDeviceRequest().withServerId(web).withVolumeId(data))).volumeAttachment;
    assert.deepEqual(one, disk);
    const nova = wire(await ecs.listServerVolumeAttachments(new ListServerVolumeAttachmentsRequest().withServerId(web))).volumeAttachments as Row[];
    assert.deepEqual(nova.find((a) => a.volumeId === data), { device: "/dev/vdb", id: data, serverId: web, volumeId: data });
    const detail = wire(await ecs.showServer(new ShowServerRequest().withServerId(web))).server as Row;
    assert.equal((detail["os-extended-volumes:volumes_attached"] as unknown[]).length, 2);

    await expectError(attach(web, data), 400, "Ecs.0057");
    await expectError(attach(db, data), 400, "Ecs.0103");
    await expectError(attach(web, MISSING), 400, "Ecs.0005");
    await expectError(attach(MISSING, data), 404, "Ecs.0114");
    const spare = await newVolume("spare");
    await expectError(attach(web, spare, "/dev/vdb"), 400, "Ecs.0005");
    await expectError(detach(web, root.volumeId), 400, "Ecs.0102");
    await expectError(detach(web, spare), 400, "Ecs.0111");
    await expectError(detach(MISSING, data), 404, "Ecs.0114");
    await expectError(ecs.showServerBlockDevice(new ShowServerBlockDeviceRequest().withServerId(web).withVolumeId(spare)), 400, "Ecs.0111");
    await expectError(ecs.listServerBlockDevices(new ListServerBlockDevicesRequest().withServerId(MISSING)), 404, "Ecs.0114");

    const detached = wire(await detach(web, data));
    assert.equal((await job(String(detached.job_id))).job_type, "detachVolume");
    await advance(31);
    assert.equal((await job(String(detached.job_id))).status, "SUCCESS");
    assert.equal((await volume(data)).status, "available");
    assert.equal(((await blockDevices(web)).volumeAttachments as unknown[]).length, 1);
    // ShowServer after the detach (EVS's write) shows one disk again: nothing kept from the show above.
    const after = wire(await ecs.showServer(new ShowServerRequest().withServerId(web))).server as Row;
    assert.equal((after["os-extended-volumes:volumes_attached"] as unknown[]).length, 1);

    // An attached volume is not the server's own: deleting the server leaves it, available.
    await attach(db, data, "/dev/vdc");
    await advance(31);
    assert.equal((await volume(data)).status, "in-use");
    const removal = wire(await ecs.deleteServers(new DeleteServersRequest().withBody(new DeleteServersRequestBody().withServers([new ServerId().withId(db)]))));
    await advance(31);
    assert.equal((await job(String(removal.job_id))).status, "SUCCESS");
    assert.equal((await volume(data)).status, "available");
  });

  test("interfaces: the server's port with its address, network and neutron subnet; nova's one-port view", async () => {
    const res = wire(await ecs.listServerInterfaces(new ListServerInterfacesRequest().withServerId(web)));
    const [nic] = res.interfaceAttachments as Row[];
    const detail = wire(await ecs.showServer(new ShowServerRequest().withServerId(web))).server as { addresses: Record<string, Row[]> };
    const address = detail.addresses[vpcId]![0]!;
    assert.equal(nic!.port_state, "ACTIVE");
    assert.equal(nic!.net_id, subnet.id);
    assert.deepEqual(nic!.fixed_ips, [{ subnet_id: subnet.neutron_subnet_id, ip_address: address.addr }]);
    assert.equal(nic!.port_id, address["OS-EXT-IPS:port_id"]);
    assert.equal(nic!.mac_addr, address["OS-EXT-IPS-MAC:mac_addr"]);
    assert.equal((res.interfaceAttachments as unknown[]).length, 1);
    assert.equal((res.attachableQuantity as { free_nic: number }).free_nic, 1);

    const one = wire(await ecs.novaShowServerInterface(new NovaShowServerInterfaceRequest().withServerId(web).withPortId(String(nic!.port_id))));
    assert.deepEqual(one.interfaceAttachment, {
      port_state: nic!.port_state,
      fixed_ips: nic!.fixed_ips,
      net_id: nic!.net_id,
      port_id: nic!.port_id,
      mac_addr: nic!.mac_addr,
    });
    await expectError(ecs.novaShowServerInterface(new NovaShowServerInterfaceRequest().withServerId(web).withPortId(MISSING)), 404, "Ecs.0005");
    await expectError(ecs.listServerInterfaces(new ListServerInterfacesRequest().withServerId(MISSING)), 404, "Ecs.0114");
  });
});
