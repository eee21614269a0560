// FWaaS v2 through the official VPC SDK's Neutron* firewall operations: rules, policies with insert_rule
// and remove_rule ordering, groups on ports; references checked (404s, 409 in-use), tenancy exact.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  NeutronAddFirewallRuleRequest,
  NeutronCreateFirewallGroupOption,
  NeutronCreateFirewallGroupRequest,
  NeutronCreateFirewallGroupRequestBody,
  NeutronCreateFirewallPolicyOption,
  NeutronCreateFirewallPolicyRequest,
  NeutronCreateFirewallPolicyRequestBody,
  NeutronCreateFirewallRuleOption,
  NeutronCreateFirewallRuleRequest,
  NeutronCreateFirewallRuleRequestBody,
  NeutronDeleteFirewallGroupRequest,
  NeutronDeleteFirewallPolicyRequest,
  NeutronDeleteFirewallRuleRequest,
  NeutronInsertFirewallRuleRequestBody,
  NeutronListFirewallGroupsRequest,
  NeutronListFirewallPoliciesRequest,
  NeutronListFirewallRulesRequest,
  NeutronRemoveFirewallRuleRequest,
  NeutronRemoveFirewallRuleRequestBody,
  NeutronShowFirewallGroupRequest,
  NeutronShowFirewallPolicyRequest,
  NeutronShowFirewallRuleRequest,
  NeutronUpdateFirewallGroupOption,
  NeutronUpdateFirewallGroupRequest,
  NeutronUpdateFirewallGroupRequestBody,
  NeutronUpdateFirewallPolicyOption,
  NeutronUpdateFirewallPolicyRequest,
  NeutronUpdateFirewallPolicyRequestBody,
  NeutronUpdateFirewallRuleOption,
  NeutronUpdateFirewallRuleRequest,
  NeutronUpdateFirewallRuleRequestBody,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown> & { id: string };
const one = (res: unknown, key: string) => wire(res)[key] as Row;
const many = (res: unknown, key: string) => wire(res)[key] as Row[];

describe("neutron FWaaS v2 through the VPC SDK", () => {
  let hw: TestHwlocal;
  let sdk: VpcClient;
  let other: VpcClient;
  before(async () => {
    hw = await startTestHwlocal();
    sdk = vpcClient(hw.url, hw.admin, hw.projectId());
    other = vpcClient(hw.url, hw.admin, hw.projectId("cn-east-3"));
  });
  after(() => hw.close());

  const createRule = async (name: string, opts: { protocol?: string; port?: string; action?: string } = {}) => {
    let o = new NeutronCreateFirewallRuleOption().withName(name).withAction(opts.action ?? "allow").withIpVersion(4).withSourceIpAddress("10.0.0.0/24");
    if (opts.protocol) o = o.withProtocol(opts.protocol);
    if (opts.port) o = o.withDestinationPort(opts.port);
    return one(await sdk.neutronCreateFirewallRule(new NeutronCreateFirewallRuleRequest().withBody(new NeutronCreateFirewallRuleRequestBody().withFirewallRule(o))), "firewall_rule");
  };

  test("rules: create, show, list with filters, update, delete; bad ports and protocols are 400", async () => {
    const r = await createRule("ssh", { protocol: "tcp", port: "22" });
    assert.equal(r.protocol, "tcp");
    assert.equal(r.destination_port, "22");
    assert.equal(r.enabled, true);
    assert.equal(r.tenant_id, hw.projectId());
    assert.equal(one(await sdk.neutronShowFirewallRule(new NeutronShowFirewallRuleRequest(r.id)), "firewall_rule").name, "ssh");
    const any = await createRule("all", { protocol: "any", action: "deny" });
    assert.equal(any.protocol, null);
    const denied = many(await sdk.neutronListFirewallRules(new NeutronListFirewallRulesRequest().withAction("deny")), "firewall_rules");
    assert.deepEqual(denied.map((x) => x.id), [any.id]);
    const named = many(await sdk.neutronListFirewallRules(new NeutronListFirewallRulesRequest().withName(["ssh", "all"])), "firewall_rules");
    assert.equal(named.length, 2);
    const updated = one(
      await sdk.neutronUpdateFirewallRule(
        new NeutronUpdateFirewallRuleRequest(r.id).withBody(new NeutronUpdateFirewallRuleRequestBody().withFirewallRule(new NeutronUpdateFirewallRuleOption().withDestinationPort("22:23").withEnabled(false))),
      ),
      "firewall_rule",
    );
    assert.equal(updated.destination_port, "22:23");
    assert.equal(updated.enabled, false);
    const icmpPort = await sdkError(createRule("bad", { protocol: "icmp", port: "22" }));
    assert.equal(icmpPort.httpStatusCode, 400);
    const badRange = await sdkError(createRule("bad", { protocol: "tcp", port: "90:80" }));
    assert.equal(badRange.httpStatusCode, 400);
    const badProto = await sdkError(createRule("bad", { protocol: "gre" }));
    assert.equal(badProto.httpStatusCode, 400);
    await sdk.neutronDeleteFirewallRule(new NeutronDeleteFirewallRuleRequest(any.id));
    const gone = await sdkError(sdk.neutronShowFirewallRule(new NeutronShowFirewallRuleRequest(any.id)));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal((await sdkError(other.neutronShowFirewallRule(new NeutronShowFirewallRuleRequest(r.id)))).httpStatusCode, 404);
  });

  test("policies order their rules: insert_rule before/after, remove_rule; a used rule cannot go", async () => {
    const [a, b, c] = [await createRule("a"), await createRule("b"), await createRule("c")];
    const p = one(
      await sdk.neutronCreateFirewallPolicy(
        new NeutronCreateFirewallPolicyRequest().withBody(new NeutronCreateFirewallPolicyRequestBody().withFirewallPolicy(new NeutronCreateFirewallPolicyOption().withName("pol").withFirewallRules([a.id]))),
      ),
      "firewall_policy",
    );
    assert.deepEqual(p.firewall_rules, [a.id]);
    assert.equal(p.audited, false);
    const insert = (body: NeutronInsertFirewallRuleRequestBody) => sdk.neutronAddFirewallRule(new NeutronAddFirewallRuleRequest(p.id).withBody(body));
    const afterA = wire(await insert(new NeutronInsertFirewallRuleRequestBody().withFirewallRuleId(c.id).withInsertAfter(a.id)));
    assert.deepEqual(afterA.firewall_rules, [a.id, c.id], "insert_rule answers the policy itself");
    const beforeC = wire(await insert(new NeutronInsertFirewallRuleRequestBody().withFirewallRuleId(b.id).withInsertBefore(c.id)));
    assert.deepEqual(beforeC.firewall_rules, [a.id, b.id, c.id]);
    const twice = await sdkError(insert(new NeutronInsertFirewallRuleRequestBody().withFirewallRuleId(b.id)));
    assert.equal(twice.httpStatusCode, 409);
    const missing = await sdkError(insert(new NeutronInsertFirewallRuleRequestBody().withFirewallRuleId("nope")));
    assert.equal(missing.httpStatusCode, 404);

    const inUse = await sdkError(sdk.neutronDeleteFirewallRule(new NeutronDeleteFirewallRuleRequest(b.id)));
    assert.equal(inUse.httpStatusCode, 409);
    const removed = wire(await sdk.neutronRemoveFirewallRule(new NeutronRemoveFirewallRuleRequest(p.id).withBody(new NeutronRemoveFirewallRuleRequestBody().withFirewallRuleId(b.id))));
    assert.deepEqual(removed.firewall_rules, [a.id, c.id]);
    const notIn = await sdkError(sdk.neutronRemoveFirewallRule(new NeutronRemoveFirewallRuleRequest(p.id).withBody(new NeutronRemoveFirewallRuleRequestBody().withFirewallRuleId(b.id))));
    assert.equal(notIn.httpStatusCode, 400);
    await sdk.neutronDeleteFirewallRule(new NeutronDeleteFirewallRuleRequest(b.id));

    const updated = one(
      await sdk.neutronUpdateFirewallPolicy(
        new NeutronUpdateFirewallPolicyRequest(p.id).withBody(
          new NeutronUpdateFirewallPolicyRequestBody().withFirewallPolicy(new NeutronUpdateFirewallPolicyOption().withName("pol2").withFirewallRules([c.id, a.id]).withAudited(true)),
        ),
      ),
      "firewall_policy",
    );
    assert.deepEqual(updated.firewall_rules, [c.id, a.id]);
    assert.equal(updated.audited, true);
    assert.equal(one(await sdk.neutronShowFirewallPolicy(new NeutronShowFirewallPolicyRequest(p.id)), "firewall_policy").name, "pol2");
    const listed = many(await sdk.neutronListFirewallPolicies(new NeutronListFirewallPoliciesRequest().withName(["pol2"])), "firewall_policies");
    assert.deepEqual(listed.map((x) => x.id), [p.id]);
    const badRules = await sdkError(
      sdk.neutronUpdateFirewallPolicy(
        new NeutronUpdateFirewallPolicyRequest(p.id).withBody(new NeutronUpdateFirewallPolicyRequestBody().withFirewallPolicy(new NeutronUpdateFirewallPolicyOption().withFirewallRules(["nope"]))),
      ),
    );
    assert.equal(badRules.httpStatusCode, 404);
    await sdk.neutronDeleteFirewallPolicy(new NeutronDeleteFirewallPolicyRequest(p.id));
    assert.equal((await sdkError(sdk.neutronShowFirewallPolicy(new NeutronShowFirewallPolicyRequest(p.id)))).httpStatusCode, 404);
  });

  test("groups apply policies to ports: ACTIVE with ports, one group a port, a used policy cannot go", async () => {
    const vpc = await newVpc(sdk, "10.8.0.0/16");
    const subnet = await newSubnet(sdk, { vpcId: vpc.id, cidr: "10.8.1.0/24", gatewayIp: "10.8.1.1" });
    const port = await newPort(sdk, subnet.id);
    const pol = one(
      await sdk.neutronCreateFirewallPolicy(new NeutronCreateFirewallPolicyRequest().withBody(new NeutronCreateFirewallPolicyRequestBody().withFirewallPolicy(new NeutronCreateFirewallPolicyOption().withName("gp")))),
      "firewall_policy",
    );
    const g = one(
      await sdk.neutronCreateFirewallGroup(
        new NeutronCreateFirewallGroupRequest().withBody(
          new NeutronCreateFirewallGroupRequestBody().withFirewallGroup(new NeutronCreateFirewallGroupOption().withName("fg").withIngressFirewallPolicyId(pol.id).withEgressFirewallPolicyId(pol.id)),
        ),
      ),
      "firewall_group",
    );
    assert.equal(g.status, "INACTIVE");
    assert.deepEqual(g.ports, []);
    const withPort = one(
      await sdk.neutronUpdateFirewallGroup(
        new NeutronUpdateFirewallGroupRequest(g.id).withBody(new NeutronUpdateFirewallGroupRequestBody().withFirewallGroup(new NeutronUpdateFirewallGroupOption().withPorts([port.id]))),
      ),
      "firewall_group",
    );
    assert.equal(withPort.status, "ACTIVE");
    assert.deepEqual(withPort.ports, [port.id]);
    assert.equal(one(await sdk.neutronShowFirewallGroup(new NeutronShowFirewallGroupRequest(g.id)), "firewall_group").ingress_firewall_policy_id, pol.id);
    const listed = many(await sdk.neutronListFirewallGroups(new NeutronListFirewallGroupsRequest().withIngressFirewallPolicyId(pol.id)), "firewall_groups");
    assert.deepEqual(listed.map((x) => x.id), [g.id]);

    const second = await sdkError(
      sdk.neutronCreateFirewallGroup(
        new NeutronCreateFirewallGroupRequest().withBody(new NeutronCreateFirewallGroupRequestBody().withFirewallGroup(new NeutronCreateFirewallGroupOption().withName("fg2").withPorts([port.id]))),
      ),
    );
    assert.equal(second.httpStatusCode, 409);
    const noPort = await sdkError(
      sdk.neutronCreateFirewallGroup(
        new NeutronCreateFirewallGroupRequest().withBody(new NeutronCreateFirewallGroupRequestBody().withFirewallGroup(new NeutronCreateFirewallGroupOption().withPorts(["nope"]))),
      ),
    );
    assert.equal(noPort.httpStatusCode, 404);
    const noPolicy = await sdkError(
      sdk.neutronCreateFirewallGroup(
        new NeutronCreateFirewallGroupRequest().withBody(new NeutronCreateFirewallGroupRequestBody().withFirewallGroup(new NeutronCreateFirewallGroupOption().withIngressFirewallPolicyId("nope"))),
      ),
    );
    assert.equal(noPolicy.httpStatusCode, 404);
    const polInUse = await sdkError(sdk.neutronDeleteFirewallPolicy(new NeutronDeleteFirewallPolicyRequest(pol.id)));
    assert.equal(polInUse.httpStatusCode, 409);
    assert.equal((await sdkError(other.neutronShowFirewallGroup(new NeutronShowFirewallGroupRequest(g.id)))).httpStatusCode, 404);
    assert.deepEqual(many(await other.neutronListFirewallGroups(new NeutronListFirewallGroupsRequest()), "firewall_groups"), []);

    await sdk.neutronDeleteFirewallGroup(new NeutronDeleteFirewallGroupRequest(g.id));
    assert.equal((await sdkError(sdk.neutronShowFirewallGroup(new NeutronShowFirewallGroupRequest(g.id)))).httpStatusCode, 404);
    await sdk.neutronDeleteFirewallPolicy(new NeutronDeleteFirewallPolicyRequest(pol.id));
  });
});
