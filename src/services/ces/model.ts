// Cloud Eye's vocabulary (reference §4.1): filters, periods, comparison operators, alarm states, and the
// dimension key that identifies a series (its dimensions sorted by name).
export const FILTERS = ["average", "max", "min", "sum", "variance"] as const;
export type Filter = (typeof FILTERS)[number];

export const PERIODS = [1, 300, 1200, 3600, 14400, 86400] as const;
export type Period = (typeof PERIODS)[number];

export const OPERATORS = [">", ">=", "<", "<=", "=", "!="] as const;
export type Operator = (typeof OPERATORS)[number];

export const ALARM_STATES = ["ok", "alarm", "insufficient_data"] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const SUPPRESS_DURATIONS = [0, 300, 600, 900, 1800, 3600, 10800, 21600, 43200, 86400] as const;

/** Alarm rules per project (ces.0018 beyond). */
export const ALARM_QUOTA = 1000;

/** A raw-data (period 1) rule is evaluated over windows of this many seconds. */
export const RAW_EVALUATION_SECONDS = 60;

export interface Dimension {
  name: string;
  value: string;
}

export interface MetricId {
  namespace: string;
  metric_name: string;
  dimensions: Dimension[];
}

export interface AlarmAction {
  type: "notification" | "autoscaling";
  notificationList: string[];
}

/** The canonical key of a set of dimensions: sorted by name, "name,value" pairs joined by ";". */
export function dimensionKey(dims: readonly Dimension[]): string {
  return [...dims]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((d) => `${d.name},${d.value}`)
    .join(";");
}

export function dimensionsOf(key: string): Dimension[] {
  if (key === "") return [];
  return key.split(";").map((pair) => {
    const i = pair.indexOf(",");
    return { name: pair.slice(0, i), value: pair.slice(i + 1) };
  });
}

export function compare(op: Operator, a: number, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case "=":
      return a === b;
    case "!=":
      return a !== b;
  }
}
