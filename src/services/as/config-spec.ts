// A CreateScalingConfig body, checked field by field with AS's own codes (reference §1.3): the zod schema
// only settles JSON types (a wrong type is AS.0022); missing and bad values get the code §1.10 gives them.
import { z } from "../../kernel/zod.ts";
import { findFlavor } from "../ecs/flavors-data.ts";
import type { AsContext } from "./context.ts";
import { asErrors } from "./errors.ts";
import type { Disk, InstanceConfig } from "./model.ts";

const NAME = /^[\p{Script=Han}A-Za-z0-9_-]+$/u;
const VOLUME_TYPES = ["SATA", "SAS", "SSD", "GPSSD", "co-p1", "uh-l1", "ESSD", "GPSSD2", "ESSD2"];
const EIP_TYPES = ["5_bgp", "5_sbgp", "5_telcom", "5_union"];
const MAX_FLAVORS = 10;
const MAX_DISKS = 24;
const MAX_USER_DATA = 32 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const ConfigBody = z
  .object({
    scaling_configuration_name: z.string().optional(),
    instance_config: z
      .object({
        instance_id: z.string().optional(),
        flavorRef: z.string().optional(),
        imageRef: z.string().optional(),
        disk: z
          .array(
            z.object({
              size: z.number().optional(),
              volume_type: z.string().optional(),
              disk_type: z.string().optional(),
              dedicated_storage_id: z.string().optional(),
              data_disk_image_id: z.string().optional(),
              snapshot_id: z.string().optional(),
              metadata: z.record(z.string(), z.string()).optional(),
            }),
          )
          .optional(),
        key_name: z.string().optional(),
        personality: z.array(z.object({ path: z.string(), content: z.string() })).optional(),
        public_ip: z
          .object({
            eip: z
              .object({
                ip_type: z.string().optional(),
                bandwidth: z
                  .object({
                    size: z.number().optional(),
                    share_type: z.string().optional(),
                    charging_mode: z.string().optional(),
                    id: z.string().optional(),
                  })
                  .optional(),
              })
              .optional(),
          })
          .optional(),
        user_data: z.string().optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
        security_groups: z.array(z.object({ id: z.string() })).optional(),
        server_group_id: z.string().optional(),
        tenancy: z.string().optional(),
        dedicated_host_id: z.string().optional(),
        multi_flavor_priority_policy: z.string().optional(),
        market_type: z.string().optional(),
      })
      .optional(),
  })
  .optional();
type RawInstanceConfig = NonNullable<NonNullable<z.infer<typeof ConfigBody>>["instance_config"]>;

export function checkConfigName(name: string | undefined): string {
  if (name === undefined || name === "") throw asErrors.configNameNull();
  if ([...name].length > 64) throw asErrors.configNameTooLong();
  if (!NAME.test(name)) throw asErrors.invalidConfigName(`scaling_configuration_name: ${name.slice(0, 64)}`);
  return name;
}

function checkDisks(disks: RawInstanceConfig["disk"], flavor: string): Disk[] {
  if (!disks || disks.length === 0) throw asErrors.diskNull();
  if (disks.length > MAX_DISKS) throw asErrors.tooManyDisks(flavor);
  const out: Disk[] = [];
  for (const d of disks) {
    if (d.disk_type !== "SYS" && d.disk_type !== "DATA") throw asErrors.diskTypeInvalid(`disk_type: ${String(d.disk_type).slice(0, 32)}`);
    if (d.volume_type === undefined || !VOLUME_TYPES.includes(d.volume_type)) {
      throw asErrors.volumeTypeInvalid(`volume_type: ${String(d.volume_type).slice(0, 32)}`);
    }
    const [min, max] = d.disk_type === "SYS" ? [1, 1024] : [10, 32768];
    if (d.size === undefined || !Number.isInteger(d.size) || d.size < min || d.size > max) {
      throw asErrors.diskSizeInvalid(`A ${d.disk_type} disk is ${min}-${max} GB.`);
    }
    if (d.snapshot_id !== undefined || d.data_disk_image_id !== undefined || d.dedicated_storage_id !== undefined) {
      throw asErrors.requestBodyError("hwlocal does not support disks from snapshots, data images or dedicated storage yet.");
    }
    out.push({ size: d.size, volume_type: d.volume_type, disk_type: d.disk_type, ...(d.metadata ? { metadata: d.metadata } : {}) });
  }
  if (out.filter((d) => d.disk_type === "SYS").length !== 1) throw asErrors.systemDiskCount();
  return out;
}

function checkEip(p: RawInstanceConfig["public_ip"]): InstanceConfig["public_ip"] {
  if (p === undefined) return undefined;
  const eip = p.eip;
  if (!eip) throw asErrors.eipNull();
  if (eip.ip_type === undefined || !EIP_TYPES.includes(eip.ip_type)) throw asErrors.eipTypeInvalid();
  const bw = eip.bandwidth;
  if (!bw) throw asErrors.eipNull("bandwidth is missing.");
  if (bw.share_type !== "PER" && bw.share_type !== "WHOLE") throw asErrors.bandwidthTypeInvalid();
  if (bw.charging_mode !== undefined && bw.charging_mode !== "bandwidth" && bw.charging_mode !== "traffic") {
    throw asErrors.chargingModeInvalid();
  }
  if (bw.share_type === "PER") {
    if (bw.size === undefined) throw asErrors.bandwidthSizeNull();
    if (!Number.isInteger(bw.size) || bw.size < 1 || bw.size > 2000) throw asErrors.bandwidthSizeInvalid();
  } else if (bw.id === undefined || bw.id === "") throw asErrors.bandwidthIdNull();
  return {
    eip: {
      ip_type: eip.ip_type,
      bandwidth: {
        share_type: bw.share_type,
        ...(bw.size !== undefined ? { size: bw.size } : {}),
        ...(bw.charging_mode !== undefined ? { charging_mode: bw.charging_mode } : {}),
        ...(bw.id !== undefined ? { id: bw.id } : {}),
      },
    },
  };
}

function decodedLength(b64: string): number | undefined {
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) return undefined;
  return Buffer.from(b64, "base64").length;
}

function checkMetadata(m: Record<string, unknown> | undefined): { metadata: Record<string, string>; adminPass?: string } {
  const metadata: Record<string, string> = {};
  let adminPass: string | undefined;
  for (const [k, v] of Object.entries(m ?? {})) {
    if (typeof v !== "string" || k.length > 255 || v.length > 255) throw asErrors.metadataInvalid(`metadata.${k.slice(0, 64)}`);
    if (k === "admin_pass") adminPass = v;
    else metadata[k] = v;
  }
  if (adminPass !== undefined) {
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(adminPass)).length;
    if (adminPass.length < 8 || adminPass.length > 26 || classes < 3) throw asErrors.adminPassInvalid();
  }
  return adminPass === undefined ? { metadata } : { metadata, adminPass };
}

/**
 * Validates instance_config against ECS flavors and key pairs, IMS images and VPC security groups, all of the
 * owner's project (key pairs also of the owner's user, as ECS keeps them).
 */
export function checkInstanceConfig(svc: AsContext, owner: { projectId: string; userId: string }, ic: RawInstanceConfig | undefined): InstanceConfig {
  const { projectId } = owner;
  if (!ic) throw asErrors.instanceConfigNull();
  if (ic.instance_id !== undefined) {
    throw asErrors.requestBodyError("instance_id: hwlocal does not make configurations from an existing ECS yet; give flavorRef and imageRef.");
  }
  if (ic.flavorRef === undefined || ic.flavorRef === "") throw asErrors.flavorIdNull();
  const flavors = ic.flavorRef.split(",");
  if (flavors.length > MAX_FLAVORS) throw asErrors.tooManyFlavors();
  const specs = flavors.map((id) => {
    const f = findFlavor(id);
    if (!f) throw asErrors.flavorNotFound(id.slice(0, 64));
    return f;
  });
  if (ic.imageRef === undefined || ic.imageRef === "") throw asErrors.imageIdNull();
  const image = svc.ims().image(projectId, ic.imageRef);
  if (!image) throw asErrors.imageNotFound();
  if (image.status !== "active") throw asErrors.imageNotActive();
  const small = specs.find((f) => f.ram < image.minRam);
  if (small) throw asErrors.flavorImageMismatch(small.id);
  const disk = checkDisks(ic.disk, ic.flavorRef);
  const sys = disk.find((d) => d.disk_type === "SYS")!;
  if (sys.size < image.minDisk) throw asErrors.systemDiskTooSmall(`The image needs ${image.minDisk} GB.`);

  const { metadata, adminPass } = checkMetadata(ic.metadata);
  const hasKey = ic.key_name !== undefined && ic.key_name !== "";
  if (hasKey && adminPass !== undefined) throw asErrors.loginModeNotUnique();
  if (!hasKey && adminPass === undefined) throw asErrors.loginModeNull();
  const keyName = ic.key_name ?? "";
  if (hasKey && !svc.ecs().keypairExists(projectId, owner.userId, keyName)) throw asErrors.keypairNotFound(`key_name: ${keyName.slice(0, 64)}`);

  if (ic.personality && (ic.personality.length > 5 || ic.personality.some((p) => p.path.length > 255 || (decodedLength(p.content) ?? 1025) > 1024))) {
    throw asErrors.personalityInvalid();
  }
  if (ic.user_data !== undefined && (decodedLength(ic.user_data) ?? MAX_USER_DATA + 1) > MAX_USER_DATA) throw asErrors.userDataInvalid();

  const securityGroups = ic.security_groups ?? [];
  for (const sg of securityGroups) {
    if (!svc.vpc().securityGroup(projectId, sg.id)) throw asErrors.securityGroupNotFound(`security_groups: ${sg.id.slice(0, 64)}`);
  }
  if (ic.tenancy !== undefined && ic.tenancy !== "dedicated") throw asErrors.tenancyInvalid();
  // hwlocal has no dedicated hosts: any id names one that does not exist.
  if (ic.dedicated_host_id !== undefined) throw asErrors.dedicatedHostNotFound();
  if (ic.market_type !== undefined && ic.market_type !== "spot") throw asErrors.marketTypeInvalid();
  const mfp = ic.multi_flavor_priority_policy ?? "PICK_FIRST";
  if (mfp !== "PICK_FIRST" && mfp !== "COST_FIRST") throw asErrors.multiFlavorPolicyInvalid();

  return {
    flavorRef: ic.flavorRef,
    imageRef: ic.imageRef,
    disk,
    ...(hasKey ? { key_name: ic.key_name } : {}),
    ...(adminPass !== undefined ? { admin_pass: adminPass } : {}),
    ...(ic.personality ? { personality: ic.personality } : {}),
    ...(ic.public_ip ? { public_ip: checkEip(ic.public_ip) } : {}),
    ...(ic.user_data !== undefined ? { user_data: ic.user_data } : {}),
    metadata,
    security_groups: securityGroups.map((s) => ({ id: s.id })),
    ...(ic.server_group_id !== undefined ? { server_group_id: ic.server_group_id } : {}),
    ...(ic.tenancy !== undefined ? { tenancy: ic.tenancy } : {}),
    ...(ic.market_type !== undefined ? { market_type: ic.market_type } : {}),
    multi_flavor_priority_policy: mfp,
  };
}
