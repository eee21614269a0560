// Row → wire JSON: the only place that spells ECS's response fields (reference §3.1, sdk-wire-facts §5.1,
// and the SDK's v2/model/*.d.ts for the nova shapes).
import { isoMicros } from "../../kernel/time.ts";
import { flavorZones, type FlavorSpec } from "./flavors-data.ts";
import { ECS_QUOTA } from "./quota.ts";
import type { KeypairRow, ServerGroupRow } from "./store.ts";

/** What a flavor looks like from one project: its links and the zones of the project's region. */
export interface FlavorContext {
  serviceBase: string;
  projectId: string;
  zones: readonly string[];
}

/** Network interfaces a flavor takes. */
function vifMax(f: FlavorSpec): number {
  return Math.min(32, Math.max(2, f.vcpus * 2));
}

/** Illustrative network limits that grow with the flavor, as Huawei's do. */
function networkSpecs(f: FlavorSpec) {
  const vifs = vifMax(f);
  return {
    "quota:max_rate": String(Math.min(40_000, 800 * f.vcpus)),
    "quota:min_rate": String(Math.min(10_000, 100 * f.vcpus)),
    "quota:max_pps": String(Math.min(6_000_000, 200_000 * f.vcpus)),
    "quota:vif_max_num": String(vifs),
    "quota:sub_network_interface_max_num": String(f.vcpus >= 4 ? 64 : 0),
  };
}

export function flavorExtraSpecs(f: FlavorSpec, zones: readonly string[]): Record<string, string> {
  return {
    "ecs:performancetype": f.family.performanceType,
    "ecs:generation": f.family.generation,
    "ecs:virtualization_env_types": "CloudCompute",
    "ecs:instance_architecture": f.family.architecture,
    "hw:numa_nodes": "1",
    resource_type: f.family.resourceType,
    "cond:operation:status": "normal",
    "cond:operation:az": flavorZones(f, zones)
      .map((z) => `${z}(normal)`)
      .join(","),
    "cond:operation:charge:stop": "charge",
    "cond:compute:live_resizable": "true",
    "info:cpu:name": f.family.cpuName,
    ...networkSpecs(f),
  };
}

export function flavor(f: FlavorSpec, c: FlavorContext) {
  return {
    id: f.id,
    name: f.id,
    vcpus: String(f.vcpus),
    ram: f.ram,
    disk: "0",
    swap: "",
    "OS-FLV-EXT-DATA:ephemeral": 0,
    "OS-FLV-DISABLED:disabled": false,
    rxtx_factor: 1,
    rxtx_quota: null,
    rxtx_cap: null,
    "os-flavor-access:is_public": true,
    links: [
      { rel: "self", href: `${c.serviceBase}/v1.0/${c.projectId}/flavors/${f.id}`, type: null },
      { rel: "bookmark", href: `${c.serviceBase}/${c.projectId}/flavors/${f.id}`, type: null },
    ],
    os_extra_specs: flavorExtraSpecs(f, c.zones),
    attachableQuantity: { free_scsi: 59, free_blk: 23, free_disk: 23, free_nic: vifMax(f) - 1 },
  };
}

/** ListServerAzInfo's entry. */
export function azInfo(zone: string, index: number) {
  return {
    availability_zone_id: zone,
    type: "core",
    mode: "single",
    public_border_group: "center",
    alias: `AZ${index + 1}`,
    az_group_ids: [],
    category: 0,
  };
}

/** NovaListAvailabilityZones' entry (hosts are hidden from tenants). */
export function novaAz(zone: string) {
  return { zoneName: zone, zoneState: { available: true }, hosts: null };
}

export interface LimitsUsage {
  instances: number;
  cores: number;
  ram: number;
  serverGroups: number;
}

/** ShowServerLimits' `absolute`. */
export function limits(used: LimitsUsage, servers: { instances: number; cores: number; ram: number }) {
  const q = { ...ECS_QUOTA, ...servers };
  return {
    maxImageMeta: q.imageMeta,
    maxPersonality: q.personality,
    maxPersonalitySize: q.personalitySize,
    maxSecurityGroupRules: q.securityGroupRules,
    maxSecurityGroups: q.securityGroups,
    maxServerGroupMembers: q.serverGroupMembers,
    maxServerGroups: q.serverGroups,
    maxServerMeta: q.serverMeta,
    maxTotalCores: q.cores,
    maxTotalFloatingIps: q.floatingIps,
    maxTotalInstances: q.instances,
    maxTotalKeypairs: q.keypairs,
    maxTotalRAMSize: q.ram,
    totalCoresUsed: used.cores,
    totalFloatingIpsUsed: 0,
    totalInstancesUsed: used.instances,
    totalRAMUsed: used.ram,
    totalSecurityGroupsUsed: 0,
    totalServerGroupsUsed: used.serverGroups,
    maxTotalSpotInstances: q.instances,
    maxTotalSpotCores: q.cores,
    maxTotalSpotRAMSize: q.ram,
    totalSpotInstancesUsed: 0,
    totalSpotCoresUsed: 0,
    totalSpotRAMUsed: 0,
    limit_by_flavor: [],
  };
}

/** Nova's time spelling: 2014-05-07T12:06:13.681238 (no zone). */
function novaTime(ms: number): string {
  return isoMicros(ms).slice(0, -1);
}

/** NovaCreateKeypair's answer; private_key only for a generated key, and only this once. */
export function createdKeypair(k: KeypairRow, privateKey?: string) {
  return {
    name: k.name,
    type: k.type,
    public_key: k.public_key,
    fingerprint: k.fingerprint,
    user_id: k.user_id,
    ...(privateKey !== undefined ? { private_key: privateKey } : {}),
  };
}

/** NovaListKeypairs' entry. */
export function simpleKeypair(k: KeypairRow) {
  return { name: k.name, type: k.type, public_key: k.public_key, fingerprint: k.fingerprint };
}

/** NovaShowKeypair's detail. */
export function keypairDetail(k: KeypairRow) {
  return {
    id: k.id,
    name: k.name,
    type: k.type,
    public_key: k.public_key,
    fingerprint: k.fingerprint,
    user_id: k.user_id,
    created_at: novaTime(k.created_at),
    updated_at: null,
    deleted: false,
    deleted_at: null,
  };
}

export function serverGroup(g: ServerGroupRow, members: string[]) {
  return { id: g.id, name: g.name, policies: g.policies, members, metadata: {} };
}
