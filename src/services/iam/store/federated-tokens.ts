// Federated tokens (OIDC ID tokens exchanged at CreateUnscopedTokenWithIdToken / CreateTokenWithIdToken): the
// federated user is not a stored IAM user, so its tokens live apart from iam_tokens (whose user_id refers to
// iam_users). A row keeps what the identity provider's mapping made of the ID token's claims: the user's name
// and id, and the groups (of the identity provider's domain) whose grants the token carries.
import type { Database, Statement } from "better-sqlite3";
import { flag, int, jsonStrings, oneOf, text, textOrNull, type SqlRow } from "../../../store/rows.ts";

export const FEDERATED_TOKEN_MIGRATION = `
  CREATE TABLE iam_federated_tokens (
    id TEXT PRIMARY KEY, domain_id TEXT NOT NULL REFERENCES iam_domains(id), idp_id TEXT NOT NULL,
    protocol_id TEXT NOT NULL, user_id TEXT NOT NULL, user_name TEXT NOT NULL, group_ids TEXT NOT NULL,
    scope_type TEXT NOT NULL CHECK (scope_type IN ('domain', 'project', 'unscoped')), project_id TEXT,
    methods TEXT NOT NULL, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
`;

// Temporary access keys a federated user gets with its token (CreateTemporaryAccessKeyByToken): the same
// identity (user, identity provider, groups), the token's project if it had one.
export const FEDERATED_KEY_MIGRATION = `
  CREATE TABLE iam_federated_keys (
    access TEXT PRIMARY KEY, secret TEXT NOT NULL, security_token TEXT NOT NULL,
    domain_id TEXT NOT NULL REFERENCES iam_domains(id), idp_id TEXT NOT NULL, protocol_id TEXT NOT NULL,
    user_id TEXT NOT NULL, user_name TEXT NOT NULL, group_ids TEXT NOT NULL, project_id TEXT,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
`;

export interface FederatedKeyRow {
  access: string;
  secret: string;
  security_token: string;
  domain_id: string;
  idp_id: string;
  protocol_id: string;
  user_id: string;
  user_name: string;
  group_ids: string[];
  project_id: string | null;
  created_at: number;
  expires_at: number;
}

const toKey = (r: SqlRow): FederatedKeyRow => ({
  access: text(r, "access"),
  secret: text(r, "secret"),
  security_token: text(r, "security_token"),
  domain_id: text(r, "domain_id"),
  idp_id: text(r, "idp_id"),
  protocol_id: text(r, "protocol_id"),
  user_id: text(r, "user_id"),
  user_name: text(r, "user_name"),
  group_ids: jsonStrings(r, "group_ids"),
  project_id: textOrNull(r, "project_id"),
  created_at: int(r, "created_at"),
  expires_at: int(r, "expires_at"),
});

export interface FederatedTokenRow {
  id: string;
  domain_id: string;
  idp_id: string;
  protocol_id: string;
  user_id: string;
  user_name: string;
  group_ids: string[];
  scope_type: "domain" | "project" | "unscoped";
  project_id: string | null;
  methods: string[];
  issued_at: number;
  expires_at: number;
  revoked: boolean;
}

const toRow = (r: SqlRow): FederatedTokenRow => ({
  id: text(r, "id"),
  domain_id: text(r, "domain_id"),
  idp_id: text(r, "idp_id"),
  protocol_id: text(r, "protocol_id"),
  user_id: text(r, "user_id"),
  user_name: text(r, "user_name"),
  group_ids: jsonStrings(r, "group_ids"),
  scope_type: oneOf(r, "scope_type", ["domain", "project", "unscoped"] as const),
  project_id: textOrNull(r, "project_id"),
  methods: jsonStrings(r, "methods"),
  issued_at: int(r, "issued_at"),
  expires_at: int(r, "expires_at"),
  revoked: flag(r, "revoked"),
});

export class FederatedTokenStore {
  private readonly st: Record<string, Statement>;

  constructor(
    db: Database,
    private readonly changed: () => void,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      get: p("SELECT * FROM iam_federated_tokens WHERE id = ?"),
      insert: p(`INSERT INTO iam_federated_tokens (id, domain_id, idp_id, protocol_id, user_id, user_name, group_ids,
        scope_type, project_id, methods, issued_at, expires_at) VALUES (@id, @domain_id, @idp_id, @protocol_id,
        @user_id, @user_name, @group_ids, @scope_type, @project_id, @methods, @issued_at, @expires_at)`),
      revoke: p("UPDATE iam_federated_tokens SET revoked = 1 WHERE id = ?"),
      prune: p("DELETE FROM iam_federated_tokens WHERE expires_at < ?"),
      key: p("SELECT * FROM iam_federated_keys WHERE access = ?"),
      insertKey: p(`INSERT INTO iam_federated_keys (access, secret, security_token, domain_id, idp_id, protocol_id, user_id,
        user_name, group_ids, project_id, created_at, expires_at) VALUES (@access, @secret, @security_token, @domain_id,
        @idp_id, @protocol_id, @user_id, @user_name, @group_ids, @project_id, @created_at, @expires_at)`),
      pruneKeys: p("DELETE FROM iam_federated_keys WHERE expires_at < ?"),
    };
  }

  private s(name: string): Statement {
    const st = this.st[name];
    if (!st) throw new Error(`no statement ${name}`);
    return st;
  }

  get(id: string): FederatedTokenRow | undefined {
    const r = this.s("get").get(id);
    return r === undefined ? undefined : toRow(r as SqlRow);
  }
  /** Issuing changes no existing answer: no generation bump (as for iam_tokens). */
  insert(t: Omit<FederatedTokenRow, "revoked">): void {
    this.s("insert").run({ ...t, group_ids: JSON.stringify(t.group_ids), methods: JSON.stringify(t.methods) });
  }
  revoke(id: string): void {
    this.changed();
    this.s("revoke").run(id);
  }
  key(access: string): FederatedKeyRow | undefined {
    const r = this.s("key").get(access);
    return r === undefined ? undefined : toKey(r as SqlRow);
  }
  insertKey(k: FederatedKeyRow): void {
    this.s("insertKey").run({ ...k, group_ids: JSON.stringify(k.group_ids) });
  }
  /** Deletes federated tokens and keys that expired before `before`; returns how many went. */
  prune(before: number): number {
    return this.s("prune").run(before).changes + this.s("pruneKeys").run(before).changes;
  }
}
