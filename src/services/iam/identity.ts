// IAM as the gateway's IdentityProvider: access keys, tokens and projects looked up for authentication.
// Derived state, no timers: a token or temporary key is expired when the clock says so, and a disabled or
// deleted user's keys and tokens stop working at once.
//
// Lookups are cached in memory because they run on every request. A cache entry is valid only for the
// store generation it was read at (IamStore.generation, bumped by every write that can change an answer),
// and time-dependent checks (expiry) run on every call, so a cached answer is never staler than the store.
import type { Clock } from "../../kernel/clock.ts";
import type { AccessKeyRecord, AuthzDecision, AuthzRequest, IdentityProvider, Principal, ProjectRecord, TokenLookup } from "../../kernel/identity.ts";
import { agencyPrincipal, agencyRefusal } from "./assume-role.ts";
import { authorize } from "./authorize.ts";
import type { CredentialRow, IamStore, TokenRow, UserRow } from "./store.ts";
import type { FederatedKeyRow, FederatedTokenRow } from "./store/federated-tokens.ts";
import type { AgencyRow } from "./store/policies.ts";

/** How often last_use_time is written for one key: not on every request. */
const TOUCH_INTERVAL_MS = 60_000;
/** Entries per cache before it is emptied (a crude bound; hit rates in tests and CI are near 100%). */
const CACHE_LIMIT = 10_000;

export interface IamIdentityOptions {
  store: IamStore;
  clock: Clock;
  /** The seeded admin user, for --auth off. */
  defaultUserId: () => string;
}

interface KeyEntry {
  cred: CredentialRow;
  user: UserRow;
  principal: Principal;
  /** The agency a key issued by agency acts by. */
  agency?: AgencyRow;
}

export interface TokenEntry {
  row: TokenRow;
  /** The user the token was issued to (for an agency token: the delegated user who assumed the agency). */
  user: UserRow;
  principal: Principal;
  /** The agency an assume_role token acts by. */
  agency?: AgencyRow;
}

/** A federated user's token (OIDC ID token), with whether its identity provider is still there and enabled. */
export interface FederatedTokenEntry {
  row: FederatedTokenRow;
  principal: Principal;
  idpEnabled: boolean;
}

export type FederatedTokenLookup = ({ ok: true } & FederatedTokenEntry) | { ok: false; reason: "unknown" | "expired" | "revoked" };

export type TokenRecordLookup = ({ ok: true } & TokenEntry) | { ok: false; reason: "unknown" | "expired" | "revoked" };

class GenerationCache<V> {
  private readonly map = new Map<string, { gen: number; value: V }>();

  constructor(private readonly store: IamStore) {}

  get(key: string, load: () => V | undefined): V | undefined {
    const hit = this.map.get(key);
    if (hit && hit.gen === this.store.generation) return hit.value;
    const value = load();
    // Misses are not cached: an id unknown now (a token being issued) may exist a moment later.
    if (value === undefined) return undefined;
    if (this.map.size >= CACHE_LIMIT) this.map.clear();
    this.map.set(key, { gen: this.store.generation, value });
    return value;
  }

  clear(): void {
    this.map.clear();
  }
}

export class IamIdentity implements IdentityProvider {
  private readonly lastTouch = new Map<string, number>();
  private readonly keys: GenerationCache<KeyEntry>;
  private readonly tokens: GenerationCache<TokenEntry>;
  private readonly federated: GenerationCache<FederatedTokenEntry>;
  private readonly federatedKeys: GenerationCache<{ row: FederatedKeyRow; principal: Principal; idpEnabled: boolean }>;
  private readonly projects: GenerationCache<ProjectRecord>;

  constructor(private readonly opts: IamIdentityOptions) {
    this.keys = new GenerationCache(opts.store);
    this.tokens = new GenerationCache(opts.store);
    this.federated = new GenerationCache(opts.store);
    this.federatedKeys = new GenerationCache(opts.store);
    this.projects = new GenerationCache(opts.store);
  }

  principalOf(user: UserRow, extra: Partial<Principal> & Pick<Principal, "via" | "methods">): Principal | undefined {
    const domain = this.opts.store.domain(user.domain_id);
    if (!domain) return undefined;
    return {
      userId: user.id,
      userName: user.name,
      domainId: domain.id,
      domainName: domain.name,
      isAdmin: this.opts.store.isAdmin(user.id),
      ...extra,
    };
  }

  private loadKey(ak: string): KeyEntry | undefined {
    const { store } = this.opts;
    const cred = store.credential(ak);
    const user = cred && store.user(cred.user_id);
    if (!cred || !user) return undefined;
    const temporary = cred.security_token !== null;
    const extra = {
      via: temporary ? ("temporary-aksk" as const) : ("aksk" as const),
      accessKey: ak,
      methods: temporary ? cred.methods : [],
      ...(cred.project_id !== null ? { tokenProjectId: cred.project_id } : {}),
    };
    if (cred.agency_id !== null) {
      const agency = store.policies.agency(cred.agency_id);
      const principal = agency && agencyPrincipal(store, agency.id, user, extra);
      return principal && { cred, user, principal, agency };
    }
    const principal = this.principalOf(user, extra);
    return principal && { cred, user, principal };
  }

  accessKey(ak: string): AccessKeyRecord | undefined {
    const entry = this.keys.get(ak, () => this.loadKey(ak));
    if (!entry) return this.federatedKey(ak);
    const { cred, user, principal, agency } = entry;
    let refusal: string | undefined;
    if (cred.status !== "active") refusal = `the access key ${ak} is inactive`;
    else if (cred.expires_at !== null && cred.expires_at <= this.opts.clock.now()) refusal = `the access key ${ak} has expired`;
    else if (!user.enabled) refusal = `the user ${user.name} with access key ${ak} is disabled`;
    else if (user.access_mode === "console") refusal = `the user ${user.name} only supports console access`;
    else if (agency) refusal = agencyRefusal(agency, user, this.opts.clock.now());
    return { secret: cred.secret, securityToken: cred.security_token ?? undefined, principal, refusal };
  }

  private loadToken(id: string): TokenEntry | undefined {
    const { store } = this.opts;
    const row = store.token(id);
    const user = row && store.user(row.user_id);
    if (!row || !user) return undefined;
    const extra = { via: "token" as const, tokenId: row.id, methods: row.methods, tokenProjectId: row.project_id ?? undefined };
    if (row.agency_id !== null) {
      const agency = store.policies.agency(row.agency_id);
      const principal = agency && agencyPrincipal(store, agency.id, user, extra);
      return principal && { row, user, principal, agency };
    }
    const principal = this.principalOf(user, extra);
    return principal && { row, user, principal };
  }

  /** The token with its row and user, for IAM's own token operations. */
  tokenRecord(id: string): TokenRecordLookup {
    const entry = this.tokens.get(id, () => this.loadToken(id));
    if (!entry) return { ok: false, reason: "unknown" };
    if (entry.row.revoked || !entry.user.enabled) return { ok: false, reason: "revoked" };
    if (entry.agency && agencyRefusal(entry.agency, entry.user, this.opts.clock.now()) !== undefined) return { ok: false, reason: "revoked" };
    if (entry.row.expires_at <= this.opts.clock.now()) return { ok: false, reason: "expired" };
    return { ok: true, ...entry };
  }

  /** A federated user's principal (token or temporary key), and whether its identity provider is enabled. */
  private federatedPrincipal(
    row: Pick<FederatedTokenRow, "domain_id" | "idp_id" | "protocol_id" | "user_id" | "user_name" | "group_ids" | "project_id">,
    extra: Pick<Principal, "via" | "methods"> & Partial<Principal>,
  ): { principal: Principal; idpEnabled: boolean } | undefined {
    const { store } = this.opts;
    const domain = store.domain(row.domain_id);
    if (!domain) return undefined;
    const idp = store.federation.get(domain.id, "idp", row.idp_id);
    const principal: Principal = {
      userId: row.user_id,
      userName: row.user_name,
      domainId: domain.id,
      domainName: domain.name,
      isAdmin: false,
      ...(row.project_id !== null ? { tokenProjectId: row.project_id } : {}),
      ...extra,
      federation: { idpId: row.idp_id, protocolId: row.protocol_id, groupIds: row.group_ids },
    };
    return { principal, idpEnabled: idp?.value.enabled === true };
  }

  private loadFederated(id: string): FederatedTokenEntry | undefined {
    const row = this.opts.store.federatedTokens.get(id);
    const p = row && this.federatedPrincipal(row, { via: "token", tokenId: row.id, methods: row.methods });
    if (p && row?.scope_type === "unscoped") p.principal.federation = { ...p.principal.federation!, unscoped: true };
    return p && row && { row, ...p };
  }

  /** A federated user's temporary key (undefined when `ak` is not one). */
  private federatedKey(ak: string): AccessKeyRecord | undefined {
    const entry = this.federatedKeys.get(ak, () => {
      const row = this.opts.store.federatedTokens.key(ak);
      const p = row && this.federatedPrincipal(row, { via: "temporary-aksk", accessKey: ak, methods: ["token"] });
      return p && row && { row, ...p };
    });
    if (!entry) return undefined;
    const { row, principal, idpEnabled } = entry;
    let refusal: string | undefined;
    if (row.expires_at <= this.opts.clock.now()) refusal = `the access key ${ak} has expired`;
    else if (!idpEnabled) refusal = `the identity provider ${row.idp_id} of the access key ${ak} is disabled`;
    return { secret: row.secret, securityToken: row.security_token, principal, refusal };
  }

  /** A federated user's token: a disabled or deleted identity provider ends its tokens at once. */
  federatedRecord(id: string): FederatedTokenLookup {
    const entry = this.federated.get(id, () => this.loadFederated(id));
    if (!entry) return { ok: false, reason: "unknown" };
    if (entry.row.revoked || !entry.idpEnabled) return { ok: false, reason: "revoked" };
    if (entry.row.expires_at <= this.opts.clock.now()) return { ok: false, reason: "expired" };
    return { ok: true, ...entry };
  }

  /** Fine-grained policies (authorize.ts); the gateway asks only for callers outside the admin group. */
  authorize(principal: Principal, request: AuthzRequest): AuthzDecision {
    return authorize(this.opts.store, principal, request, this.opts.clock.now());
  }

  token(id: string): TokenLookup {
    const r = this.tokenRecord(id);
    if (r.ok) return { ok: true, principal: r.principal };
    if (r.reason !== "unknown") return r;
    const f = this.federatedRecord(id);
    return f.ok ? { ok: true, principal: f.principal } : f;
  }

  project(projectId: string): ProjectRecord | undefined {
    return this.projects.get(projectId, () => {
      const p = this.opts.store.project(projectId);
      return p && { id: p.id, name: p.name, domainId: p.domain_id, region: p.region };
    });
  }

  defaultPrincipal(): Principal {
    const user = this.opts.store.user(this.opts.defaultUserId());
    const p = user && this.principalOf(user, { via: "aksk", methods: [] });
    if (!p) throw new Error("the seed account is missing; reset hwlocal");
    return p;
  }

  /** Drops every cache (after a reset). */
  forget(): void {
    this.lastTouch.clear();
    this.keys.clear();
    this.tokens.clear();
    this.federated.clear();
    this.federatedKeys.clear();
    this.projects.clear();
  }

  touchAccessKey(ak: string): void {
    if (this.due(`ak:${ak}`)) this.opts.store.touchCredential(ak, this.opts.clock.now());
  }

  /** Records a password login (last_login_time), at most once a minute per user like key use. */
  touchLogin(userId: string): void {
    if (this.due(`user:${userId}`)) this.opts.store.touchLogin(userId, this.opts.clock.now());
  }

  private due(key: string): boolean {
    const now = this.opts.clock.now();
    const last = this.lastTouch.get(key);
    // A clock set back before the last write writes again at once, not only once it has caught up.
    if (last !== undefined && now >= last && now - last < TOUCH_INTERVAL_MS) return false;
    if (this.lastTouch.size >= CACHE_LIMIT) this.lastTouch.clear();
    this.lastTouch.set(key, now);
    return true;
  }
}
