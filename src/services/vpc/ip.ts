// IPv4 arithmetic on unsigned 32-bit integers: parsing, CIDR blocks, containment and overlap. Addresses are
// numbers so that SQLite can index them and find free ones with a range query.
import { isIPv6 } from "node:net";

export interface Cidr {
  /** First address (the network address) as an unsigned integer. */
  network: number;
  prefix: number;
  /** Last address (the broadcast address). */
  broadcast: number;
  /** Canonical spelling, e.g. "10.0.0.0/24". */
  text: string;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Dotted-quad IPv4 → unsigned integer; undefined unless it is exactly four decimal octets. */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/**
 * "a.b.c.d/p" → Cidr. With `strict`, host bits must be zero (Huawei refuses "10.0.0.1/24" as a VPC or
 * subnet CIDR); otherwise the block containing the address is returned.
 */
export function parseCidr(s: string, strict = true): Cidr | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIpv4(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9][0-9]?)$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > 32) return undefined;
  const size = blockSize(prefix);
  const network = ip - (ip % size);
  if (strict && network !== ip) return undefined;
  return { network, prefix, broadcast: network + size - 1, text: `${formatIpv4(network)}/${prefix}` };
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.network >= outer.network && inner.broadcast <= outer.broadcast;
}

export function cidrHas(c: Cidr, ip: number): boolean {
  return ip >= c.network && ip <= c.broadcast;
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast;
}

/** An IPv6 CIDR ("2001:db8::/32"), checked loosely: a valid address and a prefix of 0–128. */
export function isIpv6Cidr(s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return false;
  const p = s.slice(slash + 1);
  return isIPv6(s.slice(0, slash)) && /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 128;
}

/** The private blocks a VPC CIDR must lie in, each with the longest prefix Huawei accepts (reference §3.2). */
const VPC_BLOCKS: { block: Cidr; maxPrefix: number }[] = [
  { block: parseCidr("10.0.0.0/8")!, maxPrefix: 24 },
  { block: parseCidr("172.16.0.0/12")!, maxPrefix: 24 },
  { block: parseCidr("192.168.0.0/16")!, maxPrefix: 24 },
];

/** A VPC CIDR: 10.0.0.0/8–24, 172.16.0.0/12–24 or 192.168.0.0/16–24. */
export function isValidVpcCidr(c: Cidr): boolean {
  return VPC_BLOCKS.some(({ block, maxPrefix }) => cidrContains(block, c) && c.prefix >= block.prefix && c.prefix <= maxPrefix);
}

/** The longest subnet prefix Huawei accepts (a /28 is the smallest subnet). */
export const MAX_SUBNET_PREFIX = 28;

/**
 * The addresses of a subnet that ports and private IPs may take: everything but the network address and
 * the last three (broadcast and the two below it, which Huawei keeps for DHCP and its own use). The
 * gateway is not excluded here: it is stored as an allocation of its own.
 */
export function allocatableRange(c: Cidr): { lo: number; hi: number } {
  return { lo: c.network + 1, hi: c.broadcast - 3 };
}
