// VPC v1 subnets: created and listed under /v1/{project_id}/subnets, updated and deleted under their VPC
// (/v1/{project_id}/vpcs/{vpc_id}/subnets/{subnet_id}), as Huawei has it (reference §3.2).
import { z } from "../../../kernel/zod.ts";
import { Description, Id, Marker, Name, V1Limit, envOf, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { createSubnet, deleteSubnet, requireSubnet, updateSubnet } from "../model/networks.ts";
import * as views from "../views.ts";
import { V1Tags } from "./vpcs.ts";

const Ip = z.string().max(64);
export const DhcpOpts = z
  .array(z.object({ opt_name: z.enum(["ntp", "addresstime"]), opt_value: z.string().max(255).optional() }))
  .max(10)
  .transform((opts) => opts.map((o) => ({ opt_name: o.opt_name, opt_value: o.opt_value ?? "" })));
const DnsList = z.array(Ip).max(2);

export const createSubnetV1 = vpcOperation({
  name: "CreateSubnet",
  method: "POST",
  path: "/v1/{project_id}/subnets",
  body: z.object({
    subnet: z.object({
      name: Name,
      description: Description.optional(),
      cidr: z.string().max(64),
      gateway_ip: Ip,
      vpc_id: Id,
      ipv6_enable: z.boolean().optional(),
      dhcp_enable: z.boolean().optional(),
      primary_dns: Ip.optional(),
      secondary_dns: Ip.optional(),
      dnsList: DnsList.optional(),
      availability_zone: z.string().min(1).max(64).optional(),
      extra_dhcp_opts: DhcpOpts.optional(),
      tags: V1Tags.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.subnet;
    const s = createSubnet(envOf(ctx), project, {
      name: b.name,
      description: b.description ?? "",
      cidr: b.cidr,
      gatewayIp: b.gateway_ip,
      vpcId: b.vpc_id,
      ipv6Enable: b.ipv6_enable ?? false,
      dhcpEnable: b.dhcp_enable ?? true,
      primaryDns: b.primary_dns,
      secondaryDns: b.secondary_dns,
      dnsList: b.dnsList,
      availabilityZone: b.availability_zone,
      extraDhcpOpts: b.extra_dhcp_opts ?? [],
      tags: b.tags ?? [],
    });
    return { body: { subnet: views.subnet(s) } };
  },
});

export const listSubnetsV1 = vpcOperation({
  name: "ListSubnets",
  method: "GET",
  path: "/v1/{project_id}/subnets",
  query: z.object({ limit: V1Limit.optional(), marker: Marker.optional(), vpc_id: z.string().min(1).max(64).optional() }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const rows = paged(ctx.svc.store.networks.subnets(project.projectId, { vpcId: q.vpc_id }, pageOf(q)), q.marker);
    return { body: { subnets: rows.map(views.subnet) } };
  },
});

export const showSubnetV1 = vpcOperation({
  name: "ShowSubnet",
  method: "GET",
  path: "/v1/{project_id}/subnets/{subnet_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    return { body: { subnet: views.subnet(requireSubnet(envOf(ctx), project, ctx.input.path.subnet_id!)) } };
  },
});

export const updateSubnetV1 = vpcOperation({
  name: "UpdateSubnet",
  method: "PUT",
  path: "/v1/{project_id}/vpcs/{vpc_id}/subnets/{subnet_id}",
  body: z.object({
    subnet: z.object({
      name: Name,
      description: Description.optional(),
      ipv6_enable: z.boolean().optional(),
      dhcp_enable: z.boolean().optional(),
      primary_dns: Ip.optional(),
      secondary_dns: Ip.optional(),
      dnsList: DnsList.optional(),
      extra_dhcp_opts: DhcpOpts.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.subnet;
    const s = updateSubnet(envOf(ctx), project, ctx.input.path.vpc_id!, ctx.input.path.subnet_id!, {
      name: b.name,
      description: b.description,
      ipv6Enable: b.ipv6_enable,
      dhcpEnable: b.dhcp_enable,
      primaryDns: b.primary_dns,
      secondaryDns: b.secondary_dns,
      dnsList: b.dnsList,
      extraDhcpOpts: b.extra_dhcp_opts,
    });
    return { body: { subnet: { id: s.id, status: "ACTIVE" } } };
  },
});

export const deleteSubnetV1 = vpcOperation({
  name: "DeleteSubnet",
  method: "DELETE",
  path: "/v1/{project_id}/vpcs/{vpc_id}/subnets/{subnet_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    deleteSubnet(envOf(ctx), project, ctx.input.path.vpc_id!, ctx.input.path.subnet_id!);
    return { status: 204 };
  },
});

export const subnetOperations = [createSubnetV1, listSubnetsV1, showSubnetV1, updateSubnetV1, deleteSubnetV1];
