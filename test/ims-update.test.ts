// UpdateImage's max_ram through signed raw requests (no official Node SDK package for IMS here): set with
// min_ram in one patch, 0 for no limit, refused below min_ram with IMS's IMG.0055 and left unchanged.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const WEB = "0b5a3a7e-6666-4c3e-9a55-000000000001";

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ims update max_ram", () => {
  let hw: TestHwlocal;
  let pid: string;
  const patch = (ops: unknown[]) =>
    hw.call("PATCH", `/ims/v2/cloudimages/${WEB}`, {
      body: ops,
      headers: { "X-Project-Id": pid, "Content-Type": "application/openstack-images-v2.1-json-patch" },
    });

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    new ImsStore(hw.db).insert({
      id: WEB,
      projectId: pid,
      name: "web",
      status: "active",
      minDisk: 40,
      minRam: 1024,
      osType: "Linux",
      platform: "Ubuntu",
      osVersion: "Ubuntu 22.04 server 64bit",
      osBit: "64",
      imageSize: 2 ** 31,
      now: hw.clock.now(),
    });
  });
  after(() => hw.close());

  test("max_ram with min_ram, 0 for no limit, refused below min_ram", async () => {
    const r = await patch([
      { op: "replace", path: "/min_ram", value: 2048 },
      { op: "replace", path: "/max_ram", value: 8192 },
    ]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.min_ram, 2048);
    assert.equal(r.json.max_ram, "8192");

    assertImsError(await patch([{ op: "replace", path: "/max_ram", value: 1024 }]), 400, "IMG.0055");
    assertImsError(await patch([{ op: "replace", path: "/max_ram", value: "lots" }]), 400, "IMG.0055");
    assertImsError(await patch([{ op: "remove", path: "/max_ram" }]), 400, "IMG.0001");
    const shown = await hw.call("GET", `/ims/v2/images/${WEB}`, { headers: { "X-Project-Id": pid } });
    assert.equal(shown.json.max_ram, "8192", "a refused patch changes nothing");

    const unlimited = await patch([{ op: "replace", path: "/max_ram", value: 0 }]);
    assert.equal(unlimited.status, 200, unlimited.text);
    assert.equal(unlimited.json.max_ram, "0");
  });
});
