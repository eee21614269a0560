// What a server's detail shows from other services: its ports with their EIPs and its security groups'
// names (VPC), its disks (EVS), and which of its data disks go with it (ECS's own resources table). A page
// of servers is gathered with one query of each kind whatever its length, never one per server: ShowServer
// is a page of one, ListServersDetails of up to 1,000.
import { deepFreeze } from "../../store/rows.ts";
import type { EcsContext } from "./context.ts";
import { findFlavor } from "./flavors-data.ts";
import type { ServerRow } from "./store-servers.ts";
import { serverDetail, type ServerParts, type ServerVolume } from "./views-servers.ts";

const NONE: readonly never[] = [];

/** The parts of each server (all of one project), in the order given. */
export function serverPartsOf(svc: EcsContext, servers: readonly ServerRow[]): ServerParts[] {
  const first = servers[0];
  if (first === undefined) return [];
  const projectId = first.project_id;
  if (servers.some((s) => s.project_id !== projectId)) throw new Error("serverPartsOf: servers of more than one project");
  const ids = servers.map((s) => s.id);
  const vpc = svc.vpc();
  const ports = vpc.portsOfDevices(projectId, ids);
  const disks = svc.evs().disksOfServers(projectId, ids);
  const groupIds = servers.length === 1 ? first.security_group_ids : [...new Set(servers.flatMap((s) => s.security_group_ids))];
  const groupNames = vpc.securityGroupNames(projectId, groupIds);
  // Whether a data disk goes with its server is ECS's own record; only servers with one need it read.
  const withData = servers.filter((s) => disks.get(s.id)?.some((d) => d.volumeId !== s.root_volume_id)).map((s) => s.id);
  const owned = svc.store.resources.deleteOnTermination(withData);
  const terminate = svc.store.attrs.all(projectId, "auto_terminate_time");
  const prepaid = svc.store.attrs.all(projectId, "charging_mode");

  return servers.map((s) => {
    const mine = owned.get(s.id);
    const volumes = (disks.get(s.id) ?? NONE).map((d): ServerVolume => {
      const root = d.volumeId === s.root_volume_id;
      return { id: d.volumeId, device: d.device, bootIndex: root ? "0" : null, deleteOnTermination: root || (mine?.get(d.volumeId) ?? false) };
    });
    return {
      addresses: (ports.get(s.id) ?? NONE).map((p, i) => ({
        portId: p.id,
        ip: p.ipAddress,
        mac: p.macAddress,
        subnetId: p.subnetId,
        primary: i === 0,
        floatingIp: p.publicIpAddress,
      })),
      volumes,
      securityGroups: s.security_group_ids.map((id) => ({ id, name: groupNames.get(id) ?? id })),
      flavor: findFlavor(s.flavor_id),
      autoTerminateTime: String(terminate.get(s.id) ?? ""),
      chargingMode: prepaid.get(s.id) === "prePaid" ? "1" : "0",
    };
  });
}

/**
 * One server's parts, kept with its (cached, frozen) row while nothing in the database changes: a
 * ShowServer poll then reads no other service's tables. Keyed by the row object, so a changed server (a new
 * row object) or a dropped one takes its entry with it.
 */
const memo = new WeakMap<ServerRow, { version: number; parts: ServerParts; detail?: string }>();

function memoOf(svc: EcsContext, s: ServerRow): { version: number; parts: ServerParts; detail?: string } | undefined {
  const version = Object.isFrozen(s) ? svc.store.version() : undefined;
  if (version === undefined) return undefined;
  const hit = memo.get(s);
  if (hit && hit.version === version) return hit;
  const entry = { version, parts: deepFreeze(serverPartsOf(svc, [s])[0]!) };
  memo.set(s, entry);
  return entry;
}

export function serverParts(svc: EcsContext, s: ServerRow): ServerParts {
  return memoOf(svc, s)?.parts ?? serverPartsOf(svc, [s])[0]!;
}

/** ShowServer's answer as JSON text, kept with the parts: the detail is a function of the row and parts only. */
export function serverDetailJson(svc: EcsContext, s: ServerRow): string {
  const entry = memoOf(svc, s);
  if (!entry) return JSON.stringify({ server: serverDetail(s, serverPartsOf(svc, [s])[0]!) });
  entry.detail ??= JSON.stringify({ server: serverDetail(s, entry.parts) });
  return entry.detail;
}
