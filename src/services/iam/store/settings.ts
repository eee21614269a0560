// A domain's security policies (password, login, operation protection, ACLs), users' login protection, virtual
// MFA devices and projects' status. Policies are stored as the JSON objects the API shows, each under its name;
// a missing row means Huawei's default (security-policies.ts holds the defaults).
import type { Database, Statement } from "better-sqlite3";
import { all, flag, int, maybe, text, textOrNull, type SqlRow } from "../../../store/rows.ts";

export const SETTINGS_MIGRATION = `
  CREATE TABLE iam_domain_settings (
    domain_id TEXT NOT NULL REFERENCES iam_domains(id), name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (domain_id, name));
  CREATE TABLE iam_user_settings (
    user_id TEXT NOT NULL REFERENCES iam_users(id) ON DELETE CASCADE, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (user_id, name));
  CREATE TABLE iam_mfa_devices (
    serial_number TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES iam_users(id) ON DELETE CASCADE,
    domain_id TEXT NOT NULL, name TEXT NOT NULL, secret TEXT NOT NULL, bound INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL);
  CREATE UNIQUE INDEX iam_mfa_devices_user ON iam_mfa_devices(user_id);
  CREATE TABLE iam_project_status (
    project_id TEXT PRIMARY KEY REFERENCES iam_projects(id) ON DELETE CASCADE, status TEXT NOT NULL,
    updated_at INTEGER NOT NULL);
`;

export interface MfaDeviceRow {
  serial_number: string;
  user_id: string;
  domain_id: string;
  name: string;
  /** Base32 TOTP seed. */
  secret: string;
  bound: boolean;
  created_at: number;
}
const toMfa = (r: SqlRow): MfaDeviceRow => ({
  serial_number: text(r, "serial_number"),
  user_id: text(r, "user_id"),
  domain_id: text(r, "domain_id"),
  name: text(r, "name"),
  secret: text(r, "secret"),
  bound: flag(r, "bound"),
  created_at: int(r, "created_at"),
});

const jsonObject = (r: SqlRow, k: string): Record<string, unknown> => {
  const v: unknown = JSON.parse(text(r, k));
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`column ${k} is not a JSON object`);
  return v as Record<string, unknown>;
};

export class SettingsStore {
  private readonly st: Record<string, Statement>;

  constructor(
    db: Database,
    private readonly changed: () => void,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      domainSetting: p("SELECT value FROM iam_domain_settings WHERE domain_id = ? AND name = ?"),
      putDomainSetting: p(`INSERT INTO iam_domain_settings (domain_id, name, value) VALUES (?, ?, ?)
        ON CONFLICT (domain_id, name) DO UPDATE SET value = excluded.value`),
      userSetting: p("SELECT value FROM iam_user_settings WHERE user_id = ? AND name = ?"),
      userSettingsNamed: p(`SELECT s.user_id, s.value FROM iam_user_settings s JOIN iam_users u ON u.id = s.user_id
        WHERE u.domain_id = ? AND s.name = ? ORDER BY u.created_at, u.id`),
      putUserSetting: p(`INSERT INTO iam_user_settings (user_id, name, value) VALUES (?, ?, ?)
        ON CONFLICT (user_id, name) DO UPDATE SET value = excluded.value`),
      mfa: p("SELECT * FROM iam_mfa_devices WHERE serial_number = ?"),
      mfaOfUser: p("SELECT * FROM iam_mfa_devices WHERE user_id = ?"),
      mfaInDomain: p("SELECT * FROM iam_mfa_devices WHERE domain_id = ? ORDER BY created_at, serial_number"),
      insertMfa: p(`INSERT INTO iam_mfa_devices (serial_number, user_id, domain_id, name, secret, bound, created_at)
        VALUES (@serial_number, @user_id, @domain_id, @name, @secret, 0, @created_at)`),
      bindMfa: p("UPDATE iam_mfa_devices SET bound = ? WHERE serial_number = ?"),
      deleteMfa: p("DELETE FROM iam_mfa_devices WHERE serial_number = ?"),
      projectStatus: p("SELECT status FROM iam_project_status WHERE project_id = ?"),
      putProjectStatus: p(`INSERT INTO iam_project_status (project_id, status, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (project_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`),
    };
  }

  private s(name: string): Statement {
    const st = this.st[name];
    if (!st) throw new Error(`no statement ${name}`);
    return st;
  }

  domainSetting(domainId: string, name: string): Record<string, unknown> | undefined {
    const r = this.s("domainSetting").get(domainId, name);
    return r === undefined ? undefined : jsonObject(r as SqlRow, "value");
  }
  putDomainSetting(domainId: string, name: string, value: Record<string, unknown>): void {
    this.changed();
    this.s("putDomainSetting").run(domainId, name, JSON.stringify(value));
  }
  userSetting(userId: string, name: string): Record<string, unknown> | undefined {
    const r = this.s("userSetting").get(userId, name);
    return r === undefined ? undefined : jsonObject(r as SqlRow, "value");
  }
  /** Every user of a domain that has the setting, with its value. */
  userSettingsNamed(domainId: string, name: string): { userId: string; value: Record<string, unknown> }[] {
    return this.s("userSettingsNamed")
      .all(domainId, name)
      .map((r) => ({ userId: text(r as SqlRow, "user_id"), value: jsonObject(r as SqlRow, "value") }));
  }
  putUserSetting(userId: string, name: string, value: Record<string, unknown>): void {
    this.changed();
    this.s("putUserSetting").run(userId, name, JSON.stringify(value));
  }

  mfaDevice(serial: string): MfaDeviceRow | undefined {
    return maybe(toMfa, this.s("mfa").get(serial));
  }
  mfaOfUser(userId: string): MfaDeviceRow | undefined {
    return maybe(toMfa, this.s("mfaOfUser").get(userId));
  }
  mfaInDomain(domainId: string): MfaDeviceRow[] {
    return all(toMfa, this.s("mfaInDomain").all(domainId));
  }
  insertMfa(d: Omit<MfaDeviceRow, "bound">): void {
    this.changed();
    this.s("insertMfa").run(d);
  }
  bindMfa(serial: string, bound: boolean): void {
    this.changed();
    this.s("bindMfa").run(bound ? 1 : 0, serial);
  }
  deleteMfa(serial: string): void {
    this.changed();
    this.s("deleteMfa").run(serial);
  }

  projectStatus(projectId: string): string | null {
    const r = this.s("projectStatus").get(projectId);
    return r === undefined ? null : textOrNull(r as SqlRow, "status");
  }
  putProjectStatus(projectId: string, status: string, now: number): void {
    this.changed();
    this.s("putProjectStatus").run(projectId, status, now);
  }
}
