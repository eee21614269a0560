// Traffic mirroring (/v3/{project_id}/vpc/traffic-mirror-filters, -filter-rules, -sessions): CRUD of each,
// and sessions' add-sources/remove-sources. v3 conventions: request_id, nested errors, 201 on create,
// page_info on lists; list filters are exact matches of the listed fields.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import type { Env, ProjectScope, VpcContext } from "../context.ts";
import { Description, Marker, V3Limit, envOf, pageInfo, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import type { Doc } from "../model/documents.ts";
import {
  checkMirrorRule,
  checkSession,
  deleteFilter,
  mirrorFilters,
  mirrorRules,
  mirrorSessions,
  requireFilter,
  requireMirrorRule,
  requireSession,
  rulesOfFilter,
  type FilterDoc,
  type RuleDoc,
  type SessionDoc,
} from "../model/traffic-mirror.ts";
import { pageList } from "../store/documents.ts";
import type { DocKind } from "../store/index.ts";

type Ctx = HandlerContext<VpcContext, unknown>;
const times = (d: Doc<unknown>) => ({ created_at: isoSeconds(d.row.created_at), updated_at: isoSeconds(d.row.updated_at) });
const ruleView = (r: Doc<RuleDoc>) => ({ id: r.row.id, project_id: r.row.project_id, ...r.doc, ...times(r) });
const filterView = (env: Env, p: ProjectScope, f: Doc<FilterDoc>) => {
  const rules = rulesOfFilter(env, p, f.row.id).map(ruleView);
  return {
    id: f.row.id,
    project_id: f.row.project_id,
    ...f.doc,
    ingress_rules: rules.filter((r) => r.direction === "ingress"),
    egress_rules: rules.filter((r) => r.direction === "egress"),
    ...times(f),
  };
};
const sessionView = (s: Doc<SessionDoc>) => ({ id: s.row.id, project_id: s.row.project_id, ...s.doc, ...times(s) });

const Enabled = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
const PortRange = z.string().max(16);
/** The SDK sends some numbers of sessions as strings ("1", "96"). */
const Num = z.union([z.number().int(), z.string().regex(/^[0-9]{1,9}$/).transform(Number)]);
const Cidr = z.string().max(64);

/** A list answer: the views filtered by exact query matches, then paged. */
function listed<T extends { id: string }>(ctx: Ctx, key: string, items: T[], q: Record<string, string | number | undefined>) {
  const filters = Object.entries(q).filter(([k, v]) => k !== "limit" && k !== "marker" && v !== undefined);
  const kept = items.filter((it) => filters.every(([k, v]) => String((it as Record<string, unknown>)[k]) === String(v)));
  const page = paged(pageList(kept, pageOf(q as { marker?: string; limit?: number })), q.marker as string | undefined);
  return { body: { request_id: ctx.request.requestId, [key]: page, page_info: pageInfo(page, q.limit as number | undefined) } };
}

function insertDoc(env: Env, p: ProjectScope, kind: DocKind, doc: unknown): string {
  const id = env.ids.uuid();
  env.store.documents.insert({ id, projectId: p.projectId, kind, doc, now: env.clock.now() });
  return id;
}

const F = "/v3/{project_id}/vpc/traffic-mirror-filters";
const R = "/v3/{project_id}/vpc/traffic-mirror-filter-rules";
const S = "/v3/{project_id}/vpc/traffic-mirror-sessions";
const answer = (ctx: Ctx, key: string, value: unknown, status?: number) => ({ ...(status ? { status } : {}), body: { request_id: ctx.request.requestId, [key]: value } });
const NameField = z.string().max(64).regex(/^[\p{L}\p{N}_.-]*$/u, "may hold only letters, digits, '_', '-' and '.'");

const filterOps = [
  vpcOperation({
    name: "CreateTrafficMirrorFilter",
    method: "POST",
    path: F,
    errorShape: "nested",
    body: z.object({ traffic_mirror_filter: z.object({ name: NameField.optional(), description: Description.optional() }) }),
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      const b = ctx.input.body.traffic_mirror_filter;
      const id = insertDoc(env, p, "mirrorfilter", { name: b.name ?? "", description: b.description ?? "" } satisfies FilterDoc);
      return answer(ctx, "traffic_mirror_filter", filterView(env, p, requireFilter(env, p, id)), 201);
    },
  }),
  vpcOperation({
    name: "ListTrafficMirrorFilters",
    method: "GET",
    path: F,
    errorShape: "nested",
    query: z.object({ limit: V3Limit.optional(), marker: Marker.optional(), id: z.string().optional(), name: z.string().optional(), description: z.string().optional() }),
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      return listed(ctx, "traffic_mirror_filters", mirrorFilters(env, p).map((f) => filterView(env, p, f)), ctx.input.query);
    },
  }),
  vpcOperation({
    name: "ShowTrafficMirrorFilter",
    method: "GET",
    path: `${F}/{traffic_mirror_filter_id}`,
    errorShape: "nested",
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      return answer(ctx, "traffic_mirror_filter", filterView(env, p, requireFilter(env, p, ctx.input.path.traffic_mirror_filter_id!)));
    },
  }),
  vpcOperation({
    name: "UpdateTrafficMirrorFilter",
    method: "PUT",
    path: `${F}/{traffic_mirror_filter_id}`,
    errorShape: "nested",
    body: z.object({ traffic_mirror_filter: z.object({ name: NameField.optional(), description: Description.optional() }) }),
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      const f = requireFilter(env, p, ctx.input.path.traffic_mirror_filter_id!);
      const b = ctx.input.body.traffic_mirror_filter;
      env.store.documents.update(f.row.id, { name: b.name ?? f.doc.name, description: b.description ?? f.doc.description } satisfies FilterDoc, env.clock.now());
      return answer(ctx, "traffic_mirror_filter", filterView(env, p, requireFilter(env, p, f.row.id)));
    },
  }),
  vpcOperation({
    name: "DeleteTrafficMirrorFilter",
    method: "DELETE",
    path: `${F}/{traffic_mirror_filter_id}`,
    errorShape: "nested",
    handle(ctx) {
      deleteFilter(envOf(ctx), requireProject(ctx.scope), ctx.input.path.traffic_mirror_filter_id!);
      return { status: 204 };
    },
  }),
];

const RuleFields = {
  description: Description.optional(),
  protocol: z.enum(["tcp", "udp", "icmp", "icmpv6", "all"]).optional(),
  ethertype: z.enum(["IPv4", "IPv6"]).optional(),
  source_cidr_block: Cidr.optional(),
  destination_cidr_block: Cidr.optional(),
  source_port_range: PortRange.optional(),
  destination_port_range: PortRange.optional(),
  action: z.enum(["accept", "reject"]).optional(),
  priority: z.number().int().optional(),
};

const ruleOps = [
  vpcOperation({
    name: "CreateTrafficMirrorFilterRule",
    method: "POST",
    path: R,
    errorShape: "nested",
    body: z.object({
      traffic_mirror_filter_rule: z.object({ ...RuleFields, traffic_mirror_filter_id: z.string().min(1).max(64), direction: z.enum(["ingress", "egress"]), action: z.enum(["accept", "reject"]), priority: z.number().int() }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      const b = ctx.input.body.traffic_mirror_filter_rule;
      const id = env.store.tx(() => {
        const doc = checkMirrorRule(env, p, {
          traffic_mirror_filter_id: b.traffic_mirror_filter_id,
          direction: b.direction,
          protocol: b.protocol ?? "all",
          ethertype: b.ethertype ?? "IPv4",
          source_cidr_block: b.source_cidr_block ?? null,
          destination_cidr_block: b.destination_cidr_block ?? null,
          source_port_range: b.source_port_range ?? null,
          destination_port_range: b.destination_port_range ?? null,
          action: b.action,
          priority: b.priority,
          description: b.description ?? "",
        });
        return insertDoc(env, p, "mirrorrule", doc);
      });
      return answer(ctx, "traffic_mirror_filter_rule", ruleView(requireMirrorRule(env, p, id)), 201);
    },
  }),
  vpcOperation({
    name: "ListTrafficMirrorFilterRules",
    method: "GET",
    path: R,
    errorShape: "nested",
    query: z.object({
      limit: V3Limit.optional(),
      marker: Marker.optional(),
      id: z.string().optional(),
      description: z.string().optional(),
      traffic_mirror_filter_id: z.string().optional(),
      direction: z.string().optional(),
      protocol: z.string().optional(),
      source_cidr_block: z.string().optional(),
      destination_cidr_block: z.string().optional(),
      source_port_range: z.string().optional(),
      destination_port_range: z.string().optional(),
      action: z.string().optional(),
      priority: z.string().optional(),
    }),
    handle(ctx) {
      return listed(ctx, "traffic_mirror_filter_rules", mirrorRules(envOf(ctx), requireProject(ctx.scope)).map(ruleView), ctx.input.query);
    },
  }),
  vpcOperation({
    name: "ShowTrafficMirrorFilterRule",
    method: "GET",
    path: `${R}/{traffic_mirror_filter_rule_id}`,
    errorShape: "nested",
    handle(ctx) {
      return answer(ctx, "traffic_mirror_filter_rule", ruleView(requireMirrorRule(envOf(ctx), requireProject(ctx.scope), ctx.input.path.traffic_mirror_filter_rule_id!)));
    },
  }),
  vpcOperation({
    name: "UpdateTrafficMirrorFilterRule",
    method: "PUT",
    path: `${R}/{traffic_mirror_filter_rule_id}`,
    errorShape: "nested",
    body: z.object({ traffic_mirror_filter_rule: z.object(RuleFields) }),
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      const r = requireMirrorRule(env, p, ctx.input.path.traffic_mirror_filter_rule_id!);
      const patch = Object.fromEntries(Object.entries(ctx.input.body.traffic_mirror_filter_rule).filter(([, v]) => v !== undefined));
      env.store.tx(() => env.store.documents.update(r.row.id, checkMirrorRule(env, p, { ...r.doc, ...patch }, r.row.id), env.clock.now()));
      return answer(ctx, "traffic_mirror_filter_rule", ruleView(requireMirrorRule(env, p, r.row.id)));
    },
  }),
  vpcOperation({
    name: "DeleteTrafficMirrorFilterRule",
    method: "DELETE",
    path: `${R}/{traffic_mirror_filter_rule_id}`,
    errorShape: "nested",
    handle(ctx) {
      const env = envOf(ctx);
      env.store.documents.delete(requireMirrorRule(env, requireProject(ctx.scope), ctx.input.path.traffic_mirror_filter_rule_id!).row.id);
      return { status: 204 };
    },
  }),
];

const SessionFields = {
  name: NameField.optional(),
  description: Description.optional(),
  traffic_mirror_filter_id: z.string().min(1).max(64).optional(),
  traffic_mirror_target_id: z.string().min(1).max(64).optional(),
  traffic_mirror_target_type: z.enum(["eni", "elb"]).optional(),
  virtual_network_id: Num.optional(),
  packet_length: Num.optional(),
  priority: Num.optional(),
  enabled: Enabled.optional(),
};
const Sources = z.object({ traffic_mirror_session: z.object({ traffic_mirror_sources: z.array(z.string().min(1).max(64)).min(1).max(10) }) });

function changeSources(ctx: Ctx & { input: { path: Record<string, string>; body: z.infer<typeof Sources> } }, add: boolean) {
  const env = envOf(ctx);
  const p = requireProject(ctx.scope);
  const s = requireSession(env, p, ctx.input.path.traffic_mirror_session_id!);
  const given = ctx.input.body.traffic_mirror_session.traffic_mirror_sources;
  env.store.tx(() => {
    for (const g of given) {
      if (!add && !s.doc.traffic_mirror_sources.includes(g)) throw vpcErrors.invalidParameter(`The port ${g} is not a source of session ${s.row.id}.`);
      if (add && s.doc.traffic_mirror_sources.includes(g)) throw vpcErrors.invalidParameter(`The port ${g} is already a source of session ${s.row.id}.`);
    }
    const sources = add ? [...s.doc.traffic_mirror_sources, ...given] : s.doc.traffic_mirror_sources.filter((x) => !given.includes(x));
    env.store.documents.update(s.row.id, checkSession(env, p, { ...s.doc, traffic_mirror_sources: sources }), env.clock.now());
  });
  return answer(ctx, "traffic_mirror_session", sessionView(requireSession(env, p, s.row.id)));
}

const sessionOps = [
  vpcOperation({
    name: "CreateTrafficMirrorSession",
    method: "POST",
    path: S,
    errorShape: "nested",
    body: z.object({
      traffic_mirror_session: z.object({
        ...SessionFields,
        traffic_mirror_filter_id: z.string().min(1).max(64),
        traffic_mirror_sources: z.array(z.string().min(1).max(64)).max(10),
        traffic_mirror_target_id: z.string().min(1).max(64),
        traffic_mirror_target_type: z.enum(["eni", "elb"]),
        priority: Num,
        type: z.string().max(16).optional(),
      }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      const b = ctx.input.body.traffic_mirror_session;
      const id = env.store.tx(() => {
        const doc = checkSession(env, p, {
          name: b.name ?? "",
          description: b.description ?? "",
          traffic_mirror_filter_id: b.traffic_mirror_filter_id,
          traffic_mirror_sources: b.traffic_mirror_sources,
          traffic_mirror_target_id: b.traffic_mirror_target_id,
          traffic_mirror_target_type: b.traffic_mirror_target_type,
          virtual_network_id: b.virtual_network_id ?? 1,
          packet_length: b.packet_length ?? 96,
          priority: b.priority,
          enabled: b.enabled ?? true,
          type: b.type ?? "eni",
        });
        return insertDoc(env, p, "mirrorsession", doc);
      });
      return answer(ctx, "traffic_mirror_session", sessionView(requireSession(env, p, id)), 201);
    },
  }),
  vpcOperation({
    name: "ListTrafficMirrorSessions",
    method: "GET",
    path: S,
    errorShape: "nested",
    query: z.object({
      limit: V3Limit.optional(),
      marker: Marker.optional(),
      ...Object.fromEntries(
        ["id", "name", "description", "traffic_mirror_filter_id", "traffic_mirror_target_id", "traffic_mirror_target_type", "virtual_network_id", "packet_length", "priority", "enabled", "type"].map((k) => [
          k,
          z.string().max(64).optional(),
        ]),
      ),
    }),
    handle(ctx) {
      return listed(ctx, "traffic_mirror_sessions", mirrorSessions(envOf(ctx), requireProject(ctx.scope)).map(sessionView), ctx.input.query as Record<string, string | undefined>);
    },
  }),
  vpcOperation({
    name: "ShowTrafficMirrorSession",
    method: "GET",
    path: `${S}/{traffic_mirror_session_id}`,
    errorShape: "nested",
    handle(ctx) {
      return answer(ctx, "traffic_mirror_session", sessionView(requireSession(envOf(ctx), requireProject(ctx.scope), ctx.input.path.traffic_mirror_session_id!)));
    },
  }),
  vpcOperation({
    name: "UpdateTrafficMirrorSession",
    method: "PUT",
    path: `${S}/{traffic_mirror_session_id}`,
    errorShape: "nested",
    body: z.object({ traffic_mirror_session: z.object(SessionFields) }),
    handle(ctx) {
      const env = envOf(ctx);
      const p = requireProject(ctx.scope);
      const s = requireSession(env, p, ctx.input.path.traffic_mirror_session_id!);
      const patch = Object.fromEntries(Object.entries(ctx.input.body.traffic_mirror_session).filter(([, v]) => v !== undefined));
      env.store.tx(() => env.store.documents.update(s.row.id, checkSession(env, p, { ...s.doc, ...patch }), env.clock.now()));
      return answer(ctx, "traffic_mirror_session", sessionView(requireSession(env, p, s.row.id)));
    },
  }),
  vpcOperation({
    name: "DeleteTrafficMirrorSession",
    method: "DELETE",
    path: `${S}/{traffic_mirror_session_id}`,
    errorShape: "nested",
    handle(ctx) {
      const env = envOf(ctx);
      env.store.documents.delete(requireSession(env, requireProject(ctx.scope), ctx.input.path.traffic_mirror_session_id!).row.id);
      return { status: 204 };
    },
  }),
  vpcOperation({
    name: "AddSourcesToTrafficMirrorSession",
    method: "PUT",
    path: `${S}/{traffic_mirror_session_id}/add-sources`,
    errorShape: "nested",
    body: Sources,
    handle: (ctx) => changeSources(ctx, true),
  }),
  vpcOperation({
    name: "RemoveSourcesFromTrafficMirrorSession",
    method: "PUT",
    path: `${S}/{traffic_mirror_session_id}/remove-sources`,
    errorShape: "nested",
    body: Sources,
    handle: (ctx) => changeSources(ctx, false),
  }),
];

export const trafficMirrorOperations = [...filterOps, ...ruleOps, ...sessionOps];
