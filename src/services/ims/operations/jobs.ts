// ShowJob (GET /v1/{project_id}/jobs/{job_id}) and ShowJobProgress (GET /v1/cloudimages/job/{job_id}, the
// project from X-Project-Id) on the IMS endpoint: IMS's own jobs (service "ims") of the caller's project,
// from the engine's persistent jobs. A job of another service or project is "not found", as on the cloud
// where each service answers only for its own jobs. ShowJobProgress answers {job_id, job_type, status,
// begin_time, end_time, error_code, fail_reason, entities} with entities {image_id?, image_name?, ...the
// job's own, process_percent}: 0 while INIT, 50 while RUNNING, 100 once done (a doubt: the cloud reports
// finer steps, which hwlocal's two-step jobs do not have). Sub-job lists are ShowJob's only.
import { serviceJobView } from "../../../engine/jobs.ts";
import { imsOperation, requireProject } from "../context.ts";
import { imsErrors } from "../errors.ts";

const PERCENT = { INIT: 0, RUNNING: 50, SUCCESS: 100, FAIL: 100 } as const;

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

export const showJobProgress = imsOperation({
  name: "ShowJobProgress",
  method: "GET",
  path: "/v1/cloudimages/job/{job_id}",
  handle(ctx) {
    const id = ctx.input.path.job_id!;
    const view = serviceJobView(ctx.svc.jobs, "ims", requireProject(ctx.scope), id);
    if (!view) throw imsErrors.jobNotFound(id);
    const { sub_jobs: _subJobs, sub_jobs_total: _total, ...entities } = view.entities;
    const body = {
      job_id: view.job_id,
      job_type: view.job_type,
      status: view.status,
      begin_time: view.begin_time,
      end_time: view.end_time,
      error_code: view.error_code,
      fail_reason: view.fail_reason,
      entities: { ...entities, process_percent: PERCENT[view.status] },
    };
    return { body };
  },
});

export const jobOperations = [showJob, showJobProgress];
