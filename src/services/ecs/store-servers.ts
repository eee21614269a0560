// The servers table (created by ECS_MIGRATIONS in store.ts): the statements that the server operations
// build on (rows and their reader are in server-row.ts). A deleted server keeps its row with status DELETED;
// reads that mean "the servers that exist" leave those out.
import type { Database, Statement } from "better-sqlite3";
import { asRow, int, text } from "../../store/rows.ts";
import { deepFreeze } from "../../store/rows.ts";
import { SERVER_COLUMNS, toServer, type ServerRow, type ServerStatus } from "./server-row.ts";

export { SERVER_STATUSES, VM_STATES, type PowerState, type ServerRow, type ServerStatus, type ServerTag, type VmState } from "./server-row.ts";

/** The columns a server operation or job step may change. */
export type ServerPatch = Partial<
  Pick<
    ServerRow,
    | "name"
    | "description"
    | "status"
    | "vm_state"
    | "task_state"
    | "power_state"
    | "metadata"
    | "tags"
    | "root_volume_id"
    | "fault"
    | "launched_at"
    | "terminated_at"
    | "user_data"
    | "flavor_id"
    | "image_id"
    | "key_name"
    | "server_group_id"
    | "host_id"
    | "recycled_at"
    | "vpc_id"
    | "security_group_ids"
  >
>;

export type NewServer = Omit<ServerRow, "instance_name" | "updated_at" | "locked" | "fault" | "launched_at" | "terminated_at" | "recycled_at"> &
  Partial<Pick<ServerRow, "locked" | "fault" | "launched_at">>;

/** ListServersDetails filters that the table answers itself (ip filters need the VPC ports). */
export interface ServerFilters {
  /** server_id: exact ids; Huawei lets it override the other filters, the caller decides. */
  ids?: string[];
  /** Substring of the name (Huawei's fuzzy match). */
  name?: string;
  /** Exact status; without it DELETED servers are left out. */
  status?: ServerStatus;
  flavorId?: string;
  reservationId?: string;
  availabilityZone?: string;
  enterpriseProjectId?: string;
  /** Each "key" or "key=value" must be among the server's tags. */
  tags?: string[];
  /** Servers having any of these "key" / "key=value" tags are left out. */
  notTags?: string[];
  /** The servers in the recycle bin instead of the others (without status). */
  recycled?: boolean;
}

export interface ServerPage {
  /** Page number, counted from 1 (ECS's `offset`; 0 is read as 1). */
  page: number;
  limit: number;
}

const NOT_DELETED = "status <> 'DELETED'";
/** Servers the server APIs show: existing and not in the recycle bin. */
const VISIBLE = "status <> 'DELETED' AND recycled_at IS NULL";

function tagClause(param: string): string {
  return `EXISTS (SELECT 1 FROM json_each(tags) t WHERE json_extract(t.value, '$.key') = @${param}_k
    AND (@${param}_v IS NULL OR json_extract(t.value, '$.value') = @${param}_v))`;
}

function splitTag(tag: string): [string, string | null] {
  const eq = tag.indexOf("=");
  return eq < 0 ? [tag, null] : [tag.slice(0, eq), tag.slice(eq + 1)];
}

export class ServersTable {
  private readonly st: Record<"get" | "count" | "insert" | "byToken" | "members" | "leaveGroup" | "flavorUsage", Statement>;

  constructor(private readonly db: Database) {
    this.st = {
      get: db.prepare(`SELECT ${SERVER_COLUMNS} FROM ecs_servers WHERE project_id = ? AND id = ?`).raw(),
      count: db.prepare(`SELECT COUNT(*) AS n FROM ecs_servers WHERE project_id = ? AND ${NOT_DELETED}`),
      insert: db.prepare(`INSERT INTO ecs_servers (id, project_id, user_id, name, description, status, vm_state, task_state,
        power_state, flavor_id, image_id, vpc_id, availability_zone, key_name, user_data, metadata, tags, security_group_ids,
        root_volume_id, server_group_id, host_id, instance_name, reservation_id, launch_index, enterprise_project_id,
        client_token, locked, fault, created_at, updated_at, launched_at)
        VALUES (@id, @project_id, @user_id, @name, @description, @status, @vm_state, @task_state, @power_state, @flavor_id,
        @image_id, @vpc_id, @availability_zone, @key_name, @user_data, @metadata, @tags, @security_group_ids,
        @root_volume_id, @server_group_id, @host_id,
        printf('instance-%08x', (SELECT COALESCE(MAX(rowid), 0) + 1 FROM ecs_servers)),
        @reservation_id, @launch_index, @enterprise_project_id, @client_token, @locked, @fault, @created_at, @created_at,
        @launched_at)`),
      byToken: db
        .prepare(`SELECT ${SERVER_COLUMNS} FROM ecs_servers WHERE project_id = ? AND client_token = ? ORDER BY launch_index, rowid`)
        .raw(),
      members: db.prepare(
        `SELECT id FROM ecs_servers WHERE project_id = ? AND server_group_id = ? AND ${VISIBLE} ORDER BY created_at, rowid`,
      ),
      leaveGroup: db.prepare("UPDATE ecs_servers SET server_group_id = NULL WHERE project_id = ? AND server_group_id = ?"),
      flavorUsage: db.prepare(
        `SELECT flavor_id, COUNT(*) AS n FROM ecs_servers WHERE project_id = ? AND ${NOT_DELETED} GROUP BY flavor_id`,
      ),
    };
  }

  /** Servers that exist (not DELETED) in the project: the instances quota's "used". */
  countInProject(projectId: string): number {
    return int(asRow(this.st.count.get(projectId)), "n");
  }

  /** Existing servers per flavor, from which cores and RAM used are summed. */
  flavorUsage(projectId: string): { flavorId: string; count: number }[] {
    return this.st.flavorUsage.all(projectId).map((r) => ({ flavorId: text(asRow(r), "flavor_id"), count: int(asRow(r), "n") }));
  }

  /** Inserts a server and returns it as stored (with its instance name). */
  insert(s: NewServer): ServerRow {
    this.rows.clear();
    this.st.insert.run({
      ...s,
      metadata: JSON.stringify(s.metadata),
      tags: JSON.stringify(s.tags),
      security_group_ids: JSON.stringify(s.security_group_ids),
      locked: s.locked ? 1 : 0,
      fault: s.fault ? JSON.stringify(s.fault) : null,
      launched_at: s.launched_at ?? null,
    });
    return this.get(s.project_id, s.id)!;
  }

  /**
   * Parsed rows read outside a transaction, frozen, kept until the next write to the table or a reset:
   * reads of one server repeat (ShowServer polling, list then show) and parsing its 31 columns and JSON was
   * the largest part of a ShowServer. Reads inside a transaction neither use nor fill it, so a savepoint
   * that rolls back never leaves a row here that the database no longer has.
   */
  private readonly rows = new Map<string, ServerRow>();

  /** Drops the parsed rows (every write, and a reset). */
  forget(): void {
    this.rows.clear();
  }

  /** One server of the project, DELETED ones included (the caller decides what a deleted server answers). */
  get(projectId: string, id: string): ServerRow | undefined {
    const cacheable = !this.db.inTransaction;
    const key = `${projectId}/${id}`;
    if (cacheable) {
      const hit = this.rows.get(key);
      if (hit) return hit;
    }
    const row = this.st.get.get(projectId, id);
    if (row === undefined) return undefined;
    const server = toServer(row);
    if (cacheable) {
      if (this.rows.size >= 10_000) this.rows.clear();
      this.rows.set(key, deepFreeze(server));
    }
    return server;
  }

  /** A server the server APIs show: not DELETED and not in the recycle bin. */
  visible(projectId: string, id: string): ServerRow | undefined {
    const s = this.get(projectId, id);
    return s && s.status !== "DELETED" && s.recycled_at === null ? s : undefined;
  }

  /** The servers a create request with this X-Client-Token made, in launch order. */
  byClientToken(projectId: string, clientToken: string): ServerRow[] {
    return this.st.byToken.all(projectId, clientToken).map(toServer);
  }

  /** Ids of the existing servers in a server group. */
  membersOfGroup(projectId: string, groupId: string): string[] {
    return this.st.members.all(projectId, groupId).map((r) => text(asRow(r), "id"));
  }

  /** Forgets a deleted group in its servers. */
  leaveGroup(projectId: string, groupId: string): void {
    this.rows.clear();
    this.st.leaveGroup.run(projectId, groupId);
  }

  /** Statements built from the columns a call uses, prepared once per distinct SQL text. */
  private readonly statements = new Map<string, Statement>();

  private prepared(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      if (this.statements.size >= 200) this.statements.clear();
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** Changes a server's state and fields; JSON columns are written from their values. */
  update(projectId: string, id: string, patch: ServerPatch, now: number): void {
    this.rows.clear();
    const sets = ["updated_at = @updated_at"];
    const params: Record<string, string | number | null> = { project_id: projectId, id, updated_at: now };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      sets.push(`${k} = @${k}`);
      params[k] = v === null || typeof v === "string" || typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : JSON.stringify(v);
    }
    this.prepared(`UPDATE ecs_servers SET ${sets.join(", ")} WHERE project_id = @project_id AND id = @id`).run(params);
  }

  /** One page of a project's servers, newest first, and how many match in all (ECS's `count`). */
  list(projectId: string, filters: ServerFilters, page: ServerPage): { servers: ServerRow[]; count: number } {
    const where: string[] = ["project_id = @project_id"];
    const params: Record<string, string | number | null> = { project_id: projectId };
    if (filters.ids !== undefined) {
      const names = filters.ids.map((id, i) => {
        params[`id${i}`] = id;
        return `@id${i}`;
      });
      where.push(names.length ? `id IN (${names.join(", ")})` : "0");
    }
    if (filters.status !== undefined) {
      where.push("status = @status");
      params.status = filters.status;
    } else where.push(filters.recycled ? `${NOT_DELETED} AND recycled_at IS NOT NULL` : VISIBLE);
    if (filters.name !== undefined) {
      where.push("instr(name, @name) > 0");
      params.name = filters.name;
    }
    const exact: [keyof ServerFilters, string][] = [
      ["flavorId", "flavor_id"],
      ["reservationId", "reservation_id"],
      ["availabilityZone", "availability_zone"],
      ["enterpriseProjectId", "enterprise_project_id"],
    ];
    for (const [key, column] of exact) {
      const v = filters[key];
      if (typeof v !== "string") continue;
      where.push(`${column} = @${column}`);
      params[column] = v;
    }
    (filters.tags ?? []).forEach((tag, i) => {
      [params[`tag${i}_k`], params[`tag${i}_v`]] = splitTag(tag);
      where.push(tagClause(`tag${i}`));
    });
    const notTags = (filters.notTags ?? []).map((tag, i) => {
      [params[`not${i}_k`], params[`not${i}_v`]] = splitTag(tag);
      return tagClause(`not${i}`);
    });
    if (notTags.length) where.push(`NOT (${notTags.join(" OR ")})`);

    const cond = where.join(" AND ");
    const count = int(asRow(this.prepared(`SELECT COUNT(*) AS n FROM ecs_servers WHERE ${cond}`).get(params)), "n");
    const rows = this
      .prepared(`SELECT ${SERVER_COLUMNS} FROM ecs_servers WHERE ${cond} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @skip`)
      .raw()
      .all({ ...params, limit: page.limit, skip: (Math.max(1, page.page) - 1) * page.limit });
    return { servers: rows.map(toServer), count };
  }
}
