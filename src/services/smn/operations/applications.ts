// Push applications (HMS, APNS, APNS_SANDBOX) and their device endpoints: bookkeeping only. PublishAppMessage
// records the message as a delivery of protocol "application" (GET /_hwlocal/smn/messages shows it); no
// push platform is called.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { paging, requireProject, smnOperation, type ProjectScope, type SmnContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { smnErrors } from "../errors.ts";
import { DEFAULT_TTL_SECONDS } from "../publish.ts";
import type { AppEndpoint, Application } from "../resources.ts";

const Apps = "/v2/{project_id}/notifications/applications";
const Endpoints = "/v2/{project_id}/notifications/endpoints";
export const PLATFORMS = ["HMS", "APNS", "APNS_SANDBOX"] as const;
const NAME = /^[A-Za-z0-9_]{1,64}$/;
const BASE64_8K = /^[A-Za-z0-9+/=\r\n]{1,8192}$/;
const APP_URN = /^urn:smn:[a-z0-9-]+:[0-9a-f]{32}:app-(HMS|APNS|APNS_SANDBOX)-[A-Za-z0-9_]{1,64}$/;
const ENDPOINT_URN = /^urn:smn:[a-z0-9-]+:[0-9a-f]{32}:endpoint-(HMS|APNS|APNS_SANDBOX)-[A-Za-z0-9_]{1,64}-[0-9a-f]{32}$/;
const MAX_MESSAGE_BYTES = 4096;

function checkCredentials(platform: string, principal: unknown, credential: unknown): { principal: string; credential: string } {
  const hms = platform === "HMS";
  if (typeof principal !== "string" || !(hms ? /^[A-Za-z0-9]{1,20}$/ : BASE64_8K).test(principal)) throw smnErrors.parameterInvalid("platform_principal");
  if (typeof credential !== "string" || !(hms ? /^[A-Za-z0-9]{32,64}$/ : BASE64_8K).test(credential)) throw smnErrors.parameterInvalid("platform_credential");
  return { principal, credential };
}

function requireApp(svc: SmnContext, projectId: string, urn: string): Doc<Application> {
  if (!APP_URN.test(urn)) throw smnErrors.parameterInvalid("application_urn");
  const a = svc.docs.applications.get(projectId, urn);
  if (!a) throw smnErrors.notFound("application");
  return a;
}

function requireEndpoint(svc: SmnContext, projectId: string, urn: string): Doc<AppEndpoint> {
  if (!ENDPOINT_URN.test(urn)) throw smnErrors.parameterInvalid("endpoint_urn");
  const e = svc.docs.endpoints.get(projectId, urn);
  if (!e) throw smnErrors.notFound("application endpoint");
  return e;
}

const appItem = (a: Doc<Application>) => ({
  name: a.doc.name,
  platform: a.doc.platform,
  create_time: isoSeconds(a.createdAt),
  application_urn: a.id,
  application_id: a.doc.applicationId,
  enabled: a.doc.enabled,
});

const appUrnOf = (p: ProjectScope, platform: string, name: string) => `urn:smn:${p.region}:${p.projectId}:app-${platform}-${name}`;

export const createApplication = smnOperation({
  name: "CreateApplication",
  method: "POST",
  path: Apps,
  body: z.object({ name: z.unknown().optional(), platform: z.unknown().optional(), platform_principal: z.unknown().optional(), platform_credential: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (typeof b.name !== "string" || !NAME.test(b.name)) throw smnErrors.nameInvalid();
    if (typeof b.platform !== "string" || !(PLATFORMS as readonly string[]).includes(b.platform)) throw smnErrors.parameterInvalid("platform");
    const c = checkCredentials(b.platform, b.platform_principal, b.platform_credential);
    const same = ctx.svc.docs.applications.list(p.projectId).find((a) => a.doc.name === b.name);
    if (same) {
      if (same.doc.platform !== b.platform || same.doc.principal !== c.principal || same.doc.credential !== c.credential) throw smnErrors.applicationExists();
      return { status: 201, body: { request_id: ctx.request.requestId, application_urn: same.id, application_id: same.doc.applicationId } };
    }
    const urn = appUrnOf(p, b.platform, b.name);
    const doc = { name: b.name, platform: b.platform, ...c, applicationId: ctx.ids.hex32(), enabled: "true" };
    ctx.svc.docs.applications.put(p.projectId, { id: urn, parent: "", createdAt: ctx.clock.now(), doc });
    return { status: 201, body: { request_id: ctx.request.requestId, application_urn: urn, application_id: doc.applicationId } };
  },
});

export const listApplications = smnOperation({
  name: "ListApplications",
  method: "GET",
  path: Apps,
  query: z.object({ offset: z.string().optional(), limit: z.string().optional(), name: z.string().optional(), platform: z.string().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = paging(q);
    const apps = ctx.svc.docs.applications
      .list(p.projectId)
      .filter((a) => (q.name === undefined || a.doc.name.includes(q.name)) && (q.platform === undefined || a.doc.platform === q.platform));
    return { body: { request_id: ctx.request.requestId, application_count: apps.length, applications: apps.slice(offset, offset + limit).map(appItem) } };
  },
});

export const listApplicationAttributes = smnOperation({
  name: "ListApplicationAttributes",
  method: "GET",
  path: `${Apps}/{application_urn}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const a = requireApp(ctx.svc, p.projectId, ctx.input.path.application_urn!);
    return { body: { request_id: ctx.request.requestId, application_id: a.doc.applicationId, attributes: { enabled: a.doc.enabled } } };
  },
});

export const updateApplication = smnOperation({
  name: "UpdateApplication",
  method: "PUT",
  path: `${Apps}/{application_urn}`,
  body: z.object({ platform_principal: z.unknown().optional(), platform_credential: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const a = requireApp(ctx.svc, p.projectId, ctx.input.path.application_urn!);
    const c = checkCredentials(a.doc.platform, ctx.input.body.platform_principal, ctx.input.body.platform_credential);
    ctx.svc.docs.applications.put(p.projectId, { ...a, doc: { ...a.doc, ...c } });
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const deleteApplication = smnOperation({
  name: "DeleteApplication",
  method: "DELETE",
  path: `${Apps}/{application_urn}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const a = requireApp(ctx.svc, p.projectId, ctx.input.path.application_urn!);
    ctx.svc.store.tx(() => {
      ctx.svc.docs.endpoints.deleteUnder(p.projectId, a.id);
      ctx.svc.docs.applications.delete(p.projectId, a.id);
    });
    return { body: { request_id: ctx.request.requestId } };
  },
});

const endpointItem = (e: Doc<AppEndpoint>) => ({
  create_time: isoSeconds(e.createdAt),
  endpoint_urn: e.id,
  user_data: e.doc.userData,
  enabled: e.doc.enabled,
  token: e.doc.token,
});

function checkUserData(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v !== "string" || Buffer.byteLength(v) > 2048) throw smnErrors.parameterInvalid("user_data");
  return v;
}

export const createApplicationEndpoint = smnOperation({
  name: "CreateApplicationEndpoint",
  method: "POST",
  path: `${Apps}/{application_urn}/endpoints`,
  body: z.object({ token: z.unknown().optional(), user_data: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const a = requireApp(ctx.svc, p.projectId, ctx.input.path.application_urn!);
    const { token } = ctx.input.body;
    if (typeof token !== "string" || !/^[A-Za-z0-9_:.+/=-]{1,512}$/.test(token)) throw smnErrors.parameterInvalid("token");
    const userData = checkUserData(ctx.input.body.user_data);
    // The same device token again answers the endpoint it already has (Huawei's SMN.0190 "already exists" is a 200).
    const same = ctx.svc.docs.endpoints.list(p.projectId, a.id).find((e) => e.doc.token === token);
    if (same) return { status: 201, body: { request_id: ctx.request.requestId, endpoint_urn: same.id } };
    const urn = `urn:smn:${p.region}:${p.projectId}:endpoint-${a.doc.platform}-${a.doc.name}-${ctx.ids.hex32()}`;
    ctx.svc.docs.endpoints.put(p.projectId, { id: urn, parent: a.id, createdAt: ctx.clock.now(), doc: { token, userData, enabled: "true" } });
    return { status: 201, body: { request_id: ctx.request.requestId, endpoint_urn: urn } };
  },
});

export const listApplicationEndpoints = smnOperation({
  name: "ListApplicationEndpoints",
  method: "GET",
  path: `${Apps}/{application_urn}/endpoints`,
  query: z.object({
    offset: z.string().optional(), limit: z.string().optional(), enabled: z.enum(["true", "false"]).optional(),
    token: z.string().optional(), user_data: z.string().optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const a = requireApp(ctx.svc, p.projectId, ctx.input.path.application_urn!);
    const q = ctx.input.query;
    const { offset, limit } = paging(q);
    const list = ctx.svc.docs.endpoints
      .list(p.projectId, a.id)
      .filter((e) => (q.enabled === undefined || e.doc.enabled === q.enabled) && (q.token === undefined || e.doc.token === q.token))
      .filter((e) => q.user_data === undefined || e.doc.userData === q.user_data);
    const body = { request_id: ctx.request.requestId, next_page_flag: offset + limit < list.length, endpoints: list.slice(offset, offset + limit).map(endpointItem) };
    return { body };
  },
});

export const listApplicationEndpointAttributes = smnOperation({
  name: "ListApplicationEndpointAttributes",
  method: "GET",
  path: `${Endpoints}/{endpoint_urn}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const e = requireEndpoint(ctx.svc, p.projectId, ctx.input.path.endpoint_urn!);
    return { body: { request_id: ctx.request.requestId, attributes: { enabled: e.doc.enabled, token: e.doc.token, user_data: e.doc.userData } } };
  },
});

export const updateApplicationEndpoint = smnOperation({
  name: "UpdateApplicationEndpoint",
  method: "PUT",
  path: `${Endpoints}/{endpoint_urn}`,
  body: z.object({ enabled: z.unknown().optional(), user_data: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const e = requireEndpoint(ctx.svc, p.projectId, ctx.input.path.endpoint_urn!);
    const b = ctx.input.body;
    if (b.enabled !== undefined && b.enabled !== "true" && b.enabled !== "false") throw smnErrors.parameterInvalid("enabled");
    const doc = { ...e.doc, enabled: b.enabled ?? e.doc.enabled, userData: b.user_data === undefined ? e.doc.userData : checkUserData(b.user_data) };
    ctx.svc.docs.endpoints.put(p.projectId, { ...e, doc });
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const deleteApplicationEndpoint = smnOperation({
  name: "DeleteApplicationEndpoint",
  method: "DELETE",
  path: `${Endpoints}/{endpoint_urn}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const e = requireEndpoint(ctx.svc, p.projectId, ctx.input.path.endpoint_urn!);
    ctx.svc.docs.endpoints.delete(p.projectId, e.id);
    return { body: { request_id: ctx.request.requestId } };
  },
});

/** message, or message_structure's key for the platform (HMS, APNS, APNS_SANDBOX), else its "default". */
function appText(platform: string, message: unknown, structure: unknown): string {
  let text: unknown = message;
  if (structure !== undefined) {
    let m: unknown;
    try {
      m = typeof structure === "string" ? JSON.parse(structure) : undefined;
    } catch {
      throw smnErrors.messageStructureInvalid();
    }
    if (typeof m !== "object" || m === null || Array.isArray(m)) throw smnErrors.messageStructureInvalid();
    const r = m as Record<string, unknown>;
    text = Object.hasOwn(r, platform) ? r[platform] : r.default;
    if (typeof text !== "string" || text === "") throw smnErrors.messageStructureInvalid();
  }
  if (typeof text !== "string" || text === "" || Buffer.byteLength(text) > MAX_MESSAGE_BYTES) throw smnErrors.messageInvalid("At most 4 KB.");
  return text;
}

export const publishAppMessage = smnOperation({
  name: "PublishAppMessage",
  method: "POST",
  path: `${Endpoints}/{endpoint_urn}/publish`,
  body: z.object({ message: z.unknown().optional(), message_structure: z.unknown().optional(), time_to_live: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const e = requireEndpoint(ctx.svc, p.projectId, ctx.input.path.endpoint_urn!);
    const app = ctx.svc.docs.applications.get(p.projectId, e.parent);
    if (!app) throw smnErrors.notFound("application");
    if (e.doc.enabled !== "true" || app.doc.enabled !== "true") throw smnErrors.noPermission("The endpoint is disabled.");
    const b = ctx.input.body;
    const text = appText(app.doc.platform, b.message, b.message_structure);
    const ttlRaw = b.time_to_live ?? String(DEFAULT_TTL_SECONDS);
    if (typeof ttlRaw !== "string" || !/^[0-9]{1,5}$/.test(ttlRaw) || Number(ttlRaw) < 1 || Number(ttlRaw) > 86400) throw smnErrors.messageInvalid("time_to_live must be 1 to 86400 seconds.");
    const now = ctx.clock.now();
    const messageId = ctx.ids.hex32();
    ctx.svc.store.insertMessage({
      id: ctx.ids.hex32(), messageId, projectId: p.projectId, topicUrn: "", subscriptionUrn: e.id, protocol: "application",
      endpoint: e.doc.token, subject: "", body: text, status: "recorded", nextAttemptAt: null, expiresAt: now + Number(ttlRaw) * 1000, createdAt: now,
    });
    return { body: { request_id: ctx.request.requestId, message_id: messageId } };
  },
});

export const applicationOperations = [
  createApplication, listApplications, listApplicationAttributes, updateApplication, deleteApplication,
  createApplicationEndpoint, listApplicationEndpoints, listApplicationEndpointAttributes, updateApplicationEndpoint,
  deleteApplicationEndpoint, publishAppMessage,
];
