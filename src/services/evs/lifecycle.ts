// The volume state machine, shared by EVS's HTTP operations and the EvsApi that ECS calls:
//
//   creating ──job──▶ available ◀──detach (last)── in-use
//                      │  ▲  └──────attach──────────▶ │
//                      │  └──job── extending ◀─extend─┘ (from either; back to in-use while attached)
//                      └─delete─▶ deleting ──job──▶ (gone)
//
// A volume is "in-use" exactly while it has an attachment: attach and detach below are the only writers of
// attachments, and they move the status with them. Expected refusals are typed results (EvsResult), which
// the HTTP operations turn into Huawei's errors and ECS into its own.
import { ApiError } from "../../kernel/api-error.ts";
import type { Ids } from "../../kernel/ids.ts";
import { evsErrors } from "./errors.ts";
import type { AttachmentRow, EvsStore, VolumeRow, VolumeStatus } from "./store.ts";

export type EvsFailureReason =
  | "not_found"
  | "invalid_request"
  | "invalid_availability_zone"
  | "invalid_volume_type"
  | "invalid_size"
  | "invalid_image"
  | "quota_exceeded"
  | "invalid_status"
  | "already_attached"
  | "not_attached"
  | "device_in_use";

/** A refusal, with the EVS error that the HTTP API answers for it. */
export interface EvsFailure {
  ok: false;
  reason: EvsFailureReason;
  status: number;
  code: string;
  message: string;
}

export type EvsResult<T> = { ok: true; value: T } | EvsFailure;

export function fail(reason: EvsFailureReason, err: ApiError): EvsFailure {
  return { ok: false, reason, status: err.status, code: err.code, message: err.message };
}

export function ok<T>(value: T): EvsResult<T> {
  return { ok: true, value };
}

/** For HTTP operations: the value, or the failure thrown as EVS's error. */
export function orThrow<T>(r: EvsResult<T>): T {
  if (r.ok) return r.value;
  throw new ApiError({ status: r.status, code: r.code, message: r.message, shape: "nested" });
}

const REASONS: Record<string, EvsFailureReason> = {
  "EVS.5404": "not_found",
  "EVS.1036": "invalid_availability_zone",
  "EVS.1020": "invalid_volume_type",
  "EVS.1010": "invalid_size",
  "EVS.2046": "invalid_image",
  "EVS.1034": "quota_exceeded",
  "EVS.1042": "quota_exceeded",
  "EVS.1046": "invalid_status",
  "EVS.1064": "invalid_status",
  "EVS.1065": "invalid_status",
};

/** Runs checks written as throwing code and returns their refusal as a result. */
export function attempt<T>(fn: () => T): EvsResult<T> {
  try {
    return ok(fn());
  } catch (err) {
    if (err instanceof ApiError) return fail(REASONS[err.code] ?? "invalid_request", err);
    throw err;
  }
}

/** Statuses a volume may be deleted from (EVS.1046), and extended from (EVS.1064). */
export const DELETABLE: readonly VolumeStatus[] = ["available", "error", "error_extending", "error_restoring", "error_rollbacking"];
export const EXTENDABLE: readonly VolumeStatus[] = ["available", "in-use"];

const wrongStatus = (v: VolumeRow, action: string) => evsErrors.invalidStatus(`Volume ${v.id} is ${v.status} and cannot be ${action}.`);

export interface AttachRequest {
  serverId: string;
  device: string;
  hostName?: string | null;
}

/** available (or attaching) → in-use (a multi-attach volume may gain further servers while in-use). */
export function attach(store: EvsStore, ids: Ids, now: number, v: VolumeRow, req: AttachRequest): EvsResult<AttachmentRow> {
  const existing = store.attachments(v.id);
  if (existing.some((a) => a.serverId === req.serverId)) {
    return fail("already_attached", evsErrors.invalidStatus(`Volume ${v.id} is already attached to server ${req.serverId}.`));
  }
  // "attaching": reserved by cinder's os-reserve before the attach.
  const attachable = v.status === "available" || v.status === "attaching" || (v.status === "in-use" && v.multiattach);
  if (!attachable) return fail("invalid_status", wrongStatus(v, "attached"));
  if (store.attachmentsOfServer(v.projectId, req.serverId).some((a) => a.device === req.device)) {
    return fail("device_in_use", evsErrors.malformedBody(`Device ${req.device} of server ${req.serverId} is in use.`));
  }
  const row: AttachmentRow = {
    id: ids.uuid(),
    volumeId: v.id,
    serverId: req.serverId,
    device: req.device,
    hostName: req.hostName ?? null,
    attachedAt: now,
  };
  store.tx(() => {
    store.addAttachment(row);
    store.setStatus(v.projectId, v.id, "in-use", now);
  });
  return ok(row);
}

/** Drops the server's attachment; the last one gone, in-use → available. An extension in progress goes on. */
export function detach(store: EvsStore, now: number, v: VolumeRow, serverId: string): EvsResult<null> {
  const attachments = store.attachments(v.id);
  if (!attachments.some((a) => a.serverId === serverId)) {
    return fail("not_attached", evsErrors.invalidStatus(`Volume ${v.id} is not attached to server ${serverId}.`));
  }
  store.tx(() => {
    store.removeAttachment(v.id, serverId);
    // "detaching": marked by cinder's os-begin_detaching before the detach.
    if (attachments.length === 1 && (v.status === "in-use" || v.status === "detaching")) store.setStatus(v.projectId, v.id, "available", now);
  });
  return ok(null);
}

export function checkDeletable(store: EvsStore, v: VolumeRow): EvsResult<null> {
  if (!DELETABLE.includes(v.status) || store.attachments(v.id).length > 0) return fail("invalid_status", evsErrors.cannotDelete());
  return ok(null);
}

/** The limits of a volume's size in GB: system disks (bootable) 1–1024, data disks 10–32768. */
export function sizeLimits(bootable: boolean): { min: number; max: number } {
  return bootable ? { min: 1, max: 1024 } : { min: 10, max: 32768 };
}
