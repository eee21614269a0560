// Ports and private IPs: the address logic. Every address handed out is inside its subnet, never the
// network address, the gateway or the last three addresses, unique in the subnet, the lowest free one
// unless a free fixed one was asked for, and free again once its port is deleted. Failures are typed so
// that ECS (through VpcApi) can map them to its own codes; the HTTP operations map them to VPC's.
import type { ApiError } from "../../../kernel/api-error.ts";
import type { Env } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { allocatableRange, cidrHas, formatIpv4, parseCidr, parseIpv4 } from "../ip.ts";
import type { AddressPair, DhcpOption, PortRow, SubnetRow } from "../store/index.ts";
import { hasSubInterfaces } from "./sub-interfaces.ts";

export type PortFailureReason =
  | "subnet-not-found"
  | "security-group-not-found"
  | "invalid-ip"
  | "ip-not-in-subnet"
  | "ip-reserved"
  | "ip-in-use"
  | "subnet-exhausted";

export interface PortFailure {
  ok: false;
  reason: PortFailureReason;
  message: string;
}

export type PortResult = { ok: true; port: PortRow } | PortFailure;

export interface PortRequest {
  /** The subnet's id (its network id) or its neutron_subnet_id. */
  subnetId: string;
  ipAddress?: string;
  securityGroupIds: string[];
  deviceId: string;
  deviceOwner: string;
  name: string;
  kind: "port" | "privateip";
  adminStateUp?: boolean;
  allowedAddressPairs?: AddressPair[];
  extraDhcpOpts?: DhcpOption[];
}

const fail = (reason: PortFailureReason, message: string): PortFailure => ({ ok: false, reason, message });

function newMac(env: Env): string {
  for (;;) {
    const hex = env.ids.hex32();
    const mac = `fa:16:3e:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
    if (!env.store.ports.macInUse(mac)) return mac;
  }
}

/** Picks the address: the requested one if it is a free host address of the subnet, else the lowest free. */
function chooseIp(env: Env, subnet: SubnetRow, requested: string | undefined): { ip: number; lowest: boolean } | PortFailure {
  const cidr = parseCidr(subnet.cidr)!;
  const { lo, hi } = allocatableRange(cidr);
  if (requested !== undefined) {
    const ip = parseIpv4(requested);
    if (ip === undefined) return fail("invalid-ip", `${requested} is not an IPv4 address.`);
    if (!cidrHas(cidr, ip)) return fail("ip-not-in-subnet", `${requested} is not in the subnet ${subnet.cidr}.`);
    if (env.store.ports.ipTaken(subnet.id, ip)) return fail("ip-in-use", `${requested} is already used in the subnet ${subnet.id}.`);
    if (ip < lo || ip > hi) return fail("ip-reserved", `${requested} is reserved in the subnet ${subnet.cidr}.`);
    return { ip, lowest: false };
  }
  const ip = env.store.ports.lowestFree(subnet.id, lo, hi);
  if (ip === undefined) return fail("subnet-exhausted", `The subnet ${subnet.id} has no free IP address left.`);
  return { ip, lowest: true };
}

/** Creates a port (or private IP) in the caller's project; runs in one transaction. */
export function createPort(env: Env, projectId: string, req: PortRequest): PortResult {
  const { store } = env;
  return store.tx((): PortResult => {
    const subnet = store.networks.subnetByAnyId(projectId, req.subnetId);
    if (!subnet) return fail("subnet-not-found", `The subnet ${req.subnetId} does not exist.`);
    for (const g of req.securityGroupIds) {
      if (!store.security.group(projectId, g)) return fail("security-group-not-found", `The security group ${g} does not exist.`);
    }
    const chosen = chooseIp(env, subnet, req.ipAddress);
    if ("ok" in chosen) return chosen;
    const { ip } = chosen;
    if (chosen.lowest) store.ports.raiseHint(subnet.id, ip);
    const id = env.ids.uuid();
    store.ports.insertPort({
      id,
      projectId,
      subnetId: subnet.id,
      name: req.name,
      ip,
      ipAddress: formatIpv4(ip),
      macAddress: newMac(env),
      deviceId: req.deviceId,
      deviceOwner: req.deviceOwner,
      adminStateUp: req.adminStateUp ?? true,
      kind: req.kind,
      securityGroups: [...new Set(req.securityGroupIds)],
      allowedAddressPairs: req.allowedAddressPairs ?? [],
      extraDhcpOpts: req.extraDhcpOpts ?? [],
      now: env.clock.now(),
    });
    return { ok: true, port: store.ports.port(projectId, id)! };
  });
}

/** VPC's HTTP answer for a failed port or private IP creation. */
export function portFailureError(f: PortFailure, req: PortRequest, subnet: SubnetRow | undefined): ApiError {
  const ip = req.ipAddress ?? "";
  switch (f.reason) {
    case "subnet-not-found":
      return vpcErrors.subnetNotFound(req.subnetId);
    case "security-group-not-found":
      return vpcErrors.securityGroupNotFound("");
    case "invalid-ip":
      return vpcErrors.invalidParameter(f.message);
    case "ip-not-in-subnet":
      return vpcErrors.ipNotInSubnet(ip);
    case "ip-reserved":
      return vpcErrors.ipReserved(ip);
    case "ip-in-use":
      return vpcErrors.ipInUse(ip, subnet?.neutron_subnet_id ?? req.subnetId);
    case "subnet-exhausted":
      return vpcErrors.ipExhausted(subnet?.id ?? req.subnetId);
  }
}

export function requirePort(env: Env, projectId: string, id: string): PortRow {
  const p = env.store.ports.port(projectId, id);
  if (!p) throw vpcErrors.portNotFound(id);
  return p;
}

/** Deletion through the VPC API: refused while a device (a server) uses the port. */
export function deletePortByUser(env: Env, projectId: string, port: PortRow): void {
  if (port.device_id !== "") throw vpcErrors.portInUse(port.id, port.device_id);
  if (hasSubInterfaces(env, projectId, port.id)) throw vpcErrors.portInUse(port.id, "its sub network interfaces");
  env.store.ports.deletePort(port.id);
}

export interface PortUpdate {
  name?: string;
  securityGroups?: string[];
  allowedAddressPairs?: AddressPair[];
  extraDhcpOpts?: DhcpOption[];
}

export function updatePort(env: Env, projectId: string, id: string, patch: PortUpdate): PortRow {
  requirePort(env, projectId, id);
  for (const g of patch.securityGroups ?? []) {
    if (!env.store.security.group(projectId, g)) throw vpcErrors.securityGroupNotFound(g);
  }
  for (const pair of patch.allowedAddressPairs ?? []) {
    if (parseIpv4(pair.ip_address) === undefined && !parseCidr(pair.ip_address, false)) {
      throw vpcErrors.invalidParameter(`allowed_address_pairs.ip_address ${pair.ip_address} is not an IPv4 address or CIDR.`);
    }
  }
  const securityGroups = patch.securityGroups === undefined ? undefined : [...new Set(patch.securityGroups)];
  env.store.tx(() => env.store.ports.updatePort(id, { ...patch, securityGroups }, env.clock.now()));
  return requirePort(env, projectId, id);
}
