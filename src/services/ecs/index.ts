// ECS: the flavor catalogue, availability zones, quotas, nova key pairs, server groups and job status.
//
// Emulated: ListFlavors (availability_zone, flavor_id, marker/limit) over a static catalogue of s6, t6,
//   c7, m7 and kc1 flavors, each sold in the region's zones its family lists; nova flavor extra specs;
//   zones in the v1 and nova spellings (kernel/regions.ts); ShowServerLimits with the seeded quota and
//   what the project uses; nova key pairs, generated (RSA 2048, private key returned once, never stored)
//   or imported (OpenSSH ssh-rsa, ssh-ed25519, ecdsa, ssh-dss), with nova's MD5 fingerprints; anti-affinity
//   server groups; ShowJob over the engine's jobs that ECS submitted in the caller's project.
// Gaps: servers (the table exists in store-servers.ts; the operations do not yet), server group
//   membership actions, ListFlavorSellPolicies, ShowFlavorCapacity, ListResizeFlavors, x509 key pairs,
//   creating a key pair for another user, launch templates, scheduled events, recycle bin. Each answers
//   501 naming its operation, or 400 naming the unsupported value.
// By design: one quota for every project (quota.ts): 100 instances, 400 cores, 1,638,400 MB of RAM, 100 key
//   pairs, 10 server groups of at most 16 members; key pairs and server groups are enforced here.
//   totalSecurityGroupsUsed and totalFloatingIpsUsed stay 0 (they belong to VPC). Key pairs belong to
//   the user who made them, within one project (nova keeps them per user). Flavor network figures
//   (quota:max_rate, …) are illustrative. Lists answer in one page unless limit is given.
// Client quirks: the nova operations send OpenStack-API-Version; it is accepted and ignored (answers are
//   those of microversion 2.1 plus the key pair `type`). The SDK returns wire JSON, so callers read
//   snake_case names (res.os_extra_specs, res.keypair.private_key).
// Doubts: ECS documents no code for a missing server group or job: both answer 404 with Ecs.0005. A
//   duplicate key pair answers 409 with Ecs.0005 (nova: 409 conflictingRequest); a missing one 404 with
//   Ecs.0314 (documented as 400, which server creation keeps). Key pair and server group quotas answer
//   400 Ecs.0001 (nova: 403 "Quota exceeded"). Success statuses are chosen, not read in the reference:
//   NovaCreateKeypair and CreateServerGroup 200, NovaDeleteKeypair and DeleteServerGroup 204.
//   Key pair names follow Huawei's console rule (1-64 letters, digits, "_", "-"), stricter than nova's.
//   ListServerAzInfo's type "core", mode "single", public_border_group "center", alias "AZ<n>" and
//   category 0 are assumptions; the default quota figures are a plausible account's, not a documented default.
//   A zone the region lacks gives an empty flavor list rather than an error.
import { defineService } from "../../kernel/service.ts";
import { ecsApi } from "./api.ts";
import type { EcsContext } from "./context.ts";
import { ecsServiceErrors } from "./errors.ts";
import { flavorOperations } from "./operations/flavors.ts";
import { jobOperations } from "./operations/jobs.ts";
import { keypairOperations } from "./operations/keypairs.ts";
import { limitOperations } from "./operations/limits.ts";
import { serverGroupOperations } from "./operations/server-groups.ts";
import { zoneOperations } from "./operations/zones.ts";
import { serverOperations } from "./operations/servers.ts";
import { serverCreateOperations } from "./operations/servers-create.ts";
import { registerServerJobs } from "./server-jobs.ts";
import { ECS_MIGRATIONS, EcsStore } from "./store.ts";

export const ecs = defineService<EcsContext>({
  name: "ecs",
  catalogType: "compute",
  global: false,
  sdkCatalogues: ["ecs_v2.ops.tsv"],
  errors: ecsServiceErrors,
  migrations: ECS_MIGRATIONS,
  init(rt) {
    const ctx: EcsContext = {
      store: new EcsStore(rt.db),
      jobs: rt.jobs,
      vpc: () => rt.api("vpc"),
      evs: () => rt.api("evs"),
      ims: () => rt.api("ims"),
      bootMs: rt.settings.serverBootSeconds * 1000,
    };
    registerServerJobs(ctx, rt.ids);
    return ctx;
  },
  api: (svc) => ecsApi(svc.store),
  operations: [
    ...flavorOperations,
    ...zoneOperations,
    ...limitOperations,
    ...keypairOperations,
    ...serverGroupOperations,
    ...jobOperations,
    ...serverCreateOperations,
    ...serverOperations,
  ],
});
