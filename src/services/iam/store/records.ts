// IAM's row types as callers see them, parsed from SQLite at this boundary (ARCHITECTURE.md rule 11), and
// the password hash.
import { hash } from "node:crypto";
import { flag, int, intOrNull, jsonStrings, oneOf, text, textOrNull, type SqlRow } from "../../../store/rows.ts";

export interface DomainRow {
  id: string;
  name: string;
  created_at: number;
}
export const toDomain = (r: SqlRow): DomainRow => ({ id: text(r, "id"), name: text(r, "name"), created_at: int(r, "created_at") });

export interface UserRow {
  id: string;
  domain_id: string;
  name: string;
  password_salt: string | null;
  password_hash: string | null;
  enabled: boolean;
  description: string;
  email: string | null;
  areacode: string | null;
  phone: string | null;
  access_mode: string;
  pwd_status: boolean;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}
export const toUser = (r: SqlRow): UserRow => ({
  id: text(r, "id"),
  domain_id: text(r, "domain_id"),
  name: text(r, "name"),
  password_salt: textOrNull(r, "password_salt"),
  password_hash: textOrNull(r, "password_hash"),
  enabled: flag(r, "enabled"),
  description: text(r, "description"),
  email: textOrNull(r, "email"),
  areacode: textOrNull(r, "areacode"),
  phone: textOrNull(r, "phone"),
  access_mode: text(r, "access_mode"),
  pwd_status: flag(r, "pwd_status"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
  last_login_at: intOrNull(r, "last_login_at"),
});

export interface GroupRow {
  id: string;
  domain_id: string;
  name: string;
  description: string;
  created_at: number;
}
export const toGroup = (r: SqlRow): GroupRow => ({
  id: text(r, "id"),
  domain_id: text(r, "domain_id"),
  name: text(r, "name"),
  description: text(r, "description"),
  created_at: int(r, "created_at"),
});

export interface ProjectRow {
  id: string;
  domain_id: string;
  name: string;
  parent_id: string;
  description: string;
  enabled: boolean;
  region: string;
  created_at: number;
}
export const toProject = (r: SqlRow): ProjectRow => ({
  id: text(r, "id"),
  domain_id: text(r, "domain_id"),
  name: text(r, "name"),
  parent_id: text(r, "parent_id"),
  description: text(r, "description"),
  enabled: flag(r, "enabled"),
  region: text(r, "region"),
  created_at: int(r, "created_at"),
});

export interface CredentialRow {
  access: string;
  secret: string;
  user_id: string;
  status: "active" | "inactive";
  description: string;
  created_at: number;
  last_use_at: number | null;
  security_token: string | null;
  expires_at: number | null;
  methods: string[];
  /** The project a temporary key issued from a project-scoped token is limited to. */
  project_id: string | null;
  /** The agency a temporary key acts by (assume_role), in the agency's (delegating) domain. */
  agency_id: string | null;
}
export const toCredential = (r: SqlRow): CredentialRow => ({
  access: text(r, "access"),
  secret: text(r, "secret"),
  user_id: text(r, "user_id"),
  status: oneOf(r, "status", ["active", "inactive"] as const),
  description: text(r, "description"),
  created_at: int(r, "created_at"),
  last_use_at: intOrNull(r, "last_use_at"),
  security_token: textOrNull(r, "security_token"),
  expires_at: intOrNull(r, "expires_at"),
  methods: jsonStrings(r, "methods"),
  project_id: textOrNull(r, "project_id"),
  agency_id: textOrNull(r, "agency_id"),
});

export interface TokenRow {
  id: string;
  user_id: string;
  scope_type: "domain" | "project" | "unscoped";
  project_id: string | null;
  methods: string[];
  issued_at: number;
  expires_at: number;
  revoked: boolean;
  /** The agency an assume_role token acts by; user_id is then the delegated user who assumed it. */
  agency_id: string | null;
}
export const toToken = (r: SqlRow): TokenRow => ({
  id: text(r, "id"),
  user_id: text(r, "user_id"),
  scope_type: oneOf(r, "scope_type", ["domain", "project", "unscoped"] as const),
  project_id: textOrNull(r, "project_id"),
  methods: jsonStrings(r, "methods"),
  issued_at: int(r, "issued_at"),
  expires_at: int(r, "expires_at"),
  revoked: flag(r, "revoked"),
  agency_id: textOrNull(r, "agency_id"),
});

export interface GrantRow {
  group_id: string;
  role_id: string;
  scope_type: "domain" | "project";
  scope_id: string;
}
export const toGrant = (r: SqlRow): GrantRow => ({
  group_id: text(r, "group_id"),
  role_id: text(r, "role_id"),
  scope_type: oneOf(r, "scope_type", ["domain", "project"] as const),
  scope_id: text(r, "scope_id"),
});

/** The group whose members manage IAM, as in a real account. */
export const ADMIN_GROUP = "admin";

export function hashPassword(password: string, salt: string): string {
  // A salted SHA-256 rather than a slow KDF: hwlocal is a test double, and a slow hash would dominate the
  // cost of every password token request.
  return hash("sha256", `${salt}\0${password}`, "hex");
}

export interface NewUser {
  id: string;
  domainId: string;
  name: string;
  password?: string;
  salt: string;
  enabled: boolean;
  description: string;
  email?: string;
  areacode?: string;
  phone?: string;
  accessMode: string;
  pwdStatus: boolean;
  now: number;
}

export interface UserPatch {
  name?: string;
  /** null removes the password (IAM v5: deleting a user's login profile). */
  password?: { hash: string; salt: string } | null;
  enabled?: boolean;
  description?: string;
  email?: string;
  areacode?: string;
  phone?: string;
  accessMode?: string;
  pwdStatus?: boolean;
}
