// SSH key material for nova key pairs: a generated RSA key pair in the forms nova returns (an OpenSSH
// public key, a PKCS#1 PEM private key), and checks of imported OpenSSH public keys. Fingerprints are the
// MD5 of the key blob in colon-separated hex, as nova computes them.
import { createHash, generateKeyPair } from "node:crypto";

/** Key types accepted on import, with how many length-prefixed fields their blob holds. */
const BLOB_FIELDS: Record<string, number> = {
  "ssh-rsa": 3,
  "ssh-dss": 5,
  "ssh-ed25519": 2,
  "ecdsa-sha2-nistp256": 3,
  "ecdsa-sha2-nistp384": 3,
  "ecdsa-sha2-nistp521": 3,
};

export interface SshKeyPair {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** An SSH mpint from big-endian unsigned bytes: no leading zeros, a 0x00 when the top bit is set. */
function mpint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const trimmed = b.subarray(i);
  return sshString((trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function fingerprint(blob: Buffer): string {
  return createHash("md5").update(blob).digest("hex").replace(/(..)(?!$)/g, "$1:");
}

/** A fresh 2048-bit RSA key pair (generated off the event loop). */
export function generateRsaKeyPair(comment: string): Promise<SshKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048, publicExponent: 0x10001 }, (err, publicKey, privateKey) => {
      if (err) {
        reject(err);
        return;
      }
      const jwk = publicKey.export({ format: "jwk" });
      if (typeof jwk.n !== "string" || typeof jwk.e !== "string") {
        reject(new Error("the generated RSA key has no modulus"));
        return;
      }
      const blob = Buffer.concat([
        sshString(Buffer.from("ssh-rsa")),
        mpint(Buffer.from(jwk.e, "base64url")),
        mpint(Buffer.from(jwk.n, "base64url")),
      ]);
      resolve({
        publicKey: `ssh-rsa ${blob.toString("base64")} ${comment}`,
        privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        fingerprint: fingerprint(blob),
      });
    });
  });
}

/** The blob's length-prefixed fields, or undefined when they do not exactly fill it. */
function blobFields(blob: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return fields;
}

/**
 * Checks an imported OpenSSH public key ("ssh-rsa AAAA… comment") and returns its fingerprint, or the
 * reason it is not a key.
 */
export function checkPublicKey(text: string): { ok: true; fingerprint: string } | { ok: false; reason: string } {
  const parts = text.trim().split(/\s+/);
  const [type, data] = parts;
  if (type === undefined || data === undefined) return { ok: false, reason: "failed to generate fingerprint" };
  const expected = BLOB_FIELDS[type];
  if (expected === undefined) return { ok: false, reason: `the key type ${type.slice(0, 40)} is not supported` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) return { ok: false, reason: "failed to generate fingerprint" };
  const blob = Buffer.from(data, "base64");
  const fields = blobFields(blob);
  if (!fields || fields.length !== expected || fields[0]!.toString("latin1") !== type) {
    return { ok: false, reason: "failed to generate fingerprint" };
  }
  if (type === "ssh-ed25519" && fields[1]!.length !== 32) return { ok: false, reason: "failed to generate fingerprint" };
  if (type === "ssh-rsa" && fields[2]!.length * 8 < 1024) return { ok: false, reason: "the RSA key is shorter than 1024 bits" };
  return { ok: true, fingerprint: fingerprint(blob) };
}
