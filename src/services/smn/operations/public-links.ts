// The links SMN's messages carry, answered without credentials: subscribe/confirm (the confirmation mail's
// link) and unsubscribe (every notification's unsubscribe_url). The URN names the project.
import { z } from "../../../kernel/zod.ts";
import { requireSubscription, requireTopic, smnOperation, type SmnContext } from "../context.ts";
import { smnErrors } from "../errors.ts";

const projectOf = (urn: string) => urn.split(":")[3] ?? "";

const ConfirmQuery = z.object({ topic_urn: z.string(), endpoint: z.string(), token: z.string() });

/**
 * Every subscription is confirmed when made (see index.ts), so confirming answers the subscription's URN;
 * the token is checked for form only (1-512 characters), since hwlocal sends no confirmation message to copy it from.
 */
function confirm(svc: SmnContext, q: z.output<typeof ConfirmQuery>) {
  if (q.token.length < 1 || q.token.length > 512) throw smnErrors.parameterInvalid("token");
  const t = requireTopic(svc, projectOf(q.topic_urn), q.topic_urn);
  const s = svc.store.subscriptions(t.projectId, t.topicUrn).find((x) => x.endpoint === q.endpoint);
  if (!s) throw smnErrors.subscriptionNotFound();
  return s.subscriptionUrn;
}

function unsubscribe(svc: SmnContext, urn: string): void {
  const s = requireSubscription(svc, projectOf(urn), urn);
  svc.store.deleteSubscription(s.projectId, s.subscriptionUrn);
  svc.docs.filters.delete(s.projectId, s.subscriptionUrn);
}

export const subscribeTopic = smnOperation({
  name: "SubscribeTopic",
  method: "GET",
  path: "/v2/notifications/subscriptions/subscribe",
  auth: "none",
  query: ConfirmQuery,
  handle: (ctx) => ({ body: { request_id: ctx.request.requestId, subscription_urn: confirm(ctx.svc, ctx.input.query) } }),
});

export const confirmSubscription = smnOperation({
  name: "ConfirmSubscription",
  method: "GET",
  path: "/rest/v2/notifications/subscription/confirm",
  auth: "none",
  query: ConfirmQuery,
  handle: (ctx) => ({ body: { request_id: ctx.request.requestId, subscription_urn: confirm(ctx.svc, ctx.input.query) } }),
});

const UnsubscribeQuery = z.object({ subscription_urn: z.string() });

export const unsubscribeTopic = smnOperation({
  name: "UnsubscribeTopic",
  method: "GET",
  path: "/v2/notifications/subscriptions/unsubscribe",
  auth: "none",
  query: UnsubscribeQuery,
  handle(ctx) {
    unsubscribe(ctx.svc, ctx.input.query.subscription_urn);
    return { body: { message: "You have unsubscribed successfully." } };
  },
});

export const unsubscribeSubscription = smnOperation({
  name: "UnsubscribeSubscription",
  method: "GET",
  path: "/rest/v2/notifications/subscription/unsubscribe",
  auth: "none",
  query: UnsubscribeQuery,
  handle(ctx) {
    unsubscribe(ctx.svc, ctx.input.query.subscription_urn);
    return { body: { message: "You have unsubscribed successfully." } };
  },
});

export const publicLinkOperations = [subscribeTopic, confirmSubscription, unsubscribeTopic, unsubscribeSubscription];
