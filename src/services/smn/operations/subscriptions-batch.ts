// Subscriptions beyond subscribe/list/cancel: the remark update, deleting one through its topic, batch
// deletes (each URN answered on its own, as Huawei's batch results are), and message filter policies
// (kept per subscription; ListSubscriptions shows them as filter_polices).
import { z } from "../../../kernel/zod.ts";
import { ApiError } from "../../../kernel/api-error.ts";
import { requireProject, requireSubscription, requireTopic, smnOperation, type SmnContext } from "../context.ts";
import { smnErrors } from "../errors.ts";
import type { FilterPolicies } from "../resources.ts";

const Topic = "/v2/{project_id}/notifications/topics/{topic_urn}";
const Subs = "/v2/{project_id}/notifications/subscriptions";
const MAX_BATCH = 100;

function checkRemark(v: unknown): string {
  if (typeof v !== "string" || Buffer.byteLength(v) > 128) throw smnErrors.remarkInvalid();
  return v;
}

/** Runs fn for each URN; an ApiError becomes that URN's result instead of failing the batch. */
function each<T>(urns: string[], fn: (urn: string) => T): { urn: string; error?: ApiError }[] {
  return urns.map((urn) => {
    try {
      fn(urn);
      return { urn };
    } catch (e) {
      if (e instanceof ApiError) return { urn, error: e };
      throw e;
    }
  });
}

function removeSubscription(svc: SmnContext, projectId: string, urn: string, topicUrn?: string): void {
  const s = requireSubscription(svc, projectId, urn);
  if (topicUrn !== undefined && s.topicUrn !== topicUrn) throw smnErrors.subscriptionNotFound();
  svc.store.deleteSubscription(projectId, s.subscriptionUrn);
  svc.docs.filters.delete(projectId, s.subscriptionUrn);
}

const BatchBody = z.object({ subscription_urns: z.array(z.object({ subscription_urn: z.string() })).min(1).max(MAX_BATCH) });

function batchDelete(svc: SmnContext, projectId: string, urns: string[], requestId: string, topicUrn?: string) {
  const results = svc.store.tx(() => each(urns, (u) => removeSubscription(svc, projectId, u, topicUrn)));
  return {
    subscriptions_result: results.map((r) =>
      r.error ? { request_id: requestId, http_code: r.error.status, code: r.error.code, message: r.error.message } : { request_id: requestId, http_code: 200 }),
  };
}

export const updateSubscription = smnOperation({
  name: "UpdateSubscription",
  method: "PUT",
  path: `${Topic}/subscriptions/{subscription_urn}`,
  body: z.object({ remark: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const s = requireSubscription(ctx.svc, p.projectId, ctx.input.path.subscription_urn!);
    if (s.topicUrn !== t.topicUrn) throw smnErrors.subscriptionNotFound();
    ctx.svc.store.updateRemark(p.projectId, s.subscriptionUrn, checkRemark(ctx.input.body.remark));
    return { body: { request_id: ctx.request.requestId, subscription_urn: s.subscriptionUrn } };
  },
});

export const deleteSubscriptionsByTopic = smnOperation({
  name: "DeleteSubscriptionsByTopic",
  method: "DELETE",
  path: `${Topic}/subscriptions/{subscription_urn}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    removeSubscription(ctx.svc, p.projectId, ctx.input.path.subscription_urn!, t.topicUrn);
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const batchDeleteSubscriptions = smnOperation({
  name: "BatchDeleteSubscriptions",
  method: "DELETE",
  path: Subs,
  body: BatchBody,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const urns = ctx.input.body.subscription_urns.map((x) => x.subscription_urn);
    return { body: batchDelete(ctx.svc, p.projectId, urns, ctx.request.requestId) };
  },
});

export const batchDeleteSubscriptionsByTopic = smnOperation({
  name: "BatchDeleteSubscriptionsByTopic",
  method: "DELETE",
  path: `${Topic}/subscriptions`,
  body: BatchBody,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const urns = ctx.input.body.subscription_urns.map((x) => x.subscription_urn);
    return { body: batchDelete(ctx.svc, p.projectId, urns, ctx.request.requestId, t.topicUrn) };
  },
});

const Policy = z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), string_equals: z.array(z.string().min(1).max(32)).min(1).max(10) });
const PoliciesBody = z.object({
  polices: z.array(z.object({ subscription_urn: z.string(), filter_polices: z.array(Policy).min(1).max(10) })).min(1).max(MAX_BATCH),
});

function setPolicies(ctx: { svc: SmnContext; projectId: string; now: number; requestId: string }, items: { subscription_urn: string; filter_polices: FilterPolicies }[], mustExist: boolean) {
  const { svc, projectId } = ctx;
  const results = svc.store.tx(() =>
    each(items.map((i) => i.subscription_urn), (urn) => {
      const s = requireSubscription(svc, projectId, urn);
      const have = svc.docs.filters.get(projectId, s.subscriptionUrn);
      if (mustExist && !have) throw smnErrors.notFound(`filter policy of ${urn}`);
      const policies = items.find((i) => i.subscription_urn === urn)!.filter_polices;
      if (new Set(policies.map((x) => x.name)).size !== policies.length) throw smnErrors.parameterInvalid("filter_polices.name");
      svc.docs.filters.put(projectId, { id: s.subscriptionUrn, parent: s.topicUrn, createdAt: have?.createdAt ?? ctx.now, doc: { policies } });
    }),
  );
  return { request_id: ctx.requestId, batch_result: batchResult(results) };
}

const batchResult = (results: { urn: string; error?: ApiError }[]) =>
  results.map((r) => ({ subscription_urn: r.urn, code: r.error ? r.error.code : "200", message: r.error ? r.error.message : "Success" }));

export const batchCreateSubscriptionsFilterPolices = smnOperation({
  name: "BatchCreateSubscriptionsFilterPolices",
  method: "POST",
  path: `${Subs}/filter_polices`,
  body: PoliciesBody,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    return { body: setPolicies({ svc: ctx.svc, projectId: p.projectId, now: ctx.clock.now(), requestId: ctx.request.requestId }, ctx.input.body.polices, false) };
  },
});

export const batchUpdateSubscriptionsFilterPolices = smnOperation({
  name: "BatchUpdateSubscriptionsFilterPolices",
  method: "PUT",
  path: `${Subs}/filter_polices`,
  body: PoliciesBody,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    return { body: setPolicies({ svc: ctx.svc, projectId: p.projectId, now: ctx.clock.now(), requestId: ctx.request.requestId }, ctx.input.body.polices, true) };
  },
});

export const batchDeleteSubscriptionsFilterPolices = smnOperation({
  name: "BatchDeleteSubscriptionsFilterPolices",
  method: "DELETE",
  path: `${Subs}/filter_polices`,
  body: z.object({ subscription_urns: z.array(z.string()).min(1).max(MAX_BATCH) }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const results = each(ctx.input.body.subscription_urns, (urn) => {
      const s = requireSubscription(ctx.svc, p.projectId, urn);
      if (!ctx.svc.docs.filters.delete(p.projectId, s.subscriptionUrn)) throw smnErrors.notFound(`filter policy of ${urn}`);
    });
    return { body: { request_id: ctx.request.requestId, batch_result: batchResult(results) } };
  },
});

export const subscriptionBatchOperations = [
  updateSubscription, deleteSubscriptionsByTopic, batchDeleteSubscriptions, batchDeleteSubscriptionsByTopic,
  batchCreateSubscriptionsFilterPolices, batchUpdateSubscriptionsFilterPolices, batchDeleteSubscriptionsFilterPolices,
];
