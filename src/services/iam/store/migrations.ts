// IAM's migrations, in order (append only). The tables of store/*.ts each come from their own file.
import { POLICY_MIGRATION } from "./policies.ts";
import { SETTINGS_MIGRATION } from "./settings.ts";
import { V5_MIGRATION } from "./v5.ts";
import { FEDERATION_MIGRATION } from "./federation.ts";
import { FEDERATED_KEY_MIGRATION, FEDERATED_TOKEN_MIGRATION } from "./federated-tokens.ts";

// Tokens and keys are looked up and written by their random text key on the hot path: WITHOUT ROWID keeps
// one B-tree per table instead of a rowid table plus a key index. Tokens have no index by user: revoking a
// user's tokens (password change, disable) is rare and may scan.
export const IAM_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE iam_domains (
    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
  CREATE TABLE iam_users (
    id TEXT PRIMARY KEY, domain_id TEXT NOT NULL REFERENCES iam_domains(id),
    name TEXT NOT NULL, password_salt TEXT, password_hash TEXT,
    enabled INTEGER NOT NULL DEFAULT 1, description TEXT NOT NULL DEFAULT '',
    email TEXT, areacode TEXT, phone TEXT, access_mode TEXT NOT NULL DEFAULT 'default',
    pwd_status INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    last_login_at INTEGER, UNIQUE (domain_id, name));
  CREATE TABLE iam_groups (
    id TEXT PRIMARY KEY, domain_id TEXT NOT NULL REFERENCES iam_domains(id), name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, UNIQUE (domain_id, name));
  CREATE TABLE iam_group_members (
    group_id TEXT NOT NULL REFERENCES iam_groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES iam_users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id));
  CREATE INDEX iam_group_members_user ON iam_group_members(user_id);
  CREATE TABLE iam_projects (
    id TEXT PRIMARY KEY, domain_id TEXT NOT NULL REFERENCES iam_domains(id), name TEXT NOT NULL,
    parent_id TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', enabled INTEGER NOT NULL DEFAULT 1,
    region TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (domain_id, name));
  CREATE TABLE iam_grants (
    group_id TEXT NOT NULL REFERENCES iam_groups(id) ON DELETE CASCADE, role_id TEXT NOT NULL,
    scope_type TEXT NOT NULL CHECK (scope_type IN ('domain', 'project')), scope_id TEXT NOT NULL,
    PRIMARY KEY (group_id, role_id, scope_type, scope_id));
  CREATE TABLE iam_credentials (
    access TEXT PRIMARY KEY, secret TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES iam_users(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'active', description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL, last_use_at INTEGER,
    security_token TEXT, expires_at INTEGER, methods TEXT NOT NULL DEFAULT '[]') WITHOUT ROWID;
  CREATE INDEX iam_credentials_user ON iam_credentials(user_id);
  CREATE TABLE iam_tokens (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES iam_users(id) ON DELETE CASCADE,
    scope_type TEXT NOT NULL CHECK (scope_type IN ('domain', 'project', 'unscoped')),
    project_id TEXT, methods TEXT NOT NULL, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
  `,
  // A temporary key issued from a project-scoped token acts only in that project.
  `ALTER TABLE iam_credentials ADD COLUMN project_id TEXT;`,
  // Custom policies, grants on all projects, agencies and their grants (store/policies.ts).
  POLICY_MIGRATION,
  // Security policies, login protection, virtual MFA devices and projects' status (store/settings.ts).
  SETTINGS_MIGRATION,
  // IAM v5: identity policies and their versions and attachments, agencies' v5 fields, tags (store/v5.ts).
  V5_MIGRATION,
  // Identity providers, mappings, protocols, OIDC configurations, SAML metadata (store/federation.ts).
  FEDERATION_MIGRATION,
  // assume_role: a token or temporary key that acts by an agency names it; deleting the agency ends them.
  `ALTER TABLE iam_tokens ADD COLUMN agency_id TEXT REFERENCES iam_agencies(id) ON DELETE CASCADE;
  ALTER TABLE iam_credentials ADD COLUMN agency_id TEXT REFERENCES iam_agencies(id) ON DELETE CASCADE;`,
  // Federated users' tokens from OIDC ID tokens (store/federated-tokens.ts).
  FEDERATED_TOKEN_MIGRATION,
  // Federated users' temporary access keys (store/federated-tokens.ts).
  FEDERATED_KEY_MIGRATION,
];
