// Public IPs (EIPs) and bandwidths. Public addresses are unique across every project: one pool.
import { all, maybe } from "../../../store/rows.ts";
import { anyOf, eq, type Page, type PageRequest, type Sql } from "./sql.ts";
import { toBandwidth, toPublicIp, type BandwidthRow, type PublicIpRow } from "./rows.ts";

const SELECT_EIP = `SELECT t.*, p.ip_address AS private_ip_address, b.name AS bandwidth_name, b.size AS bandwidth_size,
  b.share_type AS bandwidth_share_type, b.charge_mode AS bandwidth_charge_mode`;
const FROM_EIP = "vpc_publicips t JOIN vpc_bandwidths b ON b.id = t.bandwidth_id LEFT JOIN vpc_ports p ON p.id = t.port_id";

export interface PublicIpFilter {
  ids?: string[];
  portIds?: string[];
  publicIpAddresses?: string[];
  privateIpAddresses?: string[];
  enterpriseProjectId?: string;
}

export interface NewPublicIp {
  id: string;
  projectId: string;
  type: string;
  ip: number;
  publicIpAddress: string;
  alias: string;
  portId: string | null;
  bandwidthId: string;
  enterpriseProjectId: string;
  now: number;
}

export interface NewBandwidth {
  id: string;
  projectId: string;
  name: string;
  size: number;
  shareType: "PER" | "WHOLE";
  chargeMode: string;
  enterpriseProjectId: string;
  now: number;
}

export class PublicIpStore {
  constructor(private readonly sql: Sql) {}

  publicIp(projectId: string, id: string): PublicIpRow | undefined {
    return maybe(toPublicIp, this.sql.st(`${SELECT_EIP} FROM ${FROM_EIP} WHERE t.id = ? AND t.project_id = ?`).get(id, projectId));
  }

  publicIps(projectId: string, f: PublicIpFilter, page: PageRequest): Page<PublicIpRow> {
    return this.sql.page({
      select: SELECT_EIP,
      table: FROM_EIP,
      markerTable: "vpc_publicips",
      projectId,
      where: [
        ...anyOf("t.id", f.ids),
        ...anyOf("t.port_id", f.portIds),
        ...anyOf("t.public_ip_address", f.publicIpAddresses),
        ...anyOf("p.ip_address", f.privateIpAddresses),
        ...eq("t.enterprise_project_id", f.enterpriseProjectId),
      ],
      page,
      map: toPublicIp,
    });
  }

  publicIpsOfPort(projectId: string, portId: string): PublicIpRow[] {
    return all(toPublicIp, this.sql.st(`${SELECT_EIP} FROM ${FROM_EIP} WHERE t.project_id = ? AND t.port_id = ?`).all(projectId, portId));
  }

  publicIpsOfBandwidth(bandwidthId: string): PublicIpRow[] {
    return all(toPublicIp, this.sql.st(`${SELECT_EIP} FROM ${FROM_EIP} WHERE t.bandwidth_id = ? ORDER BY t.seq`).all(bandwidthId));
  }

  publicIpCount(projectId: string): number {
    return this.sql.count("vpc_publicips", projectId);
  }

  /** Public IPs of the project that sit in shared (WHOLE) bandwidths. */
  sharedPublicIpCount(projectId: string): number {
    const n: unknown = this.sql
      .st(`SELECT count(*) FROM vpc_publicips t JOIN vpc_bandwidths b ON b.id = t.bandwidth_id
        WHERE t.project_id = ? AND b.share_type = 'WHOLE'`)
      .pluck()
      .get(projectId);
    return typeof n === "number" ? n : 0;
  }

  addressTaken(ip: number): boolean {
    return this.sql.st("SELECT 1 FROM vpc_publicips WHERE ip_int = ?").get(ip) !== undefined;
  }

  /** The lowest free public address in [lo, hi] (see PortStore.lowestFree). */
  lowestFree(lo: number, hi: number): number | undefined {
    if (!this.addressTaken(lo)) return lo;
    const next: unknown = this.sql
      .st(`SELECT a.ip_int + 1 FROM vpc_publicips a WHERE a.ip_int >= ? AND a.ip_int < ?
        AND NOT EXISTS (SELECT 1 FROM vpc_publicips b WHERE b.ip_int = a.ip_int + 1) ORDER BY a.ip_int LIMIT 1`)
      .pluck()
      .get(lo, hi);
    return typeof next === "number" ? next : undefined;
  }

  insertPublicIp(e: NewPublicIp): void {
    this.sql
      .st(`INSERT INTO vpc_publicips (id, project_id, type, ip_int, public_ip_address, alias, port_id, bandwidth_id,
        enterprise_project_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(e.id, e.projectId, e.type, e.ip, e.publicIpAddress, e.alias, e.portId, e.bandwidthId, e.enterpriseProjectId, e.now, e.now);
  }

  setPort(id: string, portId: string | null, now: number): void {
    this.sql.st("UPDATE vpc_publicips SET port_id = ?, updated_at = ? WHERE id = ?").run(portId, now, id);
  }

  setAlias(id: string, alias: string, now: number): void {
    this.sql.st("UPDATE vpc_publicips SET alias = ?, updated_at = ? WHERE id = ?").run(alias, now, id);
  }

  deletePublicIp(id: string): void {
    this.sql.st("DELETE FROM vpc_publicips WHERE id = ?").run(id);
  }

  bandwidth(projectId: string, id: string): BandwidthRow | undefined {
    return maybe(toBandwidth, this.sql.st("SELECT * FROM vpc_bandwidths WHERE id = ? AND project_id = ?").get(id, projectId));
  }

  bandwidths(projectId: string, f: { shareType?: string; enterpriseProjectId?: string }, page: PageRequest): Page<BandwidthRow> {
    return this.sql.page({
      select: "SELECT t.*",
      table: "vpc_bandwidths",
      projectId,
      where: [...eq("t.share_type", f.shareType), ...eq("t.enterprise_project_id", f.enterpriseProjectId)],
      page,
      map: toBandwidth,
    });
  }

  sharedBandwidthCount(projectId: string): number {
    return this.sql.count("vpc_bandwidths", projectId, " AND share_type = 'WHOLE'");
  }

  insertBandwidth(b: NewBandwidth): void {
    this.sql
      .st(`INSERT INTO vpc_bandwidths (id, project_id, name, size, share_type, charge_mode, enterprise_project_id, created_at,
        updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(b.id, b.projectId, b.name, b.size, b.shareType, b.chargeMode, b.enterpriseProjectId, b.now, b.now);
  }

  updateBandwidth(id: string, patch: { name?: string; size?: number }, now: number): void {
    this.sql
      .st("UPDATE vpc_bandwidths SET name = coalesce(?, name), size = coalesce(?, size), updated_at = ? WHERE id = ?")
      .run(patch.name ?? null, patch.size ?? null, now, id);
  }

  deleteBandwidth(id: string): void {
    this.sql.st("DELETE FROM vpc_bandwidths WHERE id = ?").run(id);
  }
}
