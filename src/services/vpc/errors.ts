// The VPC/EIP error catalogue (reference huawei-api-facts.md §3.2, §3.3). VPC v1 and EIP answer the flat
// {"code","message"} body; VPC v3 operations answer {"error":{"code","message"}} (their errorShape
// "nested"); the gateway adds error_code/error_msg to both. Codes marked "chosen" are not in the reference
// for that case: each is the closest documented one, listed in the Doubts of index.ts.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const flat = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape: "flat" });

/** Neutron conflicts that Huawei passes through as a NeutronError JSON string inside its own message. */
function neutron(type: string, message: string): string {
  return JSON.stringify({ NeutronError: { message, type, detail: "" } });
}

export const vpcErrors = {
  invalidParameter: (detail: string) => flat(400, "VPC.0101", `Param is invalid. ${detail}`.trim()),
  forbidden: (detail: string) => flat(403, "VPC.2201", `Policy doesn't allow this operation to be performed. ${detail}`.trim()),
  invalidMarker: (marker: string) => flat(400, "VPC.0101", `Param is invalid. The marker ${marker} does not name an item of this list.`),

  vpcNotFound: (_id: string) => flat(404, "VPC.0003", "VPC does not exist."),
  vpcHasSubnets: () => flat(409, "VPC.0104", "Router contains subnets, please delete subnet first."),
  vpcQuota: () => flat(409, "VPC.0114", "Quota exceeded for resources: ['router']."),
  vpcCidrInvalid: (cidr: string) =>
    flat(400, "VPC.0101", `Param is invalid. The CIDR ${cidr} must be in 10.0.0.0/8-24, 172.16.0.0/12-24 or 192.168.0.0/16-24.`),
  /** chosen: a VPC CIDR change that would leave a subnet outside it. */
  vpcCidrExcludesSubnet: (cidr: string) => flat(400, "VPC.0203", `Subnet is not in the range of VPC. The CIDR ${cidr} does not contain every subnet.`),

  subnetInvalid: (detail: string) => flat(400, "VPC.0201", `Subnet is invalid. ${detail}`.trim()),
  subnetNotFound: (id: string) => flat(404, "VPC.0202", `Query resource by id ${id} fail.the subnet could not be found.`),
  subnetNotInVpc: () => flat(400, "VPC.0203", "Subnet is not in the range of VPC."),
  subnetConflict: () => flat(400, "VPC.0204", "The subnet has already existed in the VPC, or has been in conflict with the VPC subnet."),
  /** The reference documents 500; hwlocal answers 409 because the caller's state, not the server, is at fault. */
  subnetInUse: () => flat(409, "VPC.0209", "subnet is still used ,such as computer,LB."),
  /** chosen: VPC.0114 with the subnet resource named. */
  subnetQuota: () => flat(409, "VPC.0114", "Quota exceeded for resources: ['subnet']."),
  availabilityZoneInvalid: (az: string) => flat(400, "VPC.0101", `Param is invalid. The availability zone ${az} does not exist in this region.`),

  securityGroupInvalid: (detail: string) => flat(400, "VPC.0601", `Creating securitygroup is invalid. ${detail}`.trim()),
  securityGroupNotFound: (_id: string) => flat(404, "VPC.0603", "Securitygroup is not exist."),
  securityGroupQuota: () => flat(409, "VPC.0604", "Quota exceeded for resources: ['security_group']."),
  securityGroupInUse: (id: string) => flat(409, "VPC.0602", neutron("SecurityGroupInUse", `Security Group ${id} in use.`)),
  /** chosen: Neutron's refusal to remove a project's default group, wrapped like the other SG conflicts. */
  defaultSecurityGroup: () => flat(409, "VPC.0602", neutron("SecurityGroupCannotRemoveDefault", "Removing default security group not allowed.")),
  ruleInvalid: (detail: string) => flat(400, "VPC.0101", `Param is invalid. ${detail}`.trim()),
  ruleExists: () => flat(409, "VPC.0602", "Security group rule already exists."),
  /** chosen: the security group's not-found code, naming the rule. */
  ruleNotFound: (id: string) => flat(404, "VPC.0603", `Security group rule ${id} is not exist.`),
  /** chosen: VPC.0604 with the rule resource named. */
  ruleQuota: () => flat(409, "VPC.0604", "Quota exceeded for resources: ['security_group_rule']."),

  /** chosen: VPC.0202's "Query resource by id" form, naming the port. */
  portNotFound: (id: string) => flat(404, "VPC.0202", `Query resource by id ${id} fail.the port could not be found.`),
  privateIpNotFound: (id: string) => flat(404, "VPC.0202", `Query resource by id ${id} fail.the privateip could not be found.`),
  /** chosen: a Neutron 409 wrapped as VPC.0602, as Huawei does for security-group conflicts. */
  ipInUse: (ip: string, subnetId: string) =>
    flat(409, "VPC.0602", neutron("IpAddressAlreadyAllocated", `IP address ${ip} already allocated in subnet ${subnetId}.`)),
  ipExhausted: (networkId: string) =>
    flat(409, "VPC.0602", neutron("IpAddressGenerationFailure", `No more IP addresses available on network ${networkId}.`)),
  ipNotInSubnet: (ip: string) => flat(400, "VPC.0101", `Param is invalid. The IP address ${ip} is not in the subnet.`),
  ipReserved: (ip: string) => flat(400, "VPC.0101", `Param is invalid. The IP address ${ip} is reserved in the subnet.`),
  portInUse: (id: string, deviceId: string) =>
    flat(409, "VPC.0602", neutron("PortInUse", `Port ${id} cannot be deleted directly via the port API: it is used by device ${deviceId}.`)),

  publicIpInvalid: (detail: string) => flat(400, "VPC.0501", `Param is invalid. ${detail}`.trim()),
  publicIpNotFound: (_id: string) => flat(404, "VPC.0504", "Floating IP could not be found."),
  publicIpBound: () => flat(409, "VPC.0510", "Floatingip has already associated with port."),
  portHasPublicIp: () => flat(409, "VPC.0511", "Port has already associated with floatingip."),
  publicIpDeleteBound: () => flat(409, "VPC.0517", "Floatingip has associated with port, please disassociate it firstly."),
  publicIpQuota: () => flat(409, "VPC.0521", "Quota exceeded for resources: ['floatingip']."),
  /** chosen: VPC.0521's form for the shared-bandwidth quotas. */
  bandwidthQuota: (what: string) => flat(409, "VPC.0521", `Quota exceeded for resources: ['${what}'].`),
  publicIpPoolExhausted: () => flat(409, "VPC.0512", "Resource status is busy, try it again later. The public IP pool is exhausted."),
  /** chosen: EIP's not-found code, naming the bandwidth. */
  bandwidthNotFound: (id: string) => flat(404, "VPC.0504", `Bandwidth ${id} could not be found.`),
  /** Tag input (reference of the tag APIs: VPC.1801 for malformed tags, VPC.1814 for too many or repeated keys). */
  tagInvalid: (detail: string) => flat(400, "VPC.1801", `Invalid input for operation: ${detail}`),
  tagQuota: (id: string, max: number) => flat(400, "VPC.1814", `Invalid input for operation: resource_id: ${id}, number of tags exceed max num of ${max}.`),
  tagDuplicated: () => flat(400, "VPC.1814", "Invalid input for operation: tags key is duplicated."),
  /** chosen: a missing key on the single-tag delete, in the tag APIs' code. */
  tagNotFound: (key: string) => flat(404, "VPC.1801", `Tag key ${key} does not exist.`),
  /** chosen: a resource of the v3 APIs kept as a document, not found (its type named). */
  resourceNotFound: (type: string, id: string) => flat(404, "VPC.0202", `Query resource by id ${id} fail.the ${type} could not be found.`),
  /** chosen: a resource still referenced by another. */
  resourceInUse: (type: string, id: string, detail: string) => flat(409, "VPC.0602", `The ${type} ${id} is in use. ${detail}`.trim()),
  /** chosen: VPC.0114's quota form with the resource named. */
  quota: (what: string) => flat(409, "VPC.0114", `Quota exceeded for resources: ['${what}'].`),
  bandwidthInUse: (id: string) => flat(409, "VPC.0512", `Resource status is busy, try it again later. The bandwidth ${id} still holds public IPs.`),
};

export const vpcServiceErrors: ServiceErrors = {
  shape: "flat",
  invalidBody: vpcErrors.invalidParameter,
  invalidParameter: vpcErrors.invalidParameter,
  forbidden: vpcErrors.forbidden,
};
