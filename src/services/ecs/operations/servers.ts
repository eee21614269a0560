// Servers once created: ListServersDetails (offset is a page number, as ECS documents), ShowServer,
// UpdateServer, DeleteServers and the batch start / stop / reboot action, each action a job with one
// sub-job per server that ends after the configured boot delay.
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { ecsOperation, projectScope, queryInt, type EcsContext, type ProjectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { JOB_TYPES } from "../server-jobs.ts";
import { submitServerDeletion } from "../server-launch.ts";
import { goesToBin } from "../recycle-bin.ts";
import { SERVER_STATUSES, type ServerRow, type ServerStatus } from "../store-servers.ts";
import { serverDetailJson, serverParts, serverPartsOf } from "../server-parts.ts";
import { serverDetail } from "../views-servers.ts";

type Ctx = HandlerContext<EcsContext, unknown>;

/** ServerDetails of a page of servers, their parts gathered for the whole page at once. */
function details(ctx: Ctx, servers: ServerRow[]) {
  const parts = serverPartsOf(ctx.svc, servers);
  return servers.map((s, i) => serverDetail(s, parts[i]!));
}

function existing(ctx: Ctx, scope: ProjectScope, id: string): ServerRow {
  const s = ctx.svc.store.servers.visible(scope.projectId, id);
  if (!s || s.status === "DELETED") throw ecsErrors.serverNotFound(id);
  return s;
}

const ListQuery = z.object({
  offset: queryInt(0, 1_000_000).optional(),
  limit: queryInt(1, 1000).optional(),
  name: z.string().optional(),
  status: z.enum(SERVER_STATUSES).optional(),
  flavor: z.string().optional(),
  ip: z.string().optional(),
  ip_eq: z.string().optional(),
  tags: z.string().optional(),
  "not-tags": z.string().optional(),
  reservation_id: z.string().optional(),
  enterprise_project_id: z.string().optional(),
  server_id: z.union([z.string(), z.array(z.string())]).optional(),
});

export const listServersDetails = ecsOperation({
  name: "ListServersDetails",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/detail",
  query: ListQuery,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = { page: Math.max(1, q.offset ?? 1), limit: q.limit ?? 25 };
    const split = (v: string | undefined) => (v === undefined ? undefined : v.split(",").filter(Boolean));
    const filters = {
      ids: q.server_id === undefined ? undefined : Array.isArray(q.server_id) ? q.server_id : q.server_id.split(","),
      name: q.name,
      status: q.status,
      flavorId: q.flavor,
      reservationId: q.reservation_id,
      enterpriseProjectId: q.enterprise_project_id,
      tags: split(q.tags),
      notTags: split(q["not-tags"]),
    };
    const store = ctx.svc.store.servers;
    if (q.ip === undefined && q.ip_eq === undefined) {
      const { servers, count } = store.list(scope.projectId, filters, page);
      return { body: { count, servers: details(ctx, servers) } };
    }
    // IP filters need each server's ports: filter every match, then page (ip is a substring, ip_eq exact).
    const candidates = store.list(scope.projectId, filters, { page: 1, limit: 1_000_000 }).servers;
    const ports = ctx.svc.vpc().portsOfDevices(scope.projectId, candidates.map((s) => s.id));
    const all = candidates.filter((s) =>
      ports.get(s.id)?.some((p) => (q.ip_eq !== undefined ? p.ipAddress === q.ip_eq : p.ipAddress.includes(q.ip!))),
    );
    const slice = all.slice((page.page - 1) * page.limit, page.page * page.limit);
    return { body: { count: all.length, servers: details(ctx, slice) } };
  },
});

export const showServer = ecsOperation({
  name: "ShowServer",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}",
  handle(ctx) {
    const s = existing(ctx, projectScope(ctx.scope), ctx.input.path.server_id!);
    return { json: serverDetailJson(ctx.svc, s) };
  },
});

export const updateServer = ecsOperation({
  name: "UpdateServer",
  method: "PUT",
  path: "/v1/{project_id}/cloudservers/{server_id}",
  body: z.object({
    server: z.object({
      name: z.string().min(1).max(128).optional(),
      description: z.string().max(85).optional(),
      hostname: z.string().max(64).optional(),
      user_data: z.string().max(44_000).optional(),
    }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = existing(ctx, scope, ctx.input.path.server_id!);
    const b = ctx.input.body.server;
    ctx.svc.store.servers.update(scope.projectId, s.id, { name: b.name, description: b.description, user_data: b.user_data }, ctx.clock.now());
    const updated = existing(ctx, scope, s.id);
    return { body: { server: serverDetail(updated, serverParts(ctx.svc, updated)) } };
  },
});

const ServerRefs = z.array(z.object({ id: z.string().min(1) })).min(1).max(1000);

export const deleteServers = ecsOperation({
  name: "DeleteServers",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/delete",
  body: z.object({ servers: ServerRefs, delete_publicip: z.boolean().optional(), delete_volume: z.boolean().optional() }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    const servers = b.servers.map((r) => existing(ctx, scope, r.id));
    const now = ctx.clock.now();
    const jobId = submitServerDeletion(ctx, scope, servers, {
      deletePublicIp: b.delete_publicip,
      deleteVolume: b.delete_volume,
      recycle: (s) => goesToBin(ctx.svc, s, now),
    });
    return { body: { job_id: jobId } };
  },
});

interface Action {
  parent: string;
  child: string;
  from: ServerStatus[];
  during: { status: ServerStatus; task: string };
}

const ACTIONS: Record<"os-start" | "os-stop" | "reboot", Action> = {
  "os-start": { parent: JOB_TYPES.start, child: JOB_TYPES.startOne, from: ["SHUTOFF"], during: { status: "SHUTOFF", task: "powering-on" } },
  "os-stop": { parent: JOB_TYPES.stop, child: JOB_TYPES.stopOne, from: ["ACTIVE"], during: { status: "ACTIVE", task: "powering-off" } },
  reboot: { parent: JOB_TYPES.reboot, child: JOB_TYPES.rebootOne, from: ["ACTIVE"], during: { status: "REBOOT", task: "rebooting" } },
};

const ActionBody = z
  .object({
    "os-start": z.object({ servers: ServerRefs }).optional(),
    "os-stop": z.object({ servers: ServerRefs, type: z.enum(["SOFT", "HARD"]).optional() }).optional(),
    reboot: z.object({ servers: ServerRefs, type: z.enum(["SOFT", "HARD"]) }).optional(),
  })
  .refine((b) => [b["os-start"], b["os-stop"], b.reboot].filter(Boolean).length === 1, "give exactly one of os-start, os-stop, reboot");

export const batchServerAction = ecsOperation({
  // One path serves three SDK operations (BatchStartServers, BatchStopServers, BatchRebootServers).
  name: "BatchStartServers|BatchStopServers|BatchRebootServers",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/action",
  body: ActionBody,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    const key = b["os-start"] ? "os-start" : b["os-stop"] ? "os-stop" : "reboot";
    const refs = (b["os-start"] ?? b["os-stop"] ?? b.reboot)!.servers;
    const hard = b.reboot?.type === "HARD";
    const servers = refs.map((r) => {
      const s = ctx.svc.store.servers.visible(scope.projectId, r.id);
      if (!s || s.status === "DELETED") throw ecsErrors.serverNotFoundInBatch(r.id);
      return s;
    });
    return { body: { job_id: submitPowerAction(ctx, scope, { key, servers, hard }) } };
  },
});

/**
 * Starts, stops or reboots servers of the project as one job with a sub-job per server (also nova's
 * os-start, os-stop and reboot server actions); a server busy or in the wrong status refuses the whole batch.
 */
export function submitPowerAction(
  ctx: Ctx,
  scope: ProjectScope,
  req: { key: keyof typeof ACTIONS; servers: ServerRow[]; hard: boolean },
): string {
  const action = ACTIONS[req.key];
  for (const s of req.servers) {
    if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
    if (!action.from.includes(s.status)) throw ecsErrors.statusConflict(s.id, s.status);
  }
  const now = ctx.clock.now();
  return ctx.svc.store.tx(() => {
    for (const s of req.servers) {
      const status = req.hard && req.key === "reboot" ? "HARD_REBOOT" : action.during.status;
      ctx.svc.store.servers.update(scope.projectId, s.id, { status, task_state: action.during.task }, now);
    }
    return ctx.svc.jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: action.parent },
      req.servers.map((s) => ({ jobType: action.child, entities: { server_id: s.id }, dueAt: now + ctx.svc.bootMs })),
    );
  });
}

export const serverOperations = [listServersDetails, showServer, updateServer, deleteServers, batchServerAction];
