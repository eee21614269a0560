// Cinder's volume snapshots over EVS through signed raw requests (no official Node SDK package for EVS here),
// on /v2 and /v3: a snapshot is "creating", then "available" on hwlocal's clock; lists with filters and
// paging, show, update, metadata, delete; a volume made from a snapshot; a snapshot goes with its volume.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const MISSING = "00000000-0000-4000-8000-000000000000";
type Json = Record<string, unknown>;

function assertEvsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
}

for (const version of ["v2", "v3"] as const) {
  describe(`cinder ${version} snapshots`, () => {
    let hw: TestHwlocal;
    let pid: string;
    let volumeId: string;
    const cinder = (method: string, path: string, body?: unknown) => hw.call(method, `/evs/${version}/${pid}${path}`, { body });
    const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
    const snapshot = async (id: string) => (await cinder("GET", `/snapshots/${id}`)).json.snapshot as Json;
    const take = async (name: string, extra: Json = {}) => {
      const r = await cinder("POST", "/snapshots", { snapshot: { volume_id: volumeId, name, ...extra } });
      assert.equal(r.status, 202, r.text);
      return r.json.snapshot as Json;
    };

    before(async () => {
      hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
      pid = hw.projectId();
      const r = await cinder("POST", "/volumes", { volume: { availability_zone: "cn-north-4a", size: 10, name: "source", volume_type: "SSD" } });
      volumeId = String((r.json.volume as Json).id);
      await advance(5);
    });
    after(() => hw.close());

    test("create: creating, then available by the clock; show, list, detail, filters, paging", async () => {
      const made = await take("snap-1", { description: "first", metadata: { k: "v" } });
      assert.deepEqual([made.status, made.size, made.volume_id, made.name], ["creating", 10, volumeId, "snap-1"]);
      await advance(5);
      const shown = await snapshot(String(made.id));
      assert.equal(shown.status, "available");
      assert.equal(shown["os-extended-snapshot-attributes:progress"], "100%");
      assert.deepEqual(shown.metadata, { k: "v" });
      await take("snap-2");
      const all = (await cinder("GET", "/snapshots")).json.snapshots as Json[];
      assert.deepEqual(all.map((s) => s.name), ["snap-2", "snap-1"]);
      assert.deepEqual(((await cinder("GET", "/snapshots/detail?status=creating")).json.snapshots as Json[]).map((s) => s.name), ["snap-2"]);
      assert.deepEqual(((await cinder("GET", "/snapshots?name=snap-1")).json.snapshots as Json[]).map((s) => s.id), [made.id]);
      assert.equal(((await cinder("GET", `/snapshots?volume_id=${MISSING}`)).json.snapshots as Json[]).length, 0);
      const first = await cinder("GET", "/snapshots/detail?limit=1");
      const next = new URL((first.json.snapshots_links as { href: string }[])[0]!.href);
      assert.ok(next.pathname.endsWith(`/${version}/${pid}/snapshots/detail`));
      const rest = await cinder("GET", `/snapshots/detail?limit=1&marker=${next.searchParams.get("marker")}`);
      assert.deepEqual((rest.json.snapshots as Json[]).map((s) => s.name), ["snap-1"]);
      assertEvsError(await cinder("GET", `/snapshots/${MISSING}`), 404, "EVS.5404");
      assertEvsError(await cinder("GET", "/snapshots?status=melting"), 400, "EVS.5400");
    });

    test("update, metadata, delete; refusals", async () => {
      const s = await take("snap-3");
      const id = String(s.id);
      assertEvsError(await cinder("DELETE", `/snapshots/${id}`), 400, "EVS.5400");
      await advance(5);
      const updated = await cinder("PUT", `/snapshots/${id}`, { snapshot: { name: "renamed", description: "d" } });
      assert.equal((updated.json.snapshot as Json).name, "renamed", updated.text);
      assertEvsError(await cinder("PUT", `/snapshots/${id}`, { snapshot: {} }), 400, "EVS.1007");
      const meta = `/snapshots/${id}/metadata`;
      assert.deepEqual((await cinder("POST", meta, { metadata: { a: "1" } })).json.metadata, { a: "1" });
      assert.deepEqual((await cinder("PUT", `${meta}/a`, { meta: { a: "2" } })).json.meta, { a: "2" });
      assert.deepEqual((await cinder("GET", `${meta}/a`)).json.meta, { a: "2" });
      assert.deepEqual((await cinder("PUT", meta, { metadata: { b: "3" } })).json.metadata, { b: "3" });
      assert.equal((await cinder("DELETE", `${meta}/b`)).status, 200);
      assertEvsError(await cinder("GET", `${meta}/b`), 404, "EVS.5404");
      assert.deepEqual((await cinder("GET", meta)).json.metadata, {});
      assert.equal((await cinder("DELETE", `/snapshots/${id}`)).status, 202);
      assertEvsError(await cinder("GET", `/snapshots/${id}`), 404, "EVS.5404");

      assertEvsError(await cinder("POST", "/snapshots", { snapshot: { volume_id: MISSING } }), 404, "EVS.5404");
      const server = "6f0e9d4c-0e2d-4d32-9d7a-0d1f0b6a8c11";
      await cinder("POST", `/volumes/${volumeId}/action`, { "os-attach": { instance_uuid: server, mountpoint: "/dev/vdb" } });
      assertEvsError(await cinder("POST", "/snapshots", { snapshot: { volume_id: volumeId } }), 400, "EVS.5400");
      assert.equal((await cinder("POST", "/snapshots", { snapshot: { volume_id: volumeId, force: true, name: "forced" } })).status, 202);
      await cinder("POST", `/volumes/${volumeId}/action`, { "os-detach": {} });
    });

    test("a volume from a snapshot; the snapshots go with their volume", async () => {
      const s = (await cinder("GET", "/snapshots?name=snap-1")).json.snapshots as Json[];
      const snapId = String(s[0]!.id);
      assertEvsError(await cinder("POST", "/volumes", { volume: { availability_zone: "cn-north-4a", size: 5, snapshot_id: snapId } }), 400, "EVS.1010");
      assertEvsError(await cinder("POST", "/volumes", { volume: { availability_zone: "cn-north-4b", size: 20, snapshot_id: snapId } }), 400, "EVS.1036");
      assertEvsError(await cinder("POST", "/volumes", { volume: { availability_zone: "cn-north-4a", size: 20, snapshot_id: MISSING } }), 400, "EVS.2045");
      const made = await cinder("POST", "/volumes", { volume: { availability_zone: "cn-north-4a", size: 20, snapshot_id: snapId, name: "restored" } });
      assert.equal(made.status, 202, made.text);
      await advance(5);
      assert.equal(((await cinder("GET", `/volumes/${String((made.json.volume as Json).id)}`)).json.volume as Json).status, "available");

      await advance(5);
      assert.equal((await cinder("DELETE", `/volumes/${volumeId}`)).status, 202);
      await advance(5);
      assert.deepEqual((await cinder("GET", "/snapshots")).json.snapshots, []);
    });
  });
}
