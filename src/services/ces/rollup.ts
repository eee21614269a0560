// Roll-ups as a hand computation gives them: points grouped by the start of their period (floor of the
// collect time to a multiple of the period, epoch-aligned), then the filter over each group. Period 1 is
// raw: every point is its own group. Variance is the population variance (divide by n), computed in two
// passes from the mean.
import type { Filter } from "./model.ts";

export interface RawPoint {
  time: number;
  value: number;
  unit: string;
}

export interface Rolled {
  timestamp: number;
  value: number;
  unit: string;
}

export function applyFilter(filter: Filter, values: readonly number[]): number {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  switch (filter) {
    case "sum":
      return sum;
    case "average":
      return sum / n;
    case "max":
      return Math.max(...values);
    case "min":
      return Math.min(...values);
    case "variance": {
      const mean = sum / n;
      let sq = 0;
      for (const v of values) sq += (v - mean) * (v - mean);
      return sq / n;
    }
  }
}

export function periodStart(time: number, periodSeconds: number): number {
  const ms = periodSeconds * 1000;
  return Math.floor(time / ms) * ms;
}

/** Points in time order → one datapoint per period (the unit of the period's latest point). */
export function rollUp(points: readonly RawPoint[], periodSeconds: number, filter: Filter): Rolled[] {
  if (periodSeconds === 1) return points.map((p) => ({ timestamp: p.time, value: applyFilter(filter, [p.value]), unit: p.unit }));
  const out: Rolled[] = [];
  let start = Number.NaN;
  let values: number[] = [];
  let unit = "";
  const flush = () => {
    if (values.length) out.push({ timestamp: start, value: applyFilter(filter, values), unit });
  };
  for (const p of points) {
    const s = periodStart(p.time, periodSeconds);
    if (s !== start) {
      flush();
      start = s;
      values = [];
    }
    values.push(p.value);
    unit = p.unit;
  }
  flush();
  return out;
}
