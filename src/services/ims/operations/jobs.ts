// ShowJob on the IMS endpoint: IMS's own jobs (service "ims") of the caller's project, from the engine's
// persistent jobs. A job of another service or project is "not found", as on the cloud where each service
// answers only for its own jobs.
import { serviceJobView } from "../../../engine/jobs.ts";
import { imsOperation, requireProject } from "../context.ts";
import { imsErrors } from "../errors.ts";

export const showJob = imsOperation({
  name: "ShowJob",
  method: "GET",
  path: "/v1/{project_id}/jobs/{job_id}",
  handle(ctx) {
    const id = ctx.input.path.job_id!;
    const body = serviceJobView(ctx.svc.jobs, "ims", requireProject(ctx.scope), id);
    if (!body) throw imsErrors.jobNotFound(id);
    return { body };
  },
});

export const jobOperations = [showJob];
