// Topics: create (idempotent by name), list with name/fuzzy_name and offset/limit paging, show, update of
// display_name, delete (with its subscriptions). Quota: TOPIC_LIMIT topics a project (SMN.0004).
import { z } from "../../../kernel/zod.ts";
import { checkDisplayName, checkTopicName, paging, requireProject, requireTopic, smnOperation, TOPIC_LIMIT, topicUrnOf } from "../context.ts";
import { smnErrors } from "../errors.ts";
import * as views from "../views.ts";

const Base = "/v2/{project_id}/notifications/topics";

export const createTopic = smnOperation({
  name: "CreateTopic",
  method: "POST",
  path: Base,
  body: z.object({ name: z.unknown(), display_name: z.unknown().optional(), enterprise_project_id: z.string().max(64).optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const b = ctx.input.body;
    const name = checkTopicName(b.name);
    const displayName = checkDisplayName(b.display_name);
    const topicUrn = topicUrnOf(p, name);
    const requestId = ctx.request.requestId;
    if (ctx.svc.store.topic(p.projectId, topicUrn)) return { status: 201, body: { request_id: requestId, topic_urn: topicUrn } };
    if (ctx.svc.store.topicCount(p.projectId) >= TOPIC_LIMIT) throw smnErrors.topicLimit();
    ctx.svc.store.insertTopic({
      topicUrn,
      projectId: p.projectId,
      topicId: ctx.ids.hex32(),
      name,
      displayName,
      enterpriseProjectId: b.enterprise_project_id ?? "0",
      createdAt: ctx.clock.now(),
    });
    return { status: 201, body: { request_id: requestId, topic_urn: topicUrn } };
  },
});

export const listTopics = smnOperation({
  name: "ListTopics",
  method: "GET",
  path: Base,
  query: z.object({
    offset: z.string().optional(),
    limit: z.string().optional(),
    name: z.string().optional(),
    fuzzy_name: z.string().optional(),
    enterprise_project_id: z.string().optional(),
    topic_id: z.string().optional(),
    fuzzy_display_name: z.string().optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = paging(q);
    const topics = ctx.svc.store
      .topics(p.projectId)
      .filter((t) => q.name === undefined || t.name === q.name)
      .filter((t) => q.fuzzy_name === undefined || t.name.includes(q.fuzzy_name))
      .filter((t) => q.enterprise_project_id === undefined || t.enterpriseProjectId === q.enterprise_project_id)
      .filter((t) => q.topic_id === undefined || t.topicId === q.topic_id)
      .filter((t) => q.fuzzy_display_name === undefined || t.displayName.includes(q.fuzzy_display_name));
    return {
      body: {
        request_id: ctx.request.requestId,
        topic_count: topics.length,
        topics: topics.slice(offset, offset + limit).map(views.topicItem),
      },
    };
  },
});

export const listTopicDetails = smnOperation({
  name: "ListTopicDetails",
  method: "GET",
  path: `${Base}/{topic_urn}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    return { body: { request_id: ctx.request.requestId, ...views.topicDetail(t) } };
  },
});

export const updateTopic = smnOperation({
  name: "UpdateTopic",
  method: "PUT",
  path: `${Base}/{topic_urn}`,
  body: z.object({ display_name: z.unknown() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    if (ctx.input.body.display_name === undefined) throw smnErrors.displayNameInvalid();
    ctx.svc.store.updateTopic(p.projectId, t.topicUrn, checkDisplayName(ctx.input.body.display_name), ctx.clock.now());
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const deleteTopic = smnOperation({
  name: "DeleteTopic",
  method: "DELETE",
  path: `${Base}/{topic_urn}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    ctx.svc.store.tx(() => {
      ctx.svc.store.deleteTopic(p.projectId, t.topicUrn);
      // Its attributes, tags, logtank, KMS key, notify policy and subscription filter policies.
      ctx.svc.docs.table.deleteUnder(p.projectId, t.topicUrn);
    });
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const topicOperations = [createTopic, listTopics, listTopicDetails, updateTopic, deleteTopic];
