// VPC and subnet rules shared by the v1 and v3 operations: CIDR checks, overlap, quotas, in-use refusals.
import { availabilityZones } from "../../../kernel/regions.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { cidrContains, cidrHas, cidrOverlaps, isValidVpcCidr, MAX_SUBNET_PREFIX, parseCidr, parseIpv4, type Cidr } from "../ip.ts";
import { QUOTAS } from "../quotas.ts";
import { vpcHasClouddcnSubnets } from "./clouddcn.ts";
import { vpcIsPeered } from "./peerings.ts";
import { dropRouteTablesOfVpc } from "./route-tables.ts";
import type { DhcpOption, Route, SubnetRow, Tag, VpcRow } from "../store/index.ts";

/** The CIDR a v1 VPC gets when the request names none (the reference makes it optional). */
export const DEFAULT_VPC_CIDR = "192.168.0.0/16";

function vpcCidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c || !isValidVpcCidr(c)) throw vpcErrors.vpcCidrInvalid(text);
  return c;
}

export function requireVpc(env: Env, project: ProjectScope, id: string): VpcRow {
  const v = env.store.networks.vpc(project.projectId, id);
  if (!v) throw vpcErrors.vpcNotFound(id);
  return v;
}

export function requireSubnet(env: Env, project: ProjectScope, id: string): SubnetRow {
  const s = env.store.networks.subnet(project.projectId, id);
  if (!s) throw vpcErrors.subnetNotFound(id);
  return s;
}

export interface VpcInput {
  name: string;
  description: string;
  cidr: string | undefined;
  enterpriseProjectId: string | undefined;
  tags: Tag[];
}

export function createVpc(env: Env, project: ProjectScope, input: VpcInput): VpcRow {
  const cidr = vpcCidr(input.cidr ?? DEFAULT_VPC_CIDR);
  const { store } = env;
  const id = env.ids.uuid();
  store.tx(() => {
    if (store.networks.vpcCount(project.projectId) >= QUOTAS.vpc) throw vpcErrors.vpcQuota();
    store.networks.insertVpc({
      id,
      projectId: project.projectId,
      name: input.name,
      description: input.description,
      cidr: cidr.text,
      enterpriseProjectId: input.enterpriseProjectId ?? "0",
      tags: input.tags,
      now: env.clock.now(),
    });
  });
  return requireVpc(env, project, id);
}

export interface VpcUpdate {
  name?: string;
  description?: string;
  cidr?: string;
  routes?: Route[];
}

export function updateVpc(env: Env, project: ProjectScope, id: string, patch: VpcUpdate): VpcRow {
  const vpc = requireVpc(env, project, id);
  const { store } = env;
  let cidrText: string | undefined;
  let cidr = parseCidr(vpc.cidr)!;
  if (patch.cidr !== undefined) {
    cidr = vpcCidr(patch.cidr);
    cidrText = cidr.text;
    const blocks = [cidr, ...vpc.extend_cidrs.map((c) => parseCidr(c)!)];
    if (vpc.extend_cidrs.some((c) => cidrOverlaps(parseCidr(c)!, cidr))) throw vpcErrors.invalidParameter(`The CIDR ${cidr.text} overlaps an extension CIDR of VPC ${id}.`);
    for (const s of store.networks.subnetsOfVpc(id)) {
      if (!blocks.some((b) => cidrContains(b, parseCidr(s.cidr)!))) throw vpcErrors.vpcCidrExcludesSubnet(cidr.text);
    }
  }
  if (patch.routes !== undefined) {
    for (const r of patch.routes) {
      if (!parseCidr(r.destination)) throw vpcErrors.invalidParameter(`routes.destination ${r.destination} is not a CIDR.`);
      const hop = parseIpv4(r.nexthop);
      if (hop === undefined || !cidrHas(cidr, hop)) {
        throw vpcErrors.invalidParameter(`routes.nexthop ${r.nexthop} is not an address in the VPC.`);
      }
    }
  }
  store.networks.updateVpc(id, { name: patch.name, description: patch.description, cidr: cidrText, routes: patch.routes }, env.clock.now());
  return requireVpc(env, project, id);
}

export function deleteVpc(env: Env, project: ProjectScope, id: string): void {
  requireVpc(env, project, id);
  const { store } = env;
  store.tx(() => {
    if (store.networks.subnetsOfVpc(id).length > 0 || vpcHasClouddcnSubnets(env, project.projectId, id)) throw vpcErrors.vpcHasSubnets();
    if (vpcIsPeered(env, project.projectId, id)) throw vpcErrors.resourceInUse("vpc", id, "It is in a VPC peering connection.");
    dropRouteTablesOfVpc(env, project.projectId, id);
    store.networks.deleteVpc(id);
  });
}

export interface SubnetInput {
  name: string;
  description: string;
  cidr: string;
  gatewayIp: string;
  vpcId: string;
  ipv6Enable: boolean;
  dhcpEnable: boolean;
  primaryDns: string | undefined;
  secondaryDns: string | undefined;
  dnsList: string[] | undefined;
  availabilityZone: string | undefined;
  extraDhcpOpts: DhcpOption[];
  tags: Tag[];
  /** The subnet's id when it is already chosen: a network made through neutron keeps its id. */
  id?: string;
}

function checkDns(primary: string | undefined, secondary: string | undefined, list: string[] | undefined): void {
  for (const [field, v] of [["primary_dns", primary], ["secondary_dns", secondary]] as const) {
    if (v !== undefined && v !== "" && parseIpv4(v) === undefined) throw vpcErrors.subnetInvalid(`${field} ${v} is not an IPv4 address.`);
  }
  for (const v of list ?? []) if (parseIpv4(v) === undefined) throw vpcErrors.subnetInvalid(`dnsList holds ${v}, not an IPv4 address.`);
}

export function createSubnet(env: Env, project: ProjectScope, input: SubnetInput): SubnetRow {
  const vpc = requireVpc(env, project, input.vpcId);
  if (input.ipv6Enable) throw vpcErrors.subnetInvalid("hwlocal does not emulate IPv6 subnets (ipv6_enable).");
  const cidr = parseCidr(input.cidr);
  if (!cidr || cidr.prefix > MAX_SUBNET_PREFIX) throw vpcErrors.subnetInvalid(`cidr ${input.cidr} is not a network of /${MAX_SUBNET_PREFIX} or larger.`);
  if (![vpc.cidr, ...vpc.extend_cidrs].some((c) => cidrContains(parseCidr(c)!, cidr))) throw vpcErrors.subnetNotInVpc();
  const gateway = parseIpv4(input.gatewayIp);
  if (gateway === undefined || gateway <= cidr.network || gateway >= cidr.broadcast) {
    throw vpcErrors.subnetInvalid(`gateway_ip ${input.gatewayIp} is not a host address of ${cidr.text}.`);
  }
  if (input.availabilityZone !== undefined && !availabilityZones(project.region).includes(input.availabilityZone)) {
    throw vpcErrors.availabilityZoneInvalid(input.availabilityZone);
  }
  checkDns(input.primaryDns, input.secondaryDns, input.dnsList);
  const { store } = env;
  const id = input.id ?? env.ids.uuid();
  store.tx(() => {
    if (store.networks.subnetsOfVpc(vpc.id).some((s) => cidrOverlaps(parseCidr(s.cidr)!, cidr))) throw vpcErrors.subnetConflict();
    if (store.networks.subnetCount(project.projectId) >= QUOTAS.subnet) throw vpcErrors.subnetQuota();
    const primary = input.primaryDns ?? "";
    const secondary = input.secondaryDns ?? "";
    store.networks.insertSubnet({
      id,
      projectId: project.projectId,
      vpcId: vpc.id,
      name: input.name,
      description: input.description,
      cidr: cidr.text,
      gatewayIp: input.gatewayIp,
      gatewayInt: gateway,
      dhcpEnable: input.dhcpEnable,
      primaryDns: primary,
      secondaryDns: secondary,
      dnsList: input.dnsList ?? [primary, secondary].filter((d) => d !== ""),
      availabilityZone: input.availabilityZone ?? "",
      neutronSubnetId: env.ids.uuid(),
      extraDhcpOpts: input.extraDhcpOpts,
      tags: input.tags,
      now: env.clock.now(),
    });
  });
  return requireSubnet(env, project, id);
}

/** The subnet under /vpcs/{vpc_id}/subnets/{subnet_id}: the VPC must exist and hold it. */
export function subnetOfVpc(env: Env, project: ProjectScope, vpcId: string, subnetId: string): SubnetRow {
  requireVpc(env, project, vpcId);
  const s = env.store.networks.subnet(project.projectId, subnetId);
  if (!s || s.vpc_id !== vpcId) throw vpcErrors.subnetNotFound(subnetId);
  return s;
}

export interface SubnetUpdate {
  name?: string;
  description?: string;
  ipv6Enable?: boolean;
  dhcpEnable?: boolean;
  primaryDns?: string;
  secondaryDns?: string;
  dnsList?: string[];
  extraDhcpOpts?: DhcpOption[];
}

export function updateSubnet(env: Env, project: ProjectScope, vpcId: string, subnetId: string, patch: SubnetUpdate): SubnetRow {
  subnetOfVpc(env, project, vpcId, subnetId);
  if (patch.ipv6Enable) throw vpcErrors.subnetInvalid("hwlocal does not emulate IPv6 subnets (ipv6_enable).");
  checkDns(patch.primaryDns, patch.secondaryDns, patch.dnsList);
  env.store.networks.updateSubnet(subnetId, patch, env.clock.now());
  return requireSubnet(env, project, subnetId);
}

export function deleteSubnet(env: Env, project: ProjectScope, vpcId: string, subnetId: string): void {
  subnetOfVpc(env, project, vpcId, subnetId);
  const { store } = env;
  store.tx(() => {
    if (store.networks.portsInSubnet(subnetId) > 0) throw vpcErrors.subnetInUse();
    store.networks.deleteSubnet(subnetId);
  });
}

/** The largest number of extension CIDRs a VPC holds. */
export const MAX_EXTEND_CIDRS = 5;

/** v3 add-extend-cidr: private blocks beside the VPC's own, overlapping none of its CIDRs. */
export function addExtendCidrs(env: Env, project: ProjectScope, id: string, cidrs: string[]): VpcRow {
  env.store.tx(() => {
    const vpc = requireVpc(env, project, id);
    const next = [...vpc.extend_cidrs];
    for (const text of cidrs) {
      const c = vpcCidr(text);
      if ([vpc.cidr, ...next].some((o) => cidrOverlaps(parseCidr(o)!, c))) throw vpcErrors.invalidParameter(`The CIDR ${c.text} overlaps a CIDR of VPC ${id}.`);
      next.push(c.text);
    }
    if (next.length > MAX_EXTEND_CIDRS) throw vpcErrors.invalidParameter(`A VPC holds at most ${MAX_EXTEND_CIDRS} extension CIDRs.`);
    env.store.networks.setExtendCidrs(id, next, env.clock.now());
  });
  return requireVpc(env, project, id);
}

/** v3 remove-extend-cidr: only a CIDR the VPC has, and only while no subnet lies in it. */
export function removeExtendCidrs(env: Env, project: ProjectScope, id: string, cidrs: string[]): VpcRow {
  env.store.tx(() => {
    const vpc = requireVpc(env, project, id);
    for (const text of cidrs) {
      const c = parseCidr(text);
      if (!c || !vpc.extend_cidrs.includes(c.text)) throw vpcErrors.invalidParameter(`${text} is not an extension CIDR of VPC ${id}.`);
      if (env.store.networks.subnetsOfVpc(id).some((s) => cidrContains(c, parseCidr(s.cidr)!))) throw vpcErrors.vpcCidrExcludesSubnet(c.text);
    }
    const gone = cidrs.map((t) => parseCidr(t)!.text);
    env.store.networks.setExtendCidrs(id, vpc.extend_cidrs.filter((c) => !gone.includes(c)), env.clock.now());
  });
  return requireVpc(env, project, id);
}
