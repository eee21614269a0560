// A server row of ecs_servers (created by ECS_MIGRATIONS in store.ts) and its reader. Reads select the
// columns by name in raw mode (arrays, not objects: a 32-column object costs better-sqlite3 about twice the
// array) and this file maps them by position into a ServerRow, checking each column as rows.ts does.
import { RowError } from "../../store/rows.ts";

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
  /** When DeleteServers put it in the recycle bin, or null. */
  recycled_at: number | null;
}

/** The columns of ecs_servers, in the order the raw reads select them. */
const COLUMNS = [
  "id", "project_id", "user_id", "name", "description", "status", "vm_state", "task_state", "power_state",
  "flavor_id", "image_id", "vpc_id", "availability_zone", "key_name", "user_data", "metadata", "tags",
  "security_group_ids", "root_volume_id", "server_group_id", "host_id", "instance_name", "reservation_id",
  "launch_index", "enterprise_project_id", "client_token", "locked", "fault", "created_at", "updated_at",
  "launched_at", "terminated_at", "recycled_at",
] as const satisfies readonly (keyof ServerRow)[];
type Column = (typeof COLUMNS)[number];

/** `SELECT ${SERVER_COLUMNS} FROM ecs_servers …` in raw mode, mapped by toServer. */
export const SERVER_COLUMNS: string = COLUMNS.join(", ");

const AT = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<Column, number>;

function text(v: readonly unknown[], c: Column): string {
  const x = v[AT[c]];
  if (typeof x !== "string") throw new RowError(`column ${c} is not text`);
  return x;
}

function textOrNull(v: readonly unknown[], c: Column): string | null {
  const x = v[AT[c]];
  if (x !== null && typeof x !== "string") throw new RowError(`column ${c} is not text or null`);
  return x;
}

function int(v: readonly unknown[], c: Column): number {
  const x = v[AT[c]];
  if (typeof x !== "number") throw new RowError(`column ${c} is not a number`);
  return x;
}

function intOrNull(v: readonly unknown[], c: Column): number | null {
  const x = v[AT[c]];
  if (x !== null && typeof x !== "number") throw new RowError(`column ${c} is not a number or null`);
  return x;
}

function oneOf<T extends string>(v: readonly unknown[], c: Column, values: readonly T[]): T {
  const x = text(v, c);
  if (!(values as readonly string[]).includes(x)) throw new RowError(`column ${c} has unexpected value ${x}`);
  return x as T;
}

function stringMap(v: readonly unknown[], c: Column): Record<string, string> {
  const x: unknown = JSON.parse(text(v, c));
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw new RowError(`column ${c} is not a JSON object of strings`);
  for (const k in x) if (typeof (x as Record<string, unknown>)[k] !== "string") throw new RowError(`column ${c} is not a JSON object of strings`);
  return x as Record<string, string>;
}

function strings(v: readonly unknown[], c: Column): string[] {
  const x: unknown = JSON.parse(text(v, c));
  if (!Array.isArray(x) || !x.every((s) => typeof s === "string")) throw new RowError(`column ${c} is not a JSON string array`);
  return x;
}

const isTag = (t: unknown): t is ServerTag =>
  typeof t === "object" && t !== null && typeof (t as ServerTag).key === "string" && typeof (t as ServerTag).value === "string";

function tagList(v: readonly unknown[], c: Column): ServerTag[] {
  const x: unknown = JSON.parse(text(v, c));
  if (!Array.isArray(x) || !x.every(isTag)) throw new RowError(`column ${c} is not a JSON tag list`);
  return x;
}

function objectOrNull(v: readonly unknown[], c: Column): Record<string, unknown> | null {
  const s = textOrNull(v, c);
  if (s === null) return null;
  const x: unknown = JSON.parse(s);
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw new RowError(`column ${c} is not a JSON object`);
  return x as Record<string, unknown>;
}

/** One raw row of `SELECT ${SERVER_COLUMNS}` as a ServerRow. */
export function toServer(row: unknown): ServerRow {
  if (!Array.isArray(row) || row.length !== COLUMNS.length) throw new RowError("not a server row");
  const v: readonly unknown[] = row;
  const power = int(v, "power_state");
  if (!POWER_STATES.includes(power)) throw new RowError(`column power_state has unexpected value ${power}`);
  return {
    id: text(v, "id"),
    project_id: text(v, "project_id"),
    user_id: text(v, "user_id"),
    name: text(v, "name"),
    description: text(v, "description"),
    status: oneOf(v, "status", SERVER_STATUSES),
    vm_state: oneOf(v, "vm_state", VM_STATES),
    task_state: textOrNull(v, "task_state"),
    power_state: power as PowerState,
    flavor_id: text(v, "flavor_id"),
    image_id: text(v, "image_id"),
    vpc_id: text(v, "vpc_id"),
    availability_zone: text(v, "availability_zone"),
    key_name: textOrNull(v, "key_name"),
    user_data: textOrNull(v, "user_data"),
    metadata: stringMap(v, "metadata"),
    tags: tagList(v, "tags"),
    security_group_ids: strings(v, "security_group_ids"),
    root_volume_id: textOrNull(v, "root_volume_id"),
    server_group_id: textOrNull(v, "server_group_id"),
    host_id: text(v, "host_id"),
    instance_name: text(v, "instance_name"),
    reservation_id: text(v, "reservation_id"),
    launch_index: int(v, "launch_index"),
    enterprise_project_id: text(v, "enterprise_project_id"),
    client_token: textOrNull(v, "client_token"),
    locked: int(v, "locked") === 1,
    fault: objectOrNull(v, "fault"),
    created_at: int(v, "created_at"),
    updated_at: int(v, "updated_at"),
    launched_at: intOrNull(v, "launched_at"),
    terminated_at: intOrNull(v, "terminated_at"),
    recycled_at: intOrNull(v, "recycled_at"),
  };
}
