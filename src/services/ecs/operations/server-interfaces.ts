// A server's network interfaces, read from the VPC ports whose device is the server: ListServerInterfaces
// (with the NICs the flavor still allows) and nova's NovaShowServerInterface for one port.
import type { PortInfo } from "../../vpc/api.ts";
import { ecsOperation, projectScope, zonesOf } from "../context.ts";
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

export const serverInterfaceOperations = [listServerInterfaces, novaShowServerInterface];
