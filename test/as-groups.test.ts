// Auto Scaling groups through raw signed requests: create (PAUSED) with VPC and subnets checked, show with
// every field of §1.2, list filters and the paging echo, update, resume/pause, delete with and without
// force, quotas, tags, and a named 501 for an AS operation not built yet.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";
import { UBUNTU, expectError, newKeypair } from "./helpers/as.ts";

type Row = Record<string, unknown>;


describe("AS scaling groups", () => {
  let hw: TestHwlocal;
  let base: string;
  let vpcId: string;
  let subnetId: string;
  let otherSubnetId: string;
  let configId: string;
  before(async () => {
    hw = await startTestHwlocal();
    base = `/as/autoscaling-api/v1/${hw.projectId()}`;
    const v1 = vpcClient(hw.url, hw.admin, hw.projectId());
    vpcId = (await newVpc(v1, "10.0.0.0/16")).id;
    subnetId = (await newSubnet(v1, { vpcId, cidr: "10.0.1.0/24", gatewayIp: "10.0.1.1" })).id;
    const otherVpc = await newVpc(v1, "172.16.0.0/16", "other");
    otherSubnetId = (await newSubnet(v1, { vpcId: otherVpc.id, cidr: "172.16.1.0/24", gatewayIp: "172.16.1.1" })).id;
    await newKeypair(hw, "kp");
    const c = await hw.call("POST", `${base}/scaling_configuration`, {
      body: {
        scaling_configuration_name: "cfg",
        instance_config: { flavorRef: "s6.small.1", imageRef: UBUNTU, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], key_name: "kp" },
      },
    });
    assert.equal(c.status, 200, c.text);
    configId = c.json.scaling_configuration_id as string;
  });
  after(() => hw.close());

  const body = (extra: Row = {}): Row => ({
    scaling_group_name: "group-a",
    scaling_configuration_id: configId,
    vpc_id: vpcId,
    networks: [{ id: subnetId }],
    ...extra,
  });
  const create = (extra: Row = {}) => hw.call("POST", `${base}/scaling_group`, { body: body(extra) });
  const createOk = async (extra: Row = {}): Promise<string> => {
    const r = await create(extra);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_group_id as string;
  };
  const show = async (id: string): Promise<Row> => {
    const r = await hw.call("GET", `${base}/scaling_group/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json.scaling_group as Row;
  };
  const action = (id: string, a: unknown) => hw.call("POST", `${base}/scaling_group/${id}/action`, { body: { action: a } });

  test("a new group is PAUSED with §1.2's fields and defaults; resume makes it INSERVICE", async () => {
    const id = await createOk({ min_instance_number: 1, max_instance_number: 4, description: "web tier" });
    const g = await show(id);
    assert.equal(g.scaling_group_id, id);
    assert.equal(g.scaling_group_name, "group-a");
    assert.equal(g.scaling_group_status, "PAUSED");
    assert.equal(g.scaling_configuration_id, configId);
    assert.equal(g.scaling_configuration_name, "cfg");
    assert.equal(g.current_instance_number, 0);
    assert.equal(g.desire_instance_number, 1);
    assert.equal(g.min_instance_number, 1);
    assert.equal(g.max_instance_number, 4);
    assert.equal(g.cool_down_time, 300);
    assert.equal(g.is_scaling, false);
    assert.equal(g.detail, null);
    assert.equal(g.lb_listener_id, null);
    assert.equal(g.vpc_id, vpcId);
    assert.deepEqual(g.networks, [{ id: subnetId, ipv6_enable: false, ipv6_bandwidth: null }]);
    assert.deepEqual(g.security_groups, []);
    assert.deepEqual(g.available_zones, ["cn-north-4a", "cn-north-4b", "cn-north-4c"]);
    assert.equal(g.health_periodic_audit_method, "NOVA_AUDIT");
    assert.equal(g.health_periodic_audit_time, 5);
    assert.equal(g.health_periodic_audit_grace_period, 600);
    assert.equal(g.instance_terminate_policy, "OLD_CONFIG_OLD_INSTANCE");
    assert.equal(g.multi_az_priority_policy, "EQUILIBRIUM_DISTRIBUTE");
    assert.equal(g.delete_publicip, false);
    assert.equal(g.delete_volume, false);
    assert.equal(g.enterprise_project_id, "0");
    assert.equal(g.description, "web tier");
    assert.match(String(g.create_time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const resumed = await action(id, "resume");
    assert.equal(resumed.status, 204, resumed.text);
    assert.equal((await show(id)).scaling_group_status, "INSERVICE");
    expectError(await action(id, "resume"), "AS.2033");
    expectError(await action(id, "stop"), "AS.2008");
    assert.equal((await action(id, "pause")).status, 204);
    assert.equal((await show(id)).scaling_group_status, "PAUSED");
    expectError(await action(id, "pause"), "AS.2033");
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`)).status, 204);
  });

  test("a group without a configuration cannot be resumed (AS.2018)", async () => {
    const id = await createOk({ scaling_configuration_id: undefined, scaling_group_name: "no-config" });
    assert.equal((await show(id)).scaling_configuration_id, null);
    expectError(await action(id, "resume"), "AS.2018");
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`)).status, 204);
  });

  test("a missing group is 400 AS.2007 on every operation", async () => {
    const id = "11111111-2222-4333-8444-555555555555";
    expectError(await hw.call("GET", `${base}/scaling_group/${id}`), "AS.2007");
    expectError(await hw.call("PUT", `${base}/scaling_group/${id}`, { body: { cool_down_time: 60 } }), "AS.2007");
    expectError(await hw.call("DELETE", `${base}/scaling_group/${id}`), "AS.2007");
    expectError(await action(id, "resume"), "AS.2007");
    expectError(await hw.call("GET", `${base}/quotas/${id}`), "AS.2007");
    expectError(await hw.call("GET", `${base}/scaling_group_tag/${id}/tags`), "AS.2007");
  });

  test("create validation answers AS's codes", async () => {
    const cases: [Row, string][] = [
      [{ scaling_group_name: "" }, "AS.2002"],
      [{ scaling_group_name: "g".repeat(65) }, "AS.2003"],
      [{ scaling_group_name: "bad name" }, "AS.2022"],
      [{ scaling_configuration_id: "no-such-config" }, "AS.1004"],
      [{ min_instance_number: 3, max_instance_number: 2 }, "AS.2004"],
      [{ min_instance_number: 1, max_instance_number: 3, desire_instance_number: 4 }, "AS.2005"],
      [{ min_instance_number: 1, max_instance_number: 3, desire_instance_number: 0 }, "AS.2005"],
      [{ max_instance_number: 201 }, "AS.2045"],
      [{ cool_down_time: 86401 }, "AS.2006"],
      [{ vpc_id: undefined }, "AS.2017"],
      [{ vpc_id: "no-such-vpc" }, "AS.2012"],
      [{ networks: undefined }, "AS.2013"],
      [{ networks: [{ id: "no-such-subnet" }] }, "AS.2013"],
      [{ networks: [{ id: otherSubnetId }] }, "AS.2027"],
      [{ networks: Array.from({ length: 6 }, () => ({ id: subnetId })) }, "AS.2024"],
      [{ security_groups: [{ id: "a" }, { id: "b" }] }, "AS.2025"],
      [{ security_groups: [{ id: "no-such-sg" }] }, "AS.2014"],
      [{ available_zones: ["cn-north-4z"] }, "AS.2011"],
      [{ health_periodic_audit_method: "PING" }, "AS.2029"],
      [{ health_periodic_audit_method: "ELB_AUDIT" }, "AS.2029"],
      [{ health_periodic_audit_time: 7 }, "AS.2031"],
      [{ health_periodic_audit_grace_period: -1 }, "AS.2046"],
      [{ instance_terminate_policy: "RANDOM" }, "AS.2032"],
      [{ multi_az_priority_policy: "RANDOM" }, "AS.2053"],
      [{ notifications: ["SMS"] }, "AS.2034"],
      [{ lb_listener_id: "l1" }, "AS.7012"],
      [{ lbaas_listeners: [{ pool_id: "p", protocol_port: 80, weight: 1 }] }, "AS.2042"],
      [{ lb_listener_id: "l1", lbaas_listeners: [{ pool_id: "p", protocol_port: 80, weight: 1 }] }, "AS.2026"],
      [{ enterprise_project_id: "ep-1" }, "AS.7059"],
      [{ desire_instance_number: "1" }, "AS.0022"],
    ];
    for (const [extra, code] of cases) expectError(await create(extra), code);
    expectError(await hw.call("POST", `${base}/scaling_group`), "AS.0002");
  });

  test("list filters by name (fuzzy), configuration and status, with the paging echo", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await createOk({ scaling_group_name: `lst-${i}` }));
    const bare = await createOk({ scaling_group_name: "lst-bare", scaling_configuration_id: undefined });
    assert.equal((await action(ids[0]!, "resume")).status, 204);
    const list = (q: Record<string, string>) => hw.call("GET", `${base}/scaling_group`, { query: q });
    const all = await list({ scaling_group_name: "lst" });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual([all.json.total_number, all.json.start_number, all.json.limit], [4, 0, 20]);
    assert.equal((await list({ scaling_group_name: "lst", scaling_configuration_id: configId })).json.total_number, 3);
    const inService = await list({ scaling_group_name: "lst", scaling_group_status: "INSERVICE" });
    assert.deepEqual((inService.json.scaling_groups as Row[]).map((g) => g.scaling_group_id), [ids[0]]);
    const page = await list({ scaling_group_name: "lst", start_number: "3", limit: "2" });
    assert.deepEqual([page.json.total_number, page.json.start_number, page.json.limit], [4, 3, 2]);
    assert.equal((page.json.scaling_groups as Row[]).length, 1);
    expectError(await list({ limit: "x" }), "AS.1002");
    expectError(await list({ start_number: "x" }), "AS.1001");
    for (const id of [...ids, bare]) assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`, { query: { force_delete: "yes" } })).status, 204);
  });

  test("update changes the configuration, numbers and settings, with the same checks", async () => {
    const id = await createOk({ scaling_group_name: "upd", scaling_configuration_id: undefined });
    const put = (b: Row) => hw.call("PUT", `${base}/scaling_group/${id}`, { body: b });
    const ok = await put({ scaling_configuration_id: configId, max_instance_number: 5, desire_instance_number: 2, cool_down_time: 60, scaling_group_name: "upd-2" });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.json, { scaling_group_id: id });
    const g = await show(id);
    assert.deepEqual([g.scaling_group_name, g.scaling_configuration_id, g.desire_instance_number, g.max_instance_number, g.cool_down_time], ["upd-2", configId, 2, 5, 60]);
    expectError(await put({ min_instance_number: 3 }), "AS.2005");
    expectError(await put({ scaling_configuration_id: "gone" }), "AS.1004");
    expectError(await put({ networks: [{ id: otherSubnetId }] }), "AS.2027");
    assert.equal((await put({ available_zones: ["cn-north-4a"] })).status, 200);
    assert.deepEqual((await show(id)).available_zones, ["cn-north-4a"]);
    assert.equal((await action(id, "resume")).status, 204);
    expectError(await put({ available_zones: ["cn-north-4b"] }), "AS.2030");
    assert.equal((await put({ desire_instance_number: 3 })).status, 200);
    assert.equal((await hw.call("DELETE", `${base}/scaling_group/${id}`)).status, 204);
  });

  test("delete: force_delete yes/no, anything else AS.2019; then AS.2007", async () => {
    const id = await createOk({ scaling_group_name: "del" });
    expectError(await hw.call("DELETE", `${base}/scaling_group/${id}`, { query: { force_delete: "maybe" } }), "AS.2019");
    const r = await hw.call("DELETE", `${base}/scaling_group/${id}`, { query: { force_delete: "no" } });
    assert.equal(r.status, 204, r.text);
    expectError(await hw.call("GET", `${base}/scaling_group/${id}`), "AS.2007");
  });

  test("quotas: groups counted; a group's policies and instances", async () => {
    const id = await createOk({ scaling_group_name: "quota" });
    const q = await hw.call("GET", `${base}/quotas`);
    const groups = (q.json.quotas as { resources: Row[] }).resources.find((x) => x.type === "scaling_Group");
    assert.equal(groups?.used, 1);
    const gq = await hw.call("GET", `${base}/quotas/${id}`);
    assert.equal(gq.status, 200, gq.text);
    assert.deepEqual((gq.json.quotas as { resources: Row[] }).resources, [
      { type: "scaling_Policy", used: 0, quota: 50, max: 50 },
      { type: "scaling_Instance", used: 0, quota: 200, max: 1000 },
    ]);
    const ids = [id];
    for (let i = 1; i < 25; i++) ids.push(await createOk({ scaling_group_name: `quota-${i}` }));
    expectError(await create({ scaling_group_name: "one-too-many" }), "AS.2023");
    for (const g of ids) assert.equal((await hw.call("DELETE", `${base}/scaling_group/${g}`)).status, 204);
  });

  test("tags: create, show, list by project, delete", async () => {
    const id = await createOk({ scaling_group_name: "tagged" });
    const tagAction = (b: Row) => hw.call("POST", `${base}/scaling_group_tag/${id}/tags/action`, { body: b });
    const created = await tagAction({ action: "create", tags: [{ key: "env", value: "prod" }, { key: "team", value: "web" }] });
    assert.equal(created.status, 204, created.text);
    const shown = await hw.call("GET", `${base}/scaling_group_tag/${id}/tags`);
    assert.deepEqual(shown.json, { tags: [{ key: "env", value: "prod" }, { key: "team", value: "web" }], sys_tags: [] });
    const listed = await hw.call("GET", `${base}/scaling_group_tag/tags`);
    assert.deepEqual(listed.json, { tags: [{ key: "env", values: ["prod"] }, { key: "team", values: ["web"] }] });
    assert.equal((await tagAction({ action: "delete", tags: [{ key: "env" }] })).status, 204);
    assert.deepEqual((await hw.call("GET", `${base}/scaling_group_tag/${id}/tags`)).json.tags, [{ key: "team", value: "web" }]);
    expectError(await tagAction({ action: "update", tags: [{ key: "a", value: "b" }] }), "AS.7049");
    expectError(await tagAction({ action: "create", tags: [] }), "AS.7044");
    expectError(await tagAction({ action: "create", tags: [{ key: "" }] }), "AS.7062");
    expectError(await tagAction({ action: "create", tags: [{ key: "k".repeat(37) }] }), "AS.7063");
    expectError(await tagAction({ action: "create", tags: [{ key: "k", value: "v".repeat(44) }] }), "AS.7047");
    expectError(await tagAction({ action: "create", tags: [{ key: "k" }, { key: "k" }] }), "AS.7050");
    const eleven = Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expectError(await tagAction({ action: "create", tags: eleven }), "AS.7045");
  });

  test("ListResourceInstances filters and counts groups by tags and name", async () => {
    const web = await createOk({ scaling_group_name: "tagged-web" });
    const db = await createOk({ scaling_group_name: "tagged-db" });
    const tag = (id: string, tags: Row[]) => hw.call("POST", `${base}/scaling_group_tag/${id}/tags/action`, { body: { action: "create", tags } });
    assert.equal((await tag(web, [{ key: "env", value: "prod" }, { key: "tier", value: "web" }])).status, 204);
    assert.equal((await tag(db, [{ key: "env", value: "prod" }, { key: "tier", value: "db" }])).status, 204);
    const query = (b: Row) => hw.call("POST", `${base}/scaling_group_tag/resource_instances/action`, { body: b });
    const ids = (r: CallResult) => (r.json.resources as { resource_id: string }[]).map((x) => x.resource_id).sort();
    const prod = await query({ action: "filter", tags: [{ key: "env", values: ["prod"] }] });
    assert.equal(prod.status, 200, prod.text);
    assert.deepEqual(ids(prod), [web, db].sort());
    assert.equal(prod.json.total_count, 2);
    assert.deepEqual(ids(await query({ action: "filter", tags: [{ key: "env", values: ["prod"] }, { key: "tier", values: ["web"] }] })), [web]);
    assert.deepEqual(ids(await query({ action: "filter", tags_any: [{ key: "tier", values: ["db", "cache"] }] })), [db]);
    assert.deepEqual(ids(await query({ action: "filter", tags: [{ key: "env" }], not_tags_any: [{ key: "tier", values: ["web"] }] })), [db]);
    assert.deepEqual(ids(await query({ action: "filter", tags: [{ key: "env" }], matches: [{ key: "resource_name", value: "web" }] })), [web]);
    assert.deepEqual((await query({ action: "count", tags: [{ key: "env", values: ["prod"] }] })).json, { total_count: 2 });
    const page = await query({ action: "filter", tags: [{ key: "env" }], limit: "1", offset: "1" });
    assert.equal((page.json.resources as unknown[]).length, 1);
    assert.equal(page.json.total_count, 2);
    expectError(await query({ action: "sort" }), "AS.7049");
    expectError(await query({ action: "filter", matches: [{ key: "other", value: "x" }] }), "AS.7052");
  });
});
