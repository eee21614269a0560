// Elastic Load Balance v3, dedicated load balancers (/v3/{project_id}/elb/…; tags under /v3/{project_id}/
// loadbalancers|listeners/…), on the elb.{region} host and the /elb path prefix. elb-facts.md is the source.
//
// Emulated: load balancers (operations/loadbalancers.ts): CreateLoadBalancer (availability_zone_list of the
//   region's zones; vpc_id / vip_subnet_cidr_id — the IPv4 subnet id — in one VPC; the VIP is a VPC port of
//   that subnet, vip_address fixed or the lowest free one, device_owner neutron:LOADBALANCERV2; publicip_ids
//   binds an existing EIP to the VIP port, publicip allocates one (released with the load balancer, an
//   existing one outlives it); l4/l7 flavors, both defaulting when neither is given; guaranteed,
//   admin_state_up and provider accept only their one value; tags; quota 50), List (marker paging and the
//   SDK's filters, several values each), Show, Update (name, description, flavors kept compatible with the
//   listeners, ip_target_enable never switched off, deletion protection, downlink subnets), Delete (refused
//   409 ELB.8907 while listeners or pools remain, or with deletion protection; frees the VIP port),
//   ShowLoadBalancerStatus (the status tree; DEGRADED above an OFFLINE member).
//   Listeners: TCP/UDP/HTTP/HTTPS/QUIC (TERMINATED_HTTPS stored as HTTPS) allowed by the flavors; ports unique
//   per load balancer except a UDP listener beside a non-UDP one (QUIC shares with none; not 4789); HTTPS/QUIC
//   need a server certificate; defaults of keepalive/client/member timeouts; Update cannot change protocol or
//   port; Delete refused while a pool is bound, L7 policies remain or another listener's policy redirects
//   to it.
//   Pools: algorithms, protocol by listener protocol, session persistence (HTTP_COOKIE for HTTP(S) pools,
//   SOURCE_IP for the others, required for QUIC), slow start; created with listener_id it becomes the
//   listener's default pool (one a listener); Delete refused with members, a monitor, or an L7 policy
//   redirecting to it. Members: by address with subnet_cidr_id (IPv4 subnet id of the load balancer's VPC;
//   the address inside it; the ECS whose primary NIC has it is its instance_id) or without (ip_target_enable
//   load balancers only, ELB.8939); (address, port) unique a pool; ListAllMembers. Health monitors: one a
//   pool, type by pool protocol, delay/timeout/retries ranges, timeout ≤ delay.
//   Health (health.ts): a member of a monitored pool is checked every delay seconds of hwlocal's clock; a
//   check passes while its server is ACTIVE; max_retries passes → ONLINE, max_retries_down failures → OFFLINE;
//   a new member (or every member, when a monitor is created) starts OFFLINE; NO_MONITOR without a monitor.
//   L7 policies (HTTP/HTTPS listeners; REDIRECT_TO_POOL/LISTENER/URL, FIXED_RESPONSE; URL, fixed responses and
//   priority need enhance_l7policy_enable) and their rules (HOST_NAME EQUAL_TO only, HEADER/QUERY_STRING with
//   a key, HOST_NAME/PATH/METHOD/SOURCE_IP once a policy; ListAllL7Rules); a pool or listener a policy targets
//   cannot be deleted. Priorities (enhanced listeners only; unique a listener, 0 for REDIRECT_TO_LISTENER; a
//   new policy takes the highest + 1) and BatchUpdatePoliciesPriority. Certificates (server: PEM chain ≤11 checked with node:crypto X509Certificate and a
//   matching private key; client: a CA; common name, SANs, fingerprint and expiry read from the certificate;
//   32-hex ids; refused deletion while a listener uses one). IP groups (addresses or CIDR blocks; entries
//   added and removed; related listeners; deletion refused while used). Batch add/update/delete of a pool's
//   members (all or nothing), DeletePoolCascade, DeleteListenerForce, DeleteLoadBalancerForce, and
//   BatchDeletePools / BatchDeleteCertificates (each id answered successful, not found, or failed with its
//   code; 200). Security policies (custom TLS protocol and cipher sets, checked; a listener names one by
//   security_policy_id, a system one by tls_ciphers_policy; deletion refused while used) and the system
//   policies (seven, security-policies.ts). Zones (one set of the region's three zones), flavors (six fixed
//   ones, model.ts), quotas and quota details, tags of load balancers and listeners (v3 paths, and the v2.0
//   paths Terraform uses), the version document.
//   Auto Scaling (api.ts, as/elb-link.ts) checks lbaas_listeners' pools and adds/removes its instances as
//   members; their health drives ELB_AUDIT.
//   Log tanks (operations/logtanks.ts; one a load balancer, LTS group/topic ids kept as given, deleted with
//   it). Recycle bin (recycle-bin.ts): the project's enable and policy; DeleteLoadBalancer(Force) end in
//   finishLoadBalancerDelete, which keeps a load balancer at least recycle_threshold_hour old in the bin
//   (RECYCLING, with its VIP port, EIPs and log tank) until retention_hour passes on hwlocal's clock (a
//   ticker destroys it), RestoreLoadbalancer puts it back (a job), DeleteRecycleLoadBalancer destroys it.
//   Jobs (jobs.ts): recordJob writes a finished SUCCESS job with a sub-job a resource; ListJobs (filters,
//   begin_time, marker) and ShowJob read them. Member health-check jobs (jobs.ts; config: the listener
//   reaches the member's pool, a monitor exists and is on). Master-slave pools (master-slave-pools.ts: two
//   members, master and slave, and a monitor, made whole; under TCP/UDP listeners; members ONLINE while
//   their server is ACTIVE; they block DeleteLoadBalancer, DeleteLoadBalancerForce takes them).
//   Batches (batch.ts; all or nothing, each item made or deleted by its single operation, 202 with a
//   recorded job): BatchCreateLoadBalancers (number 1-10, names suffixed -0001…), BatchDeleteLoadbalancers
//   (as DeleteLoadBalancerForce; public_ip releases bound EIPs), BatchDeleteListeners (≤10, as
//   DeleteListener); BatchAdd/RemoveAvailableZones (the region's zones, one kept); DeleteLoadBalancerCascade
//   is retired (404 or 400 ELB.8902). Clones (clone.ts): CloneListener (with a copy of its default pool,
//   members and monitor; member subnets mapped into another VPC) and CloneLoadbalancer (count copies, every
//   listener cloned). Domain names (domains.ts): system-default and user-defined configs, the DNS IPs (VIP
//   under the private name, EIPs under the public one) switched in and out of resolution. The project's
//   private-key echo (cert-echo.ts: off, certificates show private_key "*****"). Topology, features and
//   feature configs, preoccupied IPs (one VIP a new load balancer), upgrade (refused: every hwlocal load
//   balancer is dedicated), change to prepaid (lb-extras.ts).
// Gaps: ShowLoadBalancerPorts answers 501: hwlocal's load balancers take no ports in their downlink subnets
//   (only the VIP port). Clones copy no L7 policies and refuse reuse_pool true (a pool serves one listener);
//   a prepaid change places no order (the order id is made up). IPv6 VIPs and members are refused.
//   The health check does not look at security groups nor connect to the member (no
//   --elb-real-health-checks), and HTTP monitors' url_path/expected_codes are not exercised. No Cloud Eye
//   SYS.ELB metrics. Quotas are checked for load balancers, listeners, pools, members, certificates, L7
//   policies, IP groups and security policies. Prepaid (billing_info, prepaid_options), autoscaling, WAF and
//   global EIP fields are ignored. ListJobs knows the jobs of the operations that record one (recordJob:
//   restores, and any other that answers a job_id through it); jobs are finished when recorded. A member
//   health-check job's ACL and security-group groups always pass (no such model for ELB traffic). A
//   master-slave pool's listener link is its own: the listener's default_pool_id stays null, its members get
//   no scheduled health checks, and deleting the listener leaves the pool without a listener.
// By design: provisioning_status is always ACTIVE (changes are instant), a load balancer's operating_status
//   ONLINE (DEGRADED only in the status tree). The only enterprise project is the default ("0"). Member quotas
//   are 1,000 a pool and 10,000 a project (above the reference's examples, so a pool of 1,000 fits). A
//   monitored IP member (no subnet_cidr_id) is up while a server of the project with that primary address is
//   ACTIVE. The system security policies' cipher lists are hwlocal's reading of Huawei's table.
//   private_key is shown with the certificate while the project's private-key echo is on (the default).
// Doubts: 409 ELB.8907 for a port in use and for deleting a parent with children (elb-facts §7.1); a pool
//   with loadbalancer_id only also blocks its load balancer's deletion; a new member's status before its
//   first checks is OFFLINE (§7.3), and a clock jump counts every check it skips over with the server as it
//   is now; a pool created with listener_id becomes the listener's default_pool_id (§7.5). 404 ELB.8904 for
//   a subnet given by the wrong id kind. A duplicate member answers 409 ELB.8907. Batch member operations
//   answer 200. A duplicate priority answers 400 ELB.8902. 403 ELB.1103 for a request naming another project
//   (the gateway's check). Recycle bin: defaults recycle_threshold_hour 0 and retention_hour 168, ranges
//   0-8760 and 1-8760, the policy of a disabled bin and disabling a non-empty bin 409 ELB.8907, a recycled
//   load balancer keeps its VIP port, a restore's job has job_type "recoverLoadbalancer". A second log tank
//   for a load balancer 409 ELB.8907.
//   Group B (issue 14): the 202 of batches and clones and their job types (batchCreateV3Loadbalancer,
//   batchDeleteLoadbalancer, batchDeleteListener, cloneListener, cloneLoadbalancer: ListJobs's documented names); BatchDeleteListeners
//   refusing a listener that keeps its pool; the system DNS zone myhuaweicloud.com, user zones unchecked
//   (no DNS service; zone ids null), TTL default 300, a DNS IP's id derived from load balancer and address;
//   the private-key echo default on; the feature names beyond update_elastic_flavor and tcpssl; the topology
//   edge types eip/loadbalancer/listener/pool; preoccupied IPs are what hwlocal takes (1 to create, 0 for a
//   change); a load balancer's settings row (elb_lb_settings) stays after the load balancer is deleted.
import { defineService } from "../../kernel/service.ts";
import { elbApi } from "./api.ts";
import type { ElbContext } from "./context.ts";
import { elbServiceErrors } from "./errors.ts";
import { runHealthChecks } from "./health.ts";
import { batchOperations } from "./operations/batch.ts";
import { batchDeleteOperations } from "./operations/batch-delete.ts";
import { cascadeOperations } from "./operations/cascade.ts";
import { catalogueOperations } from "./operations/catalogue.ts";
import { certEchoOperations } from "./operations/cert-echo.ts";
import { certificateOperations } from "./operations/certificates.ts";
import { cloneOperations } from "./operations/clone.ts";
import { domainOperations } from "./operations/domains.ts";
import { ipGroupOperations } from "./operations/ipgroups.ts";
import { jobOperations } from "./operations/jobs.ts";
import { lbExtraOperations } from "./operations/lb-extras.ts";
import { l7PolicyOperations } from "./operations/l7policies.ts";
import { l7RuleOperations } from "./operations/l7rules.ts";
import { listenerOperations } from "./operations/listeners.ts";
import { loadBalancerOperations } from "./operations/loadbalancers.ts";
import { logtankOperations } from "./operations/logtanks.ts";
import { masterSlavePoolOperations } from "./operations/master-slave-pools.ts";
import { memberOperations } from "./operations/members.ts";
import { monitorOperations } from "./operations/monitors.ts";
import { poolOperations } from "./operations/pools.ts";
import { purgeRecycleBin, recycleBinOperations } from "./operations/recycle-bin.ts";
import { securityPolicyOperations } from "./operations/security-policies.ts";
import { tagOperations } from "./operations/tags.ts";
import { ElbStore } from "./store/index.ts";
import { ELB_MIGRATIONS } from "./store/migrations.ts";

export const elb = defineService<ElbContext>({
  name: "elb",
  catalogType: "elb",
  global: false,
  sdkCatalogues: ["elb_v3.ops.tsv"],
  errors: elbServiceErrors,
  migrations: ELB_MIGRATIONS,
  init(rt) {
    return {
      store: new ElbStore(rt.db),
      vpc: () => rt.api("vpc"),
      ecs: () => {
        try {
          return rt.api("ecs");
        } catch {
          return undefined;
        }
      },
      clock: rt.clock,
      ids: rt.ids,
    };
  },
  api: (svc) => elbApi(svc),
  tickers: (svc) => ({ health: (now) => runHealthChecks(svc, now), recycleBin: (now) => purgeRecycleBin(svc, now) }),
  operations: [...loadBalancerOperations, ...listenerOperations, ...poolOperations, ...memberOperations, ...monitorOperations, ...catalogueOperations, ...tagOperations, ...l7PolicyOperations, ...l7RuleOperations, ...certificateOperations, ...ipGroupOperations, ...cascadeOperations, ...batchDeleteOperations, ...securityPolicyOperations,
    ...batchOperations, ...domainOperations, ...certEchoOperations, ...lbExtraOperations, ...cloneOperations,
    ...logtankOperations, ...recycleBinOperations, ...jobOperations, ...masterSlavePoolOperations,
  ],
});
