// IAM as the gateway's IdentityProvider: access keys, tokens and projects looked up for authentication.
// Derived state, no timers: a token or temporary key is expired when the clock says so, a disabled or
// deleted user's keys and tokens stop working at once because every lookup joins the user.
import type { Clock } from "../../kernel/clock.ts";
import type { AccessKeyRecord, IdentityProvider, Principal, ProjectRecord, TokenLookup } from "../../kernel/identity.ts";
import type { IamStore, UserRow } from "./store.ts";

/** How often last_use_time is written for one key: not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface IamIdentityOptions {
  store: IamStore;
  clock: Clock;
  /** The seeded admin user, for --auth off. */
  defaultUserId: () => string;
}

export class IamIdentity implements IdentityProvider {
  private readonly lastTouch = new Map<string, number>();

  constructor(private readonly opts: IamIdentityOptions) {}

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

  accessKey(ak: string): AccessKeyRecord | undefined {
    const { store, clock } = this.opts;
    const cred = store.credential(ak);
    if (!cred) return undefined;
    const user = store.user(cred.user_id);
    if (!user) return undefined;
    const temporary = cred.security_token !== null;
    const principal = this.principalOf(user, {
      via: temporary ? "temporary-aksk" : "aksk",
      accessKey: ak,
      methods: temporary ? cred.methods : [],
    });
    if (!principal) return undefined;
    let refusal: string | undefined;
    if (cred.status !== "active") refusal = `the access key ${ak} is inactive`;
    else if (cred.expires_at !== null && cred.expires_at <= clock.now()) refusal = `the access key ${ak} has expired`;
    else if (!user.enabled) refusal = `the user ${user.name} with access key ${ak} is disabled`;
    else if (user.access_mode === "console") refusal = `the user ${user.name} only supports console access`;
    return { secret: cred.secret, securityToken: cred.security_token ?? undefined, principal, refusal };
  }

  token(id: string): TokenLookup {
    const { store, clock } = this.opts;
    const t = store.token(id);
    if (!t) return { ok: false, reason: "unknown" };
    if (t.revoked) return { ok: false, reason: "revoked" };
    if (t.expires_at <= clock.now()) return { ok: false, reason: "expired" };
    const user = store.user(t.user_id);
    if (!user || !user.enabled) return { ok: false, reason: "revoked" };
    const principal = this.principalOf(user, {
      via: "token",
      tokenId: t.id,
      methods: t.methods,
      tokenProjectId: t.project_id ?? undefined,
    });
    return principal ? { ok: true, principal } : { ok: false, reason: "unknown" };
  }

  project(projectId: string): ProjectRecord | undefined {
    const p = this.opts.store.project(projectId);
    return p && { id: p.id, name: p.name, domainId: p.domain_id, region: p.region };
  }

  defaultPrincipal(): Principal {
    const user = this.opts.store.user(this.opts.defaultUserId());
    const p = user && this.principalOf(user, { via: "aksk", methods: [] });
    if (!p) throw new Error("the seed account is missing; reset hwlocal");
    return p;
  }

  /** Drops the in-memory last-use throttle (after a reset). */
  forget(): void {
    this.lastTouch.clear();
  }

  touchAccessKey(ak: string): void {
    const now = this.opts.clock.now();
    const last = this.lastTouch.get(ak);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
    this.lastTouch.set(ak, now);
    this.opts.store.touchCredential(ak, now);
  }
}
