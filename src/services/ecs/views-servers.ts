// Server rows → ECS's ServerDetail (ListServersDetails, ShowServer) and the nova-style server. The parts
// that live in other services (ports and EIPs in VPC, volumes in EVS, security group names) are gathered
// by the caller and passed in, so this file only spells fields.
import { isoSeconds } from "../../kernel/time.ts";
import type { FlavorSpec } from "./flavors-data.ts";
import type { ServerRow } from "./store-servers.ts";

export interface ServerAddress {
  portId: string;
  ip: string;
  mac: string;
  /** The EIP bound to this port, if any. */
  floatingIp?: string;
  primary: boolean;
  subnetId: string;
}

export interface ServerVolume {
  id: string;
  device: string;
  bootIndex: string | null;
  deleteOnTermination: boolean;
}

export interface ServerParts {
  addresses: ServerAddress[];
  volumes: ServerVolume[];
  securityGroups: { id: string; name: string }[];
  flavor: FlavorSpec | undefined;
  /** UpdateServerAutoTerminateTime's time ("2026-01-01T12:00:00Z"), or "". */
  autoTerminateTime: string;
  /** metadata.charging_mode: "0" pay-per-use, "1" yearly/monthly (ChangeServerChargeMode). */
  chargingMode: "0" | "1";
}

const iso = (ms: number | null) => (ms === null ? "" : isoSeconds(ms));

function addresses(s: ServerRow, parts: ServerParts) {
  const list = parts.addresses.flatMap((a) => {
    const fixed = {
      version: "4",
      addr: a.ip,
      primary: a.primary,
      "OS-EXT-IPS:type": "fixed",
      "OS-EXT-IPS-MAC:mac_addr": a.mac,
      "OS-EXT-IPS:port_id": a.portId,
    };
    if (!a.floatingIp) return [fixed];
    return [fixed, { ...fixed, addr: a.floatingIp, primary: false, "OS-EXT-IPS:type": "floating" }];
  });
  return list.length ? { [s.vpc_id]: list } : {};
}

export function serverDetail(s: ServerRow, parts: ServerParts) {
  const f = parts.flavor;
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    status: s.status,
    created: iso(s.created_at),
    updated: iso(s.updated_at),
    tenant_id: s.project_id,
    user_id: s.user_id,
    hostId: s.host_id,
    key_name: s.key_name ?? "",
    locked: s.locked,
    progress: s.status === "BUILD" ? 0 : 100,
    ...(s.fault ? { fault: s.fault } : {}),
    addresses: addresses(s, parts),
    image: { id: s.image_id },
    flavor: {
      id: s.flavor_id,
      name: s.flavor_id,
      disk: "0",
      vcpus: String(f?.vcpus ?? 0),
      ram: String(f?.ram ?? 0),
      gpus: [],
      asic_accelerators: [],
    },
    security_groups: parts.securityGroups,
    metadata: { ...s.metadata, vpc_id: s.vpc_id, charging_mode: parts.chargingMode, metering_image_id: s.image_id },
    "OS-EXT-STS:vm_state": s.vm_state,
    "OS-EXT-STS:task_state": s.task_state,
    "OS-EXT-STS:power_state": s.power_state,
    "OS-EXT-AZ:availability_zone": s.availability_zone,
    "OS-EXT-SRV-ATTR:host": s.host_id.slice(0, 12),
    "OS-EXT-SRV-ATTR:instance_name": s.instance_name,
    "OS-EXT-SRV-ATTR:hypervisor_hostname": `hyp-${s.host_id.slice(0, 8)}`,
    "OS-EXT-SRV-ATTR:hostname": s.name.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
    "OS-EXT-SRV-ATTR:reservation_id": s.reservation_id,
    "OS-EXT-SRV-ATTR:launch_index": s.launch_index,
    "OS-EXT-SRV-ATTR:kernel_id": "",
    "OS-EXT-SRV-ATTR:ramdisk_id": "",
    "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
    "OS-EXT-SRV-ATTR:user_data": s.user_data,
    "OS-DCF:diskConfig": "MANUAL",
    accessIPv4: "",
    accessIPv6: "",
    config_drive: "",
    "OS-SRV-USG:launched_at": s.launched_at === null ? "" : new Date(s.launched_at).toISOString().slice(0, 23),
    "OS-SRV-USG:terminated_at": s.terminated_at === null ? "" : new Date(s.terminated_at).toISOString().slice(0, 23),
    "os-extended-volumes:volumes_attached": parts.volumes.map((v) => ({
      id: v.id,
      delete_on_termination: String(v.deleteOnTermination),
      bootIndex: v.bootIndex,
      device: v.device,
    })),
    host_status: s.status === "ACTIVE" || s.status === "SHUTOFF" ? "UP" : "",
    tags: s.tags.map((t) => `${t.key}=${t.value}`),
    "os:scheduler_hints": s.server_group_id ? { group: [s.server_group_id] } : {},
    enterprise_project_id: s.enterprise_project_id,
    sys_tags: [{ key: "_sys_enterprise_project_id", value: s.enterprise_project_id }],
    hypervisor: { hypervisor_type: "kvm", csd_hypervisor: "" },
    auto_terminate_time: parts.autoTerminateTime,
    network_interfaces: parts.addresses.map((a) => ({
      port_id: a.portId,
      primary: a.primary,
      subnet_id: a.subnetId,
      ip_addresses: [a.ip],
      ipv6_addresses: [],
      association: a.floatingIp ? { public_ip_address: a.floatingIp } : null,
    })),
  };
}
