// The neutron /v2.0 error catalogue. Neutron answers {"NeutronError":{"type","message","detail"}}, which
// openstacksdk reads; hwlocal renders it first (the "neutron" shape) and adds error_code/error_msg, as on
// every hwlocal answer. The codes are "chosen" (Huawei passes neutron's errors through without a VPC code):
// the VPC code of the same case where VPC has one (index.ts, Doubts).
import { ApiError } from "../../kernel/api-error.ts";
import { operationsFor, type ServiceErrors } from "../../kernel/service.ts";
import type { VpcContext } from "./context.ts";

const neutron = (status: number, code: string, type: string, message: string) =>
  new ApiError({ status, code, message, shape: "neutron", neutronType: type });

export const neutronErrors = {
  badRequest: (message: string) => neutron(400, "VPC.0101", "HTTPBadRequest", message),
  forbidden: (message: string) => neutron(403, "VPC.2201", "PolicyNotAuthorized", message),
  notFound: (resource: string, id: string) =>
    neutron(404, "VPC.0202", `${resource}NotFound`, `${spaced(resource)} ${id} could not be found.`),
  conflict: (type: string, message: string) => neutron(409, "VPC.0602", type, message),
  networkNotFound: (id: string) => neutron(404, "VPC.0202", "NetworkNotFound", `Network ${id} could not be found.`),
  subnetNotFound: (id: string) => neutron(404, "VPC.0202", "SubnetNotFound", `Subnet ${id} could not be found.`),
  portNotFound: (id: string) => neutron(404, "VPC.0202", "PortNotFound", `Port ${id} could not be found.`),
  routerNotFound: (id: string) => neutron(404, "VPC.0003", "RouterNotFound", `Router ${id} could not be found.`),
  securityGroupNotFound: (id: string) => neutron(404, "VPC.0603", "SecurityGroupNotFound", `Security group ${id} does not exist`),
  ruleNotFound: (id: string) => neutron(404, "VPC.0603", "SecurityGroupRuleNotFound", `Security group rule ${id} does not exist`),
  floatingIpNotFound: (id: string) => neutron(404, "VPC.0504", "FloatingIPNotFound", `Floating IP ${id} could not be found`),
  networkInUse: (id: string) =>
    neutron(409, "VPC.0602", "NetworkInUse", `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`),
  subnetInUse: (id: string) =>
    neutron(409, "VPC.0602", "SubnetInUse", `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`),
  routerInUse: (id: string) =>
    neutron(409, "VPC.0104", "RouterInUse", `Router ${id} still has ports. Router contains subnets, please delete subnet first.`),
  /** A marker that names no item of the list. */
  badMarker: (marker: string) => neutron(400, "VPC.0101", "HTTPBadRequest", `The marker ${marker} does not name an item of this list.`),
};

/** "SecurityGroupRule" → "Security group rule", for messages. */
function spaced(resource: string): string {
  const words = resource.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const neutronServiceErrors: ServiceErrors = {
  shape: "neutron",
  invalidBody: (detail) => neutronErrors.badRequest(`Invalid input for operation: ${detail}`),
  invalidParameter: (detail) => neutronErrors.badRequest(`Invalid input for operation: ${detail}`),
  forbidden: neutronErrors.forbidden,
};

/** Neutron operations: input failures are NeutronErrors; errors of VPC's own model are reshaped (errorShape). */
const build = operationsFor<VpcContext>(neutronServiceErrors);
export const neutronOperation: typeof build = (spec) => build({ ...spec, errorShape: "neutron" });
