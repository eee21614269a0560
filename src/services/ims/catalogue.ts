// The public images every region offers. Their ids are UUIDs derived from the image name, so they are the
// same in every hwlocal, every region and after every reset: scripts may hard-code them as they hard-code
// image ids against the cloud.
import { createHash } from "node:crypto";
import { stableHex32 } from "../../kernel/ids.ts";
import type { ImageRecord, OsType } from "./model.ts";

/** A UUID (version-4 layout) derived from a name. */
export function stableUuid(name: string): string {
  const h = createHash("sha256").update(`hwlocal:ims:${name}`).digest("hex");
  const variant = "89ab"[parseInt(h[16]!, 16) & 3]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The project that owns public images. */
export const PUBLIC_OWNER = stableHex32("ims:public-images");

interface PublicSpec {
  name: string;
  platform: string;
  osType: OsType;
  minDisk: number;
  minRam: number;
  firmware: "bios" | "uefi";
  /** Image file size in GiB. */
  fileGiB: number;
  /** When the image was published: [year, month, day]. */
  published: [number, number, number];
}

const SPECS: PublicSpec[] = [
  { name: "Ubuntu 24.04 server 64bit", platform: "Ubuntu", osType: "Linux", minDisk: 40, minRam: 1024, firmware: "bios", fileGiB: 3, published: [2024, 6, 20] },
  { name: "Ubuntu 22.04 server 64bit", platform: "Ubuntu", osType: "Linux", minDisk: 40, minRam: 1024, firmware: "bios", fileGiB: 3, published: [2022, 7, 15] },
  { name: "Ubuntu 20.04 server 64bit", platform: "Ubuntu", osType: "Linux", minDisk: 40, minRam: 1024, firmware: "bios", fileGiB: 2, published: [2020, 6, 10] },
  { name: "CentOS 7.9 64bit", platform: "CentOS", osType: "Linux", minDisk: 40, minRam: 1024, firmware: "bios", fileGiB: 2, published: [2021, 3, 2] },
  { name: "EulerOS 2.9 64bit", platform: "EulerOS", osType: "Linux", minDisk: 40, minRam: 1024, firmware: "bios", fileGiB: 2, published: [2021, 9, 1] },
  { name: "Huawei Cloud EulerOS 2.0 Standard 64 bit", platform: "EulerOS", osType: "Linux", minDisk: 40, minRam: 1024, firmware: "bios", fileGiB: 2, published: [2023, 3, 30] },
  { name: "Debian 12.0.0 64bit", platform: "Debian", osType: "Linux", minDisk: 40, minRam: 1024, firmware: "bios", fileGiB: 2, published: [2023, 8, 8] },
  { name: "Windows Server 2019 Datacenter 64bit English", platform: "Windows", osType: "Windows", minDisk: 40, minRam: 2048, firmware: "bios", fileGiB: 12, published: [2020, 2, 18] },
  { name: "Windows Server 2022 Datacenter 64bit English", platform: "Windows", osType: "Windows", minDisk: 40, minRam: 2048, firmware: "uefi", fileGiB: 14, published: [2022, 9, 27] },
];

function toRecord(s: PublicSpec): ImageRecord {
  const at = Date.UTC(s.published[0], s.published[1] - 1, s.published[2]);
  return {
    id: stableUuid(s.name),
    name: s.name,
    description: "",
    status: "active",
    visibility: "public",
    imageType: "gold",
    owner: PUBLIC_OWNER,
    protected: true,
    minDisk: s.minDisk,
    minRam: s.minRam,
    maxRam: null,
    osType: s.osType,
    platform: s.platform,
    osVersion: s.name,
    osBit: "64",
    diskFormat: "zvhd2",
    virtualEnvType: "FusionCompute",
    imageSize: s.fileGiB * 1024 ** 3,
    firmware: s.firmware,
    dataOrigin: null,
    createdAt: at,
    updatedAt: at,
  };
}

export const PUBLIC_IMAGES: readonly ImageRecord[] = SPECS.map(toRecord);

const byId = new Map(PUBLIC_IMAGES.map((i) => [i.id, i]));

export function publicImage(id: string): ImageRecord | undefined {
  return byId.get(id);
}
