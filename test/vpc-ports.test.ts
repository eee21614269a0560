// Ports, private IPs and quotas through the official VPC SDK (v2 module): real address allocation — distinct
// addresses inside the subnet, reserved ones never handed out, release and reuse, fixed addresses, conflicts
// and exhaustion — and the quota report.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreatePortOption,
  CreatePortRequest,
  CreatePortRequestBody,
  CreatePrivateipOption,
  CreatePrivateipRequest,
  CreatePrivateipRequestBody,
  DeletePortRequest,
  DeletePrivateipRequest,
  DeleteSubnetRequest,
  FixedIp,
  ListPortsRequest,
  ListPrivateipsRequest,
  ShowPortRequest,
  ShowPrivateipRequest,
  ShowQuotaRequest,
  UpdatePortOption,
  UpdatePortRequest,
  UpdatePortRequestBody,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];
const ipOf = (p: { fixed_ips: { ip_address: string }[] }) => p.fixed_ips[0]!.ip_address;

describe("ports and private IPs through the SDK", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let vpcId: string;
  before(async () => {
    hw = await startTestHwlocal();
    v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    vpcId = (await newVpc(v1, "10.0.0.0/16")).id;
  });
  after(() => hw.close());

  test("ports get distinct addresses inside the subnet, lowest first, reused once released", async () => {
    const subnet = await newSubnet(v1, { vpcId, cidr: "10.0.1.0/24", gatewayIp: "10.0.1.1", availabilityZone: "cn-north-4b" });
    const ports = [];
    for (let i = 0; i < 5; i++) ports.push(await newPort(v1, subnet.id));
    assert.deepEqual(ports.map(ipOf), ["10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5", "10.0.1.6"]);
    const p0 = ports[0]!;
    assert.equal(p0.network_id, subnet.id);
    assert.deepEqual(p0.fixed_ips, [{ subnet_id: subnet.neutron_subnet_id, ip_address: "10.0.1.2" }]);
    assert.match(String(p0.mac_address), /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(new Set(ports.map((p) => p.mac_address)).size, 5);
    assert.equal(p0.status, "DOWN");
    assert.equal(p0.zone_id, "cn-north-4b");
    assert.equal(rows(p0.security_groups as unknown[]).length, 1, "the default security group");

    // Release .3 and .5: the next ports take them back, lowest first.
    await v1.deletePort(new DeletePortRequest(ports[1]!.id));
    await v1.deletePort(new DeletePortRequest(ports[3]!.id));
    const again = [await newPort(v1, subnet.id), await newPort(v1, subnet.id), await newPort(v1, subnet.id)];
    assert.deepEqual(again.map(ipOf), ["10.0.1.3", "10.0.1.5", "10.0.1.7"]);

    const shown = wire(await v1.showPort(new ShowPortRequest(p0.id))).port as Row;
    assert.equal(shown.mac_address, p0.mac_address);
    const updated = wire(
      await v1.updatePort(new UpdatePortRequest(p0.id).withBody(new UpdatePortRequestBody().withPort(new UpdatePortOption().withName("renamed")))),
    ).port as Row;
    assert.equal(updated.name, "renamed");
    const badGroup = await sdkError(
      v1.updatePort(
        new UpdatePortRequest(p0.id).withBody(new UpdatePortRequestBody().withPort(new UpdatePortOption().withSecurityGroups(["00000000-0000-4000-8000-000000000000"]))),
      ),
    );
    assert.equal(badGroup.httpStatusCode, 404);

    const byIp = rows(wire(await v1.listPorts(new ListPortsRequest().withFixedIps(["ip_address=10.0.1.5"]))).ports);
    assert.deepEqual(byIp.map((p) => p.id), [again[1]!.id]);
    const byNetwork = rows(wire(await v1.listPorts(new ListPortsRequest().withNetworkId(subnet.id))).ports);
    assert.equal(byNetwork.length, 6);
    const byIds = rows(wire(await v1.listPorts(new ListPortsRequest().withId([p0.id, again[0]!.id]))).ports);
    assert.deepEqual(byIds.map((p) => p.id).sort(), [p0.id, again[0]!.id].sort());
    const paged = rows(wire(await v1.listPorts(new ListPortsRequest().withNetworkId(subnet.id).withLimit(2).withMarker(p0.id))).ports);
    assert.equal(paged.length, 2);
    assert.equal(paged[0]!.id, ports[2]!.id);

    const missing = await sdkError(v1.showPort(new ShowPortRequest(ports[1]!.id)));
    assert.equal(missing.httpStatusCode, 404);
    const busy = await sdkError(v1.deleteSubnet(new DeleteSubnetRequest(vpcId, subnet.id)));
    assert.equal(busy.httpStatusCode, 409);
    assert.equal(busy.errorCode, "VPC.0209");
    for (const p of [p0, ports[2]!, ports[4]!, ...again]) await v1.deletePort(new DeletePortRequest(p.id));
    assert.equal(wire(await v1.deleteSubnet(new DeleteSubnetRequest(vpcId, subnet.id))).httpStatusCode, 204);
  });

  test("fixed addresses: honoured when free, refused in use, outside the subnet or reserved", async () => {
    const subnet = await newSubnet(v1, { vpcId, cidr: "10.0.2.0/24", gatewayIp: "10.0.2.1" });
    const fixed = await newPort(v1, subnet.id, "10.0.2.100");
    assert.equal(ipOf(fixed), "10.0.2.100");
    const inUse = await sdkError(newPort(v1, subnet.id, "10.0.2.100"));
    assert.equal(inUse.httpStatusCode, 409);
    assert.equal(inUse.errorCode, "VPC.0602");
    assert.match(inUse.errorMsg, /IpAddressAlreadyAllocated/);
    const gateway = await sdkError(newPort(v1, subnet.id, "10.0.2.1"));
    assert.equal(gateway.httpStatusCode, 409, "the gateway address is taken");
    for (const ip of ["10.0.3.5", "10.0.2.0", "10.0.2.253", "10.0.2.254", "10.0.2.255", "10.0.2.300"]) {
      const e = await sdkError(newPort(v1, subnet.id, ip));
      assert.equal(e.httpStatusCode, 400, ip);
      assert.equal(e.errorCode, "VPC.0101", ip);
    }
    // The lowest free address skips neither too much nor too little around a fixed one.
    assert.equal(ipOf(await newPort(v1, subnet.id)), "10.0.2.2");
    const wrongSubnet = await sdkError(
      v1.createPort(
        new CreatePortRequest().withBody(
          new CreatePortRequestBody().withPort(new CreatePortOption().withNetworkId(subnet.id).withFixedIps([new FixedIp().withSubnetId("not-this-one")])),
        ),
      ),
    );
    assert.equal(wrongSubnet.httpStatusCode, 400);
    const noNetwork = await sdkError(newPort(v1, "00000000-0000-4000-8000-000000000000"));
    assert.equal(noNetwork.httpStatusCode, 404);
    assert.equal(noNetwork.errorCode, "VPC.0202");
  });

  test("a /28 offers 11 addresses (not .0, the gateway, nor the last three); the 12th port fails", async () => {
    const subnet = await newSubnet(v1, { vpcId, cidr: "10.0.9.0/28", gatewayIp: "10.0.9.1" });
    const got: string[] = [];
    for (let i = 0; i < 11; i++) got.push(ipOf(await newPort(v1, subnet.id)));
    assert.deepEqual(got, Array.from({ length: 11 }, (_, i) => `10.0.9.${i + 2}`));
    const full = await sdkError(newPort(v1, subnet.id));
    assert.equal(full.httpStatusCode, 409);
    assert.equal(full.errorCode, "VPC.0602");
    assert.match(full.errorMsg, /IpAddressGenerationFailure/);
    const fullPrivate = await sdkError(
      v1.createPrivateip(new CreatePrivateipRequest().withBody(new CreatePrivateipRequestBody().withPrivateips([new CreatePrivateipOption(subnet.id)]))),
    );
    assert.equal(fullPrivate.httpStatusCode, 409);
  });

  test("private IPs: batch create (all or nothing), list by subnet with ports, show, delete", async () => {
    const subnet = await newSubnet(v1, { vpcId, cidr: "10.0.4.0/24", gatewayIp: "10.0.4.1" });
    const port = await newPort(v1, subnet.id);
    const created = wire(
      await v1.createPrivateip(
        new CreatePrivateipRequest().withBody(
          new CreatePrivateipRequestBody().withPrivateips([new CreatePrivateipOption(subnet.id), new CreatePrivateipOption(subnet.id).withIpAddress("10.0.4.50")]),
        ),
      ),
    );
    const ips = rows(created.privateips);
    assert.deepEqual(ips.map((p) => p.ip_address), ["10.0.4.3", "10.0.4.50"]);
    assert.equal(ips[0]!.status, "DOWN");
    assert.equal(ips[0]!.subnet_id, subnet.id);
    assert.equal(ips[0]!.tenant_id, hw.projectId());

    // The second one conflicts: neither is created.
    const conflict = await sdkError(
      v1.createPrivateip(
        new CreatePrivateipRequest().withBody(
          new CreatePrivateipRequestBody().withPrivateips([new CreatePrivateipOption(subnet.id), new CreatePrivateipOption(subnet.id).withIpAddress("10.0.4.50")]),
        ),
      ),
    );
    assert.equal(conflict.httpStatusCode, 409);
    const listed = rows(wire(await v1.listPrivateips(new ListPrivateipsRequest(subnet.id))).privateips);
    assert.deepEqual(listed.map((p) => p.ip_address), ["10.0.4.2", "10.0.4.3", "10.0.4.50"]);
    assert.equal(listed[0]!.id, port.id, "a port's address is listed with its id");
    const pagedList = rows(wire(await v1.listPrivateips(new ListPrivateipsRequest(subnet.id).withLimit(1).withMarker(port.id))).privateips);
    assert.deepEqual(pagedList.map((p) => p.ip_address), ["10.0.4.3"]);

    const id = String(ips[1]!.id);
    assert.equal((wire(await v1.showPrivateip(new ShowPrivateipRequest(id))).privateip as Row).ip_address, "10.0.4.50");
    assert.equal(wire(await v1.deletePrivateip(new DeletePrivateipRequest(id))).httpStatusCode, 204);
    const gone = await sdkError(v1.showPrivateip(new ShowPrivateipRequest(id)));
    assert.equal(gone.httpStatusCode, 404);
    const noSubnet = await sdkError(v1.listPrivateips(new ListPrivateipsRequest("00000000-0000-4000-8000-000000000000")));
    assert.equal(noSubnet.httpStatusCode, 404);
    assert.equal(noSubnet.errorCode, "VPC.0202");
    // The address is free again.
    const reuse = wire(
      await v1.createPrivateip(
        new CreatePrivateipRequest().withBody(new CreatePrivateipRequestBody().withPrivateips([new CreatePrivateipOption(subnet.id).withIpAddress("10.0.4.50")])),
      ),
    );
    assert.equal(rows(reuse.privateips)[0]!.ip_address, "10.0.4.50");
  });

  test("quotas report Huawei's resource types with used counts", async () => {
    const all = rows((wire(await v1.showQuota(new ShowQuotaRequest())).quotas as Row).resources);
    const byType = new Map(all.map((r) => [r.type, r]));
    for (const t of ["vpc", "subnet", "securityGroup", "securityGroupRule", "publicIp", "shareBandwidth"]) assert.ok(byType.has(t), t);
    assert.deepEqual(byType.get("vpc"), { type: "vpc", used: 1, quota: 5, min: 0 });
    assert.equal(byType.get("subnet")!.used, 3);
    assert.ok(Number(byType.get("securityGroup")!.used) >= 1);
    const one = rows((wire(await v1.showQuota(new ShowQuotaRequest().withType("securityGroupRule"))).quotas as Row).resources);
    assert.equal(one.length, 1);
    assert.equal(one[0]!.type, "securityGroupRule");
    const bad = await hw.call("GET", `/vpc/v1/${hw.projectId()}/quotas`, { query: { type: "bogus" } });
    assert.equal(bad.status, 400);
  });

  test("another project cannot see or delete this project's ports", async () => {
    const subnet = await newSubnet(v1, { vpcId, cidr: "10.0.5.0/24", gatewayIp: "10.0.5.1" });
    const port = await newPort(v1, subnet.id);
    const east = vpcClient(hw.url, hw.admin, hw.projectId("cn-east-3"));
    assert.equal((await sdkError(east.showPort(new ShowPortRequest(port.id)))).httpStatusCode, 404);
    assert.equal((await sdkError(east.deletePort(new DeletePortRequest(port.id)))).httpStatusCode, 404);
    assert.equal((await sdkError(newPort(east, subnet.id))).httpStatusCode, 404);
    assert.equal(rows(wire(await east.listPorts(new ListPortsRequest())).ports).length, 0);
  });
});
