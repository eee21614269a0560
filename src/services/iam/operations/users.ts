// IAM users, in both spellings Huawei offers: Keystone /v3/users and the recommended /v3.0/OS-USER/users.
import { z } from "../../../kernel/zod.ts";
import {
  iamOperation,
  requireAdmin,
  requireOwnDomain,
  requireScope,
  requireSelfOrAdmin,
  userInDomain,
} from "../context.ts";
import { iamErrors } from "../errors.ts";
import { checkPassword } from "./security-policies.ts";
import { hashPassword, type IamStore, type UserPatch } from "../store.ts";
import * as views from "../views.ts";
import type { Ids } from "../../../kernel/ids.ts";
import type { Scope } from "../../../kernel/service.ts";

const UserName = z.string();
const Password = z.string();

function checkName(name: string): void {
  if (name.length < 1 || name.length > 32 || !/^[A-Za-z0-9 ._-]+$/.test(name)) throw iamErrors.userNameInvalid();
}

interface NewUserInput {
  name: string;
  domain_id?: string;
  password?: string;
  enabled?: boolean;
  description?: string;
  email?: string;
  areacode?: string;
  phone?: string;
  access_mode?: "default" | "programmatic" | "console";
  pwd_status?: boolean;
}

function createUser(store: IamStore, scope: Scope, ids: Ids, now: number, b: NewUserInput) {
  requireOwnDomain(scope, b.domain_id);
  checkName(b.name);
  if (b.password !== undefined) checkPassword(store, scope.domainId, b.password, b.name);
  if (store.userByName(scope.domainId, b.name)) throw iamErrors.userExists(b.name);
  const id = ids.hex32();
  store.insertUser({
    id,
    domainId: scope.domainId,
    name: b.name,
    password: b.password,
    salt: ids.hex32(),
    enabled: b.enabled ?? true,
    description: b.description ?? "",
    email: b.email,
    areacode: b.areacode,
    phone: b.phone,
    accessMode: b.access_mode ?? "default",
    pwdStatus: b.pwd_status ?? false,
    now,
  });
  return store.user(id)!;
}

function applyPatch(store: IamStore, scope: Scope, ids: Ids, now: number, userId: string, b: Partial<NewUserInput>) {
  const user = userInDomain(store, scope, userId);
  const patch: UserPatch = {};
  if (b.name !== undefined && b.name !== user.name) {
    checkName(b.name);
    if (store.userByName(scope.domainId, b.name)) throw iamErrors.userExists(b.name);
    patch.name = b.name;
  }
  if (b.password !== undefined) {
    checkPassword(store, scope.domainId, b.password, b.name ?? user.name);
    const salt = ids.hex32();
    patch.password = { salt, hash: hashPassword(b.password, salt) };
  }
  if (b.enabled !== undefined) {
    if (!b.enabled && userId === scope.principal.userId) throw iamErrors.forbidden("A user cannot disable itself.");
    patch.enabled = b.enabled;
  }
  patch.description = b.description;
  patch.email = b.email;
  patch.areacode = b.areacode;
  patch.phone = b.phone;
  patch.accessMode = b.access_mode;
  patch.pwdStatus = b.pwd_status;
  store.tx(() => {
    store.updateUser(userId, patch, now);
    // Huawei invalidates a user's tokens when its password changes or it is disabled.
    if (patch.password || patch.enabled === false) store.revokeUserTokens(userId);
  });
  return store.user(userId)!;
}

const KeystoneUserBody = z.object({
  user: z.object({
    name: UserName,
    domain_id: z.string().optional(),
    password: Password.optional(),
    enabled: z.boolean().optional(),
    description: z.string().max(255).optional(),
  }),
});

const OsUserFields = {
  domain_id: z.string().optional(),
  password: Password.optional(),
  email: z.string().max(255).optional(),
  areacode: z.string().max(8).optional(),
  phone: z.string().max(32).optional(),
  enabled: z.boolean().optional(),
  pwd_status: z.boolean().optional(),
  access_mode: z.enum(["default", "programmatic", "console"]).optional(),
  description: z.string().max(255).optional(),
};

export const keystoneCreateUser = iamOperation({
  name: "KeystoneCreateUser",
  method: "POST",
  path: "/v3/users",
  adminOnly: true,
  body: KeystoneUserBody,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const u = createUser(ctx.svc.store, scope, ctx.ids, ctx.clock.now(), ctx.input.body.user);
    return { status: 201, body: { user: views.keystoneUser(u, ctx.request.serviceBase) } };
  },
});

export const createUser_ = iamOperation({
  name: "CreateUser",
  method: "POST",
  path: "/v3.0/OS-USER/users",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ user: z.object({ name: UserName, ...OsUserFields }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const u = createUser(ctx.svc.store, scope, ctx.ids, ctx.clock.now(), ctx.input.body.user);
    const domain = ctx.svc.store.domain(u.domain_id)!;
    return { status: 201, body: { user: views.osUser(u, ctx.request.serviceBase, domain.name) } };
  },
});

export const keystoneListUsers = iamOperation({
  name: "KeystoneListUsers",
  method: "GET",
  path: "/v3/users",
  adminOnly: true,
  query: z.object({
    domain_id: z.string().optional(),
    name: z.string().optional(),
    enabled: z.enum(["true", "false"]).optional(),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const q = ctx.input.query;
    requireOwnDomain(scope, q.domain_id);
    const users = ctx.svc.store
      .users(scope.domainId)
      .filter((u) => (q.name === undefined || u.name === q.name) && (q.enabled === undefined || String(u.enabled) === q.enabled));
    return {
      body: {
        users: users.map((u) => views.keystoneUser(u, ctx.request.serviceBase)),
        links: views.listLinks(`${ctx.request.serviceBase}/v3/users`),
      },
    };
  },
});

export const keystoneShowUser = iamOperation({
  name: "KeystoneShowUser",
  method: "GET",
  path: "/v3/users/{user_id}",
  handle(ctx) {
    const scope = requireSelfOrAdmin(ctx.scope, ctx.input.path.user_id!);
    const u = userInDomain(ctx.svc.store, scope, ctx.input.path.user_id!);
    return { body: { user: views.keystoneUser(u, ctx.request.serviceBase) } };
  },
});

export const showUser = iamOperation({
  name: "ShowUser",
  method: "GET",
  path: "/v3.0/OS-USER/users/{user_id}",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireSelfOrAdmin(ctx.scope, ctx.input.path.user_id!);
    const u = userInDomain(ctx.svc.store, scope, ctx.input.path.user_id!);
    const domain = ctx.svc.store.domain(u.domain_id)!;
    return { body: { user: views.osUser(u, ctx.request.serviceBase, domain.name) } };
  },
});

export const keystoneUpdateUserByAdmin = iamOperation({
  name: "KeystoneUpdateUserByAdmin",
  method: "PATCH",
  path: "/v3/users/{user_id}",
  adminOnly: true,
  body: z.object({
    user: z.object({
      name: UserName.optional(),
      password: Password.optional(),
      enabled: z.boolean().optional(),
      description: z.string().max(255).optional(),
    }),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const u = applyPatch(ctx.svc.store, scope, ctx.ids, ctx.clock.now(), ctx.input.path.user_id!, ctx.input.body.user);
    return { body: { user: views.keystoneUser(u, ctx.request.serviceBase) } };
  },
});

export const updateUser = iamOperation({
  name: "UpdateUser",
  method: "PUT",
  path: "/v3.0/OS-USER/users/{user_id}",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ user: z.object({ name: UserName.optional(), ...OsUserFields }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const u = applyPatch(ctx.svc.store, scope, ctx.ids, ctx.clock.now(), ctx.input.path.user_id!, ctx.input.body.user);
    const domain = ctx.svc.store.domain(u.domain_id)!;
    return { body: { user: views.osUser(u, ctx.request.serviceBase, domain.name) } };
  },
});

export const keystoneDeleteUser = iamOperation({
  name: "KeystoneDeleteUser",
  method: "DELETE",
  path: "/v3/users/{user_id}",
  adminOnly: true,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const u = userInDomain(ctx.svc.store, scope, ctx.input.path.user_id!);
    if (u.id === scope.principal.userId) throw iamErrors.forbidden("A user cannot delete itself.");
    // Its groups, keys and tokens go with it (ON DELETE CASCADE).
    ctx.svc.store.deleteUser(u.id);
    return { status: 204 };
  },
});

export const keystoneUpdateUserPassword = iamOperation({
  name: "KeystoneUpdateUserPassword",
  method: "POST",
  path: "/v3/users/{user_id}/password",
  body: z.object({ user: z.object({ password: Password, original_password: z.string() }) }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const userId = ctx.input.path.user_id!;
    if (scope.principal.userId !== userId) throw iamErrors.forbidden("Users change only their own password.");
    const { store } = ctx.svc;
    const u = userInDomain(store, scope, userId);
    const b = ctx.input.body.user;
    if (!u.password_salt || hashPassword(b.original_password, u.password_salt) !== u.password_hash) {
      throw iamErrors.wrongPassword();
    }
    applyPatch(store, scope, ctx.ids, ctx.clock.now(), userId, { password: b.password });
    return { status: 204 };
  },
});

export const keystoneListGroupsForUser = iamOperation({
  name: "KeystoneListGroupsForUser",
  method: "GET",
  path: "/v3/users/{user_id}/groups",
  handle(ctx) {
    const scope = requireSelfOrAdmin(ctx.scope, ctx.input.path.user_id!);
    const u = userInDomain(ctx.svc.store, scope, ctx.input.path.user_id!);
    return {
      body: {
        groups: ctx.svc.store.groupsOfUser(u.id).map((g) => views.group(g, ctx.request.serviceBase)),
        links: views.listLinks(`${ctx.request.serviceBase}/v3/users/${u.id}/groups`),
      },
    };
  },
});

export const userOperations = [
  keystoneCreateUser,
  createUser_,
  keystoneListUsers,
  keystoneShowUser,
  showUser,
  keystoneUpdateUserByAdmin,
  updateUser,
  keystoneDeleteUser,
  keystoneUpdateUserPassword,
  keystoneListGroupsForUser,
];
