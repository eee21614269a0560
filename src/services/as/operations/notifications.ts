// A group's notification topics (/scaling_notification, §1.1): set (create or replace one topic's scenes;
// 5 topics a group, AS.7028), list, delete. The topic URN must have the form urn:smn:<region>:<project_id>:
// <name> of the caller's region and project and name one of its SMN topics (else AS.7025); notify.ts
// publishes to the topics through SMN.
import { z } from "../../../kernel/zod.ts";
import { asOperation, pathParam, PROJECT_PATH, projectScope } from "../context.ts";
import { asErrors } from "../errors.ts";
import type { NotificationRow } from "../store-hooks.ts";
import { requireGroup, topicExists, topicUrnValid } from "./hooks.ts";

const TOPICS_PER_GROUP = 5;
const SCENES = ["SCALING_UP", "SCALING_UP_FAIL", "SCALING_DOWN", "SCALING_DOWN_FAIL", "SCALING_GROUP_ABNORMAL"];

function topic(n: NotificationRow) {
  return { topic_urn: n.topic_urn, topic_scene: n.topic_scene, topic_name: n.topic_urn.split(":").pop() ?? "" };
}

export const createScalingNotification = asOperation({
  name: "CreateScalingNotification",
  method: "PUT",
  path: `${PROJECT_PATH}/scaling_notification/{scaling_group_id}`,
  body: z.object({ topic_urn: z.string().optional(), topic_scene: z.array(z.string()).optional() }).optional(),
  handle(ctx) {
    const p = projectScope(ctx.scope);
    const b = ctx.input.body;
    if (!b) throw asErrors.bodyNull();
    if (b.topic_urn === undefined || b.topic_urn === "") throw asErrors.topicNull();
    const urn = b.topic_urn;
    if (!topicUrnValid(urn, p)) throw asErrors.topicUrnInvalid(`Expected urn:smn:${p.region}:${p.projectId}:<topic name>.`);
    if (!topicExists(ctx.svc, p, urn)) throw asErrors.topicUrnInvalid(`The project has no SMN topic ${urn.slice(0, 300)}.`);
    const scenes = [...new Set(b.topic_scene ?? [])];
    if (scenes.length === 0 || scenes.some((s) => !SCENES.includes(s))) throw asErrors.topicSceneInvalid();
    const { store } = ctx.svc;
    const row = store.tx(() => {
      const g = requireGroup(store, p.projectId, pathParam(ctx.input.path, "scaling_group_id"));
      const topics = store.notifications.ofGroup(p.projectId, g.id);
      if (!topics.some((t) => t.topic_urn === urn) && topics.length >= TOPICS_PER_GROUP) throw asErrors.topicQuota(`At most ${TOPICS_PER_GROUP} a group.`);
      const n: NotificationRow = { project_id: p.projectId, group_id: g.id, topic_urn: urn, topic_scene: scenes, created_at: ctx.clock.now() };
      store.notifications.put(n);
      return n;
    });
    return { body: topic(row) };
  },
});

export const listScalingNotifications = asOperation({
  name: "ListScalingNotifications",
  method: "GET",
  path: `${PROJECT_PATH}/scaling_notification/{scaling_group_id}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const g = requireGroup(ctx.svc.store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
    return { body: { topics: ctx.svc.store.notifications.ofGroup(projectId, g.id).map(topic) } };
  },
});

export const deleteScalingNotification = asOperation({
  name: "DeleteScalingNotification",
  method: "DELETE",
  path: `${PROJECT_PATH}/scaling_notification/{scaling_group_id}/{topic_urn}`,
  handle(ctx) {
    const { projectId } = projectScope(ctx.scope);
    const { store } = ctx.svc;
    store.tx(() => {
      const g = requireGroup(store, projectId, pathParam(ctx.input.path, "scaling_group_id"));
      const urn = pathParam(ctx.input.path, "topic_urn");
      if (!store.notifications.delete(projectId, g.id, urn)) throw asErrors.topicUrnInvalid(`The group has no topic ${urn.slice(0, 300)}.`);
    });
    return { status: 204 };
  },
});

export const notificationOperations = [createScalingNotification, listScalingNotifications, deleteScalingNotification];
