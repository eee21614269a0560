// ShowJob: the engine's persistent jobs that ECS submitted in the caller's project (sub-jobs included).
// Another service's job, or another project's, is as missing as an unknown id.
import { jobView } from "../../../engine/jobs.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";

export const showJob = ecsOperation({
  name: "ShowJob",
  method: "GET",
  path: "/v1/{project_id}/jobs/{job_id}",
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const id = ctx.input.path.job_id ?? "";
    const { jobs } = ctx.svc;
    const job = jobs.get(id);
    if (!job || job.service !== "ecs" || job.projectId !== projectId) throw ecsErrors.jobNotFound(id);
    return { body: jobView(job, jobs.children(id)) };
  },
});

export const jobOperations = [showJob];
