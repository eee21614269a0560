// Shared by the ELB tests: ELB's flat error check, a VPC with a subnet (ids of both kinds), an EIP, and
// ECS servers launched and stopped through raw signed requests.
import assert from "node:assert/strict";
import type { CallResult, TestHwlocal } from "./helpers/hwlocal.ts";
import { newSubnet, newVpc, vpcClient } from "./helpers/vpc-sdk.ts";
import { UBUNTU } from "./helpers/as.ts";

type Row = Record<string, unknown>;

/** An ELB error: the status, error_code and a string error_msg (plus request_id). */
export function expectElbError(r: CallResult, code: string, status: number): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error_code, code, r.text);
  assert.equal(typeof r.json.error_msg, "string");
  assert.equal(typeof r.json.request_id, "string");
}

export interface ElbNet {
  vpcId: string;
  /** The subnet's id (network id, what ECS nics and elb_virsubnet_ids name). */
  networkId: string;
  /** Its IPv4 subnet id (neutron_subnet_id, what vip_subnet_cidr_id and subnet_cidr_id name). */
  subnetCidrId: string;
}

export async function elbNetwork(hw: TestHwlocal, cidr = "10.0.1.0/24", projectId = hw.projectId()): Promise<ElbNet> {
  const v1 = vpcClient(hw.url, hw.admin, projectId);
  const vpcId = (await newVpc(v1, "10.0.0.0/16")).id;
  const s = await newSubnet(v1, { vpcId, cidr, gatewayIp: cidr.replace(/0\/24$/, "1") });
  return { vpcId, networkId: s.id, subnetCidrId: s.neutron_subnet_id };
}

export async function newEip(hw: TestHwlocal, projectId = hw.projectId()): Promise<{ id: string; address: string }> {
  const r = await hw.call("POST", `/vpc/v1/${projectId}/publicips`, { body: { publicip: { type: "5_bgp" }, bandwidth: { share_type: "PER", name: "bw", size: 5 } } });
  assert.equal(r.status, 200, r.text);
  const p = r.json.publicip as { id: string; public_ip_address: string };
  return { id: p.id, address: p.public_ip_address };
}

/** Launches servers on the subnet (ECS's CreatePostPaidServers); their ids. */
export async function newServers(hw: TestHwlocal, net: ElbNet, count: number, name = "web"): Promise<string[]> {
  const r = await hw.call("POST", `/ecs/v1/${hw.projectId()}/cloudservers`, {
    body: {
      server: { name, flavorRef: "s6.small.1", imageRef: UBUNTU, vpcid: net.vpcId, nics: [{ subnet_id: net.networkId }], root_volume: { volumetype: "SSD", size: 40 }, count, adminPass: "Passw0rd!x" },
    },
  });
  assert.equal(r.status, 200, r.text);
  return r.json.serverIds as string[];
}

export async function serverAddress(hw: TestHwlocal, id: string): Promise<{ status: string; ip: string }> {
  const r = await hw.call("GET", `/ecs/v1/${hw.projectId()}/cloudservers/${id}`);
  assert.equal(r.status, 200, r.text);
  const s = r.json.server as { status: string; addresses: Record<string, { addr: string }[]> };
  const ip = Object.values(s.addresses)[0]?.[0]?.addr ?? "";
  return { status: s.status, ip };
}

export async function stopServer(hw: TestHwlocal, id: string): Promise<void> {
  const r = await hw.call("POST", `/ecs/v1/${hw.projectId()}/cloudservers/action`, { body: { "os-stop": { type: "SOFT", servers: [{ id }] } } });
  assert.equal(r.status, 200, r.text);
}

export async function startServer(hw: TestHwlocal, id: string): Promise<void> {
  const r = await hw.call("POST", `/ecs/v1/${hw.projectId()}/cloudservers/action`, { body: { "os-start": { servers: [{ id }] } } });
  assert.equal(r.status, 200, r.text);
}

export async function advance(hw: TestHwlocal, seconds: number): Promise<void> {
  assert.equal((await hw.call("POST", "/_hwlocal/clock/advance", { creds: null, body: { seconds } })).status, 200);
}

export function body(r: CallResult, key: string): Row {
  return r.json[key] as Row;
}
