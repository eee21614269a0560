// IAM v5 users, their access keys and login profiles, and the caller's password change. v5 is another view
// of the same IAM users as /v3 (same ids, tables and rules): a user made here shows in /v3 and the reverse.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import { iamOperation, requireAdmin, requireScope, requireSelfOrAdmin, userInDomain } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { hashPassword, type CredentialRow, type IamStore, type UserRow } from "../store.ts";
import { checkPassword } from "./security-policies.ts";
import { page, urn, V5Page, v5Time } from "./v5-common.ts";

const MAX_KEYS_PER_USER = 2;
const Name = z.string().min(1).max(64).regex(/^[A-Za-z0-9 ._-]+$/, "use letters, digits, spaces, '-', '_' or '.'");

export function v5User(u: UserRow) {
  return { user_id: u.id, user_name: u.name, description: u.description, enabled: u.enabled, is_root_user: false, created_at: v5Time(u.created_at), urn: urn(u.domain_id, "user", u.name) };
}

export const createUserV5 = iamOperation({
  name: "CreateUserV5",
  method: "POST",
  path: "/v5/users",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ name: Name, description: z.string().max(255).optional(), enabled: z.boolean().optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body;
    const { store } = ctx.svc;
    if (store.userByName(scope.domainId, b.name)) throw iamErrors.userExists(b.name);
    const id = ctx.ids.hex32();
    store.insertUser({ id, domainId: scope.domainId, name: b.name, salt: ctx.ids.hex32(), enabled: b.enabled ?? true, description: b.description ?? "", accessMode: "default", pwdStatus: false, now: ctx.clock.now() });
    return { status: 201, body: { user: v5User(store.user(id)!) } };
  },
});

export const listUsersV5 = iamOperation({
  name: "ListUsersV5",
  method: "GET",
  path: "/v5/users",
  adminOnly: true,
  errorShape: "plain",
  query: V5Page.extend({ group_id: z.string().optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const q = ctx.input.query;
    let users = store.users(scope.domainId);
    if (q.group_id !== undefined) {
      const g = store.group(q.group_id);
      if (!g || g.domain_id !== scope.domainId) throw iamErrors.notFound("group", q.group_id);
      users = store.usersOfGroup(g.id);
    }
    const p = page(users, (u) => u.id, q);
    return { body: { users: p.items.map(v5User), page_info: p.page_info } };
  },
});

export const showUserV5 = iamOperation({
  name: "ShowUserV5",
  method: "GET",
  path: "/v5/users/{user_id}",
  errorShape: "plain",
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    const u = userInDomain(ctx.svc.store, requireSelfOrAdmin(ctx.scope, id), id);
    return { body: { user: { ...v5User(u), tags: [] } } };
  },
});

export const updateUserV5 = iamOperation({
  name: "UpdateUserV5",
  method: "PUT",
  path: "/v5/users/{user_id}",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ new_user_name: Name.optional(), new_description: z.string().max(255).optional(), enabled: z.boolean().optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const u = userInDomain(store, scope, ctx.input.path.user_id!);
    const b = ctx.input.body;
    if (b.new_user_name !== undefined && b.new_user_name !== u.name && store.userByName(scope.domainId, b.new_user_name)) throw iamErrors.userExists(b.new_user_name);
    if (b.enabled === false && u.id === scope.principal.userId) throw iamErrors.forbidden("A user cannot disable itself.");
    store.tx(() => {
      store.updateUser(u.id, { name: b.new_user_name, description: b.new_description, enabled: b.enabled }, ctx.clock.now());
      if (b.enabled === false) store.revokeUserTokens(u.id);
    });
    return { body: { user: v5User(store.user(u.id)!) } };
  },
});

export const deleteUserV5 = iamOperation({
  name: "DeleteUserV5",
  method: "DELETE",
  path: "/v5/users/{user_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const u = userInDomain(ctx.svc.store, scope, ctx.input.path.user_id!);
    if (u.id === scope.principal.userId) throw iamErrors.forbidden("A user cannot delete itself.");
    ctx.svc.store.deleteUser(u.id);
    return { status: 204 };
  },
});

export const showUserLastLoginV5 = iamOperation({
  name: "ShowUserLastLoginV5",
  method: "GET",
  path: "/v5/users/{user_id}/last-login",
  errorShape: "plain",
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    const u = userInDomain(ctx.svc.store, requireSelfOrAdmin(ctx.scope, id), id);
    return { body: { user_last_login: { last_login_at: u.last_login_at === null ? null : v5Time(u.last_login_at) } } };
  },
});

// ---- access keys

const keyView = (c: CredentialRow) => ({ user_id: c.user_id, access_key_id: c.access, status: c.status, created_at: v5Time(c.created_at) });

function keyOf(store: IamStore, scope: Scope, userId: string, ak: string): CredentialRow {
  const user = userInDomain(store, scope, userId);
  const c = store.credential(ak);
  if (!c || c.user_id !== user.id || c.security_token !== null) throw iamErrors.notFound("access key", ak);
  return c;
}

export const createAccessKeyV5 = iamOperation({
  name: "CreateAccessKeyV5",
  method: "POST",
  path: "/v5/users/{user_id}/access-keys",
  errorShape: "plain",
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    const scope = requireSelfOrAdmin(ctx.scope, id);
    const { store } = ctx.svc;
    const user = userInDomain(store, scope, id);
    if (store.permanentCredentials(user.id).length >= MAX_KEYS_PER_USER) throw iamErrors.accessKeyQuota();
    const access = ctx.ids.accessKey();
    store.insertCredential({ access, secret: ctx.ids.secretKey(), userId: user.id, description: "", now: ctx.clock.now() });
    const c = store.credential(access)!;
    return { status: 201, body: { access_key: { ...keyView(c), secret_access_key: c.secret } } };
  },
});

export const listAccessKeysV5 = iamOperation({
  name: "ListAccessKeysV5",
  method: "GET",
  path: "/v5/users/{user_id}/access-keys",
  errorShape: "plain",
  query: V5Page,
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    const user = userInDomain(ctx.svc.store, requireSelfOrAdmin(ctx.scope, id), id);
    const p = page(ctx.svc.store.permanentCredentials(user.id), (c) => c.access, ctx.input.query);
    return { body: { access_keys: p.items.map(keyView), page_info: p.page_info } };
  },
});

export const updateAccessKeyV5 = iamOperation({
  name: "UpdateAccessKeyV5",
  method: "PUT",
  path: "/v5/users/{user_id}/access-keys/{access_key_id}",
  errorShape: "plain",
  body: z.object({ status: z.enum(["active", "inactive"]) }),
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    const c = keyOf(ctx.svc.store, requireSelfOrAdmin(ctx.scope, id), id, ctx.input.path.access_key_id!);
    ctx.svc.store.updateCredential(c.access, ctx.input.body.status, c.description);
    return { body: { access_key: keyView(ctx.svc.store.credential(c.access)!) } };
  },
});

export const deleteAccessKeyV5 = iamOperation({
  name: "DeleteAccessKeyV5",
  method: "DELETE",
  path: "/v5/users/{user_id}/access-keys/{access_key_id}",
  errorShape: "plain",
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    const c = keyOf(ctx.svc.store, requireSelfOrAdmin(ctx.scope, id), id, ctx.input.path.access_key_id!);
    ctx.svc.store.deleteCredential(c.access);
    return { status: 204 };
  },
});

export const showAccessKeyLastUsedV5 = iamOperation({
  name: "ShowAccessKeyLastUsedV5",
  method: "GET",
  path: "/v5/users/{user_id}/access-keys/{access_key_id}/last-used",
  errorShape: "plain",
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    const c = keyOf(ctx.svc.store, requireSelfOrAdmin(ctx.scope, id), id, ctx.input.path.access_key_id!);
    return { body: { access_key_last_used: { last_used_at: c.last_use_at === null ? null : v5Time(c.last_use_at) } } };
  },
});

// ---- login profiles (a user's console password)

const profileView = (u: UserRow) => ({ user_id: u.id, password_reset_required: u.pwd_status, password_expires_at: null, created_at: v5Time(u.updated_at) });
const LoginProfile = z.object({ password: z.string().min(1).max(128), password_reset_required: z.boolean().optional() });

function setPassword(store: IamStore, ctx: { ids: { hex32(): string }; clock: { now(): number } }, u: UserRow, password: string, reset: boolean | undefined) {
  checkPassword(store, u.domain_id, password, u.name);
  const salt = ctx.ids.hex32();
  store.tx(() => {
    store.updateUser(u.id, { password: { salt, hash: hashPassword(password, salt) }, pwdStatus: reset }, ctx.clock.now());
    store.revokeUserTokens(u.id);
  });
}

export const createLoginProfileV5 = iamOperation({
  name: "CreateLoginProfileV5",
  method: "POST",
  path: "/v5/users/{user_id}/login-profile",
  adminOnly: true,
  errorShape: "plain",
  body: LoginProfile,
  handle(ctx) {
    const { store } = ctx.svc;
    const u = userInDomain(store, requireAdmin(ctx.scope), ctx.input.path.user_id!);
    if (u.password_hash !== null) throw iamErrors.conflict("login profile", `the user ${u.name} has one`);
    setPassword(store, ctx, u, ctx.input.body.password, ctx.input.body.password_reset_required ?? false);
    return { status: 201, body: { login_profile: profileView(store.user(u.id)!) } };
  },
});

function profileOf(store: IamStore, scope: Scope, userId: string): UserRow {
  const u = userInDomain(store, scope, userId);
  if (u.password_hash === null) throw iamErrors.notFound("login profile of user", u.id);
  return u;
}

export const showLoginProfileV5 = iamOperation({
  name: "ShowLoginProfileV5",
  method: "GET",
  path: "/v5/users/{user_id}/login-profile",
  errorShape: "plain",
  handle(ctx) {
    const id = ctx.input.path.user_id!;
    return { body: { login_profile: profileView(profileOf(ctx.svc.store, requireSelfOrAdmin(ctx.scope, id), id)) } };
  },
});

export const updateLoginProfileV5 = iamOperation({
  name: "UpdateLoginProfileV5",
  method: "PUT",
  path: "/v5/users/{user_id}/login-profile",
  adminOnly: true,
  errorShape: "plain",
  body: LoginProfile.partial(),
  handle(ctx) {
    const { store } = ctx.svc;
    const u = profileOf(store, requireAdmin(ctx.scope), ctx.input.path.user_id!);
    const b = ctx.input.body;
    if (b.password !== undefined) setPassword(store, ctx, u, b.password, b.password_reset_required);
    else if (b.password_reset_required !== undefined) store.updateUser(u.id, { pwdStatus: b.password_reset_required }, ctx.clock.now());
    return { body: { login_profile: profileView(store.user(u.id)!) } };
  },
});

export const deleteLoginProfileV5 = iamOperation({
  name: "DeleteLoginProfileV5",
  method: "DELETE",
  path: "/v5/users/{user_id}/login-profile",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const u = profileOf(store, scope, ctx.input.path.user_id!);
    if (u.id === scope.principal.userId) throw iamErrors.forbidden("A user cannot remove its own login profile.");
    store.tx(() => {
      store.updateUser(u.id, { password: null }, ctx.clock.now());
      store.revokeUserTokens(u.id);
    });
    return { status: 204 };
  },
});

export const changePasswordV5 = iamOperation({
  name: "ChangePasswordV5",
  method: "POST",
  path: "/v5/caller-password",
  errorShape: "plain",
  body: z.object({ old_password: z.string().min(1), new_password: z.string().min(1) }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const u = userInDomain(store, scope, scope.principal.userId);
    if (!u.password_salt || hashPassword(ctx.input.body.old_password, u.password_salt) !== u.password_hash) throw iamErrors.wrongPassword();
    setPassword(store, ctx, u, ctx.input.body.new_password, false);
    return { status: 204 };
  },
});

export const v5UserOperations = [
  createUserV5,
  listUsersV5,
  showUserV5,
  updateUserV5,
  deleteUserV5,
  showUserLastLoginV5,
  createAccessKeyV5,
  listAccessKeysV5,
  updateAccessKeyV5,
  deleteAccessKeyV5,
  showAccessKeyLastUsedV5,
  createLoginProfileV5,
  showLoginProfileV5,
  updateLoginProfileV5,
  deleteLoginProfileV5,
  changePasswordV5,
];
