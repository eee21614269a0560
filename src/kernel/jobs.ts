// What services see of the engine's persistent jobs (implemented in src/engine/jobs.ts): submit a job,
// register the runner of its job_type, read it back for ShowJob.

export type JobStatus = "INIT" | "RUNNING" | "SUCCESS" | "FAIL";

export interface JobRecord {
  id: string;
  parentId: string | null;
  projectId: string;
  service: string;
  jobType: string;
  status: JobStatus;
  entities: Record<string, unknown>;
  /** What the runner carries between its steps. */
  state: Record<string, unknown>;
  createdAt: number;
  beginTime: number | null;
  endTime: number | null;
  dueAt: number | null;
  errorCode: string | null;
  failReason: string | null;
}

export type JobStep =
  | { status: "RUNNING"; nextAt: number; state?: Record<string, unknown>; entities?: Record<string, unknown> }
  | { status: "SUCCESS"; entities?: Record<string, unknown> }
  | { status: "FAIL"; errorCode: string; failReason: string; entities?: Record<string, unknown> };

/**
 * Thrown by a runner to fail its job with Huawei's codes after it has already written something: the
 * step's writes are rolled back (the runner runs in a savepoint) and the job is recorded as FAIL.
 */
export class JobFailure extends Error {
  constructor(
    readonly errorCode: string,
    readonly failReason: string,
  ) {
    super(failReason);
  }
}

/**
 * Runs one step of a job, inside a savepoint of the step's transaction: return the next step, return FAIL
 * when nothing was written, or throw JobFailure to undo what the step wrote and fail the job.
 */
export type JobRunner = (job: JobRecord, now: number) => JobStep;

export interface NewJob {
  service: string;
  projectId: string;
  jobType: string;
  entities?: Record<string, unknown>;
  state?: Record<string, unknown>;
  /** When the first step is due (default: now). */
  dueAt?: number;
}

/** What a fault rule (POST /_hwlocal/faults, effect "job") matches a job or another lifecycle step by. */
export type JobTarget = Pick<JobRecord, "service" | "jobType" | "projectId" | "entities">;

/** The failure a fault rule forces: Huawei's error_code and fail_reason. */
export interface InjectedFailure {
  errorCode: string;
  failReason: string;
}

/**
 * Called, in the step's transaction, when a fault rule fails a job before its runner ran: the service puts
 * the job's resource where the cloud leaves it after such a failure (a server in ERROR, a volume in
 * error_extending).
 */
export type JobFaultHandler = (job: JobRecord, failure: InjectedFailure, now: number) => void;

export interface JobsApi {
  register(jobType: string, runner: JobRunner, onFault?: JobFaultHandler): void;
  /**
   * The failure a fault rule forces on a lifecycle step that is not an engine job (an AS scaling
   * activity), or undefined; each call that answers counts as one of the rule's matches.
   */
  injectedFailure(target: JobTarget): InjectedFailure | undefined;
  submit(job: NewJob, subJobs?: Omit<NewJob, "service" | "projectId">[]): string;
  get(id: string): JobRecord | undefined;
  children(id: string): JobRecord[];
}
