// What every IMS handler gets as ctx.svc, and the lookups they share: an image is visible to a project when
// it is public or the project's own; another project's private image is "not found", never data.
import type { JobsApi } from "../../kernel/jobs.ts";
import { operationsFor, type Operation, type Scope } from "../../kernel/service.ts";
import type { EcsApi } from "../ecs/api.ts";
import type { EvsApi } from "../evs/api.ts";
import { publicImage, PUBLIC_IMAGES } from "./catalogue.ts";
import { imsErrors, imsServiceErrors } from "./errors.ts";
import type { ImageRecord } from "./model.ts";
import type { ImsStore } from "./store.ts";

export interface ImsContext {
  store: ImsStore;
  jobs: JobsApi;
  /** The services an image is made from; read when called, since services start in order. */
  ecs: () => EcsApi;
  evs: () => EvsApi;
}

export const imsOperation = operationsFor<ImsContext>(imsServiceErrors);

/** An operation served again on IMS's /v2.1 ("safe mode") path under its own name, with the same behaviour. */
export function inSafeMode(op: Operation<ImsContext>, name: string, path: string): Operation<ImsContext> {
  return { ...op, name, path };
}

/** The project the caller acts in, when it named one (X-Project-Id, a project-scoped token, or the path). */
export function projectOf(scope: Scope | undefined): string | undefined {
  return scope?.projectId;
}

export function requireProject(scope: Scope | undefined): string {
  const p = scope?.projectId;
  if (!p) throw imsErrors.projectInvalid("The request names no project: send X-Project-Id or use a project-scoped token.");
  return p;
}

/** A public image, the project's own private image, or one shared with it (any member status, as glance shows it). */
export function findImage(store: ImsStore, projectId: string | undefined, id: string): ImageRecord | undefined {
  return publicImage(id) ?? (projectId ? (store.image(projectId, id) ?? sharedImage(store, projectId, id)) : undefined);
}

function sharedImage(store: ImsStore, projectId: string, id: string): ImageRecord | undefined {
  const m = store.sharing.member(id, projectId);
  const i = m ? store.image(m.ownerProjectId, id) : undefined;
  return i && { ...i, visibility: "shared", imageType: "shared" };
}

/** The images shared with a project whose membership has one of the statuses. */
export function sharedImages(store: ImsStore, projectId: string, statuses: readonly string[]): ImageRecord[] {
  return store.sharing
    .sharedWith(projectId)
    .filter((m) => statuses.includes(m.status))
    .flatMap((m) => {
      const i = store.image(m.ownerProjectId, m.imageId);
      return i ? [{ ...i, visibility: "shared" as const, imageType: "shared" as const }] : [];
    });
}

export function requireImage(store: ImsStore, projectId: string | undefined, id: string): ImageRecord {
  const i = findImage(store, projectId, id);
  if (!i) throw imsErrors.imageNotFound(id);
  return i;
}

/** Every image a project sees: the public catalogue, its private images, and those shared with it that it accepted. */
export function visibleImages(store: ImsStore, projectId: string | undefined): ImageRecord[] {
  return projectId ? [...PUBLIC_IMAGES, ...store.images(projectId), ...sharedImages(store, projectId, ["accepted"])] : [...PUBLIC_IMAGES];
}
