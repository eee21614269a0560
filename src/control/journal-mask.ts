// Masking for the request journal: run when an entry is read (GET /_hwlocal/journal, its stream), never
// when it is recorded. What it hides: passwords (IAM's token and user bodies, nova's adminPass), secret keys
// (`sk`, IAM's credential `secret`), tokens (`securitytoken`, any "MII…" token id, X-Auth-Token,
// X-Subject-Token, X-Security-Token) and signatures (the Authorization header's, presigned queries').
// Bodies are masked as text, so that a body cut at the cap (no longer JSON) is masked as well.

export const MASK = "***";

/** Header names whose whole value is secret. */
const SECRET_HEADERS = new Set(["x-auth-token", "x-subject-token", "x-security-token", "x-obs-security-token", "x-amz-security-token", "cookie", "set-cookie"]);

/** JSON keys whose string values are secret (IAM: password, secret, securitytoken; nova: adminPass). */
const SECRET_KEY = /^(?:sk|[a-z_-]*(?:pass(?:word|wd)?|secret|token|private_key|signature)[a-z_-]*)$/i;

/** Names that merely speak of a secret (password_expires_at, pwd_strength, token_type). */
const NOT_SECRET = /(?:_at|_time|expires?|_status|_strength|_policy|_enabled|_mode|_type|_level)$/i;

const JSON_STRING_FIELD = /"([A-Za-z_-]+)"(\s*:\s*)"(?:[^"\\]|\\.)*"?/g;
/** A Keystone/IAM token id wherever it appears ("token": {"id": "MII…"}). */
const TOKEN_VALUE = /MII[A-Za-z0-9_\-+/=]{20,}/g;
/** form-encoded and query fields */
const FORM_FIELD = /(^|[&?\s])([A-Za-z_.-]*(?:pass(?:word|wd)?|secret|token|signature)[A-Za-z_.-]*|sk)=([^&\s]*)/gi;

/** Authorization: SDK-HMAC-SHA256 / AWS4 `Signature=…`, OBS/S3 V2 `OBS AK:signature`. */
export function maskAuthorization(v: string): string {
  if (/Signature=/i.test(v)) return v.replace(/(Signature=)[^,\s]*/gi, `$1${MASK}`);
  const v2 = /^((?:OBS|AWS) [^:\s]+:)\S+$/.exec(v);
  if (v2) return `${v2[1]}${MASK}`;
  const sp = v.indexOf(" ");
  return sp > 0 ? `${v.slice(0, sp)} ${MASK}` : MASK;
}

export function maskHeaders(headers: Record<string, string | string[] | number | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const v = Array.isArray(raw) ? raw.join(", ") : String(raw);
    const lower = name.toLowerCase();
    out[name] = SECRET_HEADERS.has(lower) ? MASK : lower === "authorization" ? maskAuthorization(v) : v;
  }
  return out;
}

/** A raw query string with its signatures, tokens and secrets masked. */
export function maskQuery(raw: string): string {
  return raw === "" ? raw : raw.replace(FORM_FIELD, (_m, pre: string, k: string) => `${pre}${k}=${MASK}`);
}

/** A body's text (JSON, form or anything else) with secret fields and token ids masked. */
export function maskBody(text: string): string {
  return text
    .replace(JSON_STRING_FIELD, (m, key: string, sep: string) => (SECRET_KEY.test(key) && !NOT_SECRET.test(key) ? `"${key}"${sep}"${MASK}"` : m))
    .replace(TOKEN_VALUE, MASK)
    .replace(FORM_FIELD, (_m, pre: string, k: string) => `${pre}${k}=${MASK}`);
}
