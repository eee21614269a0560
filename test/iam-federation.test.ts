// Federation objects through the official IAM SDK: identity providers, mappings, protocols, OpenID Connect
// configurations and SAML metadata, with their error paths; and the domains and projects a caller may reach.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateMetadataRequest,
  CreateMetadataRequestBody,
  CreateOpenIdConnectConfig,
  CreateOpenIdConnectConfigRequest,
  CreateOpenIdConnectConfigRequestBody,
  IamClient,
  IdentityproviderOption,
  KeystoneCreateIdentityProviderRequest,
  KeystoneCreateIdentityProviderRequestBody,
  KeystoneCreateMappingRequest,
  KeystoneCreateMappingRequestBody,
  KeystoneCreateProtocolRequest,
  KeystoneCreateProtocolRequestBody,
  KeystoneDeleteIdentityProviderRequest,
  KeystoneDeleteMappingRequest,
  KeystoneDeleteProtocolRequest,
  KeystoneListFederationDomainsRequest,
  KeystoneListFederationProjectsRequest,
  KeystoneListIdentityProvidersRequest,
  KeystoneListMappingsRequest,
  KeystoneListProtocolsRequest,
  KeystoneShowIdentityProviderRequest,
  KeystoneShowMappingRequest,
  KeystoneShowProtocolRequest,
  KeystoneUpdateIdentityProviderRequest,
  KeystoneUpdateIdentityProviderRequestBody,
  KeystoneUpdateMappingRequest,
  KeystoneUpdateMappingRequestBody,
  KeystoneUpdateProtocolRequest,
  KeystoneUpdateProtocolRequestBody,
  MappingOption,
  MappingRules,
  ProtocolOption,
  RulesLocal,
  RulesLocalGroup,
  RulesLocalUser,
  RulesRemote,
  ShowMetadataRequest,
  ShowOpenIdConnectConfigRequest,
  UpdateIdentityproviderOption,
  UpdateOpenIdConnectConfig,
  UpdateOpenIdConnectConfigRequest,
  UpdateOpenIdConnectConfigRequestBody,
} from "@huaweicloud/huaweicloud-sdk-iam/v3/public-api.js";
import { startTestHwlocal, type TestHwlocal } from "./helpers/hwlocal.ts";
import { iamClient, sdkError, wire } from "./helpers/sdk.ts";

type Row = Record<string, unknown>;

const rules = (group: string) => [
  new MappingRules()
    .withLocal([new RulesLocal().withUser(new RulesLocalUser().withName("FederationUser")), new RulesLocal().withGroup(new RulesLocalGroup().withName(group))])
    .withRemote([new RulesRemote().withType("email"), new RulesRemote().withType("department").withAnyOneOf(["ops"])]),
];

describe("IAM federation", () => {
  let hw: TestHwlocal;
  let admin: IamClient;

  before(async () => {
    hw = await startTestHwlocal();
    admin = iamClient(hw.url, { ...hw.admin, domainId: hw.seed.domain.id });
  });
  after(() => hw.close());

  test("identity providers, mappings and protocols", async () => {
    const idp = wire(await admin.keystoneCreateIdentityProvider(new KeystoneCreateIdentityProviderRequest().withId("corp-idp").withBody(new KeystoneCreateIdentityProviderRequestBody().withIdentityProvider(new IdentityproviderOption().withSsoType("virtual_user_sso").withDescription("corp").withEnabled(true)))));
    assert.equal(idp.httpStatusCode, 201);
    assert.equal((idp.identity_provider as Row).enabled, true);
    assert.equal(((idp.identity_provider as Row).links as Row).protocols, `${hw.url}/iam/v3/OS-FEDERATION/identity_providers/corp-idp/protocols`);
    const dup = await sdkError(admin.keystoneCreateIdentityProvider(new KeystoneCreateIdentityProviderRequest().withId("corp-idp").withBody(new KeystoneCreateIdentityProviderRequestBody().withIdentityProvider(new IdentityproviderOption()))));
    assert.equal(dup.httpStatusCode, 409);
    await admin.keystoneUpdateIdentityProvider(new KeystoneUpdateIdentityProviderRequest().withId("corp-idp").withBody(new KeystoneUpdateIdentityProviderRequestBody().withIdentityProvider(new UpdateIdentityproviderOption().withEnabled(false))));
    assert.equal((wire(await admin.keystoneShowIdentityProvider(new KeystoneShowIdentityProviderRequest().withId("corp-idp"))).identity_provider as Row).enabled, false);
    assert.deepEqual((wire(await admin.keystoneListIdentityProviders(new KeystoneListIdentityProvidersRequest())).identity_providers as Row[]).map((i) => i.id), ["corp-idp"]);

    const mapping = wire(await admin.keystoneCreateMapping(new KeystoneCreateMappingRequest().withId("corp-map").withBody(new KeystoneCreateMappingRequestBody().withMapping(new MappingOption().withRules(rules("admin"))))));
    assert.equal(((mapping.mapping as Row).rules as Row[]).length, 1);
    await admin.keystoneUpdateMapping(new KeystoneUpdateMappingRequest().withId("corp-map").withBody(new KeystoneUpdateMappingRequestBody().withMapping(new MappingOption().withRules(rules("readers")))));
    const shownMapping = wire(await admin.keystoneShowMapping(new KeystoneShowMappingRequest().withId("corp-map"))).mapping as { rules: { local: Row[] }[] };
    assert.deepEqual(shownMapping.rules[0]!.local[1], { group: { name: "readers" } });
    assert.equal((wire(await admin.keystoneListMappings(new KeystoneListMappingsRequest())).mappings as Row[]).length, 1);
    const noRules = await sdkError(admin.keystoneCreateMapping(new KeystoneCreateMappingRequest().withId("empty").withBody(new KeystoneCreateMappingRequestBody().withMapping(new MappingOption().withRules([])))));
    assert.equal(noRules.httpStatusCode, 400);

    const protocol = wire(await admin.keystoneCreateProtocol(new KeystoneCreateProtocolRequest().withIdpId("corp-idp").withProtocolId("saml").withBody(new KeystoneCreateProtocolRequestBody().withProtocol(new ProtocolOption().withMappingId("corp-map")))));
    assert.deepEqual([(protocol.protocol as Row).id, (protocol.protocol as Row).mapping_id], ["saml", "corp-map"]);
    const unknownMapping = await sdkError(admin.keystoneCreateProtocol(new KeystoneCreateProtocolRequest().withIdpId("corp-idp").withProtocolId("oidc").withBody(new KeystoneCreateProtocolRequestBody().withProtocol(new ProtocolOption().withMappingId("nope")))));
    assert.equal(unknownMapping.httpStatusCode, 404);
    const badProtocol = await sdkError(admin.keystoneCreateProtocol(new KeystoneCreateProtocolRequest().withIdpId("corp-idp").withProtocolId("kerberos").withBody(new KeystoneCreateProtocolRequestBody().withProtocol(new ProtocolOption().withMappingId("corp-map")))));
    assert.equal(badProtocol.httpStatusCode, 400);
    await admin.keystoneUpdateProtocol(new KeystoneUpdateProtocolRequest().withIdpId("corp-idp").withProtocolId("saml").withBody(new KeystoneUpdateProtocolRequestBody().withProtocol(new ProtocolOption().withMappingId("corp-map"))));
    assert.equal((wire(await admin.keystoneShowProtocol(new KeystoneShowProtocolRequest().withIdpId("corp-idp").withProtocolId("saml"))).protocol as Row).mapping_id, "corp-map");
    assert.equal((wire(await admin.keystoneListProtocols(new KeystoneListProtocolsRequest().withIdpId("corp-idp"))).protocols as Row[]).length, 1);
    const inUse = await sdkError(admin.keystoneDeleteMapping(new KeystoneDeleteMappingRequest().withId("corp-map")));
    assert.equal(inUse.httpStatusCode, 409);
  });

  test("SAML metadata and OpenID Connect configuration", async () => {
    const xml = '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml"><md:IDPSSODescriptor/></md:EntityDescriptor>';
    const imported = wire(await admin.createMetadata(new CreateMetadataRequest().withIdpId("corp-idp").withProtocolId("saml").withBody(new CreateMetadataRequestBody().withDomainId(hw.seed.domain.id).withMetadata(xml))));
    assert.equal(imported.message, "Import metadata successful");
    const metadata = wire(await admin.showMetadata(new ShowMetadataRequest().withIdpId("corp-idp").withProtocolId("saml")));
    assert.equal(metadata.entity_id, "https://idp.example.com/saml");
    assert.equal(metadata.data, xml);
    const notSaml = await sdkError(admin.createMetadata(new CreateMetadataRequest().withIdpId("corp-idp").withProtocolId("saml").withBody(new CreateMetadataRequestBody().withDomainId(hw.seed.domain.id).withMetadata("<html/>"))));
    assert.equal(notSaml.httpStatusCode, 400);

    const jwks = JSON.stringify({ keys: [{ kty: "RSA", kid: "k1", n: "AQAB", e: "AQAB" }] });
    const oidc = new CreateOpenIdConnectConfig().withAccessMode("program").withIdpUrl("https://idp.example.com").withClientId("hwlocal").withSigningKey(jwks);
    const created = wire(await admin.createOpenIdConnectConfig(new CreateOpenIdConnectConfigRequest().withIdpId("corp-idp").withBody(new CreateOpenIdConnectConfigRequestBody().withOpenidConnectConfig(oidc))));
    assert.equal(created.httpStatusCode, 201);
    assert.equal((created.openid_connect_config as Row).response_type, "id_token");
    await admin.updateOpenIdConnectConfig(new UpdateOpenIdConnectConfigRequest().withIdpId("corp-idp").withBody(new UpdateOpenIdConnectConfigRequestBody().withOpenidConnectConfig(new UpdateOpenIdConnectConfig().withClientId("hwlocal-2"))));
    assert.equal((wire(await admin.showOpenIdConnectConfig(new ShowOpenIdConnectConfigRequest().withIdpId("corp-idp"))).openid_connect_config as Row).client_id, "hwlocal-2");
    const badKey = await sdkError(admin.createOpenIdConnectConfig(new CreateOpenIdConnectConfigRequest().withIdpId("corp-idp").withBody(new CreateOpenIdConnectConfigRequestBody().withOpenidConnectConfig(oidc.withSigningKey("not json")))));
    assert.equal(badKey.httpStatusCode, 400);

    // Deleting the protocol takes its metadata; deleting the provider takes the rest.
    await admin.keystoneDeleteProtocol(new KeystoneDeleteProtocolRequest().withIdpId("corp-idp").withProtocolId("saml"));
    assert.equal((await sdkError(admin.showMetadata(new ShowMetadataRequest().withIdpId("corp-idp").withProtocolId("saml")))).httpStatusCode, 404);
    await admin.keystoneDeleteMapping(new KeystoneDeleteMappingRequest().withId("corp-map"));
    await admin.keystoneDeleteIdentityProvider(new KeystoneDeleteIdentityProviderRequest().withId("corp-idp"));
    assert.equal((await sdkError(admin.showOpenIdConnectConfig(new ShowOpenIdConnectConfigRequest().withIdpId("corp-idp")))).httpStatusCode, 404);
    assert.deepEqual(wire(await admin.keystoneListIdentityProviders(new KeystoneListIdentityProvidersRequest())).identity_providers, []);
  });

  test("domains and projects a caller may reach", async () => {
    const domains = wire(await admin.keystoneListFederationDomains(new KeystoneListFederationDomainsRequest()));
    assert.deepEqual((domains.domains as Row[]).map((d) => d.name), ["hwlocal"]);
    const projects = wire(await admin.keystoneListFederationProjects(new KeystoneListFederationProjectsRequest()));
    assert.ok((projects.projects as Row[]).some((p) => p.name === "cn-north-4"));
  });
});
