// A topic's notify policy (callnotify polling: subscriptions tried in order) and the HTTP(S) endpoint
// detection: a real POST to the endpoint, whose result ShowHttpDetectResult reports (status 1 while it runs,
// 0 when the endpoint answered 2xx, 2 otherwise).
import { request as httpRequest } from "node:http";
import { z } from "../../../kernel/zod.ts";
import { lazyHttps } from "../../../kernel/builtins.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { checkEndpoint, requireProject, requireTopic, smnOperation, type SmnContext } from "../context.ts";
import { smnErrors } from "../errors.ts";
import type { NotifyPolicy } from "../resources.ts";

const Topic = "/v2/{project_id}/notifications/topics/{topic_urn}";
const TIMEOUT_MS = 5000;

const PolicyBody = z.object({
  protocol: z.literal("callnotify"),
  polling: z.array(z.object({ order: z.number().int().min(1).max(10), subscription_urns: z.array(z.string()).min(1).max(10) })).min(1).max(10),
});

function checkPolicy(svc: SmnContext, projectId: string, topicUrn: string, b: z.output<typeof PolicyBody>): NotifyPolicy {
  if (new Set(b.polling.map((x) => x.order)).size !== b.polling.length) throw smnErrors.parameterInvalid("polling.order");
  for (const p of b.polling) {
    for (const urn of p.subscription_urns) {
      const s = svc.store.subscription(projectId, urn);
      if (!s || s.topicUrn !== topicUrn) throw smnErrors.subscriptionNotFound();
    }
  }
  return { protocol: b.protocol, polling: b.polling.map((x) => ({ order: x.order, subscriptionUrns: x.subscription_urns })) };
}

function requirePolicy(svc: SmnContext, projectId: string, topicUrn: string, id?: string) {
  const p = id === undefined ? svc.docs.notifyPolicies.list(projectId, topicUrn)[0] : svc.docs.notifyPolicies.get(projectId, id);
  if (!p || p.parent !== topicUrn) throw smnErrors.notFound("notify policy");
  return p;
}

export const createNotifyPolicy = smnOperation({
  name: "CreateNotifyPolicy",
  method: "POST",
  path: `${Topic}/notify-policy`,
  body: PolicyBody,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const doc = checkPolicy(ctx.svc, p.projectId, t.topicUrn, ctx.input.body);
    if (ctx.svc.docs.notifyPolicies.list(p.projectId, t.topicUrn).length > 0) throw smnErrors.exists("The topic's notify policy");
    const id = ctx.ids.hex32();
    ctx.svc.docs.notifyPolicies.put(p.projectId, { id, parent: t.topicUrn, createdAt: ctx.clock.now(), doc });
    return { status: 201, body: { request_id: ctx.request.requestId, id } };
  },
});

export const showNotifyPolicy = smnOperation({
  name: "ShowNotifyPolicy",
  method: "GET",
  path: `${Topic}/notify-policy`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const np = requirePolicy(ctx.svc, p.projectId, t.topicUrn);
    const polling = np.doc.polling.map((x) => ({
      order: x.order,
      subscriptions: x.subscriptionUrns.flatMap((urn) => {
        const s = ctx.svc.store.subscription(p.projectId, urn);
        // A subscription cancelled since drops out of the policy.
        return s ? [{ subscription_urn: urn, endpoint: s.endpoint, remark: s.remark, status: 1 }] : [];
      }),
    }));
    return { body: { request_id: ctx.request.requestId, id: np.id, protocol: np.doc.protocol, polling } };
  },
});

export const updateNotifyPolicy = smnOperation({
  name: "UpdateNotifyPolicy",
  method: "PUT",
  path: `${Topic}/notify-policy/{notify_policy_id}`,
  body: PolicyBody,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const np = requirePolicy(ctx.svc, p.projectId, t.topicUrn, ctx.input.path.notify_policy_id);
    ctx.svc.docs.notifyPolicies.put(p.projectId, { ...np, doc: checkPolicy(ctx.svc, p.projectId, t.topicUrn, ctx.input.body) });
    return { body: { request_id: ctx.request.requestId } };
  },
});

export const deleteNotifyPolicy = smnOperation({
  name: "DeleteNotifyPolicy",
  method: "DELETE",
  path: `${Topic}/notify-policy/{notify_policy_id}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const np = requirePolicy(ctx.svc, p.projectId, t.topicUrn, ctx.input.path.notify_policy_id);
    ctx.svc.docs.notifyPolicies.delete(p.projectId, np.id);
    return { body: { request_id: ctx.request.requestId } };
  },
});

/** POSTs the detection message; calls done once with the status code (null: no answer) and the body's start. */
function detect(url: URL, headers: Record<string, string>, body: string, done: (code: number | null, text: string) => void): void {
  let finished = false;
  const finish = (code: number | null, text: string) => {
    if (finished) return;
    finished = true;
    done(code, text);
  };
  try {
    const send = url.protocol === "https:" ? lazyHttps().request : httpRequest;
    const req = send(url, {
      method: "POST", timeout: TIMEOUT_MS, agent: false,
      headers: { ...headers, "Content-Type": "application/json; charset=UTF-8", "Content-Length": String(Buffer.byteLength(body)) },
      ...(url.protocol === "https:" ? { rejectUnauthorized: false } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => finish(res.statusCode ?? null, Buffer.concat(chunks).toString("utf8").slice(0, 512)));
      res.on("error", (e) => finish(res.statusCode ?? null, e.message));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (e) => finish(null, e.message));
    req.end(body);
  } catch (e) {
    finish(null, e instanceof Error ? e.message : String(e));
  }
}

export const publishHttpDetect = smnOperation({
  name: "PublishHttpDetect",
  method: "POST",
  path: `${Topic}/detection`,
  body: z.object({
    protocol: z.enum(["http", "https"]),
    endpoint: z.unknown().optional(),
    extension: z.object({ header: z.record(z.string(), z.string()).optional() }).optional(),
  }),
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const b = ctx.input.body;
    const endpoint = checkEndpoint(b.protocol, b.endpoint);
    const headers = b.extension?.header ?? {};
    if (Object.keys(headers).some((k) => !/^x-[A-Za-z0-9-]{1,30}$/i.test(k))) throw smnErrors.parameterInvalid("extension.header");
    const id = ctx.ids.hex32();
    const createdAt = ctx.clock.now();
    const svc = ctx.svc;
    svc.docs.detections.put(p.projectId, { id, parent: t.topicUrn, createdAt, doc: { status: 1, httpCode: 0, httpResponse: "" } });
    const message = JSON.stringify({ type: "HttpDetection", topic_urn: t.topicUrn, task_id: id, timestamp: isoSeconds(createdAt) });
    detect(new URL(endpoint), { ...headers, "x-smn-topic-urn": t.topicUrn }, message, (code, text) => {
      const ok = code !== null && code >= 200 && code < 300;
      try {
        if (svc.docs.detections.get(p.projectId, id)) {
          svc.docs.detections.put(p.projectId, { id, parent: t.topicUrn, createdAt, doc: { status: ok ? 0 : 2, httpCode: code ?? 0, httpResponse: text } });
        }
      } catch {
        // The database was closed or reset while the request was under way.
      }
    });
    return { body: { request_id: ctx.request.requestId, task_id: id } };
  },
});

export const showHttpDetectResult = smnOperation({
  name: "ShowHttpDetectResult",
  method: "GET",
  path: `${Topic}/detection/{task_id}`,
  handle(ctx) {
    const p = requireProject(ctx.scope);
    const t = requireTopic(ctx.svc, p.projectId, ctx.input.path.topic_urn!);
    const d = ctx.svc.docs.detections.get(p.projectId, ctx.input.path.task_id ?? "");
    if (!d || d.parent !== t.topicUrn) throw smnErrors.notFound("detection task");
    return { body: { request_id: ctx.request.requestId, status: d.doc.status, detail: { httpCode: d.doc.httpCode, httpResponse: d.doc.httpResponse } } };
  },
});

export const notifyPolicyOperations = [
  createNotifyPolicy, showNotifyPolicy, updateNotifyPolicy, deleteNotifyPolicy, publishHttpDetect, showHttpDetectResult,
];
