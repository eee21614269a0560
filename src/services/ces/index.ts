// Cloud Eye (CES v1 /V1.0/{project_id}, v2 /v2/{project_id}): custom metric data, its roll-ups, alarm rules
// and their evaluation on hwlocal's clock; templates, resource groups, events, v2 rules, notification masks,
// dashboards and one-click alarms as bookkeeping (docs.ts, resources.ts: one ces_docs table).
//
// Emulated: CreateMetricData (POST /metric-data, an array; 201 no body): namespace "service.item" (3-32
//   characters; one starting with SYS, AGT or SRE is 403 ces.0009), metric_name, 1-3 dimensions (distinct
//   names), ttl 1-604800 s, collect_time within [now − 3 days + 20 s, now + 10 min − 20 s] of hwlocal's
//   clock, value a finite number; one row per point, indexed by (project, namespace, metric, dimensions
//   key, time); a ticker drops points whose ttl has ended. ShowMetricData (dim.0-3, filter average | max |
//   min | sum | variance, period 1 | 300 | 1200 | 3600 | 14400 | 86400, from ≤ collect_time < to in epoch
//   ms): one datapoint per period, at the period's start (epoch-aligned), {<filter>, timestamp, unit};
//   period 1 is raw (each point its own datapoint). BatchListMetricData (POST /batch-query-metric-data,
//   1-500 metrics). ListMetrics (namespace, metric_name and dim.0-2 filters, start marker
//   "namespace.metric_name.name:value[,…]", limit 1-1000, order; meta_data {count, marker, total}).
//   Alarm rules: CreateAlarm (201 {"alarm_id":"al"+13-digit ms+9 letters/digits}), ListAlarms (start=alarm id,
//   limit 1-100 default 100, order default desc by id, i.e. by creation), ShowAlarm ({metric_alarms:[one]}),
//   UpdateAlarm, UpdateAlarmAction ({alarm_enabled}), DeleteAlarm (204 each), ListAlarmHistories, ShowQuotas
//   (alarm quota 1000, ces.0018 beyond). Evaluation (evaluator.ts): a ticker, per enabled rule, at each
//   period boundary; states ok / alarm / insufficient_data (new rules start in insufficient_data); a
//   history entry on every transition; rt.api("ces") (api.ts) for Auto Scaling, with an onTransition hook
//   registry called on transitions and while a rule stays in alarm.
//   Built-in metrics (builtin.ts), written by hwlocal at every minute of its clock (aligned): SYS.ECS
//   cpu_util (%) per ACTIVE server (dimension instance_id), SYS.AS instance_num (INSERVICE instances, unit
//   "count") and cpu_util (average of its servers) per INSERVICE group (dimension AutoScalingGroup); SYS.EVS
//   per disk of an ACTIVE server (dimension disk_name "<server id>-<device>", an idle disk's figures). A server's
//   cpu_util is its synthetic load (PUT /_hwlocal/ces/load {"server_id"|"scaling_group_id", "cpu_util"}; a
//   server's own wins over its group's), else 10 (hwlocal's default). Customers still may not write SYS.*.
//   Notifications (notify.ts): with alarm_action_enabled, a rule publishes through SMN to its notification
//   alarm_actions' topics on alarm (and on repeats), to its ok_actions' topics on alarm → ok.
//   Alarm templates (operations/templates.ts), v1 and v2 over one store (a v1 template is a v2 one whose
//   policies share a namespace and dimension): CRUD, batch delete, 100 a project, names unique (ces.0014).
//   Resource groups (operations/resource-groups.ts), v1 and v2 over one store: manual resources
//   (namespace + 1–4 dimensions, duplicates dropped, 1000 a group), per-service listing, batch add/remove,
//   template association; every group and resource is "health". Events (operations/events.ts): CreateEvents
//   (1–100, time within [now − 1 h, now + 10 min], 201 [{event_id "ev"+ms+9, event_name}]), ListEvents
//   (grouped by name: count, latest time and source), ListEventDetail (event_type required), ShowEventData
//   (a resource's events by dim.N). v2 alarm rules (operations/alarm-rules.ts): CreateAlarmRules (policies or
//   alarm_template_id; RESOURCE_GROUP needs the project's group; notification topics must be the
//   project's SMN topics; shares the 1000-rule quota with v1), ListAlarmRules (alarm_id, name, namespace,
//   resource_id…), batch enable/delete, policies, resources and notifications edited apart,
//   ListAlarmTemplateAssociationAlarms, ListCesTargetProjectTags (CES-alarm: the rules' tags).
//   Notification masks (operations/masks.ts): FOREVER_TIME / START_END_TIME / CYCLE_TIME over alarm rules or
//   resources; mask_status derived from the clock in the mask's effective_timezone. Dashboards and widgets
//   (operations/dashboards.ts): 10 dashboards, 50 widgets each; copy by dashboard_id; batch results per id.
//   One-click alarms (operations/one-click.ts) for SYS.ECS, SYS.EVS, SYS.VPC, SYS.ELB, SYS.OBS: one
//   ALL_INSTANCE rule each with recommended policies, rules and policies switched apart.
//   BatchListSpecifiedMetricData (v2): the latest point in [from, to) of each series with exactly the named
//   dimensions. v2 creates answer 200, v1 creates 201, updates and deletes 204. Agent (v3): invocations per
//   server of the project (not ACTIVE or missing: a per-server error), ListAgentInvocations, ListAgentStatus,
//   ListAgentDimensionInfo (v2). ListAlarmHistories (v2): the v1 rules' transitions in v2's shape (record_id
//   "ah" + sequence, ISO times, insufficient_data as "invalid"), newest first; v2 rules have no history.
// Gaps: the other SYS.AS / SYS.ECS metrics (mem_util, network and disk rates…) are written at an idle
//   machine's fixed figures; synthetic load drives cpu_util only. SYS.ECS covers the seeded projects and AS
//   groups' projects only. The built-in ticker's last minute is in memory (a reset clears it): after a
//   restart its first minute may be written twice; after the clock is set back, minutes already written
//   wait until the clock reaches them again. A clock jump backfills at most 60 minutes, with
//   the current values. Load ids are not checked. v2 alarm rules, one-click alarms and masks are
//   kept, not evaluated, and v1's ListAlarms does not show v2 rules; groups have no health and TAG/EPS/COMB
//   groups no dynamic membership; system templates and system events do not exist. The agent
//   (operations/agents.ts) is bookkeeping: an invocation runs 60 s of hwlocal's clock then succeeds, no
//   agent reports anything; its dimensions are the server's disks. insufficientdata_actions is checked (its topics must be the project's) but not kept; a
//   publish SMN refuses is dropped. The 512 KB request limit is the gateway's general one. The rule
//   that alarm_actions and ok_actions carry identical notification lists is not checked. Event alarms
//   (period 0) are refused (ces.0014). Hooks are in memory: a service registers them again at start.
// By design: a raw-data rule (period 1) is evaluated over 60 s windows. A clock jump replays at most 12
//   boundaries per rule. suppress_duration 0 calls the hooks at every boundary a rule stays in alarm;
//   otherwise at most once per suppress_duration. Deleting a rule deletes its history.
// Doubts: the one-click alarm ids (ECSSystemOneClickAlarm…) and their policies are modelled on the console,
//   not documented; v2 ids are prefix + 22 letters and digits (at, rg, nm, db, wg) as the reference says for
//   groups; a missing template, group, rule, mask, dashboard or widget is 404 ces.0016 like a v1 rule; the
//   event time window and the dashboard/widget quotas are from the reference's limits as we read them.
//   The error envelope — Huawei's English pages show {"code":400,"element","message","details":
//   {"details","code":"ces.0014"}}, OTC's {"http_code","message":{"details","code"}}; the kernel's shapes
//   have neither, so we answer the documented "flat" top level {"code":"ces.00xx","message"} plus
//   error_code/error_msg (adding a "ces" ErrorShape to kernel/api-error.ts would render Huawei's exactly).
//   Variance is the population variance (n); the docs do not say. ttl counts from ingestion, not from
//   collect_time. A missing rule is 404 ces.0016. The ListAlarmHistories fields and its `start` (an offset
//   here) are not documented for v1; times there are epoch ms. ListMetrics' and ListAlarms' default order
//   (desc) and the empty marker on the last page are our choice. The notification subject ("[Major Alarm]
//   Cloud Eye alarm <name> triggered|resolved") and text are modelled on Huawei's alarm e-mail, not copied.
//   A path, X-Project-Id or project-scoped token naming another project is the gateway's 403 ces.0017 (CES's
//   table also has 400 ces.0003 "The tenant ID is left blank or incorrect.", not answered).
//   References (references.ts): a notificationList URN that is not an SMN topic of the caller's project (another
//   project's, or none) and a SYS.ECS instance_id / SYS.AS AutoScalingGroup dimension that is not the project's
//   server or scaling group answer 400 ces.0014 "Some content in message body is not correct.": CES's table has
//   no code for a missing topic or resource, and 403 ces.0017 would tell the caller that the id exists
//   elsewhere. Whether the real CES v1 checks dimensions at all is not documented; custom namespaces are not
//   checked.
import { defineService } from "../../kernel/service.ts";
import { cesApi } from "./api.ts";
import { cesDocs } from "./resources.ts";
import { agentOperations } from "./operations/agents.ts";
import { alarmHistoryV2Operations } from "./operations/alarm-histories-v2.ts";
import { alarmRuleOperations } from "./operations/alarm-rules.ts";
import { dashboardOperations } from "./operations/dashboards.ts";
import { eventOperations } from "./operations/events.ts";
import { maskOperations } from "./operations/masks.ts";
import { metricDataV2Operations } from "./operations/metric-data-v2.ts";
import { oneClickOperations } from "./operations/one-click.ts";
import { resourceGroupOperations } from "./operations/resource-groups.ts";
import { templateOperations } from "./operations/templates.ts";
import { LoadTable, writeBuiltins } from "./builtin.ts";
import type { CesContext, TransitionHook } from "./context.ts";
import { cesServiceErrors } from "./errors.ts";
import { evaluateAlarms, prunePoints } from "./evaluator.ts";
import { alarmOperations } from "./operations/alarms.ts";
import { metricDataOperations } from "./operations/metric-data.ts";
import { notificationHook } from "./notify.ts";
import { CES_MIGRATIONS, CesStore } from "./store.ts";

export const ces = defineService<CesContext>({
  name: "ces",
  catalogType: "cloudeye",
  global: false,
  sdkCatalogues: ["ces_v1.ops.tsv", "ces_v2.ops.tsv", "ces_v3.ops.tsv"],
  errors: cesServiceErrors,
  migrations: CES_MIGRATIONS,
  init(rt) {
    const svc: CesContext = {
      store: new CesStore(rt.db),
      docs: cesDocs(rt.db),
      hooks: new Set<TransitionHook>(),
      clock: rt.clock,
      ids: rt.ids,
      running: {
        ecs: () => rt.running("ecs"),
        evs: () => rt.running("evs"),
        as: () => rt.running("as"),
        elb: () => rt.running("elb"),
        smn: () => rt.running("smn"),
      },
      projects: () => rt.settings.seed.regions.map((r) => r.projectId),
      load: new LoadTable(rt.db),
      builtin: { until: 0 },
    };
    svc.hooks.add(notificationHook(svc));
    return svc;
  },
  api: (svc) => cesApi(svc.store, svc.hooks, svc.load),
  // builtin first: a minute's points are in before the rules are evaluated at that boundary.
  tickers: (svc) => ({ builtin: (now) => writeBuiltins(svc, now), alarms: (now) => evaluateAlarms(svc, now), prune: (now) => prunePoints(svc, now) }),
  // A reset clears every point and puts the clock back to real time: the built-in minutes start afresh there
  // (kept, the mark would hold them until the clock caught up with the time before the reset).
  afterReset: (svc) => {
    svc.builtin.until = 0;
  },
  operations: [...metricDataOperations, ...alarmOperations, ...templateOperations, ...resourceGroupOperations, ...eventOperations,
    ...alarmRuleOperations, ...maskOperations, ...dashboardOperations, ...oneClickOperations, ...metricDataV2Operations,
    ...agentOperations, ...alarmHistoryV2Operations,
  ],
});
