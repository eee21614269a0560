// Recycle bin (/elb/recycle-bin): a project's setting (enable, policy {recycle_threshold_hour,
// retention_hour}) and the load balancers deleted while it was enabled. Deleting a load balancer
// (DeleteLoadBalancer, DeleteLoadBalancerForce and what calls them) goes through finishLoadBalancerDelete:
// with the bin enabled and the load balancer at least recycle_threshold_hour old, it moves to the bin with
// its VIP port, its EIPs (still bound) and its log tank; otherwise it is gone (port freed, own EIP
// released, log tank deleted). A recycled load balancer is listed with provisioning_status RECYCLING and
// auto_terminate_time (deleted at + retention_hour); the ticker destroys it then. RestoreLoadbalancer puts
// it back as it was (same id, VIP, EIPs, log tank; quota checked) and answers a job (jobs.ts);
// DeleteRecycleLoadBalancer destroys it at once. Disabling the bin while it holds load balancers is refused
// (409 ELB.8907), and so is changing the policy of a disabled bin.
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { QUOTA, type LoadBalancerDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { loadBalancerView } from "../views.ts";
import { recordJob } from "./jobs.ts";
import type { LogtankDoc } from "./logtanks.ts";

export interface RecycleBinDoc {
  enable: boolean;
  recycle_threshold_hour: number;
  retention_hour: number;
}

export interface RecycledLbDoc {
  lb: LoadBalancerDoc;
  deleted_at: number;
  auto_terminate_at: number;
  logtank: { id: string; doc: LogtankDoc } | null;
}

const HOUR = 3_600_000;
const DEFAULT_BIN: RecycleBinDoc = { enable: false, recycle_threshold_hour: 0, retention_hour: 168 };

function binOf(svc: ElbContext, projectId: string): RecycleBinDoc {
  return svc.store.recycleBins.get(projectId, projectId)?.doc ?? { ...DEFAULT_BIN };
}

function saveBin(svc: ElbContext, projectId: string, doc: RecycleBinDoc): void {
  const row = svc.store.recycleBins.get(projectId, projectId);
  if (row) svc.store.recycleBins.update({ ...row, doc });
  else svc.store.recycleBins.insert({ id: projectId, projectId, lbId: null, parentId: null, doc });
}

/** Frees what a load balancer holds in VPC: its VIP port, and the EIP it created itself. */
function releaseNetwork(svc: ElbContext, projectId: string, lb: LoadBalancerDoc): void {
  const vpc = svc.vpc();
  if (lb.vip_port_id) vpc.deletePort(projectId, lb.vip_port_id);
  if (lb.own_eip_id) vpc.releasePublicIp(projectId, lb.own_eip_id);
}

/**
 * The last step of deleting a load balancer whose children are gone (call it inside the store transaction):
 * its master-slave pools refused (409) or, forced, deleted; then to the recycle bin when it is enabled and
 * the load balancer old enough, else deleted with what it holds.
 */
export function finishLoadBalancerDelete(svc: ElbContext, projectId: string, lb: DocRow<LoadBalancerDoc>, opts: { force: boolean }): void {
  const msPools = svc.store.masterSlavePools.byLb(projectId, lb.id);
  if (msPools.length > 0 && !opts.force) throw elbErrors.conflict(`Loadbalancer ${lb.id} still has master-slave pools: delete them first.`);
  for (const p of msPools) svc.store.masterSlavePools.delete(projectId, p.id);
  const now = svc.clock.now();
  const bin = binOf(svc, projectId);
  const tank = svc.store.logtanks.byLb(projectId, lb.id)[0];
  for (const t of svc.store.logtanks.byLb(projectId, lb.id)) svc.store.logtanks.delete(projectId, t.id);
  svc.store.loadbalancers.delete(projectId, lb.id);
  if (bin.enable && now - lb.doc.created_at >= bin.recycle_threshold_hour * HOUR) {
    const auto = now + bin.retention_hour * HOUR;
    const doc: RecycledLbDoc = { lb: lb.doc, deleted_at: now, auto_terminate_at: auto, logtank: tank ? { id: tank.id, doc: tank.doc } : null };
    svc.store.recycledLoadbalancers.insert({ id: lb.id, projectId, lbId: lb.id, parentId: null, dueAt: auto, doc });
    return;
  }
  releaseNetwork(svc, projectId, lb.doc);
}

function destroy(svc: ElbContext, r: DocRow<RecycledLbDoc>): void {
  releaseNetwork(svc, r.projectId, r.doc.lb);
  svc.store.recycledLoadbalancers.delete(r.projectId, r.id);
}

/** The ticker: recycled load balancers whose retention has ended are destroyed. */
export function purgeRecycleBin(svc: ElbContext, now: number): boolean {
  const due = svc.store.recycledLoadbalancers.due(now);
  if (due.length === 0) return false;
  svc.store.tx(() => {
    for (const r of due) destroy(svc, r);
  });
  return true;
}

function binView(projectId: string, b: RecycleBinDoc): Record<string, unknown> {
  return { project_id: projectId, enable: b.enable, policy: { recycle_threshold_hour: b.recycle_threshold_hour, retention_hour: b.retention_hour } };
}

function recycledView(r: DocRow<RecycledLbDoc>): Record<string, unknown> & { id: string } {
  const asLb = { id: r.id, projectId: r.projectId, lbId: r.id, parentId: null, seq: r.seq, dueAt: null, doc: r.doc.lb };
  return {
    ...loadBalancerView(asLb, { listeners: [], pools: [] }),
    id: r.id,
    provisioning_status: "RECYCLING",
    auto_terminate_time: isoSeconds(r.doc.auto_terminate_at),
    charge_mode: "flavor",
    protection_status: "nonProtection",
    protection_reason: "",
    log_group_id: r.doc.logtank?.doc.log_group_id ?? "",
    log_topic_id: r.doc.logtank?.doc.log_topic_id ?? "",
  };
}

function requireRecycled(svc: ElbContext, projectId: string, id: string): DocRow<RecycledLbDoc> {
  const r = svc.store.recycledLoadbalancers.get(projectId, id);
  if (!r) throw elbErrors.notFound("Loadbalancer in the recycle bin", id);
  return r;
}

export const showRecycleBin = elbOperation({
  name: "ShowRecycleBin",
  method: "GET",
  path: `${V3}/recycle-bin`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    return { body: { recycle_bin: binView(projectId, binOf(ctx.svc, projectId)), request_id: ctx.request.requestId } };
  },
});

export const updateRecycleBinEnable = elbOperation({
  name: "UpdateRecycleBinEnable",
  method: "PUT",
  path: `${V3}/recycle-bin`,
  body: z.object({ recycle_bin: z.object({ enable: z.boolean() }) }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const bin = binOf(svc, projectId);
    const enable = ctx.input.body.recycle_bin.enable;
    if (!enable && svc.store.recycledLoadbalancers.count(projectId) > 0) throw elbErrors.conflict("The recycle bin still holds load balancers: restore or delete them before disabling it.");
    bin.enable = enable;
    saveBin(svc, projectId, bin);
    return { body: { recycle_bin: binView(projectId, bin), request_id: ctx.request.requestId } };
  },
});

const hours = (max: number, min: number) => z.number().int().min(min).max(max);

export const updateRecycleBinPolicy = elbOperation({
  name: "UpdateRecycleBinPolicy",
  method: "PUT",
  path: `${V3}/recycle-bin/policy`,
  body: z.object({ recycle_bin: z.object({ policy: z.object({ recycle_threshold_hour: hours(8760, 0).optional(), retention_hour: hours(8760, 1).optional() }) }) }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const bin = binOf(svc, projectId);
    if (!bin.enable) throw elbErrors.conflict("The recycle bin is not enabled: enable it before setting its policy.");
    const p = ctx.input.body.recycle_bin.policy;
    if (p.recycle_threshold_hour !== undefined) bin.recycle_threshold_hour = p.recycle_threshold_hour;
    if (p.retention_hour !== undefined) bin.retention_hour = p.retention_hour;
    saveBin(svc, projectId, bin);
    return { body: { recycle_bin: binView(projectId, bin), request_id: ctx.request.requestId } };
  },
});

export const listRecycleBinLoadBalancers = elbOperation({
  name: "ListRecycleBinLoadBalancers",
  method: "GET",
  path: `${V3}/recycle-bin/loadbalancers`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered(ctx.svc.store.recycledLoadbalancers.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.lb.name,
      description: (r) => r.doc.lb.description,
      vpc_id: (r) => r.doc.lb.vpc_id,
      vip_port_id: (r) => r.doc.lb.vip_port_id,
      vip_address: (r) => r.doc.lb.vip_address,
      vip_subnet_cidr_id: (r) => r.doc.lb.vip_subnet_cidr_id,
      availability_zone_list: (r) => r.doc.lb.availability_zone_list,
      enterprise_project_id: (r) => r.doc.lb.enterprise_project_id,
      operating_status: () => "ONLINE",
      deletion_protection_enable: (r) => r.doc.lb.deletion_protection_enable,
      log_group_id: (r) => r.doc.logtank?.doc.log_group_id ?? "",
      log_topic_id: (r) => r.doc.logtank?.doc.log_topic_id ?? "",
      ip_version: () => "4",
      guaranteed: () => "true",
      admin_state_up: () => "true",
      // A load balancer reaches the bin without pools, so it has no members.
      member_address: () => [],
      member_device_id: () => [],
    });
    const p = page(rows.map(recycledView), q);
    return { body: { loadbalancers: p.items, page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const restoreLoadbalancer = elbOperation({
  name: "RestoreLoadbalancer",
  method: "PUT",
  path: `${V3}/recycle-bin/loadbalancers/{loadbalancer_id}/recover`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const r = requireRecycled(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    if (svc.store.loadbalancers.count(projectId) >= QUOTA.loadbalancer) throw elbErrors.quota("loadbalancer");
    const jobId = svc.store.tx(() => {
      svc.store.recycledLoadbalancers.delete(projectId, r.id);
      // Its EIPs as they are now on the VIP port (one may have been released while it was in the bin).
      const lb = r.doc.lb;
      const bound = lb.vip_port_id ? new Set(svc.vpc().publicIpsOfPort(projectId, lb.vip_port_id).map((e) => e.id)) : new Set<string>();
      const eips = lb.eips.filter((e) => bound.has(e.eip_id));
      const ownEip = lb.own_eip_id !== null && bound.has(lb.own_eip_id) ? lb.own_eip_id : null;
      svc.store.loadbalancers.insert({ id: r.id, projectId, lbId: r.id, parentId: null, doc: { ...lb, eips, own_eip_id: ownEip, updated_at: ctx.clock.now() } });
      const t = r.doc.logtank;
      if (t) svc.store.logtanks.insert({ id: t.id, projectId, lbId: r.id, parentId: null, doc: t.doc });
      return recordJob(svc, projectId, "recoverLoadbalancer", r.id, [{ resource_id: r.id, resource_type: "loadbalancer" }]);
    });
    return { body: { type: "v3", job_id: jobId, request_id: ctx.request.requestId } };
  },
});

export const deleteRecycleLoadBalancer = elbOperation({
  name: "DeleteRecycleLoadBalancer",
  method: "DELETE",
  path: `${V3}/recycle-bin/loadbalancers/{loadbalancer_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const r = requireRecycled(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    ctx.svc.store.tx(() => destroy(ctx.svc, r));
    return { status: 204 };
  },
});

export const recycleBinOperations = [showRecycleBin, updateRecycleBinEnable, updateRecycleBinPolicy, listRecycleBinLoadBalancers, restoreLoadbalancer, deleteRecycleLoadBalancer];
