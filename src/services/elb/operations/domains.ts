// A load balancer's domain names and the IPs they resolve to (elb-facts §2): UpdateSystemDefaultDomainConfig
// (the system zone: public {id}.elb.{region}.myhuaweicloud.com, private {id}-internal.elb.{region}.…),
// UpdateUserDefinedDomainConfig (zones the caller names; private zones of type private or public), both
// answering {loadbalancer: the DNS config}; ListDomainIPs (the VIP under the private name, each EIP under the
// public one, while that name is on; each in or out of resolution) and BatchEnableDomainIPs /
// BatchDisableDomainIPs (addresses of the load balancer only, all or nothing). Settings live in
// elb_lb_settings (id = the load balancer), rows of a deleted load balancer are never read again.
// Doubts: hwlocal has no DNS service, so a user-defined zone is any valid domain name and its zone id is
// null; the system zone's name; TTLs 1-2147483647, default 300; an IP's id is derived from the load balancer
// and the address; batch enable/disable answer {ips: [{ips: […]}]} as the SDK's model nests them.
import { createHash } from "node:crypto";
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import type { LoadBalancerDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { requireLoadBalancer } from "./loadbalancers.ts";

export interface DnsConfig {
  public_domain_name_enable: boolean;
  public_dns_zone_name: string | null;
  public_dns_record_set_ttl: number;
  private_domain_name_enable: boolean;
  private_dns_zone_name: string | null;
  private_dns_zone_type: "private" | "public";
  private_dns_record_set_ttl: number;
}

/** One row a load balancer whose domain names, DNS IPs or charge mode were ever set (id = lbId). */
export interface LbSettingsDoc {
  dns?: DnsConfig;
  /** Addresses taken out of resolution, with when; the others resolve. */
  disabled_ips?: string[];
  ip_updated_at?: Record<string, number>;
  charge_mode?: "prepaid";
}

const SYSTEM_ZONE = "myhuaweicloud.com";
const DEFAULT_DNS: DnsConfig = {
  public_domain_name_enable: false,
  public_dns_zone_name: null,
  public_dns_record_set_ttl: 300,
  private_domain_name_enable: false,
  private_dns_zone_name: null,
  private_dns_zone_type: "private",
  private_dns_record_set_ttl: 300,
};
const ttl = z.number().int().min(1).max(2147483647);
const zoneName = z.string().max(254).regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?$/i, "is not a domain name");

export function lbSettings(svc: ElbContext, lb: DocRow<LoadBalancerDoc>): DocRow<LbSettingsDoc> {
  return svc.store.lbSettings.get(lb.projectId, lb.id) ?? { id: lb.id, projectId: lb.projectId, lbId: lb.id, parentId: null, seq: 0, dueAt: null, doc: {} };
}

export function saveLbSettings(svc: ElbContext, row: DocRow<LbSettingsDoc>): void {
  if (svc.store.lbSettings.get(row.projectId, row.id)) svc.store.lbSettings.update(row);
  else svc.store.lbSettings.insert({ id: row.id, projectId: row.projectId, lbId: row.lbId, parentId: null, doc: row.doc });
}

function names(lb: DocRow<LoadBalancerDoc>, dns: DnsConfig, region: string) {
  const pub = dns.public_domain_name_enable && dns.public_dns_zone_name ? `${lb.id}.elb.${region}.${dns.public_dns_zone_name.replace(/\.$/, "")}` : null;
  const priv = dns.private_domain_name_enable && dns.private_dns_zone_name ? `${lb.id}-internal.elb.${region}.${dns.private_dns_zone_name.replace(/\.$/, "")}` : null;
  return { pub, priv };
}

function configView(lb: DocRow<LoadBalancerDoc>, dns: DnsConfig, region: string): Record<string, unknown> {
  const { pub, priv } = names(lb, dns, region);
  return {
    vip_address: lb.doc.vip_address,
    ipv6_vip_address: null,
    eips: lb.doc.eips,
    global_eips: [],
    public_domain_name_enable: dns.public_domain_name_enable,
    public_dns_zone_name: dns.public_dns_zone_name,
    public_dns_zone_id: null,
    public_domain_name: pub,
    public_dns_record_set_ttl: dns.public_dns_record_set_ttl,
    private_domain_name_enable: dns.private_domain_name_enable,
    private_dns_zone_name: dns.private_dns_zone_name,
    private_dns_zone_id: null,
    private_domain_name: priv,
    private_dns_zone_type: dns.private_dns_zone_type,
    private_dns_record_set_ttl: dns.private_dns_record_set_ttl,
  };
}

function ipId(lbId: string, address: string): string {
  const h = createHash("sha256").update(`${lbId}/${address}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function dnsIps(lb: DocRow<LoadBalancerDoc>, s: LbSettingsDoc, region: string): Record<string, unknown>[] {
  const dns = s.dns ?? DEFAULT_DNS;
  const { pub, priv } = names(lb, dns, region);
  const all: { address: string; type: "vip" | "eip"; domain: string | null }[] = [];
  if (priv && lb.doc.vip_address) all.push({ address: lb.doc.vip_address, type: "vip", domain: priv });
  if (pub) for (const e of lb.doc.eips) all.push({ address: e.eip_address, type: "eip", domain: pub });
  return all.map((ip) => ({
    id: ipId(lb.id, ip.address),
    enable: !(s.disabled_ips ?? []).includes(ip.address),
    ip_address: ip.address,
    type: ip.type,
    domain_name: ip.domain,
    created_at: isoSeconds(lb.doc.created_at),
    updated_at: isoSeconds(s.ip_updated_at?.[ip.address] ?? lb.doc.created_at),
  }));
}

const lbPath = `${V3}/loadbalancers/{loadbalancer_id}/dns`;

function configOperation(name: string, suffix: string, schema: z.ZodType<Partial<DnsConfig>>, system: boolean) {
  return elbOperation({
    name,
    method: "POST",
    path: `${lbPath}/${suffix}`,
    body: z.object({ loadbalancer: schema }),
    handle(ctx) {
      const { projectId, region } = requireScope(ctx.scope);
      const { svc } = ctx;
      const lb = requireLoadBalancer(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
      const row = lbSettings(svc, lb);
      const b = ctx.input.body.loadbalancer;
      const dns: DnsConfig = { ...(row.doc.dns ?? DEFAULT_DNS), ...b };
      if (system) {
        dns.public_dns_zone_name = dns.public_domain_name_enable ? SYSTEM_ZONE : null;
        dns.private_dns_zone_name = dns.private_domain_name_enable ? SYSTEM_ZONE : null;
      } else {
        if (dns.public_domain_name_enable && !dns.public_dns_zone_name) throw elbErrors.invalid("public_dns_zone_name is required while public_domain_name_enable is true.");
        if (dns.private_domain_name_enable && !dns.private_dns_zone_name) throw elbErrors.invalid("private_dns_zone_name is required while private_domain_name_enable is true.");
      }
      if (dns.public_domain_name_enable && lb.doc.eips.length === 0) throw elbErrors.invalid("a public domain name needs an EIP bound to the load balancer.");
      if (dns.private_domain_name_enable && !lb.doc.vip_address) throw elbErrors.invalid("a private domain name needs an IPv4 VIP.");
      row.doc.dns = dns;
      svc.store.tx(() => saveLbSettings(svc, row));
      return { body: { loadbalancer: configView(lb, dns, region), request_id: ctx.request.requestId } };
    },
  });
}

export const updateSystemDefaultDomainConfig = configOperation(
  "UpdateSystemDefaultDomainConfig",
  "system-default-config",
  z.object({ public_domain_name_enable: z.boolean().optional(), public_dns_record_set_ttl: ttl.optional(), private_domain_name_enable: z.boolean().optional(), private_dns_record_set_ttl: ttl.optional() }),
  true,
);

export const updateUserDefinedDomainConfig = configOperation(
  "UpdateUserDefinedDomainConfig",
  "user-defined-config",
  z.object({
    public_domain_name_enable: z.boolean().optional(),
    public_dns_zone_name: zoneName.optional(),
    public_dns_record_set_ttl: ttl.optional(),
    private_domain_name_enable: z.boolean().optional(),
    private_dns_zone_name: zoneName.optional(),
    private_dns_zone_type: z.enum(["private", "public"]).optional(),
    private_dns_record_set_ttl: ttl.optional(),
  }),
  false,
);

export const listDomainIPs = elbOperation({
  name: "ListDomainIPs",
  method: "GET",
  path: `${lbPath}/ips`,
  handle(ctx) {
    const { projectId, region } = requireScope(ctx.scope);
    const lb = requireLoadBalancer(ctx.svc, projectId, ctx.input.path.loadbalancer_id ?? "");
    return { body: { ips: dnsIps(lb, lbSettings(ctx.svc, lb).doc, region), request_id: ctx.request.requestId } };
  },
});

function ipSwitch(name: string, suffix: string, enable: boolean) {
  return elbOperation({
    name,
    method: "POST",
    path: `${lbPath}/ips/${suffix}`,
    body: z.object({ ips: z.array(z.object({ ip_address: z.string().min(1) })).min(1).max(100) }),
    handle(ctx) {
      const { projectId, region } = requireScope(ctx.scope);
      const { svc } = ctx;
      const lb = requireLoadBalancer(svc, projectId, ctx.input.path.loadbalancer_id ?? "");
      const row = lbSettings(svc, lb);
      const known = dnsIps(lb, row.doc, region).map((ip) => String(ip.ip_address));
      const asked = ctx.input.body.ips.map((ip) => ip.ip_address);
      for (const a of asked) if (!known.includes(a)) throw elbErrors.invalid(`ip_address ${a.slice(0, 64)} is not an address of load balancer ${lb.id} with its domain name on.`);
      const now = ctx.clock.now();
      const disabled = new Set(row.doc.disabled_ips ?? []);
      const times = { ...(row.doc.ip_updated_at ?? {}) };
      for (const a of asked) {
        if (enable) disabled.delete(a);
        else disabled.add(a);
        times[a] = now;
      }
      row.doc.disabled_ips = [...disabled];
      row.doc.ip_updated_at = times;
      svc.store.tx(() => saveLbSettings(svc, row));
      const ips = dnsIps(lb, row.doc, region);
      return { body: { ips: ips.length ? [{ ips }] : [], request_id: ctx.request.requestId } };
    },
  });
}

export const batchEnableDomainIPs = ipSwitch("BatchEnableDomainIPs", "batch-enable", true);
export const batchDisableDomainIPs = ipSwitch("BatchDisableDomainIPs", "batch-disable", false);

export const domainOperations = [updateSystemDefaultDomainConfig, updateUserDefinedDomainConfig, listDomainIPs, batchEnableDomainIPs, batchDisableDomainIPs];
