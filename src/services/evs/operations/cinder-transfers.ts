// Cinder's volume transfers on /v2 and /v3 (V3 suffix): CinderCreateVolumeTransfer (an available volume
// becomes "awaiting-transfer"; the answer carries the auth key, once), CinderListVolumeTransfers (and
// Details, with limit/offset), CinderShowVolumeTransfer, CinderDeleteVolumeTransfer (the volume available
// again) and CinderAcceptVolumeTransfer (another project, with the id and the key, receives the volume).
import { z } from "../../../kernel/zod.ts";
import type { RequestInfo } from "../../../kernel/service.ts";
import { evsOperation, isUuid, requireProject, zonesOf } from "../context.ts";
import { evsErrors } from "../errors.ts";
import type { TransferRow } from "../store-transfers.ts";
import { evsTime } from "../views.ts";

const VERSIONS = [
  ["v2", ""],
  ["v3", "V3"],
] as const;

function links(request: RequestInfo, version: string, t: TransferRow) {
  return [
    { href: `${request.serviceBase}/${version}/${t.projectId}/os-volume-transfer/${t.id}`, rel: "self" },
    { href: `${request.serviceBase}/${t.projectId}/os-volume-transfer/${t.id}`, rel: "bookmark" },
  ];
}

function transfer(request: RequestInfo, version: string, t: TransferRow, detail = true) {
  return { id: t.id, name: t.name, volume_id: t.volumeId, ...(detail ? { created_at: evsTime(t.createdAt) } : {}), links: links(request, version, t) };
}

const Paging = z.object({
  limit: z.string().regex(/^\d{1,4}$/, "must be a whole number").optional(),
  offset: z.string().regex(/^\d{1,9}$/, "must be a whole number").optional(),
});

export const cinderTransferOperations = VERSIONS.flatMap(([version, suffix]) => {
  const base = `/${version}/{project_id}/os-volume-transfer`;
  const list = (detail: boolean) =>
    evsOperation({
      name: `CinderListVolumeTransfers${detail ? "Details" : ""}${suffix}`,
      method: "GET",
      path: detail ? `${base}/detail` : base,
      query: Paging,
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const offset = Number(ctx.input.query.offset ?? 0);
        const limit = Number(ctx.input.query.limit ?? 1000);
        const rows = ctx.svc.store.transfers.list(p.projectId).slice(offset, offset + limit);
        return { body: { transfers: rows.map((t) => transfer(ctx.request, version, t, detail)) } };
      },
    });
  return [
    evsOperation({
      name: `CinderCreateVolumeTransfer${suffix}`,
      method: "POST",
      path: base,
      body: z.object({ transfer: z.object({ volume_id: z.string(), name: z.string().max(255).nullish() }) }),
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const { store } = ctx.svc;
        const volumeId = ctx.input.body.transfer.volume_id;
        const v = isUuid(volumeId) ? store.volume(p.projectId, volumeId) : undefined;
        if (!v) throw evsErrors.volumeNotFound(volumeId);
        if (v.status !== "available") throw evsErrors.invalidStatus(`A volume is transferred only when available; ${v.id} is ${v.status}.`);
        const now = ctx.clock.now();
        const t: TransferRow = {
          id: ctx.ids.uuid(),
          projectId: p.projectId,
          volumeId: v.id,
          name: ctx.input.body.transfer.name ?? "",
          authKey: ctx.ids.hex32().slice(0, 16),
          createdAt: now,
        };
        store.tx(() => {
          store.transfers.insert(t);
          store.setStatus(p.projectId, v.id, "awaiting-transfer", now);
        });
        return { status: 202, body: { transfer: { ...transfer(ctx.request, version, t), auth_key: t.authKey } } };
      },
    }),
    list(false),
    list(true),
    evsOperation({
      name: `CinderShowVolumeTransfer${suffix}`,
      method: "GET",
      path: `${base}/{transfer_id}`,
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const id = ctx.input.path.transfer_id!;
        const t = ctx.svc.store.transfers.get(p.projectId, id);
        if (!t) throw evsErrors.transferNotFound(id);
        return { body: { transfer: transfer(ctx.request, version, t) } };
      },
    }),
    evsOperation({
      name: `CinderDeleteVolumeTransfer${suffix}`,
      method: "DELETE",
      path: `${base}/{transfer_id}`,
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const { store } = ctx.svc;
        const id = ctx.input.path.transfer_id!;
        const t = store.transfers.get(p.projectId, id);
        if (!t) throw evsErrors.transferNotFound(id);
        store.tx(() => {
          store.transfers.remove(t.id);
          store.setStatus(p.projectId, t.volumeId, "available", ctx.clock.now());
        });
        return { status: 202 };
      },
    }),
    evsOperation({
      name: `CinderAcceptVolumeTransfer${suffix}`,
      method: "POST",
      path: `${base}/{transfer_id}/accept`,
      body: z.object({ accept: z.object({ auth_key: z.string() }) }),
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const { store } = ctx.svc;
        const id = ctx.input.path.transfer_id!;
        const t = store.transfers.pending(id);
        if (!t) throw evsErrors.transferNotFound(id);
        if (ctx.input.body.accept.auth_key !== t.authKey) throw evsErrors.malformedBody("Invalid auth key.");
        if (t.projectId === p.projectId) throw evsErrors.malformedBody("A volume is not transferred to its own project.");
        const v = store.volume(t.projectId, t.volumeId)!;
        if (!zonesOf(p).includes(v.availabilityZone)) throw evsErrors.invalidAvailabilityZone(v.availabilityZone);
        const used = store.usage(p.projectId);
        if (used.volumes + 1 > store.quota.volumes) throw evsErrors.volumeCountQuota();
        if (used.gigabytes + v.size > store.quota.gigabytes) throw evsErrors.gigabytesQuota();
        store.tx(() => store.transfers.accept(t, { projectId: p.projectId, userId: p.userId }, ctx.clock.now()));
        return { status: 202, body: { transfer: transfer(ctx.request, version, { ...t, projectId: p.projectId }, false) } };
      },
    }),
  ];
});
