// Federation, continued: OpenID Connect configurations (/v3.0) and SAML metadata (/v3-ext) of a domain's
// identity providers, and the domains and projects a (federated) caller may reach.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { iamOperation, requireAdmin, requireOwnDomain, requireScope } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { federatedProjectIds } from "../roles.ts";
import * as views from "../views.ts";
import { idpOf, protocolOf } from "./federation.ts";

const BASE = "/v3/OS-FEDERATION";

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
    const federation = scope.principal.federation;
    const reachable = federation && federatedProjectIds(store, scope.domainId, federation.groupIds);
    const projects = store.projects(scope.domainId).filter((p) =>
      reachable ? reachable.has(p.id) : scope.principal.isAdmin || store.grantsOfUser(scope.principal.userId, "project", p.id).length > 0 || store.policies.inheritedOfUser(scope.principal.userId).length > 0,
    );
    return { body: { projects: projects.map((p) => views.project(p, base)), links: views.listLinks(`${base}${BASE}/projects`) } };
  },
});

export const federationConfigOperations = [
  createOpenIdConnectConfig,
  showOpenIdConnectConfig,
  updateOpenIdConnectConfig,
  createMetadata,
  showMetadata,
  keystoneListFederationDomains,
  keystoneListFederationProjects,
];
