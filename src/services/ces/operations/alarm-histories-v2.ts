// ListAlarmHistories (v2): the v1 rules' state changes (the evaluator's history) in v2's shape. A record is
// one transition: status alarm / ok, or invalid for insufficient_data; record ids are "ah" + the sequence.
import { z } from "../../../kernel/zod.ts";
import { cesOperation, intParam, offsetLimit, requireProject, V2_PATH } from "../context.ts";
import { dimensionsOf } from "../model.ts";
import type { AlarmRow, HistoryRow } from "../store.ts";

const v2Status = (s: string) => (s === "insufficient_data" ? "invalid" : s);
const iso = (ms: number) => new Date(ms).toISOString();
const recordId = (seq: number) => `ah${String(seq).padStart(22, "0")}`;

function item(h: HistoryRow, a: AlarmRow | undefined) {
  const alarmed = h.new_state === "alarm";
  return {
    record_id: recordId(h.seq),
    alarm_id: h.alarm_id,
    name: a?.name ?? "",
    status: v2Status(h.new_state),
    level: a?.level ?? 2,
    type: a?.alarm_type === "EVENT.SYS" || a?.alarm_type === "EVENT.CUSTOM" ? a.alarm_type : "ALL_INSTANCE",
    action_enabled: a?.action_enabled ?? false,
    begin_time: iso(h.at),
    end_time: iso(h.at),
    first_alarm_time: alarmed ? iso(h.at) : undefined,
    last_alarm_time: alarmed ? iso(h.at) : undefined,
    alarm_recovery_time: h.old_state === "alarm" && h.new_state === "ok" ? iso(h.at) : undefined,
    metric: a ? { namespace: a.namespace, metric_name: a.metric_name, dimensions: dimensionsOf(a.dim_key) } : undefined,
    condition: a ? { period: a.period, filter: a.filter, comparison_operator: a.operator, value: a.value, unit: a.unit, count: a.count, suppress_duration: a.suppress_duration } : undefined,
    additional_info: { resource_id: a ? (dimensionsOf(a.dim_key)[0]?.value ?? "") : "", resource_name: "", event_id: "" },
    alarm_actions: (a?.alarm_actions ?? []).map((x) => ({ type: x.type, notification_list: x.notificationList })),
    ok_actions: (a?.ok_actions ?? []).map((x) => ({ type: x.type, notification_list: x.notificationList })),
    data_points: h.value === null ? [] : [{ time: iso(h.at), value: h.value }],
    mask_status: "UN_MASKED",
  };
}

export const listAlarmHistoriesV2 = cesOperation({
  name: "ListAlarmHistories",
  method: "GET",
  path: `${V2_PATH}/alarm-histories`,
  query: z.object({
    alarm_id: z.string().optional(), record_id: z.string().optional(), name: z.string().optional(),
    status: z.enum(["ok", "alarm", "invalid"]).optional(), level: z.string().optional(), namespace: z.string().optional(),
    resource_id: z.string().optional(), from: z.string().optional(), to: z.string().optional(), alarm_type: z.string().optional(),
    create_time_from: z.string().optional(), create_time_to: z.string().optional(), offset: z.string().optional(), limit: z.string().optional(),
    order_by: z.enum(["first_alarm_time", "update_time", "alarm_level", "record_id"]).optional(), mask_status: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = offsetLimit(q);
    const from = intParam(q.from ?? q.create_time_from, "from", 0, 1e15, 0);
    const to = intParam(q.to ?? q.create_time_to, "to", 0, 1e15, Number.MAX_SAFE_INTEGER);
    const level = q.level === undefined ? undefined : intParam(q.level, "level", 1, 4, 2);
    const rules = new Map(ctx.svc.store.alarms(projectId).map((a) => [a.id, a]));
    const rows = ctx.svc.store.history(projectId).filter((h) => {
      const a = rules.get(h.alarm_id);
      return (q.alarm_id === undefined || h.alarm_id === q.alarm_id) && (q.record_id === undefined || recordId(h.seq) === q.record_id)
        && (q.name === undefined || (a?.name ?? "").includes(q.name)) && (q.status === undefined || v2Status(h.new_state) === q.status)
        && (level === undefined || a?.level === level) && (q.namespace === undefined || a?.namespace === q.namespace)
        && (q.resource_id === undefined || (a !== undefined && dimensionsOf(a.dim_key).some((d) => d.value === q.resource_id)))
        && (q.mask_status === undefined || q.mask_status === "UN_MASKED") && h.at >= from && h.at <= to;
    }).sort((x, y) => y.at - x.at || y.seq - x.seq);
    return { body: { alarm_histories: rows.slice(offset, offset + limit).map((h) => item(h, rules.get(h.alarm_id))), count: rows.length } };
  },
});

export const alarmHistoryV2Operations = [listAlarmHistoriesV2];
