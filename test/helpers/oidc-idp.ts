// The test as an OpenID Connect identity provider: ID tokens signed with its own keys (compact JWS), and an
// identity provider set up in a domain through the official IAM SDK (provider, mapping, oidc protocol, OpenID
// Connect configuration with the public key as signing_key), mapping users with `groupsClaim` holding
// `member` into `group`.
import assert from "node:assert/strict";
import { sign, type KeyObject } from "node:crypto";
import {
  CreateOpenIdConnectConfig,
  CreateOpenIdConnectConfigRequest,
  CreateOpenIdConnectConfigRequestBody,
  type IamClient,
  IdentityproviderOption,
  KeystoneCreateIdentityProviderRequest,
  KeystoneCreateIdentityProviderRequestBody,
  KeystoneCreateMappingRequest,
  KeystoneCreateMappingRequestBody,
  KeystoneCreateProtocolRequest,
  KeystoneCreateProtocolRequestBody,
  MappingOption,
  MappingRules,
  ProtocolOption,
  RulesLocal,
  RulesLocalGroup,
  RulesLocalUser,
  RulesRemote,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { wire } from "./sdk.ts";

export const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");

/** A compact JWS: base64url(header).base64url(claims).signature, RS256 with `key` (no signature for alg none). */
export function jwt(claims: Record<string, unknown>, key: KeyObject, header: Record<string, unknown> = { alg: "RS256", typ: "JWT", kid: "k1" }): string {
  const data = `${b64(header)}.${b64(claims)}`;
  const signature = header.alg === "none" ? "" : sign("sha256", Buffer.from(data), key).toString("base64url");
  return `${data}.${signature}`;
}

export interface OidcIdpSetup {
  idpId: string;
  issuer: string;
  clientId: string;
  /** The RSA public key published as the configuration's signing_key (kid k1, RS256). */
  publicKey: KeyObject;
  /** The local group the mapping gives (by name). */
  group: string;
}

/** Creates an enabled identity provider with mapping `<idp>-map`: user from the email claim, `group` when groups holds "ops". */
export async function setupOidcIdp(admin: IamClient, s: OidcIdpSetup): Promise<void> {
  await admin.keystoneCreateIdentityProvider(
    new KeystoneCreateIdentityProviderRequest().withId(s.idpId).withBody(new KeystoneCreateIdentityProviderRequestBody().withIdentityProvider(new IdentityproviderOption().withSsoType("virtual_user_sso").withEnabled(true))),
  );
  const rule = new MappingRules()
    .withLocal([new RulesLocal().withUser(new RulesLocalUser().withName("{0}")), new RulesLocal().withGroup(new RulesLocalGroup().withName(s.group))])
    .withRemote([new RulesRemote().withType("email"), new RulesRemote().withType("groups").withAnyOneOf(["ops"])]);
  const mapping = `${s.idpId}-map`;
  await admin.keystoneCreateMapping(new KeystoneCreateMappingRequest().withId(mapping).withBody(new KeystoneCreateMappingRequestBody().withMapping(new MappingOption().withRules([rule]))));
  await admin.keystoneCreateProtocol(
    new KeystoneCreateProtocolRequest().withIdpId(s.idpId).withProtocolId("oidc").withBody(new KeystoneCreateProtocolRequestBody().withProtocol(new ProtocolOption().withMappingId(mapping))),
  );
  const jwk = { ...s.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" };
  const config = new CreateOpenIdConnectConfig().withAccessMode("program").withIdpUrl(s.issuer).withClientId(s.clientId).withSigningKey(JSON.stringify({ keys: [jwk] }));
  const created = wire(await admin.createOpenIdConnectConfig(new CreateOpenIdConnectConfigRequest().withIdpId(s.idpId).withBody(new CreateOpenIdConnectConfigRequestBody().withOpenidConnectConfig(config))));
  assert.equal(created.httpStatusCode, 201);
}
