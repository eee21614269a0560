// Fine-grained authorization (reference huawei-api-facts.md §2.3): the gateway asks, for every request of
// every service, whether the caller's policies allow the operation's action. Rules:
//   - the policies in effect are those granted to the caller's groups: on the request's project and on all
//     projects for a project-level service (plus domain grants of roles that apply to both, type AA), on the
//     domain for a global one (IAM);
//   - a statement applies when one of its actions matches (wildcards; resource type and operation ignore
//     case), its Resource (if any) names the request's service, region and domain, and its Condition holds;
//   - an applicable Deny wins, then an applicable Allow; otherwise the request is denied.
// Conditions: Huawei's operators (String*, Number*, Date*, Bool, Null, each with IfExists, and the
// ForAnyValue:/ForAllValues: prefixes) over the global keys g:CurrentTime, g:DomainName, g:MFAPresent,
// g:ProjectName, g:ServiceName, g:UserId and g:UserName. IpAddress/NotIpAddress and service-specific keys
// are not known here: a condition on a key hwlocal does not know is false (the IfExists forms: true).
// Doubt: a Resource URN's type and path parts are not compared (hwlocal's operations do not name the resource
// they act on before they run); a statement with resources applies when one URN matches the service, the
// region and the domain.
// Decisions without conditions are cached per user, project and action for one IAM store generation: any
// change of groups, grants or policies gives a fresh answer at once, for new and existing tokens alike.
// A principal acting by an agency (assume_role) is judged by the agency's grants alone (agencyPolicies), in the
// delegating domain; the delegated user's own groups play no part. A federated user (OIDC ID token) is judged by
// the grants of the groups its identity provider's mapping gave it (groupPolicies).
import type { AuthzDecision, AuthzRequest, Principal } from "../../kernel/identity.ts";
import { actionMatches, type PolicyStatement } from "./policy-document.ts";
import { agencyPolicies, effectivePolicies, groupPolicies, type EffectivePolicy } from "./roles.ts";
import type { IamStore } from "./store.ts";

type Values = string[] | undefined;

/** The global condition keys of a request, lower-cased (condition keys are case-insensitive). */
function contextOf(p: Principal, r: AuthzRequest, nowMs: number): Map<string, string[]> {
  const ctx = new Map<string, string[]>([
    ["g:currenttime", [new Date(nowMs).toISOString()]],
    ["g:domainname", [p.domainName]],
    ["g:mfapresent", [String(p.methods.includes("totp"))]],
    ["g:servicename", [r.service]],
    ["g:userid", [p.userId]],
    ["g:username", [p.userName]],
  ]);
  if (r.projectName !== undefined) ctx.set("g:projectname", [r.projectName]);
  return ctx;
}

function wildcard(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}

const num = (v: string) => Number(v);
const date = (v: string) => Date.parse(v);

/** One value against one condition value, by the operator's base name; undefined: unknown operator. */
function compare(op: string, actual: string, expected: string): boolean | undefined {
  switch (op) {
    case "StringEquals":
      return actual === expected;
    case "StringNotEquals":
      return actual !== expected;
    case "StringEqualsIgnoreCase":
      return actual.toLowerCase() === expected.toLowerCase();
    case "StringNotEqualsIgnoreCase":
      return actual.toLowerCase() !== expected.toLowerCase();
    case "StringMatch":
      return wildcard(expected, actual);
    case "StringNotMatch":
      return !wildcard(expected, actual);
    case "StringStartWith":
      return actual.startsWith(expected);
    case "StringEndWith":
      return actual.endsWith(expected);
    case "NumberEquals":
      return num(actual) === num(expected);
    case "NumberNotEquals":
      return num(actual) !== num(expected);
    case "NumberLessThan":
      return num(actual) < num(expected);
    case "NumberLessThanEquals":
      return num(actual) <= num(expected);
    case "NumberGreaterThan":
      return num(actual) > num(expected);
    case "NumberGreaterThanEquals":
      return num(actual) >= num(expected);
    case "DateLessThan":
      return date(actual) < date(expected);
    case "DateLessThanEquals":
      return date(actual) <= date(expected);
    case "DateGreaterThan":
      return date(actual) > date(expected);
    case "DateGreaterThanEquals":
      return date(actual) >= date(expected);
    case "Bool":
      return actual.toLowerCase() === expected.toLowerCase();
    default:
      return undefined;
  }
}

/** Negated operators hold for a key only when no value matches (StringNotEquals ["a","b"]: neither). */
const NEGATED = new Set(["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotMatch", "NumberNotEquals"]);

function keyHolds(operator: string, actual: Values, expected: string[]): boolean {
  let op = operator;
  let quantifier: "any" | "all" | undefined;
  if (op.startsWith("ForAnyValue:")) [quantifier, op] = ["any", op.slice("ForAnyValue:".length)];
  else if (op.startsWith("ForAllValues:")) [quantifier, op] = ["all", op.slice("ForAllValues:".length)];
  const ifExists = op.endsWith("IfExists");
  if (ifExists) op = op.slice(0, -"IfExists".length);
  if (op === "Null") {
    const wantsNull = expected.some((e) => e.toLowerCase() === "true");
    return wantsNull === (actual === undefined);
  }
  if (actual === undefined) return ifExists || (quantifier === "all" ? true : false);
  const one = (a: string): boolean => {
    if (NEGATED.has(op)) return expected.every((e) => compare(op, a, e) === true);
    return expected.some((e) => compare(op, a, e) === true);
  };
  if (quantifier === "all") return actual.every(one);
  return actual.some(one);
}

function conditionHolds(cond: PolicyStatement["Condition"], ctx: Map<string, string[]>): boolean {
  if (!cond) return true;
  for (const [operator, keys] of Object.entries(cond)) {
    for (const [key, expected] of Object.entries(keys)) {
      if (!keyHolds(operator, ctx.get(key.toLowerCase()), expected)) return false;
    }
  }
  return true;
}

function resourceMatches(res: PolicyStatement["Resource"], r: AuthzRequest, domainId: string): boolean {
  if (res === undefined) return true;
  const urns = Array.isArray(res) ? res : res.uri;
  return urns.some((urn) => {
    const [svc = "", region = "", domain = ""] = urn.split(":");
    return wildcard(svc, r.service) && (region === "" || wildcard(region, r.region ?? "")) && (domain === "" || wildcard(domain, domainId));
  });
}

/** The policies that judge a request: project-level or global, as the header says. */
function judging(policies: EffectivePolicy[], r: AuthzRequest): EffectivePolicy[] {
  if (r.projectId === undefined) return policies.filter((p) => p.grantedOn === "domain");
  return policies.filter((p) => p.grantedOn !== "domain" || p.role.type === "AA");
}

export function evaluate(policies: EffectivePolicy[], p: Principal, r: AuthzRequest, nowMs: number): AuthzDecision & { conditional: boolean } {
  let allow: string | undefined;
  let conditional = false;
  let ctx: Map<string, string[]> | undefined;
  for (const { role } of judging(policies, r)) {
    for (const st of role.policy.Statement) {
      if (!st.Action.some((a) => actionMatches(a, r.action))) continue;
      if (!resourceMatches(st.Resource, r, p.domainId)) continue;
      if (st.Condition !== undefined) {
        conditional = true;
        ctx ??= contextOf(p, r, nowMs);
        if (!conditionHolds(st.Condition, ctx)) continue;
      }
      if (st.Effect === "Deny") return { allowed: false, by: `Deny in ${role.display_name}`, conditional };
      allow ??= `Allow in ${role.display_name}`;
    }
  }
  return allow ? { allowed: true, by: allow, conditional } : { allowed: false, by: "no statement allows it", conditional };
}

/**
 * The documents that judge a principal: its groups' grants, or for a principal acting by an agency the
 * agency's grants only (never the delegated user's own groups).
 */
function policiesOf(store: IamStore, p: Principal, projectId: string | undefined): EffectivePolicy[] {
  if (p.federation) return groupPolicies(store, p.domainId, p.federation.groupIds, projectId);
  return p.agency ? agencyPolicies(store, p.agency.id, projectId) : effectivePolicies(store, p.userId, projectId);
}

/** IAM's answer to the gateway's question (IdentityProvider.authorize). */
export function authorize(store: IamStore, p: Principal, r: AuthzRequest, nowMs: number): AuthzDecision {
  // An unscoped federated token is for getting a scoped token or a temporary key (self-service, not judged).
  if (p.federation?.unscoped) return { allowed: false, by: "an unscoped token carries no grants" };
  // A federated user's decision depends on the groups its token's mapping gave it, not on its id alone.
  const who = p.federation ? `fed:${p.domainId}:${p.federation.groupIds.join(",")}` : `${p.agency ? "agency:" : ""}${p.userId}`;
  const key = `authz:${who}:${r.projectId ?? ""}:${r.action}`;
  const cached = store.cached<AuthzDecision | undefined>(key, () => {
    const d = evaluate(policiesOf(store, p, r.projectId), p, r, nowMs);
    return d.conditional ? undefined : { allowed: d.allowed, by: d.by };
  });
  if (cached) return cached;
  return evaluate(policiesOf(store, p, r.projectId), p, r, nowMs);
}
