// The scaling engine: a ticker (registered by index.ts) that runs on hwlocal's clock and keeps every group
// at its desire_instance_number, with all of its state in AS's tables. Each tick, for each INSERVICE or
// DELETING group:
//   - a DOING activity progresses: PENDING instances whose server is ACTIVE go INSERVICE (health NORMAL), a
//     server in ERROR or gone fails the activity; REMOVING instances go once their server is deleted (or at
//     once when the server is kept). With nothing left in flight, the activity ends SUCCESS or FAIL.
//   - otherwise, when desire ≠ the instance count, one activity starts: scale out launches servers through
//     ECS (rt.api("ecs").launchServers, one a server, zones balanced); scale in picks instances by the
//     group's instance_terminate_policy. A DELETING group (force delete) removes all of its instances, then
//     disappears. After a failed activity, the group waits its cool_down_time before trying again.
// Handlers start removals too (startRemoval): they only write AS rows, and this ticker deletes the servers.
import type { Ids } from "../../kernel/ids.ts";
import { isoSeconds } from "../../kernel/time.ts";
import { findFlavor, flavorZones } from "../ecs/flavors-data.ts";
import { CreateServerBody } from "../ecs/server-spec.ts";
import type { AsContext } from "./context.ts";
import type { AsStore, ConfigRow, GroupRow } from "./store.ts";
import type { ActivityRow, InstanceRow } from "./store-scaling.ts";
import { releaseAlarms } from "./alarm-link.ts";
import { hold, verdict, type OnHold } from "./lifecycle.ts";
import { notifyActivity, notifyHang } from "./notify.ts";
import { deregisterInstance, registerInstance, unhealthyInstances } from "./elb-link.ts";

export type ChangeReason = "DIFF" | "MANUAL_ADD" | "MANUAL_REMOVE" | "MANUAL_DELETE" | "DELETE_GROUP" | "ELB_CHECK_DELETE";

/** A new activity's row (not yet inserted). */
export function newActivity(ids: Ids, g: GroupRow, now: number, o: { reason: ChangeReason; current: number; desire: number; change: number }): ActivityRow {
  const reason = { change_reason: o.reason, old_value: o.current, new_value: o.desire, change_time: isoSeconds(now) };
  return {
    id: ids.uuid(),
    project_id: g.project_id,
    group_id: g.id,
    status: "DOING",
    description: JSON.stringify({ reason: [reason] }),
    added: null,
    removed: null,
    deleted: null,
    scaling_value: String(o.change),
    instance_value: o.current,
    desire_value: o.desire,
    error: null,
    start_time: now,
    end_time: null,
  };
}

const names = (list: InstanceRow[]) => (list.length === 0 ? null : list.map((i) => i.name).join(","));

/**
 * Marks instances REMOVING under a new DOING activity; the ticker deletes the AS-created servers among them
 * when deleteServers (manual instances are only removed) and drops the rows.
 */
export function startRemoval(store: AsStore, ids: Ids, g: GroupRow, picked: InstanceRow[], now: number, o: { reason: ChangeReason; deleteServers: boolean; desire: number }): ActivityRow {
  const current = store.instances.ofGroup(g.project_id, g.id).length;
  const a = newActivity(ids, g, now, { reason: o.reason, current, desire: o.desire, change: picked.length });
  const deleted = picked.filter((i) => o.deleteServers && i.config_id !== null);
  store.activities.insert({ ...a, removed: names(picked), deleted: names(deleted) });
  for (const i of picked) store.instances.update({ ...i, state: "REMOVING", delete_server: deleted.includes(i), activity_id: a.id });
  return a;
}

/** Scale-in candidates in removal order: never protected, standby or busy ones; manual instances last. */
export function removalOrder(g: GroupRow, instances: InstanceRow[]): InstanceRow[] {
  const policy = g.settings.instance_terminate_policy;
  const zones = g.settings.available_zones;
  const newestFirst = policy === "NEW_INSTANCE" || policy === "OLD_CONFIG_NEW_INSTANCE";
  const byConfig = policy === "OLD_CONFIG_OLD_INSTANCE" || policy === "OLD_CONFIG_NEW_INSTANCE";
  const key = (i: InstanceRow): number[] => [
    i.config_id === null ? 1 : 0,
    zones.includes(i.availability_zone) ? 1 : 0,
    byConfig && i.config_id !== null && i.config_id !== g.config_id ? 0 : 1,
    i.config_id === null ? i.created_at : newestFirst ? -i.created_at : i.created_at,
  ];
  const cmp = (a: number[], b: number[]) => a.reduce((r, x, k) => (r !== 0 ? r : x - (b[k] ?? 0)), 0);
  return instances.filter((i) => i.state === "INSERVICE" && !i.protected).sort((a, b) => cmp(key(a), key(b)));
}

function finish(svc: AsContext, a: ActivityRow, now: number): void {
  const { store } = svc;
  const g = store.groups.get(a.project_id, a.group_id);
  const count = g ? store.instances.ofGroup(g.project_id, g.id).length : 0;
  const description = a.error === null ? a.description : JSON.stringify({ ...(JSON.parse(a.description) as object), error_message: a.error });
  const done: ActivityRow = { ...a, status: a.error === null ? "SUCCESS" : "FAIL", description, instance_value: count, end_time: now };
  store.activities.update(done);
  if (g) notifyActivity(svc, g, done);
}

function progress(svc: AsContext, g: GroupRow, a: ActivityRow, now: number): boolean {
  const { store } = svc;
  const ids = svc.env.ids;
  const ecs = svc.ecs();
  const opts = { deletePublicIp: g.settings.delete_publicip, deleteVolume: g.settings.delete_volume };
  let changed = false;
  let error = a.error;
  const drop = (i: InstanceRow, serverId: string | undefined, why: string) => {
    store.instances.delete(g.project_id, i.id);
    store.hooks.dropHangs(g.project_id, i.id);
    if (serverId !== undefined) ecs.deleteServers(g.project_id, [serverId], { deletePublicIp: true, deleteVolume: true }, svc.env);
    error ??= why;
  };
  const held: OnHold = (h, hook) => notifyHang(svc, g, h, hook);
  const toService = (i: InstanceRow) => {
    store.hooks.dropHangs(g.project_id, i.id);
    store.instances.update({ ...i, state: "INSERVICE", health: "NORMAL", activity_id: null });
    registerInstance(svc, g, i);
  };
  for (const i of store.instances.ofGroup(g.project_id, g.id).filter((x) => x.activity_id === a.id)) {
    const s = ecs.server(g.project_id, i.id);
    if (i.state === "PENDING" || i.state === "PENDING_WAIT") {
      if (!s || s.status === "ERROR") drop(i, s?.id, `The ECS instance ${i.name} failed to be created.`);
      else if (i.state === "PENDING") {
        if (s.status !== "ACTIVE") continue;
        if (hold(store, ids, g, i, "INSTANCE_LAUNCHING", now, held)) store.instances.update({ ...i, state: "PENDING_WAIT" });
        else toService(i);
      } else {
        const v = verdict(store, ids, g, i, "INSTANCE_LAUNCHING", now, held);
        if (v === "wait") continue;
        if (v === "CONTINUE") toService(i);
        else drop(i, s.id, `The ECS instance ${i.name} was abandoned by a lifecycle hook.`);
      }
      changed = true;
    } else if (i.state === "REMOVING_WAIT") {
      if (verdict(store, ids, g, i, "INSTANCE_TERMINATING", now, held) === "wait") continue;
      store.instances.update({ ...i, state: "REMOVING" });
      changed = true;
    } else if (i.state === "REMOVING") {
      // Out of the load balancer's pools first (elb-link.ts), before hooks and the server's deletion.
      deregisterInstance(svc, g, i);
      // A force-deleted group skips the terminating hooks.
      if (g.status !== "DELETING" && s && !s.deleting && hold(store, ids, g, i, "INSTANCE_TERMINATING", now, held)) {
        store.instances.update({ ...i, state: "REMOVING_WAIT" });
        changed = true;
      } else if (!i.delete_server || !s) {
        store.instances.delete(g.project_id, i.id);
        store.hooks.dropHangs(g.project_id, i.id);
        changed = true;
      } else if (!s.deleting) {
        ecs.deleteServers(g.project_id, [s.id], opts, svc.env);
        changed = true;
      }
    }
  }
  const inFlight = store.instances.ofGroup(g.project_id, g.id).some((i) => i.activity_id === a.id && i.state !== "INSERVICE" && i.state !== "STANDBY");
  if (!inFlight) {
    finish(svc, { ...a, error }, now);
    return true;
  }
  if (error !== a.error) store.activities.update({ ...a, error });
  return changed;
}

/** The create-server request of one instance, checked by ECS's own schema. */
function serverRequest(g: GroupRow, c: ConfigRow, az: string, name: string) {
  const ic = c.instance_config;
  const sys = ic.disk.find((d) => d.disk_type === "SYS");
  const eip = ic.public_ip?.eip;
  const securityGroups = ic.security_groups.length > 0 ? ic.security_groups : g.settings.security_groups;
  return CreateServerBody.safeParse({
    server: {
      name,
      imageRef: ic.imageRef,
      flavorRef: ic.flavorRef.split(",")[0],
      vpcid: g.settings.vpc_id,
      nics: g.settings.networks.map((n) => ({ subnet_id: n.id })),
      root_volume: { volumetype: sys?.volume_type, size: sys?.size },
      data_volumes: ic.disk.filter((d) => d.disk_type === "DATA").map((d) => ({ volumetype: d.volume_type, size: d.size })),
      ...(securityGroups.length > 0 ? { security_groups: securityGroups } : {}),
      availability_zone: az,
      count: 1,
      key_name: ic.key_name,
      adminPass: ic.admin_pass,
      user_data: ic.user_data,
      metadata: ic.metadata,
      ...(eip
        ? {
            publicip: {
              eip: { iptype: eip.ip_type, bandwidth: { size: eip.bandwidth.size, sharetype: eip.bandwidth.share_type, chargemode: eip.bandwidth.charging_mode, id: eip.bandwidth.id } },
              delete_on_termination: g.settings.delete_publicip,
            },
          }
        : {}),
    },
  });
}

/** The zone with the fewest instances among the group's zones that sell the flavor (in the group's order). */
function pickZone(g: GroupRow, c: ConfigRow, counts: Map<string, number>): string {
  const flavor = findFlavor(c.instance_config.flavorRef.split(",")[0] ?? "");
  const selling = flavor ? flavorZones(flavor, g.settings.available_zones) : [];
  const zones = selling.length > 0 ? selling : g.settings.available_zones;
  if (g.settings.multi_az_priority_policy === "PICK_FIRST") return zones[0] ?? "";
  return zones.reduce((best, z) => ((counts.get(z) ?? 0) < (counts.get(best) ?? 0) ? z : best), zones[0] ?? "");
}

function scaleOut(svc: AsContext, g: GroupRow, instances: InstanceRow[], now: number): void {
  const { store, env } = svc;
  const a = newActivity(env.ids, g, now, { reason: "DIFF", current: instances.length, desire: g.desire, change: g.desire - instances.length });
  const c = g.config_id === null ? undefined : store.configs.get(g.project_id, g.config_id);
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.availability_zone, (counts.get(i.availability_zone) ?? 0) + 1);
  const added: InstanceRow[] = [];
  let error: string | null = null;
  if (!c || g.region === null) error = "The AS group has no usable AS configuration.";
  // A fault rule (POST /_hwlocal/faults, effect job, job_type SCALE_OUT) fails the activity before it
  // launches anything, with the rule's code and message in the activity's description.
  const forced = svc.faults({ service: "as", jobType: "SCALE_OUT", projectId: g.project_id, entities: { scaling_group_id: g.id } });
  if (forced) error = `${forced.errorCode}: ${forced.failReason}`;
  for (let n = instances.length; c && g.region !== null && error === null && n < g.desire; n++) {
    const az = pickZone(g, c, counts);
    const name = `${c.name}-${env.ids.hex32().slice(0, 6)}`;
    const req = serverRequest(g, c, az, name);
    if (!req.success) {
      error = `The AS configuration cannot launch an ECS instance: ${req.error.issues[0]?.message ?? "invalid"}.`;
      break;
    }
    const r = svc.ecs().launchServers({ projectId: g.project_id, region: g.region, userId: g.user_id ?? "" }, req.data.server, env);
    if (!r.ok) {
      error = `${r.code}: ${r.message}`;
      break;
    }
    counts.set(az, (counts.get(az) ?? 0) + 1);
    for (const id of r.serverIds) {
      added.push({
        id, project_id: g.project_id, group_id: g.id, name, state: "PENDING", health: "INITIALIZING", config_id: c.id, config_name: c.name,
        protected: false, delete_server: false, activity_id: a.id, availability_zone: az, created_at: now,
      });
    }
  }
  store.activities.insert({ ...a, added: names(added), error });
  for (const i of added) store.instances.insert(i);
  if (added.length === 0) finish(svc, { ...a, added: null, error }, now);
}

function deleteGroupNow(svc: AsContext, g: GroupRow): void {
  const { store } = svc;
  const policies = store.policies.ofGroup(g.project_id, g.id);
  store.instances.deleteGroup(g.project_id, g.id);
  store.activities.deleteGroup(g.project_id, g.id);
  store.tags.deleteGroup(g.project_id, g.id);
  store.policies.deleteGroup(g.project_id, g.id);
  releaseAlarms(svc, policies, true);
  store.hooks.deleteGroup(g.project_id, g.id);
  store.notifications.deleteGroup(g.project_id, g.id);
  store.groups.delete(g.project_id, g.id);
}

/** One engine step for a group (the ticker's, or a lifecycle callback's at once). */
export function step(svc: AsContext, g: GroupRow, now: number): boolean {
  const { store } = svc;
  const doing = store.activities.doing(g.project_id, g.id);
  if (doing) return progress(svc, g, doing, now);
  // A paused group finishes the activity it runs, and starts none.
  if (g.status !== "INSERVICE" && g.status !== "DELETING") return false;
  const instances = store.instances.ofGroup(g.project_id, g.id);
  if (g.status === "DELETING") {
    if (instances.length === 0) deleteGroupNow(svc, g);
    else startRemoval(store, svc.env.ids, g, instances, now, { reason: "DELETE_GROUP", deleteServers: true, desire: 0 });
    return true;
  }
  const sick = g.status === "INSERVICE" ? unhealthyInstances(svc, g, instances, now) : [];
  if (sick.length > 0) {
    // Judged unhealthy (health ERROR), then removed like a scale-in; desire is kept, so they are replaced.
    const marked = sick.map((i) => ({ ...i, health: "ERROR" as const }));
    startRemoval(store, svc.env.ids, g, marked, now, { reason: "ELB_CHECK_DELETE", deleteServers: true, desire: g.desire });
    return true;
  }
  if (instances.length === g.desire) return false;
  const last = store.activities.last(g.project_id, g.id);
  if (last?.status === "FAIL" && last.end_time !== null && now < last.end_time + g.settings.cool_down_time * 1000) return false;
  if (g.desire > instances.length) {
    scaleOut(svc, g, instances, now);
    return true;
  }
  const picked = removalOrder(g, instances).slice(0, instances.length - g.desire);
  if (picked.length === 0) return false;
  startRemoval(store, svc.env.ids, g, picked, now, { reason: "DIFF", deleteServers: true, desire: g.desire });
  return true;
}

/** The engine's ticker: one step for every group that may need one. */
export function reconcile(svc: AsContext, now: number): boolean {
  let busy = false;
  for (const g of svc.store.groups.active()) if (svc.store.tx(() => step(svc, g, now))) busy = true;
  return busy;
}
