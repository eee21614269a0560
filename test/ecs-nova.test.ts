// Nova servers through the official ECS SDK: create two servers with a boot volume from the Ubuntu image
// (202, reservation id), watch them boot on hwlocal's clock, list them with nova's filters and marker
// paging, show them in the 2.1 and 2.47 shapes, delete one (204) through the same job as ECS v1; and the
// errors a nova request meets, in ECS's shape.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type EcsClient,
  NovaCreateServersOption,
  NovaCreateServersRequest,
  NovaCreateServersRequestBody,
  NovaDeleteServerRequest,
  NovaListServersDetailsRequest,
  NovaListServersRequest,
  NovaServerBlockDeviceMapping,
  NovaServerNetwork,
  NovaServerSecurityGroup,
  NovaShowServerRequest,
  ShowServerRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import type { VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";

interface NovaServerJson {
  id: string;
  name: string;
  status: string;
  links: { rel: string; href: string }[];
  addresses: Record<string, { version: number; addr: string; "OS-EXT-IPS:type": string }[]>;
  flavor: { id?: string; links?: unknown[]; vcpus?: number; ram?: number; original_name?: string };
  image: { id: string };
  metadata: Record<string, string>;
  security_groups: { name: string }[];
  tenant_id: string;
  "OS-EXT-STS:vm_state": string;
  "OS-EXT-STS:task_state": string | null;
  "OS-EXT-AZ:availability_zone": string;
  "OS-SRV-USG:launched_at": string | null;
  "os-extended-volumes:volumes_attached": { id: string; delete_on_termination: boolean }[];
}

describe("ECS nova servers", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let vpc: VpcClient;
  let vpcId: string;
  let subnetId: string;

  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const bootDisk = () =>
    new NovaServerBlockDeviceMapping()
      .withSourceType("image")
      .withDestinationType("volume")
      .withUuid(UBUNTU)
      .withBootIndex("0")
      .withVolumeSize(40)
      .withVolumeType("SSD")
      .withDeleteOnTermination(true);
  const option = (name: string, network = subnetId) =>
    new NovaCreateServersOption()
      .withName(name)
      .withFlavorRef("s6.small.1")
      .withImageRef(UBUNTU)
      .withNetworks([new NovaServerNetwork().withUuid(network)])
      .withSecurityGroups([new NovaServerSecurityGroup().withName("default")])
      .withBlockDeviceMappingV2([bootDisk()]);
  const create = (o: NovaCreateServersOption) =>
    ecs.novaCreateServers(new NovaCreateServersRequest().withBody(new NovaCreateServersRequestBody().withServer(o)));
  const show = async (id: string, version?: string) => {
    const req = new NovaShowServerRequest().withServerId(id);
    if (version) req.withOpenStackAPIVersion(version);
    return wire(await ecs.novaShowServer(req)).server as NovaServerJson;
  };
  const names = (res: unknown) => (wire(res).servers as { name: string }[]).map((s) => s.name);

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Date.now()) });
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: hw.projectId() });
    vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    vpcId = (await newVpc(vpc, "172.16.0.0/16", "nova")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "172.16.1.0/24", gatewayIp: "172.16.1.1", name: "nova-subnet" })).id;
  });
  after(() => hw.close());

  test("create two with a boot volume (202); they boot by the clock; show in 2.1 and 2.47 shapes; ECS v1 sees them", async () => {
    const res = wire(await create(option("nova").withMinCount(2).withMaxCount(2).withReturnReservationId(true).withMetadata({ role: "web" })));
    assert.equal(res.httpStatusCode, 202);
    const created = res.server as { id: string; links: { rel: string; href: string }[]; security_groups: { name: string }[]; reservation_id: string };
    assert.match(created.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(created.security_groups, [{ name: "default" }]);
    assert.match(created.reservation_id, /^r-/);
    assert.ok(created.links.some((l) => l.rel === "self" && l.href.endsWith(`/v2.1/${hw.projectId()}/servers/${created.id}`)));

    const building = await show(created.id);
    assert.equal(building.status, "BUILD");
    assert.equal(building["OS-SRV-USG:launched_at"], null);
    await advance(31);
    const server = await show(created.id);
    assert.equal(server.status, "ACTIVE");
    assert.equal(server["OS-EXT-STS:vm_state"], "active");
    assert.equal(server["OS-EXT-STS:task_state"], null);
    assert.equal(server.tenant_id, hw.projectId());
    assert.deepEqual(server.metadata, { role: "web" });
    assert.deepEqual(server.security_groups, [{ name: "default" }]);
    const fixed = server.addresses[vpcId]!;
    assert.equal(fixed[0]!.version, 4);
    assert.match(fixed[0]!.addr, /^172\.16\.1\.\d+$/);
    assert.equal(server.image.id, UBUNTU);
    assert.equal(server.flavor.id, "s6.small.1");
    assert.equal(server["os-extended-volumes:volumes_attached"].length, 1);
    assert.equal(server["os-extended-volumes:volumes_attached"][0]!.delete_on_termination, true);
    const embedded = await show(created.id, "compute 2.47");
    assert.equal(embedded.flavor.id, undefined);
    assert.equal(embedded.flavor.original_name, "s6.small.1");
    assert.equal(embedded.flavor.vcpus, 1);

    const v1 = wire(await ecs.showServer(new ShowServerRequest().withServerId(created.id))).server as { status: string; name: string };
    assert.equal(v1.status, "ACTIVE");
    assert.deepEqual(names(await ecs.novaListServers(new NovaListServersRequest())).sort(), ["nova-1", "nova-2"]);
  });

  test("list filters and marker paging; delete (204) goes through the delete job; changes-since shows the deleted", async () => {
    const dataDisk = new NovaServerBlockDeviceMapping().withSourceType("blank").withDestinationType("volume").withBootIndex("-1").withVolumeSize(20).withDeleteOnTermination(true);
    const other = wire(await create(option("db-main").withBlockDeviceMappingV2([bootDisk(), dataDisk]))).server as { id: string };
    await advance(31);
    const volumesAttached = (await show(other.id))["os-extended-volumes:volumes_attached"];
    assert.deepEqual(volumesAttached.map((v) => v.delete_on_termination), [true, true], "a system disk and a blank data disk");
    const list = (r: NovaListServersRequest) => ecs.novaListServers(r);
    const detail = (r: NovaListServersDetailsRequest) => ecs.novaListServersDetails(r);
    assert.deepEqual(names(await list(new NovaListServersRequest().withName("^nova-1$"))), ["nova-1"]);
    assert.deepEqual(names(await list(new NovaListServersRequest().withName("main"))), ["db-main"]);
    assert.deepEqual(names(await list(new NovaListServersRequest().withName("^db"))), ["db-main"]);
    assert.equal(names(await detail(new NovaListServersDetailsRequest().withStatus("ACTIVE"))).length, 3);
    assert.equal(names(await detail(new NovaListServersDetailsRequest().withStatus("SHUTOFF"))).length, 0);
    assert.equal(names(await list(new NovaListServersRequest().withImage(UBUNTU).withFlavor("s6.small.1"))).length, 3);
    assert.equal(names(await list(new NovaListServersRequest().withImage(MISSING))).length, 0);
    assert.deepEqual(names(await list(new NovaListServersRequest().withSortKey("display_name"))), ["nova-2", "nova-1", "db-main"]);
    const reservation = (await show(other.id)) as unknown as Record<string, string>;
    assert.deepEqual(names(await list(new NovaListServersRequest().withReservationId(reservation["OS-EXT-SRV-ATTR:reservation_id"]!))), ["db-main"]);

    const first = wire(await list(new NovaListServersRequest().withLimit(2).withSortKey("display_name")));
    assert.equal((first.servers as unknown[]).length, 2);
    const next = (first.servers_links as { rel: string; href: string }[])[0]!;
    assert.equal(next.rel, "next");
    const marker = new URL(next.href).searchParams.get("marker")!;
    const second = wire(await list(new NovaListServersRequest().withLimit(2).withSortKey("display_name").withMarker(marker)));
    assert.deepEqual(names(second), ["db-main"]);
    assert.equal(second.servers_links, undefined);
    const badMarker = await sdkError(list(new NovaListServersRequest().withMarker(MISSING)));
    assert.equal(badMarker.httpStatusCode, 400);
    assert.equal(badMarker.errorCode, "Ecs.0005");

    const deleted = wire(await ecs.novaDeleteServer(new NovaDeleteServerRequest().withServerId(other.id)));
    assert.equal(deleted.httpStatusCode, 204);
    assert.equal((await show(other.id))["OS-EXT-STS:task_state"], "deleting");
    await advance(31);
    const gone = await sdkError(ecs.novaShowServer(new NovaShowServerRequest().withServerId(other.id)));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorCode, "Ecs.0114");
    assert.equal(names(await list(new NovaListServersRequest())).length, 2);
    const since = wire(await detail(new NovaListServersDetailsRequest().withChangesSince(new Date(Date.now() - 86_400_000).toISOString())));
    assert.ok((since.servers as NovaServerJson[]).some((s) => s.id === other.id && s.status === "DELETED"));
    const future = await list(new NovaListServersRequest().withChangesSince(new Date(Date.now() + 86_400_000).toISOString()));
    assert.equal(names(future).length, 0);
    const badSince = await sdkError(list(new NovaListServersRequest().withChangesSince("yesterday")));
    assert.equal(badSince.httpStatusCode, 400);
    const volumes = await hw.call("GET", `/evs/v2/${hw.projectId()}/cloudvolumes/detail`);
    assert.equal((volumes.json.volumes as unknown[]).length, 2, "the deleted server's disks went with it");
  });

  test("errors: missing server 404 Ecs.0114; network, flavor, image, security group, port, counts, boot device", async () => {
    for (const call of [
      ecs.novaShowServer(new NovaShowServerRequest().withServerId(MISSING)),
      ecs.novaDeleteServer(new NovaDeleteServerRequest().withServerId(MISSING)),
    ]) {
      const e = await sdkError(call);
      assert.equal(e.httpStatusCode, 404);
      assert.equal(e.errorCode, "Ecs.0114");
    }
    const otherVpc = (await newVpc(vpc, "10.9.0.0/16", "elsewhere")).id;
    const otherSubnet = (await newSubnet(vpc, { vpcId: otherVpc, cidr: "10.9.1.0/24", gatewayIp: "10.9.1.1" })).id;
    const cases: [NovaCreateServersOption, string][] = [
      [option("x", MISSING), "Ecs.0038"],
      [option("x").withFlavorRef("s9.huge.99"), "Ecs.0029"],
      [option("x").withImageRef(MISSING).withBlockDeviceMappingV2([]), "Ecs.0031"],
      [option("x").withSecurityGroups([new NovaServerSecurityGroup().withName("no-such-group")]), "Ecs.0014"],
      [option("x").withNetworks([new NovaServerNetwork().withPort(MISSING)]), "Ecs.0005"],
      [option("x").withMinCount(3).withMaxCount(2), "Ecs.0005"],
      [option("x").withBlockDeviceMappingV2([bootDisk().withSourceType("volume")]), "Ecs.0005"],
      [option("x").withNetworks([new NovaServerNetwork().withUuid(subnetId), new NovaServerNetwork().withUuid(otherSubnet)]), "Ecs.0064"],
      [option("x").withKeyName("no-such-key"), "Ecs.0314"],
    ];
    for (const [o, code] of cases) {
      const e = await sdkError(create(o));
      assert.equal(e.httpStatusCode, 400, code);
      assert.equal(e.errorCode, code, e.errorMsg);
    }
    const empty = await sdkError(ecs.novaCreateServers(new NovaCreateServersRequest().withBody(new NovaCreateServersRequestBody())));
    assert.equal(empty.httpStatusCode, 400);
    assert.equal(empty.errorCode, "Ecs.0005");
  });
});
