// Federated tokens across tenants: the default domain and acme each configure an identity provider with the
// same id ("shared-idp"), issuer and client id but their own key, and a group "readers" with ECS ReadOnlyAccess
// on their cn-north-4 project. The key that signed an ID token decides the domain: acme's ID token gives a
// token of acme (its project, its groups), which acts in acme only; the default domain's key never reaches
// acme's project; neither administrator sees the other's federated tokens; acme disabling its provider refuses
// its ID tokens (403) and leaves the default domain's working.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import {
  CreateTokenWithIdTokenRequest,
  GetIdTokenAuthParams,
  GetIdTokenIdScopeBody,
  GetIdTokenIdTokenBody,
  GetIdTokenRequestBody,
  GetIdTokenScopeDomainOrProjectBody,
  IamClient,
  KeystoneAssociateGroupWithProjectPermissionRequest,
  KeystoneCreateGroupOption,
  KeystoneCreateGroupRequest,
  KeystoneCreateGroupRequestBody,
  KeystoneListPermissionsRequest,
  KeystoneUpdateIdentityProviderRequest,
  KeystoneUpdateIdentityProviderRequestBody,
  KeystoneValidateTokenRequest,
  UpdateIdentityproviderOption,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { jwt, setupOidcIdp } from "./helpers/oidc-idp.ts";
import { iamClient, iamProjectClient, sdkError, wire } from "./helpers/sdk.ts";
import type { Credentials } from "./helpers/sign.ts";
import { ACME, startTenancy, type Tenancy } from "./helpers/tenancy.ts";

type Row = Record<string, unknown>;

const IDP = "shared-idp";
const ISSUER = "https://idp.shared.example";
const CLIENT = "shared-client";

describe("IAM federated tokens across tenants", () => {
  let t: Tenancy;
  let home: IamClient;
  let acme: IamClient;
  const homeKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const acmeKey = generateKeyPairSync("rsa", { modulusLength: 2048 });

  const idToken = (key: typeof homeKey) => {
    const now = Math.floor(t.hw.clock.now() / 1000);
    return jwt({ iss: ISSUER, aud: CLIENT, sub: "u-1", email: "carol@shared.example", groups: ["ops"], iat: now, exp: now + 3600 }, key.privateKey);
  };
  const federated = (token: string, scope: GetIdTokenScopeDomainOrProjectBody) =>
    home.createTokenWithIdToken(
      new CreateTokenWithIdTokenRequest()
        .withXIdpId(IDP)
        .withBody(new GetIdTokenRequestBody().withAuth(new GetIdTokenAuthParams().withIdToken(new GetIdTokenIdTokenBody().withId(token)).withScope(new GetIdTokenIdScopeBody().withProject(scope)))),
    );
  const byName = new GetIdTokenScopeDomainOrProjectBody().withName("cn-north-4");
  const servers = (token: string, project: string) => t.hw.call("GET", `/ecs/v1/${project}/cloudservers/detail`, { creds: null, headers: { "X-Auth-Token": token } });

  /** A group "readers" with ECS ReadOnlyAccess on `project`, and the identity provider, in the domain of `creds`. */
  async function tenant(client: IamClient, creds: Credentials, project: string, key: typeof homeKey) {
    const group = wire(await client.keystoneCreateGroup(new KeystoneCreateGroupRequest().withBody(new KeystoneCreateGroupRequestBody().withGroup(new KeystoneCreateGroupOption().withName("readers")))));
    const roles = wire(await client.keystoneListPermissions(new KeystoneListPermissionsRequest().withDisplayName("ECS ReadOnlyAccess"))).roles as Row[];
    await iamProjectClient(t.hw.url, { ...creds, projectId: project }).keystoneAssociateGroupWithProjectPermission(
      new KeystoneAssociateGroupWithProjectPermissionRequest().withGroupId(String((group.group as Row).id)).withRoleId(String(roles[0]!.id)),
    );
    await setupOidcIdp(client, { idpId: IDP, issuer: ISSUER, clientId: CLIENT, publicKey: key.publicKey, group: "readers" });
  }

  before(async () => {
    t = await startTenancy();
    home = iamClient(t.hw.url, { ...t.hw.admin, domainId: t.hw.seed.domain.id });
    acme = iamClient(t.hw.url, { ...ACME, domainId: t.acmeDomainId });
    await tenant(home, t.hw.admin, t.a, homeKey);
    await tenant(acme, ACME, t.x, acmeKey);
  });
  after(() => t.hw.close());

  test("the signing key decides the domain: each token acts in its own tenant only", async () => {
    const acmeRes = wire(await federated(idToken(acmeKey), byName));
    const acmeToken = acmeRes.token as Row;
    assert.equal((acmeToken.project as Row).id, t.x);
    assert.equal(((acmeToken.user as Row).domain as Row).id, t.acmeDomainId);
    const acmeId = String(acmeRes["X-Subject-Token"]);
    assert.equal((await servers(acmeId, t.x)).status, 200);
    assert.equal((await servers(acmeId, t.a)).status, 403);

    const homeRes = wire(await federated(idToken(homeKey), byName));
    assert.equal(((homeRes.token as Row).project as Row).id, t.a);
    const homeId = String(homeRes["X-Subject-Token"]);
    assert.equal((await servers(homeId, t.a)).status, 200);
    assert.equal((await servers(homeId, t.x)).status, 403);
    // The same name in two domains is two federated users.
    assert.notEqual(((homeRes.token as Row).user as Row).id, (acmeToken.user as Row).id);

    // The default domain's ID token asking for acme's project by id: not its domain.
    const cross = await sdkError(federated(idToken(homeKey), new GetIdTokenScopeDomainOrProjectBody().withId(t.x)));
    assert.equal(cross.httpStatusCode, 401);
    // Each administrator validates its own domain's federated tokens only.
    const foreign = await sdkError(home.keystoneValidateToken(new KeystoneValidateTokenRequest().withXSubjectToken(acmeId)));
    assert.equal(foreign.httpStatusCode, 404);
    const own = wire(await acme.keystoneValidateToken(new KeystoneValidateTokenRequest().withXSubjectToken(acmeId)));
    assert.equal(((own.token as Row).user as Row).name, "carol@shared.example");
  });

  test("acme disabling its provider refuses acme's ID tokens and leaves the default domain's working", async () => {
    await acme.keystoneUpdateIdentityProvider(
      new KeystoneUpdateIdentityProviderRequest().withId(IDP).withBody(new KeystoneUpdateIdentityProviderRequestBody().withIdentityProvider(new UpdateIdentityproviderOption().withEnabled(false))),
    );
    // The refusal is acme's (its key verified the token), not the default domain's signature mismatch.
    const refused = await sdkError(federated(idToken(acmeKey), byName));
    assert.deepEqual([refused.httpStatusCode, refused.errorCode], [403, "IAM.0002"]);
    assert.match(refused.errorMsg, /disabled/);
    assert.equal(wire(await federated(idToken(homeKey), byName)).httpStatusCode, 201);
  });
});
