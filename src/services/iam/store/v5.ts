// IAM v5 identity policies (with versions, attached to users, groups and agencies), v5 columns of agencies
// (trust policy, path, session duration, kind) and resource tags.
import type { Database, Statement } from "better-sqlite3";
import { all, int, maybe, oneOf, text, textOrNull, type SqlRow } from "../../../store/rows.ts";

export const V5_MIGRATION = `
  CREATE TABLE iam_v5_policies (
    id TEXT PRIMARY KEY, domain_id TEXT NOT NULL REFERENCES iam_domains(id), name TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', default_version TEXT NOT NULL,
    next_version INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (domain_id, name));
  CREATE TABLE iam_v5_policy_versions (
    policy_id TEXT NOT NULL REFERENCES iam_v5_policies(id) ON DELETE CASCADE, version_id TEXT NOT NULL,
    document TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (policy_id, version_id));
  CREATE TABLE iam_v5_attachments (
    policy_id TEXT NOT NULL REFERENCES iam_v5_policies(id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL CHECK (entity_type IN ('user', 'group', 'agency')), entity_id TEXT NOT NULL,
    attached_at INTEGER NOT NULL, PRIMARY KEY (policy_id, entity_type, entity_id));
  CREATE INDEX iam_v5_attachments_entity ON iam_v5_attachments(entity_type, entity_id);
  ALTER TABLE iam_agencies ADD COLUMN kind TEXT NOT NULL DEFAULT 'delegation';
  ALTER TABLE iam_agencies ADD COLUMN path TEXT NOT NULL DEFAULT '';
  ALTER TABLE iam_agencies ADD COLUMN trust_policy TEXT;
  ALTER TABLE iam_agencies ADD COLUMN max_session_duration INTEGER NOT NULL DEFAULT 3600;
  CREATE TABLE iam_v5_tags (
    domain_id TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL, key TEXT NOT NULL,
    value TEXT NOT NULL, PRIMARY KEY (resource_type, resource_id, key));
`;

export interface V5PolicyRow {
  id: string;
  domain_id: string;
  name: string;
  path: string;
  description: string;
  default_version: string;
  next_version: number;
  created_at: number;
  updated_at: number;
}
const toPolicy = (r: SqlRow): V5PolicyRow => ({
  id: text(r, "id"),
  domain_id: text(r, "domain_id"),
  name: text(r, "name"),
  path: text(r, "path"),
  description: text(r, "description"),
  default_version: text(r, "default_version"),
  next_version: int(r, "next_version"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export interface V5VersionRow {
  policy_id: string;
  version_id: string;
  document: string;
  created_at: number;
}
const toVersion = (r: SqlRow): V5VersionRow => ({ policy_id: text(r, "policy_id"), version_id: text(r, "version_id"), document: text(r, "document"), created_at: int(r, "created_at") });

export type EntityType = "user" | "group" | "agency";
export interface AttachmentRow {
  policy_id: string;
  entity_type: EntityType;
  entity_id: string;
  attached_at: number;
}
const toAttachment = (r: SqlRow): AttachmentRow => ({
  policy_id: text(r, "policy_id"),
  entity_type: oneOf(r, "entity_type", ["user", "group", "agency"] as const),
  entity_id: text(r, "entity_id"),
  attached_at: int(r, "attached_at"),
});

export interface AgencyV5Fields {
  kind: "delegation" | "trust" | "service_linked";
  path: string;
  trust_policy: string | null;
  max_session_duration: number;
}

export class V5Store {
  private readonly st: Record<string, Statement>;

  constructor(
    db: Database,
    private readonly changed: () => void,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      policy: p("SELECT * FROM iam_v5_policies WHERE id = ?"),
      policies: p("SELECT * FROM iam_v5_policies WHERE domain_id = ? ORDER BY created_at, id"),
      policyByName: p("SELECT * FROM iam_v5_policies WHERE domain_id = ? AND name = ?"),
      insertPolicy: p(`INSERT INTO iam_v5_policies (id, domain_id, name, path, description, default_version, next_version,
        created_at, updated_at) VALUES (@id, @domain_id, @name, @path, @description, @default_version, @next_version,
        @created_at, @updated_at)`),
      setDefault: p("UPDATE iam_v5_policies SET default_version = ?, updated_at = ? WHERE id = ?"),
      bumpVersion: p("UPDATE iam_v5_policies SET next_version = next_version + 1, updated_at = ? WHERE id = ?"),
      deletePolicy: p("DELETE FROM iam_v5_policies WHERE id = ?"),
      version: p("SELECT * FROM iam_v5_policy_versions WHERE policy_id = ? AND version_id = ?"),
      versions: p("SELECT * FROM iam_v5_policy_versions WHERE policy_id = ? ORDER BY created_at, version_id"),
      insertVersion: p("INSERT INTO iam_v5_policy_versions (policy_id, version_id, document, created_at) VALUES (?, ?, ?, ?)"),
      deleteVersion: p("DELETE FROM iam_v5_policy_versions WHERE policy_id = ? AND version_id = ?"),
      attach: p("INSERT OR IGNORE INTO iam_v5_attachments (policy_id, entity_type, entity_id, attached_at) VALUES (?, ?, ?, ?)"),
      detach: p("DELETE FROM iam_v5_attachments WHERE policy_id = ? AND entity_type = ? AND entity_id = ?"),
      // Attachments of users, groups and agencies deleted since are left out (their rows stay until the policy goes).
      attachmentsOfPolicy: p(`SELECT * FROM iam_v5_attachments a WHERE policy_id = ? AND (
        (entity_type = 'user' AND EXISTS (SELECT 1 FROM iam_users WHERE id = a.entity_id)) OR
        (entity_type = 'group' AND EXISTS (SELECT 1 FROM iam_groups WHERE id = a.entity_id)) OR
        (entity_type = 'agency' AND EXISTS (SELECT 1 FROM iam_agencies WHERE id = a.entity_id)))
        ORDER BY attached_at, entity_id`),
      attachmentsOfEntity: p("SELECT * FROM iam_v5_attachments WHERE entity_type = ? AND entity_id = ? ORDER BY attached_at, policy_id"),
      agencyFields: p("SELECT kind, path, trust_policy, max_session_duration FROM iam_agencies WHERE id = ?"),
      setAgencyFields: p("UPDATE iam_agencies SET kind = @kind, path = @path, trust_policy = @trust_policy, max_session_duration = @max_session_duration WHERE id = @id"),
      tags: p("SELECT key, value FROM iam_v5_tags WHERE resource_type = ? AND resource_id = ? ORDER BY key"),
      putTag: p(`INSERT INTO iam_v5_tags (domain_id, resource_type, resource_id, key, value) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (resource_type, resource_id, key) DO UPDATE SET value = excluded.value`),
      deleteTag: p("DELETE FROM iam_v5_tags WHERE resource_type = ? AND resource_id = ? AND key = ?"),
    };
  }

  private s(name: string): Statement {
    const st = this.st[name];
    if (!st) throw new Error(`no statement ${name}`);
    return st;
  }

  policy(id: string): V5PolicyRow | undefined {
    return maybe(toPolicy, this.s("policy").get(id));
  }
  policies(domainId: string): V5PolicyRow[] {
    return all(toPolicy, this.s("policies").all(domainId));
  }
  policyByName(domainId: string, name: string): V5PolicyRow | undefined {
    return maybe(toPolicy, this.s("policyByName").get(domainId, name));
  }
  insertPolicy(p: V5PolicyRow, document: string): void {
    this.changed();
    this.s("insertPolicy").run(p);
    this.s("insertVersion").run(p.id, p.default_version, document, p.created_at);
  }
  /** Adds version v<next_version>; returns its id. */
  addVersion(policyId: string, document: string, now: number): string {
    this.changed();
    const p = this.policy(policyId)!;
    const versionId = `v${p.next_version}`;
    this.s("insertVersion").run(policyId, versionId, document, now);
    this.s("bumpVersion").run(now, policyId);
    return versionId;
  }
  setDefaultVersion(policyId: string, versionId: string, now: number): void {
    this.changed();
    this.s("setDefault").run(versionId, now, policyId);
  }
  deletePolicy(id: string): void {
    this.changed();
    this.s("deletePolicy").run(id);
  }
  version(policyId: string, versionId: string): V5VersionRow | undefined {
    return maybe(toVersion, this.s("version").get(policyId, versionId));
  }
  versions(policyId: string): V5VersionRow[] {
    return all(toVersion, this.s("versions").all(policyId));
  }
  deleteVersion(policyId: string, versionId: string): void {
    this.changed();
    this.s("deleteVersion").run(policyId, versionId);
  }
  attach(a: AttachmentRow): void {
    this.changed();
    this.s("attach").run(a.policy_id, a.entity_type, a.entity_id, a.attached_at);
  }
  detach(policyId: string, type: EntityType, entityId: string): boolean {
    this.changed();
    return this.s("detach").run(policyId, type, entityId).changes > 0;
  }
  attachmentsOfPolicy(policyId: string): AttachmentRow[] {
    return all(toAttachment, this.s("attachmentsOfPolicy").all(policyId));
  }
  attachmentsOf(type: EntityType, entityId: string): AttachmentRow[] {
    return all(toAttachment, this.s("attachmentsOfEntity").all(type, entityId));
  }

  agencyFields(id: string): AgencyV5Fields | undefined {
    const r = this.s("agencyFields").get(id) as SqlRow | undefined;
    if (!r) return undefined;
    return {
      kind: oneOf(r, "kind", ["delegation", "trust", "service_linked"] as const),
      path: text(r, "path"),
      trust_policy: textOrNull(r, "trust_policy"),
      max_session_duration: int(r, "max_session_duration"),
    };
  }
  setAgencyFields(id: string, f: AgencyV5Fields): void {
    this.changed();
    this.s("setAgencyFields").run({ id, ...f });
  }

  tags(type: string, id: string): { key: string; value: string }[] {
    return this.s("tags")
      .all(type, id)
      .map((r) => ({ key: text(r as SqlRow, "key"), value: text(r as SqlRow, "value") }));
  }
  putTag(domainId: string, type: string, id: string, key: string, value: string): void {
    this.changed();
    this.s("putTag").run(domainId, type, id, key, value);
  }
  deleteTag(type: string, id: string, key: string): void {
    this.changed();
    this.s("deleteTag").run(type, id, key);
  }
}
