// Flow logs (/v1/{project_id}/fl/flow_logs), kept as documents: a record that traffic of a port, a
// subnet (resource_type network) or a VPC is logged to an LTS log group and topic. The resource must exist
// in the project; LTS ids are taken as given (hwlocal has no LTS); no log is written. Status is ACTIVE
// while admin_state is true, DOWN otherwise. v1 conventions: flat errors, marker/limit paging, 200 on create.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import type { Env, ProjectScope } from "../context.ts";
import { Description, Marker, V1Limit, envOf, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { docsOf, requireDoc, type Doc } from "../model/documents.ts";
import { pageList } from "../store/documents.ts";

const FlowLogDoc = z.object({
  name: z.string(),
  description: z.string(),
  resource_type: z.enum(["port", "network", "vpc"]),
  resource_id: z.string(),
  traffic_type: z.enum(["all", "accept", "reject"]),
  log_group_id: z.string(),
  log_topic_id: z.string(),
  admin_state: z.boolean(),
});
type FlowLogDoc = z.infer<typeof FlowLogDoc>;
type FlowLog = Doc<FlowLogDoc>;

const MAX_FLOW_LOGS = 10;
const LtsId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "is not a UUID");
const FlowName = z.string().min(1).max(64).regex(/^[\p{L}\p{N}_.-]+$/u, "may hold only letters, digits, '_', '-' and '.'");

function view(f: FlowLog) {
  return {
    id: f.row.id,
    name: f.doc.name,
    tenant_id: f.row.project_id,
    description: f.doc.description,
    resource_type: f.doc.resource_type,
    resource_id: f.doc.resource_id,
    traffic_type: f.doc.traffic_type,
    log_group_id: f.doc.log_group_id,
    log_topic_id: f.doc.log_topic_id,
    log_store_type: "lts",
    admin_state: f.doc.admin_state,
    status: f.doc.admin_state ? "ACTIVE" : "DOWN",
    created_at: isoSeconds(f.row.created_at),
    updated_at: isoSeconds(f.row.updated_at),
  };
}

function requireFlowLog(env: Env, project: ProjectScope, id: string): FlowLog {
  return requireDoc(env, project, "flowlog", FlowLogDoc, id, "flow log");
}

function checkResource(env: Env, project: ProjectScope, type: FlowLogDoc["resource_type"], id: string): void {
  const { networks, ports } = env.store;
  if (type === "vpc" && !networks.vpc(project.projectId, id)) throw vpcErrors.vpcNotFound(id);
  if (type === "network" && !networks.subnet(project.projectId, id)) throw vpcErrors.subnetNotFound(id);
  if (type === "port" && !ports.port(project.projectId, id)) throw vpcErrors.portNotFound(id);
}

const base = "/v1/{project_id}/fl/flow_logs";

export const flowLogOperations = [
  vpcOperation({
    name: "CreateFlowLog",
    method: "POST",
    path: base,
    body: z.object({
      flow_log: z.object({
        name: FlowName,
        description: Description.optional(),
        resource_type: z.enum(["port", "network", "vpc"]),
        resource_id: z.string().min(1).max(64),
        traffic_type: z.enum(["all", "accept", "reject"]),
        log_group_id: LtsId,
        log_topic_id: LtsId,
        index_enabled: z.boolean().optional(),
      }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const b = ctx.input.body.flow_log;
      const id = env.ids.uuid();
      env.store.tx(() => {
        checkResource(env, project, b.resource_type, b.resource_id);
        const all = docsOf(env, project, "flowlog", FlowLogDoc);
        if (all.some((f) => f.doc.resource_id === b.resource_id && f.doc.traffic_type === b.traffic_type && f.doc.log_topic_id === b.log_topic_id)) {
          throw vpcErrors.invalidParameter(`A flow log of ${b.resource_type} ${b.resource_id} with traffic ${b.traffic_type} to that log topic already exists.`);
        }
        if (all.length >= MAX_FLOW_LOGS) throw vpcErrors.quota("flow_log");
        const doc: FlowLogDoc = {
          name: b.name,
          description: b.description ?? "",
          resource_type: b.resource_type,
          resource_id: b.resource_id,
          traffic_type: b.traffic_type,
          log_group_id: b.log_group_id,
          log_topic_id: b.log_topic_id,
          admin_state: true,
        };
        env.store.documents.insert({ id, projectId: project.projectId, kind: "flowlog", doc, now: env.clock.now() });
      });
      return { body: { flow_log: view(requireFlowLog(env, project, id)) } };
    },
  }),
  vpcOperation({
    name: "ListFlowLogs",
    method: "GET",
    path: base,
    query: z.object({
      limit: V1Limit.optional(),
      marker: Marker.optional(),
      id: z.string().optional(),
      name: z.string().optional(),
      tenant_id: z.string().optional(),
      description: z.string().optional(),
      resource_type: z.string().optional(),
      resource_id: z.string().optional(),
      traffic_type: z.string().optional(),
      log_group_id: z.string().optional(),
      log_topic_id: z.string().optional(),
      log_store_type: z.string().optional(),
      status: z.enum(["ACTIVE", "DOWN", "ERROR"]).optional(),
    }),
    handle(ctx) {
      const q = ctx.input.query;
      const filters = Object.entries(q).filter(([k, v]) => k !== "limit" && k !== "marker" && v !== undefined) as [string, string][];
      const items = docsOf(envOf(ctx), requireProject(ctx.scope), "flowlog", FlowLogDoc)
        .map(view)
        .filter((f) => filters.every(([k, v]) => String((f as Record<string, unknown>)[k]) === v));
      return { body: { flow_logs: paged(pageList(items, pageOf(q)), q.marker) } };
    },
  }),
  vpcOperation({
    name: "ShowFlowLog",
    method: "GET",
    path: `${base}/{flowlog_id}`,
    handle(ctx) {
      return { body: { flow_log: view(requireFlowLog(envOf(ctx), requireProject(ctx.scope), ctx.input.path.flowlog_id!)) } };
    },
  }),
  vpcOperation({
    name: "UpdateFlowLog",
    method: "PUT",
    path: `${base}/{flowlog_id}`,
    body: z.object({ flow_log: z.object({ name: FlowName.optional(), description: Description.optional(), admin_state: z.boolean().optional() }) }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const b = ctx.input.body.flow_log;
      const f = requireFlowLog(env, project, ctx.input.path.flowlog_id!);
      const doc: FlowLogDoc = { ...f.doc, name: b.name ?? f.doc.name, description: b.description ?? f.doc.description, admin_state: b.admin_state ?? f.doc.admin_state };
      env.store.documents.update(f.row.id, doc, env.clock.now());
      return { body: { flow_log: view(requireFlowLog(env, project, f.row.id)) } };
    },
  }),
  vpcOperation({
    name: "DeleteFlowLog",
    method: "DELETE",
    path: `${base}/{flowlog_id}`,
    handle(ctx) {
      const env = envOf(ctx);
      const f = requireFlowLog(env, requireProject(ctx.scope), ctx.input.path.flowlog_id!);
      env.store.documents.delete(f.row.id);
      return { status: 204 };
    },
  }),
];
