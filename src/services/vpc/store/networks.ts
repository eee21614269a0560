// VPCs and subnets. Every lookup is limited to one project: another project's id is simply not found.
import { all, maybe } from "../../../store/rows.ts";
import { anyOf, eq, type Page, type PageRequest, type Sql } from "./sql.ts";
import { toSubnet, toVpc, type DhcpOption, type Route, type SubnetRow, type Tag, type VpcRow } from "./rows.ts";

export interface VpcFilter {
  ids?: string[];
  names?: string[];
  descriptions?: string[];
  cidrs?: string[];
  enterpriseProjectId?: string;
}

export interface NewVpc {
  id: string;
  projectId: string;
  name: string;
  description: string;
  cidr: string;
  enterpriseProjectId: string;
  tags: Tag[];
  now: number;
}

export interface VpcPatch {
  name?: string;
  description?: string;
  cidr?: string;
  routes?: Route[];
}

export interface NewSubnet {
  id: string;
  projectId: string;
  vpcId: string;
  name: string;
  description: string;
  cidr: string;
  gatewayIp: string;
  gatewayInt: number;
  dhcpEnable: boolean;
  primaryDns: string;
  secondaryDns: string;
  dnsList: string[];
  availabilityZone: string;
  neutronSubnetId: string;
  extraDhcpOpts: DhcpOption[];
  tags: Tag[];
  now: number;
}

export interface SubnetPatch {
  name?: string;
  description?: string;
  dhcpEnable?: boolean;
  primaryDns?: string;
  secondaryDns?: string;
  dnsList?: string[];
  extraDhcpOpts?: DhcpOption[];
}

export class NetworkStore {
  constructor(private readonly sql: Sql) {}

  vpc(projectId: string, id: string): VpcRow | undefined {
    return maybe(toVpc, this.sql.st("SELECT * FROM vpc_vpcs WHERE id = ? AND project_id = ?").get(id, projectId));
  }

  vpcs(projectId: string, filter: VpcFilter, page: PageRequest): Page<VpcRow> {
    return this.sql.page({
      select: "SELECT t.*",
      table: "vpc_vpcs",
      projectId,
      where: [
        ...anyOf("t.id", filter.ids),
        ...anyOf("t.name", filter.names),
        ...anyOf("t.description", filter.descriptions),
        ...anyOf("t.cidr", filter.cidrs),
        ...eq("t.enterprise_project_id", filter.enterpriseProjectId),
      ],
      page,
      map: toVpc,
    });
  }

  vpcCount(projectId: string): number {
    return this.sql.count("vpc_vpcs", projectId);
  }

  insertVpc(v: NewVpc): void {
    this.sql
      .st(`INSERT INTO vpc_vpcs (id, project_id, name, description, cidr, enterprise_project_id, tags, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(v.id, v.projectId, v.name, v.description, v.cidr, v.enterpriseProjectId, JSON.stringify(v.tags), v.now, v.now);
  }

  updateVpc(id: string, patch: VpcPatch, now: number): void {
    this.sql
      .st(`UPDATE vpc_vpcs SET name = coalesce(?, name), description = coalesce(?, description), cidr = coalesce(?, cidr),
        routes = coalesce(?, routes), updated_at = ? WHERE id = ?`)
      .run(
        patch.name ?? null,
        patch.description ?? null,
        patch.cidr ?? null,
        patch.routes === undefined ? null : JSON.stringify(patch.routes),
        now,
        id,
      );
  }

  setExtendCidrs(id: string, cidrs: string[], now: number): void {
    this.sql.st("UPDATE vpc_vpcs SET extend_cidrs = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(cidrs), now, id);
  }

  deleteVpc(id: string): void {
    this.sql.st("DELETE FROM vpc_vpcs WHERE id = ?").run(id);
  }

  subnet(projectId: string, id: string): SubnetRow | undefined {
    return maybe(toSubnet, this.sql.st("SELECT * FROM vpc_subnets WHERE id = ? AND project_id = ?").get(id, projectId));
  }

  /** A subnet by its v1 id or by its neutron_subnet_id (ports' fixed_ips name the latter). */
  subnetByAnyId(projectId: string, id: string): SubnetRow | undefined {
    return (
      this.subnet(projectId, id) ??
      maybe(toSubnet, this.sql.st("SELECT * FROM vpc_subnets WHERE neutron_subnet_id = ? AND project_id = ?").get(id, projectId))
    );
  }

  subnets(projectId: string, filter: { vpcId?: string }, page: PageRequest): Page<SubnetRow> {
    return this.sql.page({
      select: "SELECT t.*",
      table: "vpc_subnets",
      projectId,
      where: eq("t.vpc_id", filter.vpcId),
      page,
      map: toSubnet,
    });
  }

  subnetsOfVpc(vpcId: string): SubnetRow[] {
    return all(toSubnet, this.sql.st("SELECT * FROM vpc_subnets WHERE vpc_id = ? ORDER BY seq").all(vpcId));
  }

  subnetCount(projectId: string): number {
    return this.sql.count("vpc_subnets", projectId);
  }

  /** Inserts the subnet and takes its gateway address, so that no port can get it. */
  insertSubnet(s: NewSubnet): void {
    this.sql
      .st(`INSERT INTO vpc_subnets (id, project_id, vpc_id, name, description, cidr, gateway_ip, dhcp_enable, primary_dns,
        secondary_dns, dns_list, availability_zone, neutron_subnet_id, extra_dhcp_opts, tags, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        s.id,
        s.projectId,
        s.vpcId,
        s.name,
        s.description,
        s.cidr,
        s.gatewayIp,
        s.dhcpEnable ? 1 : 0,
        s.primaryDns,
        s.secondaryDns,
        JSON.stringify(s.dnsList),
        s.availabilityZone,
        s.neutronSubnetId,
        JSON.stringify(s.extraDhcpOpts),
        JSON.stringify(s.tags),
        s.now,
        s.now,
      );
    this.sql.st("INSERT INTO vpc_ip_allocations (subnet_id, ip, port_id) VALUES (?, ?, NULL)").run(s.id, s.gatewayInt);
  }

  updateSubnet(id: string, p: SubnetPatch, now: number): void {
    this.sql
      .st(`UPDATE vpc_subnets SET name = coalesce(?, name), description = coalesce(?, description),
        dhcp_enable = coalesce(?, dhcp_enable), primary_dns = coalesce(?, primary_dns), secondary_dns = coalesce(?, secondary_dns),
        dns_list = coalesce(?, dns_list), extra_dhcp_opts = coalesce(?, extra_dhcp_opts), updated_at = ? WHERE id = ?`)
      .run(
        p.name ?? null,
        p.description ?? null,
        p.dhcpEnable === undefined ? null : p.dhcpEnable ? 1 : 0,
        p.primaryDns ?? null,
        p.secondaryDns ?? null,
        p.dnsList === undefined ? null : JSON.stringify(p.dnsList),
        p.extraDhcpOpts === undefined ? null : JSON.stringify(p.extraDhcpOpts),
        now,
        id,
      );
  }

  /** Deletes the subnet; its gateway allocation goes with it (ON DELETE CASCADE). */
  deleteSubnet(id: string): void {
    this.sql.st("DELETE FROM vpc_subnets WHERE id = ?").run(id);
  }

  /** How many ports and private IPs a subnet holds. */
  portsInSubnet(subnetId: string): number {
    const n: unknown = this.sql.st("SELECT count(*) FROM vpc_ports WHERE subnet_id = ?").pluck().get(subnetId);
    return typeof n === "number" ? n : 0;
  }
}
