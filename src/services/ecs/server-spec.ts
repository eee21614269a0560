// A create-server request (CreatePostPaidServers v1 and CreateServers v1.1): its schema, and the checks
// against real resources in the same project that turn it into a ServerPlan, before anything is written.
import { z } from "../../kernel/zod.ts";
import type { ImsApi } from "../ims/api.ts";
import type { VpcApi } from "../vpc/api.ts";
import type { ProjectScope } from "./context.ts";
import { zonesOf } from "./context.ts";
import { ecsErrors } from "./errors.ts";
import { findFlavor, flavorZones, type FlavorSpec } from "./flavors-data.ts";
import type { EcsStore } from "./store.ts";

export const VOLUME_TYPES = ["SATA", "SAS", "SSD", "GPSSD", "co-p1", "uh-l1", "ESSD", "GPSSD2", "ESSD2"] as const;

const Volume = z.object({
  volumetype: z.enum(VOLUME_TYPES),
  size: z.number().int().optional(),
  multiattach: z.boolean().optional(),
  delete_on_termination: z.boolean().optional(),
});

const PublicIp = z.object({
  id: z.string().min(1).optional(),
  eip: z
    .object({
      iptype: z.string().min(1),
      bandwidth: z.object({
        size: z.number().int().min(1).max(2000).optional(),
        sharetype: z.enum(["PER", "WHOLE"]),
        chargemode: z.string().optional(),
        id: z.string().optional(),
      }),
    })
    .optional(),
  delete_on_termination: z.boolean().optional(),
});

export const CreateServerBody = z.object({
  server: z.object({
    name: z.string().min(1).max(128),
    imageRef: z.string().min(1),
    flavorRef: z.string().min(1),
    vpcid: z.string().min(1),
    nics: z
      .array(z.object({ subnet_id: z.string().min(1), ip_address: z.string().optional(), ipv6_enable: z.boolean().optional() }))
      .min(1)
      .max(12),
    root_volume: Volume,
    data_volumes: z.array(Volume.extend({ size: z.number().int().min(10).max(32768) })).max(23).optional(),
    security_groups: z.array(z.object({ id: z.string().min(1) })).max(10).optional(),
    availability_zone: z.string().optional(),
    count: z.number().int().min(1).optional(),
    isAutoRename: z.boolean().optional(),
    key_name: z.string().optional(),
    adminPass: z.string().optional(),
    user_data: z.string().max(44_000).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    tags: z.array(z.string()).optional(),
    server_tags: z.array(z.object({ key: z.string().min(1).max(36), value: z.string().max(43) })).max(10).optional(),
    publicip: PublicIp.optional(),
    description: z.string().max(85).optional(),
    extendparam: z.object({ chargingMode: z.union([z.string(), z.number()]).optional(), enterprise_project_id: z.string().optional() }).loose().optional(),
    "os:scheduler_hints": z.object({ group: z.string().optional() }).loose().optional(),
  }),
  dry_run: z.boolean().optional(),
});
export type CreateServerRequest = z.infer<typeof CreateServerBody>["server"];

/** One NIC of a planned server: the subnet and, when asked for, its fixed address. */
export interface PlannedNic {
  subnetId: string;
  ipAddress?: string;
}

/** What a create request resolves to once every reference is checked. Kept in each sub-job's state. */
export interface ServerPlan {
  flavorId: string;
  imageId: string;
  vpcId: string;
  availabilityZone: string;
  nics: PlannedNic[];
  securityGroupIds: string[];
  rootVolume: { type: string; size: number };
  dataVolumes: { type: string; size: number; multiattach: boolean; deleteOnTermination: boolean }[];
  publicIp?: { id?: string; type?: string; size?: number; shareType?: "PER" | "WHOLE"; bandwidthId?: string; deleteOnTermination: boolean };
}

const MAX_BATCH = 500;

interface Deps {
  store: EcsStore;
  vpc: VpcApi;
  ims: ImsApi;
  quota: { instances: number; cores: number; ram: number };
}

/** Servers, cores and RAM the project uses, from its servers and their flavors. */
export function usage(store: EcsStore, projectId: string): { instances: number; cores: number; ram: number } {
  let cores = 0;
  let ram = 0;
  for (const { flavorId, count } of store.servers.flavorUsage(projectId)) {
    const f = findFlavor(flavorId);
    cores += (f?.vcpus ?? 0) * count;
    ram += (f?.ram ?? 0) * count;
  }
  return { instances: store.servers.countInProject(projectId), cores, ram };
}

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((a, p) => a * 256 + p, 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const a = ipv4ToInt(ip);
  const b = base === undefined ? undefined : ipv4ToInt(base);
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(b / size);
}

/** Checks a request against the project's flavors, image, network and key pairs; throws Huawei's codes. */
export function planServers(scope: ProjectScope, req: CreateServerRequest, deps: Deps): { plan: ServerPlan; count: number; flavor: FlavorSpec } {
  const { vpc, ims, store } = deps;
  const count = req.count ?? 1;
  if (count > MAX_BATCH) throw ecsErrors.tooManyInBatch(MAX_BATCH);
  const flavor = findFlavor(req.flavorRef);
  if (!flavor) throw ecsErrors.flavorNotFound(req.flavorRef);
  const zones = zonesOf(scope);
  const az = req.availability_zone ?? flavorZones(flavor, zones)[0] ?? zones[0]!;
  if (!zones.includes(az)) throw ecsErrors.invalidParameter(`availability_zone ${az} is not a zone of ${scope.region}.`);
  if (!flavorZones(flavor, zones).includes(az)) throw ecsErrors.flavorSoldOut(flavor.id);

  const image = ims.image(scope.projectId, req.imageRef);
  if (!image) throw ecsErrors.imageNotFound(req.imageRef);
  if (image.status !== "active") throw ecsErrors.imageNotActive(req.imageRef);
  if (flavor.ram < image.minRam) throw ecsErrors.invalidParameter(`flavor ${flavor.id} has less memory than image ${image.id} needs.`);

  const theVpc = vpc.vpc(scope.projectId, req.vpcid);
  if (!theVpc) throw ecsErrors.vpcSubnetSgInvalid(`The VPC ${req.vpcid} does not exist.`);
  const nics: PlannedNic[] = req.nics.map((n) => {
    const subnet = vpc.subnet(scope.projectId, n.subnet_id);
    if (!subnet) throw ecsErrors.subnetNotFound(n.subnet_id);
    if (subnet.vpcId !== theVpc.id) throw ecsErrors.vpcMismatch();
    if (n.ip_address !== undefined) {
      if (count > 1) throw ecsErrors.invalidParameter("A fixed ip_address cannot be given when count is more than 1.");
      if (!inCidr(n.ip_address, subnet.cidr)) throw ecsErrors.ipNotInSubnet(n.ip_address, n.subnet_id);
    }
    return { subnetId: subnet.id, ipAddress: n.ip_address };
  });
  const securityGroupIds = (req.security_groups ?? []).map((g) => {
    if (!vpc.securityGroup(scope.projectId, g.id)) throw ecsErrors.vpcSubnetSgInvalid(`The security group ${g.id} does not exist.`);
    return g.id;
  });
  if (securityGroupIds.length === 0) securityGroupIds.push(vpc.defaultSecurityGroup(scope.projectId).id);

  if (req.key_name !== undefined && !store.keypairs.get({ projectId: scope.projectId, userId: scope.userId }, req.key_name)) {
    throw ecsErrors.keypairNotFound(req.key_name);
  }
  const rootSize = req.root_volume.size ?? Math.max(image.minDisk, 40);
  if (rootSize < image.minDisk || rootSize > 1024) {
    throw ecsErrors.invalidParameter(`root_volume.size must be between the image's min_disk ${image.minDisk} and 1024 GB.`);
  }
  const ip = req.publicip;
  if (ip?.id !== undefined) {
    if (count > 1) throw ecsErrors.invalidParameter("An existing EIP cannot be bound to more than one server.");
    const existing = vpc.publicIp(scope.projectId, ip.id);
    if (!existing) throw ecsErrors.invalidParameter(`The EIP ${ip.id} does not exist.`);
    if (existing.status !== "DOWN") throw ecsErrors.invalidParameter(`The EIP ${ip.id} is already bound.`);
  } else if (ip?.eip?.bandwidth.sharetype === "PER" && ip.eip.bandwidth.size === undefined) {
    throw ecsErrors.invalidParameter("publicip.eip.bandwidth.size is required for a dedicated (PER) bandwidth.");
  }
  const used = usage(store, scope.projectId);
  const q = deps.quota;
  if (used.instances + count > q.instances) {
    throw ecsErrors.quota(`The project has ${used.instances} of ${q.instances} servers; ${count} more do not fit.`);
  }
  if (used.cores + count * flavor.vcpus > q.cores) throw ecsErrors.quota(`${count * flavor.vcpus} more vCPUs exceed the quota of ${q.cores}.`);
  if (used.ram + count * flavor.ram > q.ram) throw ecsErrors.quota(`${count * flavor.ram} MB more memory exceed the quota of ${q.ram} MB.`);

  return {
    count,
    flavor,
    plan: {
      flavorId: flavor.id,
      imageId: image.id,
      vpcId: theVpc.id,
      availabilityZone: az,
      nics,
      securityGroupIds,
      rootVolume: { type: req.root_volume.volumetype, size: rootSize },
      dataVolumes: (req.data_volumes ?? []).map((d) => ({
        type: d.volumetype,
        size: d.size,
        multiattach: d.multiattach ?? false,
        deleteOnTermination: d.delete_on_termination ?? true,
      })),
      publicIp: ip
        ? {
            id: ip.id,
            type: ip.eip?.iptype,
            size: ip.eip?.bandwidth.size,
            shareType: ip.eip?.bandwidth.sharetype,
            bandwidthId: ip.eip?.bandwidth.id,
            deleteOnTermination: ip.delete_on_termination ?? false,
          }
        : undefined,
    },
  };
}
