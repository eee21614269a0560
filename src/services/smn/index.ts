// SMN (Simple Message Notification): topics, subscriptions, publishing, and HTTP(S) delivery on hwlocal's clock.
//
// Emulated: CreateTopic (201 {request_id, topic_urn}; name 1–255 of [A-Za-z0-9_-] starting alphanumeric, else
//   SMN.0002; display_name ≤192 bytes, else SMN.0003; TOPIC_LIMIT 3000 topics a project, SMN.0004), ListTopics
//   (offset/limit 1–100 default 100, SMN.0015; name exact, fuzzy_name substring, enterprise_project_id;
//   topic_count is the filtered total), ListTopicDetails (GET a topic), UpdateTopic (display_name),
//   DeleteTopic (200 {request_id}, with its subscriptions). URNs urn:smn:<region>:<project_id>:<name>; a
//   malformed topic URN is 400 SMN.0005, another project's or a missing topic 404 SMN.0006. AddSubscription
//   (201 {request_id, subscription_urn = topic URN + ":" + 32 hex}) with protocol email/sms/http/https/
//   functionstage (else SMN.0011) and an endpoint checked per protocol (address, phone number of 5–20
//   digits with optional "+", URL of the protocol's scheme, function URN urn:fss:…:function:<package>:<name>
//   [:<version>]; else SMN.0012); remark ≤128 bytes; SUBSCRIPTION_LIMIT 10000 a topic (SMN.0078).
//   ListSubscriptionsByTopic and ListSubscriptions (offset/limit, subscription_count; the latter also
//   filters protocol and endpoint), CancelSubscription (200 {request_id}; SMN.0014 malformed, 404 SMN.0013).
//   PublishMessage (200 {request_id, message_id}): message, or message_structure (a JSON object of strings
//   with a non-empty "default", else SMN.0021) whose key for a protocol overrides "default"; subject
//   ≤512 bytes without line breaks (SMN.0008); message ≤256 KB and present (SMN.0009); time_to_live 1–86400 s
//   (default 3600). Every publish records one delivery per subscription (smn_messages): email/sms get the
//   text ("recorded"; sms without subject), http/https/functionstage Huawei's notification JSON (type
//   "Notification", signature_version "v1", topic_urn, message_id, subject, message, timestamp,
//   unsubscribe_url, signing_cert_url, signature). http/https deliveries are POSTed to the endpoint by the
//   "deliver" ticker (delivery.ts): the ticker starts requests and returns; each records its attempt
//   (smn_delivery_log) when it ends. Non-2xx or no answer in 5 s: retry after 10 s, then 30 s of hwlocal's
//   clock, 3 attempts, then "failed"; past time_to_live before an attempt: "expired". rt.api("smn")
//   (api.ts): publish(projectId, topicUrn, {subject?, message, timeToLive?}) and messages(projectId?).
// Gaps: message_template_name (message templates) answers 403 SMN.0009; subscription confirmation
//   (SubscriptionConfirmation messages, status 0) is skipped; dms and other protocols are SMN.0011; topic
//   attributes/policies, tags, logtanks, message templates, application (push) endpoints and the v2 "detail"
//   queries are not served (each answers 501 naming it: catalogue/smn_v2.ops.tsv). functionstage
//   deliveries are recorded, no function runs. The https POST accepts
//   any certificate.
// By design: every subscription is confirmed at once (status 1) so publishing works offline. Subscribing the
//   same protocol and endpoint twice returns the existing subscription_urn. push_policy is always 0.
//   Delivery runs on hwlocal's clock (advance it to deliver), but a single attempt's network wait is real
//   time and its result is recorded when the request ends, not within the advance that started it.
// Doubts: creating an existing topic name answers 201 with the existing URN (SNS-like idempotence; the
//   reference is silent). A body that is not JSON of the right form is 400 "SMN.0100" (no documented
//   code). display_name is optional here (the reference table marks it required; Terraform treats it as
//   optional). The notification JSON follows Huawei's documented HTTP(S) message format from memory; its
//   "signature" is a SHA-256 of the fields, not Huawei's certificate signature, and signing_cert_url
//   points nowhere; the x-smn-* request headers are our guess. The URN checks take regions as [a-z0-9-]
//   and project ids as 32 hex. Whether message_structure's keys are validated against protocols is not
//   documented: any string-valued key is accepted.
import { defineService } from "../../kernel/service.ts";
import { smnApi } from "./api.ts";
import type { SmnContext } from "./context.ts";
import { deliverDue } from "./delivery.ts";
import { smnServiceErrors } from "./errors.ts";
import { publishOperations } from "./operations/publish.ts";
import { subscriptionOperations } from "./operations/subscriptions.ts";
import { topicOperations } from "./operations/topics.ts";
import { applicationOperations } from "./operations/applications.ts";
import { notifyPolicyOperations } from "./operations/notify-policy.ts";
import { publicLinkOperations } from "./operations/public-links.ts";
import { serviceInfoOperations } from "./operations/service-info.ts";
import { subscriptionBatchOperations } from "./operations/subscriptions-batch.ts";
import { tagOperations } from "./operations/tags.ts";
import { templateOperations } from "./operations/templates.ts";
import { topicSettingOperations } from "./operations/topic-settings.ts";
import { smnDocs } from "./resources.ts";
import { SMN_MIGRATIONS, SmnStore } from "./store.ts";

export const smn = defineService<SmnContext>({
  name: "smn",
  catalogType: "smn",
  global: false,
  sdkCatalogues: ["smn_v2.ops.tsv"],
  errors: smnServiceErrors,
  migrations: SMN_MIGRATIONS,
  init(rt) {
    return { store: new SmnStore(rt.db), docs: smnDocs(rt.db), clock: rt.clock, ids: rt.ids, inFlight: new Set<string>() };
  },
  api: (svc) => smnApi(svc),
  tickers: (svc) => ({ deliver: (now) => deliverDue(svc, now) }),
  afterReset: (svc) => svc.inFlight.clear(),
  operations: [
    ...topicOperations, ...subscriptionOperations, ...publishOperations, ...templateOperations, ...topicSettingOperations,
    ...tagOperations, ...subscriptionBatchOperations, ...applicationOperations, ...serviceInfoOperations,
    ...notifyPolicyOperations, ...publicLinkOperations,
  ],
});
