// Every project's ECS quota: the same seeded figures for all projects (no API changes them). Key pairs
// and server groups are enforced now; servers, cores and RAM by the server operations.
export const ECS_QUOTA = {
  instances: 100,
  cores: 400,
  /** MB */
  ram: 1_638_400,
  keypairs: 100,
  serverGroups: 10,
  serverGroupMembers: 16,
  serverMeta: 128,
  imageMeta: 128,
  personality: 5,
  personalitySize: 10240,
  securityGroups: 10,
  securityGroupRules: 20,
  floatingIps: 10,
  /** Servers one create request may ask for (Ecs.0913 beyond). */
  serversPerRequest: 500,
} as const;
