// IMS images from image files in OBS, through signed raw requests (no official Node SDK package for IMS
// here): ImportImageQuick and its safe-mode twin (a system disk image and a data disk image), CreateDataImage
// and its safe-mode twin, RegisterImage of an image created through glance; each job walks the image to
// active on hwlocal's clock. Refusals in IMS's nested error shape; another project neither sees the images
// nor registers a file for them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";

type Json = Record<string, unknown>;

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

function assertFields(actual: Json, expected: Json): void {
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(actual[k], v, k);
}

describe("ims images from OBS files", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const as = (project: string, method: string, path: string, body?: unknown) =>
    hw.call(method, `/ims${path}`, { body, headers: { "X-Project-Id": project } });
  const advance = async (seconds: number) => {
    const r = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
    assert.ok(r.status < 300, r.text);
  };
  const job = async (id: string) => {
    const r = await as(pid, "GET", `/v1/${pid}/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const showImage = async (id: string) => {
    const r = await as(pid, "GET", `/v2/images/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  /** Submits, checks the job and image start queued, walks the job to the end; returns the image. */
  const makeAndWalk = async (r: CallResult, jobType: string) => {
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), ["job_id"]);
    const first = await job(String(r.json.job_id));
    assert.equal(first.job_type, jobType);
    const id = String((first.entities as Json).image_id);
    assert.equal((await showImage(id)).status, "queued");
    assertImsError(await as(otherPid, "GET", `/v2/images/${id}`), 404, "IMG.0027");
    await advance(7);
    assert.equal((await job(String(r.json.job_id))).status, "SUCCESS");
    return showImage(id);
  };

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
  });
  after(() => hw.close());

  test("ImportImageQuick: a system disk image with its OS from os_version, and its tags", async () => {
    const r = await as(pid, "POST", "/v2/cloudimages/quickimport/action", {
      name: "imported-ubuntu",
      description: "from a qcow2",
      os_version: "Ubuntu 20.04 server 64bit",
      image_url: "my-images:ubuntu/2004.zvhd2",
      min_disk: 40,
      hw_firmware_type: "uefi",
      image_tags: [{ key: "src", value: "obs" }],
    });
    const image = await makeAndWalk(r, "imsQuickImportImage");
    assertFields(image, {
      name: "imported-ubuntu", __description: "from a qcow2", status: "active", visibility: "private", __imagetype: "private",
      owner: pid, min_disk: 40, __os_type: "Linux", __platform: "Ubuntu", __os_bit: "64", __os_version: "Ubuntu 20.04 server 64bit",
      hw_firmware_type: "uefi", virtual_env_type: "FusionCompute", __data_origin: "file,my-images:ubuntu/2004.zvhd2",
    });
    const tags = await as(pid, "GET", `/v2/${pid}/images/${String(image.id)}/tags`);
    assert.deepEqual(tags.json.tags, [{ key: "src", value: "obs" }]);

    const win = await as(pid, "POST", "/v2.1/cloudimages/quickimport/action", {
      name: "imported-windows", os_version: "Windows Server 2016 Standard 32bit", image_url: "my-images:win.raw", min_disk: 1024, tags: ["os.win"],
    });
    assertFields(await makeAndWalk(win, "imsQuickImportImage"), { __os_type: "Windows", __platform: "Windows", __os_bit: "32", min_disk: 1024, hw_firmware_type: "bios" });
  });

  test("ImportImageQuickInSafeMode and CreateDataImage(InSafeMode): data disk images", async () => {
    const quick = await as(pid, "POST", "/v2.1/cloudimages/quickimport/action", {
      name: "quick-data", image_url: "my-images:data.zvhd2", min_disk: 100, type: "DataImage", os_type: "Windows",
    });
    assertFields(await makeAndWalk(quick, "imsQuickImportImage"), { virtual_env_type: "DataImage", __os_type: "Windows", min_disk: 100 });
    for (const path of ["/v1/cloudimages/dataimages/action", "/v2.1/cloudimages/dataimages/action"]) {
      const r = await as(pid, "POST", path, { name: "data-disk", image_url: "my-images:data.qcow2", min_disk: 40, cmk_id: "" });
      assertFields(await makeAndWalk(r, "imsCreateDataImageByFile"), {
        name: "data-disk", virtual_env_type: "DataImage", __os_type: "Linux", min_disk: 40, __data_origin: "file,my-images:data.qcow2",
      });
    }
    const listed = await as(pid, "GET", "/v2/cloudimages?virtual_env_type=DataImage");
    assert.equal((listed.json.images as unknown[]).length, 3);
    assert.equal(((await as(otherPid, "GET", "/v2/cloudimages?virtual_env_type=DataImage")).json.images as unknown[]).length, 0);
  });

  test("import refusals", async () => {
    const quick = (body: unknown) => as(pid, "POST", "/v2/cloudimages/quickimport/action", body);
    const ok = { name: "x", os_version: "CentOS 7.9 64bit", image_url: "b-1:x.zvhd2", min_disk: 40 };
    assertImsError(await quick(undefined), 400, "IMG.0007");
    assertImsError(await quick({ ...ok, name: undefined }), 400, "IMG.0013");
    assertImsError(await quick({ ...ok, name: "bad/name" }), 400, "IMG.0003");
    assertImsError(await quick({ ...ok, image_url: "no-object" }), 400, "IMG.0001");
    assertImsError(await quick({ ...ok, image_url: undefined }), 400, "IMG.0001");
    assertImsError(await quick({ ...ok, os_version: undefined }), 400, "IMG.0001");
    assertImsError(await quick({ ...ok, min_disk: 0 }), 400, "IMG.0055");
    assertImsError(await quick({ ...ok, min_disk: 1025 }), 400, "IMG.0055");
    assertImsError(await quick({ ...ok, min_disk: "40" }), 400, "IMG.0055");
    assertImsError(await quick({ ...ok, type: "DataImage", min_disk: 20 }), 400, "IMG.0055");
    assertImsError(await quick({ ...ok, type: "VM" }), 400, "IMG.0001");
    assertImsError(await quick({ ...ok, tags: ["a.b"], image_tags: [{ key: "a", value: "b" }] }), 400, "IMG.0001");
    assertImsError(await quick({ ...ok, tags: ["nodot"] }), 400, "IMG.0001");
    const bms = await quick({ ...ok, type: "BMS" });
    assert.equal(bms.status, 501, bms.text);
    assert.equal((await quick({ ...ok, architecture: "arm" })).status, 501);
    const data = (body: unknown) => as(pid, "POST", "/v1/cloudimages/dataimages/action", body);
    assertImsError(await data({ name: "d", image_url: "b-1:d.qcow2", min_disk: 39 }), 400, "IMG.0055");
    assertImsError(await data({ name: "d", image_url: "b-1:d.qcow2", min_disk: 2049 }), 400, "IMG.0055");
    assertImsError(await data({ name: "d", image_url: "B_1:d", min_disk: 40 }), 400, "IMG.0001");
    assertImsError(await data({ name: "d", image_url: "b-1:d.qcow2", min_disk: 40, os_type: "Other" }), 400, "IMG.0001");
    assertImsError(await data({ image_url: "b-1:d.qcow2", min_disk: 40 }), 400, "IMG.0013");
    const before = ((await as(pid, "GET", "/v2/cloudimages?__imagetype=private")).json.images as unknown[]).length;
    assertImsError(await data({ name: "d", image_url: "b-1:d.qcow2", min_disk: 40, image_tags: [{ key: "k".repeat(37), value: "" }] }), 400, "IMG.0001");
    assert.equal(((await as(pid, "GET", "/v2/cloudimages?__imagetype=private")).json.images as unknown[]).length, before, "a refused tag leaves no image");
  });

  test("RegisterImage: the file of a queued glance image; the image saving, then active", async () => {
    const created = await as(pid, "POST", "/v2/images", { name: "registered", disk_format: "qcow2", __os_version: "Debian 12.0.0 64bit", min_disk: 40 });
    assert.equal(created.status, 201, created.text);
    const id = String(created.json.id);
    const register = (imageId: string, body: unknown, project = pid) => as(project, "PUT", `/v1/cloudimages/${imageId}/upload`, body);
    assertImsError(await register(id, { image_url: "bad" }), 400, "IMG.0001");
    assertImsError(await register(id, {}), 400, "IMG.0001");
    assertImsError(await register(id, { image_url: "b-1:f.qcow2" }, otherPid), 404, "IMG.0027");
    assertImsError(await register(UBUNTU_2204, { image_url: "b-1:f.qcow2" }), 400, "IMG.0047");

    const r = await register(id, { image_url: "my-images:debian.qcow2" });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), ["job_id"]);
    assertFields(await showImage(id), { status: "saving", __data_origin: "file,my-images:debian.qcow2" });
    assertImsError(await register(id, { image_url: "my-images:debian.qcow2" }), 400, "IMG.0046");
    const first = await job(String(r.json.job_id));
    assert.equal(first.job_type, "imsRegisterImage");
    assert.deepEqual(first.entities, { image_id: id, image_name: "registered", sub_jobs_total: 0, sub_jobs: [] });
    await advance(6);
    assert.equal((await job(String(r.json.job_id))).status, "SUCCESS");
    assertFields(await showImage(id), { status: "active", disk_format: "qcow2", __platform: "Debian" });
    assertImsError(await register(id, { image_url: "my-images:debian.qcow2" }), 400, "IMG.0046");
  });
});
