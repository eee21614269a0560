// What ELB offers other services through rt.api("elb"): Auto Scaling checks the pools of a group's
// lbaas_listeners and registers its instances as members (elb-facts §6). Failures are typed, never thrown.
import { ApiError } from "../../kernel/api-error.ts";
import type { ElbContext } from "./context.ts";
import { addMember, renderMember } from "./operations/members.ts";

export interface ElbPoolInfo {
  id: string;
  protocol: string;
  vpcId: string;
  loadbalancerId: string | null;
}

export interface ElbApi {
  /** A pool of the project, or undefined. */
  pool(projectId: string, poolId: string): ElbPoolInfo | undefined;
  /** Adds a member; ok false with ELB's code and message when ELB refuses it. */
  addMember(
    projectId: string,
    poolId: string,
    member: { address: string; protocolPort: number; weight: number; subnetCidrId: string },
  ): { ok: true; memberId: string } | { ok: false; code: string; message: string };
  /** Removes the pool's members of that server, or at that address, on that port; the number removed. */
  removeMembers(projectId: string, poolId: string, match: { instanceId: string; address?: string; protocolPort: number }): number;
  /** The operating_status of the pool's members of that server (ONLINE, OFFLINE, NO_MONITOR). */
  memberStatuses(projectId: string, poolId: string, instanceId: string): string[];
  /** Every load balancer with its backends' health (Cloud Eye's SYS.ELB metrics). */
  loadBalancers(): { projectId: string; id: string; normalServers: number; abnormalServers: number }[];
}

declare module "../../kernel/service.ts" {
  interface ServiceApis {
    elb: ElbApi;
  }
}

export function elbApi(svc: ElbContext): ElbApi {
  const { store } = svc;
  return {
    pool(projectId, poolId) {
      const p = store.pools.get(projectId, poolId);
      if (!p) return undefined;
      const lb = p.doc.loadbalancer_id ? store.loadbalancers.get(projectId, p.doc.loadbalancer_id) : undefined;
      return { id: p.id, protocol: p.doc.protocol, vpcId: lb?.doc.vpc_id ?? p.doc.vpc_id, loadbalancerId: p.doc.loadbalancer_id };
    },
    addMember(projectId, poolId, m) {
      const pool = store.pools.get(projectId, poolId);
      if (!pool) return { ok: false, code: "ELB.8904", message: `Pool ${poolId} could not be found.` };
      try {
        const row = store.tx(() =>
          addMember(svc, pool, { address: m.address, protocol_port: m.protocolPort, weight: m.weight, subnet_cidr_id: m.subnetCidrId }, { now: svc.clock.now(), id: svc.ids.uuid() }),
        );
        return { ok: true, memberId: row.id };
      } catch (e) {
        if (e instanceof ApiError) return { ok: false, code: e.code, message: e.message };
        throw e;
      }
    },
    removeMembers(projectId, poolId, match) {
      let n = 0;
      for (const m of store.members.byParent(projectId, poolId)) {
        const mine = m.doc.instance_id === match.instanceId || (match.address !== undefined && m.doc.address === match.address);
        if (mine && m.doc.protocol_port === match.protocolPort && store.members.delete(projectId, m.id)) n++;
      }
      return n;
    },
    loadBalancers() {
      return store.loadbalancers.projects().flatMap((projectId) =>
        store.loadbalancers.list(projectId).map((lb) => {
          const statuses = store.members.byLb(projectId, lb.id).map((m) => String(renderMember(svc, m).operating_status));
          return {
            projectId,
            id: lb.id,
            normalServers: statuses.filter((x) => x === "ONLINE").length,
            abnormalServers: statuses.filter((x) => x === "OFFLINE").length,
          };
        }),
      );
    },
    memberStatuses(projectId, poolId, instanceId) {
      return store.members
        .byParent(projectId, poolId)
        .filter((m) => m.doc.instance_id === instanceId)
        .map((m) => String(renderMember(svc, m).operating_status));
    },
  };
}
