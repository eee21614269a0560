// Coverage: per service, the listed operations that hwlocal answers (same method and path shape as an
// implemented operation; by name for a streaming service such as OBS, whose operations are told apart by
// query and headers) against all the operations of its lists (catalogue/*.ops.tsv: the official SDKs'
// operations, and for services without an SDK package or beyond it, the API reference's).
import { actionOf } from "../gateway/actions.ts";
import type { BoundService } from "../gateway/bind.ts";
import { obsAction } from "../services/obs/iam.ts";

export interface ServiceCoverage {
  service: string;
  served: boolean;
  implemented_operations: number;
  sdk_operations: number;
  sdk_operations_covered: number;
  /** null for a service with no operation list in catalogue/ (from an SDK or the API reference). */
  percent: number | null;
  /** By name; a name the list holds more than once (one per API version) also gives method and path. */
  missing: string[];
}

/** Operations a service answers: its routed operations, or a streaming service's by name. */
export function implementedCount(s: BoundService): number {
  return s.implemented.length + s.streamOperations.length;
}

export function coverageReport(services: BoundService[]): { services: ServiceCoverage[] } {
  return {
    services: services
      .filter((s) => !s.internal)
      .map((s) => {
        // By entry, not by name: v1 and v3 of an API often share an operationId (ListPublicips).
        const covered = new Set(s.sdkCovered);
        const count = new Map<string, number>();
        for (const e of s.sdkOperations) count.set(e.name, (count.get(e.name) ?? 0) + 1);
        return {
          service: s.name,
          served: s.served,
          implemented_operations: implementedCount(s),
          sdk_operations: s.sdkOperations.length,
          sdk_operations_covered: s.sdkCovered.length,
          percent: s.sdkOperations.length ? Math.round((1000 * s.sdkCovered.length) / s.sdkOperations.length) / 10 : null,
          missing: s.sdkOperations
            .filter((e) => !covered.has(e))
            .map((e) => ((count.get(e.name) ?? 0) > 1 ? `${e.name} (${e.method} ${e.path})` : e.name)),
        };
      }),
  };
}

/**
 * The IAM action each implemented operation is judged by (gateway/actions.ts; OBS's by name, obs/iam.ts),
 * or null for one no policy judges (OBS's unsigned CORS preflights). `npm run coverage:api -- --actions`.
 */
export function actionsReport(services: BoundService[]): { service: string; operation: string; action: string | null }[] {
  const out: { service: string; operation: string; action: string | null }[] = [];
  for (const s of services) {
    if (s.internal || !s.served) continue;
    for (const op of s.implemented) out.push({ service: s.name, operation: op.name, action: actionOf(s.name, op) });
    for (const name of s.streamOperations) out.push({ service: s.name, operation: name, action: obsAction(name, false) ?? null });
  }
  return out;
}

export function coverageTable(services: BoundService[]): string {
  const rows = coverageReport(services).services.map(
    (c) =>
      `| ${c.service} | ${c.served ? "yes" : "no"} | ${c.implemented_operations} | ${
        c.percent === null ? "no SDK package" : `${c.sdk_operations_covered} / ${c.sdk_operations}`
      } | ${c.percent === null ? "–" : `${c.percent}%`} |`,
  );
  return ["| service | served | operations | SDK operations covered | coverage |", "|---|---|---|---|---|", ...rows].join("\n");
}
