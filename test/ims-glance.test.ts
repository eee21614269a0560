// Glance v2 over IMS through signed raw requests (no official Node SDK package for IMS here): the image list in
// glance's shape with its filters, sorting and `next` paging (the same images IMS's ListImages shows), tags,
// members (share, accept, the member's lists, revoke), the schemas, and IMS's errors for the refusals.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore, type NewPrivateImage } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const GOLDEN = "0b5a3a7e-2222-4c3e-9a55-000000000001";
const BAKING = "0b5a3a7e-2222-4c3e-9a55-000000000002";
type Json = Record<string, unknown>;

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("glance over IMS", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const glance = (method: string, path: string, opts: { body?: unknown; project?: string } = {}) =>
    hw.call(method, `/ims${path}`, { body: opts.body, headers: { "X-Project-Id": opts.project ?? pid } });
  const names = (r: CallResult) => (r.json.images as Json[]).map((i) => i.name as string);

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    const add = (i: Partial<NewPrivateImage> & { id: string; name: string }) =>
      new ImsStore(hw.db).insert({
        projectId: pid,
        status: "active",
        minDisk: 40,
        minRam: 1024,
        osType: "Linux",
        platform: "Ubuntu",
        osVersion: "Ubuntu 22.04 server 64bit",
        osBit: "64",
        imageSize: 2 ** 31,
        now: hw.clock.now(),
        ...i,
      });
    add({ id: GOLDEN, name: "web-golden" });
    add({ id: BAKING, name: "baking", status: "saving" });
  });
  after(() => hw.close());

  test("list: glance's body, the images IMS lists, filters, sort, next paging over every page", async () => {
    const all = await glance("GET", "/v2/images?limit=1000");
    assert.equal(all.status, 200, all.text);
    assert.equal(all.json.schema, "/v2/schemas/images");
    assert.equal(all.json.next, undefined);
    const ims = await hw.call("GET", "/ims/v2/cloudimages", { headers: { "X-Project-Id": pid } });
    assert.deepEqual(names(all).sort(), (ims.json.images as Json[]).map((i) => i.name as string).sort());

    const first = await glance("GET", "/v2/images");
    assert.equal((first.json.images as Json[]).length, Math.min(25, names(all).length));
    const seen: string[] = [];
    let page: CallResult = await glance("GET", "/v2/images?limit=4&sort=name:asc");
    for (;;) {
      seen.push(...names(page));
      const next = page.json.next as string | undefined;
      if (!next) break;
      assert.match(next, /^\/v2\/images\?/);
      page = await glance("GET", next);
    }
    assert.deepEqual(seen, [...names(all)].sort());

    assert.deepEqual(names(await glance("GET", "/v2/images?visibility=private&sort_key=name&sort_dir=asc")), ["baking", "web-golden"]);
    assert.deepEqual(names(await glance("GET", "/v2/images?status=saving")), ["baking"]);
    assert.deepEqual(names(await glance("GET", "/v2/images?name=web-golden")), ["web-golden"]);
    assert.equal(names(await glance("GET", "/v2/images?visibility=public")).length, names(all).length - 2);
    assertImsError(await glance("GET", "/v2/images?marker=00000000-0000-4000-8000-000000000000"), 404, "IMG.0027");
    assertImsError(await glance("GET", "/v2/images?status=melting"), 400, "IMG.0017");
    assertImsError(await glance("GET", "/v2/images?sort=colour:asc"), 400, "IMG.0017");
  });

  test("tags: added and removed by the owner, shown and filtered; public images refuse them", async () => {
    assert.equal((await glance("PUT", `/v2/images/${GOLDEN}/tags/web`)).status, 204);
    assert.equal((await glance("PUT", `/v2/images/${GOLDEN}/tags/web`)).status, 204, "idempotent");
    assert.equal((await glance("PUT", `/v2/images/${GOLDEN}/tags/prod`)).status, 204);
    assert.deepEqual(((await glance("GET", `/v2/images/${GOLDEN}`)).json.tags as string[]).sort(), ["prod", "web"]);
    assert.deepEqual(names(await glance("GET", "/v2/images?tag=prod")), ["web-golden"]);
    assert.equal((await glance("DELETE", `/v2/images/${GOLDEN}/tags/prod`)).status, 204);
    assertImsError(await glance("DELETE", `/v2/images/${GOLDEN}/tags/prod`), 404, "IMG.0027");
    assertImsError(await glance("PUT", `/v2/images/${UBUNTU_2204}/tags/mine`), 400, "IMG.0047");
  });

  test("members: shared, pending until the member accepts, then listed for it; the owner revokes", async () => {
    const added = await glance("POST", `/v2/images/${GOLDEN}/members`, { body: { member: otherPid } });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual([added.json.member_id, added.json.image_id, added.json.status, added.json.schema], [otherPid, GOLDEN, "pending", "/v2/schemas/member"]);
    assertImsError(await glance("POST", `/v2/images/${GOLDEN}/members`, { body: { member: otherPid } }), 409, "IMG.0001");
    assertImsError(await glance("POST", `/v2/images/${GOLDEN}/members`, { body: { member: pid } }), 400, "IMG.0001");
    assertImsError(await glance("POST", `/v2/images/${BAKING}/members`, { body: { member: otherPid } }), 400, "IMG.0046");
    assertImsError(await glance("POST", `/v2/images/${UBUNTU_2204}/members`, { body: { member: otherPid } }), 400, "IMG.0047");

    const asMember = { project: otherPid };
    const shown = await glance("GET", `/v2/images/${GOLDEN}`, asMember);
    assert.equal(shown.json.visibility, "shared");
    assert.equal(shown.json.__imagetype, "shared");
    assert.deepEqual(names(await glance("GET", "/v2/images?visibility=shared", asMember)), [], "pending: not listed");
    assert.deepEqual(names(await glance("GET", "/v2/images?visibility=shared&member_status=pending", asMember)), ["web-golden"]);
    assertImsError(await glance("PUT", `/v2/images/${GOLDEN}/members/${otherPid}`, { body: { status: "accepted" } }), 403, "IMG.0047");
    const accepted = await glance("PUT", `/v2/images/${GOLDEN}/members/${otherPid}`, { body: { status: "accepted" }, ...asMember });
    assert.equal(accepted.json.status, "accepted", accepted.text);
    assert.deepEqual(names(await glance("GET", "/v2/images?visibility=shared", asMember)), ["web-golden"]);
    assert.ok(names(await glance("GET", "/v2/images?limit=1000", asMember)).includes("web-golden"));
    assertImsError(await glance("DELETE", `/v2/images/${GOLDEN}`, asMember), 400, "IMG.0047");
    assertImsError(await glance("PUT", `/v2/images/${GOLDEN}/tags/theirs`, asMember), 400, "IMG.0047");

    const members = await glance("GET", `/v2/images/${GOLDEN}/members`);
    assert.deepEqual((members.json.members as Json[]).map((m) => [m.member_id, m.status]), [[otherPid, "accepted"]]);
    assert.equal(((await glance("GET", `/v2/images/${GOLDEN}/members`, asMember)).json.members as Json[]).length, 1);
    assert.equal((await glance("GET", `/v2/images/${GOLDEN}/members/${otherPid}`)).json.status, "accepted");
    assert.deepEqual((await glance("GET", `/v2/images/${UBUNTU_2204}/members`)).json.members, []);

    assert.equal((await glance("DELETE", `/v2/images/${GOLDEN}/members/${otherPid}`)).status, 204);
    assertImsError(await glance("GET", `/v2/images/${GOLDEN}/members/${otherPid}`), 404, "IMG.0027");
    assertImsError(await glance("GET", `/v2/images/${GOLDEN}`, asMember), 404, "IMG.0027");
    assertImsError(await glance("DELETE", `/v2/images/${GOLDEN}/members/${otherPid}`), 404, "IMG.0027");
  });

  test("schemas: image, images, member, members", async () => {
    const image = await glance("GET", "/v2/schemas/image");
    assert.equal(image.json.name, "image");
    const props = image.json.properties as Record<string, unknown>;
    const shown = (await glance("GET", `/v2/images/${UBUNTU_2204}`)).json;
    for (const key of Object.keys(shown)) assert.ok(key in props, `the image schema describes ${key}`);
    assert.equal((await glance("GET", "/v2/schemas/images")).json.name, "images");
    assert.equal((await glance("GET", "/v2/schemas/member")).json.name, "member");
    assert.equal((await glance("GET", "/v2/schemas/members")).json.name, "members");
  });

  test("create and upload: queued, then active with the file's size; refusals", async () => {
    const made = await glance("POST", "/v2/images", {
      body: { name: "uploaded", disk_format: "qcow2", container_format: "bare", min_disk: 10, __os_version: "Ubuntu 22.04 server 64bit", tags: ["t1"], "owner_specified.openstack.md5": "x" },
    });
    assert.equal(made.status, 201, made.text);
    const id = String(made.json.id);
    assert.deepEqual([made.json.status, made.json.disk_format, made.json.__os_type, made.json.__platform, made.json.tags], ["queued", "qcow2", "Linux", "Ubuntu", ["t1"]]);
    const file = Buffer.alloc(4096, 7);
    const put = (headers: Record<string, string>, rawBody: Buffer) => hw.call("PUT", `/ims/v2/images/${id}/file`, { rawBody, headers: { "X-Project-Id": pid, ...headers } });
    assertImsError(await put({ "Content-Type": "application/json" }, file), 400, "IMG.0001");
    assert.equal((await put({ "Content-Type": "application/octet-stream" }, file)).status, 204);
    const shown = (await glance("GET", `/v2/images/${id}`)).json;
    assert.deepEqual([shown.status, shown.__image_size], ["active", "4096"]);
    assertImsError(await put({ "Content-Type": "application/octet-stream" }, file), 400, "IMG.0046");
    assert.ok(names(await glance("GET", "/v2/images?visibility=private")).includes("uploaded"));

    assertImsError(await glance("POST", "/v2/images", { body: { name: "x", disk_format: "floppy" } }), 400, "IMG.0001");
    assertImsError(await glance("POST", "/v2/images", { body: { name: "x", visibility: "public" } }), 400, "IMG.0001");
    assertImsError(await glance("POST", "/v2/images", { body: { name: " bad" } }), 400, "IMG.0003");
    assertImsError(await hw.call("PUT", `/ims/v2/images/${UBUNTU_2204}/file`, { rawBody: file, headers: { "X-Project-Id": pid, "Content-Type": "application/octet-stream" } }), 400, "IMG.0047");
    const queued = String((await glance("POST", "/v2/images", { body: { name: "never-uploaded" } })).json.id);
    assert.equal((await glance("DELETE", `/v2/images/${queued}`)).status, 204, "a glance image never uploaded can be deleted");
  });

  test("glance v1.1: the detail list in v1's shape, and delete", async () => {
    const list = await glance("GET", "/v1.1/images/detail?is_public=false");
    assert.equal(list.status, 200, list.text);
    const mine = list.json.images as { id: string; name: string; is_public: boolean; properties: Record<string, string> }[];
    assert.ok(mine.every((i) => !i.is_public));
    const golden = mine.find((i) => i.id === GOLDEN)!;
    assert.equal(golden.properties.__os_type, "Linux");
    assert.equal(((await glance("GET", "/v1.1/images/detail?name=web-golden&limit=1")).json.images as unknown[]).length, 1);
    assert.ok(((await glance("GET", "/v1.1/images/detail?is_public=true")).json.images as { is_public: boolean }[]).every((i) => i.is_public));
    assertImsError(await glance("DELETE", `/v1.1/images/${UBUNTU_2204}`), 400, "IMG.0094");
    const made = String((await glance("POST", "/v2/images", { body: { name: "v1-doomed" } })).json.id);
    assert.equal((await glance("DELETE", `/v1.1/images/${made}`)).status, 200);
    assertImsError(await glance("GET", `/v2/images/${made}`), 404, "IMG.0027");
  });
});
