// Nova's calls on one server besides create/show/delete: NovaUpdateServer (name, description), the server
// actions os-start, os-stop and reboot (the same jobs as ECS's batch action), the server's metadata (list,
// merge, replace, one item), its interfaces (NovaListServerInterfaces), its security groups, and its volume
// attachments (list, show, attach, detach: the same attachVolume/detachVolume jobs as ECS v1).
import { apigw } from "../../../kernel/apigw-errors.ts";
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, zonesOf, type EcsContext } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { ECS_QUOTA } from "../quota.ts";
import { serverParts } from "../server-parts.ts";
import type { ServerRow } from "../store-servers.ts";
import { novaMinor, novaServer } from "../views-nova.ts";
import { NovaHeaders } from "./nova-servers.ts";
import { requireServer } from "./server-common.ts";
import { interfaceAttachment } from "./server-interfaces.ts";
import { submitPowerAction } from "./servers.ts";
import { deviceOf, planAttach, submitAttach, submitDetach } from "./server-volumes.ts";

const serverPath = "/v2.1/{project_id}/servers/{server_id}";

export const novaUpdateServer = ecsOperation({
  name: "NovaUpdateServer",
  method: "PUT",
  path: serverPath,
  headers: NovaHeaders,
  body: z.object({
    server: z.object({
      name: z.string().min(1).max(255).optional(),
      description: z.string().max(85).nullable().optional(),
      accessIPv4: z.string().max(64).optional(),
      accessIPv6: z.string().max(64).optional(),
      "OS-DCF:diskConfig": z.enum(["AUTO", "MANUAL"]).optional(),
    }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const b = ctx.input.body.server;
    const description = b.description === null ? "" : b.description;
    ctx.svc.store.servers.update(scope.projectId, s.id, { name: b.name, description }, ctx.clock.now());
    const updated = requireServer(ctx.svc, scope.projectId, s.id);
    const options = {
      links: { serviceBase: ctx.request.serviceBase, projectId: scope.projectId },
      minor: novaMinor(ctx.input.headers),
      zones: zonesOf(scope),
    };
    return { body: { server: novaServer(updated, serverParts(ctx.svc, updated), options) } };
  },
});

const ActionBody = z
  .object({
    "os-start": z.union([z.literal(null), z.object({}).loose()]).optional(),
    "os-stop": z.union([z.literal(null), z.object({}).loose()]).optional(),
    reboot: z.object({ type: z.enum(["SOFT", "HARD"]) }).optional(),
    // Named so that they answer 501 naming their operation (a server's groups live on its VPC ports).
    addSecurityGroup: z.object({}).loose().optional(),
    removeSecurityGroup: z.object({}).loose().optional(),
  })
  .refine((b) => Object.keys(b).length === 1, "give exactly one of os-start, os-stop, reboot");

export const novaServerAction = ecsOperation({
  // One path serves nova's actions; these three are answered (addSecurityGroup and the others are not).
  name: "NovaStartServer|NovaStopServer|NovaRebootServer",
  method: "POST",
  path: `${serverPath}/action`,
  headers: NovaHeaders,
  body: ActionBody,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const b = ctx.input.body;
    if (b.addSecurityGroup) throw apigw.notImplemented("ecs", "NovaAssociateSecurityGroup");
    if (b.removeSecurityGroup) throw apigw.notImplemented("ecs", "NovaDisassociateSecurityGroup");
    const key = "os-start" in b ? "os-start" : "os-stop" in b ? "os-stop" : "reboot";
    submitPowerAction(ctx, scope, { key, servers: [s], hard: b.reboot?.type === "HARD" });
    return { status: 202 };
  },
});

const Metadata = z.record(z.string().min(1).max(255), z.string().max(255));

function saveMetadata(ctx: { svc: EcsContext; clock: { now(): number } }, s: ServerRow, metadata: Record<string, string>) {
  if (Object.keys(metadata).length > ECS_QUOTA.serverMeta) throw ecsErrors.quota(`Quota exceeded for metadata items (at most ${ECS_QUOTA.serverMeta}).`);
  ctx.svc.store.servers.update(s.project_id, s.id, { metadata }, ctx.clock.now());
  return metadata;
}

export const novaListServerMetadata = ecsOperation({
  name: "NovaListServerMetadata",
  method: "GET",
  path: `${serverPath}/metadata`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    return { body: { metadata: requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!).metadata } };
  },
});

export const novaCreateServerMetadata = ecsOperation({
  name: "NovaCreateServerMetadata",
  method: "POST",
  path: `${serverPath}/metadata`,
  body: z.object({ metadata: Metadata }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    return { body: { metadata: saveMetadata(ctx, s, { ...s.metadata, ...ctx.input.body.metadata }) } };
  },
});

export const novaUpdateServerMetadata = ecsOperation({
  name: "NovaUpdateServerMetadata",
  method: "PUT",
  path: `${serverPath}/metadata`,
  body: z.object({ metadata: Metadata }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    return { body: { metadata: saveMetadata(ctx, s, { ...ctx.input.body.metadata }) } };
  },
});

function metadataItem(s: ServerRow, key: string): string {
  const value = s.metadata[key];
  if (value === undefined) throw ecsErrors.metadataNotFound(key, s.id);
  return value;
}

export const novaShowServerMetadataItem = ecsOperation({
  name: "NovaShowServerMetadataItem",
  method: "GET",
  path: `${serverPath}/metadata/{key}`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const key = ctx.input.path.key!;
    return { body: { meta: { [key]: metadataItem(s, key) } } };
  },
});

export const novaUpdateServerMetadataItem = ecsOperation({
  name: "NovaUpdateServerMetadataItem",
  method: "PUT",
  path: `${serverPath}/metadata/{key}`,
  body: z.object({ meta: Metadata }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const key = ctx.input.path.key!;
    const meta = ctx.input.body.meta;
    const entries = Object.entries(meta);
    if (entries.length !== 1 || entries[0]![0] !== key) throw ecsErrors.invalidBody("meta must hold exactly the key of the path.");
    saveMetadata(ctx, s, { ...s.metadata, ...meta });
    return { body: { meta } };
  },
});

export const novaDeleteServerMetadataItem = ecsOperation({
  name: "NovaDeleteServerMetadataItem",
  method: "DELETE",
  path: `${serverPath}/metadata/{key}`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const key = ctx.input.path.key!;
    metadataItem(s, key);
    const rest = { ...s.metadata };
    delete rest[key];
    saveMetadata(ctx, s, rest);
    return { status: 204 };
  },
});

export const novaListServerInterfaces = ecsOperation({
  name: "NovaListServerInterfaces",
  method: "GET",
  path: `${serverPath}/os-interface`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const ports = ctx.svc.vpc().portsOfDevice(scope.projectId, s.id);
    return { body: { interfaceAttachments: ports.map(interfaceAttachment) } };
  },
});

export const novaListServerSecurityGroups = ecsOperation({
  name: "NovaListServerSecurityGroups",
  method: "GET",
  path: `${serverPath}/os-security-groups`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const groups = serverParts(ctx.svc, s).securityGroups;
    // Rules live in VPC; nova's view of them is not rebuilt here (index.ts, Gaps).
    return {
      body: { security_groups: groups.map((g) => ({ id: g.id, name: g.name, description: "", tenant_id: scope.projectId, rules: [] })) },
    };
  },
});

function attachment(s: ServerRow, volumeId: string, device: string) {
  return { id: volumeId, volumeId, serverId: s.id, device };
}

export const novaListVolumeAttachments = ecsOperation({
  name: "NovaListVolumeAttachments",
  method: "GET",
  path: `${serverPath}/os-volume_attachments`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const volumes = ctx.svc.evs().volumesOfServer(scope.projectId, s.id);
    return { body: { volumeAttachments: volumes.map((v) => attachment(s, v.id, deviceOf(v, s.id))) } };
  },
});

export const novaShowVolumeAttachment = ecsOperation({
  name: "NovaShowVolumeAttachment",
  method: "GET",
  path: `${serverPath}/os-volume_attachments/{volume_id}`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const volumeId = ctx.input.path.volume_id!;
    const v = ctx.svc.evs().volume(scope.projectId, volumeId);
    if (!v?.attachments.some((a) => a.serverId === s.id)) throw ecsErrors.volumeAttachmentNotFound(volumeId, s.id);
    return { body: { volumeAttachment: attachment(s, v.id, deviceOf(v, s.id)) } };
  },
});

export const novaAttachVolume = ecsOperation({
  name: "NovaAttachVolume",
  method: "POST",
  path: `${serverPath}/os-volume_attachments`,
  body: z.object({
    volumeAttachment: z.object({
      volumeId: z.string().min(1).max(64),
      device: z.string().regex(/^\/dev\/(vd|sd|xvd)[a-z]{1,2}$/, "must be a device name such as /dev/vdb").nullable().optional(),
      delete_on_termination: z.boolean().optional(),
      tag: z.string().max(60).optional(),
    }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    const req = ctx.input.body.volumeAttachment;
    const { volume, device } = planAttach(ctx.svc, scope, s, { volumeId: req.volumeId, device: req.device ?? undefined });
    submitAttach(ctx, scope, { server: s, volume, device });
    return { body: { volumeAttachment: attachment(s, volume.id, device) } };
  },
});

export const novaDetachVolume = ecsOperation({
  name: "NovaDetachVolume",
  method: "DELETE",
  path: `${serverPath}/os-volume_attachments/{volume_id}`,
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const s = requireServer(ctx.svc, scope.projectId, ctx.input.path.server_id!);
    submitDetach(ctx, scope, s, ctx.input.path.volume_id!);
    return { status: 202 };
  },
});

export const novaServerActionOperations = [
  novaUpdateServer,
  novaServerAction,
  novaListServerMetadata,
  novaCreateServerMetadata,
  novaUpdateServerMetadata,
  novaShowServerMetadataItem,
  novaUpdateServerMetadataItem,
  novaDeleteServerMetadataItem,
  novaListServerInterfaces,
  novaListServerSecurityGroups,
  novaListVolumeAttachments,
  novaShowVolumeAttachment,
  novaAttachVolume,
  novaDetachVolume,
];
