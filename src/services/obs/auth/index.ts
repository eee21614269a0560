// OBS/S3 request authentication: pure functions over what arrived on the wire, before any body is read.
//
//   classifyObsAuth(headers, rawQuery, method?)  which OBS/S3 credential a request carries, from its headers
//                                                and query alone (the gateway routes OBS requests with it)
//   authenticateObs(input)                      verifies header auth (V2 `AWS`, OBS `OBS`, V4) and query auth
//                                                (V2, OBS, V4) against IAM's keys
//   verifyPostPolicy(input)                     verifies a browser form's policy and signature (V2, V4)
//
// Codes and messages: failures.ts. Schemes: v2.ts (and the OBS dialect), v4.ts, query.ts, post-policy.ts.
// Gaps: signed aws-chunked bodies are reported (awsChunked, chunkSigning), not decoded here; SigV4a
// (AWS4-ECDSA-P256-SHA256) is not an OBS scheme and is not recognised.
import { header, parseQueryPairs } from "./canonical.ts";
import { authFailures } from "./failures.ts";
import { verifyQueryV2 } from "./query.ts";
import type { ObsAuthInput, ObsAuthResult, ObsCredentialKind, RawHeaders } from "./types.ts";
import { verifyHeaderV2 } from "./v2.ts";
import { verifyHeaderV4, verifyQueryV4 } from "./v4.ts";

export type {
  ObsAuthContext,
  ObsAuthErrorCode,
  ObsAuthFailure,
  ObsAuthInput,
  ObsAuthResult,
  ObsAuthScheme,
  ObsAuthSuccess,
  ObsCredentialKind,
  RawHeaders,
  V4ChunkSigning,
} from "./types.ts";
export type { PostPolicyInput } from "./post-policy.ts";
export { postFormHasCredential, verifyPostPolicy } from "./post-policy.ts";

/**
 * Which OBS/S3 credential the request carries (facts §1, "How is an OBS request recognised?"), or
 * undefined: an `AWS ` / `OBS ` Authorization, a V4 one scoped to `/s3/aws4_request`, query auth with
 * `Signature` and `AWSAccessKeyId` / `AccessKeyId`, or `X-Amz-Algorithm` with an `/s3/` credential; with the
 * method given, a multipart/form-data POST is "post". A few string tests for every other request.
 */
export function classifyObsAuth(headers: RawHeaders, rawQuery: string, method?: string): ObsCredentialKind | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === "string") {
    if (authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      if (authorization.includes("/s3/aws4_request")) return "v4";
    } else if (authorization.startsWith("AWS ")) return "v2";
    else if (authorization.startsWith("OBS ")) return "obs";
  }
  if (rawQuery !== "" && (rawQuery.includes("Signature=") || rawQuery.includes("X-Amz-Algorithm="))) {
    let signature = false;
    let awsKey = false;
    let obsKey = false;
    let v4 = false;
    for (const p of parseQueryPairs(rawQuery)) {
      if (p.key === "Signature") signature = true;
      else if (p.key === "AWSAccessKeyId") awsKey = true;
      else if (p.key === "AccessKeyId") obsKey = true;
      else if (p.key === "X-Amz-Credential") v4 = p.value.includes("/s3/");
    }
    if (v4 && rawQuery.includes("X-Amz-Algorithm=")) return "v4-query";
    if (signature && awsKey) return "v2-query";
    if (signature && obsKey) return "obs-query";
  }
  if (method === "POST" && /^multipart\/form-data/i.test(header(headers, "content-type") ?? "")) return "post";
  return undefined;
}

/**
 * Verifies the credential in the Authorization header or the query. A request with none gets AccessDenied:
 * the caller decides anonymous access (public-read buckets) before calling this.
 */
export function authenticateObs(input: ObsAuthInput): ObsAuthResult {
  const authorization = header(input.headers, "authorization");
  if (authorization !== undefined) {
    if (authorization.startsWith("AWS4-HMAC-SHA256")) return verifyHeaderV4(input, authorization);
    if (authorization.startsWith("AWS ") || authorization.startsWith("OBS ")) return verifyHeaderV2(input, authorization);
  }
  switch (classifyObsAuth(input.headers, input.rawQuery)) {
    case "v2-query":
      return verifyQueryV2(input, "v2");
    case "obs-query":
      return verifyQueryV2(input, "obs");
    case "v4-query":
      return verifyQueryV4(input);
    default:
      // A query that names an algorithm but is not a complete V4 credential is reported as such.
      if (input.rawQuery.includes("X-Amz-Algorithm=")) return verifyQueryV4(input);
      return authFailures.anonymous();
  }
}

