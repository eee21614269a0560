// EIP v1 on the VPC endpoint: /v1/{project_id}/publicips (reference §3.3). No SDK package exists for it in
// hwlocal's set, so these paths follow the API reference. Bound EIPs are ACTIVE and show the port and its
// private address; unbound ones are DOWN.
import { z } from "../../../kernel/zod.ts";
import type { ApiError } from "../../../kernel/api-error.ts";
import { EnterpriseProjectId, Id, Many, Marker, V1Limit, eipOperation, envOf, pageOf, paged, requireProject } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { allocatePublicIp, bindPublicIp, PUBLIC_IP_TYPE, releasePublicIp, unbindPublicIp, type PublicIpFailure } from "../model/publicips.ts";
import { publicIp } from "../views-v3.ts";

/** VPC's HTTP answer for a failed EIP action; `deleting` picks the delete-time wording of "still bound". */
export function publicIpError(f: PublicIpFailure, id: string, deleting = false): ApiError {
  switch (f.reason) {
    case "invalid":
    case "ip-in-use":
      return vpcErrors.publicIpInvalid(f.message);
    case "quota-exceeded":
      return vpcErrors.publicIpQuota();
    case "shared-bandwidth-quota-exceeded":
      return vpcErrors.bandwidthQuota("shareBandwidthIP");
    case "bandwidth-not-found":
      return vpcErrors.bandwidthNotFound(id);
    case "pool-exhausted":
      return vpcErrors.publicIpPoolExhausted();
    case "publicip-not-found":
      return vpcErrors.publicIpNotFound(id);
    case "port-not-found":
      return vpcErrors.portNotFound(id);
    case "publicip-bound":
      return deleting ? vpcErrors.publicIpDeleteBound() : vpcErrors.publicIpBound();
    case "port-has-publicip":
      return vpcErrors.portHasPublicIp();
  }
}

const IpVersion = z.union([z.literal(4), z.literal(6)]);

export const createPublicip = eipOperation({
  name: "CreatePublicip",
  method: "POST",
  path: "/v1/{project_id}/publicips",
  body: z.object({
    publicip: z.object({
      type: z.string().regex(PUBLIC_IP_TYPE, "is not an EIP type such as 5_bgp"),
      ip_address: z.string().max(64).optional(),
      ip_version: IpVersion.optional(),
      alias: z.string().max(64).optional(),
      port_id: Id.optional(),
    }),
    bandwidth: z.object({
      share_type: z.enum(["PER", "WHOLE"]),
      name: z.string().min(1).max(64).optional(),
      size: z.number().int().min(1).max(2000).optional(),
      charge_mode: z.enum(["bandwidth", "traffic"]).optional(),
      id: Id.optional(),
    }),
    enterprise_project_id: EnterpriseProjectId.optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const { publicip: p, bandwidth: b } = ctx.input.body;
    if (p.ip_version === 6) throw vpcErrors.publicIpInvalid("hwlocal does not emulate IPv6 EIPs (ip_version 6).");
    if (b.share_type === "PER" && (b.name === undefined || b.size === undefined)) {
      throw vpcErrors.publicIpInvalid("bandwidth.name and bandwidth.size are required for a PER bandwidth.");
    }
    const r = allocatePublicIp(envOf(ctx), project.projectId, {
      type: p.type,
      ipAddress: p.ip_address,
      alias: p.alias,
      portId: p.port_id,
      enterpriseProjectId: ctx.input.body.enterprise_project_id,
      bandwidth: { shareType: b.share_type, size: b.size, name: b.name, chargeMode: b.charge_mode, id: b.id },
    });
    if (!r.ok) throw publicIpError(r, r.reason === "port-not-found" ? (p.port_id ?? "") : (b.id ?? ""));
    return { body: { publicip: publicIp(r.publicIp) } };
  },
});

export const listPublicips = eipOperation({
  name: "ListPublicips",
  method: "GET",
  path: "/v1/{project_id}/publicips",
  query: z.object({
    marker: Marker.optional(),
    limit: V1Limit.optional(),
    ip_version: z.enum(["4", "6"]).optional(),
    enterprise_project_id: z.string().max(64).optional(),
    port_id: Many.optional(),
    public_ip_address: Many.optional(),
    private_ip_address: Many.optional(),
    id: Many.optional(),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const q = ctx.input.query;
    if (q.ip_version === "6") return { body: { publicips: [] } };
    const filter = {
      ids: q.id,
      portIds: q.port_id,
      publicIpAddresses: q.public_ip_address,
      privateIpAddresses: q.private_ip_address,
      enterpriseProjectId: q.enterprise_project_id,
    };
    const rows = paged(ctx.svc.store.publicIps.publicIps(project.projectId, filter, pageOf(q)), q.marker);
    return { body: { publicips: rows.map(publicIp) } };
  },
});

export const showPublicip = eipOperation({
  name: "ShowPublicip",
  method: "GET",
  path: "/v1/{project_id}/publicips/{publicip_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.publicip_id!;
    const e = ctx.svc.store.publicIps.publicIp(project.projectId, id);
    if (!e) throw vpcErrors.publicIpNotFound(id);
    return { body: { publicip: publicIp(e) } };
  },
});

export const updatePublicip = eipOperation({
  name: "UpdatePublicip",
  method: "PUT",
  path: "/v1/{project_id}/publicips/{publicip_id}",
  body: z.object({
    publicip: z.object({
      port_id: z.string().max(64).nullable().optional(),
      ip_version: IpVersion.optional(),
      alias: z.string().max(64).optional(),
    }),
  }),
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const env = envOf(ctx);
    const id = ctx.input.path.publicip_id!;
    const p = ctx.input.body.publicip;
    if (p.port_id !== undefined && p.ip_version !== undefined) throw vpcErrors.publicIpInvalid("port_id and ip_version cannot be changed together.");
    if (p.ip_version === 6) throw vpcErrors.publicIpInvalid("hwlocal does not emulate IPv6 EIPs (ip_version 6).");
    if (!env.store.publicIps.publicIp(project.projectId, id)) throw vpcErrors.publicIpNotFound(id);
    // The reference: an absent or empty port_id unbinds. A body that only renames (alias) or names the IP
    // version is read as not touching the binding.
    const touchesBinding = p.port_id !== undefined || (p.alias === undefined && p.ip_version === undefined);
    const result = env.store.tx(() => {
      if (p.alias !== undefined) env.store.publicIps.setAlias(id, p.alias, env.clock.now());
      if (!touchesBinding) return undefined;
      const r = p.port_id ? bindPublicIp(env, project.projectId, id, p.port_id) : unbindPublicIp(env, project.projectId, id);
      if (!r.ok) throw publicIpError(r, r.reason === "port-not-found" ? (p.port_id ?? "") : id);
      return r.publicIp;
    });
    return { body: { publicip: publicIp(result ?? env.store.publicIps.publicIp(project.projectId, id)!) } };
  },
});

export const deletePublicip = eipOperation({
  name: "DeletePublicip",
  method: "DELETE",
  path: "/v1/{project_id}/publicips/{publicip_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.publicip_id!;
    const r = releasePublicIp(envOf(ctx), project.projectId, id, { unbind: false });
    if (!r.ok) throw publicIpError(r, id, true);
    return { status: 204 };
  },
});

export const publicIpOperations = [createPublicip, listPublicips, showPublicip, updatePublicip, deletePublicip];
