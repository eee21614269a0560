// IAM v5 identity policies: custom policies with up to five versions (documents of Version "5.0", passed as
// JSON text), one of them the default, attached to users, groups and agencies.
// Gaps: v5 system policies (policy_type "system") are not listed; only custom policies exist.
// Doubts: the error codes of v5 (Huawei's v5 pages use codes of their own) are IAM's v3 codes here.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import { groupInDomain, iamOperation, requireAdmin, requireScope, userInDomain } from "../context.ts";
import { iamErrors } from "../errors.ts";
import type { IamStore } from "../store.ts";
import type { AttachmentRow, EntityType, V5PolicyRow } from "../store/v5.ts";
import { page, urn, V5Page, v5Time } from "./v5-common.ts";

const MAX_VERSIONS = 5;
const MAX_DOCUMENT = 6144;
const PolicyName = z.string().min(1).max(128).regex(/^[A-Za-z0-9_+=,.@-]+$/);
const Path = z.string().max(512).regex(/^$|^[A-Za-z0-9_+=,.@-]+\/([A-Za-z0-9_+=,.@-]+\/)*$/, "is empty or segments ending in '/'");

/** Checks a v5 policy document (JSON text) and returns it compacted. */
export function checkV5Document(text: string): string {
  if (text.length > MAX_DOCUMENT) throw iamErrors.invalidParameter(`policy_document is longer than ${MAX_DOCUMENT} characters.`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw iamErrors.invalidParameter("policy_document is not JSON.");
  }
  const d = doc as { Version?: unknown; Statement?: unknown };
  if (typeof doc !== "object" || doc === null || d.Version !== "5.0") throw iamErrors.invalidParameter("policy_document.Version must be 5.0.");
  if (!Array.isArray(d.Statement) || d.Statement.length === 0) throw iamErrors.invalidParameter("policy_document.Statement must be a non-empty list.");
  for (const [i, s] of d.Statement.entries()) {
    const st = s as { Effect?: unknown; Action?: unknown; NotAction?: unknown };
    if (typeof s !== "object" || s === null || (st.Effect !== "Allow" && st.Effect !== "Deny")) throw iamErrors.invalidParameter(`Statement[${i}].Effect must be Allow or Deny.`);
    const actions = st.Action ?? st.NotAction;
    const list = typeof actions === "string" ? [actions] : actions;
    if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === "string" && /^(\*|[a-z0-9-]+(:[A-Za-z0-9*?_-]+){1,2})$/.test(a))) {
      throw iamErrors.invalidParameter(`Statement[${i}].Action must be service:resourceType:operation strings.`);
    }
  }
  return JSON.stringify(doc);
}

function policyView(store: IamStore, p: V5PolicyRow) {
  return {
    policy_type: "custom",
    policy_name: p.name,
    policy_id: p.id,
    urn: urn(p.domain_id, "policy", p.name),
    path: p.path,
    default_version_id: p.default_version,
    attachment_count: store.v5.attachmentsOfPolicy(p.id).length,
    description: p.description,
    created_at: v5Time(p.created_at),
    updated_at: v5Time(p.updated_at),
  };
}

const versionView = (p: V5PolicyRow, v: { version_id: string; document: string; created_at: number }) => ({
  document: v.document,
  version_id: v.version_id,
  is_default: v.version_id === p.default_version,
  created_at: v5Time(v.created_at),
});

function policyInDomain(store: IamStore, scope: Scope, id: string): V5PolicyRow {
  const p = store.v5.policy(id);
  if (!p || p.domain_id !== scope.domainId) throw iamErrors.notFound("policy", id);
  return p;
}

export const createPolicyV5 = iamOperation({
  name: "CreatePolicyV5",
  method: "POST",
  path: "/v5/policies",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ policy_name: PolicyName, path: Path.optional(), policy_document: z.string(), description: z.string().max(1000).optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body;
    const { store } = ctx.svc;
    const document = checkV5Document(b.policy_document);
    if (store.v5.policyByName(scope.domainId, b.policy_name)) throw iamErrors.conflict("policy", `policy name ${b.policy_name} is used`);
    const now = ctx.clock.now();
    const row: V5PolicyRow = { id: ctx.ids.hex32(), domain_id: scope.domainId, name: b.policy_name, path: b.path ?? "", description: b.description ?? "", default_version: "v1", next_version: 2, created_at: now, updated_at: now };
    store.v5.insertPolicy(row, document);
    return { status: 201, body: { policy: policyView(store, row) } };
  },
});

export const listPoliciesV5 = iamOperation({
  name: "ListPoliciesV5",
  method: "GET",
  path: "/v5/policies",
  errorShape: "plain",
  query: V5Page.extend({ policy_type: z.enum(["custom", "system"]).optional(), path_prefix: z.string().optional(), only_attached: z.enum(["true", "false"]).optional() }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const q = ctx.input.query;
    const list = q.policy_type === "system" ? [] : store.v5.policies(scope.domainId).filter((p) => (q.path_prefix === undefined || p.path.startsWith(q.path_prefix)) && (q.only_attached !== "true" || store.v5.attachmentsOfPolicy(p.id).length > 0));
    const pg = page(list, (p) => p.id, q);
    return { body: { policies: pg.items.map((p) => policyView(store, p)), page_info: pg.page_info } };
  },
});

export const getPolicyV5 = iamOperation({
  name: "GetPolicyV5",
  method: "GET",
  path: "/v5/policies/{policy_id}",
  errorShape: "plain",
  handle(ctx) {
    return { body: { policy: policyView(ctx.svc.store, policyInDomain(ctx.svc.store, requireScope(ctx.scope), ctx.input.path.policy_id!)) } };
  },
});

export const deletePolicyV5 = iamOperation({
  name: "DeletePolicyV5",
  method: "DELETE",
  path: "/v5/policies/{policy_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const { store } = ctx.svc;
    const p = policyInDomain(store, requireAdmin(ctx.scope), ctx.input.path.policy_id!);
    if (store.v5.attachmentsOfPolicy(p.id).length > 0) throw iamErrors.conflict("policy", "detach it from every user, group and agency first");
    store.v5.deletePolicy(p.id);
    return { status: 204 };
  },
});

export const createPolicyVersionV5 = iamOperation({
  name: "CreatePolicyVersionV5",
  method: "POST",
  path: "/v5/policies/{policy_id}/versions",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ policy_document: z.string(), set_as_default: z.boolean().optional() }),
  handle(ctx) {
    const { store } = ctx.svc;
    const p = policyInDomain(store, requireAdmin(ctx.scope), ctx.input.path.policy_id!);
    const document = checkV5Document(ctx.input.body.policy_document);
    if (store.v5.versions(p.id).length >= MAX_VERSIONS) throw iamErrors.quotaExceeded(`policy version (at most ${MAX_VERSIONS})`);
    const now = ctx.clock.now();
    const versionId = store.tx(() => {
      const id = store.v5.addVersion(p.id, document, now);
      if (ctx.input.body.set_as_default) store.v5.setDefaultVersion(p.id, id, now);
      return id;
    });
    const fresh = store.v5.policy(p.id)!;
    return { status: 201, body: { policy_version: versionView(fresh, store.v5.version(p.id, versionId)!) } };
  },
});

function versionOf(store: IamStore, scope: Scope, path: Record<string, string>) {
  const p = policyInDomain(store, scope, path.policy_id!);
  const v = store.v5.version(p.id, path.version_id!);
  if (!v) throw iamErrors.notFound("policy version", path.version_id!);
  return { p, v };
}

export const getPolicyVersionV5 = iamOperation({
  name: "GetPolicyVersionV5",
  method: "GET",
  path: "/v5/policies/{policy_id}/versions/{version_id}",
  errorShape: "plain",
  handle(ctx) {
    const { p, v } = versionOf(ctx.svc.store, requireScope(ctx.scope), ctx.input.path);
    return { body: { policy_version: versionView(p, v) } };
  },
});

export const listPolicyVersionsV5 = iamOperation({
  name: "ListPolicyVersionsV5",
  method: "GET",
  path: "/v5/policies/{policy_id}/versions",
  errorShape: "plain",
  query: V5Page,
  handle(ctx) {
    const { store } = ctx.svc;
    const p = policyInDomain(store, requireScope(ctx.scope), ctx.input.path.policy_id!);
    const pg = page(store.v5.versions(p.id), (v) => v.version_id, ctx.input.query);
    return { body: { versions: pg.items.map((v) => versionView(p, v)), page_info: pg.page_info } };
  },
});

export const deletePolicyVersionV5 = iamOperation({
  name: "DeletePolicyVersionV5",
  method: "DELETE",
  path: "/v5/policies/{policy_id}/versions/{version_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const { p, v } = versionOf(ctx.svc.store, requireAdmin(ctx.scope), ctx.input.path);
    if (v.version_id === p.default_version) throw iamErrors.conflict("policy version", "the default version cannot be deleted");
    ctx.svc.store.v5.deleteVersion(p.id, v.version_id);
    return { status: 204 };
  },
});

export const setDefaultPolicyVersionV5 = iamOperation({
  name: "SetDefaultPolicyVersionV5",
  method: "POST",
  path: "/v5/policies/{policy_id}/versions/{version_id}/set-default",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const { p, v } = versionOf(ctx.svc.store, requireAdmin(ctx.scope), ctx.input.path);
    ctx.svc.store.v5.setDefaultVersion(p.id, v.version_id, ctx.clock.now());
    return { status: 204 };
  },
});

// ---- attachments

function entityInDomain(store: IamStore, scope: Scope, type: EntityType, id: string): string {
  if (type === "user") return userInDomain(store, scope, id).id;
  if (type === "group") return groupInDomain(store, scope, id).id;
  const a = store.policies.agency(id);
  if (!a || a.domain_id !== scope.domainId) throw iamErrors.notFound("agency", id);
  return a.id;
}

const TYPES: { type: EntityType; Cap: string; key: "user_id" | "group_id" | "agency_id"; plural: string }[] = [
  { type: "user", Cap: "User", key: "user_id", plural: "users" },
  { type: "group", Cap: "Group", key: "group_id", plural: "groups" },
  { type: "agency", Cap: "Agency", key: "agency_id", plural: "agencies" },
];

function attachOperations(t: (typeof TYPES)[number]) {
  const body = z.object({ [t.key]: z.string().min(1) });
  return [
    iamOperation({
      name: `Attach${t.Cap}PolicyV5`,
      method: "POST",
      path: `/v5/policies/{policy_id}/attach-${t.type}`,
      adminOnly: true,
      errorShape: "plain",
      body,
      handle(ctx) {
        const scope = requireAdmin(ctx.scope);
        const { store } = ctx.svc;
        const p = policyInDomain(store, scope, ctx.input.path.policy_id!);
        const entityId = entityInDomain(store, scope, t.type, String((ctx.input.body as Record<string, string>)[t.key]));
        store.v5.attach({ policy_id: p.id, entity_type: t.type, entity_id: entityId, attached_at: ctx.clock.now() });
        return { status: 204 };
      },
    }),
    iamOperation({
      name: `Detach${t.Cap}PolicyV5`,
      method: "POST",
      path: `/v5/policies/{policy_id}/detach-${t.type}`,
      adminOnly: true,
      errorShape: "plain",
      body,
      handle(ctx) {
        const scope = requireAdmin(ctx.scope);
        const { store } = ctx.svc;
        const p = policyInDomain(store, scope, ctx.input.path.policy_id!);
        const entityId = entityInDomain(store, scope, t.type, String((ctx.input.body as Record<string, string>)[t.key]));
        if (!store.v5.detach(p.id, t.type, entityId)) throw iamErrors.notFound("policy attachment", `${p.id} to ${entityId}`);
        return { status: 204 };
      },
    }),
    iamOperation({
      name: `ListAttached${t.Cap}PoliciesV5`,
      method: "GET",
      path: `/v5/${t.plural}/{${t.key}}/attached-policies`,
      errorShape: "plain",
      query: V5Page,
      handle(ctx) {
        const scope = requireScope(ctx.scope);
        const { store } = ctx.svc;
        const entityId = entityInDomain(store, scope, t.type, ctx.input.path[t.key]!);
        const rows = store.v5
          .attachmentsOf(t.type, entityId)
          .map((a) => ({ a, p: store.v5.policy(a.policy_id) }))
          .filter((x): x is { a: AttachmentRow; p: V5PolicyRow } => x.p !== undefined);
        const pg = page(rows, (x) => x.p.id, ctx.input.query);
        return {
          body: {
            attached_policies: pg.items.map(({ a, p }) => ({ policy_name: p.name, policy_id: p.id, urn: urn(p.domain_id, "policy", p.name), attached_at: v5Time(a.attached_at) })),
            page_info: pg.page_info,
          },
        };
      },
    }),
  ];
}

export const listEntitiesForPolicyV5 = iamOperation({
  name: "ListEntitiesForPolicyV5",
  method: "GET",
  path: "/v5/policies/{policy_id}/attached-entities",
  errorShape: "plain",
  query: V5Page.extend({ entity_type: z.enum(["user", "group", "agency"]).optional() }),
  handle(ctx) {
    const { store } = ctx.svc;
    const p = policyInDomain(store, requireScope(ctx.scope), ctx.input.path.policy_id!);
    const q = ctx.input.query;
    const list = store.v5.attachmentsOfPolicy(p.id).filter((a) => q.entity_type === undefined || a.entity_type === q.entity_type);
    const pg = page(list, (a) => `${a.entity_type}:${a.entity_id}`, q);
    const of = (type: EntityType, key: string) => pg.items.filter((a) => a.entity_type === type).map((a) => ({ [key]: a.entity_id, attached_at: v5Time(a.attached_at) }));
    return { body: { policy_users: of("user", "user_id"), policy_groups: of("group", "group_id"), policy_agencies: of("agency", "agency_id"), page_info: pg.page_info } };
  },
});

export const v5PolicyOperations = [
  createPolicyV5,
  listPoliciesV5,
  getPolicyV5,
  deletePolicyV5,
  createPolicyVersionV5,
  getPolicyVersionV5,
  listPolicyVersionsV5,
  deletePolicyVersionV5,
  setDefaultPolicyVersionV5,
  ...TYPES.flatMap(attachOperations),
  listEntitiesForPolicyV5,
];
