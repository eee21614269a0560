// IAM: Keystone-style tokens, projects, regions, users, groups, role grants and access keys.
//
// Emulated: password and token-method tokens (project or domain scope, nocatalog), validate/check/revoke,
//   project discovery as the SDKs do it, users (/v3 and /v3.0/OS-USER), groups and membership, system roles
//   granted to groups on projects and the domain, permanent and temporary access keys. A temporary key
//   issued from a project-scoped token (the caller's, or the body's token.id) keeps that project: the gateway
//   refuses it in any other project, as it refuses the token. Token catalogs (and GET /v3/auth/catalog)
//   list the OpenStack entries the OpenStack clients look for beside Huawei's own (catalog.ts); Keystone's
//   services and endpoints are the same entries in every region.
// Gaps: agencies and assume_role, MFA (password+totp), federation (SAML/OIDC), custom policies
//   (/v3.0/OS-ROLE), security policies, quotas, login protection, enterprise projects, IAM v5. Each answers
//   501 naming its operation.
// By design: "who may do what" is the admin group (manages IAM) versus everyone else (reads and keys for
//   itself); fine-grained policy documents are not evaluated yet. Passwords are stored as salted SHA-256.
//   One page holds every list (links.next is null).
// Client quirks: the Node SDK signs even the password-token request with AK/SK and reads the token from
//   the X-Subject-Token header. Core's project discovery sends GET requests with the body "{}".
// Doubts: GET / answers 300 Multiple Choices as Huawei's reference shows; the SDK's keystoneListVersions
//   therefore rejects, as it would against the cloud. Token "roles" carry id "0" as the reference shows.
import { defineService } from "../../kernel/service.ts";
import type { IamContext } from "./context.ts";
import { iamServiceErrors } from "./errors.ts";
import { IamIdentity } from "./identity.ts";
import { credentialOperations } from "./operations/credentials.ts";
import { groupOperations } from "./operations/groups.ts";
import { projectOperations } from "./operations/projects.ts";
import { serviceOperations } from "./operations/services.ts";
import { tokenOperations } from "./operations/tokens.ts";
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
  operations: [...tokenOperations, ...projectOperations, ...userOperations, ...groupOperations, ...credentialOperations, ...serviceOperations],
});
