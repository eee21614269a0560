// The official VPC SDK clients (v2 module = VPC v1 API, v3 module = VPC v3 API), pointed at a test hwlocal
// with BasicCredentials and the /vpc path prefix, as a user points them.
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import {
  CreatePortOption,
  CreatePortRequest,
  CreatePortRequestBody,
  CreateSubnetOption,
  CreateSubnetRequest,
  CreateSubnetRequestBody,
  CreateVpcOption,
  CreateVpcRequest,
  CreateVpcRequestBody,
  FixedIp,
  VpcClient,
} from "@huaweicloud/huaweicloud-sdk-vpc/v2/public-api.js";
import { VpcClient as VpcV3Client } from "@huaweicloud/huaweicloud-sdk-vpc/v3/public-api.js";
import type { Credentials } from "./sign.ts";
import "./sdk.ts";

function credentials(creds: Credentials, projectId: string): BasicCredentials {
  let c = new BasicCredentials().withAk(creds.ak).withSk(creds.sk).withProjectId(projectId);
  if (creds.securityToken) c = c.withSecurityToken(creds.securityToken);
  return c;
}

export function vpcClient(url: string, creds: Credentials, projectId: string): VpcClient {
  return VpcClient.newBuilder().withCredential(credentials(creds, projectId)).withEndpoint(`${url}/vpc`).build();
}

export function vpcV3Client(url: string, creds: Credentials, projectId: string): VpcV3Client {
  return VpcV3Client.newBuilder().withCredential(credentials(creds, projectId)).withEndpoint(`${url}/vpc`).build();
}

type Row = Record<string, unknown>;

/** Creates a VPC through the v1 API and returns its wire JSON. */
export async function newVpc(client: VpcClient, cidr: string, name = "vpc-test"): Promise<Row & { id: string }> {
  const res = await client.createVpc(new CreateVpcRequest().withBody(new CreateVpcRequestBody().withVpc(new CreateVpcOption().withName(name).withCidr(cidr))));
  return (res as unknown as { vpc: Row & { id: string } }).vpc;
}

/** Creates a subnet through the v1 API and returns its wire JSON. */
export async function newSubnet(
  client: VpcClient,
  opts: { vpcId: string; cidr: string; gatewayIp: string; name?: string; availabilityZone?: string },
): Promise<Row & { id: string; neutron_subnet_id: string }> {
  let option = new CreateSubnetOption().withName(opts.name ?? "subnet-test").withVpcId(opts.vpcId).withCidr(opts.cidr).withGatewayIp(opts.gatewayIp);
  if (opts.availabilityZone) option = option.withAvailabilityZone(opts.availabilityZone);
  const res = await client.createSubnet(new CreateSubnetRequest().withBody(new CreateSubnetRequestBody().withSubnet(option)));
  return (res as unknown as { subnet: Row & { id: string; neutron_subnet_id: string } }).subnet;
}

/** Creates a port on a subnet (optionally with a fixed address) and returns its wire JSON. */
export async function newPort(client: VpcClient, subnetId: string, ip?: string): Promise<Row & { id: string; fixed_ips: { ip_address: string }[] }> {
  let option = new CreatePortOption().withNetworkId(subnetId);
  if (ip !== undefined) option = option.withFixedIps([new FixedIp().withIpAddress(ip)]);
  const res = await client.createPort(new CreatePortRequest().withBody(new CreatePortRequestBody().withPort(option)));
  return (res as unknown as { port: Row & { id: string; fixed_ips: { ip_address: string }[] } }).port;
}
