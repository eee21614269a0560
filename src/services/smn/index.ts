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
//   Message templates (operations/templates.ts): CRUD under /message_template (name 1–64 [A-Za-z0-9_-] starting
//   alphanumeric, SMN.0002; protocol default/email/sms/functionstage/functiongraph/http/https/dms, SMN.0011;
//   content non-empty ≤256 KB, SMN.0024; the same name and protocol again 400 SMN.0025; 100 a project;
//   tag_names are the content's {variable}s); PublishMessage with message_template_name + tags takes each
//   subscription's protocol template, else the name's "default" one (none: 403 SMN.0009), {tag}s filled.
//   Topic settings (operations/topic-settings.ts): attributes access_policy (a JSON policy with a Statement
//   array, ≤30 KB) and introduction: list (?name), update, delete one, delete all; one logtank a topic
//   (log_group_id/log_stream_id), one KMS key a topic (status always ENABLED). Tags (operations/tags.ts):
//   resource_type smn_topic, resource_id the topic_id (or its URN); one tag, batch create/delete, a topic's
//   tags, the project's keys and values, topics by tags (tags, tags_any, not_tags, not_tags_any,
//   without_any_tag, matches resource_name; filter or count); 20 tags a topic; 204 on writes.
//   Subscriptions (operations/subscriptions-batch.ts): UpdateSubscription (remark, SMN.0017),
//   DeleteSubscriptionsByTopic, BatchDeleteSubscriptions(ByTopic) (a result per URN: http_code, code,
//   message), filter policies create/update/delete (batch_result per URN; shown as filter_polices in the
//   lists); ListSubscriptions' status and fuzzy_remark, ListTopics' topic_id and fuzzy_display_name.
//   PublishMessage's message_attributes (≤10: STRING a string, STRING_ARRAY a list, PROTOCOL a list of
//   protocols; else SMN.0101/SMN.0011): a PROTOCOL attribute limits the deliveries to those protocols, and a
//   subscription with filter policies gets the message only when every policy finds an attribute of its name
//   with one of its values (no attributes: only subscriptions without policies, SmnApi.publish included).
//   Push applications (operations/applications.ts): HMS/APNS/APNS_SANDBOX applications and device
//   endpoints, bookkeeping only; PublishAppMessage records a delivery of protocol "application" (endpoint =
//   the device token; message_structure's platform key, else default; ≤4 KB; a disabled endpoint is 403
//   SMN.0001). Notify policy (callnotify polling over the topic's subscriptions) and HTTP detection
//   (operations/notify-policy.ts): a real POST to the endpoint, ShowHttpDetectResult status 1 while it runs,
//   0 on 2xx, 2 otherwise. Unauthenticated: ListVersions/ListVersion, ListProtocols, ListCloudService(s),
//   SubscribeTopic/ConfirmSubscription (answer the subscription of that topic and endpoint) and
//   UnsubscribeTopic/UnsubscribeSubscription (delete it). ListTopicMessageStatistics counts the topic's sms
//   deliveries per UTC day of [start_time, end_time) (epoch ms, ≤31 days); ListTopicsWithAssociatedResources
//   adds tags, access_policy and logtanks to each topic. Every delivery (GET /_hwlocal/smn/messages).
// Gaps: subscription confirmation (SubscriptionConfirmation messages, status 0) is skipped, so the token of
//   SubscribeTopic/ConfirmSubscription is checked for form only (1–512 characters); dms, callnotify and the
//   other chat protocols are SMN.0011. AddSubscriptionFromSubscriptionUser
//   (subscription users are not modelled) and DownloadHttpCert/DownloadHttpSignCert (hwlocal has no signing
//   certificate) answer 501. functionstage/functiongraph deliveries are recorded, no function runs. The
//   https POST accepts any certificate. No push platform is called.
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
//   documented: any string-valued key is accepted. Codes the reference's table lacks are hwlocal's:
//   400 SMN.0101 "Parameter: <name> is invalid." (tags, attributes, logtanks, applications), 400 SMN.0102
//   "<what> already exists." (a second logtank, KMS key or notify policy), 404 SMN.0104 (a missing
//   application, endpoint, logtank, KMS key, policy, detection task or tag); a well-formed id naming no
//   template is 404 SMN.0031 (the table has it as 400 "template_id is invalid"). Template variables are
//   written {name} (Huawei's examples); application URNs urn:smn:<region>:<project>:app-<platform>-<name> and
//   endpoint URNs …:endpoint-<platform>-<app>-<32 hex> are our guess. The cloud services list holds the
//   services hwlocal serves. The detection POST's body ({"type":"HttpDetection",…}) is ours.
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
