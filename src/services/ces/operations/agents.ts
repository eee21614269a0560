// The Cloud Eye agent (v3 invocations and status, v2 agent dimensions) as bookkeeping: installing the agent
// on a server of the project is an invocation that runs for AGENT_RUN_MS of hwlocal's clock and then
// succeeds (derived at read time); a server whose last INSTALL/UPDATE succeeded reports uniagent "running"
// with the telescope extension. Its dimensions are the server's disks (disk: the device, mount_point "/" for
// the first), each value the MD5 of the raw one as Huawei's are hashes.
import { createHash } from "node:crypto";
import { z } from "../../../kernel/zod.ts";
import { cesOperation, offsetLimit, requireProject, V2_PATH, type CesContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { cesErrors } from "../errors.ts";
import { cesId, type Invocation } from "../resources.ts";

const V3 = "/v3/{project_id}";
export const AGENT_RUN_MS = 60_000;
export const AGENT_VERSION = "2.7.2";

const statusOf = (i: Doc<Invocation>, now: number) => (now - i.createdAt < AGENT_RUN_MS ? "RUNNING" : "SUCCEEDED");

/** The agent's state on a server: from its latest invocation that has finished. */
function agentOf(svc: CesContext, projectId: string, serverId: string, now: number): "running" | "none" {
  const done = svc.docs.invocations.list(projectId, serverId).filter((i) => statusOf(i, now) === "SUCCEEDED").at(-1);
  return done && done.doc.invocation_type !== "ROLLBACK" ? "running" : "none";
}

export const batchCreateAgentInvocations = cesOperation({
  name: "BatchCreateAgentInvocations",
  method: "POST",
  path: `${V3}/agent-invocations/batch-create`,
  body: z.object({
    instance_ids: z.array(z.string()).min(1).max(100),
    invocation_type: z.enum(["INSTALL", "UPDATE", "ROLLBACK", "RETRY"]),
    invocation_target: z.literal("telescope").optional(),
    version_type: z.enum(["BASIC_VERSION", "ADVANCE_VERSION"]).optional(),
    version: z.string().max(32).optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const now = ctx.clock.now();
    const invocations = ctx.svc.docs.table.tx(() =>
      b.instance_ids.map((instance_id) => {
        const server = ctx.svc.running.ecs()?.server(projectId, instance_id);
        if (!server || server.status !== "ACTIVE") {
          return { instance_id, ret_status: "error", error_code: "ces.0016", error_msg: "The server does not exist or is not running." };
        }
        const running = ctx.svc.docs.invocations.list(projectId, instance_id).some((i) => statusOf(i, now) === "RUNNING");
        if (running) return { instance_id, ret_status: "error", error_code: "ces.0014", error_msg: "An invocation is running on the server." };
        const id = cesId("iv", ctx.ids);
        ctx.svc.docs.invocations.put(projectId, {
          id, parent: instance_id, createdAt: now,
          doc: { instance_id, instance_name: server.name, invocation_type: b.invocation_type, invocation_target: b.invocation_target ?? "telescope", target_version: b.version ?? AGENT_VERSION },
        });
        return { instance_id, invocation_id: id, ret_status: "successful" };
      }),
    );
    return { body: { invocations } };
  },
});

export const listAgentInvocations = cesOperation({
  name: "ListAgentInvocations",
  method: "GET",
  path: `${V3}/agent-invocations`,
  query: z.object({
    instance_id: z.string().optional(), instance_type: z.enum(["ECS", "BMS"]).optional(), invocation_id: z.string().optional(),
    invocation_type: z.string().optional(), invocation_target: z.string().optional(), offset: z.string().optional(), limit: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = offsetLimit(q);
    const now = ctx.clock.now();
    const list = ctx.svc.docs.invocations.list(projectId).reverse()
      .filter((i) => (q.instance_id === undefined || i.doc.instance_id === q.instance_id) && (q.invocation_id === undefined || i.id === q.invocation_id))
      .filter((i) => (q.invocation_type === undefined || i.doc.invocation_type === q.invocation_type) && (q.invocation_target === undefined || i.doc.invocation_target === q.invocation_target))
      .filter(() => q.instance_type === undefined || q.instance_type === "ECS");
    const invocations = list.slice(offset, offset + limit).map((i) => ({
      invocation_id: i.id, instance_id: i.doc.instance_id, instance_name: i.doc.instance_name, instance_type: "ECS", intranet_ips: [], elastic_ips: [],
      invocation_type: i.doc.invocation_type, invocation_status: statusOf(i, now), invocation_target: i.doc.invocation_target,
      create_time: i.createdAt, update_time: statusOf(i, now) === "RUNNING" ? i.createdAt : i.createdAt + AGENT_RUN_MS,
      current_version: statusOf(i, now) === "SUCCEEDED" ? i.doc.target_version : "", target_version: i.doc.target_version,
    }));
    return { body: { invocations, count: list.length } };
  },
});

export const listAgentStatus = cesOperation({
  name: "ListAgentStatus",
  method: "POST",
  path: `${V3}/agent-status/batch-query`,
  body: z.object({
    instance_ids: z.array(z.string()).min(1).max(100), uniagent_status: z.enum(["none", "running", "silent", "unknown"]).optional(),
    extension_name: z.literal("telescope").optional(), extension_status: z.enum(["none", "running", "stopped", "fault", "unknown"]).optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const b = ctx.input.body;
    const now = ctx.clock.now();
    const agent_status = b.instance_ids
      .filter((id) => ctx.svc.running.ecs()?.server(projectId, id) !== undefined)
      .map((id) => {
        const st = agentOf(ctx.svc, projectId, id, now);
        return { instance_id: id, uniagent_status: st, extensions: st === "running" ? [{ name: "telescope", status: "running", version: AGENT_VERSION }] : [] };
      })
      .filter((a) => (b.uniagent_status === undefined || a.uniagent_status === b.uniagent_status) && (b.extension_status === undefined || (a.extensions[0]?.status ?? "none") === b.extension_status));
    return { body: { agent_status } };
  },
});

const md5 = (v: string) => createHash("md5").update(v).digest("hex");

export const listAgentDimensionInfo = cesOperation({
  name: "ListAgentDimensionInfo",
  method: "GET",
  path: `${V2_PATH}/instances/{instance_id}/agent-dimensions`,
  query: z.object({
    dim_name: z.enum(["mount_point", "disk", "proc", "gpu", "raid"]), dim_value: z.string().optional(), offset: z.string().optional(), limit: z.string().optional(),
  }),
  handle(ctx) {
    const projectId = requireProject(ctx.scope);
    const id = ctx.input.path.instance_id ?? "";
    if (!ctx.svc.running.ecs()?.server(projectId, id)) throw cesErrors.notFound(`server ${id.slice(0, 64)}`);
    const q = ctx.input.query;
    const { offset, limit } = offsetLimit(q);
    const running = agentOf(ctx.svc, projectId, id, ctx.clock.now()) === "running";
    const disks = running ? (ctx.svc.running.evs()?.disksOfServers(projectId, [id]).get(id) ?? []) : [];
    const raw = q.dim_name === "disk" ? disks.map((d) => d.device.replace(/^\/dev\//, "")) : q.dim_name === "mount_point" && disks.length > 0 ? ["/"] : [];
    const dims = raw.map((v) => ({ name: q.dim_name, value: md5(v), origin_value: v })).filter((d) => q.dim_value === undefined || d.value === q.dim_value);
    return { body: { dimensions: dims.slice(offset, offset + limit), count: dims.length } };
  },
});

export const agentOperations = [batchCreateAgentInvocations, listAgentInvocations, listAgentStatus, listAgentDimensionInfo];
