// What every ECS handler gets as ctx.svc, and the scope rules they share: every ECS API is project-level,
// so a handler works in the project of its path (the gateway has already checked that the caller may).
import { z } from "../../kernel/zod.ts";
import type { JobsApi } from "../../kernel/jobs.ts";
import { availabilityZones } from "../../kernel/regions.ts";
import type { Scope } from "../../kernel/service.ts";
import { operationsFor } from "../../kernel/service.ts";
import { ecsErrors, ecsServiceErrors } from "./errors.ts";
import type { EvsApi } from "../evs/api.ts";
import type { ImsApi } from "../ims/api.ts";
import type { VpcApi } from "../vpc/api.ts";
import type { EcsStore } from "./store.ts";

export interface EcsContext {
  store: EcsStore;
  jobs: JobsApi;
  /** The services a server is made of; read when called, since services start in order. */
  vpc: () => VpcApi;
  evs: () => EvsApi;
  ims: () => ImsApi;
  /** How long booting, stopping, starting and rebooting take on hwlocal's clock. */
  bootMs: number;
  /** The project's server quota (--ecs-max-servers); cores and RAM scale with it. */
  quota: { instances: number; cores: number; ram: number };
}

export const ecsOperation = operationsFor<EcsContext>(ecsServiceErrors);

/** The project an ECS call acts in, its region, and the calling user. */
export interface ProjectScope {
  projectId: string;
  region: string;
  userId: string;
}

export function projectScope(scope: Scope | undefined): ProjectScope {
  if (!scope?.projectId || !scope.region) throw ecsErrors.forbidden("The request names no project.");
  return { projectId: scope.projectId, region: scope.region, userId: scope.principal.userId };
}

/** The availability zones of the caller's region. */
export function zonesOf(p: ProjectScope): string[] {
  return availabilityZones(p.region);
}

/** A whole number in a query string, within bounds. */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,10}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}
