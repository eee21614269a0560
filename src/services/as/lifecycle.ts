// Lifecycle hooks in the scaling engine (reference §1.6). An instance whose server is ACTIVE passes the
// group's INSTANCE_LAUNCHING hooks one after another (oldest first), waiting PENDING_WAIT on each; a removed
// instance passes the INSTANCE_TERMINATING hooks in REMOVING_WAIT before its server is deleted. Each wait is
// a hang, decided by CompleteLifecycleAction or, at its timeout on hwlocal's clock, by the hook's
// default_result. A launching ABANDON removes the instance (its server deleted, the activity failing); a
// terminating ABANDON skips the remaining hooks (the instance is removed either way).
import type { Ids } from "../../kernel/ids.ts";
import type { AsStore, GroupRow } from "./store.ts";
import type { HangRow, HookResult, HookRow, HookType } from "./store-hooks.ts";
import type { InstanceRow } from "./store-scaling.ts";

export type CallbackResult = HookResult | "EXTEND";
/** Told when an instance starts waiting on a hook (the engine publishes to the hook's topic). */
export type OnHold = (h: HangRow, hook: HookRow) => void;

/** Holds an instance on the next hook of `type` it has not passed; false when none is left (or one abandoned). */
export function hold(store: AsStore, ids: Ids, g: GroupRow, i: InstanceRow, type: HookType, now: number, onHold?: OnHold): boolean {
  const hangs = store.hooks.hangsOf(g.project_id, i.id).filter((h) => h.hook_type === type);
  if (hangs.some((h) => h.status === "ABANDON")) return false;
  const passed = new Set(hangs.map((h) => h.hook_name));
  const next = store.hooks.ofGroup(g.project_id, g.id).find((h) => h.type === type && !passed.has(h.name));
  if (!next) return false;
  const hang: HangRow = {
    action_key: ids.uuid(),
    project_id: g.project_id,
    group_id: g.id,
    instance_id: i.id,
    hook_name: next.name,
    hook_type: type,
    status: "HANGING",
    default_result: next.default_result,
    default_timeout: next.default_timeout,
    timeout_at: now + next.default_timeout * 1000,
    created_at: now,
  };
  store.hooks.putHang(hang);
  onHold?.(hang, next);
  return true;
}

/**
 * Where an instance waiting on hooks of `type` stands: timed-out hangs are decided by their default result,
 * a decided one leads to the next hook; "wait" while one hangs, else the outcome.
 */
export function verdict(store: AsStore, ids: Ids, g: GroupRow, i: InstanceRow, type: HookType, now: number, onHold?: OnHold): "wait" | HookResult {
  const mine = () => store.hooks.hangsOf(g.project_id, i.id).filter((h) => h.hook_type === type);
  for (const h of mine()) if (h.status === "HANGING" && now >= h.timeout_at) store.hooks.putHang({ ...h, status: h.default_result });
  const hangs = mine();
  if (hangs.some((h) => h.status === "HANGING")) return "wait";
  if (hangs.some((h) => h.status === "ABANDON")) return "ABANDON";
  return hold(store, ids, g, i, type, now, onHold) ? "wait" : "CONTINUE";
}

/** A callback's decision on a hanging instance: EXTEND restarts its timeout. */
export function decide(store: AsStore, h: HangRow, result: CallbackResult, now: number): void {
  if (result === "EXTEND") store.hooks.putHang({ ...h, timeout_at: now + h.default_timeout * 1000 });
  else store.hooks.putHang({ ...h, status: result });
}
