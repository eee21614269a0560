// Federation (OS-FEDERATION): identity providers, mappings and protocols (saml, oidc) of a domain, stored and
// validated (OpenID Connect configurations, SAML metadata and what a federated caller may reach:
// federation-config.ts).
// Federated tokens from OIDC ID tokens: federation-tokens.ts. Gap: SAML assertions
// (CreateUnscopeTokenByIdpInitiated) are not exchanged for tokens.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import { iamOperation, requireAdmin, requireScope } from "../context.ts";
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

export function idpOf(store: IamStore, scope: Scope, id: string): FederationRow {
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

export function protocolOf(store: IamStore, scope: Scope, path: Record<string, string>): FederationRow {
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
];
