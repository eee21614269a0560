// Tags through the official VPC SDK: v2.0 tags of VPCs, subnets and security groups (create, batch
// create/delete, delete, show, the project's keys, filter and count by tags) and v3 tags of ports, with
// Huawei's limits (20 a resource, key lengths, repeated keys) and not-found answers.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BatchCreateSubnetTagsRequest,
  BatchCreateSubnetTagsRequestBody,
  BatchCreateVpcTagsRequest,
  BatchCreateVpcTagsRequestBody,
  BatchDeleteVpcTagsRequest,
  BatchDeleteVpcTagsRequestBody,
  CreateSecurityGroupOption,
  CreateSecurityGroupRequest,
  CreateSecurityGroupRequestBody,
  CreateSecurityGroupTagRequest,
  CreateSecurityGroupTagRequestBody,
  CreateSubnetTagRequest,
  CreateSubnetTagRequestBody,
  CreateVpcResourceTagRequest,
  CreateVpcResourceTagRequestBody,
  DeleteSecurityGroupTagRequest,
  DeleteSubnetTagRequest,
  DeleteVpcTagRequest,
  ListSecurityGroupTagsRequest,
  ListSecurityGroupsByTagsRequest,
  ListSecurityGroupsByTagsRequestBody,
  ListSubnetTagsRequest,
  ListSubnetsByTagsRequest,
  ListSubnetsByTagsRequestBody,
  ListTag,
  ListVpcTagsRequest,
  ListVpcsByTagsRequest,
  ListVpcsByTagsRequestBody,
  Match,
  ResourceTag,
  ShowSecurityGroupTagsRequest,
  ShowSubnetTagsRequest,
  ShowVpcTagsRequest,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import {
  BatchCreatePortTagsRequest,
  BatchCreatePortTagsRequestBody,
  BatchDeletePortTagsRequest,
  BatchDeletePortTagsRequestBody,
  CountPortsByTagsRequest,
  CountPortsByTagsRequestBody,
  CreatePortTagRequest,
  CreatePortTagRequestBody,
  DeletePortTagRequest,
  ListPortTagsRequest,
  ListPortsByTagsRequest,
  ListPortsByTagsRequestBody,
  ListTag as ListTagV3,
  ResourceTag as ResourceTagV3,
  ShowPortTagsRequest,
  type VpcClient as VpcV3Client,
} from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

const tag = (key: string, value: string) => new ResourceTag().withKey(key).withValue(value);
const tagV3 = (key: string, value: string) => new ResourceTagV3().withKey(key).withValue(value);
type Row = Record<string, unknown>;

describe("VPC tags through the SDK", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let v3: VpcV3Client;
  before(async () => {
    hw = await startTestHwlocal();
    v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    v3 = vpcV3Client(hw.url, hw.admin, hw.projectId());
  });
  after(() => hw.close());

  test("VPC tags: create, batch create and delete, show, the project's keys, filter and count", async () => {
    const a = await newVpc(v1, "10.1.0.0/16", "tagged-a");
    const b = await newVpc(v1, "10.2.0.0/16", "tagged-b");
    await v1.createVpcResourceTag(new CreateVpcResourceTagRequest().withVpcId(a.id).withBody(new CreateVpcResourceTagRequestBody().withTag(tag("env", "prod"))));
    await v1.batchCreateVpcTags(
      new BatchCreateVpcTagsRequest().withVpcId(a.id).withBody(new BatchCreateVpcTagsRequestBody().withAction("create").withTags([tag("team", "net"), tag("tmp", "x")])),
    );
    await v1.batchCreateVpcTags(
      new BatchCreateVpcTagsRequest().withVpcId(b.id).withBody(new BatchCreateVpcTagsRequestBody().withAction("create").withTags([tag("env", "dev")])),
    );
    // A create of an existing key replaces its value; a batch delete ignores a key the VPC lacks.
    await v1.createVpcResourceTag(new CreateVpcResourceTagRequest().withVpcId(a.id).withBody(new CreateVpcResourceTagRequestBody().withTag(tag("team", "infra"))));
    await v1.batchDeleteVpcTags(
      new BatchDeleteVpcTagsRequest().withVpcId(a.id).withBody(new BatchDeleteVpcTagsRequestBody().withAction("delete").withTags([tag("tmp", "x"), tag("nope", "")])),
    );
    const shown = wire(await v1.showVpcTags(new ShowVpcTagsRequest().withVpcId(a.id)));
    assert.deepEqual(shown.tags, [
      { key: "env", value: "prod" },
      { key: "team", value: "infra" },
    ]);
    const keys = wire(await v1.listVpcTags(new ListVpcTagsRequest())).tags as Row[];
    assert.deepEqual(keys.find((k) => k.key === "env"), { key: "env", values: ["prod", "dev"] });

    const filter = (tags: ListTag[], extra?: (b: ListVpcsByTagsRequestBody) => ListVpcsByTagsRequestBody) =>
      v1.listVpcsByTags(new ListVpcsByTagsRequest().withBody((extra ?? ((x) => x))(new ListVpcsByTagsRequestBody().withAction("filter").withTags(tags))));
    const prod = wire(await filter([new ListTag().withKey("env").withValues(["prod"])]));
    assert.equal(prod.total_count, 1);
    assert.deepEqual(prod.resources, [{ resource_id: a.id, resource_name: "tagged-a", resource_detail: "", tags: shown.tags }]);
    const anyEnv = wire(await filter([new ListTag().withKey("env").withValues([])]));
    assert.deepEqual((anyEnv.resources as Row[]).map((r) => r.resource_id), [a.id, b.id]);
    const byName = wire(await filter([new ListTag().withKey("env").withValues(["prod", "dev"])], (x) => x.withMatches([new Match().withKey("resource_name").withValue("-b")])));
    assert.deepEqual((byName.resources as Row[]).map((r) => r.resource_id), [b.id]);
    const paged = wire(await filter([new ListTag().withKey("env").withValues([])], (x) => x.withLimit(1).withOffset(1)));
    assert.equal(paged.total_count, 2);
    assert.deepEqual((paged.resources as Row[]).map((r) => r.resource_id), [b.id]);
    const count = wire(
      await v1.listVpcsByTags(
        new ListVpcsByTagsRequest().withBody(new ListVpcsByTagsRequestBody().withAction("count").withTags([new ListTag().withKey("team").withValues(["infra"])])),
      ),
    );
    assert.equal(count.total_count, 1);
    assert.equal(count.resources, undefined);

    await v1.deleteVpcTag(new DeleteVpcTagRequest().withVpcId(a.id).withKey("env"));
    assert.deepEqual(wire(await v1.showVpcTags(new ShowVpcTagsRequest().withVpcId(a.id))).tags, [{ key: "team", value: "infra" }]);
  });

  test("tag errors: missing key, key too long, repeated keys, more than 20, unknown VPC", async () => {
    const v = await newVpc(v1, "10.3.0.0/16");
    const missing = await sdkError(v1.deleteVpcTag(new DeleteVpcTagRequest().withVpcId(v.id).withKey("absent")));
    assert.equal(missing.httpStatusCode, 404);
    const long = await sdkError(
      v1.createVpcResourceTag(new CreateVpcResourceTagRequest().withVpcId(v.id).withBody(new CreateVpcResourceTagRequestBody().withTag(tag("k".repeat(37), "v")))),
    );
    assert.deepEqual([long.httpStatusCode, long.errorCode], [400, "VPC.1801"]);
    const repeated = await sdkError(
      v1.batchCreateVpcTags(
        new BatchCreateVpcTagsRequest().withVpcId(v.id).withBody(new BatchCreateVpcTagsRequestBody().withAction("create").withTags([tag("a", "1"), tag("a", "2")])),
      ),
    );
    assert.deepEqual([repeated.httpStatusCode, repeated.errorCode], [400, "VPC.1814"]);
    const many = Array.from({ length: 21 }, (_, i) => tag(`k${i}`, "v"));
    const tooMany = await sdkError(
      v1.batchCreateVpcTags(new BatchCreateVpcTagsRequest().withVpcId(v.id).withBody(new BatchCreateVpcTagsRequestBody().withAction("create").withTags(many))),
    );
    assert.deepEqual([tooMany.httpStatusCode, tooMany.errorCode], [400, "VPC.1814"]);
    const noVpc = await sdkError(v1.showVpcTags(new ShowVpcTagsRequest().withVpcId("00000000-0000-4000-8000-000000000000")));
    assert.deepEqual([noVpc.httpStatusCode, noVpc.errorCode], [404, "VPC.0003"]);
  });

  test("subnet and security group tags", async () => {
    const v = await newVpc(v1, "10.4.0.0/16");
    const s = await newSubnet(v1, { vpcId: v.id, cidr: "10.4.1.0/24", gatewayIp: "10.4.1.1", name: "tagged-subnet" });
    await v1.createSubnetTag(new CreateSubnetTagRequest().withSubnetId(s.id).withBody(new CreateSubnetTagRequestBody().withTag(tag("tier", "web"))));
    await v1.batchCreateSubnetTags(
      new BatchCreateSubnetTagsRequest().withSubnetId(s.id).withBody(new BatchCreateSubnetTagsRequestBody().withAction("create").withTags([tag("zone", "a")])),
    );
    assert.equal((wire(await v1.showSubnetTags(new ShowSubnetTagsRequest().withSubnetId(s.id))).tags as Row[]).length, 2);
    assert.deepEqual(wire(await v1.listSubnetTags(new ListSubnetTagsRequest())).tags, [
      { key: "tier", values: ["web"] },
      { key: "zone", values: ["a"] },
    ]);
    const found = wire(
      await v1.listSubnetsByTags(
        new ListSubnetsByTagsRequest().withBody(new ListSubnetsByTagsRequestBody().withAction("filter").withTags([new ListTag().withKey("tier").withValues(["web"])])),
      ),
    );
    assert.deepEqual((found.resources as Row[]).map((r) => r.resource_name), ["tagged-subnet"]);
    await v1.deleteSubnetTag(new DeleteSubnetTagRequest().withSubnetId(s.id).withKey("zone"));
    assert.deepEqual(wire(await v1.showSubnetTags(new ShowSubnetTagsRequest().withSubnetId(s.id))).tags, [{ key: "tier", value: "web" }]);

    const g = wire(
      await v1.createSecurityGroup(
        new CreateSecurityGroupRequest().withBody(new CreateSecurityGroupRequestBody().withSecurityGroup(new CreateSecurityGroupOption().withName("tagged-sg"))),
      ),
    ).security_group as { id: string };
    await v1.createSecurityGroupTag(new CreateSecurityGroupTagRequest().withSecurityGroupId(g.id).withBody(new CreateSecurityGroupTagRequestBody().withTag(tag("app", "db"))));
    assert.deepEqual(wire(await v1.showSecurityGroupTags(new ShowSecurityGroupTagsRequest().withSecurityGroupId(g.id))).tags, [{ key: "app", value: "db" }]);
    assert.deepEqual(wire(await v1.listSecurityGroupTags(new ListSecurityGroupTagsRequest())).tags, [{ key: "app", values: ["db"] }]);
    const sgs = wire(
      await v1.listSecurityGroupsByTags(
        new ListSecurityGroupsByTagsRequest().withBody(new ListSecurityGroupsByTagsRequestBody().withAction("count").withTags([new ListTag().withKey("app").withValues([])])),
      ),
    );
    assert.equal(sgs.total_count, 1);
    await v1.deleteSecurityGroupTag(new DeleteSecurityGroupTagRequest().withSecurityGroupId(g.id).withKey("app"));
    const gone = await sdkError(v1.deleteSecurityGroupTag(new DeleteSecurityGroupTagRequest().withSecurityGroupId(g.id).withKey("app")));
    assert.equal(gone.httpStatusCode, 404);
    const noGroup = await sdkError(v1.showSecurityGroupTags(new ShowSecurityGroupTagsRequest().withSecurityGroupId("missing")));
    assert.deepEqual([noGroup.httpStatusCode, noGroup.errorCode], [404, "VPC.0603"]);
  });

  test("v3 port tags: create, batch create/delete, show, list, filter and count; another project sees nothing", async () => {
    const v = await newVpc(v1, "10.5.0.0/16");
    const s = await newSubnet(v1, { vpcId: v.id, cidr: "10.5.1.0/24", gatewayIp: "10.5.1.1" });
    const p = await newPort(v1, s.id);
    await v3.createPortTag(new CreatePortTagRequest().withPortId(p.id).withBody(new CreatePortTagRequestBody().withTag(tagV3("role", "frontend"))));
    await v3.batchCreatePortTags(
      new BatchCreatePortTagsRequest().withPortId(p.id).withBody(new BatchCreatePortTagsRequestBody().withTags([tagV3("owner", "alice"), tagV3("tmp", "1")])),
    );
    await v3.batchDeletePortTags(new BatchDeletePortTagsRequest().withPortId(p.id).withBody(new BatchDeletePortTagsRequestBody().withTags([tagV3("tmp", "1")])));
    const shown = wire(await v3.showPortTags(new ShowPortTagsRequest().withPortId(p.id)));
    assert.deepEqual(shown.tags, [
      { key: "role", value: "frontend" },
      { key: "owner", value: "alice" },
    ]);
    assert.equal(typeof shown.request_id, "string");
    const listed = wire(await v3.listPortTags(new ListPortTagsRequest()));
    assert.equal(listed.total_count, 2);
    const filtered = wire(
      await v3.listPortsByTags(
        new ListPortsByTagsRequest().withLimit(10).withBody(new ListPortsByTagsRequestBody().withTags([new ListTagV3().withKey("role").withValues(["frontend"])])),
      ),
    );
    assert.deepEqual((filtered.resources as Row[]).map((r) => r.resource_id), [p.id]);
    const counted = wire(await v3.countPortsByTags(new CountPortsByTagsRequest().withBody(new CountPortsByTagsRequestBody().withTags([new ListTagV3().withKey("owner").withValues([])]))));
    assert.equal(counted.total_count, 1);
    await v3.deletePortTag(new DeletePortTagRequest().withPortId(p.id).withTagKey("owner"));
    assert.deepEqual(wire(await v3.showPortTags(new ShowPortTagsRequest().withPortId(p.id))).tags, [{ key: "role", value: "frontend" }]);

    const other = vpcV3Client(hw.url, hw.admin, hw.projectId("cn-east-3"));
    const err = await sdkError(other.showPortTags(new ShowPortTagsRequest().withPortId(p.id)));
    assert.equal(err.httpStatusCode, 404);
    const r = await hw.call("GET", `/vpc/v3/${hw.projectId()}/ports/missing/tags`);
    assert.equal(r.status, 404);
    assert.equal((r.json.error as Row).code, "VPC.0202");
    assert.equal(wire(await other.listPortTags(new ListPortTagsRequest())).total_count, 0);
  });
});
