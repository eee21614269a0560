// VPC peerings and peering routes (/v2.0/vpc/peerings, /v2.0/vpc/routes): neutron-style extension APIs,
// so errors are NeutronError bodies and lists follow neutron's conventions (filters, limit/marker with
// <resource>_links). The project is the credential's (X-Project-Id), as for every /v2.0 API.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { envOf, requireProject } from "../context.ts";
import { neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow, type NeutronQueryValues } from "../neutron-list.ts";
import {
  answerPeering,
  createPeering,
  peerings,
  requirePeering,
  requireRoute,
  updatePeering,
  vpcRoutes,
  type Peering,
  type VpcRoute,
} from "../model/peerings.ts";
import { createPeeringRoute, deletePeeringAndRoutes } from "../model/route-tables.ts";

const Name = z.string().max(64);
const Description = z.string().max(255).regex(/^[^<>]*$/, "may not contain '<' or '>'");
const VpcInfo = z.object({ vpc_id: z.string().min(1).max(64), tenant_id: z.string().min(1).max(64).optional() });

function view(p: Peering) {
  return {
    id: p.row.id,
    name: p.doc.name,
    description: p.doc.description,
    status: p.doc.status,
    request_vpc_info: p.doc.request_vpc_info,
    accept_vpc_info: p.doc.accept_vpc_info,
    created_at: isoSeconds(p.row.created_at),
    updated_at: isoSeconds(p.row.updated_at),
  };
}

function routeView(r: VpcRoute) {
  return { id: r.row.id, type: r.doc.type, destination: r.doc.destination, nexthop: r.doc.nexthop, vpc_id: r.doc.vpc_id, tenant_id: r.row.project_id };
}

/** Takes the filters the items do not carry as attributes out of the query, for the handler to apply. */
function split(q: NeutronQueryValues, keys: string[]): [NeutronQueryValues, Record<string, string[]>] {
  const rest: NeutronQueryValues = {};
  const own: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(q)) (keys.includes(k) ? own : rest)[k] = v;
  return [rest, own];
}

export const createVpcPeering = neutronOperation({
  name: "CreateVpcPeering",
  method: "POST",
  path: "/v2.0/vpc/peerings",
  body: z.object({
    peering: z.object({ name: Name, description: Description.optional(), request_vpc_info: VpcInfo, accept_vpc_info: VpcInfo }),
  }),
  handle(ctx) {
    const b = ctx.input.body.peering;
    const p = createPeering(envOf(ctx), requireProject(ctx.scope), {
      name: b.name,
      description: b.description ?? "",
      request: b.request_vpc_info,
      accept: b.accept_vpc_info,
    });
    return { status: 201, body: { peering: view(p) } };
  },
});

export const listVpcPeerings = neutronOperation({
  name: "ListVpcPeerings",
  method: "GET",
  path: "/v2.0/vpc/peerings",
  query: NeutronQuery,
  handle(ctx) {
    const [query, own] = split(ctx.input.query, ["vpc_id", "tenant_id"]);
    const items = peerings(envOf(ctx), requireProject(ctx.scope))
      .map(view)
      .filter((p) => {
        const ends = [p.request_vpc_info, p.accept_vpc_info];
        return (!own.vpc_id || ends.some((e) => own.vpc_id!.includes(e.vpc_id))) && (!own.tenant_id || ends.some((e) => own.tenant_id!.includes(e.tenant_id)));
      });
    return { body: neutronList({ key: "peerings", path: "/v2.0/vpc/peerings", items, query, request: ctx.request }) };
  },
});

export const showVpcPeering = neutronOperation({
  name: "ShowVpcPeering",
  method: "GET",
  path: "/v2.0/vpc/peerings/{peering_id}",
  query: NeutronQuery,
  handle(ctx) {
    const p = requirePeering(envOf(ctx), requireProject(ctx.scope), ctx.input.path.peering_id!);
    return { body: neutronShow("peering", view(p), ctx.input.query) };
  },
});

export const updateVpcPeering = neutronOperation({
  name: "UpdateVpcPeering",
  method: "PUT",
  path: "/v2.0/vpc/peerings/{peering_id}",
  body: z.object({ peering: z.object({ name: Name.optional(), description: Description.optional() }) }),
  handle(ctx) {
    const p = updatePeering(envOf(ctx), requireProject(ctx.scope), ctx.input.path.peering_id!, ctx.input.body.peering);
    return { body: { peering: view(p) } };
  },
});

export const acceptVpcPeering = neutronOperation({
  name: "AcceptVpcPeering",
  method: "PUT",
  path: "/v2.0/vpc/peerings/{peering_id}/accept",
  handle(ctx) {
    return { body: view(answerPeering(envOf(ctx), requireProject(ctx.scope), ctx.input.path.peering_id!, "ACTIVE")) };
  },
});

export const rejectVpcPeering = neutronOperation({
  name: "RejectVpcPeering",
  method: "PUT",
  path: "/v2.0/vpc/peerings/{peering_id}/reject",
  handle(ctx) {
    return { body: view(answerPeering(envOf(ctx), requireProject(ctx.scope), ctx.input.path.peering_id!, "REJECTED")) };
  },
});

export const deleteVpcPeering = neutronOperation({
  name: "DeleteVpcPeering",
  method: "DELETE",
  path: "/v2.0/vpc/peerings/{peering_id}",
  handle(ctx) {
    deletePeeringAndRoutes(envOf(ctx), requireProject(ctx.scope), ctx.input.path.peering_id!);
    return { status: 204 };
  },
});

export const createVpcRoute = neutronOperation({
  name: "CreateVpcRoute",
  method: "POST",
  path: "/v2.0/vpc/routes",
  body: z.object({
    route: z.object({ type: z.literal("peering").optional(), destination: z.string().max(64), nexthop: z.string().min(1).max(64), vpc_id: z.string().min(1).max(64) }),
  }),
  handle(ctx) {
    const b = ctx.input.body.route;
    const r = createPeeringRoute(envOf(ctx), requireProject(ctx.scope), { destination: b.destination, nexthop: b.nexthop, vpcId: b.vpc_id });
    return { status: 201, body: { route: routeView(r) } };
  },
});

export const listVpcRoutes = neutronOperation({
  name: "ListVpcRoutes",
  method: "GET",
  path: "/v2.0/vpc/routes",
  query: NeutronQuery,
  handle(ctx) {
    const items = vpcRoutes(envOf(ctx), requireProject(ctx.scope).projectId).map(routeView);
    return { body: neutronList({ key: "routes", path: "/v2.0/vpc/routes", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const showVpcRoute = neutronOperation({
  name: "ShowVpcRoute",
  method: "GET",
  path: "/v2.0/vpc/routes/{route_id}",
  query: NeutronQuery,
  handle(ctx) {
    const r = requireRoute(envOf(ctx), requireProject(ctx.scope), ctx.input.path.route_id!);
    return { body: neutronShow("route", routeView(r), ctx.input.query) };
  },
});

export const deleteVpcRoute = neutronOperation({
  name: "DeleteVpcRoute",
  method: "DELETE",
  path: "/v2.0/vpc/routes/{route_id}",
  handle(ctx) {
    const env = envOf(ctx);
    const r = requireRoute(env, requireProject(ctx.scope), ctx.input.path.route_id!);
    env.store.documents.delete(r.row.id);
    return { status: 204 };
  },
});

export const peeringOperations = [
  createVpcPeering,
  listVpcPeerings,
  showVpcPeering,
  updateVpcPeering,
  acceptVpcPeering,
  rejectVpcPeering,
  deleteVpcPeering,
  createVpcRoute,
  listVpcRoutes,
  showVpcRoute,
  deleteVpcRoute,
];
