// ShowJob: the engine's persistent jobs that ECS submitted in the caller's project (sub-jobs included).
// Another service's job, or another project's, is as missing as an unknown id.
import { serviceJobView } from "../../../engine/jobs.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";

export const showJob = ecsOperation({
  name: "ShowJob",
  method: "GET",
  path: "/v1/{project_id}/jobs/{job_id}",
  handle(ctx) {
    const id = ctx.input.path.job_id!;
    const body = serviceJobView(ctx.svc.jobs, "ecs", projectScope(ctx.scope).projectId, id);
    if (!body) throw ecsErrors.jobNotFound(id);
    return { body };
  },
});

export const jobOperations = [showJob];
