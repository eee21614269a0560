// One schema for hwlocal's settings, whichever way they arrive: CLI flags win over environment variables
// (HWLOCAL_*), which win over a JSON config file (--config), which wins over the defaults.
import { readFileSync } from "node:fs";
import { z } from "./kernel/zod.ts";

export const ConfigSchema = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(4577),
  host: z.string().min(1).default("127.0.0.1"),
  dataDir: z.string().min(1).default(".hwlocal"),
  inMemory: z.boolean().default(false),
  auth: z.enum(["strict", "off"]).default("strict"),
  /** Fine-grained IAM policies on every request of a caller outside the admin group. */
  iamPolicies: z.enum(["enforce", "log", "off"]).default("enforce"),
  seedFile: z.string().min(1).optional(),
  /** An exported state (GET /_hwlocal/state/export) to start from. */
  stateFile: z.string().min(1).optional(),
  /** A folder of API-call files and scripts run once on a fresh state (control/init.ts). */
  initDir: z.string().min(1).optional(),
  tokenTtlSeconds: z.coerce.number().int().min(60).max(7 * 86400).default(86400),
  /** Seconds of hwlocal's clock that a server takes to boot, stop, start or reboot. */
  bootDelaySeconds: z.coerce.number().min(0).max(3600).default(0),
  /** ECS servers per project (Huawei's default quota is 100). */
  ecsMaxServers: z.coerce.number().int().min(1).max(1_000_000).default(100),
  maxBodyBytes: z.coerce.number().int().min(1024).default(12 * 1024 * 1024),
  /** Seconds between the engine's background ticks (real time). */
  tickSeconds: z.coerce.number().min(0.05).max(60).default(1),
  logRequests: z.boolean().default(false),
  /** Start every service with hwlocal instead of on first use (engine/service-host.ts). */
  eagerServices: z.boolean().default(false),
  /** Requests the journal keeps (GET /_hwlocal/journal); 0 turns it off. */
  journalSize: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** OBS: refuse the AWS SDKs' aws-chunked uploads as real OBS does, or decode them. */
  obsAwsChunked: z.enum(["refuse", "accept"]).default("refuse"),
});
export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

const ENV: Record<string, keyof ConfigInput> = {
  HWLOCAL_PORT: "port",
  HWLOCAL_HOST: "host",
  HWLOCAL_DATA_DIR: "dataDir",
  HWLOCAL_IN_MEMORY: "inMemory",
  HWLOCAL_AUTH: "auth",
  HWLOCAL_IAM_POLICIES: "iamPolicies",
  HWLOCAL_SEED: "seedFile",
  HWLOCAL_STATE: "stateFile",
  HWLOCAL_INIT: "initDir",
  HWLOCAL_TOKEN_TTL: "tokenTtlSeconds",
  HWLOCAL_LOG_REQUESTS: "logRequests",
  HWLOCAL_EAGER_SERVICES: "eagerServices",
  HWLOCAL_JOURNAL_SIZE: "journalSize",
  HWLOCAL_BOOT_DELAY: "bootDelaySeconds",
  HWLOCAL_ECS_MAX_SERVERS: "ecsMaxServers",
  HWLOCAL_OBS_AWS_CHUNKED: "obsAwsChunked",
};

export function configFromEnv(env: NodeJS.ProcessEnv): Partial<Record<keyof ConfigInput, string | boolean>> {
  const out: Partial<Record<keyof ConfigInput, string | boolean>> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v === undefined || v === "") continue;
    out[key] = key === "inMemory" || key === "logRequests" || key === "eagerServices" ? v === "1" || v.toLowerCase() === "true" : v;
  }
  return out;
}

export function configFromFile(path: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: not a JSON object`);
  return parsed as Record<string, unknown>;
}

/** Merges the layers and validates; throws an Error naming the first bad setting. */
export function resolveConfig(...layers: Record<string, unknown>[]): Config {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) merged[k] = v;
  }
  const r = ConfigSchema.safeParse(merged);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`invalid setting ${i?.path.join(".") ?? ""}: ${i?.message ?? "invalid"}`);
  }
  return r.data;
}
