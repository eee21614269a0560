// One image as IMS describes it, whether it is a public image of the catalogue or a project's private image.
// Views, filters and the ImsApi all read this record; neither knows where an image came from.

export const IMAGE_STATUSES = ["queued", "saving", "active", "deleted", "killed"] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const OS_TYPES = ["Linux", "Windows", "Other"] as const;
export type OsType = (typeof OS_TYPES)[number];

export interface ImageRecord {
  id: string;
  name: string;
  description: string;
  status: ImageStatus;
  /** "shared": another project's private image, as a member of it sees it. */
  visibility: "public" | "private" | "shared";
  /** __imagetype: "gold" for public images, "shared" for one shared with the caller. */
  imageType: "gold" | "private" | "shared";
  /** The owning project (public images: the cloud's own). */
  owner: string;
  protected: boolean;
  /** GB */
  minDisk: number;
  /** MB */
  minRam: number;
  maxRam: number | null;
  osType: OsType;
  platform: string;
  osVersion: string;
  osBit: "32" | "64";
  diskFormat: string;
  virtualEnvType: "FusionCompute" | "DataImage";
  /** The image file's size in bytes (__image_size). */
  imageSize: number;
  firmware: "bios" | "uefi";
  /** "instance,<server id>" for an image made from a server; null for public images. */
  dataOrigin: string | null;
  createdAt: number;
  updatedAt: number;
}
