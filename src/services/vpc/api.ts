// What VPC offers other services (ECS first) through rt.api("vpc"): lookups, ports with real addresses,
// and EIPs. Everything is synchronous SQLite and scoped by project: another project's id is "not found".
// Calls may be made inside the caller's own transaction (they then nest as savepoints). Failures that a
// caller maps to its own error codes are typed ({ ok: false, reason }), never thrown ApiErrors.
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import type { Env } from "./context.ts";
import { createPort, type PortFailureReason } from "./model/ports.ts";
import {
  allocatePublicIp,
  bindPublicIp,
  releasePublicIp,
  unbindPublicIp,
  type PublicIpFailureReason,
} from "./model/publicips.ts";
import { ensureDefaultGroup } from "./model/security.ts";
import type { PortRow, PublicIpRow, SubnetRow, VpcRow, VpcStore } from "./store/index.ts";
import { portStatus } from "./views.ts";

export interface VpcInfo {
  id: string;
  name: string;
  cidr: string;
}

export interface SubnetInfo {
  /** The subnet's id, which is also its network id (what ECS nics call subnet_id). */
  id: string;
  neutronSubnetId: string;
  vpcId: string;
  name: string;
  cidr: string;
  gatewayIp: string;
  /** "" when the subnet names none. */
  availabilityZone: string;
}

export interface SecurityGroupInfo {
  id: string;
  name: string;
  isDefault: boolean;
}

export interface PortInfo {
  id: string;
  subnetId: string;
  neutronSubnetId: string;
  vpcId: string;
  ipAddress: string;
  /** "fa:16:3e:xx:xx:xx" */
  macAddress: string;
  securityGroupIds: string[];
  deviceId: string;
  deviceOwner: string;
  status: "ACTIVE" | "DOWN";
}

/** A server's port as its detail shows it (ECS ShowServer, ListServersDetails). */
export interface DevicePortInfo {
  id: string;
  deviceId: string;
  /** The subnet's id (network id). */
  subnetId: string;
  ipAddress: string;
  macAddress: string;
  /** The address of the EIP bound to the port, if any. */
  publicIpAddress: string | undefined;
}

export interface PublicIpInfo {
  id: string;
  publicIpAddress: string;
  type: string;
  /** DOWN unbound, ACTIVE bound. */
  status: "DOWN" | "ACTIVE";
  portId: string | null;
  privateIpAddress: string | null;
  bandwidth: { id: string; name: string; size: number; shareType: "PER" | "WHOLE"; chargeMode: string };
}

export type Failure<R extends string> = { ok: false; reason: R; message: string };

export interface CreatePortOptions {
  /** The subnet's id (network id) or its neutron_subnet_id. */
  subnetId: string;
  /** A fixed address; the lowest free one when absent. */
  ipAddress?: string;
  /** Absent or empty: the project's default security group. */
  securityGroupIds?: string[];
  deviceId: string;
  /** e.g. "compute:cn-north-4a" */
  deviceOwner: string;
  name?: string;
}

export interface AllocatePublicIpOptions {
  /** "5_bgp", "5_sbgp", … */
  type: string;
  alias?: string;
  bandwidth: { size?: number; shareType: "PER" | "WHOLE"; chargeMode?: "bandwidth" | "traffic"; name?: string; id?: string };
}

export interface VpcApi {
  vpc(projectId: string, vpcId: string): VpcInfo | undefined;
  subnet(projectId: string, subnetId: string): SubnetInfo | undefined;
  securityGroup(projectId: string, id: string): SecurityGroupInfo | undefined;
  /** The project's "default" security group, created on first need. */
  defaultSecurityGroup(projectId: string): SecurityGroupInfo;
  createPort(projectId: string, opts: CreatePortOptions): { ok: true; port: PortInfo } | Failure<PortFailureReason>;
  port(projectId: string, portId: string): PortInfo | undefined;
  /** Deletes a port whatever uses it (its EIP is unbound); false when there was none. */
  deletePort(projectId: string, portId: string): boolean;
  portsOfDevice(projectId: string, deviceId: string): PortInfo[];
  allocatePublicIp(projectId: string, opts: AllocatePublicIpOptions): { ok: true; publicIp: PublicIpInfo } | Failure<PublicIpFailureReason>;
  bindPublicIp(projectId: string, publicIpId: string, portId: string): { ok: true; publicIp: PublicIpInfo } | Failure<PublicIpFailureReason>;
  unbindPublicIp(projectId: string, publicIpId: string): { ok: true; publicIp: PublicIpInfo } | Failure<PublicIpFailureReason>;
  /** Releases the EIP (unbinding it first if bound) and its PER bandwidth. */
  releasePublicIp(projectId: string, publicIpId: string): { ok: true } | Failure<PublicIpFailureReason>;
  publicIp(projectId: string, publicIpId: string): PublicIpInfo | undefined;
  publicIpsOfPort(projectId: string, portId: string): PublicIpInfo[];
  /**
   * The ports of each device (ECS server), in creation order, each with its EIP's address; devices with
   * none are absent. One query for any number of devices, so that a page of servers costs one.
   */
  portsOfDevices(projectId: string, deviceIds: readonly string[]): Map<string, DevicePortInfo[]>;
  /** The names of the project's security groups among ids, by id (unknown ids are absent); one query. */
  securityGroupNames(projectId: string, ids: readonly string[]): Map<string, string>;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    vpc: VpcApi;
  }
}

function vpcInfo(v: VpcRow): VpcInfo {
  return { id: v.id, name: v.name, cidr: v.cidr };
}

function subnetInfo(s: SubnetRow): SubnetInfo {
  return {
    id: s.id,
    neutronSubnetId: s.neutron_subnet_id,
    vpcId: s.vpc_id,
    name: s.name,
    cidr: s.cidr,
    gatewayIp: s.gateway_ip,
    availabilityZone: s.availability_zone,
  };
}

function publicIpInfo(e: PublicIpRow): PublicIpInfo {
  return {
    id: e.id,
    publicIpAddress: e.public_ip_address,
    type: e.type,
    status: e.port_id === null ? "DOWN" : "ACTIVE",
    portId: e.port_id,
    privateIpAddress: e.private_ip_address,
    bandwidth: {
      id: e.bandwidth_id,
      name: e.bandwidth_name,
      size: e.bandwidth_size,
      shareType: e.bandwidth_share_type,
      chargeMode: e.bandwidth_charge_mode,
    },
  };
}

export function createVpcApi(store: VpcStore, clock: Clock, ids: Ids): VpcApi {
  const env: Env = { store, clock, ids };
  const portInfo = (p: PortRow): PortInfo => {
    const s = store.networks.subnet(p.project_id, p.subnet_id)!;
    return {
      id: p.id,
      subnetId: s.id,
      neutronSubnetId: s.neutron_subnet_id,
      vpcId: s.vpc_id,
      ipAddress: p.ip_address,
      macAddress: p.mac_address,
      securityGroupIds: p.security_groups,
      deviceId: p.device_id,
      deviceOwner: p.device_owner,
      status: portStatus(p),
    };
  };
  return {
    vpc: (projectId, vpcId) => {
      const v = store.networks.vpc(projectId, vpcId);
      return v && vpcInfo(v);
    },
    subnet: (projectId, subnetId) => {
      const s = store.networks.subnetByAnyId(projectId, subnetId);
      return s && subnetInfo(s);
    },
    securityGroup: (projectId, id) => {
      const g = store.security.group(projectId, id);
      return g && { id: g.id, name: g.name, isDefault: g.is_default };
    },
    defaultSecurityGroup: (projectId) => {
      const g = ensureDefaultGroup(env, projectId);
      return { id: g.id, name: g.name, isDefault: true };
    },
    createPort: (projectId, opts) => {
      const groups = opts.securityGroupIds?.length ? opts.securityGroupIds : [ensureDefaultGroup(env, projectId).id];
      const r = createPort(env, projectId, {
        subnetId: opts.subnetId,
        ipAddress: opts.ipAddress,
        securityGroupIds: groups,
        deviceId: opts.deviceId,
        deviceOwner: opts.deviceOwner,
        name: opts.name ?? "",
        kind: "port",
      });
      return r.ok ? { ok: true, port: portInfo(r.port) } : r;
    },
    port: (projectId, portId) => {
      const p = store.ports.port(projectId, portId);
      return p && portInfo(p);
    },
    deletePort: (projectId, portId) => {
      if (!store.ports.port(projectId, portId)) return false;
      store.ports.deletePort(portId);
      return true;
    },
    portsOfDevice: (projectId, deviceId) => store.ports.portsOfDevice(projectId, deviceId).map(portInfo),
    allocatePublicIp: (projectId, opts) => {
      const r = allocatePublicIp(env, projectId, {
        type: opts.type,
        alias: opts.alias,
        bandwidth: opts.bandwidth,
      });
      return r.ok ? { ok: true, publicIp: publicIpInfo(r.publicIp) } : r;
    },
    bindPublicIp: (projectId, publicIpId, portId) => {
      const r = bindPublicIp(env, projectId, publicIpId, portId);
      return r.ok ? { ok: true, publicIp: publicIpInfo(r.publicIp) } : r;
    },
    unbindPublicIp: (projectId, publicIpId) => {
      const r = unbindPublicIp(env, projectId, publicIpId);
      return r.ok ? { ok: true, publicIp: publicIpInfo(r.publicIp) } : r;
    },
    releasePublicIp: (projectId, publicIpId) => {
      const r = releasePublicIp(env, projectId, publicIpId, { unbind: true });
      return r.ok ? { ok: true } : r;
    },
    publicIp: (projectId, publicIpId) => {
      const e = store.publicIps.publicIp(projectId, publicIpId);
      return e && publicIpInfo(e);
    },
    publicIpsOfPort: (projectId, portId) => store.publicIps.publicIpsOfPort(projectId, portId).map(publicIpInfo),
    portsOfDevices: (projectId, deviceIds) => {
      const out = new Map<string, DevicePortInfo[]>();
      const ids = deviceIds.length > 1 ? [...new Set(deviceIds)] : deviceIds;
      for (const p of store.ports.portsOfDevices(projectId, ids)) {
        const port: DevicePortInfo = {
          id: p.id,
          deviceId: p.device_id,
          subnetId: p.subnet_id,
          ipAddress: p.ip_address,
          macAddress: p.mac_address,
          publicIpAddress: p.public_ip_address ?? undefined,
        };
        const list = out.get(p.device_id);
        if (list) list.push(port);
        else out.set(p.device_id, [port]);
      }
      return out;
    },
    securityGroupNames: (projectId, ids) => store.security.groupNames(projectId, ids.length > 1 ? [...new Set(ids)] : ids),
  };
}
