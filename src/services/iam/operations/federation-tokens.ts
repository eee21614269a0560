// Federated tokens from OpenID Connect ID tokens, checked offline (oidc.ts):
//   CreateUnscopedTokenWithIdToken  POST /v3/OS-FEDERATION/identity_providers/{idp_id}/protocols/oidc/auth,
//     the ID token in "Authorization: Bearer <id_token>", no body: an unscoped token.
//   CreateTokenWithIdToken          POST /v3.0/OS-AUTH/id-token/tokens, X-Idp-Id, body
//     {auth: {id_token: {id}, scope?: {project | domain: {id | name}}}}: a token of that scope, else unscoped.
// Neither needs a credential (the ID token is one): the SDK signs the second with AK/SK when it has a key, and
// core's federated credentials send the first unsigned. The identity provider is found by its id in whichever
// domain holds it (each such domain's configuration judges the ID token on its own); it must be enabled, have
// an "oidc" protocol with a mapping and an OpenID Connect configuration whose signing_key verifies the token.
// The mapping's rules make the federated user's name and groups (groups named there that the domain lacks are
// left out); the token carries those groups' grants and the gateway judges it by them (authorize.ts). The
// federated user is not a stored user: its id is derived from the domain, the identity provider and the name.
// A scope must be one where those groups hold a grant (401 otherwise, as for an agency token).
import { createHash } from "node:crypto";
import { ApiError } from "../../../kernel/api-error.ts";
import type { Principal } from "../../../kernel/identity.ts";
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { isoMicros } from "../../../kernel/time.ts";
import { catalogScope } from "../catalog.ts";
import { iamOperation, type IamContext } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { applyMapping, checkIdToken, type MappingRule } from "../oidc.ts";
import { groupPolicies, type EffectivePolicy } from "../roles.ts";
import type { DomainRow, IamStore, ProjectRow } from "../store.ts";
import type { FederatedTokenRow } from "../store/federated-tokens.ts";
import { catalogJson, newTokenId } from "../token-text.ts";

type Ctx = HandlerContext<IamContext, unknown>;

interface Federated {
  domain: DomainRow;
  idpId: string;
  userName: string;
  userId: string;
  groupIds: string[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

type Judged = { ok: true; f: Federated } | { ok: false; error: ApiError; signed: boolean };

/** The ID token judged by one domain's identity provider `idpId`; signed: its signing_key verified the token. */
function federateIn(store: IamStore, domainId: string, idpId: string, idToken: string, now: number): Judged {
  const domain = store.domain(domainId);
  const idp = store.federation.get(domainId, "idp", idpId);
  const protocol = store.federation.get(domainId, "protocol", `${idpId}/oidc`);
  const config = store.federation.get(domainId, "oidc", idpId);
  if (!domain || !idp) return { ok: false, signed: false, error: iamErrors.notFound("identity provider", idpId) };
  if (!protocol) return { ok: false, signed: false, error: iamErrors.notFound("protocol", `${idpId}/oidc`) };
  if (!config) return { ok: false, signed: false, error: iamErrors.notFound("openid connect config", idpId) };
  const checked = checkIdToken(idToken, { idp_url: str(config.value.idp_url), client_id: str(config.value.client_id), signing_key: str(config.value.signing_key) }, now);
  if (!checked.ok) return { ok: false, signed: checked.signed, error: iamErrors.idTokenRefused(checked.reason) };
  if (idp.value.enabled !== true) return { ok: false, signed: true, error: iamErrors.forbidden(`The identity provider ${idpId} is disabled.`) };
  const mappingId = str(protocol.value.mapping_id);
  const rules = (store.federation.get(domainId, "mapping", mappingId)?.value.rules ?? []) as MappingRule[];
  const mapped = applyMapping(rules, checked.claims);
  if (!mapped) return { ok: false, signed: true, error: iamErrors.idTokenRefused(`no rule of the mapping ${mappingId} maps the id_token's claims to a user`) };
  const groupIds = [...new Set(mapped.groupNames.map((n) => store.groupByName(domainId, n)?.id).filter((id): id is string => id !== undefined))].sort();
  const userId = createHash("sha256").update(`${domainId}/${idpId}/${mapped.userName}`).digest("hex").slice(0, 32);
  return { ok: true, f: { domain, idpId, userName: mapped.userName, userId, groupIds } };
}

/**
 * The ID token judged by the identity provider `idpId` of each domain holding one, until one accepts it. A
 * refusal comes from the domain whose signing_key verified the token if one did (its claims, its disabled
 * provider, its mapping), else from the first domain.
 */
function federate(store: IamStore, idpId: string, idToken: string, now: number): Federated {
  const domains = store.federation.domainsWith("idp", idpId);
  if (domains.length === 0) throw iamErrors.notFound("identity provider", idpId);
  let refusal: ApiError | undefined;
  for (const domainId of domains) {
    const judged = federateIn(store, domainId, idpId, idToken, now);
    if (judged.ok) return judged.f;
    if (judged.signed) throw judged.error;
    refusal ??= judged.error;
  }
  throw refusal!;
}

/** The groups' grants a token of this scope carries (project: project and all-projects grants, and AA domain grants). */
function grantsFor(store: IamStore, domainId: string, groupIds: string[], project: ProjectRow | undefined): EffectivePolicy[] {
  const all = groupPolicies(store, domainId, groupIds, project?.id);
  if (project === undefined) return all.filter((p) => p.grantedOn === "domain");
  return all.filter((p) => p.grantedOn !== "domain" || p.role.type === "AA");
}

const NameOrId = z.object({ id: z.string().min(1).optional(), name: z.string().min(1).optional() });
const Scope = z.object({ project: NameOrId.optional(), domain: NameOrId.optional() });

function placeScope(store: IamStore, f: Federated, scope: z.infer<typeof Scope> | undefined): Pick<FederatedTokenRow, "scope_type" | "project_id"> {
  if (scope?.project) {
    const pr = scope.project;
    if (!pr.id && !pr.name) throw iamErrors.requiredProperty("auth.scope.project.name");
    const project = pr.id ? store.project(pr.id) : store.projectByName(f.domain.id, pr.name!);
    if (!project || project.domain_id !== f.domain.id || !project.enabled) throw iamErrors.authRequired();
    if (grantsFor(store, f.domain.id, f.groupIds, project).length === 0) throw iamErrors.federatedNoGrants(f.userName, `project ${project.name}`);
    return { scope_type: "project", project_id: project.id };
  }
  if (scope?.domain) {
    const d = scope.domain;
    if (!d.id && !d.name) throw iamErrors.requiredProperty("auth.scope.domain.name");
    const domain = d.id ? store.domain(d.id) : store.domainByName(d.name!);
    if (!domain || domain.id !== f.domain.id) throw iamErrors.authRequired();
    if (grantsFor(store, f.domain.id, f.groupIds, undefined).length === 0) throw iamErrors.federatedNoGrants(f.userName, `domain ${domain.name}`);
    return { scope_type: "domain", project_id: null };
  }
  return { scope_type: "unscoped", project_id: null };
}

/**
 * A federated token's description: methods ["mapped"], times, catalog (empty when unscoped), scope, the roles
 * its groups hold there, and the user with its OS-FEDERATION member (identity provider, protocol, groups).
 */
export function federatedTokenBody(ctx: Ctx, t: FederatedTokenRow, withCatalog = true): string {
  const { store } = ctx.svc;
  const domain = store.domain(t.domain_id);
  if (!domain) throw iamErrors.tokenInvalid();
  const domainRef = { id: domain.id, name: domain.name };
  const project = t.project_id !== null ? store.project(t.project_id) : undefined;
  const roles = t.scope_type === "unscoped" ? [] : [...new Set(grantsFor(store, domain.id, t.group_ids, project).map((p) => p.role.name))].map((name) => ({ id: "0", name }));
  const scope = project ? { project: { id: project.id, name: project.name, domain: domainRef } } : t.scope_type === "domain" ? { domain: domainRef } : {};
  const user = {
    id: t.user_id,
    name: t.user_name,
    domain: domainRef,
    "OS-FEDERATION": { identity_provider: { id: t.idp_id }, protocol: { id: t.protocol_id }, groups: t.group_ids.map((id) => ({ id })) },
  };
  const catalog = t.scope_type === "unscoped" || !withCatalog ? "[]" : catalogJson(ctx, catalogScope(store, domain.id, project?.id));
  const scopeText = JSON.stringify(scope).slice(1, -1);
  return (
    `{"token":{"methods":${JSON.stringify(t.methods)},"expires_at":"${isoMicros(t.expires_at)}","issued_at":"${isoMicros(t.issued_at)}",` +
    `"catalog":${catalog}${scopeText ? `,${scopeText}` : ""},"roles":${JSON.stringify(roles)},"user":${JSON.stringify(user)}}}`
  );
}

function issue(ctx: Ctx, f: Federated, placed: Pick<FederatedTokenRow, "scope_type" | "project_id">, how?: { methods: string[]; expiresAt: number; protocolId: string }) {
  const now = ctx.clock.now();
  const row: FederatedTokenRow = {
    id: newTokenId(ctx),
    domain_id: f.domain.id,
    idp_id: f.idpId,
    protocol_id: how?.protocolId ?? "oidc",
    user_id: f.userId,
    user_name: f.userName,
    group_ids: f.groupIds,
    ...placed,
    methods: how?.methods ?? ["mapped"],
    issued_at: now,
    expires_at: Math.min(now + ctx.svc.tokenTtlMs, how?.expiresAt ?? Number.MAX_SAFE_INTEGER),
    revoked: false,
  };
  ctx.svc.store.federatedTokens.insert(row);
  return { status: 201, headers: { "X-Subject-Token": row.id }, json: federatedTokenBody(ctx, row) };
}

/**
 * POST /v3/auth/tokens by the token method with a federated token (the body's, else the caller's): Keystone's
 * rescoping, a token of the same federated user and groups for `scope`, ending when the first one ends.
 * undefined when the token is not a federated one.
 */
export function exchangeFederatedToken(ctx: Ctx, id: string | undefined, caller: Principal | undefined, scope: z.infer<typeof Scope> | undefined) {
  const tokenId = id ?? (caller?.via === "token" ? caller.tokenId : undefined);
  if (tokenId === undefined) return undefined;
  const looked = ctx.svc.identity.federatedRecord(tokenId);
  if (!looked.ok) {
    if (looked.reason === "unknown") return undefined;
    throw looked.reason === "expired" ? iamErrors.tokenExpired() : iamErrors.tokenInvalid();
  }
  const { row } = looked;
  const domain = ctx.svc.store.domain(row.domain_id);
  if (!domain) throw iamErrors.tokenInvalid();
  const f: Federated = { domain, idpId: row.idp_id, userName: row.user_name, userId: row.user_id, groupIds: row.group_ids };
  return issue(ctx, f, placeScope(ctx.svc.store, f, scope), { methods: ["token"], expiresAt: row.expires_at, protocolId: row.protocol_id });
}

export const createUnscopedTokenWithIdToken = iamOperation({
  name: "CreateUnscopedTokenWithIdToken",
  method: "POST",
  path: "/v3/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}/auth",
  auth: "none",
  headers: z.object({ authorization: z.string().optional() }),
  handle(ctx) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.input.headers.authorization ?? "");
    if (!bearer) throw iamErrors.idTokenRefused("the Authorization header must be \"Bearer <id_token>\"");
    if (ctx.input.path.protocol_id !== "oidc") {
      throw iamErrors.invalidParameter(`protocol_id ${ctx.input.path.protocol_id ?? ""} does not take an id_token: use oidc.`);
    }
    const f = federate(ctx.svc.store, ctx.input.path.idp_id!, bearer[1]!, ctx.clock.now());
    return issue(ctx, f, { scope_type: "unscoped", project_id: null });
  },
});

export const createTokenWithIdToken = iamOperation({
  name: "CreateTokenWithIdToken",
  method: "POST",
  path: "/v3.0/OS-AUTH/id-token/tokens",
  auth: "none",
  errorShape: "plain",
  headers: z.object({ "x-idp-id": z.string().min(1).optional() }),
  body: z.object({ auth: z.object({ id_token: z.object({ id: z.string().min(1) }), scope: Scope.optional() }) }),
  handle(ctx) {
    const idpId = ctx.input.headers["x-idp-id"];
    if (!idpId) throw iamErrors.requiredProperty("X-Idp-Id");
    const { store } = ctx.svc;
    const f = federate(store, idpId, ctx.input.body.auth.id_token.id, ctx.clock.now());
    return issue(ctx, f, placeScope(store, f, ctx.input.body.auth.scope));
  },
});

export const federationTokenOperations = [createUnscopedTokenWithIdToken, createTokenWithIdToken];
