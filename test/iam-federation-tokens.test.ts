// Federated tokens from OIDC ID tokens (issue 12), checked offline. The test is the identity provider: it makes
// an RSA key pair, puts the public JWK in the OpenID Connect configuration's signing_key and signs its own ID
// tokens (RS256). Through the official IAM SDK: an identity provider, a mapping (user from the email claim, the
// group fed-ecs-readers when the groups claim holds "ops"), the oidc protocol and the configuration; then
// CreateTokenWithIdToken gives a cn-north-4 token that lists servers (the group's ECS ReadOnlyAccess) and is
// refused creating a VPC and reading IAM. CreateUnscopedTokenWithIdToken is sent as core's federated
// credentials send it (unsigned, Authorization: Bearer). Refusals: bad signature, wrong issuer, wrong audience,
// expired on hwlocal's clock, alg none, unknown or disabled identity provider, no rule matching, a scope where
// the groups hold no grant.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { EcsClient, ListServersDetailsRequest } from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import {
  CreateLoginTokenRequest,
  CreateLoginTokenRequestBody,
  CreateOpenIdConnectConfig,
  CreateOpenIdConnectConfigRequest,
  CreateOpenIdConnectConfigRequestBody,
  CreateTokenWithIdTokenRequest,
  GetIdTokenAuthParams,
  GetIdTokenIdScopeBody,
  GetIdTokenIdTokenBody,
  GetIdTokenRequestBody,
  GetIdTokenScopeDomainOrProjectBody,
  IamClient,
  IdentityproviderOption,
  KeystoneAssociateGroupWithProjectPermissionRequest,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneCreateIdentityProviderRequest,
  KeystoneCreateIdentityProviderRequestBody,
  KeystoneCreateMappingRequest,
  KeystoneCreateMappingRequestBody,
  KeystoneCreateProtocolRequest,
  KeystoneCreateProtocolRequestBody,
  KeystoneCreateScopedTokenRequest,
  KeystoneCreateScopedTokenRequestBody,
  KeystoneListPermissionsRequest,
  KeystoneUpdateIdentityProviderRequest,
  KeystoneUpdateIdentityProviderRequestBody,
  KeystoneUpdateMappingRequest,
  KeystoneUpdateMappingRequestBody,
  KeystoneValidateTokenRequest,
  LoginTokenAuth,
  LoginTokenSecurityToken,
  MappingOption,
  MappingRules,
  ProtocolOption,
  RulesLocal,
  RulesLocalGroup,
  RulesLocalUser,
  RulesRemote,
  ScopeDomainOption,
  ScopedToken,
  ScopedTokenAuth,
  ScopedTokenIdentity,
  ScopeProjectOption,
  TokenSocpeOption,
  UpdateIdentityproviderOption,
  UpdateOpenIdConnectConfig,
  UpdateOpenIdConnectConfigRequest,
  UpdateOpenIdConnectConfigRequestBody,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { b64, jwt } from "./helpers/oidc-idp.ts";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

const IDP = "corp-oidc";
const ISSUER = "https://idp.corp.example";
const CLIENT = "hwlocal-client";
const GROUP = "fed-ecs-readers";


describe("IAM federated tokens from OIDC ID tokens", () => {
  let hw: TestHwlocal;
  let admin: IamClient;
  let groupId: string;
  const idp = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 });

  /** The claims of alice in ops, valid for an hour from hwlocal's now. */
  const claims = (extra: Row = {}): Row => {
    const now = Math.floor(hw.clock.now() / 1000);
    return { iss: ISSUER, aud: [CLIENT, "other"], sub: "u-1", email: "alice@corp.example", groups: ["dev", "ops"], iat: now, exp: now + 3600, ...extra };
  };
  const idToken = (extra: Row = {}) => jwt(claims(extra), idp.privateKey);

  const scoped = (token: string, scope?: GetIdTokenIdScopeBody, idpId = IDP) => {
    const auth = new GetIdTokenAuthParams().withIdToken(new GetIdTokenIdTokenBody().withId(token));
    if (scope) auth.withScope(scope);
    return admin.createTokenWithIdToken(new CreateTokenWithIdTokenRequest().withXIdpId(idpId).withBody(new GetIdTokenRequestBody().withAuth(auth)));
  };
  const project = (name: string) => new GetIdTokenIdScopeBody().withProject(new GetIdTokenScopeDomainOrProjectBody().withName(name));

  /** CreateUnscopedTokenWithIdToken as core's federated credentials send it: unsigned, Authorization: Bearer, body {}. */
  const unscoped = (authorization: string, idpId = IDP, protocol = "oidc") =>
    hw.call("POST", `/iam/v3/OS-FEDERATION/identity_providers/${idpId}/protocols/${protocol}/auth`, { creds: null, headers: { Authorization: authorization }, body: {} });

  const refusal = async (token: string) => {
    const e = await sdkError(scoped(token, project("cn-north-4")));
    return { status: e.httpStatusCode, code: e.errorCode, msg: e.errorMsg };
  };

  before(async () => {
    hw = await startTestHwlocal();
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
    const group = wire(await admin.keystoneCreateGroup(new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName(GROUP)))));
    groupId = String((group.group as Row).id);
    const roles = wire(await admin.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName("ECS ReadOnlyAccess"))).roles as Row[];
    // {project_id} comes from the credentials (BasicCredentials).
    await iamProjectClient(hw.url, { ...hw.admin, projectId: hw.projectId() }).keystoneAssociateGroupWithProjectPermission(
      new KeystoneAssociateGroupWithProjectPermissionRequest().withGroupId(groupId).withRoleId(String(roles[0]!.id)),
    );
    await admin.keystoneCreateIdentityProvider(
      new KeystoneCreateIdentityProviderRequest().withId(IDP).withBody(new KeystoneCreateIdentityProviderRequestBody().withIdentityProvider(new IdentityproviderOption().withSsoType("virtual_user_sso").withEnabled(true))),
    );
    const rule = new MappingRules()
      .withLocal([new RulesLocal().withUser(new RulesLocalUser().withName("{0}")), new RulesLocal().withGroup(new RulesLocalGroup().withName(GROUP))])
      .withRemote([new RulesRemote().withType("email"), new RulesRemote().withType("groups").withAnyOneOf(["ops"])]);
    await admin.keystoneCreateMapping(new KeystoneCreateMappingRequest().withId("oidc-map").withBody(new KeystoneCreateMappingRequestBody().withMapping(new MappingOption().withRules([rule]))));
    await admin.keystoneCreateProtocol(
      new KeystoneCreateProtocolRequest().withIdpId(IDP).withProtocolId("oidc").withBody(new KeystoneCreateProtocolRequestBody().withProtocol(new ProtocolOption().withMappingId("oidc-map"))),
    );
    const jwk = { ...idp.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" };
    const config = new CreateOpenIdConnectConfig().withAccessMode("program").withIdpUrl(ISSUER).withClientId(CLIENT).withSigningKey(JSON.stringify({ keys: [jwk] }));
    const created = wire(await admin.createOpenIdConnectConfig(new CreateOpenIdConnectConfigRequest().withIdpId(IDP).withBody(new CreateOpenIdConnectConfigRequestBody().withOpenidConnectConfig(config))));
    assert.equal(created.httpStatusCode, 201);
  });
  after(() => hw.close());

  test("CreateTokenWithIdToken: a cn-north-4 token of the mapped user and group", async () => {
    const res = wire(await scoped(idToken(), project("cn-north-4")));
    assert.equal(res.httpStatusCode, 201);
    assert.match(String(res["X-Subject-Token"]), /^MII/);
    const token = res.token as Row;
    assert.deepEqual(token.methods, ["mapped"]);
    const domain = { id: hw.seed.domain.id, name: hw.seed.domain.name };
    assert.deepEqual(token.project, { id: hw.projectId(), name: "cn-north-4", domain });
    // ECS ReadOnlyAccess, by its role name.
    assert.deepEqual(token.roles, [{ id: "0", name: "system_all_8" }]);
    const user = token.user as Row;
    assert.equal(user.name, "alice@corp.example");
    assert.match(String(user.id), /^[0-9a-f]{32}$/);
    assert.deepEqual(user.domain, domain);
    assert.deepEqual(user["OS-FEDERATION"], { identity_provider: { id: IDP }, protocol: { id: "oidc" }, groups: [{ id: groupId }] });
    assert.ok((token.catalog as Row[]).some((c) => c.type === "compute"));
    // The same user name gives the same federated user id.
    const again = wire(await scoped(idToken(), project("cn-north-4")));
    assert.equal(((again.token as Row).user as Row).id, user.id);
  });

  test("the federated token acts by its group's grants: lists servers, may not create a VPC nor read IAM", async () => {
    const res = wire(await scoped(idToken(), project("cn-north-4")));
    const as = (method: string, path: string, body?: unknown) => hw.call(method, path, { creds: null, headers: { "X-Auth-Token": String(res["X-Subject-Token"]) }, body });
    const p = hw.projectId();
    const servers = await as("GET", `/ecs/v1/${p}/cloudservers/detail`);
    assert.equal(servers.status, 200, servers.text);
    assert.equal(servers.json.count, 0);
    const vpc = await as("POST", `/vpc/v1/${p}/vpcs`, { vpc: { name: "fed", cidr: "10.0.0.0/16" } });
    assert.equal(vpc.status, 403, vpc.text);
    assert.match(String(vpc.json.error_msg), /vpc:vpcs:create/);
    // IAM: the group holds no IAM grant (the gateway refuses), and a federated user is never in the admin group.
    const projects = await as("GET", "/iam/v3/projects");
    assert.equal(projects.status, 403, projects.text);
    assert.equal(projects.json.error_code, "IAM.0003");
    const users = await as("GET", "/iam/v3/users");
    assert.equal(users.status, 403, users.text);
    assert.equal(users.json.error_code, "IAM.0002");
    // Another region's project of the same domain: the token is scoped to cn-north-4.
    const east = await as("GET", `/ecs/v1/${hw.projectId("cn-east-3")}/cloudservers/detail`);
    assert.equal(east.status, 403, east.text);
  });

  test("CreateUnscopedTokenWithIdToken: Authorization: Bearer <id_token> gives an unscoped federated token", async () => {
    const res = await unscoped(`Bearer ${idToken()}`);
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get("x-subject-token") ?? "", /^MII/);
    const token = res.json.token as Row;
    assert.deepEqual(token.methods, ["mapped"]);
    assert.deepEqual(token.roles, []);
    assert.deepEqual(token.catalog, []);
    assert.equal(token.project, undefined);
    assert.deepEqual(((token.user as Row)["OS-FEDERATION"] as Row).groups, [{ id: groupId }]);
    // Its projects (what a scoped token may ask for): those where its groups hold a grant.
    const projects = await hw.call("GET", "/iam/v3/auth/projects", { creds: null, headers: { "X-Auth-Token": res.headers.get("x-subject-token")! } });
    assert.equal(projects.status, 200, projects.text);
    assert.deepEqual((projects.json.projects as Row[]).map((p) => p.id), [hw.projectId()]);
    // …and Keystone's OS-FEDERATION listing, meant for exactly such a token, says the same.
    const federated = await hw.call("GET", "/iam/v3/OS-FEDERATION/projects", { creds: null, headers: { "X-Auth-Token": res.headers.get("x-subject-token")! } });
    assert.equal(federated.status, 200, federated.text);
    assert.deepEqual((federated.json.projects as Row[]).map((p) => p.id), [hw.projectId()]);
    // An unscoped token carries no grants: it serves to get a scoped token or a temporary key.
    const servers = await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/detail`, { creds: null, headers: { "X-Auth-Token": res.headers.get("x-subject-token")! } });
    assert.equal(servers.status, 403, servers.text);

    const noBearer = await unscoped(idToken());
    assert.equal(noBearer.status, 401, noBearer.text);
    assert.equal(noBearer.json.error_code, "IAM.0001");
    const saml = await unscoped(`Bearer ${idToken()}`, IDP, "saml");
    assert.equal(saml.status, 400, saml.text);
    const forged = await unscoped(`Bearer ${jwt(claims(), stranger.privateKey)}`);
    assert.equal(forged.status, 401, forged.text);
    assert.match(String(forged.json.error_msg), /signature/);
  });

  test("an unscoped federated token is rescoped (KeystoneCreateScopedToken), validated and revoked", async () => {
    const res = await unscoped(`Bearer ${idToken()}`);
    const unscopedId = res.headers.get("x-subject-token")!;
    const body = new KeystoneCreateScopedTokenRequestBody().withAuth(
      new ScopedTokenAuth()
        .withIdentity(new ScopedTokenIdentity().withMethods(["token"]).withToken(new ScopedToken().withId(unscopedId)))
        .withScope(new TokenSocpeOption().withProject(new ScopeProjectOption().withId(hw.projectId()))),
    );
    const rescoped = wire(await admin.keystoneCreateScopedToken(new KeystoneCreateScopedTokenRequest().withBody(body)));
    assert.equal(rescoped.httpStatusCode, 201);
    const token = rescoped.token as Row;
    assert.deepEqual(token.methods, ["token"]);
    assert.equal((token.project as Row).id, hw.projectId());
    assert.deepEqual(token.roles, [{ id: "0", name: "system_all_8" }]);
    assert.equal((token.user as Row).name, "alice@corp.example");
    assert.equal(token.expires_at, (res.json.token as Row).expires_at);
    const id = String(rescoped["X-Subject-Token"]);
    const servers = await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/detail`, { creds: null, headers: { "X-Auth-Token": id } });
    assert.equal(servers.status, 200, servers.text);

    // The administrator validates it; the federated user revokes it itself.
    const shown = wire(await admin.keystoneValidateToken(new KeystoneValidateTokenRequest().withXSubjectToken(id).withNocatalog("true")));
    assert.deepEqual(((shown.token as Row).user as Row)["OS-FEDERATION"], { identity_provider: { id: IDP }, protocol: { id: "oidc" }, groups: [{ id: groupId }] });
    assert.deepEqual((shown.token as Row).catalog, []);
    const revoked = await hw.call("DELETE", "/iam/v3/auth/tokens", { creds: null, headers: { "X-Auth-Token": id, "X-Subject-Token": id } });
    assert.equal(revoked.status, 204, revoked.text);
    const after = await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/detail`, { creds: null, headers: { "X-Auth-Token": id } });
    assert.equal(after.status, 401, after.text);
    // A scope where the group holds no grant is refused, as for the ID token.
    const domainBody = new KeystoneCreateScopedTokenRequestBody().withAuth(
      new ScopedTokenAuth()
        .withIdentity(new ScopedTokenIdentity().withMethods(["token"]).withToken(new ScopedToken().withId(unscopedId)))
        .withScope(new TokenSocpeOption().withDomain(new ScopeDomainOption().withId(hw.seed.domain.id))),
    );
    const refused = await sdkError(admin.keystoneCreateScopedToken(new KeystoneCreateScopedTokenRequest().withBody(domainBody)));
    // Keystone's envelope on /v3: the SDK reads error.code, the status as a number.
    assert.deepEqual([refused.httpStatusCode, refused.errorCode], [401, 401]);
    assert.match(refused.errorMsg, /no permission on the domain/);
  });

  test("core's federated credentials (withIdpId + withIdTokenFile): the ECS SDK lists servers with the key it gets", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "hwlocal-idtoken-")), "id_token");
    writeFileSync(file, idToken());
    const cred = new BasicCredentials().withIdpId(IDP).withIdTokenFile(file).withProjectId(hw.projectId()).withIamEndpoint(`${hw.url}/iam`);
    const ecs = EcsClient.newBuilder().withCredential(cred).withEndpoint(`${hw.url}/ecs`).build();
    const servers = wire(await ecs.listServersDetails(new ListServersDetailsRequest()));
    assert.equal(servers.httpStatusCode, 200);
    assert.equal(servers.count, 0);
    // The temporary key acts as the federated user: ECS ReadOnlyAccess does not create.
    const vpc = await hw.call("POST", `/vpc/v1/${hw.projectId()}/vpcs`, {
      creds: { ak: String(cred.getAk()), sk: String(cred.getSk()), securityToken: String(cred.getSecurityToken()) },
      body: { vpc: { name: "fed", cidr: "10.0.0.0/16" } },
    });
    assert.equal(vpc.status, 403, vpc.text);
    assert.match(String(vpc.json.error_msg), /vpc:vpcs:create/);
    // The key buys a console login token of the federated user (CreateLoginToken, signed with the key itself).
    const key = { ak: String(cred.getAk()), sk: String(cred.getSk()), securityToken: String(cred.getSecurityToken()) };
    const st = new LoginTokenSecurityToken().withAccess(key.ak).withSecret(key.sk).withId(key.securityToken);
    const login = wire(await iamClient(hw.url, key).createLoginToken(new CreateLoginTokenRequest().withBody(new CreateLoginTokenRequestBody().withAuth(new LoginTokenAuth().withSecuritytoken(st)))));
    assert.equal(login.httpStatusCode, 201);
    assert.ok(String(login["X-Subject-LoginToken"]).length > 40);
    assert.equal((login.logintoken as Row).user_name, "alice@corp.example");
    assert.equal((login.logintoken as Row).domain_id, hw.seed.domain.id);
  });

  test("refused: bad signature, wrong issuer or audience, alg none, no rule matching", async () => {
    const forged = await refusal(jwt(claims(), stranger.privateKey));
    assert.deepEqual([forged.status, forged.code], [401, "IAM.0001"]);
    assert.match(forged.msg, /signature does not verify/);
    const tampered = idToken().split(".");
    tampered[1] = b64(claims({ email: "mallory@corp.example" }));
    assert.match((await refusal(tampered.join("."))).msg, /signature does not verify/);
    const issuer = await refusal(idToken({ iss: "https://evil.example" }));
    assert.deepEqual([issuer.status, issuer.code], [401, "IAM.0001"]);
    assert.match(issuer.msg, /issuer/);
    const audience = await refusal(idToken({ aud: "someone-else" }));
    assert.equal(audience.status, 401);
    assert.match(audience.msg, /audience/);
    const none = await refusal(jwt(claims(), idp.privateKey, { alg: "none" }));
    assert.equal(none.status, 401);
    assert.match(none.msg, /algorithm none/);
    const notYet = await refusal(idToken({ nbf: Math.floor(hw.clock.now() / 1000) + 600 }));
    assert.match(notYet.msg, /not valid yet/);
    const sales = await refusal(idToken({ groups: ["sales"] }));
    assert.deepEqual([sales.status, sales.code], [401, "IAM.0001"]);
    assert.match(sales.msg, /no rule of the mapping oidc-map/);
    const noEmail = await refusal(idToken({ email: undefined }));
    assert.match(noEmail.msg, /no rule/);
  });

  test("refused: a domain scope where the group holds no grant, an unknown identity provider, no X-Idp-Id", async () => {
    const domainScope = new GetIdTokenIdScopeBody().withDomain(new GetIdTokenScopeDomainOrProjectBody().withId(hw.seed.domain.id));
    const noGrant = await sdkError(scoped(idToken(), domainScope));
    assert.deepEqual([noGrant.httpStatusCode, noGrant.errorCode], [401, "IAM.0001"]);
    assert.match(noGrant.errorMsg, /no permission on the domain/);
    const unknown = await sdkError(scoped(idToken(), project("cn-north-4"), "nobody-idp"));
    assert.deepEqual([unknown.httpStatusCode, unknown.errorCode], [404, "IAM.0004"]);
    const noHeader = await hw.call("POST", "/iam/v3.0/OS-AUTH/id-token/tokens", { creds: null, body: { auth: { id_token: { id: idToken() } } } });
    assert.equal(noHeader.status, 400, noHeader.text);
    assert.equal(noHeader.json.error_code, "IAM.0072");
    // No scope: an unscoped token.
    const plain = wire(await scoped(idToken()));
    assert.equal(plain.httpStatusCode, 201);
    assert.deepEqual((plain.token as Row).roles, []);
  });

  test("refused: a disabled identity provider (its tokens end too), then an expired ID token on hwlocal's clock", async () => {
    const issued = wire(await scoped(idToken(), project("cn-north-4")));
    const list = () => hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/detail`, { creds: null, headers: { "X-Auth-Token": String(issued["X-Subject-Token"]) } });
    assert.equal((await list()).status, 200);
    const enable = (enabled: boolean) =>
      admin.keystoneUpdateIdentityProvider(
        new KeystoneUpdateIdentityProviderRequest().withId(IDP).withBody(new KeystoneUpdateIdentityProviderRequestBody().withIdentityProvider(new UpdateIdentityproviderOption().withEnabled(enabled))),
      );
    await enable(false);
    const disabled = await refusal(idToken());
    assert.deepEqual([disabled.status, disabled.code], [403, "IAM.0002"]);
    assert.equal((await list()).status, 401);
    await enable(true);
    assert.equal((await list()).status, 200);

    const shortLived = idToken({ exp: Math.floor(hw.clock.now() / 1000) + 60 });
    assert.equal(wire(await scoped(shortLived, project("cn-north-4"))).httpStatusCode, 201);
    const advanced = await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds: 120 } });
    assert.equal(advanced.status, 200, advanced.text);
    const expired = await refusal(shortLived);
    assert.deepEqual([expired.status, expired.code], [401, "IAM.0001"]);
    assert.match(expired.msg, /expired/);
  });
  test("an ES256 key beside the RSA one, and rules with regex and not_any_of", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const keys = [
      { ...idp.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" },
      { ...ec.publicKey.export({ format: "jwk" }), kid: "e1", alg: "ES256", use: "sig" },
    ];
    await admin.updateOpenIdConnectConfig(
      new UpdateOpenIdConnectConfigRequest().withIdpId(IDP).withBody(new UpdateOpenIdConnectConfigRequestBody().withOpenidConnectConfig(new UpdateOpenIdConnectConfig().withSigningKey(JSON.stringify({ keys })))),
    );
    const ops = new MappingRules()
      .withLocal([new RulesLocal().withUser(new RulesLocalUser().withName("{0}")), new RulesLocal().withGroup(new RulesLocalGroup().withName(GROUP))])
      .withRemote([new RulesRemote().withType("email"), new RulesRemote().withType("groups").withAnyOneOf(["ops"])]);
    const partners = new MappingRules()
      .withLocal([new RulesLocal().withUser(new RulesLocalUser().withName("partner-{0}")), new RulesLocal().withGroup(new RulesLocalGroup().withName(GROUP))])
      .withRemote([
        new RulesRemote().withType("sub"),
        new RulesRemote().withType("email").withAnyOneOf([".*@partner\\.example"]).withRegex(true),
        new RulesRemote().withType("department").withNotAnyOf(["contractors"]),
      ]);
    await admin.keystoneUpdateMapping(new KeystoneUpdateMappingRequest().withId("oidc-map").withBody(new KeystoneUpdateMappingRequestBody().withMapping(new MappingOption().withRules([ops, partners]))));

    const es256 = (extra: Row, kid = "e1") => {
      const data = `${b64({ alg: "ES256", typ: "JWT", kid })}.${b64(claims(extra))}`;
      return `${data}.${sign("sha256", Buffer.from(data), { key: ec.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
    };
    const partner = { sub: "u-2", email: "bob@partner.example", groups: [], department: "eng" };
    const res = wire(await scoped(es256(partner), project("cn-north-4")));
    assert.equal(res.httpStatusCode, 201);
    assert.equal(((res.token as Row).user as Row).name, "partner-u-2");
    // The RSA key still verifies its tokens; an ES256 token signed with the RSA kid does not.
    assert.equal(wire(await scoped(idToken(), project("cn-north-4"))).httpStatusCode, 201);
    assert.match((await refusal(es256(partner, "k1"))).msg, /no key in the identity provider's signing_key fits/);
    const contractor = await refusal(es256({ ...partner, department: "contractors" }));
    assert.match(contractor.msg, /no rule/);
    const elsewhere = await refusal(es256({ ...partner, email: "bob@partner.example.com" }));
    assert.match(elsewhere.msg, /no rule/);
  });
});
