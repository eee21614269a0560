// What every CES handler gets as ctx.svc, and the rules they share: every CES API is project-level under
// /V1.0/{project_id} (the gateway has checked the caller may act in that project).
import { z } from "../../kernel/zod.ts";
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import type { AsApi } from "../as/api.ts";
import type { EcsApi } from "../ecs/api.ts";
import type { EvsApi } from "../evs/api.ts";
import type { ElbApi } from "../elb/api.ts";
import type { SmnApi } from "../smn/api.ts";
import type { LoadTable } from "./builtin.ts";
import { operationsFor, type Scope } from "../../kernel/service.ts";
import { cesErrors, cesServiceErrors } from "./errors.ts";
import type { AlarmState } from "./model.ts";
import type { CesDocs } from "./resources.ts";
import type { CesStore } from "./store.ts";

/** What the evaluator tells the hooks: a transition, or a rule that stays in alarm (repeat). */
export interface CesTransition {
  projectId: string;
  alarmId: string;
  from: AlarmState;
  to: AlarmState;
  /** true when the rule stays in alarm (no state change); see suppress_duration in index.ts. */
  repeat: boolean;
  /** The period's filtered value that decided, when it had data. */
  value: number | undefined;
  /** ms on hwlocal's clock */
  at: number;
  actionEnabled: boolean;
}

export type TransitionHook = (t: CesTransition) => void;

export interface CesContext {
  store: CesStore;
  docs: CesDocs;
  hooks: Set<TransitionHook>;
  /** hwlocal's clock and ids, for the tickers (handlers use ctx.clock and ctx.ids). */
  clock: Clock;
  ids: Ids;
  /**
   * The services Cloud Eye measures, checks references against and notifies through, each undefined while
   * that service has not started (Runtime.running): it then has no servers, groups or topics. Cloud Eye
   * never starts another service, so none starts inside one of its transactions.
   */
  running: { ecs(): EcsApi | undefined; evs(): EvsApi | undefined; as(): AsApi | undefined; elb(): ElbApi | undefined; smn(): SmnApi | undefined };
  /** The seeded projects, whose ACTIVE servers get SYS.ECS metrics (with every AS group's project). */
  projects: () => string[];
  /** The synthetic load (PUT /_hwlocal/ces/load). */
  load: LoadTable;
  /** The last minute (ms) the built-in metrics were written for; in memory. */
  builtin: { until: number };
}

export const cesOperation = operationsFor<CesContext>(cesServiceErrors);

export const PROJECT_PATH = "/V1.0/{project_id}";

export function requireProject(scope: Scope | undefined): string {
  const p = scope?.projectId;
  if (!p) throw cesErrors.forbidden("The request names no project.");
  return p;
}

export function pathParam(path: Record<string, string>, name: string): string {
  return path[name] ?? "";
}

/** "al" + 13-digit ms + random letters and digits, as Huawei mints alarm ids. */
export function alarmId(now: number, ids: Ids): string {
  return `al${String(now).padStart(13, "0")}${ids.secretKey().slice(0, 9)}`;
}

/** An integer query parameter in [min, max], or the default when absent. */
export function intParam(q: string | undefined, name: string, min: number, max: number, dflt: number): number {
  if (q === undefined) return dflt;
  if (!/^\d{1,15}$/.test(q) || Number(q) < min || Number(q) > max) throw cesErrors.urlInvalid(`${name}: ${q.slice(0, 32)}`);
  return Number(q);
}

export const orderQuery = z.enum(["asc", "desc"]).optional();

export const NAMESPACE_RE = /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z0-9_]+$/;
export const METRIC_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const DIM_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
export const DIM_VALUE_RE = /^[\p{L}\p{N}_\-.:/@#]{1,256}$/u;

export const dimensionSchema = z.object({
  name: z.string().regex(DIM_NAME_RE, "dimension name: a letter, then letters, digits, _ or -, 1-32 characters"),
  value: z.string().regex(DIM_VALUE_RE, "dimension value: letters, digits, _ - . : / @ #, 1-256 characters"),
});

export const metricSchema = z.object({
  namespace: z.string().min(3).max(32).regex(NAMESPACE_RE, "namespace: service.item"),
  metric_name: z.string().regex(METRIC_NAME_RE, "metric_name: a letter, then letters, digits, _ or -, 1-64 characters"),
  dimensions: z.array(dimensionSchema).min(1).max(3),
});

/** A dim.N query parameter "name,value". */
export function parseDim(raw: string, n: number): { name: string; value: string } {
  const i = raw.indexOf(",");
  const name = i < 0 ? "" : raw.slice(0, i);
  const value = i < 0 ? "" : raw.slice(i + 1);
  if (!DIM_NAME_RE.test(name) || !DIM_VALUE_RE.test(value)) throw cesErrors.urlInvalid(`dim.${n}: expected name,value`);
  return { name, value };
}

export const V2_PATH = "/v2/{project_id}";

/** offset (≥0, default 0) and limit (1..max, default dflt) of the v2 APIs. */
export function offsetLimit(q: { offset?: string | undefined; limit?: string | undefined }, max = 100, dflt = 100): { offset: number; limit: number } {
  return { offset: intParam(q.offset, "offset", 0, 1e9, 0), limit: intParam(q.limit, "limit", 1, max, dflt) };
}
