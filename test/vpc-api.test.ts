// VpcApi, what ECS calls through rt.api("vpc"), taken from a started hwlocal's bound services: typed
// failures, project scoping, and the same state the HTTP operations show.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DeletePortRequest, ListPortsRequest, ShowPortRequest, type VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import type { VpcApi } from "../src/services/vpc/index.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;

describe("VpcApi (for ECS) through a running hwlocal", () => {
  let hw: TestHwlocal;
  let api: VpcApi;
  let v1: VpcClient;
  let project: string;
  let vpcId: string;
  let subnet: Row & { id: string; neutron_subnet_id: string };
  before(async () => {
    hw = await startTestHwlocal();
    api = hw.services.find((s) => s.name === "vpc")!.api as VpcApi;
    project = hw.projectId();
    v1 = vpcClient(hw.url, hw.admin, project);
    vpcId = (await newVpc(v1, "10.0.0.0/16")).id;
    subnet = await newSubnet(v1, { vpcId, cidr: "10.0.0.0/28", gatewayIp: "10.0.0.1", availabilityZone: "cn-north-4a" });
  });
  after(() => hw.close());

  test("lookups are scoped by project", () => {
    assert.deepEqual(api.vpc(project, vpcId), { id: vpcId, name: "vpc-test", cidr: "10.0.0.0/16" });
    assert.equal(api.vpc(hw.projectId("cn-east-3"), vpcId), undefined);
    const s = api.subnet(project, subnet.id)!;
    assert.deepEqual(s, {
      id: subnet.id,
      neutronSubnetId: subnet.neutron_subnet_id,
      vpcId,
      name: "subnet-test",
      cidr: "10.0.0.0/28",
      gatewayIp: "10.0.0.1",
      availabilityZone: "cn-north-4a",
    });
    assert.deepEqual(api.subnet(project, subnet.neutron_subnet_id), s, "by neutron subnet id too");
    assert.equal(api.subnet(hw.projectId("cn-east-3"), subnet.id), undefined);
    const def = api.defaultSecurityGroup(project);
    assert.equal(def.name, "default");
    assert.equal(api.defaultSecurityGroup(project).id, def.id, "created once");
    assert.deepEqual(api.securityGroup(project, def.id), { id: def.id, name: "default", isDefault: true });
    assert.equal(api.securityGroup(hw.projectId("cn-east-3"), def.id), undefined);
  });

  test("createPort: real addresses, the default group, typed failures; deletePort and portsOfDevice", async () => {
    const server = "11111111-2222-4333-8444-555555555555";
    const first = api.createPort(project, { subnetId: subnet.id, deviceId: server, deviceOwner: "compute:cn-north-4a" });
    assert.ok(first.ok);
    assert.equal(first.port.ipAddress, "10.0.0.2");
    assert.match(first.port.macAddress, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(first.port.vpcId, vpcId);
    assert.equal(first.port.status, "ACTIVE");
    assert.deepEqual(first.port.securityGroupIds, [api.defaultSecurityGroup(project).id]);
    const fixed = api.createPort(project, { subnetId: subnet.neutron_subnet_id, ipAddress: "10.0.0.9", deviceId: server, deviceOwner: "compute:cn-north-4a" });
    assert.ok(fixed.ok);
    assert.equal(fixed.port.ipAddress, "10.0.0.9");

    const http = wire(await v1.showPort(new ShowPortRequest(first.port.id))).port as Row;
    assert.equal(http.device_id, server);
    assert.equal(http.device_owner, "compute:cn-north-4a");
    assert.equal(http.status, "ACTIVE");
    const refused = await sdkError(v1.deletePort(new DeletePortRequest(first.port.id)));
    assert.equal(refused.httpStatusCode, 409, "a server's port is not deleted through the VPC API");

    const fail = (opts: Partial<Parameters<VpcApi["createPort"]>[1]>) =>
      api.createPort(project, { subnetId: subnet.id, deviceId: server, deviceOwner: "compute:x", ...opts });
    const reason = (r: ReturnType<VpcApi["createPort"]>) => (r.ok ? "ok" : r.reason);
    assert.equal(reason(fail({ ipAddress: "10.0.0.9" })), "ip-in-use");
    assert.equal(reason(fail({ ipAddress: "10.0.0.1" })), "ip-in-use");
    assert.equal(reason(fail({ ipAddress: "10.0.1.9" })), "ip-not-in-subnet");
    assert.equal(reason(fail({ ipAddress: "10.0.0.15" })), "ip-reserved");
    assert.equal(reason(fail({ ipAddress: "ten" })), "invalid-ip");
    assert.equal(reason(fail({ subnetId: "nope" })), "subnet-not-found");
    assert.equal(reason(fail({ securityGroupIds: ["nope"] })), "security-group-not-found");
    assert.equal(reason(api.createPort(hw.projectId("cn-east-3"), { subnetId: subnet.id, deviceId: server, deviceOwner: "compute:x" })), "subnet-not-found");
    const more = [];
    for (let i = 0; i < 9; i++) more.push(fail({}));
    assert.deepEqual(more.map(reason), Array(9).fill("ok"));
    const exhausted = fail({});
    assert.ok(!exhausted.ok);
    assert.equal(exhausted.reason, "subnet-exhausted");
    assert.match(exhausted.message, /no free IP/);

    const mine = api.portsOfDevice(project, server);
    assert.equal(mine.length, 11);
    assert.deepEqual(api.portsOfDevice(hw.projectId("cn-east-3"), server), []);
    for (const p of mine) assert.equal(api.deletePort(project, p.id), true);
    assert.equal(api.deletePort(project, first.port.id), false);
    assert.deepEqual(wire(await v1.listPorts(new ListPortsRequest().withDeviceId(server))).ports, []);
  });

  test("public IPs: allocate, bind, publicIpsOfPort, unbind, release (also while bound), quota as a typed failure", () => {
    const port = api.createPort(project, { subnetId: subnet.id, deviceId: "srv-eip", deviceOwner: "compute:cn-north-4a" });
    assert.ok(port.ok);
    const eip = api.allocatePublicIp(project, { type: "5_bgp", bandwidth: { size: 10, shareType: "PER", chargeMode: "traffic" } });
    assert.ok(eip.ok);
    assert.equal(eip.publicIp.status, "DOWN");
    assert.equal(eip.publicIp.bandwidth.size, 10);
    assert.equal(eip.publicIp.bandwidth.chargeMode, "traffic");
    const bound = api.bindPublicIp(project, eip.publicIp.id, port.port.id);
    assert.ok(bound.ok);
    assert.equal(bound.publicIp.status, "ACTIVE");
    assert.equal(bound.publicIp.privateIpAddress, port.port.ipAddress);
    assert.deepEqual(api.publicIpsOfPort(project, port.port.id).map((e) => e.id), [eip.publicIp.id]);
    const second = api.allocatePublicIp(project, { type: "5_bgp", bandwidth: { size: 1, shareType: "PER" } });
    assert.ok(second.ok);
    const clash = api.bindPublicIp(project, second.publicIp.id, port.port.id);
    assert.ok(!clash.ok);
    assert.equal(clash.reason, "port-has-publicip");
    assert.equal((api.bindPublicIp(hw.projectId("cn-east-3"), eip.publicIp.id, port.port.id) as { reason?: string }).reason, "publicip-not-found");
    const unbound = api.unbindPublicIp(project, eip.publicIp.id);
    assert.ok(unbound.ok);
    assert.equal(unbound.publicIp.portId, null);
    assert.ok(api.bindPublicIp(project, second.publicIp.id, port.port.id).ok);
    assert.ok(api.releasePublicIp(project, second.publicIp.id).ok, "released although bound");
    assert.equal(api.publicIp(project, second.publicIp.id), undefined);
    assert.deepEqual(api.publicIpsOfPort(project, port.port.id), []);
    assert.ok(api.releasePublicIp(project, eip.publicIp.id).ok);
    const again = api.releasePublicIp(project, eip.publicIp.id);
    assert.ok(!again.ok);
    assert.equal(again.reason, "publicip-not-found");

    const badType = api.allocatePublicIp(project, { type: "bgp", bandwidth: { size: 1, shareType: "PER" } });
    assert.ok(!badType.ok);
    assert.equal(badType.reason, "invalid");
    const got = [];
    for (let i = 0; i < 10; i++) got.push(api.allocatePublicIp(project, { type: "5_bgp", bandwidth: { size: 1, shareType: "PER" } }));
    assert.ok(got.every((r) => r.ok));
    const over = api.allocatePublicIp(project, { type: "5_bgp", bandwidth: { size: 1, shareType: "PER" } });
    assert.ok(!over.ok);
    assert.equal(over.reason, "quota-exceeded");
  });
});
