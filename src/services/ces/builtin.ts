// Cloud Eye's built-in metrics, written by hwlocal itself at every minute of its clock (epoch-aligned):
//   SYS.ECS cpu_util (%) per ACTIVE server, dimension instance_id;
//   (and, at an idle machine's steady figures, mem_util and the network and disk rates — IDLE_FIGURES);
//   SYS.AS instance_num (count of INSERVICE instances) and cpu_util (% , the average of the instances'
//   servers) per INSERVICE group, dimension AutoScalingGroup = the group id;
//   SYS.EVS per disk attached to an ACTIVE server, dimension disk_name = "<server id>-<device>" (vda, vdb…),
//   at an idle disk's figures (EVS_IDLE_FIGURES);
//   SYS.ELB per load balancer, dimension lbaas_instance_id: ma_normal_servers and m9_abnormal_servers (its
//   members ONLINE and OFFLINE, from ELB's health checks), and the connection and traffic metrics at an idle
//   load balancer's figures (ELB_IDLE_FIGURES: no traffic flows through hwlocal's load balancers).
// A server's cpu_util is its synthetic load (PUT /_hwlocal/ces/load {"server_id"}), else its group's
// ({"scaling_group_id"}), else DEFAULT_CPU_UTIL. A clock jump writes every minute missed, at most
// MAX_BACKFILL of them, all with the current values. Points live BUILTIN_TTL_SECONDS.
import type { Database, Statement } from "better-sqlite3";
import type { CesContext } from "./context.ts";
import { dimensionKey } from "./model.ts";
import { periodStart } from "./rollup.ts";
import type { NewPoint } from "./store.ts";

export const DEFAULT_CPU_UTIL = 10;
const MINUTE = 60_000;
const MAX_BACKFILL = 60;
const BUILTIN_TTL_SECONDS = 7 * 86400;

export type LoadTarget = { serverId: string } | { scalingGroupId: string };

export class LoadTable {
  private readonly st: Record<"put" | "all", Statement>;
  constructor(db: Database) {
    this.st = {
      put: db.prepare("INSERT INTO ces_load (target, id, cpu_util) VALUES (?, ?, ?) ON CONFLICT (target, id) DO UPDATE SET cpu_util = excluded.cpu_util"),
      all: db.prepare("SELECT target, id, cpu_util FROM ces_load"),
    };
  }
  put(t: LoadTarget, cpuUtil: number): void {
    if ("serverId" in t) this.st.put.run("server", t.serverId, cpuUtil);
    else this.st.put.run("group", t.scalingGroupId, cpuUtil);
  }
  /** target → id → cpu_util */
  all(): { server: Map<string, number>; group: Map<string, number> } {
    const out = { server: new Map<string, number>(), group: new Map<string, number>() };
    for (const r of this.st.all.all() as { target: string; id: string; cpu_util: number }[]) {
      (r.target === "server" ? out.server : out.group).set(r.id, r.cpu_util);
    }
    return out;
  }
}

interface Sample {
  projectId: string;
  namespace: string;
  metric: string;
  dim: { name: string; value: string };
  value: number;
  unit: string;
}

/**
 * The other SYS.ECS / SYS.AS metrics Huawei reports for servers and groups, at the steady figures of an idle
 * machine (no synthetic load drives them yet): present so that alarm rules and dashboards on them work.
 */
const IDLE_FIGURES: readonly { metric: string; value: number; unit: string }[] = [
  { metric: "mem_util", value: 30, unit: "%" },
  { metric: "network_incoming_bytes_rate_inband", value: 0, unit: "byte/s" },
  { metric: "network_outgoing_bytes_rate_inband", value: 0, unit: "byte/s" },
  { metric: "disk_read_bytes_rate", value: 0, unit: "byte/s" },
  { metric: "disk_write_bytes_rate", value: 0, unit: "byte/s" },
  { metric: "disk_read_requests_rate", value: 0, unit: "request/s" },
  { metric: "disk_write_requests_rate", value: 0, unit: "request/s" },
];

/** SYS.EVS's disk metrics, at an idle disk's figures. */
const EVS_IDLE_FIGURES: readonly { metric: string; value: number; unit: string }[] = [
  { metric: "disk_device_read_bytes_rate", value: 0, unit: "byte/s" },
  { metric: "disk_device_write_bytes_rate", value: 0, unit: "byte/s" },
  { metric: "disk_device_read_requests_rate", value: 0, unit: "request/s" },
  { metric: "disk_device_write_requests_rate", value: 0, unit: "request/s" },
  { metric: "disk_device_io_util", value: 0, unit: "%" },
  { metric: "disk_device_queue_length", value: 0, unit: "count" },
];

/** SYS.ELB's connection and traffic metrics (dedicated load balancers), at an idle load balancer's figures. */
const ELB_IDLE_FIGURES: readonly { metric: string; value: number; unit: string }[] = [
  { metric: "m1_cps", value: 0, unit: "count" },
  { metric: "m2_act_conn", value: 0, unit: "count" },
  { metric: "m3_inact_conn", value: 0, unit: "count" },
  { metric: "m4_ncps", value: 0, unit: "count/s" },
  { metric: "m5_in_pps", value: 0, unit: "packet/s" },
  { metric: "m6_out_pps", value: 0, unit: "packet/s" },
  { metric: "m7_in_Bps", value: 0, unit: "byte/s" },
  { metric: "m8_out_Bps", value: 0, unit: "byte/s" },
];

function elbSamples(svc: CesContext): Sample[] {
  const out: Sample[] = [];
  for (const lb of svc.running.elb()?.loadBalancers() ?? []) {
    const at = { projectId: lb.projectId, namespace: "SYS.ELB", dim: { name: "lbaas_instance_id", value: lb.id } };
    out.push({ ...at, metric: "ma_normal_servers", value: lb.normalServers, unit: "count" });
    out.push({ ...at, metric: "m9_abnormal_servers", value: lb.abnormalServers, unit: "count" });
    for (const f of ELB_IDLE_FIGURES) out.push({ ...at, ...f });
  }
  return out;
}

function evsSamples(svc: CesContext, projectId: string, serverIds: string[]): Sample[] {
  const out: Sample[] = [];
  const evs = svc.running.evs();
  if (serverIds.length === 0 || evs === undefined) return out;
  for (const [serverId, disks] of evs.disksOfServers(projectId, serverIds)) {
    for (const d of disks) {
      const dim = { name: "disk_name", value: `${serverId}-${d.device.replace(/^\/dev\//, "")}` };
      for (const f of EVS_IDLE_FIGURES) out.push({ projectId, namespace: "SYS.EVS", dim, ...f });
    }
  }
  return out;
}

function samples(svc: CesContext): Sample[] {
  const loads = svc.load.all();
  const groups = svc.running.as()?.groupsWithInstances() ?? [];
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const s of g.serverIds) groupOf.set(s, g.groupId);
  const cpu = (serverId: string): number => {
    const g = groupOf.get(serverId);
    return loads.server.get(serverId) ?? (g === undefined ? undefined : loads.group.get(g)) ?? DEFAULT_CPU_UTIL;
  };
  const out: Sample[] = [];
  const projects = new Set([...svc.projects(), ...groups.map((g) => g.projectId)]);
  const ecs = svc.running.ecs();
  for (const p of projects) {
    const active = ecs?.activeServers(p) ?? [];
    out.push(...evsSamples(svc, p, active.map((s) => s.id)));
    for (const s of active) {
      const dim = { name: "instance_id", value: s.id };
      out.push({ projectId: p, namespace: "SYS.ECS", metric: "cpu_util", dim, value: cpu(s.id), unit: "%" });
      for (const f of IDLE_FIGURES) out.push({ projectId: p, namespace: "SYS.ECS", dim, ...f });
    }
  }
  out.push(...elbSamples(svc));
  for (const g of groups) {
    const dim = { name: "AutoScalingGroup", value: g.groupId };
    out.push({ projectId: g.projectId, namespace: "SYS.AS", metric: "instance_num", dim, value: g.serverIds.length, unit: "count" });
    if (g.serverIds.length) {
      const avg = g.serverIds.reduce((sum, id) => sum + cpu(id), 0) / g.serverIds.length;
      out.push({ projectId: g.projectId, namespace: "SYS.AS", metric: "cpu_util", dim, value: avg, unit: "%" });
      for (const f of IDLE_FIGURES) out.push({ projectId: g.projectId, namespace: "SYS.AS", dim, ...f });
    }
  }
  return out;
}

/** The ticker: writes the built-in points for every minute boundary not yet written; true when it did. */
export function writeBuiltins(svc: CesContext, now: number): boolean {
  const due = periodStart(now, 60);
  if (due <= svc.builtin.until) return false;
  const first = svc.builtin.until === 0 ? due : Math.max(svc.builtin.until + MINUTE, due - (MAX_BACKFILL - 1) * MINUTE);
  const current = samples(svc);
  const points: NewPoint[] = [];
  for (let m = first; m <= due; m += MINUTE) {
    for (const s of current) {
      points.push({
        project_id: s.projectId,
        namespace: s.namespace,
        metric_name: s.metric,
        dim_key: dimensionKey([s.dim]),
        collect_time: m,
        value: s.value,
        unit: s.unit,
        expires_at: now + BUILTIN_TTL_SECONDS * 1000,
      });
    }
  }
  svc.store.insertPoints(points);
  svc.builtin.until = due;
  return true;
}
