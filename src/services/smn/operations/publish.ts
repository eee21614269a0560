// PublishMessage: message, message_structure or message_template_name (+ tags), subject, time_to_live,
// message_attributes (matched against the subscriptions' filter policies, see publish.ts).
import { z } from "../../../kernel/zod.ts";
import { requireProject, requireTopic, smnOperation } from "../context.ts";
import { smnErrors } from "../errors.ts";
import { publishMessage } from "../publish.ts";
import { PROTOCOLS } from "../store.ts";
import { templateTexts } from "./templates.ts";

/** message_attributes checked: STRING takes a string, STRING_ARRAY and PROTOCOL an array (PROTOCOL's of protocols). */
function attributesOf(list: { name: string; type: "STRING" | "STRING_ARRAY" | "PROTOCOL"; value: string | string[] }[]) {
  if (list.length === 0) return undefined;
  const values = new Map<string, string[]>();
  let protocols: string[] | undefined;
  for (const a of list) {
    if ((a.type === "STRING") !== (typeof a.value === "string")) throw smnErrors.parameterInvalid("message_attributes.value");
    const vs = typeof a.value === "string" ? [a.value] : a.value;
    if (a.type === "PROTOCOL") {
      if (!vs.every((v) => (PROTOCOLS as readonly string[]).includes(v))) throw smnErrors.protocolInvalid();
      protocols = vs;
    } else {
      values.set(a.name, vs);
    }
  }
  return { values, protocols };
}

export const publish = smnOperation({
  name: "PublishMessage",
  method: "POST",
  path: "/v2/{project_id}/notifications/topics/{topic_urn}/publish",
  body: z.object({
    subject: z.unknown().optional(),
    message: z.unknown().optional(),
    message_structure: z.unknown().optional(),
    message_template_name: z.unknown().optional(),
    tags: z.unknown().optional(),
    message_attributes: z.array(z.object({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
      type: z.enum(["STRING", "STRING_ARRAY", "PROTOCOL"]),
      value: z.union([z.string().max(32), z.array(z.string().max(32)).min(1).max(10)]),
    })).max(10).optional(),
    time_to_live: z.unknown().optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const b = ctx.input.body;
    if (b.subject !== undefined && typeof b.subject !== "string") throw smnErrors.subjectInvalid();
    if (b.message !== undefined && typeof b.message !== "string") throw smnErrors.messageInvalid();
    if (b.message_structure !== undefined && typeof b.message_structure !== "string") throw smnErrors.messageStructureInvalid();
    const fromTemplate = b.message === undefined && b.message_structure === undefined && b.message_template_name !== undefined;
    const texts = fromTemplate ? templateTexts(ctx.svc, p.projectId, b.message_template_name, b.tags) : undefined;
    let ttl: number | undefined;
    if (b.time_to_live !== undefined) {
      const raw = typeof b.time_to_live === "number" ? String(b.time_to_live) : b.time_to_live;
      if (typeof raw !== "string" || !/^[0-9]{1,9}$/.test(raw)) throw smnErrors.messageInvalid("time_to_live must be 1 to 86400 seconds.");
      ttl = Number(raw);
    }
    const messageId = publishMessage(ctx.svc, t, {
      attributes: attributesOf(b.message_attributes ?? []),
      subject: b.subject,
      message: b.message,
      messageStructure: b.message_structure,
      templateTexts: texts,
      timeToLive: ttl,
    });
    return { body: { request_id: ctx.request.requestId, message_id: messageId } };
  },
});

export const publishOperations = [publish];
