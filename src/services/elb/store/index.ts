// ELB's store: one DocTable per resource kind, and the transaction wrapper handlers use for writes that
// touch several rows (and VPC's state, whose calls nest as savepoints).
import type { Database } from "better-sqlite3";
import type { ProjectSettingsDoc } from "../operations/cert-echo.ts";
import type { LbSettingsDoc } from "../operations/domains.ts";
import type { SecurityPolicyDoc } from "../operations/security-policies.ts";
import type { CertificateDoc, IpGroupDoc, L7PolicyDoc, L7RuleDoc, LoadBalancerDoc, ListenerDoc, MemberDoc, MonitorDoc, PoolDoc } from "../model.ts";
import type { JobDoc, MemberCheckDoc } from "../operations/jobs.ts";
import type { LogtankDoc } from "../operations/logtanks.ts";
import type { MasterSlavePoolDoc } from "../operations/master-slave-pools.ts";
import type { RecycleBinDoc, RecycledLbDoc } from "../operations/recycle-bin.ts";
import { DocTable } from "./docs.ts";

export class ElbStore {
  readonly loadbalancers: DocTable<LoadBalancerDoc>;
  readonly listeners: DocTable<ListenerDoc>;
  readonly pools: DocTable<PoolDoc>;
  readonly members: DocTable<MemberDoc>;
  readonly monitors: DocTable<MonitorDoc>;
  readonly l7policies: DocTable<L7PolicyDoc>;
  readonly l7rules: DocTable<L7RuleDoc>;
  readonly certificates: DocTable<CertificateDoc>;
  readonly ipgroups: DocTable<IpGroupDoc>;
  /** One row a load balancer whose domain names, DNS IPs or charge mode were set (id = the load balancer). */
  readonly lbSettings: DocTable<LbSettingsDoc>;
  /** One row a project that has set its private-key echo (id = the project). */
  readonly projectSettings: DocTable<ProjectSettingsDoc>;
  readonly securityPolicies: DocTable<SecurityPolicyDoc>;
  readonly logtanks: DocTable<LogtankDoc>;
  readonly masterSlavePools: DocTable<MasterSlavePoolDoc>;
  /** One row a project that has set its recycle bin, id = the project. */
  readonly recycleBins: DocTable<RecycleBinDoc>;
  readonly recycledLoadbalancers: DocTable<RecycledLbDoc>;
  readonly jobs: DocTable<JobDoc>;
  readonly memberChecks: DocTable<MemberCheckDoc>;

  constructor(private readonly db: Database) {
    this.loadbalancers = new DocTable(db, "elb_loadbalancers");
    this.listeners = new DocTable(db, "elb_listeners");
    this.pools = new DocTable(db, "elb_pools");
    this.members = new DocTable(db, "elb_members");
    this.monitors = new DocTable(db, "elb_monitors");
    this.l7policies = new DocTable(db, "elb_l7policies");
    this.l7rules = new DocTable(db, "elb_l7rules");
    this.certificates = new DocTable(db, "elb_certificates");
    this.ipgroups = new DocTable(db, "elb_ipgroups");
    this.lbSettings = new DocTable(db, "elb_lb_settings");
    this.projectSettings = new DocTable(db, "elb_project_settings");
    this.securityPolicies = new DocTable(db, "elb_security_policies");
    this.logtanks = new DocTable(db, "elb_logtanks");
    this.masterSlavePools = new DocTable(db, "elb_master_slave_pools");
    this.recycleBins = new DocTable(db, "elb_recycle_bins");
    this.recycledLoadbalancers = new DocTable(db, "elb_recycled_loadbalancers");
    this.jobs = new DocTable(db, "elb_jobs");
    this.memberChecks = new DocTable(db, "elb_member_checks");
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
