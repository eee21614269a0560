// Roles and policies (system and custom) as listed by /v3/roles, and their grants to groups: on a project,
// on the domain (global services), and on all projects (OS-INHERIT); the domain's role assignments.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import type { RoleRecord } from "../catalog-data.ts";
import { groupInDomain, iamOperation, projectInDomain, requireAdmin, requireOwnDomain, requireScope } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { requireRole, rolesOfDomain } from "../roles.ts";
import type { GrantRow, IamStore } from "../store.ts";
import * as views from "../views.ts";

export const keystoneListPermissions = iamOperation({
  name: "KeystoneListPermissions",
  method: "GET",
  path: "/v3/roles",
  query: z.object({
    name: z.string().optional(),
    display_name: z.string().optional(),
    type: z.enum(["domain", "project", "all"]).optional(),
    catalog: z.string().optional(),
    permission_type: z.enum(["policy", "role"]).optional(),
    domain_id: z.string().optional(),
    page: z.coerce.number().int().min(1).optional(),
    per_page: z.coerce.number().int().min(1).max(300).optional(),
  }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const q = ctx.input.query;
    requireOwnDomain(scope, q.domain_id);
    // With domain_id, Huawei lists that domain's custom policies; without it, the system's.
    const source = q.domain_id === undefined ? rolesOfDomain(ctx.svc.store, scope.domainId).filter((r) => r.domain_id === null) : ctx.svc.store.policies.customRoles(scope.domainId);
    const roles = source.filter(
      (r) =>
        (q.name === undefined || r.name === q.name) &&
        (q.display_name === undefined || r.display_name === q.display_name) &&
        (q.catalog === undefined || r.catalog === q.catalog) &&
        (q.permission_type === undefined || (q.permission_type === "policy") === (r.policy.Version === "1.1")) &&
        (q.type === undefined || q.type === "all" || (q.type === "domain" ? r.type !== "XA" : r.type !== "AX")),
    );
    const perPage = q.per_page ?? (roles.length || 1);
    const page = q.page ?? 1;
    return {
      body: {
        roles: roles.slice((page - 1) * perPage, page * perPage).map((r) => views.role(r, ctx.request.serviceBase)),
        links: views.listLinks(`${ctx.request.serviceBase}/v3/roles`),
        total_number: roles.length,
      },
    };
  },
});

export const keystoneShowPermission = iamOperation({
  name: "KeystoneShowPermission",
  method: "GET",
  path: "/v3/roles/{role_id}",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const r = requireRole(ctx.svc.store, scope.domainId, ctx.input.path.role_id!);
    return { body: { role: views.role(r, ctx.request.serviceBase) } };
  },
});

type GrantScope = "project" | "domain";

/** A role of type AX applies to the domain only, XA to projects only (and to all projects). */
export function checkRoleFits(r: RoleRecord, on: "project" | "domain"): void {
  if ((on === "project" && r.type === "AX") || (on === "domain" && r.type === "XA") || r.type === "XX") {
    throw iamErrors.invalidParameter(`The role ${r.display_name} cannot be granted on a ${on}.`);
  }
}

/** Resolves {project_id|domain_id}/groups/{group_id}/roles/{role_id} to a grant row, checking each part. */
function grantOf(kind: GrantScope, scope: Scope, store: IamStore, path: Record<string, string>): GrantRow {
  let scopeId: string;
  if (kind === "project") scopeId = projectInDomain(store, scope, path.project_id!).id;
  else {
    requireOwnDomain(scope, path.domain_id!);
    scopeId = scope.domainId;
  }
  const g = groupInDomain(store, scope, path.group_id!);
  const roleId = path.role_id;
  if (roleId !== undefined) checkRoleFits(requireRole(store, scope.domainId, roleId), kind);
  return { group_id: g.id, role_id: roleId ?? "", scope_type: kind, scope_id: scopeId };
}

function grantOperations(kind: GrantScope, names: { put: string; head: string; del: string; list: string }) {
  const base = kind === "project" ? "/v3/projects/{project_id}" : "/v3/domains/{domain_id}";
  return [
    iamOperation({
      name: names.put,
      method: "PUT",
      path: `${base}/groups/{group_id}/roles/{role_id}`,
      adminOnly: true,
      handle(ctx) {
        ctx.svc.store.grant(grantOf(kind, requireAdmin(ctx.scope), ctx.svc.store, ctx.input.path));
        return { status: 204 };
      },
    }),
    iamOperation({
      name: names.head,
      method: "HEAD",
      path: `${base}/groups/{group_id}/roles/{role_id}`,
      adminOnly: true,
      handle(ctx) {
        const g = grantOf(kind, requireAdmin(ctx.scope), ctx.svc.store, ctx.input.path);
        if (!ctx.svc.store.hasGrant(g)) throw iamErrors.notFound("role assignment", g.role_id);
        return { status: 204 };
      },
    }),
    iamOperation({
      name: names.del,
      method: "DELETE",
      path: `${base}/groups/{group_id}/roles/{role_id}`,
      adminOnly: true,
      handle(ctx) {
        const g = grantOf(kind, requireAdmin(ctx.scope), ctx.svc.store, ctx.input.path);
        if (!ctx.svc.store.revoke(g)) throw iamErrors.notFound("role assignment", g.role_id);
        return { status: 204 };
      },
    }),
    iamOperation({
      name: names.list,
      method: "GET",
      path: `${base}/groups/{group_id}/roles`,
      adminOnly: true,
      handle(ctx) {
        const scope = requireAdmin(ctx.scope);
        const { store } = ctx.svc;
        const g = grantOf(kind, scope, store, ctx.input.path);
        const roles = store
          .grantsOfGroup(g.group_id, kind, g.scope_id)
          .map((gr) => requireRoleOrNull(store, scope.domainId, gr.role_id))
          .filter((r) => r !== undefined)
          .map((r) => views.role(r, ctx.request.serviceBase));
        return { body: { roles, links: views.listLinks(`${ctx.request.serviceBase}/v3/roles`) } };
      },
    }),
  ];
}

function requireRoleOrNull(store: IamStore, domainId: string, id: string): RoleRecord | undefined {
  try {
    return requireRole(store, domainId, id);
  } catch {
    return undefined;
  }
}

// ---- all projects (OS-INHERIT)

const INHERIT = "/v3/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles";

function inheritedOf(scope: Scope, store: IamStore, path: Record<string, string>): { groupId: string; role: RoleRecord } {
  requireOwnDomain(scope, path.domain_id!);
  const g = groupInDomain(store, scope, path.group_id!);
  const role = requireRole(store, scope.domainId, path.role_id!);
  checkRoleFits(role, "project");
  return { groupId: g.id, role };
}

export const updateDomainGroupInheritRole = iamOperation({
  name: "UpdateDomainGroupInheritRole",
  method: "PUT",
  path: `${INHERIT}/{role_id}/inherited_to_projects`,
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { groupId, role } = inheritedOf(scope, ctx.svc.store, ctx.input.path);
    ctx.svc.store.policies.grantInherited(groupId, role.id, scope.domainId);
    return { status: 204 };
  },
});

export const keystoneCheckroleForGroup = iamOperation({
  name: "KeystoneCheckroleForGroup",
  method: "HEAD",
  path: `${INHERIT}/{role_id}/inherited_to_projects`,
  adminOnly: true,
  handle(ctx) {
    const { groupId, role } = inheritedOf(requireAdmin(ctx.scope), ctx.svc.store, ctx.input.path);
    if (!ctx.svc.store.policies.hasInherited(groupId, role.id)) throw iamErrors.notFound("role assignment", role.id);
    return { status: 204 };
  },
});

export const deleteDomainGroupInheritedRole = iamOperation({
  name: "DeleteDomainGroupInheritedRole",
  method: "DELETE",
  path: `${INHERIT}/{role_id}/inherited_to_projects`,
  adminOnly: true,
  handle(ctx) {
    const { groupId, role } = inheritedOf(requireAdmin(ctx.scope), ctx.svc.store, ctx.input.path);
    if (!ctx.svc.store.policies.revokeInherited(groupId, role.id)) throw iamErrors.notFound("role assignment", role.id);
    return { status: 204 };
  },
});

export const keystoneListAllProjectPermissionsForGroup = iamOperation({
  name: "KeystoneListAllProjectPermissionsForGroup",
  method: "GET",
  path: `${INHERIT}/inherited_to_projects`,
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    requireOwnDomain(scope, ctx.input.path.domain_id!);
    const g = groupInDomain(store, scope, ctx.input.path.group_id!);
    const roles = store.policies
      .inheritedOfGroup(g.id)
      .map((id) => requireRoleOrNull(store, scope.domainId, id))
      .filter((r) => r !== undefined)
      .map((r) => views.role(r, ctx.request.serviceBase));
    return { body: { roles, links: views.listLinks(`${ctx.request.serviceBase}${INHERIT.replace("{domain_id}", scope.domainId).replace("{group_id}", g.id)}/inherited_to_projects`) } };
  },
});

export const showDomainRoleAssignments = iamOperation({
  name: "ShowDomainRoleAssignments",
  method: "GET",
  path: "/v3.0/OS-PERMISSION/role-assignments",
  adminOnly: true,
  errorShape: "plain",
  query: z.object({
    domain_id: z.string(),
    role_id: z.string().optional(),
    subject: z.enum(["user", "group", "agency"]).optional(),
    "subject.group_id": z.string().optional(),
    "subject.agency_id": z.string().optional(),
    "subject.user_id": z.string().optional(),
    scope: z.enum(["project", "domain", "enterprise_project"]).optional(),
    "scope.project_id": z.string().optional(),
    "scope.domain_id": z.string().optional(),
    "scope.enterprise_projects_id": z.string().optional(),
    is_inherited: z.enum(["true", "false"]).optional(),
    include_group: z.enum(["true", "false"]).optional(),
    page: z.coerce.number().int().min(1).optional(),
    per_page: z.coerce.number().int().min(1).max(50).optional(),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const q = ctx.input.query;
    requireOwnDomain(scope, q.domain_id);
    const { store } = ctx.svc;
    type Assignment = { subject: "group" | "agency"; subjectId: string; roleId: string; on: "project" | "domain"; scopeId: string; inherited: boolean };
    const list: Assignment[] = [];
    for (const g of store.groups(scope.domainId)) {
      for (const p of store.projects(scope.domainId)) {
        for (const gr of store.grantsOfGroup(g.id, "project", p.id)) list.push({ subject: "group", subjectId: g.id, roleId: gr.role_id, on: "project", scopeId: p.id, inherited: false });
      }
      for (const gr of store.grantsOfGroup(g.id, "domain", scope.domainId)) list.push({ subject: "group", subjectId: g.id, roleId: gr.role_id, on: "domain", scopeId: scope.domainId, inherited: false });
      for (const roleId of store.policies.inheritedOfGroup(g.id)) list.push({ subject: "group", subjectId: g.id, roleId, on: "domain", scopeId: scope.domainId, inherited: true });
    }
    for (const ag of store.policies.agencyGrantsInDomain(scope.domainId)) {
      list.push({ subject: "agency", subjectId: ag.agency_id, roleId: ag.role_id, on: ag.scope_type === "project" ? "project" : "domain", scopeId: ag.scope_id, inherited: ag.scope_type === "inherited" });
    }
    const picked = list.filter(
      (a) =>
        (q.role_id === undefined || a.roleId === q.role_id) &&
        (q.subject === undefined || a.subject === q.subject) &&
        (q["subject.group_id"] === undefined || (a.subject === "group" && a.subjectId === q["subject.group_id"])) &&
        (q["subject.agency_id"] === undefined || (a.subject === "agency" && a.subjectId === q["subject.agency_id"])) &&
        q["subject.user_id"] === undefined &&
        (q.scope === undefined || (q.scope as string) === a.on) &&
        (q["scope.project_id"] === undefined || (a.on === "project" && a.scopeId === q["scope.project_id"])) &&
        (q["scope.domain_id"] === undefined || (a.on === "domain" && a.scopeId === q["scope.domain_id"])) &&
        (q.is_inherited === undefined || a.inherited === (q.is_inherited === "true")),
    );
    const perPage = q.per_page ?? 50;
    const page = q.page ?? 1;
    return {
      body: {
        role_assignments: picked.slice((page - 1) * perPage, page * perPage).map((a) => ({
          role: { id: a.roleId },
          [a.subject]: { id: a.subjectId },
          scope: a.on === "project" ? { project: { id: a.scopeId } } : { domain: { id: a.scopeId } },
          is_inherited: a.inherited,
        })),
        total_num: picked.length,
      },
    };
  },
});

export const grantOperationsAll = [
  keystoneListPermissions,
  keystoneShowPermission,
  ...grantOperations("project", {
    put: "KeystoneAssociateGroupWithProjectPermission",
    head: "KeystoneCheckProjectPermissionForGroup",
    del: "KeystoneRemoveProjectPermissionFromGroup",
    list: "KeystoneListProjectPermissionsForGroup",
  }),
  ...grantOperations("domain", {
    put: "KeystoneAssociateGroupWithDomainPermission",
    head: "KeystoneCheckDomainPermissionForGroup",
    del: "KeystoneRemoveDomainPermissionFromGroup",
    list: "KeystoneListDomainPermissionsForGroup",
  }),
  updateDomainGroupInheritRole,
  keystoneCheckroleForGroup,
  deleteDomainGroupInheritedRole,
  keystoneListAllProjectPermissionsForGroup,
  showDomainRoleAssignments,
];
