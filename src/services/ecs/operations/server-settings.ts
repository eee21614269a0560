// A server's settings: ECS's metadata API (UpdateServerMetadata, DeleteServerMetadata; the same metadata as
// nova's), the instance metadata service options (ShowMetadataOptions, UpdateMetadataOptions), the serial
// console (UpdateSerialConsoleOptions, ShowSerialConsoleActions), the remote console URL
// (ShowServerRemoteConsole) and the auto-terminate time (UpdateServerAutoTerminateTime), which an
// autoTerminateServer job (server-tasks.ts) acts on when the time comes.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { ECS_QUOTA } from "../quota.ts";
import { AUTO_TERMINATE_JOB } from "../server-tasks.ts";
import { requireServer } from "./server-common.ts";

const MetaKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,255}$/, "letters, digits, _ . : - (1-255)");

export const updateServerMetadata = ecsOperation({
  name: "UpdateServerMetadata",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/metadata",
  body: z.object({ metadata: z.record(MetaKey, z.string().max(255)) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    if (s.status !== "ACTIVE" && s.status !== "SHUTOFF") throw ecsErrors.statusConflict(s.id, s.status);
    const metadata = { ...s.metadata, ...ctx.input.body.metadata };
    if (Object.keys(metadata).length > ECS_QUOTA.serverMeta) throw ecsErrors.quota(`Quota exceeded for metadata items (at most ${ECS_QUOTA.serverMeta}).`);
    ctx.svc.store.servers.update(scope.projectId, s.id, { metadata }, ctx.clock.now());
    return { body: { metadata } };
  },
});

export const deleteServerMetadata = ecsOperation({
  name: "DeleteServerMetadata",
  method: "DELETE",
  path: "/v1/{project_id}/cloudservers/{server_id}/metadata/{key}",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const key = ctx.input.path.key!;
    if (s.metadata[key] === undefined) throw ecsErrors.metadataNotFound(key, s.id);
    const { [key]: _gone, ...rest } = s.metadata;
    ctx.svc.store.servers.update(scope.projectId, s.id, { metadata: rest }, ctx.clock.now());
    return { status: 204 };
  },
});

interface MetadataOptions {
  http_endpoint: "enabled" | "disabled";
  http_tokens: "optional" | "required";
}
const DEFAULT_METADATA_OPTIONS: MetadataOptions = { http_endpoint: "enabled", http_tokens: "optional" };

export const showMetadataOptions = ecsOperation({
  name: "ShowMetadataOptions",
  method: "GET",
  path: "/v1/{project_id}/cloudservers/{server_id}/metadata-options",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const saved = ctx.svc.store.attrs.get(scope.projectId, s.id, "metadata_options") as Partial<MetadataOptions> | undefined;
    return { body: { ...DEFAULT_METADATA_OPTIONS, ...saved } };
  },
});

export const updateMetadataOptions = ecsOperation({
  name: "UpdateMetadataOptions",
  method: "PUT",
  path: "/v1/{project_id}/cloudservers/{server_id}/metadata-options",
  body: z.object({ http_endpoint: z.enum(["enabled", "disabled"]).optional(), http_tokens: z.enum(["optional", "required"]).optional() }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const saved = ctx.svc.store.attrs.get(scope.projectId, s.id, "metadata_options") as Partial<MetadataOptions> | undefined;
    const b = ctx.input.body;
    const next = { ...DEFAULT_METADATA_OPTIONS, ...saved, ...(b.http_endpoint ? { http_endpoint: b.http_endpoint } : {}), ...(b.http_tokens ? { http_tokens: b.http_tokens } : {}) };
    ctx.svc.store.attrs.set(scope.projectId, s.id, "metadata_options", next);
    return { status: 204 };
  },
});

export const updateSerialConsoleOptions = ecsOperation({
  name: "UpdateSerialConsoleOptions",
  method: "PUT",
  path: "/v1/{project_id}/cloudservers/{server_id}/serial-console-options",
  body: z.object({ serial_console_options: z.object({ enabled: z.boolean() }) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    ctx.svc.store.attrs.set(scope.projectId, s.id, "serial_console", ctx.input.body.serial_console_options.enabled);
    return { status: 204 };
  },
});

/** A console URL on the gateway that answered; the token is one-time in ECS, opaque here. */
function consoleUrl(base: string, kind: string, serverId: string, token: string): string {
  return `${base}/${kind}?token=${token}&instance_uuid=${serverId}`;
}

export const showSerialConsoleActions = ecsOperation({
  name: "ShowSerialConsoleActions",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/actions/serial-console",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    if (ctx.svc.store.attrs.get(scope.projectId, s.id, "serial_console") !== true) {
      throw ecsErrors.invalidParameter(`The serial console of ECS ${s.id} is not enabled.`);
    }
    if (s.status !== "ACTIVE") throw ecsErrors.statusConflict(s.id, s.status);
    return { body: { serial_console: { url: consoleUrl(ctx.request.serviceBase, "serial_console.html", s.id, ctx.ids.uuid()) } } };
  },
});

export const showServerRemoteConsole = ecsOperation({
  name: "ShowServerRemoteConsole",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/remote_console",
  body: z.object({ remote_console: z.object({ protocol: z.literal("vnc"), type: z.literal("novnc") }) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    if (s.status !== "ACTIVE") throw ecsErrors.statusConflict(s.id, s.status);
    const url = `${consoleUrl(ctx.request.serviceBase, "vnc_auto.html", s.id, ctx.ids.uuid())}&lang=EN`;
    return { body: { remote_console: { protocol: "vnc", type: "novnc", url } } };
  },
});

export const updateServerAutoTerminateTime = ecsOperation({
  name: "UpdateServerAutoTerminateTime",
  method: "POST",
  path: "/v1/{project_id}/cloudservers/{server_id}/actions/update-auto-terminate-time",
  body: z.object({ auto_terminate_time: z.string().max(32) }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const at = ctx.input.body.auto_terminate_time;
    const { store } = ctx.svc;
    // An empty time cancels the termination.
    if (at === "") {
      store.attrs.unset(scope.projectId, s.id, "auto_terminate_time");
      return { status: 204 };
    }
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/.test(at) || Number.isNaN(Date.parse(at))) {
      throw ecsErrors.invalidParameter("auto_terminate_time must be a UTC time in whole minutes, as 2026-01-01T12:00:00Z.");
    }
    const due = Date.parse(at);
    if (due <= ctx.clock.now()) throw ecsErrors.invalidParameter("auto_terminate_time must be in the future.");
    store.tx(() => {
      store.attrs.set(scope.projectId, s.id, "auto_terminate_time", at);
      ctx.svc.jobs.submit({ service: "ecs", projectId: scope.projectId, jobType: AUTO_TERMINATE_JOB, entities: { server_id: s.id }, state: { at }, dueAt: due });
    });
    return { status: 204 };
  },
});

export const serverSettingOperations = [
  updateServerMetadata,
  deleteServerMetadata,
  showMetadataOptions,
  updateMetadataOptions,
  updateSerialConsoleOptions,
  showSerialConsoleActions,
  showServerRemoteConsole,
  updateServerAutoTerminateTime,
];
