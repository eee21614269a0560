// The API Gateway's own errors (reference §5.3), raised before a request reaches any service.
import { ApiError } from "./api-error.ts";

const gw = (status: number, code: string, message: string): ApiError => new ApiError({ status, code, message });

export const apigw = {
  apiNotFound: (detail?: string) =>
    gw(404, "APIGW.0101", `The API does not exist or has not been published in the environment.${detail ? ` ${detail}` : ""}`),
  notImplemented: (service: string, operation: string) =>
    gw(501, "HWLOCAL.0501", `hwlocal does not implement ${service} operation ${operation} yet.`),
  authFailed: (detail: string) => gw(401, "APIGW.0301", `Incorrect IAM authentication information: ${detail}`),
  tokenExpired: () => gw(401, "APIGW.0307", "The token must be updated."),
  forbidden: (detail: string) => gw(403, "APIGW.0302", `The IAM user is not authorized to access the API. ${detail}`),
  projectUnavailable: () => gw(403, "APIGW.0310", "The project is unavailable."),
  bodyTooLarge: (limit: number) => gw(413, "APIGW.0201", `Request entity too large. The limit is ${limit} bytes.`),
  uriTooLarge: () => gw(414, "APIGW.0201", "Request URI too large."),
  headersTooLarge: () => gw(431, "APIGW.0201", "Request headers too large."),
  badRequest: (detail: string) => gw(400, "APIGW.0201", `API request error. ${detail}`),
  signatureAlgorithmNotImplemented: (alg: string) =>
    gw(501, "HWLOCAL.0501", `hwlocal does not implement the ${alg} signature algorithm; sign with SDK-HMAC-SHA256.`),
  internal: () => gw(500, "APIGW.0601", "Internal server error."),
};
