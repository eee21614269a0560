// Cinder over EVS beyond the volumes themselves, through signed raw requests (no official Node SDK package
// for EVS here), on /v2 and /v3: volume metadata (EVS's user metadata, its own keys protected), the
// extensions list, and volume transfers from one account's project to another's (the volume and its quota
// usage move; EVS's API then shows it in the receiving project).
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
}

for (const version of ["v2", "v3"] as const) {
  describe(`cinder ${version} metadata, extensions, transfers`, () => {
    let hw: TestHwlocal;
    let pid: string;
    let acmePid: string;
    const cinder = (method: string, path: string, body?: unknown) => hw.call(method, `/evs/${version}/${pid}${path}`, { body });
    const acme = (method: string, path: string, body?: unknown) => hw.call(method, `/evs/${version}/${acmePid}${path}`, { body, creds: ACME });
    const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
    const newVolume = async (name: string, metadata: Json = {}) => {
      const r = await cinder("POST", "/volumes", { volume: { availability_zone: "cn-north-4a", size: 10, name, metadata } });
      assert.equal(r.status, 202, r.text);
      await advance(5);
      return String((r.json.volume as Json).id);
    };

    before(async () => {
      hw = await startTestHwlocal(
        { seed: { tenants: [{ domain: { name: "acme" }, user: { name: "root", password: "Acme@2026" }, access_key: { ...ACME }, regions: [{ id: "cn-north-4" }] }] } },
        { clock: new ManualClock(Date.now()) },
      );
      pid = hw.projectId();
      acmePid = ((await hw.call("GET", "/iam/v3/projects", { creds: ACME })).json.projects as { id: string }[])[0]!.id;
    });
    after(() => hw.close());

    test("metadata: show, add, replace, items; EVS's own keys cannot change; 404s", async () => {
      const id = await newVolume("meta", { purpose: "test" });
      const base = `/volumes/${id}/metadata`;
      assert.deepEqual((await cinder("GET", base)).json.metadata, { purpose: "test" });
      assert.deepEqual((await cinder("POST", base, { metadata: { tier: "1" } })).json.metadata, { purpose: "test", tier: "1" });
      assert.deepEqual((await cinder("PUT", `${base}/tier`, { meta: { tier: "2" } })).json.meta, { tier: "2" });
      assert.deepEqual((await cinder("GET", `${base}/tier`)).json.meta, { tier: "2" });
      assertEvsError(await cinder("PUT", `${base}/tier`, { meta: { other: "2" } }), 400, "EVS.5400");
      assert.equal((await cinder("DELETE", `${base}/purpose`)).status, 200);
      assertEvsError(await cinder("GET", `${base}/purpose`), 404, "EVS.5404");
      assertEvsError(await cinder("DELETE", `${base}/purpose`), 404, "EVS.5404");
      assert.deepEqual((await cinder("PUT", base, { metadata: { only: "this" } })).json.metadata, { only: "this" });
      const evs = await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`);
      assert.deepEqual((evs.json.volume as Json).metadata, { only: "this" }, "EVS's own API shows cinder's metadata");
      assertEvsError(await cinder("POST", base, { metadata: { __system__encrypted: "1" } }), 400, "EVS.2047");
      assertEvsError(await cinder("GET", `/volumes/${MISSING}/metadata`), 404, "EVS.5404");
    });

    test("extensions list", async () => {
      const r = await cinder("GET", "/extensions");
      assert.equal(r.status, 200, r.text);
      const aliases = (r.json.extensions as { alias: string }[]).map((e) => e.alias);
      assert.ok(aliases.includes("os-volume-transfer") && aliases.includes("os-availability-zone"));
    });

    test("transfers: create (awaiting-transfer, auth key once), list, show, delete, accept by another account", async () => {
      const id = await newVolume("moving");
      const made = await cinder("POST", "/os-volume-transfer", { transfer: { volume_id: id, name: "to-acme" } });
      assert.equal(made.status, 202, made.text);
      const t = made.json.transfer as { id: string; auth_key: string; volume_id: string; name: string };
      assert.match(t.auth_key, /^[0-9a-f]{16}$/);
      assert.equal(((await cinder("GET", `/volumes/${id}`)).json.volume as Json).status, "awaiting-transfer");
      assertEvsError(await cinder("DELETE", `/volumes/${id}`), 400, "EVS.1046");
      assertEvsError(await cinder("POST", "/os-volume-transfer", { transfer: { volume_id: id } }), 400, "EVS.5400");

      const listed = (await cinder("GET", "/os-volume-transfer")).json.transfers as Json[];
      assert.deepEqual(listed.map((x) => [x.id, x.name, x.volume_id, x.created_at === undefined]), [[t.id, "to-acme", id, true]]);
      const detail = (await cinder("GET", "/os-volume-transfer/detail")).json.transfers as Json[];
      assert.equal(typeof detail[0]!.created_at, "string");
      assert.equal(((await cinder("GET", `/os-volume-transfer/${t.id}`)).json.transfer as Json).auth_key, undefined, "the key is shown once");
      assertEvsError(await acme("GET", `/os-volume-transfer/${t.id}`), 404, "EVS.5404");

      assertEvsError(await acme("POST", `/os-volume-transfer/${t.id}/accept`, { accept: { auth_key: "0".repeat(16) } }), 400, "EVS.5400");
      const accepted = await acme("POST", `/os-volume-transfer/${t.id}/accept`, { accept: { auth_key: t.auth_key } });
      assert.equal(accepted.status, 202, accepted.text);
      assert.equal((accepted.json.transfer as Json).volume_id, id);
      assertEvsError(await cinder("GET", `/volumes/${id}`), 404, "EVS.5404");
      const theirs = (await acme("GET", `/volumes/${id}`)).json.volume as Json;
      assert.equal(theirs.status, "available");
      const evs = await hw.call("GET", `/evs/v2/${acmePid}/cloudvolumes/${id}`, { creds: ACME });
      assert.equal((evs.json.volume as Json).name, "moving", "EVS's API shows the volume in the receiving project");
      const quota = (await acme("GET", `/os-quota-sets/${acmePid}?usage=True`)).json.quota_set as Record<string, { in_use: number }>;
      assert.equal(quota.volumes!.in_use, 1, "the usage moved with the volume");
      assert.deepEqual((await cinder("GET", "/os-volume-transfer")).json.transfers, []);
      assertEvsError(await acme("POST", `/os-volume-transfer/${t.id}/accept`, { accept: { auth_key: t.auth_key } }), 404, "EVS.5404");

      const back = await newVolume("staying");
      const cancelled = (await cinder("POST", "/os-volume-transfer", { transfer: { volume_id: back } })).json.transfer as { id: string };
      assert.equal((await cinder("DELETE", `/os-volume-transfer/${cancelled.id}`)).status, 202);
      assert.equal(((await cinder("GET", `/volumes/${back}`)).json.volume as Json).status, "available");
      assertEvsError(await cinder("DELETE", `/os-volume-transfer/${cancelled.id}`), 404, "EVS.5404");
      assertEvsError(await cinder("POST", "/os-volume-transfer", { transfer: { volume_id: MISSING } }), 404, "EVS.5404");
    });
  });
}
