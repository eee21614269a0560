// EVS's tables: volumes and their attachments. Rows are parsed here into typed records; every query names
// the project, except the job runners' lookups by the project their job carries.
import type { Database, Statement } from "better-sqlite3";
import { all, asRow, flag, int, intOrNull, maybe, oneOf, RowError, text, textOrNull, type SqlRow } from "../../store/rows.ts";
import { SNAPSHOTS_MIGRATION, SnapshotsTable } from "./store-snapshots.ts";
import { TRANSFERS_MIGRATION, TransfersTable } from "./store-transfers.ts";

export const VOLUME_STATUSES = [
  "creating", "available", "in-use", "error", "attaching", "detaching", "restoring-backup", "backing-up",
  "error_restoring", "uploading", "downloading", "extending", "error_extending", "deleting", "error_deleting",
  "rollbacking", "error_rollbacking", "awaiting-transfer",
] as const;
export type VolumeStatus = (typeof VOLUME_STATUSES)[number];

export const EVS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE evs_volumes (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
    status TEXT NOT NULL, size INTEGER NOT NULL, new_size INTEGER, volume_type TEXT NOT NULL,
    availability_zone TEXT NOT NULL, bootable INTEGER NOT NULL, multiattach INTEGER NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}', tags TEXT NOT NULL DEFAULT '{}', image TEXT,
    enterprise_project_id TEXT NOT NULL DEFAULT '0', user_id TEXT,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX evs_volumes_project ON evs_volumes(project_id, created_at);
  CREATE TABLE evs_attachments (
    id TEXT PRIMARY KEY, volume_id TEXT NOT NULL REFERENCES evs_volumes(id) ON DELETE CASCADE,
    server_id TEXT NOT NULL, device TEXT NOT NULL, host_name TEXT, attached_at INTEGER NOT NULL, UNIQUE (volume_id, server_id));
  CREATE INDEX evs_attachments_server ON evs_attachments(server_id);
  `,
  // Quota usage per project, kept by triggers in the same transactions as the volume rows (so a rolled-back
  // job step rolls it back too): checking the quota no longer sums every volume of the project.
  `
  CREATE TABLE evs_usage (project_id TEXT PRIMARY KEY, volumes INTEGER NOT NULL, gigabytes INTEGER NOT NULL);
  INSERT INTO evs_usage (project_id, volumes, gigabytes)
    SELECT project_id, COUNT(*), SUM(MAX(size, COALESCE(new_size, 0))) FROM evs_volumes GROUP BY project_id;
  CREATE TRIGGER evs_usage_insert AFTER INSERT ON evs_volumes BEGIN
    INSERT INTO evs_usage (project_id, volumes, gigabytes) VALUES (NEW.project_id, 1, MAX(NEW.size, COALESCE(NEW.new_size, 0)))
      ON CONFLICT (project_id) DO UPDATE SET volumes = volumes + 1, gigabytes = gigabytes + excluded.gigabytes;
  END;
  CREATE TRIGGER evs_usage_delete AFTER DELETE ON evs_volumes BEGIN
    UPDATE evs_usage SET volumes = volumes - 1, gigabytes = gigabytes - MAX(OLD.size, COALESCE(OLD.new_size, 0))
      WHERE project_id = OLD.project_id;
  END;
  CREATE TRIGGER evs_usage_resize AFTER UPDATE OF size, new_size ON evs_volumes BEGIN
    UPDATE evs_usage SET gigabytes = gigabytes - MAX(OLD.size, COALESCE(OLD.new_size, 0)) + MAX(NEW.size, COALESCE(NEW.new_size, 0))
      WHERE project_id = NEW.project_id;
  END;
  `,
  TRANSFERS_MIGRATION,
  SNAPSHOTS_MIGRATION,
  // The snapshot a volume was made from, which the volume shows as snapshot_id.
  "ALTER TABLE evs_volumes ADD COLUMN snapshot_id TEXT;",
];

export type StringMap = Record<string, string>;

function jsonMap(r: SqlRow, k: string): StringMap {
  const v: unknown = JSON.parse(text(r, k));
  if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === "string")) {
    throw new RowError(`column ${k} is not a JSON object of strings`);
  }
  return v as StringMap;
}

export interface VolumeRow {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  status: VolumeStatus;
  size: number;
  /** The size an extension in progress leads to. */
  newSize: number | null;
  volumeType: string;
  availabilityZone: string;
  bootable: boolean;
  multiattach: boolean;
  metadata: StringMap;
  tags: StringMap;
  /** volume_image_metadata of a volume made from an image. */
  image: StringMap | null;
  /** The snapshot the volume was made from. */
  snapshotId: string | null;
  enterpriseProjectId: string;
  userId: string | null;
  createdAt: number;
  updatedAt: number;
}

const toVolume = (r: SqlRow): VolumeRow => ({
  id: text(r, "id"),
  projectId: text(r, "project_id"),
  name: text(r, "name"),
  description: textOrNull(r, "description"),
  status: oneOf(r, "status", VOLUME_STATUSES),
  size: int(r, "size"),
  newSize: intOrNull(r, "new_size"),
  volumeType: text(r, "volume_type"),
  availabilityZone: text(r, "availability_zone"),
  bootable: flag(r, "bootable"),
  multiattach: flag(r, "multiattach"),
  metadata: jsonMap(r, "metadata"),
  tags: jsonMap(r, "tags"),
  image: r.image === null ? null : jsonMap(r, "image"),
  snapshotId: textOrNull(r, "snapshot_id"),
  enterpriseProjectId: text(r, "enterprise_project_id"),
  userId: textOrNull(r, "user_id"),
  createdAt: int(r, "created_at"),
  updatedAt: int(r, "updated_at"),
});

export interface AttachmentRow {
  id: string;
  volumeId: string;
  serverId: string;
  device: string;
  hostName: string | null;
  attachedAt: number;
}

const toAttachment = (r: SqlRow): AttachmentRow => ({
  id: text(r, "id"),
  volumeId: text(r, "volume_id"),
  serverId: text(r, "server_id"),
  device: text(r, "device"),
  hostName: textOrNull(r, "host_name"),
  attachedAt: int(r, "attached_at"),
});

export interface NewVolume {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  status: VolumeStatus;
  size: number;
  volumeType: string;
  availabilityZone: string;
  bootable: boolean;
  multiattach: boolean;
  metadata: StringMap;
  tags: StringMap;
  image: StringMap | null;
  snapshotId?: string | null;
  enterpriseProjectId: string;
  userId: string | null;
  now: number;
}

export interface VolumePatch {
  name?: string;
  description?: string;
  metadata?: StringMap;
  tags?: StringMap;
}

type St =
  | "get" | "list" | "insert" | "update" | "status" | "beginExtend" | "finishExtend" | "remove" | "usage"
  | "attachmentsOfVolume" | "attachmentsOfProject" | "attachmentsOfServer" | "attach" | "detach"
  | "disksOfServer" | "disksOfServers";

/** Where a volume of the project is attached to a server: what a server's detail lists. */
export interface ServerDiskRow {
  serverId: string;
  volumeId: string;
  device: string;
}

const toServerDisk = (r: SqlRow): ServerDiskRow => ({
  serverId: text(r, "server_id"),
  volumeId: text(r, "volume_id"),
  device: text(r, "device"),
});

export interface EvsQuota {
  volumes: number;
  gigabytes: number;
}

export class EvsStore {
  private readonly st: Record<St, Statement>;
  /** Cinder's volume transfers. */
  readonly transfers: TransfersTable;
  /** Cinder's volume snapshots. */
  readonly snapshots: SnapshotsTable;

  /** The per-project quota; round figures of ours (Huawei's defaults differ by account and region). */
  constructor(
    readonly db: Database,
    readonly quota: EvsQuota = { volumes: 200, gigabytes: 100_000 },
  ) {
    this.transfers = new TransfersTable(db);
    this.snapshots = new SnapshotsTable(db);
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      get: p("SELECT * FROM evs_volumes WHERE project_id = ? AND id = ?"),
      list: p("SELECT * FROM evs_volumes WHERE project_id = ? ORDER BY created_at, id"),
      insert: p(`INSERT INTO evs_volumes (id, project_id, name, description, status, size, volume_type, availability_zone,
        bootable, multiattach, metadata, tags, image, snapshot_id, enterprise_project_id, user_id, created_at, updated_at)
        VALUES (@id, @project_id, @name, @description, @status, @size, @volume_type, @availability_zone, @bootable,
        @multiattach, @metadata, @tags, @image, @snapshot_id, @enterprise_project_id, @user_id, @now, @now)`),
      update: p(`UPDATE evs_volumes SET name = COALESCE(@name, name), description = COALESCE(@description, description),
        metadata = COALESCE(@metadata, metadata), tags = COALESCE(@tags, tags), updated_at = @now WHERE project_id = @project_id AND id = @id`),
      status: p("UPDATE evs_volumes SET status = ?, updated_at = ? WHERE project_id = ? AND id = ?"),
      beginExtend: p("UPDATE evs_volumes SET status = 'extending', new_size = ?, updated_at = ? WHERE project_id = ? AND id = ?"),
      finishExtend: p(`UPDATE evs_volumes SET size = COALESCE(new_size, size), new_size = NULL, updated_at = @now,
        status = CASE WHEN EXISTS (SELECT 1 FROM evs_attachments a WHERE a.volume_id = evs_volumes.id)
          THEN 'in-use' ELSE 'available' END
        WHERE project_id = @project_id AND id = @id`),
      remove: p("DELETE FROM evs_volumes WHERE project_id = ? AND id = ?"),
      usage: p("SELECT volumes, gigabytes FROM evs_usage WHERE project_id = ?"),
      attachmentsOfVolume: p("SELECT * FROM evs_attachments WHERE volume_id = ? ORDER BY attached_at, id"),
      attachmentsOfProject: p(`SELECT a.* FROM evs_attachments a JOIN evs_volumes v ON v.id = a.volume_id
        WHERE v.project_id = ? ORDER BY a.attached_at, a.id`),
      attachmentsOfServer: p(`SELECT a.* FROM evs_attachments a JOIN evs_volumes v ON v.id = a.volume_id
        WHERE v.project_id = ? AND a.server_id = ? ORDER BY a.attached_at, a.id`),
      disksOfServer: p(`SELECT a.server_id, a.volume_id, a.device FROM evs_attachments a JOIN evs_volumes v ON v.id = a.volume_id
        WHERE v.project_id = ? AND a.server_id = ? ORDER BY a.attached_at, a.id`),
      // The id list first (CROSS JOIN fixes the order): one evs_attachments_server lookup per server.
      disksOfServers: p(`SELECT a.server_id, a.volume_id, a.device FROM json_each(@ids) j
        CROSS JOIN evs_attachments a ON a.server_id = j.value
        CROSS JOIN evs_volumes v ON v.id = a.volume_id AND v.project_id = @project_id ORDER BY a.attached_at, a.id`),
      attach: p("INSERT INTO evs_attachments (id, volume_id, server_id, device, host_name, attached_at) VALUES (?, ?, ?, ?, ?, ?)"),
      detach: p("DELETE FROM evs_attachments WHERE volume_id = ? AND server_id = ?"),
    };
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  volume(projectId: string, id: string): VolumeRow | undefined {
    return maybe(toVolume, this.st.get.get(projectId, id));
  }

  volumes(projectId: string): VolumeRow[] {
    return all(toVolume, this.st.list.all(projectId));
  }

  insert(v: NewVolume): void {
    this.st.insert.run({
      id: v.id,
      project_id: v.projectId,
      name: v.name,
      description: v.description,
      status: v.status,
      size: v.size,
      volume_type: v.volumeType,
      availability_zone: v.availabilityZone,
      bootable: v.bootable ? 1 : 0,
      multiattach: v.multiattach ? 1 : 0,
      metadata: JSON.stringify(v.metadata),
      tags: JSON.stringify(v.tags),
      image: v.image === null ? null : JSON.stringify(v.image),
      snapshot_id: v.snapshotId ?? null,
      enterprise_project_id: v.enterpriseProjectId,
      user_id: v.userId,
      now: v.now,
    });
  }

  update(projectId: string, id: string, patch: VolumePatch, now: number): void {
    this.st.update.run({
      project_id: projectId,
      id,
      name: patch.name ?? null,
      description: patch.description ?? null,
      metadata: patch.metadata === undefined ? null : JSON.stringify(patch.metadata),
      tags: patch.tags === undefined ? null : JSON.stringify(patch.tags),
      now,
    });
  }

  setStatus(projectId: string, id: string, status: VolumeStatus, now: number): void {
    this.st.status.run(status, now, projectId, id);
  }

  beginExtend(projectId: string, id: string, newSize: number, now: number): void {
    this.st.beginExtend.run(newSize, now, projectId, id);
  }

  /** The new size takes effect; the volume is in-use again if attached, else available. */
  finishExtend(projectId: string, id: string, now: number): void {
    this.st.finishExtend.run({ project_id: projectId, id, now });
  }

  remove(projectId: string, id: string): void {
    this.st.remove.run(projectId, id);
  }

  /** Volumes and gigabytes the project holds (an extension in progress counts at its new size). */
  usage(projectId: string): { volumes: number; gigabytes: number } {
    const r = this.st.usage.get(projectId);
    if (r === undefined) return { volumes: 0, gigabytes: 0 };
    return { volumes: int(asRow(r), "volumes"), gigabytes: int(asRow(r), "gigabytes") };
  }

  attachments(volumeId: string): AttachmentRow[] {
    return all(toAttachment, this.st.attachmentsOfVolume.all(volumeId));
  }

  /** Every attachment of the project's volumes, by volume id. */
  attachmentsByVolume(projectId: string): Map<string, AttachmentRow[]> {
    const out = new Map<string, AttachmentRow[]>();
    for (const a of all(toAttachment, this.st.attachmentsOfProject.all(projectId))) {
      const list = out.get(a.volumeId) ?? [];
      list.push(a);
      out.set(a.volumeId, list);
    }
    return out;
  }

  attachmentsOfServer(projectId: string, serverId: string): AttachmentRow[] {
    return all(toAttachment, this.st.attachmentsOfServer.all(projectId, serverId));
  }

  /** The attachments of the project's volumes to these servers, in attachment order: one query. */
  disksOfServers(projectId: string, serverIds: readonly string[]): ServerDiskRow[] {
    if (serverIds.length === 0) return [];
    const rows =
      serverIds.length === 1
        ? this.st.disksOfServer.all(projectId, serverIds[0])
        : this.st.disksOfServers.all({ project_id: projectId, ids: JSON.stringify(serverIds) });
    return all(toServerDisk, rows);
  }

  addAttachment(a: AttachmentRow): void {
    this.st.attach.run(a.id, a.volumeId, a.serverId, a.device, a.hostName, a.attachedAt);
  }

  removeAttachment(volumeId: string, serverId: string): void {
    this.st.detach.run(volumeId, serverId);
  }
}
