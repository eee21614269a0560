// Traffic mirroring (v3), kept as documents: filters, their rules (direction, protocol, CIDRs, port
// ranges, accept/reject, priority unique per filter and direction), and sessions that mirror source ports
// (at most 10) to a target port (eni) or load balancer (elb, taken as given) through a filter. No packet is
// copied; the records are kept and checked. A filter a session uses is not deleted; its rules go with it.
import { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { isIpv6Cidr, parseCidr } from "../ip.ts";
import { docsOf, requireDoc, type Doc } from "./documents.ts";

export const FilterDoc = z.object({ name: z.string(), description: z.string() });
export type FilterDoc = z.infer<typeof FilterDoc>;

export const RuleDoc = z.object({
  traffic_mirror_filter_id: z.string(),
  direction: z.enum(["ingress", "egress"]),
  protocol: z.enum(["tcp", "udp", "icmp", "icmpv6", "all"]),
  ethertype: z.enum(["IPv4", "IPv6"]),
  source_cidr_block: z.string().nullable(),
  destination_cidr_block: z.string().nullable(),
  source_port_range: z.string().nullable(),
  destination_port_range: z.string().nullable(),
  action: z.enum(["accept", "reject"]),
  priority: z.number(),
  description: z.string(),
});
export type RuleDoc = z.infer<typeof RuleDoc>;

export const SessionDoc = z.object({
  name: z.string(),
  description: z.string(),
  traffic_mirror_filter_id: z.string(),
  traffic_mirror_sources: z.array(z.string()),
  traffic_mirror_target_id: z.string(),
  traffic_mirror_target_type: z.enum(["eni", "elb"]),
  virtual_network_id: z.number(),
  packet_length: z.number(),
  priority: z.number(),
  enabled: z.boolean(),
  type: z.string(),
});
export type SessionDoc = z.infer<typeof SessionDoc>;

const MAX_SOURCES = 10;

export const mirrorFilters = (env: Env, p: ProjectScope) => docsOf(env, p, "mirrorfilter", FilterDoc);
export const mirrorRules = (env: Env, p: ProjectScope) => docsOf(env, p, "mirrorrule", RuleDoc);
export const mirrorSessions = (env: Env, p: ProjectScope) => docsOf(env, p, "mirrorsession", SessionDoc);
export const requireFilter = (env: Env, p: ProjectScope, id: string) => requireDoc(env, p, "mirrorfilter", FilterDoc, id, "traffic mirror filter");
export const requireMirrorRule = (env: Env, p: ProjectScope, id: string) => requireDoc(env, p, "mirrorrule", RuleDoc, id, "traffic mirror filter rule");
export const requireSession = (env: Env, p: ProjectScope, id: string) => requireDoc(env, p, "mirrorsession", SessionDoc, id, "traffic mirror session");

export function rulesOfFilter(env: Env, p: ProjectScope, filterId: string): Doc<RuleDoc>[] {
  return mirrorRules(env, p)
    .filter((r) => r.doc.traffic_mirror_filter_id === filterId)
    .sort((a, b) => a.doc.priority - b.doc.priority);
}

function checkPortRange(v: string | null, protocol: string): void {
  if (v === null || v === "") return;
  if (protocol !== "tcp" && protocol !== "udp") throw vpcErrors.invalidParameter(`Port ranges are allowed only with tcp or udp, not ${protocol}.`);
  const m = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/.exec(v);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) throw vpcErrors.invalidParameter(`The port range ${v} is not "port" or "low-high" within 1-65535.`);
}

function checkCidr(v: string | null, ethertype: "IPv4" | "IPv6", field: string): void {
  if (v === null || v === "") return;
  const ok = ethertype === "IPv4" ? parseCidr(v, false) !== undefined : isIpv6Cidr(v);
  if (!ok) throw vpcErrors.invalidParameter(`${field} ${v} is not an ${ethertype} CIDR.`);
}

/** Checks a rule, and that its priority is free among the filter's rules of its direction. */
export function checkMirrorRule(env: Env, p: ProjectScope, r: RuleDoc, self?: string): RuleDoc {
  requireFilter(env, p, r.traffic_mirror_filter_id);
  if (r.priority < 1 || r.priority > 65535) throw vpcErrors.invalidParameter("priority must be 1-65535.");
  if (r.protocol === "icmpv6" && r.ethertype !== "IPv6") throw vpcErrors.invalidParameter("icmpv6 needs ethertype IPv6.");
  checkCidr(r.source_cidr_block, r.ethertype, "source_cidr_block");
  checkCidr(r.destination_cidr_block, r.ethertype, "destination_cidr_block");
  checkPortRange(r.source_port_range, r.protocol);
  checkPortRange(r.destination_port_range, r.protocol);
  const clash = rulesOfFilter(env, p, r.traffic_mirror_filter_id).find((x) => x.row.id !== self && x.doc.direction === r.direction && x.doc.priority === r.priority);
  if (clash) throw vpcErrors.resourceInUse("priority", String(r.priority), `Rule ${clash.row.id} of the filter has it.`);
  return r;
}

function requireSourcePort(env: Env, p: ProjectScope, id: string): void {
  if (!env.store.ports.port(p.projectId, id)) throw vpcErrors.portNotFound(id);
}

/** Checks a session: its filter, target and sources exist; the target is not a source; limits hold. */
export function checkSession(env: Env, p: ProjectScope, s: SessionDoc): SessionDoc {
  requireFilter(env, p, s.traffic_mirror_filter_id);
  if (s.traffic_mirror_target_type === "eni") requireSourcePort(env, p, s.traffic_mirror_target_id);
  for (const src of s.traffic_mirror_sources) requireSourcePort(env, p, src);
  if (new Set(s.traffic_mirror_sources).size !== s.traffic_mirror_sources.length) throw vpcErrors.invalidParameter("traffic_mirror_sources names a port twice.");
  if (s.traffic_mirror_sources.length > MAX_SOURCES) throw vpcErrors.invalidParameter(`A session mirrors at most ${MAX_SOURCES} source ports.`);
  if (s.traffic_mirror_sources.includes(s.traffic_mirror_target_id)) throw vpcErrors.invalidParameter("The target cannot also be a source.");
  if (s.virtual_network_id < 0 || s.virtual_network_id > 16777215) throw vpcErrors.invalidParameter("virtual_network_id must be 0-16777215.");
  if (s.packet_length < 1 || s.packet_length > 1460) throw vpcErrors.invalidParameter("packet_length must be 1-1460.");
  if (s.priority < 1 || s.priority > 32766) throw vpcErrors.invalidParameter("priority must be 1-32766.");
  return s;
}

export function deleteFilter(env: Env, p: ProjectScope, id: string): void {
  env.store.tx(() => {
    requireFilter(env, p, id);
    const user = mirrorSessions(env, p).find((s) => s.doc.traffic_mirror_filter_id === id);
    if (user) throw vpcErrors.resourceInUse("traffic mirror filter", id, `Session ${user.row.id} uses it.`);
    for (const r of rulesOfFilter(env, p, id)) env.store.documents.delete(r.row.id);
    env.store.documents.delete(id);
  });
}
