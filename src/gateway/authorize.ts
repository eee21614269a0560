// The gateway's authorization stage: for a caller outside its domain's admin group, IAM's fine-grained
// policies judge the operation's action (actions.ts names it; IAM's IdentityProvider.authorize evaluates).
// enforce: a denial throws in the service's code; log: the denial is written to the log and the request
// goes on; off (or an IdentityProvider that evaluates nothing): no stage at all. IAM's self-service
// operations on the caller itself are not judged.
import type { IdentityProvider, Principal } from "../kernel/identity.ts";
import type { OperationMeta, Scope } from "../kernel/service.ts";
import { actionOf, denial, selfService } from "./actions.ts";
import type { BoundService } from "./bind.ts";

export type PolicyMode = "enforce" | "log" | "off";

/** IAM's POST /v3/auth/tokens (KeystoneCreateUserTokenByPassword, and the agency and MFA tokens on that path). */
const TOKEN_OPERATION = "KeystoneCreateUserTokenByPassword";

/** What the journal records of a decision. */
export interface PolicyNote {
  action: string;
  allowed: boolean;
  by: string;
}

export class Authorizer {
  /** Each operation's action, named once. */
  private readonly actions = new WeakMap<OperationMeta, string>();

  constructor(
    private readonly identity: IdentityProvider,
    private readonly mode: "enforce" | "log",
    private readonly log: ((line: string) => void) | undefined,
  ) {}

  /** The stage, or undefined when nothing is to be judged. */
  static create(identity: IdentityProvider, mode: PolicyMode, log?: (line: string) => void): Authorizer | undefined {
    return identity.authorize === undefined || mode === "off" ? undefined : new Authorizer(identity, mode, log);
  }

  /** Judges one request and notes the decision in `ctx.policy` (the journal's); throws a denial in enforce mode. */
  check(ctx: { policy?: PolicyNote }, service: BoundService, meta: OperationMeta, params: Record<string, string>, scope: Scope): void {
    const p = scope.principal;
    if (p.isAdmin || service.internal || selfService(service.name, meta, params, p.userId)) return;
    // Asking IAM for a token (password, token or assume_role, signed or not) is authentication, not an action:
    // IAM's handler checks what it needs itself (Agent Operator, iam:tokens:assume, for an agency token).
    if (service.name === "iam" && meta.name === TOKEN_OPERATION) return;
    let action = this.actions.get(meta);
    if (action === undefined) this.actions.set(meta, (action = actionOf(service.name, meta)));
    const projectId = service.global ? undefined : scope.projectId;
    const projectName = projectId === undefined ? undefined : this.identity.project(projectId)?.name;
    const d = this.identity.authorize!(p, { action, service: service.name, projectId, projectName, region: scope.region });
    ctx.policy = { action, allowed: d.allowed, by: d.by };
    if (d.allowed) return;
    if (this.mode === "log") {
      this.log?.(`iam policies (log): ${p.userName} would be denied ${action} (${d.by})`);
      return;
    }
    throw denial(service.name, action, meta.errorShape ?? service.errors.shape, service.errors.forbidden);
  }

  /**
   * Judges a streaming service's request by the action it names (OBS: services/obs/iam.ts), as a global
   * service (no project): whether it may go on. The decision is noted in `ctx.policy` as for check().
   */
  allows(ctx: { policy?: PolicyNote }, p: Principal, service: string, action: string, region: string): boolean {
    if (p.isAdmin) return true;
    const d = this.identity.authorize!(p, { action, service, projectId: undefined, projectName: undefined, region });
    ctx.policy = { action, allowed: d.allowed, by: d.by };
    if (d.allowed) return true;
    if (this.mode === "log") {
      this.log?.(`iam policies (log): ${p.userName} would be denied ${action} (${d.by})`);
      return true;
    }
    return false;
  }
}
