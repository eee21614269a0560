// IAM v5 virtual MFA devices (the same devices as /v3.0/OS-MFA, TOTP-checked), tags on users and agencies,
// and the service principals agencies may trust.
import { z } from "../../../kernel/zod.ts";
import type { Scope } from "../../../kernel/service.ts";
import { iamOperation, requireAdmin, requireScope, requireSelfOrAdmin, userInDomain } from "../context.ts";
import { iamErrors } from "../errors.ts";
import type { IamStore } from "../store.ts";
import { base32Encode, totpConsecutive } from "../totp.ts";
import { page, V5Page } from "./v5-common.ts";

// ---- virtual MFA devices (the same devices as /v3.0/OS-MFA)

export const createVirtualMfaDeviceV5 = iamOperation({
  name: "CreateVirtualMfaDeviceV5",
  method: "POST",
  path: "/v5/virtual-mfa-devices",
  errorShape: "plain",
  body: z.object({ virtual_mfa_device_name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/), user_id: z.string() }),
  handle(ctx) {
    const b = ctx.input.body;
    const scope = requireSelfOrAdmin(ctx.scope, b.user_id);
    const { store } = ctx.svc;
    const user = userInDomain(store, scope, b.user_id);
    if (store.settings.mfaOfUser(user.id)) throw iamErrors.conflict("virtual MFA device", `the user ${user.name} has one`);
    const serial = `iam/mfa/${scope.domainId}/${b.virtual_mfa_device_name}`;
    if (store.settings.mfaDevice(serial)) throw iamErrors.conflict("virtual MFA device", `the name ${b.virtual_mfa_device_name} is used`);
    const seed = base32Encode(Buffer.from(`${ctx.ids.hex32()}${ctx.ids.hex32()}`, "hex").subarray(0, 20));
    store.settings.insertMfa({ serial_number: serial, user_id: user.id, domain_id: scope.domainId, name: b.virtual_mfa_device_name, secret: seed, created_at: ctx.clock.now() });
    return { status: 201, body: { virtual_mfa_device: { serial_number: serial, base32_string_seed: seed } } };
  },
});

function deviceOf(ctx: { svc: { store: IamStore } }, scope: Scope, userId: string, serial: string) {
  const d = ctx.svc.store.settings.mfaDevice(serial);
  if (!d || d.domain_id !== scope.domainId || d.user_id !== userId) throw iamErrors.notFound("virtual MFA device", serial);
  return d;
}

export const deleteVirtualMfaDeviceV5 = iamOperation({
  name: "DeleteVirtualMfaDeviceV5",
  method: "DELETE",
  path: "/v5/virtual-mfa-devices",
  errorShape: "plain",
  query: z.object({ user_id: z.string(), serial_number: z.string() }),
  handle(ctx) {
    const q = ctx.input.query;
    const d = deviceOf(ctx, requireSelfOrAdmin(ctx.scope, q.user_id), q.user_id, q.serial_number);
    if (d.bound) throw iamErrors.forbidden("Disable the MFA device before deleting it.");
    ctx.svc.store.settings.deleteMfa(d.serial_number);
    return { status: 204 };
  },
});

export const enableMfaDeviceV5 = iamOperation({
  name: "EnableMfaDeviceV5",
  method: "POST",
  path: "/v5/mfa-devices/enable",
  errorShape: "plain",
  body: z.object({ user_id: z.string(), serial_number: z.string(), authentication_code_first: z.string().regex(/^\d{6}$/), authentication_code_second: z.string().regex(/^\d{6}$/) }),
  handle(ctx) {
    const b = ctx.input.body;
    const d = deviceOf(ctx, requireSelfOrAdmin(ctx.scope, b.user_id), b.user_id, b.serial_number);
    if (d.bound) throw iamErrors.conflict("MFA device", "it is enabled already");
    if (!totpConsecutive(d.secret, ctx.clock.now(), b.authentication_code_first, b.authentication_code_second)) {
      throw iamErrors.invalidParameter("The authentication codes are wrong: give two consecutive codes of the device.");
    }
    ctx.svc.store.settings.bindMfa(d.serial_number, true);
    return { status: 204 };
  },
});

export const disableMfaDeviceV5 = iamOperation({
  name: "DisableMfaDeviceV5",
  method: "POST",
  path: "/v5/mfa-devices/disable",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ user_id: z.string(), serial_number: z.string() }),
  handle(ctx) {
    const b = ctx.input.body;
    const d = deviceOf(ctx, requireAdmin(ctx.scope), b.user_id, b.serial_number);
    if (!d.bound) throw iamErrors.notFound("enabled MFA device", d.serial_number);
    ctx.svc.store.settings.bindMfa(d.serial_number, false);
    return { status: 204 };
  },
});

export const listMfaDevicesV5 = iamOperation({
  name: "ListMfaDevicesV5",
  method: "GET",
  path: "/v5/mfa-devices",
  errorShape: "plain",
  query: V5Page.extend({ user_id: z.string().optional() }),
  handle(ctx) {
    const q = ctx.input.query;
    const scope = q.user_id === undefined ? requireAdmin(ctx.scope) : requireSelfOrAdmin(ctx.scope, q.user_id);
    const list = ctx.svc.store.settings.mfaInDomain(scope.domainId).filter((d) => q.user_id === undefined || d.user_id === q.user_id);
    const pg = page(list, (d) => d.serial_number, q);
    return { body: { mfa_devices: pg.items.map((d) => ({ user_id: d.user_id, serial_number: d.serial_number, enabled: d.bound })), page_info: pg.page_info } };
  },
});

// ---- resource tags (users and agencies)

const ResourceType = z.enum(["user", "agency"]);

function taggable(ctx: { svc: { store: IamStore } }, scope: Scope, type: string, id: string): "user" | "agency" {
  const t = ResourceType.safeParse(type);
  if (!t.success) throw iamErrors.invalidParameter(`resource_type '${type}' is not user or agency.`);
  if (t.data === "user") userInDomain(ctx.svc.store, scope, id);
  else {
    const a = ctx.svc.store.policies.agency(id);
    if (!a || a.domain_id !== scope.domainId) throw iamErrors.notFound("agency", id);
  }
  return t.data;
}

export const listResourceTagsV5 = iamOperation({
  name: "ListResourceTagsV5",
  method: "GET",
  path: "/v5/{resource_type}/{resource_id}/tags",
  errorShape: "plain",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const type = taggable(ctx, scope, ctx.input.path.resource_type!, ctx.input.path.resource_id!);
    return { body: { tags: ctx.svc.store.v5.tags(type, ctx.input.path.resource_id!).map((t) => ({ tag_key: t.key, tag_value: t.value })) } };
  },
});

const TagKey = z.string().min(1).max(64).regex(/^[^=*<>\\|/,]+$/);

export const tagResourceV5 = iamOperation({
  name: "TagResourceV5",
  method: "POST",
  path: "/v5/{resource_type}/{resource_id}/tags/create",
  adminOnly: true,
  errorShape: "plain",
  body: z.object({ tags: z.array(z.object({ tag_key: TagKey, tag_value: z.string().max(128) })).min(1).max(20) }),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const id = ctx.input.path.resource_id!;
    const type = taggable(ctx, scope, ctx.input.path.resource_type!, id);
    const { v5 } = ctx.svc.store;
    const keys = new Set([...v5.tags(type, id).map((t) => t.key), ...ctx.input.body.tags.map((t) => t.tag_key)]);
    if (keys.size > 20) throw iamErrors.invalidParameter("A resource may carry at most 20 tags.");
    for (const t of ctx.input.body.tags) v5.putTag(scope.domainId, type, id, t.tag_key, t.tag_value);
    return { status: 204 };
  },
});

export const deleteResourceTagsV5 = iamOperation({
  name: "DeleteResourceTagsV5",
  method: "DELETE",
  path: "/v5/{resource_type}/{resource_id}/tags/delete",
  adminOnly: true,
  errorShape: "plain",
  // The body is a bare JSON array of keys.
  body: z.array(TagKey).min(1).max(20),
  handle(ctx) {
    const scope = requireAdmin(ctx.scope);
    const id = ctx.input.path.resource_id!;
    const type = taggable(ctx, scope, ctx.input.path.resource_type!, id);
    for (const k of ctx.input.body) ctx.svc.store.v5.deleteTag(type, id, k);
    return { status: 204 };
  },
});

// ---- service principals: the cloud services hwlocal serves, as agencies name them

const PRINCIPALS: [string, string, string][] = [
  ["service.ECS", "Elastic Cloud Server", "Compute"],
  ["service.EVS", "Elastic Volume Service", "Storage"],
  ["service.IMS", "Image Management Service", "Compute"],
  ["service.AS", "Auto Scaling", "Compute"],
  ["service.VPC", "Virtual Private Cloud", "Networking"],
  ["service.ELB", "Elastic Load Balance", "Networking"],
  ["service.OBS", "Object Storage Service", "Storage"],
  ["service.CES", "Cloud Eye", "Management & Governance"],
  ["service.SMN", "Simple Message Notification", "Application"],
];

export const listServicePrincipalsV5 = iamOperation({
  name: "ListServicePrincipalsV5",
  method: "GET",
  path: "/v5/service-principals",
  errorShape: "plain",
  query: V5Page,
  handle(ctx) {
    requireScope(ctx.scope);
    const pg = page(PRINCIPALS, (p) => p[0], ctx.input.query);
    return {
      body: {
        service_principals: pg.items.map(([service_principal, name, catalog]) => ({ service_principal, display_name: name, service_catalog: catalog, description: { en_US: name, zh_CN: name } })),
        page_info: pg.page_info,
      },
    };
  },
});

export const v5MfaTagOperations = [
  createVirtualMfaDeviceV5,
  deleteVirtualMfaDeviceV5,
  enableMfaDeviceV5,
  disableMfaDeviceV5,
  listMfaDevicesV5,
  listResourceTagsV5,
  tagResourceV5,
  deleteResourceTagsV5,
  listServicePrincipalsV5,
];
