// Neutron v2.0 ports, security groups and rules through the official VPC SDK's Neutron* operations, and
// floating IPs (no Node EIP SDK exists: raw signed requests as the EIP SDKs send them) — the same ports,
// groups and EIPs VPC's and EIP's own APIs show, both ways; errors as NeutronError; tenancy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  FixedIp,
  ListSecurityGroupsRequest,
  NeutronCreatePortOption,
  NeutronCreatePortRequest,
  NeutronCreatePortRequestBody,
  NeutronCreateSecurityGroupOption,
  NeutronCreateSecurityGroupRequest,
  NeutronCreateSecurityGroupRequestBody,
  NeutronCreateSecurityGroupRuleOption,
  NeutronCreateSecurityGroupRuleRequest,
  NeutronCreateSecurityGroupRuleRequestBody,
  NeutronDeletePortRequest,
  NeutronDeleteSecurityGroupRequest,
  NeutronDeleteSecurityGroupRuleRequest,
  NeutronListPortsRequest,
  NeutronListSecurityGroupRulesRequest,
  NeutronListSecurityGroupsRequest,
  NeutronShowPortRequest,
  NeutronShowSecurityGroupRequest,
  NeutronShowSecurityGroupRuleRequest,
  NeutronUpdatePortOption,
  NeutronUpdatePortRequest,
  NeutronUpdatePortRequestBody,
  NeutronUpdateSecurityGroupOption,
  NeutronUpdateSecurityGroupRequest,
  NeutronUpdateSecurityGroupRequestBody,
  ShowPortRequest,
  ShowSecurityGroupRequest,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown> & { id: string };
const one = (res: unknown, key: string) => wire(res)[key] as Row;
const many = (res: unknown, key: string) => wire(res)[key] as Row[];

describe("neutron ports, security groups and floating IPs", () => {
  let hw: TestHwlocal;
  let sdk: VpcClient;
  let other: VpcClient;
  let subnet: Row & { neutron_subnet_id: string };
  before(async () => {
    hw = await startTestHwlocal();
    sdk = vpcClient(hw.url, hw.admin, hw.projectId());
    other = vpcClient(hw.url, hw.admin, hw.projectId("cn-east-3"));
    const vpc = await newVpc(sdk, "10.5.0.0/16");
    subnet = await newSubnet(sdk, { vpcId: vpc.id, cidr: "10.5.1.0/24", gatewayIp: "10.5.1.1" });
  });
  after(() => hw.close());

  const createGroup = async (name: string) =>
    one(
      await sdk.neutronCreateSecurityGroup(
        new NeutronCreateSecurityGroupRequest().withBody(new NeutronCreateSecurityGroupRequestBody().withSecurityGroup(new NeutronCreateSecurityGroupOption().withName(name).withDescription("d"))),
      ),
      "security_group",
    );

  test("ports: create with a fixed address, list with filters, show, update, delete; VPC's API agrees", async () => {
    const port = one(
      await sdk.neutronCreatePort(
        new NeutronCreatePortRequest().withBody(
          new NeutronCreatePortRequestBody().withPort(
            new NeutronCreatePortOption().withNetworkId(subnet.id).withName("np1").withFixedIps([new FixedIp().withSubnetId(subnet.neutron_subnet_id).withIpAddress("10.5.1.20")]),
          ),
        ),
      ),
      "port",
    );
    assert.equal(port.network_id, subnet.id);
    assert.deepEqual(port.fixed_ips, [{ subnet_id: subnet.neutron_subnet_id, ip_address: "10.5.1.20" }]);
    assert.equal(port.status, "DOWN");
    assert.equal(port.tenant_id, hw.projectId());
    assert.equal((port.security_groups as string[]).length, 1, "the default group");
    const v1 = wire(await sdk.showPort(new ShowPortRequest(port.id))).port as Row;
    assert.equal(v1.name, "np1");

    const vpcPort = await newPort(sdk, subnet.id);
    const listed = many(await sdk.neutronListPorts(new NeutronListPortsRequest().withNetworkId(subnet.id)), "ports");
    assert.deepEqual(listed.map((p) => p.id).sort(), [port.id, vpcPort.id].sort());
    const byIp = many(await sdk.neutronListPorts(new NeutronListPortsRequest().withFixedIps(["ip_address=10.5.1.20"])), "ports");
    assert.deepEqual(byIp.map((p) => p.id), [port.id]);
    const byName = many(await sdk.neutronListPorts(new NeutronListPortsRequest().withName("np1")), "ports");
    assert.deepEqual(byName.map((p) => p.id), [port.id]);
    const page = wire(await sdk.neutronListPorts(new NeutronListPortsRequest().withLimit(1)));
    assert.equal((page.ports as Row[]).length, 1);
    assert.equal((page.ports_links as { rel: string }[])[0]?.rel, "next");

    const g = await createGroup("port-group");
    const updated = one(
      await sdk.neutronUpdatePort(new NeutronUpdatePortRequest(port.id).withBody(new NeutronUpdatePortRequestBody().withPort(new NeutronUpdatePortOption().withName("np1x").withSecurityGroups([g.id])))),
      "port",
    );
    assert.equal(updated.name, "np1x");
    assert.deepEqual(updated.security_groups, [g.id]);
    assert.equal(one(await sdk.neutronShowPort(new NeutronShowPortRequest(port.id)), "port").name, "np1x");
    const badGroup = await sdkError(
      sdk.neutronUpdatePort(new NeutronUpdatePortRequest(port.id).withBody(new NeutronUpdatePortRequestBody().withPort(new NeutronUpdatePortOption().withSecurityGroups(["nope"])))),
    );
    assert.equal(badGroup.httpStatusCode, 404);

    // A taken address is a 409 IpAddressAlreadyAllocated; a network with no subnet cannot hold a port.
    const taken = await hw.call("POST", "/vpc/v2.0/ports", {
      headers: { "X-Project-Id": hw.projectId() },
      body: { port: { network_id: subnet.id, fixed_ips: [{ ip_address: "10.5.1.20" }] } },
    });
    assert.equal(taken.status, 409);
    assert.equal((taken.json.NeutronError as Row).type, "IpAddressAlreadyAllocated");
    const noNet = await sdkError(sdk.neutronCreatePort(new NeutronCreatePortRequest().withBody(new NeutronCreatePortRequestBody().withPort(new NeutronCreatePortOption().withNetworkId("nope")))));
    assert.equal(noNet.httpStatusCode, 404);

    // Deleting the group a port uses is refused.
    const inUse = await sdkError(sdk.neutronDeleteSecurityGroup(new NeutronDeleteSecurityGroupRequest(g.id)));
    assert.equal(inUse.httpStatusCode, 409);
    await sdk.neutronDeletePort(new NeutronDeletePortRequest(port.id));
    assert.equal((await sdkError(sdk.showPort(new ShowPortRequest(port.id)))).httpStatusCode, 404);
    assert.equal((await sdkError(sdk.neutronShowPort(new NeutronShowPortRequest(port.id)))).httpStatusCode, 404);
    assert.equal((await sdkError(sdk.neutronDeletePort(new NeutronDeletePortRequest(port.id)))).httpStatusCode, 404);
    assert.equal((await sdkError(other.neutronShowPort(new NeutronShowPortRequest(vpcPort.id)))).httpStatusCode, 404);
  });

  test("security groups and rules: VPC's groups with Huawei's default rules; rules through neutron", async () => {
    const groups = many(await sdk.neutronListSecurityGroups(new NeutronListSecurityGroupsRequest()), "security_groups");
    assert.ok(groups.some((g) => g.name === "default"), "the project's default group");
    const g = await createGroup("web");
    assert.equal((g.security_group_rules as Row[]).length, 4, "Huawei's default rules");
    const v1 = wire(await sdk.showSecurityGroup(new ShowSecurityGroupRequest(g.id))).security_group as Row;
    assert.equal(v1.name, "web");
    assert.ok((wire(await sdk.listSecurityGroups(new ListSecurityGroupsRequest())).security_groups as Row[]).some((x) => x.id === g.id));

    const rule = one(
      await sdk.neutronCreateSecurityGroupRule(
        new NeutronCreateSecurityGroupRuleRequest().withBody(
          new NeutronCreateSecurityGroupRuleRequestBody().withSecurityGroupRule(
            new NeutronCreateSecurityGroupRuleOption()
              .withSecurityGroupId(g.id)
              .withDirection("ingress")
              .withEthertype("IPv4")
              .withProtocol("tcp")
              .withPortRangeMin(22)
              .withPortRangeMax(22)
              .withRemoteIpPrefix("0.0.0.0/0")
              .withDescription("ssh"),
          ),
        ),
      ),
      "security_group_rule",
    );
    assert.equal(rule.security_group_id, g.id);
    assert.equal(rule.port_range_min, 22);
    assert.equal(rule.protocol, "tcp");
    assert.equal(one(await sdk.neutronShowSecurityGroupRule(new NeutronShowSecurityGroupRuleRequest(rule.id)), "security_group_rule").description, "ssh");
    const shown = one(await sdk.neutronShowSecurityGroup(new NeutronShowSecurityGroupRequest(g.id)), "security_group");
    assert.equal((shown.security_group_rules as Row[]).length, 5);
    const tcp = many(await sdk.neutronListSecurityGroupRules(new NeutronListSecurityGroupRulesRequest().withSecurityGroupId(g.id).withProtocol("tcp")), "security_group_rules");
    assert.deepEqual(tcp.map((r) => r.id), [rule.id]);
    const ports = many(await sdk.neutronListSecurityGroupRules(new NeutronListSecurityGroupRulesRequest().withPortRangeMin("22")), "security_group_rules");
    assert.deepEqual(ports.map((r) => r.id), [rule.id]);

    const dup = await sdkError(
      sdk.neutronCreateSecurityGroupRule(
        new NeutronCreateSecurityGroupRuleRequest().withBody(
          new NeutronCreateSecurityGroupRuleRequestBody().withSecurityGroupRule(
            new NeutronCreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withEthertype("IPv4").withProtocol("tcp").withPortRangeMin(22).withPortRangeMax(22).withRemoteIpPrefix("0.0.0.0/0"),
          ),
        ),
      ),
    );
    assert.equal(dup.httpStatusCode, 409);
    const badDir = await hw.call("POST", "/vpc/v2.0/security-group-rules", {
      headers: { "X-Project-Id": hw.projectId() },
      body: { security_group_rule: { security_group_id: g.id, direction: "sideways" } },
    });
    assert.equal(badDir.status, 400);
    assert.ok("NeutronError" in badDir.json);

    const renamed = one(
      await sdk.neutronUpdateSecurityGroup(
        new NeutronUpdateSecurityGroupRequest(g.id).withBody(new NeutronUpdateSecurityGroupRequestBody().withSecurityGroup(new NeutronUpdateSecurityGroupOption().withName("web2"))),
      ),
      "security_group",
    );
    assert.equal(renamed.name, "web2");
    await sdk.neutronDeleteSecurityGroupRule(new NeutronDeleteSecurityGroupRuleRequest(rule.id));
    assert.equal((await sdkError(sdk.neutronShowSecurityGroupRule(new NeutronShowSecurityGroupRuleRequest(rule.id)))).httpStatusCode, 404);
    assert.equal((await sdkError(other.neutronShowSecurityGroup(new NeutronShowSecurityGroupRequest(g.id)))).httpStatusCode, 404);
    await sdk.neutronDeleteSecurityGroup(new NeutronDeleteSecurityGroupRequest(g.id));
    const gone = await sdkError(sdk.neutronShowSecurityGroup(new NeutronShowSecurityGroupRequest(g.id)));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorCode, "VPC.0603");
    const def = groups.find((x) => x.name === "default")!;
    assert.equal((await sdkError(sdk.neutronDeleteSecurityGroup(new NeutronDeleteSecurityGroupRequest(def.id)))).httpStatusCode, 409);
  });

  test("floating IPs are EIPs, on the VPC and EIP endpoints: create, bind, unbind, delete", async () => {
    const headers = { "X-Project-Id": hw.projectId() };
    const nets = await hw.call("GET", "/vpc/v2.0/networks", { headers, query: { name: "admin_external_net" } });
    const ext = (nets.json.networks as Row[])[0]!;
    const port = await newPort(sdk, subnet.id);

    const created = await hw.call("POST", "/eip/v2.0/floatingips", { headers, body: { floatingip: { floating_network_id: ext.id } } });
    assert.equal(created.status, 201, created.text);
    const fip = created.json.floatingip as Row;
    assert.equal(fip.status, "DOWN");
    assert.equal(fip.floating_network_id, ext.id);
    assert.match(String(fip.floating_ip_address), /^198\.1[89]\./);
    const eip = await hw.call("GET", `/eip/v1/${hw.projectId()}/publicips/${fip.id}`);
    assert.equal(eip.status, 200);
    assert.equal((eip.json.publicip as Row).public_ip_address, fip.floating_ip_address);

    const bound = await hw.call("PUT", `/vpc/v2.0/floatingips/${fip.id}`, { headers, body: { floatingip: { port_id: port.id } } });
    assert.equal(bound.status, 200, bound.text);
    assert.equal((bound.json.floatingip as Row).status, "ACTIVE");
    assert.equal((bound.json.floatingip as Row).fixed_ip_address, port.fixed_ips[0]!.ip_address);
    assert.equal((bound.json.floatingip as Row).router_id, subnet.vpc_id);
    assert.equal(((await hw.call("GET", `/eip/v1/${hw.projectId()}/publicips/${fip.id}`)).json.publicip as Row).port_id, port.id);
    const byPort = await hw.call("GET", "/vpc/v2.0/floatingips", { headers, query: { port_id: port.id } });
    assert.deepEqual((byPort.json.floatingips as Row[]).map((f) => f.id), [fip.id]);
    const shown = await hw.call("GET", `/eip/v2.0/floatingips/${fip.id}`, { headers });
    assert.equal((shown.json.floatingip as Row).port_id, port.id);

    // An EIP made through EIP's API is a floating IP too.
    const v1 = await hw.call("POST", `/eip/v1/${hw.projectId()}/publicips`, {
      body: { publicip: { type: "5_bgp" }, bandwidth: { share_type: "PER", name: "bw", size: 5 } },
    });
    const v1Id = (v1.json.publicip as Row).id;
    const listed = await hw.call("GET", "/vpc/v2.0/floatingips", { headers });
    assert.ok((listed.json.floatingips as Row[]).some((f) => f.id === v1Id));

    const unbound = await hw.call("PUT", `/vpc/v2.0/floatingips/${fip.id}`, { headers, body: { floatingip: { port_id: null } } });
    assert.equal((unbound.json.floatingip as Row).port_id, null);
    const wrongNet = await hw.call("POST", "/vpc/v2.0/floatingips", { headers, body: { floatingip: { floating_network_id: subnet.id } } });
    assert.equal(wrongNet.status, 404);
    assert.equal((wrongNet.json.NeutronError as Row).type, "ExternalNetworkNotFound");
    const foreign = await hw.call("GET", `/vpc/v2.0/floatingips/${fip.id}`, { headers: { "X-Project-Id": hw.projectId("cn-east-3") } });
    assert.equal(foreign.status, 404);
    assert.equal((foreign.json.NeutronError as Row).type, "FloatingIPNotFound");

    const del = await hw.call("DELETE", `/eip/v2.0/floatingips/${fip.id}`, { headers });
    assert.equal(del.status, 204);
    assert.equal((await hw.call("GET", `/eip/v1/${hw.projectId()}/publicips/${fip.id}`)).status, 404);
    assert.equal((await hw.call("DELETE", `/vpc/v2.0/floatingips/${fip.id}`, { headers })).status, 404);
  });
});
