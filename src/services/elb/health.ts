// Member health on hwlocal's clock (elb-facts §3.5-3.6): a member of a pool with a health monitor is
// checked every `delay` seconds; a check passes while the member's server (the ECS whose primary NIC has its
// address) is ACTIVE, and fails when the server is stopped, gone or unknown. max_retries consecutive passes
// make the member ONLINE, max_retries_down consecutive failures OFFLINE. A clock jump over several check
// times counts them all, each seeing the server as it is now (hwlocal does not know what was in between).
import type { ElbContext } from "./context.ts";
import { inCidr } from "./context.ts";
import type { MemberDoc, MonitorDoc } from "./model.ts";
import type { DocRow } from "./store/docs.ts";

/** The ACTIVE server of the project whose primary NIC has `address` (in `cidr` when given), if any. */
export function findServer(svc: ElbContext, projectId: string, address: string, cidr: string | undefined): string | undefined {
  const ecs = svc.ecs();
  if (!ecs) return undefined;
  const servers = ecs.activeServers(projectId);
  if (servers.length === 0) return undefined;
  const ports = svc.vpc().portsOfDevices(projectId, servers.map((s) => s.id));
  for (const s of servers) {
    const primary = ports.get(s.id)?.[0];
    if (primary && primary.ipAddress === address && (cidr === undefined || inCidr(address, cidr))) return s.id;
  }
  return undefined;
}

function serverUp(svc: ElbContext, m: DocRow<MemberDoc>): boolean {
  const ecs = svc.ecs();
  if (!ecs) return false;
  if (m.doc.instance_id === null) {
    // An IP member (no subnet) is a server of the project with that primary address, if there is one.
    const subnet = m.doc.subnet_cidr_id !== null ? svc.vpc().subnet(m.projectId, m.doc.subnet_cidr_id) : undefined;
    if (m.doc.subnet_cidr_id === null || subnet) m.doc.instance_id = findServer(svc, m.projectId, m.doc.address, subnet?.cidr) ?? null;
  }
  if (m.doc.instance_id === null) return false;
  const s = ecs.server(m.projectId, m.doc.instance_id);
  return s !== undefined && s.status === "ACTIVE" && !s.deleting;
}

/** Applies `n` checks with one outcome to a member's streaks and status. */
export function applyChecks(d: MemberDoc, monitor: MonitorDoc, up: boolean, n: number): void {
  if (up) {
    d.ok += n;
    d.fail = 0;
    if (d.ok >= monitor.max_retries) d.health = "ONLINE";
  } else {
    d.fail += n;
    d.ok = 0;
    if (d.fail >= monitor.max_retries_down) d.health = "OFFLINE";
  }
}

/** Starts (or restarts) a member's checks under a monitor: OFFLINE until its first max_retries passes. */
export function startChecks(svc: ElbContext, m: DocRow<MemberDoc>, monitor: MonitorDoc | undefined, now: number): void {
  m.doc.ok = 0;
  m.doc.fail = 0;
  m.doc.health = "OFFLINE";
  m.doc.last_check_at = now;
  svc.store.members.setDue(m.id, monitor && monitor.admin_state_up ? now + monitor.delay * 1000 : null);
}

/** The ticker: runs the checks that are due. True when it changed something (the engine asks again). */
export function runHealthChecks(svc: ElbContext, now: number): boolean {
  const due = svc.store.members.due(now);
  if (due.length === 0) return false;
  const monitors = new Map<string, DocRow<MonitorDoc> | undefined>();
  svc.store.tx(() => {
    for (const m of due) {
      const key = `${m.projectId}/${m.doc.pool_id}`;
      if (!monitors.has(key)) monitors.set(key, svc.store.monitors.byParent(m.projectId, m.doc.pool_id)[0]);
      const monitor = monitors.get(key);
      if (!monitor || !monitor.doc.admin_state_up) {
        svc.store.members.setDue(m.id, null);
        continue;
      }
      const delay = monitor.doc.delay * 1000;
      const n = Math.max(1, Math.floor((now - m.doc.last_check_at) / delay));
      applyChecks(m.doc, monitor.doc, serverUp(svc, m), n);
      m.doc.last_check_at += n * delay;
      svc.store.members.update(m);
      svc.store.members.setDue(m.id, m.doc.last_check_at + delay);
    }
  });
  return true;
}
