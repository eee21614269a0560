// Route tables (/v1/{project_id}/routetables), kept as documents. Every VPC has a default table, made on
// first need, holding every subnet no custom table holds; the peering routes of /v2.0/vpc/routes are shown
// in it. A custom table holds the subnets associated with it (at most one table a subnet). Routes are
// unique by destination, never inside the VPC's CIDR, at most 200 a table; a peering next hop must be an
// ACTIVE peering of the VPC and an eni next hop a port of the VPC; other next hops are taken as given.
import { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { cidrContains, parseCidr } from "../ip.ts";
import { QUOTAS } from "../quotas.ts";
import type { DocRow, VpcRow } from "../store/index.ts";
import { requireVpc } from "./networks.ts";
import { neutronErrors } from "../neutron-errors.ts";
import { createRoute, deletePeering, requirePeering, vpcRoutes, type VpcRoute } from "./peerings.ts";

export const ROUTE_TYPES = ["ecs", "eni", "vip", "nat", "peering", "vpn", "dc", "cc", "er", "egw"] as const;

const TableRoute = z.object({ type: z.string(), destination: z.string(), nexthop: z.string(), description: z.string() });
export type TableRoute = z.infer<typeof TableRoute>;
const RouteTableDoc = z.object({
  name: z.string(),
  description: z.string(),
  vpc_id: z.string(),
  default: z.boolean(),
  routes: z.array(TableRoute),
  subnets: z.array(z.string()),
});
type RouteTableDoc = z.infer<typeof RouteTableDoc>;

export interface RouteTable {
  row: DocRow;
  doc: RouteTableDoc;
}

function tableOf(row: DocRow): RouteTable {
  return { row, doc: RouteTableDoc.parse(row.doc) };
}

function tablesOfProject(env: Env, projectId: string): RouteTable[] {
  return env.store.documents.all(projectId, "routetable").map(tableOf);
}

/** The VPC's default table, made on first need. */
function ensureDefault(env: Env, vpc: VpcRow, tables: RouteTable[]): void {
  if (tables.some((t) => t.doc.vpc_id === vpc.id && t.doc.default)) return;
  const doc: RouteTableDoc = { name: `rtb-${vpc.name || vpc.id.slice(0, 8)}`, description: "", vpc_id: vpc.id, default: true, routes: [], subnets: [] };
  env.store.documents.insert({ id: env.ids.uuid(), projectId: vpc.project_id, kind: "routetable", doc, now: env.clock.now() });
}

/** Every route table of the project (each VPC's default one included). */
export function routeTables(env: Env, project: ProjectScope): RouteTable[] {
  return env.store.tx(() => {
    const vpcs = env.store.networks.vpcs(project.projectId, {}, {});
    const before = tablesOfProject(env, project.projectId);
    if (vpcs !== "bad-marker") for (const v of vpcs) ensureDefault(env, v, before);
    return tablesOfProject(env, project.projectId);
  });
}

export function requireRouteTable(env: Env, project: ProjectScope, id: string): RouteTable {
  const t = routeTables(env, project).find((x) => x.row.id === id);
  if (!t) throw vpcErrors.resourceNotFound("routetable", id);
  return t;
}

/** The subnets a table holds now: a custom table's associated ones, the default table's the rest. */
export function subnetsOf(env: Env, t: RouteTable, all: RouteTable[]): string[] {
  const inVpc = env.store.networks.subnetsOfVpc(t.doc.vpc_id).map((s) => s.id);
  if (!t.doc.default) return t.doc.subnets.filter((s) => inVpc.includes(s));
  const taken = new Set(all.filter((x) => !x.doc.default && x.doc.vpc_id === t.doc.vpc_id).flatMap((x) => x.doc.subnets));
  return inVpc.filter((s) => !taken.has(s));
}

/** A table's routes as shown: its own, and for a default table the VPC's peering routes. */
export function routesOf(env: Env, t: RouteTable): TableRoute[] {
  if (!t.doc.default) return t.doc.routes;
  const peering = vpcRoutes(env, t.row.project_id)
    .filter((r) => r.doc.vpc_id === t.doc.vpc_id)
    .map((r) => ({ type: "peering", destination: r.doc.destination, nexthop: r.doc.nexthop, description: "" }));
  return [...t.doc.routes, ...peering];
}

export interface RouteInput {
  type: string;
  destination: string;
  nexthop: string;
  description?: string;
}

function checkRoute(env: Env, project: ProjectScope, vpc: VpcRow, r: RouteInput): TableRoute {
  const dest = parseCidr(r.destination);
  if (!dest) throw vpcErrors.invalidParameter(`The destination ${r.destination} is not a valid CIDR.`);
  const own = parseCidr(vpc.cidr);
  if (own && cidrContains(own, dest)) throw vpcErrors.invalidParameter(`The destination ${dest.text} lies inside the VPC's CIDR ${vpc.cidr}.`);
  if (r.type === "peering") {
    let ok = false;
    try {
      const p = requirePeering(env, project, r.nexthop);
      const ends = [p.doc.request_vpc_info, p.doc.accept_vpc_info];
      ok = p.doc.status === "ACTIVE" && ends.some((e) => e.vpc_id === vpc.id && e.tenant_id === project.projectId);
    } catch {
      ok = false;
    }
    if (!ok) throw vpcErrors.invalidParameter(`The nexthop ${r.nexthop} is no ACTIVE peering of VPC ${vpc.id}.`);
  }
  if (r.type === "eni") {
    const port = env.store.ports.port(project.projectId, r.nexthop);
    const subnet = port && env.store.networks.subnet(project.projectId, port.subnet_id);
    if (!subnet || subnet.vpc_id !== vpc.id) throw vpcErrors.invalidParameter(`The nexthop ${r.nexthop} is no port of VPC ${vpc.id}.`);
  }
  return { type: r.type, destination: dest.text, nexthop: r.nexthop, description: r.description ?? "" };
}

function checkRoutes(env: Env, t: { doc: RouteTableDoc; row?: DocRow }, routes: TableRoute[]): void {
  const shown = t.row ? routesOf(env, { row: t.row, doc: { ...t.doc, routes } }) : routes;
  if (new Set(shown.map((r) => r.destination)).size !== shown.length) throw vpcErrors.invalidParameter("Two routes of the table have the same destination.");
  if (shown.length > QUOTAS.routetableContainRoutes) throw vpcErrors.quota("route");
}

export interface RouteTableInput {
  name: string;
  description: string;
  vpcId: string;
  routes: RouteInput[];
}

export function createRouteTable(env: Env, project: ProjectScope, input: RouteTableInput): RouteTable {
  const id = env.ids.uuid();
  env.store.tx(() => {
    const vpc = requireVpc(env, project, input.vpcId);
    const tables = routeTables(env, project).filter((t) => t.doc.vpc_id === vpc.id);
    if (tables.length >= QUOTAS.vpcContainRoutetable) throw vpcErrors.quota("routetable");
    const routes = input.routes.map((r) => checkRoute(env, project, vpc, r));
    const doc: RouteTableDoc = { name: input.name, description: input.description, vpc_id: vpc.id, default: false, routes, subnets: [] };
    checkRoutes(env, { doc }, routes);
    env.store.documents.insert({ id, projectId: project.projectId, kind: "routetable", doc, now: env.clock.now() });
  });
  return requireRouteTable(env, project, id);
}

export interface RouteTableUpdate {
  name?: string;
  description?: string;
  routes?: { add?: RouteInput[]; mod?: RouteInput[]; del?: { destination: string }[] };
}

export function updateRouteTable(env: Env, project: ProjectScope, id: string, patch: RouteTableUpdate): RouteTable {
  env.store.tx(() => {
    const t = requireRouteTable(env, project, id);
    const vpc = requireVpc(env, project, t.doc.vpc_id);
    let routes = t.doc.routes.slice();
    const find = (dest: string) => {
      const i = routes.findIndex((r) => r.destination === (parseCidr(dest)?.text ?? dest));
      if (i < 0) throw vpcErrors.resourceNotFound("route", dest);
      return i;
    };
    for (const d of patch.routes?.del ?? []) routes.splice(find(d.destination), 1);
    for (const m of patch.routes?.mod ?? []) routes[find(m.destination)] = checkRoute(env, project, vpc, m);
    routes = routes.concat((patch.routes?.add ?? []).map((a) => checkRoute(env, project, vpc, a)));
    checkRoutes(env, t, routes);
    const doc: RouteTableDoc = { ...t.doc, name: patch.name ?? t.doc.name, description: patch.description ?? t.doc.description, routes };
    env.store.documents.update(id, doc, env.clock.now());
  });
  return requireRouteTable(env, project, id);
}

/** Moves subnets into the table (associate) or back to their VPC's default table (disassociate). */
export function associateSubnets(env: Env, project: ProjectScope, id: string, change: { associate?: string[]; disassociate?: string[] }): RouteTable {
  env.store.tx(() => {
    const all = routeTables(env, project);
    const t = all.find((x) => x.row.id === id);
    if (!t) throw vpcErrors.resourceNotFound("routetable", id);
    const now = env.clock.now();
    const inVpc = new Set(env.store.networks.subnetsOfVpc(t.doc.vpc_id).map((s) => s.id));
    const holding = subnetsOf(env, t, all);
    for (const s of change.disassociate ?? []) {
      if (t.doc.default) throw vpcErrors.invalidParameter("Subnets cannot be disassociated from the default route table.");
      if (!holding.includes(s)) throw vpcErrors.invalidParameter(`The subnet ${s} is not associated with route table ${id}.`);
    }
    for (const s of change.associate ?? []) if (!inVpc.has(s)) throw vpcErrors.invalidParameter(`The subnet ${s} is not a subnet of VPC ${t.doc.vpc_id}.`);
    for (const other of all) {
      if (other.row.id === id || other.doc.default || other.doc.vpc_id !== t.doc.vpc_id) continue;
      const kept = other.doc.subnets.filter((s) => !(change.associate ?? []).includes(s));
      if (kept.length !== other.doc.subnets.length) env.store.documents.update(other.row.id, { ...other.doc, subnets: kept }, now);
    }
    if (!t.doc.default) {
      const subnets = [...new Set([...t.doc.subnets.filter((s) => !(change.disassociate ?? []).includes(s)), ...(change.associate ?? [])])];
      env.store.documents.update(id, { ...t.doc, subnets }, now);
    }
  });
  return requireRouteTable(env, project, id);
}

export function deleteRouteTable(env: Env, project: ProjectScope, id: string): void {
  env.store.tx(() => {
    const all = routeTables(env, project);
    const t = all.find((x) => x.row.id === id);
    if (!t) throw vpcErrors.resourceNotFound("routetable", id);
    if (t.doc.default) throw vpcErrors.resourceInUse("routetable", id, "The default route table of a VPC cannot be deleted.");
    if (subnetsOf(env, t, all).length > 0) throw vpcErrors.resourceInUse("routetable", id, "Subnets are still associated with it.");
    env.store.documents.delete(id);
  });
}

/** Before a VPC goes: refuses while custom tables remain; drops its default table. */
export function dropRouteTablesOfVpc(env: Env, projectId: string, vpcId: string): void {
  for (const t of tablesOfProject(env, projectId)) {
    if (t.doc.vpc_id !== vpcId) continue;
    if (!t.doc.default) throw vpcErrors.resourceInUse("vpc", vpcId, `Route table ${t.row.id} still belongs to it.`);
    env.store.documents.delete(t.row.id);
  }
}

/**
 * A /v2.0/vpc/routes peering route, which lands in the VPC's default table: refused (409 RouteExists) when
 * that table already has a route of its own to the same destination (a table's destinations are unique).
 */
export function createPeeringRoute(env: Env, project: ProjectScope, input: { destination: string; nexthop: string; vpcId: string }): VpcRoute {
  return env.store.tx(() => {
    const r = createRoute(env, project, input);
    const table = tablesOfProject(env, project.projectId).find((t) => t.doc.default && t.doc.vpc_id === r.doc.vpc_id);
    if (table?.doc.routes.some((x) => x.destination === r.doc.destination)) {
      throw neutronErrors.conflict("RouteExists", `Route table ${table.row.id} of VPC ${r.doc.vpc_id} already has a route to ${r.doc.destination}.`);
    }
    return r;
  });
}

/** Deletes a peering with every route through it: its /v2.0 routes and the routes of both sides' tables. */
export function deletePeeringAndRoutes(env: Env, project: ProjectScope, id: string): void {
  env.store.tx(() => {
    const p = requirePeering(env, project, id);
    deletePeering(env, project, id);
    const now = env.clock.now();
    for (const owner of new Set([p.doc.request_vpc_info.tenant_id, p.doc.accept_vpc_info.tenant_id])) {
      for (const t of tablesOfProject(env, owner)) {
        const routes = t.doc.routes.filter((r) => !(r.type === "peering" && r.nexthop === id));
        if (routes.length !== t.doc.routes.length) env.store.documents.update(t.row.id, { ...t.doc, routes }, now);
      }
    }
  });
}
