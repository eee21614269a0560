// Security groups and rules through the official VPC SDK, v1 (v2 module) and v3: Huawei's default rules,
// the project's "default" group, rule validation and duplicates, in-use refusals, v1/v3 over one table.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreatePortOption,
  CreatePortRequest,
  CreatePortRequestBody,
  CreateSecurityGroupOption,
  CreateSecurityGroupRequest,
  CreateSecurityGroupRequestBody,
  CreateSecurityGroupRuleOption,
  CreateSecurityGroupRuleRequest,
  CreateSecurityGroupRuleRequestBody,
  DeletePortRequest,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupRuleRequest,
  ListSecurityGroupRulesRequest,
  ListSecurityGroupsRequest,
  ShowSecurityGroupRequest,
  ShowSecurityGroupRuleRequest,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import {
  CreateSecurityGroupOption as CreateSecurityGroupOptionV3,
  CreateSecurityGroupRequest as CreateSecurityGroupRequestV3,
  CreateSecurityGroupRequestBody as CreateSecurityGroupRequestBodyV3,
  CreateSecurityGroupRuleOption as CreateSecurityGroupRuleOptionV3,
  CreateSecurityGroupRuleRequest as CreateSecurityGroupRuleRequestV3,
  CreateSecurityGroupRuleRequestBody as CreateSecurityGroupRuleRequestBodyV3,
  DeleteSecurityGroupRequest as DeleteSecurityGroupRequestV3,
  DeleteSecurityGroupRuleRequest as DeleteSecurityGroupRuleRequestV3,
  ListSecurityGroupRulesRequest as ListSecurityGroupRulesRequestV3,
  ListSecurityGroupsRequest as ListSecurityGroupsRequestV3,
  ShowSecurityGroupRequest as ShowSecurityGroupRequestV3,
  ShowSecurityGroupRuleRequest as ShowSecurityGroupRuleRequestV3,
  UpdateSecurityGroupOption as UpdateSecurityGroupOptionV3,
  UpdateSecurityGroupRequest as UpdateSecurityGroupRequestV3,
  UpdateSecurityGroupRequestBody as UpdateSecurityGroupRequestBodyV3,
  type VpcClient as VpcV3Client,
} from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];

describe("security groups and rules through the SDK", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let v3: VpcV3Client;
  before(async () => {
    hw = await startTestHwlocal();
    v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    v3 = vpcV3Client(hw.url, hw.admin, hw.projectId());
  });
  after(() => hw.close());

  async function newGroup(name: string): Promise<Row & { id: string; security_group_rules: Row[] }> {
    const res = wire(
      await v1.createSecurityGroup(
        new CreateSecurityGroupRequest().withBody(new CreateSecurityGroupRequestBody().withSecurityGroup(new CreateSecurityGroupOption().withName(name))),
      ),
    );
    return res.security_group as Row & { id: string; security_group_rules: Row[] };
  }

  function newRule(option: CreateSecurityGroupRuleOption) {
    return v1.createSecurityGroupRule(new CreateSecurityGroupRuleRequest().withBody(new CreateSecurityGroupRuleRequestBody().withSecurityGroupRule(option)));
  }

  test("a new group has Huawei's four default rules; the project's default group is listed", async () => {
    const g = await newGroup("web");
    const summary = g.security_group_rules
      .map((r) => `${r.direction}/${r.ethertype}/${r.remote_group_id === g.id ? "self" : String(r.remote_group_id)}/${String(r.protocol)}`)
      .sort();
    assert.deepEqual(summary, ["egress/IPv4/null/null", "egress/IPv6/null/null", "ingress/IPv4/self/null", "ingress/IPv6/self/null"]);
    const list = rows(wire(await v1.listSecurityGroups(new ListSecurityGroupsRequest())).security_groups);
    const def = list.find((x) => x.name === "default");
    assert.ok(def, "the default group is listed");
    assert.equal(list.filter((x) => x.name === "default").length, 1);
    assert.ok(list.some((x) => x.id === g.id));
    const shown = wire(await v1.showSecurityGroup(new ShowSecurityGroupRequest(g.id))).security_group as Row;
    assert.equal(shown.name, "web");
    assert.equal(rows(shown.security_group_rules).length, 4);

    const refused = await sdkError(v1.deleteSecurityGroup(new DeleteSecurityGroupRequest(String(def.id))));
    assert.equal(refused.httpStatusCode, 409);
    assert.equal(refused.errorCode, "VPC.0602");
    const missing = await sdkError(v1.showSecurityGroup(new ShowSecurityGroupRequest("00000000-0000-4000-8000-000000000000")));
    assert.equal(missing.httpStatusCode, 404);
    assert.equal(missing.errorCode, "VPC.0603");
    const badName = await sdkError(newGroup("has space"));
    assert.equal(badName.httpStatusCode, 400);
  });

  test("groups filtered by vpc_id; a group used by a port cannot be deleted (409 VPC.0602)", async () => {
    const vpc = await newVpc(v1, "192.168.0.0/16");
    const inVpc = wire(
      await v1.createSecurityGroup(
        new CreateSecurityGroupRequest().withBody(
          new CreateSecurityGroupRequestBody().withSecurityGroup(new CreateSecurityGroupOption().withName("in-vpc").withVpcId(vpc.id)),
        ),
      ),
    ).security_group as Row & { id: string };
    const listed = rows(wire(await v1.listSecurityGroups(new ListSecurityGroupsRequest().withVpcId(vpc.id))).security_groups);
    assert.deepEqual(listed.map((x) => x.id), [inVpc.id]);

    const subnet = await newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.0.0/24", gatewayIp: "192.168.0.1" });
    const port = wire(
      await v1.createPort(
        new CreatePortRequest().withBody(new CreatePortRequestBody().withPort(new CreatePortOption().withNetworkId(subnet.id).withSecurityGroups([inVpc.id]))),
      ),
    ).port as Row & { id: string };
    assert.deepEqual(port.security_groups, [inVpc.id]);
    const inUse = await sdkError(v1.deleteSecurityGroup(new DeleteSecurityGroupRequest(inVpc.id)));
    assert.equal(inUse.httpStatusCode, 409);
    assert.equal(inUse.errorCode, "VPC.0602");
    assert.match(inUse.errorMsg, /SecurityGroupInUse/);
    await v1.deletePort(new DeletePortRequest(port.id));
    assert.equal(wire(await v1.deleteSecurityGroup(new DeleteSecurityGroupRequest(inVpc.id))).httpStatusCode, 204);
  });

  test("rules: validation, one remote at most, duplicates → 409 VPC.0602, list/show/delete", async () => {
    const g = await newGroup("rules");
    const other = await newGroup("peers");
    const ssh = wire(
      await newRule(
        new CreateSecurityGroupRuleOption()
          .withSecurityGroupId(g.id)
          .withDirection("ingress")
          .withProtocol("tcp")
          .withPortRangeMin(22)
          .withPortRangeMax(22)
          .withRemoteIpPrefix("10.0.0.0/8")
          .withDescription("ssh"),
      ),
    ).security_group_rule as Row & { id: string };
    assert.equal(ssh.ethertype, "IPv4");
    assert.equal(ssh.port_range_min, 22);
    assert.equal(ssh.remote_ip_prefix, "10.0.0.0/8");
    assert.equal(ssh.tenant_id, hw.projectId());

    const dup = await sdkError(
      newRule(new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("tcp").withPortRangeMin(22).withPortRangeMax(22).withRemoteIpPrefix("10.0.0.0/8")),
    );
    assert.equal(dup.httpStatusCode, 409);
    assert.equal(dup.errorCode, "VPC.0602");
    assert.equal(dup.errorMsg, "Security group rule already exists.");

    const bad: [string, CreateSecurityGroupRuleOption][] = [
      ["ports without a protocol", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withPortRangeMin(80).withPortRangeMax(80)],
      ["min above max", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("tcp").withPortRangeMin(90).withPortRangeMax(80)],
      ["port 70000", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("udp").withPortRangeMin(1).withPortRangeMax(70000)],
      ["an unknown protocol", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("sctp-ish")],
      ["a bad direction", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("inbound")],
      ["a bad ethertype", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withEthertype("IPv5")],
      [
        "both remotes",
        new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withRemoteIpPrefix("10.0.0.0/8").withRemoteGroupId(other.id),
      ],
      ["an IPv6 prefix on IPv4", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withRemoteIpPrefix("2001:db8::/32")],
      ["a bad prefix", new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withRemoteIpPrefix("10.0.0.0/33")],
    ];
    for (const [what, option] of bad) {
      const e = await sdkError(newRule(option));
      assert.equal(e.httpStatusCode, 400, what);
    }
    const noGroup = await sdkError(newRule(new CreateSecurityGroupRuleOption().withSecurityGroupId("00000000-0000-4000-8000-000000000000").withDirection("ingress")));
    assert.equal(noGroup.httpStatusCode, 404);
    assert.equal(noGroup.errorCode, "VPC.0603");
    const noRemote = await sdkError(
      newRule(new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withRemoteGroupId("00000000-0000-4000-8000-000000000000")),
    );
    assert.equal(noRemote.httpStatusCode, 404);

    const icmp = wire(
      await newRule(new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("icmp").withRemoteGroupId(other.id)),
    ).security_group_rule as Row & { id: string };
    const v6 = wire(
      await newRule(new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("egress").withEthertype("IPv6").withProtocol("udp").withPortRangeMin(53).withRemoteIpPrefix("2001:db8::/32")),
    ).security_group_rule as Row;
    assert.equal(v6.port_range_max, 53, "a single port_range_min means that port");

    const ofGroup = rows(wire(await v1.listSecurityGroupRules(new ListSecurityGroupRulesRequest().withSecurityGroupId(g.id))).security_group_rules);
    assert.equal(ofGroup.length, 4 + 3);
    const byPrefix = rows(wire(await v1.listSecurityGroupRules(new ListSecurityGroupRulesRequest().withRemoteIpPrefix("10.0.0.0/8"))).security_group_rules);
    assert.deepEqual(byPrefix.map((r) => r.id), [ssh.id]);
    const page = rows(wire(await v1.listSecurityGroupRules(new ListSecurityGroupRulesRequest().withSecurityGroupId(g.id).withLimit(2).withMarker(ssh.id))).security_group_rules);
    assert.deepEqual(page.map((r) => r.id).slice(0, 1), [icmp.id]);
    assert.equal((wire(await v1.showSecurityGroupRule(new ShowSecurityGroupRuleRequest(icmp.id))).security_group_rule as Row).protocol, "icmp");
    assert.equal(wire(await v1.deleteSecurityGroupRule(new DeleteSecurityGroupRuleRequest(ssh.id))).httpStatusCode, 204);
    const gone = await sdkError(v1.showSecurityGroupRule(new ShowSecurityGroupRuleRequest(ssh.id)));
    assert.equal(gone.httpStatusCode, 404);
    // Deleting a group takes its rules and the rules that name it as remote group with it.
    await v1.deleteSecurityGroup(new DeleteSecurityGroupRequest(other.id));
    const left = await sdkError(v1.showSecurityGroupRule(new ShowSecurityGroupRuleRequest(icmp.id)));
    assert.equal(left.httpStatusCode, 404);
  });

  test("v3 groups and rules share v1's tables: multiport, action, priority, repeated filters", async () => {
    const created = wire(
      await v3.createSecurityGroup(
        new CreateSecurityGroupRequestV3().withBody(
          new CreateSecurityGroupRequestBodyV3().withSecurityGroup(new CreateSecurityGroupOptionV3().withName("v3-group").withDescription("made in v3")),
        ),
      ),
    );
    assert.equal(created.httpStatusCode, 201);
    assert.match(String(created.request_id), /^[0-9a-f]{32}$/);
    const g = created.security_group as Row & { id: string };
    assert.equal(rows(g.security_group_rules).length, 4);
    assert.equal((wire(await v1.showSecurityGroup(new ShowSecurityGroupRequest(g.id))).security_group as Row).name, "v3-group");

    const rule = wire(
      await v3.createSecurityGroupRule(
        new CreateSecurityGroupRuleRequestV3().withBody(
          new CreateSecurityGroupRuleRequestBodyV3().withSecurityGroupRule(
            new CreateSecurityGroupRuleOptionV3()
              .withSecurityGroupId(g.id)
              .withDirection("ingress")
              .withProtocol("tcp")
              .withMultiport("80,443,8000-8080")
              .withRemoteIpPrefix("0.0.0.0/0")
              .withAction("deny")
              .withPriority("5"),
          ),
        ),
      ),
    );
    assert.equal(rule.httpStatusCode, 201);
    const r = rule.security_group_rule as Row & { id: string };
    assert.equal(r.multiport, "80,443,8000-8080");
    assert.equal(r.action, "deny");
    assert.equal(r.priority, 5);
    assert.equal(r.enabled, true);
    const viaV1 = wire(await v1.showSecurityGroupRule(new ShowSecurityGroupRuleRequest(r.id))).security_group_rule as Row;
    assert.equal(viaV1.protocol, "tcp");
    assert.equal(viaV1.port_range_min, null);

    const single = wire(
      await v3.createSecurityGroupRule(
        new CreateSecurityGroupRuleRequestV3().withBody(
          new CreateSecurityGroupRuleRequestBodyV3().withSecurityGroupRule(
            new CreateSecurityGroupRuleOptionV3().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("tcp").withMultiport("22").withRemoteIpPrefix("10.0.0.0/8"),
          ),
        ),
      ),
    ).security_group_rule as Row & { id: string };
    // The same rule through v1 is a duplicate.
    const dup = await sdkError(
      newRule(new CreateSecurityGroupRuleOption().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("tcp").withPortRangeMin(22).withPortRangeMax(22).withRemoteIpPrefix("10.0.0.0/8")),
    );
    assert.equal(dup.errorCode, "VPC.0602");
    const badPort = await sdkError(
      v3.createSecurityGroupRule(
        new CreateSecurityGroupRuleRequestV3().withBody(
          new CreateSecurityGroupRuleRequestBodyV3().withSecurityGroupRule(
            new CreateSecurityGroupRuleOptionV3().withSecurityGroupId(g.id).withDirection("ingress").withProtocol("tcp").withMultiport("0-80"),
          ),
        ),
      ),
    );
    assert.equal(badPort.httpStatusCode, 400);
    assert.equal(badPort.errorCode, "VPC.0101");

    const listed = wire(await v3.listSecurityGroupRules(new ListSecurityGroupRulesRequestV3().withSecurityGroupId([g.id]).withProtocol(["tcp"])));
    assert.deepEqual(rows(listed.security_group_rules).map((x) => x.id), [r.id, single.id]);
    const denied = wire(await v3.listSecurityGroupRules(new ListSecurityGroupRulesRequestV3().withSecurityGroupId([g.id]).withAction("deny")));
    assert.deepEqual(rows(denied.security_group_rules).map((x) => x.id), [r.id]);
    const paged = wire(await v3.listSecurityGroupRules(new ListSecurityGroupRulesRequestV3().withSecurityGroupId([g.id]).withLimit(2)));
    assert.equal((paged.page_info as Row).current_count, 2);
    assert.ok((paged.page_info as Row).next_marker);
    assert.equal((wire(await v3.showSecurityGroupRule(new ShowSecurityGroupRuleRequestV3(r.id))).security_group_rule as Row).id, r.id);

    const groups = wire(await v3.listSecurityGroups(new ListSecurityGroupsRequestV3().withName(["v3-group", "default"])));
    assert.deepEqual(rows(groups.security_groups).map((x) => x.name).sort(), ["default", "v3-group"]);
    const upd = wire(
      await v3.updateSecurityGroup(
        new UpdateSecurityGroupRequestV3(g.id).withBody(new UpdateSecurityGroupRequestBodyV3().withSecurityGroup(new UpdateSecurityGroupOptionV3().withName("renamed"))),
      ),
    );
    assert.equal((upd.security_group as Row).name, "renamed");
    assert.equal((wire(await v3.showSecurityGroup(new ShowSecurityGroupRequestV3(g.id))).security_group as Row).name, "renamed");
    assert.equal(wire(await v3.deleteSecurityGroupRule(new DeleteSecurityGroupRuleRequestV3(r.id))).httpStatusCode, 204);
    assert.equal(wire(await v3.deleteSecurityGroup(new DeleteSecurityGroupRequestV3(g.id))).httpStatusCode, 204);
    const gone = await sdkError(v3.showSecurityGroup(new ShowSecurityGroupRequestV3(g.id)));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorCode, "VPC.0603");
    const raw = await hw.call("GET", `/vpc/v3/${hw.projectId()}/vpc/security-groups/${g.id}`);
    assert.deepEqual(raw.json.error, { code: "VPC.0603", message: "Securitygroup is not exist." });
  });
});
