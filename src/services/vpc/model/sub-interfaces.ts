// Sub-network interfaces (v3): a VLAN sub-interface of a parent port, with its own address in a subnet of
// the parent's VPC. Each is a real port (so its address is allocated and freed like any other), owned by
// "neutron:subport" with the parent port as its device, so VPC's port API refuses to delete it and a
// server's NIC list never shows it; the document beside it (same id) holds the VLAN and the parent. VLAN
// ids are 1-4094, unique under a parent, the lowest free one when none is asked.
import { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import type { AddressPair, PortRow } from "../store/index.ts";
import { createPort, portFailureError, requirePort, updatePort } from "./ports.ts";
import { ensureDefaultGroup } from "./security.ts";
import { docsOf, type Doc } from "./documents.ts";

export const SUBPORT_OWNER = "neutron:subport";
const MAX_VLAN = 4094;

const SubDoc = z.object({ parent_id: z.string(), vlan_id: z.number(), description: z.string() });
type SubDoc = z.infer<typeof SubDoc>;

export interface SubInterface {
  doc: Doc<SubDoc>;
  port: PortRow;
}

export function subInterfaces(env: Env, project: ProjectScope): SubInterface[] {
  const out: SubInterface[] = [];
  for (const d of docsOf(env, project, "subni", SubDoc)) {
    const port = env.store.ports.port(project.projectId, d.row.id);
    if (port) out.push({ doc: d, port });
  }
  return out;
}

export function requireSubInterface(env: Env, project: ProjectScope, id: string): SubInterface {
  const s = subInterfaces(env, project).find((x) => x.doc.row.id === id);
  if (!s) throw vpcErrors.resourceNotFound("sub network interface", id);
  return s;
}

/** Whether a port is the parent of sub-interfaces (it cannot be deleted then). */
export function hasSubInterfaces(env: Env, projectId: string, portId: string): boolean {
  return subInterfaces(env, { projectId, region: "" }).some((s) => s.doc.doc.parent_id === portId);
}

function requireParent(env: Env, project: ProjectScope, parentId: string): { parent: PortRow; vpcId: string } {
  const parent = requirePort(env, project.projectId, parentId);
  if (parent.device_owner === SUBPORT_OWNER) throw vpcErrors.invalidParameter(`The port ${parentId} is itself a sub network interface.`);
  const subnet = env.store.networks.subnet(project.projectId, parent.subnet_id)!;
  return { parent, vpcId: subnet.vpc_id };
}

function freeVlan(used: Set<number>, requested: number | undefined): number {
  if (requested !== undefined) {
    if (requested < 1 || requested > MAX_VLAN) throw vpcErrors.invalidParameter(`vlan_id ${requested} is not within 1-${MAX_VLAN}.`);
    if (used.has(requested)) throw vpcErrors.resourceInUse("vlan", String(requested), "The parent port already has a sub network interface on it.");
    return requested;
  }
  for (let v = 1; v <= MAX_VLAN; v++) if (!used.has(v)) return v;
  throw vpcErrors.quota("sub_network_interface");
}

function vlansOf(env: Env, project: ProjectScope, parentId: string): Set<number> {
  return new Set(subInterfaces(env, project).filter((s) => s.doc.doc.parent_id === parentId).map((s) => s.doc.doc.vlan_id));
}

export interface SubInterfaceInput {
  subnetId: string;
  parentId: string;
  vlanId?: number;
  ipAddress?: string;
  securityGroups?: string[];
  description: string;
  allowedAddressPairs?: AddressPair[];
}

export function createSubInterface(env: Env, project: ProjectScope, input: SubInterfaceInput): SubInterface {
  return env.store.tx(() => {
    const { parent, vpcId } = requireParent(env, project, input.parentId);
    const subnet = env.store.networks.subnet(project.projectId, input.subnetId);
    if (!subnet) throw vpcErrors.subnetNotFound(input.subnetId);
    if (subnet.vpc_id !== vpcId) throw vpcErrors.invalidParameter(`The subnet ${subnet.id} is not in the VPC of parent port ${parent.id}.`);
    const vlan = freeVlan(vlansOf(env, project, parent.id), input.vlanId);
    const groups = input.securityGroups?.length ? input.securityGroups : [ensureDefaultGroup(env, project.projectId).id];
    const req = {
      subnetId: subnet.id,
      ipAddress: input.ipAddress,
      securityGroupIds: groups,
      deviceId: parent.id,
      deviceOwner: SUBPORT_OWNER,
      name: "",
      kind: "port" as const,
      allowedAddressPairs: input.allowedAddressPairs,
    };
    const r = createPort(env, project.projectId, req);
    if (!r.ok) throw portFailureError(r, req, subnet);
    const doc: SubDoc = { parent_id: parent.id, vlan_id: vlan, description: input.description };
    env.store.documents.insert({ id: r.port.id, projectId: project.projectId, kind: "subni", doc, now: env.clock.now() });
    return requireSubInterface(env, project, r.port.id);
  });
}

export function updateSubInterface(
  env: Env,
  project: ProjectScope,
  id: string,
  patch: { description?: string; securityGroups?: string[]; allowedAddressPairs?: AddressPair[] },
): SubInterface {
  return env.store.tx(() => {
    const s = requireSubInterface(env, project, id);
    updatePort(env, project.projectId, id, { securityGroups: patch.securityGroups, allowedAddressPairs: patch.allowedAddressPairs });
    if (patch.description !== undefined) env.store.documents.update(id, { ...s.doc.doc, description: patch.description }, env.clock.now());
    return requireSubInterface(env, project, id);
  });
}

export function deleteSubInterface(env: Env, project: ProjectScope, id: string): void {
  env.store.tx(() => {
    requireSubInterface(env, project, id);
    env.store.ports.deletePort(id);
    env.store.documents.delete(id);
  });
}

/** Moves sub-interfaces under another parent port of the same VPC, keeping their VLAN ids. */
export function migrateSubInterfaces(env: Env, project: ProjectScope, parentId: string, ids: string[]): SubInterface[] {
  return env.store.tx(() => {
    const { parent, vpcId } = requireParent(env, project, parentId);
    const used = vlansOf(env, project, parent.id);
    return ids.map((id) => {
      const s = requireSubInterface(env, project, id);
      const subnet = env.store.networks.subnet(project.projectId, s.port.subnet_id)!;
      if (subnet.vpc_id !== vpcId) throw vpcErrors.invalidParameter(`The sub network interface ${id} is not in the VPC of port ${parent.id}.`);
      if (s.doc.doc.parent_id === parent.id) return s;
      if (used.has(s.doc.doc.vlan_id)) throw vpcErrors.resourceInUse("vlan", String(s.doc.doc.vlan_id), `Port ${parent.id} already uses it.`);
      used.add(s.doc.doc.vlan_id);
      env.store.documents.update(id, { ...s.doc.doc, parent_id: parent.id }, env.clock.now());
      env.store.ports.updatePort(id, { deviceId: parent.id }, env.clock.now());
      return requireSubInterface(env, project, id);
    });
  });
}
