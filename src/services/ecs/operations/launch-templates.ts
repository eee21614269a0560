// Launch templates (v3): CreateLaunchTemplate (with its version 1), ListTemplates, DeleteLaunchTemplates and
// ListLaunchTemplateVersions. A template's data is kept as given once its references are checked (flavor,
// zone, security groups, key pair, image of the system disk); hwlocal does not launch servers from it.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { ecsOperation, projectScope, queryInt, zonesOf, type ProjectScope } from "../context.ts";
import type { EcsContext } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { findFlavor } from "../flavors-data.ts";
import type { LaunchTemplateRow, TemplateVersionRow } from "../store-templates.ts";

const BlockDevice = z
  .object({
    source_id: z.string().max(64).optional(),
    source_type: z.enum(["image", "snapshot", "blank"]).optional(),
    encrypted: z.boolean().optional(),
    cmk_id: z.string().max(64).optional(),
    volume_type: z.string().max(32).optional(),
    volume_size: z.number().int().min(1).max(32768).optional(),
    attachment: z.object({ boot_index: z.number().int().min(-1).max(64).optional() }).loose().optional(),
  })
  .loose();

const TemplateData = z
  .object({
    flavor_id: z.string().max(64).optional(),
    name: z.string().max(128).optional(),
    description: z.string().max(255).optional(),
    availability_zone_id: z.string().max(64).optional(),
    enterprise_project_id: z.string().max(64).optional(),
    auto_recovery: z.boolean().optional(),
    os_profile: z
      .object({ key_name: z.string().max(64).optional(), user_data: z.string().max(44_000).optional(), iam_agency_name: z.string().max(64).optional(), enable_monitoring_service: z.boolean().optional() })
      .loose()
      .optional(),
    security_group_ids: z.array(z.string().max(64)).max(10).optional(),
    network_interfaces: z.array(z.object({ virsubnet_id: z.string().max(64).optional() }).loose()).max(12).optional(),
    block_device_mappings: z.array(BlockDevice).max(24).optional(),
    market_options: z.object({ market_type: z.string().max(32).optional() }).loose().optional(),
    internet_access: z.object({}).loose().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    tag_options: z.array(z.object({ tags: z.array(z.object({ key: z.string().min(1).max(128), value: z.string().max(255) })).max(10).optional() }).loose()).optional(),
  })
  .loose();

/** Checks what template data names (flavor, zone, security groups, subnets, key pair, image). */
function checkData(svc: EcsContext, scope: ProjectScope, d: z.infer<typeof TemplateData>): void {
  if (d.flavor_id !== undefined && !findFlavor(d.flavor_id)) throw ecsErrors.flavorNotFound(d.flavor_id);
  if (d.availability_zone_id !== undefined && !zonesOf(scope).includes(d.availability_zone_id)) {
    throw ecsErrors.invalidParameter(`availability_zone_id: ${d.availability_zone_id} is not a zone of ${scope.region}.`);
  }
  const vpc = svc.vpc();
  for (const id of d.security_group_ids ?? []) if (!vpc.securityGroup(scope.projectId, id)) throw ecsErrors.vpcSubnetSgInvalid(`The security group ${id} does not exist.`);
  for (const n of d.network_interfaces ?? []) if (n.virsubnet_id !== undefined && !vpc.subnet(scope.projectId, n.virsubnet_id)) throw ecsErrors.subnetNotFound(n.virsubnet_id);
  const key = d.os_profile?.key_name;
  if (key !== undefined && !svc.store.keypairs.get({ projectId: scope.projectId, userId: scope.userId }, key)) throw ecsErrors.keypairNotFound(key);
  for (const b of d.block_device_mappings ?? []) {
    if (b.source_type === "image" && b.source_id !== undefined) {
      const image = svc.ims().image(scope.projectId, b.source_id);
      if (!image) throw ecsErrors.imageNotFound(b.source_id);
    }
  }
}

/** A version's id: the template's id with the version number in its last group. */
function versionId(t: { id: string }, n: number): string {
  return `${t.id.slice(0, 24)}${n.toString(16).padStart(12, "0")}`;
}

const templateView = (t: LaunchTemplateRow) => ({
  id: t.id,
  name: t.name,
  description: t.description,
  default_version: t.default_version,
  latest_version: t.latest_version,
  created_at: isoSeconds(t.created_at),
  updated_at: isoSeconds(t.updated_at),
});

const versionView = (t: LaunchTemplateRow, v: TemplateVersionRow) => ({
  launch_template_id: t.id,
  version_id: versionId(t, v.version_number),
  version_number: v.version_number,
  version_description: v.version_description,
  template_data: v.template_data,
  created_at: isoSeconds(v.created_at),
});

/** One page after a marker (an id of the list); page_info says where the next begins. */
function page<T extends { id: string }>(items: T[], marker: string | undefined, limit: number | undefined) {
  let from = 0;
  if (marker !== undefined) {
    const at = items.findIndex((x) => x.id === marker);
    if (at < 0) throw ecsErrors.invalidParameter(`marker: ${marker} is not in the list.`);
    from = at + 1;
  }
  const out = items.slice(from, from + (limit ?? 1000));
  const more = from + out.length < items.length;
  return { out, page_info: { current_count: out.length, ...(more ? { next_marker: out[out.length - 1]!.id } : {}) } };
}

export const createLaunchTemplate = ecsOperation({
  name: "CreateLaunchTemplate",
  method: "POST",
  path: "/v3/{project_id}/launch-templates",
  body: z.object({
    dry_run: z.boolean().optional(),
    launch_template: z.object({
      name: z.string().regex(/^[\w.-]{1,128}$/, "1-128 letters, digits, _ . -"),
      description: z.string().max(255).optional(),
      version_description: z.string().max(255).optional(),
      template_data: TemplateData,
    }),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    const lt = b.launch_template;
    const { store } = ctx.svc;
    if (store.templates.byName(scope.projectId, lt.name)) throw ecsErrors.invalidParameter(`A launch template named ${lt.name} exists.`);
    checkData(ctx.svc, scope, lt.template_data);
    if (b.dry_run === true) return { status: 202, body: {} };
    const now = ctx.clock.now();
    const t: LaunchTemplateRow = {
      id: ctx.ids.uuid(),
      project_id: scope.projectId,
      name: lt.name,
      description: lt.description ?? "",
      default_version: 1,
      latest_version: 1,
      created_at: now,
      updated_at: now,
    };
    store.tx(() =>
      store.templates.insert(t, { template_id: t.id, version_number: 1, version_description: lt.version_description ?? "", template_data: lt.template_data, created_at: now }),
    );
    return { body: { launch_template_id: t.id } };
  },
});

export const listTemplates = ecsOperation({
  name: "ListTemplates",
  method: "GET",
  path: "/v3/{project_id}/launch-templates",
  query: z.object({
    launch_template_id: z.union([z.string(), z.array(z.string())]).optional(),
    name: z.union([z.string(), z.array(z.string())]).optional(),
    limit: queryInt(1, 1000).optional(),
    marker: z.string().optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const q = ctx.input.query;
    const ids = q.launch_template_id === undefined ? undefined : [q.launch_template_id].flat();
    const names = q.name === undefined ? undefined : [q.name].flat();
    // A name filter is a substring; several names match any of them.
    const found = ctx.svc.store.templates
      .list(scope.projectId)
      .filter((t) => (ids === undefined || ids.includes(t.id)) && (names === undefined || names.some((n) => t.name.includes(n))));
    const { out, page_info } = page(found, q.marker, q.limit);
    return { body: { launch_templates: out.map(templateView), page_info } };
  },
});

export const deleteLaunchTemplates = ecsOperation({
  name: "DeleteLaunchTemplates",
  method: "DELETE",
  path: "/v3/{project_id}/launch-templates/{launch_template_id}",
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const id = ctx.input.path.launch_template_id!;
    const { store } = ctx.svc;
    if (!store.tx(() => store.templates.delete(scope.projectId, id))) throw ecsErrors.launchTemplateNotFound(id);
    return { status: 204 };
  },
});

export const listLaunchTemplateVersions = ecsOperation({
  name: "ListLaunchTemplateVersions",
  method: "GET",
  path: "/v3/{project_id}/launch-template-versions",
  query: z.object({
    launch_template_id: z.string().min(1),
    image_id: z.string().optional(),
    flavor_id: z.string().optional(),
    version: z.union([z.string(), z.array(z.string())]).optional(),
    limit: queryInt(1, 1000).optional(),
    marker: z.string().optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const q = ctx.input.query;
    const t = ctx.svc.store.templates.get(scope.projectId, q.launch_template_id);
    if (!t) throw ecsErrors.launchTemplateNotFound(q.launch_template_id);
    const numbers = q.version === undefined ? undefined : [q.version].flat().flatMap((v) => v.split(",")).map(Number);
    const usesImage = (d: Record<string, unknown>) =>
      Array.isArray(d.block_device_mappings) && d.block_device_mappings.some((b) => typeof b === "object" && b !== null && (b as Record<string, unknown>).source_id === q.image_id);
    const found = ctx.svc.store.templates
      .versions(t.id)
      .filter(
        (v) =>
          (numbers === undefined || numbers.includes(v.version_number)) &&
          (q.flavor_id === undefined || v.template_data.flavor_id === q.flavor_id) &&
          (q.image_id === undefined || usesImage(v.template_data)),
      )
      .map((v) => ({ ...versionView(t, v), id: versionId(t, v.version_number) }));
    const { out, page_info } = page(found, q.marker, q.limit);
    return { body: { launch_template_versions: out.map(({ id: _id, ...v }) => v), page_info } };
  },
});

export const launchTemplateOperations = [createLaunchTemplate, listTemplates, deleteLaunchTemplates, listLaunchTemplateVersions];
