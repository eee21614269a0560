// Certificates (/elb/certificates, elb-facts §3.7): a server certificate (PEM chain of at most 11, checked
// with node:crypto's X509Certificate, and its private key, which must match) or a client CA certificate;
// ids are 32 hex characters. Used by HTTPS/QUIC listeners; deleting one in use is refused.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { QUOTA, type CertificateDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";
import { keyEcho, MASKED_KEY } from "./cert-echo.ts";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const DOMAIN = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

const common = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  certificate: z.string().max(65536).optional(),
  private_key: z.string().max(8192).optional(),
  domain: z.string().max(10000).optional(),
  admin_state_up: z.boolean().optional(),
};

const createBody = z.object({ certificate: z.object({ ...common, certificate: z.string().min(1).max(65536), type: z.enum(["server", "client"]).optional() }) });
const updateBody = z.object({ certificate: z.object(common) });

interface Parsed {
  leaf: X509Certificate;
  commonName: string;
  sans: string[];
}

function parseChain(pem: string): Parsed {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw elbErrors.invalid("certificate is not a PEM certificate.");
  if (blocks.length > 11) throw elbErrors.invalid("certificate: a chain has at most 11 certificates.");
  let leaf: X509Certificate | undefined;
  for (const b of blocks) {
    try {
      const x = new X509Certificate(b);
      leaf ??= x;
    } catch {
      throw elbErrors.invalid("certificate is not a valid PEM certificate.");
    }
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(leaf!.subject)?.[1] ?? "";
  const sans = (leaf!.subjectAltName ?? "")
    .split(", ")
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4));
  return { leaf: leaf!, commonName: cn, sans };
}

function checkKey(leaf: X509Certificate, key: string): void {
  let k;
  try {
    k = createPrivateKey(key);
  } catch {
    throw elbErrors.invalid("private_key is not a valid PEM private key.");
  }
  let match = false;
  try {
    match = leaf.checkPrivateKey(k);
  } catch {
    match = false;
  }
  if (!match) throw elbErrors.invalid("private_key does not match the certificate.");
}

function checkDomain(domain: string): void {
  const names = domain.split(",");
  if (names.length > 30) throw elbErrors.invalid("domain: at most 30 names.");
  for (const n of names) if (n.length > 100 || !DOMAIN.test(n)) throw elbErrors.invalid(`domain: ${n.slice(0, 100)} is not a domain name.`);
}

/** echo: the project's private-key echo switch (cert-echo.ts); off, a key shows as "*****". */
function view(r: DocRow<CertificateDoc>, echo: boolean): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    project_id: r.projectId,
    name: d.name,
    description: d.description,
    type: d.type,
    domain: d.domain,
    certificate: d.certificate,
    private_key: d.private_key === null || echo ? d.private_key : MASKED_KEY,
    admin_state_up: d.admin_state_up,
    common_name: d.common_name,
    subject_alternative_names: d.subject_alternative_names,
    fingerprint: d.fingerprint,
    expire_time: isoSeconds(d.expire_time),
    enterprise_project_id: "0",
    source: "",
    protection_status: "nonProtection",
    protection_reason: "",
    scm_certificate_id: null,
    enc_certificate: null,
    enc_private_key: null,
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

function requireCertificate(svc: ElbContext, projectId: string, id: string): DocRow<CertificateDoc> {
  const c = svc.store.certificates.get(projectId, id);
  if (!c) throw elbErrors.notFound("Certificate", id);
  return c;
}

function apply(d: CertificateDoc, pem: string, key: string | null): void {
  const parsed = parseChain(pem);
  if (d.type === "server") {
    if (!key) throw elbErrors.invalid("private_key is required for a server certificate.");
    checkKey(parsed.leaf, key);
  } else if (key) {
    throw elbErrors.invalid("a client (CA) certificate takes no private_key.");
  }
  d.certificate = pem;
  d.private_key = key;
  d.common_name = parsed.commonName;
  d.subject_alternative_names = parsed.sans;
  d.fingerprint = parsed.leaf.fingerprint256.replace(/:/g, "").toLowerCase();
  d.expire_time = Date.parse(parsed.leaf.validTo);
}

export const createCertificate = elbOperation({
  name: "CreateCertificate",
  method: "POST",
  path: `${V3}/certificates`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.certificate;
    const type = b.type ?? "server";
    if (b.domain !== undefined) {
      if (type === "client") throw elbErrors.invalid("domain is for server certificates only.");
      checkDomain(b.domain);
    }
    if (svc.store.certificates.count(projectId) >= QUOTA.certificate) throw elbErrors.quota("certificate");
    const now = ctx.clock.now();
    const doc: CertificateDoc = {
      name: b.name ?? "",
      description: b.description ?? "",
      type,
      certificate: "",
      private_key: null,
      domain: b.domain ?? null,
      subject_alternative_names: [],
      common_name: "",
      fingerprint: "",
      expire_time: 0,
      admin_state_up: b.admin_state_up ?? true,
      created_at: now,
      updated_at: now,
    };
    apply(doc, b.certificate, b.private_key ?? null);
    const row = svc.store.certificates.insert({ id: ctx.ids.hex32(), projectId, lbId: null, parentId: null, doc });
    return { status: 201, body: { certificate: view(row, keyEcho(ctx.svc, projectId)), request_id: ctx.request.requestId } };
  },
});

export const listCertificates = elbOperation({
  name: "ListCertificates",
  method: "GET",
  path: `${V3}/certificates`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered(ctx.svc.store.certificates.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      admin_state_up: (r) => r.doc.admin_state_up,
      domain: (r) => r.doc.domain,
      type: (r) => r.doc.type,
      common_name: (r) => r.doc.common_name,
      fingerprint: (r) => r.doc.fingerprint,
    });
    const p = page(rows, q);
    const echo = keyEcho(ctx.svc, projectId);
    return { body: { certificates: p.items.map((r) => view(r, echo)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showCertificate = elbOperation({
  name: "ShowCertificate",
  method: "GET",
  path: `${V3}/certificates/{certificate_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const c = requireCertificate(ctx.svc, projectId, ctx.input.path.certificate_id ?? "");
    return { body: { certificate: view(c, keyEcho(ctx.svc, projectId)), request_id: ctx.request.requestId } };
  },
});

export const updateCertificate = elbOperation({
  name: "UpdateCertificate",
  method: "PUT",
  path: `${V3}/certificates/{certificate_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const c = requireCertificate(svc, projectId, ctx.input.path.certificate_id ?? "");
    const b = ctx.input.body.certificate;
    const d = c.doc;
    if (b.domain !== undefined) {
      if (d.type === "client") throw elbErrors.invalid("domain is for server certificates only.");
      checkDomain(b.domain);
      d.domain = b.domain;
    }
    if (b.certificate !== undefined || b.private_key !== undefined) apply(d, b.certificate ?? d.certificate, b.private_key ?? d.private_key);
    if (b.name !== undefined) d.name = b.name;
    if (b.description !== undefined) d.description = b.description;
    if (b.admin_state_up !== undefined) d.admin_state_up = b.admin_state_up;
    d.updated_at = ctx.clock.now();
    svc.store.certificates.update(c);
    return { body: { certificate: view(c, keyEcho(ctx.svc, projectId)), request_id: ctx.request.requestId } };
  },
});

/** Deletes a certificate no listener uses (else 409 ELB.8907). */
export function removeCertificate(svc: ElbContext, c: DocRow<CertificateDoc>): void {
  const user = svc.store.listeners
    .list(c.projectId)
    .find((l) => l.doc.default_tls_container_ref === c.id || l.doc.client_ca_tls_container_ref === c.id || l.doc.sni_container_refs.includes(c.id));
  if (user) throw elbErrors.conflict(`Certificate ${c.id} is used by listener ${user.id}.`);
  svc.store.certificates.delete(c.projectId, c.id);
}

export const deleteCertificate = elbOperation({
  name: "DeleteCertificate",
  method: "DELETE",
  path: `${V3}/certificates/{certificate_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const c = requireCertificate(svc, projectId, ctx.input.path.certificate_id ?? "");
    removeCertificate(svc, c);
    return { status: 204 };
  },
});

export const certificateOperations = [createCertificate, listCertificates, showCertificate, updateCertificate, deleteCertificate];
