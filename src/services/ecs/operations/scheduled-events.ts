// Scheduled events (v3): ListScheduledEvents, AcceptScheduledEvent and UpdateScheduledEvent. Huawei
// schedules these for host maintenance; hwlocal's hosts never need any, so the list is always empty and
// every event id is unknown (404). The filters are still checked as ECS checks them.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt } from "../context.ts";
import { ecsErrors } from "../errors.ts";

const TYPES = ["instance_redeploy", "instance_migrate", "instance_reboot", "instance_stop", "instance_resize", "instance_retire"] as const;
const STATES = ["inquiring", "scheduled", "executing", "completed", "failed", "canceled"] as const;
const list = <T extends readonly [string, ...string[]]>(values: T) => z.union([z.enum(values), z.array(z.enum(values))]);
const Time = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be a time such as 2026-01-01T00:00:00Z");

export const listScheduledEvents = ecsOperation({
  name: "ListScheduledEvents",
  method: "GET",
  path: "/v3/{project_id}/instance-scheduled-events",
  query: z.object({
    limit: queryInt(1, 100).optional(),
    marker: z.string().optional(),
    id: z.string().optional(),
    instance_id: z.union([z.string(), z.array(z.string())]).optional(),
    type: list(TYPES).optional(),
    state: list(STATES).optional(),
    publish_since: Time.optional(),
    publish_until: Time.optional(),
  }),
  handle(ctx) {
    projectScope(ctx.scope);
    const q = ctx.input.query;
    if (q.marker !== undefined) throw ecsErrors.invalidParameter(`marker: the event ${q.marker} is not in the list.`);
    return { body: { events: [], page_info: {} } };
  },
});

const NotBefore = z.object({ not_before: Time });

function eventOperation(name: string, method: "POST" | "PUT", suffix: string) {
  return ecsOperation({
    name,
    method,
    path: `/v3/{project_id}/instance-scheduled-events/{id}${suffix}`,
    body: NotBefore,
    handle(ctx) {
      projectScope(ctx.scope);
      throw ecsErrors.scheduledEventNotFound(ctx.input.path.id!);
    },
  });
}

export const scheduledEventOperations = [listScheduledEvents, eventOperation("AcceptScheduledEvent", "POST", "/actions/accept"), eventOperation("UpdateScheduledEvent", "PUT", "")];
