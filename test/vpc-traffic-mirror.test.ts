// Traffic mirroring through the official VPC SDK (v3): filters and their rules (priority unique per
// direction, shown in the filter), sessions from source ports to a target port, sources added and removed,
// updates, and the refusals (unknown ports, a filter in use, a target that is also a source).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddSourcesToTrafficMirrorSessionRequest,
  AddSourcesToTrafficMirrorSessionRequestBody,
  CreateTrafficMirrorFilterOption,
  CreateTrafficMirrorFilterRequest,
  CreateTrafficMirrorFilterRequestBody,
  CreateTrafficMirrorFilterRuleOption,
  CreateTrafficMirrorFilterRuleRequest,
  CreateTrafficMirrorFilterRuleRequestBody,
  CreateTrafficMirrorSessionOption,
  CreateTrafficMirrorSessionRequest,
  CreateTrafficMirrorSessionRequestBody,
  DeleteTrafficMirrorFilterRequest,
  DeleteTrafficMirrorFilterRuleRequest,
  DeleteTrafficMirrorSessionRequest,
  ListTrafficMirrorFilterRulesRequest,
  ListTrafficMirrorFiltersRequest,
  ListTrafficMirrorSessionsRequest,
  RemoveSourcesFromTrafficMirrorSessionRequest,
  RemoveSourcesFromTrafficMirrorSessionRequestBody,
  ShowTrafficMirrorFilterRequest,
  ShowTrafficMirrorFilterRuleRequest,
  ShowTrafficMirrorSessionRequest,
  TrafficMirrorSourcesOption,
  UpdateTrafficMirrorFilterOption,
  UpdateTrafficMirrorFilterRequest,
  UpdateTrafficMirrorFilterRequestBody,
  UpdateTrafficMirrorFilterRuleOption,
  UpdateTrafficMirrorFilterRuleRequest,
  UpdateTrafficMirrorFilterRuleRequestBody,
  UpdateTrafficMirrorSessionOption,
  UpdateTrafficMirrorSessionRequest,
  UpdateTrafficMirrorSessionRequestBody,
  type VpcClient as VpcV3Client,
} from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown> & { id: string };

describe("traffic mirroring through the SDK", () => {
  let hw: TestHwlocal;
  let v3: VpcV3Client;
  let ports: string[];
  before(async () => {
    hw = await startTestHwlocal();
    const v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    v3 = vpcV3Client(hw.url, hw.admin, hw.projectId());
    const v = await newVpc(v1, "10.40.0.0/16");
    const s = await newSubnet(v1, { vpcId: v.id, cidr: "10.40.1.0/24", gatewayIp: "10.40.1.1" });
    ports = [];
    for (let i = 0; i < 3; i++) ports.push((await newPort(v1, s.id)).id);
  });
  after(() => hw.close());

  test("filters, rules and sessions", async () => {
    const filter = wire(
      await v3.createTrafficMirrorFilter(new CreateTrafficMirrorFilterRequest().withBody(new CreateTrafficMirrorFilterRequestBody().withTrafficMirrorFilter(new CreateTrafficMirrorFilterOption().withName("web")))),
    ).traffic_mirror_filter as Row;
    const newRule = (direction: string, priority: number) =>
      v3.createTrafficMirrorFilterRule(
        new CreateTrafficMirrorFilterRuleRequest().withBody(
          new CreateTrafficMirrorFilterRuleRequestBody().withTrafficMirrorFilterRule(
            new CreateTrafficMirrorFilterRuleOption()
              .withTrafficMirrorFilterId(filter.id)
              .withDirection(direction)
              .withProtocol("tcp")
              .withEthertype("IPv4")
              .withSourceCidrBlock("0.0.0.0/0")
              .withDestinationPortRange("80-443")
              .withAction("accept")
              .withPriority(priority),
          ),
        ),
      );
    const rule = wire(await newRule("ingress", 10)).traffic_mirror_filter_rule as Row;
    assert.deepEqual([rule.direction, rule.protocol, rule.destination_port_range, rule.priority], ["ingress", "tcp", "80-443", 10]);
    await newRule("egress", 10);
    const clash = await sdkError(newRule("ingress", 10));
    assert.equal(clash.httpStatusCode, 409);
    const shown = wire(await v3.showTrafficMirrorFilter(new ShowTrafficMirrorFilterRequest().withTrafficMirrorFilterId(filter.id))).traffic_mirror_filter as Row;
    assert.deepEqual([(shown.ingress_rules as Row[]).length, (shown.egress_rules as Row[]).length], [1, 1]);
    const changed = wire(
      await v3.updateTrafficMirrorFilterRule(
        new UpdateTrafficMirrorFilterRuleRequest()
          .withTrafficMirrorFilterRuleId(rule.id)
          .withBody(new UpdateTrafficMirrorFilterRuleRequestBody().withTrafficMirrorFilterRule(new UpdateTrafficMirrorFilterRuleOption().withAction("reject"))),
      ),
    ).traffic_mirror_filter_rule as Row;
    assert.equal(changed.action, "reject");
    const badPorts = await sdkError(
      v3.updateTrafficMirrorFilterRule(
        new UpdateTrafficMirrorFilterRuleRequest()
          .withTrafficMirrorFilterRuleId(rule.id)
          .withBody(new UpdateTrafficMirrorFilterRuleRequestBody().withTrafficMirrorFilterRule(new UpdateTrafficMirrorFilterRuleOption().withProtocol("icmp"))),
      ),
    );
    assert.deepEqual([badPorts.httpStatusCode, badPorts.errorCode], [400, "VPC.0101"]);
    const rules = wire(await v3.listTrafficMirrorFilterRules(new ListTrafficMirrorFilterRulesRequest().withDirection("egress"))).traffic_mirror_filter_rules as Row[];
    assert.equal(rules.length, 1);

    const session = (opt: CreateTrafficMirrorSessionOption) =>
      v3.createTrafficMirrorSession(new CreateTrafficMirrorSessionRequest().withBody(new CreateTrafficMirrorSessionRequestBody().withTrafficMirrorSession(opt)));
    const base = () =>
      new CreateTrafficMirrorSessionOption().withName("s1").withTrafficMirrorFilterId(filter.id).withTrafficMirrorTargetId(ports[0]!).withTrafficMirrorTargetType("eni").withPriority(1).withVirtualNetworkId("7");
    const s = wire(await session(base().withTrafficMirrorSources([ports[1]!]))).traffic_mirror_session as Row;
    assert.deepEqual([s.traffic_mirror_sources, s.virtual_network_id, s.packet_length, s.enabled, s.type], [[ports[1]], 7, 96, true, "eni"]);
    const selfTarget = await sdkError(session(base().withTrafficMirrorSources([ports[0]!])));
    assert.equal(selfTarget.httpStatusCode, 400);
    const noPort = await sdkError(session(base().withTrafficMirrorSources(["missing"])));
    assert.equal(noPort.httpStatusCode, 404);

    const sources = (ids: string[]) => new TrafficMirrorSourcesOption().withTrafficMirrorSources(ids);
    const added = wire(
      await v3.addSourcesToTrafficMirrorSession(new AddSourcesToTrafficMirrorSessionRequest().withTrafficMirrorSessionId(s.id).withBody(new AddSourcesToTrafficMirrorSessionRequestBody().withTrafficMirrorSession(sources([ports[2]!])))),
    ).traffic_mirror_session as Row;
    assert.deepEqual(added.traffic_mirror_sources, [ports[1], ports[2]]);
    const removed = wire(
      await v3.removeSourcesFromTrafficMirrorSession(
        new RemoveSourcesFromTrafficMirrorSessionRequest().withTrafficMirrorSessionId(s.id).withBody(new RemoveSourcesFromTrafficMirrorSessionRequestBody().withTrafficMirrorSession(sources([ports[1]!]))),
      ),
    ).traffic_mirror_session as Row;
    assert.deepEqual(removed.traffic_mirror_sources, [ports[2]]);
    const notSource = await sdkError(
      v3.removeSourcesFromTrafficMirrorSession(
        new RemoveSourcesFromTrafficMirrorSessionRequest().withTrafficMirrorSessionId(s.id).withBody(new RemoveSourcesFromTrafficMirrorSessionRequestBody().withTrafficMirrorSession(sources([ports[1]!]))),
      ),
    );
    assert.equal(notSource.httpStatusCode, 400);
    const off = wire(
      await v3.updateTrafficMirrorSession(
        new UpdateTrafficMirrorSessionRequest().withTrafficMirrorSessionId(s.id).withBody(new UpdateTrafficMirrorSessionRequestBody().withTrafficMirrorSession(new UpdateTrafficMirrorSessionOption().withEnabled("false").withPacketLength(128))),
      ),
    ).traffic_mirror_session as Row;
    assert.deepEqual([off.enabled, off.packet_length], [false, 128]);
    assert.deepEqual((wire(await v3.listTrafficMirrorSessions(new ListTrafficMirrorSessionsRequest().withEnabled("false"))).traffic_mirror_sessions as Row[]).map((x) => x.id), [s.id]);
    assert.equal((wire(await v3.showTrafficMirrorSession(new ShowTrafficMirrorSessionRequest().withTrafficMirrorSessionId(s.id))).traffic_mirror_session as Row).name, "s1");

    const inUse = await sdkError(v3.deleteTrafficMirrorFilter(new DeleteTrafficMirrorFilterRequest().withTrafficMirrorFilterId(filter.id)));
    assert.equal(inUse.httpStatusCode, 409);
    await v3.deleteTrafficMirrorSession(new DeleteTrafficMirrorSessionRequest().withTrafficMirrorSessionId(s.id));
    await v3.deleteTrafficMirrorFilterRule(new DeleteTrafficMirrorFilterRuleRequest().withTrafficMirrorFilterRuleId(rule.id));
    const ruleGone = await sdkError(v3.showTrafficMirrorFilterRule(new ShowTrafficMirrorFilterRuleRequest().withTrafficMirrorFilterRuleId(rule.id)));
    assert.deepEqual([ruleGone.httpStatusCode, ruleGone.errorCode], [404, "VPC.0202"]);
    const renamed = wire(
      await v3.updateTrafficMirrorFilter(
        new UpdateTrafficMirrorFilterRequest().withTrafficMirrorFilterId(filter.id).withBody(new UpdateTrafficMirrorFilterRequestBody().withTrafficMirrorFilter(new UpdateTrafficMirrorFilterOption().withName("web2"))),
      ),
    ).traffic_mirror_filter as Row;
    assert.equal(renamed.name, "web2");
    assert.equal((wire(await v3.listTrafficMirrorFilters(new ListTrafficMirrorFiltersRequest().withName("web2"))).traffic_mirror_filters as Row[]).length, 1);
    // Deleting the filter takes its remaining (egress) rule with it.
    await v3.deleteTrafficMirrorFilter(new DeleteTrafficMirrorFilterRequest().withTrafficMirrorFilterId(filter.id));
    assert.deepEqual(wire(await v3.listTrafficMirrorFilterRules(new ListTrafficMirrorFilterRulesRequest())).traffic_mirror_filter_rules, []);
  });
});
