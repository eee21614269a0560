// Login tokens through the official IAM SDK: a temporary access key with its security token buys one (in the
// X-Subject-LoginToken header), a permanent key or a wrong secret does not, an expired key says so.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateLoginTokenRequest,
  CreateLoginTokenRequestBody,
  LoginTokenAuth,
  LoginTokenSecurityToken,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

describe("IAM login tokens", () => {
  let hw: TestHwlocal;
  let cred: { access: string; secret: string; securitytoken: string };

  before(async () => {
    hw = await startTestHwlocal();
    const issued = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: { auth: { identity: { methods: ["password"], password: { user: { name: "admin", password: "Hwlocal@2026", domain: { name: "hwlocal" } } } } } },
    });
    const token = issued.headers.get("x-subject-token")!;
    const temp = await hw.call("POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", {
      creds: null,
      headers: { "X-Auth-Token": token },
      body: { auth: { identity: { methods: ["token"], token: { duration_seconds: 900 } } } },
    });
    assert.equal(temp.status, 201);
    cred = temp.json.credential as typeof cred;
  });
  after(() => hw.close());

  const request = (access: string, secret: string, id: string, seconds?: number) => {
    const st = new LoginTokenSecurityToken().withAccess(access).withSecret(secret).withId(id);
    if (seconds !== undefined) st.withDurationSeconds(seconds);
    return new CreateLoginTokenRequest().withBody(new CreateLoginTokenRequestBody().withAuth(new LoginTokenAuth().withSecuritytoken(st)));
  };

  test("a temporary key buys a login token; other keys do not", async () => {
    const client = iamClient(hw.url, { ak: cred.access, sk: cred.secret, securityToken: cred.securitytoken });
    const res = wire(await client.createLoginToken(request(cred.access, cred.secret, cred.securitytoken, 600)));
    assert.equal(res.httpStatusCode, 201);
    assert.ok(String(res["X-Subject-LoginToken"]).length > 40);
    const lt = res.logintoken as Row;
    assert.equal(lt.user_name, "admin");
    assert.equal(lt.domain_id, hw.seed.domain.id);
    // hwlocal's clock runs on between the call and this line: the expiry is ten minutes after the request.
    const left = Date.parse(String(lt.expires_at)) - hw.clock.now();
    assert.ok(left > 590_000 && left <= 600_000, String(left));

    const admin = iamClient(hw.url, hw.admin);
    const permanent = await sdkError(admin.createLoginToken(request(hw.admin.ak, hw.admin.sk, "x")));
    assert.equal(permanent.httpStatusCode, 400);
    const wrongSecret = await sdkError(admin.createLoginToken(request(cred.access, "wrong", cred.securitytoken)));
    assert.equal(wrongSecret.httpStatusCode, 400);
    const tooShort = await sdkError(admin.createLoginToken(request(cred.access, cred.secret, cred.securitytoken, 60)));
    assert.equal(tooShort.httpStatusCode, 400);
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 901 } });
    const expired = await sdkError(admin.createLoginToken(request(cred.access, cred.secret, cred.securitytoken)));
    assert.equal(expired.httpStatusCode, 400);
    assert.match(expired.errorMsg, /expired/);
  });
});
