// EVS volume tags through signed raw requests (no official Node SDK package for EVS here): batch create and
// delete on one path (204), ShowVolumeTags, the project's ListVolumeTags, ListVolumesByTags (filter and
// count), and EVS's error codes for bad tags, too many tags, unknown and malformed volumes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { ACME } from "./helpers/tenancy.ts";

const MISSING = "00000000-0000-4000-8000-000000000000";
type Json = Record<string, unknown>;

function assertEvsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string } | undefined)?.code, code, "EVS's nested error shape");
  assert.equal(typeof r.json.error_msg, "string");
}

describe("evs volume tags", () => {
  let hw: TestHwlocal;
  let pid: string;
  let acmePid: string;
  const evs = (method: string, path: string, body?: unknown) => hw.call(method, `/evs/v2/${pid}${path}`, { body });
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const newVolume = async (name: string, tags: Json = {}) => {
    const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, {
      body: { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 10, name, tags } },
    });
    assert.equal(r.status, 202, r.text);
    await advance(5);
    return (r.json.volume_ids as string[])[0]!;
  };
  const tagsOf = async (id: string) => {
    const r = await evs("GET", `/cloudvolumes/${id}/tags`);
    assert.equal(r.status, 200, r.text);
    return r.json.tags as { key: string; value: string }[];
  };

  before(async () => {
    hw = await startTestHwlocal(
      { seed: { tenants: [{ domain: { name: "acme" }, user: { name: "root", password: "Acme@2026" }, access_key: { ...ACME }, regions: [{ id: "cn-north-4" }] }] } },
      { clock: new ManualClock(Date.now()) },
    );
    pid = hw.projectId("cn-north-4");
    acmePid = ((await hw.call("GET", "/iam/v3/projects", { creds: ACME })).json.projects as { id: string }[])[0]!.id;
  });
  after(() => hw.close());

  test("create (existing key overwritten), show, delete by key or by key and value; the volume shows them", async () => {
    const id = await newVolume("tagged", { env: "dev" });
    assert.deepEqual(await tagsOf(id), [{ key: "env", value: "dev" }]);
    const add = await evs("POST", `/cloudvolumes/${id}/tags/action`, { action: "create", tags: [{ key: "env", value: "prod" }, { key: "team", value: "a" }, { key: "x", value: "1" }] });
    assert.equal(add.status, 204, add.text);
    assert.deepEqual(await tagsOf(id), [{ key: "env", value: "prod" }, { key: "team", value: "a" }, { key: "x", value: "1" }]);
    assert.deepEqual(((await evs("GET", `/cloudvolumes/${id}`)).json.volume as Json).tags, { env: "prod", team: "a", x: "1" });

    // A value that does not match keeps the tag; a key alone removes it; unknown keys are ignored.
    const del = await evs("POST", `/cloudvolumes/${id}/tags/action`, { action: "delete", tags: [{ key: "env", value: "dev" }, { key: "team" }, { key: "nope" }] });
    assert.equal(del.status, 204, del.text);
    assert.deepEqual(await tagsOf(id), [{ key: "env", value: "prod" }, { key: "x", value: "1" }]);
  });

  test("errors: bad tag EVS.1062, more than 10 EVS.1061, bad action, unknown and malformed volume, other project", async () => {
    const id = await newVolume("errors");
    const act = (body: unknown, vol = id) => evs("POST", `/cloudvolumes/${vol}/tags/action`, body);
    assertEvsError(await act({ action: "create", tags: [{ key: "bad key!", value: "v" }] }), 400, "EVS.1062");
    assertEvsError(await act({ action: "create", tags: [{ key: "k", value: "x".repeat(44) }] }), 400, "EVS.1062");
    const eleven = Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    assertEvsError(await act({ action: "create", tags: eleven }), 400, "EVS.1061");
    assert.deepEqual(await tagsOf(id), [], "a refused batch adds nothing");
    assertEvsError(await act({ action: "update", tags: [{ key: "k", value: "v" }] }), 400, "EVS.5400");
    assertEvsError(await act({ action: "create" }), 400, "EVS.5400");
    assertEvsError(await act({ action: "create", tags: [{ key: "k", value: "v" }] }, MISSING), 404, "EVS.5404");
    assertEvsError(await evs("GET", `/cloudvolumes/${MISSING}/tags`), 404, "EVS.5404");
    assertEvsError(await evs("GET", "/cloudvolumes/not-a-uuid/tags"), 400, "EVS.1002");
    // Another account's project sees nothing of this volume.
    const other = await hw.call("GET", `/evs/v2/${acmePid}/cloudvolumes/${id}/tags`, { creds: ACME });
    assertEvsError(other, 404, "EVS.5404");
  });

  test("ListVolumeTags and ListVolumesByTags: filter, count, name match, paging; per project", async () => {
    const a = await newVolume("web-1", { role: "web", tier: "1" });
    const b = await newVolume("web-2", { role: "web", tier: "2" });
    await newVolume("db-1", { role: "db" });
    const listed = await evs("GET", "/cloudvolumes/tags");
    assert.equal(listed.status, 200, listed.text);
    const tags = listed.json.tags as Record<string, string[]>;
    assert.deepEqual(tags.role, ["db", "web"]);
    assert.deepEqual(tags.tier, ["1", "2"]);
    const acmeTags = await hw.call("GET", `/evs/v2/${acmePid}/cloudvolumes/tags`, { creds: ACME });
    assert.deepEqual(acmeTags.json.tags, {}, "no tags cross projects");

    const byTags = (body: Json) => evs("POST", "/cloudvolumes/resource_instances/action", body);
    const web = await byTags({ action: "filter", tags: [{ key: "role", values: ["web"] }] });
    assert.equal(web.status, 200, web.text);
    assert.equal(web.json.total_count, 2);
    const resources = web.json.resources as { resource_id: string; resource_name: string; resource_detail: Json; tags: Json[] }[];
    assert.deepEqual(resources.map((r) => r.resource_id).sort(), [a, b].sort());
    const first = resources.find((r) => r.resource_id === a)!;
    assert.equal(first.resource_name, "web-1");
    assert.equal(first.resource_detail.id, a);
    assert.deepEqual(first.tags, [{ key: "role", value: "web" }, { key: "tier", value: "1" }]);

    const count = await byTags({ action: "count", tags: [{ key: "role", values: [] }] });
    assert.deepEqual(count.json, { total_count: 3 });
    const named = await byTags({ action: "filter", tags: [{ key: "role", values: ["web", "db"] }], matches: [{ key: "resource_name", value: "web-2" }] });
    assert.deepEqual((named.json.resources as { resource_id: string }[]).map((r) => r.resource_id), [b]);
    const paged = await byTags({ action: "filter", tags: [{ key: "role", values: ["web"] }], limit: 1, offset: 1 });
    assert.equal((paged.json.resources as Json[]).length, 1);
    assert.equal(paged.json.total_count, 2);

    assertEvsError(await byTags({ action: "list", tags: [{ key: "role", values: [] }] }), 400, "EVS.5400");
    assertEvsError(await byTags({ action: "filter", tags: [{ key: "role", values: [] }], limit: 0 }), 400, "EVS.5400");
  });
});
