// ALARM policies and Cloud Eye (reference §1.4, §1.9, §4.1): a policy names an alarm rule of its project
// (AS.3030), one group's policies per rule (AS.3034); AS adds {"type":"autoscaling","notificationList":[]}
// to the rule's alarm_actions while a policy uses it, and removes it when the last one goes or moves to
// another rule; a batch delete with delete_alarm=yes and a group's deletion delete the rules. A hook on Cloud Eye's evaluator (registered lazily: on the first AS tick or ALARM policy,
// since services start in order) runs the INSERVICE ALARM policies of INSERVICE groups bound to a rule that
// enters alarm or stays in alarm (repeat), when the rule's actions are enabled; within the policy's
// cool_down_time after the group's last activity ended, the run is logged FAIL with AS.0026's message.
import type { CesTransition } from "../ces/api.ts";
import type { AsContext } from "./context.ts";
import { asErrors } from "./errors.ts";
import { runPolicy } from "./policy-engine.ts";
import type { PolicyRow } from "./store-policies.ts";

/** Registers AS's transition hook with Cloud Eye once (a no-op without Cloud Eye). */
export function ensureAlarmHook(svc: AsContext): void {
  if (svc.alarmHook.registered) return;
  const ces = svc.ces();
  if (!ces) return;
  ces.onTransition((t) => onAlarm(svc, t));
  svc.alarmHook.registered = true;
}

/**
 * The alarm rule an ALARM policy of `groupId` may use, checked: it exists (AS.3030) and no other group's
 * policy uses it (AS.3034). Registers the hook, since a policy may run from now on.
 */
export function checkAlarm(svc: AsContext, projectId: string, groupId: string, alarmId: string | undefined): string {
  if (alarmId === undefined || alarmId === "") throw asErrors.alarmIdNull();
  ensureAlarmHook(svc);
  if (!svc.ces()?.alarm(projectId, alarmId)) throw asErrors.alarmNotFound(`alarm_id: ${alarmId.slice(0, 64)}`);
  if (svc.store.policies.byAlarm(projectId, alarmId).some((p) => p.group_id !== groupId)) throw asErrors.alarmInUse();
  return alarmId;
}

/** After a policy was saved, deleted or rebound: the rule it now uses gets the action, the one it left loses it when unused. */
export function syncAlarmActions(svc: AsContext, projectId: string, before: string | null, after: string | null): void {
  const ces = svc.ces();
  if (!ces) return;
  if (after !== null) ces.addAutoscalingAction(projectId, after);
  if (before !== null && before !== after && svc.store.policies.byAlarm(projectId, before).length === 0) ces.removeAutoscalingAction(projectId, before);
}

/**
 * syncAlarmActions for policies already deleted (a policy delete, a batch delete, a group's deletion). With
 * deleteRules (a batch delete's delete_alarm=yes, a group's deletion), a rule no remaining policy uses is
 * deleted from Cloud Eye, as Huawei does (§4.1).
 */
export function releaseAlarms(svc: AsContext, gone: PolicyRow[], deleteRules = false): void {
  for (const p of gone) {
    if (p.alarm_id === null) continue;
    syncAlarmActions(svc, p.project_id, p.alarm_id, null);
    if (deleteRules && svc.store.policies.byAlarm(p.project_id, p.alarm_id).length === 0) svc.ces()?.deleteAlarm(p.project_id, p.alarm_id);
  }
}

/** The hook: runs the policies bound to a rule that is (still) in alarm. */
export function onAlarm(svc: AsContext, t: CesTransition): void {
  if (t.to !== "alarm" || !t.actionEnabled) return;
  const { store } = svc;
  const now = svc.env.clock.now();
  store.tx(() => {
    for (const p of store.policies.byAlarm(t.projectId, t.alarmId)) {
      if (p.type !== "ALARM" || p.status !== "INSERVICE") continue;
      const g = store.groups.get(p.project_id, p.group_id);
      if (!g || g.status !== "INSERVICE") continue;
      const last = store.activities.last(g.project_id, g.id);
      const cooling = last !== undefined && last.end_time !== null && now < last.end_time + p.cool_down * 1000;
      runPolicy(store, svc.env.ids, p, now, "ALARM", cooling ? asErrors.coolingDown() : undefined);
    }
  });
}
