// Scaling activity logs (v1, /scaling_activity_log): a group's activities, newest first, optionally those
// started within start_time/end_time (yyyy-MM-ddThh:mm:ssZ), with the paging echo (§1.7); v2 (/autoscaling-api/v2)
// over the same rows, also by log_id, type and status (comma-separated), its instance lists as objects.
import { z } from "../../../kernel/zod.ts";
import { asOperation, paged, pagingQuery, parsePage, parseTime, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import * as views from "../views.ts";

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

const STATUSES = ["SUCCESS", "FAIL", "DOING"];
const TYPES = ["NORMAL", "MANUAL_REMOVE", "MANUAL_DELETE", "MANUAL_ADD", "ELB_CHECK_DELETE", "AUDIT_CHECK_DELETE", "DIFF", "MODIFY_ELB", "ENTER_STANDBY", "EXIT_STANDBY"];
/** Huawei's Chinese page spells the manual types MANNUAL_*: both are read. */
const typeName = (t: string) => t.replace(/^MANNUAL_/, "MANUAL_");

/** A comma-separated filter's values, each one of `allowed`. */
function listFilter(v: string | undefined, allowed: string[], field: string): Set<string> | undefined {
  if (v === undefined || v === "") return undefined;
  const values = v.split(",").map((x) => typeName(x.trim()));
  for (const x of values) if (!allowed.includes(x)) throw asErrors.requestBodyError(`${field}: ${x.slice(0, 32)}`);
  return new Set(values);
}

export const listScalingActivityV2Logs = asOperation({
  name: "ListScalingActivityV2Logs",
  method: "GET",
  path: "/autoscaling-api/v2/{project_id}/scaling_activity_log/{scaling_group_id}",
  query: z.object({
    log_id: z.string().optional(),
    type: z.string().optional(),
    status: z.string().optional(),
    start_time: z.string().optional(),
    end_time: z.string().optional(),
    ...pagingQuery,
  }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = parsePage(q, { start: asErrors.logStartNumberInvalid, limit: asErrors.logLimitInvalid });
    const from = parseTime(q.start_time, asErrors.logStartTimeInvalid);
    const to = parseTime(q.end_time, asErrors.logEndTimeInvalid);
    const types = listFilter(q.type, TYPES, "type");
    const statuses = listFilter(q.status, STATUSES, "status");
    const { store } = ctx.svc;
    const g = store.groups.get(projectId, pathParam(ctx.input.path, "scaling_group_id"));
    if (!g) throw asErrors.groupNotFound();
    const names = new Map(store.instances.ofGroup(projectId, g.id).map((i) => [i.name, i.id]));
    const rows = store.activities
      .ofGroup(projectId, g.id, from, to)
      .filter((a) => (q.log_id === undefined || a.id === q.log_id) && (!statuses || statuses.has(a.status)) && (!types || types.has(views.activityType(a))));
    return { body: paged("scaling_activity_log", rows, page, (a) => views.activityV2(a, names)) };
  },
});

export const activityOperations = [listScalingActivityLogs, listScalingActivityV2Logs];
