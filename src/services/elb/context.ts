// What every ELB handler gets as ctx.svc, and the rules they share: every API is project-level under
// /v3/{project_id} (the gateway has checked the caller may act in that project); lists page by marker.
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import { operationsFor, type Scope } from "../../kernel/service.ts";
import { z } from "../../kernel/zod.ts";
import type { EcsApi } from "../ecs/api.ts";
import type { VpcApi } from "../vpc/api.ts";
import { elbErrors, elbServiceErrors } from "./errors.ts";
import type { ElbStore } from "./store/index.ts";

export interface ElbContext {
  store: ElbStore;
  vpc: () => VpcApi;
  /** undefined when hwlocal runs without ECS (members then never find their server). */
  ecs: () => EcsApi | undefined;
  clock: Clock;
  ids: Ids;
}

export const elbOperation = operationsFor<ElbContext>(elbServiceErrors);

export const V3 = "/v3/{project_id}/elb";

export function requireScope(scope: Scope | undefined): { projectId: string; region: string } {
  if (!scope?.projectId || !scope.region) throw elbErrors.forbidden("The request names no project.");
  return { projectId: scope.projectId, region: scope.region };
}

/** Query parameters as the gateway collects them: one value or several (id=a&id=b). */
export const listQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type ListQuery = z.output<typeof listQuery>;

export function values(q: ListQuery, key: string): string[] | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [v];
}

export function one(q: ListQuery, key: string): string | undefined {
  return values(q, key)?.[0];
}

/** Page of `items` by marker (id of the last item seen), limit (1-2000) and page_reverse. */
export function page<T extends { id: string }>(
  items: T[],
  q: ListQuery,
  defaultLimit = 2000,
): { items: T[]; page_info: { previous_marker: string | null; next_marker: string | null; current_count: number } } {
  const rawLimit = one(q, "limit");
  let limit = defaultLimit;
  if (rawLimit !== undefined) {
    if (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) > 2000) throw elbErrors.invalid(`limit ${rawLimit.slice(0, 16)} is not in [0, 2000].`);
    limit = Number(rawLimit) || defaultLimit;
  }
  const reverse = one(q, "page_reverse") === "true";
  const marker = one(q, "marker");
  let list = items;
  if (marker !== undefined) {
    const at = items.findIndex((i) => i.id === marker);
    if (at < 0) throw elbErrors.invalid(`marker ${marker.slice(0, 64)} is not an item of this list.`);
    list = reverse ? items.slice(0, at).reverse() : items.slice(at + 1);
  } else if (reverse) list = [...items].reverse();
  const out = list.slice(0, limit);
  if (reverse) out.reverse();
  const more = list.length > limit;
  return {
    items: out,
    page_info: {
      previous_marker: out[0]?.id ?? null,
      next_marker: more || (reverse && marker !== undefined) ? (out[out.length - 1]?.id ?? null) : null,
      current_count: out.length,
    },
  };
}

/** Keeps the items matching every filter the query names: each filter lists the values it accepts. */
export function filtered<T>(items: T[], q: ListQuery, fields: Record<string, (item: T) => unknown>): T[] {
  const active = Object.entries(fields)
    .map(([key, get]) => [values(q, key), get] as const)
    .filter((f): f is readonly [string[], (item: T) => unknown] => f[0] !== undefined);
  if (active.length === 0) return items;
  return items.filter((item) =>
    active.every(([accept, get]) => {
      const v = get(item);
      if (Array.isArray(v)) return v.some((x) => accept.includes(String(x)));
      return accept.includes(v === null || v === undefined ? "" : String(v));
    }),
  );
}

/** 32-bit IPv4 value, or undefined when not a dotted quad. */
export function ipv4(address: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function inCidr(address: string, cidr: string): boolean {
  const [net, bits] = cidr.split("/");
  const a = ipv4(address);
  const n = ipv4(net ?? "");
  const b = Number(bits);
  if (a === undefined || n === undefined || !Number.isInteger(b)) return false;
  if (b === 0) return true;
  const mask = (~0 << (32 - b)) >>> 0;
  return (a & mask) >>> 0 === (n & mask) >>> 0;
}
