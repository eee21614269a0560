// Resizing: ResizePostPaidServer (v1), ResizeServer (v1.1, which also answers order_id for yearly/monthly
// servers; hwlocal's are all pay-per-use, so it never does), BatchResizeServers, and ListResizeFlavors.
// A resize is a resizeServer job (server-tasks.ts): the server shows RESIZE with task_state
// resize_migrating for the server delay, then takes the new flavor and returns to where it was. A running
// server is resized only with mode "withStopServer" (ECS stops it, resizes, starts it again).
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt, zonesOf, type ProjectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { FLAVORS, findFlavor, flavorZones, type FlavorSpec } from "../flavors-data.ts";
import { usage } from "../server-spec.ts";
import { poweredAs, requireIdle, submitServerTasks, type ServerTask } from "../server-tasks.ts";
import type { EcsContext } from "../context.ts";
import type { ServerRow } from "../store-servers.ts";
import * as views from "../views.ts";
import { requireServer } from "./server-common.ts";

const Mode = z.literal("withStopServer").optional();

/** The flavors a server may take: same architecture, sold in its zone, not its own. */
function resizeTargets(scope: ProjectScope, s: { flavor_id: string; availability_zone: string }): FlavorSpec[] {
  const from = findFlavor(s.flavor_id);
  const zones = zonesOf(scope);
  return FLAVORS.filter(
    (f) => f.id !== s.flavor_id && (!from || f.family.architecture === from.family.architecture) && flavorZones(f, zones).includes(s.availability_zone),
  );
}

/** Checks a resize of servers to a flavor and the quota it needs; the task of each server. */
function planResize(svc: EcsContext, scope: ProjectScope, servers: ServerRow[], req: { flavorRef: string; mode?: string }): ServerTask[] {
  const to = findFlavor(req.flavorRef);
  if (!to) throw ecsErrors.flavorNotFound(req.flavorRef);
  let cores = 0;
  let ram = 0;
  const tasks = servers.map((s): ServerTask => {
    requireIdle(s, ["ACTIVE", "SHUTOFF"]);
    if (s.status === "ACTIVE" && req.mode !== "withStopServer") throw ecsErrors.statusConflict(s.id, `${s.status}; stop it first or give mode withStopServer`);
    if (s.flavor_id === to.id) throw ecsErrors.invalidParameter(`The ECS ${s.id} already has the flavor ${to.id}.`);
    const from = findFlavor(s.flavor_id);
    if (from && from.family.architecture !== to.family.architecture) {
      throw ecsErrors.invalidParameter(`The flavor ${to.id} (${to.family.architecture}) cannot replace ${from.id} (${from.family.architecture}).`);
    }
    if (!flavorZones(to, zonesOf(scope)).includes(s.availability_zone)) throw ecsErrors.flavorSoldOut(to.id);
    const image = svc.ims().image(scope.projectId, s.image_id);
    if (image && to.ram < image.minRam) throw ecsErrors.invalidParameter(`flavor ${to.id} has less memory than image ${image.id} needs.`);
    cores += to.vcpus - (from?.vcpus ?? 0);
    ram += to.ram - (from?.ram ?? 0);
    return { server: s, during: { status: "RESIZE", task: "resize_migrating" }, done: { ...poweredAs(s.status === "ACTIVE" ? "ACTIVE" : "SHUTOFF"), flavor_id: to.id } };
  });
  const used = usage(svc.store, scope.projectId);
  if (used.cores + cores > svc.quota.cores) throw ecsErrors.quota(`${cores} more vCPUs exceed the quota of ${svc.quota.cores}.`);
  if (used.ram + ram > svc.quota.ram) throw ecsErrors.quota(`${ram} MB more memory exceed the quota of ${svc.quota.ram} MB.`);
  return tasks;
}

export const resizePostPaidServer = ecsOperation({
  name: "ResizePostPaidServer",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/resize",
  body: z.object({ resize: z.object({ flavorRef: z.string().min(1).max(64), mode: Mode }) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const tasks = planResize(ctx.svc, scope, [s], ctx.input.body.resize);
    return { body: { job_id: submitServerTasks(ctx, scope, "resize", tasks) } };
  },
});

export const resizeServer = ecsOperation({
  name: "ResizeServer",
  method: "POST",
  path: "/v1.1/{project_id}/cloudservers/{server_id}/resize",
  body: z.object({
    resize: z.object({
      flavorRef: z.string().min(1).max(64),
      mode: Mode,
      dry_run: z.boolean().optional(),
      extendparam: z.object({ isAutoPay: z.enum(["true", "false"]).optional() }).optional(),
    }),
    dry_run: z.boolean().optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const b = ctx.input.body;
    const tasks = planResize(ctx.svc, scope, [s], b.resize);
    if (b.dry_run === true || b.resize.dry_run === true) return { status: 202, body: {} };
    return { body: { job_id: submitServerTasks(ctx, scope, "resize", tasks) } };
  },
});

export const batchResizeServers = ecsOperation({
  name: "BatchResizeServers",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/batch-resize",
  body: z.object({
    resize: z.object({
      flavorRef: z.string().min(1).max(64),
      mode: Mode,
      servers: z.array(z.object({ id: z.string().min(1) })).min(1).max(1000),
    }),
    dry_run: z.boolean().optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    const servers = b.resize.servers.map((r) => {
      const s = ctx.svc.store.servers.visible(scope.projectId, r.id);
      if (!s || s.status === "DELETED") throw ecsErrors.serverNotFoundInBatch(r.id);
      return s;
    });
    if (new Set(servers.map((s) => s.id)).size !== servers.length) throw ecsErrors.invalidParameter("servers: an ECS appears twice.");
    const tasks = planResize(ctx.svc, scope, servers, b.resize);
    if (b.dry_run === true) return { status: 202, body: {} };
    return { body: { job_id: submitServerTasks(ctx, scope, "resize", tasks) } };
  },
});

const SORT_KEYS = { flavorid: "id", name: "id", memory_mb: "ram", vcpus: "vcpus", root_gb: "id" } as const;

export const listResizeFlavors = ecsOperation({
  name: "ListResizeFlavors",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/resize_flavors",
  query: z.object({
    instance_uuid: z.string().optional(),
    source_flavor_id: z.string().optional(),
    source_flavor_name: z.string().optional(),
    limit: queryInt(1, 1000).optional(),
    marker: z.string().optional(),
    sort_key: z.enum(["flavorid", "name", "memory_mb", "vcpus", "root_gb"]).optional(),
    sort_dir: z.enum(["asc", "desc"]).optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const q = ctx.input.query;
    const given = [q.instance_uuid, q.source_flavor_id, q.source_flavor_name].filter((v) => v !== undefined);
    if (given.length !== 1) throw ecsErrors.invalidParameter("Give exactly one of instance_uuid, source_flavor_id, source_flavor_name.");
    let source: { flavor_id: string; availability_zone: string | undefined };
    if (q.instance_uuid !== undefined) {
      const s = requireServer(ctx.svc, scope.projectId, q.instance_uuid);
      source = { flavor_id: s.flavor_id, availability_zone: s.availability_zone };
    } else {
      const id = (q.source_flavor_id ?? q.source_flavor_name)!;
      if (!findFlavor(id)) throw ecsErrors.flavorNotFound(id);
      source = { flavor_id: id, availability_zone: undefined };
    }
    const zones = zonesOf(scope);
    // Without a server, a flavor counts when it is sold in any zone where the source flavor is.
    const targets =
      source.availability_zone !== undefined
        ? resizeTargets(scope, { flavor_id: source.flavor_id, availability_zone: source.availability_zone })
        : [...new Set(flavorZones(findFlavor(source.flavor_id)!, zones).flatMap((az) => resizeTargets(scope, { flavor_id: source.flavor_id, availability_zone: az })))];
    const key = SORT_KEYS[q.sort_key ?? "flavorid"];
    const dir = q.sort_dir === "desc" ? -1 : 1;
    let list = [...targets].sort((a, b) => (a[key] < b[key] ? -dir : a[key] > b[key] ? dir : a.id < b.id ? -1 : 1));
    if (q.marker !== undefined) {
      const at = list.findIndex((f) => f.id === q.marker);
      if (at < 0) throw ecsErrors.invalidParameter(`marker: the flavor ${q.marker} is not in the list.`);
      list = list.slice(at + 1);
    }
    if (q.limit !== undefined) list = list.slice(0, q.limit);
    const c = { serviceBase: ctx.request.serviceBase, projectId: scope.projectId, zones };
    const flavors = list.map((f) => {
      const { os_extra_specs, attachableQuantity: _unused, ...rest } = views.flavor(f, c);
      return { ...rest, extra_specs: os_extra_specs, instance_quota: {} };
    });
    return { body: { flavors } };
  },
});

export const serverResizeOperations = [resizePostPaidServer, resizeServer, batchResizeServers, listResizeFlavors];
