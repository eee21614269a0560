// Public IPs (EIPs) and their bandwidths, shared by the EIP operations and VpcApi. Addresses come from one
// pool, 198.18.0.0/15 (RFC 2544's benchmarking block: never routed on the Internet, so an address handed
// out here cannot be mistaken for a real host), lowest free first, unique across every project.
import type { Env } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { formatIpv4, parseCidr, parseIpv4 } from "../ip.ts";
import { QUOTAS } from "../quotas.ts";
import type { BandwidthRow, PublicIpRow } from "../store/index.ts";

export const PUBLIC_POOL = parseCidr("198.18.0.0/15")!;
const POOL_LO = PUBLIC_POOL.network + 1;
const POOL_HI = PUBLIC_POOL.broadcast - 1;

/** EIP types look like "5_bgp", "5_sbgp", "5_telcom", "5_union". */
export const PUBLIC_IP_TYPE = /^[0-9]{1,2}_[a-zA-Z]{2,32}$/;

export type PublicIpFailureReason =
  | "invalid"
  | "quota-exceeded"
  | "shared-bandwidth-quota-exceeded"
  | "bandwidth-not-found"
  | "pool-exhausted"
  | "ip-in-use"
  | "publicip-not-found"
  | "port-not-found"
  | "publicip-bound"
  | "port-has-publicip";

export interface PublicIpFailure {
  ok: false;
  reason: PublicIpFailureReason;
  message: string;
}

export type PublicIpResult = { ok: true; publicIp: PublicIpRow } | PublicIpFailure;

const fail = (reason: PublicIpFailureReason, message: string): PublicIpFailure => ({ ok: false, reason, message });

export interface AllocateRequest {
  type: string;
  ipAddress?: string;
  alias?: string;
  portId?: string;
  enterpriseProjectId?: string;
  bandwidth: {
    shareType: "PER" | "WHOLE";
    /** PER: 1–2000 Mbit/s. */
    size?: number;
    name?: string;
    chargeMode?: "bandwidth" | "traffic";
    /** WHOLE: the shared bandwidth to join. */
    id?: string;
  };
}

function chooseAddress(env: Env, requested: string | undefined): number | PublicIpFailure {
  const { publicIps } = env.store;
  if (requested === undefined) {
    const ip = publicIps.lowestFree(POOL_LO, POOL_HI);
    return ip ?? fail("pool-exhausted", "hwlocal's public IP pool is exhausted.");
  }
  const ip = parseIpv4(requested);
  if (ip === undefined || ip < POOL_LO || ip > POOL_HI) return fail("invalid", `ip_address ${requested} is not in hwlocal's public pool ${PUBLIC_POOL.text}.`);
  if (publicIps.addressTaken(ip)) return fail("ip-in-use", `The public IP ${requested} is already allocated.`);
  return ip;
}

function bandwidthFor(env: Env, projectId: string, req: AllocateRequest, publicIpId: string): BandwidthRow | PublicIpFailure {
  const { publicIps } = env.store;
  const b = req.bandwidth;
  if (b.shareType === "WHOLE") {
    if (b.id === undefined) return fail("invalid", "bandwidth.id is required for a WHOLE (shared) bandwidth.");
    const shared = publicIps.bandwidth(projectId, b.id);
    if (!shared || shared.share_type !== "WHOLE") return fail("bandwidth-not-found", `The shared bandwidth ${b.id} does not exist.`);
    if (publicIps.sharedPublicIpCount(projectId) >= QUOTAS.shareBandwidthIP) {
      return fail("shared-bandwidth-quota-exceeded", "Quota exceeded for resources: ['shareBandwidthIP'].");
    }
    return shared;
  }
  if (b.size === undefined || !Number.isInteger(b.size) || b.size < 1 || b.size > 2000) {
    return fail("invalid", "bandwidth.size must be 1-2000 for a PER bandwidth.");
  }
  const id = env.ids.uuid();
  publicIps.insertBandwidth({
    id,
    projectId,
    name: b.name ?? `bandwidth-${publicIpId.slice(0, 4)}`,
    size: b.size,
    shareType: "PER",
    chargeMode: b.chargeMode ?? "bandwidth",
    enterpriseProjectId: req.enterpriseProjectId ?? "0",
    now: env.clock.now(),
  });
  return publicIps.bandwidth(projectId, id)!;
}

/** Thrown inside a transaction to undo it and hand back a typed failure. */
class Rollback extends Error {
  constructor(readonly failure: PublicIpFailure) {
    super(failure.message);
  }
}

/** Allocates a public IP with its bandwidth (a new PER one, or a shared one it joins). One transaction. */
export function allocatePublicIp(env: Env, projectId: string, req: AllocateRequest): PublicIpResult {
  if (!PUBLIC_IP_TYPE.test(req.type)) return fail("invalid", `type ${req.type} is not an EIP type such as 5_bgp.`);
  const { store } = env;
  try {
    return store.tx((): PublicIpResult => {
      if (store.publicIps.publicIpCount(projectId) >= QUOTAS.publicIp) return fail("quota-exceeded", "Quota exceeded for resources: ['floatingip'].");
      if (req.portId !== undefined) {
        if (!store.ports.port(projectId, req.portId)) return fail("port-not-found", `The port ${req.portId} does not exist.`);
        if (store.publicIps.publicIpsOfPort(projectId, req.portId).length > 0) return fail("port-has-publicip", "Port has already associated with floatingip.");
      }
      const ip = chooseAddress(env, req.ipAddress);
      if (typeof ip !== "number") return ip;
      const id = env.ids.uuid();
      const bandwidth = bandwidthFor(env, projectId, req, id);
      // A failure here rolls back the PER bandwidth created above.
      if ("ok" in bandwidth) throw new Rollback(bandwidth);
      const now = env.clock.now();
      store.publicIps.insertPublicIp({
        id,
        projectId,
        type: req.type,
        ip,
        publicIpAddress: formatIpv4(ip),
        alias: req.alias ?? "",
        portId: req.portId ?? null,
        bandwidthId: bandwidth.id,
        enterpriseProjectId: req.enterpriseProjectId ?? "0",
        now,
      });
      return { ok: true, publicIp: store.publicIps.publicIp(projectId, id)! };
    });
  } catch (e) {
    if (e instanceof Rollback) return e.failure;
    throw e;
  }
}

export function bindPublicIp(env: Env, projectId: string, publicIpId: string, portId: string): PublicIpResult {
  const { store } = env;
  return store.tx((): PublicIpResult => {
    const eip = store.publicIps.publicIp(projectId, publicIpId);
    if (!eip) return fail("publicip-not-found", "Floating IP could not be found.");
    if (eip.port_id === portId) return { ok: true, publicIp: eip };
    if (eip.port_id !== null) return fail("publicip-bound", "Floatingip has already associated with port.");
    if (!store.ports.port(projectId, portId)) return fail("port-not-found", `The port ${portId} does not exist.`);
    if (store.publicIps.publicIpsOfPort(projectId, portId).length > 0) return fail("port-has-publicip", "Port has already associated with floatingip.");
    store.publicIps.setPort(publicIpId, portId, env.clock.now());
    return { ok: true, publicIp: store.publicIps.publicIp(projectId, publicIpId)! };
  });
}

export function unbindPublicIp(env: Env, projectId: string, publicIpId: string): PublicIpResult {
  const eip = env.store.publicIps.publicIp(projectId, publicIpId);
  if (!eip) return fail("publicip-not-found", "Floating IP could not be found.");
  if (eip.port_id !== null) env.store.publicIps.setPort(publicIpId, null, env.clock.now());
  return { ok: true, publicIp: env.store.publicIps.publicIp(projectId, publicIpId)! };
}

/** Releases a public IP and its PER bandwidth. A bound one is refused unless `unbind` says to unbind it first. */
export function releasePublicIp(env: Env, projectId: string, publicIpId: string, opts: { unbind: boolean }): PublicIpResult {
  const { store } = env;
  return store.tx((): PublicIpResult => {
    const eip = store.publicIps.publicIp(projectId, publicIpId);
    if (!eip) return fail("publicip-not-found", "Floating IP could not be found.");
    if (eip.port_id !== null && !opts.unbind) return fail("publicip-bound", "Floatingip has associated with port, please disassociate it firstly.");
    store.publicIps.deletePublicIp(eip.id);
    if (eip.bandwidth_share_type === "PER") store.publicIps.deleteBandwidth(eip.bandwidth_id);
    return { ok: true, publicIp: { ...eip, port_id: null, private_ip_address: null } };
  });
}

export function requireBandwidth(env: Env, projectId: string, id: string): BandwidthRow {
  const b = env.store.publicIps.bandwidth(projectId, id);
  if (!b) throw vpcErrors.bandwidthNotFound(id);
  return b;
}

export function createSharedBandwidth(env: Env, projectId: string, input: { name: string; size: number; enterpriseProjectId?: string }): BandwidthRow {
  const { store } = env;
  const id = env.ids.uuid();
  store.tx(() => {
    if (store.publicIps.sharedBandwidthCount(projectId) >= QUOTAS.shareBandwidth) throw vpcErrors.bandwidthQuota("shareBandwidth");
    store.publicIps.insertBandwidth({
      id,
      projectId,
      name: input.name,
      size: input.size,
      shareType: "WHOLE",
      chargeMode: "bandwidth",
      enterpriseProjectId: input.enterpriseProjectId ?? "0",
      now: env.clock.now(),
    });
  });
  return requireBandwidth(env, projectId, id);
}

export function deleteSharedBandwidth(env: Env, projectId: string, id: string): void {
  const b = requireBandwidth(env, projectId, id);
  if (b.share_type !== "WHOLE") throw vpcErrors.bandwidthNotFound(id);
  if (env.store.publicIps.publicIpsOfBandwidth(id).length > 0) throw vpcErrors.bandwidthInUse(id);
  env.store.publicIps.deleteBandwidth(id);
}
