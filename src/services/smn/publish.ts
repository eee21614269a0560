// Publishing: one message becomes one recorded delivery per subscription of its topic, with the body Huawei
// sends for the subscription's protocol. http/https deliveries are "pending" until delivery.ts posts them;
// the others are "recorded" only. PublishMessage and SmnApi.publish share this.
import { createHash } from "node:crypto";
import { isoSeconds } from "../../kernel/time.ts";
import type { SmnContext } from "./context.ts";
import { smnErrors } from "./errors.ts";
import type { Protocol, Subscription, Topic } from "./store.ts";

export interface PublishInput {
  subject?: string | undefined;
  message?: string | undefined;
  /** JSON text: {"default": "...", "email": "...", "sms": "...", "http": "...", ...} */
  messageStructure?: string | undefined;
  /** message_attributes: name → values (STRING, STRING_ARRAY), and PROTOCOL's list under "protocol". */
  attributes?: { values: Map<string, string[]>; protocols: string[] | undefined } | undefined;
  /** A message template's text per protocol (PublishMessage with message_template_name). */
  templateTexts?: ((p: Protocol) => string) | undefined;
  /** Seconds (1–86400, default 3600). */
  timeToLive?: number | undefined;
}

const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_SUBJECT_BYTES = 512;
export const DEFAULT_TTL_SECONDS = 3600;

/** The text for each protocol: message_structure's key for it, else its "default"; or the plain message. */
function textsFor(input: PublishInput): (p: Protocol) => string {
  if (input.templateTexts) return input.templateTexts;
  if (input.messageStructure !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.messageStructure);
    } catch {
      throw smnErrors.messageStructureInvalid();
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw smnErrors.messageStructureInvalid();
    const m = parsed as Record<string, unknown>;
    if (typeof m.default !== "string" || m.default === "") throw smnErrors.messageStructureInvalid();
    if (Object.values(m).some((v) => typeof v !== "string")) throw smnErrors.messageStructureInvalid();
    if (Buffer.byteLength(input.messageStructure) > MAX_MESSAGE_BYTES) throw smnErrors.messageInvalid("Over 256 KB.");
    const dflt = m.default;
    return (p) => {
      const own = Object.hasOwn(m, p) ? m[p] : undefined;
      return typeof own === "string" ? own : dflt;
    };
  }
  const msg = input.message;
  if (msg === undefined || msg === "") throw smnErrors.messageInvalid("Send message or message_structure.");
  if (Buffer.byteLength(msg) > MAX_MESSAGE_BYTES) throw smnErrors.messageInvalid("Over 256 KB.");
  return () => msg;
}

const regionOf = (topicUrn: string) => topicUrn.split(":")[2] ?? "";

/** Huawei's HTTP(S) notification JSON (SMN developer guide, "HTTP/HTTPS 消息格式"). */
export function notificationJson(t: Topic, s: Subscription, messageId: string, subject: string, message: string, now: number): string {
  const region = regionOf(t.topicUrn);
  const timestamp = isoSeconds(now);
  const canonical = [message, messageId, subject, timestamp, t.topicUrn, "Notification"].join("\n");
  return JSON.stringify({
    type: "Notification",
    signature_version: "v1",
    topic_urn: t.topicUrn,
    message_id: messageId,
    subject,
    message,
    timestamp,
    unsubscribe_url: `https://smn.${region}.myhuaweicloud.com/smn/subscription/unsubscribe?subscription_urn=${encodeURIComponent(s.subscriptionUrn)}`,
    signing_cert_url: `https://smn.${region}.myhuaweicloud.com/smn/oss/hwlocal-not-signed.pem`,
    signature: createHash("sha256").update(canonical).digest("base64"),
  });
}

/**
 * Whether a subscription takes the message: a PROTOCOL attribute must list its protocol, and each of its
 * filter policies must find an attribute of that name with one of the policy's values (a message without
 * attributes reaches only subscriptions without policies).
 */
function passes(svc: SmnContext, s: Subscription, attrs: PublishInput["attributes"]): boolean {
  if (attrs?.protocols && !attrs.protocols.includes(s.protocol)) return false;
  const policies = svc.docs.filters.get(s.projectId, s.subscriptionUrn)?.doc.policies ?? [];
  return policies.every((p) => (attrs?.values.get(p.name) ?? []).some((v) => p.string_equals.includes(v)));
}

/** Validates and records the message; returns its message_id. Throws SMN's ApiErrors. */
export function publishMessage(svc: SmnContext, t: Topic, input: PublishInput): string {
  const subject = input.subject ?? "";
  if (Buffer.byteLength(subject) > MAX_SUBJECT_BYTES || /[\r\n]/.test(subject)) throw smnErrors.subjectInvalid();
  const ttl = input.timeToLive ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86400) throw smnErrors.messageInvalid("time_to_live must be 1 to 86400 seconds.");
  const textFor = textsFor(input);
  const now = svc.clock.now();
  const messageId = svc.ids.hex32();
  svc.store.tx(() => {
    for (const s of svc.store.subscriptions(t.projectId, t.topicUrn)) {
      if (!passes(svc, s, input.attributes)) continue;
      const text = textFor(s.protocol);
      const json = s.protocol === "http" || s.protocol === "https" || s.protocol === "functionstage" || s.protocol === "functiongraph";
      const pending = s.protocol === "http" || s.protocol === "https";
      svc.store.insertMessage({
        id: svc.ids.hex32(),
        messageId,
        projectId: t.projectId,
        topicUrn: t.topicUrn,
        subscriptionUrn: s.subscriptionUrn,
        protocol: s.protocol,
        endpoint: s.endpoint,
        subject: s.protocol === "sms" ? "" : subject,
        body: json ? notificationJson(t, s, messageId, subject, text, now) : text,
        status: pending ? "pending" : "recorded",
        nextAttemptAt: pending ? now : null,
        expiresAt: now + ttl * 1000,
        createdAt: now,
      });
    }
  });
  return messageId;
}
