// VPCs and subnets through the official VPC SDK (v2 module = VPC v1 API, v3 module = VPC v3 API): CIDR
// rules, quotas, Huawei's marker paging, v1 and v3 over the same VPCs, and project isolation.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateVpcOption,
  CreateVpcRequest,
  CreateVpcRequestBody,
  DeleteSubnetRequest,
  DeleteVpcRequest,
  ListSubnetsRequest,
  ListVpcsRequest,
  Route,
  ShowSubnetRequest,
  ShowVpcRequest,
  UpdateSubnetOption,
  UpdateSubnetRequest,
  UpdateSubnetRequestBody,
  UpdateVpcOption,
  UpdateVpcRequest,
  UpdateVpcRequestBody,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import {
  CreateVpcOption as CreateVpcOptionV3,
  CreateVpcRequest as CreateVpcRequestV3,
  CreateVpcRequestBody as CreateVpcRequestBodyV3,
  DeleteVpcRequest as DeleteVpcRequestV3,
  ListVpcsRequest as ListVpcsRequestV3,
  ShowVpcRequest as ShowVpcRequestV3,
  Tag,
  UpdateVpcOption as UpdateVpcOptionV3,
  UpdateVpcRequest as UpdateVpcRequestV3,
  UpdateVpcRequestBody as UpdateVpcRequestBodyV3,
  type VpcClient as VpcV3Client,
} from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];
const ids = (v: unknown) => rows(v).map((r) => r.id);

describe("VPC v1 and v3: VPCs and subnets through the SDK", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let v3: VpcV3Client;
  let otherTenantProject: string;
  before(async () => {
    hw = await startTestHwlocal({ seed: { tenants: [{ domain: { name: "vpc-other" }, access_key: { ak: "VPCOTHERTENANTAK0001", sk: "vpcOtherTenantSecretKey00000000000000001" } }] } });
    v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    v3 = vpcV3Client(hw.url, hw.admin, hw.projectId());
    otherTenantProject = hw.seed.tenants![0]!.regions[0]!.projectId;
  });
  after(() => hw.close());

  test("create, show, update (name, routes), list and delete a VPC", async () => {
    const vpc = await newVpc(v1, "10.10.0.0/16", "web");
    assert.match(vpc.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(vpc.status, "OK");
    assert.equal(vpc.cidr, "10.10.0.0/16");
    assert.equal(vpc.tenant_id, hw.projectId());
    assert.deepEqual(vpc.routes, []);
    const shown = wire(await v1.showVpc(new ShowVpcRequest(vpc.id)));
    assert.equal((shown.vpc as Row).name, "web");
    const updated = wire(
      await v1.updateVpc(
        new UpdateVpcRequest(vpc.id).withBody(
          new UpdateVpcRequestBody().withVpc(
            new UpdateVpcOption()
              .withName("web-2")
              .withDescription("front")
              .withRoutes([new Route().withDestination("0.0.0.0/0").withNexthop("10.10.0.5")]),
          ),
        ),
      ),
    );
    assert.equal((updated.vpc as Row).name, "web-2");
    assert.deepEqual((updated.vpc as Row).routes, [{ destination: "0.0.0.0/0", nexthop: "10.10.0.5" }]);
    const badHop = await sdkError(
      v1.updateVpc(
        new UpdateVpcRequest(vpc.id).withBody(
          new UpdateVpcRequestBody().withVpc(new UpdateVpcOption().withRoutes([new Route().withDestination("0.0.0.0/0").withNexthop("192.168.0.1")])),
        ),
      ),
    );
    assert.equal(badHop.httpStatusCode, 400);
    assert.ok(ids(wire(await v1.listVpcs(new ListVpcsRequest())).vpcs).includes(vpc.id));
    const deleted = wire(await v1.deleteVpc(new DeleteVpcRequest(vpc.id)));
    assert.equal(deleted.httpStatusCode, 204);
    const gone = await sdkError(v1.showVpc(new ShowVpcRequest(vpc.id)));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorCode, "VPC.0003");
  });

  test("VPC CIDRs must lie in 10/8, 172.16/12 or 192.168/16 with a prefix up to /24", async () => {
    for (const cidr of ["11.0.0.0/16", "10.0.0.0/25", "172.32.0.0/16", "192.168.0.0/15", "10.0.0.1/16", "10.0.0.0", "not-a-cidr"]) {
      const e = await sdkError(v1.createVpc(new CreateVpcRequest().withBody(new CreateVpcRequestBody().withVpc(new CreateVpcOption().withCidr(cidr)))));
      assert.equal(e.httpStatusCode, 400, cidr);
      assert.equal(e.errorCode, "VPC.0101", cidr);
    }
    for (const cidr of ["10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24"]) {
      const v = await newVpc(v1, cidr);
      assert.equal(v.cidr, cidr);
      await v1.deleteVpc(new DeleteVpcRequest(v.id));
    }
  });

  test("the sixth VPC of a project exceeds the quota: 409 VPC.0114", async () => {
    const made: string[] = [];
    const existing = rows(wire(await v1.listVpcs(new ListVpcsRequest())).vpcs).length;
    for (let i = existing; i < 5; i++) made.push((await newVpc(v1, `10.${20 + i}.0.0/16`)).id);
    const e = await sdkError(newVpc(v1, "10.99.0.0/16"));
    assert.equal(e.httpStatusCode, 409);
    assert.equal(e.errorCode, "VPC.0114");
    assert.equal(e.errorMsg, "Quota exceeded for resources: ['router'].");
    for (const id of made) await v1.deleteVpc(new DeleteVpcRequest(id));
  });

  test("subnets: inside the VPC, no overlap, a host gateway, a real availability zone", async () => {
    const vpc = await newVpc(v1, "192.168.0.0/16");
    const s1 = await newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.1.0/24", gatewayIp: "192.168.1.1", availabilityZone: "cn-north-4a" });
    assert.equal(s1.status, "ACTIVE");
    assert.equal(s1.vpc_id, vpc.id);
    assert.equal(s1.neutron_network_id, s1.id);
    assert.match(s1.neutron_subnet_id, /^[0-9a-f-]{36}$/);
    assert.notEqual(s1.neutron_subnet_id, s1.id);
    assert.equal(s1.availability_zone, "cn-north-4a");
    assert.equal(s1.dhcp_enable, true);

    const overlap = await sdkError(newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.1.128/25", gatewayIp: "192.168.1.129" }));
    assert.equal(overlap.httpStatusCode, 400);
    assert.equal(overlap.errorCode, "VPC.0204");
    const outside = await sdkError(newSubnet(v1, { vpcId: vpc.id, cidr: "10.0.0.0/24", gatewayIp: "10.0.0.1" }));
    assert.equal(outside.httpStatusCode, 400);
    assert.equal(outside.errorCode, "VPC.0203");
    const tooSmall = await sdkError(newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.2.0/29", gatewayIp: "192.168.2.1" }));
    assert.equal(tooSmall.httpStatusCode, 400);
    for (const gw of ["192.168.3.0", "192.168.3.255", "192.168.4.1", "x"]) {
      const e = await sdkError(newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.3.0/24", gatewayIp: gw }));
      assert.equal(e.httpStatusCode, 400, gw);
      assert.equal(e.errorCode, "VPC.0201", gw);
    }
    const az = await sdkError(newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.5.0/24", gatewayIp: "192.168.5.1", availabilityZone: "cn-east-3a" }));
    assert.equal(az.httpStatusCode, 400);
    const noVpc = await sdkError(newSubnet(v1, { vpcId: "00000000-0000-4000-8000-000000000000", cidr: "192.168.6.0/24", gatewayIp: "192.168.6.1" }));
    assert.equal(noVpc.httpStatusCode, 404);
    assert.equal(noVpc.errorCode, "VPC.0003");

    const s2 = await newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.2.0/28", gatewayIp: "192.168.2.1" });
    const other = await newVpc(v1, "172.16.0.0/16");
    const s3 = await newSubnet(v1, { vpcId: other.id, cidr: "172.16.0.0/24", gatewayIp: "172.16.0.1" });
    const ofVpc = wire(await v1.listSubnets(new ListSubnetsRequest().withVpcId(vpc.id)));
    assert.deepEqual(ids(ofVpc.subnets), [s1.id, s2.id]);
    assert.ok(ids(wire(await v1.listSubnets(new ListSubnetsRequest())).subnets).includes(s3.id));

    const shown = wire(await v1.showSubnet(new ShowSubnetRequest(s1.id)));
    assert.equal((shown.subnet as Row).cidr, "192.168.1.0/24");
    const upd = wire(
      await v1.updateSubnet(
        new UpdateSubnetRequest(vpc.id, s1.id).withBody(
          new UpdateSubnetRequestBody().withSubnet(new UpdateSubnetOption().withName("renamed").withPrimaryDns("100.125.1.250").withDhcpEnable(false)),
        ),
      ),
    );
    assert.deepEqual(upd.subnet, { id: s1.id, status: "ACTIVE" });
    const after = wire(await v1.showSubnet(new ShowSubnetRequest(s1.id))).subnet as Row;
    assert.equal(after.name, "renamed");
    assert.equal(after.primary_dns, "100.125.1.250");
    assert.equal(after.dhcp_enable, false);
    const wrongVpc = await sdkError(
      v1.updateSubnet(new UpdateSubnetRequest(other.id, s1.id).withBody(new UpdateSubnetRequestBody().withSubnet(new UpdateSubnetOption().withName("x")))),
    );
    assert.equal(wrongVpc.httpStatusCode, 404);
    assert.equal(wrongVpc.errorCode, "VPC.0202");

    const busy = await sdkError(v1.deleteVpc(new DeleteVpcRequest(vpc.id)));
    assert.equal(busy.httpStatusCode, 409);
    assert.equal(busy.errorCode, "VPC.0104");
    for (const s of [s1, s2]) assert.equal(wire(await v1.deleteSubnet(new DeleteSubnetRequest(vpc.id, s.id))).httpStatusCode, 204);
    const missing = await sdkError(v1.showSubnet(new ShowSubnetRequest(s1.id)));
    assert.equal(missing.httpStatusCode, 404);
    assert.equal(missing.errorCode, "VPC.0202");
    // The freed range can be used again.
    const again = await newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.1.0/24", gatewayIp: "192.168.1.254" });
    await v1.deleteSubnet(new DeleteSubnetRequest(vpc.id, again.id));
    await v1.deleteVpc(new DeleteVpcRequest(vpc.id));
    await v1.deleteSubnet(new DeleteSubnetRequest(other.id, s3.id));
    await v1.deleteVpc(new DeleteVpcRequest(other.id));
  });

  test("marker/limit paging: the marker is the id of the last item of the previous page", async () => {
    const vpc = await newVpc(v1, "10.1.0.0/16");
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await newSubnet(v1, { vpcId: vpc.id, cidr: `10.1.${i}.0/24`, gatewayIp: `10.1.${i}.1` })).id);
    const seen: unknown[] = [];
    let marker: string | undefined;
    for (;;) {
      let req = new ListSubnetsRequest().withVpcId(vpc.id).withLimit(2);
      if (marker) req = req.withMarker(marker);
      const page = ids(wire(await v1.listSubnets(req)).subnets);
      assert.ok(page.length <= 2);
      if (page.length === 0) break;
      seen.push(...page);
      marker = String(page[page.length - 1]);
    }
    assert.deepEqual(seen, made);
    const bad = await sdkError(v1.listSubnets(new ListSubnetsRequest().withMarker("00000000-0000-4000-8000-000000000000")));
    assert.equal(bad.httpStatusCode, 400);
    const badLimit = await hw.call("GET", `/vpc/v1/${hw.projectId()}/subnets`, { query: { limit: "-1" } });
    assert.equal(badLimit.status, 400);
    assert.equal(badLimit.json.code, "VPC.0101");
    for (const id of made) await v1.deleteSubnet(new DeleteSubnetRequest(vpc.id, id));
    await v1.deleteVpc(new DeleteVpcRequest(vpc.id));
  });

  test("v1 and v3 see the same VPCs; v3 answers request_id, page_info and nested errors", async () => {
    const a = await newVpc(v1, "10.2.0.0/16", "from-v1");
    const created = wire(
      await v3.createVpc(
        new CreateVpcRequestV3().withBody(
          new CreateVpcRequestBodyV3().withVpc(new CreateVpcOptionV3().withName("from-v3").withCidr("10.3.0.0/16").withTags([new Tag("env", "test")])),
        ),
      ),
    );
    assert.equal(created.httpStatusCode, 201);
    assert.match(String(created.request_id), /^[0-9a-f]{32}$/);
    const b = created.vpc as Row & { id: string };
    assert.equal(b.status, "ACTIVE");
    assert.deepEqual(b.tags, [{ key: "env", value: "test" }]);
    assert.equal(b.project_id, hw.projectId());

    const viaV3 = wire(await v3.showVpc(new ShowVpcRequestV3(a.id)));
    assert.equal((viaV3.vpc as Row).name, "from-v1");
    assert.equal((viaV3.vpc as Row).cidr, "10.2.0.0/16");
    const viaV1 = wire(await v1.showVpc(new ShowVpcRequest(b.id)));
    assert.equal((viaV1.vpc as Row).name, "from-v3");

    // Repeated filters (?id=a&id=b) and paging.
    const both = wire(await v3.listVpcs(new ListVpcsRequestV3().withId([a.id, b.id])));
    assert.deepEqual(ids(both.vpcs), [a.id, b.id]);
    const first = wire(await v3.listVpcs(new ListVpcsRequestV3().withId([a.id, b.id]).withLimit(1)));
    assert.deepEqual(ids(first.vpcs), [a.id]);
    assert.deepEqual(first.page_info, { previous_marker: a.id, current_count: 1, next_marker: a.id });
    const second = wire(await v3.listVpcs(new ListVpcsRequestV3().withId([a.id, b.id]).withLimit(1).withMarker(a.id)));
    assert.deepEqual(ids(second.vpcs), [b.id]);
    const byName = wire(await v3.listVpcs(new ListVpcsRequestV3().withName(["from-v3", "nope"])));
    assert.deepEqual(ids(byName.vpcs), [b.id]);

    const upd = wire(await v3.updateVpc(new UpdateVpcRequestV3(b.id).withBody(new UpdateVpcRequestBodyV3().withVpc(new UpdateVpcOptionV3().withDescription("changed")))));
    assert.equal((upd.vpc as Row).description, "changed");
    assert.equal((wire(await v1.showVpc(new ShowVpcRequest(b.id))).vpc as Row).description, "changed");

    // A v3 error is nested; the SDK reads its code either way.
    const raw = await hw.call("GET", `/vpc/v3/${hw.projectId()}/vpc/vpcs/00000000-0000-4000-8000-000000000000`);
    assert.equal(raw.status, 404);
    assert.deepEqual(raw.json.error, { code: "VPC.0003", message: "VPC does not exist." });
    assert.equal(raw.json.error_code, "VPC.0003");
    const rawV1 = await hw.call("GET", `/vpc/v1/${hw.projectId()}/vpcs/00000000-0000-4000-8000-000000000000`);
    assert.equal(rawV1.json.code, "VPC.0003");
    assert.equal(rawV1.json.error, undefined);
    const badV3 = await sdkError(v3.createVpc(new CreateVpcRequestV3().withBody(new CreateVpcRequestBodyV3().withVpc(new CreateVpcOptionV3().withName("x")))));
    assert.equal(badV3.httpStatusCode, 400);
    assert.equal(badV3.errorCode, "VPC.0101");

    // dry_run checks and creates nothing.
    const before = rows(wire(await v1.listVpcs(new ListVpcsRequest())).vpcs).length;
    const dry = wire(await v3.createVpc(new CreateVpcRequestV3().withBody(new CreateVpcRequestBodyV3().withDryRun(true).withVpc(new CreateVpcOptionV3().withCidr("10.4.0.0/16")))));
    assert.equal(dry.httpStatusCode, 202);
    assert.equal(rows(wire(await v1.listVpcs(new ListVpcsRequest())).vpcs).length, before);
    const dryBad = await sdkError(v3.createVpc(new CreateVpcRequestV3().withBody(new CreateVpcRequestBodyV3().withDryRun(true).withVpc(new CreateVpcOptionV3().withCidr("8.8.8.0/24")))));
    assert.equal(dryBad.httpStatusCode, 400);

    assert.equal(wire(await v3.deleteVpc(new DeleteVpcRequestV3(a.id))).httpStatusCode, 204);
    await v1.deleteVpc(new DeleteVpcRequest(b.id));
    const gone = await sdkError(v3.showVpc(new ShowVpcRequestV3(b.id)));
    assert.equal(gone.errorCode, "VPC.0003");
  });

  test("another project's VPCs are not found, another tenant's project is forbidden", async () => {
    const vpc = await newVpc(v1, "10.5.0.0/16");
    const east = vpcClient(hw.url, hw.admin, hw.projectId("cn-east-3"));
    const e = await sdkError(east.showVpc(new ShowVpcRequest(vpc.id)));
    assert.equal(e.httpStatusCode, 404);
    assert.equal(e.errorCode, "VPC.0003");
    assert.ok(!ids(wire(await east.listVpcs(new ListVpcsRequest())).vpcs).includes(vpc.id));
    const del = await sdkError(east.deleteVpc(new DeleteVpcRequest(vpc.id)));
    assert.equal(del.httpStatusCode, 404);
    const foreign = await sdkError(vpcClient(hw.url, hw.admin, otherTenantProject).listVpcs(new ListVpcsRequest()));
    assert.equal(foreign.httpStatusCode, 403);
    await v1.deleteVpc(new DeleteVpcRequest(vpc.id));
  });
});
