// Row → wire JSON: the only place that spells AS's response fields (reference §1.2, §1.3, §1.8).
import { isoSeconds } from "../../kernel/time.ts";
import { AS_QUOTA } from "./model.ts";
import type { ConfigRow, GroupRow, Tag } from "./store.ts";
import type { ActivityRow, InstanceRow } from "./store-scaling.ts";
import type { PolicyLogRow, PolicyRow } from "./store-policies.ts";
import type { HangRow, HookRow } from "./store-hooks.ts";

export function config(c: ConfigRow, groupId: string | undefined) {
  const ic = c.instance_config;
  return {
    scaling_configuration_id: c.id,
    tenant: c.project_id,
    scaling_configuration_name: c.name,
    instance_config: {
      flavorRef: ic.flavorRef,
      imageRef: ic.imageRef,
      disk: ic.disk.map((d) => ({ size: d.size, volume_type: d.volume_type, disk_type: d.disk_type, ...(d.metadata ? { metadata: d.metadata } : {}) })),
      key_name: ic.key_name ?? null,
      key_fingerprint: null,
      instance_name: null,
      instance_id: null,
      adminPass: ic.admin_pass === undefined ? null : "***",
      personality: ic.personality ?? null,
      public_ip: ic.public_ip ?? null,
      user_data: ic.user_data ?? null,
      metadata: ic.metadata,
      security_groups: ic.security_groups,
      server_group_id: ic.server_group_id ?? null,
      tenancy: ic.tenancy ?? null,
      dedicated_host_id: ic.dedicated_host_id ?? null,
      market_type: ic.market_type ?? null,
      multi_flavor_priority_policy: ic.multi_flavor_priority_policy,
    },
    create_time: isoSeconds(c.created_at),
    ...(groupId !== undefined ? { scaling_group_id: groupId } : {}),
  };
}

/** What the engine adds to a group: its instance count and whether an activity is running. */
export interface GroupState {
  current: number;
  scaling: boolean;
}

export function group(g: GroupRow, configName: string | null, state: GroupState) {
  const s = g.settings;
  return {
    scaling_group_name: g.name,
    scaling_group_id: g.id,
    scaling_group_status: g.status,
    scaling_configuration_id: g.config_id,
    scaling_configuration_name: configName,
    current_instance_number: state.current,
    desire_instance_number: g.desire,
    min_instance_number: g.min,
    max_instance_number: g.max,
    cool_down_time: s.cool_down_time,
    lb_listener_id: null,
    lbaas_listeners: s.lbaas_listeners ?? null,
    available_zones: s.available_zones,
    networks: s.networks,
    security_groups: s.security_groups,
    create_time: isoSeconds(g.created_at),
    vpc_id: s.vpc_id,
    detail: null,
    is_scaling: state.scaling,
    health_periodic_audit_method: s.health_periodic_audit_method,
    health_periodic_audit_time: s.health_periodic_audit_time,
    health_periodic_audit_grace_period: s.health_periodic_audit_grace_period,
    instance_terminate_policy: s.instance_terminate_policy,
    notifications: s.notifications,
    delete_publicip: s.delete_publicip,
    delete_volume: s.delete_volume,
    cloud_location_id: null,
    enterprise_project_id: s.enterprise_project_id,
    activity_type: null,
    multi_az_priority_policy: s.multi_az_priority_policy,
    description: s.description,
  };
}

export interface Quota {
  type: string;
  used: number;
  quota: number;
  max: number;
}

export function resourceQuotas(used: { groups: number; configs: number }): { quotas: { resources: Quota[] } } {
  return {
    quotas: {
      resources: [
        { type: "scaling_Group", used: used.groups, ...AS_QUOTA.groups },
        { type: "scaling_Config", used: used.configs, ...AS_QUOTA.configs },
        // §1.8: at project level these two count nothing.
        { type: "scaling_Policy", used: -1, ...AS_QUOTA.policiesPerGroup },
        { type: "scaling_Instance", used: -1, ...AS_QUOTA.instancesPerGroup },
        { type: "bandwidth_scaling_policy", used: 0, ...AS_QUOTA.bandwidthPolicies },
      ],
    },
  };
}

export function groupQuotas(used: { policies: number; instances: number }): { quotas: { resources: Quota[] } } {
  return {
    quotas: {
      resources: [
        { type: "scaling_Policy", used: used.policies, ...AS_QUOTA.policiesPerGroup },
        { type: "scaling_Instance", used: used.instances, ...AS_QUOTA.instancesPerGroup },
      ],
    },
  };
}

export function tags(list: Tag[]) {
  return list.map((t) => ({ key: t.key, value: t.value }));
}

/** ListScalingTagInfosByTenantId: each key with the values it has in the project. */
export function projectTags(list: Tag[]) {
  const byKey = new Map<string, string[]>();
  for (const t of list) byKey.set(t.key, [...(byKey.get(t.key) ?? []), t.value]);
  return [...byKey].map(([key, values]) => ({ key, values }));
}

export function instance(i: InstanceRow, g: GroupRow) {
  return {
    instance_id: i.id,
    instance_name: i.name,
    scaling_group_id: g.id,
    scaling_group_name: g.name,
    life_cycle_state: i.state,
    health_status: i.health,
    scaling_configuration_name: i.config_name ?? "",
    scaling_configuration_id: i.config_id ?? "",
    create_time: isoSeconds(i.created_at),
    protect_from_scaling_down: i.protected,
  };
}

export function activity(a: ActivityRow) {
  return {
    id: a.id,
    status: a.status,
    description: a.description,
    start_time: isoSeconds(a.start_time),
    end_time: a.end_time === null ? null : isoSeconds(a.end_time),
    instance_added_list: a.added,
    instance_removed_list: a.removed,
    instance_deleted_list: a.deleted,
    scaling_value: a.scaling_value,
    instance_value: a.instance_value,
    desire_value: a.desire_value,
  };
}

/** The v2 log type of an activity: its change reason (a group's forced delete is NORMAL). */
export function activityType(a: ActivityRow): string {
  const parsed = JSON.parse(a.description) as { reason?: { change_reason?: string }[] };
  const reason = parsed.reason?.[0]?.change_reason ?? "NORMAL";
  return reason === "DELETE_GROUP" ? "NORMAL" : reason;
}

/** v2's instance lists: objects per server name (instance_id while the instance is still in the group). */
function v2List(list: string | null, ids: Map<string, string>) {
  if (list === null) return null;
  return list.split(",").map((name) => ({
    instance_id: ids.get(name) ?? null, instance_name: name, failed_reason: null, failed_details: null, instance_config: null,
  }));
}

/** §1.7's v2 activity log item. */
export function activityV2(a: ActivityRow, ids: Map<string, string>) {
  return {
    id: a.id,
    status: a.status,
    description: a.description,
    start_time: isoSeconds(a.start_time),
    end_time: a.end_time === null ? null : isoSeconds(a.end_time),
    instance_added_list: v2List(a.added, ids),
    instance_removed_list: v2List(a.removed, ids),
    instance_deleted_list: v2List(a.deleted, ids),
    instance_standby_list: null,
    scaling_value: a.scaling_value,
    instance_value: a.instance_value,
    desire_value: a.desire_value,
    lb_bind_success_list: null,
    lb_bind_failed_list: null,
    lb_unbind_success_list: null,
    lb_unbind_failed_list: null,
    type: activityType(a),
  };
}

/** §1.4: SCHEDULED shows only launch_time, RECURRENCE all five fields; alarm_id only for ALARM. */
export function policy(p: PolicyRow) {
  const s = p.scheduled;
  return {
    scaling_group_id: p.group_id,
    scaling_policy_name: p.name,
    scaling_policy_id: p.id,
    policy_status: p.status,
    scaling_policy_type: p.type,
    ...(p.alarm_id === null ? {} : { alarm_id: p.alarm_id }),
    ...(s === null
      ? {}
      : {
          scheduled_policy:
            p.type === "SCHEDULED"
              ? { launch_time: s.launch_time }
              : { launch_time: s.launch_time, recurrence_type: s.recurrence_type, recurrence_value: s.recurrence_value ?? null, start_time: s.start_time, end_time: s.end_time },
        }),
    scaling_policy_action: p.action,
    cool_down_time: p.cool_down,
    create_time: isoSeconds(p.created_at),
  };
}

/** §1.7's execute log item; old/desire/limit values as strings, as the reference table types them. */
export function policyLog(l: PolicyLogRow) {
  return {
    id: l.id,
    status: l.status,
    failed_reason: l.failed_reason,
    execute_type: l.execute_type,
    execute_time: isoSeconds(l.execute_time),
    tenant_id: l.project_id,
    scaling_policy_id: l.policy_id,
    scaling_resource_type: "SCALING_GROUP",
    scaling_resource_id: l.group_id,
    old_value: String(l.old_value),
    desire_value: String(l.desire_value),
    limit_value: String(l.limit_value),
    type: l.type,
    job_records: [],
    meta_data: null,
  };
}

/** §1.6's hook object (Create/Show/Update answer it unwrapped). */
export function hook(h: HookRow) {
  return {
    lifecycle_hook_name: h.name,
    lifecycle_hook_type: h.type,
    default_result: h.default_result,
    default_timeout: h.default_timeout,
    notification_topic_urn: h.topic_urn,
    notification_topic_name: h.topic_urn.split(":").pop() ?? "",
    notification_metadata: h.metadata,
    create_time: isoSeconds(h.created_at),
  };
}

/** §1.6's hanging info of one instance on one hook. */
export function hang(h: HangRow) {
  return {
    lifecycle_hook_name: h.hook_name,
    lifecycle_action_key: h.action_key,
    instance_id: h.instance_id,
    scaling_group_id: h.group_id,
    lifecycle_hook_status: h.status,
    timeout: isoSeconds(h.timeout_at),
    default_result: h.default_result,
  };
}
