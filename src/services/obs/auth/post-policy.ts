// Browser form uploads (POST to a bucket with multipart/form-data): the signature is over the base64
// `policy` field as sent, and the policy's expiration and conditions bind the other form fields (OBS API
// reference 基于浏览器上传的表单中携带签名.md, POST上传.md; AWS's "Creating a POST Policy").
// - V2/OBS: `AWSAccessKeyId`/`AccessKeyId` + `policy` + `signature` = base64(HMAC-SHA1(SK, policy)), or
//   OBS's single `token` = `ak:signature:policy` (esdk createPostSignatureSync);
// - V4: `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `policy`, `x-amz-signature` =
//   hex(HMAC-SHA256(signing key, policy)) (esdk createV4PostSignatureSync, @aws-sdk/s3-presigned-post).
// Field names match case-insensitively (esdk's sample sends `Accesskeyid`). Every field but the credential,
// `policy`, `file` and `x-ignore-*` must be named by a condition. esdk writes its policies with a trailing
// comma (`…""],]}`, facts §2.1), which is not JSON: the signature covers the base64 text, so it verifies,
// and the conditions are parsed after dropping commas that precede "]" or "}".
// The caller collects the fields that precede `file` (OBS requires `file` to be last) and passes the
// file's size when it knows it; otherwise the content-length-range comes back for a check after streaming.
import { createHmac } from "node:crypto";
import { hmacSha1Base64, lowerKeys, parseIsoBasic, sameSignature, SCOPE_MAX_AGE_MS } from "./canonical.ts";
import { authFailures } from "./failures.ts";
import { checkKey } from "./key-check.ts";
import type { ObsAuthContext, ObsAuthFailure, ObsAuthResult, ObsAuthSuccess } from "./types.ts";
import { parseCredential, V4_ALGORITHM, v4SigningKey } from "./v4.ts";

export interface PostPolicyInput extends ObsAuthContext {
  /** The form fields sent before `file`, names as sent. */
  fields: Readonly<Record<string, string>>;
  /** The bucket the form posts to (from the Host or the path). */
  bucket: string;
  /** The uploaded file's size in bytes, when known. */
  fileSize?: number;
}

/** Fields that carry the credential itself and never need a condition. */
const EXEMPT = new Set(["awsaccesskeyid", "accesskeyid", "signature", "x-amz-signature", "policy", "token", "file"]);

/** Whether a form carries any credential; without one it is an anonymous upload (public-write buckets). */
export function postFormHasCredential(fields: Readonly<Record<string, string>>): boolean {
  const f = lowerKeys(fields);
  return ["policy", "token", "signature", "x-amz-signature", "awsaccesskeyid", "accesskeyid", "x-amz-credential"].some((n) => f.has(n));
}

/** Drops commas that directly precede "]" or "}" outside strings: esdk's V4 policy ends in `""],]}`. */
export function stripTrailingCommas(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === "\\") out += text[++i] ?? "";
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === ",") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === "]" || text[j] === "}") continue;
    }
    out += ch;
  }
  return out;
}

interface ParsedCredential {
  accessKey: string;
  scheme: "post-v2" | "post-v4";
  policy: string;
  signature: string;
  /** V4 only. */
  v4?: { date: string; region: string; service: string; terminal: string; amzDate: string };
}

function parseFormCredential(f: Map<string, string>): ParsedCredential | ObsAuthFailure {
  const algorithm = f.get("x-amz-algorithm");
  if (algorithm !== undefined || f.has("x-amz-signature") || f.has("x-amz-credential")) {
    if (algorithm !== V4_ALGORITHM) return authFailures.invalidArgument('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    const cred = parseCredential(f.get("x-amz-credential") ?? "");
    const amzDate = f.get("x-amz-date") ?? "";
    const policy = f.get("policy");
    const signature = f.get("x-amz-signature");
    if (!cred) return authFailures.invalidArgument("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed.");
    if (cred.service !== "s3" || cred.terminal !== "aws4_request") {
      return authFailures.invalidArgument(`Error parsing the X-Amz-Credential parameter; incorrect scope "${cred.scope}".`);
    }
    if (parseIsoBasic(amzDate) === undefined) return authFailures.invalidArgument("X-Amz-Date must be in the ISO8601 Long Format.");
    if (!policy || !signature) return authFailures.invalidArgument("Bucket POST must contain the fields 'policy' and 'X-Amz-Signature'.");
    return { accessKey: cred.accessKey, scheme: "post-v4", policy, signature: signature.toLowerCase(), v4: { ...cred, amzDate } };
  }
  const token = f.get("token");
  if (token !== undefined) {
    const first = token.indexOf(":");
    const second = token.indexOf(":", first + 1);
    if (first <= 0 || second < 0) return authFailures.invalidArgument("The form field 'token' must be AccessKeyId:signature:policy.");
    return { accessKey: token.slice(0, first), scheme: "post-v2", signature: token.slice(first + 1, second), policy: token.slice(second + 1) };
  }
  const accessKey = f.get("awsaccesskeyid") ?? f.get("accesskeyid");
  const policy = f.get("policy");
  const signature = f.get("signature");
  if (!accessKey) {
    return authFailures.invalidArgument("Bucket POST must contain a field named 'AccessKeyId'.  If it is specified, please check the order of the fields.");
  }
  if (!policy || !signature) return authFailures.invalidArgument("Bucket POST must contain the fields 'policy' and 'signature'.");
  return { accessKey, scheme: "post-v2", policy, signature };
}

type Range = { min: number; max: number };

/** Expiration and conditions; returns the content-length-range, or the failure. */
function checkPolicy(input: PostPolicyInput, f: Map<string, string>, policyB64: string): Range | undefined | ObsAuthFailure {
  let doc: unknown;
  try {
    doc = JSON.parse(stripTrailingCommas(Buffer.from(policyB64, "base64").toString("utf8")));
  } catch {
    return authFailures.policyInvalid("Invalid JSON.");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return authFailures.policyInvalid("Invalid JSON.");
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (typeof expiration !== "string") return authFailures.policyInvalid("Policy missing expiration.");
  const expiresMs = Date.parse(expiration);
  if (Number.isNaN(expiresMs)) return authFailures.policyInvalid(`Invalid 'expiration' value: '${expiration}'`);
  if (input.wallNowMs > expiresMs) return authFailures.policyExpired();
  if (!Array.isArray(conditions)) return authFailures.policyInvalid("Policy missing conditions.");

  const value = (name: string): string => (name === "bucket" ? input.bucket : (f.get(name) ?? ""));
  const covered = new Set<string>();
  let range: Range | undefined;
  for (const c of conditions as unknown[]) {
    if (Array.isArray(c)) {
      const op = String(c[0]).toLowerCase();
      if (op === "content-length-range") {
        const min = Number(c[1]);
        const max = Number(c[2]);
        if (c.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
          return authFailures.policyInvalid(`Invalid Condition: ${JSON.stringify(c)}`);
        }
        range = { min, max };
        continue;
      }
      const name = c[1];
      if ((op !== "eq" && op !== "starts-with") || c.length !== 3 || typeof name !== "string" || !name.startsWith("$")) {
        return authFailures.policyInvalid(`Invalid Condition: ${JSON.stringify(c)}`);
      }
      const field = name.slice(1).toLowerCase();
      const expected = String(c[2]);
      const actual = value(field);
      if (op === "eq" ? actual !== expected : !actual.startsWith(expected)) return authFailures.policyConditionFailed(JSON.stringify(c));
      covered.add(field);
    } else if (typeof c === "object" && c !== null) {
      for (const [k, v] of Object.entries(c)) {
        const field = k.toLowerCase();
        if (value(field) !== String(v)) return authFailures.policyConditionFailed(`["eq", "$${k}", ${JSON.stringify(String(v))}]`);
        covered.add(field);
      }
    } else {
      return authFailures.policyInvalid(`Invalid Condition: ${JSON.stringify(c)}`);
    }
  }
  for (const name of f.keys()) {
    if (EXEMPT.has(name) || name.startsWith("x-ignore-") || covered.has(name)) continue;
    return authFailures.policyExtraField(name);
  }
  return range;
}

function isFailure(v: unknown): v is ObsAuthFailure {
  return typeof v === "object" && v !== null && (v as ObsAuthFailure).ok === false;
}

/** Verifies a POST form's credential and policy. */
export function verifyPostPolicy(input: PostPolicyInput): ObsAuthResult {
  const f = lowerKeys(input.fields);
  const cred = parseFormCredential(f);
  if (isFailure(cred)) return cred;
  if (!f.has("key")) {
    return authFailures.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
  }
  let range: Range | undefined;
  return checkKey({
    ctx: input,
    accessKey: cred.accessKey,
    scheme: cred.scheme,
    token: f.get("x-obs-security-token") ?? f.get("x-amz-security-token"),
    verify(secret) {
      if (cred.v4) {
        if (input.wallNowMs - Date.UTC(+cred.v4.date.slice(0, 4), +cred.v4.date.slice(4, 6) - 1, +cred.v4.date.slice(6, 8)) > SCOPE_MAX_AGE_MS) {
          return authFailures.postSignedDateTooOld();
        }
        const computed = createHmac("sha256", v4SigningKey(secret, cred.v4)).update(cred.policy, "utf8").digest("hex");
        if (!sameSignature(computed, cred.signature)) {
          return authFailures.signatureDoesNotMatch({ accessKey: cred.accessKey, stringToSign: cred.policy, signatureProvided: cred.signature });
        }
      } else if (!sameSignature(hmacSha1Base64(secret, cred.policy), cred.signature)) {
        return authFailures.signatureDoesNotMatch({ accessKey: cred.accessKey, stringToSign: cred.policy, signatureProvided: cred.signature });
      }
      const checked = checkPolicy(input, f, cred.policy);
      if (isFailure(checked)) return checked;
      range = checked;
      if (range && input.fileSize !== undefined) {
        if (input.fileSize < range.min) return authFailures.entityTooSmall(input.fileSize, range.min);
        if (input.fileSize > range.max) return authFailures.entityTooLarge(input.fileSize, range.max);
      }
      return undefined;
    },
    extra: (): Partial<ObsAuthSuccess> => (range && input.fileSize === undefined ? { contentLengthRange: range } : {}),
  });
}
