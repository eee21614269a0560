// Running a scaling policy (reference §1.9): its action changes the group's desire — ADD desire + n, REMOVE
// desire − n, SET n; a percentage is of the group's current instances, floored, a (0,1) result counting 1 —
// clamped to [min, max]; the scaling engine (scaling.ts) then scales. Every run is an execute log. The
// policy ticker fires SCHEDULED and RECURRENCE policies whose stored next_fire is due on hwlocal's clock.
import type { Ids } from "../../kernel/ids.ts";
import type { AsContext } from "./context.ts";
import { asErrors } from "./errors.ts";
import { nextFire } from "./policy-spec.ts";
import type { AsStore, GroupRow } from "./store.ts";
import type { ExecuteType, PolicyLogRow, PolicyRow } from "./store-policies.ts";

/** The instances a percentage of `current` stands for: floored, a fraction below 1 counts 1. */
export function instancesOf(current: number, percentage: number): number {
  const v = (current * percentage) / 100;
  return v > 0 && v < 1 ? 1 : Math.floor(v);
}

/** The desire a policy's action gives the group, and the bound (max or min) that limits it. */
export function targetDesire(p: PolicyRow, g: GroupRow, current: number): { desire: number; limit: number } {
  const a = p.action;
  const n = a.instance_percentage !== undefined ? instancesOf(current, a.instance_percentage) : (a.instance_number ?? 1);
  const raw = a.operation === "ADD" ? g.desire + n : a.operation === "REMOVE" ? g.desire - n : n;
  const desire = Math.min(g.max, Math.max(g.min, raw));
  const down = a.operation === "REMOVE" || (a.operation === "SET" && raw < g.desire);
  return { desire, limit: down ? g.min : g.max };
}

/** Why a policy cannot run now (§1.4: group and policy INSERVICE, no activity running), or null. */
function refusal(store: AsStore, p: PolicyRow, g: GroupRow | undefined): Error | null {
  if (!g) return asErrors.groupNotFound();
  if (p.status !== "INSERVICE" || g.status !== "INSERVICE") return asErrors.policyNotInService();
  if (store.activities.doing(g.project_id, g.id)) return asErrors.groupBusy();
  return null;
}

/**
 * Runs a policy and logs it. A manual run that is refused throws (nothing logged); a triggered one logs
 * FAIL with the reason. `veto` refuses a run the policy and group could take (an ALARM run in cool-down, §1.9).
 */
export function runPolicy(store: AsStore, ids: Ids, p: PolicyRow, now: number, type: ExecuteType, veto?: Error): PolicyLogRow {
  const g = store.groups.get(p.project_id, p.group_id);
  const current = g ? store.instances.ofGroup(g.project_id, g.id).length : 0;
  const target = g ? targetDesire(p, g, current) : { desire: 0, limit: 0 };
  const why = refusal(store, p, g) ?? veto ?? null;
  if (why && type === "MANUAL") throw why;
  const log: PolicyLogRow = {
    id: ids.uuid(),
    project_id: p.project_id,
    policy_id: p.id,
    group_id: p.group_id,
    status: why ? "FAIL" : "SUCCESS",
    failed_reason: why ? why.message : null,
    execute_type: type,
    execute_time: now,
    old_value: g?.desire ?? 0,
    desire_value: why ? (g?.desire ?? 0) : target.desire,
    limit_value: target.limit,
    type: p.action.operation,
  };
  if (g && !why) store.groups.update({ ...g, desire: target.desire });
  store.policies.addLog(log);
  return log;
}

/** The policy ticker: fires every due trigger once and stores its next time (a missed run is not repeated). */
export function firePolicies(svc: AsContext, now: number): boolean {
  const { store } = svc;
  const due = store.policies.due(now);
  for (const p of due) {
    store.tx(() => {
      const fresh = store.policies.get(p.project_id, p.id);
      if (!fresh || fresh.next_fire === null || fresh.next_fire > now || fresh.status !== "INSERVICE") return;
      runPolicy(store, svc.env.ids, fresh, now, fresh.type === "RECURRENCE" ? "RECURRENCE" : "SCHEDULED");
      store.policies.update({ ...fresh, next_fire: nextFire(fresh.type, fresh.scheduled, now) });
    });
  }
  return due.length > 0;
}
