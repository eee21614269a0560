// VPC peerings and their routes (/v2.0/vpc/peerings, /v2.0/vpc/routes), kept as documents. A peering
// between two VPCs of one project is ACTIVE at once; one to another project's VPC (of this domain or
// another) waits in PENDING_ACCEPTANCE for that project to accept or reject it, and EXPIREs after 7 days
// unanswered (derived from created_at at read time). Both projects see it; either may delete it, which
// removes its routes. A route sends a destination CIDR of one of the peering's VPCs to the peering.
import { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { cidrContains, parseCidr } from "../ip.ts";
import { neutronErrors } from "../neutron-errors.ts";
import { QUOTAS } from "../quotas.ts";
import type { DocRow } from "../store/index.ts";

const EXPIRY_MS = 7 * 24 * 3600 * 1000;

const VpcInfo = z.object({ vpc_id: z.string(), tenant_id: z.string() });
export const PeeringDoc = z.object({
  name: z.string(),
  description: z.string(),
  status: z.enum(["PENDING_ACCEPTANCE", "REJECTED", "EXPIRED", "DELETED", "ACTIVE"]),
  request_vpc_info: VpcInfo,
  accept_vpc_info: VpcInfo,
});
export type PeeringDoc = z.infer<typeof PeeringDoc>;

export const RouteDoc = z.object({ type: z.literal("peering"), destination: z.string(), nexthop: z.string(), vpc_id: z.string() });
export type RouteDoc = z.infer<typeof RouteDoc>;

export interface Peering {
  row: DocRow;
  doc: PeeringDoc;
}

/** The peering's status now: a pending request past its 7 days has expired. */
function statusAt(p: PeeringDoc, createdAt: number, now: number): PeeringDoc["status"] {
  return p.status === "PENDING_ACCEPTANCE" && now - createdAt >= EXPIRY_MS ? "EXPIRED" : p.status;
}

function peeringOf(env: Env, row: DocRow): Peering {
  const doc = PeeringDoc.parse(row.doc);
  return { row, doc: { ...doc, status: statusAt(doc, row.created_at, env.clock.now()) } };
}

export function requirePeering(env: Env, project: ProjectScope, id: string): Peering {
  const row = env.store.documents.get(project.projectId, "peering", id, true);
  if (!row) throw neutronErrors.notFound("Peering", id);
  return peeringOf(env, row);
}

export function peerings(env: Env, project: ProjectScope): Peering[] {
  return env.store.documents.all(project.projectId, "peering", true).map((r) => peeringOf(env, r));
}

export interface PeeringInput {
  name: string;
  description: string;
  request: { vpc_id: string; tenant_id?: string };
  accept: { vpc_id: string; tenant_id?: string };
}

export function createPeering(env: Env, project: ProjectScope, input: PeeringInput): Peering {
  const { store } = env;
  const me = project.projectId;
  if (input.request.tenant_id !== undefined && input.request.tenant_id !== me) {
    throw neutronErrors.badRequest(`request_vpc_info.tenant_id ${input.request.tenant_id} must be the project of the request.`);
  }
  const peer = input.accept.tenant_id ?? me;
  if (input.request.vpc_id === input.accept.vpc_id) throw neutronErrors.badRequest("A VPC cannot be peered with itself.");
  const id = env.ids.uuid();
  store.tx(() => {
    if (!store.networks.vpc(me, input.request.vpc_id)) throw neutronErrors.routerNotFound(input.request.vpc_id);
    // The peer VPC is looked up in the project the caller names: a VPC of another project is found only
    // there, never by id alone.
    if (!store.networks.vpc(peer, input.accept.vpc_id)) throw neutronErrors.routerNotFound(input.accept.vpc_id);
    if (store.documents.count(me, "peering") >= QUOTAS.vpcPeer) throw neutronErrors.conflict("OverQuota", "Quota exceeded for resources: ['peering'].");
    const live = peerings(env, project).filter((p) => p.doc.status === "ACTIVE" || p.doc.status === "PENDING_ACCEPTANCE");
    const pair = [input.request.vpc_id, input.accept.vpc_id].sort().join();
    if (live.some((p) => [p.doc.request_vpc_info.vpc_id, p.doc.accept_vpc_info.vpc_id].sort().join() === pair)) {
      throw neutronErrors.conflict("PeeringExists", "A VPC peering connection between these VPCs already exists.");
    }
    const doc: PeeringDoc = {
      name: input.name,
      description: input.description,
      status: peer === me ? "ACTIVE" : "PENDING_ACCEPTANCE",
      request_vpc_info: { vpc_id: input.request.vpc_id, tenant_id: me },
      accept_vpc_info: { vpc_id: input.accept.vpc_id, tenant_id: peer },
    };
    store.documents.insert({ id, projectId: me, kind: "peering", peerProjectId: peer === me ? undefined : peer, doc, now: env.clock.now() });
  });
  return requirePeering(env, project, id);
}

function save(env: Env, p: Peering, doc: PeeringDoc): Peering {
  env.store.documents.update(p.row.id, doc, env.clock.now());
  return { row: { ...p.row, doc, updated_at: env.clock.now() }, doc };
}

/** Accept or reject: only the accepting project, only while the request is pending. */
export function answerPeering(env: Env, project: ProjectScope, id: string, answer: "ACTIVE" | "REJECTED"): Peering {
  return env.store.tx(() => {
    const p = requirePeering(env, project, id);
    if (p.doc.accept_vpc_info.tenant_id !== project.projectId || p.row.project_id === project.projectId) {
      throw neutronErrors.forbidden(`Only the accepting project may ${answer === "ACTIVE" ? "accept" : "reject"} peering ${id}.`);
    }
    if (p.doc.status !== "PENDING_ACCEPTANCE") {
      throw neutronErrors.conflict("PeeringStatusConflict", `Peering ${id} is ${p.doc.status}, not PENDING_ACCEPTANCE.`);
    }
    return save(env, p, { ...p.doc, status: answer });
  });
}

export function updatePeering(env: Env, project: ProjectScope, id: string, patch: { name?: string; description?: string }): Peering {
  return env.store.tx(() => {
    const p = requirePeering(env, project, id);
    return save(env, p, { ...p.doc, ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.description !== undefined ? { description: patch.description } : {}) });
  });
}

export function deletePeering(env: Env, project: ProjectScope, id: string): void {
  env.store.tx(() => {
    const p = requirePeering(env, project, id);
    for (const owner of new Set([p.doc.request_vpc_info.tenant_id, p.doc.accept_vpc_info.tenant_id])) {
      for (const r of env.store.documents.all(owner, "route")) if (RouteDoc.parse(r.doc).nexthop === id) env.store.documents.delete(r.id);
    }
    env.store.documents.delete(id);
  });
}

/** Whether a VPC takes part in a peering that is not over (a VPC in one cannot be deleted). */
export function vpcIsPeered(env: Env, projectId: string, vpcId: string): boolean {
  return peerings(env, { projectId, region: "" }).some(
    (p) =>
      (p.doc.status === "ACTIVE" || p.doc.status === "PENDING_ACCEPTANCE") &&
      ((p.doc.request_vpc_info.tenant_id === projectId && p.doc.request_vpc_info.vpc_id === vpcId) ||
        (p.doc.accept_vpc_info.tenant_id === projectId && p.doc.accept_vpc_info.vpc_id === vpcId)),
  );
}

// ------------------------------------------------------------------------------------------------ routes

export interface VpcRoute {
  row: DocRow;
  doc: RouteDoc;
}

export function vpcRoutes(env: Env, projectId: string): VpcRoute[] {
  return env.store.documents.all(projectId, "route").map((row) => ({ row, doc: RouteDoc.parse(row.doc) }));
}

export function requireRoute(env: Env, project: ProjectScope, id: string): VpcRoute {
  const row = env.store.documents.get(project.projectId, "route", id);
  if (!row) throw neutronErrors.notFound("Route", id);
  return { row, doc: RouteDoc.parse(row.doc) };
}

export function createRoute(env: Env, project: ProjectScope, input: { destination: string; nexthop: string; vpcId: string }): VpcRoute {
  const dest = parseCidr(input.destination);
  if (!dest) throw neutronErrors.badRequest(`Invalid input for destination: ${input.destination} is not a valid CIDR.`);
  const id = env.ids.uuid();
  env.store.tx(() => {
    const vpc = env.store.networks.vpc(project.projectId, input.vpcId);
    if (!vpc) throw neutronErrors.routerNotFound(input.vpcId);
    const p = requirePeering(env, project, input.nexthop);
    const ends = [p.doc.request_vpc_info, p.doc.accept_vpc_info];
    if (!ends.some((e) => e.vpc_id === vpc.id && e.tenant_id === project.projectId)) {
      throw neutronErrors.badRequest(`Peering ${p.row.id} does not connect VPC ${vpc.id}.`);
    }
    if (p.doc.status !== "ACTIVE") throw neutronErrors.conflict("PeeringNotActive", `Peering ${p.row.id} is ${p.doc.status}, not ACTIVE.`);
    const own = parseCidr(vpc.cidr);
    if (own && cidrContains(own, dest)) throw neutronErrors.badRequest(`The destination ${dest.text} lies inside the VPC's own CIDR ${vpc.cidr}.`);
    const routes = vpcRoutes(env, project.projectId).filter((r) => r.doc.vpc_id === vpc.id);
    if (routes.some((r) => r.doc.destination === dest.text)) {
      throw neutronErrors.conflict("RouteExists", `VPC ${vpc.id} already has a route to ${dest.text}.`);
    }
    if (routes.length >= QUOTAS.routetableContainRoutes) throw neutronErrors.conflict("OverQuota", "Quota exceeded for resources: ['route'].");
    const doc: RouteDoc = { type: "peering", destination: dest.text, nexthop: p.row.id, vpc_id: vpc.id };
    env.store.documents.insert({ id, projectId: project.projectId, kind: "route", doc, now: env.clock.now() });
  });
  return requireRoute(env, project, id);
}
