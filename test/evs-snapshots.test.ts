// EVS's own snapshot reads through signed raw requests (no official Node SDK package for EVS here):
// ListSnapshots (cloudsnapshots/detail: filters, offset/limit paging, count, links) and ShowSnapshot over
// snapshots made through cinder's API, with EVS's error codes for a too-large limit, a malformed query and
// unknown or other projects' snapshots.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";
import { ACME } from "./helpers/tenancy.ts";

const MISSING = "00000000-0000-4000-8000-000000000000";
type Json = Record<string, unknown>;

function assertEvsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string } | undefined)?.code, code, "EVS's nested error shape");
  assert.equal(typeof r.json.error_msg, "string");
}

describe("evs snapshots (EVS API)", () => {
  let hw: TestHwlocal;
  let pid: string;
  let acmePid: string;
  const evs = (method: string, path: string, query?: Record<string, string>) => hw.call(method, `/evs/v2/${pid}${path}`, { query });
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const newVolume = async (zone: string) => {
    const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: zone, volume_type: "SSD", size: 10 } } });
    assert.equal(r.status, 202, r.text);
    await advance(5);
    return (r.json.volume_ids as string[])[0]!;
  };
  const newSnapshot = async (volumeId: string, name: string) => {
    const r = await hw.call("POST", `/evs/v2/${pid}/snapshots`, { body: { snapshot: { volume_id: volumeId, name } } });
    assert.equal(r.status, 202, r.text);
    await advance(1); // the next one is newer
    return String((r.json.snapshot as Json).id);
  };

  before(async () => {
    hw = await startTestHwlocal(
      { seed: { tenants: [{ domain: { name: "acme" }, user: { name: "root", password: "Acme@2026" }, access_key: { ...ACME }, regions: [{ id: "cn-north-4" }] }] } },
      { clock: new ManualClock(Date.now()) },
    );
    pid = hw.projectId("cn-north-4");
    acmePid = ((await hw.call("GET", "/iam/v3/projects", { creds: ACME })).json.projects as { id: string }[])[0]!.id;
  });
  after(() => hw.close());

  test("ListSnapshots: filters, status on the clock, paging with count and links; ShowSnapshot", async () => {
    const a = await newVolume("cn-north-4a");
    const b = await newVolume("cn-north-4b");
    const s1 = await newSnapshot(a, "one");
    const s2 = await newSnapshot(a, "two");
    const s3 = await newSnapshot(b, "three");

    const creating = await evs("GET", "/cloudsnapshots/detail", { status: "creating" });
    assert.equal(creating.status, 200, creating.text);
    assert.deepEqual((creating.json.snapshots as Json[]).map((s) => s.id), [s3, s2, s1], "still creating, newest first");
    await advance(10);

    const all = await evs("GET", "/cloudsnapshots/detail");
    assert.equal(all.json.count, 3);
    const snaps = all.json.snapshots as Json[];
    assert.deepEqual(snaps.map((s) => s.id), [s3, s2, s1], "newest first");
    assert.equal(snaps[0]!.status, "available");
    assert.equal(snaps[0]!.service_type, "EVS");
    assert.equal(snaps[0]!.volume_id, b);
    assert.equal(snaps[0]!["os-extended-snapshot-attributes:progress"], "100%");
    assert.equal(all.json.snapshots_links, undefined);

    assert.deepEqual(((await evs("GET", "/cloudsnapshots/detail", { volume_id: a })).json.snapshots as Json[]).map((s) => s.id), [s2, s1]);
    assert.deepEqual(((await evs("GET", "/cloudsnapshots/detail", { availability_zone: "cn-north-4b" })).json.snapshots as Json[]).map((s) => s.id), [s3]);
    assert.deepEqual(((await evs("GET", "/cloudsnapshots/detail", { name: "one" })).json.snapshots as Json[]).map((s) => s.id), [s1]);
    assert.deepEqual(((await evs("GET", "/cloudsnapshots/detail", { id: s2 })).json.snapshots as Json[]).map((s) => s.id), [s2]);
    assert.equal((await evs("GET", "/cloudsnapshots/detail", { status: "creating" })).json.count, 0);

    const page = await evs("GET", "/cloudsnapshots/detail", { limit: "1", offset: "1" });
    assert.deepEqual((page.json.snapshots as Json[]).map((s) => s.id), [s2]);
    assert.equal(page.json.count, 3);
    const links = page.json.snapshots_links as { href: string; rel: string }[];
    assert.equal(links[0]!.rel, "next");
    assert.match(links[0]!.href, /cloudsnapshots\/detail\?limit=1&offset=2$/);

    const shown = await evs("GET", `/cloudsnapshots/${s1}`);
    assert.equal(shown.status, 200, shown.text);
    const snap = shown.json.snapshot as Json;
    assert.equal(snap.id, s1);
    assert.equal(snap.name, "one");
    assert.equal(snap.size, 10);
    assert.equal(snap["os-extended-snapshot-attributes:project_id"], pid);
  });

  test("CreateSnapshot (202, creating then available), UpdateSnapshot, DeleteSnapshot (202); their refusals", async () => {
    const vol = await newVolume("cn-north-4a");
    const made = await hw.call("POST", `/evs/v2/${pid}/cloudsnapshots`, { body: { snapshot: { volume_id: vol, name: "evs-made", description: "d" } } });
    assert.equal(made.status, 202, made.text);
    const snap = made.json.snapshot as Json;
    assert.equal(snap.status, "creating");
    assert.equal(snap.name, "evs-made");
    assert.equal(snap.size, 10);
    assert.equal(snap.service_type, "EVS");
    const id = String(snap.id);
    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudsnapshots/${id}`), 400, "EVS.5400");
    await advance(10);
    assert.equal(((await evs("GET", `/cloudsnapshots/${id}`)).json.snapshot as Json).status, "available");
    const renamed = await hw.call("PUT", `/evs/v2/${pid}/cloudsnapshots/${id}`, { body: { snapshot: { name: "renamed" } } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal((renamed.json.snapshot as Json).name, "renamed");
    assert.equal((renamed.json.snapshot as Json).description, "d", "an update keeps what it does not name");
    assertEvsError(await hw.call("PUT", `/evs/v2/${pid}/cloudsnapshots/${id}`, { body: { snapshot: {} } }), 400, "EVS.1007");
    assertEvsError(await hw.call("PUT", `/evs/v2/${pid}/cloudsnapshots/${MISSING}`, { body: { snapshot: { name: "n" } } }), 404, "EVS.5404");
    const del = await hw.call("DELETE", `/evs/v2/${pid}/cloudsnapshots/${id}`);
    assert.equal(del.status, 202, del.text);
    assertEvsError(await evs("GET", `/cloudsnapshots/${id}`), 404, "EVS.5404");
    assertEvsError(await hw.call("DELETE", `/evs/v2/${pid}/cloudsnapshots/${id}`), 404, "EVS.5404");

    const create = (snapshot: Json) => hw.call("POST", `/evs/v2/${pid}/cloudsnapshots`, { body: { snapshot } });
    assertEvsError(await create({ volume_id: MISSING }), 404, "EVS.5404");
    assertEvsError(await create({ name: "no volume" }), 400, "EVS.5400");
    assertEvsError(await create({ volume_id: vol, name: "x".repeat(256) }), 400, "EVS.1003");
  });

  test("RollbackSnapshot and RollbackVendorSnapshot(V3): 202 {rollback}; own volume only, both available", async () => {
    const vol = await newVolume("cn-north-4a");
    const other = await newVolume("cn-north-4a");
    const id = await newSnapshot(vol, "rb");
    const back = (path: string, rollback: Json) => hw.call("POST", path, { body: { rollback } });
    const v2 = `/evs/v2/${pid}/cloudsnapshots/${id}/rollback`;
    assertEvsError(await back(v2, { volume_id: vol }), 400, "EVS.5400"); // still creating
    await advance(10);
    const done = await back(v2, { volume_id: vol, name: "restored" });
    assert.equal(done.status, 202, done.text);
    assert.deepEqual(done.json.rollback, { volume_id: vol, volume_name: "restored" });
    assert.equal(((await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${vol}`)).json.volume as Json).name, "restored");
    for (const path of [`/evs/v2/${pid}/os-vendor-snapshots/${id}/rollback`, `/evs/v3/${pid}/os-vendor-snapshots/${id}/rollback`]) {
      const r = await back(path, { volume_id: vol });
      assert.equal(r.status, 202, r.text);
      assert.deepEqual(r.json.rollback, { volume_id: vol, volume_name: "restored" });
    }
    assertEvsError(await back(v2, { volume_id: other }), 400, "EVS.5400");
    assertEvsError(await back(`/evs/v2/${pid}/cloudsnapshots/${MISSING}/rollback`, { volume_id: vol }), 404, "EVS.5404");
    assertEvsError(await back(v2, {}), 400, "EVS.5400");
  });

  test("errors: limit above 1000 EVS.2142, malformed limit EVS.5400, unknown and other project's snapshot 404", async () => {
    assertEvsError(await evs("GET", "/cloudsnapshots/detail", { limit: "1001" }), 400, "EVS.2142");
    assertEvsError(await evs("GET", "/cloudsnapshots/detail", { limit: "ten" }), 400, "EVS.5400");
    assertEvsError(await evs("GET", `/cloudsnapshots/${MISSING}`), 404, "EVS.5404");
    assertEvsError(await evs("GET", "/cloudsnapshots/not-a-uuid"), 404, "EVS.5404");
    const s = await newSnapshot(await newVolume("cn-north-4a"), "mine");
    assertEvsError(await hw.call("GET", `/evs/v2/${acmePid}/cloudsnapshots/${s}`, { creds: ACME }), 404, "EVS.5404");
    const theirs = await hw.call("GET", `/evs/v2/${acmePid}/cloudsnapshots/detail`, { creds: ACME });
    assert.equal(theirs.status, 200, theirs.text);
    assert.equal(theirs.json.count, 0, "nothing crosses projects");
  });
});
