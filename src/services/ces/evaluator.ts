// Alarm evaluation on hwlocal's clock. At every boundary of a rule's period (epoch-aligned; 60 s windows
// for a raw-data rule, period 1) the `count` most recent complete periods are filtered:
//   every one has data and breaches `value` by comparison_operator → alarm;
//   otherwise the latest has data and does not breach → ok;
//   (a breach for fewer than `count` periods keeps the state)
//   otherwise none has data → insufficient_data; otherwise (partial data) the state stays.
// Each transition writes a history entry and calls the hooks. A rule that stays in alarm calls them again
// (repeat) at every boundary when suppress_duration is 0, else once per suppress_duration. A clock jump
// replays at most MAX_CATCH_UP boundaries per rule. The hooks run after the rule's state is saved.
import type { CesContext, CesTransition } from "./context.ts";
import { compare, RAW_EVALUATION_SECONDS, type AlarmState } from "./model.ts";
import { applyFilter, periodStart } from "./rollup.ts";
import type { AlarmRow } from "./store.ts";

const MAX_CATCH_UP = 12;

export function evaluationStep(period: number): number {
  return period === 1 ? RAW_EVALUATION_SECONDS : period;
}

/** The boundary a rule starts from when it is created, enabled or given a new period. */
export function evaluationStart(period: number, now: number): number {
  return periodStart(now, evaluationStep(period));
}

function windowValue(svc: CesContext, a: AlarmRow, from: number, to: number, now: number): number | undefined {
  const points = svc.store.points(a.project_id, a, from, to, now);
  return points.length ? applyFilter(a.filter, points.map((p) => p.value)) : undefined;
}

function nextState(a: AlarmRow, values: (number | undefined)[]): AlarmState {
  const breach = (v: number | undefined) => v !== undefined && compare(a.operator, v, a.value);
  if (values.every(breach)) return "alarm";
  const latest = values[0];
  if (latest !== undefined && !breach(latest)) return "ok";
  if (values.every((v) => v === undefined)) return "insufficient_data";
  return a.state;
}

function evaluateAt(svc: CesContext, a: AlarmRow, boundary: number, now: number, events: CesTransition[]): AlarmRow {
  const step = evaluationStep(a.period) * 1000;
  const values: (number | undefined)[] = [];
  for (let i = 1; i <= a.count; i++) values.push(windowValue(svc, a, boundary - i * step, boundary - (i - 1) * step, now));
  const to = nextState(a, values);
  const event = { projectId: a.project_id, alarmId: a.id, from: a.state, to, value: values[0], at: boundary, actionEnabled: a.action_enabled };
  if (to !== a.state) {
    svc.store.addHistory({ project_id: a.project_id, alarm_id: a.id, old_state: a.state, new_state: to, at: boundary, value: values[0] ?? null });
    events.push({ ...event, repeat: false });
    return { ...a, state: to, notified_at: to === "alarm" ? boundary : a.notified_at };
  }
  if (to === "alarm" && (a.suppress_duration === 0 || boundary - a.notified_at >= a.suppress_duration * 1000)) {
    events.push({ ...event, repeat: true });
    return { ...a, notified_at: boundary };
  }
  return a;
}

/** The ticker: evaluates every enabled rule whose next boundary has come; true when any had. */
export function evaluateAlarms(svc: CesContext, now: number): boolean {
  let did = false;
  const events: CesTransition[] = [];
  for (const a of svc.store.enabledAlarms()) {
    const stepS = evaluationStep(a.period);
    const due = periodStart(now, stepS);
    if (due <= a.evaluated_until) continue;
    let rule = a;
    for (let b = Math.max(a.evaluated_until + stepS * 1000, due - (MAX_CATCH_UP - 1) * stepS * 1000); b <= due; b += stepS * 1000) {
      rule = evaluateAt(svc, rule, b, now, events);
    }
    svc.store.saveAlarm({ ...rule, evaluated_until: due });
    did = true;
  }
  for (const e of events) for (const h of svc.hooks) h(e);
  return did;
}

/** The ticker that drops points whose ttl has ended. */
export function prunePoints(svc: CesContext, now: number): boolean {
  return svc.store.prune(now) > 0;
}
