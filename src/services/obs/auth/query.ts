// V2 and OBS query auth (presigned URLs): `?AWSAccessKeyId=AK&Expires=<epoch s>&Signature=<url-encoded
// base64>` (esdk createSignedUrlSync in V2 mode, botocore, s3cmd signurl) and `?AccessKeyId=…` (esdk in OBS
// mode; OBS API reference URL中携带签名.md). The StringToSign is the header one (v2.ts) with Expires in the
// Date line; a temporary key's `x-obs-security-token` / `x-amz-security-token` query parameter is signed in
// the canonical resource as esdk does (facts §3.1), or as a canonical header as botocore does (tried after
// a mismatch). Expiry is on wall time; OBS answers an expired URL with RequestTimeTooSkewed "Request has
// expired." (obs_errorcode_0012).
import { header, parseQueryPairs, queryParam } from "./canonical.ts";
import { authFailures } from "./failures.ts";
import { checkKey } from "./key-check.ts";
import type { ObsAuthInput, ObsAuthResult } from "./types.ts";
import { checkV2Signature, headerPrefix } from "./v2.ts";
import type { V2Dialect, V2SignInput } from "./v2.ts";

export function verifyQueryV2(input: ObsAuthInput, dialect: V2Dialect): ObsAuthResult {
  const pairs = parseQueryPairs(input.rawQuery);
  const akParam = dialect === "obs" ? "AccessKeyId" : "AWSAccessKeyId";
  const accessKey = queryParam(pairs, akParam);
  const expires = queryParam(pairs, "Expires");
  const provided = queryParam(pairs, "Signature");
  if (!accessKey || expires === undefined || !provided) return authFailures.missingQueryAuth(akParam);
  if (!/^\d+$/.test(expires)) return authFailures.badExpires(expires);
  const prefix = headerPrefix(dialect);
  const other = dialect === "obs" ? "x-amz-" : "x-obs-";
  const token =
    queryParam(pairs, `${prefix}security-token`) ??
    header(input.headers, `${prefix}security-token`) ??
    queryParam(pairs, `${other}security-token`) ??
    header(input.headers, `${other}security-token`);
  return checkKey({
    ctx: input,
    accessKey,
    scheme: dialect === "obs" ? "obs-query" : "v2-query",
    token,
    verify(secret) {
      const expiresMs = Number(expires) * 1000;
      if (input.wallNowMs > expiresMs) return authFailures.expired(expiresMs, input.wallNowMs);
      const s: V2SignInput = {
        dialect,
        method: input.method,
        headers: input.headers,
        rawPath: input.rawPath,
        pairs,
        expires,
        authParams: new Set([akParam, "Expires", "Signature"]),
      };
      if (input.bucketFromHost !== undefined) s.bucketFromHost = input.bucketFromHost;
      return checkV2Signature(s, { secret, accessKey, provided });
    },
  });
}
