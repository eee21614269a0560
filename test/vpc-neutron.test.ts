// Neutron v2.0 networks, subnets and routers through the official VPC SDK's Neutron* operations: the same
// VPCs and subnets VPC's own API shows (both ways), the preset admin_external_net, router interfaces,
// fields/filters/limit-marker paging, NeutronError bodies, and another project's resources as 404.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ExternalGatewayInfoOption,
  ListSubnetsRequest,
  ListVpcsRequest,
  NeutronAddRouterInterfaceRequest,
  NeutronCreateNetworkOption,
  NeutronCreateNetworkRequest,
  NeutronCreateNetworkRequestBody,
  NeutronCreateRouterOption,
  NeutronCreateRouterRequest,
  NeutronCreateRouterRequestBody,
  NeutronCreateSubnetOption,
  NeutronCreateSubnetRequest,
  NeutronCreateSubnetRequestBody,
  NeutronDeleteNetworkRequest,
  NeutronDeleteRouterRequest,
  NeutronDeleteSubnetRequest,
  NeutronListNetworksRequest,
  NeutronListRoutersRequest,
  NeutronListSubnetsRequest,
  NeutronRemoveRouterInterfaceRequest,
  NeutronShowNetworkRequest,
  NeutronShowRouterRequest,
  NeutronShowSubnetRequest,
  NeutronUpdateNetworkOption,
  NeutronUpdateNetworkRequest,
  NeutronUpdateNetworkRequestBody,
  NeutronUpdateRouterOption,
  NeutronUpdateRouterRequest,
  NeutronUpdateRouterRequestBody,
  NeutronUpdateSubnetOption,
  NeutronUpdateSubnetRequest,
  NeutronUpdateSubnetRequestBody,
  Route,
  RouterInterfaceRequestBody,
  ShowSubnetRequest,
  type VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError, wire } from "./helpers/sdk.ts";
import { newPort, newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown> & { id: string };
const one = (res: unknown, key: string) => wire(res)[key] as Row;
const many = (res: unknown, key: string) => wire(res)[key] as Row[];

describe("neutron networks, subnets and routers through the VPC SDK", () => {
  let hw: TestHwlocal;
  let sdk: VpcClient;
  let otherProject: VpcClient;
  before(async () => {
    hw = await startTestHwlocal();
    sdk = vpcClient(hw.url, hw.admin, hw.projectId());
    otherProject = vpcClient(hw.url, hw.admin, hw.projectId("cn-east-3"));
  });
  after(() => hw.close());

  const createNetwork = async (name: string) =>
    one(await sdk.neutronCreateNetwork(new NeutronCreateNetworkRequest().withBody(new NeutronCreateNetworkRequestBody().withNetwork(new NeutronCreateNetworkOption().withName(name)))), "network");
  const createSubnet = async (networkId: string, cidr: string, name = "nsub") =>
    one(
      await sdk.neutronCreateSubnet(
        new NeutronCreateSubnetRequest().withBody(
          new NeutronCreateSubnetRequestBody().withSubnet(new NeutronCreateSubnetOption().withNetworkId(networkId).withCidr(cidr).withIpVersion(4).withName(name)),
        ),
      ),
      "subnet",
    );
  const createRouter = async (name: string) =>
    one(await sdk.neutronCreateRouter(new NeutronCreateRouterRequest().withBody(new NeutronCreateRouterRequestBody().withRouter(new NeutronCreateRouterOption().withName(name)))), "router");

  test("a VPC subnet is the network of its id with its neutron subnet; admin_external_net is listed", async () => {
    const vpc = await newVpc(sdk, "10.1.0.0/16", "vpc-n1");
    const s = await newSubnet(sdk, { vpcId: vpc.id, cidr: "10.1.1.0/24", gatewayIp: "10.1.1.1", name: "sub-n1", availabilityZone: "cn-north-4a" });
    const net = one(await sdk.neutronShowNetwork(new NeutronShowNetworkRequest(s.id)), "network");
    assert.equal(net.id, s.id);
    assert.equal(net.name, "sub-n1");
    assert.equal(net.status, "ACTIVE");
    assert.deepEqual(net.subnets, [s.neutron_subnet_id]);
    assert.equal(net.tenant_id, hw.projectId());
    assert.equal(net["router:external"], false);
    assert.deepEqual(net.availability_zones, ["cn-north-4a"]);

    const sub = one(await sdk.neutronShowSubnet(new NeutronShowSubnetRequest(s.neutron_subnet_id)), "subnet");
    assert.equal(sub.id, s.neutron_subnet_id);
    assert.equal(sub.network_id, s.id);
    assert.equal(sub.cidr, "10.1.1.0/24");
    assert.equal(sub.gateway_ip, "10.1.1.1");
    assert.equal(sub.ip_version, 4);
    assert.deepEqual(sub.allocation_pools, [{ start: "10.1.1.2", end: "10.1.1.252" }]);

    const router = one(await sdk.neutronShowRouter(new NeutronShowRouterRequest(vpc.id)), "router");
    assert.equal(router.name, "vpc-n1");
    assert.equal(router.status, "ACTIVE");

    const nets = many(await sdk.neutronListNetworks(new NeutronListNetworksRequest()), "networks");
    const ext = nets.find((n) => n.name === "admin_external_net");
    assert.ok(ext, "admin_external_net is listed");
    assert.equal(ext["router:external"], true);
    const extShown = one(await sdk.neutronShowNetwork(new NeutronShowNetworkRequest(ext.id)), "network");
    assert.equal(extShown.name, "admin_external_net");
    const extFiltered = many(await sdk.neutronListNetworks(new NeutronListNetworksRequest().withRouterExternal(true)), "networks");
    assert.deepEqual(extFiltered.map((n) => n.id), [ext.id]);
    // The external network is read-only to a tenant.
    const del = await sdkError(sdk.neutronDeleteNetwork(new NeutronDeleteNetworkRequest(ext.id)));
    assert.equal(del.httpStatusCode, 403);
  });

  test("a network and subnet made through neutron are a VPC subnet; a router is a VPC, with interfaces", async () => {
    const router = await createRouter("router-n2");
    assert.equal(router.status, "ACTIVE");
    assert.equal(router.admin_state_up, true);
    const vpcs = wire(await sdk.listVpcs(new ListVpcsRequest())).vpcs as Row[];
    const vpc = vpcs.find((v) => v.id === router.id);
    assert.ok(vpc, "the router is a VPC");
    assert.equal(vpc.cidr, "192.168.0.0/16");

    const net = await createNetwork("net-n2");
    assert.deepEqual(net.subnets, []);
    assert.equal(net.admin_state_up, true);
    const sub = await createSubnet(net.id, "192.168.7.0/24", "sub-n2");
    assert.equal(sub.network_id, net.id);
    assert.equal(sub.gateway_ip, "192.168.7.1");

    // VPC's API sees the subnet (in the router's VPC, which contains its CIDR), with the network's id.
    const v1 = wire(await sdk.showSubnet(new ShowSubnetRequest(net.id))).subnet as Row;
    assert.equal(v1.vpc_id, router.id);
    assert.equal(v1.neutron_subnet_id, sub.id);
    assert.equal(v1.cidr, "192.168.7.0/24");
    const shown = one(await sdk.neutronShowNetwork(new NeutronShowNetworkRequest(net.id)), "network");
    assert.equal(shown.name, "net-n2");
    assert.deepEqual(shown.subnets, [sub.id]);

    // Interfaces: add, add again (400), remove, remove again (404).
    const add = wire(await sdk.neutronAddRouterInterface(new NeutronAddRouterInterfaceRequest(router.id).withBody(new RouterInterfaceRequestBody().withSubnetId(sub.id))));
    assert.equal(add.id, router.id);
    assert.equal(add.subnet_id, sub.id);
    assert.match(String(add.port_id), /^[0-9a-f-]{36}$/);
    assert.equal(add.tenant_id, hw.projectId());
    const again = await sdkError(sdk.neutronAddRouterInterface(new NeutronAddRouterInterfaceRequest(router.id).withBody(new RouterInterfaceRequestBody().withSubnetId(sub.id))));
    assert.equal(again.httpStatusCode, 400);
    const removed = wire(await sdk.neutronRemoveRouterInterface(new NeutronRemoveRouterInterfaceRequest(router.id).withBody(new RouterInterfaceRequestBody().withSubnetId(sub.id))));
    assert.equal(removed.port_id, add.port_id);
    const gone = await sdkError(sdk.neutronRemoveRouterInterface(new NeutronRemoveRouterInterfaceRequest(router.id).withBody(new RouterInterfaceRequestBody().withSubnetId(sub.id))));
    assert.equal(gone.httpStatusCode, 404);
    const neither = await sdkError(sdk.neutronAddRouterInterface(new NeutronAddRouterInterfaceRequest(router.id).withBody(new RouterInterfaceRequestBody())));
    assert.equal(neither.httpStatusCode, 400);

    // A subnet attached to no router moves to the router it is added to.
    const other = await createRouter("router-n2b");
    await sdk.neutronAddRouterInterface(new NeutronAddRouterInterfaceRequest(other.id).withBody(new RouterInterfaceRequestBody().withSubnetId(sub.id)));
    assert.equal((wire(await sdk.showSubnet(new ShowSubnetRequest(net.id))).subnet as Row).vpc_id, other.id);

    // A router holding subnets cannot go; updates reach the VPC.
    const inUse = await sdkError(sdk.neutronDeleteRouter(new NeutronDeleteRouterRequest(other.id)));
    assert.equal(inUse.httpStatusCode, 409);
    const updated = one(
      await sdk.neutronUpdateRouter(
        new NeutronUpdateRouterRequest(other.id).withBody(
          new NeutronUpdateRouterRequestBody().withRouter(
            new NeutronUpdateRouterOption().withName("renamed").withAdminStateUp(false).withRoutes([new Route().withDestination("10.9.0.0/16").withNexthop("192.168.7.10")]),
          ),
        ),
      ),
      "router",
    );
    assert.equal(updated.name, "renamed");
    assert.equal(updated.admin_state_up, false);
    assert.deepEqual(updated.routes, [{ destination: "10.9.0.0/16", nexthop: "192.168.7.10" }]);
    assert.equal((wire(await sdk.listVpcs(new ListVpcsRequest())).vpcs as Row[]).find((v) => v.id === other.id)?.name, "renamed");
    const routers = many(await sdk.neutronListRouters(new NeutronListRoutersRequest()), "routers");
    assert.ok(routers.some((r) => r.id === other.id && r.name === "renamed"));

    // Updates of the network and subnet; deleting the subnet keeps the network; deleting the network.
    const renamed = one(
      await sdk.neutronUpdateNetwork(new NeutronUpdateNetworkRequest(net.id).withBody(new NeutronUpdateNetworkRequestBody().withNetwork(new NeutronUpdateNetworkOption().withName("net-n2x")))),
      "network",
    );
    assert.equal(renamed.name, "net-n2x");
    const subUpdated = one(
      await sdk.neutronUpdateSubnet(
        new NeutronUpdateSubnetRequest(sub.id).withBody(
          new NeutronUpdateSubnetRequestBody().withSubnet(new NeutronUpdateSubnetOption().withName("sub-n2x").withDnsNameservers(["100.125.1.250"]).withEnableDhcp(true)),
        ),
      ),
      "subnet",
    );
    assert.equal(subUpdated.name, "sub-n2x");
    assert.deepEqual(subUpdated.dns_nameservers, ["100.125.1.250"]);
    assert.equal((wire(await sdk.showSubnet(new ShowSubnetRequest(net.id))).subnet as Row).primary_dns, "100.125.1.250");

    await sdk.neutronDeleteSubnet(new NeutronDeleteSubnetRequest(sub.id));
    const bare = one(await sdk.neutronShowNetwork(new NeutronShowNetworkRequest(net.id)), "network");
    assert.deepEqual(bare.subnets, []);
    assert.equal((await sdkError(sdk.showSubnet(new ShowSubnetRequest(net.id)))).httpStatusCode, 404);
    await sdk.neutronDeleteNetwork(new NeutronDeleteNetworkRequest(net.id));
    const missing = await sdkError(sdk.neutronShowNetwork(new NeutronShowNetworkRequest(net.id)));
    assert.equal(missing.httpStatusCode, 404);
    await sdk.neutronDeleteRouter(new NeutronDeleteRouterRequest(other.id));
    await sdk.neutronDeleteRouter(new NeutronDeleteRouterRequest(router.id));
    assert.equal((await sdkError(sdk.neutronShowRouter(new NeutronShowRouterRequest(router.id)))).httpStatusCode, 404);
  });

  test("a router's external gateway is the region's admin_external_net; admin_state_up is kept", async () => {
    const nets = many(await sdk.neutronListNetworks(new NeutronListNetworksRequest().withName("admin_external_net")), "networks");
    const ext = nets[0]!;
    const r = one(
      await sdk.neutronCreateRouter(
        new NeutronCreateRouterRequest().withBody(
          new NeutronCreateRouterRequestBody().withRouter(new NeutronCreateRouterOption().withName("gw").withExternalGatewayInfo(new ExternalGatewayInfoOption().withNetworkId(ext.id))),
        ),
      ),
      "router",
    );
    assert.deepEqual((r.external_gateway_info as Row).network_id, ext.id);
    const cleared = one(
      await sdk.neutronUpdateRouter(
        new NeutronUpdateRouterRequest(r.id).withBody(new NeutronUpdateRouterRequestBody().withRouter(new NeutronUpdateRouterOption().withAdminStateUp(false))),
      ),
      "router",
    );
    assert.equal(cleared.admin_state_up, false);
    assert.deepEqual((cleared.external_gateway_info as Row).network_id, ext.id, "an update without it keeps the gateway");
    const bad = await sdkError(
      sdk.neutronCreateRouter(
        new NeutronCreateRouterRequest().withBody(
          new NeutronCreateRouterRequestBody().withRouter(new NeutronCreateRouterOption().withName("gw2").withExternalGatewayInfo(new ExternalGatewayInfoOption().withNetworkId("nope"))),
        ),
      ),
    );
    assert.equal(bad.httpStatusCode, 400);
    const rename = await sdkError(
      sdk.neutronUpdateNetwork(new NeutronUpdateNetworkRequest(ext.id).withBody(new NeutronUpdateNetworkRequestBody().withNetwork(new NeutronUpdateNetworkOption().withName("mine")))),
    );
    assert.equal(rename.httpStatusCode, 403, "the external network is not the tenant's to rename");
    await sdk.neutronDeleteRouter(new NeutronDeleteRouterRequest(r.id));
  });

  test("a subnet outside every VPC gets a new router over its private block; one subnet per network", async () => {
    const net = await createNetwork("net-n3");
    const sub = await createSubnet(net.id, "172.20.1.0/24");
    const v1 = wire(await sdk.showSubnet(new ShowSubnetRequest(net.id))).subnet as Row;
    const vpcs = wire(await sdk.listVpcs(new ListVpcsRequest())).vpcs as Row[];
    assert.equal(vpcs.find((v) => v.id === v1.vpc_id)?.cidr, "172.16.0.0/12");
    const second = await sdkError(createSubnet(net.id, "172.20.2.0/24"));
    assert.equal(second.httpStatusCode, 409);
    const bad = await sdkError(createSubnet(net.id, "8.8.8.0/24"));
    assert.equal(bad.httpStatusCode, 409, "the network already holds its subnet");
    const net2 = await createNetwork("net-n3b");
    const outside = await sdkError(createSubnet(net2.id, "8.8.8.0/24"));
    assert.equal(outside.httpStatusCode, 400);
    // A refused subnet leaves no router behind (the one made for it goes with it).
    const vpcCount = (wire(await sdk.listVpcs(new ListVpcsRequest())).vpcs as Row[]).length;
    const badGateway = await sdkError(
      sdk.neutronCreateSubnet(
        new NeutronCreateSubnetRequest().withBody(
          new NeutronCreateSubnetRequestBody().withSubnet(new NeutronCreateSubnetOption().withNetworkId(net2.id).withCidr("10.200.0.0/24").withGatewayIp("10.201.0.1")),
        ),
      ),
    );
    assert.equal(badGateway.httpStatusCode, 400);
    assert.equal((wire(await sdk.listVpcs(new ListVpcsRequest())).vpcs as Row[]).length, vpcCount);
    // Ports keep a network: 409 NetworkInUse.
    await newPort(sdk, net.id);
    const inUse = await sdkError(sdk.neutronDeleteNetwork(new NeutronDeleteNetworkRequest(net.id)));
    assert.equal(inUse.httpStatusCode, 409);
    const subInUse = await sdkError(sdk.neutronDeleteSubnet(new NeutronDeleteSubnetRequest(sub.id)));
    assert.equal(subInUse.httpStatusCode, 409);
  });

  test("NeutronError bodies with error_code/error_msg; bad input is a NeutronError 400", async () => {
    const r = await hw.call("GET", "/vpc/v2.0/networks/no-such-network", { headers: { "X-Project-Id": hw.projectId() } });
    assert.equal(r.status, 404);
    assert.deepEqual(Object.keys(r.json).slice(0, 3), ["NeutronError", "error_code", "error_msg"]);
    assert.deepEqual(r.json.NeutronError, { type: "NetworkNotFound", message: "Network no-such-network could not be found.", detail: "" });
    assert.equal(r.json.error_code, "VPC.0202");
    const e = await sdkError(sdk.neutronShowSubnet(new NeutronShowSubnetRequest("nope")));
    assert.equal(e.httpStatusCode, 404);
    assert.equal(e.errorCode, "VPC.0202");
    assert.match(e.errorMsg, /Subnet nope could not be found/);
    const bad = await hw.call("POST", "/vpc/v2.0/networks", { headers: { "X-Project-Id": hw.projectId() }, body: { network: { admin_state_up: "yes" } } });
    assert.equal(bad.status, 400);
    assert.equal((bad.json.NeutronError as Row).type, "HTTPBadRequest");
    // A VPC model error (quota, here the router quota of 5) is reshaped into a NeutronError too.
    const quota = [];
    for (let i = 0; i < 6; i++) quota.push(await createRouter(`q${i}`).then(() => 0, (err: unknown) => err));
    const failed = quota.find((x) => x !== 0) as { httpStatusCode: number } | undefined;
    assert.equal(failed?.httpStatusCode, 409);
    const raw = await hw.call("POST", "/vpc/v2.0/routers", { headers: { "X-Project-Id": hw.projectId() }, body: { router: { name: "q9" } } });
    assert.equal(raw.status, 409);
    assert.equal((raw.json.NeutronError as Row).type, "Conflict");
    assert.equal(raw.json.error_code, "VPC.0114");
  });

  test("fields=, filters and limit/marker paging with networks_links", async () => {
    const names = ["page-a", "page-b", "page-c", "page-d"];
    for (const n of names) await createNetwork(n);
    const all = many(await sdk.neutronListNetworks(new NeutronListNetworksRequest()), "networks");
    const ids = all.map((n) => n.id);
    assert.deepEqual(ids, [...ids].sort(), "ordered by id");
    const byName = many(await sdk.neutronListNetworks(new NeutronListNetworksRequest().withName("page-c")), "networks");
    assert.deepEqual(byName.map((n) => n.name), ["page-c"]);
    const byId = many(await sdk.neutronListNetworks(new NeutronListNetworksRequest().withId(ids[1]!)), "networks");
    assert.deepEqual(byId.map((n) => n.id), [ids[1]]);

    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      let req = new NeutronListNetworksRequest().withLimit(2);
      if (marker) req = req.withMarker(marker);
      const res = wire(await sdk.neutronListNetworks(req));
      const page = res.networks as Row[];
      seen.push(...page.map((n) => n.id));
      const next = (res.networks_links as { rel: string; href: string }[]).find((l) => l.rel === "next");
      if (!next) break;
      assert.match(next.href, /\/vpc\/v2\.0\/networks\?limit=2&marker=/);
      marker = page[page.length - 1]!.id;
    }
    assert.deepEqual(seen, ids);
    const end = wire(await sdk.neutronListNetworks(new NeutronListNetworksRequest().withLimit(2).withMarker(ids[ids.length - 1]!)));
    assert.deepEqual(end.networks, []);
    assert.deepEqual(end.networks_links, []);
    const back = await hw.call("GET", "/vpc/v2.0/networks", { headers: { "X-Project-Id": hw.projectId() }, query: { limit: "2", marker: ids[2]!, page_reverse: "True" } });
    assert.deepEqual((back.json.networks as Row[]).map((n) => n.id), [ids[1], ids[0]]);
    const badMarker = await sdkError(sdk.neutronListNetworks(new NeutronListNetworksRequest().withMarker("nope")));
    assert.equal(badMarker.httpStatusCode, 400);

    const fields = await hw.call("GET", "/vpc/v2.0/networks?fields=id&fields=name&name=page-a", { headers: { "X-Project-Id": hw.projectId() } });
    assert.equal(fields.status, 200);
    assert.deepEqual(Object.keys((fields.json.networks as Row[])[0]!).sort(), ["id", "name"]);
    const subFields = await hw.call("GET", "/vpc/v2.0/subnets?fields=cidr", { headers: { "X-Project-Id": hw.projectId() } });
    assert.ok((subFields.json.subnets as Row[]).every((s) => Object.keys(s).join() === "cidr"));
    const subnets = many(await sdk.neutronListSubnets(new NeutronListSubnetsRequest().withCidr("10.1.1.0/24")), "subnets");
    assert.deepEqual(subnets.map((s) => s.cidr), ["10.1.1.0/24"]);
  });

  test("the extension list names what hwlocal emulates (openstacksdk reads it before port create)", async () => {
    const headers = { "X-Project-Id": hw.projectId() };
    const list = await hw.call("GET", "/vpc/v2.0/extensions", { headers });
    assert.equal(list.status, 200);
    const aliases = (list.json.extensions as Row[]).map((e) => e.alias);
    assert.ok(aliases.includes("security-group") && aliases.includes("external-net") && aliases.includes("fwaas_v2"));
    assert.ok(!aliases.includes("availability_zone"));
    const one = await hw.call("GET", "/vpc/v2.0/extensions/router", { headers });
    assert.equal((one.json.extension as Row).name, "Neutron L3 Router");
    const none = await hw.call("GET", "/vpc/v2.0/extensions/tag-ports-during-bulk-creation", { headers });
    assert.equal(none.status, 404);
    assert.equal((none.json.NeutronError as Row).type, "ExtensionNotFound");
  });

  test("another project's networks, subnets and routers are not found", async () => {
    const mine = await createNetwork("mine");
    const sub = await createSubnet(mine.id, "192.168.77.0/24");
    const routers = many(await sdk.neutronListRouters(new NeutronListRoutersRequest()), "routers");
    for (const p of [
      otherProject.neutronShowNetwork(new NeutronShowNetworkRequest(mine.id)),
      otherProject.neutronShowSubnet(new NeutronShowSubnetRequest(sub.id)),
      otherProject.neutronShowRouter(new NeutronShowRouterRequest(routers[0]!.id)),
      otherProject.neutronDeleteNetwork(new NeutronDeleteNetworkRequest(mine.id)),
    ]) {
      assert.equal((await sdkError(p)).httpStatusCode, 404);
    }
    const theirs = many(await otherProject.neutronListNetworks(new NeutronListNetworksRequest()), "networks");
    assert.deepEqual(theirs.map((n) => n.name), ["admin_external_net"]);
    assert.deepEqual(many(await otherProject.neutronListSubnets(new NeutronListSubnetsRequest()), "subnets"), []);
    assert.equal((wire(await vpcClient(hw.url, hw.admin, hw.projectId("cn-east-3")).listSubnets(new ListSubnetsRequest())).subnets as Row[]).length, 0);
  });
});
