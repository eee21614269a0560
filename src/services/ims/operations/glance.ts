// Glance v2 over IMS: GlanceListImages (glance's body with first/next links: filters name, status,
// visibility (shared: images other projects share with the caller), member_status, owner, id, tag, the IMS
// filters, sort=key:dir or sort_key/sort_dir, limit (default 25) and marker), image tags, and image members
// (the owner shares a private image with another project, which accepts or rejects it).
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { imsOperation, projectOf, requireImage, requireProject, sharedImages, visibleImages, type ImsContext } from "../context.ts";
import { imsErrors } from "../errors.ts";
import type { ImageRecord } from "../model.ts";
import { MEMBER_STATUSES, type MemberRow } from "../store-sharing.ts";
import * as views from "../views.ts";
import { FILTERS, ListQuery, validate } from "./images.ts";

const Q = z.string().optional();
const GlanceQuery = ListQuery.extend({ sort: Q, tag: Q, member_status: Q });

/** Glance's page size when the request gives none, and its largest (api_limit_max). */
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;
/** Glance's image_tag_quota. */
const MAX_TAGS = 128;

function candidates(svc: ImsContext, projectId: string | undefined, q: z.output<typeof GlanceQuery>): ImageRecord[] {
  const memberStatus = q.member_status ?? "accepted";
  if (!["all", ...MEMBER_STATUSES].includes(memberStatus)) throw imsErrors.invalidUrl("member_status must be pending, accepted, rejected or all.");
  if (q.visibility === "shared") {
    return projectId ? sharedImages(svc.store, projectId, memberStatus === "all" ? MEMBER_STATUSES : [memberStatus]) : [];
  }
  return visibleImages(svc.store, projectId);
}

export const glanceListImages = imsOperation({
  name: "GlanceListImages",
  method: "GET",
  path: "/v2/images",
  query: GlanceQuery,
  handle(ctx) {
    const raw = ctx.input.query;
    // glance's sort=key:dir[,key:dir…]: the first key orders the list
    const [sortKey, sortDir] = (raw.sort ?? "").split(",")[0]!.split(":");
    const q = { ...raw, sort_key: raw.sort_key ?? (sortKey || undefined), sort_dir: raw.sort_dir ?? (sortDir || undefined) };
    const { sortKey: key, desc } = validate(q);
    const limit = Math.min(q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit), MAX_LIMIT);
    const projectId = projectOf(ctx.scope);
    const { sharing } = ctx.svc.store;
    const tagsOf = (i: ImageRecord) => sharing.tags(i.owner, i.id);
    const sign = desc ? -1 : 1;
    const images = candidates(ctx.svc, projectId, q)
      .filter((i) => FILTERS.every(([k, value]) => q[k] === undefined || value(i) === q[k]))
      .filter((i) => q.tag === undefined || tagsOf(i).includes(q.tag))
      .sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
        return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      });
    let start = 0;
    if (q.marker !== undefined) {
      const at = images.findIndex((i) => i.id === q.marker);
      if (at < 0) throw imsErrors.imageNotFound(q.marker);
      start = at + 1;
    }
    const page = images.slice(start, start + limit);
    // Glance's links are relative to the endpoint and keep the request's filters.
    const params = new URLSearchParams(Object.entries(raw).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== "marker"));
    const first = `/v2/images${params.size ? `?${params.toString()}` : ""}`;
    const last = page[page.length - 1];
    const more = last !== undefined && start + limit < images.length;
    if (more) {
      params.set("marker", last.id);
      params.set("limit", String(limit));
    }
    return {
      body: {
        images: page.map((i) => views.image(i, tagsOf(i))),
        schema: "/v2/schemas/images",
        first,
        ...(more ? { next: `/v2/images?${params.toString()}` } : {}),
      },
    };
  },
});

/** The caller's own private image: only its owner tags it or shares it. */
export function ownImage(svc: ImsContext, projectId: string, id: string): ImageRecord {
  const i = requireImage(svc.store, projectId, id);
  if (i.visibility !== "private" || i.owner !== projectId) throw imsErrors.notOwner();
  return i;
}

export const glanceCreateTag = imsOperation({
  name: "GlanceCreateTag",
  method: "PUT",
  path: "/v2/images/{image_id}/tags/{tag}",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    const tag = ctx.input.path.tag!;
    if (tag.length === 0 || tag.length > 255) throw imsErrors.invalidUrl("A tag has 1 to 255 characters.");
    const tags = ctx.svc.store.sharing.tags(projectId, i.id);
    if (!tags.includes(tag) && tags.length >= MAX_TAGS) throw imsErrors.invalidUrl(`An image has at most ${MAX_TAGS} tags.`);
    ctx.svc.store.sharing.addTag(projectId, i.id, tag, ctx.clock.now());
    return { status: 204 };
  },
});

export const glanceDeleteTag = imsOperation({
  name: "GlanceDeleteTag",
  method: "DELETE",
  path: "/v2/images/{image_id}/tags/{tag}",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    const tag = ctx.input.path.tag!;
    if (!ctx.svc.store.sharing.removeTag(projectId, i.id, tag)) throw imsErrors.tagNotFound(tag);
    return { status: 204 };
  },
});

export function member(m: MemberRow) {
  return {
    member_id: m.memberId,
    image_id: m.imageId,
    status: m.status,
    created_at: isoSeconds(m.createdAt),
    updated_at: isoSeconds(m.updatedAt),
    schema: "/v2/schemas/member",
  };
}

export const PROJECT_ID = /^[0-9a-f]{32}$/;

export const glanceAddImageMember = imsOperation({
  name: "GlanceAddImageMember",
  method: "POST",
  path: "/v2/images/{image_id}/members",
  body: z.object({ member: z.string() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    if (i.status !== "active") throw imsErrors.imageUnavailable();
    const memberId = ctx.input.body.member;
    if (!PROJECT_ID.test(memberId)) throw imsErrors.memberInvalid("member is a project id (32 hexadecimal characters).");
    if (memberId === projectId) throw imsErrors.memberInvalid("An image is not shared with its own project.");
    const { sharing } = ctx.svc.store;
    if (sharing.member(i.id, memberId)) throw imsErrors.memberExists(memberId);
    sharing.addMember(projectId, i.id, memberId, ctx.clock.now());
    return { body: member(sharing.member(i.id, memberId)!) };
  },
});

/** The membership the caller may see: any of its image's (owner), or its own (member). */
export function visibleMember(svc: ImsContext, projectId: string, imageId: string, memberId: string): MemberRow {
  const i = requireImage(svc.store, projectId, imageId);
  if (i.owner !== projectId && memberId !== projectId) throw imsErrors.memberNotFound(memberId);
  const m = svc.store.sharing.member(i.id, memberId);
  if (!m) throw imsErrors.memberNotFound(memberId);
  return m;
}

export const glanceListImageMembers = imsOperation({
  name: "GlanceListImageMembers",
  method: "GET",
  path: "/v2/images/{image_id}/members",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = requireImage(ctx.svc.store, projectId, ctx.input.path.image_id!);
    if (i.visibility === "public") return { body: { members: [], schema: "/v2/schemas/members" } };
    const { sharing } = ctx.svc.store;
    const rows = i.owner === projectId ? sharing.members(projectId, i.id) : [sharing.member(i.id, projectId)!];
    return { body: { members: rows.map(member), schema: "/v2/schemas/members" } };
  },
});

export const glanceShowImageMember = imsOperation({
  name: "GlanceShowImageMember",
  method: "GET",
  path: "/v2/images/{image_id}/members/{member_id}",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    return { body: member(visibleMember(ctx.svc, projectId, ctx.input.path.image_id!, ctx.input.path.member_id!)) };
  },
});

export const glanceUpdateImageMember = imsOperation({
  name: "GlanceUpdateImageMember",
  method: "PUT",
  path: "/v2/images/{image_id}/members/{member_id}",
  body: z.object({ status: z.enum(MEMBER_STATUSES), vault_id: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const memberId = ctx.input.path.member_id!;
    const m = visibleMember(ctx.svc, projectId, ctx.input.path.image_id!, memberId);
    if (memberId !== projectId) throw imsErrors.notMember();
    ctx.svc.store.sharing.setStatus(m.imageId, memberId, ctx.input.body.status, ctx.clock.now());
    return { body: member(ctx.svc.store.sharing.member(m.imageId, memberId)!) };
  },
});

export const glanceDeleteImageMember = imsOperation({
  name: "GlanceDeleteImageMember",
  method: "DELETE",
  path: "/v2/images/{image_id}/members/{member_id}",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = ownImage(ctx.svc, projectId, ctx.input.path.image_id!);
    const memberId = ctx.input.path.member_id!;
    if (!ctx.svc.store.sharing.removeMember(projectId, i.id, memberId)) throw imsErrors.memberNotFound(memberId);
    return { status: 204 };
  },
});

export const glanceOperations = [
  glanceListImages,
  glanceCreateTag,
  glanceDeleteTag,
  glanceAddImageMember,
  glanceListImageMembers,
  glanceShowImageMember,
  glanceUpdateImageMember,
  glanceDeleteImageMember,
];
