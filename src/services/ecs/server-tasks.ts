// Server actions that change a server in place (resize, change OS, reinstall OS, migrate and redeploy to
// another host) and auto-termination,
// as jobs on hwlocal's clock: the request puts each server in its transitional status with a task_state,
// and a sub-job per server, due after the configured server delay, writes the server's final fields.
// The final fields travel in the job's state, so a restart finishes the job as it was asked.
import type { JobRecord, JobStep } from "../../kernel/jobs.ts";
import type { Clock } from "../../kernel/clock.ts";
import type { EcsContext, ProjectScope } from "./context.ts";
import { ecsErrors } from "./errors.ts";
import { releaseServer } from "./server-jobs.ts";
import type { ServerPatch, ServerRow } from "./store-servers.ts";

/** Job types, ECS's names where the documentation gives them; they must not clash with other job types. */
export const TASK_JOBS = {
  resize: { parent: "resizeServer", child: "resizeSingleServer" },
  changeOs: { parent: "changeOS", child: "changeSingleServerOS" },
  reinstall: { parent: "reinstallOS", child: "reinstallSingleServerOS" },
  migrate: { parent: "migrateServer", child: "migrateSingleServer" },
  redeploy: { parent: "redeployServer", child: "redeploySingleServer" },
} as const;

export const AUTO_TERMINATE_JOB = "autoTerminateServer";

export type TaskKind = keyof typeof TASK_JOBS;

export interface ServerTask {
  server: ServerRow;
  /** The status and task_state while the job runs. */
  during: { status: ServerRow["status"]; task: string };
  /** What the server becomes when its sub-job ends (task_state is cleared besides). */
  done: ServerPatch;
}

/** The fields a task may write at its end. */
const FINAL_FIELDS = ["status", "vm_state", "power_state", "flavor_id", "image_id", "key_name", "user_data", "metadata", "host_id"] as const;

/** Refuses a server that is busy or not in one of the given statuses (Ecs.0603, Ecs.0100). */
export function requireIdle(s: ServerRow, from: readonly ServerRow["status"][]): void {
  if (s.task_state !== null) throw ecsErrors.otherCommandRunning(s.id);
  if (!from.includes(s.status)) throw ecsErrors.statusConflict(s.id, s.status);
}

/** The powered state a server returns to: where it was (ACTIVE or SHUTOFF). */
export function poweredAs(status: "ACTIVE" | "SHUTOFF"): ServerPatch {
  return status === "ACTIVE" ? { status: "ACTIVE", vm_state: "active", power_state: 1 } : { status: "SHUTOFF", vm_state: "stopped", power_state: 4 };
}

export function submitServerTasks(
  env: { svc: EcsContext; clock: Clock },
  scope: ProjectScope,
  kind: TaskKind,
  tasks: ServerTask[],
): string {
  const { store, jobs, bootMs } = env.svc;
  const now = env.clock.now();
  const type = TASK_JOBS[kind];
  return store.tx(() => {
    for (const t of tasks) store.servers.update(scope.projectId, t.server.id, { status: t.during.status, task_state: t.during.task }, now);
    return jobs.submit(
      { service: "ecs", projectId: scope.projectId, jobType: type.parent },
      tasks.map((t) => ({ jobType: type.child, entities: { server_id: t.server.id }, state: { done: t.done }, dueAt: now + bootMs })),
    );
  });
}

function finalPatch(job: JobRecord): ServerPatch {
  const done = (job.state.done ?? {}) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const k of FINAL_FIELDS) if (done[k] !== undefined) patch[k] = done[k];
  return patch as ServerPatch;
}

export function registerServerTasks(ctx: EcsContext): void {
  const run = (job: JobRecord, now: number): JobStep => {
    const id = String(job.entities.server_id ?? "");
    const s = ctx.store.servers.get(job.projectId, id);
    if (!s || s.status === "DELETED") return { status: "FAIL", errorCode: "Ecs.0114", failReason: `Instance[${id}] could not be found.` };
    ctx.store.servers.update(job.projectId, id, { ...finalPatch(job), task_state: null }, now);
    return { status: "SUCCESS" };
  };
  for (const type of Object.values(TASK_JOBS)) ctx.jobs.register(type.child, run);

  // Due at the server's auto-terminate time; a time changed or cleared since leaves the server alone.
  ctx.jobs.register(AUTO_TERMINATE_JOB, (job, now) => {
    const id = String(job.entities.server_id ?? "");
    const s = ctx.store.servers.get(job.projectId, id);
    const at = ctx.store.attrs.get(job.projectId, id, "auto_terminate_time");
    if (!s || s.status === "DELETED" || at !== job.state.at) return { status: "SUCCESS" };
    releaseServer(ctx, s, {});
    ctx.store.servers.update(job.projectId, id, { status: "DELETED", vm_state: "deleted", task_state: null, power_state: 0, terminated_at: now }, now);
    ctx.store.attrs.unset(job.projectId, id, "auto_terminate_time");
    return { status: "SUCCESS" };
  });
}
