// Neutron v2.0 floating IPs: EIPs (model/publicips.ts), served on the VPC endpoint (openstacksdk's network
// endpoint) and on EIP's (the EIP SDKs' NeutronCreateFloatingIp…). A floating IP made here is an EIP of
// type 5_bgp with its own 5 Mbit/s PER bandwidth; floating_network_id is the region's admin_external_net.
import { z } from "../../../kernel/zod.ts";
import type { ApiError } from "../../../kernel/api-error.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { envOf, requireProject, type ProjectScope, type VpcContext } from "../context.ts";
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow } from "../neutron-list.ts";
import * as nv from "../neutron-views.ts";
import { allocatePublicIp, bindPublicIp, releasePublicIp, unbindPublicIp, type PublicIpFailure } from "../model/publicips.ts";
import { isExternal } from "../model/neutron-networks.ts";
import type { PublicIpRow } from "../store/index.ts";

/** The type and bandwidth a floating IP made through neutron gets (neutron has no words for them). */
const FLOATING_IP_TYPE = "5_bgp";
const FLOATING_IP_BANDWIDTH_MBIT = 5;

function view(ctx: HandlerContext<VpcContext, unknown>, project: ProjectScope, e: PublicIpRow) {
  const { store } = ctx.svc;
  const port = e.port_id === null ? undefined : store.ports.port(project.projectId, e.port_id);
  const subnet = port && store.networks.subnet(project.projectId, port.subnet_id);
  return nv.floatingIp(e, { region: project.region, routerId: subnet?.vpc_id ?? null });
}

function requireFloatingIp(ctx: HandlerContext<VpcContext, unknown>, projectId: string, id: string): PublicIpRow {
  const e = ctx.svc.store.publicIps.publicIp(projectId, id);
  if (!e) throw neutronErrors.floatingIpNotFound(id);
  return e;
}

function failure(f: PublicIpFailure, ids: { id?: string; portId?: string }): ApiError {
  switch (f.reason) {
    case "publicip-not-found":
      return neutronErrors.floatingIpNotFound(ids.id ?? "");
    case "port-not-found":
      return neutronErrors.portNotFound(ids.portId ?? "");
    case "publicip-bound":
      return neutronErrors.conflict("FloatingIPPortAlreadyAssociated", `Floating IP ${ids.id ?? ""} is already associated with a port.`);
    case "port-has-publicip":
      return neutronErrors.conflict("FloatingIPPortAlreadyAssociated", `Port ${ids.portId ?? ""} already has a floating IP.`);
    case "quota-exceeded":
      return neutronErrors.conflict("OverQuota", "Quota exceeded for resources: ['floatingip'].");
    case "pool-exhausted":
      return neutronErrors.conflict("IpAddressGenerationFailure", "No more IP addresses available on the external network.");
    case "ip-in-use":
      return neutronErrors.conflict("IpAddressInUse", f.message);
    case "invalid":
    case "shared-bandwidth-quota-exceeded":
    case "bandwidth-not-found":
      return neutronErrors.badRequest(f.message);
  }
}

/** A port's fixed_ip_address must be its address (hwlocal's ports have one). */
function checkFixedIp(ctx: HandlerContext<VpcContext, unknown>, projectId: string, portId: string, fixed: string | undefined): void {
  const p = ctx.svc.store.ports.port(projectId, portId);
  if (!p) throw neutronErrors.portNotFound(portId);
  if (fixed !== undefined && fixed !== p.ip_address) {
    throw neutronErrors.badRequest(`Bad floatingip request: Port ${portId} does not have fixed ip ${fixed}.`);
  }
}

export const neutronCreateFloatingIp = neutronOperation({
  name: "NeutronCreateFloatingIp",
  method: "POST",
  path: "/v2.0/floatingips",
  body: z.object({
    floatingip: z.object({
      floating_network_id: z.string().min(1).max(64),
      port_id: z.string().min(1).max(64).nullable().optional(),
      fixed_ip_address: z.string().max(64).optional(),
      floating_ip_address: z.string().max(64).optional(),
      description: z.string().max(255).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.floatingip;
    if (!isExternal(project, b.floating_network_id)) {
      throw neutronErrors.notFound("ExternalNetwork", `${b.floating_network_id} (the external network is ${nv.externalNetworkId(project.region)})`);
    }
    const portId = b.port_id ?? undefined;
    if (portId !== undefined) checkFixedIp(ctx, project.projectId, portId, b.fixed_ip_address);
    const r = allocatePublicIp(envOf(ctx), project.projectId, {
      type: FLOATING_IP_TYPE,
      ipAddress: b.floating_ip_address,
      portId,
      bandwidth: { shareType: "PER", size: FLOATING_IP_BANDWIDTH_MBIT },
    });
    if (!r.ok) throw failure(r, { portId });
    return { status: 201, body: { floatingip: view(ctx, project, r.publicIp) } };
  },
});

export const neutronListFloatingIps = neutronOperation({
  name: "NeutronListFloatingIps",
  method: "GET",
  path: "/v2.0/floatingips",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const rows = ctx.svc.store.publicIps.publicIps(project.projectId, {}, {});
    const items = (rows === "bad-marker" ? [] : rows).map((e) => view(ctx, project, e));
    return { body: neutronList({ key: "floatingips", path: "/v2.0/floatingips", items, query: ctx.input.query, request: ctx.request }) };
  },
});

export const neutronShowFloatingIp = neutronOperation({
  name: "NeutronShowFloatingIp",
  method: "GET",
  path: "/v2.0/floatingips/{floatingip_id}",
  query: NeutronQuery,
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const e = requireFloatingIp(ctx, project.projectId, ctx.input.path.floatingip_id!);
    return { body: neutronShow("floatingip", view(ctx, project, e), ctx.input.query) };
  },
});

export const neutronUpdateFloatingIp = neutronOperation({
  name: "NeutronUpdateFloatingIp",
  method: "PUT",
  path: "/v2.0/floatingips/{floatingip_id}",
  body: z.object({
    floatingip: z.object({
      port_id: z.string().min(1).max(64).nullable().optional(),
      fixed_ip_address: z.string().max(64).optional(),
      description: z.string().max(255).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.floatingip_id!;
    requireFloatingIp(ctx, project.projectId, id);
    const b = ctx.input.body.floatingip;
    const env = envOf(ctx);
    let r;
    if (b.port_id === undefined) r = { ok: true as const, publicIp: requireFloatingIp(ctx, project.projectId, id) };
    else if (b.port_id === null) r = unbindPublicIp(env, project.projectId, id);
    else {
      checkFixedIp(ctx, project.projectId, b.port_id, b.fixed_ip_address);
      r = bindPublicIp(env, project.projectId, id, b.port_id);
    }
    if (!r.ok) throw failure(r, { id, portId: b.port_id ?? undefined });
    return { body: { floatingip: view(ctx, project, r.publicIp) } };
  },
});

export const neutronDeleteFloatingIp = neutronOperation({
  name: "NeutronDeleteFloatingIp",
  method: "DELETE",
  path: "/v2.0/floatingips/{floatingip_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.floatingip_id!;
    const r = releasePublicIp(envOf(ctx), project.projectId, id, { unbind: true });
    if (!r.ok) throw failure(r, { id });
    return { status: 204 };
  },
});

export const neutronFloatingIpOperations = [
  neutronCreateFloatingIp,
  neutronListFloatingIps,
  neutronShowFloatingIp,
  neutronUpdateFloatingIp,
  neutronDeleteFloatingIp,
];
