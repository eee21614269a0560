// Neutron v2.0 routers: a router is a VPC (name, routes), with neutron's admin_state_up and external
// gateway kept beside it; add/remove_router_interface attach a subnet (model/neutron-networks.ts).
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { envOf, requireProject, type VpcContext } from "../context.ts";
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow } from "../neutron-list.ts";
import * as nv from "../neutron-views.ts";
import { addRouterInterface, interfaceSubnet, isExternal, removeRouterInterface } from "../model/neutron-networks.ts";
import { createVpc, deleteVpc, updateVpc } from "../model/networks.ts";
import type { VpcRow } from "../store/index.ts";

const Name = z.string().max(64);
const Gateway = z.object({ network_id: z.string().min(1).max(64), enable_snat: z.boolean().optional() }).nullable();
const Routes = z.array(z.object({ destination: z.string().max(64), nexthop: z.string().max(64) })).max(200);

function view(ctx: HandlerContext<VpcContext, unknown>, v: VpcRow) {
  return nv.router(v, ctx.svc.store.neutron.router(v.id));
}

function requireRouter(ctx: HandlerContext<VpcContext, unknown>, projectId: string, id: string): VpcRow {
  const v = ctx.svc.store.networks.vpc(projectId, id);
  if (!v) throw neutronErrors.routerNotFound(id);
  return v;
}

/** The external network a gateway names must be the region's admin_external_net. */
function gatewayNetwork(ctx: HandlerContext<VpcContext, unknown>, g: z.infer<typeof Gateway> | undefined): string | null | undefined {
  if (g === undefined) return undefined;
  if (g === null) return null;
  const project = requireProject(ctx.scope);
  if (!isExternal(project, g.network_id)) throw neutronErrors.badRequest(`Network ${g.network_id} is not an external network.`);
  return g.network_id;
}

export const neutronCreateRouter = neutronOperation({
  name: "NeutronCreateRouter",
  method: "POST",
  path: "/v2.0/routers",
  body: z.object({
    router: z.object({
      name: Name.optional(),
      description: z.string().max(255).optional(),
      admin_state_up: z.boolean().optional(),
      external_gateway_info: Gateway.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.router;
    const ext = gatewayNetwork(ctx, b.external_gateway_info) ?? null;
    const env = envOf(ctx);
    const v = env.store.tx(() => {
      const row = createVpc(env, project, { name: b.name ?? "", description: b.description ?? "", cidr: undefined, enterpriseProjectId: undefined, tags: [] });
      env.store.neutron.setRouter(row.id, { admin_state_up: b.admin_state_up ?? true, external_network_id: ext });
      return row;
    });
    return { status: 201, body: { router: view(ctx, v) } };
  },
});

export const neutronListRouters = neutronOperation({
  name: "NeutronListRouters",
  method: "GET",
  path: "/v2.0/routers",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const vpcs = ctx.svc.store.networks.vpcs(project.projectId, {}, {});
    const items = (vpcs === "bad-marker" ? [] : vpcs).map((v) => view(ctx, v));
    return { body: neutronList({ key: "routers", path: "/v2.0/routers", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowRouter = neutronOperation({
  name: "NeutronShowRouter",
  method: "GET",
  path: "/v2.0/routers/{router_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    return { body: neutronShow("router", view(ctx, requireRouter(ctx, project.projectId, ctx.input.path.router_id!)), ctx.input.query) };
  },
});

export const neutronUpdateRouter = neutronOperation({
  name: "NeutronUpdateRouter",
  method: "PUT",
  path: "/v2.0/routers/{router_id}",
  body: z.object({
    router: z.object({
      name: Name.optional(),
      description: z.string().max(255).optional(),
      admin_state_up: z.boolean().optional(),
      external_gateway_info: Gateway.optional(),
      routes: Routes.optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.router_id!;
    const current = requireRouter(ctx, project.projectId, id);
    const b = ctx.input.body.router;
    const ext = gatewayNetwork(ctx, b.external_gateway_info);
    const env = envOf(ctx);
    const v = env.store.tx(() => {
      const row = updateVpc(env, project, current.id, { name: b.name, description: b.description, routes: b.routes });
      const attrs = env.store.neutron.router(id) ?? { admin_state_up: true, external_network_id: null };
      env.store.neutron.setRouter(id, {
        admin_state_up: b.admin_state_up ?? attrs.admin_state_up,
        external_network_id: ext === undefined ? attrs.external_network_id : ext,
      });
      return row;
    });
    return { body: { router: view(ctx, v) } };
  },
});

export const neutronDeleteRouter = neutronOperation({
  name: "NeutronDeleteRouter",
  method: "DELETE",
  path: "/v2.0/routers/{router_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.router_id!;
    requireRouter(ctx, project.projectId, id);
    if (ctx.svc.store.networks.subnetsOfVpc(id).length > 0) throw neutronErrors.routerInUse(id);
    deleteVpc(envOf(ctx), project, id);
    return { status: 204 };
  },
});

const InterfaceBody = z.object({ subnet_id: z.string().min(1).max(64).optional(), port_id: z.string().min(1).max(64).optional() });

export const neutronAddRouterInterface = neutronOperation({
  name: "NeutronAddRouterInterface",
  method: "PUT",
  path: "/v2.0/routers/{router_id}/add_router_interface",
  body: InterfaceBody,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const router = requireRouter(ctx, project.projectId, ctx.input.path.router_id!);
    const env = envOf(ctx);
    const subnet = interfaceSubnet(env, project.projectId, ctx.input.body);
    return { body: addRouterInterface(env, project, router, subnet) };
  },
});

export const neutronRemoveRouterInterface = neutronOperation({
  name: "NeutronRemoveRouterInterface",
  method: "PUT",
  path: "/v2.0/routers/{router_id}/remove_router_interface",
  body: InterfaceBody,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const router = requireRouter(ctx, project.projectId, ctx.input.path.router_id!);
    const env = envOf(ctx);
    const subnet = interfaceSubnet(env, project.projectId, ctx.input.body);
    return { body: removeRouterInterface(env, project, router, subnet) };
  },
});

export const neutronRouterOperations = [
  neutronCreateRouter,
  neutronListRouters,
  neutronShowRouter,
  neutronUpdateRouter,
  neutronDeleteRouter,
  neutronAddRouterInterface,
  neutronRemoveRouterInterface,
];
