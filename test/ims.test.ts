// IMS through signed raw requests (no official Node SDK package for IMS here): the public catalogue with its
// filters, sorting and marker paging; OpenStack-native show/delete/update and IMS's update on private images;
// CreateImage's request checks (making images from servers is in ims-private.test.ts); ShowJob limited to
// IMS's own jobs; IMS's nested error shape.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore, type NewPrivateImage } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

/** Stable public image ids: scripts hard-code them. */
const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const WINDOWS_2022 = "7bc87a11-6eee-4308-ac11-82bc56e039c5";

type Json = Record<string, unknown>;

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  const nested = r.json.error as { code: string; message: string } | undefined;
  assert.equal(nested?.code, code, "IMS's nested error shape");
  assert.equal(typeof nested?.message, "string");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
}

describe("ims", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const h = () => ({ "X-Project-Id": pid });
  const images = (r: CallResult) => r.json.images as Json[];
  const list = (query: Record<string, string> = {}) => hw.call("GET", "/ims/v2/cloudimages", { headers: h(), query });

  /** Private images of chosen shapes, written with IMS's own store (CreateImage makes them from servers only). */
  const addPrivate = (i: Partial<NewPrivateImage> & { id: string; projectId: string; name: string }) =>
    new ImsStore(hw.db).insert({
      status: "active",
      minDisk: 40,
      minRam: 1024,
      osType: "Linux",
      platform: "Ubuntu",
      osVersion: "Ubuntu 22.04 server 64bit",
      osBit: "64",
      imageSize: 2 ** 31,
      dataOrigin: "instance,6f0e9d4c-0e2d-4d32-9d7a-0d1f0b6a8c11",
      now: hw.clock.now(),
      ...i,
    });

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // addPrivate writes its table before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    addPrivate({ id: "0b5a3a7e-1111-4c3e-9a55-000000000001", projectId: pid, name: "web-golden" });
    addPrivate({ id: "0b5a3a7e-1111-4c3e-9a55-000000000002", projectId: pid, name: "baking", status: "saving" });
    addPrivate({ id: "0b5a3a7e-1111-4c3e-9a55-000000000003", projectId: otherPid, name: "east-only" });
  });
  after(() => hw.close());

  test("ListImages: the public catalogue with stable ids and IMS's fields", async () => {
    const r = await list({ __imagetype: "gold" });
    assert.equal(r.status, 200, r.text);
    const all = images(r);
    assert.equal(all.length, 9);
    const ubuntu = all.find((i) => i.id === UBUNTU_2204);
    assert.ok(ubuntu, "Ubuntu 22.04 has its fixed id");
    assert.equal(ubuntu.name, "Ubuntu 22.04 server 64bit");
    for (const [k, v] of Object.entries({
      status: "active",
      visibility: "public",
      protected: true,
      __imagetype: "gold",
      __os_type: "Linux",
      __platform: "Ubuntu",
      __os_bit: "64",
      __os_version: "Ubuntu 22.04 server 64bit",
      virtual_env_type: "FusionCompute",
      disk_format: "zvhd2",
      container_format: "bare",
      min_disk: 40,
      min_ram: 1024,
      self: `/v2/images/${UBUNTU_2204}`,
      file: `/v2/images/${UBUNTU_2204}/file`,
      schema: "/v2/schemas/image",
    })) {
      assert.deepEqual(ubuntu[k], v, k);
    }
    assert.match(String(ubuntu.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(String(ubuntu.owner), /^[0-9a-f]{32}$/);
    // Default order: newest first.
    const created = all.map((i) => String(i.created_at));
    assert.deepEqual(created, [...created].sort().reverse());
  });

  test("ListImages filters: os type, platform, name, id, visibility, protected, status", async () => {
    const names = async (q: Record<string, string>) => images(await list(q)).map((i) => i.name);
    assert.deepEqual((await names({ __os_type: "Windows", sort_key: "name", sort_dir: "asc" })), [
      "Windows Server 2019 Datacenter 64bit English",
      "Windows Server 2022 Datacenter 64bit English",
    ]);
    assert.equal((await names({ __platform: "Ubuntu", __imagetype: "gold" })).length, 3);
    assert.deepEqual(await names({ name: "CentOS 7.9 64bit" }), ["CentOS 7.9 64bit"]);
    assert.deepEqual(await names({ name: "CentOS 7.9" }), [], "name matches exactly");
    assert.deepEqual(await names({ id: WINDOWS_2022 }), ["Windows Server 2022 Datacenter 64bit English"]);
    assert.deepEqual(await names({ visibility: "private", sort_key: "name", sort_dir: "asc" }), ["baking", "web-golden"]);
    assert.deepEqual(await names({ __imagetype: "private", status: "active" }), ["web-golden"]);
    assert.deepEqual(await names({ __imagetype: "shared" }), []);
    assert.equal((await names({ protected: "true" })).length, 9);
    assert.equal((await names({ flavor_id: "s6.large.2" })).length, 11, "flavor_id is accepted and does not filter");
  });

  test("ListImages: marker/limit paging and sort keys", async () => {
    const first = images(await list({ limit: "4", sort_key: "name", sort_dir: "asc" }));
    assert.equal(first.length, 4);
    const second = images(await list({ limit: "4", sort_key: "name", sort_dir: "asc", marker: String(first[3]!.id) }));
    const rest = images(await list({ limit: "500", sort_key: "name", sort_dir: "asc", marker: String(second[3]!.id) }));
    const all = [...first, ...second, ...rest].map((i) => String(i.name));
    assert.equal(all.length, 11, "9 public + the project's 2 private images");
    assert.deepEqual(all, [...all].sort());
    const bySize = images(await list({ sort_key: "size", sort_dir: "desc", __imagetype: "gold" }));
    assert.equal(bySize[0]!.id, WINDOWS_2022, "the largest image file first");
  });

  test("ListImages refuses malformed filters with IMS's codes", async () => {
    assertImsError(await list({ __imagetype: "bogus" }), 400, "IMG.0024");
    assertImsError(await list({ __os_type: "Mac" }), 400, "IMG.0056");
    const malformed: Record<string, string>[] = [
      { visibility: "everyone" },
      { status: "sleeping" },
      { protected: "maybe" },
      { sort_key: "colour" },
      { sort_key: "constructor" },
      { sort_dir: "up" },
      { limit: "0" },
      { limit: "many" },
      { marker: "00000000-0000-4000-8000-000000000000" },
    ];
    for (const q of malformed) assertImsError(await list(q), 400, "IMG.0017");
  });

  test("the project decides which private images are seen", async () => {
    const mine = images(await list({ __imagetype: "private" })).map((i) => i.name);
    assert.ok(!mine.includes("east-only"));
    const east = images(await hw.call("GET", "/ims/v2/cloudimages", { headers: { "X-Project-Id": otherPid }, query: { __imagetype: "private" } }));
    assert.deepEqual(east.map((i) => i.name), ["east-only"]);
    const none = images(await hw.call("GET", "/ims/v2/cloudimages", { query: { __imagetype: "private" } }));
    assert.deepEqual(none, [], "without a project only public images are seen");
    const owned = images(await list({ owner: pid }));
    assert.equal(owned.length, 2);
    assert.equal(owned[0]!.__data_origin, "instance,6f0e9d4c-0e2d-4d32-9d7a-0d1f0b6a8c11");
    const foreign = await hw.call("GET", "/ims/v2/cloudimages", { headers: { "X-Project-Id": "0".repeat(32) } });
    assertImsError(foreign, 403, "IMG.0030");
  });

  test("GlanceShowImage: public and own private images; others are not found", async () => {
    const pub = await hw.call("GET", `/ims/v2/images/${UBUNTU_2204}`, { headers: h() });
    assert.equal(pub.status, 200, pub.text);
    assert.equal(pub.json.name, "Ubuntu 22.04 server 64bit");
    const anonymousProject = await hw.call("GET", `/ims/v2/images/${UBUNTU_2204}`);
    assert.equal(anonymousProject.status, 200, "public images need no project");
    const own = await hw.call("GET", "/ims/v2/images/0b5a3a7e-1111-4c3e-9a55-000000000001", { headers: h() });
    assert.equal(own.status, 200);
    assert.equal(own.json.visibility, "private");
    assert.equal(own.json.__imagetype, "private");
    assert.equal(own.json.owner, pid);
    assertImsError(await hw.call("GET", "/ims/v2/images/0b5a3a7e-1111-4c3e-9a55-000000000003", { headers: h() }), 404, "IMG.0027");
    assertImsError(await hw.call("GET", "/ims/v2/images/no-such-image", { headers: h() }), 404, "IMG.0027");
  });

  test("GlanceUpdateImage and UpdateImage patch name, description and min_ram of own active private images", async () => {
    const id = "0b5a3a7e-1111-4c3e-9a55-000000000001";
    const glance = await hw.call("PATCH", `/ims/v2/images/${id}`, {
      headers: { ...h(), "Content-Type": "application/openstack-images-v2.1-json-patch" },
      body: [
        { op: "replace", path: "/name", value: "web golden v2" },
        { op: "add", path: "/__description", value: "nginx baked in" },
      ],
    });
    assert.equal(glance.status, 200, glance.text);
    assert.equal(glance.json.name, "web golden v2");
    assert.equal(glance.json.__description, "nginx baked in");
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 5 } });
    const ims = await hw.call("PATCH", `/ims/v2/cloudimages/${id}`, {
      headers: h(),
      body: [
        { op: "replace", path: "/min_ram", value: 2048 },
        { op: "remove", path: "/__description" },
      ],
    });
    assert.equal(ims.status, 200, ims.text);
    assert.equal(ims.json.min_ram, 2048);
    assert.equal(ims.json.__description, "");
    assert.notEqual(ims.json.updated_at, ims.json.created_at);
    assert.equal((await hw.call("GET", `/ims/v2/images/${id}`, { headers: h() })).json.name, "web golden v2");

    const patch = (target: string, body: unknown) => hw.call("PATCH", `/ims/v2/cloudimages/${target}`, { headers: h(), body });
    assertImsError(await patch(UBUNTU_2204, [{ op: "replace", path: "/name", value: "mine" }]), 400, "IMG.0047");
    assertImsError(await patch("0b5a3a7e-1111-4c3e-9a55-000000000002", [{ op: "replace", path: "/name", value: "x" }]), 400, "IMG.0046");
    assertImsError(await patch("0b5a3a7e-1111-4c3e-9a55-000000000003", []), 404, "IMG.0027");
    assertImsError(await patch(id, [{ op: "replace", path: "/name", value: "n".repeat(129) }]), 400, "IMG.0002");
    assertImsError(await patch(id, [{ op: "replace", path: "/name", value: " padded" }]), 400, "IMG.0003");
    assertImsError(await patch(id, [{ op: "replace", path: "/name", value: "semi;colon" }]), 400, "IMG.0003");
    assertImsError(await patch(id, [{ op: "replace", path: "/__description", value: "d".repeat(1025) }]), 400, "IMG.0004");
    assertImsError(await patch(id, [{ op: "replace", path: "/__description", value: "two\nlines" }]), 400, "IMG.0054");
    assertImsError(await patch(id, [{ op: "replace", path: "/min_ram", value: "lots" }]), 400, "IMG.0055");
    assertImsError(await patch(id, [{ op: "replace", path: "/min_disk", value: 80 }]), 400, "IMG.0001");
    assertImsError(await patch(id, { name: "not a patch" }), 400, "IMG.0001");
    assertImsError(await hw.call("PATCH", `/ims/v2/images/${id}`, { headers: h(), rawBody: "[{" }), 400, "IMG.0001");
  });

  test("GlanceDeleteImage deletes own private images only", async () => {
    assertImsError(await hw.call("DELETE", `/ims/v2/images/${UBUNTU_2204}`, { headers: h() }), 400, "IMG.0094");
    assertImsError(await hw.call("DELETE", "/ims/v2/images/0b5a3a7e-1111-4c3e-9a55-000000000002", { headers: h() }), 400, "IMG.0090");
    assertImsError(await hw.call("DELETE", "/ims/v2/images/0b5a3a7e-1111-4c3e-9a55-000000000003", { headers: h() }), 404, "IMG.0027");
    addPrivate({ id: "0b5a3a7e-1111-4c3e-9a55-000000000009", projectId: pid, name: "doomed" });
    const gone = await hw.call("DELETE", "/ims/v2/images/0b5a3a7e-1111-4c3e-9a55-000000000009", { headers: h() });
    assert.equal(gone.status, 204, gone.text);
    assert.equal(gone.text, "");
    assertImsError(await hw.call("GET", "/ims/v2/images/0b5a3a7e-1111-4c3e-9a55-000000000009", { headers: h() }), 404, "IMG.0027");
  });

  test("CreateImage checks its body and the server it names", async () => {
    const made = await hw.call("POST", "/ims/v2/cloudimages/action", {
      headers: h(),
      body: { name: "from-server", instance_id: "6f0e9d4c-0e2d-4d32-9d7a-0d1f0b6a8c11" },
    });
    assertImsError(made, 400, "IMG.0005");
    assertImsError(await hw.call("POST", "/ims/v2/cloudimages/action", { headers: h(), body: { instance_id: "x" } }), 400, "IMG.0013");
    assertImsError(await hw.call("POST", "/ims/v2/cloudimages/action", { headers: h(), body: { name: "bad/name" } }), 400, "IMG.0003");
    assertImsError(await hw.call("POST", "/ims/v2/cloudimages/action", { body: { name: "no-project" } }), 403, "IMG.0030");
  });

  test("ShowJob on the IMS endpoint answers only IMS's jobs", async () => {
    assertImsError(await hw.call("GET", `/ims/v1/${pid}/jobs/ff8080814dbd65d7014dbe0d84db0013`), 404, "IMG.0023");
    // An EVS job exists, but it is not IMS's.
    const created = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, {
      body: { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 10 } },
    });
    assert.equal(created.status, 202, created.text);
    const jobId = String(created.json.job_id);
    assert.equal((await hw.call("GET", `/evs/v1/${pid}/jobs/${jobId}`)).status, 200);
    assertImsError(await hw.call("GET", `/ims/v1/${pid}/jobs/${jobId}`), 404, "IMG.0023");
  });
});
