// Cloud Eye's tables: metric data points (one row each, indexed by series and time, pruned when their ttl
// ends), alarm rules with their evaluation state, and alarm history. Every query names the project, except
// the evaluator's and the pruner's sweeps.
import type { Database, Statement } from "better-sqlite3";
import { CES_DOCS_MIGRATION } from "./docs.ts";
import { all, flag, int, maybe, oneOf, text, type SqlRow } from "../../store/rows.ts";
import { ALARM_STATES, FILTERS, OPERATORS, type AlarmAction, type AlarmState, type Filter, type Operator } from "./model.ts";
import type { RawPoint } from "./rollup.ts";

export const CES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ces_points (
    project_id TEXT NOT NULL, namespace TEXT NOT NULL, metric_name TEXT NOT NULL, dim_key TEXT NOT NULL,
    collect_time INTEGER NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, expires_at INTEGER NOT NULL);
  CREATE INDEX ces_points_series ON ces_points(project_id, namespace, metric_name, dim_key, collect_time);
  CREATE INDEX ces_points_expiry ON ces_points(expires_at);
  CREATE TABLE ces_alarms (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
    namespace TEXT NOT NULL, metric_name TEXT NOT NULL, dim_key TEXT NOT NULL,
    period INTEGER NOT NULL, filter TEXT NOT NULL, operator TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL,
    count INTEGER NOT NULL, suppress_duration INTEGER NOT NULL, enabled INTEGER NOT NULL, action_enabled INTEGER NOT NULL,
    level INTEGER NOT NULL, alarm_type TEXT NOT NULL, alarm_actions TEXT NOT NULL, ok_actions TEXT NOT NULL,
    state TEXT NOT NULL, evaluated_until INTEGER NOT NULL, notified_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX ces_alarms_project ON ces_alarms(project_id, id);
  CREATE TABLE ces_alarm_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id TEXT NOT NULL, alarm_id TEXT NOT NULL, old_state TEXT NOT NULL,
    new_state TEXT NOT NULL, at INTEGER NOT NULL, value REAL);
  CREATE INDEX ces_alarm_history_project ON ces_alarm_history(project_id, at);
  `,
  // hwlocal's synthetic load (PUT /_hwlocal/ces/load): target "server" or "group", by id.
  `CREATE TABLE ces_load (target TEXT NOT NULL, id TEXT NOT NULL, cpu_util REAL NOT NULL, PRIMARY KEY (target, id));`,
  CES_DOCS_MIGRATION,
];

export interface Series {
  namespace: string;
  metric_name: string;
  dim_key: string;
}

export interface NewPoint extends Series {
  project_id: string;
  collect_time: number;
  value: number;
  unit: string;
  expires_at: number;
}

export interface AlarmRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  namespace: string;
  metric_name: string;
  dim_key: string;
  period: number;
  filter: Filter;
  operator: Operator;
  value: number;
  unit: string;
  count: number;
  suppress_duration: number;
  enabled: boolean;
  action_enabled: boolean;
  level: number;
  alarm_type: string;
  alarm_actions: AlarmAction[];
  ok_actions: AlarmAction[];
  state: AlarmState;
  /** End (ms) of the last period boundary evaluated. */
  evaluated_until: number;
  /** When the hooks were last told the rule is in alarm (ms, 0: never). */
  notified_at: number;
  created_at: number;
  updated_at: number;
}

export interface HistoryRow {
  seq: number;
  project_id: string;
  alarm_id: string;
  old_state: AlarmState;
  new_state: AlarmState;
  at: number;
  value: number | null;
}

function actions(r: SqlRow, k: string): AlarmAction[] {
  return JSON.parse(text(r, k)) as AlarmAction[];
}

const toAlarm = (r: SqlRow): AlarmRow => ({
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  name: text(r, "name"),
  description: text(r, "description"),
  namespace: text(r, "namespace"),
  metric_name: text(r, "metric_name"),
  dim_key: text(r, "dim_key"),
  period: int(r, "period"),
  filter: oneOf(r, "filter", FILTERS),
  operator: oneOf(r, "operator", OPERATORS),
  value: int(r, "value"),
  unit: text(r, "unit"),
  count: int(r, "count"),
  suppress_duration: int(r, "suppress_duration"),
  enabled: flag(r, "enabled"),
  action_enabled: flag(r, "action_enabled"),
  level: int(r, "level"),
  alarm_type: text(r, "alarm_type"),
  alarm_actions: actions(r, "alarm_actions"),
  ok_actions: actions(r, "ok_actions"),
  state: oneOf(r, "state", ALARM_STATES),
  evaluated_until: int(r, "evaluated_until"),
  notified_at: int(r, "notified_at"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

const toHistory = (r: SqlRow): HistoryRow => ({
  seq: int(r, "seq"),
  project_id: text(r, "project_id"),
  alarm_id: text(r, "alarm_id"),
  old_state: oneOf(r, "old_state", ALARM_STATES),
  new_state: oneOf(r, "new_state", ALARM_STATES),
  at: int(r, "at"),
  value: r.value === null ? null : int(r, "value"),
});

const toPoint = (r: SqlRow): RawPoint => ({ time: int(r, "collect_time"), value: int(r, "value"), unit: text(r, "unit") });

const ALARM_COLUMNS = [
  "id", "project_id", "name", "description", "namespace", "metric_name", "dim_key", "period", "filter", "operator", "value",
  "unit", "count", "suppress_duration", "enabled", "action_enabled", "level", "alarm_type", "alarm_actions", "ok_actions",
  "state", "evaluated_until", "notified_at", "created_at", "updated_at",
] as const;

function alarmParams(a: AlarmRow): Record<string, string | number> {
  return {
    ...a,
    enabled: a.enabled ? 1 : 0,
    action_enabled: a.action_enabled ? 1 : 0,
    alarm_actions: JSON.stringify(a.alarm_actions),
    ok_actions: JSON.stringify(a.ok_actions),
  };
}

export class CesStore {
  private readonly st: Record<string, Statement>;

  constructor(readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      insertPoint: p(`INSERT INTO ces_points (project_id, namespace, metric_name, dim_key, collect_time, value, unit, expires_at)
        VALUES (@project_id, @namespace, @metric_name, @dim_key, @collect_time, @value, @unit, @expires_at)`),
      points: p(`SELECT collect_time, value, unit FROM ces_points WHERE project_id = ? AND namespace = ? AND metric_name = ? AND dim_key = ?
        AND collect_time >= ? AND collect_time < ? AND expires_at > ? ORDER BY collect_time, rowid`),
      series: p(`SELECT DISTINCT namespace, metric_name, dim_key FROM ces_points WHERE project_id = ? AND expires_at > ?
        ORDER BY namespace, metric_name, dim_key`),
      lastUnit: p(`SELECT unit FROM ces_points WHERE project_id = ? AND namespace = ? AND metric_name = ? AND dim_key = ?
        ORDER BY collect_time DESC, rowid DESC LIMIT 1`),
      prune: p("DELETE FROM ces_points WHERE expires_at <= ?"),
      alarm: p("SELECT * FROM ces_alarms WHERE project_id = ? AND id = ?"),
      alarms: p("SELECT * FROM ces_alarms WHERE project_id = ? ORDER BY id"),
      enabledAlarms: p("SELECT * FROM ces_alarms WHERE enabled = 1 ORDER BY id"),
      countAlarms: p("SELECT COUNT(*) AS n FROM ces_alarms WHERE project_id = ?"),
      insertAlarm: p(`INSERT INTO ces_alarms (${ALARM_COLUMNS.join(", ")}) VALUES (${ALARM_COLUMNS.map((c) => `@${c}`).join(", ")})`),
      updateAlarm: p(`UPDATE ces_alarms SET ${ALARM_COLUMNS.filter((c) => c !== "id" && c !== "project_id").map((c) => `${c} = @${c}`).join(", ")}
        WHERE project_id = @project_id AND id = @id`),
      deleteAlarm: p("DELETE FROM ces_alarms WHERE project_id = ? AND id = ?"),
      deleteHistory: p("DELETE FROM ces_alarm_history WHERE project_id = ? AND alarm_id = ?"),
      insertHistory: p(`INSERT INTO ces_alarm_history (project_id, alarm_id, old_state, new_state, at, value)
        VALUES (@project_id, @alarm_id, @old_state, @new_state, @at, @value)`),
      history: p("SELECT * FROM ces_alarm_history WHERE project_id = ? ORDER BY at DESC, seq DESC"),
    };
  }

  private get(name: string): Statement {
    const s = this.st[name];
    if (!s) throw new Error(`ces store: no statement ${name}`);
    return s;
  }

  insertPoints(points: readonly NewPoint[]): void {
    const ins = this.get("insertPoint");
    this.db.transaction(() => {
      for (const p of points) ins.run(p);
    })();
  }

  /** The series' live points with from ≤ collect_time < to, in time order. */
  points(projectId: string, s: Series, from: number, to: number, now: number): RawPoint[] {
    return all(toPoint, this.get("points").all(projectId, s.namespace, s.metric_name, s.dim_key, from, to, now));
  }

  series(projectId: string, now: number): (Series & { unit: string })[] {
    const rows = this.get("series").all(projectId, now) as Series[];
    const unit = this.get("lastUnit");
    return rows.map((s) => {
      const u = unit.get(projectId, s.namespace, s.metric_name, s.dim_key) as { unit: string } | undefined;
      return { ...s, unit: u?.unit ?? "" };
    });
  }

  prune(now: number): number {
    return this.get("prune").run(now).changes;
  }

  alarm(projectId: string, id: string): AlarmRow | undefined {
    return maybe(toAlarm, this.get("alarm").get(projectId, id));
  }

  alarms(projectId: string): AlarmRow[] {
    return all(toAlarm, this.get("alarms").all(projectId));
  }

  enabledAlarms(): AlarmRow[] {
    return all(toAlarm, this.get("enabledAlarms").all());
  }

  countAlarms(projectId: string): number {
    return (this.get("countAlarms").get(projectId) as { n: number }).n;
  }

  insertAlarm(a: AlarmRow): void {
    this.get("insertAlarm").run(alarmParams(a));
  }

  saveAlarm(a: AlarmRow): void {
    this.get("updateAlarm").run(alarmParams(a));
  }

  deleteAlarm(projectId: string, id: string): void {
    this.db.transaction(() => {
      this.get("deleteAlarm").run(projectId, id);
      this.get("deleteHistory").run(projectId, id);
    })();
  }

  addHistory(h: Omit<HistoryRow, "seq">): void {
    this.get("insertHistory").run(h);
  }

  history(projectId: string): HistoryRow[] {
    return all(toHistory, this.get("history").all(projectId));
  }
}
