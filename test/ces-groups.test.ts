// Cloud Eye alarm templates (v1 and v2 over one store) and resource groups (v1 and v2, resources added and
// removed, templates associated), through raw requests signed as the SDK signs, with error paths and
// another project's view.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

function assertCesError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal(typeof r.json.error_msg, "string");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
}

function ok(r: CallResult, status = 200): Json {
  assert.equal(r.status, status, r.text);
  return r.text === "" ? {} : r.json;
}

const item = (metric: string, value: number) => ({
  metric_name: metric,
  condition: { comparison_operator: ">=", count: 3, filter: "average", period: 300, unit: "%", value, suppress_duration: 3600 },
  alarm_level: 2,
});

describe("ces templates and resource groups", () => {
  let hw: TestHwlocal;
  let v1: string;
  let v2: string;
  let otherV2: string;

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    v1 = `/ces/V1.0/${hw.projectId("cn-north-4")}`;
    v2 = `/ces/v2/${hw.projectId("cn-north-4")}`;
    otherV2 = `/ces/v2/${hw.projectId("cn-east-3")}`;
  });
  after(() => hw.close());

  test("v1 alarm templates: create, list with filters and marker, update, delete", async () => {
    const body = { template_name: "ecs_basic", template_description: "cpu", namespace: "SYS.ECS", dimension_name: "instance_id", template_items: [item("cpu_util", 80)] };
    const id = ok(await hw.call("POST", `${v1}/alarm-template`, { body }), 201).template_id as string;
    assert.match(id, /^at[A-Za-z0-9]{22}$/);
    assertCesError(await hw.call("POST", `${v1}/alarm-template`, { body }), 400, "ces.0014");
    const second = ok(await hw.call("POST", `${v1}/alarm-template`, { body: { ...body, template_name: "ecs_mem", template_items: [item("mem_util", 90)] } }), 201).template_id;
    assertCesError(await hw.call("POST", `${v1}/alarm-template`, { body: { ...body, template_name: "bad", template_items: [{ ...item("x", 1), condition: { ...item("x", 1).condition, period: 7 } }] } }), 400, "ces.0014");

    const page = ok(await hw.call("GET", `${v1}/alarm-template`, { query: { namespace: "SYS.ECS", limit: "1" } }));
    assert.deepEqual(page.meta_data, { count: 1, total: 2, marker: id });
    const rest = ok(await hw.call("GET", `${v1}/alarm-template`, { query: { start: id } }));
    assert.deepEqual((rest.alarm_templates as Json[]).map((t) => t.template_id), [second]);
    const t = (page.alarm_templates as Json[])[0]!;
    assert.deepEqual([t.namespace, t.dimension_name, ((t.template_items as Json[])[0]!.condition as Json).value], ["SYS.ECS", "instance_id", 80]);

    assert.equal((await hw.call("PUT", `${v1}/alarm-template/${id}`, { body: { ...body, template_items: [item("cpu_util", 70)] } })).status, 204);
    const shown = ok(await hw.call("GET", `${v2}/alarm-templates/${id}`));
    assert.deepEqual([shown.template_type, (shown.policies as Json[])[0]!.value, (shown.policies as Json[])[0]!.namespace], ["custom", 70, "SYS.ECS"]);
    assert.equal((await hw.call("DELETE", `${v1}/alarm-template/${second}`)).status, 204);
    assertCesError(await hw.call("DELETE", `${v1}/alarm-template/${second}`), 404, "ces.0016");
  });

  test("v2 alarm templates: create, list, show, update, batch delete", async () => {
    const policies = [{ namespace: "SYS.EVS", dimension_name: "disk_name", metric_name: "disk_device_read_bytes_rate", period: 1, filter: "average", comparison_operator: ">", value: 1000, unit: "Byte/s", count: 1, suppress_duration: 0, alarm_level: 3 }];
    const id = ok(await hw.call("POST", `${v2}/alarm-templates`, { body: { template_name: "evs_io", policies } })).template_id as string;
    assertCesError(await hw.call("POST", `${v2}/alarm-templates`, { body: { template_name: "no_ns", policies: [{ ...policies[0], namespace: undefined }] } }), 400, "ces.0014");
    const list = ok(await hw.call("GET", `${v2}/alarm-templates`, { query: { namespace: "SYS.EVS", template_type: "custom" } }));
    assert.deepEqual([list.count, (list.alarm_templates as Json[])[0]!.template_id], [1, id]);
    assert.equal(ok(await hw.call("GET", `${v2}/alarm-templates`, { query: { template_type: "system" } })).count, 0);
    assert.equal((await hw.call("PUT", `${v2}/alarm-templates/${id}`, { body: { template_name: "evs_io2", template_description: "d", policies } })).status, 204);
    assert.equal(ok(await hw.call("GET", `${v2}/alarm-templates/${id}`)).template_name, "evs_io2");
    assertCesError(await hw.call("GET", `${otherV2}/alarm-templates/${id}`), 404, "ces.0016");
    assertCesError(await hw.call("POST", `${v2}/alarm-templates/batch-delete`, { body: { template_ids: [id, "atnothere"] } }), 404, "ces.0016");
    assert.deepEqual(ok(await hw.call("POST", `${v2}/alarm-templates/batch-delete`, { body: { template_ids: [id], delete_associate_alarm: false } })).template_ids, [id]);
    assertCesError(await hw.call("GET", `${v2}/alarm-templates/${id}`), 404, "ces.0016");
  });

  test("v1 resource groups: create, list, show resources, update, delete", async () => {
    const res = (id: string) => ({ namespace: "SYS.ECS", dimensions: [{ name: "instance_id", value: id }] });
    const gid = ok(await hw.call("POST", `${v1}/resource-groups`, { body: { group_name: "web", resources: [res("s-1"), res("s-2"), res("s-1")] } }), 201).group_id as string;
    assert.match(gid, /^rg[A-Za-z0-9]{22}$/);
    assertCesError(await hw.call("POST", `${v1}/resource-groups`, { body: { group_name: "web", resources: [res("s-3")] } }), 400, "ces.0014");
    assertCesError(await hw.call("POST", `${v1}/resource-groups`, { body: { group_name: "empty", resources: [] } }), 400, "ces.0014");
    const list = ok(await hw.call("GET", `${v1}/resource-groups`, { query: { group_name: "we" } }));
    const g = (list.resource_groups as Json[])[0]!;
    assert.deepEqual([(list.meta_data as Json).total, g.group_id, g.status, (g.instance_statistics as Json).total], [1, gid, "health", 2]);
    const shown = ok(await hw.call("GET", `${v1}/resource-groups/${gid}`, { query: { limit: "1" } }));
    assert.deepEqual([(shown.resources as Json[]).length, (shown.meta_data as Json).total, (shown.resources as Json[])[0]!.status], [1, 2, "health"]);
    assert.equal((await hw.call("PUT", `${v1}/resource-groups/${gid}`, { body: { group_name: "web2", resources: [res("s-9")] } })).status, 204);
    assert.equal((ok(await hw.call("GET", `${v1}/resource-groups/${gid}`)).resources as Json[]).length, 1);
    assertCesError(await hw.call("GET", `${v1}/resource-groups`, { query: { limit: "101" } }), 400, "ces.0013");
    assert.equal((await hw.call("DELETE", `${v1}/resource-groups/${gid}`)).status, 204);
    assertCesError(await hw.call("GET", `${v1}/resource-groups/${gid}`), 404, "ces.0016");
  });

  test("v2 resource groups: create, resources in and out, by service, templates, batch delete", async () => {
    const gid = ok(await hw.call("POST", `${v2}/resource-groups`, { body: { group_name: "db", enterprise_project_id: "0" } })).group_id as string;
    const r = (ns: string, name: string, value: string) => ({ namespace: ns, dimensions: [{ name, value }] });
    const added = ok(await hw.call("POST", `${v2}/resource-groups/${gid}/resources/batch-create`, { body: { resources: [r("SYS.ECS", "instance_id", "s-1"), r("SYS.EVS", "disk_name", "d-1"), r("SYS.ECS", "instance_id", "s-1")] } }));
    assert.equal(added.succeed_count, 2);
    const ecs = ok(await hw.call("GET", `${v2}/resource-groups/${gid}/services/ecs/resources`));
    assert.deepEqual([ecs.count, ((ecs.resources as Json[])[0]!.dimensions as Json[])[0]], [1, { name: "instance_id", value: "s-1" }]);
    assert.equal(ok(await hw.call("POST", `${v2}/resource-groups/${gid}/resources/batch-delete`, { body: { resources: [r("SYS.EVS", "disk_name", "d-1")] } })).succeed_count, 1);
    const shown = ok(await hw.call("GET", `${v2}/resource-groups/${gid}`));
    assert.deepEqual([shown.type, (shown.resource_statistics as Json).total], ["Manual", 1]);
    const list = ok(await hw.call("GET", `${v2}/resource-groups`, { query: { type: "Manual", group_name: "d" } }));
    assert.deepEqual([list.count, (list.resource_groups as Json[])[0]!.group_id], [1, gid]);
    assertCesError(await hw.call("GET", `${v2}/resource-groups`, { query: { type: "Other" } }), 400, "ces.0013");

    const policies = [{ namespace: "SYS.ECS", dimension_name: "instance_id", metric_name: "cpu_util", period: 300, filter: "max", comparison_operator: ">", value: 90, count: 2 }];
    const tid = ok(await hw.call("POST", `${v2}/alarm-templates`, { body: { template_name: "cpu_hot", policies } })).template_id as string;
    const assoc = ok(await hw.call("PUT", `${v2}/resource-groups/${gid}/alarm-templates/async-association`, { body: { template_ids: [tid], notification_enabled: false } }));
    assert.deepEqual(assoc.template_ids, [tid]);
    assert.deepEqual((ok(await hw.call("GET", `${v2}/resource-groups/${gid}`)).association_alarm_templates as Json[]).map((x) => x.template_id), [tid]);
    assertCesError(await hw.call("PUT", `${v2}/resource-groups/${gid}/alarm-templates/async-association`, { body: { template_ids: ["atmissing"] } }), 404, "ces.0016");
    assert.equal((await hw.call("PUT", `${v2}/resource-groups/${gid}`, { body: { group_name: "db2" } })).status, 204);
    assertCesError(await hw.call("GET", `${otherV2}/resource-groups/${gid}`), 404, "ces.0016");
    assert.deepEqual(ok(await hw.call("POST", `${v2}/resource-groups/batch-delete`, { body: { group_ids: [gid] } })).group_ids, [gid]);
    assertCesError(await hw.call("POST", `${v2}/resource-groups/${gid}/resources/batch-create`, { body: { resources: [r("SYS.ECS", "instance_id", "s")] } }), 404, "ces.0016");
  });
});
