// IMS's v1 image sharing through signed raw requests (no official Node SDK package for IMS here): the owner
// shares images with projects in a batch job, the member accepts them in another (the images then show in
// its list), both see the memberships, the owner revokes them; the refusals before a job is accepted, in
// IMS's nested error shape.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const WEB = "0b5a3a7e-5555-4c3e-9a55-000000000001";
const DB = "0b5a3a7e-5555-4c3e-9a55-000000000002";
const BAKING = "0b5a3a7e-5555-4c3e-9a55-000000000003";
type Json = Record<string, unknown>;

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ims v1 image sharing", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const as = (project: string) => ({ "X-Project-Id": project });
  const runJob = async (r: CallResult, project: string) => {
    assert.equal(r.status, 200, r.text);
    const id = r.json.job_id as string;
    const adv = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 1 } });
    assert.equal(adv.status, 200, adv.text);
    const job = await hw.call("GET", `/ims/v1/${project}/jobs/${id}`, { headers: as(project) });
    assert.equal(job.status, 200, job.text);
    assert.equal(job.json.status, "SUCCESS", job.text);
  };
  const listed = async (project: string) =>
    ((await hw.call("GET", "/ims/v2/cloudimages", { headers: as(project) })).json.images as Json[]).map((i) => i.id);

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    const store = new ImsStore(hw.db);
    for (const [id, status] of [[WEB, "active"], [DB, "active"], [BAKING, "saving"]] as const) {
      store.insert({
        id,
        projectId: pid,
        name: id.slice(-1),
        status,
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

  test("share in a batch, accept, list and show, revoke", async () => {
    await runJob(await hw.call("POST", "/ims/v1/cloudimages/members", { headers: as(pid), body: { images: [WEB, DB], projects: [otherPid] } }), pid);
    const members = await hw.call("GET", `/ims/v1/${pid}/cloudimages/${WEB}/members`, { headers: as(pid) });
    assert.equal(members.status, 200, members.text);
    assert.deepEqual((members.json.members as Json[]).map((m) => [m.member_id, m.status]), [[otherPid, "pending"]]);
    assert.equal(members.json.schema, "/v2/schemas/members");
    assert.ok(!(await listed(otherPid)).includes(WEB), "a pending share is not listed");

    await runJob(
      await hw.call("PUT", "/ims/v1/cloudimages/members", { headers: as(otherPid), body: { images: [WEB], project_id: otherPid, status: "accepted" } }),
      otherPid,
    );
    const shown = await hw.call("GET", `/ims/v1/${otherPid}/cloudimages/${WEB}/members/${otherPid}`, { headers: as(otherPid) });
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.json.status, "accepted");
    assert.equal(shown.json.image_id, WEB);
    const theirs = await listed(otherPid);
    assert.ok(theirs.includes(WEB) && !theirs.includes(DB), "the accepted image only");

    await runJob(await hw.call("DELETE", "/ims/v1/cloudimages/members", { headers: as(pid), body: { images: [WEB, DB], projects: [otherPid] } }), pid);
    assert.deepEqual((await hw.call("GET", `/ims/v1/${pid}/cloudimages/${DB}/members`, { headers: as(pid) })).json.members, []);
    assert.ok(!(await listed(otherPid)).includes(WEB));
    assertImsError(await hw.call("GET", `/ims/v1/${pid}/cloudimages/${WEB}/members/${otherPid}`, { headers: as(pid) }), 404, "IMG.0027");
  });

  test("refusals before any job", async () => {
    const add = (body: unknown) => hw.call("POST", "/ims/v1/cloudimages/members", { headers: as(pid), body });
    assertImsError(await add({ images: [UBUNTU_2204], projects: [otherPid] }), 400, "IMG.0047");
    assertImsError(await add({ images: [BAKING], projects: [otherPid] }), 400, "IMG.0046");
    assertImsError(await add({ images: ["00000000-0000-4000-8000-000000000000"], projects: [otherPid] }), 404, "IMG.0027");
    assertImsError(await add({ images: [WEB], projects: ["not-a-project"] }), 400, "IMG.0001");
    assertImsError(await add({ images: [WEB], projects: [pid] }), 400, "IMG.0001");
    assertImsError(await add({ images: [WEB] }), 400, "IMG.0001");
    assertImsError(await add({ images: [], projects: [otherPid] }), 400, "IMG.0001");
    // Another project may not share the owner's image, nor accept for someone else, nor accept what it was not offered.
    assertImsError(await hw.call("POST", "/ims/v1/cloudimages/members", { headers: as(otherPid), body: { images: [WEB], projects: [pid] } }), 404, "IMG.0027");
    assertImsError(
      await hw.call("PUT", "/ims/v1/cloudimages/members", { headers: as(pid), body: { images: [WEB], project_id: otherPid, status: "accepted" } }),
      403,
      "IMG.0047",
    );
    assertImsError(
      await hw.call("PUT", "/ims/v1/cloudimages/members", { headers: as(otherPid), body: { images: [DB], project_id: otherPid, status: "accepted" } }),
      404,
      "IMG.0027",
    );
    assertImsError(
      await hw.call("PUT", "/ims/v1/cloudimages/members", { headers: as(otherPid), body: { images: [DB], project_id: otherPid, status: "maybe" } }),
      400,
      "IMG.0001",
    );
  });
});
