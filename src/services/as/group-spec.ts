// CreateScalingGroup and UpdateScalingGroup bodies, checked field by field with AS's codes (reference §1.2):
// the zod schema only settles JSON types (a wrong type is AS.0022). Create fills Huawei's defaults; update
// merges what it is given into the group's current settings and checks the result the same way.
import { z } from "../../kernel/zod.ts";
import type { AsContext, ProjectScope } from "./context.ts";
import { zonesOf } from "./context.ts";
import { asErrors } from "./errors.ts";
import {
  AS_QUOTA,
  HEALTH_METHODS,
  HEALTH_PERIODS,
  MULTI_AZ_POLICIES,
  TERMINATE_POLICIES,
  type GroupSettings,
} from "./model.ts";

const NAME = /^[\p{Script=Han}A-Za-z0-9_-]+$/u;
const MAX_SUBNETS = 5;
const MAX_SECURITY_GROUPS = 1;

const fields = {
  scaling_group_name: z.string().optional(),
  scaling_configuration_id: z.string().optional(),
  desire_instance_number: z.number().optional(),
  min_instance_number: z.number().optional(),
  max_instance_number: z.number().optional(),
  cool_down_time: z.number().optional(),
  lb_listener_id: z.string().optional(),
  lbaas_listeners: z.array(z.record(z.string(), z.unknown())).optional(),
  available_zones: z.array(z.string()).optional(),
  networks: z
    .array(z.object({ id: z.string(), ipv6_enable: z.boolean().optional(), ipv6_bandwidth: z.object({ id: z.string() }).optional() }))
    .optional(),
  security_groups: z.array(z.object({ id: z.string() })).optional(),
  health_periodic_audit_method: z.string().optional(),
  health_periodic_audit_time: z.number().optional(),
  health_periodic_audit_grace_period: z.number().optional(),
  instance_terminate_policy: z.string().optional(),
  notifications: z.array(z.string()).optional(),
  delete_publicip: z.boolean().optional(),
  delete_volume: z.boolean().optional(),
  enterprise_project_id: z.string().optional(),
  multi_az_priority_policy: z.string().optional(),
  description: z.string().optional(),
};

export const CreateGroupBody = z.object({ ...fields, vpc_id: z.string().optional() }).optional();
export const UpdateGroupBody = z.object(fields).optional();
export type GroupFields = z.infer<typeof UpdateGroupBody> & {};

export function checkGroupName(name: string | undefined): string {
  if (name === undefined || name === "") throw asErrors.groupNameNull();
  if ([...name].length > 64) throw asErrors.groupNameTooLong();
  if (!NAME.test(name)) throw asErrors.groupNameInvalid();
  return name;
}

const isWhole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** min ≤ desire ≤ max, each within the instance quota (AS.2004, AS.2045, AS.2005). */
export function checkNumbers(n: { min: number; max: number; desire: number }): void {
  if (!Number.isInteger(n.min) || !Number.isInteger(n.max) || n.min < 0 || n.max < 0 || n.min > n.max) throw asErrors.minMaxInvalid();
  if (n.max > AS_QUOTA.instancesPerGroup.quota) throw asErrors.instanceLimitExceeded(`At most ${AS_QUOTA.instancesPerGroup.quota}.`);
  if (!Number.isInteger(n.desire) || n.desire < n.min || n.desire > n.max) throw asErrors.desireOutOfRange();
}

/** hwlocal has no classic (shared v2) ELB: lb_listener_id names a listener that does not exist. */
export function refuseListeners(b: GroupFields): void {
  const classic = b.lb_listener_id !== undefined && b.lb_listener_id !== "";
  const lbaas = b.lbaas_listeners !== undefined && b.lbaas_listeners.length > 0;
  if (classic && lbaas) throw asErrors.listenerTypeNotUnique();
  if (classic) throw asErrors.listenerNotFound("hwlocal emulates dedicated load balancers (lbaas_listeners) only.");
}

const MAX_LBAAS = 6;
const whole = (v: unknown, min: number, max: number): v is number => typeof v === "number" && isWhole(v, min, max);

/** lbaas_listeners (§6): at most 6 {pool_id, protocol_port 1-65535, weight 0-100}, each pool ELB's in the group's VPC. */
function checkLbaas(svc: AsContext, p: ProjectScope, list: Record<string, unknown>[], vpcId: string): NonNullable<GroupSettings["lbaas_listeners"]> {
  if (list.length > MAX_LBAAS) throw asErrors.lbaasPoolInvalid(`At most ${MAX_LBAAS} lbaas_listeners.`);
  const elb = svc.elb();
  return list.map((l) => {
    const { pool_id: poolId, protocol_port: port, weight } = l;
    if (typeof poolId !== "string" || !whole(port, 1, 65535) || !whole(weight, 0, 100)) {
      throw asErrors.lbaasPoolInvalid("Each needs pool_id, protocol_port (1-65535) and weight (0-100).");
    }
    const pool = elb?.pool(p.projectId, poolId);
    if (!pool) throw asErrors.lbaasPoolInvalid(`The pool ${poolId.slice(0, 64)} does not exist.`);
    if (pool.vpcId !== "" && pool.vpcId !== vpcId) throw asErrors.lbaasPoolInvalid(`The pool ${poolId} does not belong to the vpc ${vpcId}.`);
    return { pool_id: poolId, protocol_port: port, weight };
  });
}

/** Settings with every given field checked; `base` holds the current values (update) or the defaults. */
export function checkSettings(svc: AsContext, p: ProjectScope, b: GroupFields, base: GroupSettings): GroupSettings {
  const s: GroupSettings = { ...base };
  if (b.cool_down_time !== undefined) {
    if (!isWhole(b.cool_down_time, 0, 86400)) throw asErrors.coolDownInvalid();
    s.cool_down_time = b.cool_down_time;
  }
  if (b.available_zones !== undefined) {
    const zones = zonesOf(p);
    const bad = b.available_zones.find((z) => !zones.includes(z));
    if (bad !== undefined) throw asErrors.zoneInvalid(`available_zones: ${bad.slice(0, 64)}`);
    s.available_zones = b.available_zones.length > 0 ? [...new Set(b.available_zones)] : zones;
  }
  if (b.networks !== undefined) {
    if (b.networks.length === 0) throw asErrors.networksInvalid("networks is empty.");
    if (b.networks.length > MAX_SUBNETS) throw asErrors.tooManySubnets();
    s.networks = b.networks.map((n) => {
      if (n.ipv6_enable === true || n.ipv6_bandwidth !== undefined) throw asErrors.networksInvalid("hwlocal subnets have no IPv6.");
      return { id: n.id, ipv6_enable: false, ipv6_bandwidth: null };
    });
  }
  for (const n of s.networks) {
    const subnet = svc.vpc().subnet(p.projectId, n.id);
    if (!subnet) throw asErrors.networksInvalid(`The subnet ${n.id.slice(0, 64)} does not exist.`);
    if (subnet.vpcId !== s.vpc_id) throw asErrors.subnetNotInVpc(`subnet ${n.id}`);
  }
  if (b.security_groups !== undefined) {
    if (b.security_groups.length > MAX_SECURITY_GROUPS) throw asErrors.tooManySecurityGroups();
    for (const sg of b.security_groups) {
      if (!svc.vpc().securityGroup(p.projectId, sg.id)) throw asErrors.securityGroupNotFound(`security_groups: ${sg.id.slice(0, 64)}`);
    }
    s.security_groups = b.security_groups.map((x) => ({ id: x.id }));
  }
  if (b.lbaas_listeners !== undefined) {
    const had = (base.lbaas_listeners ?? []).length > 0;
    s.lbaas_listeners = b.lbaas_listeners.length > 0 ? checkLbaas(svc, p, b.lbaas_listeners, s.vpc_id) : null;
    // §6: ELB_AUDIT is the default once a load balancer is configured, NOVA_AUDIT without one.
    if (b.health_periodic_audit_method === undefined && !had && s.lbaas_listeners) s.health_periodic_audit_method = "ELB_AUDIT";
    if (b.health_periodic_audit_method === undefined && !s.lbaas_listeners) s.health_periodic_audit_method = "NOVA_AUDIT";
  }
  if (b.health_periodic_audit_method !== undefined) {
    const m = HEALTH_METHODS.find((x) => x === b.health_periodic_audit_method);
    if (!m) throw asErrors.healthMethodInvalid();
    s.health_periodic_audit_method = m;
  }
  if (s.health_periodic_audit_method === "ELB_AUDIT" && !s.lbaas_listeners) throw asErrors.healthMethodInvalid("ELB_AUDIT needs lbaas_listeners.");
  if (b.health_periodic_audit_time !== undefined) {
    const t = HEALTH_PERIODS.find((x) => x === b.health_periodic_audit_time);
    if (t === undefined) throw asErrors.healthPeriodInvalid();
    s.health_periodic_audit_time = t;
  }
  if (b.health_periodic_audit_grace_period !== undefined) {
    if (!isWhole(b.health_periodic_audit_grace_period, 0, 86400)) throw asErrors.gracePeriodInvalid();
    s.health_periodic_audit_grace_period = b.health_periodic_audit_grace_period;
  }
  if (b.instance_terminate_policy !== undefined) {
    const t = TERMINATE_POLICIES.find((x) => x === b.instance_terminate_policy);
    if (!t) throw asErrors.terminatePolicyInvalid();
    s.instance_terminate_policy = t;
  }
  if (b.notifications !== undefined) {
    if (b.notifications.some((x) => x !== "EMAIL")) throw asErrors.notificationInvalid();
    s.notifications = b.notifications;
  }
  if (b.delete_publicip !== undefined) s.delete_publicip = b.delete_publicip;
  if (b.delete_volume !== undefined) s.delete_volume = b.delete_volume;
  if (b.enterprise_project_id !== undefined) {
    // hwlocal has only the default enterprise project.
    if (b.enterprise_project_id !== "0") throw asErrors.enterpriseProjectNotFound();
    s.enterprise_project_id = "0";
  }
  if (b.multi_az_priority_policy !== undefined) {
    const m = MULTI_AZ_POLICIES.find((x) => x === b.multi_az_priority_policy);
    if (!m) throw asErrors.multiAzPolicyInvalid();
    s.multi_az_priority_policy = m;
  }
  if (b.description !== undefined) {
    if ([...b.description].length > 256) throw asErrors.requestBodyError("description: at most 256 characters.");
    s.description = b.description;
  }
  return s;
}

/** What a new group starts with before its body is applied (§1.2's defaults). */
export function defaultSettings(p: ProjectScope, vpcId: string): GroupSettings {
  return {
    cool_down_time: 300,
    available_zones: zonesOf(p),
    networks: [],
    security_groups: [],
    vpc_id: vpcId,
    health_periodic_audit_method: "NOVA_AUDIT",
    health_periodic_audit_time: 5,
    health_periodic_audit_grace_period: 600,
    instance_terminate_policy: "OLD_CONFIG_OLD_INSTANCE",
    notifications: null,
    delete_publicip: false,
    delete_volume: false,
    enterprise_project_id: "0",
    multi_az_priority_policy: "EQUILIBRIUM_DISTRIBUTE",
    description: null,
    lbaas_listeners: null,
  };
}
