// What SMN offers other services and hwlocal's control plane: Auto Scaling and Cloud Eye publish through
// rt.api("smn").publish(...); messages(...) gives the recorded deliveries (for GET /_hwlocal/smn/messages).
import { ApiError } from "../../kernel/api-error.ts";
import type { SmnContext } from "./context.ts";
import { smnErrors } from "./errors.ts";
import { publishMessage } from "./publish.ts";
import type { DeliveryAttempt, Message } from "./store.ts";

export type SmnPublishResult = { ok: true; messageId: string } | { ok: false; status: number; code: string; message: string };

export interface SmnDelivery extends Message {
  /** Each finished HTTP attempt (http/https subscriptions only). */
  log: DeliveryAttempt[];
}

export interface SmnApi {
  /** Publishes to one of the project's topics as PublishMessage does; failures carry SMN's code. */
  publish(projectId: string, topicUrn: string, input: { subject?: string; message: string; timeToLive?: number }): SmnPublishResult;
  /** The recorded deliveries (one per message and subscription), oldest first; all projects' when omitted. */
  messages(projectId?: string): SmnDelivery[];
  /** Whether the project has a topic of that URN (what Cloud Eye and Auto Scaling may name). */
  topicExists(projectId: string, topicUrn: string): boolean;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    smn: SmnApi;
  }
}

export function smnApi(svc: SmnContext): SmnApi {
  return {
    publish(projectId, topicUrn, input) {
      try {
        const t = svc.store.topic(projectId, topicUrn);
        if (!t) throw smnErrors.topicNotFound();
        return { ok: true, messageId: publishMessage(svc, t, input) };
      } catch (e) {
        if (e instanceof ApiError) return { ok: false, status: e.status, code: e.code, message: e.message };
        throw e;
      }
    },
    topicExists(projectId, topicUrn) {
      return svc.store.topic(projectId, topicUrn) !== undefined;
    },
    messages(projectId) {
      return svc.store.messages(projectId).map((m) => ({ ...m, log: svc.store.deliveryLog(m.id) }));
    },
  };
}
