// Persistent async jobs, as ECS, EVS and IMS report them at GET /v1/{project_id}/jobs/{job_id}.
//
// A job is a row. The service that submits it registers a runner for its job_type; the engine calls the
// runner when the job is due, inside one SQLite transaction with the runner's own writes, so a step either
// happens with its effects or not at all, and a restarted hwlocal continues where it stopped. A runner
// returns the next step: RUNNING again at a later time (with state to carry), SUCCESS, or FAIL with
// Huawei's error_code and fail_reason.
//
// A job submitted with sub-jobs (one per server of a batch) has no runner of its own: its status, times and
// entities.sub_jobs are derived from its children when read, as Huawei reports them.
import type { Database, Statement } from "better-sqlite3";
import type { Clock } from "../kernel/clock.ts";
import type { Ids } from "../kernel/ids.ts";
import {
  JobFailure,
  type InjectedFailure,
  type JobFaultHandler,
  type JobRecord,
  type JobRunner,
  type JobsApi,
  type JobStatus,
  type JobStep,
  type JobTarget,
  type NewJob,
} from "../kernel/jobs.ts";
import { all, int, intOrNull, maybe, oneOf, text, textOrNull, type SqlRow } from "../store/rows.ts";

export const JOB_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE engine_jobs (
    id TEXT PRIMARY KEY, parent_id TEXT, project_id TEXT NOT NULL, service TEXT NOT NULL,
    job_type TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('INIT', 'RUNNING', 'SUCCESS', 'FAIL')),
    entities TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL,
    begin_time INTEGER, end_time INTEGER, due_at INTEGER, error_code TEXT, fail_reason TEXT);
  CREATE INDEX engine_jobs_due ON engine_jobs(due_at) WHERE due_at IS NOT NULL;
  CREATE INDEX engine_jobs_parent ON engine_jobs(parent_id) WHERE parent_id IS NOT NULL;
  `,
];

const jsonObject = (r: SqlRow, k: string): Record<string, unknown> => {
  const v: unknown = JSON.parse(text(r, k));
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`engine_jobs.${k} is not an object`);
  return v as Record<string, unknown>;
};

const toJob = (r: SqlRow): JobRecord => ({
  id: text(r, "id"),
  parentId: textOrNull(r, "parent_id"),
  projectId: text(r, "project_id"),
  service: text(r, "service"),
  jobType: text(r, "job_type"),
  status: oneOf(r, "status", ["INIT", "RUNNING", "SUCCESS", "FAIL"] as const),
  entities: jsonObject(r, "entities"),
  state: jsonObject(r, "state"),
  createdAt: int(r, "created_at"),
  beginTime: intOrNull(r, "begin_time"),
  endTime: intOrNull(r, "end_time"),
  dueAt: intOrNull(r, "due_at"),
  errorCode: textOrNull(r, "error_code"),
  failReason: textOrNull(r, "fail_reason"),
});

/** Jobs run per tick at most, so that one drain round stays short; the engine runs rounds until none is due. */
const BATCH = 200;

export class Jobs implements JobsApi {
  private readonly runners = new Map<string, { run: JobRunner; onFault: JobFaultHandler | undefined }>();
  /** Fault rules (control/faults.ts): the failure a job's first step must end in instead of running. */
  fault: ((job: JobTarget) => InjectedFailure | undefined) | undefined;
  private readonly st: Record<"insert" | "get" | "children" | "due" | "update", Statement>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: Ids,
    /** Asks the engine to run soon (after a submit, so that 0-delay jobs finish without waiting a tick). */
    private readonly wake: () => void = () => {},
  ) {
    this.st = {
      insert: db.prepare(`INSERT INTO engine_jobs (id, parent_id, project_id, service, job_type, status, entities, state,
        created_at, due_at) VALUES (@id, @parent_id, @project_id, @service, @job_type, 'INIT', @entities, @state, @now, @due_at)`),
      get: db.prepare("SELECT * FROM engine_jobs WHERE id = ?"),
      children: db.prepare("SELECT * FROM engine_jobs WHERE parent_id = ? ORDER BY created_at, rowid"),
      due: db.prepare(`SELECT * FROM engine_jobs WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, rowid LIMIT ${BATCH}`),
      update: db.prepare(`UPDATE engine_jobs SET status = @status, entities = @entities, state = @state,
        begin_time = @begin_time, end_time = @end_time, due_at = @due_at, error_code = @error_code,
        fail_reason = @fail_reason WHERE id = @id`),
    };
  }

  register(jobType: string, runner: JobRunner, onFault?: JobFaultHandler): void {
    if (this.runners.has(jobType)) throw new Error(`jobs: a runner for ${jobType} is registered twice`);
    this.runners.set(jobType, { run: runner, onFault });
  }

  injectedFailure(target: JobTarget): InjectedFailure | undefined {
    return this.fault?.(target);
  }

  /** Creates a job, or with subJobs a parent whose children run on their own. Returns the job id. */
  submit(job: NewJob, subJobs?: Omit<NewJob, "service" | "projectId">[]): string {
    const now = this.clock.now();
    const insert = (j: NewJob, parentId: string | null, runs: boolean) => {
      const id = this.ids.hex32();
      this.st.insert.run({
        id,
        parent_id: parentId,
        project_id: j.projectId,
        service: j.service,
        job_type: j.jobType,
        entities: JSON.stringify(j.entities ?? {}),
        state: JSON.stringify(j.state ?? {}),
        now,
        due_at: runs ? (j.dueAt ?? now) : null,
      });
      return id;
    };
    const id = insert(job, null, !subJobs?.length);
    for (const sub of subJobs ?? []) insert({ ...sub, service: job.service, projectId: job.projectId }, id, true);
    this.wake();
    return id;
  }

  get(id: string): JobRecord | undefined {
    return maybe(toJob, this.st.get.get(id));
  }

  children(id: string): JobRecord[] {
    return all(toJob, this.st.children.all(id));
  }

  /** Runs every job due at `now`; true when it ran any (the engine then asks again). */
  tick(now: number): boolean {
    const due = all(toJob, this.st.due.all(now));
    for (const job of due) this.step(job, now);
    return due.length > 0;
  }

  private step(job: JobRecord, now: number): void {
    const runner = this.runners.get(job.jobType);
    this.db.transaction(() => {
      const current = this.get(job.id);
      if (!current || current.dueAt === null || current.dueAt > now) return;
      const beginTime = current.beginTime ?? now;
      let next: JobStep;
      const forced = current.beginTime === null && this.fault !== undefined ? this.fault(current) : undefined;
      if (forced) {
        runner?.onFault?.({ ...current, beginTime }, forced, now);
        next = { status: "FAIL", ...forced };
      }
      else if (!runner) next = { status: "FAIL", errorCode: "Common.0022", failReason: `no runner for job type ${job.jobType}` };
      else {
        try {
          // A nested transaction is a savepoint: a runner that throws leaves none of its writes behind.
          next = this.db.transaction(() => runner.run({ ...current, beginTime }, now))();
        } catch (err) {
          // JobFailure is a runner's way to fail with Huawei's codes; anything else is a runner bug, which
          // must not wedge the job forever: it fails too, with the reason readable in the job.
          next =
            err instanceof JobFailure
              ? { status: "FAIL", errorCode: err.errorCode, failReason: err.failReason }
              : { status: "FAIL", errorCode: "Common.0001", failReason: err instanceof Error ? err.message : String(err) };
        }
      }
      const done = next.status !== "RUNNING";
      this.st.update.run({
        id: current.id,
        status: next.status,
        entities: JSON.stringify({ ...current.entities, ...next.entities }),
        state: JSON.stringify(next.status === "RUNNING" && next.state ? next.state : current.state),
        begin_time: beginTime,
        end_time: done ? now : null,
        due_at: next.status === "RUNNING" ? Math.max(next.nextAt, now) : null,
        error_code: next.status === "FAIL" ? next.errorCode : null,
        fail_reason: next.status === "FAIL" ? next.failReason : null,
      });
    })();
  }
}

/** Huawei's job times: 2016-12-20T03:18:51.287Z. */
function jobTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A parent's status from its children's. */
function derivedStatus(children: JobRecord[]): JobStatus {
  if (children.every((c) => c.status === "INIT")) return "INIT";
  if (children.some((c) => c.status === "INIT" || c.status === "RUNNING")) return "RUNNING";
  return children.some((c) => c.status === "FAIL") ? "FAIL" : "SUCCESS";
}

function subJobView(c: JobRecord) {
  return {
    job_id: c.id,
    job_type: c.jobType,
    status: c.status,
    begin_time: jobTime(c.beginTime),
    end_time: jobTime(c.endTime),
    error_code: c.errorCode,
    fail_reason: c.failReason,
    entities: c.entities,
  };
}

/** The ShowJob body (ECS, EVS and IMS share it). */
export function jobView(job: JobRecord, children: JobRecord[]) {
  if (children.length === 0) {
    return { ...subJobView(job), entities: { ...job.entities, sub_jobs_total: 0, sub_jobs: [] } };
  }
  const status = derivedStatus(children);
  const failed = children.find((c) => c.status === "FAIL");
  const begins = children.map((c) => c.beginTime).filter((t): t is number => t !== null);
  const done = status === "SUCCESS" || status === "FAIL";
  return {
    job_id: job.id,
    job_type: job.jobType,
    status,
    begin_time: jobTime(begins.length ? Math.min(...begins) : null),
    end_time: done ? jobTime(Math.max(...children.map((c) => c.endTime ?? 0))) : null,
    error_code: failed ? "Common.0021" : null,
    fail_reason: failed ? `Sub job fail! ${failed.failReason ?? ""}`.trim() : null,
    entities: { ...job.entities, sub_jobs_total: children.length, sub_jobs: children.map(subJobView) },
  };
}

/**
 * ShowJob's body for a job that `service` submitted in `projectId`, or undefined: each service answers only
 * for its own jobs, so another service's or another project's job is as missing as an unknown id.
 */
export function serviceJobView(jobs: JobsApi, service: string, projectId: string, id: string) {
  const job = jobs.get(id);
  if (!job || job.service !== service || job.projectId !== projectId) return undefined;
  return jobView(job, jobs.children(job.id));
}
