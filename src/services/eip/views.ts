// EIP v3's view of a public IP (PublicipSingleShowResp in Huawei's v3 API): the same rows as v1's view
// (vpc/views-v3.ts publicIp), spelled as v3 spells them: vnic instead of port_id, created_at/updated_at in
// ISO form, the pool by name and id.
import { stableHex32 } from "../../kernel/ids.ts";
import { isoSeconds } from "../../kernel/time.ts";
import type { PortRow, PublicIpRow } from "../vpc/store/index.ts";

/** The port an EIP is bound to, with its subnet's VPC. */
export interface Vnic {
  port: PortRow;
  vpcId: string;
}

/** Public pools have network ids on the cloud; hwlocal derives a stable one from the pool's name. */
function poolId(name: string): string {
  const h = stableHex32(`eip-pool:${name}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function vnicView(e: PublicIpRow, v: Vnic) {
  const computeOwned = v.port.device_owner.startsWith("compute:");
  return {
    private_ip_address: e.private_ip_address,
    device_id: v.port.device_id,
    device_owner: v.port.device_owner,
    vpc_id: v.vpcId,
    port_id: v.port.id,
    port_profile: "",
    mac: v.port.mac_address,
    vtep: "",
    vni: "",
    instance_id: computeOwned ? v.port.device_id : "",
    instance_type: computeOwned ? "ECS" : "",
  };
}

export function publicIpV3(e: PublicIpRow, vnic: Vnic | undefined) {
  const bound = e.port_id !== null;
  return {
    id: e.id,
    project_id: e.project_id,
    ip_version: 4,
    public_ip_address: e.public_ip_address,
    status: bound ? "ACTIVE" : "DOWN",
    description: "",
    public_border_group: "center",
    created_at: isoSeconds(e.created_at),
    updated_at: isoSeconds(e.updated_at),
    type: "EIP",
    vnic: vnic ? vnicView(e, vnic) : null,
    bandwidth: {
      id: e.bandwidth_id,
      size: e.bandwidth_size,
      share_type: e.bandwidth_share_type,
      charge_mode: e.bandwidth_charge_mode,
      name: e.bandwidth_name,
      billing_info: "",
    },
    enterprise_project_id: e.enterprise_project_id,
    billing_info: "",
    lock_status: "",
    associate_instance_type: bound ? "PORT" : null,
    associate_instance_id: bound ? e.port_id : null,
    publicip_pool_id: poolId(e.type),
    publicip_pool_name: e.type,
    alias: e.alias,
  };
}

export type PublicIpV3 = ReturnType<typeof publicIpV3>;

/** v3's `fields`: only the named top-level fields (id always, as the cloud keeps it). */
export function pickFields(p: PublicIpV3, fields: string[] | undefined): Partial<PublicIpV3> {
  if (!fields?.length) return p;
  const keep = new Set(["id", ...fields]);
  return Object.fromEntries(Object.entries(p).filter(([k]) => keep.has(k))) as Partial<PublicIpV3>;
}
