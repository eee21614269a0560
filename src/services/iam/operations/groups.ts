// User groups, membership, and the system roles granted to groups on a project or on the domain.
import { z } from "../../../kernel/zod.ts";
import { findRole, SYSTEM_ROLES } from "../catalog-data.ts";
import {
  groupInDomain,
  iamOperation,
  projectInDomain,
  requireAdmin,
  requireOwnDomain,
  requireScope,
  userInDomain,
} from "../context.ts";
import { iamErrors } from "../errors.ts";
import { ADMIN_GROUP, type GrantRow } from "../store.ts";
import * as views from "../views.ts";
import type { Scope } from "../../../kernel/service.ts";

const GroupName = z.string().min(1).max(64);

export const keystoneCreateGroup = iamOperation({
  name: "KeystoneCreateGroup",
  method: "POST",
  path: "/v3/groups",
  adminOnly: true,
  body: z.object({
    group: z.object({ name: GroupName, description: z.string().max(255).optional(), domain_id: z.string().optional() }),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body.group;
    requireOwnDomain(scope, b.domain_id);
    const { store } = ctx.svc;
    if (store.groupByName(scope.domainId, b.name)) throw iamErrors.conflict("group", `group name ${b.name} is used`);
    const row = {
      id: ctx.ids.hex32(),
      domain_id: scope.domainId,
      name: b.name,
      description: b.description ?? "",
      created_at: ctx.clock.now(),
    };
    store.insertGroup(row);
    return { status: 201, body: { group: views.group(row, ctx.request.serviceBase) } };
  },
});

export const keystoneListGroups = iamOperation({
  name: "KeystoneListGroups",
  method: "GET",
  path: "/v3/groups",
  adminOnly: true,
  query: z.object({ domain_id: z.string().optional(), name: z.string().optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    requireOwnDomain(scope, ctx.input.query.domain_id);
    const name = ctx.input.query.name;
    const groups = ctx.svc.store.groups(scope.domainId).filter((g) => name === undefined || g.name === name);
    return {
      body: {
        groups: groups.map((g) => views.group(g, ctx.request.serviceBase)),
        links: views.listLinks(`${ctx.request.serviceBase}/v3/groups`),
      },
    };
  },
});

export const keystoneShowGroup = iamOperation({
  name: "KeystoneShowGroup",
  method: "GET",
  path: "/v3/groups/{group_id}",
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const g = groupInDomain(ctx.svc.store, scope, ctx.input.path.group_id!);
    return { body: { group: views.group(g, ctx.request.serviceBase) } };
  },
});

export const keystoneUpdateGroup = iamOperation({
  name: "KeystoneUpdateGroup",
  method: "PATCH",
  path: "/v3/groups/{group_id}",
  adminOnly: true,
  body: z.object({
    group: z.object({ name: GroupName.optional(), description: z.string().max(255).optional(), domain_id: z.string().optional() }),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const g = groupInDomain(store, scope, ctx.input.path.group_id!);
    const b = ctx.input.body.group;
    requireOwnDomain(scope, b.domain_id);
    const name = b.name ?? g.name;
    if (name !== g.name) {
      if (g.name === ADMIN_GROUP) throw iamErrors.forbidden("The admin group cannot be renamed.");
      if (store.groupByName(scope.domainId, name)) throw iamErrors.conflict("group", `group name ${name} is used`);
    }
    store.updateGroup(g.id, name, b.description ?? g.description);
    return { body: { group: views.group(store.group(g.id)!, ctx.request.serviceBase) } };
  },
});

export const keystoneDeleteGroup = iamOperation({
  name: "KeystoneDeleteGroup",
  method: "DELETE",
  path: "/v3/groups/{group_id}",
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const g = groupInDomain(ctx.svc.store, scope, ctx.input.path.group_id!);
    if (g.name === ADMIN_GROUP) throw iamErrors.forbidden("The admin group cannot be deleted.");
    ctx.svc.store.deleteGroup(g.id);
    return { status: 204 };
  },
});

function membership(scope: Scope, store: Parameters<typeof groupInDomain>[0], path: Record<string, string>) {
  const g = groupInDomain(store, scope, path.group_id!);
  const u = userInDomain(store, scope, path.user_id!);
  return { g, u };
}

export const keystoneAddUserToGroup = iamOperation({
  name: "KeystoneAddUserToGroup",
  method: "PUT",
  path: "/v3/groups/{group_id}/users/{user_id}",
  adminOnly: true,
  handle(ctx) {
    const { g, u } = membership(requireAdmin(ctx.scope), ctx.svc.store, ctx.input.path);
    ctx.svc.store.addMember(g.id, u.id);
    return { status: 204 };
  },
});

export const keystoneCheckUserInGroup = iamOperation({
  name: "KeystoneCheckUserInGroup",
  method: "HEAD",
  path: "/v3/groups/{group_id}/users/{user_id}",
  adminOnly: true,
  handle(ctx) {
    const { g, u } = membership(requireAdmin(ctx.scope), ctx.svc.store, ctx.input.path);
    if (!ctx.svc.store.isMember(g.id, u.id)) throw iamErrors.notFound("membership", `${u.id} in ${g.id}`);
    return { status: 204 };
  },
});

export const keystoneRemoveUserFromGroup = iamOperation({
  name: "KeystoneRemoveUserFromGroup",
  method: "DELETE",
  path: "/v3/groups/{group_id}/users/{user_id}",
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { g, u } = membership(scope, ctx.svc.store, ctx.input.path);
    if (g.name === ADMIN_GROUP && u.id === scope.principal.userId) {
      throw iamErrors.forbidden("An administrator cannot remove itself from the admin group.");
    }
    if (!ctx.svc.store.removeMember(g.id, u.id)) throw iamErrors.notFound("membership", `${u.id} in ${g.id}`);
    return { status: 204 };
  },
});

export const keystoneListUsersForGroupByAdmin = iamOperation({
  name: "KeystoneListUsersForGroupByAdmin",
  method: "GET",
  path: "/v3/groups/{group_id}/users",
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const g = groupInDomain(ctx.svc.store, scope, ctx.input.path.group_id!);
    return {
      body: {
        users: ctx.svc.store.usersOfGroup(g.id).map((u) => views.keystoneUser(u, ctx.request.serviceBase)),
        links: views.listLinks(`${ctx.request.serviceBase}/v3/groups/${g.id}/users`),
      },
    };
  },
});

// ---- roles and grants

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
    requireScope(ctx.scope);
    const q = ctx.input.query;
    const roles = SYSTEM_ROLES.filter(
      (r) =>
        (q.name === undefined || r.name === q.name) &&
        (q.display_name === undefined || r.display_name === q.display_name) &&
        (q.catalog === undefined || r.catalog === q.catalog) &&
        (q.permission_type === undefined || (q.permission_type === "policy") === (r.flag === "fine_grained")) &&
        (q.type === undefined || q.type === "all" || (q.type === "domain" ? r.type !== "XA" : r.type !== "AX")),
    );
    const perPage = q.per_page ?? roles.length;
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
    requireScope(ctx.scope);
    const r = findRole(ctx.input.path.role_id!);
    if (!r) throw iamErrors.notFound("role", ctx.input.path.role_id!);
    return { body: { role: views.role(r, ctx.request.serviceBase) } };
  },
});

type GrantScope = "project" | "domain";

/** Resolves {project_id|domain_id}/groups/{group_id}/roles/{role_id} to a grant row, checking each part. */
function grantOf(kind: GrantScope, scope: Scope, ctx: { svc: { store: Parameters<typeof groupInDomain>[0] } }, path: Record<string, string>): GrantRow {
  const { store } = ctx.svc;
  let scopeId: string;
  if (kind === "project") scopeId = projectInDomain(store, scope, path.project_id!).id;
  else {
    requireOwnDomain(scope, path.domain_id!);
    scopeId = scope.domainId;
  }
  const g = groupInDomain(store, scope, path.group_id!);
  const roleId = path.role_id;
  if (roleId !== undefined) {
    const r = findRole(roleId);
    if (!r) throw iamErrors.notFound("role", roleId);
    // A role of type AX applies to the domain only, XA to projects only.
    if ((kind === "project" && r.type === "AX") || (kind === "domain" && r.type === "XA")) {
      throw iamErrors.invalidParameter(`The role ${r.display_name} cannot be granted on a ${kind}.`);
    }
  }
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
        ctx.svc.store.grant(grantOf(kind, requireAdmin(ctx.scope), ctx, ctx.input.path));
        return { status: 204 };
      },
    }),
    iamOperation({
      name: names.head,
      method: "HEAD",
      path: `${base}/groups/{group_id}/roles/{role_id}`,
      adminOnly: true,
      handle(ctx) {
        const g = grantOf(kind, requireAdmin(ctx.scope), ctx, ctx.input.path);
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
        const g = grantOf(kind, requireAdmin(ctx.scope), ctx, ctx.input.path);
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
        const g = grantOf(kind, requireAdmin(ctx.scope), ctx, ctx.input.path);
        const roles = ctx.svc.store
          .grantsOfGroup(g.group_id, kind, g.scope_id)
          .map((gr) => findRole(gr.role_id))
          .filter((r) => r !== undefined)
          .map((r) => views.role(r, ctx.request.serviceBase));
        return { body: { roles, links: views.listLinks(`${ctx.request.serviceBase}/v3/roles`) } };
      },
    }),
  ];
}

export const groupOperations = [
  keystoneCreateGroup,
  keystoneListGroups,
  keystoneShowGroup,
  keystoneUpdateGroup,
  keystoneDeleteGroup,
  keystoneAddUserToGroup,
  keystoneCheckUserInGroup,
  keystoneRemoveUserFromGroup,
  keystoneListUsersForGroupByAdmin,
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
];
