// What a new volume must satisfy, checked the same way for CreateVolume (HTTP) and createVolumeNow (ECS):
// volume type, zone, size range, image, metadata, tags, name, quota. Checks throw EVS's errors; callers that
// want a result wrap them in attempt().
import { stableHex32 } from "../../kernel/ids.ts";
import type { ImsImage } from "../ims/api.ts";
import { evsErrors } from "./errors.ts";
import { sizeLimits } from "./lifecycle.ts";
import type { EvsStore, StringMap } from "./store.ts";

export const VOLUME_TYPES = ["SATA", "SAS", "SSD", "GPSSD", "ESSD", "GPSSD2", "ESSD2"] as const;
export type VolumeType = (typeof VOLUME_TYPES)[number];

/** A volume type's id (the volume_type_id filter): a UUID derived from its name, the same in every region. */
export function volumeTypeId(type: string): string {
  const h = stableHex32(`evs:volume-type:${type}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const MAX_COUNT = 100;

/** A request for `count` volumes, as CreateVolume and createVolumeNow both describe it. */
export interface VolumeSpec {
  projectId: string;
  availabilityZone: string;
  /** Zones the volume may be in (the project's region). */
  zones: readonly string[];
  size: number;
  volumeType: string;
  imageId?: string;
  name: string;
  description: string | null;
  count: number;
  metadata: StringMap;
  tags: StringMap;
  multiattach: boolean;
  /** Defaults to "made from an image". */
  bootable?: boolean;
}

export interface CheckedSpec {
  volumeType: VolumeType;
  bootable: boolean;
  /** volume_image_metadata for volumes made from an image. */
  image: StringMap | null;
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

const SYSTEM_KEYS = ["__system__encrypted", "__system__cmkid", "hw:passthrough"];
const TAG_KEY = /^[A-Za-z0-9_\-\u4e00-\u9fff]{1,36}$/;
const TAG_VALUE = /^[A-Za-z0-9_.\-\u4e00-\u9fff]{0,43}$/;

export function checkName(name: string, max = 255): void {
  if (bytes(name) > max) throw evsErrors.invalidName(`The name has more than ${max} bytes.`);
}

export function checkDescription(description: string): void {
  if (bytes(description) > 255) throw evsErrors.invalidDescription("The description has more than 255 bytes.");
}

export function checkMetadata(metadata: StringMap, fromImage: boolean): void {
  for (const [k, v] of Object.entries(metadata)) {
    if (bytes(k) > 255 || bytes(v) > 255) throw evsErrors.metadataTooLarge("Metadata keys and values have at most 255 bytes.");
  }
  if (fromImage && SYSTEM_KEYS.some((k) => Object.hasOwn(metadata, k))) throw evsErrors.systemMetadataWithSource();
  const passthrough = metadata["hw:passthrough"];
  if (passthrough !== undefined && passthrough !== "true" && passthrough !== "false") throw evsErrors.invalidPassthrough();
  const encrypted = metadata.__system__encrypted;
  if (encrypted !== undefined) {
    const cmk = metadata.__system__cmkid;
    if ((encrypted !== "0" && encrypted !== "1") || (encrypted === "1" && (cmk === undefined || cmk.length !== 36))) {
      throw evsErrors.malformedBody("The encrypt Param is invalid: __system__encrypted is 0 or 1, and 1 needs a 36-byte __system__cmkid.");
    }
  }
}

export function checkTags(tags: StringMap): void {
  const entries = Object.entries(tags);
  if (entries.length > 10) throw evsErrors.tooManyTags();
  if (!entries.every(([k, v]) => TAG_KEY.test(k) && TAG_VALUE.test(v))) throw evsErrors.invalidTag();
}

function imageMetadata(i: ImsImage): StringMap {
  return {
    image_id: i.id,
    image_name: i.name,
    checksum: "d41d8cd98f00b204e9800998ecf8427e",
    container_format: "bare",
    disk_format: i.diskFormat,
    min_disk: String(i.minDisk),
    min_ram: String(i.minRam),
    size: String(i.imageSize),
    __imagetype: i.imageType,
    __os_type: i.osType,
    __platform: i.platform,
    __os_version: i.osVersion,
    __os_bit: i.osBit,
    virtual_env_type: i.virtualEnvType,
  };
}

function isVolumeType(t: string): t is VolumeType {
  return (VOLUME_TYPES as readonly string[]).includes(t);
}

/** Throws EVS's error for the first rule the request breaks. */
export function checkSpec(store: EvsStore, image: (id: string) => ImsImage | undefined, s: VolumeSpec): CheckedSpec {
  const volumeType = s.volumeType;
  if (!isVolumeType(volumeType)) throw evsErrors.invalidVolumeType(volumeType);
  if (!s.zones.includes(s.availabilityZone)) throw evsErrors.invalidAvailabilityZone(s.availabilityZone);
  if (!Number.isInteger(s.count) || s.count < 1 || s.count > MAX_COUNT) throw evsErrors.invalidCount();
  checkName(s.name, s.count > 1 ? 250 : 255);
  if (s.description !== null) checkDescription(s.description);
  checkMetadata(s.metadata, s.imageId !== undefined);
  checkTags(s.tags);
  let checkedImage: ImsImage | undefined;
  if (s.imageId !== undefined) {
    checkedImage = image(s.imageId);
    if (!checkedImage) throw evsErrors.invalidImageRef(`Image ${s.imageId.slice(0, 64)} does not exist.`);
    if (checkedImage.status !== "active") throw evsErrors.invalidImageRef(`Image ${checkedImage.id} is ${checkedImage.status}, not active.`);
    if (s.multiattach && checkedImage.virtualEnvType === "FusionCompute") throw evsErrors.systemImageMultiattach();
  }
  const bootable = s.bootable ?? checkedImage !== undefined;
  const { min, max } = sizeLimits(bootable);
  if (!Number.isInteger(s.size) || s.size < min || s.size > max) {
    throw evsErrors.invalidSize(`A ${bootable ? "system" : "data"} disk has ${min} to ${max} GB.`);
  }
  if (checkedImage && s.size < checkedImage.minDisk) {
    throw evsErrors.invalidSize(`The image ${checkedImage.id} needs at least ${checkedImage.minDisk} GB (min_disk).`);
  }
  const usage = store.usage(s.projectId);
  if (usage.volumes + s.count > store.quota.volumes) throw evsErrors.volumeCountQuota();
  if (usage.gigabytes + s.size * s.count > store.quota.gigabytes) throw evsErrors.gigabytesQuota();
  return { volumeType, bootable, image: checkedImage ? imageMetadata(checkedImage) : null };
}

/** Names of a batch: "name-0001", "name-0002", … ("volume-0001" without a name); a single volume keeps its name. */
export function batchName(name: string, index: number, count: number): string {
  return count > 1 ? `${name || "volume"}-${String(index + 1).padStart(4, "0")}` : name;
}
