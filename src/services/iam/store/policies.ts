// Custom policies, grants on all projects (inherited), agencies and their grants. Grants on one project or on
// the domain stay in iam_grants (store.ts); these tables add what that one could not hold.
import type { Database, Statement } from "better-sqlite3";
import { all, int, maybe, oneOf, text, type SqlRow } from "../../../store/rows.ts";
import type { RoleRecord } from "../catalog-data.ts";
import type { PolicyDocument } from "../policy-document.ts";

export const POLICY_MIGRATION = `
  CREATE TABLE iam_custom_roles (
    id TEXT PRIMARY KEY, domain_id TEXT NOT NULL REFERENCES iam_domains(id), seq INTEGER NOT NULL,
    display_name TEXT NOT NULL, type TEXT NOT NULL, description TEXT NOT NULL, description_cn TEXT NOT NULL DEFAULT '',
    policy TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (domain_id, display_name));
  CREATE TABLE iam_inherited_grants (
    group_id TEXT NOT NULL REFERENCES iam_groups(id) ON DELETE CASCADE, role_id TEXT NOT NULL,
    domain_id TEXT NOT NULL, PRIMARY KEY (group_id, role_id));
  CREATE TABLE iam_agencies (
    id TEXT PRIMARY KEY, domain_id TEXT NOT NULL REFERENCES iam_domains(id), name TEXT NOT NULL,
    trust_domain_id TEXT NOT NULL, trust_domain_name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    duration TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (domain_id, name));
  CREATE TABLE iam_agency_grants (
    agency_id TEXT NOT NULL REFERENCES iam_agencies(id) ON DELETE CASCADE, role_id TEXT NOT NULL,
    scope_type TEXT NOT NULL CHECK (scope_type IN ('domain', 'project', 'inherited')), scope_id TEXT NOT NULL,
    PRIMARY KEY (agency_id, role_id, scope_type, scope_id));
  CREATE INDEX iam_agency_grants_role ON iam_agency_grants(role_id);
  CREATE INDEX iam_inherited_grants_role ON iam_inherited_grants(role_id);
`;

function toCustomRole(r: SqlRow): RoleRecord {
  const domainId = text(r, "domain_id");
  return {
    id: text(r, "id"),
    name: `custom_${domainId}_${int(r, "seq")}`,
    display_name: text(r, "display_name"),
    type: oneOf(r, "type", ["AX", "XA"] as const),
    catalog: "CUSTOMED",
    description: text(r, "description"),
    description_cn: text(r, "description_cn"),
    flag: "",
    domain_id: domainId,
    policy: JSON.parse(text(r, "policy")) as PolicyDocument,
    created_at: int(r, "created_at"),
    updated_at: int(r, "updated_at"),
  };
}

export interface AgencyRow {
  id: string;
  domain_id: string;
  name: string;
  trust_domain_id: string;
  trust_domain_name: string;
  description: string;
  /** "FOREVER", "ONEDAY" or a number of days as text. */
  duration: string;
  created_at: number;
}
const toAgency = (r: SqlRow): AgencyRow => ({
  id: text(r, "id"),
  domain_id: text(r, "domain_id"),
  name: text(r, "name"),
  trust_domain_id: text(r, "trust_domain_id"),
  trust_domain_name: text(r, "trust_domain_name"),
  description: text(r, "description"),
  duration: text(r, "duration"),
  created_at: int(r, "created_at"),
});

export type AgencyScope = "domain" | "project" | "inherited";
export interface AgencyGrant {
  agency_id: string;
  role_id: string;
  scope_type: AgencyScope;
  scope_id: string;
}
const toAgencyGrant = (r: SqlRow): AgencyGrant => ({
  agency_id: text(r, "agency_id"),
  role_id: text(r, "role_id"),
  scope_type: oneOf(r, "scope_type", ["domain", "project", "inherited"] as const),
  scope_id: text(r, "scope_id"),
});

export interface CustomRoleInput {
  id: string;
  domainId: string;
  display_name: string;
  type: "AX" | "XA";
  description: string;
  description_cn: string;
  policy: PolicyDocument;
  now: number;
}

/** Typed statements over the policy tables; every write calls `changed` (IamStore's generation). */
export class PolicyStore {
  private readonly st: Record<string, Statement>;

  constructor(
    db: Database,
    private readonly changed: () => void,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      role: p("SELECT * FROM iam_custom_roles WHERE id = ?"),
      roles: p("SELECT * FROM iam_custom_roles WHERE domain_id = ? ORDER BY created_at, seq"),
      roleByName: p("SELECT * FROM iam_custom_roles WHERE domain_id = ? AND display_name = ?"),
      nextSeq: p("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM iam_custom_roles WHERE domain_id = ?"),
      insertRole: p(`INSERT INTO iam_custom_roles (id, domain_id, seq, display_name, type, description, description_cn,
        policy, created_at, updated_at) VALUES (@id, @domainId, @seq, @display_name, @type, @description, @description_cn,
        @policy, @now, @now)`),
      updateRole: p(`UPDATE iam_custom_roles SET display_name = @display_name, type = @type, description = @description,
        description_cn = @description_cn, policy = @policy, updated_at = @now WHERE id = @id`),
      deleteRole: p("DELETE FROM iam_custom_roles WHERE id = ?"),
      dropGroupGrantsOfRole: p("DELETE FROM iam_grants WHERE role_id = ?"),
      dropInheritedOfRole: p("DELETE FROM iam_inherited_grants WHERE role_id = ?"),
      dropAgencyGrantsOfRole: p("DELETE FROM iam_agency_grants WHERE role_id = ?"),
      grantInherited: p("INSERT OR IGNORE INTO iam_inherited_grants (group_id, role_id, domain_id) VALUES (?, ?, ?)"),
      revokeInherited: p("DELETE FROM iam_inherited_grants WHERE group_id = ? AND role_id = ?"),
      hasInherited: p("SELECT 1 FROM iam_inherited_grants WHERE group_id = ? AND role_id = ?"),
      inheritedOfGroup: p("SELECT role_id FROM iam_inherited_grants WHERE group_id = ? ORDER BY role_id"),
      inheritedOfUser: p(`SELECT DISTINCT i.role_id FROM iam_inherited_grants i JOIN iam_group_members m
        ON m.group_id = i.group_id WHERE m.user_id = ? ORDER BY i.role_id`),
      agency: p("SELECT * FROM iam_agencies WHERE id = ?"),
      agencies: p("SELECT * FROM iam_agencies WHERE domain_id = ? ORDER BY created_at, id"),
      agencyByName: p("SELECT * FROM iam_agencies WHERE domain_id = ? AND name = ?"),
      insertAgency: p(`INSERT INTO iam_agencies (id, domain_id, name, trust_domain_id, trust_domain_name, description,
        duration, created_at) VALUES (@id, @domain_id, @name, @trust_domain_id, @trust_domain_name, @description,
        @duration, @created_at)`),
      updateAgency: p(`UPDATE iam_agencies SET trust_domain_id = @trust_domain_id, trust_domain_name = @trust_domain_name,
        description = @description, duration = @duration WHERE id = @id`),
      deleteAgency: p("DELETE FROM iam_agencies WHERE id = ?"),
      grantAgency: p("INSERT OR IGNORE INTO iam_agency_grants (agency_id, role_id, scope_type, scope_id) VALUES (?, ?, ?, ?)"),
      revokeAgency: p("DELETE FROM iam_agency_grants WHERE agency_id = ? AND role_id = ? AND scope_type = ? AND scope_id = ?"),
      hasAgencyGrant: p("SELECT 1 FROM iam_agency_grants WHERE agency_id = ? AND role_id = ? AND scope_type = ? AND scope_id = ?"),
      agencyGrants: p("SELECT * FROM iam_agency_grants WHERE agency_id = ? ORDER BY scope_type, scope_id, role_id"),
      agencyGrantsInDomain: p(`SELECT g.* FROM iam_agency_grants g JOIN iam_agencies a ON a.id = g.agency_id
        WHERE a.domain_id = ? ORDER BY a.created_at, g.scope_type, g.role_id`),
    };
  }

  private s(name: string): Statement {
    const st = this.st[name];
    if (!st) throw new Error(`no statement ${name}`);
    return st;
  }

  // custom roles
  customRole(id: string): RoleRecord | undefined {
    return maybe(toCustomRole, this.s("role").get(id));
  }
  customRoles(domainId: string): RoleRecord[] {
    return all(toCustomRole, this.s("roles").all(domainId));
  }
  customRoleByName(domainId: string, displayName: string): RoleRecord | undefined {
    return maybe(toCustomRole, this.s("roleByName").get(domainId, displayName));
  }
  insertCustomRole(r: CustomRoleInput): void {
    this.changed();
    const seq = int(this.s("nextSeq").get(r.domainId) as SqlRow, "n");
    this.s("insertRole").run({ ...r, seq, policy: JSON.stringify(r.policy) });
  }
  updateCustomRole(r: Omit<CustomRoleInput, "domainId">): void {
    this.changed();
    this.s("updateRole").run({ ...r, policy: JSON.stringify(r.policy) });
  }
  /** Deletes a custom policy with every grant of it (to groups and agencies). */
  deleteCustomRole(id: string): void {
    this.changed();
    for (const st of ["dropGroupGrantsOfRole", "dropInheritedOfRole", "dropAgencyGrantsOfRole", "deleteRole"]) this.s(st).run(id);
  }

  // grants on all projects
  grantInherited(groupId: string, roleId: string, domainId: string): void {
    this.changed();
    this.s("grantInherited").run(groupId, roleId, domainId);
  }
  revokeInherited(groupId: string, roleId: string): boolean {
    this.changed();
    return this.s("revokeInherited").run(groupId, roleId).changes > 0;
  }
  hasInherited(groupId: string, roleId: string): boolean {
    return this.s("hasInherited").get(groupId, roleId) !== undefined;
  }
  inheritedOfGroup(groupId: string): string[] {
    return this.s("inheritedOfGroup").all(groupId).map((r) => text(r as SqlRow, "role_id"));
  }
  inheritedOfUser(userId: string): string[] {
    return this.s("inheritedOfUser").all(userId).map((r) => text(r as SqlRow, "role_id"));
  }

  // agencies
  agency(id: string): AgencyRow | undefined {
    return maybe(toAgency, this.s("agency").get(id));
  }
  agencies(domainId: string): AgencyRow[] {
    return all(toAgency, this.s("agencies").all(domainId));
  }
  agencyByName(domainId: string, name: string): AgencyRow | undefined {
    return maybe(toAgency, this.s("agencyByName").get(domainId, name));
  }
  insertAgency(a: AgencyRow): void {
    this.changed();
    this.s("insertAgency").run(a);
  }
  updateAgency(a: Pick<AgencyRow, "id" | "trust_domain_id" | "trust_domain_name" | "description" | "duration">): void {
    this.changed();
    this.s("updateAgency").run(a);
  }
  deleteAgency(id: string): void {
    this.changed();
    this.s("deleteAgency").run(id);
  }
  grantAgency(g: AgencyGrant): void {
    this.changed();
    this.s("grantAgency").run(g.agency_id, g.role_id, g.scope_type, g.scope_id);
  }
  revokeAgency(g: AgencyGrant): boolean {
    this.changed();
    return this.s("revokeAgency").run(g.agency_id, g.role_id, g.scope_type, g.scope_id).changes > 0;
  }
  hasAgencyGrant(g: AgencyGrant): boolean {
    return this.s("hasAgencyGrant").get(g.agency_id, g.role_id, g.scope_type, g.scope_id) !== undefined;
  }
  agencyGrants(agencyId: string): AgencyGrant[] {
    return all(toAgencyGrant, this.s("agencyGrants").all(agencyId));
  }
  agencyGrantsInDomain(domainId: string): AgencyGrant[] {
    return all(toAgencyGrant, this.s("agencyGrantsInDomain").all(domainId));
  }
}
