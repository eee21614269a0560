// Rows → wire JSON: the only place that spells EVS's volume fields (EVS API reference, "查询单个云硬盘详情"
// and "查询所有云硬盘详情"). Times are UTC with microseconds and no zone, as EVS writes them.
import { createHash } from "node:crypto";
import { isoMicros } from "../../kernel/time.ts";
import type { AttachmentRow, VolumeRow } from "./store.ts";

/** 2016-05-25T02:42:10.856332 */
export function evsTime(ms: number): string {
  return isoMicros(ms).slice(0, -1);
}

export interface ViewBase {
  /** EVS as the caller reached it (links point back there). */
  serviceBase: string;
  region: string;
}

export function volumeLinks(v: VolumeRow, base: ViewBase) {
  return [
    { href: `${base.serviceBase}/v2/${v.projectId}/volumes/${v.id}`, rel: "self" },
    { href: `${base.serviceBase}/${v.projectId}/volumes/${v.id}`, rel: "bookmark" },
  ];
}

export function attachment(a: AttachmentRow) {
  return {
    server_id: a.serverId,
    attachment_id: a.id,
    attached_at: evsTime(a.attachedAt),
    host_name: a.hostName,
    volume_id: a.volumeId,
    device: a.device,
    id: a.volumeId,
  };
}

/** A stable 32-hex WWN per volume, as EVS reports for attached disks. */
function wwn(id: string): string {
  return `688860300000${createHash("sha256").update(id).digest("hex").slice(0, 20)}`;
}

export function volume(v: VolumeRow, attachments: AttachmentRow[], base: ViewBase) {
  return {
    id: v.id,
    links: volumeLinks(v, base),
    name: v.name,
    status: v.status,
    attachments: attachments.map(attachment),
    availability_zone: v.availabilityZone,
    "os-vol-host-attr:host": `pod01.${base.region}#${v.volumeType}`,
    source_volid: null,
    snapshot_id: v.snapshotId,
    description: v.description,
    created_at: evsTime(v.createdAt),
    updated_at: evsTime(v.updatedAt),
    volume_type: v.volumeType,
    "os-vol-tenant-attr:tenant_id": v.projectId,
    size: v.size,
    metadata: v.metadata,
    "os-vol-mig-status-attr:migstat": null,
    "os-vol-mig-status-attr:name_id": null,
    "os-volume-replication:extended_status": null,
    encrypted: v.metadata.__system__encrypted === "1",
    replication_status: "disabled",
    user_id: v.userId,
    consistencygroup_id: null,
    bootable: String(v.bootable),
    shareable: String(v.multiattach),
    multiattach: v.multiattach,
    volume_image_metadata: v.image ?? {},
    service_type: "EVS",
    dedicated_storage_id: null,
    dedicated_storage_name: null,
    tags: v.tags,
    wwn: wwn(v.id),
    enterprise_project_id: v.enterpriseProjectId,
  };
}

/** The summary list's entries (GET /v2/{project_id}/cloudvolumes). */
export function volumeSummary(v: VolumeRow, base: ViewBase) {
  return { id: v.id, links: volumeLinks(v, base), name: v.name };
}
