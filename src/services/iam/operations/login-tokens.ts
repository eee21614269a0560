// Login tokens (POST /v3.0/OS-AUTH/securitytoken/logintokens): a temporary access key with its security
// token buys a login token for the console, in the X-Subject-LoginToken header. hwlocal has no console login
// that reads them, so they are issued, not stored. A key issued by agency (assume_role) logs in as the agency
// in the delegating domain, with assumed_by naming its user (LoginToken's fields in the SDK). Doubt: its
// method then says "assume_role" (our sources show only "token"). A federated user's temporary key (OIDC ID
// token) logs in as the federated user, method "token".
import { z } from "../../../kernel/zod.ts";
import { isoMicros } from "../../../kernel/time.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { iamOperation, type IamContext } from "../context.ts";
import { iamErrors } from "../errors.ts";

const DEFAULT_SECONDS = 600;

export const createLoginToken = iamOperation({
  name: "CreateLoginToken",
  method: "POST",
  path: "/v3.0/OS-AUTH/securitytoken/logintokens",
  auth: "optional",
  errorShape: "plain",
  body: z.object({
    auth: z.object({
      securitytoken: z.object({ access: z.string().min(1), secret: z.string().min(1), id: z.string().min(1), duration_seconds: z.number().int().min(600).max(43200).optional() }),
    }),
  }),
  handle(ctx) {
    const t = ctx.input.body.auth.securitytoken;
    const { store } = ctx.svc;
    const cred = store.credential(t.access);
    const now = ctx.clock.now();
    if (!cred) {
      const federated = federatedLoginToken(ctx, t);
      if (federated) return federated;
    }
    // Only a temporary key with its own secret and security token; an expired one says so.
    if (!cred || cred.security_token === null || cred.secret !== t.secret || cred.security_token !== t.id) throw iamErrors.invalidParameter("auth.securitytoken does not name a temporary access key.");
    if (cred.expires_at !== null && cred.expires_at <= now) throw iamErrors.securityTokenExpired();
    const user = store.user(cred.user_id);
    if (!user || !user.enabled) throw iamErrors.userDisabled(user?.name ?? cred.user_id);
    const expiresAt = Math.min(now + (t.duration_seconds ?? DEFAULT_SECONDS) * 1000, cred.expires_at ?? Number.MAX_SAFE_INTEGER);
    const token = `${ctx.ids.token()}${ctx.ids.hex32()}`;
    // A key issued by agency logs in as the agency in the delegating domain, assumed by the key's user.
    const record = cred.agency_id !== null ? ctx.svc.identity.accessKey(cred.access) : undefined;
    if (record?.refusal !== undefined) throw iamErrors.forbidden(`The access key cannot be used: ${record.refusal}.`);
    const actor = record?.principal;
    const by = actor?.agency?.assumedBy;
    return {
      status: 201,
      headers: { "X-Subject-LoginToken": token },
      body: {
        logintoken: {
          domain_id: actor?.domainId ?? user.domain_id,
          expires_at: isoMicros(expiresAt),
          method: actor ? "assume_role" : "token",
          user_id: actor?.userId ?? user.id,
          user_name: actor?.userName ?? user.name,
          ...(by ? { assumed_by: { user: { id: by.userId, name: by.userName, domain: { id: by.domainId, name: by.domainName } } } } : {}),
        },
      },
    };
  },
});

/** A federated user's temporary key (OIDC ID token) logs in as that federated user; undefined: not one. */
function federatedLoginToken(ctx: HandlerContext<IamContext, unknown>, t: { access: string; secret: string; id: string; duration_seconds?: number | undefined }) {
  const key = ctx.svc.store.federatedTokens.key(t.access);
  if (!key || key.secret !== t.secret || key.security_token !== t.id) return undefined;
  const now = ctx.clock.now();
  if (key.expires_at <= now) throw iamErrors.securityTokenExpired();
  const record = ctx.svc.identity.accessKey(t.access);
  if (!record || record.refusal !== undefined) throw iamErrors.forbidden(`The access key cannot be used: ${record?.refusal ?? "unknown"}.`);
  const expiresAt = Math.min(now + (t.duration_seconds ?? DEFAULT_SECONDS) * 1000, key.expires_at);
  const token = `${ctx.ids.token()}${ctx.ids.hex32()}`;
  return {
    status: 201,
    headers: { "X-Subject-LoginToken": token },
    body: { logintoken: { domain_id: key.domain_id, expires_at: isoMicros(expiresAt), method: "token", user_id: key.user_id, user_name: key.user_name } },
  };
}

export const loginTokenOperations = [createLoginToken];
