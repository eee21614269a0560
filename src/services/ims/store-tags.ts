// IMS's own image tags (key/value, /v2/{project_id}/images/.../tags; migration 3 of IMS_MIGRATIONS), apart
// from glance's string tags (store-sharing.ts): an image's tags belong to its owner project and go with it.
import type { Database, Statement } from "better-sqlite3";
import { all, text, type SqlRow } from "../../store/rows.ts";

export const TAGS_MIGRATION = `
  CREATE TABLE ims_image_kv_tags (
    image_id TEXT NOT NULL, project_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (image_id, key));
  CREATE INDEX ims_image_kv_tags_project ON ims_image_kv_tags(project_id, key);
  CREATE TRIGGER ims_private_images_kv_tags AFTER DELETE ON ims_private_images BEGIN
    DELETE FROM ims_image_kv_tags WHERE image_id = OLD.id;
  END;
`;

export interface KvTag {
  key: string;
  value: string;
}

const toTag = (r: SqlRow): KvTag => ({ key: text(r, "key"), value: text(r, "value") });

export class ImageTags {
  private readonly st: Record<"list" | "projectTags" | "put" | "remove", Statement>;

  constructor(db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      list: p("SELECT key, value FROM ims_image_kv_tags WHERE project_id = ? AND image_id = ? ORDER BY created_at, key"),
      projectTags: p("SELECT key, value FROM ims_image_kv_tags WHERE project_id = ? ORDER BY key, value"),
      put: p(`INSERT INTO ims_image_kv_tags (image_id, project_id, key, value, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (image_id, key) DO UPDATE SET value = excluded.value`),
      remove: p("DELETE FROM ims_image_kv_tags WHERE project_id = ? AND image_id = ? AND key = ?"),
    };
  }

  list(projectId: string, imageId: string): KvTag[] {
    return all(toTag, this.st.list.all(projectId, imageId));
  }

  /** Every tag of the project's images, ordered by key and value. */
  projectTags(projectId: string): KvTag[] {
    return all(toTag, this.st.projectTags.all(projectId));
  }

  /** Adds the tag, or sets the value of the image's tag with that key. */
  put(projectId: string, imageId: string, tag: KvTag, now: number): void {
    this.st.put.run(imageId, projectId, tag.key, tag.value, now);
  }

  /** false when the image had no tag with that key. */
  remove(projectId: string, imageId: string, key: string): boolean {
    return this.st.remove.run(projectId, imageId, key).changes > 0;
  }
}
