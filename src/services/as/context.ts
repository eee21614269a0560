// What every AS handler gets as ctx.svc, and the rules they share: every AS API is project-level (the
// gateway has checked that the caller may act in the path's project), and lists page by start_number/limit.
import { z } from "../../kernel/zod.ts";
import type { ApiError } from "../../kernel/api-error.ts";
import { availabilityZones } from "../../kernel/regions.ts";
import type { InjectedFailure, JobTarget } from "../../kernel/jobs.ts";
import type { Scope } from "../../kernel/service.ts";
import { operationsFor } from "../../kernel/service.ts";
import type { CesApi } from "../ces/api.ts";
import type { ElbApi } from "../elb/api.ts";
import type { EcsApi, LaunchEnv } from "../ecs/api.ts";
import type { SmnApi } from "../smn/api.ts";
import type { ImsApi } from "../ims/api.ts";
import type { VpcApi } from "../vpc/api.ts";
import { asErrors, asServiceErrors } from "./errors.ts";
import type { AsStore } from "./store.ts";

export interface AsContext {
  store: AsStore;
  /** The services AS validates against; read when called, since services start in order. */
  vpc: () => VpcApi;
  ims: () => ImsApi;
  /** ECS launches and deletes the scaling engine's servers. */
  ecs: () => EcsApi;
  /** Cloud Eye's alarm rules (ALARM policies) and SMN (notifications); undefined when hwlocal runs without them. */
  ces: () => CesApi | undefined;
  smn: () => SmnApi | undefined;
  /** ELB's pools (lbaas_listeners) and members (elb-link.ts); undefined when hwlocal runs without ELB. */
  elb: () => ElbApi | undefined;
  /** Whether AS's hook on Cloud Eye's alarm transitions is registered (alarm-link.ts, done lazily). */
  alarmHook: { registered: boolean };
  /** hwlocal's clock and ids, for the engine's ticker (handlers use ctx.clock and ctx.ids). */
  env: LaunchEnv;
  /** A fault rule's failure for a scaling activity (job_type SCALE_OUT), or undefined. */
  faults: (target: JobTarget) => InjectedFailure | undefined;
}

export const asOperation = operationsFor<AsContext>(asServiceErrors);

export const PROJECT_PATH = "/autoscaling-api/v1/{project_id}";

export interface ProjectScope {
  projectId: string;
  region: string;
}

export function projectScope(scope: Scope | undefined): ProjectScope {
  if (!scope?.projectId || !scope.region) throw asErrors.forbidden("The request names no project.");
  return { projectId: scope.projectId, region: scope.region };
}

export function zonesOf(p: ProjectScope): string[] {
  return availabilityZones(p.region);
}

/** start_number and limit as every AS list takes them: strings checked by the handler (AS.1001/AS.1002). */
export const pagingQuery = {
  start_number: z.string().optional(),
  limit: z.string().optional(),
};

export interface Page {
  start_number: number;
  limit: number;
}

/** start_number ≥ 0 (default 0), limit 0–100 (default 20), as §0.5 documents; errors per list (AS.1001/1002 by default). */
/** A log filter time, yyyy-MM-ddThh:mm:ssZ as AS documents it; `fail` names the parameter's own code. */
export function parseTime(v: string | undefined, fail: (d: string) => Error): number | undefined {
  if (v === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw fail(v.slice(0, 32));
  return ms;
}

export function parsePage(
  q: { start_number?: string; limit?: string },
  errors: { start: (d: string) => ApiError; limit: (d: string) => ApiError } = { start: asErrors.startNumberInvalid, limit: asErrors.limitInvalid },
): Page {
  const start = q.start_number ?? "0";
  const limit = q.limit ?? "20";
  if (!/^\d{1,9}$/.test(start)) throw errors.start(`start_number: ${start.slice(0, 32)}`);
  if (!/^\d{1,3}$/.test(limit) || Number(limit) > 100) throw errors.limit(`limit: ${limit.slice(0, 32)}`);
  return { start_number: Number(start), limit: Number(limit) };
}

/** A page of a list with the echo AS answers: total_number, start_number, limit and the items. */
export function paged<T, V>(key: string, rows: T[], page: Page, view: (row: T) => V): Record<string, unknown> {
  return {
    total_number: rows.length,
    start_number: page.start_number,
    limit: page.limit,
    [key]: rows.slice(page.start_number, page.start_number + page.limit).map(view),
  };
}

/** A path parameter, which the router always fills. */
export function pathParam(path: Record<string, string>, name: string): string {
  return path[name] ?? "";
}
