// The well-known default account (like Azurite's devstoreaccount1): fixed names, ids, password and keys,
// so that docs, scripts and CI can hard-code them. A seed file (--seed) overrides any of it.
import { readFileSync } from "node:fs";
import { z } from "../../kernel/zod.ts";
import { stableHex32 } from "../../kernel/ids.ts";
import type { SeedAccount } from "../../kernel/service.ts";
import { findRegion } from "../../kernel/regions.ts";
import { systemRoleByName } from "./catalog-data.ts";
import { ADMIN_GROUP, type IamStore } from "./store.ts";

const Hex32 = z.string().regex(/^[0-9a-f]{32}$/, "must be 32 lower-case hex characters");

const SeedAccountFile = z.strictObject({
  domain: z.strictObject({ id: Hex32.optional(), name: z.string().min(1).max(64) }).optional(),
  user: z
    .strictObject({ id: Hex32.optional(), name: z.string().min(1).max(32), password: z.string().min(6).max(32) })
    .optional(),
  access_key: z
    .strictObject({ ak: z.string().regex(/^[A-Z0-9]{20}$/, "must be 20 upper-case letters or digits"), sk: z.string().min(20).max(64) })
    .optional(),
  regions: z
    .array(
      z.strictObject({
        id: z.string().refine((r) => findRegion(r) !== undefined, "unknown region"),
        project_id: Hex32.optional(),
      }),
    )
    .min(1)
    .optional(),
});
type SeedAccountInput = z.infer<typeof SeedAccountFile>;

export const SeedFile = SeedAccountFile.extend({
  tenants: z.array(SeedAccountFile.required({ domain: true, access_key: true })).optional(),
});
export type SeedFileInput = z.infer<typeof SeedFile>;

export type Seed = SeedAccount;

export const DEFAULT_REGIONS = ["cn-north-4", "cn-east-3", "cn-south-1", "ap-southeast-1", "ap-southeast-3", "eu-west-101"];

export function buildSeed(input: SeedFileInput = {}): Seed {
  const seed = buildAccount(input);
  if (input.tenants?.length) seed.tenants = input.tenants.map(buildAccount);
  return seed;
}

function buildAccount(input: SeedAccountInput): Seed {
  const domainName = input.domain?.name ?? "hwlocal";
  return {
    domain: { id: input.domain?.id ?? stableHex32(`domain:${domainName}`), name: domainName },
    user: {
      id: input.user?.id ?? stableHex32(`user:${domainName}:${input.user?.name ?? "admin"}`),
      name: input.user?.name ?? "admin",
      password: input.user?.password ?? "Hwlocal@2026",
    },
    accessKey: {
      ak: input.access_key?.ak ?? "HWLOCALDEFAULTAK0001",
      sk: input.access_key?.sk ?? "hwlocalDefaultSecretKeyDoNotUseInCloud01",
    },
    regions: (input.regions ?? DEFAULT_REGIONS.map((id) => ({ id, project_id: undefined }))).map((r) => ({
      id: r.id,
      projectId: r.project_id ?? stableHex32(`project:${domainName}:${r.id}`),
    })),
  };
}

/** Reads and checks a seed file; throws an Error naming the bad field. */
export function readSeedFile(path: string): Seed {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`cannot read seed file ${path}: ${(e as Error).message}`);
  }
  const r = SeedFile.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`seed file ${path}: ${i ? `${i.path.join(".")}: ${i.message}` : "invalid"}`);
  }
  return buildSeed(r.data);
}

/** Writes the seed accounts into empty IAM tables. */
export function applySeed(store: IamStore, seed: Seed, now: number): void {
  store.tx(() => {
    for (const account of [seed, ...(seed.tenants ?? [])]) applyAccount(store, account, now);
  });
}

function applyAccount(store: IamStore, seed: Seed, now: number): void {
  // Tables are empty on first start and after a reset; a domain that exists is left as it is.
  if (store.domain(seed.domain.id)) return;
  store.insertDomain(seed.domain.id, seed.domain.name, now);
  store.insertUser({
    id: seed.user.id,
    domainId: seed.domain.id,
    name: seed.user.name,
    password: seed.user.password,
    salt: stableHex32(`salt:${seed.user.id}`),
    enabled: true,
    description: "hwlocal's default administrator",
    accessMode: "default",
    pwdStatus: false,
    now,
  });
  const adminGroup = stableHex32(`group:${seed.domain.id}:${ADMIN_GROUP}`);
  store.insertGroup({
    id: adminGroup,
    domain_id: seed.domain.id,
    name: ADMIN_GROUP,
    description: "Administrators: full permissions for all services, IAM included.",
    created_at: now,
  });
  store.addMember(adminGroup, seed.user.id);
  const teAdmin = systemRoleByName("te_admin");
  const secuAdmin = systemRoleByName("secu_admin");
  for (const roleId of [teAdmin.id, secuAdmin.id]) {
    store.grant({ group_id: adminGroup, role_id: roleId, scope_type: "domain", scope_id: seed.domain.id });
  }
  for (const r of seed.regions) {
    store.insertProject({
      id: r.projectId,
      domain_id: seed.domain.id,
      name: r.id,
      parent_id: seed.domain.id,
      description: "",
      enabled: true,
      region: r.id,
      created_at: now,
    });
    store.grant({ group_id: adminGroup, role_id: teAdmin.id, scope_type: "project", scope_id: r.projectId });
  }
  store.insertCredential({
    access: seed.accessKey.ak,
    secret: seed.accessKey.sk,
    userId: seed.user.id,
    description: "hwlocal's default access key",
    now,
  });
}
