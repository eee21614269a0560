// A topic's settings: attributes (access_policy, introduction), its logtank (LTS), its KMS key, its
// notify policy (callnotify polling), message statistics and the HTTP(S) endpoint detection. All belong to
// the topic: DeleteTopic deletes them.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { requireProject, requireTopic, smnOperation, type SmnContext } from "../context.ts";
import type { Doc } from "../docs.ts";
import { smnErrors } from "../errors.ts";
import type { Logtank } from "../resources.ts";

const Topic = "/v2/{project_id}/notifications/topics/{topic_urn}";
export const TOPIC_ATTRIBUTES = ["access_policy", "introduction"] as const;
const MAX_POLICY_BYTES = 30 * 1024;
const UUID = /^[0-9a-zA-Z-]{1,64}$/;
const ID = /^[0-9a-f]{32}$/;

function topicOf(ctx: { scope: Parameters<typeof requireProject>[0]; svc: SmnContext; input: { path: Record<string, string> } }) {
  const p = requireProject(ctx.scope);
  return { p, t: requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!) };
}

function checkAttributeName(v: string | undefined): (typeof TOPIC_ATTRIBUTES)[number] {
  if (!(TOPIC_ATTRIBUTES as readonly (string | undefined)[]).includes(v)) throw smnErrors.parameterInvalid("name");
  return v as (typeof TOPIC_ATTRIBUTES)[number];
}

/** The access_policy value is a JSON policy document ({"Version","Id","Statement":[…]}) of at most 30 KB. */
function checkAttributeValue(name: string, v: unknown): string {
  if (typeof v !== "string" || Buffer.byteLength(v) > MAX_POLICY_BYTES) throw smnErrors.parameterInvalid("value");
  if (name === "access_policy") {
    let doc: unknown;
    try {
      doc = JSON.parse(v);
    } catch {
      throw smnErrors.parameterInvalid("value");
    }
    if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { Statement?: unknown }).Statement)) {
      throw smnErrors.parameterInvalid("value");
    }
  }
  return v;
}

/** The topic's attributes as ListTopicAttributes shows them (only those set, plus their times). */
export function topicAttributes(svc: SmnContext, projectId: string, topicUrn: string, only?: string) {
  const out: Record<string, string> = {};
  let created: number | undefined;
  let updated: number | undefined;
  for (const a of svc.docs.attributes.list(projectId, topicUrn)) {
    if (only !== undefined && a.doc.name !== only) continue;
    out[a.doc.name] = a.doc.value;
    created = Math.min(created ?? a.createdAt, a.createdAt);
    updated = Math.max(updated ?? a.doc.updatedAt, a.doc.updatedAt);
  }
  if (created !== undefined) Object.assign(out, { create_time: isoSeconds(created), update_time: isoSeconds(updated ?? created) });
  return out;
}

export const listTopicAttributes = smnOperation({
  name: "ListTopicAttributes",
  method: "GET",
  path: `${Topic}/attributes`,
  query: z.object({ name: z.string().optional() }),
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const only = ctx.input.query.name === undefined ? undefined : checkAttributeName(ctx.input.query.name);
    return { body: { request_id: ctx.request.requestId, attributes: topicAttributes(ctx.svc, p.projectId, t.topicUrn, only) } };
  },
});

export const updateTopicAttribute = smnOperation({
  name: "UpdateTopicAttribute",
  method: "PUT",
  path: `${Topic}/attributes/{name}`,
  body: z.object({ value: z.unknown().optional() }),
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const name = checkAttributeName(ctx.input.path.name);
    const value = checkAttributeValue(name, ctx.input.body.value);
    const id = `${t.topicUrn}|${name}`;
    const now = ctx.clock.now();
    const old = ctx.svc.docs.attributes.get(p.projectId, id);
    ctx.svc.docs.attributes.put(p.projectId, { id, parent: t.topicUrn, createdAt: old?.createdAt ?? now, doc: { name, value, updatedAt: now } });
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const deleteTopicAttributeByName = smnOperation({
  name: "DeleteTopicAttributeByName",
  method: "DELETE",
  path: `${Topic}/attributes/{name}`,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const name = checkAttributeName(ctx.input.path.name);
    ctx.svc.docs.attributes.delete(p.projectId, `${t.topicUrn}|${name}`);
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const deleteTopicAttributes = smnOperation({
  name: "DeleteTopicAttributes",
  method: "DELETE",
  path: `${Topic}/attributes`,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    ctx.svc.docs.attributes.deleteUnder(p.projectId, t.topicUrn);
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const logtankItem = (l: Doc<Logtank>) => ({
  id: l.id,
  log_group_id: l.doc.logGroupId,
  log_stream_id: l.doc.logStreamId,
  create_time: isoSeconds(l.createdAt),
  update_time: isoSeconds(l.doc.updatedAt),
});

const LogtankBody = z.object({ log_group_id: z.unknown().optional(), log_stream_id: z.unknown().optional() });

function checkLogtank(b: { log_group_id?: unknown; log_stream_id?: unknown }): { logGroupId: string; logStreamId: string } {
  if (typeof b.log_group_id !== "string" || !UUID.test(b.log_group_id)) throw smnErrors.parameterInvalid("log_group_id");
  if (typeof b.log_stream_id !== "string" || !UUID.test(b.log_stream_id)) throw smnErrors.parameterInvalid("log_stream_id");
  return { logGroupId: b.log_group_id, logStreamId: b.log_stream_id };
}

function requireLogtank(svc: SmnContext, projectId: string, topicUrn: string, id: string): Doc<Logtank> {
  const l = svc.docs.logtanks.get(projectId, id);
  if (!l || l.parent !== topicUrn) throw smnErrors.notFound("logtank");
  return l;
}

export const createLogtank = smnOperation({
  name: "CreateLogtank",
  method: "POST",
  path: `${Topic}/logtanks`,
  body: LogtankBody,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const lt = checkLogtank(ctx.input.body);
    // One logtank a topic (Huawei's console and API allow one).
    if (ctx.svc.docs.logtanks.list(p.projectId, t.topicUrn).length > 0) throw smnErrors.exists("The topic's logtank");
    const id = ctx.ids.hex32();
    const now = ctx.clock.now();
    ctx.svc.docs.logtanks.put(p.projectId, { id, parent: t.topicUrn, createdAt: now, doc: { ...lt, updatedAt: now } });
    return { status: 201, body: { request_id: ctx.request.requestId, id } };
  },
});

export const listLogtank = smnOperation({
  name: "ListLogtank",
  method: "GET",
  path: `${Topic}/logtanks`,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const list = ctx.svc.docs.logtanks.list(p.projectId, t.topicUrn);
    return { body: { request_id: ctx.request.requestId, count: list.length, logtanks: list.map(logtankItem) } };
  },
});

export const updateLogtank = smnOperation({
  name: "UpdateLogtank",
  method: "PUT",
  path: `${Topic}/logtanks/{logtank_id}`,
  body: LogtankBody,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const l = requireLogtank(ctx.svc, p.projectId, t.topicUrn, ctx.input.path.logtank_id!);
    const next = { ...l, doc: { ...checkLogtank(ctx.input.body), updatedAt: ctx.clock.now() } };
    ctx.svc.docs.logtanks.put(p.projectId, next);
    return { body: { request_id: ctx.request.requestId, logtank: logtankItem(next) } };
  },
});

export const deleteLogtank = smnOperation({
  name: "DeleteLogtank",
  method: "DELETE",
  path: `${Topic}/logtanks/{logtank_id}`,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const l = requireLogtank(ctx.svc, p.projectId, t.topicUrn, ctx.input.path.logtank_id!);
    ctx.svc.docs.logtanks.delete(p.projectId, l.id);
    return { body: { request_id: ctx.request.requestId } };
  },
});

const KmsBody = z.object({ key_id: z.unknown().optional() });
const keyId = (v: unknown) => {
  if (typeof v !== "string" || !UUID.test(v)) throw smnErrors.parameterInvalid("key_id");
  return v;
};

export const createKmsKey = smnOperation({
  name: "CreateKmsKey",
  method: "POST",
  path: `${Topic}/kms`,
  body: KmsBody,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const k = keyId(ctx.input.body.key_id);
    if (ctx.svc.docs.kms.list(p.projectId, t.topicUrn).length > 0) throw smnErrors.exists("The topic's KMS key");
    const id = ctx.ids.hex32();
    ctx.svc.docs.kms.put(p.projectId, { id, parent: t.topicUrn, createdAt: ctx.clock.now(), doc: { keyId: k } });
    return { status: 201, body: { request_id: ctx.request.requestId, id } };
  },
});

export const showKmsKey = smnOperation({
  name: "ShowKmsKey",
  method: "GET",
  path: `${Topic}/kms`,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const k = ctx.svc.docs.kms.list(p.projectId, t.topicUrn)[0];
    if (!k) throw smnErrors.notFound("KMS key of the topic");
    // The key is not looked up in KMS: hwlocal reports every bound key ENABLED.
    return { body: { request_id: ctx.request.requestId, id: k.id, key_id: k.doc.keyId, status: "ENABLED" } };
  },
});

function requireKms(svc: SmnContext, projectId: string, topicUrn: string, id: string) {
  const k = svc.docs.kms.get(projectId, id);
  if (!k || k.parent !== topicUrn) throw smnErrors.notFound("KMS key of the topic");
  return k;
}

export const updateKmsKey = smnOperation({
  name: "UpdateKmsKey",
  method: "PUT",
  path: `${Topic}/kms/{id}`,
  body: KmsBody,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const k = requireKms(ctx.svc, p.projectId, t.topicUrn, ctx.input.path.id!);
    ctx.svc.docs.kms.put(p.projectId, { ...k, doc: { keyId: keyId(ctx.input.body.key_id) } });
    return { body: { request_id: ctx.request.requestId, id: k.id } };
  },
});

export const deleteKmsKey = smnOperation({
  name: "DeleteKmsKey",
  method: "DELETE",
  path: `${Topic}/kms/{id}`,
  handle(ctx) {
    const { p, t } = topicOf(ctx);
    const k = requireKms(ctx.svc, p.projectId, t.topicUrn, ctx.input.path.id!);
    ctx.svc.docs.kms.delete(p.projectId, k.id);
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const topicSettingOperations = [
  listTopicAttributes, updateTopicAttribute, deleteTopicAttributeByName, deleteTopicAttributes,
  createLogtank, listLogtank, updateLogtank, deleteLogtank,
  createKmsKey, showKmsKey, updateKmsKey, deleteKmsKey,
];
export { ID as HEX32 };
