// The operation lists in catalogue/ as clients meet them: an operation of EVS, IMS, SMN or ELB that
// hwlocal lacks answers 501 naming it (not 404), every operation hwlocal implements is in its service's
// list under the path it serves, and the coverage report counts these services against their lists.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { coverageReport } from "../src/control/coverage.ts";
import { routeKey } from "../src/kernel/catalogue.ts";
import { startTestHwlocal, type CallResult, type TestHwlocal } from "./helpers/hwlocal.ts";

const LISTED = ["ims", "evs", "eip", "as", "smn", "ces"];

function expectNotImplemented(r: CallResult, service: string, name: string): void {
  assert.equal(r.status, 501, r.text);
  assert.equal(r.json.error_code, "HWLOCAL.0501", r.text);
  assert.match(String(r.json.error_msg), new RegExp(`\\b${service} operation ${name}\\b`), r.text);
}

describe("operation lists", () => {
  let hw: TestHwlocal;
  let p: string;
  before(async () => {
    hw = await startTestHwlocal();
    p = hw.projectId();
  });
  after(() => hw.close());

  test("EVS, IMS, SMN and ELB operations hwlocal lacks answer 501 naming them", async () => {
    const volume = "00000000-0000-4000-8000-000000000001";
    expectNotImplemented(await hw.call("GET", `/evs/v3/${p}/recycle-bin-volumes/policy`), "evs", "ShowRecyclePolicy");
    expectNotImplemented(await hw.call("GET", `/evs/v3/${p}/recycle-bin-volumes/detail`), "evs", "ListVolumesInRecycle");
    expectNotImplemented(await hw.call("GET", `/evs/v3/${p}/recycle-bin-volumes/${volume}`), "evs", "ShowVolumeInRecycle");
    expectNotImplemented(await hw.call("POST", "/ims/v1/cloudimages/00000000-0000-4000-8000-000000000001/cross_region_copy", { body: {} }), "ims", "CopyImageCrossRegion");
    const topic = `urn:smn:cn-north-4:${p}:t`;
    expectNotImplemented(
      await hw.call("POST", `/smn/v2/${p}/notifications/topics/${topic}/subscriptions/from-subscription-users`, { body: { subscription_user_ids: ["x"] } }),
      "smn",
      "AddSubscriptionFromSubscriptionUser",
    );
    // Cloud Eye serves every operation of its lists; ELB not yet.
    expectNotImplemented(await hw.call("GET", `/elb/v3/${p}/elb/loadbalancers/x/local-ports`), "elb", "ShowLoadBalancerPorts");
  });

  test("every operation hwlocal implements is in its service's list, under the path it serves", () => {
    for (const s of hw.services.filter((x) => LISTED.includes(x.name))) {
      const listed = new Set(s.sdkOperations.map((e) => routeKey(e.method, e.path)));
      const unlisted = s.implemented.filter((o) => !listed.has(routeKey(o.method, o.path))).map((o) => `${o.name} ${o.method} ${o.path}`);
      assert.deepEqual(unlisted, [], s.name);
    }
  });

  test("the coverage report counts them against their lists", () => {
    const report = coverageReport(hw.services).services;
    for (const name of LISTED) {
      const c = report.find((x) => x.service === name);
      assert.ok(c && c.percent !== null && c.sdk_operations >= c.sdk_operations_covered, name);
      assert.equal(c.sdk_operations_covered + c.missing.length, c.sdk_operations, name);
    }
    const eip = report.find((x) => x.service === "eip")!;
    // v1 ListPublicips is built, v3 ListPublicips too; v3 UpdatePublicip is not, and its name is shared.
    assert.ok(eip.missing.includes("UpdatePublicip (PUT /v3/{project_id}/eip/publicips/{publicip_id})"), eip.missing.join(", "));
    assert.ok(!eip.missing.some((m) => m === "ListPublicips" || m.startsWith("ListPublicips (")), eip.missing.join(", "));
  });
});
