// IMS copies, job progress and the safe-mode (/v2.1) paths through signed raw requests (no official Node SDK
// package for IMS here): CopyImageInRegion and its safe-mode twin make a queued private image that a job
// takes to active on hwlocal's clock, which ShowJobProgress reports step by step; CreateImageInSafeMode
// makes an image from a booted server, keeping its image_tags; ExportImageInSafeMode runs its job. Refusals in IMS's nested error
// shape, and tenancy: another project can neither copy the image nor read the jobs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const WEB = "0b5a3a7e-9999-4c3e-9a55-000000000001";
const BAKING = "0b5a3a7e-9999-4c3e-9a55-000000000002";
const BOOT_SECONDS = 10;

type Json = Record<string, unknown>;

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ims copies, job progress and safe mode", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  const as = (project: string, method: string, path: string, body?: unknown) =>
    hw.call(method, `/ims${path}`, { body, headers: { "X-Project-Id": project } });
  const advance = async (seconds: number) => {
    const r = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
    assert.ok(r.status < 300, r.text);
  };
  const progress = (id: string, project = pid) => as(project, "GET", `/v1/cloudimages/job/${id}`);
  const showImage = async (id: string) => {
    const r = await as(pid, "GET", `/v2/images/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: BOOT_SECONDS }, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    for (const [id, status] of [[WEB, "active"], [BAKING, "saving"]] as const) {
      new ImsStore(hw.db).insert({ id, projectId: pid, name: `src-${id.slice(-1)}`, status, minDisk: 50, minRam: 2048, maxRam: 8192,
        osType: "Linux", platform: "Ubuntu", osVersion: "Ubuntu 22.04 server 64bit", osBit: "64", imageSize: 2 ** 31,
        firmware: "uefi", now: hw.clock.now() });
    }
  });
  after(() => hw.close());

  for (const [label, path] of [["CopyImageInRegion", "/v1/cloudimages"], ["CopyImageInRegionInSafeMode", "/v2.1/cloudimages"]] as const) {
    test(`${label}: a queued copy that its job makes active, as ShowJobProgress reports`, async () => {
      const r = await as(pid, "POST", `${path}/${WEB}/copy`, { name: `copy of web ${label.length}`, description: "a copy", cmk_id: "" });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(Object.keys(r.json), ["job_id"]);
      const jobId = String(r.json.job_id);

      const init = await progress(jobId);
      assert.equal(init.status, 200, init.text);
      assert.equal(init.json.job_type, "imsCopyImageInRegion");
      assert.equal(init.json.status, "INIT");
      assert.equal(init.json.job_id, jobId);
      const entities = init.json.entities as Json;
      assert.equal(entities.process_percent, 0);
      assert.equal(entities.source_image_id, WEB);
      assert.equal(entities.sub_jobs, undefined, "sub-job lists are ShowJob's");
      const copyId = String(entities.image_id);
      assert.notEqual(copyId, WEB);
      const queued = await showImage(copyId);
      for (const [k, v] of Object.entries({ name: `copy of web ${label.length}`, __description: "a copy", status: "queued", min_disk: 50,
        min_ram: 2048, max_ram: "8192", __platform: "Ubuntu", hw_firmware_type: "uefi", __data_origin: `image,${WEB}`, owner: pid })) {
        assert.deepEqual(queued[k], v, k);
      }

      await advance(2);
      const running = await progress(jobId);
      assert.equal(running.json.status, "RUNNING");
      assert.equal((running.json.entities as Json).process_percent, 50);
      assert.equal((await showImage(copyId)).status, "saving");
      await advance(5);
      const done = await progress(jobId);
      assert.equal(done.json.status, "SUCCESS", done.text);
      assert.equal((done.json.entities as Json).process_percent, 100);
      assert.ok(done.json.end_time);
      assert.equal((await showImage(copyId)).status, "active");
      assertImsError(await progress(jobId, otherPid), 404, "IMG.0023");
    });
  }

  test("copy refusals", async () => {
    const copy = (id: string, body: unknown, project = pid) => as(project, "POST", `/v1/cloudimages/${id}/copy`, body);
    assertImsError(await copy(WEB, { description: "no name" }), 400, "IMG.0013");
    assertImsError(await copy(WEB, { name: "bad/name" }), 400, "IMG.0003");
    assertImsError(await copy(WEB, { name: "x".repeat(129) }), 400, "IMG.0002");
    assertImsError(await copy(WEB, { name: "ok", description: "a\nb" }), 400, "IMG.0054");
    assertImsError(await copy(WEB, undefined), 400, "IMG.0007");
    assertImsError(await copy(UBUNTU_2204, { name: "ok" }), 400, "IMG.0047");
    assertImsError(await copy(BAKING, { name: "ok" }), 400, "IMG.0046");
    assertImsError(await copy(WEB, { name: "ok" }, otherPid), 404, "IMG.0027");
    assertImsError(await as(pid, "POST", `/v2.1/cloudimages/${UBUNTU_2204}/copy`, { name: "ok" }), 400, "IMG.0047");
    assertImsError(await progress("0000000000000000000000000000000a"), 404, "IMG.0023");
  });

  test("ExportImageInSafeMode runs ExportImage's job", async () => {
    const r = await as(pid, "POST", `/v2.1/cloudimages/${WEB}/file`, { bucket_url: "my-bucket:web.qcow2", file_format: "qcow2" });
    assert.equal(r.status, 200, r.text);
    await advance(6);
    const done = await progress(String(r.json.job_id));
    assert.equal(done.json.job_type, "imsExportImage");
    assert.equal(done.json.status, "SUCCESS", done.text);
    assertImsError(await as(pid, "POST", `/v2.1/cloudimages/${WEB}/file`, { bucket_url: "no-object", file_format: "qcow2" }), 400, "IMG.0001");
    assertImsError(await as(otherPid, "POST", `/v2.1/cloudimages/${WEB}/file`, { bucket_url: "b-1:o", file_format: "qcow2" }), 404, "IMG.0027");
  });

  test("CreateImageInSafeMode makes an image from a booted server", async () => {
    const vpc = await hw.call("POST", `/vpc/v1/${pid}/vpcs`, { body: { vpc: { name: "img-vpc", cidr: "192.168.0.0/16" } } });
    assert.equal(vpc.status, 200, vpc.text);
    const vpcId = String((vpc.json.vpc as Json).id);
    const subnet = await hw.call("POST", `/vpc/v1/${pid}/subnets`, {
      body: { subnet: { name: "img-subnet", cidr: "192.168.1.0/24", gateway_ip: "192.168.1.1", vpc_id: vpcId } },
    });
    assert.equal(subnet.status, 200, subnet.text);
    const server = await hw.call("POST", `/ecs/v1/${pid}/cloudservers`, {
      body: { server: { name: "golden", imageRef: UBUNTU_2204, flavorRef: "s6.medium.2", vpcid: vpcId,
        nics: [{ subnet_id: String((subnet.json.subnet as Json).id) }], root_volume: { volumetype: "SSD", size: 60 } } },
    });
    assert.equal(server.status, 200, server.text);
    await advance(BOOT_SECONDS + 1);
    const serverId = (server.json.serverIds as string[])[0]!;

    const create = (body: unknown, project = pid) => as(project, "POST", "/v2.1/cloudimages/action", body);
    assertImsError(await create({ instance_id: serverId }), 400, "IMG.0013");
    assertImsError(await create({ name: "golden" }), 400, "IMG.0012");
    assertImsError(await create({ name: "golden", instance_id: serverId }, otherPid), 400, "IMG.0005");
    assertImsError(await create({ name: "golden", instance_id: serverId, tags: ["a.b"], image_tags: [{ key: "a", value: "b" }] }), 400, "IMG.0001");
    const r = await create({ name: "golden safe", instance_id: serverId, image_tags: [{ key: "role", value: "web" }] });
    assert.equal(r.status, 200, r.text);
    await advance(7);
    const done = await progress(String(r.json.job_id));
    assert.equal(done.json.job_type, "imsCreateImageByInstance");
    assert.equal(done.json.status, "SUCCESS", done.text);
    const image = await showImage(String((done.json.entities as Json).image_id));
    assert.equal(image.name, "golden safe");
    assert.equal(image.min_disk, 60);
    assert.equal(image.__data_origin, `instance,${serverId}`);
    const tags = await as(pid, "GET", `/v2/${pid}/images/${String(image.id)}/tags`);
    assert.deepEqual(tags.json.tags, [{ key: "role", value: "web" }], "CreateImage keeps image_tags as the image's tags");
  });
});
