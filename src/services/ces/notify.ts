// Alarm notifications through SMN: a rule with alarm_action_enabled publishes to every topic URN of its
// "notification" alarm_actions when it goes to alarm (and again while it stays there, as the evaluator's
// repeat events say), and to its ok_actions' topics when it goes from alarm to ok. A publish SMN refuses
// (topic deleted…) is dropped. The subject and text are hwlocal's rendering of Huawei's alarm e-mail.
import { isoSeconds } from "../../kernel/time.ts";
import type { CesContext, CesTransition, TransitionHook } from "./context.ts";
import { dimensionsOf } from "./model.ts";
import type { AlarmRow } from "./store.ts";

const LEVELS: Record<number, string> = { 1: "Critical", 2: "Major", 3: "Minor", 4: "Informational" };

function render(a: AlarmRow, t: CesTransition): { subject: string; message: string } {
  const level = LEVELS[a.level] ?? "Major";
  const status = t.to === "alarm" ? "Triggered" : "Resolved";
  const resource = dimensionsOf(a.dim_key).map((d) => `${d.name}=${d.value}`).join(",");
  const unit = a.unit;
  const message = [
    `Alarm Name: ${a.name}`,
    `Alarm ID: ${a.id}`,
    `Alarm Severity: ${level}`,
    `Alarm Status: ${status}`,
    `Occurred At: ${isoSeconds(t.at)}`,
    `Namespace: ${a.namespace}`,
    `Resource: ${resource}`,
    `Metric: ${a.metric_name}`,
    `Alarm Policy: ${a.metric_name} ${a.filter} ${a.operator} ${a.value}${unit} for ${a.count} consecutive period(s)`,
    `Current Data: ${t.value === undefined ? "--" : `${t.value}${unit}`}`,
    `Project: ${a.project_id}`,
  ].join("\n");
  return { subject: `[${level} Alarm] Cloud Eye alarm ${a.name} ${status.toLowerCase()}`, message };
}

export function notificationHook(svc: CesContext): TransitionHook {
  return (t) => {
    if (!t.actionEnabled) return;
    const a = svc.store.alarm(t.projectId, t.alarmId);
    if (!a) return;
    const actions = t.to === "alarm" ? a.alarm_actions : t.to === "ok" && !t.repeat && t.from === "alarm" ? a.ok_actions : [];
    const urns = actions.filter((x) => x.type === "notification").flatMap((x) => x.notificationList);
    if (!urns.length) return;
    const input = render(a, t);
    for (const urn of urns) svc.running.smn()?.publish(t.projectId, urn, input);
  };
}
