// IAM v5 account settings: summary and quotas, password/login/token policies (the password policy is the same
// one /v3.0 shows and enforces), feature and asymmetric-signature switches. MFA devices, tags and service
// principals are in v5-mfa-tags.ts.
// Doubts: the spellings of the switch values ("on"/"off") are not in our sources. Token policy and the
// asymmetric-signature switch are stored, not enforced.
import { z } from "../../../kernel/zod.ts";
import { iamOperation, requireAdmin, requireScope } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { AGENCY_QUOTA } from "./agencies.ts";

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
];
