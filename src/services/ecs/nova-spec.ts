// A nova create request (NovaCreateServers, POST /v2.1/{project_id}/servers): its schema, and its
// translation into the v1 request that planServers checks, so that both APIs meet the same rules and
// errors. What nova names differently: networks[].uuid is the subnet's network id (its VPC becomes the
// server's VPC), security groups come by name, the system disk is the block_device_mapping_v2 entry with
// source_type "image" and boot_index 0, blank entries are data disks, and min_count/max_count the count.
import { z } from "../../kernel/zod.ts";
import type { VpcApi } from "../vpc/api.ts";
import type { ProjectScope } from "./context.ts";
import { ecsErrors } from "./errors.ts";
import { VOLUME_TYPES, type CreateServerRequest } from "./server-spec.ts";

/** The system disk type of a nova server created without block_device_mapping_v2 (index.ts, Doubts). */
export const NOVA_DEFAULT_VOLUME_TYPE = "SATA";

const BootIndex = z.union([z.number().int(), z.string().regex(/^-?\d{1,3}$/, "must be a whole number").transform(Number)]);

const BlockDevice = z.object({
  source_type: z.enum(["image", "blank", "volume", "snapshot"]),
  destination_type: z.enum(["volume", "local"]).optional(),
  uuid: z.string().optional(),
  volume_size: z.number().int().min(1).max(32768).optional(),
  volume_type: z.enum(VOLUME_TYPES).optional(),
  boot_index: BootIndex.optional(),
  delete_on_termination: z.boolean().optional(),
  device_name: z.string().max(64).optional(),
  guest_format: z.string().max(32).optional(),
});

export const NovaCreateBody = z.object({
  server: z.object({
    name: z.string().min(1).max(255),
    imageRef: z.string().optional(),
    flavorRef: z.string().min(1),
    networks: z
      .array(z.object({ uuid: z.string().min(1).optional(), port: z.string().min(1).optional(), fixed_ip: z.string().min(1).optional() }))
      .min(1)
      .max(12),
    security_groups: z.array(z.object({ name: z.string().min(1).max(255) })).max(10).optional(),
    key_name: z.string().min(1).optional(),
    user_data: z.string().max(65_536).optional(),
    availability_zone: z.string().min(1).optional(),
    metadata: z.record(z.string().max(255), z.string().max(255)).optional(),
    adminPass: z.string().max(255).optional(),
    block_device_mapping_v2: z.array(BlockDevice).max(24).optional(),
    min_count: z.number().int().min(1).max(500).optional(),
    max_count: z.number().int().min(1).max(500).optional(),
    return_reservation_id: z.boolean().optional(),
    config_drive: z.union([z.boolean(), z.string().max(16)]).optional(),
    "OS-DCF:diskConfig": z.enum(["AUTO", "MANUAL"]).optional(),
    description: z.string().max(85).optional(),
    auto_terminate_time: z.string().optional(),
  }),
  "os:scheduler_hints": z.object({ group: z.string().min(1).optional() }).loose().optional(),
});
export type NovaCreateRequest = z.infer<typeof NovaCreateBody>["server"];

/** Nova's security group names, as ids: "default" is the project's default group; others must be ids. */
function securityGroupIds(scope: ProjectScope, names: { name: string }[], vpc: VpcApi): { id: string }[] {
  return names.map(({ name }) => {
    if (name === "default") return { id: vpc.defaultSecurityGroup(scope.projectId).id };
    const g = vpc.securityGroup(scope.projectId, name);
    if (!g) throw ecsErrors.vpcSubnetSgInvalid(`The security group ${name} does not exist.`);
    return { id: g.id };
  });
}

/** The nova request as a v1 request (publicip and tags have no nova spelling). */
export function novaToV1(scope: ProjectScope, req: NovaCreateRequest, vpc: VpcApi): CreateServerRequest {
  const nics = req.networks.map((n) => {
    if (n.port !== undefined) throw ecsErrors.invalidParameter("networks.port: attaching an existing port is not supported; give the network uuid.");
    if (n.uuid === undefined) throw ecsErrors.invalidParameter("networks: each network needs a uuid.");
    const subnet = vpc.subnet(scope.projectId, n.uuid);
    if (!subnet) throw ecsErrors.subnetNotFound(n.uuid);
    return { subnet, ip: n.fixed_ip };
  });
  const first = nics[0]!.subnet;

  const devices = req.block_device_mapping_v2 ?? [];
  const boot = devices.filter((d) => d.boot_index === 0);
  if (boot.length > 1) throw ecsErrors.invalidParameter("block_device_mapping_v2: only one device may have boot_index 0.");
  const root = boot[0];
  if (root && (root.source_type !== "image" || root.destination_type === "local")) {
    throw ecsErrors.invalidParameter("block_device_mapping_v2: the boot device must be source_type image, destination_type volume.");
  }
  const imageRef = root?.uuid ?? req.imageRef ?? "";
  if (imageRef === "") throw ecsErrors.invalidParameter("imageRef or a block_device_mapping_v2 image is required.");
  if (root?.uuid !== undefined && req.imageRef && req.imageRef !== root.uuid) {
    throw ecsErrors.invalidParameter("imageRef and the boot device's uuid name different images.");
  }
  const data = devices.filter((d) => d !== root);
  const dataVolumes = data.map((d) => {
    if (d.source_type !== "blank" || d.destination_type === "local") {
      throw ecsErrors.invalidParameter(`block_device_mapping_v2: source_type ${d.source_type} is not supported for a data disk; use blank.`);
    }
    if (d.volume_size === undefined || d.volume_size < 10) {
      throw ecsErrors.invalidParameter("block_device_mapping_v2: a blank data disk needs volume_size of 10-32768 GB.");
    }
    return { volumetype: d.volume_type ?? NOVA_DEFAULT_VOLUME_TYPE, size: d.volume_size, delete_on_termination: d.delete_on_termination ?? true };
  });

  const min = req.min_count ?? 1;
  const max = req.max_count ?? min;
  if (min > max) throw ecsErrors.invalidParameter("min_count must not exceed max_count.");
  return {
    name: req.name,
    imageRef,
    flavorRef: req.flavorRef,
    vpcid: first.vpcId,
    nics: nics.map((n) => ({ subnet_id: n.subnet.id, ip_address: n.ip })),
    root_volume: { volumetype: root?.volume_type ?? NOVA_DEFAULT_VOLUME_TYPE, size: root?.volume_size },
    data_volumes: dataVolumes,
    security_groups: securityGroupIds(scope, req.security_groups ?? [], vpc),
    availability_zone: req.availability_zone,
    count: max,
    key_name: req.key_name,
    adminPass: req.adminPass,
    user_data: req.user_data,
    metadata: req.metadata,
    description: req.description,
  };
}
