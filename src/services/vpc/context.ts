// What every VPC handler gets as ctx.svc, the operation builders, and the helpers handlers share: the
// caller's project, Huawei's marker paging, and the query spellings (v3 repeats keys for list filters).
import { z } from "../../kernel/zod.ts";
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import { operationsFor, type HandlerContext, type Scope, type ServiceErrors } from "../../kernel/service.ts";
import { vpcErrors, vpcServiceErrors } from "./errors.ts";
import type { VpcApi } from "./api.ts";
import type { Page, PageRequest, VpcStore } from "./store/index.ts";

export interface VpcContext {
  store: VpcStore;
  /** What other services call through rt.api("vpc"). */
  api: VpcApi;
}

/** What the resource logic (model/) needs: the store, the clock and the id source. */
export interface Env {
  store: VpcStore;
  clock: Clock;
  ids: Ids;
}

export function envOf(ctx: HandlerContext<VpcContext, unknown>): Env {
  return { store: ctx.svc.store, clock: ctx.clock, ids: ctx.ids };
}

export const vpcOperation = operationsFor<VpcContext>(vpcServiceErrors);

/** EIP operations report malformed input with EIP's own code. */
export const eipServiceErrors: ServiceErrors = {
  ...vpcServiceErrors,
  invalidBody: vpcErrors.publicIpInvalid,
  invalidParameter: vpcErrors.publicIpInvalid,
};
export const eipOperation = operationsFor<VpcContext>(eipServiceErrors);

export interface ProjectScope {
  projectId: string;
  region: string;
}

/** Every VPC path names {project_id}, which the gateway has already checked against the credential. */
export function requireProject(scope: Scope | undefined): ProjectScope {
  if (!scope?.projectId || !scope.region) throw vpcErrors.forbidden("The request names no project.");
  return { projectId: scope.projectId, region: scope.region };
}

/** A page of a list, or the 400 Huawei gives for a marker that names nothing. */
export function paged<T>(page: Page<T>, marker: string | undefined): T[] {
  if (page === "bad-marker") throw vpcErrors.invalidMarker(marker ?? "");
  return page;
}

// ------------------------------------------------------------------------------------------ query parts

export const Digits = z.string().regex(/^[0-9]{1,10}$/, "must be a non-negative integer");

/** limit as v1 takes it: 0 … 2^31-1; 0 means no limit. */
export const V1Limit = Digits.transform(Number).pipe(z.number().int().max(2147483647));
/** limit as v3 takes it: 1 … 2000. */
export const V3Limit = Digits.transform(Number).pipe(z.number().int().min(1).max(2000));
export const Marker = z.string().min(1).max(128);

export function pageOf(q: { marker?: string; limit?: number }): PageRequest {
  return { marker: q.marker, limit: q.limit === 0 ? undefined : q.limit };
}

/** A filter that may be repeated (?id=a&id=b): always an array. */
export const Many = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

export const BoolText = z.enum(["true", "false"]).transform((v) => v === "true");

/** v3 list answers carry page_info; next_marker only when the page is full (more may follow). */
export function pageInfo<T extends { id: string }>(items: T[], limit: number | undefined) {
  const first = items[0];
  const last = items[items.length - 1];
  return {
    previous_marker: first?.id ?? null,
    current_count: items.length,
    ...(last && limit !== undefined && items.length >= limit ? { next_marker: last.id } : {}),
  };
}

// ------------------------------------------------------------------------------------------ body parts

/** Huawei's resource names: 1–64 letters, digits, CJK, "_", "-" and ".". */
export const Name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.-]+$/u, "may hold only letters, digits, '_', '-' and '.'");
/** Descriptions: up to 255 characters without "<" or ">". */
export const Description = z
  .string()
  .max(255)
  .regex(/^[^<>]*$/, "may not contain '<' or '>'");
export const EnterpriseProjectId = z.string().regex(/^(0|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, "is not an enterprise project id");
export const Id = z.string().min(1).max(64);

/** v3 tags: [{key, value}]. */
export const V3Tags = z.array(z.object({ key: z.string().min(1).max(128), value: z.string().max(255) })).max(20);

class DryRunPassed extends Error {}

/**
 * v3's dry_run: does everything the real request would (so every check and error is the same), then rolls
 * the transaction back. The caller answers 202.
 */
export function dryRun(store: VpcStore, fn: () => void): void {
  try {
    store.tx(() => {
      fn();
      throw new DryRunPassed();
    });
  } catch (e) {
    if (!(e instanceof DryRunPassed)) throw e;
  }
}
