// ELB's resources as stored (each kind's JSON document, store/docs.ts) and the fixed catalogue data:
// flavors, quotas. Times are ms on hwlocal's clock; views.ts spells them.

export interface Tag {
  key: string;
  value: string;
}

export interface Eip {
  eip_id: string;
  eip_address: string;
  ip_version: number;
}

export interface LoadBalancerDoc {
  name: string;
  description: string;
  vpc_id: string;
  vip_subnet_cidr_id: string | null;
  vip_address: string | null;
  vip_port_id: string | null;
  ipv6_vip_virsubnet_id: string | null;
  availability_zone_list: string[];
  l4_flavor_id: string | null;
  l7_flavor_id: string | null;
  elb_virsubnet_ids: string[];
  ip_target_enable: boolean;
  deletion_protection_enable: boolean;
  enterprise_project_id: string;
  tags: Tag[];
  eips: Eip[];
  /** The EIP the load balancer created itself (publicip), released with it. */
  own_eip_id: string | null;
  created_at: number;
  updated_at: number;
}

export const LISTENER_PROTOCOLS = ["TCP", "UDP", "HTTP", "HTTPS", "TERMINATED_HTTPS", "QUIC"] as const;
export type ListenerProtocol = "TCP" | "UDP" | "HTTP" | "HTTPS" | "QUIC";

export interface ListenerDoc {
  loadbalancer_id: string;
  name: string;
  description: string;
  protocol: ListenerProtocol;
  protocol_port: number;
  default_pool_id: string | null;
  default_tls_container_ref: string | null;
  client_ca_tls_container_ref: string | null;
  sni_container_refs: string[];
  http2_enable: boolean;
  keepalive_timeout: number;
  client_timeout: number | null;
  member_timeout: number | null;
  insert_headers: Record<string, boolean>;
  tls_ciphers_policy: string | null;
  /** A custom security policy (security-policies.ts); optional: rows written before it existed lack it. */
  security_policy_id?: string | null;
  enhance_l7policy_enable: boolean;
  ipgroup: { ipgroup_id: string; enable_ipgroup: boolean; type: "white" | "black" } | null;
  tags: Tag[];
  admin_state_up: boolean;
  created_at: number;
  updated_at: number;
}

export const POOL_PROTOCOLS = ["TCP", "UDP", "HTTP", "HTTPS", "QUIC"] as const;
export type PoolProtocol = (typeof POOL_PROTOCOLS)[number];
export const LB_ALGORITHMS = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP", "QUIC_CID"] as const;
export const PERSISTENCE_TYPES = ["SOURCE_IP", "HTTP_COOKIE", "APP_COOKIE"] as const;

export interface SessionPersistence {
  type: (typeof PERSISTENCE_TYPES)[number];
  cookie_name: string | null;
  persistence_timeout: number;
}

export interface PoolDoc {
  loadbalancer_id: string | null;
  listener_id: string | null;
  name: string;
  description: string;
  lb_algorithm: (typeof LB_ALGORITHMS)[number];
  protocol: PoolProtocol;
  session_persistence: SessionPersistence | null;
  slow_start: { enable: boolean; duration: number } | null;
  member_deletion_protection_enable: boolean;
  vpc_id: string;
  type: string;
  admin_state_up: boolean;
  created_at: number;
  updated_at: number;
}

export type MemberHealth = "ONLINE" | "OFFLINE";

export interface MemberDoc {
  pool_id: string;
  name: string;
  address: string;
  protocol_port: number;
  weight: number;
  subnet_cidr_id: string | null;
  admin_state_up: boolean;
  /** The ECS whose primary NIC has the address; null until found (an ip member, or a server not ACTIVE). */
  instance_id: string | null;
  health: MemberHealth;
  /** Consecutive checks passed and failed (health.ts). */
  ok: number;
  fail: number;
  last_check_at: number;
  created_at: number;
  updated_at: number;
}

export const MONITOR_TYPES = ["TCP", "UDP_CONNECT", "HTTP", "HTTPS"] as const;

export interface MonitorDoc {
  pool_id: string;
  name: string;
  type: (typeof MONITOR_TYPES)[number];
  delay: number;
  timeout: number;
  max_retries: number;
  max_retries_down: number;
  monitor_port: number | null;
  domain_name: string | null;
  url_path: string;
  expected_codes: string;
  http_method: string;
  admin_state_up: boolean;
  created_at: number;
  updated_at: number;
}

export interface Flavor {
  id: string;
  name: string;
  type: "L4" | "L7";
  info: { connection: number; cps: number; qps: number; bandwidth: number; lcu: number; https_cps: number };
}

// hwlocal's flavors: ids are fixed so that configurations and scripts can name them.
export const FLAVORS: readonly Flavor[] = [
  { id: "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a4001", name: "L4_flavor.elb.s1.small", type: "L4", info: { connection: 500000, cps: 10000, qps: 0, bandwidth: 50000, lcu: 10, https_cps: 0 } },
  { id: "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a4002", name: "L4_flavor.elb.s2.medium", type: "L4", info: { connection: 1000000, cps: 20000, qps: 0, bandwidth: 100000, lcu: 20, https_cps: 0 } },
  { id: "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a4003", name: "L4_flavor.elb.s2.large", type: "L4", info: { connection: 2000000, cps: 40000, qps: 0, bandwidth: 200000, lcu: 40, https_cps: 0 } },
  { id: "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a7001", name: "L7_flavor.elb.s1.small", type: "L7", info: { connection: 200000, cps: 2000, qps: 4000, bandwidth: 50000, lcu: 10, https_cps: 200 } },
  { id: "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a7002", name: "L7_flavor.elb.s2.medium", type: "L7", info: { connection: 400000, cps: 4000, qps: 8000, bandwidth: 100000, lcu: 20, https_cps: 400 } },
  { id: "3b9a2f26-1c25-4e2f-9b4f-7a5f0e1a7003", name: "L7_flavor.elb.s2.large", type: "L7", info: { connection: 800000, cps: 8000, qps: 16000, bandwidth: 200000, lcu: 40, https_cps: 800 } },
];

export const DEFAULT_L4_FLAVOR = FLAVORS[0]!.id;
export const DEFAULT_L7_FLAVOR = FLAVORS[3]!.id;

/**
 * elb-facts §3.1's example figures (-1 is unlimited), except members: 1,000 a pool and 10,000 a project, so
 * that a pool of 1,000 members (issue 14's benchmark) fits.
 */
export const QUOTA = {
  loadbalancer: 50,
  certificate: 120,
  listener: 100,
  l7policy: 500,
  pool: 500,
  healthmonitor: -1,
  member: 10000,
  members_per_pool: 1000,
  ipgroup: 50,
  security_policy: 50,
} as const;

export interface CertificateDoc {
  name: string;
  description: string;
  type: "server" | "client";
  certificate: string;
  private_key: string | null;
  domain: string | null;
  subject_alternative_names: string[];
  common_name: string;
  fingerprint: string;
  expire_time: number;
  admin_state_up: boolean;
  created_at: number;
  updated_at: number;
}

export const L7_ACTIONS = ["REDIRECT_TO_POOL", "REDIRECT_TO_LISTENER", "REDIRECT_TO_URL", "FIXED_RESPONSE"] as const;

export interface L7PolicyDoc {
  listener_id: string;
  name: string;
  description: string;
  action: (typeof L7_ACTIONS)[number];
  redirect_pool_id: string | null;
  redirect_listener_id: string | null;
  redirect_url: string | null;
  redirect_url_config: Record<string, unknown> | null;
  fixed_response_config: Record<string, unknown> | null;
  priority: number | null;
  position: number;
  admin_state_up: boolean;
  created_at: number;
  updated_at: number;
}

export const L7_RULE_TYPES = ["HOST_NAME", "PATH", "METHOD", "HEADER", "QUERY_STRING", "SOURCE_IP"] as const;
export const L7_COMPARE_TYPES = ["EQUAL_TO", "REGEX", "STARTS_WITH"] as const;

export interface L7RuleDoc {
  policy_id: string;
  type: (typeof L7_RULE_TYPES)[number];
  compare_type: (typeof L7_COMPARE_TYPES)[number];
  value: string;
  key: string | null;
  invert: boolean;
  admin_state_up: boolean;
  created_at: number;
  updated_at: number;
}

export interface IpGroupDoc {
  name: string;
  description: string;
  ip_list: { ip: string; description: string }[];
  enterprise_project_id: string;
  created_at: number;
  updated_at: number;
}
