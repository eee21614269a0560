// The status tree of a load balancer (GET …/statuses, elb-facts §4): listeners with their pools, pools with
// their monitor and members. A listener or pool with an OFFLINE member is DEGRADED; so is the load balancer.
import type { ElbContext } from "./context.ts";
import type { LoadBalancerDoc } from "./model.ts";
import type { DocRow } from "./store/docs.ts";
import { memberStatus } from "./views.ts";

interface PoolStatus {
  id: string;
  name: string;
  provisioning_status: string;
  operating_status: string;
  healthmonitor: Record<string, unknown> | null;
  members: Record<string, unknown>[];
}

export function lbStatusTree(svc: ElbContext, lb: DocRow<LoadBalancerDoc>): Record<string, unknown> & { operating_status: string } {
  const { store } = svc;
  const projectId = lb.projectId;
  const pools = new Map<string, PoolStatus>();
  for (const p of store.pools.byLb(projectId, lb.id)) {
    const monitor = store.monitors.byParent(projectId, p.id)[0];
    const members = store.members.byParent(projectId, p.id).map((m) => ({
      id: m.id,
      address: m.doc.address,
      protocol_port: m.doc.protocol_port,
      provisioning_status: "ACTIVE",
      operating_status: memberStatus(m.doc, monitor !== undefined),
    }));
    pools.set(p.id, {
      id: p.id,
      name: p.doc.name,
      provisioning_status: "ACTIVE",
      operating_status: members.some((m) => m.operating_status === "OFFLINE") ? "DEGRADED" : "ONLINE",
      healthmonitor: monitor ? { id: monitor.id, name: monitor.doc.name, type: monitor.doc.type, provisioning_status: "ACTIVE" } : null,
      members,
    });
  }
  const listeners = store.listeners.byLb(projectId, lb.id).map((l) => {
    const own = [...pools.values()].filter((p) => store.pools.get(projectId, p.id)?.doc.listener_id === l.id);
    return {
      id: l.id,
      name: l.doc.name,
      provisioning_status: "ACTIVE",
      operating_status: own.some((p) => p.operating_status === "DEGRADED") ? "DEGRADED" : "ONLINE",
      pools: own,
      l7policies: store.l7policies.byParent(projectId, l.id).map((p) => ({
        id: p.id,
        name: p.doc.name,
        action: p.doc.action,
        provisioning_status: "ACTIVE",
        rules: store.l7rules.byParent(projectId, p.id).map((r) => ({ id: r.id, type: r.doc.type, provisioning_status: "ACTIVE" })),
      })),
    };
  });
  const degraded = [...pools.values()].some((p) => p.operating_status === "DEGRADED");
  return {
    id: lb.id,
    name: lb.doc.name,
    provisioning_status: "ACTIVE",
    operating_status: degraded ? "DEGRADED" : "ONLINE",
    listeners,
    pools: [...pools.values()],
  };
}
