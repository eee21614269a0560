// EIP v3 reads: GET /v3/{project_id}/eip/publicips and /{publicip_id}, over the rows v1 writes. A project
// holds few EIPs (its quota), so the list filters in memory and pages after filtering: marker names an EIP
// of the project, and the page holds the filtered EIPs created after it.
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { eipOperation, Many, Marker, pageInfo, requireProject, V3Limit, type VpcContext } from "../../vpc/context.ts";
import { vpcErrors } from "../../vpc/errors.ts";
import type { PublicIpRow } from "../../vpc/store/index.ts";
import { pickFields, publicIpV3, type PublicIpV3, type Vnic } from "../views.ts";

type Ctx = HandlerContext<VpcContext, unknown>;

function vnicOf(ctx: Ctx, e: PublicIpRow): Vnic | undefined {
  if (e.port_id === null) return undefined;
  const port = ctx.svc.store.ports.port(e.project_id, e.port_id);
  if (!port) return undefined;
  return { port, vpcId: ctx.svc.store.networks.subnet(e.project_id, port.subnet_id)?.vpc_id ?? "" };
}

const Fields = z.object({ fields: Many.optional() });

const ListQuery = Fields.extend({
  marker: Marker.optional(),
  limit: V3Limit.optional(),
  id: Many.optional(),
  ip_version: Many.optional(),
  public_ip_address: Many.optional(),
  public_ip_address_like: z.string().max(64).optional(),
  status: Many.optional(),
  type: Many.optional(),
  alias: Many.optional(),
  alias_like: z.string().max(64).optional(),
  publicip_pool_name: Many.optional(),
  "vnic.port_id": Many.optional(),
  "vnic.private_ip_address": Many.optional(),
  "vnic.device_id": Many.optional(),
  "vnic.vpc_id": Many.optional(),
  "bandwidth.id": Many.optional(),
  "bandwidth.name": Many.optional(),
  "bandwidth.share_type": Many.optional(),
  associate_instance_type: Many.optional(),
  associate_instance_id: Many.optional(),
  enterprise_project_id: Many.optional(),
});
type ListQuery = z.output<typeof ListQuery>;

/** Every filter the query names, each over the v3 view: repeated values of one filter are alternatives. */
function matches(q: ListQuery, p: PublicIpV3): boolean {
  const among = (values: string[] | undefined, v: string | number | null | undefined) =>
    values === undefined || (v !== null && v !== undefined && values.includes(String(v)));
  const like = (part: string | undefined, v: string) => part === undefined || v.includes(part);
  return (
    among(q.id, p.id) &&
    among(q.ip_version, p.ip_version) &&
    among(q.public_ip_address, p.public_ip_address) &&
    like(q.public_ip_address_like, p.public_ip_address) &&
    among(q.status, p.status) &&
    among(q.type, p.type) &&
    among(q.alias, p.alias) &&
    like(q.alias_like, p.alias) &&
    among(q.publicip_pool_name, p.publicip_pool_name) &&
    among(q["vnic.port_id"], p.vnic?.port_id) &&
    among(q["vnic.private_ip_address"], p.vnic?.private_ip_address) &&
    among(q["vnic.device_id"], p.vnic?.device_id) &&
    among(q["vnic.vpc_id"], p.vnic?.vpc_id) &&
    among(q["bandwidth.id"], p.bandwidth.id) &&
    among(q["bandwidth.name"], p.bandwidth.name) &&
    among(q["bandwidth.share_type"], p.bandwidth.share_type) &&
    among(q.associate_instance_type, p.associate_instance_type) &&
    among(q.associate_instance_id, p.associate_instance_id) &&
    among(q.enterprise_project_id, p.enterprise_project_id)
  );
}

export const listPublicipsV3 = eipOperation({
  name: "ListPublicips",
  method: "GET",
  path: "/v3/{project_id}/eip/publicips",
  query: ListQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    const rows = ctx.svc.store.publicIps.publicIps(project.projectId, {}, {});
    if (rows === "bad-marker") throw vpcErrors.invalidMarker(q.marker ?? "");
    let after = -1;
    if (q.marker !== undefined) {
      after = rows.find((e) => e.id === q.marker)?.seq ?? Number.NaN;
      if (Number.isNaN(after)) throw vpcErrors.invalidMarker(q.marker);
    }
    const all = rows.map((e) => ({ seq: e.seq, view: publicIpV3(e, vnicOf(ctx, e)) })).filter((r) => matches(q, r.view));
    const page = all.filter((r) => r.seq > after).slice(0, q.limit ?? all.length);
    const views = page.map((r) => r.view);
    return {
      body: {
        request_id: ctx.request.requestId,
        publicips: views.map((p) => pickFields(p, q.fields)),
        page_info: pageInfo(views, q.limit),
        total_count: all.length,
      },
    };
  },
});

export const showPublicipV3 = eipOperation({
  name: "ShowPublicip",
  method: "GET",
  path: "/v3/{project_id}/eip/publicips/{publicip_id}",
  query: Fields,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.publicip_id!;
    const e = ctx.svc.store.publicIps.publicIp(project.projectId, id);
    if (!e) throw vpcErrors.publicIpNotFound(id);
    return { body: { request_id: ctx.request.requestId, publicip: pickFields(publicIpV3(e, vnicOf(ctx, e)), ctx.input.query.fields) } };
  },
});

export const publicIpOperationsV3 = [listPublicipsV3, showPublicipV3];
