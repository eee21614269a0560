// IMS's key/value image tags through signed raw requests (no official Node SDK package for IMS here): add
// and update, batch create and delete, delete one, an image's list and the project's keys with their values;
// the reference's limits (key 36, value 43, 10 tags, unique keys in a batch) and the refusals for a public
// image, another project's image and a missing key, in IMS's nested error shape.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const WEB = "0b5a3a7e-4444-4c3e-9a55-000000000001";
const DB = "0b5a3a7e-4444-4c3e-9a55-000000000002";
const THEIRS = "0b5a3a7e-4444-4c3e-9a55-000000000003";

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ims image tags", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const call = (method: string, path: string, body?: unknown) =>
    hw.call(method, `/ims/v2/${pid}${path}`, { body, headers: { "X-Project-Id": pid } });
  const tagsOf = async (id: string) => {
    const r = await call("GET", `/images/${id}/tags`);
    assert.equal(r.status, 200, r.text);
    return r.json.tags;
  };

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    const store = new ImsStore(hw.db);
    for (const [id, projectId] of [[WEB, pid], [DB, pid], [THEIRS, otherPid]] as const) {
      store.insert({
        id,
        projectId,
        name: id.slice(-1),
        status: "active",
        minDisk: 40,
        minRam: 1024,
        osType: "Linux",
        platform: "Ubuntu",
        osVersion: "Ubuntu 22.04 server 64bit",
        osBit: "64",
        imageSize: 2 ** 31,
        now: hw.clock.now(),
      });
    }
  });
  after(() => hw.close());

  test("add, update by key, list, delete", async () => {
    assert.deepEqual(await tagsOf(WEB), []);
    const add = await call("POST", `/images/${WEB}/tags`, { tag: { key: "env", value: "prod" } });
    assert.equal(add.status, 204, add.text);
    assert.equal((await call("POST", `/images/${WEB}/tags`, { tag: { key: "team", value: "" } })).status, 204);
    assert.equal((await call("POST", `/images/${WEB}/tags`, { tag: { key: "env", value: "staging" } })).status, 204);
    assert.deepEqual(await tagsOf(WEB), [
      { key: "env", value: "staging" },
      { key: "team", value: "" },
    ]);
    assert.equal((await call("DELETE", `/images/${WEB}/tags/team`)).status, 204);
    assert.deepEqual(await tagsOf(WEB), [{ key: "env", value: "staging" }]);
    assertImsError(await call("DELETE", `/images/${WEB}/tags/team`), 404, "IMG.0027");
  });

  test("batch create and delete; the project's keys with their values", async () => {
    const create = await call("POST", `/images/${DB}/tags/action`, {
      action: "create",
      tags: [
        { key: "env", value: "prod" },
        { key: "tier", value: "db" },
        { key: "owner", value: "ops" },
      ],
    });
    assert.equal(create.status, 204, create.text);
    const project = await call("GET", "/images/tags");
    assert.equal(project.status, 200, project.text);
    assert.deepEqual(project.json.tags, [
      { key: "env", values: ["prod", "staging"] },
      { key: "owner", values: ["ops"] },
      { key: "tier", values: ["db"] },
    ]);
    const del = await call("POST", `/images/${DB}/tags/action`, {
      action: "delete",
      tags: [{ key: "tier" }, { key: "owner", value: "someone-else" }, { key: "absent" }],
    });
    assert.equal(del.status, 204, del.text);
    assert.deepEqual(await tagsOf(DB), [
      { key: "env", value: "prod" },
      { key: "owner", value: "ops" },
    ]);
    const other = await hw.call("GET", `/ims/v2/${otherPid}/images/tags`, { headers: { "X-Project-Id": otherPid } });
    assert.deepEqual(other.json.tags, []);
  });

  test("limits and refusals", async () => {
    const add = (id: string, key: string, value: string) => call("POST", `/images/${id}/tags`, { tag: { key, value } });
    assertImsError(await add(DB, "k".repeat(37), "v"), 400, "IMG.0001");
    assertImsError(await add(DB, "  ", "v"), 400, "IMG.0001");
    assertImsError(await add(DB, "k", "v".repeat(44)), 400, "IMG.0001");
    assertImsError(await call("POST", `/images/${DB}/tags`, { tag: { key: "k" } }), 400, "IMG.0001");
    assertImsError(
      await call("POST", `/images/${DB}/tags/action`, { action: "create", tags: [{ key: "a", value: "1" }, { key: "a", value: "2" }] }),
      400,
      "IMG.0001",
    );
    assertImsError(await call("POST", `/images/${DB}/tags/action`, { action: "rename", tags: [{ key: "a" }] }), 400, "IMG.0001");
    const eight = Array.from({ length: 8 }, (_, n) => ({ key: `k${n}`, value: "" }));
    assert.equal((await call("POST", `/images/${DB}/tags/action`, { action: "create", tags: eight })).status, 204);
    assertImsError(await add(DB, "one-too-many", ""), 400, "IMG.0001");
    assert.equal((await add(DB, "env", "again")).status, 204, "updating a key the image has stays within 10");
    assert.equal(((await tagsOf(DB)) as unknown[]).length, 10);

    assertImsError(await add(UBUNTU_2204, "env", "prod"), 400, "IMG.0047");
    assertImsError(await add(THEIRS, "env", "prod"), 404, "IMG.0027");
    assertImsError(await call("GET", `/images/${THEIRS}/tags`), 404, "IMG.0027");
    const crossed = await hw.call("GET", `/ims/v2/${otherPid}/images/${THEIRS}/tags`, { headers: { "X-Project-Id": pid } });
    assertImsError(crossed, 403, "IMG.0030");
    assertImsError(await call("DELETE", `/images/00000000-0000-4000-8000-000000000000/tags/env`), 404, "IMG.0027");
  });

  test("an image's tags go with it", async () => {
    assert.equal((await hw.call("DELETE", `/ims/v2/images/${WEB}`, { headers: { "X-Project-Id": pid } })).status, 204);
    const project = await call("GET", "/images/tags");
    assert.deepEqual((project.json.tags as { key: string; values: string[] }[]).find((t) => t.key === "env")?.values, ["again"]);
  });
});
