// ECS's NIC API: BatchAddServerNics and BatchDeleteServerNics (a job each; nic-jobs.ts takes or frees the
// VPC ports), and ShowServerAttachableNicNum (the NICs the flavor still allows). NICs are the server's VPC
// ports, as ListServerInterfaces shows them; the first is the primary NIC, which stays.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, zonesOf, type ProjectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { findFlavor } from "../flavors-data.ts";
import { NIC_JOB_TYPES } from "../nic-jobs.ts";
import { flavorExtraSpecs } from "../views.ts";
import { requireServer } from "./server-common.ts";
import { interfaceAttachment } from "./server-interfaces.ts";

function maxNics(scope: ProjectScope, flavorId: string): number {
  const flavor = findFlavor(flavorId);
  return flavor ? Number(flavorExtraSpecs(flavor, zonesOf(scope))["quota:vif_max_num"] ?? 0) : 0;
}

const Nic = z.object({
  subnet_id: z.string().min(1).max(64),
  security_groups: z.array(z.object({ id: z.string().min(1).max(64) })).max(10).optional(),
  ip_address: z.string().max(64).optional(),
  ipv6_enable: z.boolean().optional(),
  ipv6_bandwidth: z.object({ id: z.string().optional() }).optional(),
  port_id: z.string().max(64).optional(),
});

export const batchAddServerNics = ecsOperation({
  name: "BatchAddServerNics",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/nics",
  body: z.object({ nics: z.array(Nic).min(1).max(12) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    if (s.status !== "ACTIVE" && s.status !== "SHUTOFF") throw ecsErrors.statusConflict(s.id, s.status);
    if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
    const vpc = ctx.svc.vpc();
    const nics = ctx.input.body.nics;
    for (const nic of nics) {
      if (nic.port_id !== undefined) throw ecsErrors.invalidParameter("port_id: attaching an existing port is not supported; give subnet_id.");
      if (nic.ipv6_enable === true) throw ecsErrors.invalidParameter("ipv6_enable: IPv6 NICs are not supported.");
      const subnet = vpc.subnet(scope.projectId, nic.subnet_id);
      if (!subnet) throw ecsErrors.subnetNotFound(nic.subnet_id);
      if (subnet.vpcId !== s.vpc_id) throw ecsErrors.vpcMismatch();
      for (const g of nic.security_groups ?? []) {
        if (!vpc.securityGroup(scope.projectId, g.id)) throw ecsErrors.vpcSubnetSgInvalid(`The security group ${g.id} does not exist.`);
      }
    }
    const ports = vpc.portsOfDevice(scope.projectId, s.id).length;
    const max = maxNics(scope, s.flavor_id);
    if (ports + nics.length > max) throw ecsErrors.invalidParameter(`The flavor ${s.flavor_id} takes at most ${max} NICs; the ECS has ${ports}.`);
    const due = ctx.clock.now() + ctx.svc.bootMs;
    const jobId = ctx.svc.jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: NIC_JOB_TYPES.add, entities: { server_id: s.id } },
      nics.map((n) => ({
        jobType: NIC_JOB_TYPES.addOne,
        entities: { server_id: s.id },
        state: { subnet_id: n.subnet_id, ip_address: n.ip_address, security_group_ids: (n.security_groups ?? []).map((g) => g.id) },
        dueAt: due,
      })),
    );
    return { body: { job_id: jobId } };
  },
});

export const batchDeleteServerNics = ecsOperation({
  name: "BatchDeleteServerNics",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/nics/delete",
  body: z.object({ nics: z.array(z.object({ id: z.string().min(1).max(64) })).min(1).max(12) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    if (s.status !== "ACTIVE" && s.status !== "SHUTOFF") throw ecsErrors.statusConflict(s.id, s.status);
    if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
    const ports = ctx.svc.vpc().portsOfDevice(scope.projectId, s.id);
    const ids = ctx.input.body.nics.map((n) => n.id);
    if (new Set(ids).size !== ids.length) throw ecsErrors.invalidParameter("nics: a NIC appears twice.");
    for (const id of ids) {
      const at = ports.findIndex((p) => p.id === id);
      if (at < 0) throw ecsErrors.interfaceNotFound(id, s.id);
      if (at === 0) throw ecsErrors.invalidParameter(`The NIC ${id} is the primary NIC of ECS ${s.id}.`);
    }
    const due = ctx.clock.now() + ctx.svc.bootMs;
    const jobId = ctx.svc.jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: NIC_JOB_TYPES.remove, entities: { server_id: s.id } },
      ids.map((id) => ({ jobType: NIC_JOB_TYPES.removeOne, entities: { server_id: s.id, nic_id: id }, dueAt: due })),
    );
    return { body: { job_id: jobId } };
  },
});

export const showServerAttachableNicNum = ecsOperation({
  name: "ShowServerAttachableNicNum",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/os-interface_extension",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const ports = ctx.svc.vpc().portsOfDevice(scope.projectId, s.id);
    return {
      body: {
        attachableQuantity: { free_nic: Math.max(0, maxNics(scope, s.flavor_id) - ports.length) },
        interfaceAttachments: ports.map((p) => ({ ...interfaceAttachment(p), delete_on_termination: true, driver_mode: "virtio" })),
      },
    };
  },
});

export const serverNicOperations = [batchAddServerNics, batchDeleteServerNics, showServerAttachableNicNum];
