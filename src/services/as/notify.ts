// What AS publishes through SMN (rt.api("smn").publish): when a scaling activity ends, to each of the group's
// notification topics whose scenes include SCALING_UP / SCALING_DOWN (or their _FAIL forms) — scale out is
// an activity that removes nothing, scale in one that removes —; and when an instance starts waiting on a
// lifecycle hook, to the hook's topic. Subjects and messages are hwlocal's (see the Doubts in index.ts).
// A publish SMN refuses (a topic deleted since) is dropped.
import { isoSeconds } from "../../kernel/time.ts";
import type { AsContext } from "./context.ts";
import type { GroupRow } from "./store.ts";
import type { HangRow, HookRow } from "./store-hooks.ts";
import type { ActivityRow } from "./store-scaling.ts";

const list = (v: string | null): string[] => (v === null ? [] : v.split(","));

export function activityScene(a: ActivityRow): string {
  const up = a.removed === null && a.deleted === null;
  return `${up ? "SCALING_UP" : "SCALING_DOWN"}${a.status === "FAIL" ? "_FAIL" : ""}`;
}

export function notifyActivity(svc: AsContext, g: GroupRow, a: ActivityRow): void {
  const scene = activityScene(a);
  const topics = svc.store.notifications.ofGroup(g.project_id, g.id).filter((n) => n.topic_scene.includes(scene));
  if (topics.length === 0) return;
  const smn = svc.smn();
  if (!smn) return;
  const subject = `[Auto Scaling] ${scene}: scaling group ${g.name}`;
  const message = JSON.stringify({
    scene,
    scaling_group_id: g.id,
    scaling_group_name: g.name,
    scaling_activity_id: a.id,
    status: a.status,
    description: a.description,
    start_time: isoSeconds(a.start_time),
    end_time: a.end_time === null ? null : isoSeconds(a.end_time),
    desire_value: a.desire_value,
    instance_value: a.instance_value,
    instance_added_list: list(a.added),
    instance_removed_list: list(a.removed),
    instance_deleted_list: list(a.deleted),
  });
  for (const t of topics) smn.publish(g.project_id, t.topic_urn, { subject, message });
}

export function notifyHang(svc: AsContext, g: GroupRow, h: HangRow, hook: HookRow): void {
  const smn = svc.smn();
  if (!smn) return;
  const message = JSON.stringify({
    lifecycle_action_key: h.action_key,
    lifecycle_hook_name: hook.name,
    lifecycle_hook_type: hook.type,
    scaling_group_id: g.id,
    scaling_group_name: g.name,
    instance_id: h.instance_id,
    default_result: h.default_result,
    timeout: isoSeconds(h.timeout_at),
    notification_metadata: hook.metadata,
  });
  smn.publish(g.project_id, hook.topic_urn, { subject: `[Auto Scaling] lifecycle hook ${hook.name}: ${hook.type}`, message });
}
