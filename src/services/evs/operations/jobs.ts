// ShowJob on the EVS endpoint: EVS's own jobs (service "evs") of the caller's project, parents and sub-jobs
// alike. Any other id is EVS's documented "query job fail." (400 Common.0011).
import { serviceJobView } from "../../../engine/jobs.ts";
import { evsOperation, requireProject } from "../context.ts";
import { evsErrors } from "../errors.ts";

export const showJob = evsOperation({
  name: "ShowJob",
  method: "GET",
  path: "/v1/{project_id}/jobs/{job_id}",
  handle(ctx) {
    const id = ctx.input.path.job_id!;
    const body = serviceJobView(ctx.svc.jobs, "evs", requireProject(ctx.scope).projectId, id);
    if (!body) throw evsErrors.jobNotFound(id);
    return { body };
  },
});

export const jobOperations = [showJob];
