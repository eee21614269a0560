// Stored rows → wire JSON (elb-facts §3): the only place that spells ELB's response fields.
import { isoSeconds } from "../../kernel/time.ts";
import type { LoadBalancerDoc, ListenerDoc, MemberDoc, MonitorDoc, PoolDoc } from "./model.ts";
import type { DocRow } from "./store/docs.ts";

const ids = (rows: { id: string }[]) => rows.map((r) => ({ id: r.id }));

export function loadBalancerView(
  r: DocRow<LoadBalancerDoc>,
  children: { listeners: { id: string }[]; pools: { id: string }[] },
  operatingStatus = "ONLINE",
): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    name: d.name,
    description: d.description,
    provisioning_status: "ACTIVE",
    operating_status: operatingStatus,
    admin_state_up: true,
    provider: "vlb",
    project_id: r.projectId,
    vpc_id: d.vpc_id,
    vip_subnet_cidr_id: d.vip_subnet_cidr_id,
    vip_address: d.vip_address,
    vip_port_id: d.vip_port_id,
    ipv6_vip_address: null,
    ipv6_vip_virsubnet_id: d.ipv6_vip_virsubnet_id,
    ipv6_vip_port_id: null,
    availability_zone_list: d.availability_zone_list,
    l4_flavor_id: d.l4_flavor_id,
    l7_flavor_id: d.l7_flavor_id,
    l4_scale_flavor_id: null,
    l7_scale_flavor_id: null,
    listeners: ids(children.listeners),
    pools: ids(children.pools),
    tags: d.tags,
    eips: d.eips,
    publicips: d.eips.map((e) => ({ publicip_id: e.eip_id, publicip_address: e.eip_address, ip_version: e.ip_version })),
    global_eips: [],
    elb_virsubnet_ids: d.elb_virsubnet_ids,
    elb_virsubnet_type: "ipv4",
    ip_target_enable: d.ip_target_enable,
    guaranteed: true,
    billing_info: null,
    enterprise_project_id: d.enterprise_project_id,
    frozen_scene: null,
    deletion_protection_enable: d.deletion_protection_enable,
    autoscaling: { enable: false, min_l7_flavor_id: null },
    public_border_group: "center",
    waf_failure_action: "",
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

export function listenerView(r: DocRow<ListenerDoc>, l7policies: { id: string }[]): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    name: d.name,
    description: d.description,
    protocol: d.protocol,
    protocol_port: d.protocol_port,
    project_id: r.projectId,
    admin_state_up: d.admin_state_up,
    loadbalancers: [{ id: d.loadbalancer_id }],
    default_pool_id: d.default_pool_id,
    default_tls_container_ref: d.default_tls_container_ref,
    client_ca_tls_container_ref: d.client_ca_tls_container_ref,
    sni_container_refs: d.sni_container_refs,
    sni_match_algo: "wildcard",
    tls_ciphers_policy: d.tls_ciphers_policy,
    security_policy_id: d.security_policy_id ?? null,
    http2_enable: d.http2_enable,
    insert_headers: d.insert_headers,
    keepalive_timeout: d.keepalive_timeout,
    client_timeout: d.client_timeout,
    member_timeout: d.member_timeout,
    connection_limit: -1,
    enable_member_retry: true,
    ipgroup: d.ipgroup,
    transparent_client_ip_enable: d.protocol === "TCP" || d.protocol === "UDP",
    enhance_l7policy_enable: d.enhance_l7policy_enable,
    l7policies: l7policies.map((p) => ({ id: p.id })),
    tags: d.tags,
    quic_config: null,
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

export function poolView(r: DocRow<PoolDoc>, members: { id: string }[], healthmonitorId: string | null): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    name: d.name,
    description: d.description,
    project_id: r.projectId,
    admin_state_up: d.admin_state_up,
    lb_algorithm: d.lb_algorithm,
    protocol: d.protocol,
    listeners: d.listener_id ? [{ id: d.listener_id }] : [],
    loadbalancers: d.loadbalancer_id ? [{ id: d.loadbalancer_id }] : [],
    members: ids(members),
    healthmonitor_id: healthmonitorId,
    session_persistence: d.session_persistence,
    slow_start: d.slow_start,
    ip_version: d.protocol === "TCP" || d.protocol === "UDP" || d.protocol === "QUIC" ? "dualstack" : "v4",
    member_deletion_protection_enable: d.member_deletion_protection_enable,
    vpc_id: d.vpc_id,
    type: d.type,
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

/** NO_MONITOR when the pool has no monitor; else the member's health (health.ts). */
export function memberStatus(d: MemberDoc, monitored: boolean): string {
  return monitored ? d.health : "NO_MONITOR";
}

export function memberView(r: DocRow<MemberDoc>, opts: { monitored: boolean; listenerId: string | null; loadbalancerId: string | null }): Record<string, unknown> {
  const d = r.doc;
  const status = memberStatus(d, opts.monitored);
  return {
    id: r.id,
    name: d.name,
    project_id: r.projectId,
    pool_id: d.pool_id,
    loadbalancer_id: opts.loadbalancerId,
    address: d.address,
    protocol_port: d.protocol_port,
    weight: d.weight,
    subnet_cidr_id: d.subnet_cidr_id,
    admin_state_up: d.admin_state_up,
    ip_version: d.address.includes(":") ? "v6" : "v4",
    operating_status: status,
    status: opts.listenerId ? [{ listener_id: opts.listenerId, operating_status: status }] : [],
    member_type: d.subnet_cidr_id ? "instance" : "ip",
    instance_id: d.instance_id ?? "",
    device_id: d.instance_id ?? "",
    device_owner: d.instance_id ? "compute:instance" : "",
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

export function monitorView(r: DocRow<MonitorDoc>): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    name: d.name,
    project_id: r.projectId,
    admin_state_up: d.admin_state_up,
    pools: [{ id: d.pool_id }],
    type: d.type,
    delay: d.delay,
    timeout: d.timeout,
    max_retries: d.max_retries,
    max_retries_down: d.max_retries_down,
    monitor_port: d.monitor_port,
    domain_name: d.domain_name,
    url_path: d.url_path,
    expected_codes: d.expected_codes,
    http_method: d.http_method,
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}
