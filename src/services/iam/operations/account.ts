// Quotas, projects' status, virtual MFA devices, login protection and users' contact details.
// Virtual MFA devices are real: binding and unbinding check TOTP codes (totp.ts) on hwlocal's clock.
// Gaps: a suspended project is shown as such but not refused by other services; login protection is stored,
// not asked for at console login (hwlocal has no console login). password+totp tokens are in tokens.ts.
// Doubts: a region's built-in project is refused suspension (403) and quotas' max values are hwlocal's; our
// sources give neither.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import { iamOperation, projectInDomain, requireAdmin, requireOwnDomain, requireScope, requireSelfOrAdmin, userInDomain } from "../context.ts";
import { iamErrors } from "../errors.ts";
import type { IamStore } from "../store.ts";
import { base32Encode, totpConsecutive, totpValid } from "../totp.ts";
import { AGENCY_QUOTA } from "./agencies.ts";

// ---- quotas

const DOMAIN_QUOTAS: { type: string; quota: number; max: number; used: (s: IamStore, d: string) => number }[] = [
  { type: "user", quota: 50, max: 1000, used: (s, d) => s.users(d).length },
  { type: "group", quota: 20, max: 1000, used: (s, d) => s.groups(d).length },
  { type: "idp", quota: 10, max: 50, used: () => 0 },
  { type: "agency", quota: AGENCY_QUOTA, max: 1000, used: (s, d) => s.policies.agencies(d).length },
  { type: "policy", quota: 200, max: 1000, used: (s, d) => s.policies.customRoles(d).length },
  { type: "assigment_group_mp", quota: 500, max: 1000, used: () => 0 },
  { type: "assigment_agency_mp", quota: 500, max: 1000, used: () => 0 },
  { type: "assigment_group_ep", quota: 500, max: 1000, used: () => 0 },
  { type: "assigment_user_ep", quota: 500, max: 1000, used: () => 0 },
];

export const showDomainQuota = iamOperation({
  name: "ShowDomainQuota",
  method: "GET",
  path: "/v3.0/OS-QUOTA/domains/{domain_id}",
  errorShape: "plain",
  query: z.object({ type: z.enum(["user", "group", "idp", "agency", "policy", "assigment_group_mp", "assigment_agency_mp", "assigment_group_ep", "assigment_user_ep"]).optional() }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    requireOwnDomain(scope, ctx.input.path.domain_id!);
    const t = ctx.input.query.type;
    const resources = DOMAIN_QUOTAS.filter((q) => t === undefined || q.type === t).map((q) => ({
      type: q.type,
      quota: q.quota,
      max: q.max,
      min: 0,
      used: q.used(ctx.svc.store, scope.domainId),
    }));
    return { body: { quotas: { resources } } };
  },
});

export const showProjectQuota = iamOperation({
  name: "ShowProjectQuota",
  method: "GET",
  path: "/v3.0/OS-QUOTA/projects/{project_id}",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const p = projectInDomain(store, scope, ctx.input.path.project_id!);
    // Sub-projects of the project's region: Huawei allows 10 per region by default.
    const used = store.projects(scope.domainId).filter((x) => x.region === p.region && x.id !== p.id && x.name.startsWith(`${p.region}_`)).length;
    return { body: { quotas: { resources: [{ type: "project", quota: 10, max: 100, min: 0, used }] } } };
  },
});

// ---- projects' status

const projectView = (store: IamStore, scope: Scope, id: string) => {
  const p = projectInDomain(store, scope, id);
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domain_id,
    parent_id: p.parent_id,
    description: p.description,
    enabled: p.enabled,
    is_domain: false,
    status: store.settings.projectStatus(p.id) ?? "normal",
  };
};

export const showProjectDetailsAndStatus = iamOperation({
  name: "ShowProjectDetailsAndStatus",
  method: "GET",
  path: "/v3-ext/projects/{project_id}",
  handle(ctx) {
    return { body: { project: projectView(ctx.svc.store, requireScope(ctx.scope), ctx.input.path.project_id!) } };
  },
});

export const updateProjectStatus = iamOperation({
  name: "UpdateProjectStatus",
  method: "PUT",
  path: "/v3-ext/projects/{project_id}",
  adminOnly: true,
  body: z.object({ project: z.object({ status: z.enum(["normal", "suspended"]) }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const p = projectInDomain(ctx.svc.store, scope, ctx.input.path.project_id!);
    if (p.region === p.name) throw iamErrors.forbidden("A region's built-in project cannot be suspended.");
    ctx.svc.store.settings.putProjectStatus(p.id, ctx.input.body.project.status, ctx.clock.now());
    return { status: 204 };
  },
});

// ---- virtual MFA devices

const mfaView = (d: { serial_number: string; user_id: string }) => ({ serial_number: d.serial_number, user_id: d.user_id });

export const createMfaDevice = iamOperation({
  name: "CreateMfaDevice",
  method: "POST",
  path: "/v3.0/OS-MFA/virtual-mfa-devices",
  errorShape: "plain",
  body: z.object({ virtual_mfa_device: z.object({ name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/), user_id: z.string() }) }),
  handle(ctx) {
    const b = ctx.input.body.virtual_mfa_device;
    const scope = requireSelfOrAdmin(ctx.scope, b.user_id);
    const { store } = ctx.svc;
    const user = userInDomain(store, scope, b.user_id);
    if (store.settings.mfaOfUser(user.id)) throw iamErrors.conflict("virtual MFA device", `the user ${user.name} has one`);
    const serial = `iam/mfa/${scope.domainId}/${b.name}`;
    if (store.settings.mfaDevice(serial)) throw iamErrors.conflict("virtual MFA device", `the name ${b.name} is used`);
    const seed = base32Encode(Buffer.from(`${ctx.ids.hex32()}${ctx.ids.hex32()}`, "hex").subarray(0, 20));
    store.settings.insertMfa({ serial_number: serial, user_id: user.id, domain_id: scope.domainId, name: b.name, secret: seed, created_at: ctx.clock.now() });
    return { status: 201, body: { virtual_mfa_device: { serial_number: serial, base32_string_seed: seed } } };
  },
});

function deviceOf(store: IamStore, scope: Scope, userId: string, serial: string) {
  const d = store.settings.mfaDevice(serial);
  if (!d || d.domain_id !== scope.domainId || d.user_id !== userId) throw iamErrors.notFound("virtual MFA device", serial);
  return d;
}

export const deleteMfaDevice = iamOperation({
  name: "DeleteMfaDevice",
  method: "DELETE",
  path: "/v3.0/OS-MFA/virtual-mfa-devices",
  errorShape: "plain",
  query: z.object({ user_id: z.string(), serial_number: z.string() }),
  handle(ctx) {
    const q = ctx.input.query;
    const scope = requireSelfOrAdmin(ctx.scope, q.user_id);
    const d = deviceOf(ctx.svc.store, scope, q.user_id, q.serial_number);
    if (d.bound) throw iamErrors.forbidden("Unbind the virtual MFA device before deleting it.");
    ctx.svc.store.settings.deleteMfa(d.serial_number);
    return { status: 204 };
  },
});

const Code = z.string().regex(/^\d{6}$/, "must be 6 digits");

export const createBindingDevice = iamOperation({
  name: "CreateBindingDevice",
  method: "PUT",
  path: "/v3.0/OS-MFA/mfa-devices/bind",
  errorShape: "plain",
  body: z.object({ user_id: z.string(), serial_number: z.string(), authentication_code_first: Code, authentication_code_second: Code }),
  handle(ctx) {
    const b = ctx.input.body;
    const scope = requireSelfOrAdmin(ctx.scope, b.user_id);
    const d = deviceOf(ctx.svc.store, scope, b.user_id, b.serial_number);
    if (d.bound) throw iamErrors.conflict("virtual MFA device", "it is bound already");
    if (!totpConsecutive(d.secret, ctx.clock.now(), b.authentication_code_first, b.authentication_code_second)) {
      throw iamErrors.invalidParameter("The authentication codes are wrong: give two consecutive codes of the device.");
    }
    ctx.svc.store.settings.bindMfa(d.serial_number, true);
    return { status: 204 };
  },
});

export const deleteBindingDevice = iamOperation({
  name: "DeleteBindingDevice",
  method: "PUT",
  path: "/v3.0/OS-MFA/mfa-devices/unbind",
  errorShape: "plain",
  body: z.object({ user_id: z.string(), serial_number: z.string(), authentication_code: Code }),
  handle(ctx) {
    const b = ctx.input.body;
    const scope = requireSelfOrAdmin(ctx.scope, b.user_id);
    const d = deviceOf(ctx.svc.store, scope, b.user_id, b.serial_number);
    if (!d.bound) throw iamErrors.notFound("MFA binding", d.serial_number);
    if (!totpValid(d.secret, ctx.clock.now(), b.authentication_code)) throw iamErrors.invalidParameter("The authentication code is wrong.");
    ctx.svc.store.settings.bindMfa(d.serial_number, false);
    return { status: 204 };
  },
});

export const listUserMfaDevices = iamOperation({
  name: "ListUserMfaDevices",
  method: "GET",
  path: "/v3.0/OS-MFA/virtual-mfa-devices",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    return { body: { virtual_mfa_devices: ctx.svc.store.settings.mfaInDomain(scope.domainId).filter((d) => d.bound).map(mfaView) } };
  },
});

export const showUserMfaDevice = iamOperation({
  name: "ShowUserMfaDevice",
  method: "GET",
  path: "/v3.0/OS-MFA/users/{user_id}/virtual-mfa-device",
  errorShape: "plain",
  handle(ctx) {
    const userId = ctx.input.path.user_id!;
    const scope = requireSelfOrAdmin(ctx.scope, userId);
    const user = userInDomain(ctx.svc.store, scope, userId);
    const d = ctx.svc.store.settings.mfaOfUser(user.id);
    if (!d || !d.bound) throw iamErrors.notFound("virtual MFA device of user", user.id);
    return { body: { virtual_mfa_device: mfaView(d) } };
  },
});

// ---- login protection and contact details

const loginProtectOf = (store: IamStore, userId: string) => {
  const v = store.settings.userSetting(userId, "login_protect");
  return { user_id: userId, enabled: v?.enabled === true, verification_method: typeof v?.verification_method === "string" ? v.verification_method : "none" };
};

export const listUserLoginProtects = iamOperation({
  name: "ListUserLoginProtects",
  method: "GET",
  path: "/v3.0/OS-USER/login-protects",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    return { body: { login_protects: store.settings.userSettingsNamed(scope.domainId, "login_protect").map((s) => loginProtectOf(store, s.userId)) } };
  },
});

export const showUserLoginProtect = iamOperation({
  name: "ShowUserLoginProtect",
  method: "GET",
  path: "/v3.0/OS-USER/users/{user_id}/login-protect",
  errorShape: "plain",
  handle(ctx) {
    const userId = ctx.input.path.user_id!;
    const scope = requireSelfOrAdmin(ctx.scope, userId);
    const user = userInDomain(ctx.svc.store, scope, userId);
    if (!ctx.svc.store.settings.userSetting(user.id, "login_protect")) throw iamErrors.notFound("login protection of user", user.id);
    return { body: { login_protect: loginProtectOf(ctx.svc.store, user.id) } };
  },
});

export const updateLoginProtect = iamOperation({
  name: "UpdateLoginProtect",
  method: "PUT",
  path: "/v3.0/OS-USER/users/{user_id}/login-protect",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ login_protect: z.object({ enabled: z.boolean(), verification_method: z.enum(["vmfa", "sms", "email"]) }) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const user = userInDomain(store, scope, ctx.input.path.user_id!);
    const b = ctx.input.body.login_protect;
    if (b.enabled && b.verification_method === "vmfa" && !store.settings.mfaOfUser(user.id)?.bound) {
      throw iamErrors.invalidParameter(`The user ${user.name} has no bound virtual MFA device.`);
    }
    if (b.enabled && b.verification_method === "email" && !user.email) throw iamErrors.invalidParameter(`The user ${user.name} has no email address.`);
    if (b.enabled && b.verification_method === "sms" && !user.phone) throw iamErrors.invalidParameter(`The user ${user.name} has no mobile number.`);
    store.settings.putUserSetting(user.id, "login_protect", b);
    return { body: { login_protect: loginProtectOf(store, user.id) } };
  },
});

export const updateUserInformation = iamOperation({
  name: "UpdateUserInformation",
  method: "PUT",
  path: "/v3.0/OS-USER/users/{user_id}/info",
  errorShape: "plain",
  body: z.object({
    user: z.object({ email: z.string().max(255).regex(/^[^@\s]+@[^@\s]+$/).optional(), mobile: z.string().regex(/^\d{1,4}-\d{4,20}$/, "is <areacode>-<number>").optional() }),
  }),
  handle(ctx) {
    const userId = ctx.input.path.user_id!;
    const scope = requireSelfOrAdmin(ctx.scope, userId);
    const { store } = ctx.svc;
    userInDomain(store, scope, userId);
    const b = ctx.input.body.user;
    const [areacode, phone] = b.mobile === undefined ? [undefined, undefined] : b.mobile.split("-");
    store.updateUser(userId, { email: b.email, areacode, phone }, ctx.clock.now());
    return { status: 204 };
  },
});

export const accountOperations = [
  showDomainQuota,
  showProjectQuota,
  showProjectDetailsAndStatus,
  updateProjectStatus,
  createMfaDevice,
  deleteMfaDevice,
  createBindingDevice,
  deleteBindingDevice,
  listUserMfaDevices,
  showUserMfaDevice,
  listUserLoginProtects,
  showUserLoginProtect,
  updateLoginProtect,
  updateUserInformation,
];
