// IAM's error catalogue (reference huawei-api-facts.md §2.4). Keystone-style /v3 APIs answer
// {"error":{"code":<status>,"message","title"}}; the /v3.0 OS-* APIs answer {"error_code","error_msg"}.
// Every body carries error_code/error_msg as well, so the keystone shape also names its IAM.xxxx code.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const keystone = (status: number, code: string, message: string) =>
  new ApiError({ status, code, message, shape: "keystone" });

export const iamErrors = {
  invalidBody: (detail: string) => keystone(400, "IAM.0011", `The request body is invalid. ${detail}`.trim()),
  invalidParameter: (detail: string) => keystone(400, "IAM.0007", `Request parameter is invalid. ${detail}`.trim()),
  requiredProperty: (key: string) => keystone(400, "IAM.0072", `'${key}' is a required property.`),
  invalidField: (key: string, value: string) =>
    keystone(400, "IAM.0073", `Invalid input for field '${key}'. The value is '${value}'.`),
  wrongPassword: () => keystone(401, "IAM.0062", "The username or password is wrong."),
  authRequired: () => keystone(401, "IAM.0001", "The request you have made requires authentication."),
  tokenInvalid: () => keystone(401, "IAM.0067", "Invalid token."),
  tokenExpired: () => keystone(401, "IAM.0066", "The token has expired."),
  subjectTokenInvalid: () => keystone(404, "IAM.0009", "X-Subject-Token is invalid in the request."),
  forbidden: (detail?: string) =>
    keystone(403, "IAM.0002", `You are not authorized to perform the requested action.${detail ? ` ${detail}` : ""}`),
  userDisabled: (name: string) => keystone(403, "IAM.0082", `The user ${name} is disabled.`),
  notFound: (target: string, id: string) => keystone(404, "IAM.0004", `Could not find ${target}: ${id}.`),
  conflict: (type: string, details: string) =>
    keystone(409, "IAM.0005", `Conflict occurred when attempting to store ${type} - ${details}.`),
  userNameInvalid: () => keystone(400, "1101", "The user name is invalid: use 1 to 32 letters, digits, spaces, '-', '_' or '.'."),
  passwordInvalid: () =>
    keystone(400, "1103", "The password does not meet the requirements: 6 to 32 characters with at least two of upper case, lower case, digits and special characters."),
  userExists: (name: string) => keystone(409, "1109", `The user name ${name} already exists.`),
  accessKeyQuota: () => keystone(400, "IAM.1102", "akSkNumExceed: a user can have at most 2 access keys."),
  securityTokenExpired: () => keystone(400, "IAM.1108", "The securitytoken has expired."),
  projectNameInvalid: (name: string) =>
    keystone(400, "IAM.0073", `Invalid input for field 'name'. The value is '${name}'. A project name is a region id, or <region id>_<suffix>.`),
  mfaFailed: () => keystone(401, "IAM.0001", "The request you have made requires authentication. The verification code is wrong or no virtual MFA device is bound."),
  policyType: (t: string) => keystone(400, "IAM.1009", `The policy type ${t} is invalid: use AX or XA.`),
  agencyNotFound: (id: string) => keystone(404, "IAM.0004", `Could not find agency: ${id}.`),
  agencyNoGrants: (agency: string, where: string) =>
    keystone(401, "IAM.0001", `The request you have made requires authentication. The agency ${agency} has no permission on the ${where}.`),
  idTokenRefused: (reason: string) =>
    keystone(401, "IAM.0001", `The request you have made requires authentication. The id_token is refused: ${reason}.`),
  federatedNoGrants: (user: string, where: string) =>
    keystone(401, "IAM.0001", `The request you have made requires authentication. The federated user ${user}'s groups have no permission on the ${where}.`),
  policyDenied: (action: string) => keystone(403, "IAM.0003", `Policy doesn't allow ${action} to be performed.`),
  quotaExceeded: (what: string) => keystone(409, "IAM.0005", `Conflict occurred when attempting to store ${what} - the quota is reached.`),
  passwordPolicy: (detail: string) => keystone(400, "1103", `The password does not meet the password policy: ${detail}`),
  methodNotSupported: (method: string) =>
    keystone(400, "IAM.0007", `Request parameter auth.identity.methods is invalid: '${method}' is not supported here.`),
};

export const iamServiceErrors: ServiceErrors = {
  shape: "keystone",
  invalidBody: iamErrors.invalidBody,
  invalidParameter: iamErrors.invalidParameter,
  forbidden: iamErrors.forbidden,
};
