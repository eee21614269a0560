// An error that a handler or a pipeline stage throws, carrying Huawei's status, code and message.
// The gateway renders it; the shape says which envelope the real service uses besides the universal
// {"error_code","error_msg","request_id"} that every body carries (reference §6.4).

export type ErrorShape =
  /** only error_code / error_msg (APIGW, IAM /v3.0 OS-* APIs, ECS v1). */
  | "plain"
  /** adds {"error":{"code":"X.0001","message":…}} (AS, ECS/IMS/EVS, VPC v3). */
  | "nested"
  /** adds {"error":{"code":<status>,"message":…,"title":…}} (IAM Keystone /v3 APIs). */
  | "keystone"
  /** adds top-level {"code","message"} (VPC v1/EIP, SMN). */
  | "flat"
  /** {"NeutronError":{"type","message","detail"}} first, then the universal fields (neutron /v2.0 APIs). */
  | "neutron";

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  shape?: ErrorShape;
  headers?: Record<string, string>;
  /** NeutronError's type (NetworkNotFound, …) for the "neutron" shape; derived from the status when absent. */
  neutronType?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly shape: ErrorShape;
  readonly headers: Record<string, string> | undefined;
  readonly neutronType: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.shape = init.shape ?? "plain";
    this.headers = init.headers;
    this.neutronType = init.neutronType;
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Request Entity Too Large",
  414: "Request-URI Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? "Error";
}

/**
 * The JSON body for an error, in its service's shape plus the universal fields. A nested object comes first,
 * as the real services send it: novaclient and cinderclient read the message from the first key's value,
 * and a string there ("error_code") breaks them (openstack-facts §1).
 */
export function errorBody(err: ApiError, requestId: string): Record<string, unknown> {
  if (err.shape === "nested") {
    return { error: { code: err.code, message: err.message }, error_code: err.code, error_msg: err.message, request_id: requestId };
  }
  if (err.shape === "neutron") {
    const type = err.neutronType ?? (statusTitle(err.status).replace(/ /g, "") || "Error");
    return { NeutronError: { type, message: err.message, detail: "" }, error_code: err.code, error_msg: err.message, request_id: requestId };
  }
  const body: Record<string, unknown> = { error_code: err.code, error_msg: err.message, request_id: requestId };
  switch (err.shape) {
    case "keystone":
      body.error = { code: err.status, message: err.message, title: statusTitle(err.status) };
      break;
    case "flat":
      body.code = err.code;
      body.message = err.message;
      break;
    case "plain":
      break;
  }
  return body;
}
