// Launch templates through the official ECS SDK: create (with its references checked and version 1), list
// with filters and marker paging, versions, delete; the X-Request-Id the SDK copies into these answers.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateLaunchTemplateRequest,
  CreateLaunchTemplateRequestBody,
  DeleteLaunchTemplatesRequest,
  type EcsClient,
  LaunchTemplateOption,
  ListLaunchTemplateVersionsRequest,
  ListTemplatesRequest,
  TemplateBlockDeviceMappingOption,
  TemplateData,
  TemplateNetworkInterfaceOption,
  TemplateOsProfile,
} from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import { ecsClient } from "./helpers/ecs-sdk.ts";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const MISSING = "00000000-0000-4000-8000-000000000000";

type Row = Record<string, unknown>;

describe("ECS launch templates", () => {
  let hw: TestHwlocal;
  let ecs: EcsClient;
  let subnetId: string;

  const expectError = async (p: Promise<unknown>, status: number, code: string) => {
    const e = await sdkError(p);
    assert.equal(e.httpStatusCode, status, `${code}: ${e.errorMsg}`);
    assert.equal(e.errorCode, code, e.errorMsg);
  };
  const create = (name: string, data: TemplateData, dryRun?: boolean) => {
    const body = new CreateLaunchTemplateRequestBody().withLaunchTemplate(new LaunchTemplateOption().withName(name).withDescription(`${name} servers`).withVersionDescription("first").withTemplateData(data));
    if (dryRun !== undefined) body.withDryRun(dryRun);
    return ecs.createLaunchTemplate(new CreateLaunchTemplateRequest().withBody(body));
  };

  before(async () => {
    hw = await startTestHwlocal();
    const pid = hw.projectId();
    ecs = ecsClient(hw.url, { ...hw.admin, projectId: pid });
    const vpc = vpcClient(hw.url, hw.admin, pid);
    const vpcId = (await newVpc(vpc, "192.168.0.0/16", "templates")).id;
    subnetId = (await newSubnet(vpc, { vpcId, cidr: "192.168.11.0/24", gatewayIp: "192.168.11.1" })).id;
  });
  after(() => hw.close());

  test("create, list, versions, delete; checks", async () => {
    const data = new TemplateData()
      .withFlavorId("s6.small.1")
      .withName("from-template")
      .withOsProfile(new TemplateOsProfile().withUserData(Buffer.from("#!/bin/sh").toString("base64")))
      .withNetworkInterfaces([new TemplateNetworkInterfaceOption().withVirsubnetId(subnetId)])
      .withBlockDeviceMappings([new TemplateBlockDeviceMappingOption().withSourceId(UBUNTU).withSourceType("image").withVolumeType("SSD").withVolumeSize(40)]);
    const made = wire(await create("web", data));
    const id = String(made.launch_template_id);
    assert.match(String(made["X-Request-Id"]), /^[0-9a-f]{32}$/);
    await create("db", new TemplateData().withFlavorId("c7.large.2"));
    await create("cache", new TemplateData());

    await expectError(create("web", new TemplateData()), 400, "Ecs.0005");
    await expectError(create("bad-flavor", new TemplateData().withFlavorId("nope.large.2")), 400, "Ecs.0029");
    await expectError(create("bad-subnet", new TemplateData().withNetworkInterfaces([new TemplateNetworkInterfaceOption().withVirsubnetId(MISSING)])), 400, "Ecs.0038");
    await expectError(create("bad-key", new TemplateData().withOsProfile(new TemplateOsProfile().withKeyName("absent"))), 400, "Ecs.0314");
    await expectError(create("bad name!", new TemplateData()), 400, "Ecs.0005");
    assert.equal(wire(await create("dry", new TemplateData(), true)).httpStatusCode, 202);

    const all = wire(await ecs.listTemplates(new ListTemplatesRequest()));
    const list = all.launch_templates as Row[];
    assert.deepEqual(list.map((t) => t.name), ["web", "db", "cache"]);
    assert.deepEqual([list[0]!.default_version, list[0]!.latest_version, list[0]!.description], [1, 1, "web servers"]);
    const first = wire(await ecs.listTemplates(new ListTemplatesRequest().withLimit(2)));
    assert.deepEqual(first.page_info, { current_count: 2, next_marker: (first.launch_templates as Row[])[1]!.id });
    const rest = wire(await ecs.listTemplates(new ListTemplatesRequest().withMarker(String((first.page_info as Row).next_marker))));
    assert.deepEqual((rest.launch_templates as Row[]).map((t) => t.name), ["cache"]);
    assert.deepEqual((wire(await ecs.listTemplates(new ListTemplatesRequest().withName(["db"]))).launch_templates as Row[]).map((t) => t.name), ["db"]);
    assert.deepEqual((wire(await ecs.listTemplates(new ListTemplatesRequest().withLaunchTemplateId([id]))).launch_templates as Row[]).map((t) => t.id), [id]);

    const versions = wire(await ecs.listLaunchTemplateVersions(new ListLaunchTemplateVersionsRequest().withLaunchTemplateId(id))).launch_template_versions as Row[];
    assert.equal(versions.length, 1);
    const v = versions[0]!;
    assert.deepEqual([v.launch_template_id, v.version_number, v.version_description], [id, 1, "first"]);
    assert.equal((v.template_data as Row).flavor_id, "s6.small.1");
    assert.equal(((v.template_data as Row).network_interfaces as Row[])[0]!.virsubnet_id, subnetId);
    const byImage = wire(await ecs.listLaunchTemplateVersions(new ListLaunchTemplateVersionsRequest().withLaunchTemplateId(id).withImageId(MISSING))).launch_template_versions;
    assert.deepEqual(byImage, []);
    const byVersion = wire(await ecs.listLaunchTemplateVersions(new ListLaunchTemplateVersionsRequest().withLaunchTemplateId(id).withVersion([1]).withFlavorId("s6.small.1"))).launch_template_versions as Row[];
    assert.equal(byVersion.length, 1);
    await expectError(ecs.listLaunchTemplateVersions(new ListLaunchTemplateVersionsRequest().withLaunchTemplateId(MISSING)), 404, "Ecs.0005");

    assert.equal(wire(await ecs.deleteLaunchTemplates(new DeleteLaunchTemplatesRequest().withLaunchTemplateId(id))).httpStatusCode, 204);
    assert.deepEqual((wire(await ecs.listTemplates(new ListTemplatesRequest())).launch_templates as Row[]).map((t) => t.name), ["db", "cache"]);
    await expectError(ecs.deleteLaunchTemplates(new DeleteLaunchTemplatesRequest().withLaunchTemplateId(id)), 404, "Ecs.0005");
  });
});
