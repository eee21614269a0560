// Federation (OS-FEDERATION): identity providers, mappings, protocols (saml, oidc), OpenID Connect
// configurations and SAML metadata of a domain, stored and validated; and the domains and projects a caller
// may reach, as federated users list them.
// Gaps: federated tokens (SAML assertions, OIDC id_tokens: CreateUnscopeTokenByIdpInitiated,
// CreateUnscopedTokenWithIdToken, CreateTokenWithIdToken) are not issued.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import type { Scope } from "../../../kernel/service.ts";
import { iamOperation, requireAdmin, requireOwnDomain, requireScope } from "../context.ts";
import { iamErrors } from "../errors.ts";
import type { IamStore } from "../store.ts";
import type { FederationRow } from "../store/federation.ts";
import * as views from "../views.ts";

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, '-' or '_'");
const BASE = "/v3/OS-FEDERATION";

// ---- identity providers

function idpView(base: string, row: FederationRow) {
  const v = row.value;
  return {
    id: row.key,
    sso_type: v.sso_type,
    description: v.description,
    enabled: v.enabled,
    remote_ids: [],
    links: { self: `${base}${BASE}/identity_providers/${row.key}`, protocols: `${base}${BASE}/identity_providers/${row.key}/protocols` },
  };
}

function idpOf(store: IamStore, scope: Scope, id: string): FederationRow {
  const row = store.federation.get(scope.domainId, "idp", id);
  if (!row) throw iamErrors.notFound("identity provider", id);
  return row;
}

export const keystoneCreateIdentityProvider = iamOperation({
  name: "KeystoneCreateIdentityProvider",
  method: "PUT",
  path: `${BASE}/identity_providers/{id}`,
  adminOnly: true,
  body: z.object({ identity_provider: z.object({ sso_type: z.enum(["virtual_user_sso", "iam_user_sso"]).optional(), description: z.string().max(255).optional(), enabled: z.boolean().optional() }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const id = Id.safeParse(ctx.input.path.id);
    if (!id.success) throw iamErrors.invalidParameter(`id: ${id.error.issues[0]?.message ?? "invalid"}`);
    const { store } = ctx.svc;
    if (store.federation.get(scope.domainId, "idp", id.data)) throw iamErrors.conflict("identity provider", `${id.data} exists`);
    const b = ctx.input.body.identity_provider;
    store.federation.insert(scope.domainId, "idp", id.data, { sso_type: b.sso_type ?? "virtual_user_sso", description: b.description ?? "", enabled: b.enabled ?? false }, ctx.clock.now());
    return { status: 201, body: { identity_provider: idpView(ctx.request.serviceBase, store.federation.get(scope.domainId, "idp", id.data)!) } };
  },
});

export const keystoneListIdentityProviders = iamOperation({
  name: "KeystoneListIdentityProviders",
  method: "GET",
  path: `${BASE}/identity_providers`,
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const base = ctx.request.serviceBase;
    return { body: { identity_providers: ctx.svc.store.federation.list(scope.domainId, "idp").map((r) => idpView(base, r)), links: views.listLinks(`${base}${BASE}/identity_providers`) } };
  },
});

export const keystoneShowIdentityProvider = iamOperation({
  name: "KeystoneShowIdentityProvider",
  method: "GET",
  path: `${BASE}/identity_providers/{id}`,
  handle(ctx) {
    return { body: { identity_provider: idpView(ctx.request.serviceBase, idpOf(ctx.svc.store, requireScope(ctx.scope), ctx.input.path.id!)) } };
  },
});

export const keystoneUpdateIdentityProvider = iamOperation({
  name: "KeystoneUpdateIdentityProvider",
  method: "PATCH",
  path: `${BASE}/identity_providers/{id}`,
  adminOnly: true,
  body: z.object({ identity_provider: z.object({ description: z.string().max(255).optional(), enabled: z.boolean().optional() }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const row = idpOf(store, scope, ctx.input.path.id!);
    const b = ctx.input.body.identity_provider;
    store.federation.update(scope.domainId, "idp", row.key, { ...row.value, ...(b.description !== undefined ? { description: b.description } : {}), ...(b.enabled !== undefined ? { enabled: b.enabled } : {}) });
    return { body: { identity_provider: idpView(ctx.request.serviceBase, store.federation.get(scope.domainId, "idp", row.key)!) } };
  },
});

export const keystoneDeleteIdentityProvider = iamOperation({
  name: "KeystoneDeleteIdentityProvider",
  method: "DELETE",
  path: `${BASE}/identity_providers/{id}`,
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const row = idpOf(store, scope, ctx.input.path.id!);
    store.tx(() => {
      store.federation.delete(scope.domainId, "idp", row.key);
      store.federation.deletePrefix(scope.domainId, "protocol", `${row.key}/`);
      store.federation.deletePrefix(scope.domainId, "metadata", `${row.key}/`);
      store.federation.delete(scope.domainId, "oidc", row.key);
    });
    return { status: 204 };
  },
});

// ---- mappings

const Remote = z.object({ type: z.string().min(1), any_one_of: z.array(z.string()).optional(), not_any_of: z.array(z.string()).optional(), regex: z.boolean().optional() });
const Local = z.object({ user: z.object({ name: z.string().min(1) }).optional(), group: z.object({ name: z.string().min(1) }).optional() });
const Rules = z.array(z.object({ local: z.array(Local).min(1), remote: z.array(Remote).min(1) })).min(1);

const mappingView = (base: string, row: FederationRow) => ({ id: row.key, rules: row.value.rules, links: { self: `${base}${BASE}/mappings/${row.key}` } });

function mappingOf(store: IamStore, scope: Scope, id: string): FederationRow {
  const row = store.federation.get(scope.domainId, "mapping", id);
  if (!row) throw iamErrors.notFound("mapping", id);
  return row;
}

export const keystoneCreateMapping = iamOperation({
  name: "KeystoneCreateMapping",
  method: "PUT",
  path: `${BASE}/mappings/{id}`,
  adminOnly: true,
  body: z.object({ mapping: z.object({ rules: Rules }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const id = Id.safeParse(ctx.input.path.id);
    if (!id.success) throw iamErrors.invalidParameter(`id: ${id.error.issues[0]?.message ?? "invalid"}`);
    const { store } = ctx.svc;
    if (store.federation.get(scope.domainId, "mapping", id.data)) throw iamErrors.conflict("mapping", `${id.data} exists`);
    store.federation.insert(scope.domainId, "mapping", id.data, { rules: ctx.input.body.mapping.rules }, ctx.clock.now());
    return { status: 201, body: { mapping: mappingView(ctx.request.serviceBase, store.federation.get(scope.domainId, "mapping", id.data)!) } };
  },
});

export const keystoneListMappings = iamOperation({
  name: "KeystoneListMappings",
  method: "GET",
  path: `${BASE}/mappings`,
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const base = ctx.request.serviceBase;
    return { body: { mappings: ctx.svc.store.federation.list(scope.domainId, "mapping").map((r) => mappingView(base, r)), links: views.listLinks(`${base}${BASE}/mappings`) } };
  },
});

export const keystoneShowMapping = iamOperation({
  name: "KeystoneShowMapping",
  method: "GET",
  path: `${BASE}/mappings/{id}`,
  handle(ctx) {
    return { body: { mapping: mappingView(ctx.request.serviceBase, mappingOf(ctx.svc.store, requireScope(ctx.scope), ctx.input.path.id!)) } };
  },
});

export const keystoneUpdateMapping = iamOperation({
  name: "KeystoneUpdateMapping",
  method: "PATCH",
  path: `${BASE}/mappings/{id}`,
  adminOnly: true,
  body: z.object({ mapping: z.object({ rules: Rules }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const row = mappingOf(store, scope, ctx.input.path.id!);
    store.federation.update(scope.domainId, "mapping", row.key, { rules: ctx.input.body.mapping.rules });
    return { body: { mapping: mappingView(ctx.request.serviceBase, store.federation.get(scope.domainId, "mapping", row.key)!) } };
  },
});

export const keystoneDeleteMapping = iamOperation({
  name: "KeystoneDeleteMapping",
  method: "DELETE",
  path: `${BASE}/mappings/{id}`,
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const row = mappingOf(store, scope, ctx.input.path.id!);
    const user = store.federation.list(scope.domainId, "protocol").find((p) => p.value.mapping_id === row.key);
    if (user) throw iamErrors.conflict("mapping", `the protocol ${user.key} uses it`);
    store.federation.delete(scope.domainId, "mapping", row.key);
    return { status: 204 };
  },
});

// ---- protocols

const ProtocolId = z.enum(["saml", "oidc"]);

function protocolView(base: string, row: FederationRow) {
  const [idp, id] = row.key.split("/") as [string, string];
  return { id, mapping_id: row.value.mapping_id, links: { self: `${base}${BASE}/identity_providers/${idp}/protocols/${id}`, identity_provider: `${base}${BASE}/identity_providers/${idp}` } };
}

function protocolKey(store: IamStore, scope: Scope, path: Record<string, string>): string {
  const idp = idpOf(store, scope, path.idp_id!);
  const id = ProtocolId.safeParse(path.protocol_id);
  if (!id.success) throw iamErrors.invalidParameter("protocol_id must be saml or oidc.");
  return `${idp.key}/${id.data}`;
}

function protocolOf(store: IamStore, scope: Scope, path: Record<string, string>): FederationRow {
  const key = protocolKey(store, scope, path);
  const row = store.federation.get(scope.domainId, "protocol", key);
  if (!row) throw iamErrors.notFound("protocol", key);
  return row;
}

const ProtocolBody = z.object({ protocol: z.object({ mapping_id: z.string().min(1) }) });

export const keystoneCreateProtocol = iamOperation({
  name: "KeystoneCreateProtocol",
  method: "PUT",
  path: `${BASE}/identity_providers/{idp_id}/protocols/{protocol_id}`,
  adminOnly: true,
  body: ProtocolBody,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const key = protocolKey(store, scope, ctx.input.path);
    if (store.federation.get(scope.domainId, "protocol", key)) throw iamErrors.conflict("protocol", `${key} exists`);
    mappingOf(store, scope, ctx.input.body.protocol.mapping_id);
    store.federation.insert(scope.domainId, "protocol", key, { mapping_id: ctx.input.body.protocol.mapping_id }, ctx.clock.now());
    return { status: 201, body: { protocol: protocolView(ctx.request.serviceBase, store.federation.get(scope.domainId, "protocol", key)!) } };
  },
});

export const keystoneListProtocols = iamOperation({
  name: "KeystoneListProtocols",
  method: "GET",
  path: `${BASE}/identity_providers/{idp_id}/protocols`,
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const idp = idpOf(ctx.svc.store, scope, ctx.input.path.idp_id!);
    const base = ctx.request.serviceBase;
    const protocols = ctx.svc.store.federation.list(scope.domainId, "protocol").filter((p) => p.key.startsWith(`${idp.key}/`));
    return { body: { protocols: protocols.map((p) => protocolView(base, p)), links: views.listLinks(`${base}${BASE}/identity_providers/${idp.key}/protocols`) } };
  },
});

export const keystoneShowProtocol = iamOperation({
  name: "KeystoneShowProtocol",
  method: "GET",
  path: `${BASE}/identity_providers/{idp_id}/protocols/{protocol_id}`,
  handle(ctx) {
    return { body: { protocol: protocolView(ctx.request.serviceBase, protocolOf(ctx.svc.store, requireScope(ctx.scope), ctx.input.path)) } };
  },
});

export const keystoneUpdateProtocol = iamOperation({
  name: "KeystoneUpdateProtocol",
  method: "PATCH",
  path: `${BASE}/identity_providers/{idp_id}/protocols/{protocol_id}`,
  adminOnly: true,
  body: ProtocolBody,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const row = protocolOf(store, scope, ctx.input.path);
    mappingOf(store, scope, ctx.input.body.protocol.mapping_id);
    store.federation.update(scope.domainId, "protocol", row.key, { mapping_id: ctx.input.body.protocol.mapping_id });
    return { body: { protocol: protocolView(ctx.request.serviceBase, store.federation.get(scope.domainId, "protocol", row.key)!) } };
  },
});

export const keystoneDeleteProtocol = iamOperation({
  name: "KeystoneDeleteProtocol",
  method: "DELETE",
  path: `${BASE}/identity_providers/{idp_id}/protocols/{protocol_id}`,
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const row = protocolOf(ctx.svc.store, scope, ctx.input.path);
    ctx.svc.store.tx(() => {
      ctx.svc.store.federation.delete(scope.domainId, "protocol", row.key);
      ctx.svc.store.federation.delete(scope.domainId, "metadata", row.key);
    });
    return { status: 204 };
  },
});

// ---- OpenID Connect configuration (v3.0) and SAML metadata (v3-ext)

const OidcFields = {
  access_mode: z.enum(["program", "program_console"]),
  idp_url: z.string().url().max(255),
  client_id: z.string().min(1).max(255),
  authorization_endpoint: z.string().url().max(255).optional(),
  scope: z.string().max(255).regex(/(^|\s)openid(\s|$)/, "must include openid").optional(),
  response_type: z.literal("id_token").optional(),
  response_mode: z.enum(["fragment", "form_post"]).optional(),
  signing_key: z.string().min(1).refine((s) => {
    try {
      return Array.isArray((JSON.parse(s) as { keys?: unknown }).keys);
    } catch {
      return false;
    }
  }, "must be a JWKS document ({\"keys\":[...]})"),
};

export const createOpenIdConnectConfig = iamOperation({
  name: "CreateOpenIdConnectConfig",
  method: "POST",
  path: "/v3.0/OS-FEDERATION/identity-providers/{idp_id}/openid-connect-config",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ openid_connect_config: z.object(OidcFields) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const idp = idpOf(store, scope, ctx.input.path.idp_id!);
    if (store.federation.get(scope.domainId, "oidc", idp.key)) throw iamErrors.conflict("openid connect config", `${idp.key} has one`);
    const b = ctx.input.body.openid_connect_config;
    if (b.access_mode === "program_console" && (!b.authorization_endpoint || !b.scope || !b.response_mode)) {
      throw iamErrors.invalidParameter("program_console access needs authorization_endpoint, scope and response_mode.");
    }
    const value = { response_type: "id_token", ...b };
    store.federation.insert(scope.domainId, "oidc", idp.key, value, ctx.clock.now());
    return { status: 201, body: { openid_connect_config: value } };
  },
});

export const showOpenIdConnectConfig = iamOperation({
  name: "ShowOpenIdConnectConfig",
  method: "GET",
  path: "/v3.0/OS-FEDERATION/identity-providers/{idp_id}/openid-connect-config",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const idp = idpOf(ctx.svc.store, scope, ctx.input.path.idp_id!);
    const row = ctx.svc.store.federation.get(scope.domainId, "oidc", idp.key);
    if (!row) throw iamErrors.notFound("openid connect config", idp.key);
    return { body: { openid_connect_config: row.value } };
  },
});

export const updateOpenIdConnectConfig = iamOperation({
  name: "UpdateOpenIdConnectConfig",
  method: "PUT",
  path: "/v3.0/OS-FEDERATION/identity-providers/{idp_id}/openid-connect-config",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ openid_connect_config: z.object(OidcFields).partial() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const idp = idpOf(store, scope, ctx.input.path.idp_id!);
    const row = store.federation.get(scope.domainId, "oidc", idp.key);
    if (!row) throw iamErrors.notFound("openid connect config", idp.key);
    const value = { ...row.value, ...ctx.input.body.openid_connect_config };
    store.federation.update(scope.domainId, "oidc", idp.key, value);
    return { body: { openid_connect_config: value } };
  },
});

export const createMetadata = iamOperation({
  name: "CreateMetadata",
  method: "POST",
  path: "/v3-ext/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}/metadata",
  adminOnly: true,
  body: z.object({ domain_id: z.string(), xaccount_type: z.string().max(64).optional(), metadata: z.string().min(1).max(1_000_000) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    requireOwnDomain(scope, ctx.input.body.domain_id);
    const { store } = ctx.svc;
    const row = protocolOf(store, scope, ctx.input.path);
    const entity = /<(?:\w+:)?EntityDescriptor\b[^>]*\bentityID="([^"]+)"/.exec(ctx.input.body.metadata);
    if (!entity) throw iamErrors.invalidParameter("metadata is not SAML metadata: no EntityDescriptor with an entityID.");
    const value = { entity_id: entity[1], xaccount_type: ctx.input.body.xaccount_type ?? "", data: ctx.input.body.metadata, update_time: ctx.clock.now() };
    if (store.federation.get(scope.domainId, "metadata", row.key)) store.federation.update(scope.domainId, "metadata", row.key, value);
    else store.federation.insert(scope.domainId, "metadata", row.key, value, ctx.clock.now());
    return { status: 201, body: { message: "Import metadata successful" } };
  },
});

export const showMetadata = iamOperation({
  name: "ShowMetadata",
  method: "GET",
  path: "/v3-ext/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}/metadata",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const protocol = protocolOf(ctx.svc.store, scope, ctx.input.path);
    const row = ctx.svc.store.federation.get(scope.domainId, "metadata", protocol.key);
    if (!row) throw iamErrors.notFound("metadata", protocol.key);
    const [idp, protocolId] = protocol.key.split("/");
    return {
      body: {
        id: `${scope.domainId}_${idp}_${protocolId}`,
        idp_id: idp,
        protocol_id: protocolId,
        domain_id: scope.domainId,
        entity_id: row.value.entity_id,
        xaccount_type: row.value.xaccount_type,
        update_time: isoSeconds(Number(row.value.update_time)),
        data: row.value.data,
      },
    };
  },
});

// ---- what a (federated) caller may reach

export const keystoneListFederationDomains = iamOperation({
  name: "KeystoneListFederationDomains",
  method: "GET",
  path: `${BASE}/domains`,
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const d = ctx.svc.store.domain(scope.domainId)!;
    const base = ctx.request.serviceBase;
    return { body: { domains: [views.domain(d, base)], links: views.listLinks(`${base}${BASE}/domains`) } };
  },
});

export const keystoneListFederationProjects = iamOperation({
  name: "KeystoneListFederationProjects",
  method: "GET",
  path: `${BASE}/projects`,
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const base = ctx.request.serviceBase;
    const projects = store.projects(scope.domainId).filter((p) => scope.principal.isAdmin || store.grantsOfUser(scope.principal.userId, "project", p.id).length > 0 || store.policies.inheritedOfUser(scope.principal.userId).length > 0);
    return { body: { projects: projects.map((p) => views.project(p, base)), links: views.listLinks(`${base}${BASE}/projects`) } };
  },
});

export const federationOperations = [
  keystoneCreateIdentityProvider,
  keystoneListIdentityProviders,
  keystoneShowIdentityProvider,
  keystoneUpdateIdentityProvider,
  keystoneDeleteIdentityProvider,
  keystoneCreateMapping,
  keystoneListMappings,
  keystoneShowMapping,
  keystoneUpdateMapping,
  keystoneDeleteMapping,
  keystoneCreateProtocol,
  keystoneListProtocols,
  keystoneShowProtocol,
  keystoneUpdateProtocol,
  keystoneDeleteProtocol,
  createOpenIdConnectConfig,
  showOpenIdConnectConfig,
  updateOpenIdConnectConfig,
  createMetadata,
  showMetadata,
  keystoneListFederationDomains,
  keystoneListFederationProjects,
];
