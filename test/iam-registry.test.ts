// Keystone's service and endpoint registry through the official IAM SDK (KeystoneListServices with its type
// filter, KeystoneShowService, KeystoneListEndpoints with interface and service_id, KeystoneShowEndpoint,
// their 404s) and through the OpenStack CLI (service list and show, endpoint list by service and region):
// the token catalog's entries in every region, with "$(tenant_id)s" where a URL takes the project.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type IamClient,
  KeystoneListEndpointsRequest,
  KeystoneListServicesRequest,
  KeystoneShowEndpointRequest,
  KeystoneShowServiceRequest,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { openstackCli, runOpenstack } from "./helpers/openstack-cli.ts";
import { iamClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;
const rows = (v: unknown) => v as Row[];

describe("Keystone's services and endpoints", () => {
  let hw: TestHwlocal;
  let iam: IamClient;

  before(async () => {
    hw = await startTestHwlocal();
    iam = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
  });
  after(() => hw.close());

  test("KeystoneListServices and KeystoneShowService: the catalog's services, by type; an unknown one is 404", async () => {
    const all = rows(wire(await iam.keystoneListServices(new KeystoneListServicesRequest())).services);
    const pairs = all.map((s) => `${String(s.name)}/${String(s.type)}`);
    for (const p of ["keystone/identity", "iam/iam", "nova/compute", "ecs/ecs", "neutron/network", "glance/image", "cinderv3/volumev3", "cinderv2/volumev2"]) {
      assert.ok(pairs.includes(p), p);
    }
    const compute = rows(wire(await iam.keystoneListServices(new KeystoneListServicesRequest().withType("compute"))).services);
    assert.equal(compute.length, 1);
    const nova = compute[0]!;
    assert.equal(nova.enabled, true);
    assert.equal((nova.links as Row).self, `${hw.url}/iam/v3/services/${String(nova.id)}`);
    const shown = wire(await iam.keystoneShowService(new KeystoneShowServiceRequest().withServiceId(String(nova.id)))).service as Row;
    assert.deepEqual(shown, nova);
    const missing = await sdkError(iam.keystoneShowService(new KeystoneShowServiceRequest().withServiceId("0".repeat(32))));
    assert.equal(missing.httpStatusCode, 404);
  });

  test("KeystoneListEndpoints and KeystoneShowEndpoint: every region, the project as $(tenant_id)s, ids as in tokens", async () => {
    const services = rows(wire(await iam.keystoneListServices(new KeystoneListServicesRequest())).services);
    const idOf = (name: string) => String(services.find((s) => s.name === name)!.id);
    const novaEps = rows(
      wire(await iam.keystoneListEndpoints(new KeystoneListEndpointsRequest().withServiceId(idOf("nova")).withInterface("public"))).endpoints,
    );
    assert.ok(novaEps.length > 5);
    const north = novaEps.find((e) => e.region_id === "cn-north-4")!;
    assert.equal(north.url, `${hw.url}/ecs/v2.1/$(tenant_id)s`);
    assert.equal(north.service_id, idOf("nova"));
    const keystone = rows(wire(await iam.keystoneListEndpoints(new KeystoneListEndpointsRequest().withServiceId(idOf("keystone")))).endpoints);
    assert.ok(keystone.some((e) => e.region === "*"));
    assert.ok(keystone.every((e) => e.url === `${hw.url}/iam/v3`));

    // The endpoint a project token lists has the same id.
    const token = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: {
        auth: {
          identity: { methods: ["password"], password: { user: { name: "admin", password: hw.seed.user.password, domain: { name: "hwlocal" } } } },
          scope: { project: { name: "cn-north-4" } },
        },
      },
    });
    const catalog = (token.json.token as { catalog: { name: string; endpoints: { id: string; url: string }[] }[] }).catalog;
    const inToken = catalog.find((e) => e.name === "nova")!.endpoints[0]!;
    assert.equal(inToken.id, north.id);
    assert.equal(inToken.url, `${hw.url}/ecs/v2.1/${hw.projectId("cn-north-4")}`);
    const shown = wire(await iam.keystoneShowEndpoint(new KeystoneShowEndpointRequest().withEndpointId(String(north.id)))).endpoint as Row;
    assert.deepEqual(shown, north);
    const missing = await sdkError(iam.keystoneShowEndpoint(new KeystoneShowEndpointRequest().withEndpointId("0".repeat(32))));
    assert.equal(missing.httpStatusCode, 404);
    const admin = rows(wire(await iam.keystoneListEndpoints(new KeystoneListEndpointsRequest().withInterface("admin"))).endpoints);
    assert.deepEqual(admin, []);
  });

  test("openstack service list, service show and endpoint list by service and region", async () => {
    const listed = (await openstackCli(hw, ["service", "list"])) as { ID: string; Name: string; Type: string }[];
    const sdk = rows(wire(await iam.keystoneListServices(new KeystoneListServicesRequest())).services);
    assert.deepEqual(listed.map((s) => [s.ID, s.Name, s.Type]).sort(), sdk.map((s) => [s.id, s.name, s.type]).sort());
    const nova = (await openstackCli(hw, ["service", "show", "nova"])) as Row;
    assert.equal(nova.type, "compute");
    const eps = (await openstackCli(hw, ["endpoint", "list", "--service", "compute", "--region", "cn-north-4"])) as Row[];
    assert.deepEqual(
      eps.map((e) => [e.Region, e["Service Name"], e.Interface, e.URL]),
      [["cn-north-4", "nova", "public", `${hw.url}/ecs/v2.1/$(tenant_id)s`]],
    );
    const unknown = await runOpenstack(hw, ["service", "show", "no-such-service", "-f", "json"]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no-such-service/);
  });
});
