// IMS's older tag APIs and the tag search through signed raw requests (no official Node SDK package for IMS
// here): CreateOrUpdateTags in both spellings, BatchDeleteTags, ListTags with its filters and paging, and
// ListImageByTags's filter and count; refusals in IMS's nested error shape, and tenancy (another project
// neither tags nor finds the image).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const WEB = "0b5a3a7e-8888-4c3e-9a55-000000000001";
const DB = "0b5a3a7e-8888-4c3e-9a55-000000000002";
const BARE = "0b5a3a7e-8888-4c3e-9a55-000000000003";
const THEIRS = "0b5a3a7e-8888-4c3e-9a55-000000000004";

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ims v1 tags and the tag search", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const as = (project: string, method: string, path: string, body?: unknown) =>
    hw.call(method, `/ims${path}`, { body, headers: { "X-Project-Id": project } });
  const put = (body: unknown, project = pid) => as(project, "PUT", "/v1/cloudimages/tags", body);
  const tagsOf = async (id: string) => (await as(pid, "GET", `/v2/${pid}/images/${id}/tags`)).json.tags;
  const search = (body: unknown, project = pid) => as(project, "POST", `/v2/${project}/images/resource_instances/action`, body);

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    const store = new ImsStore(hw.db);
    for (const [id, projectId, name, status] of [
      [WEB, pid, "web-server", "active"],
      [DB, pid, "db-server", "active"],
      [BARE, pid, "bare", "queued"],
      [THEIRS, otherPid, "theirs", "active"],
    ] as const) {
      store.insert({ id, projectId, name, status, minDisk: 40, minRam: 1024, osType: "Linux", platform: "Ubuntu",
        osVersion: "Ubuntu 22.04 server 64bit", osBit: "64", imageSize: 2 ** 31, now: hw.clock.now() });
    }
  });
  after(() => hw.close());

  test("CreateOrUpdateTags: tag \"key.value\" or image_tag, a key's value updated", async () => {
    assert.equal((await put({ image_id: WEB, tag: "env.prod" })).status, 204);
    assert.equal((await put({ image_id: WEB, image_tag: { key: "team", value: "web.ops" } })).status, 204);
    assert.equal((await put({ image_id: DB, tag: "env.staging" })).status, 204);
    assert.equal((await put({ image_id: DB, image_tag: { key: "tier", value: "db" } })).status, 204);
    assert.equal((await put({ image_id: DB, tag: "env.prod" })).status, 204);
    assert.deepEqual(await tagsOf(WEB), [{ key: "env", value: "prod" }, { key: "team", value: "web.ops" }]);
    assert.deepEqual(await tagsOf(DB), [{ key: "env", value: "prod" }, { key: "tier", value: "db" }]);

    assertImsError(await put({ image_id: WEB }), 400, "IMG.0001");
    assertImsError(await put({ image_id: WEB, tag: "a.b", image_tag: { key: "a", value: "b" } }), 400, "IMG.0001");
    assertImsError(await put({ image_id: WEB, tag: "nodot" }), 400, "IMG.0001");
    assertImsError(await put({ image_id: WEB, tag: `${"k".repeat(37)}.v` }), 400, "IMG.0001");
    assertImsError(await put({ tag: "a.b" }), 400, "IMG.0001");
    assertImsError(await put({ image_id: UBUNTU_2204, tag: "a.b" }), 400, "IMG.0047");
    assertImsError(await put({ image_id: THEIRS, tag: "a.b" }), 404, "IMG.0027");
    assertImsError(await put({ image_id: WEB, tag: "a.b" }, otherPid), 404, "IMG.0027");
  });

  test("ListTags: the distinct key.value of the caller's images, filtered and paged", async () => {
    const list = async (query: string, project = pid) => {
      const r = await as(project, "GET", `/v1/cloudimages/tags${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json.tags;
    };
    assert.deepEqual(await list(""), ["env.prod", "team.web.ops", "tier.db"]);
    assert.deepEqual(await list(`?id=${DB}`), ["env.prod", "tier.db"]);
    assert.deepEqual(await list("?name=web-server&__imagetype=private"), ["env.prod", "team.web.ops"]);
    assert.deepEqual(await list("?__imagetype=gold"), []);
    assert.deepEqual(await list("?limit=2&page=2"), ["tier.db"]);
    assert.deepEqual(await list("?limit=2"), ["env.prod", "team.web.ops"]);
    assert.deepEqual(await list("", otherPid), []);
    assertImsError(await as(pid, "GET", "/v1/cloudimages/tags?limit=0"), 400, "IMG.0017");
    assertImsError(await as(pid, "GET", "/v1/cloudimages/tags?page=x"), 400, "IMG.0017");
  });

  test("ListImageByTags: filter and count", async () => {
    const ids = (r: CallResult) => (r.json.resources as { resource_id: string }[]).map((x) => x.resource_id).sort();
    const all = await search({ action: "filter", tags: [{ key: "env", values: [] }] });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(ids(all), [WEB, DB].sort());
    assert.equal(all.json.total_count, 2);
    const web = (all.json.resources as { resource_id: string }[]).find((x) => x.resource_id === WEB);
    assert.deepEqual(web, {
      resource_id: WEB,
      resource_detail: { status: "active" },
      tags: [{ key: "env", value: "prod" }, { key: "team", value: "web.ops" }],
      resource_name: "web-server",
    });
    assert.deepEqual(ids(await search({ action: "filter", tags: [{ key: "tier", values: ["db", "cache"] }] })), [DB]);
    assert.deepEqual(ids(await search({ action: "filter", tags_any: [{ key: "team", values: [] }, { key: "tier", values: ["db"] }] })), [WEB, DB].sort());
    assert.deepEqual(ids(await search({ action: "filter", not_tags: [{ key: "tier", values: [] }] })), [WEB, BARE].sort());
    assert.deepEqual(ids(await search({ action: "filter", not_tags_any: [{ key: "team", values: [] }, { key: "tier", values: [] }] })), [BARE]);
    assert.deepEqual(ids(await search({ action: "filter", without_any_tag: true })), [BARE]);
    assert.deepEqual(ids(await search({ action: "filter", matches: [{ key: "resource_name", value: "server" }], tags: [{ key: "env", values: ["prod"] }] })), [WEB, DB].sort());
    const paged = await search({ action: "filter", limit: "1", offset: "1" });
    assert.equal((paged.json.resources as unknown[]).length, 1);
    assert.equal(paged.json.total_count, 3);
    const counted = await search({ action: "count", tags: [{ key: "env", values: ["prod"] }] });
    assert.deepEqual(counted.json, { total_count: 2 });
    assert.deepEqual((await search({ action: "count" }, otherPid)).json, { total_count: 1 });

    assertImsError(await search({ action: "delete" }), 400, "IMG.0001");
    assertImsError(await search({ action: "filter", tags: [] }), 400, "IMG.0001");
    assertImsError(await search({ action: "filter", tags: [{ key: "a", values: [] }, { key: "a", values: [] }] }), 400, "IMG.0001");
    assertImsError(await search({ action: "filter", limit: "1001" }), 400, "IMG.0001");
    assertImsError(await search({ action: "filter", matches: [{ key: "resource_id", value: WEB }] }), 400, "IMG.0001");
    assertImsError(await as(pid, "POST", `/v2/${otherPid}/images/resource_instances/action`, { action: "count" }), 403, "IMG.0030");
  });

  test("BatchDeleteTags: by key and value; absent tags are no error", async () => {
    const del = (id: string, tags: unknown, project = pid) => as(project, "DELETE", `/v1/${project}/cloudimages/${id}/tags/delete`, { tags });
    const r = await del(WEB, [{ key: "env", value: "prod" }, { key: "team", value: "someone" }, { key: "absent", value: "" }]);
    assert.equal(r.status, 204, r.text);
    assert.deepEqual(await tagsOf(WEB), [{ key: "team", value: "web.ops" }]);
    assert.equal((await del(WEB, [{ key: "team", value: "" }])).status, 204);
    assert.deepEqual(await tagsOf(WEB), []);
    assertImsError(await del(DB, []), 400, "IMG.0001");
    assertImsError(await del(DB, [{ key: " ", value: "" }]), 400, "IMG.0001");
    assertImsError(await del(UBUNTU_2204, [{ key: "a", value: "b" }]), 400, "IMG.0047");
    assertImsError(await del(DB, [{ key: "env", value: "prod" }], otherPid), 404, "IMG.0027");
    assert.deepEqual(await tagsOf(DB), [{ key: "env", value: "prod" }, { key: "tier", value: "db" }]);
  });
});
