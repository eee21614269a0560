// Huawei's vendor volume reads on /v2 and /v3 through signed raw requests (no official Node SDK package for
// EVS here): ShowVendorVolume(V3) and ListVendorVolumes(V3) give EVS's volume view over the same volumes, with
// ListVolumes' filters, paging (volumes_links under the version's own path) and EVS's error codes.
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

describe("evs vendor volumes", () => {
  let hw: TestHwlocal;
  let pid: string;
  let acmePid: string;
  const ids: string[] = [];
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });

  before(async () => {
    hw = await startTestHwlocal(
      { seed: { tenants: [{ domain: { name: "acme" }, user: { name: "root", password: "Acme@2026" }, access_key: { ...ACME }, regions: [{ id: "cn-north-4" }] }] } },
      { clock: new ManualClock(Date.now()) },
    );
    pid = hw.projectId("cn-north-4");
    acmePid = ((await hw.call("GET", "/iam/v3/projects", { creds: ACME })).json.projects as { id: string }[])[0]!.id;
    for (const name of ["v-1", "v-2", "v-3"]) {
      const r = await hw.call("POST", `/evs/v2.1/${pid}/cloudvolumes`, {
        body: { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 10, name, tags: { n: name } } },
      });
      assert.equal(r.status, 202, r.text);
      ids.push((r.json.volume_ids as string[])[0]!);
      await advance(5);
    }
  });
  after(() => hw.close());

  for (const version of ["v2", "v3"] as const) {
    test(`${version}: show and list give EVS's view; filters, paging; errors`, async () => {
      const vendor = (path: string, query?: Record<string, string>) => hw.call("GET", `/evs/${version}/${pid}/os-vendor-volumes${path}`, { query });
      const shown = await vendor(`/${ids[0]}`);
      assert.equal(shown.status, 200, shown.text);
      const evsView = (await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${ids[0]}`)).json.volume as Json;
      const volume = shown.json.volume as Json;
      assert.equal(volume.id, ids[0]);
      assert.equal(volume.name, "v-1");
      assert.equal(volume.status, "available");
      assert.deepEqual(volume.tags, { n: "v-1" });
      assert.deepEqual(Object.keys(volume).sort(), Object.keys(evsView).sort(), "the same fields as EVS's volume");

      const all = await vendor("/detail");
      assert.equal(all.status, 200, all.text);
      assert.equal(all.json.count, 3);
      assert.deepEqual((all.json.volumes as Json[]).map((v) => v.id), [...ids].reverse(), "newest first");
      assert.deepEqual(((await vendor("/detail", { name: "v-2" })).json.volumes as Json[]).map((v) => v.id), [ids[1]]);
      const paged = await vendor("/detail", { limit: "1" });
      assert.equal((paged.json.volumes as Json[]).length, 1);
      assert.equal(paged.json.count, 3);
      const link = (paged.json.volumes_links as { href: string }[])[0]!.href;
      assert.ok(link.includes(`/${version}/${pid}/os-vendor-volumes/detail?limit=1&marker=${ids[2]}`), link);

      assertEvsError(await vendor(`/${MISSING}`), 404, "EVS.5404");
      assertEvsError(await vendor("/not-a-uuid"), 400, "EVS.1002");
      assertEvsError(await vendor("/detail", { limit: "1001" }), 400, "EVS.2142");
      assertEvsError(await vendor("/detail", { sort_key: "colour" }), 400, "EVS.1039");
      const other = await hw.call("GET", `/evs/${version}/${acmePid}/os-vendor-volumes/${ids[0]}`, { creds: ACME });
      assertEvsError(other, 404, "EVS.5404");
      assert.equal((await hw.call("GET", `/evs/${version}/${acmePid}/os-vendor-volumes/detail`, { creds: ACME })).json.count, 0);
    });
  }
});
