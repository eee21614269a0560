// Scaling policies and their execute logs. A policy's trigger is persistent: next_fire is the epoch ms at
// which the policy ticker (policy-engine.ts) runs it next (null: never again, or an ALARM policy).
import type { Database, Statement } from "better-sqlite3";
import { z } from "../../kernel/zod.ts";
import { all, asRow, int, intOrNull, maybe, oneOf, text, textOrNull, type SqlRow } from "../../store/rows.ts";

export const POLICIES_MIGRATION = `
  CREATE TABLE as_policies (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, group_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
    status TEXT NOT NULL, scheduled TEXT, action TEXT NOT NULL, cool_down INTEGER NOT NULL, next_fire INTEGER,
    created_at INTEGER NOT NULL);
  CREATE INDEX as_policies_group ON as_policies(project_id, group_id, created_at);
  CREATE INDEX as_policies_due ON as_policies(next_fire) WHERE next_fire IS NOT NULL;
  CREATE TABLE as_policy_logs (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, policy_id TEXT NOT NULL, group_id TEXT NOT NULL,
    status TEXT NOT NULL, failed_reason TEXT, execute_type TEXT NOT NULL, execute_time INTEGER NOT NULL,
    old_value INTEGER NOT NULL, desire_value INTEGER NOT NULL, limit_value INTEGER NOT NULL, type TEXT NOT NULL);
  CREATE INDEX as_policy_logs_policy ON as_policy_logs(project_id, policy_id, execute_time);
`;

/** ALARM policies name their Cloud Eye alarm rule (added after the first release of the table). */
export const POLICIES_ALARM_MIGRATION = "ALTER TABLE as_policies ADD COLUMN alarm_id TEXT; CREATE INDEX as_policies_alarm ON as_policies(project_id, alarm_id) WHERE alarm_id IS NOT NULL;";

export const POLICY_TYPES = ["ALARM", "SCHEDULED", "RECURRENCE"] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];
export const POLICY_STATUSES = ["INSERVICE", "PAUSED", "EXECUTING"] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];
export const OPERATIONS = ["ADD", "REMOVE", "SET"] as const;
export const EXECUTE_TYPES = ["MANUAL", "SCHEDULED", "RECURRENCE", "ALARM"] as const;
export type ExecuteType = (typeof EXECUTE_TYPES)[number];

export const ScheduledSchema = z.object({
  launch_time: z.string(),
  recurrence_type: z.enum(["Daily", "Weekly", "Monthly"]).optional(),
  recurrence_value: z.string().nullable().optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
});
export type Scheduled = z.infer<typeof ScheduledSchema>;

export const ActionSchema = z.object({
  operation: z.enum(OPERATIONS),
  instance_number: z.number().int().optional(),
  instance_percentage: z.number().int().optional(),
});
export type PolicyAction = z.infer<typeof ActionSchema>;

export interface PolicyRow {
  id: string;
  project_id: string;
  group_id: string;
  name: string;
  type: PolicyType;
  status: PolicyStatus;
  scheduled: Scheduled | null;
  /** The Cloud Eye alarm rule of an ALARM policy, else null. */
  alarm_id: string | null;
  action: PolicyAction;
  cool_down: number;
  next_fire: number | null;
  created_at: number;
}
const toPolicy = (r: SqlRow): PolicyRow => {
  const scheduled = textOrNull(r, "scheduled");
  return {
    id: text(r, "id"),
    project_id: text(r, "project_id"),
    group_id: text(r, "group_id"),
    name: text(r, "name"),
    type: oneOf(r, "type", POLICY_TYPES),
    status: oneOf(r, "status", POLICY_STATUSES),
    scheduled: scheduled === null ? null : ScheduledSchema.parse(JSON.parse(scheduled)),
    alarm_id: textOrNull(r, "alarm_id"),
    action: ActionSchema.parse(JSON.parse(text(r, "action"))),
    cool_down: int(r, "cool_down"),
    next_fire: intOrNull(r, "next_fire"),
    created_at: int(r, "created_at"),
  };
};

export interface PolicyLogRow {
  id: string;
  project_id: string;
  policy_id: string;
  group_id: string;
  status: "SUCCESS" | "FAIL";
  failed_reason: string | null;
  execute_type: ExecuteType;
  execute_time: number;
  old_value: number;
  desire_value: number;
  limit_value: number;
  type: PolicyAction["operation"];
}
const toLog = (r: SqlRow): PolicyLogRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  policy_id: text(r, "policy_id"),
  group_id: text(r, "group_id"),
  status: oneOf(r, "status", ["SUCCESS", "FAIL"] as const),
  failed_reason: textOrNull(r, "failed_reason"),
  execute_type: oneOf(r, "execute_type", EXECUTE_TYPES),
  execute_time: int(r, "execute_time"),
  old_value: int(r, "old_value"),
  desire_value: int(r, "desire_value"),
  limit_value: int(r, "limit_value"),
  type: oneOf(r, "type", OPERATIONS),
});

/** Filters of ListScalingPolicies; name is a substring. */
export interface PolicyFilter {
  name?: string;
  type?: string;
  id?: string;
}

/** Filters of ListScalingPolicyExecuteLogs; times bound execute_time. */
export interface LogFilter {
  logId?: string;
  resourceId?: string;
  executeType?: string;
  from?: number;
  to?: number;
}

type Stmt = "byAlarm" | "get" | "ofGroup" | "count" | "due" | "insert" | "update" | "delete" | "deleteGroup" | "logs" | "addLog" | "deleteLogs" | "deleteGroupLogs";

export class PoliciesTable {
  private readonly st: Record<Stmt, Statement>;

  constructor(db: Database) {
    this.st = {
      get: db.prepare("SELECT * FROM as_policies WHERE project_id = ? AND id = ?"),
      byAlarm: db.prepare("SELECT * FROM as_policies WHERE project_id = ? AND alarm_id = ? ORDER BY created_at, rowid"),
      ofGroup: db.prepare("SELECT * FROM as_policies WHERE project_id = ? AND group_id = ? ORDER BY created_at DESC, rowid DESC"),
      count: db.prepare("SELECT COUNT(*) AS n FROM as_policies WHERE project_id = ? AND group_id = ?"),
      due: db.prepare("SELECT * FROM as_policies WHERE next_fire IS NOT NULL AND next_fire <= ? AND status = 'INSERVICE' ORDER BY next_fire, rowid"),
      insert: db.prepare(`INSERT INTO as_policies (id, project_id, group_id, name, type, status, scheduled, alarm_id, action, cool_down,
        next_fire, created_at) VALUES (@id, @project_id, @group_id, @name, @type, @status, @scheduled, @alarm_id, @action, @cool_down,
        @next_fire, @created_at)`),
      update: db.prepare(`UPDATE as_policies SET name = @name, type = @type, status = @status, scheduled = @scheduled,
        alarm_id = @alarm_id, action = @action, cool_down = @cool_down, next_fire = @next_fire WHERE project_id = @project_id AND id = @id`),
      delete: db.prepare("DELETE FROM as_policies WHERE project_id = ? AND id = ?"),
      deleteGroup: db.prepare("DELETE FROM as_policies WHERE project_id = ? AND group_id = ?"),
      logs: db.prepare(`SELECT * FROM as_policy_logs WHERE project_id = @project_id AND policy_id = @policy_id
        AND (@log_id IS NULL OR id = @log_id) AND (@group_id IS NULL OR group_id = @group_id)
        AND (@execute_type IS NULL OR execute_type = @execute_type) AND (@from IS NULL OR execute_time >= @from)
        AND (@to IS NULL OR execute_time <= @to) ORDER BY execute_time DESC, rowid DESC`),
      addLog: db.prepare(`INSERT INTO as_policy_logs (id, project_id, policy_id, group_id, status, failed_reason, execute_type,
        execute_time, old_value, desire_value, limit_value, type) VALUES (@id, @project_id, @policy_id, @group_id, @status,
        @failed_reason, @execute_type, @execute_time, @old_value, @desire_value, @limit_value, @type)`),
      deleteLogs: db.prepare("DELETE FROM as_policy_logs WHERE project_id = ? AND policy_id = ?"),
      deleteGroupLogs: db.prepare("DELETE FROM as_policy_logs WHERE project_id = ? AND group_id = ?"),
    };
  }

  get(projectId: string, id: string): PolicyRow | undefined {
    return maybe(toPolicy, this.st.get.get(projectId, id));
  }
  /** Newest first. */
  ofGroup(projectId: string, groupId: string, f: PolicyFilter = {}): PolicyRow[] {
    return all(toPolicy, this.st.ofGroup.all(projectId, groupId)).filter(
      (p) => (f.name === undefined || p.name.includes(f.name)) && (f.type === undefined || p.type === f.type) && (f.id === undefined || p.id === f.id),
    );
  }
  /** The project's policies bound to a Cloud Eye alarm rule, oldest first. */
  byAlarm(projectId: string, alarmId: string): PolicyRow[] {
    return all(toPolicy, this.st.byAlarm.all(projectId, alarmId));
  }
  count(projectId: string, groupId: string): number {
    return int(asRow(this.st.count.get(projectId, groupId)), "n");
  }
  /** The INSERVICE policies of every project whose trigger is due. */
  due(now: number): PolicyRow[] {
    return all(toPolicy, this.st.due.all(now));
  }
  insert(p: PolicyRow): void {
    this.st.insert.run(this.params(p));
  }
  update(p: PolicyRow): void {
    const { created_at: _c, group_id: _g, ...rest } = this.params(p);
    this.st.update.run(rest);
  }
  /** Deletes a policy and its execute logs. */
  delete(projectId: string, id: string): boolean {
    this.st.deleteLogs.run(projectId, id);
    return this.st.delete.run(projectId, id).changes > 0;
  }
  deleteGroup(projectId: string, groupId: string): void {
    this.st.deleteGroupLogs.run(projectId, groupId);
    this.st.deleteGroup.run(projectId, groupId);
  }
  /** Newest first. */
  logs(projectId: string, policyId: string, f: LogFilter): PolicyLogRow[] {
    return all(
      toLog,
      this.st.logs.all({
        project_id: projectId, policy_id: policyId, log_id: f.logId ?? null, group_id: f.resourceId ?? null,
        execute_type: f.executeType ?? null, from: f.from ?? null, to: f.to ?? null,
      }),
    );
  }
  addLog(l: PolicyLogRow): void {
    this.st.addLog.run(l);
  }

  private params(p: PolicyRow) {
    return { ...p, scheduled: p.scheduled === null ? null : JSON.stringify(p.scheduled), action: JSON.stringify(p.action) };
  }
}
