// IAM tokens through the official IAM SDK and plain HTTP: issue by password (project and domain scope,
// nocatalog), by token, validate, check, revoke, expiry on hwlocal's clock, and temporary access keys.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AuthScope,
  AuthScopeDomain,
  AuthScopeProject,
  CreateTemporaryAccessKeyByTokenRequest,
  CreateTemporaryAccessKeyByTokenRequestBody,
  IdentityToken,
  KeystoneCreateScopedTokenRequest,
  KeystoneCreateScopedTokenRequestBody,
  KeystoneCreateUserTokenByPasswordRequest,
  KeystoneCreateUserTokenByPasswordRequestBody,
  KeystoneListAuthDomainsRequest,
  KeystoneValidateTokenRequest,
  PwdAuth,
  PwdIdentity,
  PwdPassword,
  PwdPasswordUser,
  PwdPasswordUserDomain,
  ScopedToken,
  ScopedTokenAuth,
  ScopedTokenIdentity,
  TokenAuth,
  TokenAuthIdentity,
  TokenSocpeOption,
  ScopeProjectOption,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, sdkError, wire } from "./helpers/sdk.ts";

function passwordRequest(opts: { user: string; password: string; domain: string; project?: string; domainScope?: boolean }) {
  const auth = new PwdAuth().withIdentity(
    new PwdIdentity()
      .withMethods(["password"])
      .withPassword(
        new PwdPassword().withUser(
          new PwdPasswordUser()
            .withName(opts.user)
            .withPassword(opts.password)
            .withDomain(new PwdPasswordUserDomain().withName(opts.domain)),
        ),
      ),
  );
  if (opts.project) auth.withScope(new AuthScope().withProject(new AuthScopeProject().withName(opts.project)));
  if (opts.domainScope) auth.withScope(new AuthScope().withDomain(new AuthScopeDomain().withName(opts.domain)));
  return new KeystoneCreateUserTokenByPasswordRequest().withBody(new KeystoneCreateUserTokenByPasswordRequestBody().withAuth(auth));
}

/** A password token request for the seed admin; scope null leaves the scope out. */
const TOKEN_BODY = (password = "Hwlocal@2026", scope: unknown = { project: { name: "cn-north-4" } }) => ({
  auth: {
    identity: { methods: ["password"], password: { user: { name: "admin", password, domain: { name: "hwlocal" } } } },
    ...(scope === null ? {} : { scope }),
  },
});

describe("IAM tokens", () => {
  let hw: TestHwlocal;
  before(async () => {
    hw = await startTestHwlocal();
  });
  after(() => hw.close());

  test("the IAM SDK issues a project-scoped password token (201, X-Subject-Token, Huawei's body)", async () => {
    const client = iamClient(hw.url, hw.admin);
    const res = wire(await client.keystoneCreateUserTokenByPassword(passwordRequest({ user: "admin", password: "Hwlocal@2026", domain: "hwlocal", project: "cn-north-4" })));
    assert.equal(res.httpStatusCode, 201);
    const subject = res["X-Subject-Token"];
    assert.equal(typeof subject, "string");
    assert.ok(String(subject).length > 60);
    const token = res.token as Record<string, unknown>;
    assert.deepEqual(token.methods, ["password"]);
    assert.match(String(token.issued_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(Date.parse(String(token.expires_at)) - Date.parse(String(token.issued_at)), 24 * 3600 * 1000);
    assert.deepEqual(token.project, {
      id: hw.projectId("cn-north-4"),
      name: "cn-north-4",
      domain: { id: hw.seed.domain.id, name: "hwlocal" },
    });
    assert.deepEqual(token.roles, [{ id: "0", name: "te_admin" }]);
    const user = token.user as Record<string, unknown>;
    assert.equal(user.name, "admin");
    assert.equal(user.id, hw.seed.user.id);
    const catalog = token.catalog as { name: string; endpoints: { url: string }[] }[];
    const keystone = catalog.find((c) => c.name === "keystone");
    assert.ok(keystone, "the catalog lists Keystone");
    assert.equal(keystone.endpoints[0]!.url, `${hw.url}/iam/v3`);
    assert.equal(catalog.find((c) => c.name === "iam")?.endpoints[0]!.url, `${hw.url}/iam/v3.0`);
  });

  test("plain HTTP: an unsigned password request works, domain scope and nocatalog", async () => {
    const r = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      query: { nocatalog: "true" },
      body: TOKEN_BODY("Hwlocal@2026", { domain: { name: "hwlocal" } }),
    });
    assert.equal(r.status, 201);
    assert.ok(r.headers.get("x-subject-token"));
    assert.match(r.headers.get("x-request-id") ?? "", /^[0-9a-f]{32}$/);
    const token = r.json.token as Record<string, unknown>;
    assert.deepEqual(token.catalog, []);
    assert.deepEqual(token.domain, { id: hw.seed.domain.id, name: "hwlocal" });
    assert.equal(token.project, undefined);
    // Omitting the scope gives a domain-level token, as Huawei documents.
    const unscoped = await hw.call("POST", "/v3/auth/tokens", { creds: null, body: TOKEN_BODY("Hwlocal@2026", null) });
    assert.equal(unscoped.status, 201);
    assert.ok((unscoped.json.token as Record<string, unknown>).domain);
  });

  test("project scope by id, and a project of another name is refused", async () => {
    const ok = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: TOKEN_BODY("Hwlocal@2026", { project: { id: hw.projectId("eu-west-101") } }),
    });
    assert.equal(ok.status, 201);
    assert.equal((ok.json.token as { project: { name: string } }).project.name, "eu-west-101");
    const bad = await hw.call("POST", "/iam/v3/auth/tokens", {
      creds: null,
      body: TOKEN_BODY("Hwlocal@2026", { project: { name: "la-south-2" } }),
    });
    assert.equal(bad.status, 401);
  });

  test("a wrong password answers 401 in Keystone's shape with error_code/error_msg too", async () => {
    const r = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: TOKEN_BODY("nope") });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json.error, { code: 401, message: "The username or password is wrong.", title: "Unauthorized" });
    assert.equal(r.json.error_code, "IAM.0062");
    assert.equal(r.json.error_msg, "The username or password is wrong.");
    assert.equal(r.json.request_id, r.headers.get("x-request-id"));
    const e = await sdkError(
      iamClient(hw.url, hw.admin).keystoneCreateUserTokenByPassword(passwordRequest({ user: "admin", password: "x", domain: "hwlocal" })),
    );
    assert.equal(e.httpStatusCode, 401);
    assert.equal(e.errorMsg, "The username or password is wrong.");
  });

  test("validate through the SDK, HEAD check and DELETE revoke; a revoked token is refused at once", async () => {
    const issued = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: TOKEN_BODY() });
    const token = issued.headers.get("x-subject-token")!;
    const client = iamClient(hw.url, hw.admin);
    const v = wire(await client.keystoneValidateToken(new KeystoneValidateTokenRequest().withXSubjectToken(token).withNocatalog("true")));
    assert.equal(v.httpStatusCode, 200);
    assert.equal(v["X-Subject-Token"], token);
    assert.equal((v.token as { user: { name: string } }).user.name, "admin");

    const head = await hw.call("HEAD", "/iam/v3/auth/tokens", { creds: null, headers: { "X-Auth-Token": token, "X-Subject-Token": token } });
    assert.equal(head.status, 200);

    // The token authenticates requests until it is revoked.
    const use = await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } });
    assert.equal(use.status, 200);
    const del = await hw.call("DELETE", "/iam/v3/auth/tokens", { creds: null, headers: { "X-Auth-Token": token, "X-Subject-Token": token } });
    assert.equal(del.status, 204);
    const refused = await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } });
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error_code, "APIGW.0301");
    const gone = await sdkError(client.keystoneValidateToken(new KeystoneValidateTokenRequest().withXSubjectToken(token)));
    assert.equal(gone.httpStatusCode, 404);
    assert.equal(gone.errorMsg, "X-Subject-Token is invalid in the request.");
  });

  test("the token method re-scopes a token (KeystoneCreateScopedToken)", async () => {
    const issued = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: TOKEN_BODY("Hwlocal@2026", { domain: { name: "hwlocal" } }) });
    const domainToken = issued.headers.get("x-subject-token")!;
    const client = iamClient(hw.url, hw.admin);
    const res = wire(
      await client.keystoneCreateScopedToken(
        new KeystoneCreateScopedTokenRequest().withBody(
          new KeystoneCreateScopedTokenRequestBody().withAuth(
            new ScopedTokenAuth()
              .withIdentity(new ScopedTokenIdentity().withMethods(["token"]).withToken(new ScopedToken().withId(domainToken)))
              .withScope(new TokenSocpeOption().withProject(new ScopeProjectOption().withId(hw.projectId("cn-east-3")))),
          ),
        ),
      ),
    );
    assert.equal(res.httpStatusCode, 201);
    const token = res.token as { methods: string[]; project: { name: string } };
    assert.deepEqual(token.methods, ["token"]);
    assert.equal(token.project.name, "cn-east-3");
    assert.notEqual(res["X-Subject-Token"], domainToken);
  });

  test("a project-scoped token acts only in its project", async () => {
    const issued = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: TOKEN_BODY() });
    const token = issued.headers.get("x-subject-token")!;
    const own = await hw.call("GET", `/iam/v3/projects/${hw.projectId("cn-north-4")}`, { creds: null, headers: { "X-Auth-Token": token } });
    assert.equal(own.status, 200);
    const other = await hw.call("GET", `/iam/v3/projects/${hw.projectId("cn-east-3")}`, {
      creds: null,
      headers: { "X-Auth-Token": token, "X-Project-Id": hw.projectId("cn-east-3") },
    });
    assert.equal(other.status, 403);
    assert.equal(other.json.error_code, "IAM.0002");
  });

  test("temporary access keys from a token sign requests with X-Security-Token and expire on the clock", async () => {
    const issued = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: TOKEN_BODY() });
    const token = issued.headers.get("x-subject-token")!;
    const client = iamClient(hw.url, hw.admin);
    const res = wire(
      await client.createTemporaryAccessKeyByToken(
        new CreateTemporaryAccessKeyByTokenRequest().withBody(
          new CreateTemporaryAccessKeyByTokenRequestBody().withAuth(
            new TokenAuth().withIdentity(
              new TokenAuthIdentity().withMethods(["token"]).withToken(new IdentityToken().withId(token).withDurationSeconds(900)),
            ),
          ),
        ),
      ),
    );
    assert.equal(res.httpStatusCode, 201);
    const cred = res.credential as { access: string; secret: string; securitytoken: string; expires_at: string };
    assert.match(cred.access, /^[A-Z0-9]{20}$/);
    assert.ok(cred.securitytoken.length > 20);
    const temp = iamClient(hw.url, { ak: cred.access, sk: cred.secret, securityToken: cred.securitytoken });
    const domains = wire(await temp.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest()));
    assert.equal((domains.domains as { id: string }[])[0]!.id, hw.seed.domain.id);
    // Without its security token the temporary key does not sign.
    const noToken = await hw.call("GET", "/iam/v3/auth/domains", { creds: { ak: cred.access, sk: cred.secret } });
    assert.equal(noToken.status, 401);
    const advanced = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 901 } });
    assert.equal(advanced.status, 200);
    const expired = await sdkError(temp.keystoneListAuthDomains(new KeystoneListAuthDomainsRequest()));
    assert.equal(expired.httpStatusCode, 401);
    assert.equal(expired.errorCode, "APIGW.0301");
  });

  test("tokens expire after 24 hours of hwlocal's clock (401 APIGW.0307)", async () => {
    const issued = await hw.call("POST", "/iam/v3/auth/tokens", { creds: null, body: TOKEN_BODY() });
    const token = issued.headers.get("x-subject-token")!;
    assert.equal((await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } })).status, 200);
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 24 * 3600 } });
    const r = await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } });
    assert.equal(r.status, 401);
    assert.equal(r.json.error_code, "APIGW.0307");
    assert.equal(r.json.error_msg, "The token must be updated.");
    // AK/SK signatures keep working: X-Sdk-Date is checked against wall time, not the advanced clock.
    assert.equal((await hw.call("GET", "/iam/v3/auth/domains")).status, 200);
    // A day after expiry the engine deletes the token: it is then simply unknown.
    const rows = () => Number(hw.db.prepare("SELECT count(*) FROM iam_tokens WHERE id = ?").pluck().get(token));
    assert.equal(rows(), 1);
    await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 25 * 3600 } });
    assert.equal(rows(), 0);
    const gone = await hw.call("GET", "/iam/v3/auth/domains", { creds: null, headers: { "X-Auth-Token": token } });
    assert.equal(gone.json.error_code, "APIGW.0301");
  });

  test("an agency token of an unknown domain is refused (assume_role: test/iam-assume-role.test.ts)", async () => {
    const r = await hw.call("POST", "/iam/v3/auth/tokens", {
      body: { auth: { identity: { methods: ["assume_role"], assume_role: { domain_name: "x", agency_name: "y" } } } },
    });
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.error_code, "IAM.0004");
    assert.equal(r.json.error_msg, "Could not find domain: x.");
  });
});
