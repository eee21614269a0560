// Neutron's own state beside VPC's tables (migration 3): networks made through neutron and neutron's
// attributes of VPC subnets' networks, router interfaces, routers' attributes, FWaaS documents.
import { all, flag, int, maybe, oneOf, text, textOrNull, type SqlRow } from "../../../store/rows.ts";
import type { Sql } from "./sql.ts";

export interface NeutronNetworkRow {
  seq: number;
  id: string;
  project_id: string;
  origin: "neutron" | "vpc";
  name: string;
  admin_state_up: boolean;
  created_at: number;
  updated_at: number;
}
const toNetwork = (r: SqlRow): NeutronNetworkRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  origin: oneOf(r, "origin", ["neutron", "vpc"] as const),
  name: text(r, "name"),
  admin_state_up: flag(r, "admin_state_up"),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export interface InterfaceRow {
  subnet_id: string;
  attached: boolean;
  port_id: string;
}

export interface RouterAttrs {
  admin_state_up: boolean;
  external_network_id: string | null;
}

export type FirewallKind = "rule" | "policy" | "group";

export interface FirewallDocRow {
  id: string;
  project_id: string;
  doc: unknown;
}
const toDoc = (r: SqlRow): FirewallDocRow => ({ id: text(r, "id"), project_id: text(r, "project_id"), doc: JSON.parse(text(r, "doc")) });

export class NeutronStore {
  constructor(private readonly sql: Sql) {}

  network(projectId: string, id: string): NeutronNetworkRow | undefined {
    return maybe(toNetwork, this.sql.st("SELECT * FROM vpc_neutron_networks WHERE id = ? AND project_id = ?").get(id, projectId));
  }

  networks(projectId: string): NeutronNetworkRow[] {
    return all(toNetwork, this.sql.st("SELECT * FROM vpc_neutron_networks WHERE project_id = ? ORDER BY seq").all(projectId));
  }

  insertNetwork(n: Omit<NeutronNetworkRow, "seq" | "updated_at">): void {
    this.sql
      .st(`INSERT INTO vpc_neutron_networks (id, project_id, origin, name, admin_state_up, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(n.id, n.project_id, n.origin, n.name, n.admin_state_up ? 1 : 0, n.created_at, n.created_at);
  }

  updateNetwork(id: string, patch: { name?: string; adminStateUp?: boolean; origin?: "neutron" | "vpc" }, now: number): void {
    this.sql
      .st(`UPDATE vpc_neutron_networks SET name = coalesce(?, name), admin_state_up = coalesce(?, admin_state_up),
        origin = coalesce(?, origin), updated_at = ? WHERE id = ?`)
      .run(patch.name ?? null, patch.adminStateUp === undefined ? null : patch.adminStateUp ? 1 : 0, patch.origin ?? null, now, id);
  }

  deleteNetwork(id: string): void {
    this.sql.st("DELETE FROM vpc_neutron_networks WHERE id = ?").run(id);
  }

  interface(subnetId: string): InterfaceRow | undefined {
    const r: unknown = this.sql.st("SELECT * FROM vpc_neutron_interfaces WHERE subnet_id = ?").get(subnetId);
    return maybe((x) => ({ subnet_id: text(x, "subnet_id"), attached: flag(x, "attached"), port_id: text(x, "port_id") }), r);
  }

  setInterface(row: InterfaceRow): void {
    this.sql
      .st(`INSERT INTO vpc_neutron_interfaces (subnet_id, attached, port_id) VALUES (?, ?, ?)
        ON CONFLICT (subnet_id) DO UPDATE SET attached = excluded.attached, port_id = excluded.port_id`)
      .run(row.subnet_id, row.attached ? 1 : 0, row.port_id);
  }

  /** Moves a subnet that is no router's interface into another VPC (router add_router_interface). */
  moveSubnet(subnetId: string, vpcId: string, now: number): void {
    this.sql.st("UPDATE vpc_subnets SET vpc_id = ?, updated_at = ? WHERE id = ?").run(vpcId, now, subnetId);
  }

  router(id: string): RouterAttrs | undefined {
    const r: unknown = this.sql.st("SELECT * FROM vpc_neutron_routers WHERE id = ?").get(id);
    return maybe((x) => ({ admin_state_up: flag(x, "admin_state_up"), external_network_id: textOrNull(x, "external_network_id") }), r);
  }

  setRouter(id: string, attrs: RouterAttrs): void {
    this.sql
      .st(`INSERT INTO vpc_neutron_routers (id, admin_state_up, external_network_id) VALUES (?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET admin_state_up = excluded.admin_state_up, external_network_id = excluded.external_network_id`)
      .run(id, attrs.admin_state_up ? 1 : 0, attrs.external_network_id);
  }

  firewallDoc(projectId: string, kind: FirewallKind, id: string): FirewallDocRow | undefined {
    return maybe(toDoc, this.sql.st("SELECT * FROM vpc_neutron_firewall WHERE id = ? AND project_id = ? AND kind = ?").get(id, projectId, kind));
  }

  firewallDocs(projectId: string, kind: FirewallKind): FirewallDocRow[] {
    return all(toDoc, this.sql.st("SELECT * FROM vpc_neutron_firewall WHERE project_id = ? AND kind = ? ORDER BY seq").all(projectId, kind));
  }

  putFirewallDoc(projectId: string, kind: FirewallKind, id: string, doc: unknown): void {
    this.sql
      .st(`INSERT INTO vpc_neutron_firewall (id, project_id, kind, doc) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`)
      .run(id, projectId, kind, JSON.stringify(doc));
  }

  deleteFirewallDoc(id: string): void {
    this.sql.st("DELETE FROM vpc_neutron_firewall WHERE id = ?").run(id);
  }
}
