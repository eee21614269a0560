// EIPs and bandwidths on the VPC endpoint through raw requests signed as the SDK signs (no EIP SDK package
// is in hwlocal's set): allocation from the public pool, bind/unbind to a port, the 409s, PER bandwidths
// living and dying with their EIP, shared bandwidths, quota and project isolation.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { VpcClient } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { DeletePortRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { newPort, newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";

type Row = Record<string, unknown>;

function expectError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.code, code, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal(typeof r.json.message, "string");
}

describe("EIPs and bandwidths (publicips v1, bandwidths v1/v2.0)", () => {
  let hw: TestHwlocal;
  let v1: VpcClient;
  let base: string;
  let subnetId: string;
  before(async () => {
    hw = await startTestHwlocal();
    v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    base = `/vpc/v1/${hw.projectId()}`;
    const vpc = await newVpc(v1, "192.168.0.0/16");
    subnetId = (await newSubnet(v1, { vpcId: vpc.id, cidr: "192.168.0.0/24", gatewayIp: "192.168.0.1" })).id;
  });
  after(() => hw.close());

  const allocate = (extra: Row = {}, bandwidth: Row = { share_type: "PER", name: "bw-test", size: 5 }) =>
    hw.call("POST", `${base}/publicips`, { body: { publicip: { type: "5_bgp", ...extra }, bandwidth } });

  test("allocate, bind to a port, unbind and release, with the real 409s", async () => {
    const created = await allocate({ alias: "front" });
    assert.equal(created.status, 200, created.text);
    const eip = created.json.publicip as Row & { id: string; public_ip_address: string };
    assert.equal(eip.status, "DOWN");
    assert.equal(eip.type, "5_bgp");
    assert.equal(eip.ip_version, 4);
    assert.equal(eip.bandwidth_size, 5);
    assert.equal(eip.alias, "front");
    assert.equal(eip.tenant_id, hw.projectId());
    assert.match(eip.public_ip_address, /^198\.1[89]\.\d+\.\d+$/);
    assert.match(String(eip.create_time), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(eip.port_id, undefined);

    const second = (await allocate()).json.publicip as Row & { id: string; public_ip_address: string };
    assert.notEqual(second.public_ip_address, eip.public_ip_address);

    const port = await newPort(v1, subnetId);
    const other = await newPort(v1, subnetId);
    const bound = await hw.call("PUT", `${base}/publicips/${eip.id}`, { body: { publicip: { port_id: port.id } } });
    assert.equal(bound.status, 200, bound.text);
    const b = bound.json.publicip as Row;
    assert.equal(b.status, "ACTIVE");
    assert.equal(b.port_id, port.id);
    assert.equal(b.private_ip_address, port.fixed_ips[0]!.ip_address);
    assert.equal(b.alias, "front");

    expectError(await hw.call("PUT", `${base}/publicips/${eip.id}`, { body: { publicip: { port_id: other.id } } }), 409, "VPC.0510");
    expectError(await hw.call("PUT", `${base}/publicips/${second.id}`, { body: { publicip: { port_id: port.id } } }), 409, "VPC.0511");
    expectError(await hw.call("DELETE", `${base}/publicips/${eip.id}`), 409, "VPC.0517");
    expectError(await hw.call("PUT", `${base}/publicips/${second.id}`, { body: { publicip: { port_id: "00000000-0000-4000-8000-000000000000" } } }), 404, "VPC.0202");
    expectError(
      await hw.call("PUT", `${base}/publicips/${second.id}`, { body: { publicip: { port_id: other.id, ip_version: 4 } } }),
      400,
      "VPC.0501",
    );

    const byPort = await hw.call("GET", `${base}/publicips`, { query: { port_id: port.id } });
    assert.deepEqual((byPort.json.publicips as Row[]).map((e) => e.id), [eip.id]);
    const shown = await hw.call("GET", `${base}/publicips/${eip.id}`);
    assert.equal((shown.json.publicip as Row).status, "ACTIVE");
    // An alias-only update leaves the binding alone.
    const renamed = await hw.call("PUT", `${base}/publicips/${eip.id}`, { body: { publicip: { alias: "renamed" } } });
    assert.equal((renamed.json.publicip as Row).port_id, port.id);

    const unbound = await hw.call("PUT", `${base}/publicips/${eip.id}`, { body: { publicip: { port_id: "" } } });
    assert.equal(unbound.status, 200, unbound.text);
    assert.equal((unbound.json.publicip as Row).status, "DOWN");
    assert.equal((unbound.json.publicip as Row).port_id, undefined);

    const bandwidthId = String(eip.bandwidth_id);
    assert.equal((await hw.call("GET", `${base}/bandwidths/${bandwidthId}`)).status, 200);
    assert.equal((await hw.call("DELETE", `${base}/publicips/${eip.id}`)).status, 204);
    expectError(await hw.call("GET", `${base}/publicips/${eip.id}`), 404, "VPC.0504");
    expectError(await hw.call("DELETE", `${base}/publicips/${eip.id}`), 404, "VPC.0504");
    expectError(await hw.call("GET", `${base}/bandwidths/${bandwidthId}`), 404, "VPC.0504");

    // The released address is handed out again.
    const reused = (await allocate()).json.publicip as Row;
    assert.equal(reused.public_ip_address, eip.public_ip_address);

    // Deleting the port unbinds its EIP.
    const bindAgain = await hw.call("PUT", `${base}/publicips/${second.id}`, { body: { publicip: { port_id: other.id } } });
    assert.equal(bindAgain.status, 200);
    await v1.deletePort(new DeletePortRequest(other.id));
    const after = await hw.call("GET", `${base}/publicips/${second.id}`);
    assert.equal((after.json.publicip as Row).status, "DOWN");
    for (const id of [second.id, String(reused.id)]) await hw.call("DELETE", `${base}/publicips/${id}`);

    // Bound at creation; an update without port_id unbinds (reference: absent port_id = unbind).
    const atOnce = await allocate({ port_id: port.id });
    assert.equal(atOnce.status, 200, atOnce.text);
    const a = atOnce.json.publicip as Row & { id: string };
    assert.equal(a.status, "ACTIVE");
    expectError(await allocate({ port_id: port.id }), 409, "VPC.0511");
    expectError(await hw.call("DELETE", `${base}/publicips/${a.id}`), 409, "VPC.0517");
    const cleared = await hw.call("PUT", `${base}/publicips/${a.id}`, { body: { publicip: {} } });
    assert.equal((cleared.json.publicip as Row).status, "DOWN");
    assert.equal((await hw.call("DELETE", `${base}/publicips/${a.id}`)).status, 204);
    await v1.deletePort(new DeletePortRequest(port.id));
  });

  test("bad input: 400 VPC.0501", async () => {
    expectError(await allocate({ type: "bgp" }), 400, "VPC.0501");
    expectError(await allocate({}, { share_type: "PER", size: 5 }), 400, "VPC.0501");
    expectError(await allocate({}, { share_type: "PER", name: "x", size: 0 }), 400, "VPC.0501");
    expectError(await allocate({}, { share_type: "WHOLE" }), 400, "VPC.0501");
    expectError(await allocate({ ip_version: 6 }), 400, "VPC.0501");
    expectError(await allocate({ ip_address: "8.8.8.8" }), 400, "VPC.0501");
    expectError(await hw.call("POST", `${base}/publicips`, { rawBody: "{" }), 400, "VPC.0501");
    expectError(await hw.call("GET", `${base}/publicips`, { query: { limit: "x" } }), 400, "VPC.0501");
  });

  test("the eleventh EIP exceeds the quota: 409 VPC.0521; paging with marker/limit", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await allocate();
      assert.equal(r.status, 200, r.text);
      ids.push(String((r.json.publicip as Row).id));
    }
    const over = await allocate();
    expectError(over, 409, "VPC.0521");
    assert.equal(over.json.message, "Quota exceeded for resources: ['floatingip'].");
    const page1 = await hw.call("GET", `${base}/publicips`, { query: { limit: "4" } });
    const first = (page1.json.publicips as Row[]).map((e) => String(e.id));
    assert.deepEqual(first, ids.slice(0, 4));
    const page2 = await hw.call("GET", `${base}/publicips`, { query: { limit: "4", marker: first[3]! } });
    assert.deepEqual((page2.json.publicips as Row[]).map((e) => e.id), ids.slice(4, 8));
    const perBandwidths = await hw.call("GET", `${base}/bandwidths`, { query: { share_type: "PER" } });
    assert.equal((perBandwidths.json.bandwidths as Row[]).length, 10);
    for (const id of ids) assert.equal((await hw.call("DELETE", `${base}/publicips/${id}`)).status, 204);
    assert.equal(((await hw.call("GET", `${base}/bandwidths`)).json.bandwidths as Row[]).length, 0);
  });

  test("shared (WHOLE) bandwidths: create, EIPs join at creation, update, refuse deletion while used", async () => {
    const made = await hw.call("POST", `/vpc/v2.0/${hw.projectId()}/bandwidths`, { body: { bandwidth: { name: "shared-1", size: 50 } } });
    assert.equal(made.status, 200, made.text);
    const bw = made.json.bandwidth as Row & { id: string };
    assert.equal(bw.share_type, "WHOLE");
    const eip = await allocate({}, { share_type: "WHOLE", id: bw.id });
    assert.equal(eip.status, 200, eip.text);
    const e = eip.json.publicip as Row & { id: string };
    assert.equal(e.bandwidth_id, bw.id);
    assert.equal(e.bandwidth_share_type, "WHOLE");
    const shown = await hw.call("GET", `${base}/bandwidths/${bw.id}`);
    assert.deepEqual(((shown.json.bandwidth as Row).publicip_info as Row[]).map((x) => x.publicip_id), [e.id]);
    const upd = await hw.call("PUT", `${base}/bandwidths/${bw.id}`, { body: { bandwidth: { size: 100, name: "shared-2" } } });
    assert.equal((upd.json.bandwidth as Row).size, 100);
    assert.equal((upd.json.bandwidth as Row).name, "shared-2");
    expectError(await hw.call("DELETE", `/vpc/v2.0/${hw.projectId()}/bandwidths/${bw.id}`), 409, "VPC.0512");
    expectError(await allocate({}, { share_type: "WHOLE", id: "00000000-0000-4000-8000-000000000000" }), 404, "VPC.0504");
    // Releasing the EIP keeps the shared bandwidth.
    assert.equal((await hw.call("DELETE", `${base}/publicips/${e.id}`)).status, 204);
    assert.equal((await hw.call("GET", `${base}/bandwidths/${bw.id}`)).status, 200);
    assert.equal((await hw.call("DELETE", `/vpc/v2.0/${hw.projectId()}/bandwidths/${bw.id}`)).status, 204);
    expectError(await hw.call("GET", `${base}/bandwidths/${bw.id}`), 404, "VPC.0504");
  });

  test("another project's EIPs are not found; another project's port cannot be bound", async () => {
    const eip = (await allocate()).json.publicip as Row & { id: string };
    const east = `/vpc/v1/${hw.projectId("cn-east-3")}`;
    expectError(await hw.call("GET", `${east}/publicips/${eip.id}`), 404, "VPC.0504");
    expectError(await hw.call("DELETE", `${east}/publicips/${eip.id}`), 404, "VPC.0504");
    assert.deepEqual((await hw.call("GET", `${east}/publicips`)).json.publicips, []);
    const eastEip = await hw.call("POST", `${east}/publicips`, { body: { publicip: { type: "5_bgp" }, bandwidth: { share_type: "PER", name: "e", size: 1 } } });
    assert.equal(eastEip.status, 200);
    const port = await newPort(v1, subnetId);
    expectError(
      await hw.call("PUT", `${east}/publicips/${String((eastEip.json.publicip as Row).id)}`, { body: { publicip: { port_id: port.id } } }),
      404,
      "VPC.0202",
    );
    assert.notEqual((eastEip.json.publicip as Row).public_ip_address, eip.public_ip_address, "one pool for all projects");
  });
});
