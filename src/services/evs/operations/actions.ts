// Volume actions: extending (ResizeVolume, an asynchronous job), and the deprecated Cinder action path whose
// os-attach/os-detach only move a volume's status (available ⇄ in-use) as the EVS reference describes them;
// real attaching goes through ECS, which uses the same transitions through the EvsApi.
import { z } from "../../../kernel/zod.ts";
import { apigw } from "../../../kernel/apigw-errors.ts";
import { evsOperation, isUuid, requireProject, requireVolume, type EvsContext, type ProjectScope } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { submitVolumeJob } from "../jobs.ts";
import { attach, detach, EXTENDABLE, orThrow, sizeLimits } from "../lifecycle.ts";
import type { VolumeRow } from "../store.ts";

/** Starts an extension: extending now, the new size when the job finishes. Returns the job id. */
function extend(svc: EvsContext, p: ProjectScope, v: VolumeRow, requested: number, now: number): string {
  const { store } = svc;
  if (!EXTENDABLE.includes(v.status)) throw evsErrors.cannotExtend();
  if (v.status === "in-use" && v.multiattach) throw evsErrors.multiattachCannotExtend();
  // Huawei truncates a decimal new_size.
  const newSize = Math.trunc(requested);
  if (!(newSize > v.size)) throw evsErrors.newSizeNotGreater();
  const { max } = sizeLimits(v.bootable);
  if (newSize > max) throw evsErrors.invalidSize(`A ${v.bootable ? "system" : "data"} disk has at most ${max} GB.`);
  if (store.usage(p.projectId).gigabytes + (newSize - v.size) > store.quota.gigabytes) throw evsErrors.gigabytesQuota();
  return store.tx(() => {
    store.beginExtend(p.projectId, v.id, newSize, now);
    return submitVolumeJob({ jobs: svc.jobs, projectId: p.projectId, now }, "extendVolume", v.id);
  });
}

const OsExtend = z.object({ new_size: z.number() });

export const resizeVolume = evsOperation({
  name: "ResizeVolume",
  method: "POST",
  path: "/v2.1/{project_id}/cloudvolumes/{volume_id}/action",
  body: z.object({ "os-extend": OsExtend, bssParam: z.object({ isAutoPay: z.string().nullish() }).nullish() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const v = requireVolume(ctx.svc.store, p, ctx.input.path.volume_id!);
    const jobId = extend(ctx.svc, p, v, ctx.input.body["os-extend"].new_size, ctx.clock.now());
    return { status: 202, body: { job_id: jobId } };
  },
});

/** The older v2 resize: the same extendVolume job, 202 {job_id}. */
export const resizeVolumeV2 = evsOperation({
  name: "ResizeVolumeV2",
  method: "POST",
  path: "/v2/{project_id}/cloudvolumes/{volume_id}/action",
  body: z.object({ "os-extend": OsExtend }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const v = requireVolume(ctx.svc.store, p, ctx.input.path.volume_id!);
    return { status: 202, body: { job_id: extend(ctx.svc, p, v, ctx.input.body["os-extend"].new_size, ctx.clock.now()) } };
  },
});

const CinderAction = z.object({
  "os-attach": z
    .object({
      instance_uuid: z.string(),
      mountpoint: z.string().min(1).max(255),
      host_name: z.string().max(255).nullish(),
      mode: z.enum(["rw", "ro"]).nullish(),
    })
    .optional(),
  "os-detach": z.object({ attachment_id: z.string().nullish() }).optional(),
  "os-extend": OsExtend.optional(),
  "os-volume_upload_image": z.record(z.string(), z.unknown()).optional(),
  // Cinder's bookkeeping around an attach or detach that the compute side drives (null or {} bodies).
  "os-reserve": z.union([z.literal(null), z.object({}).loose()]).optional(),
  "os-unreserve": z.union([z.literal(null), z.object({}).loose()]).optional(),
  "os-begin_detaching": z.union([z.literal(null), z.object({}).loose()]).optional(),
  "os-roll_detaching": z.union([z.literal(null), z.object({}).loose()]).optional(),
});

/** The status moves of the bookkeeping actions: from → to. */
const BOOKKEEPING = {
  "os-reserve": ["available", "attaching"],
  "os-unreserve": ["attaching", "available"],
  "os-begin_detaching": ["in-use", "detaching"],
  "os-roll_detaching": ["detaching", "in-use"],
} as const;

/** Cinder's action path, the same on v2 and v3. */
const cinderAction = (name: string, version: "v2" | "v3") =>
  evsOperation({
    name,
    method: "POST",
    path: `/${version}/{project_id}/volumes/{volume_id}/action`,
    body: CinderAction,
    handle(ctx) {
      const b = ctx.input.body;
      const actions = Object.keys(b).filter((k) => b[k as keyof typeof b] !== undefined);
      if (actions.length !== 1) {
        throw evsErrors.malformedBody("Name exactly one of os-attach, os-detach, os-extend, os-reserve, os-unreserve, os-begin_detaching, os-roll_detaching.");
      }
      const p = requireProject(ctx.scope);
      const { store } = ctx.svc;
      const v = requireVolume(store, p, ctx.input.path.volume_id!);
      const now = ctx.clock.now();
      const bookkeeping = actions[0]! in BOOKKEEPING ? BOOKKEEPING[actions[0] as keyof typeof BOOKKEEPING] : undefined;
      if (bookkeeping) {
        const [from, to] = bookkeeping;
        if (v.status !== from) throw evsErrors.invalidStatus(`Volume ${v.id} is ${v.status}, not ${from}.`);
        store.setStatus(p.projectId, v.id, to, now);
      } else if (b["os-attach"]) {
        const a = b["os-attach"];
        if (!isUuid(a.instance_uuid)) throw evsErrors.malformedBody("instance_uuid is not a UUID.");
        orThrow(attach(store, ctx.ids, now, v, { serverId: a.instance_uuid, device: a.mountpoint, hostName: a.host_name }));
      } else if (b["os-detach"]) {
        const attachments = store.attachments(v.id);
        const wanted = b["os-detach"].attachment_id;
        if (!wanted && attachments.length > 1) throw evsErrors.malformedBody("attachment_id is required: the volume has several attachments.");
        const target = wanted ? attachments.find((a) => a.id === wanted) : attachments[0];
        if (!target) throw evsErrors.invalidStatus(`Volume ${v.id} has no attachment ${wanted ?? ""}.`.replace(" .", "."));
        orThrow(detach(store, now, v, target.serverId));
      } else if (b["os-extend"]) {
        extend(ctx.svc, p, v, b["os-extend"].new_size, now);
      } else {
        throw apigw.notImplemented("evs", "CinderExportToImage");
      }
      return { status: 202 };
    },
  });

export const cinderVolumeAction = cinderAction("CinderVolumeAction", "v2");
export const cinderVolumeActionV3 = cinderAction("CinderVolumeActionV3", "v3");

export const actionOperations = [resizeVolume, resizeVolumeV2, cinderVolumeAction, cinderVolumeActionV3];
