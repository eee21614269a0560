// Authentication failures, with OBS's codes and statuses (错误码.md table 2) and the messages of Huawei's
// per-code pages where they exist:
// - obs_errorcode_0009 InvalidAccessKeyId: "The OBS Access Key Id you provided does not exist in our
//   records.", "The security token is invalid." (a wrong or expired token, or a key that is not the token's
//   temporary key), "The user holding this access key has been disabled.", "the access key … is inactive.";
// - obs_errorcode_0012 RequestTimeTooSkewed: "Request is not yet valid." / "Request is no longer valid."
//   (header date 15 minutes off), "Request has expired." (a URL past its Expires; OBS uses this code for it,
//   where S3 answers AccessDenied), "Signing key is no longer valid." (V4 scope date over 7 days old) and
//   "Http Request signed date is too skewed." (the same for a V4 POST form);
// - SignatureDoesNotMatch's message is the one OBS's FAQ quotes (obs_faq_0173).
// Other messages are S3's, which OBS's S3-compatible front end shares.
import type { ObsAuthErrorCode, ObsAuthFailure } from "./types.ts";

function fail(status: 400 | 403, code: ObsAuthErrorCode, message: string, details?: Array<[string, string]>): ObsAuthFailure {
  return details ? { ok: false, code, status, message, details } : { ok: false, code, status, message };
}

export const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

export const authFailures = {
  signatureDoesNotMatch(o: {
    accessKey: string;
    stringToSign: string;
    signatureProvided: string;
    canonicalRequest?: string;
  }): ObsAuthFailure {
    const details: Array<[string, string]> = [
      ["AWSAccessKeyId", o.accessKey],
      ["StringToSign", o.stringToSign],
      ["SignatureProvided", o.signatureProvided],
    ];
    if (o.canonicalRequest !== undefined) details.push(["CanonicalRequest", o.canonicalRequest]);
    const f = fail(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH, details);
    f.stringToSign = o.stringToSign;
    if (o.canonicalRequest !== undefined) f.canonicalRequest = o.canonicalRequest;
    return f;
  },
  unknownAccessKey: (accessKey: string) =>
    fail(403, "InvalidAccessKeyId", "The OBS Access Key Id you provided does not exist in our records.", [
      ["AWSAccessKeyId", accessKey],
    ]),
  invalidSecurityToken: () => fail(403, "InvalidAccessKeyId", "The security token is invalid."),
  /** IAM refuses the key (inactive, expired, owner disabled, console-only): OBS's wording for each. */
  refused(accessKey: string, refusal: string, temporary: boolean): ObsAuthFailure {
    let message = refusal;
    if (/inactive/.test(refusal)) message = `the access key ${accessKey} is inactive.`;
    else if (/expired/.test(refusal)) message = temporary ? "The security token is invalid." : `the access key ${accessKey} is inactive.`;
    else if (/disabled/.test(refusal)) message = "The user holding this access key has been disabled.";
    else if (/console/.test(refusal)) message = "This user only supports console access, not programmatic access.";
    return fail(403, "InvalidAccessKeyId", message);
  },
  /** 错误码.md: AccessDenied when the request has no date header or a malformed one. */
  missingDate: () => fail(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header"),
  skewed(requestMs: number, serverMs: number): ObsAuthFailure {
    const message = requestMs > serverMs ? "Request is not yet valid." : "Request is no longer valid.";
    return fail(403, "RequestTimeTooSkewed", message, [
      ["RequestTime", new Date(requestMs).toUTCString()],
      ["ServerTime", new Date(serverMs).toISOString()],
      ["MaxAllowedSkewMilliseconds", "900000"],
    ]);
  },
  expired(expiresMs: number, serverMs: number): ObsAuthFailure {
    return fail(403, "RequestTimeTooSkewed", "Request has expired.", [
      ["Expires", new Date(expiresMs).toISOString()],
      ["ServerTime", new Date(serverMs).toISOString()],
    ]);
  },
  notYetValid: (requestMs: number, serverMs: number) =>
    fail(403, "RequestTimeTooSkewed", "Request is not yet valid.", [
      ["RequestTime", new Date(requestMs).toISOString()],
      ["ServerTime", new Date(serverMs).toISOString()],
    ]),
  signingKeyTooOld: () => fail(403, "RequestTimeTooSkewed", "Signing key is no longer valid."),
  postSignedDateTooOld: () => fail(403, "RequestTimeTooSkewed", "Http Request signed date is too skewed."),
  /** A V2/OBS Authorization value without "ak:signature". */
  malformedV2: (prefix: string) =>
    fail(400, "InvalidArgument", `${prefix} authorization header is invalid.  Expected AccessKeyId:signature`),
  malformedV4: (detail: string) =>
    fail(400, "AuthorizationHeaderMalformed", `The authorization header is malformed; ${detail}`),
  invalidArgument: (message: string) => fail(400, "InvalidArgument", message),
  missingSecurityHeader: (name: string) =>
    fail(400, "MissingSecurityHeader", `Your request was missing a required header: ${name}`),
  missingQueryAuth: (akParam: string) =>
    fail(403, "AccessDenied", `Query-string authentication requires the Signature, Expires and ${akParam} parameters`),
  badExpires: (value: string) => fail(403, "AccessDenied", `Invalid date (should be seconds since epoch): ${value}`),
  anonymous: () => fail(403, "AccessDenied", "Access Denied"),
  policyExpired: () => fail(403, "AccessDenied", "Invalid according to Policy: Policy expired."),
  /** 错误码.md: InvalidPolicyDocument (400) when the form does not match the policy's conditions. */
  policyInvalid: (detail: string) => fail(400, "InvalidPolicyDocument", `Invalid Policy: ${detail}`),
  policyConditionFailed: (condition: string) =>
    fail(400, "InvalidPolicyDocument", `Invalid according to Policy: Policy Condition failed: ${condition}`),
  policyExtraField: (name: string) =>
    fail(400, "InvalidPolicyDocument", `Invalid according to Policy: Extra input fields: ${name}`),
  entityTooSmall: (size: number, min: number) =>
    fail(400, "EntityTooSmall", `Your proposed upload is smaller than the minimum allowed size (${size} < ${min} bytes).`),
  entityTooLarge: (size: number, max: number) =>
    fail(400, "EntityTooLarge", `Your proposed upload exceeds the maximum allowed size (${size} > ${max} bytes).`),
};
