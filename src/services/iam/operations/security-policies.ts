// A domain's security policies (/v3.0/OS-SECURITYPOLICY): password, login, operation protection, API and
// console ACLs; and Keystone's security_compliance view of the password rule. The password policy is enforced
// when a user is created and when a password changes (checkPassword); the others are stored and shown.
// Gaps: password history (number_of_recent_passwords_disallowed), minimum password age, lockout after failed
// logins, session timeout and the ACLs are stored but not enforced.
import { z } from "../../../kernel/zod.ts";
import { iamOperation, requireAdmin, requireOwnDomain, requireScope } from "../context.ts";
import { iamErrors } from "../errors.ts";
import type { IamStore } from "../store.ts";

const PASSWORD_DEFAULTS = {
  maximum_consecutive_identical_chars: 0,
  maximum_password_length: 32,
  minimum_password_age: 0,
  minimum_password_length: 8,
  number_of_recent_passwords_disallowed: 1,
  password_not_username_or_invert: true,
  password_validity_period: 0,
  password_char_combination: 2,
};

const KINDS = ["uppercase letters", "lowercase letters", "digits", "special characters"];

function passwordPolicy(store: IamStore, domainId: string) {
  const p = { ...PASSWORD_DEFAULTS, ...(store.settings.domainSetting(domainId, "password_policy") as Partial<typeof PASSWORD_DEFAULTS> | undefined) };
  return {
    ...p,
    password_requirements: `A password must contain ${p.minimum_password_length} to ${p.maximum_password_length} characters and at least ${p.password_char_combination} of the following character types: ${KINDS.join(", ")}.`,
  };
}

/** Checks a new password against the domain's password policy (error 1103, as IAM's user APIs answer). */
export function checkPassword(store: IamStore, domainId: string, password: string, userName: string): void {
  const p = passwordPolicy(store, domainId);
  const kinds = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < p.minimum_password_length || password.length > p.maximum_password_length) {
    throw iamErrors.passwordPolicy(`use ${p.minimum_password_length} to ${p.maximum_password_length} characters.`);
  }
  if (kinds < p.password_char_combination) throw iamErrors.passwordPolicy(`use at least ${p.password_char_combination} kinds of ${KINDS.join(", ")}.`);
  const max = p.maximum_consecutive_identical_chars;
  if (max > 0 && new RegExp(`(.)\\1{${max}}`).test(password)) throw iamErrors.passwordPolicy(`at most ${max} identical characters in a row.`);
  if (p.password_not_username_or_invert) {
    const lower = password.toLowerCase();
    const name = userName.toLowerCase();
    if (lower === name || lower === [...name].reverse().join("")) throw iamErrors.passwordPolicy("the password may not be the user name or the user name reversed.");
  }
}

const LOGIN_DEFAULTS = {
  account_validity_period: 0,
  custom_info_for_login: "",
  lockout_duration: 15,
  login_failed_times: 5,
  period_with_login_failures: 15,
  session_timeout: 60,
  show_recent_login_info: false,
};

const PROTECT_DEFAULTS = {
  operation_protection: false,
  allow_user: { manage_accesskey: true, manage_email: true, manage_mobile: true, manage_password: true },
  admin_check: "off",
  scene: "",
  mobile: "",
  email: "",
};

const ACL_DEFAULTS = { allow_address_netmasks: [], allow_ip_ranges: [{ ip_range: "0.0.0.0-255.255.255.255", description: "" }] };

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const IpRanges = z.array(z.object({ ip_range: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}-\d{1,3}(\.\d{1,3}){3}$/), description: z.string().max(255).optional() })).max(200);
const Netmasks = z.array(z.object({ address_netmask: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/), description: z.string().max(255).optional() })).max(200);

const POLICIES = {
  password: {
    key: "password_policy",
    show: "ShowDomainPasswordPolicy",
    update: "UpdateDomainPasswordPolicy",
    schema: z.strictObject({
      maximum_consecutive_identical_chars: int(0, 32).optional(),
      minimum_password_age: int(0, 1440).optional(),
      minimum_password_length: int(6, 32).optional(),
      number_of_recent_passwords_disallowed: int(0, 10).optional(),
      password_not_username_or_invert: z.boolean().optional(),
      password_validity_period: int(0, 180).optional(),
      password_char_combination: int(2, 4).optional(),
    }),
    defaults: PASSWORD_DEFAULTS as Record<string, unknown>,
  },
  login: {
    key: "login_policy",
    show: "ShowDomainLoginPolicy",
    update: "UpdateDomainLoginPolicy",
    schema: z.strictObject({
      account_validity_period: int(0, 240).optional(),
      custom_info_for_login: z.string().max(64).optional(),
      lockout_duration: int(15, 30).optional(),
      login_failed_times: int(3, 10).optional(),
      period_with_login_failures: int(15, 60).optional(),
      session_timeout: int(15, 1440).optional(),
      show_recent_login_info: z.boolean().optional(),
    }),
    defaults: LOGIN_DEFAULTS as Record<string, unknown>,
  },
  protect: {
    key: "protect_policy",
    show: "ShowDomainProtectPolicy",
    update: "UpdateDomainProtectPolicy",
    schema: z.strictObject({
      operation_protection: z.boolean(),
      allow_user: z
        .strictObject({ manage_accesskey: z.boolean().optional(), manage_email: z.boolean().optional(), manage_mobile: z.boolean().optional(), manage_password: z.boolean().optional() })
        .optional(),
      admin_check: z.enum(["on", "off"]).optional(),
      scene: z.enum(["", "mobile", "email"]).optional(),
      mobile: z.string().max(32).optional(),
      email: z.string().max(255).optional(),
    }),
    defaults: PROTECT_DEFAULTS as Record<string, unknown>,
  },
  api: {
    key: "api_acl_policy",
    show: "ShowDomainApiAclPolicy",
    update: "UpdateDomainApiAclPolicy",
    schema: z.strictObject({ allow_address_netmasks: Netmasks.optional(), allow_ip_ranges: IpRanges.optional() }),
    defaults: ACL_DEFAULTS as Record<string, unknown>,
  },
  console: {
    key: "console_acl_policy",
    show: "ShowDomainConsoleAclPolicy",
    update: "UpdateDomainConsoleAclPolicy",
    schema: z.strictObject({ allow_address_netmasks: Netmasks.optional(), allow_ip_ranges: IpRanges.optional() }),
    defaults: ACL_DEFAULTS as Record<string, unknown>,
  },
} as const;

type PolicyName = keyof typeof POLICIES;
const PATH_NAMES: Record<PolicyName, string> = { password: "password-policy", login: "login-policy", protect: "protect-policy", api: "api-acl-policy", console: "console-acl-policy" };

function current(store: IamStore, domainId: string, which: PolicyName): Record<string, unknown> {
  if (which === "password") return passwordPolicy(store, domainId);
  const p = POLICIES[which];
  return { ...p.defaults, ...store.settings.domainSetting(domainId, p.key) };
}

function policyOperations(which: PolicyName) {
  const p = POLICIES[which];
  const path = `/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/${PATH_NAMES[which]}`;
  return [
    iamOperation({
      name: p.show,
      method: "GET",
      path,
      errorShape: "plain",
      handle(ctx) {
        const scope = requireScope(ctx.scope);
        requireOwnDomain(scope, ctx.input.path.domain_id!);
        return { body: { [p.key]: current(ctx.svc.store, scope.domainId, which) } };
      },
    }),
    iamOperation({
      name: p.update,
      method: "PUT",
      path,
      adminOnly: true,
      errorShape: "plain",
      body: z.object({ [p.key]: p.schema }),
      handle(ctx) {
        const scope = requireAdmin(ctx.scope);
        requireOwnDomain(scope, ctx.input.path.domain_id!);
        const body = ctx.input.body as Record<string, Record<string, unknown>>;
        const { store } = ctx.svc;
        const stored = store.settings.domainSetting(scope.domainId, p.key) ?? {};
        const next: Record<string, unknown> = { ...stored, ...body[p.key] };
        if (which === "protect") next.allow_user = { ...PROTECT_DEFAULTS.allow_user, ...(stored.allow_user as object | undefined), ...(body[p.key]!.allow_user as object | undefined) };
        store.settings.putDomainSetting(scope.domainId, p.key, next);
        return { body: { [p.key]: current(store, scope.domainId, which) } };
      },
    }),
  ];
}

function passwordRegex(store: IamStore, domainId: string) {
  const p = passwordPolicy(store, domainId);
  return {
    password_regex: `^(?=.*[A-Za-z0-9])[\\x21-\\x7e]{${p.minimum_password_length},${p.maximum_password_length}}$`,
    password_regex_description: p.password_requirements,
  };
}

export const keystoneShowSecurityCompliance = iamOperation({
  name: "KeystoneShowSecurityCompliance",
  method: "GET",
  path: "/v3/domains/{domain_id}/config/security_compliance",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    requireOwnDomain(scope, ctx.input.path.domain_id!);
    return { body: { config: { security_compliance: passwordRegex(ctx.svc.store, scope.domainId) } } };
  },
});

export const keystoneShowSecurityComplianceByOption = iamOperation({
  name: "KeystoneShowSecurityComplianceByOption",
  method: "GET",
  path: "/v3/domains/{domain_id}/config/security_compliance/{option}",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    requireOwnDomain(scope, ctx.input.path.domain_id!);
    const option = ctx.input.path.option!;
    if (option !== "password_regex" && option !== "password_regex_description") throw iamErrors.notFound("option", option);
    return { body: { config: { [option]: passwordRegex(ctx.svc.store, scope.domainId)[option] } } };
  },
});

export const securityPolicyOperations = [
  ...policyOperations("password"),
  ...policyOperations("login"),
  ...policyOperations("protect"),
  ...policyOperations("api"),
  ...policyOperations("console"),
  keystoneShowSecurityCompliance,
  keystoneShowSecurityComplianceByOption,
];
