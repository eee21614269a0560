// Issue 13's "from outside" network and storage scenarios: a user's program drives a fresh hwlocal through
// the official VPC and IAM SDKs (peer two VPCs in one project and across two projects of the domain, route
// between them and read the routes back), and EVS through requests signed as the SDK signs (no Node EVS SDK
// package exists): snapshot a volume and make a volume from it, waiting on jobs and statuses by polling
// while hwlocal's clock is moved through its control API (never sleeping). One realistic refusal each.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  KeystoneCreateProjectOption,
  KeystoneCreateProjectRequest,
  KeystoneCreateProjectRequestBody,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import {
  AcceptVpcPeeringRequest,
  AddRouteTableRoute,
  CreateVpcPeeringOption,
  CreateVpcPeeringRequest,
  CreateVpcPeeringRequestBody,
  CreateVpcRouteOption,
  CreateVpcRouteRequest,
  CreateVpcRouteRequestBody,
  DeleteVpcPeeringRequest,
  ListRouteTablesRequest,
  ListVpcPeeringsRequest,
  ListVpcRoutesRequest,
  RouteTableRouteAction,
  ShowRouteTableRequest,
  ShowVpcPeeringRequest,
  UpdateRouteTableReq,
  UpdateRouteTableRequest,
  UpdateRoutetableReqBody,
  type VpcClient,
  VpcInfo,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, sdkError, wire } from "./helpers/sdk.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const MISSING = "00000000-0000-4000-8000-000000000000";

interface World {
  hw: TestHwlocal;
  advance(seconds: number): Promise<void>;
}

/** A scenario on a hwlocal of its own (real time to start with: SDK signatures must stay near its clock). */
function scenario(name: string, run: (w: World) => Promise<void>): void {
  test(name, async () => {
    const hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    const advance = async (seconds: number) => {
      const r = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
      assert.equal(r.status, 200, r.text);
    };
    try {
      await run({ hw, advance });
    } finally {
      await hw.close();
    }
  });
}

const info = (vpcId: string, tenantId?: string) => (tenantId ? new VpcInfo().withVpcId(vpcId).withTenantId(tenantId) : new VpcInfo().withVpcId(vpcId));
const peer = (client: VpcClient, name: string, from: VpcInfo, to: VpcInfo) =>
  client.createVpcPeering(
    new CreateVpcPeeringRequest().withBody(new CreateVpcPeeringRequestBody().withPeering(new CreateVpcPeeringOption().withName(name).withRequestVpcInfo(from).withAcceptVpcInfo(to))),
  );
const peeringRoute = (client: VpcClient, vpcId: string, destination: string, peeringId: string) =>
  client.createVpcRoute(
    new CreateVpcRouteRequest().withBody(
      new CreateVpcRouteRequestBody().withRoute(new CreateVpcRouteOption().withType("peering").withNexthop(peeringId).withDestination(destination).withVpcId(vpcId)),
    ),
  );
/** The route table that serves a subnet (the VPC's default one unless another is associated). */
async function tableOf(client: VpcClient, subnetId: string): Promise<Row & { id: string; routes: Row[] }> {
  const tables = wire(await client.listRouteTables(new ListRouteTablesRequest().withSubnetId(subnetId))).routetables as (Row & { id: string })[];
  assert.equal(tables.length, 1);
  return wire(await client.showRouteTable(new ShowRouteTableRequest().withRoutetableId(tables[0]!.id))).routetable as Row & { id: string; routes: Row[] };
}

describe("network and storage scenarios through the official SDKs", () => {
  scenario("peer two VPCs of a project and route between them through their route tables", async ({ hw }) => {
    const vpc = vpcClient(hw.url, hw.admin, hw.projectId());
    const web = await newVpc(vpc, "10.1.0.0/16", "web");
    const db = await newVpc(vpc, "10.2.0.0/16", "db");
    const webSubnet = await newSubnet(vpc, { vpcId: web.id, cidr: "10.1.1.0/24", gatewayIp: "10.1.1.1", name: "web-1" });
    const dbSubnet = await newSubnet(vpc, { vpcId: db.id, cidr: "10.2.1.0/24", gatewayIp: "10.2.1.1", name: "db-1" });

    // Refusal: a VPC peered with itself (400 VPC.0101).
    const self = await sdkError(peer(vpc, "loop", info(web.id), info(web.id)));
    assert.deepEqual([self.httpStatusCode, self.errorCode], [400, "VPC.0101"], self.errorMsg);

    const peering = wire(await peer(vpc, "web-db", info(web.id), info(db.id))).peering as Row & { id: string };
    assert.equal(peering.status, "ACTIVE", "a peering inside one project needs no acceptance");
    const listed = wire(await vpc.listVpcPeerings(new ListVpcPeeringsRequest().withVpcId(db.id))).peerings as Row[];
    assert.deepEqual(listed.map((p) => p.id), [peering.id]);

    // Each side's route table gets a route to the other's CIDR through the peering.
    const addRoute = async (subnetId: string, destination: string) => {
      const table = await tableOf(vpc, subnetId);
      const route = new AddRouteTableRoute().withType("peering").withDestination(destination).withNexthop(peering.id).withDescription(`to ${destination}`);
      await vpc.updateRouteTable(
        new UpdateRouteTableRequest()
          .withRoutetableId(table.id)
          .withBody(new UpdateRoutetableReqBody().withRoutetable(new UpdateRouteTableReq().withRoutes(new RouteTableRouteAction().withAdd([route])))),
      );
    };
    await addRoute(webSubnet.id, "10.2.0.0/16");
    await addRoute(dbSubnet.id, "10.1.0.0/16");

    // Read back: the table serving each subnet routes the other VPC's CIDR to the peering.
    const webTable = await tableOf(vpc, webSubnet.id);
    assert.equal(webTable.vpc_id, web.id);
    assert.deepEqual(webTable.routes, [{ type: "peering", destination: "10.2.0.0/16", nexthop: peering.id, description: "to 10.2.0.0/16" }]);
    assert.deepEqual((webTable.subnets as Row[]).map((s) => s.id), [webSubnet.id]);
    const dbTable = await tableOf(vpc, dbSubnet.id);
    assert.deepEqual(dbTable.routes, [{ type: "peering", destination: "10.1.0.0/16", nexthop: peering.id, description: "to 10.1.0.0/16" }]);
    // The same destination again through the v2.0 routes API would repeat it in the table: 409 RouteExists.
    const again = await sdkError(peeringRoute(vpc, web.id, "10.2.0.0/16", peering.id));
    assert.deepEqual([again.httpStatusCode, again.errorCode], [409, "VPC.0602"], again.errorMsg);
    assert.match(again.errorMsg, /already has a route to 10\.2\.0\.0\/16/);
    assert.equal((await tableOf(vpc, webSubnet.id)).routes.length, 1);

    // Taking the peering down takes its routes out of both tables.
    await vpc.deleteVpcPeering(new DeleteVpcPeeringRequest().withPeeringId(peering.id));
    assert.deepEqual((await tableOf(vpc, webSubnet.id)).routes, []);
    assert.deepEqual((await tableOf(vpc, dbSubnet.id)).routes, []);
  });

  scenario("peer VPCs of two projects of the domain: request, accept, route both ways", async ({ hw }) => {
    const home = hw.projectId();
    const iam = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const made = wire(
      await iam.keystoneCreateProject(
        new KeystoneCreateProjectRequest().withBody(
          new KeystoneCreateProjectRequestBody().withProject(new KeystoneCreateProjectOption().withName("cn-north-4_shared").withParentId(home).withDomainId(hw.seed.domain.id)),
        ),
      ),
    );
    const shared = String((made.project as Row).id);
    const mine = vpcClient(hw.url, hw.admin, home);
    const theirs = vpcClient(hw.url, hw.admin, shared);
    const app = await newVpc(mine, "172.16.0.0/16", "app");
    const svc = await newVpc(theirs, "172.17.0.0/16", "services");
    const appSubnet = await newSubnet(mine, { vpcId: app.id, cidr: "172.16.1.0/24", gatewayIp: "172.16.1.1" });
    const svcSubnet = await newSubnet(theirs, { vpcId: svc.id, cidr: "172.17.1.0/24", gatewayIp: "172.17.1.1" });

    const request = wire(await peer(mine, "app-services", info(app.id, home), info(svc.id, shared))).peering as Row & { id: string };
    assert.equal(request.status, "PENDING_ACCEPTANCE");
    // Refusal: no route through a peering the peer has not accepted (409).
    const early = await sdkError(peeringRoute(mine, app.id, "172.17.0.0/16", request.id));
    assert.equal(early.httpStatusCode, 409, early.errorMsg);
    assert.equal(typeof early.errorCode, "string");

    // The other project sees the request and accepts it.
    const pending = wire(await theirs.listVpcPeerings(new ListVpcPeeringsRequest().withStatus("PENDING_ACCEPTANCE"))).peerings as Row[];
    assert.deepEqual(pending.map((p) => p.id), [request.id]);
    assert.equal(wire(await theirs.acceptVpcPeering(new AcceptVpcPeeringRequest().withPeeringId(request.id))).status, "ACTIVE");
    assert.equal((wire(await mine.showVpcPeering(new ShowVpcPeeringRequest().withPeeringId(request.id))).peering as Row).status, "ACTIVE");

    // Each project routes to the other's CIDR (v2.0 routes) and reads the route back, also in its route table.
    const there = wire(await peeringRoute(mine, app.id, "172.17.0.0/16", request.id)).route as Row & { id: string };
    const back = wire(await peeringRoute(theirs, svc.id, "172.16.0.0/16", request.id)).route as Row & { id: string };
    assert.deepEqual([there.tenant_id, back.tenant_id], [home, shared]);
    const mineRoutes = wire(await mine.listVpcRoutes(new ListVpcRoutesRequest().withVpcId(app.id))).routes as Row[];
    assert.deepEqual(mineRoutes.map((r) => [r.id, r.destination, r.nexthop]), [[there.id, "172.17.0.0/16", request.id]]);
    const theirRoutes = wire(await theirs.listVpcRoutes(new ListVpcRoutesRequest())).routes as Row[];
    assert.deepEqual(theirRoutes.map((r) => [r.id, r.destination, r.nexthop]), [[back.id, "172.16.0.0/16", request.id]]);
    assert.deepEqual((await tableOf(mine, appSubnet.id)).routes, [{ type: "peering", destination: "172.17.0.0/16", nexthop: request.id, description: "" }]);
    assert.deepEqual((await tableOf(theirs, svcSubnet.id)).routes, [{ type: "peering", destination: "172.16.0.0/16", nexthop: request.id, description: "" }]);
  });

  scenario("snapshot a volume and create a volume from the snapshot", async ({ hw, advance }) => {
    const pid = hw.projectId();
    const evs = async (method: string, path: string, body?: unknown): Promise<CallResult> => hw.call(method, `/evs${path.replace("{pid}", pid)}`, { body });
    const expectEvsError = (r: CallResult, status: number, code: string) => {
      assert.equal(r.status, status, r.text);
      assert.equal(r.json.error_code, code, r.text);
      assert.equal((r.json.error as Row | undefined)?.code, code, "EVS's nested error shape");
    };
    /** Polls EVS's ShowJob, moving the clock between polls, until the job succeeds. */
    const waitJob = async (jobId: string): Promise<Row> => {
      for (let poll = 0; poll < 30; poll++) {
        const job = await evs("GET", `/v1/{pid}/jobs/${jobId}`);
        assert.equal(job.status, 200, job.text);
        if (job.json.status === "SUCCESS") return job.json;
        assert.ok(job.json.status === "INIT" || job.json.status === "RUNNING", job.text);
        await advance(1);
      }
      throw new Error(`EVS job ${jobId} did not finish`);
    };
    const volume = async (id: string) => {
      const r = await evs("GET", `/v2/{pid}/cloudvolumes/${id}`);
      assert.equal(r.status, 200, r.text);
      return r.json.volume as Row;
    };

    const created = await evs("POST", "/v2.1/{pid}/cloudvolumes", { volume: { name: "data", availability_zone: "cn-north-4b", volume_type: "SSD", size: 10 } });
    assert.equal(created.status, 202, created.text);
    const sourceId = (created.json.volume_ids as string[])[0]!;
    await waitJob(String(created.json.job_id));
    assert.equal((await volume(sourceId)).status, "available");

    // Refusal: a snapshot of a volume the project does not have (404 EVS.5404).
    expectEvsError(await evs("POST", "/v2/{pid}/cloudsnapshots", { snapshot: { volume_id: MISSING, name: "nothing" } }), 404, "EVS.5404");

    const taken = await evs("POST", "/v2/{pid}/cloudsnapshots", { snapshot: { volume_id: sourceId, name: "data-snap", description: "before the upgrade" } });
    assert.equal(taken.status, 202, taken.text);
    const snapshot = taken.json.snapshot as Row & { id: string };
    assert.equal(snapshot.volume_id, sourceId);
    // Refusal on the way: a volume from a snapshot still being made (400 EVS.2045).
    expectEvsError(await evs("POST", "/v2.1/{pid}/cloudvolumes", { volume: { availability_zone: "cn-north-4b", volume_type: "SSD", size: 20, snapshot_id: snapshot.id } }), 400, "EVS.2045");

    // Wait for the snapshot as a program polls it.
    let status = "";
    for (let poll = 0; poll < 30 && status !== "available"; poll++) {
      const shown = await evs("GET", `/v2/{pid}/cloudsnapshots/${snapshot.id}`);
      assert.equal(shown.status, 200, shown.text);
      status = String((shown.json.snapshot as Row).status);
      if (status !== "available") {
        assert.equal(status, "creating");
        await advance(1);
      }
    }
    assert.equal(status, "available");
    const shown = (await evs("GET", `/v2/{pid}/cloudsnapshots/${snapshot.id}`)).json.snapshot as Row;
    assert.deepEqual([shown.name, shown.size, shown.volume_id], ["data-snap", 10, sourceId]);

    // A smaller volume than the snapshot, or one in another zone, is refused; a larger one is made from it.
    const elsewhere = await evs("POST", "/v2.1/{pid}/cloudvolumes", { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 20, snapshot_id: snapshot.id } });
    expectEvsError(elsewhere, 400, "EVS.1036");
    assert.match(String(elsewhere.json.error_msg), /snapshot's zone, cn-north-4b/);
    expectEvsError(await evs("POST", "/v2.1/{pid}/cloudvolumes", { volume: { availability_zone: "cn-north-4b", volume_type: "SSD", size: 5, snapshot_id: snapshot.id } }), 400, "EVS.1010");
    const restored = await evs("POST", "/v2.1/{pid}/cloudvolumes", { volume: { name: "data-copy", availability_zone: "cn-north-4b", volume_type: "SSD", size: 20, snapshot_id: snapshot.id } });
    assert.equal(restored.status, 202, restored.text);
    const copyId = (restored.json.volume_ids as string[])[0]!;
    await waitJob(String(restored.json.job_id));
    const copy = await volume(copyId);
    assert.deepEqual([copy.status, copy.snapshot_id, copy.size, copy.name, copy.availability_zone], ["available", snapshot.id, 20, "data-copy", "cn-north-4b"]);
    // The snapshot's volume is untouched, and the snapshot stays.
    const source = await volume(sourceId);
    assert.deepEqual([source.status, source.size], ["available", 10]);
    const listed = await hw.call("GET", `/evs/v2/${pid}/cloudsnapshots/detail`, { query: { volume_id: sourceId } });
    assert.deepEqual((listed.json.snapshots as Row[]).map((s) => s.id), [snapshot.id]);
  });
});
