// NovaListServers ({servers:[{id,name,links}]}) and NovaListServersDetails ({servers:[NovaServer]}), with
// nova's filters and marker paging: newest first unless sort_key says otherwise (always descending), and a
// servers_links "next" entry while more servers follow the page. DELETED servers show only when asked for
// by status=DELETED or, as in nova, when changes-since is given.
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { ecsOperation, projectScope, queryInt, zonesOf, type EcsContext, type ProjectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { SERVER_STATUSES, type ServerFilters, type ServerRow } from "../store-servers.ts";
import { novaMinor, novaServer, novaSimpleServer } from "../views-nova.ts";
import { NovaHeaders } from "./nova-servers.ts";
import { serverPartsOf } from "../server-parts.ts";

const SORT_KEYS = {
  created_at: (s: ServerRow) => s.created_at,
  updated_at: (s: ServerRow) => s.updated_at,
  availability_zone: (s: ServerRow) => s.availability_zone,
  display_name: (s: ServerRow) => s.name,
  host: (s: ServerRow) => s.host_id,
  instance_type_id: (s: ServerRow) => s.flavor_id,
  key_name: (s: ServerRow) => s.key_name ?? "",
  project_id: (s: ServerRow) => s.project_id,
  user_id: (s: ServerRow) => s.user_id,
  uuid: (s: ServerRow) => s.id,
  vm_state: (s: ServerRow) => s.vm_state,
} as const;
type SortKey = keyof typeof SORT_KEYS;

const ListQuery = z.object({
  "changes-since": z.string().max(64).optional(),
  flavor: z.string().max(128).optional(),
  host: z.string().max(255).optional(),
  image: z.string().max(128).optional(),
  ip: z.string().max(64).optional(),
  limit: queryInt(1, 1000).optional(),
  marker: z.string().max(128).optional(),
  name: z.string().max(255).optional(),
  "not-tags": z.string().max(1024).optional(),
  reservation_id: z.string().max(128).optional(),
  sort_key: z.enum(Object.keys(SORT_KEYS) as [SortKey, ...SortKey[]]).optional(),
  status: z.enum(SERVER_STATUSES).optional(),
  tags: z.string().max(1024).optional(),
});
type Query = z.infer<typeof ListQuery>;
type Ctx = HandlerContext<EcsContext, unknown>;

/**
 * Nova matches `name` as a regular expression; hwlocal takes it as a substring, honouring a leading "^" and
 * a trailing "$" (a user's pattern is not run as a RegExp, so that no request can make it backtrack).
 */
function nameMatches(pattern: string): (name: string) => boolean {
  const start = pattern.startsWith("^");
  const end = pattern.length > (start ? 1 : 0) && pattern.endsWith("$");
  const core = pattern.slice(start ? 1 : 0, end ? -1 : undefined);
  if (start && end) return (n) => n === core;
  if (start) return (n) => n.startsWith(core);
  if (end) return (n) => n.endsWith(core);
  return (n) => n.includes(core);
}

function parseSince(v: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw ecsErrors.invalidParameter(`changes-since ${v} is not an ISO 8601 time.`);
  return ms;
}

function matching(ctx: Ctx, scope: ProjectScope, q: Query): ServerRow[] {
  const store = ctx.svc.store.servers;
  const split = (v: string | undefined) => (v === undefined ? undefined : v.split(",").filter(Boolean));
  const filters: ServerFilters = {
    status: q.status,
    flavorId: q.flavor,
    reservationId: q.reservation_id,
    tags: split(q.tags),
    notTags: split(q["not-tags"]),
  };
  const everything = { page: 1, limit: 1_000_000 };
  let rows = store.list(scope.projectId, filters, everything).servers;
  if (q["changes-since"] !== undefined) {
    const since = parseSince(q["changes-since"]);
    if (q.status === undefined) rows = rows.concat(store.list(scope.projectId, { ...filters, status: "DELETED" }, everything).servers);
    rows = rows.filter((s) => s.updated_at >= since);
  }
  if (q.image !== undefined) rows = rows.filter((s) => s.image_id === q.image);
  if (q.host !== undefined) rows = rows.filter((s) => s.host_id.slice(0, 12) === q.host);
  if (q.name !== undefined) {
    const matches = nameMatches(q.name);
    rows = rows.filter((s) => matches(s.name));
  }
  if (q.ip !== undefined) {
    const ports = ctx.svc.vpc().portsOfDevices(scope.projectId, rows.map((s) => s.id));
    rows = rows.filter((s) => ports.get(s.id)?.some((p) => p.ipAddress.includes(q.ip!)));
  }
  const key = SORT_KEYS[q.sort_key ?? "created_at"];
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? 1 : x > y ? -1 : b.created_at - a.created_at;
  });
}

/** One page after the marker, and the "next" link when more follow. */
function page(ctx: Ctx, scope: ProjectScope, q: Query, detail: boolean) {
  const rows = matching(ctx, scope, q);
  let from = 0;
  if (q.marker !== undefined) {
    const at = rows.findIndex((s) => s.id === q.marker);
    if (at < 0) throw ecsErrors.invalidParameter(`marker [${q.marker}] not found.`);
    from = at + 1;
  }
  const limit = q.limit ?? 1000;
  const servers = rows.slice(from, from + limit);
  const last = servers[servers.length - 1];
  const more = last !== undefined && from + limit < rows.length;
  const base = `${ctx.request.serviceBase}/v2.1/${scope.projectId}/servers${detail ? "/detail" : ""}`;
  const links = more ? { servers_links: [{ rel: "next", href: `${base}?limit=${limit}&marker=${last.id}` }] } : {};
  return { servers, links };
}

export const novaListServers = ecsOperation({
  name: "NovaListServers",
  method: "GET",
  path: "/v2.1/{project_id}/servers",
  query: ListQuery,
  headers: NovaHeaders,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const { servers, links } = page(ctx, scope, ctx.input.query, false);
    const where = { serviceBase: ctx.request.serviceBase, projectId: scope.projectId };
    return { body: { servers: servers.map((s) => novaSimpleServer(s, where)), ...links } };
  },
});

export const novaListServersDetails = ecsOperation({
  name: "NovaListServersDetails",
  method: "GET",
  path: "/v2.1/{project_id}/servers/detail",
  query: ListQuery.omit({ host: true }),
  headers: NovaHeaders,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const { servers, links } = page(ctx, scope, ctx.input.query, true);
    const options = {
      links: { serviceBase: ctx.request.serviceBase, projectId: scope.projectId },
      minor: novaMinor(ctx.input.headers),
      zones: zonesOf(scope),
    };
    const parts = serverPartsOf(ctx.svc, servers);
    return { body: { servers: servers.map((s, i) => novaServer(s, parts[i]!, options)), ...links } };
  },
});

export const novaServerListOperations = [novaListServers, novaListServersDetails];
