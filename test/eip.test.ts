// EIP as a service of its own (eip.<region>, prefix /eip) through raw requests signed as the SDKs sign (no
// Node SDK package exists for EIP): one state with VPC's /vpc/v1/{project_id}/publicips, the Host and bare
// path routes, the v3 reads, 501s naming EIP's other operations, health, the token catalog and `hwlocal env`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { request } from "node:http";
import { promisify } from "node:util";
import type { VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { ServiceResolver } from "../src/gateway/resolve-service.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { signRequest } from "./helpers/sign.ts";
import { newPort, newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;
const CLI = new URL("./helpers/cli.ts", import.meta.url).pathname;

/** node:http, because fetch will not send a Host header of our choosing. */
function withHost(hw: TestHwlocal, host: string, path: string): Promise<{ status: number; json: Row }> {
  const headers = signRequest({ method: "GET", url: new URL(`http://${host}${path}`), headers: { "Content-Type": "application/json" }, body: undefined, creds: hw.admin });
  return new Promise((resolve, reject) => {
    const req = request(`${hw.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) as Row }));
    });
    req.on("error", reject);
    req.end();
  });
}

function expectNotImplemented(r: { status: number; json: Row }, service: string, name: string): void {
  assert.equal(r.status, 501, JSON.stringify(r.json));
  assert.equal(r.json.error_code, "HWLOCAL.0501");
  assert.match(String(r.json.error_msg), new RegExp(`\\b${service} operation ${name}\\b`));
}

describe("EIP on its own endpoint", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let p: string;
  let subnetId: string;
  let vpcId: string;
  before(async () => {
    hw = await startTestHwlocal();
    p = hw.projectId();
    v1 = vpcClient(hw.url, hw.admin, p);
    vpcId = (await newVpc(v1, "10.0.0.0/16")).id;
    subnetId = (await newSubnet(v1, { vpcId, cidr: "10.0.1.0/24", gatewayIp: "10.0.1.1" })).id;
  });
  after(() => hw.close());

  const allocate = (path: string, alias: string): Promise<CallResult> =>
    hw.call("POST", path, { body: { publicip: { type: "5_bgp", alias }, bandwidth: { share_type: "PER", name: `bw-${alias}`, size: 5 } } });

  test("/eip, /vpc and the bare path serve one set of EIPs", async () => {
    const created = await allocate(`/eip/v1/${p}/publicips`, "by-eip");
    assert.equal(created.status, 200, created.text);
    const id = (created.json.publicip as { id: string }).id;
    for (const path of [`/eip/v1/${p}/publicips/${id}`, `/vpc/v1/${p}/publicips/${id}`, `/v1/${p}/publicips/${id}`]) {
      const shown = await hw.call("GET", path);
      assert.equal(shown.status, 200, `${path}: ${shown.text}`);
      assert.equal((shown.json.publicip as Row).alias, "by-eip");
    }
    const viaVpc = await allocate(`/vpc/v1/${p}/publicips`, "by-vpc");
    const listed = await hw.call("GET", `/eip/v1/${p}/publicips`);
    assert.deepEqual((listed.json.publicips as Row[]).map((e) => e.alias).sort(), ["by-eip", "by-vpc"]);
    assert.equal((await hw.call("DELETE", `/eip/v1/${p}/publicips/${(viaVpc.json.publicip as { id: string }).id}`)).status, 204);
    const bandwidths = await hw.call("GET", `/eip/v1/${p}/bandwidths`);
    assert.equal(bandwidths.status, 200);
    assert.deepEqual((bandwidths.json.bandwidths as Row[]).map((b) => b.name), ["bw-by-eip"]);
    // EIP's ListQuotas is VPC's quota API on the same path.
    const quotas = await hw.call("GET", `/eip/v1/${p}/quotas`, { query: { type: "publicIp" } });
    assert.equal(quotas.status, 200, quotas.text);
    assert.equal((quotas.json.quotas as { resources: Row[] }).resources[0]!.used, 1);
  });

  test("the Host eip.<region>.myhuaweicloud.com reaches eip, and a bare path both answer goes to its owner", async () => {
    const r = await withHost(hw, "eip.cn-north-4.myhuaweicloud.com", `/v1/${p}/publicips`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.ok(Array.isArray(r.json.publicips));
    // ShowJob is ECS's, EVS's and IMS's too: bare it is ambiguous, on EIP's host it is EIP's (not built).
    expectNotImplemented(await withHost(hw, "eip.cn-north-4.myhuaweicloud.com", `/v1/${p}/jobs/j-1`), "eip", "ShowResourcesJobDetail");
    assert.equal((await hw.call("GET", `/v1/${p}/jobs/j-1`)).json.error_code, "APIGW.0101");

    const resolver = new ServiceResolver(hw.services);
    assert.equal(resolver.resolve(undefined, "GET", `/v1/${p}/publicips`)?.service.name, "eip");
    assert.equal(resolver.resolve(undefined, "PUT", `/v1/${p}/bandwidths/b-1`)?.service.name, "eip");
    assert.equal(resolver.resolve(undefined, "GET", `/v1/${p}/quotas`)?.service.name, "vpc");
    assert.equal(resolver.resolve(undefined, "GET", `/v1/${p}/jobs/j-1`), undefined);
  });

  test("v3 ListPublicips and ShowPublicip read the same rows, with vnic, filters, fields and paging", async () => {
    const a = (await allocate(`/eip/v1/${p}/publicips`, "v3-a")).json.publicip as { id: string; public_ip_address: string };
    const b = (await allocate(`/eip/v1/${p}/publicips`, "v3-b")).json.publicip as { id: string };
    const port = await newPort(v1, subnetId);
    const bound = await hw.call("PUT", `/eip/v1/${p}/publicips/${a.id}`, { body: { publicip: { port_id: port.id } } });
    assert.equal(bound.status, 200, bound.text);

    const shown = await hw.call("GET", `/eip/v3/${p}/eip/publicips/${a.id}`);
    assert.equal(shown.status, 200, shown.text);
    assert.match(String(shown.json.request_id), /^[0-9a-f]{32}$/);
    const s = shown.json.publicip as Row;
    assert.equal(s.id, a.id);
    assert.equal(s.project_id, p);
    assert.equal(s.status, "ACTIVE");
    assert.equal(s.ip_version, 4);
    assert.equal(s.type, "EIP");
    assert.equal(s.public_ip_address, a.public_ip_address);
    assert.equal(s.publicip_pool_name, "5_bgp");
    assert.equal(s.alias, "v3-a");
    assert.equal(s.associate_instance_type, "PORT");
    assert.equal(s.associate_instance_id, port.id);
    assert.match(String(s.created_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const vnic = s.vnic as Row;
    assert.equal(vnic.port_id, port.id);
    assert.equal(vnic.vpc_id, vpcId);
    assert.equal(vnic.private_ip_address, port.fixed_ips[0]!.ip_address);
    assert.equal(vnic.mac, port.mac_address);
    assert.deepEqual(Object.keys(s.bandwidth as Row).sort(), ["billing_info", "charge_mode", "id", "name", "share_type", "size"]);

    const list = (query: Record<string, string>) => hw.call("GET", `/eip/v3/${p}/eip/publicips`, { query });
    const ids = (r: CallResult) => (r.json.publicips as Row[]).map((e) => e.id);
    const all = await list({});
    assert.equal(all.status, 200, all.text);
    assert.equal(all.json.total_count, (all.json.publicips as Row[]).length);
    assert.deepEqual(ids(await list({ status: "ACTIVE" })), [a.id]);
    assert.deepEqual(ids(await list({ "vnic.port_id": port.id })), [a.id]);
    assert.deepEqual(ids(await list({ alias_like: "v3-" })), [a.id, b.id]);
    const down = await list({ status: "DOWN", associate_instance_type: "PORT" });
    assert.deepEqual(ids(down), []);
    assert.equal(down.json.total_count, 0);

    const first = await list({ alias_like: "v3-", limit: "1" });
    assert.deepEqual(ids(first), [a.id]);
    assert.equal(first.json.total_count, 2);
    assert.deepEqual(first.json.page_info, { previous_marker: a.id, current_count: 1, next_marker: a.id });
    assert.deepEqual(ids(await list({ alias_like: "v3-", limit: "1", marker: a.id })), [b.id]);
    assert.equal((await list({ marker: "no-such-eip" })).status, 400);

    const slim = await hw.call("GET", `/eip/v3/${p}/eip/publicips/${b.id}`, { query: { fields: "status" } });
    assert.deepEqual(slim.json.publicip, { id: b.id, status: "DOWN" });
    const missing = await hw.call("GET", `/v3/${p}/eip/publicips/00000000-0000-4000-8000-000000000000`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, "VPC.0504");
  });

  test("EIP operations hwlocal lacks answer 501 naming them", async () => {
    expectNotImplemented(await hw.call("GET", `/eip/v3/${p}/eip/bandwidths`), "eip", "ListBandwidth");
    expectNotImplemented(await hw.call("POST", `/eip/v3/${p}/eip/publicips/x/associate-instance`, { body: {} }), "eip", "AssociatePublicips");
    expectNotImplemented(await hw.call("GET", `/eip/v2.0/${p}/publicips/tags`), "eip", "ListPublicipTags");
    expectNotImplemented(await hw.call("GET", `/eip/v2/${p}/publicip_types`), "eip", "ShowPublicIpType");
    // Bare, an EIP v3 path belongs to EIP alone.
    expectNotImplemented(await hw.call("GET", `/v3/${p}/eip/publicip-pools`), "eip", "ListPublicipPool");
  });

  test("health, the token catalog and `hwlocal env` list eip", async () => {
    const health = await hw.call("GET", "/_hwlocal/health", { creds: null });
    const eip = (health.json.services as Record<string, Row>).eip!;
    assert.equal(eip.status, "running");
    assert.ok(Number(eip.sdk_operations) >= 60);

    const token = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: {
        auth: {
          identity: { methods: ["password"], password: { user: { name: hw.seed.user.name, password: hw.seed.user.password, domain: { name: hw.seed.domain.name } } } },
          scope: { project: { name: "cn-north-4" } },
        },
      },
    });
    assert.equal(token.status, 201, token.text);
    const catalog = (token.json.token as { catalog: { name: string; type: string; endpoints: { url: string; region: string }[] }[] }).catalog;
    const entry = catalog.find((c) => c.name === "eip");
    assert.ok(entry, "the catalog lists eip");
    assert.equal(entry.type, "eip");
    assert.deepEqual(entry.endpoints.map((e) => [e.region, e.url]), [["cn-north-4", `${hw.url}/eip`]]);

    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", CLI, "env", "--endpoint", hw.url]);
    assert.ok(stdout.split("\n").includes(`export HUAWEICLOUD_SDK_REGION_EIP_CN_NORTH_4=${hw.url}/eip`), stdout);
  });
});
