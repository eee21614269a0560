// ECS's error catalogue (reference huawei-api-facts.md §3.1, [ECS-doc 错误码]). ECS answers
// {"error":{"code":"Ecs.xxxx","message"}}; the gateway adds error_code/error_msg. Documented codes are 400
// unless the page says otherwise; where hwlocal answers another status (a missing resource read by id) or a
// code the page does not list, index.ts names the doubt.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const nested = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape: "nested" });

export const ecsErrors = {
  requestError: (detail: string) => nested(400, "Ecs.0000", `Request error. ${detail}`.trim()),
  invalidBody: (detail: string) => nested(400, "Ecs.0005", `request body is illegal. ${detail}`.trim()),
  invalidParameter: (detail: string) => nested(400, "Ecs.0005", `Invalid parameter values. ${detail}`.trim()),
  forbidden: (detail?: string) =>
    nested(403, "Ecs.0003", `You do not have permission to perform this operation.${detail ? ` ${detail}` : ""}`),
  projectMismatch: () => nested(400, "Ecs.0023", "project_id in token mismatches with project_id in url."),

  quota: (detail: string) => nested(400, "Ecs.0001", `Insufficient ECS quota. ${detail}`.trim()),
  eipQuota: () => nested(400, "Ecs.0013", "The current EIP quota limit has been reached."),
  evsQuota: () => nested(400, "Ecs.0021", "Insufficient EVS disk quota."),
  tooManyServers: () => nested(400, "Ecs.0118", "The number of ECSs exceeds the maximum allowed limit."),
  tooManyInBatch: (max: number) =>
    nested(400, "Ecs.0913", `The number of ECSs to be created exceeds the maximum allowed limit (${max}).`),

  flavorSoldOut: (flavorId: string) => nested(400, "Ecs.0018", `The selected flavor ${flavorId} has been sold out.`),
  flavorNotFound: (flavorId: string) => nested(400, "Ecs.0029", `The flavor ${flavorId} does not exist.`),
  /** A flavor read by id (the nova extra-specs API): a 404 rather than the create-time 400. */
  flavorNotFoundById: (flavorId: string) => nested(404, "Ecs.0029", `Flavor ${flavorId} could not be found.`),
  flavorNoResources: (flavorId: string) => nested(400, "Ecs.0319", `Insufficient resources for flavor ${flavorId}.`),
  imageNotFound: (imageId: string) => nested(400, "Ecs.0031", `The image ${imageId} does not exist.`),
  imageNotActive: (imageId: string) => nested(400, "Ecs.0032", `The image ${imageId} is not in Active state.`),

  ipInUse: (ip: string) => nested(400, "Ecs.0010", `The private IP address ${ip} is already being used.`),
  subnetFull: (subnetId: string) => nested(400, "Ecs.0012", `The subnet ${subnetId} does not contain enough IP addresses.`),
  vpcSubnetSgInvalid: (detail: string) =>
    nested(400, "Ecs.0014", `Incorrect VPC, subnet, or security group parameter values. ${detail}`.trim()),
  subnetNotFound: (subnetId: string) => nested(400, "Ecs.0038", `The subnet ${subnetId} does not exist.`),
  ipNotInSubnet: (ip: string, subnetId: string) =>
    nested(400, "Ecs.0039", `The specified IP address ${ip} does not belong to the subnet ${subnetId}.`),
  vpcMismatch: () => nested(400, "Ecs.0064", "The VPC ID in the request is inconsistent with that in the main subnet ID."),

  statusConflict: (serverId: string, status: string) =>
    nested(400, "Ecs.0100", `The ECS status does not meet requirements: ${serverId} is ${status}.`),
  serverNotFound: (serverId: string) => nested(404, "Ecs.0114", `Instance[${serverId}] could not be found.`),
  /** A server missing from a batch action's list. */
  serverNotFoundInBatch: (serverId: string) => nested(404, "Ecs.0614", `The ECS ${serverId} does not exist.`),
  otherCommandRunning: (serverId: string) =>
    nested(501, "Ecs.0603", `Other commands are being executed on the ECS ${serverId}. Try again later.`),
  serverLocked: (serverId: string) => nested(400, "Ecs.0605", `ECS ${serverId} locked.`),
  batchFailed: (detail: string) => nested(400, "Ecs.0611", `Batch operation failed. ${detail}`.trim()),

  /** Create-time lookup (a server naming a key pair). */
  keypairNotFound: (name: string) => nested(400, "Ecs.0314", `The key pair ${name} does not exist.`),
  /** A key pair read or deleted by name. */
  keypairNotFoundByName: (name: string) => nested(404, "Ecs.0314", `Keypair ${name} not found.`),
  keypairExists: (name: string) => nested(409, "Ecs.0005", `Key pair '${name}' already exists.`),
  keypairInvalid: (detail: string) => nested(400, "Ecs.0005", `Keypair data is invalid: ${detail}`),
  keypairQuota: (max: number) => nested(400, "Ecs.0001", `Quota exceeded, too many key pairs (at most ${max}).`),

  serverGroupNotFound: (id: string) => nested(404, "Ecs.0005", `Server group ${id} could not be found.`),
  serverGroupQuota: (max: number) => nested(400, "Ecs.0001", `Quota exceeded, too many server groups (at most ${max}).`),
  serverGroupMembersQuota: (max: number) =>
    nested(400, "Ecs.0001", `Quota exceeded, too many servers in group (at most ${max}).`),

  launchTemplateNotFound: (id: string) => nested(404, "Ecs.0005", `The launch template ${id} does not exist.`),

  scheduledEventNotFound: (id: string) => nested(404, "Ecs.0005", `The scheduled event ${id} does not exist.`),
  jobNotFound: (jobId: string) => nested(404, "Ecs.0005", `The job ${jobId} does not exist.`),

  tooManyTags: (max: number) => nested(400, "Ecs.0005", `Invalid parameter values. A server has at most ${max} tags.`),

  volumeNotFound: (volumeId: string) => nested(400, "Ecs.0005", `Invalid parameter values. The volume ${volumeId} does not exist.`),
  attachStatus: (serverId: string) =>
    nested(400, "Ecs.0100", `The ECS status does not meet requirements. Disks can be attached to ECS [${serverId}] only in started or stopped state.`),
  systemDiskDetach: (serverId: string) =>
    nested(400, "Ecs.0102", `The system disk status does not allow the disk to be detached. serverId [${serverId}]`),
  volumeUnavailable: (volumeId: string, detail: string) => nested(400, "Ecs.0103", `The disk ${volumeId} is unavailable. ${detail}`.trim()),
  tooManyDisks: (serverId: string) => nested(400, "Ecs.0104", `The number of disks attached to server[${serverId}] has exceeded the upper limit.`),
  volumeNotAttached: (volumeId: string, serverId: string) =>
    nested(400, "Ecs.0111", `Disk ${volumeId} is not in the attachment list for ECS ${serverId}.`),
  volumeAlreadyAttached: (volumeId: string) =>
    nested(400, "Ecs.0057", `The disk ${volumeId} has been attached to the ECS and cannot be attached again.`),
  volumeAttachmentNotFound: (volumeId: string, serverId: string) =>
    nested(404, "Ecs.0111", `Disk ${volumeId} is not in the attachment list for ECS ${serverId}.`),
  metadataNotFound: (key: string, serverId: string) => nested(404, "Ecs.0005", `Metadata item ${key} was not found on ECS ${serverId}.`),
  interfaceNotFound: (portId: string, serverId: string) =>
    nested(404, "Ecs.0005", `Port ${portId} is not attached to ECS ${serverId}.`),

  systemError: () => nested(500, "Common.0001", "A system exception occurred."),
};

export const ecsServiceErrors: ServiceErrors = {
  shape: "nested",
  invalidBody: ecsErrors.invalidBody,
  invalidParameter: ecsErrors.invalidParameter,
  forbidden: ecsErrors.forbidden,
};
