// User groups and membership (grants to groups are in grants.ts).
import { z } from "../../../kernel/zod.ts";
import { groupInDomain, iamOperation, requireAdmin, requireOwnDomain, userInDomain } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { ADMIN_GROUP } from "../store.ts";
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
];
