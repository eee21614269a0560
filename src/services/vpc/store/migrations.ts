// VPC's tables. Every resource table has `seq`, an ever-growing integer that orders lists and makes
// Huawei's marker paging (marker = id of the last item seen) one indexed range query. Addresses are stored
// as integers: vpc_ip_allocations holds every address taken in a subnet (the gateway, ports, private IPs)
// under one primary key, so a free address is found by walking that index to the first gap.
export const VPC_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE vpc_vpcs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    name TEXT NOT NULL, description TEXT NOT NULL, cidr TEXT NOT NULL, routes TEXT NOT NULL DEFAULT '[]',
    enterprise_project_id TEXT NOT NULL DEFAULT '0', tags TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_vpcs_project ON vpc_vpcs(project_id, seq);

  CREATE TABLE vpc_subnets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    vpc_id TEXT NOT NULL REFERENCES vpc_vpcs(id), name TEXT NOT NULL, description TEXT NOT NULL,
    cidr TEXT NOT NULL, gateway_ip TEXT NOT NULL, dhcp_enable INTEGER NOT NULL,
    primary_dns TEXT NOT NULL, secondary_dns TEXT NOT NULL, dns_list TEXT NOT NULL DEFAULT '[]',
    availability_zone TEXT NOT NULL, neutron_subnet_id TEXT NOT NULL UNIQUE,
    extra_dhcp_opts TEXT NOT NULL DEFAULT '[]', tags TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_subnets_project ON vpc_subnets(project_id, seq);
  CREATE INDEX vpc_subnets_vpc ON vpc_subnets(vpc_id);

  CREATE TABLE vpc_security_groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    name TEXT NOT NULL, description TEXT NOT NULL, vpc_id TEXT, enterprise_project_id TEXT NOT NULL DEFAULT '0',
    is_default INTEGER NOT NULL DEFAULT 0, tags TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_security_groups_project ON vpc_security_groups(project_id, seq);
  CREATE UNIQUE INDEX vpc_security_groups_default ON vpc_security_groups(project_id) WHERE is_default = 1;

  CREATE TABLE vpc_security_group_rules (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    security_group_id TEXT NOT NULL REFERENCES vpc_security_groups(id) ON DELETE CASCADE,
    direction TEXT NOT NULL, ethertype TEXT NOT NULL, protocol TEXT,
    port_range_min INTEGER, port_range_max INTEGER, multiport TEXT,
    remote_ip_prefix TEXT, remote_group_id TEXT REFERENCES vpc_security_groups(id) ON DELETE CASCADE,
    remote_address_group_id TEXT, description TEXT NOT NULL, action TEXT NOT NULL, priority INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1, dedupe_key TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    UNIQUE (security_group_id, dedupe_key));
  CREATE INDEX vpc_rules_project ON vpc_security_group_rules(project_id, seq);
  CREATE INDEX vpc_rules_remote_group ON vpc_security_group_rules(remote_group_id);

  CREATE TABLE vpc_ports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    subnet_id TEXT NOT NULL REFERENCES vpc_subnets(id), name TEXT NOT NULL, ip_address TEXT NOT NULL,
    mac_address TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL, device_owner TEXT NOT NULL,
    admin_state_up INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('port', 'privateip')),
    allowed_address_pairs TEXT NOT NULL DEFAULT '[]', extra_dhcp_opts TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_ports_project ON vpc_ports(project_id, seq);
  CREATE INDEX vpc_ports_subnet ON vpc_ports(subnet_id, seq);
  CREATE INDEX vpc_ports_device ON vpc_ports(project_id, device_id);

  CREATE TABLE vpc_port_security_groups (
    port_id TEXT NOT NULL REFERENCES vpc_ports(id) ON DELETE CASCADE,
    security_group_id TEXT NOT NULL REFERENCES vpc_security_groups(id),
    position INTEGER NOT NULL, PRIMARY KEY (port_id, security_group_id)) WITHOUT ROWID;
  CREATE INDEX vpc_port_sgs_group ON vpc_port_security_groups(security_group_id);

  -- port_id NULL: the subnet's gateway.
  CREATE TABLE vpc_ip_allocations (
    subnet_id TEXT NOT NULL REFERENCES vpc_subnets(id) ON DELETE CASCADE, ip INTEGER NOT NULL,
    port_id TEXT REFERENCES vpc_ports(id) ON DELETE CASCADE,
    PRIMARY KEY (subnet_id, ip)) WITHOUT ROWID;
  CREATE INDEX vpc_ip_allocations_port ON vpc_ip_allocations(port_id);

  CREATE TABLE vpc_bandwidths (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    name TEXT NOT NULL, size INTEGER NOT NULL, share_type TEXT NOT NULL CHECK (share_type IN ('PER', 'WHOLE')),
    charge_mode TEXT NOT NULL, enterprise_project_id TEXT NOT NULL DEFAULT '0',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_bandwidths_project ON vpc_bandwidths(project_id, seq);

  -- ip_int is unique across all projects and regions: hwlocal's public pool is one block.
  CREATE TABLE vpc_publicips (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    type TEXT NOT NULL, ip_int INTEGER NOT NULL UNIQUE, public_ip_address TEXT NOT NULL,
    alias TEXT NOT NULL DEFAULT '', port_id TEXT REFERENCES vpc_ports(id) ON DELETE SET NULL,
    bandwidth_id TEXT NOT NULL REFERENCES vpc_bandwidths(id), enterprise_project_id TEXT NOT NULL DEFAULT '0',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_publicips_project ON vpc_publicips(project_id, seq);
  CREATE UNIQUE INDEX vpc_publicips_port ON vpc_publicips(port_id) WHERE port_id IS NOT NULL;
  CREATE INDEX vpc_publicips_bandwidth ON vpc_publicips(bandwidth_id);
  `,
  // Where the search for a subnet's lowest free address starts: every allocatable address below it is
  // taken. Raised past each address handed out lowest-first, lowered by each release, in the same
  // transaction, so a search walks only the run of taken addresses at the hint (usually none).
  `ALTER TABLE vpc_subnets ADD COLUMN alloc_hint INTEGER NOT NULL DEFAULT 0;`,
  // Neutron (store/neutron.ts). vpc_neutron_networks: networks made through /v2.0/networks (origin
  // 'neutron'), and neutron's own attributes of a VPC subnet's network (origin 'vpc', same id as the subnet,
  // ignored once that subnet is gone). vpc_neutron_interfaces: a subnet's router interface; no row means
  // attached (VPC's subnets are their VPC's interfaces), attached 0 a subnet made through neutron and not
  // yet added to its router. vpc_neutron_routers: a router's (VPC's) neutron attributes. vpc_neutron_firewall: FWaaS v2 rules, policies and groups as JSON documents.
  `
  CREATE TABLE vpc_neutron_networks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('neutron', 'vpc')), name TEXT NOT NULL,
    admin_state_up INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_neutron_networks_project ON vpc_neutron_networks(project_id, seq);
  CREATE TABLE vpc_neutron_interfaces (
    subnet_id TEXT PRIMARY KEY REFERENCES vpc_subnets(id) ON DELETE CASCADE,
    attached INTEGER NOT NULL, port_id TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE vpc_neutron_routers (
    id TEXT PRIMARY KEY REFERENCES vpc_vpcs(id) ON DELETE CASCADE,
    admin_state_up INTEGER NOT NULL, external_network_id TEXT) WITHOUT ROWID;
  CREATE TABLE vpc_neutron_firewall (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rule', 'policy', 'group')), doc TEXT NOT NULL);
  CREATE INDEX vpc_neutron_firewall_project ON vpc_neutron_firewall(project_id, kind, seq);
  `,
  // Tags on ports (the v3 port tag APIs); a VPC's extension CIDRs (v3 add/remove-extend-cidr); and
  // vpc_documents: the resources kept as JSON documents (store/documents.ts) — peerings (also seen by the
  // accepting project, peer_project_id), routes, route tables, flow logs, address groups, v3 firewalls,
  // sub-network interfaces, traffic mirror filters, their rules and sessions, clouddcn subnets — with
  // their tags beside the document.
  `
  ALTER TABLE vpc_ports ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE vpc_vpcs ADD COLUMN extend_cidrs TEXT NOT NULL DEFAULT '[]';
  CREATE TABLE vpc_documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
    kind TEXT NOT NULL, peer_project_id TEXT, doc TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  CREATE INDEX vpc_documents_project ON vpc_documents(project_id, kind, seq);
  CREATE INDEX vpc_documents_peer ON vpc_documents(peer_project_id, kind) WHERE peer_project_id IS NOT NULL;
  `,
];
