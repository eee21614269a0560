// What every EVS handler gets as ctx.svc, and the lookups they share. Volumes are looked up inside the
// caller's project only: another project's volume is "not found", never data.
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import type { JobsApi } from "../../kernel/jobs.ts";
import { availabilityZones } from "../../kernel/regions.ts";
import { operationsFor, type RequestInfo, type Scope } from "../../kernel/service.ts";
import type { ImsApi } from "../ims/api.ts";
import { evsErrors, evsServiceErrors } from "./errors.ts";
import type { EvsStore, VolumeRow } from "./store.ts";
import type { ViewBase } from "./views.ts";

export interface EvsContext {
  store: EvsStore;
  jobs: JobsApi;
  /** IMS, read when a volume is made from an image (a function: services start in order). */
  ims: () => ImsApi;
  /** For the EvsApi, which runs outside any request. */
  clock: Clock;
  ids: Ids;
}

export const evsOperation = operationsFor<EvsContext>(evsServiceErrors);

export interface ProjectScope {
  projectId: string;
  region: string;
  userId: string;
}

/** Every EVS path names the project, so the gateway has resolved it (and its region) for us. */
export function requireProject(scope: Scope | undefined): ProjectScope {
  if (!scope?.projectId || !scope.region) throw evsErrors.forbidden("The request names no project.");
  return { projectId: scope.projectId, region: scope.region, userId: scope.principal.userId };
}

export function zonesOf(p: ProjectScope): string[] {
  return availabilityZones(p.region);
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

export function requireVolume(store: EvsStore, p: ProjectScope, id: string): VolumeRow {
  if (!isUuid(id)) throw evsErrors.invalidVolumeId(id);
  const v = store.volume(p.projectId, id);
  if (!v) throw evsErrors.volumeNotFound(id);
  return v;
}

export function viewBase(request: RequestInfo, p: ProjectScope): ViewBase {
  return { serviceBase: request.serviceBase, region: p.region };
}
