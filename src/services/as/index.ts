// Auto Scaling (AS v1, /autoscaling-api/v1/{project_id}): scaling configurations and scaling groups, their
// quotas and group tags — the foundation the scaling engine will run on.
//
// Emulated: CreateScalingConfig (name rules; instance_config with flavorRef — up to 10, each an ECS flavor
//   —, imageRef through IMS (active, its min_ram met by every flavor, its min_disk by the SYS disk), disks
//   with exactly one SYS disk, key_name or metadata.admin_pass (one of them), personality, public_ip eip
//   spec, user_data (base64, ≤32 KB), metadata, security groups through VPC, tenancy, market_type,
//   multi_flavor_priority_policy; quota 100), ListScalingConfigs (name substring, image_id), ShowScalingConfig,
//   DeleteScalingConfig and BatchDeleteScalingConfigs (≤50; a configuration used by a group is AS.1006).
//   CreateScalingGroup (§1.2's fields and defaults; VPC and subnets through VPC, subnets in the group's VPC;
//   zones of the region; new groups PAUSED; quota 25), ListScalingGroups (name substring, configuration,
//   status), ShowScalingGroup, UpdateScalingGroup (configuration, numbers, settings), DeleteScalingGroup
//   (force_delete yes/no), EnableOrDisableScalingGroup (resume → INSERVICE, needs a configuration; pause →
//   PAUSED). ShowResourceQuota, ShowPolicyAndInstanceQuota. Group tags: create/delete action, a group's tags,
//   the project's keys and values. Lists page by start_number/limit (default 0/20, limit ≤ 100), echoed with
//   total_number, newest first.
// Gaps: scaling policies, instances, activity and policy execution logs, lifecycle hooks, notifications,
//   filtering resources by tag, the v2 APIs, and the scaling engine itself: each answers 501 naming its
//   operation (catalogue/as_v1.ops.tsv). So groups never have instances (current_instance_number 0,
//   is_scaling false, detail null) and a desire change starts no activity. Configurations from an existing
//   ECS (instance_id), disks from snapshots, data images or dedicated storage, and IPv6 networks answer 400.
//   key_name and server_group_id are not checked (ECS offers no lookup yet); bandwidth ids of shared EIPs
//   are not checked either. Load balancers: hwlocal has no ELB, so lb_listener_id answers AS.7012,
//   lbaas_listeners AS.2042 and ELB_AUDIT AS.2029.
// By design: quotas are §1.8's example figures for every project: 25 groups (max 50), 100 configurations
//   (max 200), 50 policies and 200 instances a group (max_instance_number ≤ 200, else AS.2045). The only
//   enterprise project is "0" (any other id is AS.7059). Deleting a group removes it at once (no DELETING
//   state, since it has no instances), with its tags. admin_pass is kept for future launches and shown as
//   adminPass "***", never in metadata.
// Client quirks: there is no AS SDK package in hwlocal's set; tests use raw signed requests. Bodies whose
//   JSON types are wrong answer AS.0022; an empty body answers AS.0002; unknown fields are ignored.
// Doubts: the order of lists (newest first) is chosen. ShowScalingConfig's scaling_group_id names the oldest
//   group using it (absent when none). Resuming a group that is not PAUSED/ERROR, or pausing one that is not
//   INSERVICE/ERROR, answers AS.2033 rather than succeeding idempotently. Zones, subnets and security groups
//   are refused (AS.2030) only on an INSERVICE group, as no group has instances or activities. AS.2028 (desire
//   unchanged) is never raised. Security groups of a configuration that do not exist answer AS.2014 (the
//   group's code: §1.10 lists none for configurations). AS.1038's message is the JSON array of per-item
//   failures ({id, errorCode, errorMessage}) as OTC's SDK reads it; the deletable ones are deleted. Paging
//   errors answer AS.1001/AS.1002 for every list. Tag keys are ≤36 and values ≤43 characters (ECS's limits),
//   at most 10 tags a group. available_zones defaults to all zones of the region. bandwidth_scaling_policy's
//   used/quota/max (0/10/10) are assumptions. Catalogue names of operations without an SDK name in the
//   reference (batchPolicies, batchScalingInstances, createOrDeleteScalingTags, showResourceTags,
//   listProjectTags, listResourceInstances, createScalingNotification…) are hwlocal's.
import { defineService } from "../../kernel/service.ts";
import type { AsContext } from "./context.ts";
import { asServiceErrors } from "./errors.ts";
import { configOperations } from "./operations/configs.ts";
import { groupOperations } from "./operations/groups.ts";
import { quotaOperations } from "./operations/quotas.ts";
import { tagOperations } from "./operations/tags.ts";
import { AS_MIGRATIONS, AsStore } from "./store.ts";

export const as = defineService<AsContext>({
  name: "as",
  catalogType: "autoscaling",
  global: false,
  sdkCatalogues: ["as_v1.ops.tsv"],
  errors: asServiceErrors,
  migrations: AS_MIGRATIONS,
  init(rt) {
    return { store: new AsStore(rt.db), vpc: () => rt.api("vpc"), ims: () => rt.api("ims") };
  },
  operations: [...configOperations, ...groupOperations, ...quotaOperations, ...tagOperations],
});
