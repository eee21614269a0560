// Auto Scaling configurations through raw signed requests (no AS SDK package is in hwlocal's set): create
// with ECS flavors and IMS images checked, list with filters and the start_number/limit echo, show, delete,
// batch delete, the quotas, and the AS error codes of §1.10 with AS's nested error body.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";
import { UBUNTU, expectError, newKeypair } from "./helpers/as.ts";

type Row = Record<string, unknown>;


function instanceConfig(extra: Row = {}): Row {
  return {
    flavorRef: "s6.small.1",
    imageRef: UBUNTU,
    disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }],
    key_name: "kp-test",
    ...extra,
  };
}

describe("AS scaling configurations", () => {
  let hw: TestHwlocal;
  let base: string;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/as/autoscaling-api/v1/${hw.projectId()}`;
    await newKeypair(hw, "kp-test");
  });
  after(() => hw.close());

  const create = (name: string, ic: Row = instanceConfig()) =>
    hw.call("POST", `${base}/scaling_configuration`, { body: { scaling_configuration_name: name, instance_config: ic } });
  const createOk = async (name: string, ic?: Row): Promise<string> => {
    const r = await create(name, ic);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_configuration_id as string;
  };

  test("create, show, list and delete a configuration", async () => {
    const id = await createOk("cfg-web", {
      ...instanceConfig({ key_name: undefined }),
      flavorRef: "s6.small.1,s6.medium.2",
      disk: [
        { size: 40, volume_type: "SSD", disk_type: "SYS" },
        { size: 100, volume_type: "SATA", disk_type: "DATA" },
      ],
      metadata: { admin_pass: "Secr3t!pass", purpose: "web" },
      user_data: Buffer.from("#!/bin/sh\necho hi\n").toString("base64"),
      public_ip: { eip: { ip_type: "5_bgp", bandwidth: { size: 10, share_type: "PER", charging_mode: "traffic" } } },
    });
    assert.match(id, /^[0-9a-f-]{36}$/);
    const shown = await hw.call("GET", `${base}/scaling_configuration/${id}`);
    assert.equal(shown.status, 200, shown.text);
    const c = shown.json.scaling_configuration as Row & { instance_config: Row };
    assert.equal(c.scaling_configuration_id, id);
    assert.equal(c.scaling_configuration_name, "cfg-web");
    assert.equal(c.tenant, hw.projectId());
    assert.match(String(c.create_time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(c.scaling_group_id, undefined);
    const ic = c.instance_config;
    assert.equal(ic.flavorRef, "s6.small.1,s6.medium.2");
    assert.equal(ic.imageRef, UBUNTU);
    assert.equal((ic.disk as Row[]).length, 2);
    assert.equal(ic.adminPass, "***");
    assert.deepEqual(ic.metadata, { purpose: "web" });
    assert.equal(ic.key_name, null);
    assert.deepEqual(ic.public_ip, { eip: { ip_type: "5_bgp", bandwidth: { share_type: "PER", size: 10, charging_mode: "traffic" } } });
    assert.equal(ic.multi_flavor_priority_policy, "PICK_FIRST");

    const del = await hw.call("DELETE", `${base}/scaling_configuration/${id}`);
    assert.equal(del.status, 204, del.text);
    assert.equal(del.text, "");
    expectError(await hw.call("GET", `${base}/scaling_configuration/${id}`), "AS.1004");
    expectError(await hw.call("DELETE", `${base}/scaling_configuration/${id}`), "AS.1004");
  });

  test("list filters by name and image and echoes start_number/limit", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createOk(`list-cfg-${i}`));
    await createOk("other-name");
    const all = await hw.call("GET", `${base}/scaling_configuration`, { query: { scaling_configuration_name: "list-cfg" } });
    assert.equal(all.status, 200, all.text);
    assert.equal(all.json.total_number, 5);
    assert.equal(all.json.start_number, 0);
    assert.equal(all.json.limit, 20);
    const page = await hw.call("GET", `${base}/scaling_configuration`, {
      query: { scaling_configuration_name: "list-cfg", start_number: "1", limit: "2" },
    });
    assert.equal(page.json.total_number, 5);
    assert.equal(page.json.start_number, 1);
    assert.equal(page.json.limit, 2);
    assert.equal((page.json.scaling_configurations as Row[]).length, 2);
    const byImage = await hw.call("GET", `${base}/scaling_configuration`, { query: { image_id: "no-such-image" } });
    assert.equal(byImage.json.total_number, 0);
    expectError(await hw.call("GET", `${base}/scaling_configuration`, { query: { limit: "101" } }), "AS.1002");
    expectError(await hw.call("GET", `${base}/scaling_configuration`, { query: { start_number: "-1" } }), "AS.1001");
    const batch = await hw.call("POST", `${base}/scaling_configurations`, { body: { scaling_configuration_id: ids } });
    assert.equal(batch.status, 204, batch.text);
    const after = await hw.call("GET", `${base}/scaling_configuration`, { query: { scaling_configuration_name: "list-cfg" } });
    assert.equal(after.json.total_number, 0);
  });

  test("batch delete: at most 50, not empty, failures reported with AS.1038", async () => {
    const many = Array.from({ length: 51 }, (_, i) => `id-${i}`);
    expectError(await hw.call("POST", `${base}/scaling_configurations`, { body: { scaling_configuration_id: many } }), "AS.1039");
    expectError(await hw.call("POST", `${base}/scaling_configurations`, { body: { scaling_configuration_id: [] } }), "AS.1040");
    expectError(await hw.call("POST", `${base}/scaling_configurations`), "AS.0002");
    const id = await createOk("batch-partial");
    const r = await hw.call("POST", `${base}/scaling_configurations`, { body: { scaling_configuration_id: [id, "missing-id"] } });
    expectError(r, "AS.1038");
    const failures = JSON.parse((r.json.error as { message: string }).message) as Row[];
    assert.deepEqual(failures.map((f) => [f.id, f.errorCode]), [["missing-id", "AS.1004"]]);
    expectError(await hw.call("GET", `${base}/scaling_configuration/${id}`), "AS.1004");
  });

  test("a configuration used by a group cannot be deleted (AS.1006)", async () => {
    const v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    const vpc = await newVpc(v1, "10.0.0.0/16");
    const subnet = await newSubnet(v1, { vpcId: vpc.id, cidr: "10.0.1.0/24", gatewayIp: "10.0.1.1" });
    const id = await createOk("cfg-used");
    const g = await hw.call("POST", `${base}/scaling_group`, {
      body: { scaling_group_name: "g-uses", scaling_configuration_id: id, vpc_id: vpc.id, networks: [{ id: subnet.id }] },
    });
    assert.equal(g.status, 200, g.text);
    expectError(await hw.call("DELETE", `${base}/scaling_configuration/${id}`), "AS.1006");
    const batch = await hw.call("POST", `${base}/scaling_configurations`, { body: { scaling_configuration_id: [id] } });
    expectError(batch, "AS.1038");
    assert.match((batch.json.error as { message: string }).message, /AS\.1006/);
    const shown = await hw.call("GET", `${base}/scaling_configuration/${id}`);
    assert.equal((shown.json.scaling_configuration as Row).scaling_group_id, g.json.scaling_group_id);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${String(g.json.scaling_group_id)}`)).status, 204);
    assert.equal((await hw.call("DELETE", `${base}/scaling_configuration/${id}`)).status, 204);
  });

  test("validation answers AS's own codes", async () => {
    const cases: [string, Row | undefined, string][] = [
      ["", instanceConfig(), "AS.1007"],
      ["x".repeat(65), instanceConfig(), "AS.1008"],
      ["bad name!", instanceConfig(), "AS.1023"],
      ["ok", undefined, "AS.1011"],
      ["ok", instanceConfig({ flavorRef: undefined }), "AS.1016"],
      ["ok", instanceConfig({ flavorRef: "s6.nope.9" }), "AS.1017"],
      ["ok", instanceConfig({ flavorRef: Array.from({ length: 11 }, () => "s6.small.1").join(",") }), "AS.1087"],
      ["ok", instanceConfig({ imageRef: undefined }), "AS.1014"],
      ["ok", instanceConfig({ imageRef: "00000000-0000-4000-8000-000000000000" }), "AS.1015"],
      ["ok", instanceConfig({ disk: [] }), "AS.1028"],
      ["ok", instanceConfig({ disk: [{ size: 40, volume_type: "SSD", disk_type: "DATA" }] }), "AS.1029"],
      ["ok", instanceConfig({ disk: [{ size: 20, volume_type: "SSD", disk_type: "SYS" }] }), "AS.1030"],
      ["ok", instanceConfig({ disk: [{ size: 2000, volume_type: "SSD", disk_type: "SYS" }] }), "AS.1031"],
      ["ok", instanceConfig({ disk: [{ size: 40, volume_type: "FAST", disk_type: "SYS" }] }), "AS.1033"],
      ["ok", instanceConfig({ disk: [{ size: 40, volume_type: "SSD", disk_type: "ROOT" }] }), "AS.1034"],
      ["ok", instanceConfig({ key_name: undefined }), "AS.1026"],
      ["ok", instanceConfig({ key_name: "no-such-key" }), "AS.7022"],
      ["ok", instanceConfig({ metadata: { admin_pass: "Secr3t!pass" } }), "AS.1025"],
      ["ok", instanceConfig({ key_name: undefined, metadata: { admin_pass: "short" } }), "AS.1035"],
      ["ok", instanceConfig({ metadata: { n: 1 } }), "AS.1052"],
      ["ok", instanceConfig({ user_data: "not base64!" }), "AS.1049"],
      ["ok", instanceConfig({ public_ip: {} }), "AS.1041"],
      ["ok", instanceConfig({ public_ip: { eip: { ip_type: "9_x", bandwidth: { share_type: "PER", size: 1 } } } }), "AS.1043"],
      ["ok", instanceConfig({ public_ip: { eip: { ip_type: "5_bgp", bandwidth: { share_type: "X" } } } }), "AS.1045"],
      ["ok", instanceConfig({ public_ip: { eip: { ip_type: "5_bgp", bandwidth: { share_type: "PER" } } } }), "AS.1046"],
      ["ok", instanceConfig({ public_ip: { eip: { ip_type: "5_bgp", bandwidth: { share_type: "PER", size: 0 } } } }), "AS.1042"],
      ["ok", instanceConfig({ public_ip: { eip: { ip_type: "5_bgp", bandwidth: { share_type: "WHOLE" } } } }), "AS.1048"],
      ["ok", instanceConfig({ security_groups: [{ id: "no-such-sg" }] }), "AS.2014"],
      ["ok", instanceConfig({ multi_flavor_priority_policy: "RANDOM" }), "AS.1085"],
      ["ok", instanceConfig({ tenancy: "shared" }), "AS.1071"],
      ["ok", instanceConfig({ market_type: "reserved" }), "AS.1083"],
      ["ok", instanceConfig({ flavorRef: 5 }), "AS.0022"],
    ];
    for (const [name, ic, code] of cases) {
      const r = await hw.call("POST", `${base}/scaling_configuration`, { body: { scaling_configuration_name: name, instance_config: ic } });
      expectError(r, code);
    }
    expectError(await hw.call("POST", `${base}/scaling_configuration`), "AS.0002");
    expectError(await hw.call("POST", `${base}/scaling_configuration`, { rawBody: "{not json" }), "AS.0022");
  });

  test("quota: 100 configurations, counted by ShowResourceQuota", async () => {
    const other = await startTestHwlocal();
    try {
      const b = `/as/autoscaling-api/v1/${other.projectId()}`;
      await newKeypair(other, "kp-test");
      for (let i = 0; i < 100; i++) {
        const r = await other.call("POST", `${b}/scaling_configuration`, { body: { scaling_configuration_name: `q${i}`, instance_config: instanceConfig() } });
        assert.equal(r.status, 200, r.text);
      }
      const over = await other.call("POST", `${b}/scaling_configuration`, { body: { scaling_configuration_name: "q100", instance_config: instanceConfig() } });
      expectError(over, "AS.1024");
      const q = await other.call("GET", `${b}/quotas`);
      assert.equal(q.status, 200, q.text);
      const resources = (q.json.quotas as { resources: Row[] }).resources;
      assert.deepEqual(resources.find((x) => x.type === "scaling_Config"), { type: "scaling_Config", used: 100, quota: 100, max: 200 });
      assert.deepEqual(resources.find((x) => x.type === "scaling_Group"), { type: "scaling_Group", used: 0, quota: 25, max: 50 });
      assert.equal(resources.find((x) => x.type === "scaling_Policy")?.used, -1);
    } finally {
      await other.close();
    }
  });

  test("another project's configuration is not found", async () => {
    const id = await createOk("mine");
    assert.equal((await hw.call("GET", `${base}/scaling_configuration/${id}`)).status, 200);
    const other = hw.projectId("cn-south-1");
    const foreign = await hw.call("GET", `/as/autoscaling-api/v1/${other}/scaling_configuration/${id}`);
    expectError(foreign, "AS.1004");
  });
});
