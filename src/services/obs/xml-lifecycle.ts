// Lifecycle configuration XML (设置桶的生命周期配置.md; S3's PutBucketLifecycleConfiguration):
// <LifecycleConfiguration><Rule><ID/><Prefix/> (OBS; S3 also <Filter><Prefix/></Filter>) <Status/>
// <Transition><Days/>|<Date/><StorageClass/></Transition>* <Expiration><Days/>|<Date/></Expiration>
// <NoncurrentVersionTransition><NoncurrentDays/><StorageClass/></…>* <NoncurrentVersionExpiration>
// <NoncurrentDays/></…> <AbortIncompleteMultipartUpload><DaysAfterInitiation/></…></Rule>…
// Parsed strictly (bad structure: MalformedXML; bad values: InvalidArgument) into a JSON-able model that
// the bucket row stores and the GET renders back in the form it came in (Prefix or Filter).
import { createHash } from "node:crypto";
import { obsErrors } from "./errors.ts";
import { bodyParser, esc, parseXmlBody } from "./xml.ts";

export const MAX_RULES = 1000;
const MAX_ID = 255;
const DAY_MS = 86_400_000;
/** Transition targets, OBS's names and S3's. */
const TRANSITION_CLASSES = new Set(["WARM", "COLD", "DEEP_ARCHIVE", "STANDARD_IA", "GLACIER"]);

/** When an action applies: after `days` days, or from `date` (epoch ms, a UTC midnight) on. */
export interface When {
  days?: number;
  date?: number;
}

export interface LifecycleRule {
  id: string;
  prefix: string;
  /** The prefix came as S3's <Filter><Prefix/></Filter>, and is answered the same way. */
  filter: boolean;
  enabled: boolean;
  expiration?: When;
  transitions: (When & { storageClass: string })[];
  noncurrentExpirationDays?: number;
  noncurrentTransitions: { days: number; storageClass: string }[];
  abortUploadDays?: number;
}

const parser = bodyParser({ arrays: new Set(["Rule", "Transition", "NoncurrentVersionTransition"]), trimValues: true });

type Node = Record<string, unknown>;

function node(v: unknown, name: string): Node {
  if (v === "") return {};
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw obsErrors.malformedXml(`${name} must have elements.`);
  return v as Node;
}

function text(n: Node, name: string): string | undefined {
  const v = n[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw obsErrors.malformedXml(`${name} must be text.`);
  return v;
}

function positiveInt(raw: string, name: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw obsErrors.invalidArgument(`${name} must be a positive integer (given: ${raw}).`);
  return Number(raw);
}

/** An ISO 8601 date at 00:00:00 UTC (`2026-01-01T00:00:00Z`, `…T00:00:00.000Z`), as OBS requires. */
function midnight(raw: string): number {
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(t) || t % DAY_MS !== 0) {
    throw obsErrors.invalidArgument(`Date must be ISO 8601 at midnight UTC, e.g. 2026-01-01T00:00:00.000Z (given: ${raw}).`);
  }
  return t;
}

function when(n: Node, name: string): When {
  const days = text(n, "Days");
  const date = text(n, "Date");
  if ((days === undefined) === (date === undefined)) throw obsErrors.invalidArgument(`${name} takes exactly one of Days and Date.`);
  return days !== undefined ? { days: positiveInt(days, `${name} Days`) } : { date: midnight(date!) };
}

function storageClass(n: Node, name: string): string {
  const c = text(n, "StorageClass")?.toUpperCase();
  if (c === undefined || !TRANSITION_CLASSES.has(c)) throw obsErrors.invalidArgument(`${name} needs a StorageClass of WARM, COLD or DEEP_ARCHIVE.`);
  return c;
}

function rulePrefix(r: Node): { prefix: string; filter: boolean } {
  const prefix = text(r, "Prefix");
  if (r["Filter"] === undefined) return { prefix: prefix ?? "", filter: false };
  if (prefix !== undefined) throw obsErrors.malformedXml("A Rule takes Prefix or Filter, not both.");
  const f = node(r["Filter"], "Filter");
  for (const k of Object.keys(f)) {
    if (k !== "Prefix") throw obsErrors.invalidArgument(`hwlocal's lifecycle filters take a Prefix only (given: ${k}).`);
  }
  return { prefix: text(f, "Prefix") ?? "", filter: true };
}

function parseRule(raw: unknown, index: number): LifecycleRule {
  const r = node(raw, "Rule");
  const status = text(r, "Status");
  if (status !== "Enabled" && status !== "Disabled") throw obsErrors.malformedXml("Status must be Enabled or Disabled.");
  const { prefix, filter } = rulePrefix(r);
  let id = text(r, "ID");
  if (id !== undefined && id.length > MAX_ID) throw obsErrors.invalidArgument(`A rule ID is at most ${MAX_ID} characters.`);
  // S3 names a rule that has no ID; a digest of its place and prefix keeps the answer reproducible.
  if (id === undefined || id === "") id = createHash("sha1").update(`${index}\n${prefix}`).digest("hex").slice(0, 20);
  const rule: LifecycleRule = { id, prefix, filter, enabled: status === "Enabled", transitions: [], noncurrentTransitions: [] };
  if (r["Expiration"] !== undefined) rule.expiration = when(node(r["Expiration"], "Expiration"), "Expiration");
  for (const t of (r["Transition"] as unknown[] | undefined) ?? []) {
    const n = node(t, "Transition");
    rule.transitions.push({ ...when(n, "Transition"), storageClass: storageClass(n, "Transition") });
  }
  if (r["NoncurrentVersionExpiration"] !== undefined) {
    const days = text(node(r["NoncurrentVersionExpiration"], "NoncurrentVersionExpiration"), "NoncurrentDays");
    if (days === undefined) throw obsErrors.malformedXml("NoncurrentVersionExpiration needs NoncurrentDays.");
    rule.noncurrentExpirationDays = positiveInt(days, "NoncurrentDays");
  }
  for (const t of (r["NoncurrentVersionTransition"] as unknown[] | undefined) ?? []) {
    const n = node(t, "NoncurrentVersionTransition");
    const days = text(n, "NoncurrentDays");
    if (days === undefined) throw obsErrors.malformedXml("NoncurrentVersionTransition needs NoncurrentDays.");
    rule.noncurrentTransitions.push({ days: positiveInt(days, "NoncurrentDays"), storageClass: storageClass(n, "NoncurrentVersionTransition") });
  }
  if (r["AbortIncompleteMultipartUpload"] !== undefined) {
    const days = text(node(r["AbortIncompleteMultipartUpload"], "AbortIncompleteMultipartUpload"), "DaysAfterInitiation");
    if (days === undefined) throw obsErrors.malformedXml("AbortIncompleteMultipartUpload needs DaysAfterInitiation.");
    rule.abortUploadDays = positiveInt(days, "DaysAfterInitiation");
  }
  const exp = rule.expiration?.days;
  if (exp !== undefined && rule.transitions.some((t) => t.days !== undefined && t.days >= exp)) {
    throw obsErrors.invalidArgument("A transition must come before the expiration (fewer Days).");
  }
  if (
    rule.expiration === undefined &&
    rule.transitions.length === 0 &&
    rule.noncurrentExpirationDays === undefined &&
    rule.noncurrentTransitions.length === 0 &&
    rule.abortUploadDays === undefined
  ) {
    throw obsErrors.malformedXml("A Rule needs at least one action (Expiration, Transition, NoncurrentVersion…, AbortIncompleteMultipartUpload).");
  }
  return rule;
}

/** A LifecycleConfiguration body: 1 to 1,000 rules with unique IDs. */
export function parseLifecycle(body: Buffer): LifecycleRule[] {
  const xml = body.toString("utf8").replace(/^\uFEFF/, "");
  if (xml.trim() === "") throw obsErrors.missingRequestBody();
  const parsed = parseXmlBody(xml, parser) as Node;
  if (!("LifecycleConfiguration" in parsed)) throw obsErrors.malformedXml("The root element must be LifecycleConfiguration.");
  const root = node(parsed["LifecycleConfiguration"], "LifecycleConfiguration");
  const raw = (root["Rule"] as unknown[] | undefined) ?? [];
  if (raw.length === 0 || raw.length > MAX_RULES) throw obsErrors.malformedXml(`A LifecycleConfiguration has 1 to ${MAX_RULES} rules.`);
  const rules = raw.map(parseRule);
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw obsErrors.invalidArgument(`Rule IDs must be unique (${r.id} is repeated).`);
    ids.add(r.id);
  }
  return rules;
}

function whenXml(w: When): string {
  return w.days !== undefined ? `<Days>${w.days}</Days>` : `<Date>${new Date(w.date!).toISOString()}</Date>`;
}

export function xmlLifecycle(ns: string, rules: readonly LifecycleRule[]): string {
  const body = rules
    .map((r) => {
      const prefix = r.filter ? `<Filter><Prefix>${esc(r.prefix)}</Prefix></Filter>` : `<Prefix>${esc(r.prefix)}</Prefix>`;
      let out = `<Rule><ID>${esc(r.id)}</ID>${prefix}<Status>${r.enabled ? "Enabled" : "Disabled"}</Status>`;
      for (const t of r.transitions) out += `<Transition>${whenXml(t)}<StorageClass>${t.storageClass}</StorageClass></Transition>`;
      if (r.expiration) out += `<Expiration>${whenXml(r.expiration)}</Expiration>`;
      for (const t of r.noncurrentTransitions) {
        out += `<NoncurrentVersionTransition><NoncurrentDays>${t.days}</NoncurrentDays><StorageClass>${t.storageClass}</StorageClass></NoncurrentVersionTransition>`;
      }
      if (r.noncurrentExpirationDays !== undefined) {
        out += `<NoncurrentVersionExpiration><NoncurrentDays>${r.noncurrentExpirationDays}</NoncurrentDays></NoncurrentVersionExpiration>`;
      }
      if (r.abortUploadDays !== undefined) {
        out += `<AbortIncompleteMultipartUpload><DaysAfterInitiation>${r.abortUploadDays}</DaysAfterInitiation></AbortIncompleteMultipartUpload>`;
      }
      return `${out}</Rule>`;
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><LifecycleConfiguration xmlns="${ns}">${body}</LifecycleConfiguration>`;
}
