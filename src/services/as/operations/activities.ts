// Scaling activity logs (v1, /scaling_activity_log): a group's activities, newest first, optionally those
// started within start_time/end_time (yyyy-MM-ddThh:mm:ssZ), with the paging echo (§1.7).
import { z } from "zod";
import { asOperation, paged, pagingQuery, parsePage, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import * as views from "../views.ts";

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function parseTime(v: string | undefined, fail: (d: string) => Error): number | undefined {
  if (v === undefined) return undefined;
  const ms = TIME.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw fail(v.slice(0, 32));
  return ms;
}

export const listScalingActivityLogs = asOperation({
  name: "ListScalingActivityLogs",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_activity_log/{scaling_group_id}`,
  query: z.object({ start_time: z.string().optional(), end_time: z.string().optional(), ...pagingQuery }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = parsePage(q, { start: asErrors.logStartNumberInvalid, limit: asErrors.logLimitInvalid });
    const from = parseTime(q.start_time, asErrors.logStartTimeInvalid);
    const to = parseTime(q.end_time, asErrors.logEndTimeInvalid);
    const { store } = ctx.svc;
    const id = pathParam(ctx.input.path, "scaling_group_id");
    if (!store.groups.get(projectId, id)) throw asErrors.groupNotFound();
    return { body: paged("scaling_activity_log", store.activities.ofGroup(projectId, id, from, to), page, views.activity) };
  },
});

export const activityOperations = [listScalingActivityLogs];
