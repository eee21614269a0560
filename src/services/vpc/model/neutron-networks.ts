// Neutron networks, subnets and routers over VPC's: a VPC subnet is the network of the same id holding one
// neutron subnet (its neutron_subnet_id); a network made through neutron has no subnet until one is made
// on it, which becomes a VPC subnet of that id in a VPC (router) containing its CIDR — the project's first
// such VPC, or a new one over the private block holding it. A router is a VPC; a subnet made through
// neutron is its router's interface only once added (add_router_interface), which may move it to another
// VPC while no router has it.
import type { Env, ProjectScope } from "../context.ts";
import { cidrContains, cidrOverlaps, parseCidr } from "../ip.ts";
import { neutronErrors } from "../neutron-errors.ts";
import { externalNetworkId } from "../neutron-views.ts";
import type { SubnetRow, VpcRow } from "../store/index.ts";
import type { NeutronNetworkRow } from "../store/neutron.ts";
import { createSubnet, createVpc } from "./networks.ts";

export interface NetworkRef {
  subnet: SubnetRow | undefined;
  overlay: NeutronNetworkRow | undefined;
}

/** A project's network by id: its VPC subnet and/or neutron's row (a row of origin 'vpc' needs its subnet). */
export function findNetwork(env: Env, projectId: string, id: string): NetworkRef | undefined {
  const subnet = env.store.networks.subnet(projectId, id);
  const row = env.store.neutron.network(projectId, id);
  const overlay = row && (subnet || row.origin === "neutron") ? row : undefined;
  if (!subnet && !overlay) return undefined;
  return { subnet, overlay };
}

export function isExternal(project: ProjectScope, id: string): boolean {
  return id === externalNetworkId(project.region);
}

export function requireNetwork(env: Env, project: ProjectScope, id: string): NetworkRef {
  const n = findNetwork(env, project.projectId, id);
  if (!n) throw neutronErrors.networkNotFound(id);
  return n;
}

/** Every network of the project (the external one aside). */
export function listNetworks(env: Env, projectId: string): NetworkRef[] {
  const rows = new Map(env.store.neutron.networks(projectId).map((r) => [r.id, r]));
  const out: NetworkRef[] = [];
  const subnets = env.store.networks.subnets(projectId, {}, {});
  for (const s of subnets === "bad-marker" ? [] : subnets) {
    out.push({ subnet: s, overlay: rows.get(s.id) });
    rows.delete(s.id);
  }
  for (const r of rows.values()) if (r.origin === "neutron") out.push({ subnet: undefined, overlay: r });
  return out;
}

export function createNetwork(env: Env, project: ProjectScope, input: { name: string; adminStateUp: boolean }): NetworkRef {
  const id = env.ids.uuid();
  const now = env.clock.now();
  env.store.neutron.insertNetwork({ id, project_id: project.projectId, origin: "neutron", name: input.name, admin_state_up: input.adminStateUp, created_at: now });
  return requireNetwork(env, project, id);
}

export function updateNetwork(env: Env, project: ProjectScope, id: string, patch: { name?: string; adminStateUp?: boolean }): NetworkRef {
  const n = requireNetwork(env, project, id);
  const { neutron } = env.store;
  const now = env.clock.now();
  env.store.tx(() => {
    if (!n.overlay) {
      // The VPC subnet's network gets neutron's row now; a stale one (its subnet deleted and remade) goes.
      neutron.deleteNetwork(id);
      neutron.insertNetwork({ id, project_id: project.projectId, origin: "vpc", name: n.subnet!.name, admin_state_up: true, created_at: n.subnet!.created_at });
    }
    neutron.updateNetwork(id, patch, now);
  });
  return requireNetwork(env, project, id);
}

/** Deletes the network and its VPC subnet; refused while ports use it. */
export function deleteNetwork(env: Env, project: ProjectScope, id: string): void {
  const n = requireNetwork(env, project, id);
  const { store } = env;
  store.tx(() => {
    if (n.subnet) {
      if (store.networks.portsInSubnet(id) > 0) throw neutronErrors.networkInUse(id);
      store.networks.deleteSubnet(id);
    }
    store.neutron.deleteNetwork(id);
  });
}

export function requireNeutronSubnet(env: Env, projectId: string, id: string): SubnetRow {
  const s = env.store.networks.subnetByAnyId(projectId, id);
  if (!s || s.neutron_subnet_id !== id) throw neutronErrors.subnetNotFound(id);
  return s;
}

/** The private block (10/8, 172.16/12, 192.168/16) that holds a CIDR: a new router's CIDR. */
const BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

function vpcFor(env: Env, project: ProjectScope, cidrText: string, networkName: string): VpcRow {
  const cidr = parseCidr(cidrText);
  if (!cidr) throw neutronErrors.badRequest(`Invalid input for cidr. Reason: '${cidrText}' is not a valid IP subnet.`);
  const vpcs = env.store.networks.vpcs(project.projectId, {}, {});
  for (const v of vpcs === "bad-marker" ? [] : vpcs) {
    if (!cidrContains(parseCidr(v.cidr)!, cidr)) continue;
    if (env.store.networks.subnetsOfVpc(v.id).some((s) => cidrOverlaps(parseCidr(s.cidr)!, cidr))) continue;
    return v;
  }
  const block = BLOCKS.find((b) => cidrContains(parseCidr(b)!, cidr));
  if (!block) throw neutronErrors.badRequest(`The cidr ${cidrText} is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.`);
  return createVpc(env, project, { name: networkName || "neutron-router", description: "", cidr: block, enterpriseProjectId: undefined, tags: [] });
}

export interface NeutronSubnetInput {
  networkId: string;
  name: string | undefined;
  description: string;
  cidr: string;
  gatewayIp: string | undefined;
  enableDhcp: boolean;
  dnsNameservers: string[] | undefined;
}

export function createNeutronSubnet(env: Env, project: ProjectScope, input: NeutronSubnetInput): SubnetRow {
  if (isExternal(project, input.networkId)) throw neutronErrors.forbidden("Subnets of the external network are not yours to create.");
  const n = requireNetwork(env, project, input.networkId);
  if (n.subnet) {
    throw neutronErrors.conflict("SubnetAlreadyExists", `Network ${input.networkId} already holds its subnet ${n.subnet.neutron_subnet_id}: a VPC subnet is one network with one subnet.`);
  }
  const cidr = parseCidr(input.cidr);
  if (!cidr) throw neutronErrors.badRequest(`Invalid input for cidr. Reason: '${input.cidr}' is not a valid IP subnet.`);
  const networkName = n.overlay!.name;
  const gateway = input.gatewayIp ?? firstHost(input.cidr);
  const dns = input.dnsNameservers ?? [];
  // One transaction: a router made for the subnet goes again if the subnet is refused.
  return env.store.tx(() => {
    const vpc = vpcFor(env, project, input.cidr, networkName);
    const s = createSubnet(env, project, {
      id: input.networkId,
      name: input.name || networkName || "subnet",
      description: input.description,
      cidr: cidr.text,
      gatewayIp: gateway,
      vpcId: vpc.id,
      ipv6Enable: false,
      dhcpEnable: input.enableDhcp,
      primaryDns: dns[0],
      secondaryDns: dns[1],
      dnsList: dns,
      availabilityZone: undefined,
      extraDhcpOpts: [],
      tags: [],
    });
    env.store.neutron.updateNetwork(s.id, { origin: "vpc" }, env.clock.now());
    env.store.neutron.setInterface({ subnet_id: s.id, attached: false, port_id: env.ids.uuid() });
    return s;
  });
}

function firstHost(cidrText: string): string {
  const c = parseCidr(cidrText);
  if (!c) throw neutronErrors.badRequest(`Invalid input for cidr. Reason: '${cidrText}' is not a valid IP subnet.`);
  const n = c.network + 1;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Deletes the subnet (the VPC subnet); its network stays, as neutron's does, with no subnet. */
export function deleteNeutronSubnet(env: Env, project: ProjectScope, id: string): void {
  const s = requireNeutronSubnet(env, project.projectId, id);
  const { store } = env;
  store.tx(() => {
    if (store.networks.portsInSubnet(s.id) > 0) throw neutronErrors.subnetInUse(id);
    const row = store.neutron.network(project.projectId, s.id);
    store.networks.deleteSubnet(s.id);
    const now = env.clock.now();
    if (row) store.neutron.updateNetwork(s.id, { origin: "neutron" }, now);
    else store.neutron.insertNetwork({ id: s.id, project_id: project.projectId, origin: "neutron", name: s.name, admin_state_up: true, created_at: s.created_at });
  });
}

export interface InterfaceAnswer {
  id: string;
  subnet_id: string;
  port_id: string;
  tenant_id: string;
  project_id: string;
}

function interfaceOf(env: Env, s: SubnetRow): { attached: boolean; portId: string } {
  const row = env.store.neutron.interface(s.id);
  if (row) return { attached: row.attached, portId: row.port_id };
  // A VPC subnet is its VPC's interface from birth; its interface port gets an id the first time it is asked.
  const portId = env.ids.uuid();
  env.store.neutron.setInterface({ subnet_id: s.id, attached: true, port_id: portId });
  return { attached: true, portId };
}

/** The subnet an add/remove_router_interface body names, by subnet_id or by one of its ports. */
export function interfaceSubnet(env: Env, projectId: string, body: { subnet_id?: string; port_id?: string }): SubnetRow {
  if (body.subnet_id !== undefined) return requireNeutronSubnet(env, projectId, body.subnet_id);
  if (body.port_id !== undefined) {
    const p = env.store.ports.port(projectId, body.port_id);
    if (!p) throw neutronErrors.portNotFound(body.port_id);
    return env.store.networks.subnet(projectId, p.subnet_id)!;
  }
  throw neutronErrors.badRequest("Bad router request: Either subnet_id or port_id must be specified.");
}

export function addRouterInterface(env: Env, project: ProjectScope, router: VpcRow, s: SubnetRow): InterfaceAnswer {
  const { store } = env;
  return store.tx(() => {
    const current = interfaceOf(env, s);
    if (s.vpc_id === router.id && current.attached) {
      throw neutronErrors.badRequest(`Bad router request: Router already has a port on subnet ${s.neutron_subnet_id}.`);
    }
    if (s.vpc_id !== router.id) {
      if (current.attached) {
        throw neutronErrors.conflict("RouterInterfaceInUse", `Subnet ${s.neutron_subnet_id} is an interface of router ${s.vpc_id}.`);
      }
      const cidr = parseCidr(s.cidr)!;
      if (!cidrContains(parseCidr(router.cidr)!, cidr)) {
        throw neutronErrors.badRequest(`Bad router request: the subnet ${s.cidr} is not inside the router's (VPC's) CIDR ${router.cidr}.`);
      }
      if (store.networks.subnetsOfVpc(router.id).some((o) => cidrOverlaps(parseCidr(o.cidr)!, cidr))) {
        throw neutronErrors.badRequest(`Bad router request: Cidr ${s.cidr} of subnet ${s.neutron_subnet_id} overlaps with another subnet of the router.`);
      }
      store.neutron.moveSubnet(s.id, router.id, env.clock.now());
    }
    store.neutron.setInterface({ subnet_id: s.id, attached: true, port_id: current.portId });
    return { id: router.id, subnet_id: s.neutron_subnet_id, port_id: current.portId, tenant_id: project.projectId, project_id: project.projectId };
  });
}

export function removeRouterInterface(env: Env, project: ProjectScope, router: VpcRow, s: SubnetRow): InterfaceAnswer {
  return env.store.tx(() => {
    const current = interfaceOf(env, s);
    if (s.vpc_id !== router.id || !current.attached) {
      throw neutronErrors.notFound("RouterInterface", `for subnet ${s.neutron_subnet_id} on router ${router.id}`);
    }
    env.store.neutron.setInterface({ subnet_id: s.id, attached: false, port_id: current.portId });
    return { id: router.id, subnet_id: s.neutron_subnet_id, port_id: current.portId, tenant_id: project.projectId, project_id: project.projectId };
  });
}
