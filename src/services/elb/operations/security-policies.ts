// Security policies (/elb/security-policies, GET /elb/system-security-policies): custom TLS protocol and
// cipher sets that HTTPS listeners name by security_policy_id, and the system policies named by
// tls_ciphers_policy. Deleting a custom policy a listener uses is refused (409 ELB.8907).
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { QUOTA } from "../model.ts";
import type { DocRow } from "../store/docs.ts";

export interface SecurityPolicyDoc {
  name: string;
  description: string;
  protocols: string[];
  ciphers: string[];
  created_at: number;
  updated_at: number;
}

const PROTOCOLS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
const TLS12 = ["ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305"];
const LEGACY = ["AES128-GCM-SHA256", "AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "AES128-SHA256", "AES256-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA", "AES128-SHA", "AES256-SHA", "CAMELLIA128-SHA", "DES-CBC3-SHA", "CAMELLIA256-SHA"];
const TLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"];
const CIPHERS = new Set([...TLS12, ...LEGACY, ...TLS13]);

/** The system policies hwlocal knows, by name (tls_ciphers_policy). */
export const SYSTEM_POLICIES: readonly { name: string; protocols: string[]; ciphers: string[] }[] = [
  { name: "tls-1-0", protocols: ["TLSv1", "TLSv1.1", "TLSv1.2"], ciphers: [...TLS12, ...LEGACY] },
  { name: "tls-1-1", protocols: ["TLSv1.1", "TLSv1.2"], ciphers: [...TLS12, ...LEGACY] },
  { name: "tls-1-2", protocols: ["TLSv1.2"], ciphers: [...TLS12, ...LEGACY] },
  { name: "tls-1-2-strict", protocols: ["TLSv1.2"], ciphers: TLS12 },
  { name: "tls-1-0-with-1-3", protocols: ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"], ciphers: [...TLS12, ...LEGACY, ...TLS13] },
  { name: "tls-1-2-fs-with-1-3", protocols: ["TLSv1.2", "TLSv1.3"], ciphers: [...TLS12, ...TLS13] },
  { name: "tls-1-2-fs", protocols: ["TLSv1.2"], ciphers: TLS12 },
];

const common = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  protocols: z.array(z.enum(PROTOCOLS)).min(1).optional(),
  ciphers: z.array(z.string()).min(1).optional(),
};
const createBody = z.object({ security_policy: z.object({ ...common, protocols: z.array(z.enum(PROTOCOLS)).min(1), ciphers: z.array(z.string()).min(1), enterprise_project_id: z.string().optional() }) });
const updateBody = z.object({ security_policy: z.object(common) });

function checkCiphers(protocols: string[], ciphers: string[]): void {
  const bad = ciphers.find((c) => !CIPHERS.has(c));
  if (bad !== undefined) throw elbErrors.invalid(`ciphers: ${bad.slice(0, 64)} is not a supported cipher suite.`);
  const tls13 = protocols.includes("TLSv1.3");
  if (tls13 && !ciphers.some((c) => TLS13.includes(c))) throw elbErrors.invalid("TLSv1.3 needs at least one TLS 1.3 cipher suite.");
  if (!tls13 && ciphers.some((c) => TLS13.includes(c))) throw elbErrors.invalid("TLS 1.3 cipher suites need protocol TLSv1.3.");
  if (protocols.some((p) => p !== "TLSv1.3") && ciphers.every((c) => TLS13.includes(c))) throw elbErrors.invalid("TLS 1.0-1.2 need at least one of their cipher suites.");
}

function users(svc: ElbContext, projectId: string, id: string) {
  return svc.store.listeners.list(projectId).filter((l) => l.doc.security_policy_id === id);
}

function view(svc: ElbContext, r: DocRow<SecurityPolicyDoc>): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    project_id: r.projectId,
    name: d.name,
    description: d.description,
    listeners: users(svc, r.projectId, r.id).map((l) => ({ id: l.id })),
    protocols: d.protocols,
    ciphers: d.ciphers,
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

export function requireSecurityPolicy(svc: ElbContext, projectId: string, id: string): DocRow<SecurityPolicyDoc> {
  const p = svc.store.securityPolicies.get(projectId, id);
  if (!p) throw elbErrors.notFound("Security policy", id);
  return p;
}

export const createSecurityPolicy = elbOperation({
  name: "CreateSecurityPolicy",
  method: "POST",
  path: `${V3}/security-policies`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.security_policy;
    if (b.enterprise_project_id !== undefined && b.enterprise_project_id !== "0") throw elbErrors.invalid(`enterprise_project_id ${b.enterprise_project_id} does not exist.`);
    checkCiphers(b.protocols, b.ciphers);
    if (svc.store.securityPolicies.count(projectId) >= QUOTA.security_policy) throw elbErrors.quota("security_policy");
    const now = ctx.clock.now();
    const doc: SecurityPolicyDoc = { name: b.name ?? "", description: b.description ?? "", protocols: [...new Set(b.protocols)], ciphers: [...new Set(b.ciphers)], created_at: now, updated_at: now };
    const row = svc.store.securityPolicies.insert({ id: ctx.ids.uuid(), projectId, lbId: null, parentId: null, doc });
    return { status: 201, body: { security_policy: view(svc, row), request_id: ctx.request.requestId } };
  },
});

export const listSecurityPolicies = elbOperation({
  name: "ListSecurityPolicies",
  method: "GET",
  path: `${V3}/security-policies`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered(ctx.svc.store.securityPolicies.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      protocols: (r) => r.doc.protocols,
      ciphers: (r) => r.doc.ciphers,
    });
    const p = page(rows, q);
    return { body: { security_policies: p.items.map((r) => view(ctx.svc, r)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showSecurityPolicy = elbOperation({
  name: "ShowSecurityPolicy",
  method: "GET",
  path: `${V3}/security-policies/{security_policy_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const p = requireSecurityPolicy(ctx.svc, projectId, ctx.input.path.security_policy_id ?? "");
    return { body: { security_policy: view(ctx.svc, p), request_id: ctx.request.requestId } };
  },
});

export const updateSecurityPolicy = elbOperation({
  name: "UpdateSecurityPolicy",
  method: "PUT",
  path: `${V3}/security-policies/{security_policy_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const p = requireSecurityPolicy(ctx.svc, projectId, ctx.input.path.security_policy_id ?? "");
    const b = ctx.input.body.security_policy;
    const protocols = b.protocols ? [...new Set(b.protocols)] : p.doc.protocols;
    const ciphers = b.ciphers ? [...new Set(b.ciphers)] : p.doc.ciphers;
    checkCiphers(protocols, ciphers);
    p.doc = { ...p.doc, protocols, ciphers, name: b.name ?? p.doc.name, description: b.description ?? p.doc.description, updated_at: ctx.clock.now() };
    ctx.svc.store.securityPolicies.update(p);
    return { body: { security_policy: view(ctx.svc, p), request_id: ctx.request.requestId } };
  },
});

export const deleteSecurityPolicy = elbOperation({
  name: "DeleteSecurityPolicy",
  method: "DELETE",
  path: `${V3}/security-policies/{security_policy_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const p = requireSecurityPolicy(ctx.svc, projectId, ctx.input.path.security_policy_id ?? "");
    const user = users(ctx.svc, projectId, p.id)[0];
    if (user) throw elbErrors.conflict(`Security policy ${p.id} is used by listener ${user.id}.`);
    ctx.svc.store.securityPolicies.delete(projectId, p.id);
    return { status: 204 };
  },
});

export const listSystemSecurityPolicies = elbOperation({
  name: "ListSystemSecurityPolicies",
  method: "GET",
  path: `${V3}/system-security-policies`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const system_security_policies = SYSTEM_POLICIES.map((p) => ({ name: p.name, protocols: p.protocols, ciphers: p.ciphers, project_id: projectId }));
    return { body: { system_security_policies, request_id: ctx.request.requestId } };
  },
});

export const securityPolicyOperations = [createSecurityPolicy, listSecurityPolicies, showSecurityPolicy, updateSecurityPolicy, deleteSecurityPolicy, listSystemSecurityPolicies];
