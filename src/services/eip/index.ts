// EIP: elastic public IPs and bandwidths on EIP's own endpoint, eip.<region>.myhuaweicloud.com (path prefix
// /eip), per project. EIP is VPC's data: the publicips and bandwidths tables, their rules (vpc/model/
// publicips.ts) and their v1/v2.0 operations (vpc/operations/publicips.ts, bandwidths.ts) live in the vpc
// service, which has always answered them too (/vpc/v1/{project_id}/publicips). This service serves the
// same operation objects over the same context (vpcContextFor: one per database), so both endpoints see
// one state and no handler exists twice; it adds EIP's own v3 reads (operations/publicips-v3.ts).
//
// Emulated: v1 CreatePublicip (PER bandwidth, or joining a WHOLE one), ListPublicips (marker/limit; id,
//   port_id, public_ip_address, private_ip_address, ip_version, enterprise_project_id), ShowPublicip,
//   UpdatePublicip (bind/unbind a port, alias), DeletePublicip; ListBandwidths, ShowBandwidth,
//   UpdateBandwidth; v2.0 CreateSharedBandwidth and DeleteSharedBandwidth; ListQuotas (VPC's ShowQuota,
//   the same GET /v1/{project_id}/quotas); v3 ListPublicips (GET /v3/{project_id}/eip/publicips: marker and
//   limit 1–2000, page_info, total_count, fields, and the filters id, ip_version, public_ip_address[_like],
//   status, type, alias[_like], publicip_pool_name, vnic.port_id / private_ip_address / device_id /
//   vpc_id, bandwidth.id / name / share_type, associate_instance_type / _id, enterprise_project_id, each
//   repeatable) and v3 ShowPublicip, over the same rows; the neutron /v2.0/floatingips (EIPs as floating
//   IPs, vpc/operations/neutron-floatingips.ts), as on the VPC endpoint.
// Gaps: every other operation of EIP's v2 and v3 lists (catalogue/eip_v2.ops.tsv, eip_v3.ops.tsv) answers
//   501 naming it: pre-paid EIPs and bandwidths, tags, batch create/delete/disassociate, shared bandwidth
//   insert/remove, v3 associate/disassociate, pools, bandwidth packages,
//   EIP jobs, NAT64, global EIPs. IPv6 EIPs are refused (400 VPC.0501). v3 sort_key/sort_dir and offset are
//   accepted and ignored (the order is creation order).
// By design: the pool is 198.18.0.0/15 (see vpc/index.ts). A bare path (no prefix, no Host) that both
//   services answer with one operation goes to the service whose operation list names that route
//   (resolve-service.ts): /v1/{project_id}/publicips to eip, /v1/{project_id}/quotas to vpc. v3's
//   public_border_group is "center", publicip_pool_id a stable id derived from the pool's name
//   (5_bgp, …), type "EIP", description "" (v1 has none to keep).
// Client quirks: no Node SDK package exists for EIP; the Python and Go SDKs (EipClient) reach it through
//   HUAWEICLOUD_SDK_REGION_EIP_<REGION>, which `hwlocal env` prints.
// Doubts: the token catalog type "eip" (Huawei's catalog for EIP is not in our references; VPC's is
//   "network"). EIP v3 errors: its reference gives no codes for a missing EIP or a bad marker; hwlocal
//   answers v1's (404 VPC.0504, 400 VPC.0101) in v1's flat {"code","message"} shape. v3 vnic: port_profile,
//   vtep and vni are "", instance_type is "ECS" with instance_id the server for a port a server owns
//   (device_owner compute:*), else both "". lock_status and billing_info are "" for pay-per-use EIPs.
import { defineService } from "../../kernel/service.ts";
import type { VpcContext } from "../vpc/context.ts";
import { eipServiceErrors } from "../vpc/context.ts";
import { vpcContextFor } from "../vpc/index.ts";
import { bandwidthOperations } from "../vpc/operations/bandwidths.ts";
import { neutronFloatingIpOperations } from "../vpc/operations/neutron-floatingips.ts";
import { showQuotaV1 } from "../vpc/operations/privateips.ts";
import { publicIpOperations } from "../vpc/operations/publicips.ts";
import { publicIpOperationsV3 } from "./operations/publicips-v3.ts";

export const eip = defineService<VpcContext>({
  name: "eip",
  catalogType: "eip",
  global: false,
  sdkCatalogues: ["eip_v2.ops.tsv", "eip_v3.ops.tsv"],
  errors: eipServiceErrors,
  // VPC's migrations create and own the tables.
  migrations: [],
  init: vpcContextFor,
  operations: [...publicIpOperations, ...bandwidthOperations, showQuotaV1, ...publicIpOperationsV3, ...neutronFloatingIpOperations],
});
