// Every id and secret hwlocal mints comes from here, so tests can make them deterministic.
// Spellings follow Huawei: resource ids are 32 lower-case hex (IAM) or UUIDs (ECS/VPC), access keys are
// 20 upper-case alphanumerics, secret keys 40 alphanumerics, tokens long opaque base64 strings ("MII…").
import { createHash, randomBytes } from "node:crypto";

export interface Ids {
  hex32(): string;
  uuid(): string;
  accessKey(): string;
  secretKey(): string;
  securityToken(): string;
  token(): string;
  requestId(): string;
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function pick(bytes: Buffer, alphabet: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

function formatUuid(hex: string): string {
  const h = hex.slice(0, 32).split("");
  h[12] = "4";
  h[16] = "89ab"[parseInt(h[16]!, 16) & 3]!;
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Builds an Ids from a source of random bytes. */
export function idsFrom(bytes: (n: number) => Buffer): Ids {
  return {
    hex32: () => bytes(16).toString("hex"),
    uuid: () => formatUuid(bytes(16).toString("hex")),
    accessKey: () => pick(bytes(20), UPPER_ALNUM, 20),
    secretKey: () => pick(bytes(40), ALNUM, 40),
    securityToken: () => `gQ${bytes(96).toString("base64url")}`,
    token: () => `MIIB${bytes(48).toString("base64url")}`,
    requestId: () => bytes(16).toString("hex"),
  };
}

/** Random bytes drawn from a pooled block: one system call per 256 request ids instead of one each. */
function pooledRandom(): (n: number) => Buffer {
  const POOL = 4096;
  let pool = randomBytes(POOL);
  let offset = 0;
  return (n) => {
    if (n > POOL) return randomBytes(n);
    if (offset + n > POOL) {
      pool = randomBytes(POOL);
      offset = 0;
    }
    const out = pool.subarray(offset, offset + n);
    offset += n;
    return out;
  };
}

/** Cryptographically random ids: the default. */
export const randomIds: Ids = idsFrom(pooledRandom());

/** Deterministic ids for tests: the same seed gives the same sequence. */
export function seededIds(seed: string): Ids {
  let counter = 0;
  return idsFrom((n) => {
    const out = Buffer.alloc(n);
    let filled = 0;
    while (filled < n) {
      const block = createHash("sha256").update(`${seed}:${counter++}`).digest();
      filled += block.copy(out, filled);
    }
    return out;
  });
}

/** A stable 32-hex id derived from a name, for the well-known seed account. */
export function stableHex32(name: string): string {
  return createHash("sha256").update(`hwlocal:${name}`).digest("hex").slice(0, 32);
}
