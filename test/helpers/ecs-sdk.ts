// The official ECS SDK client pointed at a test hwlocal: BasicCredentials with the project id, and the
// endpoint with hwlocal's /ecs path prefix (sdk-wire-facts §2). Importing sdk.ts silences the SDK's logger.
// Also OpenSSH key helpers to check what the key pair operations answer.
import { createHash, generateKeyPairSync } from "node:crypto";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { EcsClient } from "@huaweicloud/huaweicloud-sdk-ecs/v2/public-api.js";
import "./sdk.ts";
import type { Credentials } from "./sign.ts";

export function ecsClient(url: string, creds: Credentials & { projectId: string }): EcsClient {
  const cred = new BasicCredentials().withAk(creds.ak).withSk(creds.sk).withProjectId(creds.projectId);
  return EcsClient.newBuilder().withCredential(cred).withEndpoint(`${url}/ecs`).build();
}

/** The length-prefixed fields of an OpenSSH public key blob. */
export function blobFields(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    const len = blob.readUInt32BE(at);
    out.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

export const md5Fingerprint = (blob: Buffer) => createHash("md5").update(blob).digest("hex").match(/../g)!.join(":");

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** A fresh ed25519 public key in OpenSSH form, and its blob. */
export function ed25519PublicKey(): { text: string; blob: Buffer } {
  const { publicKey } = generateKeyPairSync("ed25519");
  const x = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(x)]);
  return { text: `ssh-ed25519 ${blob.toString("base64")} me@laptop`, blob };
}
