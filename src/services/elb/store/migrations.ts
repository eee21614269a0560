// ELB's tables. Every resource kind has one table of the same shape: the keys ELB looks rows up by (project,
// load balancer, parent) as columns, and the resource's own fields as one JSON document (docs.ts parses
// it back). Members also carry due_at, the time of their next health check (health.ts), indexed.
const kind = (table: string) => `
  CREATE TABLE ${table} (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, lb_id TEXT, parent_id TEXT, seq INTEGER NOT NULL,
    due_at INTEGER, doc TEXT NOT NULL);
  CREATE INDEX ${table}_project ON ${table}(project_id, seq);
  CREATE INDEX ${table}_parent ON ${table}(parent_id) WHERE parent_id IS NOT NULL;
  CREATE INDEX ${table}_lb ON ${table}(lb_id) WHERE lb_id IS NOT NULL;
  CREATE INDEX ${table}_due ON ${table}(due_at) WHERE due_at IS NOT NULL;`;

export const ELB_TABLES = ["elb_loadbalancers", "elb_listeners", "elb_pools", "elb_members", "elb_monitors", "elb_l7policies", "elb_l7rules", "elb_certificates", "elb_ipgroups"] as const;

/** Tables added after the first migration, each by its own migration (append only). */
export const ELB_LATER_TABLES = ["elb_security_policies"] as const;

/** Issue 14 group A: log tanks, master-slave pools, recycle bin settings (id = project) and recycled load
 * balancers, jobs (ListJobs/ShowJob) and member health-check jobs; one migration. */
export const ELB_GROUP_A_TABLES = ["elb_logtanks", "elb_master_slave_pools", "elb_recycle_bins", "elb_recycled_loadbalancers", "elb_jobs", "elb_member_checks"] as const;

/** Issue 14 group B: a load balancer's domain names, DNS IPs and charge mode (id = the load balancer), and a
 * project's settings (the certificate private-key echo switch, id = the project); one migration. */
export const ELB_GROUP_B_TABLES = ["elb_lb_settings", "elb_project_settings"] as const;

export type ElbTable = (typeof ELB_TABLES)[number] | (typeof ELB_LATER_TABLES)[number] | (typeof ELB_GROUP_A_TABLES)[number] | (typeof ELB_GROUP_B_TABLES)[number];

export const ELB_MIGRATIONS: readonly string[] = [ELB_TABLES.map(kind).join("\n"), kind("elb_security_policies"), ELB_GROUP_A_TABLES.map(kind).join("\n"), ELB_GROUP_B_TABLES.map(kind).join("\n")];
