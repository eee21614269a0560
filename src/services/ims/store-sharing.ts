// Glance's image tags and image members, kept beside IMS's private images (migration 2 of IMS_MIGRATIONS):
// tags belong to the owner's image; a member row shares an image of the owner project with another project,
// whose answer (pending, accepted, rejected) decides whether the image shows in that project's lists.
import type { Database, Statement } from "better-sqlite3";
import { all, int, oneOf, text, type SqlRow } from "../../store/rows.ts";

export const MEMBER_STATUSES = ["pending", "accepted", "rejected"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const SHARING_MIGRATION = `
  CREATE TABLE ims_image_tags (
    image_id TEXT NOT NULL, project_id TEXT NOT NULL, tag TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (image_id, tag));
  CREATE TABLE ims_image_members (
    image_id TEXT NOT NULL, owner_project_id TEXT NOT NULL, member_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (image_id, member_id));
  CREATE INDEX ims_image_members_member ON ims_image_members(member_id, status);
  -- An image's tags and members go with it.
  CREATE TRIGGER ims_private_images_sharing AFTER DELETE ON ims_private_images BEGIN
    DELETE FROM ims_image_tags WHERE image_id = OLD.id;
    DELETE FROM ims_image_members WHERE image_id = OLD.id;
  END;
`;

export interface MemberRow {
  imageId: string;
  ownerProjectId: string;
  memberId: string;
  status: MemberStatus;
  createdAt: number;
  updatedAt: number;
}

const toMember = (r: SqlRow): MemberRow => ({
  imageId: text(r, "image_id"),
  ownerProjectId: text(r, "owner_project_id"),
  memberId: text(r, "member_id"),
  status: oneOf(r, "status", MEMBER_STATUSES),
  createdAt: int(r, "created_at"),
  updatedAt: int(r, "updated_at"),
});

type St = "tags" | "addTag" | "removeTag" | "members" | "member" | "addMember" | "setStatus" | "removeMember" | "sharedWith";

export class ImageSharing {
  private readonly st: Record<St, Statement>;

  constructor(db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      tags: p("SELECT tag FROM ims_image_tags WHERE project_id = ? AND image_id = ? ORDER BY created_at, tag").pluck(),
      addTag: p("INSERT OR IGNORE INTO ims_image_tags (image_id, project_id, tag, created_at) VALUES (?, ?, ?, ?)"),
      removeTag: p("DELETE FROM ims_image_tags WHERE project_id = ? AND image_id = ? AND tag = ?"),
      members: p("SELECT * FROM ims_image_members WHERE owner_project_id = ? AND image_id = ? ORDER BY created_at, member_id"),
      member: p("SELECT * FROM ims_image_members WHERE image_id = ? AND member_id = ?"),
      addMember: p(`INSERT INTO ims_image_members (image_id, owner_project_id, member_id, status, created_at, updated_at)
        VALUES (?, ?, ?, 'pending', ?, ?)`),
      setStatus: p("UPDATE ims_image_members SET status = ?, updated_at = ? WHERE image_id = ? AND member_id = ?"),
      removeMember: p("DELETE FROM ims_image_members WHERE owner_project_id = ? AND image_id = ? AND member_id = ?"),
      sharedWith: p("SELECT * FROM ims_image_members WHERE member_id = ? ORDER BY created_at, image_id"),
    };
  }

  tags(projectId: string, imageId: string): string[] {
    return (this.st.tags.all(projectId, imageId) as unknown[]).map(String);
  }

  addTag(projectId: string, imageId: string, tag: string, now: number): void {
    this.st.addTag.run(imageId, projectId, tag, now);
  }

  /** false when the image had no such tag. */
  removeTag(projectId: string, imageId: string, tag: string): boolean {
    return this.st.removeTag.run(projectId, imageId, tag).changes > 0;
  }

  members(ownerProjectId: string, imageId: string): MemberRow[] {
    return all(toMember, this.st.members.all(ownerProjectId, imageId));
  }

  /** A membership, seen by the owner or by the member (the image id is unique across projects). */
  member(imageId: string, memberId: string): MemberRow | undefined {
    const r = this.st.member.get(imageId, memberId);
    return r === undefined ? undefined : toMember(r as SqlRow);
  }

  addMember(ownerProjectId: string, imageId: string, memberId: string, now: number): void {
    this.st.addMember.run(imageId, ownerProjectId, memberId, now, now);
  }

  setStatus(imageId: string, memberId: string, status: MemberStatus, now: number): void {
    this.st.setStatus.run(status, now, imageId, memberId);
  }

  removeMember(ownerProjectId: string, imageId: string, memberId: string): boolean {
    return this.st.removeMember.run(ownerProjectId, imageId, memberId).changes > 0;
  }

  /** The memberships naming a project, whatever their status. */
  sharedWith(memberId: string): MemberRow[] {
    return all(toMember, this.st.sharedWith.all(memberId));
  }
}
