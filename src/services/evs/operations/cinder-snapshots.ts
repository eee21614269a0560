// Cinder's volume snapshots on /v2 and /v3 (V3 suffix): create (202, "creating" until EVS_TIMINGS' create
// time has passed on hwlocal's clock, then "available"), list and detail (name, status, volume_id filters,
// marker/offset/limit paging with snapshots_links), show, update, delete (202), and their metadata.
import { z } from "../../../kernel/zod.ts";
import type { RequestInfo } from "../../../kernel/service.ts";
import { evsOperation, isUuid, requireProject, type EvsContext, type ProjectScope } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { EVS_TIMINGS } from "../jobs.ts";
import { checkDescription, checkName } from "../rules.ts";
import type { SnapshotRow } from "../store-snapshots.ts";
import { evsTime } from "../views.ts";

const VERSIONS = [
  ["v2", ""],
  ["v3", "V3"],
] as const;

const Text = z.string().nullish();
const Metadata = z.record(z.string(), z.string());
const MAX_LIMIT = 1000;

export const statusOf = (s: SnapshotRow, now: number) => (now >= s.readyAt ? "available" : "creating");

export function view(s: SnapshotRow, now: number, detail: boolean) {
  const status = statusOf(s, now);
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    status,
    size: s.size,
    volume_id: s.volumeId,
    metadata: s.metadata,
    created_at: evsTime(s.createdAt),
    updated_at: evsTime(s.updatedAt),
    ...(detail
      ? { "os-extended-snapshot-attributes:progress": status === "available" ? "100%" : "0%", "os-extended-snapshot-attributes:project_id": s.projectId }
      : {}),
  };
}

export function snapshotOf(svc: EvsContext, p: ProjectScope, id: string): SnapshotRow {
  const s = isUuid(id) ? svc.store.snapshots.get(p.projectId, id) : undefined;
  if (!s) throw evsErrors.snapshotNotFound(id);
  return s;
}

export const CreateSnapshotBody = z.object({
  snapshot: z.object({
    volume_id: z.string(),
    force: z.union([z.boolean(), z.enum(["true", "false", "True", "False"])]).nullish(),
    name: Text,
    description: Text,
    metadata: Metadata.nullish(),
  }),
});

/** Takes a snapshot of an available volume (or an in-use one with force); it is "creating" until EVS_TIMINGS' create time. */
export function takeSnapshot(svc: EvsContext, p: ProjectScope, id: string, now: number, b: z.output<typeof CreateSnapshotBody>["snapshot"]): SnapshotRow {
  const v = isUuid(b.volume_id) ? svc.store.volume(p.projectId, b.volume_id) : undefined;
  if (!v) throw evsErrors.volumeNotFound(b.volume_id);
  const force = b.force === true || b.force === "true" || b.force === "True";
  if (!(v.status === "available" || (v.status === "in-use" && force))) {
    throw evsErrors.invalidStatus(`A snapshot is taken of an available volume (or an in-use one with force); ${v.id} is ${v.status}.`);
  }
  if (typeof b.name === "string") checkName(b.name);
  if (typeof b.description === "string") checkDescription(b.description);
  const s: SnapshotRow = {
    id,
    projectId: p.projectId,
    volumeId: v.id,
    name: b.name ?? "",
    description: b.description ?? null,
    size: v.size,
    metadata: b.metadata ?? {},
    createdAt: now,
    updatedAt: now,
    readyAt: now + EVS_TIMINGS.queuedMs + EVS_TIMINGS.createMs,
  };
  svc.store.snapshots.insert(s);
  return s;
}

/** Deletes an available snapshot at once. */
export function dropSnapshot(svc: EvsContext, p: ProjectScope, id: string, now: number): void {
  const s = snapshotOf(svc, p, id);
  if (statusOf(s, now) !== "available") throw evsErrors.invalidStatus(`Snapshot ${s.id} is still being created.`);
  svc.store.snapshots.remove(p.projectId, s.id);
}

const ListQuery = z.object({
  name: z.string().optional(),
  status: z.string().optional(),
  volume_id: z.string().optional(),
  limit: z.string().regex(/^\d{1,4}$/, "must be a whole number").optional(),
  offset: z.string().regex(/^\d{1,9}$/, "must be a whole number").optional(),
  marker: z.string().optional(),
  all_tenants: z.string().optional(),
});

function listPage(svc: EvsContext, p: ProjectScope, q: z.output<typeof ListQuery>, now: number, next: (last: string, limit: number) => string) {
  if (q.status !== undefined && !["creating", "available"].includes(q.status)) throw evsErrors.invalidStatus();
  // Newest first, as cinder sorts by created_at desc.
  const rows = svc.store.snapshots
    .list(p.projectId)
    .filter((s) => (q.name === undefined || s.name === q.name) && (q.volume_id === undefined || s.volumeId === q.volume_id))
    .filter((s) => q.status === undefined || statusOf(s, now) === q.status)
    .reverse();
  let start = 0;
  if (q.marker !== undefined) {
    const at = rows.findIndex((s) => s.id === q.marker);
    if (at < 0) throw evsErrors.invalidMarker();
    start = at + 1;
  }
  start += Number(q.offset ?? 0);
  const limit = Math.min(Number(q.limit ?? MAX_LIMIT), MAX_LIMIT);
  const page = rows.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = last !== undefined && start + limit < rows.length;
  return { page, links: more ? { snapshots_links: [{ href: next(last.id, limit), rel: "next" }] } : {} };
}

function saveMetadata(svc: EvsContext, s: SnapshotRow, metadata: Record<string, string>, now: number): Record<string, string> {
  for (const [k, v] of Object.entries(metadata)) {
    if (Buffer.byteLength(k) > 255 || Buffer.byteLength(v) > 255) throw evsErrors.metadataTooLarge("Metadata keys and values have at most 255 bytes.");
  }
  svc.store.snapshots.update(s.projectId, s.id, { metadata }, now);
  return metadata;
}

export const cinderSnapshotOperations = VERSIONS.flatMap(([version, suffix]) => {
  const base = `/${version}/{project_id}/snapshots`;
  const nextHref = (request: RequestInfo, p: ProjectScope, path: string) => (last: string, limit: number) =>
    `${request.serviceBase}/${version}/${p.projectId}/${path}?limit=${limit}&marker=${last}`;
  const list = (detail: boolean) =>
    evsOperation({
      name: `CinderListSnapshots${detail ? "Details" : ""}${suffix}`,
      method: "GET",
      path: detail ? `${base}/detail` : base,
      query: ListQuery,
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const now = ctx.clock.now();
        const r = listPage(ctx.svc, p, ctx.input.query, now, nextHref(ctx.request, p, detail ? "snapshots/detail" : "snapshots"));
        return { body: { snapshots: r.page.map((s) => view(s, now, detail)), ...r.links } };
      },
    });
  const metadataBase = `${base}/{snapshot_id}/metadata`;
  return [
    evsOperation({
      name: `CinderCreateSnapshot${suffix}`,
      method: "POST",
      path: base,
      body: CreateSnapshotBody,
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const now = ctx.clock.now();
        const snap = takeSnapshot(ctx.svc, p, ctx.ids.uuid(), now, ctx.input.body.snapshot);
        return { status: 202, body: { snapshot: view(snap, now, false) } };
      },
    }),
    list(false),
    list(true),
    evsOperation({
      name: `CinderShowSnapshot${suffix}`,
      method: "GET",
      path: `${base}/{snapshot_id}`,
      handle(ctx) {
        const s = snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!);
        return { body: { snapshot: view(s, ctx.clock.now(), true) } };
      },
    }),
    evsOperation({
      name: `CinderUpdateSnapshot${suffix}`,
      method: "PUT",
      path: `${base}/{snapshot_id}`,
      body: z.object({ snapshot: z.object({ name: Text, description: Text, display_name: Text, display_description: Text }) }),
      handle(ctx) {
        const p = requireProject(ctx.scope);
        const s = snapshotOf(ctx.svc, p, ctx.input.path.snapshot_id!);
        const b = ctx.input.body.snapshot;
        const name = b.name ?? b.display_name ?? undefined;
        const description = b.description ?? b.display_description ?? undefined;
        if (name === undefined && description === undefined) throw evsErrors.nameAndDescriptionEmpty();
        if (name !== undefined) checkName(name);
        if (description !== undefined) checkDescription(description);
        const now = ctx.clock.now();
        ctx.svc.store.snapshots.update(p.projectId, s.id, { name, description }, now);
        return { body: { snapshot: view(ctx.svc.store.snapshots.get(p.projectId, s.id)!, now, true) } };
      },
    }),
    evsOperation({
      name: `CinderDeleteSnapshot${suffix}`,
      method: "DELETE",
      path: `${base}/{snapshot_id}`,
      handle(ctx) {
        dropSnapshot(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!, ctx.clock.now());
        return { status: 202 };
      },
    }),
    evsOperation({
      name: `CinderShowSnapshotMetadata${suffix}`,
      method: "GET",
      path: metadataBase,
      handle(ctx) {
        return { body: { metadata: snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!).metadata } };
      },
    }),
    evsOperation({
      name: `CinderAddSnapshotMetadata${suffix}`,
      method: "POST",
      path: metadataBase,
      body: z.object({ metadata: Metadata }),
      handle(ctx) {
        const s = snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!);
        return { body: { metadata: saveMetadata(ctx.svc, s, { ...s.metadata, ...ctx.input.body.metadata }, ctx.clock.now()) } };
      },
    }),
    evsOperation({
      name: `CinderUpdateSnapshotMetadata${suffix}`,
      method: "PUT",
      path: metadataBase,
      body: z.object({ metadata: Metadata }),
      handle(ctx) {
        const s = snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!);
        return { body: { metadata: saveMetadata(ctx.svc, s, { ...ctx.input.body.metadata }, ctx.clock.now()) } };
      },
    }),
    evsOperation({
      name: `CinderShowSnapshotMetadataItem${suffix}`,
      method: "GET",
      path: `${metadataBase}/{key}`,
      handle(ctx) {
        const s = snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!);
        const key = ctx.input.path.key!;
        const value = s.metadata[key];
        if (value === undefined) throw evsErrors.metadataNotFound(key);
        return { body: { meta: { [key]: value } } };
      },
    }),
    evsOperation({
      name: `CinderUpdateSnapshotMetadataItem${suffix}`,
      method: "PUT",
      path: `${metadataBase}/{key}`,
      body: z.object({ meta: Metadata }),
      handle(ctx) {
        const s = snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!);
        const key = ctx.input.path.key!;
        const meta = ctx.input.body.meta;
        if (Object.keys(meta).length !== 1 || meta[key] === undefined) throw evsErrors.malformedBody("meta must hold exactly the key of the path.");
        saveMetadata(ctx.svc, s, { ...s.metadata, ...meta }, ctx.clock.now());
        return { body: { meta } };
      },
    }),
    evsOperation({
      name: `CinderDeleteSnapshotMetadataItem${suffix}`,
      method: "DELETE",
      path: `${metadataBase}/{key}`,
      handle(ctx) {
        const s = snapshotOf(ctx.svc, requireProject(ctx.scope), ctx.input.path.snapshot_id!);
        const key = ctx.input.path.key!;
        if (s.metadata[key] === undefined) throw evsErrors.metadataNotFound(key);
        const rest = { ...s.metadata };
        delete rest[key];
        saveMetadata(ctx.svc, s, rest, ctx.clock.now());
        return { status: 200 };
      },
    }),
  ];
});
