// What AS keeps of a configuration's instance_config and of a group's settings: validated input, stored as
// JSON and parsed again with these schemas when read back (ARCHITECTURE.md rule 11).
import { z } from "../../kernel/zod.ts";

export const DiskSchema = z.object({
  size: z.number(),
  volume_type: z.string(),
  disk_type: z.enum(["SYS", "DATA"]),
  dedicated_storage_id: z.string().optional(),
  data_disk_image_id: z.string().optional(),
  snapshot_id: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type Disk = z.infer<typeof DiskSchema>;

export const EipSchema = z.object({
  ip_type: z.string(),
  bandwidth: z.object({
    size: z.number().optional(),
    share_type: z.enum(["PER", "WHOLE"]),
    charging_mode: z.enum(["bandwidth", "traffic"]).optional(),
    id: z.string().optional(),
  }),
});

export const InstanceConfigSchema = z.object({
  flavorRef: z.string(),
  imageRef: z.string(),
  disk: z.array(DiskSchema),
  key_name: z.string().optional(),
  /** metadata.admin_pass, kept for the launches to come; never shown. */
  admin_pass: z.string().optional(),
  personality: z.array(z.object({ path: z.string(), content: z.string() })).optional(),
  public_ip: z.object({ eip: EipSchema }).optional(),
  user_data: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  security_groups: z.array(z.object({ id: z.string() })),
  server_group_id: z.string().optional(),
  tenancy: z.string().optional(),
  dedicated_host_id: z.string().optional(),
  market_type: z.string().optional(),
  multi_flavor_priority_policy: z.enum(["PICK_FIRST", "COST_FIRST"]),
});
export type InstanceConfig = z.infer<typeof InstanceConfigSchema>;

export const GROUP_STATUSES = ["INSERVICE", "PAUSED", "ERROR", "DELETING", "FREEZED"] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

export const TERMINATE_POLICIES = ["OLD_CONFIG_OLD_INSTANCE", "OLD_CONFIG_NEW_INSTANCE", "OLD_INSTANCE", "NEW_INSTANCE"] as const;
export const MULTI_AZ_POLICIES = ["EQUILIBRIUM_DISTRIBUTE", "PICK_FIRST"] as const;
export const HEALTH_METHODS = ["ELB_AUDIT", "NOVA_AUDIT"] as const;
export const HEALTH_PERIODS = [0, 1, 5, 15, 60, 180] as const;

export const GroupSettingsSchema = z.object({
  cool_down_time: z.number().int(),
  available_zones: z.array(z.string()),
  networks: z.array(z.object({ id: z.string(), ipv6_enable: z.boolean(), ipv6_bandwidth: z.object({ id: z.string() }).nullable() })),
  security_groups: z.array(z.object({ id: z.string() })),
  vpc_id: z.string(),
  health_periodic_audit_method: z.enum(HEALTH_METHODS),
  health_periodic_audit_time: z.number().int(),
  health_periodic_audit_grace_period: z.number().int(),
  instance_terminate_policy: z.enum(TERMINATE_POLICIES),
  notifications: z.array(z.string()).nullable(),
  delete_publicip: z.boolean(),
  delete_volume: z.boolean(),
  enterprise_project_id: z.string(),
  multi_az_priority_policy: z.enum(MULTI_AZ_POLICIES),
  description: z.string().nullable(),
  lbaas_listeners: z.array(z.object({ pool_id: z.string(), protocol_port: z.number().int(), weight: z.number().int() })).nullable().optional(),
});
export type GroupSettings = z.infer<typeof GroupSettingsSchema>;

/** The figures hwlocal gives every project (§1.8's example quotas). */
export const AS_QUOTA = {
  groups: { quota: 25, max: 50 },
  configs: { quota: 100, max: 200 },
  policiesPerGroup: { quota: 50, max: 50 },
  instancesPerGroup: { quota: 200, max: 1000 },
  bandwidthPolicies: { quota: 10, max: 10 },
  tagsPerGroup: 10,
} as const;
