// OpenID Connect ID tokens checked offline, and Keystone mapping rules applied to their claims.
// An ID token is a JWS in compact form (header.payload.signature, base64url). It is verified with node:crypto
// against the identity provider's JWKS (the OIDC configuration's signing_key): RS256/384/512, PS256/384/512,
// ES256/384/512 and EdDSA; "none" and HMAC algorithms are refused (the JWKS holds public keys). A key is chosen
// by the header's kid when it names one (keys without a kid are tried when none has it), else every key of a
// fitting type and algorithm is tried. Then the claims: iss equals
// the configuration's idp_url, aud (a string or a list) holds its client_id, exp is after now, nbf (if any) and
// iat (if any) are not after now, on hwlocal's clock. No leeway for clock skew: hwlocal's clock is the only one.
import { createPublicKey, constants, verify, type JsonWebKey, type KeyObject } from "node:crypto";

export type Claims = Record<string, unknown>;

/** signed: the signature verified (the refusal is about the claims): the identity provider is the token's. */
export type IdTokenCheck = { ok: true; claims: Claims } | { ok: false; reason: string; signed: boolean };

interface Jwk {
  kty?: unknown;
  kid?: unknown;
  alg?: unknown;
  use?: unknown;
  [k: string]: unknown;
}

const HASHES: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The key type an algorithm needs, or undefined for an algorithm not verified here. */
function keyTypeOf(alg: string): "RSA" | "EC" | "OKP" | undefined {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return "RSA";
  if (/^ES(256|384|512)$/.test(alg)) return "EC";
  if (alg === "EdDSA") return "OKP";
  return undefined;
}

function verifyWith(alg: string, key: KeyObject, data: Buffer, sig: Buffer): boolean {
  try {
    if (alg === "EdDSA") return verify(null, data, key, sig);
    const hash = HASHES[alg.slice(2)]!;
    if (alg.startsWith("PS")) return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, sig);
    if (alg.startsWith("ES")) return verify(hash, data, { key, dsaEncoding: "ieee-p1363" }, sig);
    return verify(hash, data, key, sig);
  } catch {
    return false;
  }
}

function keysOf(signingKey: string): Jwk[] {
  try {
    const doc = JSON.parse(signingKey) as { keys?: unknown };
    return Array.isArray(doc.keys) ? doc.keys.filter((k): k is Jwk => typeof k === "object" && k !== null) : [];
  } catch {
    return [];
  }
}

/** Checks an ID token's signature and claims against an OIDC configuration, at `nowMs`. */
export function checkIdToken(idToken: string, config: { idp_url: string; client_id: string; signing_key: string }, nowMs: number): IdTokenCheck {
  const parts = idToken.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, signed: false, reason: "the id_token is not a signed JWT (header.payload.signature)" };
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  const claims = decodeJson(p);
  if (!header || !claims) return { ok: false, signed: false, reason: "the id_token's header or payload is not a JSON object" };
  const alg = typeof header.alg === "string" ? header.alg : "";
  const kty = keyTypeOf(alg);
  if (!kty) return { ok: false, signed: false, reason: `the id_token's algorithm ${alg || "(none)"} is not supported` };
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const fitting = keysOf(config.signing_key).filter((k) => k.kty === kty && (k.alg === undefined || k.alg === alg) && (k.use === undefined || k.use === "sig"));
  // The key the header names; a JWKS whose keys carry no kid is tried whole.
  const named = fitting.filter((k) => k.kid === kid);
  const candidates = kid !== undefined && named.length > 0 ? named : fitting.filter((k) => kid === undefined || k.kid === undefined);
  if (candidates.length === 0) return { ok: false, signed: false, reason: `no key in the identity provider's signing_key fits the id_token (kid ${kid ?? "none"}, ${alg})` };
  const data = Buffer.from(`${h}.${p}`, "ascii");
  const sig = Buffer.from(s, "base64url");
  const verified = candidates.some((jwk) => {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    } catch {
      return false;
    }
    return verifyWith(alg, key, data, sig);
  });
  if (!verified) return { ok: false, signed: false, reason: "the id_token's signature does not verify with the identity provider's signing_key" };
  const now = nowMs / 1000;
  if (claims.iss !== config.idp_url) return { ok: false, signed: true, reason: `the id_token's issuer ${String(claims.iss)} is not the identity provider's ${config.idp_url}` };
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(config.client_id)) return { ok: false, signed: true, reason: `the id_token's audience does not include the client id ${config.client_id}` };
  if (typeof claims.exp !== "number") return { ok: false, signed: true, reason: "the id_token has no exp" };
  if (claims.exp <= now) return { ok: false, signed: true, reason: "the id_token has expired" };
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now)) return { ok: false, signed: true, reason: "the id_token is not valid yet (nbf)" };
  if (claims.iat !== undefined && (typeof claims.iat !== "number" || claims.iat > now || claims.iat > claims.exp)) return { ok: false, signed: true, reason: "the id_token's iat is in the future" };
  return { ok: true, claims };
}

// ---- mapping rules

export interface MappingRule {
  local: { user?: { name: string } | undefined; group?: { name: string } | undefined }[];
  remote: { type: string; any_one_of?: string[] | undefined; not_any_of?: string[] | undefined; regex?: boolean | undefined }[];
}

/** A claim's values as strings: a list's members, or the one scalar; undefined when absent. */
function claimValues(claims: Claims, type: string): string[] | undefined {
  const v = claims[type];
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean").map(String);
}

function anyMatches(values: string[], patterns: string[], regex: boolean): boolean {
  if (!regex) return values.some((v) => patterns.includes(v));
  return patterns.some((pat) => {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pat})$`);
    } catch {
      return false;
    }
    return values.some((v) => re.test(v));
  });
}

/** "{0}", "{1}", ... replaced by the rule's direct maps (the remote entries with neither any_one_of nor not_any_of). */
function substitute(template: string, direct: string[][]): string[] {
  let out = [template];
  for (const m of template.matchAll(/\{(\d+)\}/g)) {
    const values = direct[Number(m[1])];
    if (!values) return [];
    out = out.flatMap((t) => values.map((v) => t.split(m[0]).join(v)));
  }
  return out;
}

export interface Mapped {
  userName: string;
  groupNames: string[];
}

/**
 * Keystone's rules: a rule applies when every remote entry holds (the claim is present; any_one_of: one of its
 * values is listed, or matches a listed pattern with regex; not_any_of: none is); its local entries then give
 * the user name and groups, with {N} replaced by the Nth direct map's value. The first applying rule that names
 * a user gives the user; the groups of every applying rule are joined. undefined: no rule applies, or none
 * gives a user.
 */
export function applyMapping(rules: MappingRule[], claims: Claims): Mapped | undefined {
  let userName: string | undefined;
  const groups = new Set<string>();
  let matched = false;
  for (const rule of rules) {
    const direct: string[][] = [];
    const holds = rule.remote.every((r) => {
      const values = claimValues(claims, r.type);
      if (values === undefined) return false;
      if (r.any_one_of) return anyMatches(values, r.any_one_of, r.regex === true);
      if (r.not_any_of) return !anyMatches(values, r.not_any_of, r.regex === true);
      direct.push(values);
      return true;
    });
    if (!holds) continue;
    matched = true;
    for (const local of rule.local) {
      if (local.user && userName === undefined) userName = substitute(local.user.name, direct)[0];
      if (local.group) for (const g of substitute(local.group.name, direct)) groups.add(g);
    }
  }
  return matched && userName ? { userName, groupNames: [...groups] } : undefined;
}
