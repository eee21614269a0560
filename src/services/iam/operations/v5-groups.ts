// IAM v5 user groups and membership: the same groups as /v3/groups, shown the v5 way.
import { z } from "../../../kernel/zod.ts";
import { groupInDomain, iamOperation, requireAdmin, userInDomain } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { ADMIN_GROUP, type GroupRow } from "../store.ts";
import { page, urn, V5Page, v5Time } from "./v5-common.ts";

const GroupName = z.string().min(1).max(128);

export function v5Group(g: GroupRow) {
  return { group_id: g.id, group_name: g.name, description: g.description, created_at: v5Time(g.created_at), urn: urn(g.domain_id, "group", g.name) };
}

export const createGroupV5 = iamOperation({
  name: "CreateGroupV5",
  method: "POST",
  path: "/v5/groups",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ group_name: GroupName, description: z.string().max(255).optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body;
    const { store } = ctx.svc;
    if (store.groupByName(scope.domainId, b.group_name)) throw iamErrors.conflict("group", `group name ${b.group_name} is used`);
    const row = { id: ctx.ids.hex32(), domain_id: scope.domainId, name: b.group_name, description: b.description ?? "", created_at: ctx.clock.now() };
    store.insertGroup(row);
    return { status: 201, body: { group: v5Group(row) } };
  },
});

export const listGroupsV5 = iamOperation({
  name: "ListGroupsV5",
  method: "GET",
  path: "/v5/groups",
  adminOnly: true,
  errorShape: "plain",
  query: V5Page.extend({ user_id: z.string().optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const q = ctx.input.query;
    const groups = q.user_id === undefined ? store.groups(scope.domainId) : store.groupsOfUser(userInDomain(store, scope, q.user_id).id);
    const p = page(groups, (g) => g.id, q);
    return { body: { groups: p.items.map(v5Group), page_info: p.page_info } };
  },
});

export const showGroupV5 = iamOperation({
  name: "ShowGroupV5",
  method: "GET",
  path: "/v5/groups/{group_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    return { body: { group: v5Group(groupInDomain(ctx.svc.store, requireAdmin(ctx.scope), ctx.input.path.group_id!)) } };
  },
});

export const updateGroupV5 = iamOperation({
  name: "UpdateGroupV5",
  method: "PUT",
  path: "/v5/groups/{group_id}",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ new_group_name: GroupName.optional(), new_group_description: z.string().max(255).optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const g = groupInDomain(store, scope, ctx.input.path.group_id!);
    const b = ctx.input.body;
    const name = b.new_group_name ?? g.name;
    if (name !== g.name) {
      if (g.name === ADMIN_GROUP) throw iamErrors.forbidden("The admin group cannot be renamed.");
      if (store.groupByName(scope.domainId, name)) throw iamErrors.conflict("group", `group name ${name} is used`);
    }
    store.updateGroup(g.id, name, b.new_group_description ?? g.description);
    return { body: { group: v5Group(store.group(g.id)!) } };
  },
});

export const deleteGroupV5 = iamOperation({
  name: "DeleteGroupV5",
  method: "DELETE",
  path: "/v5/groups/{group_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const g = groupInDomain(ctx.svc.store, requireAdmin(ctx.scope), ctx.input.path.group_id!);
    if (g.name === ADMIN_GROUP) throw iamErrors.forbidden("The admin group cannot be deleted.");
    ctx.svc.store.deleteGroup(g.id);
    return { status: 204 };
  },
});

export const addUserToGroupV5 = iamOperation({
  name: "AddUserToGroupV5",
  method: "POST",
  path: "/v5/groups/{group_id}/add-user",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ user_id: z.string() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const g = groupInDomain(store, scope, ctx.input.path.group_id!);
    const u = userInDomain(store, scope, ctx.input.body.user_id);
    store.addMember(g.id, u.id);
    return { status: 204 };
  },
});

export const removeUserFromGroupV5 = iamOperation({
  name: "RemoveUserFromGroupV5",
  method: "POST",
  path: "/v5/groups/{group_id}/remove-user",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ user_id: z.string() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const g = groupInDomain(store, scope, ctx.input.path.group_id!);
    const u = userInDomain(store, scope, ctx.input.body.user_id);
    if (g.name === ADMIN_GROUP && u.id === scope.principal.userId) throw iamErrors.forbidden("An administrator cannot remove itself from the admin group.");
    if (!store.removeMember(g.id, u.id)) throw iamErrors.notFound("membership", `${u.id} in ${g.id}`);
    return { status: 204 };
  },
});

export const v5GroupOperations = [createGroupV5, listGroupsV5, showGroupV5, updateGroupV5, deleteGroupV5, addUserToGroupV5, removeUserFromGroupV5];
