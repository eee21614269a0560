// ELB's error catalogue (elb-facts §5). The dedicated API answers the flat {"error_msg","error_code"} body
// (plus request_id), the "plain" shape. Which code where is elb-facts §5's decision: bad input 400 ELB.8902,
// a missing resource 404 ELB.8904, a conflict with what exists (port in use, children left) 409 ELB.8907,
// quota 409 ELB.8905.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const e = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape: "plain" });

export const elbErrors = {
  invalid: (detail: string) => e(400, "ELB.8902", `Invalid input: ${detail}`),
  emptyBody: () => e(400, "ELB.0002", "Request body null or empty."),
  notFound: (kind: string, id: string) => e(404, "ELB.8904", `${kind} ${id} could not be found.`),
  conflict: (detail: string) => e(409, "ELB.8907", detail),
  quota: (resource: string) => e(409, "ELB.8905", `Quota exceeded for resources: ${resource}.`),
  ipTargetDisabled: () => e(400, "ELB.8939", "A member without subnet_cidr_id needs a load balancer with ip_target_enable."),
  forbidden: (detail: string) => e(403, "ELB.1103", detail),
};

export const elbServiceErrors: ServiceErrors = {
  shape: "plain",
  invalidBody: (d) => elbErrors.invalid(d),
  invalidParameter: (d) => elbErrors.invalid(d),
  forbidden: (d) => elbErrors.forbidden(d),
};
