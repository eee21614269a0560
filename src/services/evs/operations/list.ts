// The volume lists: details (ListVolumes, GET /v2/{project_id}/cloudvolumes/detail) and the deprecated summary
// (GET /v2/{project_id}/cloudvolumes). Paging as EVS documents it: marker (id of the previous page's last
// volume) and/or offset, then limit (1–1000, default 1000); "count" is the total before paging, and
// volumes_links carries the next page's URL when there is one.
import { z } from "../../../kernel/zod.ts";
import type { RequestInfo } from "../../../kernel/service.ts";
import { evsOperation, isUuid, requireProject, viewBase, zonesOf, type EvsContext, type ProjectScope } from "../context.ts";
import { evsErrors } from "../errors.ts";
import { VOLUME_STATUSES, type AttachmentRow, type StringMap, type VolumeRow } from "../store.ts";
import { volumeTypeId } from "../rules.ts";
import * as views from "../views.ts";

const Q = z.string().optional();

export const ListQuery = z.object({
  marker: Q,
  offset: Q,
  limit: Q,
  sort_key: Q,
  sort_dir: Q,
  name: Q,
  status: Q,
  metadata: Q,
  availability_zone: Q,
  multiattach: Q,
  service_type: Q,
  volume_type_id: Q,
  volume_type: Q,
  id: Q,
  ids: Q,
  server_id: Q,
  enterprise_project_id: Q,
  dedicated_storage_id: Q,
  dedicated_storage_name: Q,
});
export type ListQuery = z.output<typeof ListQuery>;

const SORT_KEYS: Record<string, (v: VolumeRow) => string | number> = {
  id: (v) => v.id,
  name: (v) => v.name,
  status: (v) => v.status,
  size: (v) => v.size,
  created_at: (v) => v.createdAt,
  updated_at: (v) => v.updatedAt,
};

const MAX_LIMIT = 1000;

function integer(raw: string | undefined, what: "limit" | "offset"): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?[0-9]{1,15}$/.test(raw)) throw evsErrors.malformedUrl(`${what} param must be an integer.`);
  return Number(raw);
}

function parseMetadataFilter(raw: string): StringMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw evsErrors.invalidMetadataFilter();
  }
  const r = z.record(z.string(), z.string()).safeParse(parsed);
  if (!r.success) throw evsErrors.invalidMetadataFilter();
  return r.data;
}

function parseIds(raw: string): string[] {
  // ids=["id1","id2"] as EVS documents it; a bare comma-separated list is accepted too.
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw.split(",").map((s) => s.trim());
  }
  const r = z.array(z.string()).max(60).safeParse(parsed);
  if (!r.success) throw evsErrors.malformedUrl("ids is a JSON array of at most 60 volume ids.");
  return r.data;
}

type Filter = (v: VolumeRow, attachments: AttachmentRow[]) => boolean;

function filtersOf(q: ListQuery, p: ProjectScope): Filter[] {
  const f: Filter[] = [];
  const eq = (raw: string | undefined, value: (v: VolumeRow) => string) => {
    if (raw !== undefined) f.push((v) => value(v) === raw);
  };
  if (q.status !== undefined && !(VOLUME_STATUSES as readonly string[]).includes(q.status)) throw evsErrors.invalidStatus();
  if (q.availability_zone !== undefined && !zonesOf(p).includes(q.availability_zone)) throw evsErrors.invalidAzFilter();
  if (q.multiattach !== undefined && q.multiattach !== "true" && q.multiattach !== "false") {
    throw evsErrors.malformedUrl("multiattach is true or false.");
  }
  eq(q.name, (v) => v.name);
  eq(q.status, (v) => v.status);
  eq(q.availability_zone, (v) => v.availabilityZone);
  eq(q.multiattach, (v) => String(v.multiattach));
  eq(q.service_type, () => "EVS");
  eq(q.volume_type, (v) => v.volumeType);
  eq(q.volume_type_id, (v) => volumeTypeId(v.volumeType));
  if (q.dedicated_storage_id !== undefined || q.dedicated_storage_name !== undefined) f.push(() => false);
  if (q.enterprise_project_id !== undefined && q.enterprise_project_id !== "all_granted_eps") {
    eq(q.enterprise_project_id, (v) => v.enterpriseProjectId);
  }
  if (q.ids !== undefined) {
    const ids = new Set(parseIds(q.ids));
    f.push((v) => ids.has(v.id));
  } else eq(q.id, (v) => v.id);
  if (q.metadata !== undefined) {
    const wanted = Object.entries(parseMetadataFilter(q.metadata));
    f.push((v) => wanted.every(([k, val]) => v.metadata[k] === val));
  }
  if (q.server_id !== undefined) {
    const server = q.server_id;
    f.push((_, attachments) => attachments.some((a) => a.serverId === server));
  }
  return f;
}

export interface Page {
  volumes: VolumeRow[];
  attachments: Map<string, AttachmentRow[]>;
  count: number;
  next: string | undefined;
}

/** One page of the project's volumes; `path` follows the API version in the next link (cloudvolumes/detail, or volumes/detail under v3). */
export function page(svc: EvsContext, p: ProjectScope, q: ListQuery, request: RequestInfo, path: string, version = "v2"): Page {
  const sortKey = q.sort_key ?? "created_at";
  const key = Object.hasOwn(SORT_KEYS, sortKey) ? SORT_KEYS[sortKey] : undefined;
  if (!key) throw evsErrors.invalidSortKey();
  const dir = q.sort_dir ?? "desc";
  if (dir !== "asc" && dir !== "desc") throw evsErrors.invalidSortDir();
  const limit = integer(q.limit, "limit") ?? MAX_LIMIT;
  if (limit < 1) throw evsErrors.malformedUrl("limit param must be positive.");
  if (limit > MAX_LIMIT) throw evsErrors.invalidLimitMax();
  const offset = integer(q.offset, "offset") ?? 0;
  if (offset < 0) throw evsErrors.malformedUrl("offset param must be an integer not below 0.");
  if (q.marker !== undefined && !isUuid(q.marker)) throw evsErrors.invalidMarker();

  const attachments = svc.store.attachmentsByVolume(p.projectId);
  const filters = filtersOf(q, p);
  const sign = dir === "desc" ? -1 : 1;
  const matching = svc.store
    .volumes(p.projectId)
    .filter((v) => filters.every((f) => f(v, attachments.get(v.id) ?? [])))
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  let start = 0;
  if (q.marker !== undefined) {
    const at = matching.findIndex((v) => v.id === q.marker);
    if (at < 0) throw evsErrors.invalidMarker();
    start = at + 1;
  }
  start += offset;
  const volumes = matching.slice(start, start + limit);
  const last = volumes[volumes.length - 1];
  const more = last !== undefined && start + limit < matching.length;
  const next = more ? `${request.serviceBase}/${version}/${p.projectId}/${path}?limit=${limit}&marker=${last.id}` : undefined;
  return { volumes, attachments, count: matching.length, next };
}

export const links = (next: string | undefined) => (next ? { volumes_links: [{ href: next, rel: "next" }] } : {});

export const listVolumes = evsOperation({
  name: "ListVolumes",
  method: "GET",
  path: "/v2/{project_id}/cloudvolumes/detail",
  query: ListQuery,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const r = page(ctx.svc, p, ctx.input.query, ctx.request, "cloudvolumes/detail");
    const base = viewBase(ctx.request, p);
    return {
      body: {
        volumes: r.volumes.map((v) => views.volume(v, r.attachments.get(v.id) ?? [], base)),
        count: r.count,
        ...links(r.next),
      },
    };
  },
});

export const listVolumesSummary = evsOperation({
  name: "ListVolumesSummary",
  method: "GET",
  path: "/v2/{project_id}/cloudvolumes",
  query: ListQuery,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const r = page(ctx.svc, p, ctx.input.query, ctx.request, "cloudvolumes");
    const base = viewBase(ctx.request, p);
    return { body: { volumes: r.volumes.map((v) => views.volumeSummary(v, base)), ...links(r.next) } };
  },
});

export const listOperations = [listVolumes, listVolumesSummary];
