// VPC: virtual private clouds, subnets, security groups and rules, ports, private IPs and quotas (v1 and
// v3), and EIPs with their bandwidths, on the vpc.<region> endpoint (path prefix /vpc), per project. The
// EIP operations (publicips, bandwidths) are also served by the eip service on EIP's own endpoint
// (eip.<region>, prefix /eip), as the same operation objects over this service's context (vpcContextFor);
// VPC keeps answering them, as it always has, for callers of /vpc/v1/{project_id}/publicips.
//
// Emulated: v1 (the SDK's v2 module) VPCs with routes, subnets (CIDR inside the VPC, no overlap, gateway
//   check, availability zone check), security groups with Huawei's default rules and the project's
//   "default" group, rules (direction, ethertype, protocol, ports, one remote, duplicates → 409), ports and
//   private IPs with real address allocation, quotas with used counts and enforcement; v3 VPCs, security
//   groups and rules (dry_run, repeated filters, page_info) over the same tables; EIP publicips (create,
//   bind/unbind by update, delete) with PER bandwidths, v1 bandwidth list/show/update, v2.0 shared
//   (WHOLE) bandwidth create/delete; marker/limit paging everywhere; VpcApi (api.ts) for ECS. Neutron
//   v2.0 (every Neutron* operation of the SDK; model/neutron-networks.ts tells how it maps): networks (a
//   VPC subnet is the network of its id; a network made through neutron is a VPC subnet once its one
//   subnet is made), subnets (id = neutron_subnet_id), routers = VPCs with add/remove_router_interface,
//   ports, security groups and rules, floating IPs = EIPs (also on the eip endpoint), FWaaS v2 rules,
//   policies and groups (kept and checked, nothing filtered); fields=, attribute filters (repeatable),
//   limit/marker with <resource>_links, NeutronError bodies (neutron-errors.ts); beyond the SDK, the
//   extension list (/v2.0/extensions, which openstacksdk reads before `port create`).
// Gaps: IPv6 (ipv6_enable and ip_version 6 are refused with 400), route tables, peerings, flow logs, tags
//   APIs, neutron availability zones and tags, address groups (remote_address_group_id is refused), v3
//   sub-network interfaces, traffic mirroring, extend CIDRs, v3 batch rule creation, v3 ports; shared
//   bandwidth insert/remove of EIPs (an EIP joins a WHOLE bandwidth only when it is created); EIP
//   pre-paid billing and profile. Each SDK operation not listed above answers 501 naming it.
// By design: any caller with access to the project may do everything (no fine-grained policies). Status
//   changes are immediate: VPCs are "OK" (v3 "ACTIVE"), subnets "ACTIVE", ports ACTIVE while a device uses
//   them and DOWN otherwise, EIPs DOWN/ACTIVE. No default DNS servers are filled into subnets (Huawei
//   fills its internal resolvers). A v1 VPC created without a CIDR gets 192.168.0.0/16. Public IPs come
//   from 198.18.0.0/15 (RFC 2544 benchmarking space, never routed), unique across all projects and
//   regions. Addresses are handed out lowest-free-first through an index walk (store/ports.ts), never by
//   scanning the CIDR. Deleting a port unbinds its EIP. limit=0 on v1 lists means no limit.
// Client quirks: the SDK passes v3 list filters as repeated query keys (?id=a&id=b). The v3 SDK models
//   declare incomplete create/update responses (request_id only); hwlocal answers the real {request_id,
//   vpc}. No Node SDK package exists for EIP; EIP paths follow the EIP SDKs of
//   other languages (catalogue/eip_v2.ops.tsv), which reach them on the eip service.
// Doubts:
//   - A path, X-Project-Id or project-scoped token naming another project is the gateway's 403 VPC.2201;
//     VPC also documents 400 VPC.0007 "urlTenantId is not equal tokenTenantId", which hwlocal does not answer.
//     Another project's subnet, VPC, security group, port or bandwidth in a body is answered as a missing one.
//   - Reserved addresses: hwlocal keeps back the network address, the gateway and the subnet's last three
//     addresses (e.g. .253 DHCP, .254 and .255 broadcast in a /24); a /28 thus offers 11 addresses.
//   - Error codes the reference lacks for a case use the closest documented one (errors.ts, "chosen"):
//     IP in use / subnet exhausted / port in use → 409 VPC.0602 wrapping a NeutronError
//     (IpAddressAlreadyAllocated, IpAddressGenerationFailure, PortInUse), as the reference says Huawei
//     does for security-group conflicts; port / private IP not found → 404 VPC.0202 "Query resource by id
//     … fail."; rule not found → 404 VPC.0603; subnet quota → 409 VPC.0114, rule quota → 409 VPC.0604,
//     shared-bandwidth quotas → 409 VPC.0521, with the resource named; bandwidth not found → 404 VPC.0504;
//     a requested IP outside the subnet or reserved → 400 VPC.0101; deleting the default group → 409
//     VPC.0602 (SecurityGroupCannotRemoveDefault).
//   - Deleting a subnet that still has ports: the reference documents 500 VPC.0209; hwlocal answers 409.
//   - A subnet's id is also its neutron_network_id (ECS nics call it "network id of the VPC subnet");
//     ports name it as network_id and the neutron_subnet_id in fixed_ips; a private IP's id is its port's.
//   - v3 creates answer 201 (v1 answers 200 as the reference says); v3 dry_run answers 202 {request_id}.
//   - EIP update: the reference says an absent or empty port_id unbinds; a body carrying only alias or
//     ip_version is taken as leaving the binding alone. EIP create_time is spelled "yyyy-MM-dd HH:mm:ss".
//   - An unknown marker answers 400 VPC.0101. Quota limits are hwlocal's (quotas.ts), VPC 5 per project.
//   - Neutron: the name Huawei gives a VPC subnet's network (hwlocal: the subnet's, until renamed through
//     neutron); a subnet made through neutron goes into the first of the project's VPCs containing its
//     CIDR, or a new VPC over the private block holding it, and counts as no router's interface until
//     added; a router (VPC) holding subnets is 409 RouterInUse even if none is an interface; a network
//     holds one subnet (a second is 409 SubnetAlreadyExists); a floating IP made through neutron is a
//     5_bgp EIP with a 5 Mbit/s PER bandwidth; admin_external_net's id is derived from the region. A
//     subnet's allocation_pools are accepted and ignored (the pool is its allocatable range), host_routes
//     must be empty, gateway_ip cannot change, port_security_enabled cannot be false. A router interface
//     has a port id (add/remove_router_interface answer it) but no port in port lists, as VPC's port list
//     has none for a subnet's gateway; `router show` thus lists no interfaces_info. Error
//     codes beside NeutronError are VPC's for the same case (neutron-errors.ts). Lists are ordered by id.
//   - The v2.0 shared bandwidth create/delete shapes ({bandwidth:{name,size}} → {bandwidth}) are not in
//     the reference; they follow the v1 bandwidth shape.
import type { Database } from "better-sqlite3";
import { defineService, type Runtime } from "../../kernel/service.ts";
import { createVpcApi } from "./api.ts";
import type { VpcContext } from "./context.ts";
import { vpcServiceErrors } from "./errors.ts";
import { addressGroupOperations } from "./operations/address-groups.ts";
import { bandwidthOperations } from "./operations/bandwidths.ts";
import { clouddcnSubnetOperations } from "./operations/clouddcn-subnets.ts";
import { firewallOperationsV3 } from "./operations/firewalls-v3.ts";
import { flowLogOperations } from "./operations/flow-logs.ts";
import { neutronExtensionOperations } from "./operations/neutron-extensions.ts";
import { neutronFirewallGroupOperations } from "./operations/neutron-firewall-groups.ts";
import { neutronFirewallRuleOperations } from "./operations/neutron-firewall-rules.ts";
import { neutronFloatingIpOperations } from "./operations/neutron-floatingips.ts";
import { neutronNetworkOperations } from "./operations/neutron-networks.ts";
import { neutronPortOperations } from "./operations/neutron-ports.ts";
import { neutronRouterOperations } from "./operations/neutron-routers.ts";
import { neutronSecurityGroupOperations } from "./operations/neutron-security-groups.ts";
import { peeringOperations } from "./operations/peerings.ts";
import { portOperations } from "./operations/ports.ts";
import { portOperationsV3 } from "./operations/ports-v3.ts";
import { routeTableOperations } from "./operations/route-tables.ts";
import { privateIpOperations } from "./operations/privateips.ts";
import { publicIpOperations } from "./operations/publicips.ts";
import { securityGroupOperationsV3 } from "./operations/security-groups-v3.ts";
import { securityGroupOperationsV1 } from "./operations/security-groups.ts";
import { subInterfaceOperations } from "./operations/sub-interfaces.ts";
import { subnetOperations } from "./operations/subnets.ts";
import { tagOperationsV2 } from "./operations/tags-v2.ts";
import { tagOperationsV3 } from "./operations/tags-v3.ts";
import { versionOperations } from "./operations/versions.ts";
import { vpcOperationsV3 } from "./operations/vpcs-v3.ts";
import { vpcOperationsV1 } from "./operations/vpcs.ts";
import { VPC_MIGRATIONS, VpcStore } from "./store/index.ts";

export type { VpcApi } from "./api.ts";

const contexts = new WeakMap<Database, VpcContext>();

/**
 * VPC's handler context for a running hwlocal: one per database, so that the eip service (EIP's own
 * endpoint over VPC's tables) shares it with vpc whichever of the two starts first.
 */
export function vpcContextFor(rt: Runtime): VpcContext {
  let ctx = contexts.get(rt.db);
  if (!ctx) {
    const store = new VpcStore(rt.db);
    ctx = { store, api: createVpcApi(store, rt.clock, rt.ids) };
    contexts.set(rt.db, ctx);
  }
  return ctx;
}

export const vpc = defineService<VpcContext>({
  name: "vpc",
  catalogType: "network",
  global: false,
  sdkCatalogues: ["vpc_v2.ops.tsv", "vpc_v3.ops.tsv"],
  errors: vpcServiceErrors,
  migrations: VPC_MIGRATIONS,
  init: vpcContextFor,
  api: (svc) => svc.api,
  operations: [
    ...vpcOperationsV1,
    ...subnetOperations,
    ...securityGroupOperationsV1,
    ...portOperations,
    ...privateIpOperations,
    ...vpcOperationsV3,
    ...securityGroupOperationsV3,
    ...publicIpOperations,
    ...bandwidthOperations,
    ...neutronNetworkOperations,
    ...neutronPortOperations,
    ...neutronSecurityGroupOperations,
    ...neutronRouterOperations,
    ...neutronFloatingIpOperations,
    ...neutronFirewallRuleOperations,
    ...neutronFirewallGroupOperations,
    ...neutronExtensionOperations,
    ...versionOperations,
    ...tagOperationsV2,
    ...tagOperationsV3,
    ...peeringOperations,
    ...routeTableOperations,
    ...addressGroupOperations,
    ...firewallOperationsV3,
    ...portOperationsV3,
    ...flowLogOperations,
    ...clouddcnSubnetOperations,
    ...subInterfaceOperations,
  ],
});
