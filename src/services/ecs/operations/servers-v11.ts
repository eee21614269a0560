// ListCloudServers (GET /v1.1/{project_id}/cloudservers/detail: ECS's newer list, marker-paged, in the
// CloudServer shape built from the same ServerDetail as the v1 list) and BatchUpdateServersName.
import { z } from "../../../kernel/zod.ts";
import { ecsOperation, projectScope, queryInt } from "../context.ts";
import { ecsErrors } from "../errors.ts";
import { serverPartsOf } from "../server-parts.ts";
import { SERVER_STATUSES, type ServerRow } from "../store-servers.ts";
import { serverDetail, type ServerParts } from "../views-servers.ts";

/** A CloudServer: the ServerDetail's facts under the v1.1 names. */
function cloudServer(s: ServerRow, parts: ServerParts) {
  const d = serverDetail(s, parts);
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    status: d.status,
    created: d.created,
    updated: d.updated,
    launched_at: d["OS-SRV-USG:launched_at"],
    tenant_id: d.tenant_id,
    user_id: d.user_id,
    key_name: d.key_name,
    locked: d.locked,
    ...(s.fault ? { fault: s.fault } : {}),
    addresses: d.addresses,
    image: d.image,
    flavor: { ...d.flavor, vcpus: Number(d.flavor.vcpus), ram: Number(d.flavor.ram), disk: Number(d.flavor.disk) },
    security_groups: d.security_groups,
    metadata: d.metadata,
    vm_state: d["OS-EXT-STS:vm_state"],
    task_state: d["OS-EXT-STS:task_state"] ?? "",
    power_state: d["OS-EXT-STS:power_state"],
    availability_zone: d["OS-EXT-AZ:availability_zone"],
    root_device_name: "/dev/vda",
    volumes_attached: parts.volumes.map((v) => ({ id: v.id, device: v.device, bootIndex: v.bootIndex ?? "-1", delete_on_termination: String(v.deleteOnTermination) })),
    tags: d.tags,
    enterprise_project_id: d.enterprise_project_id,
    market_info: { charge_mode: parts.chargingMode === "1" ? "prePaid" : "postPaid" },
    in_recycle_bin: s.recycled_at !== null,
    spod_id: "",
    tenancy: "",
    dedicated_host_id: "",
  };
}

const csv = z.string().transform((v) => v.split(",").filter(Boolean));

export const listCloudServers = ecsOperation({
  name: "ListCloudServers",
  method: "GET",
  path: "/v1.1/{project_id}/cloudservers/detail",
  query: z.object({
    limit: queryInt(1, 1000).optional(),
    marker: z.string().optional(),
    name: z.string().optional(),
    status: z.enum(SERVER_STATUSES).optional(),
    flavor_name: z.string().optional(),
    image_id: z.string().optional(),
    key_name: z.string().optional(),
    availability_zone: z.string().optional(),
    availability_zone_eq: z.string().optional(),
    enterprise_project_id: z.string().optional(),
    tags: csv.optional(),
    "not-tags": csv.optional(),
    id: z.union([z.string(), z.array(z.string())]).optional(),
    in_recycle_bin: z.enum(["true", "false"]).optional(),
    charging_mode: z.enum(["postPaid", "prePaid", "spot"]).optional(),
    launched_since: z.string().optional(),
    "metadata-key": z.string().optional(),
    metadata: z.string().optional(),
    spod_id: z.string().optional(),
    "expect-fields": z.string().optional(),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const q = ctx.input.query;
    const ids = q.id === undefined ? undefined : (Array.isArray(q.id) ? q.id : [q.id]).flatMap((v) => v.split(",")).filter(Boolean);
    const since = q.launched_since === undefined ? undefined : Date.parse(q.launched_since);
    if (since !== undefined && Number.isNaN(since)) throw ecsErrors.invalidParameter("launched_since must be a time such as 2026-01-01T00:00:00Z.");
    const metaPair = q.metadata?.split("=");
    const prepaid = ctx.svc.store.attrs.all(scope.projectId, "charging_mode");
    const chargeOf = (s: ServerRow) => (prepaid.get(s.id) === "prePaid" ? "1" : "0");
    const all = ctx.svc.store.servers
      .list(
        scope.projectId,
        {
          ids,
          name: q.name,
          status: q.status,
          flavorId: q.flavor_name,
          availabilityZone: q.availability_zone_eq,
          enterpriseProjectId: q.enterprise_project_id,
          tags: q.tags,
          notTags: q["not-tags"],
          recycled: q.in_recycle_bin === "true",
        },
        { page: 1, limit: 1_000_000 },
      )
      .servers.filter(
        (s) =>
          (q.image_id === undefined || s.image_id === q.image_id) &&
          (q.key_name === undefined || s.key_name === q.key_name) &&
          (q.availability_zone === undefined || s.availability_zone.includes(q.availability_zone)) &&
          (q.charging_mode === undefined || q.charging_mode === (chargeOf(s) === "1" ? "prePaid" : "postPaid")) &&
          (since === undefined || (s.launched_at !== null && s.launched_at >= since)) &&
          (q["metadata-key"] === undefined || s.metadata[q["metadata-key"]] !== undefined) &&
          (metaPair === undefined || s.metadata[metaPair[0]!] === (metaPair[1] ?? "")),
      );
    let from = 0;
    if (q.marker !== undefined) {
      const at = all.findIndex((s) => s.id === q.marker);
      if (at < 0) throw ecsErrors.invalidParameter(`marker: the ECS ${q.marker} is not in the list.`);
      from = at + 1;
    }
    const limit = q.limit ?? 50;
    const page = all.slice(from, from + limit);
    const pageParts = serverPartsOf(ctx.svc, page);
    const more = from + limit < all.length;
    const last = page[page.length - 1];
    const next = `${ctx.request.serviceBase}/v1.1/${scope.projectId}/cloudservers/detail?limit=${limit}&marker=${last?.id ?? ""}`;
    return {
      body: {
        request_id: ctx.ids.hex32(),
        servers: page.map((s, i) => cloudServer(s, pageParts[i]!)),
        servers_links: more && last ? [{ rel: "next", href: next }] : [],
      },
    };
  },
});

export const batchUpdateServersName = ecsOperation({
  name: "BatchUpdateServersName",
  method: "PUT",
  path: "/v1/{project_id}/cloudservers/server-name",
  body: z.object({
    name: z.string().min(1).max(128),
    dry_run: z.boolean().optional(),
    servers: z.array(z.object({ id: z.string().min(1).max(64) })).min(1).max(1000),
  }),
  handle(ctx) {
    const scope = projectScope(ctx.scope);
    const b = ctx.input.body;
    const servers = b.servers.map((r) => {
      const s = ctx.svc.store.servers.visible(scope.projectId, r.id);
      if (!s || s.status === "DELETED") throw ecsErrors.serverNotFoundInBatch(r.id);
      return s;
    });
    if (b.dry_run === true) return { status: 204 };
    const now = ctx.clock.now();
    ctx.svc.store.tx(() => {
      for (const s of servers) ctx.svc.store.servers.update(scope.projectId, s.id, { name: b.name }, now);
    });
    return { body: { response: servers.map((s) => ({ id: s.id })) } };
  },
});

export const serverV11Operations = [listCloudServers, batchUpdateServersName];
