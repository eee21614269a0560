// Neutron v2.0 ports: VPC's ports (and private IPs, which are ports too), with the address logic of
// model/ports.ts. network_id is the VPC subnet's id, fixed_ips name its neutron subnet.
import { z } from "../../../kernel/zod.ts";
import type { ApiError } from "../../../kernel/api-error.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { envOf, requireProject, type VpcContext } from "../context.ts";
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow } from "../neutron-list.ts";
import * as nv from "../neutron-views.ts";
import { createPort, deletePortByUser, updatePort, type PortFailure, type PortRequest } from "../model/ports.ts";
import { ensureDefaultGroup } from "../model/security.ts";
import { isExternal, requireNetwork } from "../model/neutron-networks.ts";
import type { PortRow } from "../store/index.ts";
import { DhcpOpts } from "./subnets.ts";

const Id = z.string().min(1).max(64);
const AddressPairs = z.array(z.object({ ip_address: z.string().min(1).max(64), mac_address: z.string().max(32).optional() })).max(10);
const SecurityGroups = z.array(Id).max(10);

function view(ctx: HandlerContext<VpcContext, unknown>, p: PortRow) {
  return nv.port(p, ctx.svc.store.networks.subnet(p.project_id, p.subnet_id)!);
}

function requirePort(ctx: HandlerContext<VpcContext, unknown>, projectId: string, id: string): PortRow {
  const p = ctx.svc.store.ports.port(projectId, id);
  if (!p) throw neutronErrors.portNotFound(id);
  return p;
}

function portError(f: PortFailure, req: PortRequest): ApiError {
  switch (f.reason) {
    case "subnet-not-found":
      return neutronErrors.subnetNotFound(req.subnetId);
    case "security-group-not-found":
      return neutronErrors.notFound("SecurityGroup", f.message.replace(/^The security group (\S+) .*$/, "$1"));
    case "invalid-ip":
    case "ip-not-in-subnet":
    case "ip-reserved":
      return neutronErrors.badRequest(`Invalid input for operation: ${f.message}`);
    case "ip-in-use":
      return neutronErrors.conflict("IpAddressAlreadyAllocated", `IP address ${req.ipAddress ?? ""} already allocated in subnet ${req.subnetId}.`);
    case "subnet-exhausted":
      return neutronErrors.conflict("IpAddressGenerationFailure", `No more IP addresses available on network ${req.subnetId}.`);
  }
}

export const neutronCreatePort = neutronOperation({
  name: "NeutronCreatePort",
  method: "POST",
  path: "/v2.0/ports",
  body: z.object({
    port: z.object({
      network_id: Id,
      name: z.string().max(255).optional(),
      description: z.string().max(255).optional(),
      admin_state_up: z.boolean().optional(),
      fixed_ips: z.array(z.object({ subnet_id: Id.optional(), ip_address: z.string().max(64).optional() })).max(1).optional(),
      device_id: z.string().max(255).optional(),
      device_owner: z.string().max(255).optional(),
      security_groups: SecurityGroups.optional(),
      allowed_address_pairs: AddressPairs.optional(),
      extra_dhcp_opts: DhcpOpts.optional(),
      port_security_enabled: z.boolean().optional(),
      "binding:profile": z.record(z.string(), z.unknown()).optional(),
      "binding:vnic_type": z.enum(["normal"]).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.port;
    const env = envOf(ctx);
    if (isExternal(project, b.network_id)) throw neutronErrors.forbidden("(rule:create_port) is disallowed by policy on the external network");
    if (b.port_security_enabled === false) throw neutronErrors.badRequest("hwlocal's ports always have port security enabled.");
    const { subnet } = requireNetwork(env, project, b.network_id);
    if (!subnet) throw neutronErrors.badRequest(`Network ${b.network_id} has no subnet to take an address from.`);
    const fixed = b.fixed_ips?.[0];
    if (fixed?.subnet_id !== undefined && fixed.subnet_id !== subnet.neutron_subnet_id) {
      throw neutronErrors.badRequest(`Invalid input for operation: Failed to create port on network ${b.network_id}, because fixed_ips included invalid subnet ${fixed.subnet_id}.`);
    }
    const req: PortRequest = {
      subnetId: subnet.id,
      ipAddress: fixed?.ip_address,
      securityGroupIds: b.security_groups ?? [ensureDefaultGroup(env, project.projectId).id],
      deviceId: b.device_id ?? "",
      deviceOwner: b.device_owner ?? "",
      name: b.name ?? "",
      kind: "port",
      adminStateUp: b.admin_state_up,
      allowedAddressPairs: b.allowed_address_pairs,
      extraDhcpOpts: b.extra_dhcp_opts,
    };
    const r = createPort(env, project.projectId, req);
    if (!r.ok) throw portError(r, req);
    return { status: 201, body: { port: view(ctx, r.port) } };
  },
});

export const neutronListPorts = neutronOperation({
  name: "NeutronListPorts",
  method: "GET",
  path: "/v2.0/ports",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const rows = ctx.svc.store.ports.ports(project.projectId, {}, {});
    const items = (rows === "bad-marker" ? [] : rows).map((p) => view(ctx, p));
    return { body: neutronList({ key: "ports", path: "/v2.0/ports", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowPort = neutronOperation({
  name: "NeutronShowPort",
  method: "GET",
  path: "/v2.0/ports/{port_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    return { body: neutronShow("port", view(ctx, requirePort(ctx, project.projectId, ctx.input.path.port_id!)), ctx.input.query) };
  },
});

export const neutronUpdatePort = neutronOperation({
  name: "NeutronUpdatePort",
  method: "PUT",
  path: "/v2.0/ports/{port_id}",
  body: z.object({
    port: z.object({
      name: z.string().max(255).optional(),
      security_groups: SecurityGroups.optional(),
      allowed_address_pairs: AddressPairs.optional(),
      extra_dhcp_opts: DhcpOpts.optional(),
      port_security_enabled: z.boolean().optional(),
      "binding:profile": z.record(z.string(), z.unknown()).optional(),
      "binding:vnic_type": z.enum(["normal"]).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.port_id!;
    requirePort(ctx, project.projectId, id);
    const b = ctx.input.body.port;
    if (b.port_security_enabled === false) throw neutronErrors.badRequest("hwlocal's ports always have port security enabled.");
    for (const g of b.security_groups ?? []) {
      if (!ctx.svc.store.security.group(project.projectId, g)) throw neutronErrors.securityGroupNotFound(g);
    }
    const p = updatePort(envOf(ctx), project.projectId, id, {
      name: b.name,
      securityGroups: b.security_groups,
      allowedAddressPairs: b.allowed_address_pairs,
      extraDhcpOpts: b.extra_dhcp_opts,
    });
    return { body: { port: view(ctx, p) } };
  },
});

export const neutronDeletePort = neutronOperation({
  name: "NeutronDeletePort",
  method: "DELETE",
  path: "/v2.0/ports/{port_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const p = requirePort(ctx, project.projectId, ctx.input.path.port_id!);
    if (p.device_id !== "" && p.device_owner.startsWith("compute:")) {
      throw neutronErrors.conflict("PortInUse", `Port ${p.id} cannot be deleted directly via the port API: it is used by device ${p.device_id}.`);
    }
    deletePortByUser(envOf(ctx), project.projectId, { ...p, device_id: "" });
    return { status: 204 };
  },
});

export const neutronPortOperations = [neutronCreatePort, neutronListPorts, neutronShowPort, neutronUpdatePort, neutronDeletePort];
