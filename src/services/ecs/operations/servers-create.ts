// Creating servers: CreatePostPaidServers (POST /v1/{project_id}/cloudservers) and CreateServers
// (POST /v1.1/{project_id}/cloudservers, which also takes prePaid extendparam; hwlocal bills nothing, so
// both create pay-per-use servers). The request is checked against real resources at once; the servers are
// rows in BUILD and a createServer job with one createSingleServer sub-job each does the rest (server-launch.ts).
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { launchServers } from "../server-launch.ts";
import { CreateServerBody, planServers } from "../server-spec.ts";

const ClientToken = z.object({ "x-client-token": z.string().min(1).max(64).optional() });

function createOperation(name: string, path: string) {
  return ecsOperation({
    name,
    method: "POST",
    path,
    body: CreateServerBody,
    headers: ClientToken,
    handle(ctx) {
      const scope = projectScope(ctx.scope);
      const { store } = ctx.svc;
      const req = ctx.input.body.server;
      const token = ctx.input.headers["x-client-token"];
      // A retried request with the same X-Client-Token gets the first answer, and creates nothing more.
      const earlier = token ? store.resources.clientToken(scope.projectId, token) : undefined;
      if (earlier) return { body: { job_id: earlier.jobId, serverIds: earlier.serverIds } };

      const { plan, count } = planServers(scope, req, { store, vpc: ctx.svc.vpc(), ims: ctx.svc.ims(), quota: ctx.svc.quota });
      if (ctx.input.body.dry_run) return { status: 202 };

      const tags = [
        ...(req.server_tags ?? []),
        ...(req.tags ?? []).map((t) => {
          const dot = t.indexOf(".");
          return dot < 0 ? { key: t, value: "" } : { key: t.slice(0, dot), value: t.slice(dot + 1) };
        }),
      ];
      const rename = count > 1 && req.isAutoRename !== false;
      const launched = launchServers(ctx, scope, {
        plan,
        count,
        name: (i) => (rename ? `${req.name}-${String(i + 1).padStart(4, "0")}` : req.name),
        description: req.description,
        keyName: req.key_name,
        userData: req.user_data,
        metadata: req.metadata,
        tags,
        serverGroupId: req["os:scheduler_hints"]?.group,
        enterpriseProjectId: req.extendparam?.enterprise_project_id,
        clientToken: token,
      });
      return { body: { job_id: launched.jobId, serverIds: launched.serverIds } };
    },
  });
}

export const serverCreateOperations = [
  createOperation("CreatePostPaidServers", "/v1/{project_id}/cloudservers"),
  createOperation("CreateServers", "/v1.1/{project_id}/cloudservers"),
];
