// VPC: virtual private clouds, subnets, security groups and rules, ports, private IPs and quotas (v1 and
// v3), peerings, route tables, tags, ACLs and the other v3 resources below, and EIPs with their
// bandwidths, on the vpc.<region> endpoint (path prefix /vpc), per project. The EIP operations
// (publicips, bandwidths) are also served by the eip service on EIP's own endpoint (eip.<region>, prefix
// /eip), as the same operation objects over this service's context (vpcContextFor); VPC keeps answering
// them, as it always has, for callers of /vpc/v1/{project_id}/publicips.
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
//   Beyond the first wave, as JSON documents (store/documents.ts, one model file each): peerings
//   (model/peerings.ts) with their /v2.0/vpc/routes, v1 route tables (model/route-tables.ts), tags of
//   VPCs, subnets, security groups (v2.0) and of ports, v3 firewalls and CloudDCN subnets (v3), with
//   filter/count by tags (model/tags.ts), v3 extension CIDRs, address groups, v3 firewalls (ACLs), flow
//   logs, sub-network interfaces (real ports owned by neutron:subport), traffic mirror filters, rules and
//   sessions, CloudDCN subnets, v3 port security group insert/remove, v3 batch rule creation, neutron
//   network IP availability; security group rules may name an address group (remote_address_group_id,
//   of the rule's ethertype). Every operation of the VPC SDK's two modules is served.
// Gaps: IPv6 (ipv6_enable and ip_version 6 subnets are refused with 400; IPv6 firewall rules and address
//   groups are kept, nothing is checked against traffic), neutron availability zones and tags, v3 port
//   bodies beyond the security group insert/remove answers; shared bandwidth insert/remove of EIPs (an EIP joins
//   a WHOLE bandwidth only when it is created); EIP pre-paid billing and profile. Flow logs write no log
//   (there is no LTS), traffic mirroring copies no packet, ACLs filter nothing. Each SDK operation not
//   listed above answers 501 naming it.
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
//   - Peerings: the peer project named by accept_vpc_info.tenant_id is where the peer VPC is looked up
//     (another project's VPC is never found by id alone); its region is not checked. Only the accepting
//     project accepts or rejects (the requester gets 403); either side updates or deletes, and a delete
//     removes both sides' peering routes (/v2.0 routes and route-table routes through it). A VPC in an
//     ACTIVE or pending peering is not deleted (409 VPC.0602). Peering and route errors are NeutronError bodies with chosen VPC codes (neutron-errors.ts);
//     a route's destination may not lie inside its VPC's CIDR, duplicates are 409 RouteExists, also when
//     the VPC's default route table has a route of its own to the destination (a table's are unique).
//   - Route tables: a VPC's default table is made on first need and named rtb-<vpc name>; it shows the
//     VPC's /v2.0/vpc/routes peering routes; the route table quota (vpcContainRoutetable) is 10 a VPC, the
//     default one included. Not found is 404 VPC.0202, deleting the default or a used table 409 VPC.0602,
//     bad routes 400 VPC.0101 (chosen; the reference lists no route table codes). A VPC with custom
//     tables is not deleted.
//   - Tags: 20 a resource; v2.0 keys 1-36 and values 0-43 characters, v3 keys 1-128 and values 0-255;
//     malformed tags 400 VPC.1801, too many or repeated keys 400 VPC.1814 (the tag API reference's);
//     a batch delete ignores missing keys, a single delete of one is 404 VPC.1801 (chosen).
//     resource_detail is "" in by-tags answers; only "resource_name" matches.
//   - Resources kept as documents answer "not found" as 404 VPC.0202 naming the resource, "in use" as 409
//     VPC.0602, quotas as 409 VPC.0114 (chosen). Address groups: 50 a project, max_capacity 20 by default;
//     firewalls: 20 rules a direction; flow logs: 10 a project, log group and topic ids must be UUIDs; a
//     duplicate flow log (same resource, traffic type and topic) is 400. Sub-interfaces: VLAN 1-4094 unique
//     under a parent, the lowest free one when none is asked; a port with sub-interfaces is not deleted
//     (409 PortInUse); the index of a port's inserted security groups counts from 1. Traffic mirror
//     sessions: at most 10 sources, virtual_network_id 0-16777215 (default 1), packet_length 1-1460
//     (default 96), the target may not be a source; an elb target is taken as given. CloudDCN subnets are
//     checked against VPC subnets and each other, but VPC subnets made later are not checked against them.
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
import { trafficMirrorOperations } from "./operations/traffic-mirror.ts";
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
    ...trafficMirrorOperations,
  ],
});
