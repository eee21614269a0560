// Auto Scaling (AS v1, /autoscaling-api/v1/{project_id}): scaling configurations and groups, their quotas
// and tags, the groups' instances and activity logs, and the scaling engine that keeps each group at its
// desired number of ECS servers (scaling.ts, a ticker on hwlocal's clock whose state is AS's tables).
//
// Emulated: CreateScalingConfig (name rules; instance_config with flavorRef — up to 10, each an ECS flavor
//   —, imageRef through IMS (active, its min_ram met by every flavor, its min_disk by the SYS disk), disks
//   with exactly one SYS disk, key_name or metadata.admin_pass (one of them), personality, public_ip eip
//   spec, user_data (base64, ≤32 KB), metadata, security groups through VPC, key_name through ECS (the
//   caller's key pair in the project, else AS.7022), tenancy, market_type,
//   multi_flavor_priority_policy; quota 100), ListScalingConfigs (name substring, image_id), ShowScalingConfig,
//   DeleteScalingConfig and BatchDeleteScalingConfigs (≤50; a configuration used by a group is AS.1006).
//   CreateScalingGroup (§1.2's fields and defaults; VPC and subnets through VPC, subnets in the group's VPC;
//   zones of the region; new groups PAUSED; quota 25), ListScalingGroups (name substring, configuration,
//   status), ShowScalingGroup (current_instance_number, is_scaling), UpdateScalingGroup (configuration,
//   numbers, settings; desire below the protected instances AS.2010; zones/subnets/security groups AS.2030
//   while INSERVICE, with instances or an activity), DeleteScalingGroup (force_delete=no with instances or an
//   activity AS.2021; yes → DELETING, the engine removes the instances — deleting the servers AS created,
//   only removing manual ones — then the group), EnableOrDisableScalingGroup (resume → INSERVICE, needs a
//   configuration; pause → PAUSED). ShowResourceQuota, ShowPolicyAndInstanceQuota (instances counted).
//   Group tags: create/delete action, a group's tags, the project's keys and values. Lists page by
//   start_number/limit (default 0/20, limit ≤ 100), echoed with total_number, newest first.
//   The engine: an INSERVICE group whose desire differs from its instance count and that runs no activity
//   starts one (DOING → SUCCESS/FAIL, description {"reason":[{change_reason, old_value, new_value,
//   change_time}]}, added/removed/deleted lists of server names, desire_value, instance_value). Scale out
//   launches one server per instance through ECS's own create path (rt.api("ecs").launchServers: same checks
//   and jobs as CreatePostPaidServers) with the configuration's flavor (the first), image, disks, key or
//   password, user data, metadata, security groups (else the group's), EIP, on every network of the group,
//   in the group's zone with the fewest instances among those selling the flavor (PICK_FIRST: the first);
//   instances PENDING/INITIALIZING → INSERVICE/NORMAL when their server is ACTIVE. A launch ECS refuses, or
//   a server in ERROR, fails the activity (its description gains error_message with ECS's code and message);
//   the instances already launched stay. Scale in takes INSERVICE, unprotected instances — manual ones last
//   (oldest first), the others from zones the group no longer lists first, then by instance_terminate_policy
//   (OLD_CONFIG_* prefer another configuration's; OLD_* oldest, NEW_* newest) — REMOVING until their server
//   is deleted (delete_publicip/delete_volume as the group says). ListScalingInstances (life_cycle_state,
//   health_status, protect_from_scaling_down; AS.4000/4001/4003/4004), DeleteScalingInstance (instance_delete
//   yes/no, AS.4006/4007/4015, desire − 1, never below min AS.2036), BatchScalingInstances (≤10, AS.4043;
//   ADD of ACTIVE servers of the group's VPC and zones as manual instances, INSERVICE at once, desire raised
//   to fit, ≤ max AS.2035, AS.4020/4021/4023/4024/4027; REMOVE as DeleteScalingInstance; PROTECT/UNPROTECT;
//   ENTER_STANDBY (instance_append=yes raises desire, AS.4039) / EXIT_STANDBY (AS.4038)).
//   ListScalingActivityLogs (start_time/end_time on the start, AS.9001–9004).
//   Scaling policies (operations/policies.ts, policy-spec.ts, policy-engine.ts): CreateScalingPolicy
//   (SCHEDULED launch_time YYYY-MM-DDThh:mmZ in the future; RECURRENCE Daily/Weekly (1 = Sunday)/Monthly with
//   launch_time hh:mm, start_time (default now) … end_time, a run within that period (AS.3033); action
//   ADD/REMOVE (REDUCE read as REMOVE)/SET by instance_number or instance_percentage, default ADD 1;
//   cool_down_time 0–86400 default 300; §1.10's AS.3002–3036; 50 a group, AS.3032), ListScalingPolicies (name
//   substring, type, id, paging echo), ShowScalingPolicy, UpdateScalingPolicy (fields merged, the trigger
//   re-checked when it or the type changes), DeleteScalingPolicy (with its logs), ExecuteScalingPolicy
//   (execute needs policy and group INSERVICE, AS.3027, and no running activity, AS.0034; resume/pause),
//   BatchPolicies (delete/resume/pause, ≤20; unknown ids AS.3045/3046/3047 with per-item failures as AS.1038,
//   the others done), ListScalingPolicyExecuteLogs (log_id, scaling_resource_type/id, execute_type,
//   start_time/end_time yyyy-MM-ddThh:mm:ssZ AS.9007, paging AS.9008/9009). A run sets the group's desire
//   (§1.9: ADD/REMOVE from desire, SET; a percentage of the current instances, floored, (0,1) → 1; clamped to
//   [min, max]) and logs old/desire/limit values (limit: max going up, min going down); the engine scales.
//   A policy ticker on hwlocal's clock fires SCHEDULED/RECURRENCE policies from their stored next fire time
//   (UTC), logging SCHEDULED or RECURRENCE; a triggered run the group cannot take logs FAIL with the reason.
//   Deleting a group deletes its policies and their logs; ShowPolicyAndInstanceQuota counts policies.
//   ALARM policies (alarm-link.ts, §4.1): alarm_id must name a Cloud Eye rule of the project (AS.3030), used
//   by no other group's policy (AS.3034); the rule gets {"type":"autoscaling","notificationList":[]} in its
//   alarm_actions, removed when its last policy is deleted or rebound. When a rule with actions enabled
//   enters or stays in alarm (Cloud Eye's repeat), its INSERVICE policies of INSERVICE groups run (execute_type
//   ALARM); within the policy's cool_down_time since the group's last activity ended, FAIL with AS.0026.
//   SMN (notify.ts): an ended activity publishes to the group's topics with the matching scene (SCALING_UP,
//   SCALING_DOWN, _FAIL), an instance that starts waiting on a hook to the hook's topic.
//   Lifecycle hooks (operations/hooks.ts, lifecycle.ts, §1.6): CreateLifecycleHook (200 with the hook,
//   unwrapped; name 1–32 [A-Za-z0-9_-], INSTANCE_LAUNCHING/INSTANCE_TERMINATING, default_result ABANDON
//   (default)/CONTINUE, default_timeout 300–86400 (default 3600), notification_topic_urn, metadata ≤256
//   without <>&'(); AS.7025–7055, 5 a group AS.7038), ListLifecycleHooks, ShowLifecycleHook/Update/Delete (a
//   hook missing by name is 404 AS.0007). The engine holds an instance whose server is ACTIVE in PENDING_WAIT
//   on each launching hook in turn (oldest first), a removed one in REMOVING_WAIT on each terminating hook
//   before its server is deleted; the activity stays DOING meanwhile. CompleteLifecycleAction (key, else
//   instance_id + hook name; CONTINUE/ABANDON/EXTEND, AS.7034/7039/7040/7042) is applied at once; at its
//   timeout on hwlocal's clock the hook's default_result decides. Launching: CONTINUE → INSERVICE, ABANDON →
//   the instance goes, its server deleted, the activity FAILs (the engine launches again after cool-down).
//   Terminating: either result removes it; ABANDON skips the remaining hooks. ListHookInstances (instance_id)
//   shows every hang of the group's instances with lifecycle_hook_status. Notifications (operations/
//   notifications.ts): set (a topic's scenes, created or replaced; AS.7025–7028, 5 a group), list, delete.
//   ListScalingActivityV2Logs (/autoscaling-api/v2): the same activity rows, also by log_id, type and status
//   (comma-separated), the instance lists as {instance_id (while still in the group), instance_name, …}.
// Gaps: The v2 bandwidth policy APIs are
//   not in catalogue/as_v1.ops.tsv and answer 404. ListResourceInstances filters groups only (the one
//   resource type) and answers resource_detail null. A single DeleteScalingPolicy only removes the autoscaling
//   action from its rule (BatchPolicies' delete_alarm=yes and a group's deletion delete it). Cool-down refuses only
//   ALARM runs; SCHEDULED/RECURRENCE/manual runs do not restart it beyond the activity they cause.
//   A publish SMN refuses is dropped. No SCALING_GROUP_ABNORMAL notifications. Policy runs do not appear as their own change_reason in activity
//   descriptions (the engine's activity says DIFF), and execute logs have empty job_records. No health check (an
//   instance whose server is stopped or deleted behind AS's back stays INSERVICE), no rebalancing of zones
//   beyond the choice of where to launch or which to remove, no ENTERING_STANDBY state, no
//   cool-down for manual changes. Configurations from an existing ECS
//   (instance_id), disks from snapshots, data images or dedicated storage, and IPv6 networks answer 400.
//   server_group_id is checked only when the engine launches (ECS's code fails the activity), and so is a
//   key pair deleted after the configuration was made (Ecs.0314); bandwidth ids of shared EIPs are not checked. Load balancers (elb-link.ts): lbaas_listeners
//   (≤6 {pool_id, protocol_port, weight}, each an ELB pool of the project in the group's VPC, else AS.2042)
//   are kept and shown; configuring them makes ELB_AUDIT the default (ELB_AUDIT without them is AS.2029). An
//   instance entering service becomes a member of each pool (primary NIC address, its IPv4 subnet id, port and
//   weight), one being removed (REMOVING) is taken out first. With ELB_AUDIT, an INSERVICE instance past the
//   grace period with an OFFLINE member is marked ERROR and removed under an ELB_CHECK_DELETE activity (its
//   server deleted when AS created it); desire is kept, so the engine replaces it. The audit runs on every
//   engine step (health_periodic_audit_time is not honoured). Manual ADDs and EXIT_STANDBY join the pools,
//   ENTER_STANDBY leaves them. Changing lbaas_listeners does not move existing instances (no MODIFY_ELB);
//   a pool ELB refuses a member for is skipped. The classic lb_listener_id answers AS.7012 (no shared load
//   balancers).
// By design: quotas are §1.8's example figures for every project: 25 groups (max 50), 100 configurations
//   (max 200), 50 policies and 200 instances a group (max_instance_number ≤ 200, else AS.2045). The only
//   enterprise project is "0" (any other id is AS.7059). A group without instances or activity is deleted
//   at once, with its tags and activities. admin_pass is kept for launches and shown as adminPass "***",
//   never in metadata. Servers are launched as the user who created the group. After a FAIL activity the
//   engine waits the group's cool_down_time before trying again (else a refused launch would loop).
//   Instances are named "<configuration name>-<6 hex>". Batch actions are all-or-nothing: the first item
//   that fails answers its own code (not AS.4029/4030/4033/4036/4037 with per-item details).
// Client quirks: there is no AS SDK package in hwlocal's set; tests use raw signed requests. Bodies whose
//   JSON types are wrong answer AS.0022; an empty body answers AS.0002; unknown fields are ignored.
// Doubts: a path, X-Project-Id or project-scoped token naming another project is the gateway's 403 AS.0011;
//   §1.10 also has 400 AS.0008 "Incorrect ProjectID." (URL project ≠ token project), not answered. The order
//   of lists (newest first; instances oldest first) is chosen. ShowScalingConfig's
//   scaling_group_id names the oldest group using it (absent when none). Resuming a group that is not
//   PAUSED/ERROR, or pausing one that is not INSERVICE/ERROR, answers AS.2033 rather than succeeding
//   idempotently. A manual add or removal on a group that is not INSERVICE, or that runs an activity, answers
//   AS.2033 (with [SCALING] for the latter): §1.10 has no code for "activity in progress". AS.2028 (desire
//   unchanged) is never raised. Security groups of a configuration that do not exist answer AS.2014 (the
//   group's code: §1.10 lists none for configurations). AS.1038's message is the JSON array of per-item
//   failures ({id, errorCode, errorMessage}) as OTC's SDK reads it; the deletable ones are deleted. Paging
//   errors answer AS.1001/AS.1002 for groups and configurations. Tag keys are ≤36 and values ≤43 characters
//   (ECS's limits), at most 10 tags a group. available_zones defaults to all zones of the region.
//   bandwidth_scaling_policy's used/quota/max (0/10/10) are assumptions. A manual instance's
//   scaling_configuration_id/name are "" and an activity's failure is told in its description's
//   error_message: both are hwlocal's spellings. Catalogue names of operations without an SDK name in the
//   reference (batchPolicies, batchScalingInstances, createOrDeleteScalingTags, showResourceTags,
//   listProjectTags, listResourceInstances, createScalingNotification…) are hwlocal's.
//   Policies: a SCHEDULED policy that has fired stays INSERVICE (never fires again; can still be executed
//   by hand) — neither §1.4 nor §1.9 says what Huawei does with it. EXECUTING is never shown (a run is
//   instant). A clock jump over several run times runs a trigger once (missed runs are not made up), and
//   execute_time is when the ticker ran, not the minute due; resuming a paused policy counts its next run
//   from then. Executing a paused policy answers AS.3027 like a paused group (its message names the
//   policy). resume/pause are idempotent. A triggered run during an activity fails (AS.0034's message) rather
//   than waiting. Execute-log values are strings, execute_type SCHEDULED (not SCHEDULE). Paging errors of
//   ListScalingPolicies answer AS.1001/1002; more than 20 ids in a batch AS.0022 (no code in §1.10).
//   Hooks: default_timeout's floor is §1.6's 300 s. EXTEND restarts the timeout from now by default_timeout
//   (§1.6 says it adds an hour). A topic URN must name the caller's region and project (else AS.7025) and
//   one of its SMN topics (notifications AS.7025, hooks AS.7043 "topic urn does not exist"; §1.10 gives
//   notifications no "does not exist" code). Every id a body names (key pair, image, VPC, subnet, security
//   group, configuration, server, topic) is looked up in the caller's project only, so another project's is
//   answered as missing with the field's own code, never 403. key_name is checked for the configuration's
//   creator (ECS keeps key pairs per project and user) while servers launch as the group's creator. default_result
//   invalid answers AS.0022 (no code in §1.10); AS.7041 (duplicate name) keeps §1.10's copied message. A
//   deleted hook's hangs still wait for their callback or timeout. A force-deleted group skips terminating
//   hooks, but waits for instances held by launching hooks. Deleting a topic the group lacks answers AS.7025.
//   v2 log types are the change reasons (DIFF, MANUAL_ADD/REMOVE/DELETE; a forced delete NORMAL), spelled
//   MANUAL_* as in §1.7 (MANNUAL_* in Huawei's Chinese page, accepted as a filter); unknown type/status
//   values answer AS.0022.
//   Alarms/SMN: cool-down for alarm runs counts from the group's last activity end with the policy's
//   cool_down_time (§1.9 says the policy's; not the group's). Notification subjects ("[Auto Scaling] <scene>:
//   scaling group <name>") and messages (JSON of the activity / the hang) are hwlocal's, not Huawei's
//   unpublished format; scale out = an activity that removes nothing. A FAIL run in cool-down has
//   desire_value = old_value. The hook ignores rules whose alarm_action_enabled is false.
import { defineService } from "../../kernel/service.ts";
import { asApi } from "./api.ts";
import type { AsContext } from "./context.ts";
import { asServiceErrors } from "./errors.ts";
import { configOperations } from "./operations/configs.ts";
import { groupOperations } from "./operations/groups.ts";
import { quotaOperations } from "./operations/quotas.ts";
import { tagOperations } from "./operations/tags.ts";
import { activityOperations } from "./operations/activities.ts";
import { instanceOperations } from "./operations/instances.ts";
import { policyOperations } from "./operations/policies.ts";
import { hookOperations } from "./operations/hooks.ts";
import { notificationOperations } from "./operations/notifications.ts";
import { ensureAlarmHook } from "./alarm-link.ts";
import { firePolicies } from "./policy-engine.ts";
import { reconcile } from "./scaling.ts";
import { AS_MIGRATIONS, AsStore } from "./store.ts";

/** Another service's API, or undefined when hwlocal runs without it. */
function optional<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

export const as = defineService<AsContext>({
  name: "as",
  catalogType: "autoscaling",
  global: false,
  sdkCatalogues: ["as_v1.ops.tsv"],
  errors: asServiceErrors,
  migrations: AS_MIGRATIONS,
  init(rt) {
    return {
      store: new AsStore(rt.db),
      vpc: () => rt.api("vpc"),
      ims: () => rt.api("ims"),
      ecs: () => rt.api("ecs"),
      ces: () => optional(() => rt.api("ces")),
      smn: () => optional(() => rt.api("smn")),
      elb: () => optional(() => rt.api("elb")),
      alarmHook: { registered: false },
      env: { clock: rt.clock, ids: rt.ids },
      faults: (target) => rt.jobs.injectedFailure(target),
    };
  },
  api: (svc) => asApi(svc),
  tickers: (svc) => ({
    policies: (now) => {
      ensureAlarmHook(svc);
      return firePolicies(svc, now);
    },
    reconcile: (now) => reconcile(svc, now),
  }),
  operations: [...configOperations, ...groupOperations, ...quotaOperations, ...tagOperations, ...instanceOperations, ...activityOperations, ...policyOperations, ...hookOperations, ...notificationOperations],
});
