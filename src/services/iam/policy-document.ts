// IAM policy documents (reference huawei-api-facts.md §2.3): their shape, the checks Huawei makes when a custom
// policy is stored (limits IAM.1021/1024/1028/1033/1040/1050), and action matching with wildcards, for whoever
// evaluates them. Documents are parsed by hand rather than by a schema so that each failure carries Huawei's
// own code instead of a generic 400.
import { ApiError } from "../../kernel/api-error.ts";

export interface PolicyStatement {
  Effect: "Allow" | "Deny";
  Action: string[];
  /** Cloud-service policies: URNs "svc:region:domainId:type:path"; agency policies: { uri: [...] }. */
  Resource?: string[] | { uri: string[] };
  /** { Operator: { key: [values] } } */
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version: "1.0" | "1.1";
  Statement: PolicyStatement[];
  /** v1.0 roles: the roles a role needs beside it (e.g. ECS Admin needs... ). */
  Depends?: { catalog: string; display_name: string }[];
}

const LIMITS = { chars: 6144, statements: 8, actions: 100, actionChars: 128, resources: 10, conditions: 10 };

/** Huawei's condition operators; any may take the suffix IfExists and the prefix ForAllValues:/ForAnyValue:. */
const OPERATORS = new Set([
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringMatch",
  "StringNotMatch",
  "StringStartWith",
  "StringEndWith",
  "NumberEquals",
  "NumberNotEquals",
  "NumberLessThan",
  "NumberLessThanEquals",
  "NumberGreaterThan",
  "NumberGreaterThanEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "Null",
  "IpAddress",
  "NotIpAddress",
]);

const bad = (code: string, message: string) => new ApiError({ status: 400, code, message, shape: "keystone" });

export const policyErrors = {
  tooLong: (n: number) => bad("IAM.1021", `The size of the policy (${n} characters) exceeds ${LIMITS.chars}.`),
  version: () => bad("IAM.1024", "The policy Version must be 1.1."),
  statements: () => bad("IAM.1028", `A policy may hold at most ${LIMITS.statements} statements.`),
  actions: () => bad("IAM.1033", `A statement may hold at most ${LIMITS.actions} actions.`),
  resources: () => bad("IAM.1040", `A statement may hold at most ${LIMITS.resources} resources.`),
  conditions: () => bad("IAM.1050", `A statement may hold at most ${LIMITS.conditions} conditions.`),
  invalid: (detail: string) => bad("IAM.1002", `The policy is invalid: ${detail}`),
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** service:resourceType:operation, lower-case service, `*` allowed in the last two parts (and `*` for all). */
const ACTION = /^(\*|[a-z][a-z0-9-]*):[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_-]+$/;

/** Checks a custom policy document as IAM does on create and update; returns it typed. */
export function parsePolicyDocument(raw: unknown, kind: "service" | "agency"): PolicyDocument {
  const size = JSON.stringify(raw ?? null).length;
  if (size > LIMITS.chars) throw policyErrors.tooLong(size);
  if (!isObject(raw)) throw policyErrors.invalid("policy must be an object");
  for (const key of Object.keys(raw)) {
    if (key !== "Version" && key !== "Statement") throw policyErrors.invalid(`unknown field ${key}`);
  }
  if (raw.Version !== "1.1") throw policyErrors.version();
  if (!Array.isArray(raw.Statement) || raw.Statement.length === 0) throw policyErrors.invalid("Statement must be a non-empty list");
  if (raw.Statement.length > LIMITS.statements) throw policyErrors.statements();
  return { Version: "1.1", Statement: raw.Statement.map((s: unknown, i: number) => parseStatement(s, i, kind)) };
}

function parseStatement(raw: unknown, i: number, kind: "service" | "agency"): PolicyStatement {
  const at = `Statement[${i}]`;
  if (!isObject(raw)) throw policyErrors.invalid(`${at} must be an object`);
  for (const key of Object.keys(raw)) {
    if (!["Effect", "Action", "Resource", "Condition"].includes(key)) throw policyErrors.invalid(`unknown field ${at}.${key}`);
  }
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") throw policyErrors.invalid(`${at}.Effect must be Allow or Deny`);
  if (!strings(raw.Action) || raw.Action.length === 0) throw policyErrors.invalid(`${at}.Action must be a non-empty list of strings`);
  if (raw.Action.length > LIMITS.actions) throw policyErrors.actions();
  for (const a of raw.Action) {
    if (a.length > LIMITS.actionChars || !ACTION.test(a)) throw policyErrors.invalid(`${at}.Action '${a}' is not service:resourceType:operation`);
    if (kind === "agency" && a !== "iam:agencies:assume") throw policyErrors.invalid(`${at}.Action of an agency policy must be iam:agencies:assume`);
  }
  const st: PolicyStatement = { Effect: raw.Effect, Action: raw.Action };
  if (raw.Resource !== undefined) st.Resource = parseResource(raw.Resource, at, kind);
  if (raw.Condition !== undefined) st.Condition = parseCondition(raw.Condition, at);
  return st;
}

function parseResource(raw: unknown, at: string, kind: "service" | "agency"): PolicyStatement["Resource"] {
  if (kind === "agency") {
    if (!isObject(raw) || !strings(raw.uri)) throw policyErrors.invalid(`${at}.Resource must be {"uri":[...]}`);
    if (raw.uri.length > LIMITS.resources) throw policyErrors.resources();
    for (const u of raw.uri) if (!u.startsWith("/iam/agencies/")) throw policyErrors.invalid(`${at}.Resource uri '${u}' must start with /iam/agencies/`);
    return { uri: raw.uri };
  }
  if (!strings(raw) || raw.length === 0) throw policyErrors.invalid(`${at}.Resource must be a non-empty list of strings`);
  if (raw.length > LIMITS.resources) throw policyErrors.resources();
  for (const r of raw) {
    // svc:region:domainId:type:path, region and domain may be `*` or empty.
    if (r !== "*" && r.split(":").length < 5) throw policyErrors.invalid(`${at}.Resource '${r}' is not service:region:domainId:type:path`);
  }
  return raw;
}

function parseCondition(raw: unknown, at: string): Record<string, Record<string, string[]>> {
  if (!isObject(raw)) throw policyErrors.invalid(`${at}.Condition must be an object`);
  let count = 0;
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, keys] of Object.entries(raw)) {
    const base = op.replace(/^(ForAllValues|ForAnyValue):/, "").replace(/IfExists$/, "");
    if (!OPERATORS.has(base)) throw policyErrors.invalid(`${at}.Condition operator '${op}' is unknown`);
    if (!isObject(keys)) throw policyErrors.invalid(`${at}.Condition.${op} must be an object`);
    out[op] = {};
    for (const [key, values] of Object.entries(keys)) {
      count++;
      if (!/^[a-z0-9-]+:[A-Za-z0-9_./-]+$/.test(key)) throw policyErrors.invalid(`${at}.Condition key '${key}' is not service:key`);
      if (!strings(values) || values.length === 0) throw policyErrors.invalid(`${at}.Condition.${op}.${key} must be a non-empty list of strings`);
      out[op]![key] = values;
    }
  }
  if (count > LIMITS.conditions) throw policyErrors.conditions();
  return out;
}

/**
 * Whether a policy action pattern covers an action: parts compared one by one, `*` and `?` as wildcards;
 * the service part is exact (lower case), resource type and operation are case-insensitive.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.split(":");
  const a = action.split(":");
  if (pattern === "*") return true;
  if (p.length !== 3 || a.length !== 3) return false;
  return glob(p[0]!, a[0]!, false) && glob(p[1]!, a[1]!, true) && glob(p[2]!, a[2]!, true);
}

/** Compiled part patterns, kept because the same few patterns are matched on every authorized request. */
const compiled = new Map<string, RegExp>();

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = `${ignoreCase ? "i" : "c"}${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${source}$`, ignoreCase ? "i" : "");
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(key, re);
  }
  return re.test(value);
}
