// The servers table (created by ECS_MIGRATIONS in store.ts): typed rows and the statements that the server
// operations build on. A deleted server keeps its row with status DELETED; reads that mean "the servers
// that exist" leave those out.
import type { Database, Statement } from "better-sqlite3";
import { all, asRow, flag, int, intOrNull, jsonStrings, maybe, oneOf, RowError, text, textOrNull, type SqlRow } from "../../store/rows.ts";

/** ECS v1 `status` values [ECS-doc 云服务器状态]. */
export const SERVER_STATUSES = [
  "BUILD",
  "REBOOT",
  "HARD_REBOOT",
  "REBUILD",
  "MIGRATING",
  "RESIZE",
  "ACTIVE",
  "SHUTOFF",
  "REVERT_RESIZE",
  "VERIFY_RESIZE",
  "ERROR",
  "DELETED",
  "SHELVED",
  "SHELVED_OFFLOADED",
  "UNKNOWN",
] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];

/** `OS-EXT-STS:vm_state` values. */
export const VM_STATES = ["building", "active", "stopped", "resized", "error", "deleted", "shelved", "shelved_offloaded"] as const;
export type VmState = (typeof VM_STATES)[number];

/** `OS-EXT-STS:power_state`: 0 NOSTATE, 1 RUNNING, 3 PAUSED, 4 SHUTDOWN, 6 CRASHED, 7 SUSPENDED. */
export type PowerState = 0 | 1 | 3 | 4 | 6 | 7;
const POWER_STATES: readonly number[] = [0, 1, 3, 4, 6, 7];

export interface ServerTag {
  key: string;
  value: string;
}

export interface ServerRow {
  id: string;
  project_id: string;
  /** The IAM user who created it (ServerDetail.user_id). */
  user_id: string;
  name: string;
  description: string;
  status: ServerStatus;
  vm_state: VmState;
  /** null when idle. */
  task_state: string | null;
  power_state: PowerState;
  flavor_id: string;
  image_id: string;
  vpc_id: string;
  availability_zone: string;
  key_name: string | null;
  /** Base64, as the request carried it. */
  user_data: string | null;
  metadata: Record<string, string>;
  tags: ServerTag[];
  security_group_ids: string[];
  root_volume_id: string | null;
  server_group_id: string | null;
  /** ServerDetail.hostId. */
  host_id: string;
  /** OS-EXT-SRV-ATTR:instance_name, "instance-0000002a": assigned by insert. */
  instance_name: string;
  /** OS-EXT-SRV-ATTR:reservation_id, shared by the servers of one create request. */
  reservation_id: string;
  launch_index: number;
  enterprise_project_id: string;
  /** X-Client-Token of the create request (idempotency), shared by a batch. */
  client_token: string | null;
  locked: boolean;
  /** ServerDetail.fault of a server in ERROR: {code, message, created, details}. */
  fault: Record<string, unknown> | null;
  created_at: number;
  updated_at: number;
  launched_at: number | null;
  terminated_at: number | null;
}

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
  >
>;

export interface ServerResource {
  kind: "publicip" | "root_volume" | "data_volume";
  resourceId: string;
  deleteOnTermination: boolean;
}

/** What servers hold in other services (EIPs, volumes), so that deleting a server frees them as asked. */
export class ServerResourcesTable {
  private readonly st: Record<"add" | "of" | "forget" | "token" | "saveToken", Statement>;

  constructor(db: Database) {
    this.st = {
      add: db.prepare(`INSERT OR REPLACE INTO ecs_server_resources (server_id, kind, resource_id, delete_on_termination)
        VALUES (?, ?, ?, ?)`),
      of: db.prepare("SELECT * FROM ecs_server_resources WHERE server_id = ? ORDER BY rowid"),
      forget: db.prepare("DELETE FROM ecs_server_resources WHERE server_id = ?"),
      token: db.prepare("SELECT job_id, server_ids FROM ecs_client_tokens WHERE project_id = ? AND token = ?"),
      saveToken: db.prepare(`INSERT INTO ecs_client_tokens (project_id, token, job_id, server_ids, created_at)
        VALUES (?, ?, ?, ?, ?)`),
    };
  }

  add(serverId: string, r: ServerResource): void {
    this.st.add.run(serverId, r.kind, r.resourceId, r.deleteOnTermination ? 1 : 0);
  }

  of(serverId: string): ServerResource[] {
    return this.st.of.all(serverId).map((row) => {
      const r = asRow(row);
      return {
        kind: oneOf(r, "kind", ["publicip", "root_volume", "data_volume"] as const),
        resourceId: text(r, "resource_id"),
        deleteOnTermination: flag(r, "delete_on_termination"),
      };
    });
  }

  forget(serverId: string): void {
    this.st.forget.run(serverId);
  }

  /** The answer a create request with this X-Client-Token got, if one was made. */
  clientToken(projectId: string, token: string): { jobId: string; serverIds: string[] } | undefined {
    const row = this.st.token.get(projectId, token);
    if (row === undefined) return undefined;
    const r = asRow(row);
    return { jobId: text(r, "job_id"), serverIds: jsonStrings(r, "server_ids") };
  }

  saveClientToken(projectId: string, token: string, jobId: string, serverIds: string[], now: number): void {
    this.st.saveToken.run(projectId, token, jobId, JSON.stringify(serverIds), now);
  }
}

export type NewServer = Omit<ServerRow, "instance_name" | "updated_at" | "locked" | "fault" | "launched_at" | "terminated_at"> &
  Partial<Pick<ServerRow, "locked" | "fault" | "launched_at">>;

function jsonValue(r: SqlRow, k: string): unknown {
  return JSON.parse(text(r, k));
}

function stringMap(r: SqlRow, k: string): Record<string, string> {
  const v = jsonValue(r, k);
  if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === "string")) {
    throw new RowError(`column ${k} is not a JSON object of strings`);
  }
  return v as Record<string, string>;
}

function tagList(r: SqlRow, k: string): ServerTag[] {
  const v = jsonValue(r, k);
  const isTag = (t: unknown): t is ServerTag =>
    typeof t === "object" && t !== null && typeof (t as ServerTag).key === "string" && typeof (t as ServerTag).value === "string";
  if (!Array.isArray(v) || !v.every(isTag)) throw new RowError(`column ${k} is not a JSON tag list`);
  return v;
}

function objectOrNull(r: SqlRow, k: string): Record<string, unknown> | null {
  const s = textOrNull(r, k);
  if (s === null) return null;
  const v: unknown = JSON.parse(s);
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new RowError(`column ${k} is not a JSON object`);
  return v as Record<string, unknown>;
}

const toServer = (r: SqlRow): ServerRow => {
  const power = int(r, "power_state");
  if (!POWER_STATES.includes(power)) throw new RowError(`column power_state has unexpected value ${power}`);
  return {
    id: text(r, "id"),
    project_id: text(r, "project_id"),
    user_id: text(r, "user_id"),
    name: text(r, "name"),
    description: text(r, "description"),
    status: oneOf(r, "status", SERVER_STATUSES),
    vm_state: oneOf(r, "vm_state", VM_STATES),
    task_state: textOrNull(r, "task_state"),
    power_state: power as PowerState,
    flavor_id: text(r, "flavor_id"),
    image_id: text(r, "image_id"),
    vpc_id: text(r, "vpc_id"),
    availability_zone: text(r, "availability_zone"),
    key_name: textOrNull(r, "key_name"),
    user_data: textOrNull(r, "user_data"),
    metadata: stringMap(r, "metadata"),
    tags: tagList(r, "tags"),
    security_group_ids: jsonStrings(r, "security_group_ids"),
    root_volume_id: textOrNull(r, "root_volume_id"),
    server_group_id: textOrNull(r, "server_group_id"),
    host_id: text(r, "host_id"),
    instance_name: text(r, "instance_name"),
    reservation_id: text(r, "reservation_id"),
    launch_index: int(r, "launch_index"),
    enterprise_project_id: text(r, "enterprise_project_id"),
    client_token: textOrNull(r, "client_token"),
    locked: flag(r, "locked"),
    fault: objectOrNull(r, "fault"),
    created_at: int(r, "created_at"),
    updated_at: int(r, "updated_at"),
    launched_at: intOrNull(r, "launched_at"),
    terminated_at: intOrNull(r, "terminated_at"),
  };
};

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
}

export interface ServerPage {
  /** Page number, counted from 1 (ECS's `offset`; 0 is read as 1). */
  page: number;
  limit: number;
}

const NOT_DELETED = "status <> 'DELETED'";

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
      get: db.prepare("SELECT * FROM ecs_servers WHERE project_id = ? AND id = ?"),
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
      byToken: db.prepare(
        "SELECT * FROM ecs_servers WHERE project_id = ? AND client_token = ? ORDER BY launch_index, rowid",
      ),
      members: db.prepare(
        `SELECT id FROM ecs_servers WHERE project_id = ? AND server_group_id = ? AND ${NOT_DELETED} ORDER BY created_at, rowid`,
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

  /** One server of the project, DELETED ones included (the caller decides what a deleted server answers). */
  get(projectId: string, id: string): ServerRow | undefined {
    return maybe(toServer, this.st.get.get(projectId, id));
  }

  /** The servers a create request with this X-Client-Token made, in launch order. */
  byClientToken(projectId: string, clientToken: string): ServerRow[] {
    return all(toServer, this.st.byToken.all(projectId, clientToken));
  }

  /** Ids of the existing servers in a server group. */
  membersOfGroup(projectId: string, groupId: string): string[] {
    return this.st.members.all(projectId, groupId).map((r) => text(asRow(r), "id"));
  }

  /** Forgets a deleted group in its servers. */
  leaveGroup(projectId: string, groupId: string): void {
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
    } else where.push(NOT_DELETED);
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
      .prepared(`SELECT * FROM ecs_servers WHERE ${cond} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @skip`)
      .all({ ...params, limit: page.limit, skip: (Math.max(1, page.page) - 1) * page.limit });
    return { servers: all(toServer, rows), count };
  }
}
