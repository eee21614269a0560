// Batch operations on load balancers and listeners (elb-facts §2), all or nothing inside one transaction:
// BatchCreateLoadBalancers (number 1-10 load balancers from one option, each made as CreateLoadBalancer makes
// it; several get the name plus "-0001"… suffixes; 202 {loadbalancer_ids, job_id}), BatchDeleteLoadbalancers
// (each with everything under it, as DeleteLoadBalancerForce; public_ip also releases bound EIPs; 202),
// BatchDeleteListeners (≤10, each as DeleteListener: refused while its pool or policies remain; 202),
// BatchAddAvailableZones / BatchRemoveAvailableZones (the region's zones, none twice, one kept; 200
// {loadbalancer}) and DeleteLoadBalancerCascade (retired by Huawei: the load balancer is looked up, then 400
// ELB.8902, as OTC answers). The work is done when the answer leaves: each batch records a finished SUCCESS
// job (jobs.ts; ShowJob/ListJobs find it) with a sub-job a resource. Doubt: the job types' spelling.
import { availabilityZones } from "../../../kernel/regions.ts";
import type { HandlerContext, Operation, OperationResult } from "../../../kernel/service.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { deleteLoadBalancerForce } from "./cascade.ts";
import { deleteListener, requireListener } from "./listeners.ts";
import { recordJob } from "./jobs.ts";
import { createLoadBalancer, renderLoadBalancer, requireLoadBalancer } from "./loadbalancers.ts";

type Ctx = HandlerContext<ElbContext, unknown>;

/** Runs another ELB operation in this request (its own parsing, checks and writes), on a copy of ctx. */
export function invoke(op: Operation<ElbContext>, ctx: Ctx, path: Record<string, string>, body?: unknown): OperationResult {
  const raw = { path: { project_id: ctx.scope?.projectId ?? "", ...path }, query: {}, headers: {}, body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)) };
  const out = op.run({ ...ctx }, raw);
  if (out instanceof Promise) throw new Error(`${op.name} is asynchronous`);
  return out;
}

const lbIds = z.array(z.string().min(1)).min(1).max(10);

export const batchCreateLoadBalancers = elbOperation({
  name: "BatchCreateLoadBalancers",
  method: "POST",
  path: `${V3}/loadbalancers/batch-create`,
  body: z.object({ loadbalancer: z.object({ number: z.number().int().min(1).max(10).optional(), name: z.string().max(255).optional() }).passthrough() }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { number = 1, name, ...rest } = ctx.input.body.loadbalancer;
    if (rest.id !== undefined || rest.ids !== undefined) throw elbErrors.invalid("id and ids may not be given.");
    if (rest.project_id !== undefined && rest.project_id !== projectId) throw elbErrors.invalid(`project_id ${String(rest.project_id).slice(0, 40)} is not the request's project.`);
    if (number > 1 && (rest.publicip_ids !== undefined || rest.vip_address !== undefined || rest.ipv6_vip_address !== undefined))
      throw elbErrors.invalid("publicip_ids, vip_address and ipv6_vip_address need number 1.");
    if (rest.charge_mode !== undefined && rest.charge_mode !== "flavor" && rest.charge_mode !== "lcu") throw elbErrors.invalid("charge_mode is not in [flavor, lcu].");
    const { project_id: _p, charge_mode: _c, protection_status: _s, protection_reason: _r, waf_failure_action: _w, bandwidth: _b, ipv6_bandwidth: _i, billing_info: _bi, prepaid_options: _po, autoscaling: _a, ...option } = rest;
    const ids = ctx.svc.store.tx(() =>
      Array.from({ length: number }, (_, i) => {
        const lbName = name === undefined ? undefined : number === 1 ? name : `${name}-${String(i + 1).padStart(4, "0")}`;
        const out = invoke(createLoadBalancer, ctx, {}, { loadbalancer: { ...option, ...(lbName === undefined ? {} : { name: lbName }) } });
        return ((out.body as { loadbalancer: { id: string } }).loadbalancer).id;
      }),
    );
    const jobId = recordJob(ctx.svc, projectId, "batchCreateV3Loadbalancer", ids[0]!, ids.map((id) => ({ resource_id: id, resource_type: "loadbalancer" })));
    return { status: 202, body: { loadbalancer_ids: ids, job_id: jobId, request_id: ctx.request.requestId } };
  },
});

export const batchDeleteLoadbalancers = elbOperation({
  name: "BatchDeleteLoadbalancers",
  method: "POST",
  path: `${V3}/loadbalancers/batch-delete`,
  body: z.object({ loadbalancer_ids: lbIds, unbounded_pool: z.boolean().optional(), public_ip: z.boolean().optional() }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body;
    const ids = [...new Set(b.loadbalancer_ids)];
    const lbs = ids.map((id) => requireLoadBalancer(svc, projectId, id));
    for (const lb of lbs) if (lb.doc.deletion_protection_enable) throw elbErrors.conflict(`Loadbalancer ${lb.id} has deletion protection enabled.`);
    const jobId = svc.store.tx(() => {
      for (const lb of lbs) {
        const release = b.public_ip ? lb.doc.eips.map((e) => e.eip_id).filter((e) => e !== lb.doc.own_eip_id) : [];
        invoke(deleteLoadBalancerForce, ctx, { loadbalancer_id: lb.id });
        for (const eip of release) svc.vpc().releasePublicIp(projectId, eip);
      }
      return recordJob(svc, projectId, "batchDeleteLoadbalancer", ids[0]!, ids.map((id) => ({ resource_id: id, resource_type: "loadbalancer" })));
    });
    return { status: 202, body: { job_id: jobId, loadbalancer_ids: ids, request_id: ctx.request.requestId } };
  },
});

export const batchDeleteListeners = elbOperation({
  name: "BatchDeleteListeners",
  method: "POST",
  path: `${V3}/listeners/batch-delete`,
  body: z.object({ listener_ids: z.array(z.string().min(1)).min(1).max(10) }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const ids = [...new Set(ctx.input.body.listener_ids)];
    for (const id of ids) requireListener(ctx.svc, projectId, id);
    const jobId = ctx.svc.store.tx(() => {
      for (const id of ids) invoke(deleteListener, ctx, { listener_id: id });
      return recordJob(ctx.svc, projectId, "batchDeleteListener", ids[0]!, ids.map((id) => ({ resource_id: id, resource_type: "listener" })));
    });
    return { status: 202, body: { job_id: jobId, listener_ids: ids, request_id: ctx.request.requestId } };
  },
});

const zonesBody = z.object({ availability_zone_list: z.array(z.string().min(1)).min(1) });

function zoneChange(name: string, suffix: string, apply: (have: string[], change: string[], zones: string[]) => string[]) {
  return elbOperation({
    name,
    method: "POST",
    path: `${V3}/loadbalancers/{loadbalancer_id}/availability-zone/${suffix}`,
    body: zonesBody,
    handle(ctx) {
      const { projectId, region } = requireScope(ctx.scope);
      const { svc } = ctx;
      const lb = requireLoadBalancer(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
      const change = ctx.input.body.availability_zone_list;
      if (new Set(change).size !== change.length) throw elbErrors.invalid("availability_zone_list has duplicates.");
      lb.doc.availability_zone_list = apply(lb.doc.availability_zone_list, change, availabilityZones(region));
      lb.doc.updated_at = ctx.clock.now();
      svc.store.loadbalancers.update(lb);
      return { body: { loadbalancer: renderLoadBalancer(svc, lb), request_id: ctx.request.requestId } };
    },
  });
}

export const batchAddAvailableZones = zoneChange("BatchAddAvailableZones", "batch-add", (have, add, zones) => {
  for (const z of add) {
    if (!zones.includes(z)) throw elbErrors.invalid(`availability_zone_list: ${z} is not in [${zones.join(", ")}].`);
    if (have.includes(z)) throw elbErrors.invalid(`availability_zone_list: the load balancer is already in ${z}.`);
  }
  return [...have, ...add];
});

export const batchRemoveAvailableZones = zoneChange("BatchRemoveAvailableZones", "batch-remove", (have, remove) => {
  for (const z of remove) if (!have.includes(z)) throw elbErrors.invalid(`availability_zone_list: the load balancer is not in ${z}.`);
  const left = have.filter((z) => !remove.includes(z));
  if (left.length === 0) throw elbErrors.invalid("availability_zone_list: a load balancer keeps at least one zone.");
  return left;
});

export const deleteLoadBalancerCascade = elbOperation({
  name: "DeleteLoadBalancerCascade",
  method: "POST",
  path: `${V3}/loadbalancers/{loadbalancer_id}/delete-cascade`,
  body: z.object({ loadbalancer: z.object({ unbounded_pool: z.boolean().optional(), public_ip: z.boolean().optional() }).optional() }),
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const lb = requireLoadBalancer(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    throw elbErrors.invalid(`cascade deletion has been retired: delete load balancer ${lb.id} with DeleteLoadBalancerForce (DELETE …/force-elb).`);
  },
});

export const batchOperations = [batchCreateLoadBalancers, batchDeleteLoadbalancers, batchDeleteListeners, batchAddAvailableZones, batchRemoveAvailableZones, deleteLoadBalancerCascade];
