// Server rows → nova's shapes (the SDK's NovaServer, NovaSimpleServer, NovaCreateServersResult). Parts that
// live in other services come gathered as ServerParts, as for ServerDetail (views-servers.ts). Nova spells
// some fields differently from ECS v1: addresses carry a numeric version and no port id, volumes_attached a
// boolean delete_on_termination, launch times have microseconds and no zone, absent values are null.
import { isoSeconds } from "../../kernel/time.ts";
import type { ServerRow } from "./store-servers.ts";
import { flavorExtraSpecs } from "./views.ts";
import type { ServerParts } from "./views-servers.ts";

/** The newest compute microversion hwlocal answers to ("latest" and anything newer mean this one). */
export const NOVA_MAX_MINOR = 60;
/** From 2.47 a server embeds its flavor (without id) instead of linking to it. */
const EMBEDDED_FLAVOR_MINOR = 47;

/**
 * The minor compute microversion a request asks for through OpenStack-API-Version ("compute 2.47") or
 * X-OpenStack-Nova-API-Version ("2.47"); 2.1 when absent or unreadable.
 */
export function novaMinor(headers: { "openstack-api-version"?: string; "x-openstack-nova-api-version"?: string }): number {
  const raw = headers["openstack-api-version"] ?? headers["x-openstack-nova-api-version"];
  if (raw === undefined) return 1;
  const v = raw.trim().replace(/^compute\s+/i, "");
  if (v.toLowerCase() === "latest") return NOVA_MAX_MINOR;
  const m = /^2\.(\d{1,3})$/.exec(v);
  return m ? Math.min(Number(m[1]), NOVA_MAX_MINOR) : 1;
}

/** Where nova links point: the caller's ECS endpoint and project. */
export interface NovaLinks {
  serviceBase: string;
  projectId: string;
}

function links(l: NovaLinks, kind: string, id: string, self = true) {
  const bookmark = { rel: "bookmark", href: `${l.serviceBase}/${l.projectId}/${kind}/${id}` };
  return self ? [{ rel: "self", href: `${l.serviceBase}/v2.1/${l.projectId}/${kind}/${id}` }, bookmark] : [bookmark];
}

const novaTime = (ms: number | null) => (ms === null ? null : `${new Date(ms).toISOString().slice(0, 23)}000`);

export function novaSimpleServer(s: ServerRow, l: NovaLinks) {
  return { id: s.id, name: s.name, links: links(l, "servers", s.id) };
}

function flavor(s: ServerRow, parts: ServerParts, l: NovaLinks, minor: number, zones: readonly string[]) {
  const f = parts.flavor;
  if (minor < EMBEDDED_FLAVOR_MINOR || !f) return { id: s.flavor_id, links: links(l, "flavors", s.flavor_id, false) };
  return { vcpus: f.vcpus, ram: f.ram, disk: 0, ephemeral: 0, swap: 0, original_name: f.id, extra_specs: flavorExtraSpecs(f, zones) };
}

export interface NovaViewOptions {
  links: NovaLinks;
  minor: number;
  /** The zones of the server's region, for an embedded flavor's extra specs. */
  zones: readonly string[];
}

export function novaServer(s: ServerRow, parts: ServerParts, o: NovaViewOptions) {
  const addresses = parts.addresses.flatMap((a) => {
    const fixed = { version: 4, addr: a.ip, "OS-EXT-IPS-MAC:mac_addr": a.mac, "OS-EXT-IPS:type": "fixed" };
    return a.floatingIp ? [fixed, { ...fixed, addr: a.floatingIp, "OS-EXT-IPS:type": "floating" }] : [fixed];
  });
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    created: isoSeconds(s.created_at),
    updated: isoSeconds(s.updated_at),
    tenant_id: s.project_id,
    user_id: s.user_id,
    hostId: s.host_id,
    key_name: s.key_name,
    metadata: s.metadata,
    addresses: addresses.length ? { [s.vpc_id]: addresses } : {},
    image: { id: s.image_id, links: links(o.links, "images", s.image_id, false) },
    flavor: flavor(s, parts, o.links, o.minor, o.zones),
    security_groups: parts.securityGroups.map((g) => ({ name: g.name })),
    links: links(o.links, "servers", s.id),
    ...(s.fault ? { fault: s.fault } : {}),
    description: s.description,
    progress: s.status === "BUILD" ? 0 : 100,
    locked: s.locked,
    tags: s.tags.map((t) => `${t.key}=${t.value}`),
    accessIPv4: "",
    accessIPv6: "",
    config_drive: "",
    host_status: s.status === "ACTIVE" || s.status === "SHUTOFF" ? "UP" : "",
    "OS-DCF:diskConfig": "MANUAL",
    "OS-EXT-AZ:availability_zone": s.availability_zone,
    "OS-EXT-SRV-ATTR:host": s.host_id.slice(0, 12),
    "OS-EXT-SRV-ATTR:hypervisor_hostname": `hyp-${s.host_id.slice(0, 8)}`,
    "OS-EXT-SRV-ATTR:instance_name": s.instance_name,
    "OS-EXT-SRV-ATTR:hostname": s.name.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
    "OS-EXT-SRV-ATTR:reservation_id": s.reservation_id,
    "OS-EXT-SRV-ATTR:launch_index": s.launch_index,
    "OS-EXT-SRV-ATTR:kernel_id": "",
    "OS-EXT-SRV-ATTR:ramdisk_id": "",
    "OS-EXT-SRV-ATTR:root_device_name": "/dev/vda",
    "OS-EXT-SRV-ATTR:user_data": s.user_data,
    "OS-EXT-STS:vm_state": s.vm_state,
    "OS-EXT-STS:task_state": s.task_state,
    "OS-EXT-STS:power_state": s.power_state,
    "OS-SRV-USG:launched_at": novaTime(s.launched_at),
    "OS-SRV-USG:terminated_at": novaTime(s.terminated_at),
    "os-extended-volumes:volumes_attached": parts.volumes.map((v) => ({ id: v.id, delete_on_termination: v.deleteOnTermination })),
    "os:scheduler_hints": s.server_group_id ? { group: [s.server_group_id] } : {},
  };
}

/** NovaCreateServersResult: the first server of the request. */
export function novaCreateResult(
  s: ServerRow,
  o: { links: NovaLinks; securityGroupNames: string[]; diskConfig: string; adminPass?: string; reservationId?: string },
) {
  return {
    id: s.id,
    links: links(o.links, "servers", s.id),
    security_groups: o.securityGroupNames.map((name) => ({ name })),
    "OS-DCF:diskConfig": o.diskConfig,
    ...(o.adminPass !== undefined ? { adminPass: o.adminPass } : {}),
    ...(o.reservationId !== undefined ? { reservation_id: o.reservationId } : {}),
  };
}
