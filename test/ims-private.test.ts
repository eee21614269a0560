// IMS private images made from servers, through signed raw requests (no IMS SDK exists): a server boots, an
// image is made from it through an imsCreateImageByInstance job on hwlocal's clock (queued → saving →
// active), ECS boots a server from that image, the image is deleted; plus CreateImage's refusals.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const BOOT_SECONDS = 10;

type Json = Record<string, unknown>;

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code?: string } | undefined)?.code, code, "IMS's nested error shape");
}

describe("ims private images from servers", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;
  let vpcId: string;
  let subnetId: string;
  const h = () => ({ "X-Project-Id": pid });

  const advance = async (seconds: number) => {
    const r = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
    assert.ok(r.status < 300, r.text);
  };
  const createImage = (body: unknown, headers: Record<string, string> = h()) =>
    hw.call("POST", "/ims/v2/cloudimages/action", { headers, body });
  const imsJob = async (id: string) => {
    const r = await hw.call("GET", `/ims/v1/${pid}/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const ecsJob = async (id: string) => {
    const r = await hw.call("GET", `/ecs/v1/${pid}/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const privateImages = async () => {
    const r = await hw.call("GET", "/ims/v2/cloudimages", { headers: h(), query: { __imagetype: "private" } });
    assert.equal(r.status, 200, r.text);
    return r.json.images as Json[];
  };
  const newServer = (name: string, imageRef: string, size?: number) =>
    hw.call("POST", `/ecs/v1/${pid}/cloudservers`, {
      body: {
        server: {
          name,
          imageRef,
          flavorRef: "s6.medium.2",
          vpcid: vpcId,
          nics: [{ subnet_id: subnetId }],
          root_volume: size === undefined ? { volumetype: "SSD" } : { volumetype: "SSD", size },
        },
      },
    });
  /** Creates a server, boots it, and returns its id. */
  const bootServer = async (name: string, imageRef: string, size?: number) => {
    const r = await newServer(name, imageRef, size);
    assert.equal(r.status, 200, r.text);
    await advance(BOOT_SECONDS + 1);
    assert.equal((await ecsJob(String(r.json.job_id))).status, "SUCCESS");
    return (r.json.serverIds as string[])[0]!;
  };
  /** Makes an image and walks its job to the end; returns the image id. */
  const bakeImage = async (name: string, instanceId: string) => {
    const r = await createImage({ name, instance_id: instanceId });
    assert.equal(r.status, 200, r.text);
    await advance(6);
    const job = await imsJob(String(r.json.job_id));
    assert.equal(job.status, "SUCCESS", JSON.stringify(job));
    return String((job.entities as Json).image_id);
  };

  before(async () => {
    hw = await startTestHwlocal({ bootDelaySeconds: BOOT_SECONDS }, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    const vpc = await hw.call("POST", `/vpc/v1/${pid}/vpcs`, { body: { vpc: { name: "img-vpc", cidr: "192.168.0.0/16" } } });
    assert.equal(vpc.status, 200, vpc.text);
    vpcId = String((vpc.json.vpc as Json).id);
    const subnet = await hw.call("POST", `/vpc/v1/${pid}/subnets`, {
      body: { subnet: { name: "img-subnet", cidr: "192.168.1.0/24", gateway_ip: "192.168.1.1", vpc_id: vpcId } },
    });
    assert.equal(subnet.status, 200, subnet.text);
    subnetId = String((subnet.json.subnet as Json).id);
  });
  after(() => hw.close());

  test("an image made from a running server goes queued → saving → active, boots a server, and is deleted", async () => {
    const made = await newServer("golden", UBUNTU_2204, 50);
    assert.equal(made.status, 200, made.text);
    const serverId = (made.json.serverIds as string[])[0]!;
    assertImsError(await createImage({ name: "too-early", instance_id: serverId }), 400, "IMG.0010");
    await advance(BOOT_SECONDS + 1);

    const r = await createImage({ name: "golden v1", instance_id: serverId, description: "nginx baked in", image_tags: [{ key: "a", value: "b" }] });
    assert.equal(r.status, 200, r.text);
    const jobId = String(r.json.job_id);
    assert.deepEqual(Object.keys(r.json), ["job_id"]);

    const queued = await imsJob(jobId);
    assert.equal(queued.job_type, "imsCreateImageByInstance");
    assert.equal(queued.status, "INIT");
    const imageId = String((queued.entities as Json).image_id);
    assert.equal((queued.entities as Json).image_name, "golden v1");
    const listed = (await privateImages()).find((i) => i.id === imageId);
    assert.ok(listed, "the image is listed while it is made");
    for (const [k, v] of Object.entries({
      name: "golden v1",
      status: "queued",
      visibility: "private",
      __imagetype: "private",
      owner: pid,
      min_disk: 50,
      min_ram: 1024,
      __os_type: "Linux",
      __platform: "Ubuntu",
      __os_version: "Ubuntu 22.04 server 64bit",
      __os_bit: "64",
      __description: "nginx baked in",
      __data_origin: `instance,${serverId}`,
      protected: false,
    })) {
      assert.deepEqual(listed[k], v, k);
    }
    assertImsError(await createImage({ name: "again", instance_id: serverId }), 400, "IMG.0010");
    const early = await newServer("too-soon", imageId);
    assert.equal(early.status, 400, early.text);
    assert.equal(early.json.error_code, "Ecs.0032");
    assertImsError(await hw.call("DELETE", `/ims/v2/images/${imageId}`, { headers: h() }), 400, "IMG.0090");

    await advance(1);
    assert.equal((await imsJob(jobId)).status, "RUNNING");
    assert.equal((await privateImages()).find((i) => i.id === imageId)?.status, "saving");
    await advance(5);
    const done = await imsJob(jobId);
    assert.equal(done.status, "SUCCESS");
    assert.equal(done.error_code, null);
    assert.match(String(done.begin_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(String(done.end_time) > String(done.begin_time));
    const active = (await privateImages()).filter((i) => i.status === "active").map((i) => i.id);
    assert.deepEqual(active, [imageId]);
    const shown = await hw.call("GET", `/ims/v2/images/${imageId}`, { headers: h() });
    assert.equal(shown.json.status, "active");

    // ECS boots a server from the private image; its system disk is at least the image's min_disk.
    const small = await newServer("from-image", imageId, 40);
    assert.equal(small.status, 400, small.text);
    const child = await newServer("from-image", imageId);
    assert.equal(child.status, 200, child.text);
    await advance(BOOT_SECONDS + 1);
    assert.equal((await ecsJob(String(child.json.job_id))).status, "SUCCESS");
    const childId = (child.json.serverIds as string[])[0]!;
    const childServer = await hw.call("GET", `/ecs/v1/${pid}/cloudservers/${childId}`);
    assert.equal((childServer.json.server as Json).status, "ACTIVE");
    assert.deepEqual((childServer.json.server as Json).image, { id: imageId });

    const gone = await hw.call("DELETE", `/ims/v2/images/${imageId}`, { headers: h() });
    assert.equal(gone.status, 204, gone.text);
    assertImsError(await hw.call("GET", `/ims/v2/images/${imageId}`, { headers: h() }), 404, "IMG.0027");
    assert.deepEqual(await privateImages(), []);

    // The child's source image is gone: an image of it still succeeds, with "Other" os fields.
    const orphan = await bakeImage("orphan", childId);
    const o = await hw.call("GET", `/ims/v2/images/${orphan}`, { headers: h() });
    assert.equal(o.json.__os_type, "Other");
    assert.equal(o.json.min_disk, 50);
    assert.equal((await hw.call("DELETE", `/ims/v2/images/${orphan}`, { headers: h() })).status, 204);
  });

  test("a stopped server can be imaged; min_ram and max_ram come from the body", async () => {
    const serverId = await bootServer("to-stop", UBUNTU_2204);
    const stop = await hw.call("POST", `/ecs/v1/${pid}/cloudservers/action`, { body: { "os-stop": { servers: [{ id: serverId }] } } });
    assert.equal(stop.status, 200, stop.text);
    await advance(BOOT_SECONDS + 1);
    assert.equal(((await hw.call("GET", `/ecs/v1/${pid}/cloudservers/${serverId}`)).json.server as Json).status, "SHUTOFF");
    const r = await createImage({ name: "stopped-image", instance_id: serverId, min_ram: 2048, max_ram: 8192 });
    assert.equal(r.status, 200, r.text);
    await advance(6);
    assert.equal((await imsJob(String(r.json.job_id))).status, "SUCCESS");
    const image = (await privateImages()).find((i) => i.name === "stopped-image");
    assert.equal(image?.min_ram, 2048);
    assert.equal(image?.max_ram, "8192");
    assert.equal(image?.min_disk, 40);
    assert.equal((await hw.call("DELETE", `/ims/v2/images/${String(image?.id)}`, { headers: h() })).status, 204);
  });

  test("CreateImage refuses bad requests, missing and foreign servers with IMS's codes", async () => {
    const serverId = await bootServer("errors", UBUNTU_2204);
    const missing = "6f0e9d4c-0e2d-4d32-9d7a-0d1f0b6a8c11";
    assertImsError(await createImage({ name: "x", instance_id: missing }), 400, "IMG.0005");
    assertImsError(await createImage({ name: "x", instance_id: serverId }, { "X-Project-Id": otherPid }), 400, "IMG.0005");
    assertImsError(await createImage({ name: "bad/name", instance_id: serverId }), 400, "IMG.0003");
    assertImsError(await createImage({ name: " padded", instance_id: serverId }), 400, "IMG.0003");
    assertImsError(await createImage({ name: "", instance_id: serverId }), 400, "IMG.0003");
    assertImsError(await createImage({ name: "n".repeat(129), instance_id: serverId }), 400, "IMG.0002");
    assertImsError(await createImage({ name: 42, instance_id: serverId }), 400, "IMG.0001");
    assertImsError(await createImage({ instance_id: serverId }), 400, "IMG.0013");
    assertImsError(await createImage({ name: "no-server" }), 400, "IMG.0012");
    assertImsError(await createImage({ name: "x", instance_id: serverId, description: "<b>" }), 400, "IMG.0054");
    assertImsError(await createImage({ name: "x", instance_id: serverId, min_ram: "lots" }), 400, "IMG.0055");
    assertImsError(await createImage({ name: "x", instance_id: serverId, min_ram: 4096, max_ram: 1024 }), 400, "IMG.0055");
    assertImsError(await hw.call("POST", "/ims/v2/cloudimages/action", { headers: h() }), 400, "IMG.0007");
    assertImsError(await hw.call("POST", "/ims/v2/cloudimages/action", { headers: h(), rawBody: "{" }), 400, "IMG.0001");
    assertImsError(await createImage({ name: "x", instance_id: serverId }, {}), 403, "IMG.0030");
    assert.deepEqual(await privateImages(), [], "no refused request left an image behind");

    // The other forms of CreateImage, and full-ECS images, are refused by name.
    const unsupported: [string, unknown, RegExp][] = [
      ["/v2/cloudimages/action", { name: "f", image_url: "bucket:file.qcow2", min_disk: 40 }, /image_url/],
      ["/v2/cloudimages/action", { name: "d", volume_id: missing, os_version: "CentOS 7.9 64bit" }, /volume_id/],
      ["/v2/cloudimages/action", { data_images: [{ name: "d", volume_id: missing }] }, /data_images/],
      ["/v1/cloudimages/wholeimages/action", { name: "w", instance_id: serverId }, /CreateWholeImage/],
    ];
    for (const [path, body, what] of unsupported) {
      const r = await hw.call("POST", `/ims${path}`, { headers: h(), body });
      assert.equal(r.status, 501, r.text);
      assert.equal(r.json.error_code, "HWLOCAL.0501");
      assert.match(String(r.json.error_msg), what);
    }
    assertImsError(await hw.call("POST", "/ims/v1/cloudimages/wholeimages/action", { headers: h(), body: {} }), 400, "IMG.0013");

    // An IMS job is its project's only.
    const r = await createImage({ name: "mine", instance_id: serverId });
    assert.equal(r.status, 200, r.text);
    assertImsError(await hw.call("GET", `/ims/v1/${otherPid}/jobs/${String(r.json.job_id)}`), 404, "IMG.0023");
    assertImsError(await hw.call("GET", `/ecs/v1/${pid}/jobs/${String(r.json.job_id)}`), 404, "Ecs.0005");
  });
});
