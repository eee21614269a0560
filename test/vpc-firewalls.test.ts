// v3 address groups and network ACLs (firewalls) through the official VPC SDK: address entries and
// capacity, rules inserted/updated/removed in order, subnets associated (one firewall a subnet), status,
// in-use refusals, the force delete of an address group, and firewall tags.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddFirewallRulesRequest,
  AddFirewallRulesRequestBody,
  AssociateSubnetFirewallRequest,
  AssociateSubnetFirewallRequestBody,
  BatchCreateFirewallTagsRequest,
  BatchCreateFirewallTagsRequestBody,
  CountFirewallsByTagsRequest,
  CountFirewallsByTagsRequestBody,
  CreateAddressGroupOption,
  CreateAddressGroupRequest,
  CreateAddressGroupRequestBody,
  CreateFirewallOption,
  CreateFirewallRequest,
  CreateFirewallRequestBody,
  CreateFirewallTagRequest,
  CreateFirewallTagRequestBody,
  CreateSecurityGroupOption,
  CreateSecurityGroupRequest,
  CreateSecurityGroupRequestBody,
  CreateSecurityGroupRuleOption,
  CreateSecurityGroupRuleRequest,
  CreateSecurityGroupRuleRequestBody,
  ShowSecurityGroupRuleRequest,
  DeleteAddressGroupRequest,
  DeleteFirewallRequest,
  DeleteFirewallTagRequest,
  DeleteIpAddressGroupForceRequest,
  DisassociateSubnetFirewallRequest,
  DisassociateSubnetFirewallRequestBody,
  FirewallAssociation,
  FirewallInsertRuleItemOption,
  FirewallInsertRuleOption,
  FirewallRemoveRuleItemOption,
  FirewallRemoveRuleOption,
  FirewallUpdateRuleItemOption,
  FirewallUpdateRuleOption,
  ListAddressGroupRequest,
  ListFirewallRequest,
  ListFirewallTagsRequest,
  ListFirewallsByTagsRequest,
  ListFirewallsByTagsRequestBody,
  ListTag,
  RemoveFirewallRulesRequest,
  RemoveFirewallRulesRequestBody,
  ResourceTag,
  ShowAddressGroupRequest,
  ShowFirewallRequest,
  ShowFirewallTagsRequest,
  UpdateAddressGroupOption,
  UpdateAddressGroupRequest,
  UpdateAddressGroupRequestBody,
  UpdateFirewallOption,
  UpdateFirewallRequest,
  UpdateFirewallRequestBody,
  UpdateFirewallRulesRequest,
  UpdateFirewallRulesRequestBody,
  BatchDeleteFirewallTagsRequest,
  BatchDeleteFirewallTagsRequestBody,
  type VpcClient as VpcV3Client,
} from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
type Fw = Row & { id: string; ingress_rules: (Row & { id: string })[]; egress_rules: (Row & { id: string })[] };

describe("v3 address groups and firewalls through the SDK", () => {
  let hw: TestHwlocal;
  let v3: VpcV3Client;
  let subnetIds: string[];
  before(async () => {
    hw = await startTestHwlocal();
    const v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    v3 = vpcV3Client(hw.url, hw.admin, hw.projectId());
    const v = await newVpc(v1, "10.8.0.0/16");
    subnetIds = [(await newSubnet(v1, { vpcId: v.id, cidr: "10.8.1.0/24", gatewayIp: "10.8.1.1" })).id, (await newSubnet(v1, { vpcId: v.id, cidr: "10.8.2.0/24", gatewayIp: "10.8.2.1" })).id];
  });
  after(() => hw.close());

  async function newGroup(name: string, ips: string[]) {
    const res = wire(
      await v3.createAddressGroup(
        new CreateAddressGroupRequest().withBody(new CreateAddressGroupRequestBody().withAddressGroup(new CreateAddressGroupOption().withName(name).withIpVersion(4).withIpSet(ips))),
      ),
    );
    return res.address_group as Row & { id: string };
  }

  test("address groups: create, list, show, update, capacity and entry checks", async () => {
    const g = await newGroup("office", ["10.0.0.1", "192.168.0.0/24", "172.16.0.1-172.16.0.9"]);
    assert.deepEqual([g.status, g.max_capacity, g.ip_version], ["NORMAL", 20, 4]);
    const listed = wire(await v3.listAddressGroup(new ListAddressGroupRequest().withName(["office"])));
    assert.deepEqual((listed.address_groups as Row[]).map((x) => x.id), [g.id]);
    const updated = wire(
      await v3.updateAddressGroup(
        new UpdateAddressGroupRequest().withAddressGroupId(g.id).withBody(new UpdateAddressGroupRequestBody().withAddressGroup(new UpdateAddressGroupOption().withIpSet(["10.1.0.0/16"]).withMaxCapacity(5))),
      ),
    ).address_group as Row;
    assert.deepEqual([updated.ip_set, updated.max_capacity], [["10.1.0.0/16"], 5]);
    assert.deepEqual((wire(await v3.showAddressGroup(new ShowAddressGroupRequest().withAddressGroupId(g.id))).address_group as Row).ip_set, ["10.1.0.0/16"]);
    const bad = await sdkError(newGroup("bad", ["10.0.0.300"]));
    assert.deepEqual([bad.httpStatusCode, bad.errorCode], [400, "VPC.0101"]);
    const full = await sdkError(
      v3.updateAddressGroup(
        new UpdateAddressGroupRequest().withAddressGroupId(g.id).withBody(new UpdateAddressGroupRequestBody().withAddressGroup(new UpdateAddressGroupOption().withMaxCapacity(1).withIpSet(["10.0.0.1", "10.0.0.2"]))),
      ),
    );
    assert.equal(full.httpStatusCode, 400);
    await v3.deleteAddressGroup(new DeleteAddressGroupRequest().withAddressGroupId(g.id));
    const gone = await sdkError(v3.showAddressGroup(new ShowAddressGroupRequest().withAddressGroupId(g.id)));
    assert.deepEqual([gone.httpStatusCode, gone.errorCode], [404, "VPC.0202"]);
  });

  test("firewalls: rules in order, subnets, status, in-use refusals, force delete of a named address group", async () => {
    const f = wire(
      await v3.createFirewall(new CreateFirewallRequest().withBody(new CreateFirewallRequestBody().withFirewall(new CreateFirewallOption().withName("acl-web").withDescription("web tier")))),
    ).firewall as Fw;
    assert.deepEqual([f.status, f.admin_state_up, f.ingress_rules, f.associations], ["INACTIVE", true, [], []]);
    const group = await newGroup("admins", ["10.9.0.0/24"]);
    const rule = (name: string) => new FirewallInsertRuleItemOption().withName(name).withAction("allow").withProtocol("tcp").withIpVersion(4);
    const insert = (opt: FirewallInsertRuleOption) => v3.addFirewallRules(new AddFirewallRulesRequest().withFirewallId(f.id).withBody(new AddFirewallRulesRequestBody().withFirewall(opt)));
    const first = wire(await insert(new FirewallInsertRuleOption().withIngressRules([rule("https").withDestinationPort("443"), rule("ssh").withDestinationPort("22").withSourceAddressGroupId(group.id)])))
      .firewall as Fw;
    const [https, ssh] = first.ingress_rules;
    const second = wire(await insert(new FirewallInsertRuleOption().withInsertAfterRule(https!.id).withIngressRules([rule("http").withDestinationPort("80")]))).firewall as Fw;
    assert.deepEqual(second.ingress_rules.map((r) => r.name), ["https", "http", "ssh"]);
    const badPort = await sdkError(insert(new FirewallInsertRuleOption().withEgressRules([rule("x").withProtocol("icmp").withDestinationPort("80")])));
    assert.deepEqual([badPort.httpStatusCode, badPort.errorCode], [400, "VPC.0101"]);

    const changed = wire(
      await v3.updateFirewallRules(
        new UpdateFirewallRulesRequest()
          .withFirewallId(f.id)
          .withBody(new UpdateFirewallRulesRequestBody().withFirewall(new FirewallUpdateRuleOption().withIngressRules([new FirewallUpdateRuleItemOption().withId(https!.id).withAction("deny")]))),
      ),
    ).firewall as Fw;
    assert.equal(changed.ingress_rules[0]!.action, "deny");

    const inUse = await sdkError(v3.deleteAddressGroup(new DeleteAddressGroupRequest().withAddressGroupId(group.id)));
    assert.equal(inUse.httpStatusCode, 409);

    const assoc = (ids: string[]) => new AssociateSubnetFirewallRequestBody().withSubnets(ids.map((id) => new FirewallAssociation().withVirsubnetId(id)));
    const active = wire(await v3.associateSubnetFirewall(new AssociateSubnetFirewallRequest().withFirewallId(f.id).withBody(assoc([subnetIds[0]!])))).firewall as Fw;
    assert.deepEqual([active.status, active.associations], ["ACTIVE", [{ virsubnet_id: subnetIds[0] }]]);
    const other = wire(await v3.createFirewall(new CreateFirewallRequest().withBody(new CreateFirewallRequestBody().withFirewall(new CreateFirewallOption().withName("acl-db"))))).firewall as Fw;
    const taken = await sdkError(v3.associateSubnetFirewall(new AssociateSubnetFirewallRequest().withFirewallId(other.id).withBody(assoc([subnetIds[0]!]))));
    assert.equal(taken.httpStatusCode, 409);
    const busy = await sdkError(v3.deleteFirewall(new DeleteFirewallRequest().withFirewallId(f.id)));
    assert.equal(busy.httpStatusCode, 409);
    const down = wire(
      await v3.updateFirewall(new UpdateFirewallRequest().withFirewallId(f.id).withBody(new UpdateFirewallRequestBody().withFirewall(new UpdateFirewallOption().withAdminStateUp(false)))),
    ).firewall as Fw;
    assert.equal(down.status, "INACTIVE");
    const listed = wire(await v3.listFirewall(new ListFirewallRequest().withName(["acl-web"])));
    assert.deepEqual((listed.firewalls as Row[]).map((x) => [x.id, "ingress_rules" in x]), [[f.id, false]]);

    // The force delete of the group takes the ssh rule with it.
    await v3.deleteIpAddressGroupForce(new DeleteIpAddressGroupForceRequest().withAddressGroupId(group.id));
    const shown = wire(await v3.showFirewall(new ShowFirewallRequest().withFirewallId(f.id))).firewall as Fw;
    assert.deepEqual(shown.ingress_rules.map((r) => r.name), ["https", "http"]);
    assert.ok(ssh);
    const removed = wire(
      await v3.removeFirewallRules(
        new RemoveFirewallRulesRequest()
          .withFirewallId(f.id)
          .withBody(new RemoveFirewallRulesRequestBody().withFirewall(new FirewallRemoveRuleOption().withIngressRules([new FirewallRemoveRuleItemOption().withId(https!.id)]))),
      ),
    ).firewall as Fw;
    assert.deepEqual(removed.ingress_rules.map((r) => r.name), ["http"]);
    const noRule = await sdkError(
      v3.removeFirewallRules(
        new RemoveFirewallRulesRequest()
          .withFirewallId(f.id)
          .withBody(new RemoveFirewallRulesRequestBody().withFirewall(new FirewallRemoveRuleOption().withIngressRules([new FirewallRemoveRuleItemOption().withId(https!.id)]))),
      ),
    );
    assert.equal(noRule.httpStatusCode, 404);
    await v3.disassociateSubnetFirewall(
      new DisassociateSubnetFirewallRequest().withFirewallId(f.id).withBody(new DisassociateSubnetFirewallRequestBody().withSubnets([new FirewallAssociation().withVirsubnetId(subnetIds[0]!)])),
    );
    await v3.deleteFirewall(new DeleteFirewallRequest().withFirewallId(f.id));
    const missing = await sdkError(v3.showFirewall(new ShowFirewallRequest().withFirewallId(f.id)));
    assert.equal(missing.httpStatusCode, 404);
  });

  test("a security group rule names an address group: same ethertype only; the group is then in use until force-deleted", async () => {
    const group = await newGroup("peers", ["10.7.0.0/24"]);
    const sg = wire(
      await v3.createSecurityGroup(new CreateSecurityGroupRequest().withBody(new CreateSecurityGroupRequestBody().withSecurityGroup(new CreateSecurityGroupOption().withName("sg-ag")))),
    ).security_group as Row & { id: string };
    const rule = (ethertype: string) =>
      v3.createSecurityGroupRule(
        new CreateSecurityGroupRuleRequest().withBody(
          new CreateSecurityGroupRuleRequestBody().withSecurityGroupRule(
            new CreateSecurityGroupRuleOption().withSecurityGroupId(sg.id).withDirection("ingress").withEthertype(ethertype).withProtocol("tcp").withMultiport("5432").withRemoteAddressGroupId(group.id),
          ),
        ),
      );
    const made = wire(await rule("IPv4")).security_group_rule as Row & { id: string };
    assert.equal(made.remote_address_group_id, group.id);
    const v6 = await sdkError(rule("IPv6"));
    assert.deepEqual([v6.httpStatusCode, v6.errorCode], [400, "VPC.0101"]);
    const inUse = await sdkError(v3.deleteAddressGroup(new DeleteAddressGroupRequest().withAddressGroupId(group.id)));
    assert.equal(inUse.httpStatusCode, 409);
    await v3.deleteIpAddressGroupForce(new DeleteIpAddressGroupForceRequest().withAddressGroupId(group.id));
    const gone = await sdkError(v3.showSecurityGroupRule(new ShowSecurityGroupRuleRequest().withSecurityGroupRuleId(made.id)));
    assert.equal(gone.httpStatusCode, 404);
  });

  test("firewall tags", async () => {
    const f = wire(await v3.createFirewall(new CreateFirewallRequest().withBody(new CreateFirewallRequestBody().withFirewall(new CreateFirewallOption().withName("acl-tagged"))))).firewall as Fw;
    const t = (k: string, v: string) => new ResourceTag().withKey(k).withValue(v);
    await v3.createFirewallTag(new CreateFirewallTagRequest().withFirewallId(f.id).withBody(new CreateFirewallTagRequestBody().withTag(t("env", "prod"))));
    await v3.batchCreateFirewallTags(new BatchCreateFirewallTagsRequest().withFirewallId(f.id).withBody(new BatchCreateFirewallTagsRequestBody().withTags([t("a", "1"), t("b", "2")])));
    await v3.batchDeleteFirewallTags(new BatchDeleteFirewallTagsRequest().withFirewallId(f.id).withBody(new BatchDeleteFirewallTagsRequestBody().withTags([t("b", "2")])));
    await v3.deleteFirewallTag(new DeleteFirewallTagRequest().withFirewallId(f.id).withTagKey("a"));
    assert.deepEqual(wire(await v3.showFirewallTags(new ShowFirewallTagsRequest().withFirewallId(f.id))).tags, [{ key: "env", value: "prod" }]);
    assert.deepEqual(wire(await v3.listFirewallTags(new ListFirewallTagsRequest())).tags, [{ key: "env", values: ["prod"] }]);
    const found = wire(await v3.listFirewallsByTags(new ListFirewallsByTagsRequest().withBody(new ListFirewallsByTagsRequestBody().withTags([new ListTag().withKey("env").withValues(["prod"])]))));
    assert.deepEqual((found.resources as Row[]).map((r) => [r.resource_id, r.resource_name]), [[f.id, "acl-tagged"]]);
    const n = wire(await v3.countFirewallsByTags(new CountFirewallsByTagsRequest().withBody(new CountFirewallsByTagsRequestBody().withTags([new ListTag().withKey("env").withValues(["dev"])]))));
    assert.equal(n.total_count, 0);
    assert.deepEqual((wire(await v3.showFirewall(new ShowFirewallRequest().withFirewallId(f.id))).firewall as Row).tags, [{ key: "env", value: "prod" }]);
    const missing = await sdkError(v3.showFirewallTags(new ShowFirewallTagsRequest().withFirewallId("nope")));
    assert.equal(missing.httpStatusCode, 404);
  });
});
