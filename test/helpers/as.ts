// Shared by the Auto Scaling tests: the image they launch, Huawei's AS error check, the network and
// configuration most of them start from, and a local HTTP receiver for SMN notifications.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallResult, TestHwlocal } from "./hwlocal.ts";
import { newSubnet, newVpc, vpcClient } from "./vpc-sdk.ts";

/** The public Ubuntu 22.04 image of hwlocal's IMS catalogue. */
export const UBUNTU = "24e55760-5493-4b66-b471-ddaa29f3f89f";

/** An AS error: the status, {"error":{"code","message"}}, and error_code/error_msg alike. */
export function expectError(r: CallResult, code: string, status = 400): void {
  assert.equal(r.status, status, r.text);
  const error = r.json.error as { code: string; message: string };
  assert.equal(error.code, code, r.text);
  assert.equal(typeof error.message, "string");
  assert.equal(r.json.error_code, code);
}

/** A VPC 10.0.0.0/16 with a subnet 10.0.1.0/24 and an AS configuration "cfg" (s6.small.1, Ubuntu, 40 GB SSD). */
export async function asNetwork(hw: TestHwlocal, projectId = hw.projectId()): Promise<{ vpcId: string; subnetId: string; configId: string }> {
  const v1 = vpcClient(hw.url, hw.admin, projectId);
  const vpcId = (await newVpc(v1, "10.0.0.0/16")).id;
  const subnetId = (await newSubnet(v1, { vpcId, cidr: "10.0.1.0/24", gatewayIp: "10.0.1.1" })).id;
  const c = await hw.call("POST", `/as/autoscaling-api/v1/${projectId}/scaling_configuration`, {
    body: {
      scaling_configuration_name: "cfg",
      instance_config: { flavorRef: "s6.small.1", imageRef: UBUNTU, disk: [{ size: 40, volume_type: "SSD", disk_type: "SYS" }], metadata: { admin_pass: "Passw0rd!x" } },
    },
  });
  assert.equal(c.status, 200, c.text);
  return { vpcId, subnetId, configId: c.json.scaling_configuration_id as string };
}

/** An ECS key pair of the admin in the project (AS configurations may name only existing ones, AS.7022). */
export async function newKeypair(hw: TestHwlocal, name: string, projectId = hw.projectId()): Promise<void> {
  const r = await hw.call("POST", `/ecs/v2.1/${projectId}/os-keypairs`, { body: { keypair: { name } } });
  assert.equal(r.status, 200, r.text);
}

/** An SMN topic of the project; its URN (AS notifications and hooks may name only existing ones). */
export async function newTopic(hw: TestHwlocal, name: string, projectId = hw.projectId()): Promise<string> {
  const r = await hw.call("POST", `/smn/v2/${projectId}/notifications/topics`, { body: { name, display_name: name } });
  assert.equal(r.status, 201, r.text);
  return r.json.topic_urn as string;
}

/** A local HTTP receiver (an SMN http subscriber): every JSON body POSTed to it lands in `hits`. */
export async function httpReceiver(path: string): Promise<{ url: string; hits: Record<string, unknown>[]; close: () => Promise<void> }> {
  const hits: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (b: Buffer) => chunks.push(b));
    req.on("end", () => {
      hits.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
