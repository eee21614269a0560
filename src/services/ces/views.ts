// Row → wire JSON: the only place that spells CES's response fields (reference §4.1).
import { ALARM_QUOTA, dimensionsOf, type Filter } from "./model.ts";
import type { Rolled } from "./rollup.ts";
import type { AlarmRow, HistoryRow } from "./store.ts";

export function alarm(a: AlarmRow) {
  return {
    alarm_id: a.id,
    alarm_name: a.name,
    alarm_description: a.description,
    metric: { namespace: a.namespace, dimensions: dimensionsOf(a.dim_key), metric_name: a.metric_name },
    condition: {
      period: a.period,
      filter: a.filter,
      comparison_operator: a.operator,
      value: a.value,
      unit: a.unit,
      count: a.count,
      suppress_duration: a.suppress_duration,
    },
    alarm_enabled: a.enabled,
    alarm_level: a.level,
    alarm_type: a.alarm_type,
    alarm_action_enabled: a.action_enabled,
    alarm_actions: a.alarm_actions,
    ok_actions: a.ok_actions,
    update_time: a.updated_at,
    alarm_state: a.state,
  };
}

export function history(h: HistoryRow, a: AlarmRow | undefined) {
  return {
    alarm_id: h.alarm_id,
    name: a?.name ?? "",
    status: h.new_state,
    old_status: h.old_state,
    level: a?.level ?? 2,
    type: a?.alarm_type ?? "",
    action_enabled: a?.action_enabled ?? false,
    begin_time: h.at,
    end_time: h.at,
    update_time: h.at,
    metric: a ? { namespace: a.namespace, dimensions: dimensionsOf(a.dim_key), metric_name: a.metric_name } : undefined,
    condition: a ? alarm(a).condition : undefined,
    data_points: h.value === null ? [] : [{ time: h.at, value: h.value }],
  };
}

export function datapoints(filter: Filter, rolled: Rolled[]) {
  return rolled.map((r) => ({ [filter]: r.value, timestamp: r.timestamp, unit: r.unit }));
}

export function quotas(used: number) {
  return { quotas: { resources: [{ type: "alarm", used, unit: "", quota: ALARM_QUOTA }] } };
}

/** A page after a marker: count, marker (the last item's key when more follow, else "") and total. */
export function page<T>(rows: T[], key: (r: T) => string, start: string | undefined, limit: number) {
  let from = 0;
  if (start !== undefined) {
    const i = rows.findIndex((r) => key(r) === start);
    from = i < 0 ? -1 : i + 1;
  }
  if (from < 0) return undefined;
  const items = rows.slice(from, from + limit);
  const last = items[items.length - 1];
  const more = from + limit < rows.length;
  return { items, meta_data: { count: items.length, marker: more && last !== undefined ? key(last) : "", total: rows.length } };
}
