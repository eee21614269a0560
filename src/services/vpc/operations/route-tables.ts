// Route tables (/v1/{project_id}/routetables): create, list (no routes in list items, as Huawei), show,
// update (name, description, routes add/mod/del), associate/disassociate subnets (one path, told apart by
// the body), delete. v1 conventions: flat {code,message} errors, marker/limit paging.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { Description, Marker, V1Limit, envOf, pageOf, paged, requireProject, vpcOperation, type VpcContext } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import {
  associateSubnets,
  createRouteTable,
  deleteRouteTable,
  requireRouteTable,
  routeTables,
  routesOf,
  subnetsOf,
  updateRouteTable,
  ROUTE_TYPES,
  type RouteTable,
} from "../model/route-tables.ts";
import { pageList } from "../store/documents.ts";

const TableName = z.string().min(1).max(64).regex(/^[\p{L}\p{N}_.-]+$/u, "may hold only letters, digits, '_', '-' and '.'");
const Route = z.object({
  type: z.enum(ROUTE_TYPES),
  destination: z.string().max(64),
  nexthop: z.string().min(1).max(64),
  description: Description.optional(),
});

function view(ctx: HandlerContext<VpcContext, unknown>, t: RouteTable, all: RouteTable[], withRoutes: boolean) {
  const env = envOf(ctx);
  return {
    id: t.row.id,
    name: t.doc.name,
    default: t.doc.default,
    ...(withRoutes ? { routes: routesOf(env, t) } : {}),
    subnets: subnetsOf(env, t, all).map((id) => ({ id })),
    tenant_id: t.row.project_id,
    vpc_id: t.doc.vpc_id,
    description: t.doc.description,
    created_at: isoSeconds(t.row.created_at),
    updated_at: isoSeconds(t.row.updated_at),
  };
}

function shown(ctx: HandlerContext<VpcContext, unknown>, t: RouteTable) {
  const all = routeTables(envOf(ctx), requireProject(ctx.scope));
  return { routetable: view(ctx, t, all, true) };
}

export const createRouteTableOp = vpcOperation({
  name: "CreateRouteTable",
  method: "POST",
  path: "/v1/{project_id}/routetables",
  body: z.object({
    routetable: z.object({ name: TableName, vpc_id: z.string().min(1).max(64), description: Description.optional(), routes: z.array(Route).max(200).optional() }),
  }),
  handle(ctx) {
    const b = ctx.input.body.routetable;
    const t = createRouteTable(envOf(ctx), requireProject(ctx.scope), { name: b.name, description: b.description ?? "", vpcId: b.vpc_id, routes: b.routes ?? [] });
    return { body: shown(ctx, t) };
  },
});

export const listRouteTables = vpcOperation({
  name: "ListRouteTables",
  method: "GET",
  path: "/v1/{project_id}/routetables",
  query: z.object({ limit: V1Limit.optional(), marker: Marker.optional(), id: z.string().optional(), vpc_id: z.string().optional(), subnet_id: z.string().optional() }),
  handle(ctx) {
    const q = ctx.input.query;
    const all = routeTables(envOf(ctx), requireProject(ctx.scope));
    const items = all
      .map((t) => view(ctx, t, all, false))
      .filter((t) => (!q.id || t.id === q.id) && (!q.vpc_id || t.vpc_id === q.vpc_id) && (!q.subnet_id || t.subnets.some((s) => s.id === q.subnet_id)));
    return { body: { routetables: paged(pageList(items, pageOf(q)), q.marker) } };
  },
});

export const showRouteTable = vpcOperation({
  name: "ShowRouteTable",
  method: "GET",
  path: "/v1/{project_id}/routetables/{routetable_id}",
  handle(ctx) {
    return { body: shown(ctx, requireRouteTable(envOf(ctx), requireProject(ctx.scope), ctx.input.path.routetable_id!)) };
  },
});

export const updateRouteTableOp = vpcOperation({
  name: "UpdateRouteTable",
  method: "PUT",
  path: "/v1/{project_id}/routetables/{routetable_id}",
  body: z.object({
    routetable: z.object({
      name: TableName.optional(),
      description: Description.optional(),
      routes: z
        .object({
          add: z.array(Route).max(200).optional(),
          mod: z.array(Route).max(200).optional(),
          del: z.array(z.object({ type: z.string().optional(), destination: z.string().max(64), nexthop: z.string().optional() })).max(200).optional(),
        })
        .optional(),
    }),
  }),
  handle(ctx) {
    const t = updateRouteTable(envOf(ctx), requireProject(ctx.scope), ctx.input.path.routetable_id!, ctx.input.body.routetable);
    return { body: shown(ctx, t) };
  },
});

export const associateRouteTable = vpcOperation({
  name: "AssociateRouteTable",
  method: "POST",
  path: "/v1/{project_id}/routetables/{routetable_id}/action",
  body: z.object({
    routetable: z.object({
      subnets: z.object({ associate: z.array(z.string().min(1).max(64)).max(100).optional(), disassociate: z.array(z.string().min(1).max(64)).max(100).optional() }),
    }),
  }),
  handle(ctx) {
    const s = ctx.input.body.routetable.subnets;
    if (!s.associate?.length && !s.disassociate?.length) throw vpcErrors.invalidParameter("routetable.subnets names no subnet to associate or disassociate.");
    const t = associateSubnets(envOf(ctx), requireProject(ctx.scope), ctx.input.path.routetable_id!, s);
    return { body: shown(ctx, t) };
  },
});

export const deleteRouteTableOp = vpcOperation({
  name: "DeleteRouteTable",
  method: "DELETE",
  path: "/v1/{project_id}/routetables/{routetable_id}",
  handle(ctx) {
    deleteRouteTable(envOf(ctx), requireProject(ctx.scope), ctx.input.path.routetable_id!);
    return { status: 204 };
  },
});

export const routeTableOperations = [createRouteTableOp, listRouteTables, showRouteTable, updateRouteTableOp, associateRouteTable, deleteRouteTableOp];
