// IMS's own image sharing (v1): BatchAddMembers (POST /v1/cloudimages/members {images, projects}),
// BatchDeleteMembers (DELETE, same body), BatchUpdateMembers (PUT {images, project_id, status:
// accepted|rejected, vault_id?}) answer 200 {job_id}; the job (imsBatchAddMembers, imsBatchDeleteMembers,
// imsBatchUpdateMembers) does the work when it runs, on hwlocal's clock, and ShowJob reports it.
// ListImageMembers (GET /v1/{project_id}/cloudimages/{image_id}/members) and ShowImageMember
// (.../members/{member_id}) answer in glance's member shape. The memberships are glance's (store-sharing.ts):
// a project sees an image shared through either API.
// Checked before the job is accepted: every image is the caller's own active private image (404 IMG.0027,
// 400 IMG.0047, 400 IMG.0046), every project id is 32 hexadecimal characters and not the caller's
// (IMG.0001); for an update, the caller is project_id and each image is shared with it (404 IMG.0027).
// Doubts: the job_type names are ours (the reference names none for these jobs); adding a member the image
// already has and deleting one it lacks are no-ops of the job, not failures; domains and organizations
// (accounts and organisations as members) are refused with IMG.0001 as hwlocal shares with projects only.
import { z } from "../../../kernel/zod.ts";
import type { JobsApi } from "../../../kernel/jobs.ts";
import { imsOperation, requireImage, requireProject, type ImsContext } from "../context.ts";
import { imsErrors } from "../errors.ts";
import type { ImsStore } from "../store.ts";
import { MEMBER_STATUSES } from "../store-sharing.ts";
import { member, ownImage, PROJECT_ID, visibleMember } from "./glance.ts";

export const MEMBER_JOB_TYPES = {
  add: "imsBatchAddMembers",
  remove: "imsBatchDeleteMembers",
  update: "imsBatchUpdateMembers",
} as const;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/** The runners: each applies its whole batch in one step. */
export function registerMemberJobs(jobs: JobsApi, store: ImsStore): void {
  jobs.register(MEMBER_JOB_TYPES.add, (job, now) => {
    for (const image of strings(job.entities.images)) {
      if (!store.image(job.projectId, image)) continue;
      for (const p of strings(job.entities.projects)) if (!store.sharing.member(image, p)) store.sharing.addMember(job.projectId, image, p, now);
    }
    return { status: "SUCCESS" };
  });
  jobs.register(MEMBER_JOB_TYPES.remove, (job) => {
    for (const image of strings(job.entities.images)) for (const p of strings(job.entities.projects)) store.sharing.removeMember(job.projectId, image, p);
    return { status: "SUCCESS" };
  });
  jobs.register(MEMBER_JOB_TYPES.update, (job, now) => {
    const status = MEMBER_STATUSES.find((s) => s === job.entities.status) ?? "pending";
    for (const image of strings(job.entities.images)) if (store.sharing.member(image, job.projectId)) store.sharing.setStatus(image, job.projectId, status, now);
    return { status: "SUCCESS" };
  });
}

const Ids = z.array(z.string()).min(1);
const Batch = z.object({ images: Ids, projects: Ids.optional(), domains: z.array(z.string()).optional(), organizations: z.array(z.string()).optional() });

function checkBatch(svc: ImsContext, projectId: string, b: z.output<typeof Batch>, active: boolean): string[] {
  if ((b.domains?.length ?? 0) > 0 || (b.organizations?.length ?? 0) > 0) throw imsErrors.invalidBody("hwlocal shares images with projects only (projects).");
  const projects = b.projects ?? [];
  if (projects.length === 0) throw imsErrors.invalidBody("projects lists the member projects.");
  for (const p of projects) {
    if (!PROJECT_ID.test(p)) throw imsErrors.memberInvalid(`${p} is not a project id (32 hexadecimal characters).`);
    if (p === projectId) throw imsErrors.memberInvalid("An image is not shared with its own project.");
  }
  for (const id of b.images) {
    const i = ownImage(svc, projectId, id);
    if (active && i.status !== "active") throw imsErrors.imageUnavailable();
  }
  return projects;
}

function submit(svc: ImsContext, projectId: string, jobType: string, entities: Record<string, unknown>, now: number): string {
  return svc.jobs.submit({ service: "ims", projectId, jobType, entities, dueAt: now });
}

export const batchAddMembers = imsOperation({
  name: "BatchAddMembers",
  method: "POST",
  path: "/v1/cloudimages/members",
  body: Batch,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const projects = checkBatch(ctx.svc, projectId, ctx.input.body, true);
    return { body: { job_id: submit(ctx.svc, projectId, MEMBER_JOB_TYPES.add, { images: ctx.input.body.images, projects }, ctx.clock.now()) } };
  },
});

export const batchDeleteMembers = imsOperation({
  name: "BatchDeleteMembers",
  method: "DELETE",
  path: "/v1/cloudimages/members",
  body: Batch,
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const projects = checkBatch(ctx.svc, projectId, ctx.input.body, false);
    return { body: { job_id: submit(ctx.svc, projectId, MEMBER_JOB_TYPES.remove, { images: ctx.input.body.images, projects }, ctx.clock.now()) } };
  },
});

export const batchUpdateMembers = imsOperation({
  name: "BatchUpdateMembers",
  method: "PUT",
  path: "/v1/cloudimages/members",
  body: z.object({ images: Ids, project_id: z.string(), status: z.enum(["accepted", "rejected"]), vault_id: z.string().optional() }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (b.project_id !== projectId) throw imsErrors.notMember();
    for (const id of b.images) visibleMember(ctx.svc, projectId, id, projectId);
    return { body: { job_id: submit(ctx.svc, projectId, MEMBER_JOB_TYPES.update, { images: b.images, status: b.status }, ctx.clock.now()) } };
  },
});

export const listImageMembers = imsOperation({
  name: "ListImageMembers",
  method: "GET",
  path: "/v1/{project_id}/cloudimages/{image_id}/members",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const i = requireImage(ctx.svc.store, projectId, ctx.input.path.image_id!);
    const { sharing } = ctx.svc.store;
    const rows = i.visibility === "public" ? [] : i.owner === projectId ? sharing.members(projectId, i.id) : [sharing.member(i.id, projectId)!];
    return { body: { members: rows.map(member), schema: "/v2/schemas/members" } };
  },
});

export const showImageMember = imsOperation({
  name: "ShowImageMember",
  method: "GET",
  path: "/v1/{project_id}/cloudimages/{image_id}/members/{member_id}",
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    return { body: member(visibleMember(ctx.svc, projectId, ctx.input.path.image_id!, ctx.input.path.member_id!)) };
  },
});

export const memberOperations = [batchAddMembers, batchDeleteMembers, batchUpdateMembers, listImageMembers, showImageMember];
