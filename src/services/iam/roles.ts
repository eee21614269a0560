// Roles and policies as one domain sees them (the system's plus its own custom policies), and the policies in
// effect for a user: what the authorization stage of the gateway is to evaluate (see index.ts's header).
import { findSystemRole, systemRoles, type RoleRecord } from "./catalog-data.ts";
import { iamErrors } from "./errors.ts";
import type { IamStore } from "./store.ts";

/** A system role, or a custom policy of `domainId`; another domain's custom policy is not found. */
export function roleInDomain(store: IamStore, domainId: string, id: string): RoleRecord | undefined {
  const system = findSystemRole(id);
  if (system) return system;
  const custom = store.policies.customRole(id);
  return custom && custom.domain_id === domainId ? custom : undefined;
}

export function requireRole(store: IamStore, domainId: string, id: string): RoleRecord {
  const r = roleInDomain(store, domainId, id);
  if (!r) throw iamErrors.notFound("role", id);
  return r;
}

/** Every role a domain may grant: system roles first, then its custom policies. */
export function rolesOfDomain(store: IamStore, domainId: string): RoleRecord[] {
  return [...systemRoles(), ...store.policies.customRoles(domainId)];
}

export interface EffectivePolicy {
  role: RoleRecord;
  /** Where the grant was made: on this project, on all projects (inherited), or on the domain (global services). */
  grantedOn: "project" | "all-projects" | "domain";
  /** The group that holds the grant. */
  groupId: string | undefined;
}

/**
 * The policy documents in effect for a user: grants to the user's groups on `projectId` (when given), on all
 * projects of the domain, and on the domain itself. A project-level request is judged by the project and
 * all-projects grants, a global service's by the domain grants; both are returned, each marked, so that the
 * caller decides. The result is cached per store generation: any change of membership, grants or policies
 * gives a fresh answer.
 */
export function effectivePolicies(store: IamStore, userId: string, projectId?: string): EffectivePolicy[] {
  return store.cached(`effective:${userId}:${projectId ?? ""}`, () => {
    const user = store.user(userId);
    if (!user) return [];
    const out: EffectivePolicy[] = [];
    const seen = new Set<string>();
    const add = (roleId: string, grantedOn: EffectivePolicy["grantedOn"], groupId: string | undefined) => {
      const key = `${grantedOn}:${roleId}`;
      if (seen.has(key)) return;
      const role = roleInDomain(store, user.domain_id, roleId);
      if (!role) return;
      seen.add(key);
      out.push({ role, grantedOn, groupId });
    };
    if (projectId !== undefined) {
      const project = store.project(projectId);
      if (project && project.domain_id === user.domain_id) {
        for (const g of store.grantsOfUser(userId, "project", projectId)) add(g.role_id, "project", g.group_id);
        for (const roleId of store.policies.inheritedOfUser(userId)) add(roleId, "all-projects", undefined);
      }
    }
    for (const g of store.grantsOfUser(userId, "domain", user.domain_id)) add(g.role_id, "domain", g.group_id);
    return out;
  });
}

/** The policy documents granted to an agency: what an assume_role token of it may do (same marks as above). */
export function agencyPolicies(store: IamStore, agencyId: string, projectId?: string): EffectivePolicy[] {
  const agency = store.policies.agency(agencyId);
  if (!agency) return [];
  const out: EffectivePolicy[] = [];
  for (const g of store.policies.agencyGrants(agencyId)) {
    if (g.scope_type === "project" && g.scope_id !== projectId) continue;
    const role = roleInDomain(store, agency.domain_id, g.role_id);
    if (!role) continue;
    out.push({ role, grantedOn: g.scope_type === "inherited" ? "all-projects" : g.scope_type, groupId: undefined });
  }
  return out;
}

/**
 * IAM v5 identity policies in effect for a user: the default version of each policy attached to the user or
 * to one of its groups (documents of Version "5.0", as JSON text), with where it is attached.
 */
export function v5PoliciesOf(store: IamStore, userId: string): { policyId: string; via: "user" | "group"; document: string }[] {
  return store.cached(`v5:${userId}`, () => {
    const attachments = [
      ...store.v5.attachmentsOf("user", userId).map((a) => ({ a, via: "user" as const })),
      ...store.groupsOfUser(userId).flatMap((g) => store.v5.attachmentsOf("group", g.id).map((a) => ({ a, via: "group" as const }))),
    ];
    const out: { policyId: string; via: "user" | "group"; document: string }[] = [];
    for (const { a, via } of attachments) {
      const p = store.v5.policy(a.policy_id);
      const v = p && store.v5.version(p.id, p.default_version);
      if (v) out.push({ policyId: a.policy_id, via, document: v.document });
    }
    return out;
  });
}

/**
 * The policy documents granted to a list of groups of `domainId` (a federated user's, from its identity
 * provider's mapping): the same marks as effectivePolicies, for a principal that is not a stored user.
 */
export function groupPolicies(store: IamStore, domainId: string, groupIds: readonly string[], projectId?: string): EffectivePolicy[] {
  return store.cached(`group-policies:${domainId}:${groupIds.join(",")}:${projectId ?? ""}`, () => {
    const out: EffectivePolicy[] = [];
    const seen = new Set<string>();
    const add = (roleId: string, grantedOn: EffectivePolicy["grantedOn"], groupId: string) => {
      const key = `${grantedOn}:${roleId}`;
      const role = seen.has(key) ? undefined : roleInDomain(store, domainId, roleId);
      if (!role) return;
      seen.add(key);
      out.push({ role, grantedOn, groupId });
    };
    const project = projectId !== undefined ? store.project(projectId) : undefined;
    for (const groupId of groupIds) {
      const group = store.group(groupId);
      if (!group || group.domain_id !== domainId) continue;
      if (project && project.domain_id === domainId) {
        for (const g of store.grantsOfGroup(groupId, "project", project.id)) add(g.role_id, "project", groupId);
        for (const roleId of store.policies.inheritedOfGroup(groupId)) add(roleId, "all-projects", groupId);
      }
      for (const g of store.grantsOfGroup(groupId, "domain", domainId)) add(g.role_id, "domain", groupId);
    }
    return out;
  });
}

/** The projects of `domainId` where a federated user's groups hold a grant (on the project or on all projects). */
export function federatedProjectIds(store: IamStore, domainId: string, groupIds: readonly string[]): Set<string> {
  return new Set(store.projects(domainId).filter((p) => groupPolicies(store, domainId, groupIds, p.id).some((g) => g.grantedOn !== "domain")).map((p) => p.id));
}
