// Agencies (/v3.0/OS-AGENCY): a domain delegates to another domain (or to a cloud service, op_svc_*) and
// grants the agency roles on projects, on the domain, or on all projects. Its tokens and temporary keys
// (assume_role) are issued by operations/tokens.ts and operations/credentials.ts (see ../assume-role.ts).
import { z } from "../../../kernel/zod.ts";
import { stableHex32 } from "../../../kernel/ids.ts";
import type { HandlerContext, Scope } from "../../../kernel/service.ts";
import { isoMicros } from "../../../kernel/time.ts";
import { iamOperation, projectInDomain, requireAdmin, requireOwnDomain, requireScope, type IamContext } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { requireRole } from "../roles.ts";
import type { IamStore } from "../store.ts";
import type { AgencyGrant, AgencyRow, AgencyScope } from "../store/policies.ts";
import * as views from "../views.ts";
import { checkRoleFits } from "./grants.ts";

/** Huawei's default quota of agencies per account. */
export const AGENCY_QUOTA = 50;
const DAY_MS = 24 * 3600 * 1000;

// "FOREVER", "ONEDAY" or a number of days (1-365); the SDK types it as an object, clients send a string.
const Duration = z.union([z.literal("FOREVER"), z.literal("ONEDAY"), z.string().regex(/^[1-9][0-9]{0,2}$/), z.number().int().min(1).max(365)]);
const AgencyName = z.string().min(1).max(64).regex(/^[^@#%&<>\\$^*"]+$/, "must not contain @ # % & < > \\ $ ^ * \"");

function agencyView(a: AgencyRow) {
  const days = a.duration === "FOREVER" ? null : a.duration === "ONEDAY" ? 1 : Number(a.duration);
  return {
    id: a.id,
    name: a.name,
    domain_id: a.domain_id,
    trust_domain_id: a.trust_domain_id,
    trust_domain_name: a.trust_domain_name,
    description: a.description,
    duration: a.duration,
    create_time: isoMicros(a.created_at).replace(/Z$/, ""),
    expire_time: days === null ? null : isoMicros(a.created_at + days * DAY_MS).replace(/Z$/, ""),
  };
}

/** The delegated party: another domain of this hwlocal by id or name, or a cloud service (op_svc_*). */
function trustDomain(store: IamStore, scope: Scope, id: string | undefined, name: string | undefined): { id: string; name: string } {
  if (name?.startsWith("op_svc_")) return { id: id ?? stableHex32(`service:${name}`), name };
  const d = id !== undefined ? store.domain(id) : name !== undefined ? store.domainByName(name) : undefined;
  if (id === undefined && name === undefined) throw iamErrors.requiredProperty("trust_domain_id");
  if (!d || (name !== undefined && d.name !== name)) throw iamErrors.notFound("domain", id ?? name ?? "");
  if (d.id === scope.domainId) throw iamErrors.invalidParameter("A domain cannot delegate to itself.");
  return { id: d.id, name: d.name };
}

function agencyInDomain(store: IamStore, scope: Scope, id: string): AgencyRow {
  const a = store.policies.agency(id);
  if (!a || a.domain_id !== scope.domainId) throw iamErrors.notFound("agency", id);
  return a;
}

export const createAgency = iamOperation({
  name: "CreateAgency",
  method: "POST",
  path: "/v3.0/OS-AGENCY/agencies",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({
    agency: z.object({
      name: AgencyName,
      domain_id: z.string(),
      trust_domain_id: z.string().optional(),
      trust_domain_name: z.string().optional(),
      description: z.string().max(255).optional(),
      duration: Duration.optional(),
    }),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body.agency;
    requireOwnDomain(scope, b.domain_id);
    const { store } = ctx.svc;
    if (store.policies.agencyByName(scope.domainId, b.name)) throw iamErrors.conflict("agency", `agency name ${b.name} is used`);
    if (store.policies.agencies(scope.domainId).length >= AGENCY_QUOTA) throw iamErrors.quotaExceeded("agency");
    const trust = trustDomain(store, scope, b.trust_domain_id, b.trust_domain_name);
    const row: AgencyRow = {
      id: ctx.ids.hex32(),
      domain_id: scope.domainId,
      name: b.name,
      trust_domain_id: trust.id,
      trust_domain_name: trust.name,
      description: b.description ?? "",
      duration: String(b.duration ?? "FOREVER"),
      created_at: ctx.clock.now(),
    };
    store.policies.insertAgency(row);
    return { status: 201, body: { agency: agencyView(row) } };
  },
});

export const listAgencies = iamOperation({
  name: "ListAgencies",
  method: "GET",
  path: "/v3.0/OS-AGENCY/agencies",
  errorShape: "plain",
  query: z.object({
    domain_id: z.string(),
    trust_domain_id: z.string().optional(),
    name: z.string().optional(),
    page: z.coerce.number().int().min(1).optional(),
    per_page: z.coerce.number().int().min(1).max(500).optional(),
  }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const q = ctx.input.query;
    requireOwnDomain(scope, q.domain_id);
    const list = ctx.svc.store.policies
      .agencies(scope.domainId)
      .filter((a) => (q.name === undefined || a.name === q.name) && (q.trust_domain_id === undefined || a.trust_domain_id === q.trust_domain_id));
    const perPage = q.per_page ?? 500;
    const page = q.page ?? 1;
    return { body: { agencies: list.slice((page - 1) * perPage, page * perPage).map(agencyView) } };
  },
});

export const showAgency = iamOperation({
  name: "ShowAgency",
  method: "GET",
  path: "/v3.0/OS-AGENCY/agencies/{agency_id}",
  errorShape: "plain",
  handle(ctx) {
    const a = agencyInDomain(ctx.svc.store, requireScope(ctx.scope), ctx.input.path.agency_id!);
    return { body: { agency: agencyView(a) } };
  },
});

export const updateAgency = iamOperation({
  name: "UpdateAgency",
  method: "PUT",
  path: "/v3.0/OS-AGENCY/agencies/{agency_id}",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({
    agency: z.object({
      trust_domain_id: z.string().optional(),
      trust_domain_name: z.string().optional(),
      description: z.string().max(255).optional(),
      duration: Duration.optional(),
    }),
  }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const a = agencyInDomain(store, scope, ctx.input.path.agency_id!);
    const b = ctx.input.body.agency;
    const trust =
      b.trust_domain_id === undefined && b.trust_domain_name === undefined
        ? { id: a.trust_domain_id, name: a.trust_domain_name }
        : trustDomain(store, scope, b.trust_domain_id, b.trust_domain_name);
    store.policies.updateAgency({
      id: a.id,
      trust_domain_id: trust.id,
      trust_domain_name: trust.name,
      description: b.description ?? a.description,
      duration: b.duration === undefined ? a.duration : String(b.duration),
    });
    return { body: { agency: agencyView(store.policies.agency(a.id)!) } };
  },
});

export const deleteAgency = iamOperation({
  name: "DeleteAgency",
  method: "DELETE",
  path: "/v3.0/OS-AGENCY/agencies/{agency_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const a = agencyInDomain(ctx.svc.store, requireAdmin(ctx.scope), ctx.input.path.agency_id!);
    ctx.svc.store.policies.deleteAgency(a.id);
    return { status: 204 };
  },
});

// ---- grants to agencies

const BASES: Record<AgencyScope, string> = {
  project: "/v3.0/OS-AGENCY/projects/{project_id}/agencies/{agency_id}/roles",
  domain: "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles",
  inherited: "/v3.0/OS-INHERIT/domains/{domain_id}/agencies/{agency_id}/roles",
};
const suffix = (kind: AgencyScope) => (kind === "inherited" ? "/inherited_to_projects" : "");

type Ctx = HandlerContext<IamContext, { path: Record<string, string> }>;

function agencyGrant(kind: AgencyScope, ctx: Ctx, scope: Scope): AgencyGrant {
  const { store } = ctx.svc;
  const path = ctx.input.path;
  let scopeId: string;
  if (kind === "project") scopeId = projectInDomain(store, scope, path.project_id!).id;
  else {
    requireOwnDomain(scope, path.domain_id!);
    scopeId = scope.domainId;
  }
  const a = agencyInDomain(store, scope, path.agency_id!);
  if (path.role_id !== undefined) checkRoleFits(requireRole(store, scope.domainId, path.role_id), kind === "domain" ? "domain" : "project");
  return { agency_id: a.id, role_id: path.role_id ?? "", scope_type: kind, scope_id: scopeId };
}

function agencyGrantOperations(kind: AgencyScope, names: { put: string; head: string; del: string; list: string }) {
  const one = `${BASES[kind]}/{role_id}${suffix(kind)}`;
  return [
    iamOperation({
      name: names.put,
      method: "PUT",
      path: one,
      adminOnly: true,
      errorShape: "plain",
      handle(ctx) {
        ctx.svc.store.policies.grantAgency(agencyGrant(kind, ctx, requireAdmin(ctx.scope)));
        return { status: 204 };
      },
    }),
    iamOperation({
      name: names.head,
      method: "HEAD",
      path: one,
      adminOnly: true,
      errorShape: "plain",
      handle(ctx) {
        const g = agencyGrant(kind, ctx, requireAdmin(ctx.scope));
        if (!ctx.svc.store.policies.hasAgencyGrant(g)) throw iamErrors.notFound("role assignment", g.role_id);
        return { status: 204 };
      },
    }),
    iamOperation({
      name: names.del,
      method: "DELETE",
      path: one,
      adminOnly: true,
      errorShape: "plain",
      handle(ctx) {
        const g = agencyGrant(kind, ctx, requireAdmin(ctx.scope));
        if (!ctx.svc.store.policies.revokeAgency(g)) throw iamErrors.notFound("role assignment", g.role_id);
        return { status: 204 };
      },
    }),
    iamOperation({
      name: names.list,
      method: "GET",
      path: `${BASES[kind]}${suffix(kind)}`,
      adminOnly: true,
      errorShape: "plain",
      handle(ctx) {
        const scope = requireAdmin(ctx.scope);
        const { store } = ctx.svc;
        const g = agencyGrant(kind, ctx, scope);
        const roles = store.policies
          .agencyGrants(g.agency_id)
          .filter((x) => x.scope_type === kind && x.scope_id === g.scope_id)
          .map((x) => requireRole(store, scope.domainId, x.role_id))
          .map((r) => views.role(r, ctx.request.serviceBase));
        return { body: { roles } };
      },
    }),
  ];
}

export const agencyOperations = [
  createAgency,
  listAgencies,
  showAgency,
  updateAgency,
  deleteAgency,
  ...agencyGrantOperations("project", {
    put: "AssociateAgencyWithProjectPermission",
    head: "CheckProjectPermissionForAgency",
    del: "RemoveProjectPermissionFromAgency",
    list: "ListProjectPermissionsForAgency",
  }),
  ...agencyGrantOperations("domain", {
    put: "AssociateAgencyWithDomainPermission",
    head: "CheckDomainPermissionForAgency",
    del: "RemoveDomainPermissionFromAgency",
    list: "ListDomainPermissionsForAgency",
  }),
  ...agencyGrantOperations("inherited", {
    put: "AssociateAgencyWithAllProjectsPermission",
    head: "CheckAllProjectsPermissionForAgency",
    del: "RemoveAllProjectsPermissionFromAgency",
    list: "ListAllProjectsPermissionsForAgency",
  }),
];
