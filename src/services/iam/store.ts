// IAM's tables and typed statements. Rows are parsed at this boundary (ARCHITECTURE.md rule 11): callers
// get typed records, never raw SQLite values. Every query is limited to one domain except the lookups by
// globally unique keys (access key, token, project id) that authentication needs. The row types are in
// store/records.ts, the migrations in store/migrations.ts.
import type { Database, Statement } from "better-sqlite3";
import { all, maybe } from "../../store/rows.ts";
import { PolicyStore } from "./store/policies.ts";
import { SettingsStore } from "./store/settings.ts";
import { V5Store } from "./store/v5.ts";
import { FederationStore } from "./store/federation.ts";
import { FederatedTokenStore } from "./store/federated-tokens.ts";
import {
  ADMIN_GROUP,
  hashPassword,
  toCredential,
  toDomain,
  toGrant,
  toGroup,
  toProject,
  toToken,
  toUser,
  type CredentialRow,
  type DomainRow,
  type GrantRow,
  type GroupRow,
  type NewUser,
  type ProjectRow,
  type TokenRow,
  type UserPatch,
  type UserRow,
} from "./store/records.ts";

export { IAM_MIGRATIONS } from "./store/migrations.ts";
export { ADMIN_GROUP, hashPassword };
export type { CredentialRow, DomainRow, GrantRow, GroupRow, NewUser, ProjectRow, TokenRow, UserPatch, UserRow } from "./store/records.ts";

/** Typed access to IAM's tables. */
export class IamStore {
  readonly db: Database;
  /** Custom policies, grants on all projects, agencies (store/policies.ts). */
  readonly policies: PolicyStore;
  /** Security policies, login protection, MFA devices (store/settings.ts). */
  readonly settings: SettingsStore;
  /** IAM v5 policies, agencies' v5 fields, tags (store/v5.ts). */
  readonly v5: V5Store;
  /** Federation objects (store/federation.ts). */
  readonly federation: FederationStore;
  /** Tokens of federated users, from OIDC ID tokens (store/federated-tokens.ts). */
  readonly federatedTokens: FederatedTokenStore;
  private readonly st: Record<string, Statement>;
  /**
   * Bumped by every write that can change who a credential is or what it may do (users, keys, groups,
   * membership, projects, revocations). Caches of identity lookups compare it to know they are stale.
   * Issuing a token and recording a key's last use do not bump it: they change no existing answer.
   */
  generation = 0;
  private memoGeneration = -1;
  private readonly memo = new Map<string, unknown>();

  constructor(db: Database) {
    this.db = db;
    this.policies = new PolicyStore(db, () => this.generation++);
    this.settings = new SettingsStore(db, () => this.generation++);
    this.v5 = new V5Store(db, () => this.generation++);
    this.federation = new FederationStore(db, () => this.generation++);
    this.federatedTokens = new FederatedTokenStore(db, () => this.generation++);
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      domainById: p("SELECT * FROM iam_domains WHERE id = ?"),
      domainByName: p("SELECT * FROM iam_domains WHERE name = ?"),
      insertDomain: p("INSERT INTO iam_domains (id, name, created_at) VALUES (?, ?, ?)"),
      userById: p("SELECT * FROM iam_users WHERE id = ?"),
      userByName: p("SELECT * FROM iam_users WHERE domain_id = ? AND name = ?"),
      usersInDomain: p("SELECT * FROM iam_users WHERE domain_id = ? ORDER BY created_at, id"),
      insertUser: p(`INSERT INTO iam_users (id, domain_id, name, password_salt, password_hash, enabled, description,
        email, areacode, phone, access_mode, pwd_status, created_at, updated_at)
        VALUES (@id, @domain_id, @name, @salt, @hash, @enabled, @description, @email, @areacode, @phone,
        @access_mode, @pwd_status, @now, @now)`),
      deleteUser: p("DELETE FROM iam_users WHERE id = ?"),
      touchLogin: p("UPDATE iam_users SET last_login_at = ? WHERE id = ?"),
      isAdmin: p(`SELECT 1 FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_id
        WHERE m.user_id = ? AND g.name = '${ADMIN_GROUP}'`),
      groupById: p("SELECT * FROM iam_groups WHERE id = ?"),
      groupByName: p("SELECT * FROM iam_groups WHERE domain_id = ? AND name = ?"),
      groupsInDomain: p("SELECT * FROM iam_groups WHERE domain_id = ? ORDER BY created_at, id"),
      insertGroup: p("INSERT INTO iam_groups (id, domain_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)"),
      updateGroup: p("UPDATE iam_groups SET name = ?, description = ? WHERE id = ?"),
      deleteGroup: p("DELETE FROM iam_groups WHERE id = ?"),
      addMember: p("INSERT OR IGNORE INTO iam_group_members (group_id, user_id) VALUES (?, ?)"),
      removeMember: p("DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?"),
      isMember: p("SELECT 1 FROM iam_group_members WHERE group_id = ? AND user_id = ?"),
      groupsOfUser: p(`SELECT g.* FROM iam_groups g JOIN iam_group_members m ON m.group_id = g.id
        WHERE m.user_id = ? ORDER BY g.created_at, g.id`),
      usersOfGroup: p(`SELECT u.* FROM iam_users u JOIN iam_group_members m ON m.user_id = u.id
        WHERE m.group_id = ? ORDER BY u.created_at, u.id`),
      projectById: p("SELECT * FROM iam_projects WHERE id = ?"),
      projectByName: p("SELECT * FROM iam_projects WHERE domain_id = ? AND name = ?"),
      projectsInDomain: p("SELECT * FROM iam_projects WHERE domain_id = ? ORDER BY created_at, name"),
      insertProject: p(`INSERT INTO iam_projects (id, domain_id, name, parent_id, description, enabled, region, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      updateProject: p("UPDATE iam_projects SET name = ?, description = ?, enabled = ? WHERE id = ?"),
      grant: p("INSERT OR IGNORE INTO iam_grants (group_id, role_id, scope_type, scope_id) VALUES (?, ?, ?, ?)"),
      revoke: p("DELETE FROM iam_grants WHERE group_id = ? AND role_id = ? AND scope_type = ? AND scope_id = ?"),
      hasGrant: p("SELECT 1 FROM iam_grants WHERE group_id = ? AND role_id = ? AND scope_type = ? AND scope_id = ?"),
      grantsOfGroup: p("SELECT * FROM iam_grants WHERE group_id = ? AND scope_type = ? AND scope_id = ?"),
      grantsOfUser: p(`SELECT gr.* FROM iam_grants gr JOIN iam_group_members m ON m.group_id = gr.group_id
        WHERE m.user_id = ? AND gr.scope_type = ? AND gr.scope_id = ?`),
      credential: p("SELECT * FROM iam_credentials WHERE access = ?"),
      credentialsOfUser: p(
        "SELECT * FROM iam_credentials WHERE user_id = ? AND security_token IS NULL ORDER BY created_at, access",
      ),
      credentialsInDomain: p(`SELECT c.* FROM iam_credentials c JOIN iam_users u ON u.id = c.user_id
        WHERE u.domain_id = ? AND c.security_token IS NULL ORDER BY c.created_at, c.access`),
      insertCredential: p(`INSERT INTO iam_credentials (access, secret, user_id, status, description, created_at,
        security_token, expires_at, methods, project_id, agency_id) VALUES (@access, @secret, @user_id, 'active', @description,
        @now, @security_token, @expires_at, @methods, @project_id, @agency_id)`),
      updateCredential: p("UPDATE iam_credentials SET status = ?, description = ? WHERE access = ?"),
      deleteCredential: p("DELETE FROM iam_credentials WHERE access = ?"),
      touchCredential: p("UPDATE iam_credentials SET last_use_at = ? WHERE access = ?"),
      token: p("SELECT * FROM iam_tokens WHERE id = ?"),
      insertToken: p(`INSERT INTO iam_tokens (id, user_id, scope_type, project_id, methods, issued_at, expires_at, agency_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      revokeToken: p("UPDATE iam_tokens SET revoked = 1 WHERE id = ?"),
      revokeUserTokens: p("UPDATE iam_tokens SET revoked = 1 WHERE user_id = ?"),
      pruneTokens: p("DELETE FROM iam_tokens WHERE expires_at < ?"),
      pruneTemporaryKeys: p("DELETE FROM iam_credentials WHERE security_token IS NOT NULL AND expires_at < ?"),
    };
  }

  private s(name: string): Statement {
    const st = this.st[name];
    if (!st) throw new Error(`no statement ${name}`);
    return st;
  }

  /**
   * A value derived from IAM's tables, computed once per store generation: what the token and password
   * paths read on every request (a user by name, the roles and regions of a scope) without a query each time.
   */
  cached<T>(key: string, load: () => T): T {
    if (this.memoGeneration !== this.generation || this.memo.size > 10_000) {
      this.memo.clear();
      this.memoGeneration = this.generation;
    }
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = load();
    this.memo.set(key, value);
    return value;
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // domains
  domain(id: string): DomainRow | undefined {
    return maybe(toDomain, this.s("domainById").get(id));
  }
  domainByName(name: string): DomainRow | undefined {
    return maybe(toDomain, this.s("domainByName").get(name));
  }
  insertDomain(id: string, name: string, now: number): void {
    this.generation++;
    this.s("insertDomain").run(id, name, now);
  }

  // users
  user(id: string): UserRow | undefined {
    return maybe(toUser, this.s("userById").get(id));
  }
  userByName(domainId: string, name: string): UserRow | undefined {
    return maybe(toUser, this.s("userByName").get(domainId, name));
  }
  users(domainId: string): UserRow[] {
    return all(toUser, this.s("usersInDomain").all(domainId));
  }
  insertUser(u: NewUser): void {
    this.generation++;
    this.s("insertUser").run({
      id: u.id,
      domain_id: u.domainId,
      name: u.name,
      salt: u.password === undefined ? null : u.salt,
      hash: u.password === undefined ? null : hashPassword(u.password, u.salt),
      enabled: u.enabled ? 1 : 0,
      description: u.description,
      email: u.email ?? null,
      areacode: u.areacode ?? null,
      phone: u.phone ?? null,
      access_mode: u.accessMode,
      pwd_status: u.pwdStatus ? 1 : 0,
      now: u.now,
    });
  }
  updateUser(id: string, patch: UserPatch, now: number): void {
    this.generation++;
    const sets: string[] = ["updated_at = @now"];
    const params: Record<string, string | number | null> = { id, now };
    const add = (col: string, v: string | number | null) => {
      sets.push(`${col} = @${col}`);
      params[col] = v;
    };
    if (patch.name !== undefined) add("name", patch.name);
    if (patch.password) {
      add("password_hash", patch.password.hash);
      add("password_salt", patch.password.salt);
    } else if (patch.password === null) {
      add("password_hash", null);
      add("password_salt", null);
    }
    if (patch.enabled !== undefined) add("enabled", patch.enabled ? 1 : 0);
    if (patch.description !== undefined) add("description", patch.description);
    if (patch.email !== undefined) add("email", patch.email);
    if (patch.areacode !== undefined) add("areacode", patch.areacode);
    if (patch.phone !== undefined) add("phone", patch.phone);
    if (patch.accessMode !== undefined) add("access_mode", patch.accessMode);
    if (patch.pwdStatus !== undefined) add("pwd_status", patch.pwdStatus ? 1 : 0);
    this.db.prepare(`UPDATE iam_users SET ${sets.join(", ")} WHERE id = @id`).run(params);
  }
  deleteUser(id: string): void {
    this.generation++;
    this.s("deleteUser").run(id);
  }
  touchLogin(id: string, now: number): void {
    this.s("touchLogin").run(now, id);
  }
  isAdmin(userId: string): boolean {
    return this.s("isAdmin").get(userId) !== undefined;
  }

  // groups
  group(id: string): GroupRow | undefined {
    return maybe(toGroup, this.s("groupById").get(id));
  }
  groupByName(domainId: string, name: string): GroupRow | undefined {
    return maybe(toGroup, this.s("groupByName").get(domainId, name));
  }
  groups(domainId: string): GroupRow[] {
    return all(toGroup, this.s("groupsInDomain").all(domainId));
  }
  insertGroup(g: GroupRow): void {
    this.generation++;
    this.s("insertGroup").run(g.id, g.domain_id, g.name, g.description, g.created_at);
  }
  updateGroup(id: string, name: string, description: string): void {
    this.generation++;
    this.s("updateGroup").run(name, description, id);
  }
  deleteGroup(id: string): void {
    this.generation++;
    this.s("deleteGroup").run(id);
  }
  addMember(groupId: string, userId: string): void {
    this.generation++;
    this.s("addMember").run(groupId, userId);
  }
  removeMember(groupId: string, userId: string): boolean {
    this.generation++;
    return this.s("removeMember").run(groupId, userId).changes > 0;
  }
  isMember(groupId: string, userId: string): boolean {
    return this.s("isMember").get(groupId, userId) !== undefined;
  }
  groupsOfUser(userId: string): GroupRow[] {
    return all(toGroup, this.s("groupsOfUser").all(userId));
  }
  usersOfGroup(groupId: string): UserRow[] {
    return all(toUser, this.s("usersOfGroup").all(groupId));
  }

  // projects
  project(id: string): ProjectRow | undefined {
    return maybe(toProject, this.s("projectById").get(id));
  }
  projectByName(domainId: string, name: string): ProjectRow | undefined {
    return maybe(toProject, this.s("projectByName").get(domainId, name));
  }
  projects(domainId: string): ProjectRow[] {
    return all(toProject, this.s("projectsInDomain").all(domainId));
  }
  insertProject(p: ProjectRow): void {
    this.generation++;
    this.s("insertProject").run(
      p.id,
      p.domain_id,
      p.name,
      p.parent_id,
      p.description,
      p.enabled ? 1 : 0,
      p.region,
      p.created_at,
    );
  }
  updateProject(id: string, name: string, description: string, enabled: boolean): void {
    this.generation++;
    this.s("updateProject").run(name, description, enabled ? 1 : 0, id);
  }

  // grants
  grant(g: GrantRow): void {
    this.generation++;
    this.s("grant").run(g.group_id, g.role_id, g.scope_type, g.scope_id);
  }
  revoke(g: GrantRow): boolean {
    this.generation++;
    return this.s("revoke").run(g.group_id, g.role_id, g.scope_type, g.scope_id).changes > 0;
  }
  hasGrant(g: GrantRow): boolean {
    return this.s("hasGrant").get(g.group_id, g.role_id, g.scope_type, g.scope_id) !== undefined;
  }
  grantsOfGroup(groupId: string, scopeType: "domain" | "project", scopeId: string): GrantRow[] {
    return all(toGrant, this.s("grantsOfGroup").all(groupId, scopeType, scopeId));
  }
  grantsOfUser(userId: string, scopeType: "domain" | "project", scopeId: string): GrantRow[] {
    return all(toGrant, this.s("grantsOfUser").all(userId, scopeType, scopeId));
  }

  // credentials
  credential(access: string): CredentialRow | undefined {
    return maybe(toCredential, this.s("credential").get(access));
  }
  permanentCredentials(userId: string): CredentialRow[] {
    return all(toCredential, this.s("credentialsOfUser").all(userId));
  }
  permanentCredentialsInDomain(domainId: string): CredentialRow[] {
    return all(toCredential, this.s("credentialsInDomain").all(domainId));
  }
  insertCredential(c: {
    access: string;
    secret: string;
    userId: string;
    description: string;
    now: number;
    securityToken?: string;
    expiresAt?: number;
    methods?: string[];
    projectId?: string;
    agencyId?: string;
  }): void {
    this.generation++;
    this.s("insertCredential").run({
      access: c.access,
      secret: c.secret,
      user_id: c.userId,
      description: c.description,
      now: c.now,
      security_token: c.securityToken ?? null,
      expires_at: c.expiresAt ?? null,
      methods: JSON.stringify(c.methods ?? []),
      project_id: c.projectId ?? null,
      agency_id: c.agencyId ?? null,
    });
  }
  updateCredential(access: string, status: "active" | "inactive", description: string): void {
    this.generation++;
    this.s("updateCredential").run(status, description, access);
  }
  deleteCredential(access: string): void {
    this.generation++;
    this.s("deleteCredential").run(access);
  }
  touchCredential(access: string, now: number): void {
    this.s("touchCredential").run(now, access);
  }

  // tokens
  token(id: string): TokenRow | undefined {
    return maybe(toToken, this.s("token").get(id));
  }
  insertToken(t: Omit<TokenRow, "revoked" | "agency_id"> & { agency_id?: string | null }): void {
    this.s("insertToken").run(
      t.id,
      t.user_id,
      t.scope_type,
      t.project_id,
      JSON.stringify(t.methods),
      t.issued_at,
      t.expires_at,
      t.agency_id ?? null,
    );
  }
  revokeToken(id: string): void {
    this.generation++;
    this.s("revokeToken").run(id);
  }
  /** Deletes tokens and temporary keys that expired before `before`; returns how many rows went. */
  pruneExpired(before: number): number {
    const gone = this.s("pruneTemporaryKeys").run(before).changes + this.s("pruneTokens").run(before).changes + this.federatedTokens.prune(before);
    if (gone > 0) this.generation++;
    return gone;
  }
  revokeUserTokens(userId: string): void {
    this.generation++;
    this.s("revokeUserTokens").run(userId);
  }
}
