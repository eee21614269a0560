// Neutron v2.0 networks and subnets (/v2.0/networks, /v2.0/subnets on the VPC endpoint, the Neutron*
// operations of the VPC SDK). The region's admin_external_net is listed to every project and is read-only.
import { z } from "../../../kernel/zod.ts";
import { envOf, requireProject } from "../context.ts";
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow, type Item } from "../neutron-list.ts";
import * as nv from "../neutron-views.ts";
import {
  createNetwork,
  createNeutronSubnet,
  deleteNetwork,
  deleteNeutronSubnet,
  isExternal,
  listNetworks,
  requireNetwork,
  requireNeutronSubnet,
  updateNetwork,
} from "../model/neutron-networks.ts";
import { updateSubnet } from "../model/networks.ts";

const Name = z.string().max(255);
const Ip = z.string().max(64);

export const neutronCreateNetwork = neutronOperation({
  name: "NeutronCreateNetwork",
  method: "POST",
  path: "/v2.0/networks",
  body: z.object({
    network: z.object({
      name: Name.optional(),
      admin_state_up: z.boolean().optional(),
      shared: z.boolean().optional(),
      port_security_enabled: z.boolean().optional(),
      "provider:network_type": z.string().max(64).optional(),
      description: z.string().max(255).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.network;
    if (b.shared === true) throw neutronErrors.forbidden("(rule:create_network:shared) is disallowed by policy");
    if (b.port_security_enabled === false) throw neutronErrors.badRequest("hwlocal's networks always have port security enabled.");
    const n = createNetwork(envOf(ctx), project, { name: b.name ?? "", adminStateUp: b.admin_state_up ?? true });
    return { status: 201, body: { network: nv.network(n.subnet, n.overlay) } };
  },
});

export const neutronListNetworks = neutronOperation({
  name: "NeutronListNetworks",
  method: "GET",
  path: "/v2.0/networks",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const items: Item[] = listNetworks(envOf(ctx), project.projectId).map((n) => nv.network(n.subnet, n.overlay));
    items.push(nv.externalNetwork(project.region));
    return { body: neutronList({ key: "networks", path: "/v2.0/networks", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowNetwork = neutronOperation({
  name: "NeutronShowNetwork",
  method: "GET",
  path: "/v2.0/networks/{network_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.network_id!;
    if (isExternal(project, id)) return { body: neutronShow("network", nv.externalNetwork(project.region), ctx.input.query) };
    const n = requireNetwork(envOf(ctx), project, id);
    return { body: neutronShow("network", nv.network(n.subnet, n.overlay), ctx.input.query) };
  },
});

export const neutronUpdateNetwork = neutronOperation({
  name: "NeutronUpdateNetwork",
  method: "PUT",
  path: "/v2.0/networks/{network_id}",
  body: z.object({
    network: z.object({
      name: Name.optional(),
      admin_state_up: z.boolean().optional(),
      port_security_enabled: z.boolean().optional(),
      description: z.string().max(255).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.network_id!;
    if (isExternal(project, id)) throw neutronErrors.forbidden(`(rule:update_network) is disallowed by policy for network ${id}`);
    const b = ctx.input.body.network;
    if (b.port_security_enabled === false) throw neutronErrors.badRequest("hwlocal's networks always have port security enabled.");
    const n = updateNetwork(envOf(ctx), project, id, { name: b.name, adminStateUp: b.admin_state_up });
    return { body: { network: nv.network(n.subnet, n.overlay) } };
  },
});

export const neutronDeleteNetwork = neutronOperation({
  name: "NeutronDeleteNetwork",
  method: "DELETE",
  path: "/v2.0/networks/{network_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.network_id!;
    if (isExternal(project, id)) throw neutronErrors.forbidden(`(rule:delete_network) is disallowed by policy for network ${id}`);
    deleteNetwork(envOf(ctx), project, id);
    return { status: 204 };
  },
});

const Dns = z.array(Ip).max(2);

export const neutronCreateSubnet = neutronOperation({
  name: "NeutronCreateSubnet",
  method: "POST",
  path: "/v2.0/subnets",
  body: z.object({
    subnet: z.object({
      network_id: z.string().min(1).max(64),
      cidr: z.string().min(1).max(64),
      ip_version: z.union([z.literal(4), z.literal(6)]).optional(),
      name: Name.optional(),
      description: z.string().max(255).optional(),
      gateway_ip: Ip.optional(),
      enable_dhcp: z.boolean().optional(),
      dns_nameservers: Dns.optional(),
      allocation_pools: z.array(z.object({ start: Ip, end: Ip })).optional(),
      host_routes: z.array(z.object({ destination: Ip, nexthop: Ip })).max(0, "hwlocal's subnets have no host routes").optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.subnet;
    if (b.ip_version === 6) throw neutronErrors.badRequest("hwlocal does not emulate IPv6 subnets (ip_version 6).");
    const s = createNeutronSubnet(envOf(ctx), project, {
      networkId: b.network_id,
      name: b.name,
      description: b.description ?? "",
      cidr: b.cidr,
      gatewayIp: b.gateway_ip,
      enableDhcp: b.enable_dhcp ?? true,
      dnsNameservers: b.dns_nameservers,
    });
    return { status: 201, body: { subnet: nv.subnet(s) } };
  },
});

export const neutronListSubnets = neutronOperation({
  name: "NeutronListSubnets",
  method: "GET",
  path: "/v2.0/subnets",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const items: Item[] = [];
    for (const n of listNetworks(envOf(ctx), project.projectId)) if (n.subnet) items.push(nv.subnet(n.subnet));
    return { body: neutronList({ key: "subnets", path: "/v2.0/subnets", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowSubnet = neutronOperation({
  name: "NeutronShowSubnet",
  method: "GET",
  path: "/v2.0/subnets/{subnet_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const s = requireNeutronSubnet(envOf(ctx), project.projectId, ctx.input.path.subnet_id!);
    return { body: neutronShow("subnet", nv.subnet(s), ctx.input.query) };
  },
});

export const neutronUpdateSubnet = neutronOperation({
  name: "NeutronUpdateSubnet",
  method: "PUT",
  path: "/v2.0/subnets/{subnet_id}",
  body: z.object({
    subnet: z.object({
      name: Name.optional(),
      description: z.string().max(255).optional(),
      enable_dhcp: z.boolean().optional(),
      dns_nameservers: Dns.optional(),
      allocation_pools: z.array(z.object({ start: Ip, end: Ip })).optional(),
      host_routes: z.array(z.object({ destination: Ip, nexthop: Ip })).max(0, "hwlocal's subnets have no host routes").optional(),
      gateway_ip: Ip.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const s = requireNeutronSubnet(env, project.projectId, ctx.input.path.subnet_id!);
    const b = ctx.input.body.subnet;
    if (b.gateway_ip !== undefined && b.gateway_ip !== s.gateway_ip) throw neutronErrors.badRequest("A VPC subnet's gateway_ip cannot be changed.");
    const dns = b.dns_nameservers;
    const updated = updateSubnet(env, project, s.vpc_id, s.id, {
      name: b.name === "" ? undefined : b.name,
      description: b.description,
      dhcpEnable: b.enable_dhcp,
      primaryDns: dns === undefined ? undefined : (dns[0] ?? ""),
      secondaryDns: dns === undefined ? undefined : (dns[1] ?? ""),
      dnsList: dns,
    });
    return { body: { subnet: nv.subnet(updated) } };
  },
});

export const neutronDeleteSubnet = neutronOperation({
  name: "NeutronDeleteSubnet",
  method: "DELETE",
  path: "/v2.0/subnets/{subnet_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    deleteNeutronSubnet(envOf(ctx), project, ctx.input.path.subnet_id!);
    return { status: 204 };
  },
});

export const neutronNetworkOperations = [
  neutronCreateNetwork,
  neutronListNetworks,
  neutronShowNetwork,
  neutronUpdateNetwork,
  neutronDeleteNetwork,
  neutronCreateSubnet,
  neutronListSubnets,
  neutronShowSubnet,
  neutronUpdateSubnet,
  neutronDeleteSubnet,
];
