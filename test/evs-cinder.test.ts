// Cinder v2 and v3 over EVS through signed raw requests (no official Node SDK package for EVS here): a volume
// made through cinder is "creating", then "available" by EVS's createVolume job on hwlocal's clock, and is the
// volume EVS's own API shows (and the reverse); lists with filters and paging, show, update, delete (404 for
// an unknown id or a name), actions, zones, types, quotas, and EVS's error codes for the refusals.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { volumeTypeId } from "../src/services/evs/rules.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const MISSING = "00000000-0000-4000-8000-000000000000";
type Json = Record<string, unknown>;

function assertEvsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

for (const version of ["v2", "v3"] as const) {
  describe(`cinder ${version}`, () => {
    let hw: TestHwlocal;
    let pid: string;
    const cinder = (method: string, path: string, body?: unknown) => hw.call(method, `/evs/${version}/${pid}${path}`, { body });
    const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
    const volume = async (id: string) => (await cinder("GET", `/volumes/${id}`)).json.volume as Json;
    const create = (v: Json) => cinder("POST", "/volumes", { volume: { availability_zone: "cn-north-4a", size: 10, ...v } });

    before(async () => {
      hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
      pid = hw.projectId();
    });
    after(() => hw.close());

    test("create: 202 creating, available after EVS's job; EVS's API shows it; the reverse too", async () => {
      const r = await create({ name: "data", description: "scratch", volume_type: "SSD", metadata: { purpose: "test" } });
      assert.equal(r.status, 202, r.text);
      const made = r.json.volume as Json;
      assert.equal(made.status, "creating");
      assert.equal(made.size, 10);
      assert.equal(made.volume_type, "SSD");
      assert.equal(made.availability_zone, "cn-north-4a");
      assert.ok((made.links as { href: string }[])[0]!.href.endsWith(`/${version}/${pid}/volumes/${String(made.id)}`));
      await advance(5);
      const shown = await volume(String(made.id));
      assert.equal(shown.status, "available");
      assert.deepEqual(shown.metadata, { purpose: "test" });
      const evs = await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${String(made.id)}`);
      assert.equal((evs.json.volume as Json).name, "data", "EVS's own API shows the cinder volume");

      const native = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, { body: { volume: { availability_zone: "cn-north-4b", volume_type: "SAS", size: 20, name: "native" } } });
      const nativeId = (native.json.volume_ids as string[])[0]!;
      await advance(5);
      const seen = await volume(nativeId);
      assert.deepEqual([seen.name, seen.status, seen.volume_type], ["native", "available", "SAS"], "cinder shows EVS's volume");

      const v1 = (await hw.call("GET", `/evs/v1/${pid}/volumes/${nativeId}`)).json.volume as Json;
      assert.deepEqual([v1.display_name, v1.size, v1.status], ["native", 20, "available"], "cinder v1's show");
      const plain = await create({ name: "plain" });
      assert.equal((plain.json.volume as Json).volume_type, "SATA", "no volume_type: SATA");
    });

    test("list and detail: filters, sorting, marker paging with a next link", async () => {
      const simple = await cinder("GET", "/volumes");
      assert.equal(simple.status, 200, simple.text);
      const entries = simple.json.volumes as Json[];
      assert.equal(entries.length, 3);
      assert.deepEqual(Object.keys(entries[0]!).sort(), ["id", "links", "name"]);
      const detail = (q: string) => cinder("GET", `/volumes/detail${q}`);
      assert.deepEqual(((await detail("?name=data&all_tenants=0")).json.volumes as Json[]).map((v) => v.name), ["data"]);
      assert.equal(((await detail("?status=available")).json.volumes as Json[]).length, 2);
      assert.deepEqual(((await detail("?sort=name:asc")).json.volumes as Json[]).map((v) => v.name), ["data", "native", "plain"]);
      const first = await detail("?limit=2&sort_key=name&sort_dir=asc");
      assert.equal((first.json.volumes as Json[]).length, 2);
      const next = new URL((first.json.volumes_links as { href: string }[])[0]!.href);
      assert.ok(next.pathname.endsWith(`/${version}/${pid}/volumes/detail`));
      const rest = await detail(`?limit=2&sort_key=name&sort_dir=asc&marker=${next.searchParams.get("marker")}`);
      assert.deepEqual((rest.json.volumes as Json[]).map((v) => v.name), ["plain"]);
      assert.equal(((await detail("?with_count=true")).json.count), 3);
      assertEvsError(await detail(`?marker=${MISSING}`), 400, "EVS.1024");
      assertEvsError(await detail("?status=melting"), 400, "EVS.5400");
    });

    test("update, extend, attach/detach bookkeeping, delete; 404 for an unknown id or a name", async () => {
      const list = (await cinder("GET", "/volumes/detail?name=data")).json.volumes as Json[];
      const id = String(list[0]!.id);
      const updated = await cinder("PUT", `/volumes/${id}`, { volume: { name: "data-2", description: "renamed" } });
      assert.equal(updated.status, 200, updated.text);
      assert.equal((updated.json.volume as Json).name, "data-2");
      assertEvsError(await cinder("PUT", `/volumes/${id}`, { volume: {} }), 400, "EVS.1007");

      assert.equal((await cinder("POST", `/volumes/${id}/action`, { "os-extend": { new_size: 20 } })).status, 202);
      assert.equal((await volume(id)).status, "extending");
      await advance(5);
      assert.equal((await volume(id)).size, 20);
      assertEvsError(await cinder("POST", `/volumes/${id}/action`, { "os-extend": { new_size: 10 } }), 400, "EVS.1015");

      const server = "6f0e9d4c-0e2d-4d32-9d7a-0d1f0b6a8c11";
      assert.equal((await cinder("POST", `/volumes/${id}/action`, { "os-attach": { instance_uuid: server, mountpoint: "/dev/vdb" } })).status, 202);
      const inUse = await volume(id);
      assert.equal(inUse.status, "in-use");
      assert.equal((inUse.attachments as Json[])[0]!.server_id, server);
      assertEvsError(await cinder("DELETE", `/volumes/${id}`), 400, "EVS.1046");
      assert.equal((await cinder("POST", `/volumes/${id}/action`, { "os-detach": {} })).status, 202);
      assert.equal((await volume(id)).status, "available");

      const act = (body: Json) => cinder("POST", `/volumes/${id}/action`, body);
      assert.equal((await act({ "os-reserve": null })).status, 202);
      assert.equal((await volume(id)).status, "attaching");
      assertEvsError(await act({ "os-reserve": null }), 400, "EVS.5400");
      assert.equal((await act({ "os-unreserve": {} })).status, 202);
      assert.equal((await act({ "os-reserve": null })).status, 202);
      assert.equal((await act({ "os-attach": { instance_uuid: server, mountpoint: "/dev/vdc" } })).status, 202, "a reserved volume attaches");
      assert.equal((await act({ "os-begin_detaching": null })).status, 202);
      assert.equal((await volume(id)).status, "detaching");
      assert.equal((await act({ "os-roll_detaching": null })).status, 202);
      assert.equal((await volume(id)).status, "in-use");
      assert.equal((await act({ "os-begin_detaching": null })).status, 202);
      assert.equal((await act({ "os-detach": {} })).status, 202);
      assert.equal((await volume(id)).status, "available", "the detach ends the detaching");
      assertEvsError(await act({ "os-roll_detaching": null }), 400, "EVS.5400");
      assertEvsError(await act({ "os-set_bootable": { bootable: true } }), 400, "EVS.5400");

      const deleted = await cinder("DELETE", `/volumes/${id}`);
      assert.equal(deleted.status, 202, deleted.text);
      assert.equal((await volume(id)).status, "deleting");
      await advance(5);
      assertEvsError(await cinder("GET", `/volumes/${id}`), 404, "EVS.5404");
      for (const ref of [MISSING, "data-2"]) {
        assertEvsError(await cinder("GET", `/volumes/${ref}`), 404, "EVS.5404");
        assertEvsError(await cinder("DELETE", `/volumes/${ref}`), 404, "EVS.5404");
        assertEvsError(await cinder("PUT", `/volumes/${ref}`, { volume: { name: "x" } }), 404, "EVS.5404");
      }
    });

    test("create refusals: no zone, a zone elsewhere, a size too small, an unknown type, a clone", async () => {
      assertEvsError(await cinder("POST", "/volumes", { volume: { size: 10, availability_zone: null } }), 400, "EVS.1036");
      assertEvsError(await create({ availability_zone: "ap-southeast-1a" }), 400, "EVS.1036");
      assertEvsError(await create({ size: 1 }), 400, "EVS.1010");
      assertEvsError(await create({ volume_type: "GOLD" }), 400, "EVS.1020");
      assertEvsError(await create({ source_volid: MISSING }), 400, "EVS.5400");
    });

    test("zones, types, quotas", async () => {
      const zones = (await cinder("GET", "/os-availability-zone")).json.availabilityZoneInfo as { zoneName: string; zoneState: Json }[];
      assert.ok(zones.some((z) => z.zoneName === "cn-north-4a" && z.zoneState.available === true));
      const types = (await cinder("GET", "/types")).json.volume_types as { id: string; name: string }[];
      assert.ok(types.some((t) => t.name === "SSD" && t.id === volumeTypeId("SSD")));
      const ssd = await cinder("GET", `/types/${volumeTypeId("SSD")}`);
      assert.equal((ssd.json.volume_type as Json).name, "SSD");
      assertEvsError(await cinder("GET", `/types/${MISSING}`), 404, "EVS.5404");

      const quota = (await cinder("GET", `/os-quota-sets/${pid}?usage=True`)).json.quota_set as Record<string, { limit: number; in_use: number }>;
      assert.equal(quota.volumes!.limit, 200);
      assert.equal(quota.volumes!.in_use, 2, "native and plain remain");
      assert.equal(quota.gigabytes!.in_use, 30);
      assert.equal(quota.volumes_SATA!.in_use, 1);
      const flat = (await cinder("GET", `/os-quota-sets/${pid}`)).json.quota_set as Json;
      assert.equal(flat.volumes, 200);
      assertEvsError(await cinder("GET", `/os-quota-sets/${MISSING}`), 403, "EVS.5403");
      assert.equal(((await cinder("GET", `/os-quota-sets/${pid}/defaults`)).json.quota_set as Json).gigabytes, 100_000);
      assertEvsError(await cinder("GET", `/os-quota-sets/${MISSING}/defaults`), 403, "EVS.5403");
      const limits = (await cinder("GET", "/limits")).json.limits as { rate: unknown[]; absolute: Json };
      assert.deepEqual([limits.absolute.maxTotalVolumes, limits.absolute.totalVolumesUsed, limits.absolute.totalGigabytesUsed], [200, 2, 30]);
    });
  });
}
