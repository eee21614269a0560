// Who is calling, as every pipeline stage after authentication sees it. IAM owns these records; the
// gateway reads them through IdentityProvider so that it knows no service's internals.

export interface Principal {
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  /** Member of the domain's admin group: may manage IAM. */
  isAdmin: boolean;
  /** How the request proved who it is. */
  via: "aksk" | "temporary-aksk" | "token";
  /** The project a project-scoped token is limited to. */
  tokenProjectId?: string;
  /** The token id, for operations that act on the caller's own token. */
  tokenId?: string;
  /** The access key that signed the request. */
  accessKey?: string;
  /** The methods of the token or temporary key that authenticated the request ("password", "token"). */
  methods: string[];
  /**
   * Set when the caller acts by an agency (an assume_role token, or a temporary key issued by agency): the
   * principal is then the agency in the delegating domain (domainId, domainName; userId is the agency's id,
   * userName "<domain name>/<agency name>"), judged by the agency's grants only and never an administrator.
   */
  agency?: AgencyActor;
  /**
   * Set for a federated user's token (from an OIDC ID token): the user is not a stored IAM user (userId is
   * derived from the identity provider and the mapped name), never an administrator, and is judged by the
   * grants of the groups the identity provider's mapping put it in.
   */
  federation?: FederationActor;
}

/** The identity provider a federated principal came through, and the groups its mapping gave it. */
export interface FederationActor {
  idpId: string;
  protocolId: string;
  groupIds: string[];
  /** An unscoped federated token: it may get a scoped token or a temporary key, and carries no grants itself. */
  unscoped?: boolean;
}

/** The agency a principal acts by, and the delegated user who assumed it. */
export interface AgencyActor {
  id: string;
  name: string;
  assumedBy: { userId: string; userName: string; domainId: string; domainName: string };
}

export interface AccessKeyRecord {
  secret: string;
  /** Set for temporary keys: requests must carry it in X-Security-Token. */
  securityToken?: string;
  principal: Principal;
  /** Why the key may not be used (inactive, expired, owner disabled), or undefined when it may. */
  refusal?: string;
}

export type TokenLookup =
  | { ok: true; principal: Principal }
  | { ok: false; reason: "unknown" | "expired" | "revoked" };

export interface ProjectRecord {
  id: string;
  name: string;
  domainId: string;
  region: string;
}

/** One request as fine-grained policies judge it (reference huawei-api-facts.md §2.3). */
export interface AuthzRequest {
  /** Huawei's action, service:resourceType:operation ("ecs:cloudServers:list"). */
  action: string;
  /** The service's name in actions ("ecs"); g:ServiceName. */
  service: string;
  /** The project acted in (project-level services); undefined for a global service. */
  projectId: string | undefined;
  projectName: string | undefined;
  region: string | undefined;
}

/** A decision and what made it: the deciding statement of which policy, for the journal. */
export interface AuthzDecision {
  allowed: boolean;
  /** "Deny in <policy display name>", "Allow in <…>", or "no statement allows it". */
  by: string;
}

export interface IdentityProvider {
  /**
   * Evaluates the caller's fine-grained policies for a request: an explicit Deny wins, then an Allow, else
   * deny. Absent when nothing evaluates policies (every caller may do everything in its projects).
   */
  authorize?(principal: Principal, request: AuthzRequest): AuthzDecision;
  accessKey(ak: string): AccessKeyRecord | undefined;
  token(token: string): TokenLookup;
  project(projectId: string): ProjectRecord | undefined;
  /** The caller that --auth off substitutes for a credential hwlocal does not know. */
  defaultPrincipal(): Principal;
  /** Records that a key was used (IAM reports last_use_time). */
  touchAccessKey(ak: string): void;
}
