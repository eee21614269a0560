// VPC v1 ports, /v1/{project_id}/ports. A port takes a private IP of its subnet (network_id is the
// subnet's id, fixed_ips name its neutron_subnet_id). Private IPs are ports too (operations/privateips.ts).
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { BoolText, Id, Many, Marker, V1Limit, envOf, pageOf, paged, requireProject, vpcOperation, type VpcContext } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { ensureDefaultGroup } from "../model/security.ts";
import { createPort, deletePortByUser, portFailureError, requirePort, updatePort, type PortRequest } from "../model/ports.ts";
import type { PortRow } from "../store/index.ts";
import * as views from "../views.ts";
import { DhcpOpts } from "./subnets.ts";

const DEVICE_OWNERS = ["", "neutron:VIP_PORT", "network:dhcp", "network:router_interface_distributed", "network:router_centralized_snat"] as const;
const PortName = z.string().max(255);
const AddressPairs = z.array(z.object({ ip_address: z.string().min(1).max(64), mac_address: z.string().max(32).optional() })).max(10);
const SecurityGroupIds = z.array(Id).max(10);

/** The v1 port view; the port's subnet always exists (a subnet with ports cannot be deleted). */
export function portView(ctx: HandlerContext<VpcContext, unknown>, p: PortRow) {
  return views.port(p, ctx.svc.store.networks.subnet(p.project_id, p.subnet_id)!);
}

export const createPortV1 = vpcOperation({
  name: "CreatePort",
  method: "POST",
  path: "/v1/{project_id}/ports",
  body: z.object({
    port: z.object({
      name: PortName.optional(),
      network_id: Id,
      fixed_ips: z.array(z.object({ subnet_id: Id.optional(), ip_address: z.string().max(64).optional() })).max(1).optional(),
      device_owner: z.enum(DEVICE_OWNERS).optional(),
      security_groups: SecurityGroupIds.optional(),
      admin_state_up: z.boolean().optional(),
      allowed_address_pairs: AddressPairs.optional(),
      extra_dhcp_opts: DhcpOpts.optional(),
      tenant_id: z.string().max(64).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.port;
    const env = envOf(ctx);
    const subnet = env.store.networks.subnet(project.projectId, b.network_id);
    if (!subnet) throw vpcErrors.subnetNotFound(b.network_id);
    const fixed = b.fixed_ips?.[0];
    if (fixed?.subnet_id !== undefined && fixed.subnet_id !== subnet.neutron_subnet_id && fixed.subnet_id !== subnet.id) {
      throw vpcErrors.invalidParameter(`fixed_ips.subnet_id ${fixed.subnet_id} is not the subnet of network ${b.network_id}.`);
    }
    const req: PortRequest = {
      subnetId: subnet.id,
      ipAddress: fixed?.ip_address,
      securityGroupIds: b.security_groups ?? [ensureDefaultGroup(env, project.projectId).id],
      deviceId: "",
      deviceOwner: b.device_owner ?? "",
      name: b.name ?? "",
      kind: "port",
      adminStateUp: b.admin_state_up,
      allowedAddressPairs: b.allowed_address_pairs,
      extraDhcpOpts: b.extra_dhcp_opts,
    };
    const result = createPort(env, project.projectId, req);
    if (!result.ok) throw portFailureError(result, req, subnet);
    return { body: { port: portView(ctx, result.port) } };
  },
});

export const listPortsV1 = vpcOperation({
  name: "ListPorts",
  method: "GET",
  path: "/v1/{project_id}/ports",
  query: z.object({
    name: z.string().max(255).optional(),
    id: Many.optional(),
    limit: V1Limit.optional(),
    marker: Marker.optional(),
    admin_state_up: BoolText.optional(),
    network_id: z.string().max(64).optional(),
    mac_address: z.string().max(32).optional(),
    device_id: z.string().max(64).optional(),
    device_owner: z.string().max(255).optional(),
    status: z.enum(["ACTIVE", "BUILD", "DOWN"]).optional(),
    security_groups: Many.optional(),
    fixed_ips: Many.optional(),
    enterprise_project_id: z.string().max(64).optional(),
    enable_efi: BoolText.optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { store } = ctx.svc;
    // fixed_ips filters are "ip_address=10.0.0.5" or "subnet_id=<neutron subnet id>".
    const ips: string[] = [];
    let subnetId = q.network_id;
    for (const f of q.fixed_ips ?? []) {
      const [key, value = ""] = f.split("=", 2);
      if (key === "ip_address") ips.push(value);
      else if (key === "subnet_id") subnetId = store.networks.subnetByAnyId(project.projectId, value)?.id ?? "";
      else throw vpcErrors.invalidParameter(`fixed_ips ${f} is not ip_address=… or subnet_id=….`);
    }
    // BUILD is a transient state hwlocal's ports never stay in; enable_efi is always false.
    if (q.status === "BUILD" || q.enable_efi === true) return { body: { ports: [] } };
    const filter = {
      ids: q.id,
      name: q.name,
      subnetId,
      macAddress: q.mac_address,
      deviceId: q.device_id,
      deviceOwner: q.device_owner,
      adminStateUp: q.admin_state_up,
      status: q.status,
      securityGroups: q.security_groups,
      ipAddresses: ips.length > 0 ? ips : undefined,
    };
    const rows = paged(store.ports.ports(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { ports: rows.map((p) => portView(ctx, p)) } };
  },
});

export const showPortV1 = vpcOperation({
  name: "ShowPort",
  method: "GET",
  path: "/v1/{project_id}/ports/{port_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    return { body: { port: portView(ctx, requirePort(envOf(ctx), project.projectId, ctx.input.path.port_id!)) } };
  },
});

export const updatePortV1 = vpcOperation({
  name: "UpdatePort",
  method: "PUT",
  path: "/v1/{project_id}/ports/{port_id}",
  body: z.object({
    port: z.object({
      name: PortName.optional(),
      security_groups: SecurityGroupIds.optional(),
      allowed_address_pairs: AddressPairs.optional(),
      extra_dhcp_opts: DhcpOpts.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.port;
    const p = updatePort(envOf(ctx), project.projectId, ctx.input.path.port_id!, {
      name: b.name,
      securityGroups: b.security_groups,
      allowedAddressPairs: b.allowed_address_pairs,
      extraDhcpOpts: b.extra_dhcp_opts,
    });
    return { body: { port: portView(ctx, p) } };
  },
});

export const deletePortV1 = vpcOperation({
  name: "DeletePort",
  method: "DELETE",
  path: "/v1/{project_id}/ports/{port_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    deletePortByUser(env, project.projectId, requirePort(env, project.projectId, ctx.input.path.port_id!));
    return { status: 204 };
  },
});

export const portOperations = [createPortV1, listPortsV1, showPortV1, updatePortV1, deletePortV1];
