// Auto Scaling behind dedicated load balancers (elb-facts §6): each instance that enters service becomes a
// member of every pool of the group's lbaas_listeners (its primary NIC's address, that subnet's IPv4 subnet
// id, the listed port and weight), and is taken out of them as it leaves; with ELB_AUDIT an instance whose
// member is OFFLINE, once past the grace period, is judged unhealthy and replaced.
import type { AsContext } from "./context.ts";
import type { GroupRow } from "./store.ts";
import type { InstanceRow } from "./store-scaling.ts";

/** Adds the instance's server to the group's pools. A pool ELB refuses it for is skipped (no retry). */
export function registerInstance(svc: AsContext, g: GroupRow, i: InstanceRow): void {
  const listeners = g.settings.lbaas_listeners ?? [];
  const elb = svc.elb();
  if (listeners.length === 0 || !elb) return;
  const nic = svc.vpc().portsOfDevice(g.project_id, i.id)[0];
  if (!nic) return;
  for (const l of listeners) {
    elb.addMember(g.project_id, l.pool_id, { address: nic.ipAddress, protocolPort: l.protocol_port, weight: l.weight, subnetCidrId: nic.neutronSubnetId });
  }
}

/** Takes the instance's server out of the group's pools (by server, or by its address while it has one). */
export function deregisterInstance(svc: AsContext, g: GroupRow, i: InstanceRow): void {
  const listeners = g.settings.lbaas_listeners ?? [];
  const elb = svc.elb();
  if (listeners.length === 0 || !elb) return;
  const address = svc.vpc().portsOfDevice(g.project_id, i.id)[0]?.ipAddress;
  for (const l of listeners) elb.removeMembers(g.project_id, l.pool_id, { instanceId: i.id, address, protocolPort: l.protocol_port });
}

/** ELB_AUDIT: INSERVICE instances past the grace period with an OFFLINE member in any of the group's pools. */
export function unhealthyInstances(svc: AsContext, g: GroupRow, instances: InstanceRow[], now: number): InstanceRow[] {
  const listeners = g.settings.lbaas_listeners ?? [];
  const elb = svc.elb();
  if (g.settings.health_periodic_audit_method !== "ELB_AUDIT" || listeners.length === 0 || !elb) return [];
  const grace = g.settings.health_periodic_audit_grace_period * 1000;
  return instances.filter(
    (i) => i.state === "INSERVICE" && now >= i.created_at + grace && listeners.some((l) => elb.memberStatuses(g.project_id, l.pool_id, i.id).includes("OFFLINE")),
  );
}
