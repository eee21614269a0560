// IAM v5 agencies (trust agencies with a trust policy) and service-linked agencies. They are rows of the same
// agencies table as /v3.0/OS-AGENCY, with v5 fields beside (store/v5.ts); the trusted domain is read from the
// trust policy's IAM principals ("iam::<domain_id>:..."). Deleting a service-linked agency is a task that
// hwlocal completes at once.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import { iamOperation, requireAdmin, requireScope } from "../context.ts";
import { iamErrors } from "../errors.ts";
import type { IamStore } from "../store.ts";
import type { AgencyRow } from "../store/policies.ts";
import { AGENCY_QUOTA } from "./agencies.ts";
import { page, urn, V5Page, v5Time } from "./v5-common.ts";

const AgencyName = z.string().min(1).max(64).regex(/^[A-Za-z0-9_+=,.@-]+$/);
const Path = z.string().max(512).regex(/^$|^[A-Za-z0-9_+=,.@-]+\/([A-Za-z0-9_+=,.@-]+\/)*$/);
const Duration = z.number().int().min(3600).max(43200);

/** Checks a trust policy (JSON text); returns it compacted with the first trusted domain id, if any. */
function checkTrustPolicy(text: string): { text: string; domainId: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw iamErrors.invalidParameter("trust_policy is not JSON.");
  }
  const d = doc as { Version?: unknown; Statement?: unknown };
  if (typeof doc !== "object" || doc === null || d.Version !== "5.0" || !Array.isArray(d.Statement) || d.Statement.length === 0) {
    throw iamErrors.invalidParameter("trust_policy must have Version 5.0 and a non-empty Statement.");
  }
  let domainId = "";
  for (const [i, s] of d.Statement.entries()) {
    const st = s as { Effect?: unknown; Action?: unknown; Principal?: { IAM?: unknown; Service?: unknown } };
    if (st.Effect !== "Allow" && st.Effect !== "Deny") throw iamErrors.invalidParameter(`trust_policy Statement[${i}].Effect must be Allow or Deny.`);
    const iam = st.Principal?.IAM;
    const list = typeof iam === "string" ? [iam] : Array.isArray(iam) ? iam : [];
    if (!st.Principal || (list.length === 0 && st.Principal.Service === undefined)) throw iamErrors.invalidParameter(`trust_policy Statement[${i}] needs a Principal.`);
    const m = list.map((p) => /^iam::([0-9a-f]{32}):/.exec(String(p))).find((x) => x !== null);
    if (m && domainId === "") domainId = m[1]!;
  }
  return { text: JSON.stringify(doc), domainId };
}

function agencyV5View(store: IamStore, a: AgencyRow, withTags: boolean) {
  const f = store.v5.agencyFields(a.id);
  return {
    agency_id: a.id,
    agency_name: a.name,
    path: f?.path ?? "",
    urn: urn(a.domain_id, "agency", `${f?.path ?? ""}${a.name}`),
    trust_policy: f?.trust_policy ?? null,
    max_session_duration: f?.max_session_duration ?? 3600,
    description: a.description,
    created_at: v5Time(a.created_at),
    trust_domain_id: a.trust_domain_id,
    trust_domain_name: a.trust_domain_name,
    ...(withTags ? { tags: store.v5.tags("agency", a.id).map((t) => ({ tag_key: t.key, tag_value: t.value })) } : {}),
  };
}

function agencyInDomain(store: IamStore, scope: Scope, id: string): AgencyRow {
  const a = store.policies.agency(id);
  if (!a || a.domain_id !== scope.domainId) throw iamErrors.notFound("agency", id);
  return a;
}

function insertAgency(store: IamStore, a: AgencyRow, f: { kind: "trust" | "service_linked"; path: string; trust_policy: string; max_session_duration: number }) {
  if (store.policies.agencyByName(a.domain_id, a.name)) throw iamErrors.conflict("agency", `agency name ${a.name} is used`);
  if (store.policies.agencies(a.domain_id).length >= AGENCY_QUOTA) throw iamErrors.quotaExceeded("agency");
  store.tx(() => {
    store.policies.insertAgency(a);
    store.v5.setAgencyFields(a.id, f);
  });
}

export const createAgencyV5 = iamOperation({
  name: "CreateAgencyV5",
  method: "POST",
  path: "/v5/agencies",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ agency_name: AgencyName, path: Path.optional(), trust_policy: z.string(), max_session_duration: Duration.optional(), description: z.string().max(1000).optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body;
    const { store } = ctx.svc;
    const trust = checkTrustPolicy(b.trust_policy);
    const trusted = trust.domainId ? store.domain(trust.domainId) : undefined;
    const row: AgencyRow = { id: ctx.ids.hex32(), domain_id: scope.domainId, name: b.agency_name, trust_domain_id: trust.domainId, trust_domain_name: trusted?.name ?? "", description: b.description ?? "", duration: "FOREVER", created_at: ctx.clock.now() };
    insertAgency(store, row, { kind: "trust", path: b.path ?? "", trust_policy: trust.text, max_session_duration: b.max_session_duration ?? 3600 });
    return { status: 201, body: { agency: agencyV5View(store, row, false) } };
  },
});

export const listAgenciesV5 = iamOperation({
  name: "ListAgenciesV5",
  method: "GET",
  path: "/v5/agencies",
  errorShape: "plain",
  query: V5Page.extend({ path_prefix: z.string().optional() }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const q = ctx.input.query;
    const list = store.policies.agencies(scope.domainId).filter((a) => q.path_prefix === undefined || (store.v5.agencyFields(a.id)?.path ?? "").startsWith(q.path_prefix));
    const pg = page(list, (a) => a.id, q);
    return { body: { agencies: pg.items.map((a) => agencyV5View(store, a, false)), page_info: pg.page_info } };
  },
});

export const getAgencyV5 = iamOperation({
  name: "GetAgencyV5",
  method: "GET",
  path: "/v5/agencies/{agency_id}",
  errorShape: "plain",
  handle(ctx) {
    const { store } = ctx.svc;
    return { body: { agency: agencyV5View(store, agencyInDomain(store, requireScope(ctx.scope), ctx.input.path.agency_id!), true) } };
  },
});

export const updateAgencyV5 = iamOperation({
  name: "UpdateAgencyV5",
  method: "PUT",
  path: "/v5/agencies/{agency_id}",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ max_session_duration: Duration.optional(), description: z.string().max(1000).optional() }),
  handle(ctx) {
    const { store } = ctx.svc;
    const a = agencyInDomain(store, requireAdmin(ctx.scope), ctx.input.path.agency_id!);
    const b = ctx.input.body;
    const f = store.v5.agencyFields(a.id)!;
    store.tx(() => {
      store.policies.updateAgency({ ...a, description: b.description ?? a.description });
      store.v5.setAgencyFields(a.id, { ...f, max_session_duration: b.max_session_duration ?? f.max_session_duration });
    });
    return { body: { agency: agencyV5View(store, store.policies.agency(a.id)!, false) } };
  },
});

export const updateTrustPolicyV5 = iamOperation({
  name: "UpdateTrustPolicyV5",
  method: "PUT",
  path: "/v5/agencies/{agency_id}/trust-policy",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ trust_policy: z.string() }),
  handle(ctx) {
    const { store } = ctx.svc;
    const a = agencyInDomain(store, requireAdmin(ctx.scope), ctx.input.path.agency_id!);
    const f = store.v5.agencyFields(a.id)!;
    if (f.kind === "service_linked") throw iamErrors.forbidden("The trust policy of a service-linked agency cannot be changed.");
    const trust = checkTrustPolicy(ctx.input.body.trust_policy);
    const trusted = trust.domainId ? store.domain(trust.domainId) : undefined;
    store.tx(() => {
      store.policies.updateAgency({ ...a, trust_domain_id: trust.domainId, trust_domain_name: trusted?.name ?? "" });
      store.v5.setAgencyFields(a.id, { ...f, trust_policy: trust.text });
    });
    return { status: 204 };
  },
});

export const deleteAgencyV5 = iamOperation({
  name: "DeleteAgencyV5",
  method: "DELETE",
  path: "/v5/agencies/{agency_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const { store } = ctx.svc;
    const a = agencyInDomain(store, requireAdmin(ctx.scope), ctx.input.path.agency_id!);
    if (store.v5.agencyFields(a.id)?.kind === "service_linked") throw iamErrors.forbidden("Delete a service-linked agency with DeleteServiceLinkedAgencyV5.");
    store.policies.deleteAgency(a.id);
    return { status: 204 };
  },
});

export const createServiceLinkedAgencyV5 = iamOperation({
  name: "CreateServiceLinkedAgencyV5",
  method: "PUT",
  path: "/v5/service-linked-agencies",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ service_principal: z.string().regex(/^service\.[A-Za-z0-9-]+$/, "is service.<name>"), description: z.string().max(1000).optional() }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const b = ctx.input.body;
    const { store } = ctx.svc;
    const service = b.service_principal.slice("service.".length);
    const trustPolicy = JSON.stringify({ Version: "5.0", Statement: [{ Effect: "Allow", Action: ["sts:agencies:assume"], Principal: { Service: [b.service_principal] } }] });
    const row: AgencyRow = { id: ctx.ids.hex32(), domain_id: scope.domainId, name: `ServiceLinkedAgencyFor${service}`, trust_domain_id: "", trust_domain_name: "", description: b.description ?? "", duration: "FOREVER", created_at: ctx.clock.now() };
    insertAgency(store, row, { kind: "service_linked", path: `service-linked-agency/${b.service_principal}/`, trust_policy: trustPolicy, max_session_duration: 3600 });
    return { status: 201, body: { agency: agencyV5View(store, row, false) } };
  },
});

export const deleteServiceLinkedAgencyV5 = iamOperation({
  name: "DeleteServiceLinkedAgencyV5",
  method: "DELETE",
  path: "/v5/service-linked-agencies/{agency_id}",
  adminOnly: true,
  errorShape: "plain",
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const { store } = ctx.svc;
    const a = agencyInDomain(store, scope, ctx.input.path.agency_id!);
    if (store.v5.agencyFields(a.id)?.kind !== "service_linked") throw iamErrors.invalidParameter(`The agency ${a.id} is not service-linked.`);
    const taskId = ctx.ids.uuid();
    store.tx(() => {
      store.policies.deleteAgency(a.id);
      store.settings.putDomainSetting(scope.domainId, `sla-deletion:${taskId}`, { status: "SUCCEEDED" });
    });
    return { status: 200, body: { deletion_task_id: taskId } };
  },
});

export const getServiceLinkedAgencyDeletionStatusV5 = iamOperation({
  name: "GetServiceLinkedAgencyDeletionStatusV5",
  method: "GET",
  path: "/v5/service-linked-agencies/deletion-task/{deletion_task_id}",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const id = ctx.input.path.deletion_task_id!;
    const task = ctx.svc.store.settings.domainSetting(scope.domainId, `sla-deletion:${id}`);
    if (!task) throw iamErrors.notFound("deletion task", id);
    return { body: { status: task.status, reason: null, agency_usage_list: [] } };
  },
});

export const v5AgencyOperations = [
  createAgencyV5,
  listAgenciesV5,
  getAgencyV5,
  updateAgencyV5,
  updateTrustPolicyV5,
  deleteAgencyV5,
  createServiceLinkedAgencyV5,
  deleteServiceLinkedAgencyV5,
  getServiceLinkedAgencyDeletionStatusV5,
];
