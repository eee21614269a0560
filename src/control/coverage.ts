// Coverage: per service, the official SDK operations that hwlocal answers (same method and path shape as
// an implemented operation) against all the SDK's operations (catalogue/*.ops.tsv).
import type { BoundService } from "../gateway/bind.ts";

export interface ServiceCoverage {
  service: string;
  served: boolean;
  implemented_operations: number;
  sdk_operations: number;
  sdk_operations_covered: number;
  /** null for services with no official SDK operation list (IMS, EVS and EIP have no Node SDK package). */
  percent: number | null;
  missing: string[];
}

export function coverageReport(services: BoundService[]): { services: ServiceCoverage[] } {
  return {
    services: services
      .filter((s) => !s.internal)
      .map((s) => {
        const covered = new Set(s.sdkCovered.map((e) => e.name));
        return {
          service: s.name,
          served: s.served,
          implemented_operations: s.implemented.length,
          sdk_operations: s.sdkOperations.length,
          sdk_operations_covered: s.sdkCovered.length,
          percent: s.sdkOperations.length ? Math.round((1000 * s.sdkCovered.length) / s.sdkOperations.length) / 10 : null,
          missing: s.sdkOperations.filter((e) => !covered.has(e.name)).map((e) => e.name),
        };
      }),
  };
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
