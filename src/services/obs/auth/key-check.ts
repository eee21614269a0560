// The steps every scheme shares once its credential is parsed: find the key (IAM's, through the identity
// provider), run the scheme's own checks against its secret, then the temporary key's security token and
// IAM's refusals. The order follows the gateway's SDK-HMAC path (src/gateway/pipeline.ts authenticate):
// `--auth off` skips the date, signature and token checks and turns an unknown key into the default caller,
// but a key IAM refuses (inactive, expired, owner disabled) is refused in both modes.
import { sameSignature } from "./canonical.ts";
import { authFailures } from "./failures.ts";
import type { ObsAuthContext, ObsAuthFailure, ObsAuthResult, ObsAuthScheme, ObsAuthSuccess } from "./types.ts";

export interface KeyCheck {
  ctx: ObsAuthContext;
  accessKey: string;
  scheme: ObsAuthScheme;
  /** The security token the request carries (header, query parameter or form field), if any. */
  token: string | undefined;
  /** Strict mode only: date, expiry and signature checks against the key's secret. */
  verify: (secret: string) => ObsAuthFailure | undefined;
  /** Fields the scheme adds to a success (payload hash, aws-chunked, content-length range). */
  extra?: () => Partial<ObsAuthSuccess>;
}

export function checkKey(k: KeyCheck): ObsAuthResult {
  const { ctx, accessKey, scheme } = k;
  const record = ctx.lookup(accessKey);
  if (!record) {
    if (!ctx.strict && ctx.defaultPrincipal) return { ok: true, principal: ctx.defaultPrincipal(), accessKey, scheme, ...k.extra?.() };
    return authFailures.unknownAccessKey(accessKey);
  }
  if (ctx.strict) {
    const failure = k.verify(record.secret);
    if (failure) return failure;
    // obs_errorcode_0009: a temporary key needs its own token, and a token with a permanent key is refused too.
    if (record.securityToken !== undefined) {
      if (k.token === undefined || !sameSignature(record.securityToken, k.token)) return authFailures.invalidSecurityToken();
    } else if (k.token !== undefined && k.token !== "") {
      return authFailures.invalidSecurityToken();
    }
  }
  if (record.refusal) return authFailures.refused(accessKey, record.refusal, record.securityToken !== undefined);
  return { ok: true, principal: record.principal, accessKey, scheme, ...k.extra?.() };
}
