// Per-project quotas, as ShowQuota reports them and as creation enforces them. The limits are hwlocal's
// choice (Huawei's defaults vary by account and region); the VPC limit of 5 is the long-standing default.
import type { VpcStore } from "./store/index.ts";

export const QUOTA_TYPES = [
  "vpc",
  "subnet",
  "securityGroup",
  "securityGroupRule",
  "publicIp",
  "vpn",
  "vpngw",
  "vpcPeer",
  "firewall",
  "shareBandwidth",
  "shareBandwidthIP",
  "loadbalancer",
  "listener",
  "physicalConnect",
  "virtualInterface",
  "vpcContainRoutetable",
  "routetableContainRoutes",
] as const;
export type QuotaType = (typeof QUOTA_TYPES)[number];

export const QUOTAS: Record<QuotaType, number> = {
  vpc: 5,
  subnet: 100,
  securityGroup: 100,
  securityGroupRule: 5000,
  publicIp: 10,
  vpn: 5,
  vpngw: 2,
  vpcPeer: 50,
  firewall: 200,
  shareBandwidth: 5,
  shareBandwidthIP: 20,
  loadbalancer: 10,
  listener: 10,
  physicalConnect: 10,
  virtualInterface: 50,
  vpcContainRoutetable: 10,
  routetableContainRoutes: 200,
};

/** How much of each quota a project uses; resources hwlocal does not emulate use none. */
export function quotaUsage(store: VpcStore, projectId: string): Record<QuotaType, number> {
  const used = Object.fromEntries(QUOTA_TYPES.map((t) => [t, 0])) as Record<QuotaType, number>;
  used.vpc = store.networks.vpcCount(projectId);
  used.subnet = store.networks.subnetCount(projectId);
  used.securityGroup = store.security.groupCount(projectId);
  used.securityGroupRule = store.security.ruleCount(projectId);
  used.publicIp = store.publicIps.publicIpCount(projectId);
  used.shareBandwidth = store.publicIps.sharedBandwidthCount(projectId);
  used.shareBandwidthIP = store.publicIps.sharedPublicIpCount(projectId);
  used.vpcPeer = store.documents.count(projectId, "peering");
  used.firewall = store.documents.count(projectId, "firewall");
  return used;
}
