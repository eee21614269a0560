// VPC peerings, peering routes and route tables through the official VPC SDK: a peering inside a project
// is ACTIVE at once; to another project of the domain or to another domain it waits for the peer to accept
// or reject, and expires after 7 days; routes need an ACTIVE peering; route tables hold subnets and routes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AcceptVpcPeeringRequest,
  AddRouteTableRoute,
  AsscoiateReq,
  AssociateRouteTableAndSubnetReq,
  AssociateRouteTableRequest,
  CreateRouteTableReq,
  CreateRouteTableRequest,
  CreateRoutetableReqBody,
  CreateVpcPeeringOption,
  CreateVpcPeeringRequest,
  CreateVpcPeeringRequestBody,
  CreateVpcRouteOption,
  CreateVpcRouteRequest,
  CreateVpcRouteRequestBody,
  DelRouteTableRoute,
  DeleteRouteTableRequest,
  DeleteVpcPeeringRequest,
  DeleteVpcRequest,
  DeleteVpcRouteRequest,
  DisassociateRouteTableRequest,
  ListRouteTablesRequest,
  ListVpcPeeringsRequest,
  ListVpcRoutesRequest,
  RejectVpcPeeringRequest,
  RouteTableRouteAction,
  RoutetableAssociateReqbody,
  ShowRouteTableRequest,
  ShowVpcPeeringRequest,
  ShowVpcRouteRequest,
  UpdateRouteTableReq,
  UpdateRouteTableRequest,
  UpdateRoutetableReqBody,
  UpdateVpcPeeringOption,
  UpdateVpcPeeringRequest,
  UpdateVpcPeeringRequestBody,
  VpcInfo,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { sdkError, wire } from "./helpers/sdk.ts";
import { ACME, adminToken, startTenancy, type Tenancy } from "./helpers/tenancy.ts";
import { ShowVpcRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import { newSubnet, newVpc, vpcClient, vpcV3Client } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const info = (vpcId: string, tenantId?: string) => {
  const i = new VpcInfo().withVpcId(vpcId);
  return tenantId ? i.withTenantId(tenantId) : i;
};

describe("VPC peerings, routes and route tables through the SDK", () => {
  let t: Tenancy;
  let a: VpcClient;
  let sub: VpcClient;
  let x: VpcClient;
  let subProject: string;
  before(async () => {
    t = await startTenancy();
    a = vpcClient(t.hw.url, t.hw.admin, t.a);
    const r = await t.hw.call("POST", "/iam/v3/projects", { headers: { "X-Auth-Token": await adminToken(t.hw, "domain") }, creds: null, body: { project: { name: "cn-north-4_peer" } } });
    assert.equal(r.status, 201, r.text);
    subProject = (r.json.project as { id: string }).id;
    sub = vpcClient(t.hw.url, t.hw.admin, subProject);
    x = vpcClient(t.hw.url, ACME, t.x);
  });
  after(() => t.hw.close());

  function peer(client: VpcClient, name: string, from: string, to: { vpcId: string; tenantId?: string }) {
    return client.createVpcPeering(
      new CreateVpcPeeringRequest().withBody(
        new CreateVpcPeeringRequestBody().withPeering(new CreateVpcPeeringOption().withName(name).withRequestVpcInfo(info(from)).withAcceptVpcInfo(info(to.vpcId, to.tenantId))),
      ),
    );
  }

  test("inside a project: ACTIVE at once, routed, listed, updated, deleted with its routes", async () => {
    const v1 = await newVpc(a, "10.10.0.0/16", "left");
    const v2 = await newVpc(a, "10.20.0.0/16", "right");
    const p = wire(await peer(a, "lr", v1.id, { vpcId: v2.id })).peering as Row & { id: string };
    assert.equal(p.status, "ACTIVE");
    assert.deepEqual(p.accept_vpc_info, { vpc_id: v2.id, tenant_id: t.a });
    assert.equal(wire(await a.showVpcPeering(new ShowVpcPeeringRequest().withPeeringId(p.id))).peering && true, true);
    const dup = await sdkError(peer(a, "again", v2.id, { vpcId: v1.id }));
    assert.equal(dup.httpStatusCode, 409);

    const route = wire(
      await a.createVpcRoute(
        new CreateVpcRouteRequest().withBody(new CreateVpcRouteRequestBody().withRoute(new CreateVpcRouteOption().withType("peering").withNexthop(p.id).withDestination("10.20.0.0/16").withVpcId(v1.id))),
      ),
    ).route as Row & { id: string };
    assert.deepEqual({ ...route, id: "" }, { id: "", type: "peering", destination: "10.20.0.0/16", nexthop: p.id, vpc_id: v1.id, tenant_id: t.a });
    const inside = await sdkError(
      a.createVpcRoute(
        new CreateVpcRouteRequest().withBody(new CreateVpcRouteRequestBody().withRoute(new CreateVpcRouteOption().withType("peering").withNexthop(p.id).withDestination("10.10.1.0/24").withVpcId(v1.id))),
      ),
    );
    assert.equal(inside.httpStatusCode, 400);
    const routes = wire(await a.listVpcRoutes(new ListVpcRoutesRequest().withVpcId(v1.id))).routes as Row[];
    assert.deepEqual(routes.map((r) => r.id), [route.id]);
    assert.equal((wire(await a.showVpcRoute(new ShowVpcRouteRequest().withRouteId(route.id))).route as Row).destination, "10.20.0.0/16");
    // The peering route shows in the VPC's default route table.
    const tables = wire(await a.listRouteTables(new ListRouteTablesRequest().withVpcId(v1.id))).routetables as (Row & { id: string })[];
    assert.equal(tables.length, 1);
    const def = wire(await a.showRouteTable(new ShowRouteTableRequest().withRoutetableId(tables[0]!.id))).routetable as Row;
    assert.equal(def.default, true);
    assert.deepEqual(def.routes, [{ type: "peering", destination: "10.20.0.0/16", nexthop: p.id, description: "" }]);

    const renamed = wire(
      await a.updateVpcPeering(new UpdateVpcPeeringRequest().withPeeringId(p.id).withBody(new UpdateVpcPeeringRequestBody().withPeering(new UpdateVpcPeeringOption().withName("lr2")))),
    ).peering as Row;
    assert.equal(renamed.name, "lr2");
    const inUse = await sdkError(a.deleteVpc(new DeleteVpcRequest().withVpcId(v2.id)));
    assert.equal(inUse.httpStatusCode, 409);
    await a.deleteVpcPeering(new DeleteVpcPeeringRequest().withPeeringId(p.id));
    assert.deepEqual(wire(await a.listVpcRoutes(new ListVpcRoutesRequest())).routes, []);
    const gone = await sdkError(a.deleteVpcRoute(new DeleteVpcRouteRequest().withRouteId(route.id)));
    assert.equal(gone.httpStatusCode, 404);
    const missing = await sdkError(a.showVpcPeering(new ShowVpcPeeringRequest().withPeeringId(p.id)));
    assert.equal(missing.httpStatusCode, 404);
    await a.deleteVpc(new DeleteVpcRequest().withVpcId(v2.id));
  });

  test("across projects of the domain: pending, only the peer accepts; routes wait for ACTIVE", async () => {
    const mine = await newVpc(a, "10.30.0.0/16", "mine");
    const theirs = await newVpc(sub, "10.40.0.0/16", "theirs");
    const notFound = await sdkError(peer(a, "bad", mine.id, { vpcId: theirs.id }));
    assert.equal(notFound.httpStatusCode, 404);
    const p = wire(await peer(a, "cross", mine.id, { vpcId: theirs.id, tenantId: subProject })).peering as Row & { id: string };
    assert.equal(p.status, "PENDING_ACCEPTANCE");
    const early = await sdkError(
      a.createVpcRoute(
        new CreateVpcRouteRequest().withBody(new CreateVpcRouteRequestBody().withRoute(new CreateVpcRouteOption().withType("peering").withNexthop(p.id).withDestination("10.40.0.0/16").withVpcId(mine.id))),
      ),
    );
    assert.equal(early.httpStatusCode, 409);
    const byRequester = await sdkError(a.acceptVpcPeering(new AcceptVpcPeeringRequest().withPeeringId(p.id)));
    assert.equal(byRequester.httpStatusCode, 403);
    // The peer sees the request and accepts it; the answer is the peering itself.
    const seen = wire(await sub.listVpcPeerings(new ListVpcPeeringsRequest().withStatus("PENDING_ACCEPTANCE"))).peerings as Row[];
    assert.deepEqual(seen.map((s) => s.id), [p.id]);
    const accepted = wire(await sub.acceptVpcPeering(new AcceptVpcPeeringRequest().withPeeringId(p.id)));
    assert.equal(accepted.status, "ACTIVE");
    const again = await sdkError(sub.rejectVpcPeering(new RejectVpcPeeringRequest().withPeeringId(p.id)));
    assert.equal(again.httpStatusCode, 409);
    await a.createVpcRoute(
      new CreateVpcRouteRequest().withBody(new CreateVpcRouteRequestBody().withRoute(new CreateVpcRouteOption().withType("peering").withNexthop(p.id).withDestination("10.40.0.0/16").withVpcId(mine.id))),
    );
    await sub.createVpcRoute(
      new CreateVpcRouteRequest().withBody(new CreateVpcRouteRequestBody().withRoute(new CreateVpcRouteOption().withType("peering").withNexthop(p.id).withDestination("10.30.0.0/16").withVpcId(theirs.id))),
    );
    // Deleting the peering from the peer's side removes both sides' routes.
    await sub.deleteVpcPeering(new DeleteVpcPeeringRequest().withPeeringId(p.id));
    assert.deepEqual(wire(await a.listVpcRoutes(new ListVpcRoutesRequest().withVpcId(mine.id))).routes, []);
    assert.deepEqual(wire(await sub.listVpcRoutes(new ListVpcRoutesRequest())).routes, []);
  });

  test("across domains: the other account rejects; an unanswered request expires after 7 days", async () => {
    const mine = await newVpc(a, "10.50.0.0/16", "mine2");
    const theirs = await newVpc(x, "10.60.0.0/16", "acme-vpc");
    const p = wire(await peer(a, "to-acme", mine.id, { vpcId: theirs.id, tenantId: t.x })).peering as Row & { id: string };
    const rejected = wire(await x.rejectVpcPeering(new RejectVpcPeeringRequest().withPeeringId(p.id)));
    assert.equal(rejected.status, "REJECTED");
    assert.equal((wire(await a.showVpcPeering(new ShowVpcPeeringRequest().withPeeringId(p.id))).peering as Row).status, "REJECTED");
    // A third project sees none of it.
    const stranger = await sdkError(sub.showVpcPeering(new ShowVpcPeeringRequest().withPeeringId(p.id)));
    assert.equal(stranger.httpStatusCode, 404);

    const q = wire(await peer(a, "to-acme-2", mine.id, { vpcId: theirs.id, tenantId: t.x })).peering as Row & { id: string };
    assert.equal((await t.hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 7 * 24 * 3600 } })).status, 200);
    assert.equal((wire(await x.showVpcPeering(new ShowVpcPeeringRequest().withPeeringId(q.id))).peering as Row).status, "EXPIRED");
    const late = await sdkError(x.acceptVpcPeering(new AcceptVpcPeeringRequest().withPeeringId(q.id)));
    assert.equal(late.httpStatusCode, 409);
  });

  test("route tables: create with routes, associate and disassociate subnets, update routes, delete", async () => {
    const v = await newVpc(a, "10.70.0.0/16", "routed");
    const s1 = await newSubnet(a, { vpcId: v.id, cidr: "10.70.1.0/24", gatewayIp: "10.70.1.1" });
    const s2 = await newSubnet(a, { vpcId: v.id, cidr: "10.70.2.0/24", gatewayIp: "10.70.2.1" });
    const created = wire(
      await a.createRouteTable(
        new CreateRouteTableRequest().withBody(
          new CreateRoutetableReqBody().withRoutetable(
            new CreateRouteTableReq().withName("custom").withVpcId(v.id).withRoutes([new AddRouteTableRoute().withType("nat").withDestination("0.0.0.0/0").withNexthop("nat-gw-1")]),
          ),
        ),
      ),
    ).routetable as Row & { id: string };
    assert.equal(created.default, false);
    assert.deepEqual(created.subnets, []);
    const v3 = vpcV3Client(t.hw.url, t.hw.admin, t.a);
    const shownV3 = wire(await v3.showVpc(new ShowVpcRequest().withVpcId(v.id))).vpc as { cloud_resources: Row[] };
    assert.deepEqual(shownV3.cloud_resources.find((c) => c.resource_type === "routetable"), { resource_type: "routetable", resource_count: 2 });
    const body = (assoc: AssociateRouteTableAndSubnetReq) => new RoutetableAssociateReqbody().withRoutetable(new AsscoiateReq().withSubnets(assoc));
    const assoc = wire(
      await a.associateRouteTable(new AssociateRouteTableRequest().withRoutetableId(created.id).withBody(body(new AssociateRouteTableAndSubnetReq().withAssociate([s1.id])))),
    ).routetable as Row;
    assert.deepEqual(assoc.subnets, [{ id: s1.id }]);
    const bySubnet = wire(await a.listRouteTables(new ListRouteTablesRequest().withSubnetId(s2.id))).routetables as Row[];
    assert.equal(bySubnet.length, 1);
    assert.equal(bySubnet[0]!.default, true);
    const cannotDelete = await sdkError(a.deleteRouteTable(new DeleteRouteTableRequest().withRoutetableId(created.id)));
    assert.equal(cannotDelete.httpStatusCode, 409);
    const updated = wire(
      await a.updateRouteTable(
        new UpdateRouteTableRequest()
          .withRoutetableId(created.id)
          .withBody(
            new UpdateRoutetableReqBody().withRoutetable(
              new UpdateRouteTableReq()
                .withName("custom2")
                .withRoutes(
                  new RouteTableRouteAction()
                    .withAdd([new AddRouteTableRoute().withType("vip").withDestination("172.16.0.0/24").withNexthop("10.70.1.10")])
                    .withDel([new DelRouteTableRoute().withType("nat").withDestination("0.0.0.0/0").withNexthop("nat-gw-1")]),
                ),
            ),
          ),
      ),
    ).routetable as Row;
    assert.equal(updated.name, "custom2");
    assert.deepEqual(updated.routes, [{ type: "vip", destination: "172.16.0.0/24", nexthop: "10.70.1.10", description: "" }]);
    const badHop = await sdkError(
      a.updateRouteTable(
        new UpdateRouteTableRequest()
          .withRoutetableId(created.id)
          .withBody(
            new UpdateRoutetableReqBody().withRoutetable(
              new UpdateRouteTableReq().withRoutes(new RouteTableRouteAction().withAdd([new AddRouteTableRoute().withType("peering").withDestination("10.99.0.0/16").withNexthop("nope")])),
            ),
          ),
      ),
    );
    assert.deepEqual([badHop.httpStatusCode, badHop.errorCode], [400, "VPC.0101"]);
    await a.disassociateRouteTable(new DisassociateRouteTableRequest().withRoutetableId(created.id).withBody(body(new AssociateRouteTableAndSubnetReq().withDisassociate([s1.id]))));
    await a.deleteRouteTable(new DeleteRouteTableRequest().withRoutetableId(created.id));
    const missing = await sdkError(a.showRouteTable(new ShowRouteTableRequest().withRoutetableId(created.id)));
    assert.equal(missing.httpStatusCode, 404);
    const def = (wire(await a.listRouteTables(new ListRouteTablesRequest().withVpcId(v.id))).routetables as (Row & { id: string })[])[0]!;
    const defDelete = await sdkError(a.deleteRouteTable(new DeleteRouteTableRequest().withRoutetableId(def.id)));
    assert.equal(defDelete.httpStatusCode, 409);
  });
});

