// RFC 6238 time-based one-time passwords as virtual MFA apps compute them: HMAC-SHA1 over 30-second steps,
// 6 digits, the seed shown to the user in base32. Time is hwlocal's clock, so tests compute codes exactly.
import { createHmac } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const TOTP_STEP_MS = 30_000;

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, "").toUpperCase()) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code of a base32 seed for the 30-second step that holds `ms` (plus `offset` steps). */
export function totpCode(seed: string, ms: number, offset = 0): string {
  const counter = Math.floor(ms / TOTP_STEP_MS) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", base32Decode(seed)).update(msg).digest();
  const at = mac[mac.length - 1]! & 15;
  const n = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, "0");
}

/** Accepts the current code or the one a step either side (clock drift), as authenticator checks do. */
export function totpValid(seed: string, ms: number, code: string): boolean {
  return [-1, 0, 1].some((o) => totpCode(seed, ms, o) === code);
}

/** Binding asks for two consecutive codes: `first` one step before `second`, around now. */
export function totpConsecutive(seed: string, ms: number, first: string, second: string): boolean {
  return [-2, -1, 0].some((o) => totpCode(seed, ms, o) === first && totpCode(seed, ms, o + 1) === second);
}
