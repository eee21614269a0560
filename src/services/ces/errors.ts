// Cloud Eye's error catalogue (reference §4.1). The sources disagree on CES's envelope (see the header of
// index.ts): we answer the "flat" shape, top-level {"code":"ces.0014","message"}, plus error_code/error_msg.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const flat = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape: "flat" });

const withDetail = (message: string, detail?: string) => (detail ? `${message} ${detail}` : message);

export const cesErrors = {
  bodyInvalid: (detail?: string) => flat(400, "ces.0014", withDetail("Some content in message body is not correct.", detail)),
  urlInvalid: (detail?: string) => flat(400, "ces.0013", withDetail("The URL parameter is invalid or does not exist.", detail)),
  pagingInvalid: (detail?: string) => flat(400, "ces.0006", withDetail("The paging address is incorrect.", detail)),
  sysMetric: (namespace: string) => flat(403, "ces.0009", `Adding SYS metric is not allowed: ${namespace}.`),
  forbidden: (detail: string) =>
    flat(403, "ces.0017", `The authentication information is incorrect or the service invoker does not have sufficient rights. ${detail}`),
  alarmQuota: () => flat(403, "ces.0018", "The number of alarms exceeds the quota."),
  notFound: (what: string) => flat(404, "ces.0016", `The requested resource does not exist: ${what}.`),
};

export const cesServiceErrors: ServiceErrors = {
  shape: "flat",
  invalidBody: (d) => cesErrors.bodyInvalid(d),
  invalidParameter: (d) => cesErrors.urlInvalid(d),
  forbidden: (d) => cesErrors.forbidden(d),
};
