// IAM: Keystone-style tokens, projects, regions, users, groups, roles and policies, grants, agencies, keys.
//
// Emulated: password and token-method tokens (project or domain scope, nocatalog), validate/check/revoke,
//   project discovery as the SDKs do it, users (/v3 and /v3.0/OS-USER), groups and membership, system roles and
//   policies with Huawei's names (catalog-data.ts), custom policies (/v3.0/OS-ROLE, Version 1.1 documents
//   checked as IAM checks them: policy-document.ts), grants to groups on a project, on the domain and on all
//   projects, the domain's role assignments, permanent and temporary access keys. A temporary key issued from
//   a project-scoped token keeps that project: the gateway refuses it in any other project, as it refuses the
//   token. Token catalogs (and GET /v3/auth/catalog) list the OpenStack entries the OpenStack clients look for
//   beside Huawei's own (catalog.ts); Keystone's services and endpoints are the same entries in every region.
// Where the policies and grants are, for the authorization stage: `effectivePolicies(store, userId, projectId?)`
//   in roles.ts returns the documents in effect for a user (each marked project / all-projects / domain, with
//   the granting group), cached per IamStore.generation, which every write to users, groups, membership,
//   grants or policies bumps. Tables: iam_grants (project and domain grants, store.ts), iam_inherited_grants
//   and iam_custom_roles (store/policies.ts); system documents are code (catalog-data.ts). `actionMatches`
//   in policy-document.ts matches an action against a policy's pattern (wildcards, case rules).
// Agencies (operations/agencies.ts) and their grants; assume_role (assume-role.ts): a user of the domain an
//   agency trusts, holding Agent Operator (iam:tokens:assume) or in its admin group, gets an agency token
//   (KeystoneCreateAgencyToken, POST /v3/auth/tokens) or a temporary key (CreateTemporaryAccessKeyByAgency,
//   POST /v3.0/OS-CREDENTIAL/securitytokens), by X-Auth-Token or AK/SK. Either is a Principal with `agency`
//   set, acting in the delegating domain: the gateway's project checks keep it there, and authorize.ts judges
//   it by `agencyPolicies(store, agencyId, projectId?)` (roles.ts) only, never by the user's groups and never
//   as the admin group. The token's user is the agency (id, "<delegating domain>/<agency>", that domain) and
//   `assumed_by.user` the delegated user; its roles are the agency's grants on the scope. Token and key rows
//   keep the user in user_id and the agency in agency_id: deleting either ends them, and an expired agency or
//   one that no longer trusts the user's domain refuses them at once. Neither outlives the agency (duration).
// Also: security policies (password policy enforced on user creation and password change; login, protection
//   and ACL policies stored), quotas, projects' status, virtual MFA devices bound and unbound with real TOTP
//   codes and password+totp tokens checked against them, login protection, contact details
//   (operations/security-policies.ts, operations/account.ts); federation objects (operations/federation.ts);
//   IAM v5 users, groups, keys, login profiles, identity policies with versions and attachments, trust and
//   service-linked agencies, settings, MFA devices and tags over the same tables (operations/v5-*.ts;
//   `v5PoliciesOf` in roles.ts gives a user's attached v5 documents).
// Federated tokens from OIDC ID tokens (operations/federation-tokens.ts, oidc.ts): CreateUnscopedTokenWithIdToken
//   (Authorization: Bearer) and CreateTokenWithIdToken (X-Idp-Id, optional scope) check the ID token offline
//   with node:crypto against the IdP's OpenID Connect config: the signature by its signing_key JWKS (RS/PS/ES
//   256-512, EdDSA; kid chosen when named), iss = idp_url, aud holds client_id, exp after and nbf/iat not after
//   hwlocal's now; the IdP enabled with an "oidc" protocol. Its mapping's Keystone rules (remote any_one_of /
//   not_any_of / regex / direct maps, local user name and group names with {N}) make the user and groups. The
//   federated user is no stored user: its tokens (iam_federated_tokens) and temporary keys (iam_federated_keys,
//   from CreateTemporaryAccessKeyByToken, as core's withIdpId/withIdTokenFile credentials ask) are a Principal
//   with `federation` set, judged at the gateway by its groups' grants (groupPolicies in roles.ts), never an
//   administrator; its id is a hash of domain, IdP and name, the same on every login. An unscoped federated
//   token carries no grants: it is rescoped by the token method (POST /v3/auth/tokens, same user and groups,
//   ending with it) or exchanged for a temporary key; it lists the projects where its groups hold a grant
//   (/v3/auth/projects). Its key buys a console login token. Disabling or deleting the IdP ends its tokens
//   and keys; GET/HEAD/DELETE /v3/auth/tokens validate, check and revoke federated tokens too.
// Gaps: SAML federated tokens, enterprise projects, v5 authorization schemas. Each answers 501 naming its
//   operation (CreateUnscopeTokenByIdpInitiated for SAML; the protocols/saml/auth path answers 400: it takes
//   only an OIDC ID token here). Federated users are not kept as records (our sources list them nowhere);
//   iam_user_sso identity providers map like virtual_user_sso ones. Login tokens are issued, not consumed.
//   An agency key's or token's `policy` (a session policy narrowing the agency's grants) and `session_user`
//   are accepted and not applied.
// By design: members of the admin group manage IAM; everyone else is judged by its groups' policies at the
//   gateway (authorize.ts), and IAM's handlers still keep IAM management to the admin group (a user acts on
//   itself only: password, keys, MFA). Passwords are stored as salted SHA-256.
//   One page holds every list (links.next is null) unless page/per_page are given.
// Client quirks: the Node SDK signs even the password-token request with AK/SK and reads the token from
//   the X-Subject-Token header. Core's project discovery sends GET requests with the body "{}".
// Doubts: GET / answers 300 Multiple Choices as Huawei's reference shows; the SDK's keystoneListVersions
//   therefore rejects, as it would against the cloud. Token "roles" carry id "0" as the reference shows.
//   Deleting a custom policy removes its grants (Huawei's console asks first; the API's behaviour with
//   grants left is not documented in our sources). Policy validation errors other than the documented limits
//   answer IAM.1002. A wrong MFA code on a password+totp token answers 401 IAM.0001 (Huawei's code for it is
//   not in our sources). assume_role refusals, whose codes our sources do not give: an unknown delegating
//   domain or agency 404 IAM.0004; a caller outside the trusted domain, an expired agency, or a credential
//   itself acting by an agency 403 IAM.0002; a scope where the agency holds no grant (also a domain scope,
//   the default, with project grants only) 401 IAM.0001, as Keystone answers a scope without roles; no Agent
//   Operator 403 IAM.0003 naming iam:tokens:assume. An agency token cannot be exchanged by the token method
//   for another token (403); a temporary key asked with an agency token acts by the same agency. Asking for a
//   token (POST /v3/auth/tokens) is never judged as an action at the gateway (gateway/authorize.ts).
//   ID token refusals, whose IAM codes our sources do not give: a bad signature, issuer, audience or time, an
//   unsupported alg (none, HMAC), no Bearer value, or no rule mapping the claims to a user 401 IAM.0001 with the
//   reason; an unknown IdP (or its protocol or OIDC config) 404 IAM.0004; a disabled IdP 403 IAM.0002; a scope
//   where the mapped groups hold no grant 401 IAM.0001. An IdP id held by several domains: each domain's config
//   judges the ID token in turn and the first to accept it wins; a refusal is that of the domain whose key
//   verified the token (its claims, its disabled IdP, its mapping), else the first domain's. Group names the
//   mapping gives that the domain lacks are left out (Keystone refuses them). No clock-skew leeway. Federated
//   tokens' methods are ["mapped"] (["token"] once rescoped); the unscoped token's catalog and roles are empty.
import { defineService } from "../../kernel/service.ts";
import type { IamContext } from "./context.ts";
import { iamServiceErrors } from "./errors.ts";
import { IamIdentity } from "./identity.ts";
import { accountOperations } from "./operations/account.ts";
import { agencyOperations } from "./operations/agencies.ts";
import { credentialOperations } from "./operations/credentials.ts";
import { federationOperations } from "./operations/federation.ts";
import { federationConfigOperations } from "./operations/federation-config.ts";
import { federationTokenOperations } from "./operations/federation-tokens.ts";
import { loginTokenOperations } from "./operations/login-tokens.ts";
import { customPolicyOperations } from "./operations/custom-policies.ts";
import { grantOperationsAll } from "./operations/grants.ts";
import { groupOperations } from "./operations/groups.ts";
import { projectOperations } from "./operations/projects.ts";
import { securityPolicyOperations } from "./operations/security-policies.ts";
import { serviceOperations } from "./operations/services.ts";
import { tokenOperations } from "./operations/tokens.ts";
import { v5AgencyOperations } from "./operations/v5-agencies.ts";
import { v5GroupOperations } from "./operations/v5-groups.ts";
import { v5MfaTagOperations } from "./operations/v5-mfa-tags.ts";
import { v5PolicyOperations } from "./operations/v5-policies.ts";
import { v5SettingOperations } from "./operations/v5-settings.ts";
import { v5UserOperations } from "./operations/v5-users.ts";
import { userOperations } from "./operations/users.ts";
import { applySeed } from "./seed.ts";
import { IAM_MIGRATIONS, IamStore } from "./store.ts";

const PRUNE_EVERY_MS = 10 * 60 * 1000;
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

export const iam = defineService<IamContext>({
  name: "iam",
  catalogType: "identity",
  global: true,
  sdkCatalogues: ["iam_v3.ops.tsv", "iam_v5.ops.tsv"],
  errors: iamServiceErrors,
  migrations: IAM_MIGRATIONS,
  init(rt) {
    const store = new IamStore(rt.db);
    const identity = new IamIdentity({ store, clock: rt.clock, defaultUserId: () => rt.settings.seed.user.id });
    return { store, identity, catalog: rt.catalog, tokenTtlMs: rt.settings.tokenTtlSeconds * 1000, prune: { lastRun: undefined } };
  },
  seed(svc, rt) {
    applySeed(svc.store, rt.settings.seed, rt.clock.now());
  },
  identity: (svc) => svc.identity,
  tickers: (svc) => ({
    // Expired tokens and temporary keys are kept a day (so that using one still says "expired"), then
    // deleted, checking at most every ten minutes of hwlocal's clock. A clock set back before the last
    // run (POST /_hwlocal/clock tells services nothing) runs it at once rather than pausing pruning until
    // the clock has caught up; a reset forgets the last run (afterReset).
    "prune-expired": (now) => {
      const last = svc.prune.lastRun;
      if (last !== undefined && now >= last && now < last + PRUNE_EVERY_MS) return false;
      svc.prune.lastRun = now;
      svc.store.pruneExpired(now - KEEP_EXPIRED_MS);
      return false;
    },
  }),
  afterReset(svc) {
    svc.identity.forget();
    svc.prune.lastRun = undefined;
  },
  operations: [...tokenOperations, ...projectOperations, ...userOperations, ...groupOperations, ...grantOperationsAll, ...customPolicyOperations, ...agencyOperations, ...securityPolicyOperations, ...accountOperations, ...v5UserOperations, ...v5GroupOperations, ...v5PolicyOperations, ...v5AgencyOperations, ...v5SettingOperations, ...v5MfaTagOperations, ...federationOperations, ...federationConfigOperations, ...federationTokenOperations, ...loginTokenOperations, ...credentialOperations, ...serviceOperations],
});
