// What Cloud Eye offers other services (Auto Scaling binds its ALARM policies to alarm rules):
// rt.api("ces").alarm(projectId, alarmId), the autoscaling action on a rule's alarm_actions, deleteAlarm, and a hook
// registry the evaluator calls on every state transition and while a rule stays in alarm; and setLoad for
// hwlocal's control plane (synthetic load behind the built-in metrics, builtin.ts).
import type { LoadTable, LoadTarget } from "./builtin.ts";
import type { CesTransition, TransitionHook } from "./context.ts";
import { dimensionsOf, type AlarmAction, type AlarmState, type Dimension } from "./model.ts";
import type { AlarmRow, CesStore } from "./store.ts";

export type { CesTransition, LoadTarget, TransitionHook };

export interface CesAlarm {
  id: string;
  name: string;
  state: AlarmState;
  enabled: boolean;
  metric: { namespace: string; metricName: string; dimensions: Dimension[] };
  alarmActions: AlarmAction[];
}

export interface CesApi {
  /** The project's alarm rule, or undefined. */
  alarm(projectId: string, alarmId: string): CesAlarm | undefined;
  /** Adds {"type":"autoscaling","notificationList":[]} to the rule's alarm_actions (once); false if no such rule. */
  addAutoscalingAction(projectId: string, alarmId: string): boolean;
  /** Removes the autoscaling action from the rule's alarm_actions; false if no such rule. */
  removeAutoscalingAction(projectId: string, alarmId: string): boolean;
  /** Deletes the rule and its history (as DeleteAlarm does); false if no such rule. */
  deleteAlarm(projectId: string, alarmId: string): boolean;
  /** Registers a hook; returns the function that unregisters it. */
  onTransition(hook: TransitionHook): () => void;
  /** Sets a server's or a group's synthetic cpu_util (%) for the built-in metrics (PUT /_hwlocal/ces/load). */
  setLoad(target: LoadTarget, cpuUtil: number): void;
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    ces: CesApi;
  }
}

const view = (a: AlarmRow): CesAlarm => ({
  id: a.id,
  name: a.name,
  state: a.state,
  enabled: a.enabled,
  metric: { namespace: a.namespace, metricName: a.metric_name, dimensions: dimensionsOf(a.dim_key) },
  alarmActions: a.alarm_actions.map((x) => ({ type: x.type, notificationList: [...x.notificationList] })),
});

export function cesApi(store: CesStore, hooks: Set<TransitionHook>, load: LoadTable): CesApi {
  const edit = (projectId: string, alarmId: string, f: (actions: AlarmAction[]) => AlarmAction[]): boolean => {
    const a = store.alarm(projectId, alarmId);
    if (!a) return false;
    store.saveAlarm({ ...a, alarm_actions: f(a.alarm_actions) });
    return true;
  };
  return {
    alarm(projectId, alarmId) {
      const a = store.alarm(projectId, alarmId);
      return a ? view(a) : undefined;
    },
    addAutoscalingAction: (projectId, alarmId) =>
      edit(projectId, alarmId, (xs) => (xs.some((x) => x.type === "autoscaling") ? xs : [...xs, { type: "autoscaling", notificationList: [] }])),
    removeAutoscalingAction: (projectId, alarmId) => edit(projectId, alarmId, (xs) => xs.filter((x) => x.type !== "autoscaling")),
    deleteAlarm(projectId, alarmId) {
      if (!store.alarm(projectId, alarmId)) return false;
      store.deleteAlarm(projectId, alarmId);
      return true;
    },
    onTransition(hook) {
      const h: TransitionHook = (t) => hook(t);
      hooks.add(h);
      return () => void hooks.delete(h);
    },
    setLoad: (target, cpuUtil) => load.put(target, cpuUtil),
  };
}
