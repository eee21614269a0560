// Host-level and billing actions on servers: MigrateServer and ExecuteServerRedeploy (jobs that move the
// server to another host: a new hostId when the job ends), ExecuteServerDump (a kernel crash dump of a
// running server), RegisterServerMonitor (Cloud Eye OS monitoring) and ChangeServerChargeMode (pay-per-use
// to yearly/monthly: an order id, and the servers' charging_mode "1").
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { poweredAs, requireIdle, submitServerTasks } from "../server-tasks.ts";
import { requireServer } from "./server-common.ts";

export const migrateServer = ecsOperation({
  name: "MigrateServer",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/migrate",
  body: z.object({ migrate: z.object({ dedicated_host_id: z.string().max(64).optional() }).nullable().optional() }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const dehId = ctx.input.body.migrate?.dedicated_host_id;
    // hwlocal has no dedicated hosts: a server migrates within the shared pool only.
    if (dehId !== undefined && dehId !== "") throw ecsErrors.invalidParameter(`The dedicated host ${dehId} does not exist.`);
    requireIdle(s, ["SHUTOFF"]);
    const done = { ...poweredAs("SHUTOFF"), host_id: ctx.ids.hex32() };
    const jobId = submitServerTasks(ctx, scope, "migrate", [{ server: s, during: { status: "MIGRATING", task: "migrating" }, done }]);
    return { body: { job_id: jobId } };
  },
});

export const executeServerRedeploy = ecsOperation({
  name: "ExecuteServerRedeploy",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/actions/redeploy",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    requireIdle(s, ["SHUTOFF"]);
    const done = { ...poweredAs("SHUTOFF"), host_id: ctx.ids.hex32() };
    const jobId = submitServerTasks(ctx, scope, "redeploy", [{ server: s, during: { status: "MIGRATING", task: "migrating" }, done }]);
    return { body: { job_id: jobId } };
  },
});

export const executeServerDump = ecsOperation({
  name: "ExecuteServerDump",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/actions/trigger-crash-dump",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    // The guest writes its dump and restarts by itself; the server stays ACTIVE as ECS sees it.
    requireIdle(s, ["ACTIVE"]);
    return { status: 204 };
  },
});

export const registerServerMonitor = ecsOperation({
  name: "RegisterServerMonitor",
  method: "POST",
  path: "/v1.0/servers/{server_id}/action",
  body: z.object({ monitorMetrics: z.literal("") }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    ctx.svc.store.attrs.set(scope.projectId, s.id, "monitoring", true);
    return { status: 204 };
  },
});

export const changeServerChargeMode = ecsOperation({
  name: "ChangeServerChargeMode",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/actions/change-charge-mode",
  body: z.object({
    charge_mode: z.literal("prePaid"),
    server_ids: z.array(z.string().min(1).max(64)).min(1).max(100),
    dry_run: z.boolean().optional(),
    prepaid_options: z.object({
      include_data_disks: z.boolean().optional(),
      include_publicips: z.boolean().optional(),
      period_type: z.enum(["month", "year"]),
      // The SDK's model sends period_num as a string and the flags as booleans; the reference gives numbers and strings.
      period_num: z.union([z.number().int(), z.string().regex(/^\d{1,3}$/).transform(Number)]).pipe(z.number().int().min(1)),
      auto_renew: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
      auto_pay: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
    }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    const o = b.prepaid_options;
    if (o.period_num > (o.period_type === "month" ? 9 : 3)) throw ecsErrors.invalidParameter("period_num: 1-9 months or 1-3 years.");
    const { store } = ctx.svc;
    const servers = b.server_ids.map((id) => {
      const s = store.servers.visible(scope.projectId, id);
      if (!s || s.status === "DELETED") throw ecsErrors.serverNotFoundInBatch(id);
      requireIdle(s, ["ACTIVE", "SHUTOFF"]);
      if (store.attrs.get(scope.projectId, s.id, "charging_mode") === "prePaid") throw ecsErrors.invalidParameter(`The ECS ${s.id} is already yearly/monthly.`);
      return s;
    });
    if (b.dry_run === true) return { status: 202, body: {} };
    store.tx(() => {
      for (const s of servers) store.attrs.set(scope.projectId, s.id, "charging_mode", "prePaid");
    });
    return { body: { order_id: `CS${ctx.ids.hex32().slice(0, 16).toUpperCase()}` } };
  },
});

export const serverMaintenanceOperations = [migrateServer, executeServerRedeploy, executeServerDump, registerServerMonitor, changeServerChargeMode];
