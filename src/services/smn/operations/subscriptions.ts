// Subscriptions: subscribe (protocol and endpoint checked per protocol; confirmed at once), list per topic
// and for the project (offset/limit), unsubscribe. Quota: SUBSCRIPTION_LIMIT a topic (SMN.0078).
import { z } from "../../../kernel/zod.ts";
import {
  checkEndpoint, checkProtocol, paging, requireProject, requireSubscription, requireTopic, smnOperation, SUBSCRIPTION_LIMIT, type SmnContext,
} from "../context.ts";
import { smnErrors } from "../errors.ts";
import type { Subscription } from "../store.ts";
import * as views from "../views.ts";

const Paging = z.object({ offset: z.string().optional(), limit: z.string().optional(), fuzzy_remark: z.string().optional() });

function page(svc: SmnContext, requestId: string, all: Subscription[], q: z.output<typeof Paging>) {
  const { offset, limit } = paging(q);
  const subs = q.fuzzy_remark === undefined ? all : all.filter((s) => s.remark.includes(q.fuzzy_remark!));
  return {
    request_id: requestId,
    subscription_count: subs.length,
    subscriptions: subs.slice(offset, offset + limit).map((s) => views.subscription(s, svc.docs.filters.get(s.projectId, s.subscriptionUrn)?.doc.policies)),
  };
}

export const addSubscription = smnOperation({
  name: "AddSubscription",
  method: "POST",
  path: "/v2/{project_id}/notifications/topics/{topic_urn}/subscriptions",
  body: z.object({ protocol: z.unknown(), endpoint: z.unknown(), remark: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const b = ctx.input.body;
    const protocol = checkProtocol(b.protocol);
    const endpoint = checkEndpoint(protocol, b.endpoint);
    const remark = b.remark ?? "";
    if (typeof remark !== "string" || Buffer.byteLength(remark) > 128) throw smnErrors.invalidBody("remark: at most 128 bytes.");
    const same = ctx.svc.store.subscriptions(p.projectId, t.topicUrn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (same) return { status: 201, body: { request_id: ctx.request.requestId, subscription_urn: same.subscriptionUrn } };
    if (ctx.svc.store.subscriptionCount(t.topicUrn) >= SUBSCRIPTION_LIMIT) throw smnErrors.subscriptionLimit();
    const subscriptionUrn = `${t.topicUrn}:${ctx.ids.hex32()}`;
    ctx.svc.store.insertSubscription({ subscriptionUrn, projectId: p.projectId, topicUrn: t.topicUrn, protocol, endpoint, remark, createdAt: ctx.clock.now() });
    return { status: 201, body: { request_id: ctx.request.requestId, subscription_urn: subscriptionUrn } };
  },
});

export const listSubscriptionsByTopic = smnOperation({
  name: "ListSubscriptionsByTopic",
  method: "GET",
  path: "/v2/{project_id}/notifications/topics/{topic_urn}/subscriptions",
  query: Paging,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    return { body: page(ctx.svc, ctx.request.requestId, ctx.svc.store.subscriptions(p.projectId, t.topicUrn), ctx.input.query) };
  },
});

export const listSubscriptions = smnOperation({
  name: "ListSubscriptions",
  method: "GET",
  path: "/v2/{project_id}/notifications/subscriptions",
  query: Paging.extend({ protocol: z.string().optional(), endpoint: z.string().optional(), status: z.string().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const q = ctx.input.query;
    const subs = ctx.svc.store
      .subscriptions(p.projectId)
      .filter((s) => (q.protocol === undefined || s.protocol === q.protocol) && (q.endpoint === undefined || s.endpoint === q.endpoint))
      // Every subscription is confirmed (status 1) here.
      .filter(() => q.status === undefined || q.status === "1");
    return { body: page(ctx.svc, ctx.request.requestId, subs, q) };
  },
});

export const cancelSubscription = smnOperation({
  name: "CancelSubscription",
  method: "DELETE",
  path: "/v2/{project_id}/notifications/subscriptions/{subscription_urn}",
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const s = requireSubscription(ctx.svc, p.projectId, ctx.input.path.subscription_urn!);
    ctx.svc.store.deleteSubscription(p.projectId, s.subscriptionUrn);
    ctx.svc.docs.filters.delete(p.projectId, s.subscriptionUrn);
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const subscriptionOperations = [addSubscription, listSubscriptionsByTopic, listSubscriptions, cancelSubscription];
