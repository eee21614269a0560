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

// A self-signed EC certificate for www.example.com (and example.com) valid until 2126, with its key, and a
// self-signed CA certificate: generated once with openssl for these tests.
export const SERVER_CERT = `-----BEGIN CERTIFICATE-----
MIIBtDCCAVqgAwIBAgIUIfxvBTn0dFGIiEfkizPaSJ/xIY4wCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPd3d3LmV4YW1wbGUuY29tMCAXDTI2MTIwNzEzMDYzN1oYDzIx
MjYxMTEzMTMwNjM3WjAaMRgwFgYDVQQDDA93d3cuZXhhbXBsZS5jb20wWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARP0kD9ZvgcTCI8K/SZ6s8StMPvUXlCcukM6MYX
jENXW+1Ew/NGFrfJCALX/vNdRqEbhBqznGb+pSRXA9RSOokNo3wwejAdBgNVHQ4E
FgQUr1eg2pAB/c0vM/iEvjlJDC9qNdYwHwYDVR0jBBgwFoAUr1eg2pAB/c0vM/iE
vjlJDC9qNdYwDwYDVR0TAQH/BAUwAwEB/zAnBgNVHREEIDAegg93d3cuZXhhbXBs
ZS5jb22CC2V4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUCIH9Sc9U4nQPGjTS/
2NnZP2gKjLZVqyvb4oDDAQSFl+sPAiEA9QLA+eofwATH6FlCT1gx7g6+BG388yK2
oiIdxJDr310=
-----END CERTIFICATE-----`;
export const SERVER_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZXR6bCgoAMUK03cj
2CHuroP2QskV9pSHo7VUHx69h76hRANCAARP0kD9ZvgcTCI8K/SZ6s8StMPvUXlC
cukM6MYXjENXW+1Ew/NGFrfJCALX/vNdRqEbhBqznGb+pSRXA9RSOokN
-----END PRIVATE KEY-----`;
export const CA_CERT = `-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUIoGKFEQKuypNIEZr7JUyu9kPrsYwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPaHdsb2NhbCB0ZXN0IENBMCAXDTI2MTIwNzEzMDYzN1oYDzIx
MjYxMTEzMTMwNjM3WjAaMRgwFgYDVQQDDA9od2xvY2FsIHRlc3QgQ0EwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAATprVH1pb5Igs8wyxAUrRR5380kuw0rtrFHnVpM
R9PtGrO5kIaFi69BQHvkIzyNaJYn1waOX0+7QonGxa3CPF1Xo1MwUTAdBgNVHQ4E
FgQUgQvNXiLfy/Ev+UeHQfU/8hyksnUwHwYDVR0jBBgwFoAUgQvNXiLfy/Ev+UeH
QfU/8hyksnUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAquCU
ht4lauWhjIqurhBc22KoLguISk/HgHaoZib396kCIDN6uugpl6aVVe14/7pWMO7t
MNJOabLWQ9WfzdmCDGfB
-----END CERTIFICATE-----`;
export const CA_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmrtt8Qbtwc7pNk08
BcO7SVA41Sz18/uIrKMNsBXEUSShRANCAATprVH1pb5Igs8wyxAUrRR5380kuw0r
trFHnVpMR9PtGrO5kIaFi69BQHvkIzyNaJYn1waOX0+7QonGxa3CPF1X
-----END PRIVATE KEY-----`;
