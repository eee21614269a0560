// IMS's ShowImageQuota and ListOsVersions through signed raw requests (no official Node SDK package for IMS
// here): the quota counts the project's own private images only, the OS versions come from the public
// catalogue grouped by platform, and a request naming no project is refused with IMS's nested error.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../src/kernel/clock.ts";
import { ImsStore } from "../src/services/ims/store.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

type Json = Record<string, unknown>;

function assertImsError(r: CallResult, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal((r.json.error as { code: string }).code, code);
}

describe("ims quota and OS versions", () => {
  let hw: TestHwlocal;
  let pid: string;
  let otherPid: string;

  before(async () => {
    hw = await startTestHwlocal({}, { clock: new ManualClock(Date.now()) });
    hw.startService("ims"); // its table is written below, before any IMS call starts it
    pid = hw.projectId("cn-north-4");
    otherPid = hw.projectId("cn-east-3");
    const store = new ImsStore(hw.db);
    for (const [n, projectId] of [[1, pid], [2, pid], [3, otherPid]] as const) {
      store.insert({
        id: `0b5a3a7e-3333-4c3e-9a55-00000000000${n}`,
        projectId,
        name: `img-${n}`,
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
    }
  });
  after(() => hw.close());

  test("ShowImageQuota: the project's private images against the default quota", async () => {
    const r = await hw.call("GET", "/ims/v1/cloudimages/quota", { headers: { "X-Project-Id": pid } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { quotas: { resources: [{ type: "image", used: 2, quota: 100, min: 1, max: 100 }] } });
    const other = await hw.call("GET", "/ims/v1/cloudimages/quota", { headers: { "X-Project-Id": otherPid } });
    assert.equal((other.json.quotas as { resources: Json[] }).resources[0]!.used, 1);
  });

  test("ListOsVersions: the catalogue's versions by platform, tag=uefi, unknown tags empty", async () => {
    const r = await hw.call("GET", "/ims/v1/cloudimages/os_version", { headers: { "X-Project-Id": pid } });
    assert.equal(r.status, 200, r.text);
    const platforms = JSON.parse(r.text) as { platform: string; version_list: Json[] }[];
    assert.ok(Array.isArray(platforms));
    const ubuntu = platforms.find((p) => p.platform === "Ubuntu");
    assert.ok(ubuntu, r.text);
    assert.deepEqual(ubuntu.version_list.find((v) => v.os_version === "Ubuntu 22.04 server 64bit"), {
      platform: "Ubuntu",
      os_version_key: "Ubuntu 22.04 server 64bit",
      os_version: "Ubuntu 22.04 server 64bit",
      os_bit: "64",
      os_type: "Linux",
    });
    assert.ok(platforms.some((p) => p.platform === "Windows" && p.version_list.every((v) => v.os_type === "Windows")));

    const uefi = await hw.call("GET", "/ims/v1/cloudimages/os_version", { headers: { "X-Project-Id": pid }, query: { tag: "uefi" } });
    assert.equal(uefi.status, 200, uefi.text);
    assert.deepEqual(JSON.parse(uefi.text), [
      {
        platform: "Windows",
        version_list: [
          {
            platform: "Windows",
            os_version_key: "Windows Server 2022 Datacenter 64bit English",
            os_version: "Windows Server 2022 Datacenter 64bit English",
            os_bit: "64",
            os_type: "Windows",
          },
        ],
      },
    ]);
    const bms = await hw.call("GET", "/ims/v1/cloudimages/os_version", { headers: { "X-Project-Id": pid }, query: { tag: "bms" } });
    assert.deepEqual(JSON.parse(bms.text), []);
  });

  test("errors: the quota needs a project of the caller's", async () => {
    assertImsError(await hw.call("GET", "/ims/v1/cloudimages/quota"), 403, "IMG.0030");
    const r = await hw.call("GET", "/ims/v1/cloudimages/quota", { headers: { "X-Project-Id": "f".repeat(32) } });
    assertImsError(r, 403, "IMG.0030");
  });
});
