// Issue 8 §1: temporary keys (POST /v3.0/OS-CREDENTIAL/securitytokens) issued from a project-scoped token
// act only in that project, as the token does; keys issued from a domain-scoped token, or from permanent
// keys, act in every project of the domain. Checked with raw signed requests and the official VPC SDK.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListVpcsRequest } from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { startTestHwlocal } from "./helpers/hwlocal.ts";
import { sdkError } from "./helpers/sdk.ts";
import type { Credentials } from "./helpers/sign.ts";
import { adminToken, expectRefused, startTenancy, temporaryKey, type Tenancy } from "./helpers/tenancy.ts";
import { vpcClient } from "./helpers/vpc-sdk.ts";

describe("tenancy: temporary keys keep the project of the token they were issued from", () => {
  let t: Tenancy;
  before(async () => {
    t = await startTenancy();
  });
  after(() => t.hw.close());

  const servers = (creds: Credentials, project: string, headers: Record<string, string> = {}) =>
    t.hw.call("GET", `/ecs/v1/${project}/cloudservers/detail`, { creds, headers });

  test("a key issued with a token scoped to A acts in A and nowhere else", async () => {
    const key = await temporaryKey(t.hw, { token: t.tokenA });
    assert.equal((await servers(key, t.a)).status, 200);
    expectRefused(await servers(key, t.b), "Ecs.0003");
    expectRefused(await servers(key, t.x), "Ecs.0003");
    // Path A but X-Project-Id B is refused as for any credential.
    expectRefused(await servers(key, t.a, { "X-Project-Id": t.b }), "Ecs.0003");
    // Path-less: X-Project-Id B is refused, and with no project named the key acts in A.
    expectRefused(await t.hw.call("GET", "/ims/v2/cloudimages", { creds: key, headers: { "X-Project-Id": t.b } }), "IMG.0030");
    const made = await t.hw.call("POST", `/vpc/v1/${t.a}/vpcs`, { body: { vpc: { name: "in-a", cidr: "10.1.0.0/16" } } });
    assert.equal(made.status, 200, made.text);
    const imsOwn = await t.hw.call("GET", "/ims/v2/cloudimages", { creds: key, query: { __imagetype: "gold", limit: "1" } });
    assert.equal(imsOwn.status, 200, imsOwn.text);
    // Through the official SDK (which sends X-Security-Token and the project it was built with).
    const listed = await vpcClient(t.hw.url, key, t.a).listVpcs(new ListVpcsRequest());
    assert.deepEqual((listed as unknown as { vpcs: { name: string }[] }).vpcs.map((v) => v.name), ["in-a"]);
    const e = await sdkError(vpcClient(t.hw.url, key, t.b).listVpcs(new ListVpcsRequest()));
    assert.deepEqual([e.httpStatusCode, e.errorCode], [403, "VPC.2201"]);
  });

  test("a key issued by a key scoped to A, or for a body token scoped to B, keeps that project", async () => {
    const keyA = await temporaryKey(t.hw, { token: t.tokenA });
    const fromKey = await temporaryKey(t.hw, { creds: keyA });
    assert.equal((await servers(fromKey, t.a)).status, 200);
    expectRefused(await servers(fromKey, t.b), "Ecs.0003");
    // Signed with the permanent key, but issued for a token scoped to B: the key acts in B only.
    const forB = await temporaryKey(t.hw, { bodyToken: t.tokenB });
    assert.equal((await servers(forB, t.b)).status, 200);
    expectRefused(await servers(forB, t.a), "Ecs.0003");
  });

  test("keys issued from a domain-scoped token or from permanent keys act in every project of the domain, not beyond", async () => {
    for (const key of [await temporaryKey(t.hw, { token: await adminToken(t.hw, "domain") }), await temporaryKey(t.hw, {})]) {
      assert.equal((await servers(key, t.a)).status, 200);
      assert.equal((await servers(key, t.b)).status, 200);
      expectRefused(await servers(key, t.x), "Ecs.0003");
    }
  });

  test("the project survives a restart: it is stored with the key", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hwlocal-tenancy-"));
    let hw = await startTestHwlocal({ dataDir, inMemory: false });
    const key = await temporaryKey(hw, { token: await adminToken(hw, "cn-east-3") });
    await hw.close();
    hw = await startTestHwlocal({ dataDir, inMemory: false });
    try {
      const call = (p: string) => hw.call("GET", `/ecs/v1/${p}/cloudservers/detail`, { creds: key });
      assert.equal((await call(hw.projectId("cn-east-3"))).status, 200);
      expectRefused(await call(hw.projectId("cn-north-4")), "Ecs.0003");
    } finally {
      await hw.close();
    }
  });
});
