// A server's network interfaces, read from the VPC ports whose device is the server: ListServerInterfaces
// (with the NICs the flavor still allows) and nova's NovaShowServerInterface for one port.
import type { PortInfo } from "../../vpc/api.ts";
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, zonesOf, type ProjectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { findFlavor } from "../flavors-data.ts";
import { flavorExtraSpecs } from "../views.ts";
import { requireServer } from "./server-common.ts";

/** fixed_ips name the neutron (IPv4) subnet; net_id is the VPC subnet's network id. */
export function interfaceAttachment(p: PortInfo) {
  return {
    port_state: p.status,
    fixed_ips: [{ subnet_id: p.neutronSubnetId, ip_address: p.ipAddress }],
    net_id: p.subnetId,
    port_id: p.id,
    mac_addr: p.macAddress,
  };
}

export const listServerInterfaces = ecsOperation({
  name: "ListServerInterfaces",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/os-interface",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const ports = ctx.svc.vpc().portsOfDevice(scope.projectId, s.id);
    const flavor = findFlavor(s.flavor_id);
    const vifs = flavor ? Number(flavorExtraSpecs(flavor, zonesOf(scope))["quota:vif_max_num"] ?? 0) : 0;
    return {
      body: {
        attachableQuantity: { free_nic: Math.max(0, vifs - ports.length) },
        // Ports made with the server go with it, as ECS's delete_on_termination says.
        interfaceAttachments: ports.map((p) => ({ ...interfaceAttachment(p), delete_on_termination: true, driver_mode: "virtio" })),
      },
    };
  },
});

export const novaShowServerInterface = ecsOperation({
  name: "NovaShowServerInterface",
  method: "GET",
  path: "/v2.1/{project_id}/servers/{server_id}/os-interface/{port_id}",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const portId = ctx.input.path.port_id!;
    const port = ctx.svc.vpc().portsOfDevice(scope.projectId, s.id).find((p) => p.id === portId);
    if (!port) throw ecsErrors.interfaceNotFound(portId, s.id);
    return { body: { interfaceAttachment: interfaceAttachment(port) } };
  },
});

/** The flavor's NIC limit (quota:vif_max_num). */
function maxNics(scope: ProjectScope, flavorId: string): number {
  const flavor = findFlavor(flavorId);
  return flavor ? Number(flavorExtraSpecs(flavor, zonesOf(scope))["quota:vif_max_num"] ?? 0) : 0;
}

export const novaAttachInterface = ecsOperation({
  name: "NovaAttachInterface",
  method: "POST",
  path: "/v2.1/{project_id}/servers/{server_id}/os-interface",
  body: z.object({
    interfaceAttachment: z.object({
      net_id: z.string().min(1).max(64).optional(),
      port_id: z.string().min(1).max(64).optional(),
      fixed_ips: z.array(z.object({ ip_address: z.string().min(1).max(64) })).max(1).optional(),
    }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const req = ctx.input.body.interfaceAttachment;
    if (req.port_id !== undefined) throw ecsErrors.invalidParameter("port_id: attaching an existing port is not supported; give net_id.");
    if (req.net_id === undefined) throw ecsErrors.invalidParameter("interfaceAttachment.net_id is required.");
    if (s.status !== "ACTIVE" && s.status !== "SHUTOFF") throw ecsErrors.statusConflict(s.id, s.status);
    if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
    const vpc = ctx.svc.vpc();
    const subnet = vpc.subnet(scope.projectId, req.net_id);
    if (!subnet) throw ecsErrors.subnetNotFound(req.net_id);
    // A server's NICs are all in its VPC (Ecs.0064, as at creation).
    if (subnet.vpcId !== s.vpc_id) throw ecsErrors.vpcMismatch();
    const ports = vpc.portsOfDevice(scope.projectId, s.id);
    if (ports.length >= maxNics(scope, s.flavor_id)) throw ecsErrors.invalidParameter(`The flavor ${s.flavor_id} takes at most ${ports.length} NICs.`);
    const ip = req.fixed_ips?.[0]?.ip_address;
    const r = vpc.createPort(scope.projectId, {
      subnetId: subnet.id,
      ipAddress: ip,
      securityGroupIds: s.security_group_ids,
      deviceId: s.id,
      deviceOwner: `compute:${s.availability_zone}`,
    });
    if (!r.ok) {
      if (r.reason === "ip-in-use") throw ecsErrors.ipInUse(ip ?? "");
      if (r.reason === "ip-not-in-subnet") throw ecsErrors.ipNotInSubnet(ip ?? "", subnet.id);
      if (r.reason === "subnet-exhausted") throw ecsErrors.subnetFull(subnet.id);
      throw ecsErrors.invalidParameter(r.message);
    }
    return { body: { interfaceAttachment: interfaceAttachment(r.port) } };
  },
});

export const novaDetachInterface = ecsOperation({
  name: "NovaDetachInterface",
  method: "DELETE",
  path: "/v2.1/{project_id}/servers/{server_id}/os-interface/{port_id}",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const portId = ctx.input.path.port_id!;
    const vpc = ctx.svc.vpc();
    const ports = vpc.portsOfDevice(scope.projectId, s.id);
    const at = ports.findIndex((p) => p.id === portId);
    if (at < 0) throw ecsErrors.interfaceNotFound(portId, s.id);
    // The primary NIC stays, as ECS keeps it (DeleteServerNic refuses it too).
    if (at === 0) throw ecsErrors.invalidParameter(`The port ${portId} is the primary NIC of ECS ${s.id}.`);
    if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
    vpc.deletePort(scope.projectId, portId);
    return { status: 202 };
  },
});

export const serverInterfaceOperations = [listServerInterfaces, novaShowServerInterface, novaAttachInterface, novaDetachInterface];
