// ImageRecord → wire JSON: the only place that spells IMS's image fields. ListImages, GlanceShowImage and
// the PATCH answers share one shape (IMS API reference, "查询镜像列表" / "查询镜像详情（OpenStack原生）").
import { isoSeconds } from "../../kernel/time.ts";
import type { ImageRecord } from "./model.ts";

/** MD5 of nothing: what IMS reports as "checksum" ("目前暂时不使用"). */
const EMPTY_CHECKSUM = "d41d8cd98f00b204e9800998ecf8427e";

/** tags: glance's tags of a private image (store-sharing.ts); public images have none. */
export function image(i: ImageRecord, tags: readonly string[] = []) {
  const isPrivate = i.visibility === "private";
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    visibility: i.visibility,
    protected: i.protected,
    owner: i.owner,
    min_disk: i.minDisk,
    min_ram: i.minRam,
    ...(i.maxRam !== null ? { max_ram: String(i.maxRam) } : {}),
    disk_format: i.diskFormat,
    container_format: "bare",
    size: 0,
    virtual_size: null,
    checksum: EMPTY_CHECKSUM,
    tags: [...tags],
    __imagetype: i.imageType,
    __os_type: i.osType,
    __platform: i.platform,
    __os_bit: i.osBit,
    __os_version: i.osVersion,
    __description: i.description,
    __isregistered: "true",
    __image_source_type: "uds",
    __image_size: String(i.imageSize),
    __lazyloading: "true",
    __originalimagename: "",
    __support_kvm: "true",
    ...(isPrivate ? { __data_origin: i.dataOrigin ?? "", enterprise_project_id: "0" } : {}),
    virtual_env_type: i.virtualEnvType,
    hw_firmware_type: i.firmware,
    created_at: isoSeconds(i.createdAt),
    updated_at: isoSeconds(i.updatedAt),
    ...(i.status === "active" ? { active_at: isoSeconds(i.createdAt) } : {}),
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: "/v2/schemas/image",
  };
}
