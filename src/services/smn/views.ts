// Records → wire JSON: the only place that spells SMN's fields (SMN API reference, topics and subscriptions).
import { isoSeconds } from "../../kernel/time.ts";
import type { FilterPolicies } from "./resources.ts";
import type { Message, Subscription, Topic } from "./store.ts";

export function topicItem(t: Topic) {
  return {
    topic_urn: t.topicUrn,
    name: t.name,
    display_name: t.displayName,
    push_policy: 0,
    enterprise_project_id: t.enterpriseProjectId,
    topic_id: t.topicId,
    create_time: isoSeconds(t.createdAt),
    update_time: isoSeconds(t.updatedAt),
  };
}

export function topicDetail(t: Topic) {
  return topicItem(t);
}

export function subscription(s: Subscription, filters?: FilterPolicies) {
  return {
    topic_urn: s.topicUrn,
    protocol: s.protocol,
    subscription_urn: s.subscriptionUrn,
    owner: s.projectId,
    endpoint: s.endpoint,
    remark: s.remark,
    /** 1: confirmed. hwlocal confirms every subscription at once. */
    status: 1,
    ...(filters ? { filter_polices: filters } : {}),
  };
}

/** A recorded delivery as SmnApi.messages gives it. */
export function message(m: Message) {
  return {
    id: m.id,
    message_id: m.messageId,
    topic_urn: m.topicUrn,
    subscription_urn: m.subscriptionUrn,
    protocol: m.protocol,
    endpoint: m.endpoint,
    subject: m.subject,
    body: m.body,
    status: m.status,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt === null ? null : isoSeconds(m.nextAttemptAt),
    expires_at: isoSeconds(m.expiresAt),
    created_at: isoSeconds(m.createdAt),
    updated_at: isoSeconds(m.updatedAt),
  };
}
