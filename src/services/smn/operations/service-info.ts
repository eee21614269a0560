// What SMN tells about itself and across topics: API versions, the protocols it accepts, the cloud services
// a topic policy may name, a topic's message statistics, and topics with their tags, policy and logtanks.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { paging, requireProject, requireTopic, smnOperation } from "../context.ts";
import { smnErrors } from "../errors.ts";
import { PROTOCOLS } from "../store.ts";
import * as views from "../views.ts";
import { logtankItem, topicAttributes } from "./topic-settings.ts";

/** v2 became current when SMN's v2 API was published (its reference's first edition); the date is ours. */
const V2 = { id: "v2", min_version: "", status: "CURRENT", updated: "2018-09-30T00:00:00Z", version: "" };
const versionOf = (base: string) => ({ ...V2, links: [{ href: `${base}/v2/`, rel: "self" }] });

/** The services hwlocal serves that a topic's access_policy may name as Principal.Service. */
export const CLOUD_SERVICES = [
  { name: "obs", show_name: "Object Storage Service" },
  { name: "ces", show_name: "Cloud Eye" },
  { name: "as", show_name: "Auto Scaling" },
  { name: "ecs", show_name: "Elastic Cloud Server" },
  { name: "evs", show_name: "Elastic Volume Service" },
  { name: "ims", show_name: "Image Management Service" },
  { name: "vpc", show_name: "Virtual Private Cloud" },
  { name: "elb", show_name: "Elastic Load Balance" },
];

export const listVersions = smnOperation({
  name: "ListVersions",
  method: "GET",
  path: "/",
  auth: "none",
  handle: (ctx) => ({ body: { versions: [versionOf(ctx.request.serviceBase)] } }),
});

export const listVersion = smnOperation({
  name: "ListVersion",
  method: "GET",
  path: "/v2",
  auth: "none",
  handle: (ctx) => ({ body: { version: versionOf(ctx.request.serviceBase) } }),
});

export const listProtocols = smnOperation({
  name: "ListProtocols",
  method: "GET",
  path: "/v2/notifications/protocols",
  auth: "none",
  handle: (ctx) => ({ body: { request_id: ctx.request.requestId, protocols: [...PROTOCOLS] } }),
});

export const listCloudServices = smnOperation({
  name: "ListCloudServices",
  method: "GET",
  path: "/v2/notifications/cloud-services",
  auth: "none",
  handle: (ctx) => ({ body: { request_id: ctx.request.requestId, cloud_services: CLOUD_SERVICES } }),
});

/** The older spelling of ListCloudServices; same answer. */
export const listCloudService = smnOperation({
  name: "ListCloudService",
  method: "GET",
  path: "/v2/notifications/cloud_service",
  auth: "none",
  handle: (ctx) => ({ body: { request_id: ctx.request.requestId, cloud_services: CLOUD_SERVICES } }),
});

const DAY = 86_400_000;

export const listTopicMessageStatistics = smnOperation({
  name: "ListTopicMessageStatistics",
  method: "GET",
  path: "/v2/{project_id}/notifications/topics/{topic_urn}/statistics",
  query: z.object({ start_time: z.string().regex(/^[0-9]{1,15}$/), end_time: z.string().regex(/^[0-9]{1,15}$/) }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const from = Number(ctx.input.query.start_time);
    const to = Number(ctx.input.query.end_time);
    if (to < from || to - from > 31 * DAY) throw smnErrors.parameterInvalid("start_time or end_time");
    // SMS messages sent, per day (UTC) of the range: the only figure the API reports.
    const days = new Map<number, number>();
    for (let d = Math.floor(from / DAY) * DAY; d < to; d += DAY) days.set(d, 0);
    let total = 0;
    for (const m of ctx.svc.store.messages(p.projectId)) {
      if (m.topicUrn !== t.topicUrn || m.protocol !== "sms" || m.createdAt < from || m.createdAt >= to) continue;
      const d = Math.floor(m.createdAt / DAY) * DAY;
      days.set(d, (days.get(d) ?? 0) + 1);
      total++;
    }
    const statistics = [...days].map(([d, sms]) => ({ start_time: isoSeconds(d), count: { sms } }));
    return { body: { request_id: ctx.request.requestId, total: { sms: total }, statistics } };
  },
});

export const listTopicsWithAssociatedResources = smnOperation({
  name: "ListTopicsWithAssociatedResources",
  method: "GET",
  path: "/v2/{project_id}/notifications/topics-with-associated-resources",
  query: z.object({
    offset: z.string().optional(), limit: z.string().optional(), topic_id: z.string().optional(), enterprise_project_id: z.string().optional(),
    name: z.string().optional(), fuzzy_name: z.string().optional(), fuzzy_display_name: z.string().optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = paging(q);
    const topics = ctx.svc.store.topics(p.projectId).filter((t) =>
      (q.topic_id === undefined || t.topicId === q.topic_id) && (q.name === undefined || t.name === q.name)
      && (q.fuzzy_name === undefined || t.name.includes(q.fuzzy_name)) && (q.fuzzy_display_name === undefined || t.displayName.includes(q.fuzzy_display_name))
      && (q.enterprise_project_id === undefined || t.enterpriseProjectId === q.enterprise_project_id));
    const items = topics.slice(offset, offset + limit).map((t) => {
      const attrs = topicAttributes(ctx.svc, p.projectId, t.topicUrn, "access_policy");
      return {
        ...views.topicItem(t),
        tags: ctx.svc.docs.tags.get(p.projectId, t.topicUrn)?.doc.tags ?? [],
        attributes: attrs,
        logtanks: ctx.svc.docs.logtanks.list(p.projectId, t.topicUrn).map(logtankItem),
      };
    });
    return { body: { request_id: ctx.request.requestId, topic_count: topics.length, topics: items } };
  },
});

export const serviceInfoOperations = [
  listVersions, listVersion, listProtocols, listCloudServices, listCloudService, listTopicMessageStatistics, listTopicsWithAssociatedResources,
];
