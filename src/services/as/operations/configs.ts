// Scaling configurations (/scaling_configuration): create, list, show, delete, batch delete (§1.1, §1.3).
import { z } from "../../../kernel/zod.ts";
import { checkConfigName, checkInstanceConfig, ConfigBody } from "../config-spec.ts";
import { asOperation, paged, pagingQuery, parsePage, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import { AS_QUOTA } from "../model.ts";
import type { AsStore, ConfigRow } from "../store.ts";
import * as views from "../views.ts";

const BATCH_MAX = 50;

const view = (store: AsStore, c: ConfigRow) => views.config(c, store.groups.usingConfig(c.project_id, c.id)[0]);

export const createScalingConfig = asOperation({
  name: "CreateScalingConfig",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_configuration`,
  body: ConfigBody,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const body = ctx.input.body;
    if (!body) throw asErrors.bodyNull();
    const name = checkConfigName(body.scaling_configuration_name);
    const instanceConfig = checkInstanceConfig(ctx.svc, { projectId, userId: ctx.scope?.principal.userId ?? "" }, body.instance_config);
    const { store } = ctx.svc;
    const row: ConfigRow = { id: ctx.ids.uuid(), project_id: projectId, name, instance_config: instanceConfig, created_at: ctx.clock.now() };
    store.tx(() => {
      if (store.configs.count(projectId) >= AS_QUOTA.configs.quota) throw asErrors.configQuota();
      store.configs.insert(row);
    });
    return { body: { scaling_configuration_id: row.id } };
  },
});

export const listScalingConfigs = asOperation({
  name: "ListScalingConfigs",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_configuration`,
  query: z.object({ scaling_configuration_name: z.string().optional(), image_id: z.string().optional(), ...pagingQuery }),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const q = ctx.input.query;
    const page = parsePage(q);
    const { store } = ctx.svc;
    const rows = store.configs.list(projectId, { name: q.scaling_configuration_name, imageId: q.image_id });
    return { body: paged("scaling_configurations", rows, page, (c) => view(store, c)) };
  },
});

export const showScalingConfig = asOperation({
  name: "ShowScalingConfig",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_configuration/{scaling_configuration_id}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    const c = store.configs.get(projectId, pathParam(ctx.input.path, "scaling_configuration_id"));
    if (!c) throw asErrors.configNotFound();
    return { body: { scaling_configuration: view(store, c) } };
  },
});

/** Why a configuration cannot be deleted, or undefined when it can. */
function refusal(store: AsStore, projectId: string, id: string) {
  if (!store.configs.get(projectId, id)) return asErrors.configNotFound();
  if (store.groups.usingConfig(projectId, id).length > 0) return asErrors.configInUse();
  return undefined;
}

export const deleteScalingConfig = asOperation({
  name: "DeleteScalingConfig",
  method: "DELETE",
  path: `${PROJECT_PATH}/scaling_configuration/{scaling_configuration_id}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const id = pathParam(ctx.input.path, "scaling_configuration_id");
    const { store } = ctx.svc;
    store.tx(() => {
      const refused = refusal(store, projectId, id);
      if (refused) throw refused;
      store.configs.delete(projectId, id);
    });
    return { status: 204 };
  },
});

export const batchDeleteScalingConfigs = asOperation({
  name: "BatchDeleteScalingConfigs",
  method: "POST",
  path: `${PROJECT_PATH}/scaling_configurations`,
  body: z.object({ scaling_configuration_id: z.array(z.string()).optional() }).optional(),
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const body = ctx.input.body;
    if (!body) throw asErrors.bodyNull();
    const ids = [...new Set(body.scaling_configuration_id ?? [])];
    if (ids.length === 0) throw asErrors.batchDeleteEmpty();
    if (ids.length > BATCH_MAX) throw asErrors.batchDeleteTooMany(`(max ${BATCH_MAX})`);
    const { store } = ctx.svc;
    // The deletable ones go; the others are reported in one AS.1038 whose message lists them (§1.3).
    const failures = store.tx(() =>
      ids.flatMap((id) => {
        const refused = refusal(store, projectId, id);
        if (refused) return [{ id, errorCode: refused.code, errorMessage: refused.message }];
        store.configs.delete(projectId, id);
        return [];
      }),
    );
    if (failures.length > 0) throw asErrors.batchDeleteFailed(failures);
    return { status: 204 };
  },
});

export const configOperations = [createScalingConfig, listScalingConfigs, showScalingConfig, deleteScalingConfig, batchDeleteScalingConfigs];
