// What every IAM handler gets as ctx.svc, and the small access rules they share: resources are looked up
// inside the caller's domain only (another domain's id is "not found", never data), and writes need the
// caller to be in the admin group unless they act on themselves.
import type { CatalogService, Scope } from "../../kernel/service.ts";
import { operationsFor } from "../../kernel/service.ts";
import { iamErrors, iamServiceErrors } from "./errors.ts";
import type { IamIdentity } from "./identity.ts";
import type { GroupRow, IamStore, ProjectRow, UserRow } from "./store.ts";

export interface IamContext {
  store: IamStore;
  identity: IamIdentity;
  /** Services listed in token catalogs, with endpoints that point back at this hwlocal. */
  catalog: () => CatalogService[];
  tokenTtlMs: number;
  /** When the prune-expired ticker last ran (hwlocal's clock); undefined: never, or since a reset. */
  prune: { lastRun: number | undefined };
}

export const iamOperation = operationsFor<IamContext>(iamServiceErrors);

export function requireScope(scope: Scope | undefined): Scope {
  if (!scope) throw iamErrors.authRequired();
  return scope;
}

export function requireAdmin(scope: Scope | undefined): Scope {
  const s = requireScope(scope);
  if (!s.principal.isAdmin) throw iamErrors.forbidden("Only members of the admin group may manage IAM.");
  return s;
}

export function requireSelfOrAdmin(scope: Scope | undefined, userId: string): Scope {
  const s = requireScope(scope);
  if (!s.principal.isAdmin && s.principal.userId !== userId) {
    throw iamErrors.forbidden("A user who is not an administrator may only act on itself.");
  }
  return s;
}

export function userInDomain(store: IamStore, scope: Scope, userId: string): UserRow {
  const u = store.user(userId);
  if (!u || u.domain_id !== scope.domainId) throw iamErrors.notFound("user", userId);
  return u;
}

export function groupInDomain(store: IamStore, scope: Scope, groupId: string): GroupRow {
  const g = store.group(groupId);
  if (!g || g.domain_id !== scope.domainId) throw iamErrors.notFound("group", groupId);
  return g;
}

export function projectInDomain(store: IamStore, scope: Scope, projectId: string): ProjectRow {
  const p = store.project(projectId);
  if (!p || p.domain_id !== scope.domainId) throw iamErrors.notFound("project", projectId);
  return p;
}

/** A domain id in a path or body must be the caller's own. */
export function requireOwnDomain(scope: Scope, domainId: string | undefined): void {
  if (domainId !== undefined && domainId !== scope.domainId) {
    throw iamErrors.forbidden(`The domain ${domainId} is not the caller's domain.`);
  }
}
