// Tokens: POST (issue by password or by token), GET (validate), HEAD (check) and DELETE (revoke)
// /v3/auth/tokens. Huawei answers 201 with the token in X-Subject-Token and its description in the body.
import { z } from "../../../kernel/zod.ts";
import type { Principal } from "../../../kernel/identity.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { isoMicros } from "../../../kernel/time.ts";
import { catalogScope } from "../catalog.ts";
import { catalogFor, catalogJson, newTokenId } from "../token-text.ts";
import { exchangeFederatedToken, federatedTokenBody } from "./federation-tokens.ts";
import { agencyTokenView, AssumeRole, assumeAgency, agencyTokenScope } from "../assume-role.ts";
import { roleInDomain } from "../roles.ts";
import { iamOperation, requireScope, type IamContext } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { hashPassword, type TokenRow, type UserRow } from "../store.ts";
import { totpValid } from "../totp.ts";

const NameOrId = z.object({ id: z.string().min(1).optional(), name: z.string().min(1).optional() });

const TokenRequest = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).min(1),
      password: z
        .object({
          user: z.object({
            id: z.string().min(1).optional(),
            name: z.string().min(1).optional(),
            password: z.string(),
            domain: NameOrId.optional(),
          }),
        })
        .optional(),
      token: z.object({ id: z.string().min(1).optional() }).optional(),
      totp: z.object({ user: z.object({ id: z.string().min(1), passcode: z.string().regex(/^\d{6}$/, "must be 6 digits") }) }).optional(),
      assume_role: AssumeRole.optional(),
    }),
    scope: z
      .object({
        project: NameOrId.extend({ domain: NameOrId.optional() }).optional(),
        domain: NameOrId.optional(),
      })
      .optional(),
  }),
});

const NoCatalog = z.object({ nocatalog: z.string().optional() });

type Ctx<I> = HandlerContext<IamContext, I>;

/** What a token says about its scope: the same for every token of a user and scope until IAM changes. */
function scopeView(ctx: Ctx<unknown>, t: TokenRow, user: UserRow) {
  const { store } = ctx.svc;
  return store.cached(`scope:${user.id}:${t.scope_type}:${t.project_id ?? ""}`, () => {
    const domain = store.domain(user.domain_id)!;
    const domainRef = { id: domain.id, name: domain.name };
    const project = t.project_id ? store.project(t.project_id) : undefined;
    const grants =
      t.scope_type === "project" && project
        ? store.grantsOfUser(user.id, "project", project.id)
        : t.scope_type === "domain"
          ? store.grantsOfUser(user.id, "domain", domain.id)
          : [];
    const roles = [...new Set(grants.map((g) => roleInDomain(store, domain.id, g.role_id)?.name).filter((n): n is string => !!n))].map(
      (name) => ({ id: "0", name }),
    );
    const scope =
      t.scope_type === "project" && project
        ? { project: { id: project.id, name: project.name, domain: domainRef } }
        : t.scope_type === "domain"
          ? { domain: domainRef }
          : {};
    const userRef = { id: user.id, name: user.name, password_expires_at: "", domain: domainRef };
    const scopeText = JSON.stringify(scope).slice(1, -1);
    return {
      catalog: catalogScope(store, domain.id, project?.id),
      /** The token body's members after the catalog, as JSON text: scope, roles and user. */
      tail: `${scopeText ? `,${scopeText}` : ""},"roles":${JSON.stringify(roles)},"user":${JSON.stringify(userRef)}`,
    };
  });
}

/**
 * The token description that POST and GET share, as JSON text: {"token":{methods, expires_at, issued_at,
 * catalog, project | domain, roles, user}}. All but the times and methods are kept serialized per scope and
 * endpoint; serializing the ~2 KB catalog on every request was a fifth of a token issue's CPU.
 */
export function tokenBody(ctx: Ctx<unknown>, t: TokenRow, user: UserRow, withCatalog: boolean): string {
  // An agency token (assume_role) describes the agency as its user and the delegated user as assumed_by.
  const agencyView = t.agency_id !== null ? agencyTokenView(ctx.svc.store, t, user) : undefined;
  if (t.agency_id !== null && !agencyView) throw iamErrors.tokenInvalid();
  const view = agencyView ?? { ...scopeView(ctx, t, user), head: "" };
  const catalog = withCatalog ? catalogJson(ctx, view.catalog) : "[]";
  return (
    `{"token":{"methods":${JSON.stringify(t.methods)},"expires_at":"${isoMicros(t.expires_at)}",` +
    `"issued_at":"${isoMicros(t.issued_at)}"${view.head},"catalog":${catalog}${view.tail}}}`
  );
}

function authenticatePassword(ctx: Ctx<unknown>, p: NonNullable<z.infer<typeof TokenRequest>["auth"]["identity"]["password"]>) {
  const { store } = ctx.svc;
  let user: UserRow | undefined;
  if (p.user.id) user = store.user(p.user.id);
  else if (p.user.name) {
    const d = p.user.domain;
    if (!d || (!d.id && !d.name)) throw iamErrors.requiredProperty("auth.identity.password.user.domain");
    const name = p.user.name;
    user = store.cached(`user:${d.id ?? ""}:${d.name ?? ""}:${name}`, () => {
      const domain = d.id ? store.domain(d.id) : store.domainByName(d.name!);
      return domain && store.userByName(domain.id, name);
    });
  } else {
    throw iamErrors.requiredProperty("auth.identity.password.user.name");
  }
  if (!user || !user.password_hash || !user.password_salt) throw iamErrors.wrongPassword();
  if (hashPassword(p.user.password, user.password_salt) !== user.password_hash) throw iamErrors.wrongPassword();
  if (!user.enabled) throw iamErrors.userDisabled(user.name);
  return user;
}

function tokenUser(ctx: Ctx<unknown>, id: string | undefined, caller: Principal | undefined): UserRow {
  let tokenId = id;
  if (!tokenId && caller?.via === "token") tokenId = caller.tokenId;
  if (!tokenId) throw iamErrors.requiredProperty("auth.identity.token.id");
  const looked = ctx.svc.identity.tokenRecord(tokenId);
  if (!looked.ok) throw looked.reason === "expired" ? iamErrors.tokenExpired() : iamErrors.tokenInvalid();
  if (looked.row.agency_id !== null) throw iamErrors.forbidden("An agency token cannot be exchanged for a token; assume the agency again.");
  return looked.user;
}

type ScopeRequest = z.infer<typeof TokenRequest>["auth"]["scope"];

/** The scope a token request asks for, checked against the user; the same answer until IAM changes. */
function resolveScope(ctx: Ctx<unknown>, user: UserRow, scope: ScopeRequest) {
  return ctx.svc.store.cached(`token-scope:${user.id}:${JSON.stringify(scope ?? null)}`, () => checkScope(ctx, user, scope));
}

function checkScope(ctx: Ctx<unknown>, user: UserRow, scope: ScopeRequest) {
  const { store } = ctx.svc;
  const notAuthorized = () => iamErrors.authRequired();
  if (scope?.project) {
    const pr = scope.project;
    let project;
    if (pr.id) project = store.project(pr.id);
    else if (pr.name) {
      const d = pr.domain;
      const domain = d?.id ? store.domain(d.id) : d?.name ? store.domainByName(d.name) : store.domain(user.domain_id);
      project = domain && store.projectByName(domain.id, pr.name);
    } else throw iamErrors.requiredProperty("auth.scope.project.name");
    if (!project || project.domain_id !== user.domain_id || !project.enabled) throw notAuthorized();
    return { scope_type: "project" as const, project_id: project.id };
  }
  if (scope?.domain) {
    const d = scope.domain;
    if (!d.id && !d.name) throw iamErrors.requiredProperty("auth.scope.domain.name");
    const domain = d.id ? store.domain(d.id) : store.domainByName(d.name!);
    if (!domain || domain.id !== user.domain_id) throw notAuthorized();
    return { scope_type: "domain" as const, project_id: null };
  }
  // Huawei: a request without scope gets a domain-level token.
  return { scope_type: "domain" as const, project_id: null };
}

function subjectHeaders(id: string): Record<string, string> {
  return { "X-Subject-Token": id };
}

export const keystoneCreateUserTokenByPassword = iamOperation({
  name: "KeystoneCreateUserTokenByPassword",
  method: "POST",
  path: "/v3/auth/tokens",
  auth: "optional",
  query: NoCatalog,
  body: TokenRequest,
  handle(ctx) {
    const { identity, scope } = ctx.input.body.auth;
    const methods = identity.methods;
    const now = ctx.clock.now();
    let user: UserRow;
    let placed: { scope_type: TokenRow["scope_type"]; project_id: string | null } | undefined;
    let agencyId: string | null = null;
    let expiresAt = now + ctx.svc.tokenTtlMs;
    if (methods.includes("assume_role")) {
      // KeystoneCreateAgencyToken: a user of the trusted domain (by token or AK/SK) gets a token of the agency
      // in the delegating domain, which lasts no longer than the agency.
      if (methods.length !== 1) throw iamErrors.methodNotSupported(methods.join(","));
      const assumed = assumeAgency(ctx.svc.store, ctx.scope?.principal, identity.assume_role, now);
      user = assumed.user;
      placed = agencyTokenScope(ctx.svc.store, assumed, scope);
      agencyId = assumed.agency.id;
      if (assumed.endsAt !== undefined) expiresAt = Math.min(expiresAt, assumed.endsAt);
    } else if (methods.length === 2 && methods.includes("password") && methods.includes("totp")) {
      // Password and a virtual MFA code (KeystoneCreateUserTokenByPasswordAndMfa): the code of the user's bound
      // device for now or a step either side, on hwlocal's clock. Huawei asks for a scope here.
      if (!identity.password) throw iamErrors.requiredProperty("auth.identity.password");
      if (!identity.totp) throw iamErrors.requiredProperty("auth.identity.totp");
      if (!scope?.project && !scope?.domain) throw iamErrors.requiredProperty("auth.scope");
      user = authenticatePassword(ctx, identity.password);
      const device = ctx.svc.store.settings.mfaOfUser(user.id);
      if (identity.totp.user.id !== user.id || !device?.bound || !totpValid(device.secret, ctx.clock.now(), identity.totp.user.passcode)) {
        throw iamErrors.mfaFailed();
      }
      ctx.svc.identity.touchLogin(user.id);
    } else if (methods.includes("totp")) {
      throw iamErrors.methodNotSupported(methods.join(","));
    } else if (methods.length === 1 && methods[0] === "password") {
      if (!identity.password) throw iamErrors.requiredProperty("auth.identity.password");
      user = authenticatePassword(ctx, identity.password);
      ctx.svc.identity.touchLogin(user.id);
    } else if (methods.length === 1 && methods[0] === "token") {
      // A federated user's token (OIDC ID token) is exchanged for one of the same federated user.
      const federated = exchangeFederatedToken(ctx, identity.token?.id, ctx.scope?.principal, scope);
      if (federated) return federated;
      user = tokenUser(ctx, identity.token?.id, ctx.scope?.principal);
    } else {
      throw iamErrors.methodNotSupported(methods.join(","));
    }
    const row: TokenRow = {
      id: newTokenId(ctx),
      user_id: user.id,
      ...(placed ?? resolveScope(ctx, user, scope)),
      methods,
      issued_at: now,
      expires_at: expiresAt,
      revoked: false,
      agency_id: agencyId,
    };
    ctx.svc.store.insertToken(row);
    return {
      status: 201,
      headers: subjectHeaders(row.id),
      json: tokenBody(ctx, row, user, ctx.input.query.nocatalog !== "true"),
    };
  },
});

const SubjectHeader = z.object({ "x-subject-token": z.string().min(1) });

/** Finds the subject token and checks that the caller may see it: itself, or an administrator. */
function subject(ctx: Ctx<{ headers: z.infer<typeof SubjectHeader> }>) {
  const scope = requireScope(ctx.scope);
  const id = ctx.input.headers["x-subject-token"];
  const record = ctx.svc.identity.tokenRecord(id);
  // A federated user's token (OIDC ID token) is no stored user's: its body is built apart (federatedTokenBody).
  const fed = !record.ok && record.reason === "unknown" ? ctx.svc.identity.federatedRecord(id) : undefined;
  const looked = fed?.ok ? fed : record;
  // An agency token belongs to the delegating domain and to the agency (its principal), like its requests.
  if (!looked.ok || looked.principal.domainId !== scope.domainId) throw iamErrors.subjectTokenInvalid();
  if (!scope.principal.isAdmin && looked.principal.userId !== scope.principal.userId) throw iamErrors.forbidden();
  if (fed?.ok) return { kind: "federated" as const, row: fed.row };
  if (!record.ok) throw iamErrors.subjectTokenInvalid();
  return { kind: "user" as const, row: record.row, user: record.user };
}

export const keystoneValidateToken = iamOperation({
  name: "KeystoneValidateToken",
  method: "GET",
  path: "/v3/auth/tokens",
  query: NoCatalog,
  headers: SubjectHeader,
  handle(ctx) {
    const t = subject(ctx);
    const withCatalog = ctx.input.query.nocatalog !== "true";
    return {
      headers: subjectHeaders(t.row.id),
      json: t.kind === "federated" ? federatedTokenBody(ctx, t.row, withCatalog) : tokenBody(ctx, t.row, t.user, withCatalog),
    };
  },
});

export const keystoneCheckToken = iamOperation({
  name: "KeystoneCheckToken",
  method: "HEAD",
  path: "/v3/auth/tokens",
  headers: SubjectHeader,
  handle(ctx) {
    const { row } = subject(ctx);
    return { status: 200, headers: subjectHeaders(row.id) };
  },
});

export const keystoneRevokeToken = iamOperation({
  name: "KeystoneRevokeToken",
  method: "DELETE",
  path: "/v3/auth/tokens",
  headers: SubjectHeader,
  handle(ctx) {
    const t = subject(ctx);
    if (t.kind === "federated") ctx.svc.store.federatedTokens.revoke(t.row.id);
    else ctx.svc.store.revokeToken(t.row.id);
    return { status: 204 };
  },
});

export const keystoneShowCatalog = iamOperation({
  name: "KeystoneShowCatalog",
  method: "GET",
  path: "/v3/auth/catalog",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const where = catalogScope(store, scope.domainId, scope.principal.tokenProjectId);
    return { body: { catalog: catalogFor(ctx, where), links: { self: `${ctx.request.serviceBase}/v3/auth/catalog` } } };
  },
});

export const tokenOperations = [
  keystoneCreateUserTokenByPassword,
  keystoneValidateToken,
  keystoneCheckToken,
  keystoneRevokeToken,
  keystoneShowCatalog,
];
