// EVS through signed raw requests (no official Node SDK package for EVS here): volumes created, extended and
// deleted by jobs that walk INIT → RUNNING → SUCCESS on hwlocal's clock (advanced, never slept), the lists
// with their filters and paging, updates, the deprecated Cinder attach/detach transitions, ShowJob, and EVS's
// error codes for every refusal.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { volumeTypeId } from "../src/services/evs/rules.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const UBUNTU_2204 = "24e55760-5493-4b66-b471-ddaa29f3f89f";
const SERVER_A = "6f0e9d4c-0e2d-4d32-9d7a-0d1f0b6a8c11";
const SERVER_B = "7a1f0e5d-1f3e-4e43-8e8b-1e2a1c7b9d22";
const MISSING = "00000000-0000-4000-8000-000000000000";

type Json = Record<string, unknown>;

function assertEvsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  const nested = r.json.error as { code: string; message: string } | undefined;
  assert.equal(nested?.code, code, "EVS's nested error shape");
  assert.equal(typeof nested?.message, "string");
  assert.equal(r.json.request_id, r.headers.get("x-request-id"));
}

describe("evs", () => {
  let hw: TestHwlocal;
  let pid: string;
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const create = (volume: Json, extra: Json = {}) => hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume, ...extra } });
  const blank = (more: Json = {}) => ({ availability_zone: "cn-north-4a", volume_type: "SSD", size: 10, ...more });
  const show = (id: string) => hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`);
  const volumeOf = async (id: string) => (await show(id)).json.volume as Json;
  const job = async (id: string) => (await hw.call("GET", `/evs/v1/${pid}/jobs/${id}`)).json;
  const action = (id: string, body: Json) => hw.call("POST", `/evs/v2/${pid}/volumes/${id}/action`, { body });
  const list = (query: Record<string, string> = {}) => hw.call("GET", `/evs/v2/${pid}/cloudvolumes/detail`, { query });

  /** Creates volumes and lets their job finish. */
  async function ready(volume: Json): Promise<string[]> {
    const r = await create(volume);
    assert.equal(r.status, 202, r.text);
    await advance(5);
    return r.json.volume_ids as string[];
  }

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
  });
  after(() => hw.close());

  test("CreateVolume: a createVolume job walks INIT → RUNNING → SUCCESS and the volume creating → available", async () => {
    const r = await create(blank({ name: "data-1", description: "scratch", metadata: { purpose: "test" }, tags: { env: "dev" } }));
    assert.equal(r.status, 202, r.text);
    const [id] = r.json.volume_ids as string[];
    const jobId = String(r.json.job_id);
    assert.match(jobId, /^[0-9a-f]{32}$/);
    assert.equal((await volumeOf(id!)).status, "creating");
    const queued = await job(jobId);
    assert.equal(queued.status, "INIT");
    assert.equal(queued.job_type, "createVolume");
    assert.deepEqual(queued.entities, { volume_id: id, sub_jobs_total: 0, sub_jobs: [] });
    await advance(1);
    const running = await job(jobId);
    assert.equal(running.status, "RUNNING");
    assert.match(String(running.begin_time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal((await volumeOf(id!)).status, "creating");
    await advance(3);
    const done = await job(jobId);
    assert.equal(done.status, "SUCCESS");
    assert.equal(done.error_code, null);
    assert.ok(done.end_time);

    const v = await volumeOf(id!);
    for (const [k, want] of Object.entries({
      id,
      name: "data-1",
      description: "scratch",
      status: "available",
      size: 10,
      volume_type: "SSD",
      availability_zone: "cn-north-4a",
      bootable: "false",
      multiattach: false,
      shareable: "false",
      encrypted: false,
      attachments: [],
      metadata: { purpose: "test" },
      tags: { env: "dev" },
      volume_image_metadata: {},
      "os-vol-tenant-attr:tenant_id": pid,
      "os-vol-host-attr:host": "pod01.cn-north-4#SSD",
      service_type: "EVS",
      enterprise_project_id: "0",
      snapshot_id: null,
      replication_status: "disabled",
      user_id: hw.seed.user.id,
    })) {
      assert.deepEqual(v[k], want, k);
    }
    assert.match(String(v.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const links = v.links as { href: string; rel: string }[];
    assert.deepEqual(links.map((l) => l.rel), ["self", "bookmark"]);
    assert.ok(links[0]!.href.endsWith(`/v2/${pid}/volumes/${id}`));
  });

  test("count > 1: a batchCreateVolume job with a createVolume sub-job per volume, names suffixed", async () => {
    const r = await create(blank({ name: "batch", count: 3 }));
    assert.equal(r.status, 202, r.text);
    const ids = r.json.volume_ids as string[];
    assert.equal(ids.length, 3);
    const before = await job(String(r.json.job_id));
    assert.equal(before.job_type, "batchCreateVolume");
    assert.equal(before.status, "INIT");
    await advance(4);
    const after = await job(String(r.json.job_id));
    assert.equal(after.status, "SUCCESS");
    const entities = after.entities as { sub_jobs_total: number; sub_jobs: Json[] };
    assert.equal(entities.sub_jobs_total, 3);
    assert.deepEqual(entities.sub_jobs.map((s) => (s.entities as Json).volume_id), ids);
    assert.ok(entities.sub_jobs.every((s) => s.job_type === "createVolume" && s.status === "SUCCESS"));
    const subJob = await job(String(entities.sub_jobs[0]!.job_id));
    assert.equal(subJob.status, "SUCCESS", "a sub-job is readable by its own id");
    const names = await Promise.all(ids.map(async (id) => (await volumeOf(id)).name));
    assert.deepEqual(names, ["batch-0001", "batch-0002", "batch-0003"]);
  });

  test("v3 create answers 200 with the job only; decimals of size and count are truncated", async () => {
    const r = await hw.call("POST", `/evs/v3/${pid}/cloudvolumes`, { body: { volume: blank({ size: 20.7, count: 1.9, name: "v3" }) } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), ["job_id"]);
    await advance(5);
    const id = ((await job(String(r.json.job_id))).entities as Json).volume_id as string;
    const v = await volumeOf(id);
    assert.equal(v.size, 20);
    assert.equal(v.status, "available");
  });

  test("a volume from an IMS image is bootable, carries the image's metadata and respects min_disk", async () => {
    const [id] = await ready(blank({ imageRef: UBUNTU_2204, size: 40, name: "root" }));
    const v = await volumeOf(id!);
    assert.equal(v.bootable, "true");
    const meta = v.volume_image_metadata as Json;
    assert.equal(meta.image_id, UBUNTU_2204);
    assert.equal(meta.image_name, "Ubuntu 22.04 server 64bit");
    assert.equal(meta.min_disk, "40");
    assert.equal(meta.__os_type, "Linux");
    assertEvsError(await create(blank({ imageRef: UBUNTU_2204, size: 30 })), 400, "EVS.1010");
    assertEvsError(await create(blank({ imageRef: UBUNTU_2204, size: 2000 })), 400, "EVS.1010");
    assertEvsError(await create(blank({ imageRef: MISSING, size: 40 })), 400, "EVS.2046");
    assertEvsError(await create(blank({ imageRef: UBUNTU_2204, size: 40, multiattach: true })), 400, "EVS.2094");
    assertEvsError(await create(blank({ imageRef: UBUNTU_2204, size: 40, metadata: { "hw:passthrough": "true" } })), 400, "EVS.1043");
  });

  test("CreateVolume refuses bad requests with EVS's codes", async () => {
    const cases: [Json, string, Json?][] = [
      [blank({ availability_zone: "cn-east-3a" }), "EVS.1036"],
      [blank({ volume_type: "NVME" }), "EVS.1020"],
      [blank({ size: 5 }), "EVS.1010"],
      [blank({ size: 32769 }), "EVS.1010"],
      [blank({ size: undefined }), "EVS.1010"],
      [blank({ count: 0 }), "EVS.1021"],
      [blank({ count: 101 }), "EVS.1021"],
      [blank({ snapshot_id: MISSING }), "EVS.2045"],
      [blank({ backup_id: MISSING }), "EVS.1006"],
      [blank({ imageRef: UBUNTU_2204, snapshot_id: MISSING }), "EVS.1016"],
      [blank({ name: "n".repeat(256) }), "EVS.1003"],
      [blank({ name: "n".repeat(251), count: 2 }), "EVS.1003"],
      [blank({ description: "d".repeat(256) }), "EVS.1004"],
      [blank({ metadata: { k: "v".repeat(256) } }), "EVS.1005"],
      [blank({ metadata: { "hw:passthrough": "yes" } }), "EVS.1057"],
      [blank({ metadata: { __system__encrypted: "1" } }), "EVS.5400"],
      [blank({ tags: { "bad key!": "v" } }), "EVS.1062"],
      [blank({ tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"])) }), "EVS.1061"],
      [blank({ shareable: "sometimes" }), "EVS.1054"],
      [blank({ enterprise_project_id: "default" }), "EVS.2059"],
      [blank(), "EVS.2147", { bssParam: { chargingMode: "prePaid", periodType: "month", periodNum: 1 } }],
      [blank(), "EVS.2131", { server_id: SERVER_A }],
      [blank(), "EVS.5400", { "OS-SCH-HNT:scheduler_hints": { dedicated_storage_id: MISSING } }],
      [blank({ size: "10" }), "EVS.5400"],
      [blank({ size: 20000, count: 10 }), "EVS.1042"],
    ];
    for (const [volume, code, extra] of cases) assertEvsError(await create(volume, extra), 400, code);
    assertEvsError(await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { rawBody: "{" }), 400, "EVS.5400");
    assertEvsError(await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: {} }), 400, "EVS.5400");
    assertEvsError(await hw.call("POST", `/evs/v2.1/${"0".repeat(32)}/cloudvolumes`, { body: { volume: blank() } }), 403, "EVS.5403");
  });

  test("the volume count quota (200 per project) refuses with EVS.1034", async () => {
    const other = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    try {
      const p = other.projectId("cn-north-4");
      const make = (count: number) =>
        other.call("POST", `/evs/v2.1/${p}/cloudvolumes`, { body: { volume: { availability_zone: "cn-north-4b", volume_type: "SAS", size: 10, count } } });
      assert.equal((await make(100)).status, 202);
      assert.equal((await make(100)).status, 202);
      assertEvsError(await make(1), 400, "EVS.1034");
    } finally {
      await other.close();
    }
  });

  test("ListVolumes: filters, sorting, marker/offset/limit paging, count and volumes_links", async () => {
    const ids = await ready(blank({ name: "page", count: 5, availability_zone: "cn-north-4c", volume_type: "GPSSD", metadata: { team: "blue" } }));
    const r = await list({ availability_zone: "cn-north-4c", sort_key: "name", sort_dir: "asc", limit: "2" });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.count, 5);
    const first = r.json.volumes as Json[];
    assert.deepEqual(first.map((v) => v.name), ["page-0001", "page-0002"]);
    const next = (r.json.volumes_links as { href: string; rel: string }[])[0]!;
    assert.equal(next.rel, "next");
    assert.ok(next.href.includes(`marker=${first[1]!.id}`) && next.href.includes("limit=2"));
    const second = await list({ availability_zone: "cn-north-4c", sort_key: "name", sort_dir: "asc", limit: "2", marker: String(first[1]!.id) });
    assert.deepEqual((second.json.volumes as Json[]).map((v) => v.name), ["page-0003", "page-0004"]);
    const last = await list({ availability_zone: "cn-north-4c", sort_key: "name", sort_dir: "asc", offset: "4" });
    assert.deepEqual((last.json.volumes as Json[]).map((v) => v.name), ["page-0005"]);
    assert.equal(last.json.volumes_links, undefined, "no next page");

    const names = async (q: Record<string, string>) => ((await list(q)).json.volumes as Json[]).map((v) => v.name);
    assert.deepEqual(await names({ name: "page-0003" }), ["page-0003"]);
    assert.equal((await names({ metadata: JSON.stringify({ team: "blue" }) })).length, 5);
    assert.equal((await names({ volume_type: "GPSSD" })).length, 5);
    assert.equal((await names({ volume_type_id: volumeTypeId("GPSSD") })).length, 5);
    assert.deepEqual(await names({ id: ids[2]! }), ["page-0003"]);
    assert.deepEqual((await names({ ids: JSON.stringify([ids[0], ids[4], MISSING]), sort_key: "name", sort_dir: "asc" })), ["page-0001", "page-0005"]);
    assert.ok((await names({ status: "available" })).length >= 5);
    assert.deepEqual(await names({ multiattach: "true" }), []);
    assert.deepEqual(await names({ dedicated_storage_id: MISSING }), []);
    assert.equal((await names({ enterprise_project_id: "all_granted_eps", availability_zone: "cn-north-4c" })).length, 5);
    const bySize = (await list({ sort_key: "size", sort_dir: "desc" })).json.volumes as Json[];
    const sizes = bySize.map((v) => Number(v.size));
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));

    const summary = await hw.call("GET", `/evs/v2/${pid}/cloudvolumes`, { query: { availability_zone: "cn-north-4c", limit: "1" } });
    assert.equal(summary.status, 200, summary.text);
    const entry = (summary.json.volumes as Json[])[0]!;
    assert.deepEqual(Object.keys(entry).sort(), ["id", "links", "name"]);
    assert.ok(summary.json.volumes_links);
  });

  test("ListVolumes refuses malformed queries with EVS's codes", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ limit: "0" }, "EVS.5400"],
      [{ limit: "ten" }, "EVS.5400"],
      [{ limit: "1001" }, "EVS.2142"],
      [{ offset: "-1" }, "EVS.5400"],
      [{ offset: "1.5" }, "EVS.5400"],
      [{ marker: "not-a-uuid" }, "EVS.1024"],
      [{ marker: MISSING }, "EVS.1024"],
      [{ sort_key: "colour" }, "EVS.1039"],
      [{ sort_key: "__proto__" }, "EVS.1039"],
      [{ sort_dir: "sideways" }, "EVS.1040"],
      [{ status: "sleeping" }, "EVS.5400"],
      [{ availability_zone: "mars-1a" }, "EVS.1041"],
      [{ metadata: "{not json" }, "EVS.1058"],
      [{ metadata: "[1]" }, "EVS.1058"],
      [{ multiattach: "perhaps" }, "EVS.5400"],
      [{ ids: JSON.stringify(Array.from({ length: 61 }, () => MISSING)) }, "EVS.5400"],
    ];
    for (const [q, code] of cases) assertEvsError(await list(q), 400, code);
    const twice = await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/detail?name=a&name=b`);
    assertEvsError(twice, 400, "EVS.5400");
  });

  test("ShowVolume: unknown, malformed and other projects' volume ids", async () => {
    assertEvsError(await show(MISSING), 404, "EVS.5404");
    assertEvsError(await show("not-a-volume"), 400, "EVS.1002");
    const east = hw.projectId("cn-east-3");
    const r = await hw.call("POST", `/evs/v2.1/${east}/cloudvolumes`, { body: { volume: blank({ availability_zone: "cn-east-3a" }) } });
    assert.equal(r.status, 202, r.text);
    const [eastId] = r.json.volume_ids as string[];
    assertEvsError(await show(eastId!), 404, "EVS.5404");
    assert.equal((await hw.call("GET", `/evs/v2/${east}/cloudvolumes/${eastId}`)).status, 200);
  });

  test("UpdateVolume: name, description and user metadata; EVS's own metadata stays", async () => {
    const [id] = await ready(blank({ name: "before", metadata: { "hw:passthrough": "false", owner: "a" } }));
    const put = (volume: Json) => hw.call("PUT", `/evs/v2/${pid}/cloudvolumes/${id}`, { body: { volume } });
    const r = await put({ name: "after", description: "renamed" });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, "after", "the update answers the volume's fields at the top level");
    assert.equal(r.json.description, "renamed");
    const m = await put({ metadata: { "hw:passthrough": "false", owner: "b" } });
    assert.deepEqual(m.json.metadata, { "hw:passthrough": "false", owner: "b" });
    assertEvsError(await put({}), 400, "EVS.1007");
    assertEvsError(await put({ name: null, description: null }), 400, "EVS.1007");
    assertEvsError(await put({ name: "x".repeat(256) }), 400, "EVS.1003");
    assertEvsError(await put({ description: "x".repeat(256) }), 400, "EVS.1004");
    assertEvsError(await put({ metadata: { "hw:passthrough": "true" } }), 400, "EVS.2047");
    assertEvsError(await put({ metadata: { owner: "c" } }), 400, "EVS.2047");
    assertEvsError(await hw.call("PUT", `/evs/v2/${pid}/cloudvolumes/${MISSING}`, { body: { volume: { name: "x" } } }), 404, "EVS.5404");
  });

  test("ResizeVolume: an extendVolume job, extending → available with the new size", async () => {
    const [id] = await ready(blank({ size: 10 }));
    const resize = (new_size: unknown) => hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes/${id}/action`, { body: { "os-extend": { new_size } } });
    assertEvsError(await resize(10), 400, "EVS.1015");
    assertEvsError(await resize(32769), 400, "EVS.1010");
    const r = await resize(20);
    assert.equal(r.status, 202, r.text);
    const during = await volumeOf(id!);
    assert.equal(during.status, "extending");
    assert.equal(during.size, 10);
    assertEvsError(await resize(30), 400, "EVS.1064");
    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudvolumes/${id}`), 400, "EVS.1046");
    assert.equal((await job(String(r.json.job_id))).job_type, "extendVolume");
    await advance(5);
    const after = await volumeOf(id!);
    assert.equal(after.status, "available");
    assert.equal(after.size, 20);
    assert.equal((await job(String(r.json.job_id))).status, "SUCCESS");
    assertEvsError(await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes/${MISSING}/action`, { body: { "os-extend": { new_size: 20 } } }), 404, "EVS.5404");
    assertEvsError(await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes/${id}/action`, { body: { "os-extend": {} } }), 400, "EVS.5400");
  });

  test("attach and detach: in-use exactly while attached; delete refused while in-use", async () => {
    const [id] = await ready(blank({ name: "attached" }));
    const attached = await action(id!, { "os-attach": { instance_uuid: SERVER_A, mountpoint: "/dev/vdb", host_name: "host-1" } });
    assert.equal(attached.status, 202, attached.text);
    const v = await volumeOf(id!);
    assert.equal(v.status, "in-use");
    const [a] = v.attachments as Json[];
    assert.equal(a!.server_id, SERVER_A);
    assert.equal(a!.device, "/dev/vdb");
    assert.equal(a!.host_name, "host-1");
    assert.equal(a!.volume_id, id);
    assert.match(String(a!.attachment_id), /^[0-9a-f-]{36}$/);
    assert.deepEqual(((await list({ server_id: SERVER_A })).json.volumes as Json[]).map((x) => x.id), [id]);

    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudvolumes/${id}`), 400, "EVS.1046");
    assertEvsError(await action(id!, { "os-attach": { instance_uuid: SERVER_A, mountpoint: "/dev/vdc" } }), 400, "EVS.5400");
    assertEvsError(await action(id!, { "os-attach": { instance_uuid: SERVER_B, mountpoint: "/dev/vdb" } }), 400, "EVS.5400");
    assertEvsError(await action(id!, { "os-detach": { attachment_id: MISSING } }), 400, "EVS.5400");

    // Extending an in-use volume returns it to in-use.
    const grown = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes/${id}/action`, { body: { "os-extend": { new_size: 15 } } });
    assert.equal(grown.status, 202, grown.text);
    await advance(5);
    assert.equal((await volumeOf(id!)).status, "in-use");

    const detached = await action(id!, { "os-detach": {} });
    assert.equal(detached.status, 202, detached.text);
    const free = await volumeOf(id!);
    assert.equal(free.status, "available");
    assert.deepEqual(free.attachments, []);
    assertEvsError(await action(id!, { "os-detach": {} }), 400, "EVS.5400");
  });

  test("a multiattach volume stays in-use until its last attachment goes, and is not extended while in-use", async () => {
    const [shared] = await ready(blank({ multiattach: true, name: "shared" }));
    const [other] = await ready(blank({ name: "neighbour" }));
    assert.equal((await action(shared!, { "os-attach": { instance_uuid: SERVER_A, mountpoint: "/dev/vdd" } })).status, 202);
    assert.equal((await action(shared!, { "os-attach": { instance_uuid: SERVER_B, mountpoint: "/dev/vdd" } })).status, 202);
    assertEvsError(await action(other!, { "os-attach": { instance_uuid: SERVER_A, mountpoint: "/dev/vdd" } }), 400, "EVS.5400");
    const v = await volumeOf(shared!);
    assert.equal(v.shareable, "true");
    assert.equal((v.attachments as Json[]).length, 2);
    assertEvsError(await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes/${shared}/action`, { body: { "os-extend": { new_size: 20 } } }), 400, "EVS.1065");
    assertEvsError(await action(shared!, { "os-detach": {} }), 400, "EVS.5400");
    const attachmentB = (v.attachments as Json[]).find((a) => a.server_id === SERVER_B)!.attachment_id;
    assert.equal((await action(shared!, { "os-detach": { attachment_id: attachmentB } })).status, 202);
    assert.equal((await volumeOf(shared!)).status, "in-use");
    assert.equal((await action(shared!, { "os-detach": {} })).status, 202);
    assert.equal((await volumeOf(shared!)).status, "available");
  });

  test("the Cinder action path: one action at a time, os-extend, checks and the 501 for export to image", async () => {
    const r = await create(blank({ name: "young" }));
    const [young] = r.json.volume_ids as string[];
    assertEvsError(await action(young!, { "os-attach": { instance_uuid: SERVER_A, mountpoint: "/dev/vde" } }), 400, "EVS.5400");
    await advance(5);
    assertEvsError(await action(young!, {}), 400, "EVS.5400");
    assertEvsError(await action(young!, { "os-attach": { instance_uuid: SERVER_A, mountpoint: "/dev/vde" }, "os-detach": {} }), 400, "EVS.5400");
    assertEvsError(await action(young!, { "os-attach": { instance_uuid: "server-1", mountpoint: "/dev/vde" } }), 400, "EVS.5400");
    assertEvsError(await action(young!, { "os-attach": { instance_uuid: SERVER_A, mountpoint: "/dev/vde", mode: "rwx" } }), 400, "EVS.5400");
    assertEvsError(await action(MISSING, { "os-detach": {} }), 404, "EVS.5404");
    const grown = await action(young!, { "os-extend": { new_size: 11 } });
    assert.equal(grown.status, 202, grown.text);
    assert.equal((await volumeOf(young!)).status, "extending");
    await advance(5);
    assert.equal((await volumeOf(young!)).size, 11);
    const upload = await action(young!, { "os-volume_upload_image": { image_name: "from-disk" } });
    assert.equal(upload.status, 501, upload.text);
    assert.match(String(upload.json.error_msg), /CinderExportToImage/);
  });

  test("DeleteVolume: a deleteVolume job, deleting → gone", async () => {
    const fresh = await create(blank({ name: "short-lived" }));
    const [id] = fresh.json.volume_ids as string[];
    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudvolumes/${id}`), 400, "EVS.1046");
    await advance(5);
    const r = await hw.call("DELETE", `/evs/v2/${pid}/cloudvolumes/${id}`);
    assert.equal(r.status, 200, r.text);
    const jobId = String(r.json.job_id);
    assert.equal((await volumeOf(id!)).status, "deleting");
    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudvolumes/${id}`), 400, "EVS.1046");
    assert.equal((await job(jobId)).job_type, "deleteVolume");
    await advance(4);
    assert.equal((await job(jobId)).status, "SUCCESS");
    assertEvsError(await show(id!), 404, "EVS.5404");
    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudvolumes/${id}`), 404, "EVS.5404");
    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudvolumes/bogus`), 400, "EVS.1002");
  });

  test("ShowJob answers EVS's jobs of the project only", async () => {
    assertEvsError(await hw.call("GET", `/evs/v1/${pid}/jobs/ff808081692a62c70169b4dcf9514264`), 400, "Common.0011");
    const east = hw.projectId("cn-east-3");
    const r = await hw.call("POST", `/evs/v2.1/${east}/cloudvolumes`, { body: { volume: blank({ availability_zone: "cn-east-3b" }) } });
    assertEvsError(await hw.call("GET", `/evs/v1/${pid}/jobs/${String(r.json.job_id)}`), 400, "Common.0011");
    assert.equal((await hw.call("GET", `/evs/v1/${east}/jobs/${String(r.json.job_id)}`)).status, 200);
  });
});
