// ECS server groups (/v1/{project_id}/cloudservers/os-server-groups). Only anti-affinity groups exist, as
// on Huawei; members are the existing servers whose server_group_id names the group.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { ECS_QUOTA } from "../quota.ts";
import type { EcsStore, ServerGroupRow } from "../store.ts";
import * as views from "../views.ts";
import { requireServer } from "./server-common.ts";

const POLICIES = ["anti-affinity"];

function view(store: EcsStore, g: ServerGroupRow) {
  return views.serverGroup(g, store.servers.membersOfGroup(g.project_id, g.id));
}

export const createServerGroup = ecsOperation({
  name: "CreateServerGroup",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/os-server-groups",
  body: z.object({
    server_group: z.object({ name: z.string().min(1).max(255), policies: z.array(z.string()).min(1).max(1) }),
  }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const b = ctx.input.body.server_group;
    const unsupported = b.policies.find((x) => !POLICIES.includes(x));
    if (unsupported !== undefined) {
      throw ecsErrors.invalidParameter(`policies: ${unsupported.slice(0, 64)} is not supported; use anti-affinity.`);
    }
    const { store } = ctx.svc;
    const g: ServerGroupRow = { id: ctx.ids.uuid(), project_id: projectId, name: b.name, policies: b.policies, created_at: ctx.clock.now() };
    store.tx(() => {
      if (store.serverGroups.count(projectId) >= ECS_QUOTA.serverGroups) throw ecsErrors.serverGroupQuota(ECS_QUOTA.serverGroups);
      store.serverGroups.insert(g);
    });
    return { body: { server_group: views.serverGroup(g, []) } };
  },
});

export const listServerGroups = ecsOperation({
  name: "ListServerGroups",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/os-server-groups",
  query: z.object({ limit: queryInt(1, 1000).optional(), marker: z.string().optional() }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { limit, marker } = ctx.input.query;
    const { store } = ctx.svc;
    let groups = store.serverGroups.list(projectId);
    if (marker !== undefined) {
      const at = groups.findIndex((g) => g.id === marker);
      if (at < 0) throw ecsErrors.invalidParameter(`marker: the server group ${marker} is not in the list.`);
      groups = groups.slice(at + 1);
    }
    const page = limit === undefined ? groups : groups.slice(0, limit);
    const more = page.length < groups.length;
    return {
      body: {
        server_groups: page.map((g) => view(store, g)),
        ...(more ? { page_info: { next_marker: page[page.length - 1]!.id } } : {}),
      },
    };
  },
});

export const showServerGroup = ecsOperation({
  name: "ShowServerGroup",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/os-server-groups/{server_group_id}",
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const id = ctx.input.path.server_group_id ?? "";
    const g = ctx.svc.store.serverGroups.get(projectId, id);
    if (!g) throw ecsErrors.serverGroupNotFound(id);
    return { body: { server_group: view(ctx.svc.store, g) } };
  },
});

export const deleteServerGroup = ecsOperation({
  name: "DeleteServerGroup",
  method: "DELETE",
  path: "/v1/{project_id}/cloudservers/os-server-groups/{server_group_id}",
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const id = ctx.input.path.server_group_id ?? "";
    const { store } = ctx.svc;
    store.tx(() => {
      if (!store.serverGroups.delete(projectId, id)) throw ecsErrors.serverGroupNotFound(id);
      store.servers.leaveGroup(projectId, id);
    });
    return { status: 204 };
  },
});

const Member = z.object({ instance_uuid: z.string().min(1).max(64) });

export const serverGroupMemberAction = ecsOperation({
  // One path serves two SDK operations, told apart by the body's key.
  name: "AddServerGroupMember|DeleteServerGroupMember",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/os-server-groups/{server_group_id}/action",
  body: z
    .object({ add_member: Member.optional(), remove_member: Member.optional() })
    .refine((b) => (b.add_member === undefined) !== (b.remove_member === undefined), "give exactly one of add_member, remove_member"),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const id = ctx.input.path.server_group_id ?? "";
    const { store } = ctx.svc;
    const g = store.serverGroups.get(projectId, id);
    if (!g) throw ecsErrors.serverGroupNotFound(id);
    const b = ctx.input.body;
    const serverId = (b.add_member ?? b.remove_member)!.instance_uuid;
    const s = requireServer(ctx.svc, projectId, serverId);
    if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
    const now = ctx.clock.now();
    if (b.add_member) {
      if (s.server_group_id === g.id) throw ecsErrors.invalidParameter(`The ECS ${s.id} is already in the server group ${g.id}.`);
      if (s.server_group_id !== null) throw ecsErrors.invalidParameter(`The ECS ${s.id} is in another server group (${s.server_group_id}).`);
      if (store.servers.membersOfGroup(projectId, g.id).length >= ECS_QUOTA.serverGroupMembers) {
        throw ecsErrors.serverGroupMembersQuota(ECS_QUOTA.serverGroupMembers);
      }
      store.servers.update(projectId, s.id, { server_group_id: g.id }, now);
    } else {
      if (s.server_group_id !== g.id) throw ecsErrors.invalidParameter(`The ECS ${s.id} is not in the server group ${g.id}.`);
      store.servers.update(projectId, s.id, { server_group_id: null }, now);
    }
    return { status: 200, body: {} };
  },
});

/**
 * Nova's spelling of the same groups (/v2.1/{project_id}/os-server-groups): the same handlers, named
 * NovaCreateServerGroup, NovaListServerGroups, NovaShowServerGroup and NovaDeleteServerGroup (names ours).
 */
const novaTwins = [createServerGroup, listServerGroups, showServerGroup, deleteServerGroup].map((op) => ({
  ...op,
  name: `Nova${op.name}`,
  path: op.path.replace("/v1/{project_id}/cloudservers/os-server-groups", "/v2.1/{project_id}/os-server-groups"),
}));

export const serverGroupOperations = [createServerGroup, listServerGroups, showServerGroup, deleteServerGroup, serverGroupMemberAction, ...novaTwins];
