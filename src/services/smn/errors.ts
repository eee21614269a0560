// SMN's error catalogue (reference §4.2, SMN API reference error table). SMN answers flat
// {"request_id","code":"SMN.00xx","message"}; the gateway's "flat" shape adds code/message beside
// error_code/error_msg/request_id.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const flat = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape: "flat" });
const withDetail = (message: string, detail?: string) => (detail ? `${message} ${detail}` : message);

export const smnErrors = {
  /** Not in the reference's table: hwlocal's code for a body that is not JSON of the right form. */
  invalidBody: (detail?: string) => flat(400, "SMN.0100", withDetail("Parameter: Request body is invalid.", detail)),
  noPermission: (detail?: string) => flat(403, "SMN.0001", withDetail("No permission to request resources.", detail)),
  nameInvalid: () => flat(400, "SMN.0002", "Parameter: Name is invalid."),
  displayNameInvalid: () => flat(400, "SMN.0003", "Parameter: DisplayName is invalid."),
  topicLimit: () => flat(403, "SMN.0004", "Exceeded topic limit."),
  topicUrnInvalid: () => flat(400, "SMN.0005", "Parameter: TopicUrn is invalid."),
  topicNotFound: () => flat(404, "SMN.0006", "Topic not found."),
  subjectInvalid: () => flat(403, "SMN.0008", "Parameter: Subject is invalid."),
  messageInvalid: (detail?: string) => flat(403, "SMN.0009", withDetail("Parameter: Message is invalid.", detail)),
  protocolInvalid: () => flat(400, "SMN.0011", "Parameter: Protocol is invalid."),
  endpointInvalid: () => flat(400, "SMN.0012", "Parameter: Endpoint is invalid."),
  subscriptionNotFound: () => flat(404, "SMN.0013", "Subscription resource not found."),
  subscriptionUrnInvalid: () => flat(400, "SMN.0014", "Parameter: SubscriptionUrn is invalid."),
  pagingInvalid: () => flat(400, "SMN.0015", "Parameter: Offset or limit is invalid."),
  messageStructureInvalid: () => flat(400, "SMN.0021", "MessageStructure is invalid."),
  subscriptionLimit: () => flat(403, "SMN.0078", "The maximum number of subscriptions has been reached."),
  remarkInvalid: () => flat(400, "SMN.0017", "Parameter: Remark is invalid."),
  contentInvalid: () => flat(400, "SMN.0024", "Parameter: content is invalid."),
  templateExists: () => flat(400, "SMN.0025", "Template already exists."),
  /** Also hwlocal's answer for a well-formed id that names no template of the project (404; see index.ts). */
  templateIdInvalid: (status = 400) => flat(status, "SMN.0031", "Parameter: template_id is invalid."),
  applicationExists: () => flat(400, "SMN.0121", "An application with the same name but different properties already exists."),
  /** Not in the reference's table (hwlocal's codes, see index.ts): a missing application, endpoint, logtank, policy. */
  notFound: (what: string) => flat(404, "SMN.0104", `Resource not found: ${what}.`),
  parameterInvalid: (name: string) => flat(400, "SMN.0101", `Parameter: ${name} is invalid.`),
  exists: (what: string) => flat(400, "SMN.0102", `${what} already exists.`),
};

export const smnServiceErrors: ServiceErrors = {
  shape: "flat",
  invalidBody: (d) => smnErrors.invalidBody(d),
  invalidParameter: (d) => smnErrors.invalidBody(d),
  forbidden: (d) => smnErrors.noPermission(d),
};
