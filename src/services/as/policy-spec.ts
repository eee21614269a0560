// What a scaling policy's create and update bodies may say, checked with §1.10's codes (reference §1.4), and
// when a SCHEDULED or RECURRENCE trigger fires next on hwlocal's clock (UTC, as Huawei's times are).
import { z } from "../../kernel/zod.ts";
import { asErrors } from "./errors.ts";
import type { PolicyAction, PolicyType, Scheduled } from "./store-policies.ts";
import { POLICY_TYPES } from "./store-policies.ts";

const ScheduledBody = z.object({
  launch_time: z.string().optional(),
  recurrence_type: z.string().optional(),
  recurrence_value: z.string().nullable().optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
});
const ActionBody = z.object({
  operation: z.string().optional(),
  instance_number: z.number().optional(),
  instance_percentage: z.number().optional(),
});

export const CreatePolicyBody = z
  .object({
    scaling_policy_name: z.string().optional(),
    scaling_group_id: z.string().optional(),
    scaling_policy_type: z.string().optional(),
    alarm_id: z.string().optional(),
    scheduled_policy: ScheduledBody.optional(),
    scaling_policy_action: ActionBody.optional(),
    cool_down_time: z.number().optional(),
  })
  .optional();
export type CreatePolicyInput = NonNullable<z.infer<typeof CreatePolicyBody>>;

export const UpdatePolicyBody = CreatePolicyBody;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})Z$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

/** YYYY-MM-DDThh:mmZ → epoch ms, or undefined when malformed. */
export function parseMinute(v: string): number | undefined {
  const m = DATE_TIME.exec(v);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!];
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(ms);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 ? ms : undefined;
}

export function formatMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

export function checkPolicyName(name: string | undefined): string {
  if (name === undefined || name === "") throw asErrors.policyNameNull();
  if (name.length > 64) throw asErrors.policyNameLength();
  if (!/^[\u4e00-\u9fa5A-Za-z0-9_-]+$/.test(name)) throw asErrors.policyNameInvalid();
  return name;
}

export function checkPolicyType(type: string | undefined): PolicyType {
  if (type === undefined || type === "") throw asErrors.policyTypeNull();
  const t = POLICY_TYPES.find((x) => x === type);
  if (!t) throw asErrors.policyTypeInvalid(type.slice(0, 32));
  return t;
}

export function checkCoolDown(v: number | undefined, current = 300): number {
  const c = v ?? current;
  if (!Number.isInteger(c) || c < 0 || c > 86400) throw asErrors.policyCoolDownInvalid();
  return c;
}

/** operation (REDUCE read as REMOVE, default ADD), and one of instance_number / instance_percentage (default 1 instance). */
export function checkAction(b: z.infer<typeof ActionBody> | undefined): PolicyAction {
  const op = b?.operation ?? "ADD";
  const operation = op === "REDUCE" ? "REMOVE" : op;
  if (operation !== "ADD" && operation !== "REMOVE" && operation !== "SET") throw asErrors.policyOperationInvalid(op.slice(0, 16));
  const low = operation === "SET" ? 0 : 1;
  const n = b?.instance_number;
  const pct = b?.instance_percentage;
  if (n !== undefined && pct !== undefined) throw asErrors.policyActionNotUnique();
  if (pct !== undefined) {
    if (!Number.isInteger(pct) || pct < low || pct > 20000) throw asErrors.policyPercentageInvalid();
    return { operation, instance_percentage: pct };
  }
  const num = n ?? 1;
  if (!Number.isInteger(num) || num < low || num > 300) throw asErrors.policyNumberInvalid();
  return { operation, instance_number: num };
}

function recurrenceValue(type: "Daily" | "Weekly" | "Monthly", v: string | null | undefined): string | null {
  if (type === "Daily") return null;
  if (v === undefined || v === null || v === "") throw asErrors.periodValueNull();
  const max = type === "Weekly" ? 7 : 31;
  const parts = v.split(",");
  if (parts.some((p) => !/^\d{1,2}$/.test(p) || +p < 1 || +p > max) || new Set(parts).size !== parts.length) throw asErrors.periodValueInvalid(v.slice(0, 64));
  return v;
}

/** Whether a RECURRENCE policy runs on the UTC day of dayStart. Weekly: 1 = Sunday … 7 = Saturday. */
function runsOn(s: Scheduled, dayStart: number): boolean {
  const d = new Date(dayStart);
  const values = (s.recurrence_value ?? "").split(",").map(Number);
  if (s.recurrence_type === "Weekly") return values.includes(d.getUTCDay() + 1);
  if (s.recurrence_type === "Monthly") return values.includes(d.getUTCDate());
  return true;
}

/**
 * The next time after `after` (exclusive) at which the policy fires, or null when none is left: SCHEDULED
 * fires once at launch_time; RECURRENCE at launch_time (hh:mm) on its days within start_time..end_time.
 */
export function nextFire(type: PolicyType, s: Scheduled | null, after: number): number | null {
  if (!s || type === "ALARM") return null;
  if (type === "SCHEDULED") {
    const at = parseMinute(s.launch_time);
    return at !== undefined && at > after ? at : null;
  }
  const m = HH_MM.exec(s.launch_time);
  const start = parseMinute(s.start_time ?? "");
  const end = parseMinute(s.end_time ?? "");
  if (!m || start === undefined || end === undefined) return null;
  const offset = +m[1]! * 3_600_000 + +m[2]! * 60_000;
  const from = Math.max(after, start);
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day + offset <= end; day += DAY_MS) {
    const at = day + offset;
    if (at > after && at >= start && runsOn(s, day)) return at;
  }
  return null;
}

/**
 * The trigger of a SCHEDULED or RECURRENCE policy, checked. checkTimes: the create, or an update that
 * changes the trigger (an update of other fields does not refuse a launch_time that has since passed).
 */
export function checkScheduled(type: "SCHEDULED" | "RECURRENCE", b: z.infer<typeof ScheduledBody> | undefined, now: number, checkTimes: boolean): Scheduled {
  if (!b) throw asErrors.scheduledNull();
  const launch = b.launch_time;
  if (launch === undefined || launch === "") throw asErrors.launchTimeNull();
  if (type === "SCHEDULED") {
    const at = parseMinute(launch);
    if (at === undefined) throw asErrors.launchTimeFormat(launch.slice(0, 32));
    if (checkTimes && at <= now) throw asErrors.launchTimePast();
    return { launch_time: launch };
  }
  if (!HH_MM.test(launch)) throw asErrors.launchTimeFormat(launch.slice(0, 32));
  const rt = b.recurrence_type;
  if (rt === undefined || rt === "") throw asErrors.periodTypeNull();
  if (rt !== "Daily" && rt !== "Weekly" && rt !== "Monthly") throw asErrors.recurrenceTypeInvalid(rt.slice(0, 16));
  const value = recurrenceValue(rt, b.recurrence_value);
  const startText = b.start_time ?? formatMinute(now);
  const start = parseMinute(startText);
  if (start === undefined) throw asErrors.startTimeFormat(startText.slice(0, 32));
  if (b.end_time === undefined || b.end_time === "") throw asErrors.endTimeNull();
  const end = parseMinute(b.end_time);
  if (end === undefined) throw asErrors.endTimeFormat(b.end_time.slice(0, 32));
  if (checkTimes && end <= now) throw asErrors.endTimePast();
  if (start >= end) throw asErrors.startAfterEnd();
  const s: Scheduled = { launch_time: launch, recurrence_type: rt, recurrence_value: value, start_time: startText, end_time: b.end_time };
  if (checkTimes && nextFire("RECURRENCE", s, now) === null) throw asErrors.launchOutsidePeriod();
  return s;
}
