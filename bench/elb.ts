// The ELB scenario (BENCH_ELB, issue 14): a hwlocal of its own with one dedicated load balancer whose pool
// holds BENCH_ELB_MEMBERS (1,000) members (batches of 200 through BatchCreateMembers, addresses of a /20),
// then ListMembers of that pool timed on the wire: the whole pool in one page (limit 2000), and the last
// page of 100 reached by marker, each BENCH_ELB_RUNS times. No target: the row shows the figures.
import { performance } from "node:perf_hooks";
import { Api, account } from "./api.ts";
import { stop } from "./children.ts";
import { median, startHwlocal } from "./hwlocal.ts";

const BATCH = 200;

export interface ElbFigures {
  members: number;
  wholeMs: number[];
  lastPageMs: number[];
  failure?: string;
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The n-th host address of 10.1.0.0/20 (skipping .0 and the gateway .1). */
const address = (n: number) => `10.1.${Math.floor((n + 2) / 256)}.${(n + 2) % 256}`;

export async function elbBench(opts: { members: number; runs: number }): Promise<ElbFigures> {
  const out: ElbFigures = { members: opts.members, wholeMs: [], lastPageMs: [] };
  const hw = await startHwlocal();
  try {
    const acc = await account(hw.endpoint);
    const projectId = acc.projects.values().next().value;
    if (!projectId) throw new Error("the account has no project");
    const api = new Api(hw.endpoint, acc.creds);
    const vpc = await api.expect(200, "POST", `/vpc/v1/${projectId}/vpcs`, { body: { vpc: { name: "elb-bench", cidr: "10.0.0.0/8" } } });
    const vpcId = String((vpc.json.vpc as { id: string }).id);
    const subnet = await api.expect(200, "POST", `/vpc/v1/${projectId}/subnets`, {
      body: { subnet: { name: "elb-bench", cidr: "10.1.0.0/20", gateway_ip: "10.1.0.1", vpc_id: vpcId } },
    });
    const subnetCidrId = String((subnet.json.subnet as { neutron_subnet_id: string }).neutron_subnet_id);
    const base = `/elb/v3/${projectId}/elb`;
    const lb = await api.expect(201, "POST", `${base}/loadbalancers`, {
      body: { loadbalancer: { name: "bench", availability_zone_list: ["cn-north-4a"], vip_subnet_cidr_id: subnetCidrId } },
    });
    const lbId = String((lb.json.loadbalancer as { id: string }).id);
    const pool = await api.expect(201, "POST", `${base}/pools`, { body: { pool: { loadbalancer_id: lbId, lb_algorithm: "ROUND_ROBIN", protocol: "TCP" } } });
    const poolId = String((pool.json.pool as { id: string }).id);
    for (let made = 0; made < opts.members; made += BATCH) {
      const members = Array.from({ length: Math.min(BATCH, opts.members - made) }, (_, i) => ({
        address: address(made + i),
        protocol_port: 80,
        subnet_cidr_id: subnetCidrId,
      }));
      await api.expect(200, "POST", `${base}/pools/${poolId}/members/batch-add`, { body: { members } });
    }
    const whole = await api.expect(200, "GET", `${base}/pools/${poolId}/members?limit=2000`);
    const listed = (whole.json.members as { id: string }[]).map((m) => m.id);
    if (listed.length !== opts.members) throw new Error(`the pool lists ${listed.length} members, not ${opts.members}`);
    const marker = listed[listed.length - 101]!;
    for (let run = 0; run < opts.runs; run++) {
      let t = performance.now();
      await api.expect(200, "GET", `${base}/pools/${poolId}/members?limit=2000`);
      out.wholeMs.push(performance.now() - t);
      t = performance.now();
      const last = await api.expect(200, "GET", `${base}/pools/${poolId}/members?limit=100&marker=${marker}`);
      out.lastPageMs.push(performance.now() - t);
      if ((last.json.members as unknown[]).length !== 100) throw new Error("the last page does not hold 100 members");
    }
  } catch (e) {
    out.failure = why(e);
  } finally {
    await stop(hw.child);
  }
  return out;
}

export function elbTable(f: ElbFigures): string {
  const ms = (xs: number[]) => `${median(xs).toFixed(1)} ms`;
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
  const rows = ["| ELB | Median | Detail |", "|---|---:|---|"];
  if (f.failure) rows.push(`| ListMembers of a pool of ${f.members} | — | FAILED: ${f.failure} |`);
  else {
    rows.push(`| ListMembers of a pool of ${f.members}, one page (limit 2000) | ${ms(f.wholeMs)} | runs ${runs(f.wholeMs)} ms |`);
    rows.push(`| … its last page of 100 (marker) | ${ms(f.lastPageMs)} | runs ${runs(f.lastPageMs)} ms |`);
  }
  return rows.join("\n");
}
