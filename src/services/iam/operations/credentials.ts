// Access keys: permanent ones (/v3.0/OS-CREDENTIAL/credentials) and temporary ones with a security token
// (/v3.0/OS-CREDENTIAL/securitytokens). A new key signs requests at once; an inactive, deleted or expired
// one is refused at once, because the gateway reads the same rows on every request.
import { z } from "../../../kernel/zod.ts";
import { isoMicros } from "../../../kernel/time.ts";
import { AssumeRole, assumeAgency } from "../assume-role.ts";
import { iamOperation, requireScope, requireSelfOrAdmin, userInDomain, type IamContext } from "../context.ts";
import { iamErrors } from "../errors.ts";
import * as views from "../views.ts";
import type { HandlerContext, Scope } from "../../../kernel/service.ts";
import type { FederationActor, Principal } from "../../../kernel/identity.ts";
import type { CredentialRow, IamStore } from "../store.ts";

/** Huawei allows two permanent keys per user. */
const MAX_KEYS_PER_USER = 2;

function keyInDomain(store: IamStore, scope: Scope, access: string): CredentialRow {
  const c = store.credential(access);
  const owner = c && store.user(c.user_id);
  if (!c || c.security_token !== null || !owner || owner.domain_id !== scope.domainId) {
    throw iamErrors.notFound("credential", access);
  }
  if (!scope.principal.isAdmin && owner.id !== scope.principal.userId) throw iamErrors.forbidden();
  return c;
}

export const createPermanentAccessKey = iamOperation({
  name: "CreatePermanentAccessKey",
  method: "POST",
  path: "/v3.0/OS-CREDENTIAL/credentials",
  errorShape: "plain",
  body: z.object({ credential: z.object({ user_id: z.string().min(1), description: z.string().max(255).optional() }) }),
  handle(ctx) {
    const b = ctx.input.body.credential;
    const scope = requireSelfOrAdmin(ctx.scope, b.user_id);
    const { store } = ctx.svc;
    const user = userInDomain(store, scope, b.user_id);
    if (store.permanentCredentials(user.id).length >= MAX_KEYS_PER_USER) throw iamErrors.accessKeyQuota();
    const access = ctx.ids.accessKey();
    store.insertCredential({
      access,
      secret: ctx.ids.secretKey(),
      userId: user.id,
      description: b.description ?? "",
      now: ctx.clock.now(),
    });
    return { status: 201, body: { credential: views.permanentCredential(store.credential(access)!, true, false) } };
  },
});

export const listPermanentAccessKeys = iamOperation({
  name: "ListPermanentAccessKeys",
  method: "GET",
  path: "/v3.0/OS-CREDENTIAL/credentials",
  errorShape: "plain",
  query: z.object({ user_id: z.string().min(1).optional() }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const userId = ctx.input.query.user_id ?? (scope.principal.isAdmin ? undefined : scope.principal.userId);
    let rows: CredentialRow[];
    if (userId === undefined) rows = store.permanentCredentialsInDomain(scope.domainId);
    else {
      requireSelfOrAdmin(scope, userId);
      rows = store.permanentCredentials(userInDomain(store, scope, userId).id);
    }
    return { body: { credentials: rows.map((c) => views.permanentCredential(c, false, false)) } };
  },
});

export const showPermanentAccessKey = iamOperation({
  name: "ShowPermanentAccessKey",
  method: "GET",
  path: "/v3.0/OS-CREDENTIAL/credentials/{access_key}",
  errorShape: "plain",
  handle(ctx) {
    const c = keyInDomain(ctx.svc.store, requireScope(ctx.scope), ctx.input.path.access_key!);
    return { body: { credential: views.permanentCredential(c, false, true) } };
  },
});

export const updatePermanentAccessKey = iamOperation({
  name: "UpdatePermanentAccessKey",
  method: "PUT",
  path: "/v3.0/OS-CREDENTIAL/credentials/{access_key}",
  errorShape: "plain",
  body: z.object({
    credential: z.object({ status: z.enum(["active", "inactive"]).optional(), description: z.string().max(255).optional() }),
  }),
  handle(ctx) {
    const { store } = ctx.svc;
    const c = keyInDomain(store, requireScope(ctx.scope), ctx.input.path.access_key!);
    const b = ctx.input.body.credential;
    store.updateCredential(c.access, b.status ?? c.status, b.description ?? c.description);
    return { body: { credential: views.permanentCredential(store.credential(c.access)!, false, false) } };
  },
});

export const deletePermanentAccessKey = iamOperation({
  name: "DeletePermanentAccessKey",
  method: "DELETE",
  path: "/v3.0/OS-CREDENTIAL/credentials/{access_key}",
  errorShape: "plain",
  handle(ctx) {
    const c = keyInDomain(ctx.svc.store, requireScope(ctx.scope), ctx.input.path.access_key!);
    ctx.svc.store.deleteCredential(c.access);
    return { status: 204 };
  },
});

const SecurityTokenRequest = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).min(1),
      token: z
        .object({ id: z.string().min(1).optional(), duration_seconds: z.number().int().optional() })
        .optional(),
      assume_role: AssumeRole.optional(),
      policy: z.unknown().optional(),
    }),
  }),
});

export const createTemporaryAccessKeyByToken = iamOperation({
  name: "CreateTemporaryAccessKeyByToken",
  method: "POST",
  path: "/v3.0/OS-CREDENTIAL/securitytokens",
  errorShape: "plain",
  body: SecurityTokenRequest,
  handle(ctx) {
    const identity = ctx.input.body.auth.identity;
    const now = ctx.clock.now();
    let userId: string;
    let projectId: string | undefined;
    let agencyId: string | undefined;
    let duration: number;
    let endsAt: number | undefined;
    if (identity.methods.length === 1 && identity.methods[0] === "assume_role") {
      // CreateTemporaryAccessKeyByAgency: a user of the trusted domain gets a key acting by the agency in the
      // delegating domain (wherever the agency holds grants), lasting no longer than the agency.
      const assumed = assumeAgency(ctx.svc.store, ctx.scope?.principal, identity.assume_role, now);
      userId = assumed.user.id;
      agencyId = assumed.agency.id;
      endsAt = assumed.endsAt;
      duration = identity.assume_role?.duration_seconds ?? 900;
    } else if (identity.methods.length === 1 && identity.methods[0] === "token") {
      const scope = requireScope(ctx.scope);
      // The user is the one the body's token names, else the caller (by token, or by AK/SK as the SDK signs it).
      // A project-scoped token (or a temporary key issued from one) passes its project on: the new key acts only
      // there, as the token did; an agency token (or key) passes its agency on.
      let actor = scope.principal;
      const bodyToken = identity.token?.id;
      if (bodyToken) {
        const looked = ctx.svc.identity.token(bodyToken);
        if (!looked.ok) throw looked.reason === "expired" ? iamErrors.tokenExpired() : iamErrors.tokenInvalid();
        if (looked.principal.domainId !== scope.domainId) throw iamErrors.tokenInvalid();
        actor = looked.principal;
      }
      duration = identity.token?.duration_seconds ?? 900;
      // A federated user (OIDC ID token) is no stored user: its key keeps the token's identity and groups.
      if (actor.federation) return federatedKey(ctx, actor, actor.federation, duration);
      userId = actor.agency?.assumedBy.userId ?? actor.userId;
      agencyId = actor.agency?.id;
      projectId = actor.tokenProjectId;
    } else {
      throw iamErrors.methodNotSupported(identity.methods.join(","));
    }
    if (duration < 900 || duration > 86400) throw iamErrors.invalidField("duration_seconds", String(duration));
    const expiresAt = Math.min(now + duration * 1000, endsAt ?? Number.MAX_SAFE_INTEGER);
    const access = ctx.ids.accessKey();
    const secret = ctx.ids.secretKey();
    const securitytoken = ctx.ids.securityToken();
    ctx.svc.store.insertCredential({
      access,
      secret,
      userId,
      description: "temporary",
      now,
      securityToken: securitytoken,
      expiresAt,
      methods: agencyId !== undefined ? ["assume_role"] : ["token"],
      ...(projectId !== undefined ? { projectId } : {}),
      ...(agencyId !== undefined ? { agencyId } : {}),
    });
    return { status: 201, body: { credential: { access, secret, securitytoken, expires_at: isoMicros(expiresAt) } } };
  },
});

/** A temporary key of a federated user, acting as its token did (same user, groups and project). */
function federatedKey(ctx: HandlerContext<IamContext, unknown>, actor: Principal, f: FederationActor, duration: number) {
  if (duration < 900 || duration > 86400) throw iamErrors.invalidField("duration_seconds", String(duration));
  const now = ctx.clock.now();
  const row = {
    access: ctx.ids.accessKey(),
    secret: ctx.ids.secretKey(),
    security_token: ctx.ids.securityToken(),
    domain_id: actor.domainId,
    idp_id: f.idpId,
    protocol_id: f.protocolId,
    user_id: actor.userId,
    user_name: actor.userName,
    group_ids: f.groupIds,
    project_id: actor.tokenProjectId ?? null,
    created_at: now,
    expires_at: now + duration * 1000,
  };
  ctx.svc.store.federatedTokens.insertKey(row);
  return { status: 201, body: { credential: { access: row.access, secret: row.secret, securitytoken: row.security_token, expires_at: isoMicros(row.expires_at) } } };
}

export const credentialOperations = [
  createPermanentAccessKey,
  listPermanentAccessKeys,
  showPermanentAccessKey,
  updatePermanentAccessKey,
  deletePermanentAccessKey,
  createTemporaryAccessKeyByToken,
];
