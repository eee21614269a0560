// Custom policies (/v3.0/OS-ROLE/roles): cloud-service policies (Version 1.1 documents over services'
// actions) and agency policies (iam:agencies:assume on /iam/agencies/... resources) share one path; the body
// tells them apart. Stored per domain, named custom_<domain_id>_<n> as Huawei names them.
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext, Scope } from "../../../kernel/service.ts";
import type { RoleRecord } from "../catalog-data.ts";
import { iamOperation, requireAdmin, requireScope, type IamContext } from "../context.ts";
import { iamErrors } from "../errors.ts";
import { parsePolicyDocument } from "../policy-document.ts";
import * as views from "../views.ts";

const RoleBody = z.object({
  role: z.object({
    display_name: z.string().min(1).max(128),
    type: z.string(),
    description: z.string().max(1000),
    description_cn: z.string().max(1000).optional(),
    policy: z.unknown(),
  }),
});
const RolePatch = z.object({
  role: z.object({
    display_name: z.string().min(1).max(128).optional(),
    type: z.string().optional(),
    description: z.string().max(1000).optional(),
    description_cn: z.string().max(1000).optional(),
    policy: z.unknown().optional(),
  }),
});

/** IAM.1009: a custom policy applies to global services (AX) or to projects (XA). */
function policyType(t: string): "AX" | "XA" {
  if (t !== "AX" && t !== "XA") throw iamErrors.policyType(t);
  return t;
}

/** An agency policy's statements carry Resource {"uri": [...]}. */
function kindOf(policy: unknown): "service" | "agency" {
  const st = (policy as { Statement?: unknown } | null)?.Statement;
  if (!Array.isArray(st)) return "service";
  return st.some((s) => typeof s === "object" && s !== null && typeof (s as { Resource?: unknown }).Resource === "object" && !Array.isArray((s as { Resource?: unknown }).Resource))
    ? "agency"
    : "service";
}

function customInDomain(ctx: HandlerContext<IamContext, { path: Record<string, string> }>, scope: Scope): RoleRecord {
  const id = ctx.input.path.role_id!;
  const r = ctx.svc.store.policies.customRole(id);
  if (!r || r.domain_id !== scope.domainId) throw iamErrors.notFound("role", id);
  return r;
}

export const createCloudServiceCustomPolicy = iamOperation({
  name: "CreateCloudServiceCustomPolicy",
  method: "POST",
  path: "/v3.0/OS-ROLE/roles",
  adminOnly: true,
  errorShape: "plain",
  body: RoleBody,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body.role;
    const type = policyType(b.type);
    const policy = parsePolicyDocument(b.policy, kindOf(b.policy));
    const { store } = ctx.svc;
    if (store.policies.customRoleByName(scope.domainId, b.display_name)) {
      throw iamErrors.conflict("role", `a policy named ${b.display_name} exists`);
    }
    const id = ctx.ids.hex32();
    store.policies.insertCustomRole({
      id,
      domainId: scope.domainId,
      display_name: b.display_name,
      type,
      description: b.description,
      description_cn: b.description_cn ?? "",
      policy,
      now: ctx.clock.now(),
    });
    return { status: 201, body: { role: views.role(store.policies.customRole(id)!, ctx.request.serviceBase) } };
  },
});

export const listCustomPolicies = iamOperation({
  name: "ListCustomPolicies",
  method: "GET",
  path: "/v3.0/OS-ROLE/roles",
  errorShape: "plain",
  query: z.object({
    page: z.coerce.number().int().min(1).optional(),
    per_page: z.coerce.number().int().min(1).max(300).optional(),
  }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const roles = ctx.svc.store.policies.customRoles(scope.domainId);
    const perPage = ctx.input.query.per_page ?? 300;
    const page = ctx.input.query.page ?? 1;
    return {
      body: {
        roles: roles.slice((page - 1) * perPage, page * perPage).map((r) => views.role(r, ctx.request.serviceBase)),
        links: views.listLinks(`${ctx.request.serviceBase}/v3.0/OS-ROLE/roles`),
        total_number: roles.length,
      },
    };
  },
});

export const showCustomPolicy = iamOperation({
  name: "ShowCustomPolicy",
  method: "GET",
  path: "/v3.0/OS-ROLE/roles/{role_id}",
  errorShape: "plain",
  handle(ctx) {
    const r = customInDomain(ctx, requireScope(ctx.scope));
    return { body: { role: views.role(r, ctx.request.serviceBase) } };
  },
});

export const updateCloudServiceCustomPolicy = iamOperation({
  name: "UpdateCloudServiceCustomPolicy",
  method: "PATCH",
  path: "/v3.0/OS-ROLE/roles/{role_id}",
  adminOnly: true,
  errorShape: "plain",
  body: RolePatch,
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const r = customInDomain(ctx, scope);
    const b = ctx.input.body.role;
    const { store } = ctx.svc;
    const displayName = b.display_name ?? r.display_name;
    if (displayName !== r.display_name && store.policies.customRoleByName(scope.domainId, displayName)) {
      throw iamErrors.conflict("role", `a policy named ${displayName} exists`);
    }
    const policy = b.policy === undefined ? r.policy : parsePolicyDocument(b.policy, kindOf(b.policy));
    store.policies.updateCustomRole({
      id: r.id,
      display_name: displayName,
      type: b.type === undefined ? (r.type as "AX" | "XA") : policyType(b.type),
      description: b.description ?? r.description,
      description_cn: b.description_cn ?? r.description_cn,
      policy,
      now: ctx.clock.now(),
    });
    return { body: { role: views.role(store.policies.customRole(r.id)!, ctx.request.serviceBase) } };
  },
});

export const deleteCustomPolicy = iamOperation({
  name: "DeleteCustomPolicy",
  method: "DELETE",
  path: "/v3.0/OS-ROLE/roles/{role_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const r = customInDomain(ctx, requireAdmin(ctx.scope));
    ctx.svc.store.policies.deleteCustomRole(r.id);
    // Huawei answers 200 with an empty body here (not 204).
    return { status: 200, body: {} };
  },
});

export const customPolicyOperations = [
  createCloudServiceCustomPolicy,
  listCustomPolicies,
  showCustomPolicy,
  updateCloudServiceCustomPolicy,
  deleteCustomPolicy,
];
