// EVS's older /v2 cloudvolumes paths through signed raw requests (no official Node SDK package for EVS here):
// CreateVolumeV2 (202 {job_id}: the same createVolume job and volume) and ResizeVolumeV2 (202 {job_id}: the
// same extendVolume job), with EVS's error codes for bad input.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const MISSING = "00000000-0000-4000-8000-000000000000";
type Json = Record<string, unknown>;

function assertEvsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string } | undefined)?.code, code, "EVS's nested error shape");
}

describe("evs v2 create and resize paths", () => {
  let hw: TestHwlocal;
  let pid: string;
  const advance = (seconds: number) => hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } });
  const job = async (id: string) => (await hw.call("GET", `/evs/v1/${pid}/jobs/${id}`)).json;

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    pid = hw.projectId("cn-north-4");
  });
  after(() => hw.close());

  test("CreateVolumeV2 then ResizeVolumeV2: jobs succeed, the volume grows; refusals", async () => {
    const made = await hw.call("POST", `/evs/v2/${pid}/cloudvolumes`, {
      body: { volume: { availability_zone: "cn-north-4a", volume_type: "SSD", size: 10, name: "old-path" } },
    });
    assert.equal(made.status, 202, made.text);
    assert.equal(typeof made.json.job_id, "string");
    await advance(5);
    const created = await job(String(made.json.job_id));
    assert.equal(created.status, "SUCCESS", JSON.stringify(created));
    const id = String((created.entities as Json).volume_id);
    const shown = (await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`)).json.volume as Json;
    assert.equal(shown.name, "old-path");
    assert.equal(shown.status, "available");

    const grown = await hw.call("POST", `/evs/v2/${pid}/cloudvolumes/${id}/action`, { body: { "os-extend": { new_size: 20 } } });
    assert.equal(grown.status, 202, grown.text);
    await advance(5);
    assert.equal((await job(String(grown.json.job_id))).status, "SUCCESS");
    assert.equal(((await hw.call("GET", `/evs/v2/${pid}/cloudvolumes/${id}`)).json.volume as Json).size, 20);

    assertEvsError(await hw.call("POST", `/evs/v2/${pid}/cloudvolumes/${id}/action`, { body: { "os-extend": { new_size: 20 } } }), 400, "EVS.1015");
    assertEvsError(await hw.call("POST", `/evs/v2/${pid}/cloudvolumes/${MISSING}/action`, { body: { "os-extend": { new_size: 30 } } }), 404, "EVS.5404");
    assertEvsError(await hw.call("POST", `/evs/v2/${pid}/cloudvolumes/${id}/action`, { body: {} }), 400, "EVS.5400");
    assertEvsError(
      await hw.call("POST", `/evs/v2/${pid}/cloudvolumes`, { body: { volume: { availability_zone: "cn-north-4a", volume_type: "HDD", size: 10 } } }),
      400,
      "EVS.1020",
    );
  });
});
