// Ports (private IPs are ports of kind 'privateip') and the address allocations behind them.
import type { Statement } from "better-sqlite3";
import { all, maybe, text, textOrNull, type SqlRow } from "../../../store/rows.ts";
import { anyOf, eq, type Condition, type Page, type PageRequest, type Sql } from "./sql.ts";
import { toPort, type AddressPair, type DhcpOption, type PortRow } from "./rows.ts";

const SELECT_PORT = `SELECT t.*, (SELECT group_concat(security_group_id, ',' ORDER BY position)
  FROM vpc_port_security_groups WHERE port_id = t.id) AS security_groups`;

/** A port as a server's detail shows it: its address and subnet, and the address of the EIP bound to it. */
export interface DevicePortRow {
  id: string;
  device_id: string;
  subnet_id: string;
  ip_address: string;
  mac_address: string;
  public_ip_address: string | null;
}
const toDevicePort = (r: SqlRow): DevicePortRow => ({
  id: text(r, "id"),
  device_id: text(r, "device_id"),
  subnet_id: text(r, "subnet_id"),
  ip_address: text(r, "ip_address"),
  mac_address: text(r, "mac_address"),
  public_ip_address: textOrNull(r, "public_ip_address"),
});

// A port has one EIP at most (vpc_publicips_port is unique). The many-devices form walks the id list first
// (CROSS JOIN fixes that order), so that each id is one lookup in vpc_ports_device.
const DEVICE_PORT_COLUMNS = "t.id, t.device_id, t.subnet_id, t.ip_address, t.mac_address, e.public_ip_address";
const EIP_OF_PORT = "LEFT JOIN vpc_publicips e ON e.port_id = t.id AND e.project_id = t.project_id";
const PORTS_OF_DEVICE = `SELECT ${DEVICE_PORT_COLUMNS} FROM vpc_ports t ${EIP_OF_PORT}
  WHERE t.project_id = ? AND t.device_id = ? ORDER BY t.seq`;
const PORTS_OF_DEVICES = `SELECT ${DEVICE_PORT_COLUMNS} FROM json_each(@ids) j
  CROSS JOIN vpc_ports t ON t.project_id = @project_id AND t.device_id = j.value ${EIP_OF_PORT} ORDER BY t.seq`;

export interface PortFilter {
  ids?: string[];
  name?: string;
  subnetId?: string;
  kind?: "port" | "privateip";
  macAddress?: string;
  deviceId?: string;
  deviceOwner?: string;
  adminStateUp?: boolean;
  /** ACTIVE: bound to a device; DOWN: not. */
  status?: "ACTIVE" | "DOWN";
  /** Ports in any of these groups. */
  securityGroups?: string[];
  ipAddresses?: string[];
}

export interface NewPort {
  id: string;
  projectId: string;
  subnetId: string;
  name: string;
  ip: number;
  ipAddress: string;
  macAddress: string;
  deviceId: string;
  deviceOwner: string;
  adminStateUp: boolean;
  kind: "port" | "privateip";
  securityGroups: string[];
  allowedAddressPairs: AddressPair[];
  extraDhcpOpts: DhcpOption[];
  now: number;
}

export interface PortPatch {
  name?: string;
  securityGroups?: string[];
  allowedAddressPairs?: AddressPair[];
  extraDhcpOpts?: DhcpOption[];
  deviceId?: string;
  deviceOwner?: string;
}

export class PortStore {
  private readonly devicePorts: { one: Statement; many: Statement };

  constructor(private readonly sql: Sql) {
    this.devicePorts = { one: sql.db.prepare(PORTS_OF_DEVICE), many: sql.db.prepare(PORTS_OF_DEVICES) };
  }

  port(projectId: string, id: string): PortRow | undefined {
    return maybe(toPort, this.sql.st(`${SELECT_PORT} FROM vpc_ports t WHERE t.id = ? AND t.project_id = ?`).get(id, projectId));
  }

  ports(projectId: string, f: PortFilter, page: PageRequest): Page<PortRow> {
    const where: Condition[] = [
      ...anyOf("t.id", f.ids),
      ...eq("t.name", f.name),
      ...eq("t.subnet_id", f.subnetId),
      ...eq("t.kind", f.kind),
      ...eq("t.mac_address", f.macAddress),
      ...eq("t.device_id", f.deviceId),
      ...eq("t.device_owner", f.deviceOwner),
      ...eq("t.admin_state_up", f.adminStateUp === undefined ? undefined : f.adminStateUp ? 1 : 0),
      ...anyOf("t.ip_address", f.ipAddresses),
    ];
    if (f.status === "ACTIVE") where.push({ sql: "t.device_id <> ''", params: [] });
    if (f.status === "DOWN") where.push({ sql: "t.device_id = ''", params: [] });
    if (f.securityGroups !== undefined) {
      const inner = anyOf("g.security_group_id", f.securityGroups)[0]!;
      where.push({ sql: `EXISTS (SELECT 1 FROM vpc_port_security_groups g WHERE g.port_id = t.id AND ${inner.sql})`, params: inner.params });
    }
    return this.sql.page({ select: SELECT_PORT, table: "vpc_ports", projectId, where, page, map: toPort });
  }

  portsOfDevice(projectId: string, deviceId: string): PortRow[] {
    return all(
      toPort,
      this.sql.st(`${SELECT_PORT} FROM vpc_ports t WHERE t.project_id = ? AND t.device_id = ? ORDER BY t.seq`).all(projectId, deviceId),
    );
  }

  /** The ports of each device, in creation order, with their EIPs' addresses: one query for any number of devices. */
  portsOfDevices(projectId: string, deviceIds: readonly string[]): DevicePortRow[] {
    if (deviceIds.length === 0) return [];
    const rows =
      deviceIds.length === 1
        ? this.devicePorts.one.all(projectId, deviceIds[0])
        : this.devicePorts.many.all({ project_id: projectId, ids: JSON.stringify(deviceIds) });
    return all(toDevicePort, rows);
  }

  portCount(projectId: string): number {
    return this.sql.count("vpc_ports", projectId);
  }

  macInUse(mac: string): boolean {
    return this.sql.st("SELECT 1 FROM vpc_ports WHERE mac_address = ?").get(mac) !== undefined;
  }

  /** Whether the address is taken in the subnet (by a port, a private IP or the gateway). */
  ipTaken(subnetId: string, ip: number): boolean {
    return this.sql.st("SELECT 1 FROM vpc_ip_allocations WHERE subnet_id = ? AND ip = ?").get(subnetId, ip) !== undefined;
  }

  /**
   * The lowest free address in [lo, hi], or undefined when none is left. Starts at the subnet's hint
   * (everything below it is taken) and walks the allocations index to the end of the run of taken
   * addresses there; never looks at the free part of the range.
   */
  lowestFree(subnetId: string, lo: number, hi: number): number | undefined {
    const hint: unknown = this.sql.st("SELECT alloc_hint FROM vpc_subnets WHERE id = ?").pluck().get(subnetId);
    const start = Math.max(lo, typeof hint === "number" ? hint : lo);
    if (start > hi) return undefined;
    if (!this.ipTaken(subnetId, start)) return start;
    const next: unknown = this.sql
      .st(`SELECT a.ip + 1 FROM vpc_ip_allocations a WHERE a.subnet_id = ? AND a.ip >= ? AND a.ip < ?
        AND NOT EXISTS (SELECT 1 FROM vpc_ip_allocations b WHERE b.subnet_id = a.subnet_id AND b.ip = a.ip + 1)
        ORDER BY a.ip LIMIT 1`)
      .pluck()
      .get(subnetId, start, hi);
    return typeof next === "number" ? next : undefined;
  }

  /** After handing out `ip` as the lowest free address: everything up to it is taken. */
  raiseHint(subnetId: string, ip: number): void {
    this.sql.st("UPDATE vpc_subnets SET alloc_hint = ? WHERE id = ? AND alloc_hint <= ?").run(ip + 1, subnetId, ip);
  }

  /** Inserts the port, its address allocation and its security groups. Run inside a transaction. */
  insertPort(p: NewPort): void {
    this.sql
      .st(`INSERT INTO vpc_ports (id, project_id, subnet_id, name, ip_address, mac_address, device_id, device_owner, admin_state_up,
        kind, allowed_address_pairs, extra_dhcp_opts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        p.id,
        p.projectId,
        p.subnetId,
        p.name,
        p.ipAddress,
        p.macAddress,
        p.deviceId,
        p.deviceOwner,
        p.adminStateUp ? 1 : 0,
        p.kind,
        JSON.stringify(p.allowedAddressPairs),
        JSON.stringify(p.extraDhcpOpts),
        p.now,
        p.now,
      );
    this.sql.st("INSERT INTO vpc_ip_allocations (subnet_id, ip, port_id) VALUES (?, ?, ?)").run(p.subnetId, p.ip, p.id);
    this.setGroups(p.id, p.securityGroups);
  }

  private setGroups(portId: string, groups: string[]): void {
    this.sql.st("DELETE FROM vpc_port_security_groups WHERE port_id = ?").run(portId);
    const add = this.sql.st("INSERT OR IGNORE INTO vpc_port_security_groups (port_id, security_group_id, position) VALUES (?, ?, ?)");
    groups.forEach((g, i) => add.run(portId, g, i));
  }

  updatePort(id: string, p: PortPatch, now: number): void {
    this.sql
      .st(`UPDATE vpc_ports SET name = coalesce(?, name), allowed_address_pairs = coalesce(?, allowed_address_pairs),
        extra_dhcp_opts = coalesce(?, extra_dhcp_opts), device_id = coalesce(?, device_id),
        device_owner = coalesce(?, device_owner), updated_at = ? WHERE id = ?`)
      .run(
        p.name ?? null,
        p.allowedAddressPairs === undefined ? null : JSON.stringify(p.allowedAddressPairs),
        p.extraDhcpOpts === undefined ? null : JSON.stringify(p.extraDhcpOpts),
        p.deviceId ?? null,
        p.deviceOwner ?? null,
        now,
        id,
      );
    if (p.securityGroups !== undefined) this.setGroups(id, p.securityGroups);
  }

  /** Deletes the port: its address is free again, and a public IP bound to it is unbound (ON DELETE). */
  deletePort(id: string): void {
    this.sql
      .st(`UPDATE vpc_subnets SET alloc_hint = min(alloc_hint, coalesce((SELECT ip FROM vpc_ip_allocations WHERE port_id = ?), alloc_hint))
        WHERE id = (SELECT subnet_id FROM vpc_ports WHERE id = ?)`)
      .run(id, id);
    this.sql.st("DELETE FROM vpc_ports WHERE id = ?").run(id);
  }
}
