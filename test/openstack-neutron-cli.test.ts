// The OpenStack CLI (Debian's python3-openstackclient, through openstacksdk) against neutron on hwlocal's
// VPC endpoint: networks, subnets, routers, ports, security groups and floating IPs made and read through
// the CLI, then read back through the official VPC SDK (and EIP's API), and the reverse; a missing one is
// the CLI's own "not found".
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ListVpcsRequest,
  ShowPortRequest,
  ShowSecurityGroupRequest,
  ShowSubnetRequest,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { openstackCli, runOpenstack } from "./helpers/openstack-cli.ts";
import { wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];
const row = (v: unknown) => v as Row;

describe("OpenStack CLI: network, subnet, security group and floating ip commands", () => {
  let hw: TestHwlocal;
  let sdk: VpcClient;
  before(async () => {
    hw = await startTestHwlocal();
    sdk = vpcClient(hw.url, hw.admin, hw.projectId());
  });
  after(() => hw.close());

  test("network and subnet create/list/show/delete are VPC subnets the SDK reads, and the reverse", async () => {
    const before = rows(await openstackCli(hw, ["network", "list"]));
    assert.deepEqual(before.map((n) => n.Name), ["admin_external_net"]);

    const net = row(await openstackCli(hw, ["network", "create", "cli-net"]));
    assert.equal(net.name, "cli-net");
    assert.equal(net.status, "ACTIVE");
    const sub = row(await openstackCli(hw, ["subnet", "create", "--network", "cli-net", "--subnet-range", "192.168.30.0/24", "cli-sub"]));
    assert.equal(sub.network_id, net.id);
    assert.equal(sub.gateway_ip, "192.168.30.1");
    const v1 = wire(await sdk.showSubnet(new ShowSubnetRequest(String(net.id)))).subnet as Row;
    assert.equal(v1.cidr, "192.168.30.0/24");
    assert.equal(v1.neutron_subnet_id, sub.id);

    // Made through the VPC SDK, listed by the CLI.
    const vpc = await newVpc(sdk, "10.40.0.0/16", "sdk-vpc");
    const sdkSub = await newSubnet(sdk, { vpcId: vpc.id, cidr: "10.40.1.0/24", gatewayIp: "10.40.1.1", name: "sdk-sub" });
    const nets = rows(await openstackCli(hw, ["network", "list"]));
    assert.deepEqual(nets.map((n) => n.Name).sort(), ["admin_external_net", "cli-net", "sdk-sub"]);
    const subs = rows(await openstackCli(hw, ["subnet", "list"]));
    assert.deepEqual(subs.map((s) => s.ID).sort(), [sub.id, sdkSub.neutron_subnet_id].sort());
    const shown = row(await openstackCli(hw, ["network", "show", "sdk-sub"]));
    assert.equal(shown.id, sdkSub.id);
    assert.deepEqual(shown.subnets, [sdkSub.neutron_subnet_id]);

    assert.equal(await openstackCli(hw, ["network", "delete", "cli-net"], { json: false }), null);
    const missing = await runOpenstack(hw, ["network", "show", "cli-net"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No Network found for cli-net/);
  });

  test("security group create/list: VPC's groups, with Huawei's default rules", async () => {
    const g = row(await openstackCli(hw, ["security", "group", "create", "--description", "from the cli", "cli-sg"]));
    assert.equal(g.name, "cli-sg");
    assert.equal(rows(g.rules).length, 4);
    const v1 = wire(await sdk.showSecurityGroup(new ShowSecurityGroupRequest(String(g.id)))).security_group as Row;
    assert.equal(v1.description, "from the cli");
    const list = rows(await openstackCli(hw, ["security", "group", "list"]));
    assert.deepEqual(list.map((x) => x.Name).sort(), ["cli-sg", "default"]);
  });

  test("router create and add subnet, port create, floating ip on the port, external networks", async () => {
    const router = row(await openstackCli(hw, ["router", "create", "cli-router"]));
    const vpcs = wire(await sdk.listVpcs(new ListVpcsRequest())).vpcs as Row[];
    assert.ok(vpcs.some((v) => v.id === router.id && v.name === "cli-router"), "the router is a VPC");
    await openstackCli(hw, ["network", "create", "cli-net2"]);
    const sub = row(await openstackCli(hw, ["subnet", "create", "--network", "cli-net2", "--subnet-range", "192.168.50.0/24", "cli-sub2"]));
    await openstackCli(hw, ["router", "add", "subnet", "cli-router", "cli-sub2"], { json: false });
    const v1 = wire(await sdk.showSubnet(new ShowSubnetRequest(String(sub.network_id)))).subnet as Row;
    assert.equal(v1.vpc_id, router.id);

    const port = row(await openstackCli(hw, ["port", "create", "--network", "cli-net2", "cli-port"]));
    assert.deepEqual(port.fixed_ips, [{ subnet_id: sub.id, ip_address: "192.168.50.2" }]);
    const sdkPort = wire(await sdk.showPort(new ShowPortRequest(String(port.id)))).port as Row;
    assert.equal(sdkPort.name, "cli-port");
    const fip = row(await openstackCli(hw, ["floating", "ip", "create", "--port", "cli-port", "admin_external_net"]));
    assert.equal(fip.fixed_ip_address, "192.168.50.2");
    assert.equal(fip.router_id, router.id);
    const external = rows(await openstackCli(hw, ["network", "list", "--external"]));
    assert.deepEqual(external.map((n) => n.Name), ["admin_external_net"]);
  });

  test("floating ip create/list are EIPs that EIP's API shows", async () => {
    const fip = row(await openstackCli(hw, ["floating", "ip", "create", "admin_external_net"]));
    assert.equal(fip.status, "DOWN");
    const eip = await hw.call("GET", `/eip/v1/${hw.projectId()}/publicips/${String(fip.id)}`);
    assert.equal(eip.status, 200);
    assert.equal((eip.json.publicip as Row).public_ip_address, fip.floating_ip_address);
    const list = rows(await openstackCli(hw, ["floating", "ip", "list"]));
    assert.ok(list.some((f) => f.ID === fip.id));
    await openstackCli(hw, ["floating", "ip", "delete", String(fip.id)], { json: false });
    assert.equal((await hw.call("GET", `/eip/v1/${hw.projectId()}/publicips/${String(fip.id)}`)).status, 404);
  });
});
