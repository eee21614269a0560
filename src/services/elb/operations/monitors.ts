// Health monitors (/elb/healthmonitors, elb-facts §3.6): one per pool; UDP/QUIC pools take UDP_CONNECT
// only, the others TCP/HTTP/HTTPS. Creating one starts its pool's members' checks (health.ts), deleting it
// makes them NO_MONITOR again.
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { startChecks } from "../health.ts";
import { MONITOR_TYPES, type MonitorDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { monitorView } from "../views.ts";
import { requirePool } from "./pools.ts";

const EXPECTED = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;

const common = {
  name: z.string().max(255).optional(),
  delay: z.number().int().min(1).max(50).optional(),
  timeout: z.number().int().min(1).max(50).optional(),
  max_retries: z.number().int().min(1).max(10).optional(),
  max_retries_down: z.number().int().min(1).max(10).optional(),
  monitor_port: z.number().int().min(1).max(65535).nullable().optional(),
  domain_name: z.string().max(100).nullable().optional(),
  url_path: z.string().min(1).max(80).startsWith("/").optional(),
  expected_codes: z.string().regex(EXPECTED, "expected_codes: 200, 200,202 or 200-204").optional(),
  http_method: z.enum(["GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"]).optional(),
  admin_state_up: z.boolean().optional(),
};

const createBody = z.object({
  healthmonitor: z.object({
    ...common,
    pool_id: z.string(),
    type: z.enum(MONITOR_TYPES),
    delay: z.number().int().min(1).max(50),
    timeout: z.number().int().min(1).max(50),
    max_retries: z.number().int().min(1).max(10),
  }),
});

const updateBody = z.object({ healthmonitor: z.object({ ...common, type: z.enum(MONITOR_TYPES).optional() }) });

function requireMonitor(svc: ElbContext, projectId: string, id: string): DocRow<MonitorDoc> {
  const m = svc.store.monitors.get(projectId, id);
  if (!m) throw elbErrors.notFound("Healthmonitor", id);
  return m;
}

function checkType(poolProtocol: string, type: string): void {
  const udp = poolProtocol === "UDP" || poolProtocol === "QUIC";
  if (udp && type !== "UDP_CONNECT") throw elbErrors.invalid(`A ${poolProtocol} pool takes UDP_CONNECT health monitors only.`);
  if (!udp && type === "UDP_CONNECT") throw elbErrors.invalid(`A ${poolProtocol} pool takes TCP, HTTP or HTTPS health monitors.`);
}

/** Restarts the checks of every member of the pool under the monitor as it now is. */
function restartMembers(svc: ElbContext, projectId: string, poolId: string, monitor: MonitorDoc | undefined, now: number): void {
  for (const m of svc.store.members.byParent(projectId, poolId)) {
    startChecks(svc, m, monitor, now);
    svc.store.members.update(m);
  }
}

export const createHealthMonitor = elbOperation({
  name: "CreateHealthMonitor",
  method: "POST",
  path: `${V3}/healthmonitors`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.healthmonitor;
    const pool = requirePool(svc, projectId, b.pool_id);
    const existing = svc.store.monitors.byParent(projectId, pool.id)[0];
    if (existing) throw elbErrors.conflict(`Pool ${pool.id} already has health monitor ${existing.id}.`);
    checkType(pool.doc.protocol, b.type);
    if (b.timeout > b.delay) throw elbErrors.invalid("timeout must not exceed delay.");
    const now = ctx.clock.now();
    const doc: MonitorDoc = {
      pool_id: pool.id,
      name: b.name ?? "",
      type: b.type,
      delay: b.delay,
      timeout: b.timeout,
      max_retries: b.max_retries,
      max_retries_down: b.max_retries_down ?? 3,
      monitor_port: b.monitor_port ?? null,
      domain_name: b.domain_name ?? null,
      url_path: b.url_path ?? "/",
      expected_codes: b.expected_codes ?? "200",
      http_method: b.http_method ?? "GET",
      admin_state_up: b.admin_state_up ?? true,
      created_at: now,
      updated_at: now,
    };
    const row = svc.store.tx(() => {
      const r = svc.store.monitors.insert({ id: ctx.ids.uuid(), projectId, lbId: pool.doc.loadbalancer_id, parentId: pool.id, doc });
      restartMembers(svc, projectId, pool.id, doc, now);
      return r;
    });
    return { status: 201, body: { healthmonitor: monitorView(row), request_id: ctx.request.requestId } };
  },
});

export const listHealthMonitors = elbOperation({
  name: "ListHealthMonitors",
  method: "GET",
  path: `${V3}/healthmonitors`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered(ctx.svc.store.monitors.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      type: (r) => r.doc.type,
      delay: (r) => r.doc.delay,
      timeout: (r) => r.doc.timeout,
      max_retries: (r) => r.doc.max_retries,
      max_retries_down: (r) => r.doc.max_retries_down,
      monitor_port: (r) => r.doc.monitor_port,
      domain_name: (r) => r.doc.domain_name,
      url_path: (r) => r.doc.url_path,
      expected_codes: (r) => r.doc.expected_codes,
      http_method: (r) => r.doc.http_method,
      admin_state_up: (r) => r.doc.admin_state_up,
    });
    const p = page(rows, q);
    return { body: { healthmonitors: p.items.map(monitorView), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showHealthMonitor = elbOperation({
  name: "ShowHealthMonitor",
  method: "GET",
  path: `${V3}/healthmonitors/{healthmonitor_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const m = requireMonitor(ctx.svc, projectId, ctx.input.path.healthmonitor_id ?? "");
    return { body: { healthmonitor: monitorView(m), request_id: ctx.request.requestId } };
  },
});

export const updateHealthMonitor = elbOperation({
  name: "UpdateHealthMonitor",
  method: "PUT",
  path: `${V3}/healthmonitors/{healthmonitor_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const m = requireMonitor(svc, projectId, ctx.input.path.healthmonitor_id ?? "");
    const b = ctx.input.body.healthmonitor;
    const d = m.doc;
    const pool = requirePool(svc, projectId, d.pool_id);
    if (b.type !== undefined) checkType(pool.doc.protocol, b.type);
    const delay = b.delay ?? d.delay;
    const timeout = b.timeout ?? d.timeout;
    if (timeout > delay) throw elbErrors.invalid("timeout must not exceed delay.");
    Object.assign(d, {
      name: b.name ?? d.name,
      type: b.type ?? d.type,
      delay,
      timeout,
      max_retries: b.max_retries ?? d.max_retries,
      max_retries_down: b.max_retries_down ?? d.max_retries_down,
      monitor_port: b.monitor_port === undefined ? d.monitor_port : b.monitor_port,
      domain_name: b.domain_name === undefined ? d.domain_name : b.domain_name,
      url_path: b.url_path ?? d.url_path,
      expected_codes: b.expected_codes ?? d.expected_codes,
      http_method: b.http_method ?? d.http_method,
      admin_state_up: b.admin_state_up ?? d.admin_state_up,
      updated_at: ctx.clock.now(),
    });
    svc.store.tx(() => {
      svc.store.monitors.update(m);
      // Members keep their status; the next check comes one (new) delay from the last.
      for (const member of svc.store.members.byParent(projectId, pool.id)) {
        svc.store.members.setDue(member.id, d.admin_state_up ? member.doc.last_check_at + d.delay * 1000 : null);
      }
    });
    return { body: { healthmonitor: monitorView(m), request_id: ctx.request.requestId } };
  },
});

export const deleteHealthMonitor = elbOperation({
  name: "DeleteHealthMonitor",
  method: "DELETE",
  path: `${V3}/healthmonitors/{healthmonitor_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const m = requireMonitor(svc, projectId, ctx.input.path.healthmonitor_id ?? "");
    svc.store.tx(() => {
      svc.store.monitors.delete(projectId, m.id);
      restartMembers(svc, projectId, m.doc.pool_id, undefined, ctx.clock.now());
    });
    return { status: 204 };
  },
});

export const monitorOperations = [createHealthMonitor, listHealthMonitors, showHealthMonitor, updateHealthMonitor, deleteHealthMonitor];
