// Security groups and their rules, scoped by project.
import type { Statement } from "better-sqlite3";
import { all, asRow, maybe, text } from "../../../store/rows.ts";
import { anyOf, eq, type Page, type PageRequest, type Sql } from "./sql.ts";
import { toRule, toSecurityGroup, type RuleRow, type SecurityGroupRow, type Tag } from "./rows.ts";

export interface SecurityGroupFilter {
  ids?: string[];
  names?: string[];
  descriptions?: string[];
  vpcId?: string;
  enterpriseProjectId?: string;
}

export interface NewSecurityGroup {
  id: string;
  projectId: string;
  name: string;
  description: string;
  vpcId: string | null;
  enterpriseProjectId: string;
  isDefault: boolean;
  tags: Tag[];
  now: number;
}

export interface RuleFilter {
  ids?: string[];
  securityGroupIds?: string[];
  protocols?: string[];
  descriptions?: string[];
  remoteGroupIds?: string[];
  direction?: string;
  action?: string;
  remoteIpPrefix?: string;
  priorities?: number[];
  ethertypes?: string[];
  remoteAddressGroupIds?: string[];
  enabled?: boolean;
}

export type NewRule = Omit<RuleRow, "seq" | "created_at" | "updated_at"> & { dedupeKey: string; now: number };

// The many-ids form walks the id list first (CROSS JOIN fixes that order): one primary-key lookup per id.
const GROUP_NAME = "SELECT id, name FROM vpc_security_groups WHERE id = ? AND project_id = ?";
const GROUP_NAMES = `SELECT g.id, g.name FROM json_each(@ids) j
  CROSS JOIN vpc_security_groups g ON g.id = j.value AND g.project_id = @project_id`;

export class SecurityStore {
  private readonly names: { one: Statement; many: Statement };

  constructor(private readonly sql: Sql) {
    this.names = { one: sql.db.prepare(GROUP_NAME), many: sql.db.prepare(GROUP_NAMES) };
  }

  /** The names of the project's groups among ids (others are left out): one query for any number of ids. */
  groupNames(projectId: string, ids: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const rows =
      ids.length === 1 ? this.names.one.all(ids[0], projectId) : this.names.many.all({ project_id: projectId, ids: JSON.stringify(ids) });
    for (const row of rows) {
      const r = asRow(row);
      out.set(text(r, "id"), text(r, "name"));
    }
    return out;
  }

  group(projectId: string, id: string): SecurityGroupRow | undefined {
    return maybe(toSecurityGroup, this.sql.st("SELECT * FROM vpc_security_groups WHERE id = ? AND project_id = ?").get(id, projectId));
  }

  defaultGroup(projectId: string): SecurityGroupRow | undefined {
    return maybe(toSecurityGroup, this.sql.st("SELECT * FROM vpc_security_groups WHERE project_id = ? AND is_default = 1").get(projectId));
  }

  groups(projectId: string, filter: SecurityGroupFilter, page: PageRequest): Page<SecurityGroupRow> {
    return this.sql.page({
      select: "SELECT t.*",
      table: "vpc_security_groups",
      projectId,
      where: [
        ...anyOf("t.id", filter.ids),
        ...anyOf("t.name", filter.names),
        ...anyOf("t.description", filter.descriptions),
        ...eq("t.vpc_id", filter.vpcId),
        ...eq("t.enterprise_project_id", filter.enterpriseProjectId),
      ],
      page,
      map: toSecurityGroup,
    });
  }

  groupCount(projectId: string): number {
    return this.sql.count("vpc_security_groups", projectId);
  }

  insertGroup(g: NewSecurityGroup): void {
    this.sql
      .st(`INSERT INTO vpc_security_groups (id, project_id, name, description, vpc_id, enterprise_project_id, is_default, tags,
        created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(g.id, g.projectId, g.name, g.description, g.vpcId, g.enterpriseProjectId, g.isDefault ? 1 : 0, JSON.stringify(g.tags), g.now, g.now);
  }

  updateGroup(id: string, patch: { name?: string; description?: string }, now: number): void {
    this.sql
      .st("UPDATE vpc_security_groups SET name = coalesce(?, name), description = coalesce(?, description), updated_at = ? WHERE id = ?")
      .run(patch.name ?? null, patch.description ?? null, now, id);
  }

  /** Deletes the group with its rules and the rules of other groups that name it as remote group. */
  deleteGroup(id: string): void {
    this.sql.st("DELETE FROM vpc_security_groups WHERE id = ?").run(id);
  }

  /** Whether a port (or private IP) uses the group. */
  groupInUse(id: string): boolean {
    return this.sql.st("SELECT 1 FROM vpc_port_security_groups WHERE security_group_id = ? LIMIT 1").get(id) !== undefined;
  }

  rule(projectId: string, id: string): RuleRow | undefined {
    return maybe(toRule, this.sql.st("SELECT * FROM vpc_security_group_rules WHERE id = ? AND project_id = ?").get(id, projectId));
  }

  rulesOf(groupId: string): RuleRow[] {
    return all(toRule, this.sql.st("SELECT * FROM vpc_security_group_rules WHERE security_group_id = ? ORDER BY seq").all(groupId));
  }

  rules(projectId: string, filter: RuleFilter, page: PageRequest): Page<RuleRow> {
    return this.sql.page({
      select: "SELECT t.*",
      table: "vpc_security_group_rules",
      projectId,
      where: [
        ...anyOf("t.id", filter.ids),
        ...anyOf("t.security_group_id", filter.securityGroupIds),
        ...anyOf("t.protocol", filter.protocols),
        ...anyOf("t.description", filter.descriptions),
        ...anyOf("t.remote_group_id", filter.remoteGroupIds),
        ...eq("t.direction", filter.direction),
        ...eq("t.action", filter.action),
        ...eq("t.remote_ip_prefix", filter.remoteIpPrefix),
        ...anyOf("t.priority", filter.priorities),
        ...anyOf("t.ethertype", filter.ethertypes),
        ...anyOf("t.remote_address_group_id", filter.remoteAddressGroupIds),
        ...eq("t.enabled", filter.enabled === undefined ? undefined : filter.enabled ? 1 : 0),
      ],
      page,
      map: toRule,
    });
  }

  ruleCount(projectId: string): number {
    return this.sql.count("vpc_security_group_rules", projectId);
  }

  hasDuplicate(groupId: string, dedupeKey: string): boolean {
    return (
      this.sql.st("SELECT 1 FROM vpc_security_group_rules WHERE security_group_id = ? AND dedupe_key = ?").get(groupId, dedupeKey) !==
      undefined
    );
  }

  insertRule(r: NewRule): void {
    this.sql
      .st(`INSERT INTO vpc_security_group_rules (id, project_id, security_group_id, direction, ethertype, protocol, port_range_min,
        port_range_max, multiport, remote_ip_prefix, remote_group_id, remote_address_group_id, description, action, priority,
        enabled, dedupe_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        r.id,
        r.project_id,
        r.security_group_id,
        r.direction,
        r.ethertype,
        r.protocol,
        r.port_range_min,
        r.port_range_max,
        r.multiport,
        r.remote_ip_prefix,
        r.remote_group_id,
        r.remote_address_group_id,
        r.description,
        r.action,
        r.priority,
        r.enabled ? 1 : 0,
        r.dedupeKey,
        r.now,
        r.now,
      );
  }

  deleteRule(id: string): void {
    this.sql.st("DELETE FROM vpc_security_group_rules WHERE id = ?").run(id);
  }
}
