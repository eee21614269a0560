// IMS's table: the private images of each project (public images are constant data, catalogue.ts). Rows
// are parsed at this boundary into ImageRecord; every query names the project.
import type { Database, Statement } from "better-sqlite3";
import { all, int, intOrNull, maybe, oneOf, text, textOrNull, type SqlRow } from "../../store/rows.ts";
import { IMAGE_STATUSES, OS_TYPES, type ImageRecord, type ImageStatus, type OsType } from "./model.ts";
import { ImageSharing, SHARING_MIGRATION } from "./store-sharing.ts";
import { ImageTags, TAGS_MIGRATION } from "./store-tags.ts";

export const IMS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ims_private_images (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('queued', 'saving', 'active', 'deleted', 'killed')),
    min_disk INTEGER NOT NULL, min_ram INTEGER NOT NULL, max_ram INTEGER,
    os_type TEXT NOT NULL, platform TEXT NOT NULL, os_version TEXT NOT NULL, os_bit TEXT NOT NULL,
    disk_format TEXT NOT NULL, virtual_env_type TEXT NOT NULL, image_size INTEGER NOT NULL,
    firmware TEXT NOT NULL, data_origin TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX ims_private_images_project ON ims_private_images(project_id, created_at);
  `,
  SHARING_MIGRATION,
  TAGS_MIGRATION,
];

const toImage = (r: SqlRow): ImageRecord => ({
  id: text(r, "id"),
  name: text(r, "name"),
  description: text(r, "description"),
  status: oneOf(r, "status", IMAGE_STATUSES),
  visibility: "private",
  imageType: "private",
  owner: text(r, "project_id"),
  protected: false,
  minDisk: int(r, "min_disk"),
  minRam: int(r, "min_ram"),
  maxRam: intOrNull(r, "max_ram"),
  osType: oneOf(r, "os_type", OS_TYPES),
  platform: text(r, "platform"),
  osVersion: text(r, "os_version"),
  osBit: oneOf(r, "os_bit", ["32", "64"] as const),
  diskFormat: text(r, "disk_format"),
  virtualEnvType: oneOf(r, "virtual_env_type", ["FusionCompute", "DataImage"] as const),
  imageSize: int(r, "image_size"),
  firmware: oneOf(r, "firmware", ["bios", "uefi"] as const),
  dataOrigin: textOrNull(r, "data_origin"),
  createdAt: int(r, "created_at"),
  updatedAt: int(r, "updated_at"),
});

export interface NewPrivateImage {
  id: string;
  projectId: string;
  name: string;
  description?: string;
  status: ImageStatus;
  minDisk: number;
  minRam: number;
  maxRam?: number;
  osType: OsType;
  platform: string;
  osVersion: string;
  osBit: "32" | "64";
  imageSize: number;
  firmware?: "bios" | "uefi";
  /** "instance,<server id>" */
  dataOrigin?: string;
  /** zvhd2 for images made from servers; glance's disk_format for an image created through glance. */
  diskFormat?: string;
  /** DataImage for data disk images; FusionCompute (the default) for system disk images. */
  virtualEnvType?: "FusionCompute" | "DataImage";
  now: number;
}

export interface ImagePatch {
  name?: string;
  description?: string;
  minRam?: number;
  maxRam?: number;
}

export class ImsStore {
  private readonly st: Record<"get" | "list" | "insert" | "update" | "status" | "uploaded" | "registered" | "remove", Statement>;
  /** Glance's tags and members of the private images. */
  readonly sharing: ImageSharing;
  /** IMS's key/value tags of the private images. */
  readonly tags: ImageTags;

  constructor(readonly db: Database) {
    this.sharing = new ImageSharing(db);
    this.tags = new ImageTags(db);
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      get: p("SELECT * FROM ims_private_images WHERE project_id = ? AND id = ?"),
      list: p("SELECT * FROM ims_private_images WHERE project_id = ? ORDER BY created_at, id"),
      insert: p(`INSERT INTO ims_private_images (id, project_id, name, description, status, min_disk, min_ram, max_ram,
        os_type, platform, os_version, os_bit, disk_format, virtual_env_type, image_size, firmware, data_origin,
        created_at, updated_at) VALUES (@id, @project_id, @name, @description, @status, @min_disk, @min_ram, @max_ram,
        @os_type, @platform, @os_version, @os_bit, @disk_format, @virtual_env_type, @image_size, @firmware, @data_origin,
        @now, @now)`),
      update: p(`UPDATE ims_private_images SET name = COALESCE(@name, name), description = COALESCE(@description, description),
        min_ram = COALESCE(@min_ram, min_ram), max_ram = COALESCE(@max_ram, max_ram), updated_at = @now WHERE project_id = @project_id AND id = @id`),
      status: p("UPDATE ims_private_images SET status = ?, updated_at = ? WHERE project_id = ? AND id = ?"),
      uploaded: p("UPDATE ims_private_images SET status = 'active', image_size = ?, updated_at = ? WHERE project_id = ? AND id = ?"),
      registered: p("UPDATE ims_private_images SET status = 'saving', data_origin = ?, updated_at = ? WHERE project_id = ? AND id = ?"),
      remove: p("DELETE FROM ims_private_images WHERE project_id = ? AND id = ?"),
    };
  }

  image(projectId: string, id: string): ImageRecord | undefined {
    return maybe(toImage, this.st.get.get(projectId, id));
  }

  images(projectId: string): ImageRecord[] {
    return all(toImage, this.st.list.all(projectId));
  }

  insert(i: NewPrivateImage): void {
    this.st.insert.run({
      id: i.id,
      project_id: i.projectId,
      name: i.name,
      description: i.description ?? "",
      status: i.status,
      min_disk: i.minDisk,
      min_ram: i.minRam,
      max_ram: i.maxRam ?? null,
      os_type: i.osType,
      platform: i.platform,
      os_version: i.osVersion,
      os_bit: i.osBit,
      image_size: i.imageSize,
      firmware: i.firmware ?? "bios",
      data_origin: i.dataOrigin ?? null,
      disk_format: i.diskFormat ?? "zvhd2",
      virtual_env_type: i.virtualEnvType ?? "FusionCompute",
      now: i.now,
    });
  }

  update(projectId: string, id: string, patch: ImagePatch, now: number): void {
    this.st.update.run({
      project_id: projectId,
      id,
      name: patch.name ?? null,
      description: patch.description ?? null,
      min_ram: patch.minRam ?? null,
      max_ram: patch.maxRam ?? null,
      now,
    });
  }

  /** A glance upload: the file's size, and the image active. */
  uploaded(projectId: string, id: string, size: number, now: number): void {
    this.st.uploaded.run(size, now, projectId, id);
  }

  /** RegisterImage: the image's file named ("file,<bucket:object>") and being imported. */
  registered(projectId: string, id: string, origin: string, now: number): void {
    this.st.registered.run(origin, now, projectId, id);
  }

  setStatus(projectId: string, id: string, status: ImageStatus, now: number): void {
    this.st.status.run(status, now, projectId, id);
  }

  /** Runs fn in a transaction (a savepoint inside a caller's). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  remove(projectId: string, id: string): void {
    this.st.remove.run(projectId, id);
  }
}
