// The recycle bin's API (recycle-bin.ts does the work): ShowRecycleBin, UpdateRecycleBin (the switch),
// UpdateRecycleBinPolicy, ListRecycleBinServers, DeleteRecycleBinServer (purges now, as a deleteServer job)
// and RevertRecycleBinServer (a revertServer job that brings the server back, stopped).
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt, type ProjectScope } from "../context.ts";
import type { EcsContext } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { RECYCLE_JOBS, recycleBinOf, saveRecycleBin } from "../recycle-bin.ts";
import { serverPartsOf } from "../server-parts.ts";
import { submitServerDeletion } from "../server-launch.ts";
import type { ServerRow } from "../store-servers.ts";
import { serverDetail } from "../views-servers.ts";

/** A server in the project's recycle bin; any other id is Huawei's 404 Ecs.0114. */
function inBin(svc: EcsContext, scope: ProjectScope, id: string): ServerRow {
  const s = svc.store.servers.get(scope.projectId, id);
  if (!s || s.status === "DELETED" || s.recycled_at === null) throw ecsErrors.serverNotFound(id);
  if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
  return s;
}

export const showRecycleBin = ecsOperation({
  name: "ShowRecycleBin",
  method: "GET",
  path: "/v1/{project_id}/recycle-bin",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const bin = recycleBinOf(ctx.svc, scope.projectId);
    return { body: { project_id: scope.projectId, switch: bin.switch, policy: bin.policy } };
  },
});

export const updateRecycleBin = ecsOperation({
  name: "UpdateRecycleBin",
  method: "PUT",
  path: "/v1/{project_id}/recycle-bin",
  body: z.object({ recycle_bin: z.object({ switch: z.enum(["on", "off"]) }) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const bin = recycleBinOf(ctx.svc, scope.projectId);
    saveRecycleBin(ctx.svc, scope.projectId, { ...bin, switch: ctx.input.body.recycle_bin.switch });
    return { body: {} };
  },
});

export const updateRecycleBinPolicy = ecsOperation({
  name: "UpdateRecycleBinPolicy",
  method: "PUT",
  path: "/v1/{project_id}/recycle-bin/policy",
  body: z.object({
    policy: z.object({ retention_hour: z.number().int().min(1).max(720), recycle_threshold_day: z.number().int().min(0).max(365) }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const bin = recycleBinOf(ctx.svc, scope.projectId);
    saveRecycleBin(ctx.svc, scope.projectId, { ...bin, policy: ctx.input.body.policy });
    return { body: {} };
  },
});

export const listRecycleBinServers = ecsOperation({
  name: "ListRecycleBinServers",
  method: "GET",
  path: "/v1/{project_id}/recycle-bin/cloudservers",
  query: z.object({
    name: z.string().optional(),
    availability_zone: z.string().optional(),
    ip_address: z.string().optional(),
    tags: z.union([z.string(), z.array(z.string())]).optional(),
    tags_key: z.union([z.string(), z.array(z.string())]).optional(),
    limit: queryInt(1, 1000).optional(),
    offset: queryInt(0, 1_000_000).optional(),
    marker: z.string().optional(),
    all_tenants: z.string().optional(),
    "expect-fields": z.union([z.string(), z.array(z.string())]).optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const q = ctx.input.query;
    const tags = q.tags === undefined ? undefined : [q.tags].flat().flatMap((t) => t.split(",")).filter(Boolean);
    let servers = ctx.svc.store.servers
      .list(scope.projectId, { recycled: true, name: q.name, availabilityZone: q.availability_zone, tags }, { page: 1, limit: 1_000_000 })
      .servers.filter((s) => q.tags_key === undefined || [q.tags_key].flat().every((k) => s.tags.some((t) => t.key === k)));
    if (q.ip_address !== undefined) {
      const ports = ctx.svc.vpc().portsOfDevices(scope.projectId, servers.map((s) => s.id));
      servers = servers.filter((s) => ports.get(s.id)?.some((p) => p.ipAddress === q.ip_address));
    }
    if (q.marker !== undefined) {
      const at = servers.findIndex((s) => s.id === q.marker);
      if (at < 0) throw ecsErrors.invalidParameter(`marker: the ECS ${q.marker} is not in the recycle bin.`);
      servers = servers.slice(at + 1);
    }
    const from = q.offset ?? 0;
    const page = servers.slice(from, from + (q.limit ?? 1000));
    const parts = serverPartsOf(ctx.svc, page);
    return { body: { servers: page.map((s, i) => serverDetail(s, parts[i]!)) } };
  },
});

export const deleteRecycleBinServer = ecsOperation({
  name: "DeleteRecycleBinServer",
  method: "DELETE",
  path: "/v1/{project_id}/recycle-bin/cloudservers/{server_id}",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = inBin(ctx.svc, scope, ctx.input.path.server_id!);
    return { body: { job_id: submitServerDeletion(ctx, scope, [s]) } };
  },
});

export const revertRecycleBinServer = ecsOperation({
  name: "RevertRecycleBinServer",
  method: "POST",
  path: "/v1/{project_id}/recycle-bin/cloudservers/{server_id}/actions/revert",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = inBin(ctx.svc, scope, ctx.input.path.server_id!);
    const now = ctx.clock.now();
    const jobId = ctx.svc.store.tx(() => {
      ctx.svc.store.servers.update(scope.projectId, s.id, { task_state: "reverting" }, now);
      return ctx.svc.jobs.submit(
        { service: "ecs", projectId: scope.projectId, jobType: RECYCLE_JOBS.revert },
        [{ jobType: RECYCLE_JOBS.revertOne, entities: { server_id: s.id }, dueAt: now + ctx.svc.bootMs }],
      );
    });
    return { body: { job_id: jobId } };
  },
});

export const recycleBinOperations = [showRecycleBin, updateRecycleBin, updateRecycleBinPolicy, listRecycleBinServers, deleteRecycleBinServer, revertRecycleBinServer];
