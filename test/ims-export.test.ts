// ExportImage through signed raw requests (no official Node SDK package for IMS here): the owner's active
// private image gives a job that ShowJob reports RUNNING, then SUCCESS on hwlocal's clock; refusals for a
// public image, an image still being made, another project's image and a bad bucket_url or file_format.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const WEB = "0b5a3a7e-7777-4c3e-9a55-000000000001";
const BAKING = "0b5a3a7e-7777-4c3e-9a55-000000000002";

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ims export", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const exportAs = (project: string, id: string, body: unknown) =>
    hw.call("POST", `/ims/v1/cloudimages/${id}/file`, { body, headers: { "X-Project-Id": project } });
  const job = (id: string) => hw.call("GET", `/ims/v1/${pid}/jobs/${id}`, { headers: { "X-Project-Id": pid } });

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    for (const [id, status] of [[WEB, "active"], [BAKING, "saving"]] as const) {
      new ImsStore(hw.db).insert({
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

  test("the job runs on hwlocal's clock", async () => {
    const r = await exportAs(pid, WEB, { bucket_url: "my-bucket:exports/web.qcow2", file_format: "qcow2" });
    assert.equal(r.status, 200, r.text);
    const id = r.json.job_id as string;
    const before = await job(id);
    assert.equal(before.status, 200, before.text);
    assert.equal(before.json.job_type, "imsExportImage");
    assert.notEqual(before.json.status, "SUCCESS");
    const adv = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 6 } });
    assert.equal(adv.status, 200, adv.text);
    const done = await job(id);
    assert.equal(done.json.status, "SUCCESS", done.text);
    assert.equal((done.json.entities as Record<string, unknown>).image_id, WEB);
  });

  test("refusals", async () => {
    const ok = { bucket_url: "my-bucket:web.vmdk", file_format: "vmdk" };
    assertImsError(await exportAs(pid, UBUNTU_2204, ok), 400, "IMG.0047");
    assertImsError(await exportAs(pid, BAKING, ok), 400, "IMG.0046");
    assertImsError(await exportAs(otherPid, WEB, ok), 404, "IMG.0027");
    assertImsError(await exportAs(pid, WEB, { bucket_url: "no-object", file_format: "vmdk" }), 400, "IMG.0001");
    assertImsError(await exportAs(pid, WEB, { bucket_url: "my-bucket:web.iso", file_format: "iso" }), 400, "IMG.0001");
    assertImsError(await exportAs(pid, WEB, { file_format: "vmdk" }), 400, "IMG.0001");
  });
});
