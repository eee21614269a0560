// What EVS offers ECS, through rt.api("evs"). Everything is synchronous and runs inside the caller's
// transaction (ECS calls it from its own job steps); expected refusals are EvsFailure results carrying the
// reason and the EVS error the HTTP API would answer, never exceptions.
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import { availabilityZones, REGIONS } from "../../kernel/regions.ts";
import type { ImsApi } from "../ims/api.ts";
import { evsErrors } from "./errors.ts";
import { attach, attempt, checkDeletable, detach, fail, ok, type EvsResult } from "./lifecycle.ts";
import { checkSpec, type VolumeType } from "./rules.ts";
import type { AttachmentRow, EvsStore, StringMap, VolumeRow, VolumeStatus } from "./store.ts";

export type { EvsFailure, EvsFailureReason, EvsResult } from "./lifecycle.ts";
export { VOLUME_TYPES, type VolumeType } from "./rules.ts";

export interface EvsAttachment {
  attachmentId: string;
  serverId: string;
  device: string;
  attachedAt: number;
}

export interface EvsVolume {
  id: string;
  name: string;
  status: VolumeStatus;
  /** GB */
  size: number;
  volumeType: string;
  availabilityZone: string;
  bootable: boolean;
  multiattach: boolean;
  /** The image the volume was made from. */
  imageId: string | null;
  createdAt: number;
  attachments: EvsAttachment[];
}

/** A volume attached to a server, as the server's detail lists it. */
export interface ServerDisk {
  volumeId: string;
  device: string;
}

export interface NewVolumeNow {
  /** GB: 1–1024 for a bootable (system) disk, 10–32768 for a data disk; at least the image's min_disk. */
  size: number;
  volumeType: VolumeType | string;
  availabilityZone: string;
  imageId?: string;
  name: string;
  /** Defaults to "made from an image". */
  bootable?: boolean;
  description?: string;
  multiattach?: boolean;
  metadata?: StringMap;
  /** The user recorded as the volume's user_id. */
  userId?: string;
}

export interface EvsApi {
  /** Creates an available volume at once (no job), counted against the project's EVS quota. */
  createVolumeNow(projectId: string, spec: NewVolumeNow): EvsResult<EvsVolume>;
  /** available → in-use with the attachment (a multiattach volume may be attached to several servers). */
  attach(projectId: string, volumeId: string, serverId: string, device: string): EvsResult<EvsVolume>;
  /** Drops the server's attachment; the last one gone, in-use → available. */
  detach(projectId: string, volumeId: string, serverId: string): EvsResult<EvsVolume>;
  /** Deletes an unattached volume at once (statuses as DeleteVolume allows). */
  deleteVolume(projectId: string, volumeId: string): EvsResult<null>;
  /** The project's volumes attached to the server, in attachment order. */
  volumesOfServer(projectId: string, serverId: string): EvsVolume[];
  volume(projectId: string, volumeId: string): EvsVolume | undefined;
  /**
   * The project's volumes attached to each server, in attachment order, by server id (servers with none are
   * absent): the same volumes as volumesOfServer, in one query for any number of servers.
   */
  disksOfServers(projectId: string, serverIds: readonly string[]): Map<string, ServerDisk[]>;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    evs: EvsApi;
  }
}

function toVolume(v: VolumeRow, attachments: AttachmentRow[]): EvsVolume {
  return {
    id: v.id,
    name: v.name,
    status: v.status,
    size: v.size,
    volumeType: v.volumeType,
    availabilityZone: v.availabilityZone,
    bootable: v.bootable,
    multiattach: v.multiattach,
    imageId: v.image?.image_id ?? null,
    createdAt: v.createdAt,
    attachments: attachments.map((a) => ({ attachmentId: a.id, serverId: a.serverId, device: a.device, attachedAt: a.attachedAt })),
  };
}

/** The region an availability zone belongs to, from its name ("cn-north-4a" → cn-north-4). */
function zonesAround(az: string): string[] {
  return REGIONS.map((r) => availabilityZones(r.id)).find((zones) => zones.includes(az)) ?? [];
}

export interface EvsApiDeps {
  store: EvsStore;
  clock: Clock;
  ids: Ids;
  ims: () => ImsApi;
}

export function evsApi({ store, clock, ids, ims }: EvsApiDeps): EvsApi {
  const read = (projectId: string, id: string) => {
    const v = store.volume(projectId, id);
    return v && toVolume(v, store.attachments(v.id));
  };
  const found = (projectId: string, id: string): EvsResult<VolumeRow> => {
    const v = store.volume(projectId, id);
    return v ? ok(v) : fail("not_found", evsErrors.volumeNotFound(id));
  };
  return {
    createVolumeNow(projectId, s) {
      const checked = attempt(() =>
        checkSpec(store, (id) => ims().image(projectId, id), {
          projectId,
          availabilityZone: s.availabilityZone,
          zones: zonesAround(s.availabilityZone),
          size: s.size,
          volumeType: s.volumeType,
          imageId: s.imageId,
          name: s.name,
          description: s.description ?? null,
          count: 1,
          metadata: s.metadata ?? {},
          tags: {},
          multiattach: s.multiattach ?? false,
          bootable: s.bootable,
        }),
      );
      if (!checked.ok) return checked;
      const id = ids.uuid();
      store.insert({
        id,
        projectId,
        name: s.name,
        description: s.description ?? null,
        status: "available",
        size: s.size,
        volumeType: checked.value.volumeType,
        availabilityZone: s.availabilityZone,
        bootable: checked.value.bootable,
        multiattach: s.multiattach ?? false,
        metadata: s.metadata ?? {},
        tags: {},
        image: checked.value.image,
        enterpriseProjectId: "0",
        userId: s.userId ?? null,
        now: clock.now(),
      });
      return ok(read(projectId, id)!);
    },
    attach(projectId, volumeId, serverId, device) {
      const v = found(projectId, volumeId);
      if (!v.ok) return v;
      const r = attach(store, ids, clock.now(), v.value, { serverId, device });
      return r.ok ? ok(read(projectId, volumeId)!) : r;
    },
    detach(projectId, volumeId, serverId) {
      const v = found(projectId, volumeId);
      if (!v.ok) return v;
      const r = detach(store, clock.now(), v.value, serverId);
      return r.ok ? ok(read(projectId, volumeId)!) : r;
    },
    deleteVolume(projectId, volumeId) {
      const v = found(projectId, volumeId);
      if (!v.ok) return v;
      const r = checkDeletable(store, v.value);
      if (r.ok) store.remove(projectId, volumeId);
      return r;
    },
    volumesOfServer(projectId, serverId) {
      const seen = new Set<string>();
      const out: EvsVolume[] = [];
      for (const a of store.attachmentsOfServer(projectId, serverId)) {
        if (seen.has(a.volumeId)) continue;
        seen.add(a.volumeId);
        const v = read(projectId, a.volumeId);
        if (v) out.push(v);
      }
      return out;
    },
    volume: read,
    disksOfServers(projectId, serverIds) {
      const out = new Map<string, ServerDisk[]>();
      const ids = serverIds.length > 1 ? [...new Set(serverIds)] : serverIds;
      for (const d of store.disksOfServers(projectId, ids)) {
        const disk = { volumeId: d.volumeId, device: d.device };
        const list = out.get(d.serverId);
        if (list) list.push(disk);
        else out.set(d.serverId, [disk]);
      }
      return out;
    },
  };
}
