// assume_role (KeystoneCreateAgencyToken, CreateTemporaryAccessKeyByAgency): a user of the domain an agency
// trusts acts in the agency's (delegating) domain with the agency's grants only. This module checks a request
// to assume an agency, builds the principal that a token or temporary key of the agency stands for, and says
// which grants such a token carries. Tokens and keys keep the delegated user in user_id (so that disabling or
// deleting the user ends them, as for its own credentials) and the agency in agency_id (deleting the agency
// ends them too).
import { z } from "../../kernel/zod.ts";
import type { AgencyActor, Principal } from "../../kernel/identity.ts";
import { authorize } from "./authorize.ts";
import { catalogScope } from "./catalog.ts";
import { iamErrors } from "./errors.ts";
import { agencyPolicies, type EffectivePolicy } from "./roles.ts";
import type { DomainRow, IamStore, ProjectRow, TokenRow, UserRow } from "./store.ts";
import type { AgencyRow } from "./store/policies.ts";

const DAY_MS = 24 * 3600 * 1000;

/** auth.identity.assume_role, as the SDKs send it (IdentityAssumerole / AgencyTokenAssumerole). */
export const AssumeRole = z.object({
  domain_id: z.string().min(1).optional(),
  domain_name: z.string().min(1).optional(),
  agency_name: z.string().min(1).optional(),
  duration_seconds: z.number().int().optional(),
  session_user: z.object({ name: z.string().max(64).optional() }).optional(),
});
export type AssumeRoleRequest = z.infer<typeof AssumeRole>;

/** When an agency ends ("FOREVER": never; "ONEDAY": a day after creation; else that many days). */
export function agencyExpiresAt(a: AgencyRow): number | undefined {
  if (a.duration === "FOREVER") return undefined;
  const days = a.duration === "ONEDAY" ? 1 : Number(a.duration);
  return Number.isFinite(days) ? a.created_at + days * DAY_MS : undefined;
}

/** Why a credential of `agency` held by `user` may not be used now, or undefined when it may. */
export function agencyRefusal(agency: AgencyRow, user: UserRow, now: number): string | undefined {
  if (agency.trust_domain_id !== user.domain_id) return `the agency ${agency.name} no longer trusts the domain of ${user.name}`;
  const end = agencyExpiresAt(agency);
  if (end !== undefined && end <= now) return `the agency ${agency.name} has expired`;
  return undefined;
}

/** The principal of a token or temporary key acting by `agencyId` for the delegated `user`. */
export function agencyPrincipal(
  store: IamStore,
  agencyId: string,
  user: UserRow,
  extra: Pick<Principal, "via" | "methods"> & Partial<Principal>,
): Principal | undefined {
  const agency = store.policies.agency(agencyId);
  const domain = agency && store.domain(agency.domain_id);
  const userDomain = store.domain(user.domain_id);
  if (!agency || !domain || !userDomain) return undefined;
  const actor: AgencyActor = {
    id: agency.id,
    name: agency.name,
    assumedBy: { userId: user.id, userName: user.name, domainId: userDomain.id, domainName: userDomain.name },
  };
  return { userId: agency.id, userName: `${domain.name}/${agency.name}`, domainId: domain.id, domainName: domain.name, isAdmin: false, ...extra, agency: actor };
}

export interface Assumed {
  agency: AgencyRow;
  domain: DomainRow;
  user: UserRow;
  /** When the agency ends, if it does. */
  endsAt: number | undefined;
}

/**
 * Checks a request to assume an agency: the caller is a user (not itself acting by an agency) of the domain
 * the agency trusts, holding Agent Operator (iam:tokens:assume) unless it administers its domain; the
 * delegating domain and the agency exist; the agency has not expired.
 */
export function assumeAgency(store: IamStore, caller: Principal | undefined, req: AssumeRoleRequest | undefined, now: number): Assumed {
  if (!caller) throw iamErrors.authRequired();
  if (!req) throw iamErrors.requiredProperty("auth.identity.assume_role");
  if (caller.agency) throw iamErrors.forbidden("A credential acting by an agency cannot assume an agency.");
  const user = store.user(caller.userId);
  if (!user) throw iamErrors.authRequired();
  if (!req.agency_name) throw iamErrors.requiredProperty("auth.identity.assume_role.agency_name");
  if (!req.domain_id && !req.domain_name) throw iamErrors.requiredProperty("auth.identity.assume_role.domain_name");
  const byId = req.domain_id !== undefined ? store.domain(req.domain_id) : undefined;
  const domain = req.domain_id !== undefined ? byId : store.domainByName(req.domain_name!);
  if (!domain || (req.domain_name !== undefined && domain.name !== req.domain_name)) throw iamErrors.notFound("domain", req.domain_id ?? req.domain_name!);
  const agency = store.policies.agencyByName(domain.id, req.agency_name);
  if (!agency) throw iamErrors.agencyNotFound(req.agency_name);
  if (agency.trust_domain_id !== user.domain_id) throw iamErrors.forbidden(`The agency ${agency.name} does not trust the domain of the caller.`);
  const endsAt = agencyExpiresAt(agency);
  if (endsAt !== undefined && endsAt <= now) throw iamErrors.forbidden(`The agency ${agency.name} has expired.`);
  if (!caller.isAdmin) {
    const action = "iam:tokens:assume";
    const d = authorize(store, caller, { action, service: "iam", projectId: undefined, projectName: undefined, region: undefined }, now);
    if (!d.allowed) throw iamErrors.policyDenied(action);
  }
  return { agency, domain, user, endsAt };
}

/** The agency's grants that a token of this scope carries (project: project and all-projects grants, and domain grants of AA roles). */
export function agencyGrantsFor(store: IamStore, agencyId: string, project: ProjectRow | undefined): EffectivePolicy[] {
  const all = agencyPolicies(store, agencyId, project?.id);
  if (project === undefined) return all.filter((p) => p.grantedOn === "domain");
  return all.filter((p) => p.grantedOn !== "domain" || p.role.type === "AA");
}

type ScopeRequest = {
  project?: { id?: string | undefined; name?: string | undefined; domain?: { id?: string | undefined; name?: string | undefined } | undefined } | undefined;
  domain?: { id?: string | undefined; name?: string | undefined } | undefined;
} | undefined;

/**
 * The scope an agency token asks for: a project of the delegating domain (by id, or by name in that domain)
 * or the delegating domain itself (also when no scope is given, as Huawei documents). The agency must hold a
 * grant there: otherwise 401 as for a user asking for a project it has no role in.
 */
export function agencyTokenScope(store: IamStore, a: Assumed, scope: ScopeRequest): { scope_type: "project" | "domain"; project_id: string | null } {
  if (scope?.project) {
    const pr = scope.project;
    let project: ProjectRow | undefined;
    if (pr.id) project = store.project(pr.id);
    else if (pr.name) {
      const d = pr.domain;
      const domain = d?.id ? store.domain(d.id) : d?.name ? store.domainByName(d.name) : a.domain;
      project = domain && store.projectByName(domain.id, pr.name);
    } else throw iamErrors.requiredProperty("auth.scope.project.name");
    if (!project || project.domain_id !== a.domain.id || !project.enabled) throw iamErrors.authRequired();
    if (agencyGrantsFor(store, a.agency.id, project).length === 0) throw iamErrors.agencyNoGrants(a.agency.name, `project ${project.name}`);
    return { scope_type: "project", project_id: project.id };
  }
  if (scope?.domain) {
    const d = scope.domain;
    if (!d.id && !d.name) throw iamErrors.requiredProperty("auth.scope.domain.name");
    const domain = d.id ? store.domain(d.id) : store.domainByName(d.name!);
    if (!domain || domain.id !== a.domain.id) throw iamErrors.authRequired();
  }
  if (agencyGrantsFor(store, a.agency.id, undefined).length === 0) throw iamErrors.agencyNoGrants(a.agency.name, `domain ${a.domain.name}`);
  return { scope_type: "domain", project_id: null };
}

/**
 * What an agency token says about itself beyond its times (the same until IAM changes): `head` is the
 * "assumed_by" member (the delegated user), `tail` the scope, the roles (the agency's grants there) and the
 * "user", which is the agency: id the agency's, name "<delegating domain>/<agency>", domain the delegating one.
 */
export function agencyTokenView(store: IamStore, t: TokenRow, user: UserRow) {
  return store.cached(`agency-scope:${t.agency_id ?? ""}:${user.id}:${t.scope_type}:${t.project_id ?? ""}`, () => {
    const agency = store.policies.agency(t.agency_id ?? "");
    const domain = agency && store.domain(agency.domain_id);
    const userDomain = store.domain(user.domain_id);
    if (!agency || !domain || !userDomain) return undefined;
    const domainRef = { id: domain.id, name: domain.name };
    const project = t.project_id ? store.project(t.project_id) : undefined;
    const names = agencyGrantsFor(store, agency.id, project).map((p) => p.role.name);
    const roles = [...new Set(names)].map((name) => ({ id: "0", name }));
    const scope = project ? { project: { id: project.id, name: project.name, domain: domainRef } } : { domain: domainRef };
    const userRef = { id: agency.id, name: `${domain.name}/${agency.name}`, domain: domainRef };
    const assumedBy = { user: { id: user.id, name: user.name, domain: { id: userDomain.id, name: userDomain.name }, password_expires_at: "" } };
    return {
      catalog: catalogScope(store, domain.id, project?.id),
      head: `,"assumed_by":${JSON.stringify(assumedBy)}`,
      tail: `,${JSON.stringify(scope).slice(1, -1)},"roles":${JSON.stringify(roles)},"user":${JSON.stringify(userRef)}`,
    };
  });
}
