// EVS's own snapshot reads over the cinder snapshots (cinder-snapshots.ts): ListSnapshots
// (GET /v2/{project_id}/cloudsnapshots/detail: offset/limit paging, name, status, volume_id, id,
// availability_zone (the volume's zone) filters, `count` of all matches and snapshots_links) and ShowSnapshot.
// RollbackSnapshot (and RollbackVendorSnapshot(V3) on os-vendor-snapshots): 202 {rollback: {volume_id,
// volume_name}}; the snapshot's own volume only, both available (EVS.5400 otherwise). Doubt: the data is not
// modelled, so a rollback is immediate and changes only the volume's name when one is given.
// UpdateSnapshot (name, description; {snapshot}; both empty is EVS.1007), CreateSnapshot (202 {snapshot}, "creating" until EVS_TIMINGS' create time) and DeleteSnapshot (202, an
// available snapshot only, at once) share cinder's rules. Each snapshot carries the detail view plus EVS's
// service_type "EVS". The dedicated storage and enterprise
// project filters are accepted and match every snapshot (hwlocal has neither).
import { z } from "../../../kernel/zod.ts";
import { evsOperation, requireProject } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { checkDescription, checkName } from "../rules.ts";
import type { SnapshotRow } from "../store-snapshots.ts";
import { CreateSnapshotBody, dropSnapshot, snapshotOf, statusOf, takeSnapshot, view } from "./cinder-snapshots.ts";

const MAX_LIMIT = 1000;

const evsView = (s: SnapshotRow, now: number) => ({ ...view(s, now, true), service_type: "EVS" });

export const listSnapshots = evsOperation({
  name: "ListSnapshots",
  method: "GET",
  path: "/v2/{project_id}/cloudsnapshots/detail",
  query: z.object({
    offset: z.string().regex(/^\d{1,9}$/, "must be a whole number").optional(),
    limit: z.string().regex(/^\d{1,4}$/, "must be a whole number").optional(),
    name: z.string().optional(),
    status: z.string().optional(),
    volume_id: z.string().optional(),
    availability_zone: z.string().optional(),
    id: z.string().optional(),
    dedicated_storage_name: z.string().optional(),
    dedicated_storage_id: z.string().optional(),
    service_type: z.string().optional(),
    enterprise_project_id: z.string().optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const q = ctx.input.query;
    const now = ctx.clock.now();
    const limit = Number(q.limit ?? MAX_LIMIT);
    if (limit > MAX_LIMIT) throw evsErrors.invalidLimitMax();
    const offset = Number(q.offset ?? 0);
    const zoneOf = (s: SnapshotRow) => ctx.svc.store.volume(p.projectId, s.volumeId)?.availabilityZone;
    // Newest first.
    const rows = ctx.svc.store.snapshots
      .list(p.projectId)
      .filter(
        (s) =>
          (q.name === undefined || s.name === q.name) &&
          (q.status === undefined || statusOf(s, now) === q.status) &&
          (q.volume_id === undefined || s.volumeId === q.volume_id) &&
          (q.id === undefined || s.id === q.id) &&
          (q.service_type === undefined || q.service_type === "EVS") &&
          (q.availability_zone === undefined || zoneOf(s) === q.availability_zone),
      )
      .reverse();
    const page = limit === 0 ? [] : rows.slice(offset, offset + limit);
    const more = limit > 0 && offset + limit < rows.length;
    const next = `${ctx.request.serviceBase}/v2/${p.projectId}/cloudsnapshots/detail?limit=${limit}&offset=${offset + limit}`;
    return {
      body: {
        snapshots: page.map((s) => evsView(s, now)),
        count: rows.length,
        ...(more ? { snapshots_links: [{ href: next, rel: "next" }] } : {}),
      },
    };
  },
});

export const showSnapshot = evsOperation({
  name: "ShowSnapshot",
  method: "GET",
  path: "/v2/{project_id}/cloudsnapshots/{snapshot_id}",
  handle(ctx) {
    const s = snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!);
    return { body: { snapshot: evsView(s, ctx.clock.now()) } };
  },
});

export const createSnapshot = evsOperation({
  name: "CreateSnapshot",
  method: "POST",
  path: "/v2/{project_id}/cloudsnapshots",
  body: CreateSnapshotBody,
  handle(ctx) {
    const now = ctx.clock.now();
    const s = takeSnapshot(ctx.svc, requireProject(ctx.scope), ctx.ids.uuid(), now, ctx.input.body.snapshot);
    return { status: 202, body: { snapshot: evsView(s, now) } };
  },
});

export const deleteSnapshot = evsOperation({
  name: "DeleteSnapshot",
  method: "DELETE",
  path: "/v2/{project_id}/cloudsnapshots/{snapshot_id}",
  handle(ctx) {
    dropSnapshot(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!, ctx.clock.now());
    return { status: 202 };
  },
});

export const updateSnapshot = evsOperation({
  name: "UpdateSnapshot",
  method: "PUT",
  path: "/v2/{project_id}/cloudsnapshots/{snapshot_id}",
  body: z.object({ snapshot: z.object({ name: z.string().nullish(), description: z.string().nullish() }) }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const s = snapshotOf(ctx.svc, p, ctx.input.path.snapshot_id!);
    const name = ctx.input.body.snapshot.name ?? undefined;
    const description = ctx.input.body.snapshot.description ?? undefined;
    if (name === undefined && description === undefined) throw evsErrors.nameAndDescriptionEmpty();
    if (name !== undefined) checkName(name);
    if (description !== undefined) checkDescription(description);
    const now = ctx.clock.now();
    ctx.svc.store.snapshots.update(p.projectId, s.id, { name, description }, now);
    return { body: { snapshot: evsView(ctx.svc.store.snapshots.get(p.projectId, s.id)!, now) } };
  },
});

const RollbackBody = z.object({ rollback: z.object({ volume_id: z.string(), name: z.string().nullish() }) });

/** RollbackSnapshot and its vendor twins: the snapshot's own volume, both available; the volume keeps its size. */
const rollback = (name: string, path: string) =>
  evsOperation({
    name,
    method: "POST",
    path,
    body: RollbackBody,
    handle(ctx) {
      const p = requireProject(ctx.scope);
      const now = ctx.clock.now();
      const s = snapshotOf(ctx.svc, p, ctx.input.path.snapshot_id!);
      const b = ctx.input.body.rollback;
      if (b.volume_id !== s.volumeId) throw evsErrors.malformedBody(`Snapshot ${s.id} rolls back only to its own volume ${s.volumeId}.`);
      const v = ctx.svc.store.volume(p.projectId, s.volumeId);
      if (!v) throw evsErrors.volumeNotFound(s.volumeId);
      if (statusOf(s, now) !== "available" || v.status !== "available") {
        throw evsErrors.invalidStatus(`A rollback needs an available snapshot and an available volume; ${v.id} is ${v.status}.`);
      }
      if (typeof b.name === "string") checkName(b.name);
      if (typeof b.name === "string" && b.name !== "") ctx.svc.store.update(p.projectId, v.id, { name: b.name }, now);
      return { status: 202, body: { rollback: { volume_id: v.id, volume_name: b.name || v.name } } };
    },
  });

export const snapshotOperations = [
  listSnapshots,
  showSnapshot,
  createSnapshot,
  deleteSnapshot,
  updateSnapshot,
  rollback("RollbackSnapshot", "/v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback"),
  rollback("RollbackVendorSnapshot", "/v2/{project_id}/os-vendor-snapshots/{snapshot_id}/rollback"),
  rollback("RollbackVendorSnapshotV3", "/v3/{project_id}/os-vendor-snapshots/{snapshot_id}/rollback"),
];
