// Message templates: CRUD, and the texts PublishMessage takes from them (message_template_name + tags).
// A template is one (name, protocol) pair; its content's {variable}s are its tag_names.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { paging, requireProject, smnOperation, type SmnContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { smnErrors } from "../errors.ts";
import type { Template } from "../resources.ts";
import type { Protocol } from "../store.ts";

const Base = "/v2/{project_id}/notifications/message_template";
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ID = /^[0-9a-f]{32}$/;
export const TEMPLATE_PROTOCOLS = ["default", "email", "sms", "functionstage", "functiongraph", "http", "https", "dms"] as const;
const MAX_CONTENT_BYTES = 256 * 1024;
/** Huawei's quota: 100 message templates a project. */
export const TEMPLATE_LIMIT = 100;

const tagNames = (content: string) => [...new Set([...content.matchAll(/\{([A-Za-z0-9_-]{1,64})\}/g)].map((m) => m[1]!))];

function checkContent(v: unknown): string {
  if (typeof v !== "string" || v.trim() === "" || Buffer.byteLength(v) > MAX_CONTENT_BYTES) throw smnErrors.contentInvalid();
  return v;
}

function requireTemplate(svc: SmnContext, projectId: string, id: string): Doc<Template> {
  if (!ID.test(id)) throw smnErrors.templateIdInvalid();
  const t = svc.docs.templates.get(projectId, id);
  if (!t) throw smnErrors.templateIdInvalid(404);
  return t;
}

function item(t: Doc<Template>) {
  return {
    message_template_id: t.id,
    message_template_name: t.doc.name,
    protocol: t.doc.protocol,
    tag_names: tagNames(t.doc.content),
    create_time: isoSeconds(t.createdAt),
    update_time: isoSeconds(t.doc.updatedAt),
  };
}

/** The text for each protocol: the template of that protocol, else the name's "default" one, {tag}s filled. */
export function templateTexts(svc: SmnContext, projectId: string, name: unknown, tags: unknown): (p: Protocol) => string {
  if (typeof name !== "string" || !NAME.test(name)) throw smnErrors.messageInvalid("message_template_name is invalid.");
  if (tags !== undefined && (typeof tags !== "object" || tags === null || Array.isArray(tags))) throw smnErrors.messageInvalid("tags must be an object.");
  const values = (tags ?? {}) as Record<string, unknown>;
  const mine = svc.docs.templates.list(projectId).filter((t) => t.doc.name === name);
  const dflt = mine.find((t) => t.doc.protocol === "default");
  if (!dflt) throw smnErrors.messageInvalid(`No "default" message template named ${name}.`);
  const fill = (content: string) =>
    content.replace(/\{([A-Za-z0-9_-]{1,64})\}/g, (all, k: string) => (Object.hasOwn(values, k) ? String(values[k]) : all));
  return (p) => fill((mine.find((t) => t.doc.protocol === p) ?? dflt).doc.content);
}

export const createMessageTemplate = smnOperation({
  name: "CreateMessageTemplate",
  method: "POST",
  path: Base,
  body: z.object({ message_template_name: z.unknown().optional(), protocol: z.unknown().optional(), content: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const b = ctx.input.body;
    if (typeof b.message_template_name !== "string" || !NAME.test(b.message_template_name)) throw smnErrors.nameInvalid();
    const protocol = b.protocol ?? "default";
    if (typeof protocol !== "string" || !(TEMPLATE_PROTOCOLS as readonly string[]).includes(protocol)) throw smnErrors.protocolInvalid();
    const content = checkContent(b.content);
    const all = ctx.svc.docs.templates.list(p.projectId);
    if (all.some((t) => t.doc.name === b.message_template_name && t.doc.protocol === protocol)) throw smnErrors.templateExists();
    if (all.length >= TEMPLATE_LIMIT) throw smnErrors.noPermission("The message template quota (100) is used up.");
    const id = ctx.ids.hex32();
    const now = ctx.clock.now();
    ctx.svc.docs.templates.put(p.projectId, { id, parent: "", createdAt: now, doc: { name: b.message_template_name, protocol, content, updatedAt: now } });
    return { status: 201, body: { request_id: ctx.request.requestId, message_template_id: id } };
  },
});

export const listMessageTemplates = smnOperation({
  name: "ListMessageTemplates",
  method: "GET",
  path: Base,
  query: z.object({
    offset: z.string().optional(),
    limit: z.string().optional(),
    message_template_name: z.string().optional(),
    protocol: z.string().optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const q = ctx.input.query;
    const { offset, limit } = paging(q);
    const list = ctx.svc.docs.templates
      .list(p.projectId)
      .reverse()
      .filter((t) => (q.message_template_name === undefined || t.doc.name.includes(q.message_template_name)) && (q.protocol === undefined || t.doc.protocol === q.protocol));
    return {
      body: { request_id: ctx.request.requestId, message_template_count: list.length, message_templates: list.slice(offset, offset + limit).map(item) },
    };
  },
});

export const listMessageTemplateDetails = smnOperation({
  name: "ListMessageTemplateDetails",
  method: "GET",
  path: `${Base}/{message_template_id}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, p.projectId, ctx.input.path.message_template_id!);
    return { body: { request_id: ctx.request.requestId, ...item(t), content: t.doc.content } };
  },
});

export const updateMessageTemplate = smnOperation({
  name: "UpdateMessageTemplate",
  method: "PUT",
  path: `${Base}/{message_template_id}`,
  body: z.object({ content: z.unknown().optional() }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, p.projectId, ctx.input.path.message_template_id!);
    const content = checkContent(ctx.input.body.content);
    ctx.svc.docs.templates.put(p.projectId, { ...t, doc: { ...t.doc, content, updatedAt: ctx.clock.now() } });
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const deleteMessageTemplate = smnOperation({
  name: "DeleteMessageTemplate",
  method: "DELETE",
  path: `${Base}/{message_template_id}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTemplate(ctx.svc, p.projectId, ctx.input.path.message_template_id!);
    ctx.svc.docs.templates.delete(p.projectId, t.id);
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const templateOperations = [
  createMessageTemplate, listMessageTemplates, listMessageTemplateDetails, updateMessageTemplate, deleteMessageTemplate,
];
