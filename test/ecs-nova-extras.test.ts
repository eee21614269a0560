// Nova v2.1 beyond servers create/list/show/delete, through signed raw requests where the official ECS SDK
// has no operation (flavors, quota sets, limits, server update, actions, metadata, os-volumes_boot, volume
// attachments, interfaces) and through the SDK where it has one (zones, security groups, ECS v1 read-backs):
// what nova answers is the same server and the same flavors ECS's own API shows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type EcsClient,
  ListFlavorsRequest,
  NovaAttachInterfaceFixedIp,
  NovaAttachInterfaceOption,
  NovaAttachInterfaceRequest,
  NovaAttachInterfaceRequestBody,
  NovaListAvailabilityZonesRequest,
  NovaListServerSecurityGroupsRequest,
  NovaShowServerInterfaceRequest,
  ShowServerRequest,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import type { VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";
type Json = Record<string, unknown>;

function assertEcsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ECS nova extras", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let pid: string;
  let subnetId: string;
  let vpc: VpcClient;
  let vpcId: string;
  const nova = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    hw.call(method, `/ecs/v2.1/${pid}${path}`, { body, headers });
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const server = async (id: string) => (await nova("GET", `/servers/${id}`)).json.server as Json;

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: 30 }, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    vpc = vpcClient(hw.url, hw.admin, pid);
    vpcId = (await newVpc(vpc, "172.16.0.0/16", "nova")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "172.16.1.0/24", gatewayIp: "172.16.1.1", name: "nova-subnet" })).id;
  });
  after(() => hw.close());

  test("flavors: list and detail are ECS's catalogue; filters, sorting, marker paging, show, 404", async () => {
    const v1 = (wire(await ecs.listFlavors(new ListFlavorsRequest())).flavors as { id: string }[]).map((f) => f.id).sort();
    const simple = await nova("GET", "/flavors");
    assert.equal(simple.status, 200, simple.text);
    const flavors = simple.json.flavors as { id: string; name: string; links: { rel: string; href: string }[] }[];
    assert.deepEqual(flavors.map((f) => f.id).sort(), v1);
    assert.ok(flavors[0]!.links[0]!.href.endsWith(`/v2.1/${pid}/flavors/${flavors[0]!.id}`));

    const big = (await nova("GET", "/flavors/detail?minRam=32768&sort_key=memory_mb&sort_dir=desc")).json.flavors as Json[];
    assert.ok(big.length > 0);
    assert.ok(big.every((f) => (f.ram as number) >= 32768));
    assert.deepEqual(big.map((f) => f.ram), big.map((f) => f.ram as number).sort((a, b) => b - a));
    const one = big[0]!;
    assert.equal(one.disk, 0);
    assert.equal(one.swap, "");
    assert.equal(one["os-flavor-access:is_public"], true);
    assert.equal(typeof one.vcpus, "number");
    assert.equal((await nova("GET", "/flavors/detail?minDisk=1")).json.flavors instanceof Array, true);
    assert.equal(((await nova("GET", "/flavors/detail?minDisk=1")).json.flavors as unknown[]).length, 0, "no flavor has a local disk");
    assert.equal(((await nova("GET", "/flavors/detail?is_public=false")).json.flavors as unknown[]).length, 0);
    assert.equal(((await nova("GET", "/flavors/detail?is_public=None")).json.flavors as unknown[]).length, v1.length);

    const first = await nova("GET", "/flavors/detail?limit=3");
    assert.equal((first.json.flavors as unknown[]).length, 3);
    const next = new URL((first.json.flavors_links as { href: string }[])[0]!.href);
    const rest = await nova("GET", `/flavors/detail?limit=1000&marker=${next.searchParams.get("marker")}`);
    assert.equal((rest.json.flavors as unknown[]).length, v1.length - 3);
    assert.equal(rest.json.flavors_links, undefined);
    assertEcsError(await nova("GET", `/flavors/detail?marker=${MISSING}`), 400, "Ecs.0005");

    const shown = await nova("GET", "/flavors/s6.small.1", undefined, { "OpenStack-API-Version": "compute 2.55" });
    assert.equal(shown.status, 200);
    const f = shown.json.flavor as Json;
    assert.deepEqual([f.id, f.vcpus, f.ram, f.description], ["s6.small.1", 1, 1024, null]);
    assertEcsError(await nova("GET", "/flavors/s9.huge.99"), 404, "Ecs.0029");
  });

  test("zones: the plain list through the SDK; the detail is refused with 403 so that clients fall back", async () => {
    const zones = wire(await ecs.novaListAvailabilityZones(new NovaListAvailabilityZonesRequest())).availabilityZoneInfo as { zoneName: string }[];
    assert.ok(zones.some((z) => z.zoneName === "cn-north-4a"));
    assertEcsError(await nova("GET", "/os-availability-zone/detail"), 403, "Ecs.0003");
  });

  test("quota sets and limits: ECS's quota with what the project uses; another project's quota is 403", async () => {
    const set = (await nova("GET", `/os-quota-sets/${pid}`)).json.quota_set as Json;
    assert.equal(set.id, pid);
    assert.equal(set.instances, 100);
    assert.equal(set.key_pairs, 100);
    const detail = (await nova("GET", `/os-quota-sets/${pid}/detail`)).json.quota_set as Record<string, { limit: number; in_use: number }>;
    assert.deepEqual(detail.instances, { limit: 100, in_use: 0, reserved: 0 });
    assert.equal(((await nova("GET", `/os-quota-sets/${pid}/defaults`)).json.quota_set as Json).cores, 400);
    assertEcsError(await nova("GET", `/os-quota-sets/${MISSING}`), 403, "Ecs.0003");
    const limits = (await nova("GET", "/limits")).json.limits as { rate: unknown[]; absolute: Json };
    assert.deepEqual(limits.rate, []);
    assert.equal(limits.absolute.maxTotalInstances, 100);
    assert.equal(limits.absolute.totalInstancesUsed, 0);
    assert.equal(limits.absolute.maxTotalSpotInstances, undefined, "v1's spot figures stay v1's");
  });

  test("os-volumes_boot, update, start/stop/reboot, metadata, interfaces, security groups, volume attachments", async () => {
    const made = await nova("POST", "/os-volumes_boot", {
      server: { name: "web", imageRef: UBUNTU, flavorRef: "s6.small.1", networks: [{ uuid: subnetId }], metadata: { role: "web" } },
    });
    assert.equal(made.status, 202, made.text);
    const id = (made.json.server as { id: string }).id;
    await advance(31);
    assert.equal((await server(id)).status, "ACTIVE");
    assert.equal(((await nova("GET", "/limits")).json.limits as { absolute: Json }).absolute.totalInstancesUsed, 1);

    const renamed = await nova("PUT", `/servers/${id}`, { server: { name: "web-1", description: "front" } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal((renamed.json.server as Json).name, "web-1");
    const v1 = wire(await ecs.showServer(new ShowServerRequest().withServerId(id))).server as { name: string; description: string };
    assert.deepEqual([v1.name, v1.description], ["web-1", "front"], "ECS v1 sees nova's update");
    assertEcsError(await nova("PUT", `/servers/${MISSING}`, { server: { name: "x" } }), 404, "Ecs.0114");

    const stop = await nova("POST", `/servers/${id}/action`, { "os-stop": null });
    assert.equal(stop.status, 202, stop.text);
    assert.equal((await server(id))["OS-EXT-STS:task_state"], "powering-off");
    assertEcsError(await nova("POST", `/servers/${id}/action`, { "os-start": null }), 501, "Ecs.0603");
    await advance(31);
    assert.equal((await server(id)).status, "SHUTOFF");
    assertEcsError(await nova("POST", `/servers/${id}/action`, { "os-stop": null }), 400, "Ecs.0100");
    assert.equal((await nova("POST", `/servers/${id}/action`, { "os-start": null })).status, 202);
    await advance(31);
    assert.equal((await server(id)).status, "ACTIVE");
    assert.equal((await nova("POST", `/servers/${id}/action`, { reboot: { type: "HARD" } })).status, 202);
    assert.equal((await server(id)).status, "HARD_REBOOT");
    await advance(31);
    assert.equal((await server(id)).status, "ACTIVE");
    assertEcsError(await nova("POST", `/servers/${id}/action`, { addFloatingIp: { address: "1.2.3.4" } }), 400, "Ecs.0005");
    assertEcsError(await nova("POST", `/servers/${MISSING}/action`, { "os-stop": null }), 404, "Ecs.0114");
    const sg = await nova("POST", `/servers/${id}/action`, { addSecurityGroup: { name: "default" } });
    assert.equal(sg.status, 501, sg.text);
    assert.match(String(sg.json.error_msg), /NovaAssociateSecurityGroup/);

    assert.deepEqual((await nova("GET", `/servers/${id}/metadata`)).json.metadata, { role: "web" });
    assert.deepEqual((await nova("POST", `/servers/${id}/metadata`, { metadata: { tier: "1" } })).json.metadata, { role: "web", tier: "1" });
    assert.deepEqual((await nova("PUT", `/servers/${id}/metadata/tier`, { meta: { tier: "2" } })).json.meta, { tier: "2" });
    assert.deepEqual((await nova("GET", `/servers/${id}/metadata/tier`)).json.meta, { tier: "2" });
    assertEcsError(await nova("PUT", `/servers/${id}/metadata/tier`, { meta: { other: "2" } }), 400, "Ecs.0005");
    assert.equal((await nova("DELETE", `/servers/${id}/metadata/role`)).status, 204);
    assertEcsError(await nova("GET", `/servers/${id}/metadata/role`), 404, "Ecs.0005");
    assert.deepEqual((await nova("PUT", `/servers/${id}/metadata`, { metadata: { only: "this" } })).json.metadata, { only: "this" });
    assert.deepEqual((await server(id)).metadata, { only: "this" });

    const nics = (await nova("GET", `/servers/${id}/os-interface`)).json.interfaceAttachments as { net_id: string; port_id: string }[];
    assert.equal(nics.length, 1);
    assert.equal(nics[0]!.net_id, subnetId);
    const groups = wire(await ecs.novaListServerSecurityGroups(new NovaListServerSecurityGroupsRequest().withServerId(id))).security_groups as { name: string }[];
    assert.deepEqual(groups.map((g) => g.name), ["default"]);

    const disk = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: (await server(id))["OS-EXT-AZ:availability_zone"], volume_type: "SSD", size: 10 } } });
    const volumeId = (disk.json.volume_ids as string[])[0]!;
    await advance(5);
    const attached = await nova("POST", `/servers/${id}/os-volume_attachments`, { volumeAttachment: { volumeId } });
    assert.equal(attached.status, 200, attached.text);
    assert.deepEqual(attached.json.volumeAttachment, { id: volumeId, volumeId, serverId: id, device: "/dev/vdb" });
    await advance(31);
    const list = (await nova("GET", `/servers/${id}/os-volume_attachments`)).json.volumeAttachments as { volumeId: string }[];
    assert.equal(list.length, 2, "the system disk and the new one");
    assert.equal(((await nova("GET", `/servers/${id}/os-volume_attachments/${volumeId}`)).json.volumeAttachment as Json).device, "/dev/vdb");
    assertEcsError(await nova("POST", `/servers/${id}/os-volume_attachments`, { volumeAttachment: { volumeId } }), 400, "Ecs.0057");
    assert.equal((await nova("DELETE", `/servers/${id}/os-volume_attachments/${volumeId}`)).status, 202);
    await advance(31);
    assertEcsError(await nova("GET", `/servers/${id}/os-volume_attachments/${volumeId}`), 404, "Ecs.0111");
    assertEcsError(await nova("DELETE", `/servers/${id}/os-volume_attachments/${volumeId}`), 400, "Ecs.0111");
  });

  test("os-interface: attach a NIC through the SDK (a port in the server's VPC), show it, detach it; refusals", async () => {
    const made = await nova("POST", "/servers", { server: { name: "nics", imageRef: UBUNTU, flavorRef: "s6.large.2", networks: [{ uuid: subnetId }] } });
    const id = (made.json.server as { id: string }).id;
    await advance(31);
    const second = (await newSubnet(vpc, { vpcId, cidr: "172.16.2.0/24", gatewayIp: "172.16.2.1", name: "second" })).id;
    const attach = (o: NovaAttachInterfaceOption) =>
      ecs.novaAttachInterface(new NovaAttachInterfaceRequest().withServerId(id).withBody(new NovaAttachInterfaceRequestBody().withInterfaceAttachment(o)));
    const res = wire(await attach(new NovaAttachInterfaceOption().withNetId(second).withFixedIps([new NovaAttachInterfaceFixedIp().withIpAddress("172.16.2.50")])));
    const nic = res.interfaceAttachment as { port_id: string; net_id: string; fixed_ips: { ip_address: string }[] };
    assert.deepEqual([nic.net_id, nic.fixed_ips[0]!.ip_address], [second, "172.16.2.50"]);
    const shown = wire(await ecs.novaShowServerInterface(new NovaShowServerInterfaceRequest().withServerId(id).withPortId(nic.port_id)));
    assert.equal((shown.interfaceAttachment as { port_id: string }).port_id, nic.port_id);
    assert.equal(((await nova("GET", `/servers/${id}/os-interface`)).json.interfaceAttachments as unknown[]).length, 2);
    const addresses = JSON.stringify((await server(id)).addresses);
    assert.ok(addresses.includes("172.16.2.50"), "the server shows the new address");

    const inUse = await sdkError(attach(new NovaAttachInterfaceOption().withNetId(second).withFixedIps([new NovaAttachInterfaceFixedIp().withIpAddress("172.16.2.50")])));
    assert.deepEqual([inUse.httpStatusCode, inUse.errorCode], [400, "Ecs.0010"]);
    const elsewhere = (await newSubnet(vpc, { vpcId: (await newVpc(vpc, "10.8.0.0/16", "other")).id, cidr: "10.8.1.0/24", gatewayIp: "10.8.1.1" })).id;
    assert.equal((await sdkError(attach(new NovaAttachInterfaceOption().withNetId(elsewhere)))).errorCode, "Ecs.0064");
    assert.equal((await sdkError(attach(new NovaAttachInterfaceOption().withNetId(MISSING)))).errorCode, "Ecs.0038");
    assert.equal((await sdkError(attach(new NovaAttachInterfaceOption().withPortId(MISSING)))).errorCode, "Ecs.0005");

    const primary = ((await nova("GET", `/servers/${id}/os-interface`)).json.interfaceAttachments as { port_id: string }[])[0]!.port_id;
    assertEcsError(await nova("DELETE", `/servers/${id}/os-interface/${primary}`), 400, "Ecs.0005");
    assert.equal((await nova("DELETE", `/servers/${id}/os-interface/${nic.port_id}`)).status, 202);
    assert.equal(((await nova("GET", `/servers/${id}/os-interface`)).json.interfaceAttachments as unknown[]).length, 1);
    assertEcsError(await nova("DELETE", `/servers/${id}/os-interface/${nic.port_id}`), 404, "Ecs.0005");
  });

  test("os-server-groups: nova's spelling of ECS's server groups", async () => {
    const made = await nova("POST", "/os-server-groups", { server_group: { name: "spread", policies: ["anti-affinity"] } });
    assert.equal(made.status, 200, made.text);
    const g = made.json.server_group as { id: string; policies: string[]; members: string[] };
    assert.deepEqual([g.policies, g.members], [["anti-affinity"], []]);
    const v1 = await hw.call("GET", `/ecs/v1/${pid}/cloudservers/os-server-groups/${g.id}`);
    assert.equal((v1.json.server_group as { name: string }).name, "spread", "ECS v1 shows nova's group");
    assert.ok(((await nova("GET", "/os-server-groups")).json.server_groups as { id: string }[]).some((x) => x.id === g.id));
    assert.equal(((await nova("GET", `/os-server-groups/${g.id}`)).json.server_group as { name: string }).name, "spread");
    assertEcsError(await nova("POST", "/os-server-groups", { server_group: { name: "x", policies: ["affinity"] } }), 400, "Ecs.0005");
    assert.equal((await nova("DELETE", `/os-server-groups/${g.id}`)).status, 204);
    assertEcsError(await nova("GET", `/os-server-groups/${g.id}`), 404, "Ecs.0005");
  });
});
