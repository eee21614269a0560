// IAM v5 account settings: summary and quotas, password/login/token policies (the password policy is the same
// one /v3.0 shows and enforces), feature and asymmetric-signature switches, virtual MFA devices (the same
// devices as /v3.0/OS-MFA, TOTP-checked), resource tags, and the service principals agencies may trust.
// Doubts: the spellings of the switch values ("on"/"off") are not in our sources. Token policy and the
// asymmetric-signature switch are stored, not enforced.
import { z } from "../../../kernel/zod.ts";
import { iamOperation, requireAdmin, requireScope, requireSelfOrAdmin, userInDomain } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { base32Encode, totpConsecutive } from "../totp.ts";
import { AGENCY_QUOTA } from "./agencies.ts";
import { page, V5Page } from "./v5-common.ts";

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const getAccountSummaryV5 = iamOperation({
  name: "GetAccountSummaryV5",
  method: "GET",
  path: "/v5/account-summary",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const d = scope.domainId;
    const rootMfa = store.users(d).some((u) => u.id === scope.principal.userId && store.settings.mfaOfUser(u.id)?.bound === true);
    return {
      body: {
        users: store.users(d).length,
        users_quota: 50,
        groups: store.groups(d).length,
        groups_quota: 20,
        agencies: store.policies.agencies(d).length,
        agencies_quota: AGENCY_QUOTA,
        policies: store.v5.policies(d).length,
        policies_quota: 200,
        policy_size_quota: 6144,
        versions_per_policy_quota: 5,
        attached_policies_per_user_quota: 10,
        attached_policies_per_group_quota: 10,
        attached_policies_per_agency_quota: 10,
        root_user_mfa_enabled: rootMfa,
      },
    };
  },
});

/** A stored switch or policy of the domain, with defaults for what was never set. */
function setting<T extends Record<string, unknown>>(ctx: { svc: { store: { settings: { domainSetting(d: string, n: string): Record<string, unknown> | undefined } } } }, domainId: string, name: string, defaults: T): T {
  return { ...defaults, ...(ctx.svc.store.settings.domainSetting(domainId, name) as Partial<T> | undefined) };
}

export const getAsymmetricSignatureSwitchV5 = iamOperation({
  name: "GetAsymmetricSignatureSwitchV5",
  method: "GET",
  path: "/v5/asymmetric-signature-switch",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    return { body: setting(ctx, scope.domainId, "v5_asymmetric_signature", { asymmetric_signature: "off" }) };
  },
});

export const setAsymmetricSignatureSwitchV5 = iamOperation({
  name: "SetAsymmetricSignatureSwitchV5",
  method: "PUT",
  path: "/v5/asymmetric-signature-switch",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ asymmetric_signature: z.enum(["on", "off"]) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    ctx.svc.store.settings.putDomainSetting(scope.domainId, "v5_asymmetric_signature", ctx.input.body);
    return { body: ctx.input.body };
  },
});

export const getFeatureStatusV5 = iamOperation({
  name: "GetFeatureStatusV5",
  method: "GET",
  path: "/v5/features/{feature_name}",
  errorShape: "plain",
  handle(ctx) {
    requireScope(ctx.scope);
    const name = ctx.input.path.feature_name!;
    // hwlocal serves the v5 APIs, so the v5 console feature is on; the access analyzer does not exist here.
    if (name === "v5_console") return { body: { feature_status: "on" } };
    if (name === "access_analyzer") return { body: { feature_status: "off" } };
    throw iamErrors.notFound("feature", name);
  },
});

// ---- password, login and token policies

const PASSWORD_V5 = { password_reuse_prevention: 1, allow_user_to_change_password: true };

export const showPasswordPolicyV5 = iamOperation({
  name: "ShowPasswordPolicyV5",
  method: "GET",
  path: "/v5/password-policy",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    return { body: { password_policy: passwordPolicyV5(ctx, scope.domainId) } };
  },
});

function passwordPolicyV5(ctx: Parameters<typeof setting>[0], domainId: string) {
  const v3 = setting(ctx, domainId, "password_policy", {
    maximum_consecutive_identical_chars: 0,
    minimum_password_age: 0,
    minimum_password_length: 8,
    number_of_recent_passwords_disallowed: 1,
    password_not_username_or_invert: true,
    password_validity_period: 0,
    password_char_combination: 2,
  });
  const extra = setting(ctx, domainId, "v5_password_policy", PASSWORD_V5);
  const { number_of_recent_passwords_disallowed: reuse, ...rest } = v3;
  return {
    ...rest,
    maximum_password_length: 32,
    password_reuse_prevention: reuse,
    allow_user_to_change_password: extra.allow_user_to_change_password,
    password_requirements: `A password must contain ${v3.minimum_password_length} to 32 characters and at least ${v3.password_char_combination} of the following character types: uppercase letters, lowercase letters, digits, and special characters.`,
  };
}

export const updatePasswordPolicyV5 = iamOperation({
  name: "UpdatePasswordPolicyV5",
  method: "PUT",
  path: "/v5/password-policy",
  adminOnly: true,
  errorShape: "plain",
  body: z.strictObject({
    maximum_consecutive_identical_chars: int(0, 32).optional(),
    minimum_password_age: int(0, 1440).optional(),
    minimum_password_length: int(8, 32).optional(),
    password_reuse_prevention: int(0, 24).optional(),
    password_not_username_or_invert: z.boolean().optional(),
    password_validity_period: int(0, 180).optional(),
    password_char_combination: int(2, 4).optional(),
    allow_user_to_change_password: z.boolean().optional(),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { settings } = ctx.svc.store;
    const { password_reuse_prevention: reuse, allow_user_to_change_password: allow, ...rest } = ctx.input.body;
    const v3 = { ...settings.domainSetting(scope.domainId, "password_policy"), ...rest, ...(reuse !== undefined ? { number_of_recent_passwords_disallowed: reuse } : {}) };
    settings.putDomainSetting(scope.domainId, "password_policy", v3);
    if (allow !== undefined) settings.putDomainSetting(scope.domainId, "v5_password_policy", { allow_user_to_change_password: allow });
    return { body: { password_policy: passwordPolicyV5(ctx, scope.domainId) } };
  },
});

const LOGIN_V5 = {
  user_validity_period: 0,
  custom_info_for_login: "",
  lockout_duration: 15,
  login_failed_times: 5,
  period_with_login_failures: 15,
  session_timeout: 60,
  show_recent_login_info: false,
  allow_address_netmasks: [] as unknown[],
  allow_ip_ranges: [{ ip_range: "0.0.0.0-255.255.255.255", description: "" }] as unknown[],
};

export const showLoginPolicyV5 = iamOperation({
  name: "ShowLoginPolicyV5",
  method: "GET",
  path: "/v5/login-policy",
  errorShape: "plain",
  handle(ctx) {
    return { body: { login_policy: setting(ctx, requireScope(ctx.scope).domainId, "v5_login_policy", LOGIN_V5) } };
  },
});

export const updateLoginPolicyV5 = iamOperation({
  name: "UpdateLoginPolicyV5",
  method: "PUT",
  path: "/v5/login-policy",
  adminOnly: true,
  errorShape: "plain",
  body: z.strictObject({
    user_validity_period: int(0, 240).optional(),
    custom_info_for_login: z.string().max(64).optional(),
    lockout_duration: int(15, 1440).optional(),
    login_failed_times: int(3, 10).optional(),
    period_with_login_failures: int(15, 60).optional(),
    session_timeout: int(15, 1440).optional(),
    show_recent_login_info: z.boolean().optional(),
    allow_address_netmasks: z.array(z.object({ address_netmask: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/), description: z.string().max(255).optional() })).max(200).optional(),
    allow_ip_ranges: z.array(z.object({ ip_range: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}-\d{1,3}(\.\d{1,3}){3}$/), description: z.string().max(255).optional() })).max(200).optional(),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const next = { ...setting(ctx, scope.domainId, "v5_login_policy", LOGIN_V5), ...ctx.input.body };
    ctx.svc.store.settings.putDomainSetting(scope.domainId, "v5_login_policy", next);
    return { body: { login_policy: next } };
  },
});

export const showTokenPolicyV5 = iamOperation({
  name: "ShowTokenPolicyV5",
  method: "GET",
  path: "/v5/token-policy",
  errorShape: "plain",
  handle(ctx) {
    return { body: { token_policy: setting(ctx, requireScope(ctx.scope).domainId, "v5_token_policy", { token_enabled: true }) } };
  },
});

export const updateTokenPolicyV5 = iamOperation({
  name: "UpdateTokenPolicyV5",
  method: "PUT",
  path: "/v5/token-policy",
  adminOnly: true,
  errorShape: "plain",
  body: z.strictObject({ token_enabled: z.boolean() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    ctx.svc.store.settings.putDomainSetting(scope.domainId, "v5_token_policy", ctx.input.body);
    return { body: { token_policy: ctx.input.body } };
  },
});

// ---- virtual MFA devices (the same devices as /v3.0/OS-MFA)

export const createVirtualMfaDeviceV5 = iamOperation({
  name: "CreateVirtualMfaDeviceV5",
  method: "POST",
  path: "/v5/virtual-mfa-devices",
  errorShape: "plain",
  body: z.object({ virtual_mfa_device_name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/), user_id: z.string() }),
  handle(ctx) {
    const b = ctx.input.body;
    const scope = requireSelfOrAdmin(ctx.scope, b.user_id);
    const { store } = ctx.svc;
    const user = userInDomain(store, scope, b.user_id);
    if (store.settings.mfaOfUser(user.id)) throw iamErrors.conflict("virtual MFA device", `the user ${user.name} has one`);
    const serial = `iam/mfa/${scope.domainId}/${b.virtual_mfa_device_name}`;
    if (store.settings.mfaDevice(serial)) throw iamErrors.conflict("virtual MFA device", `the name ${b.virtual_mfa_device_name} is used`);
    const seed = base32Encode(Buffer.from(`${ctx.ids.hex32()}${ctx.ids.hex32()}`, "hex").subarray(0, 20));
    store.settings.insertMfa({ serial_number: serial, user_id: user.id, domain_id: scope.domainId, name: b.virtual_mfa_device_name, secret: seed, created_at: ctx.clock.now() });
    return { status: 201, body: { virtual_mfa_device: { serial_number: serial, base32_string_seed: seed } } };
  },
});

function deviceOf(ctx: { svc: { store: import("../store.ts").IamStore } }, scope: import("../../../kernel/service.ts").Scope, userId: string, serial: string) {
  const d = ctx.svc.store.settings.mfaDevice(serial);
  if (!d || d.domain_id !== scope.domainId || d.user_id !== userId) throw iamErrors.notFound("virtual MFA device", serial);
  return d;
}

export const deleteVirtualMfaDeviceV5 = iamOperation({
  name: "DeleteVirtualMfaDeviceV5",
  method: "DELETE",
  path: "/v5/virtual-mfa-devices",
  errorShape: "plain",
  query: z.object({ user_id: z.string(), serial_number: z.string() }),
  handle(ctx) {
    const q = ctx.input.query;
    const d = deviceOf(ctx, requireSelfOrAdmin(ctx.scope, q.user_id), q.user_id, q.serial_number);
    if (d.bound) throw iamErrors.forbidden("Disable the MFA device before deleting it.");
    ctx.svc.store.settings.deleteMfa(d.serial_number);
    return { status: 204 };
  },
});

export const enableMfaDeviceV5 = iamOperation({
  name: "EnableMfaDeviceV5",
  method: "POST",
  path: "/v5/mfa-devices/enable",
  errorShape: "plain",
  body: z.object({ user_id: z.string(), serial_number: z.string(), authentication_code_first: z.string().regex(/^\d{6}$/), authentication_code_second: z.string().regex(/^\d{6}$/) }),
  handle(ctx) {
    const b = ctx.input.body;
    const d = deviceOf(ctx, requireSelfOrAdmin(ctx.scope, b.user_id), b.user_id, b.serial_number);
    if (d.bound) throw iamErrors.conflict("MFA device", "it is enabled already");
    if (!totpConsecutive(d.secret, ctx.clock.now(), b.authentication_code_first, b.authentication_code_second)) {
      throw iamErrors.invalidParameter("The authentication codes are wrong: give two consecutive codes of the device.");
    }
    ctx.svc.store.settings.bindMfa(d.serial_number, true);
    return { status: 204 };
  },
});

export const disableMfaDeviceV5 = iamOperation({
  name: "DisableMfaDeviceV5",
  method: "POST",
  path: "/v5/mfa-devices/disable",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ user_id: z.string(), serial_number: z.string() }),
  handle(ctx) {
    const b = ctx.input.body;
    const d = deviceOf(ctx, requireAdmin(ctx.scope), b.user_id, b.serial_number);
    if (!d.bound) throw iamErrors.notFound("enabled MFA device", d.serial_number);
    ctx.svc.store.settings.bindMfa(d.serial_number, false);
    return { status: 204 };
  },
});

export const listMfaDevicesV5 = iamOperation({
  name: "ListMfaDevicesV5",
  method: "GET",
  path: "/v5/mfa-devices",
  errorShape: "plain",
  query: V5Page.extend({ user_id: z.string().optional() }),
  handle(ctx) {
    const q = ctx.input.query;
    const scope = q.user_id === undefined ? requireAdmin(ctx.scope) : requireSelfOrAdmin(ctx.scope, q.user_id);
    const list = ctx.svc.store.settings.mfaInDomain(scope.domainId).filter((d) => q.user_id === undefined || d.user_id === q.user_id);
    const pg = page(list, (d) => d.serial_number, q);
    return { body: { mfa_devices: pg.items.map((d) => ({ user_id: d.user_id, serial_number: d.serial_number, enabled: d.bound })), page_info: pg.page_info } };
  },
});

// ---- resource tags (users and agencies)

const ResourceType = z.enum(["user", "agency"]);

function taggable(ctx: { svc: { store: import("../store.ts").IamStore } }, scope: import("../../../kernel/service.ts").Scope, type: string, id: string): "user" | "agency" {
  const t = ResourceType.safeParse(type);
  if (!t.success) throw iamErrors.invalidParameter(`resource_type '${type}' is not user or agency.`);
  if (t.data === "user") userInDomain(ctx.svc.store, scope, id);
  else {
    const a = ctx.svc.store.policies.agency(id);
    if (!a || a.domain_id !== scope.domainId) throw iamErrors.notFound("agency", id);
  }
  return t.data;
}

export const listResourceTagsV5 = iamOperation({
  name: "ListResourceTagsV5",
  method: "GET",
  path: "/v5/{resource_type}/{resource_id}/tags",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const type = taggable(ctx, scope, ctx.input.path.resource_type!, ctx.input.path.resource_id!);
    return { body: { tags: ctx.svc.store.v5.tags(type, ctx.input.path.resource_id!).map((t) => ({ tag_key: t.key, tag_value: t.value })) } };
  },
});

const TagKey = z.string().min(1).max(64).regex(/^[^=*<>\\|/,]+$/);

export const tagResourceV5 = iamOperation({
  name: "TagResourceV5",
  method: "POST",
  path: "/v5/{resource_type}/{resource_id}/tags/create",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ tags: z.array(z.object({ tag_key: TagKey, tag_value: z.string().max(128) })).min(1).max(20) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const id = ctx.input.path.resource_id!;
    const type = taggable(ctx, scope, ctx.input.path.resource_type!, id);
    const { v5 } = ctx.svc.store;
    const keys = new Set([...v5.tags(type, id).map((t) => t.key), ...ctx.input.body.tags.map((t) => t.tag_key)]);
    if (keys.size > 20) throw iamErrors.invalidParameter("A resource may carry at most 20 tags.");
    for (const t of ctx.input.body.tags) v5.putTag(scope.domainId, type, id, t.tag_key, t.tag_value);
    return { status: 204 };
  },
});

export const deleteResourceTagsV5 = iamOperation({
  name: "DeleteResourceTagsV5",
  method: "DELETE",
  path: "/v5/{resource_type}/{resource_id}/tags/delete",
  adminOnly: true,
  errorShape: "plain",
  // The body is a bare JSON array of keys.
  body: z.array(TagKey).min(1).max(20),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const id = ctx.input.path.resource_id!;
    const type = taggable(ctx, scope, ctx.input.path.resource_type!, id);
    for (const k of ctx.input.body) ctx.svc.store.v5.deleteTag(type, id, k);
    return { status: 204 };
  },
});

// ---- service principals: the cloud services hwlocal serves, as agencies name them

const PRINCIPALS: [string, string, string][] = [
  ["service.ECS", "Elastic Cloud Server", "Compute"],
  ["service.EVS", "Elastic Volume Service", "Storage"],
  ["service.IMS", "Image Management Service", "Compute"],
  ["service.AS", "Auto Scaling", "Compute"],
  ["service.VPC", "Virtual Private Cloud", "Networking"],
  ["service.ELB", "Elastic Load Balance", "Networking"],
  ["service.OBS", "Object Storage Service", "Storage"],
  ["service.CES", "Cloud Eye", "Management & Governance"],
  ["service.SMN", "Simple Message Notification", "Application"],
];

export const listServicePrincipalsV5 = iamOperation({
  name: "ListServicePrincipalsV5",
  method: "GET",
  path: "/v5/service-principals",
  errorShape: "plain",
  query: V5Page,
  handle(ctx) {
    requireScope(ctx.scope);
    const pg = page(PRINCIPALS, (p) => p[0], ctx.input.query);
    return {
      body: {
        service_principals: pg.items.map(([service_principal, name, catalog]) => ({ service_principal, display_name: name, service_catalog: catalog, description: { en_US: name, zh_CN: name } })),
        page_info: pg.page_info,
      },
    };
  },
});

export const v5SettingOperations = [
  getAccountSummaryV5,
  getAsymmetricSignatureSwitchV5,
  setAsymmetricSignatureSwitchV5,
  getFeatureStatusV5,
  showPasswordPolicyV5,
  updatePasswordPolicyV5,
  showLoginPolicyV5,
  updateLoginPolicyV5,
  showTokenPolicyV5,
  updateTokenPolicyV5,
  createVirtualMfaDeviceV5,
  deleteVirtualMfaDeviceV5,
  enableMfaDeviceV5,
  disableMfaDeviceV5,
  listMfaDevicesV5,
  listResourceTagsV5,
  tagResourceV5,
  deleteResourceTagsV5,
  listServicePrincipalsV5,
];
