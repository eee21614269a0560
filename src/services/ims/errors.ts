// IMS's error catalogue (reference §3.4, from IMS's API reference error table). IMS answers
// {"error":{"code":"IMG.xxxx","message"}}; the gateway adds error_code/error_msg. The reference lists every
// IMG code as HTTP 400; the OpenStack-native image APIs (/v2/images/{id}) answer 404 for an unknown image.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const nested = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape: "nested" });

const withDetail = (message: string, detail?: string) => (detail ? `${message} ${detail}` : message);

export const imsErrors = {
  invalidBody: (detail?: string) => nested(400, "IMG.0001", withDetail("The request message format is invalid.", detail)),
  invalidUrl: (detail?: string) => nested(400, "IMG.0017", withDetail("The URL format is incorrect.", detail)),
  nameTooLong: () => nested(400, "IMG.0002", "The image name contains more than 128 characters."),
  nameInvalid: () => nested(400, "IMG.0003", "The image name format is invalid."),
  descriptionTooLong: () => nested(400, "IMG.0004", "The description contains more than 1024 characters."),
  descriptionInvalid: () => nested(400, "IMG.0054", "The image description format is invalid."),
  bodyEmpty: () => nested(400, "IMG.0007", "The request body is empty."),
  serverIdMissing: () => nested(400, "IMG.0012", "The ECS ID is not specified."),
  nameMissing: () => nested(400, "IMG.0013", "The image name is not specified."),
  serverNotFound: (id: string) => nested(400, "IMG.0005", `The ECS does not exist: ${id}.`),
  serverNotStopped: (detail: string) =>
    nested(400, "IMG.0008", `The ECS cannot be used to create images because it is not in stopped state. ${detail}`),
  serverBusy: (detail: string) => nested(400, "IMG.0010", `The ECS cannot be used to create an image because it has in-progress tasks. ${detail}`),
  noSystemDisk: () => nested(400, "IMG.0119", "The VM does not have a system disk."),
  systemDiskUnavailable: (detail: string) =>
    nested(400, "IMG.0110", `The system disk is unavailable and cannot be used to create images. ${detail}`),
  invalidImageType: () => nested(400, "IMG.0024", "The imagetype is invalid."),
  osTypeInvalid: () => nested(400, "IMG.0056", "The OS type is invalid."),
  memoryInvalid: () => nested(400, "IMG.0055", "The memory or disk size is invalid."),
  projectInvalid: (detail: string) => nested(403, "IMG.0030", `The project ID and token in the request are invalid. ${detail}`),
  imageNotFound: (id: string) => nested(404, "IMG.0027", `The image ID in the request does not exist: ${id}.`),
  imageUnavailable: () => nested(400, "IMG.0046", "The image is unavailable."),
  notOwner: () => nested(400, "IMG.0047", "This operation can be performed only by the image owner."),
  creatingCannotBeDeleted: () => nested(400, "IMG.0090", "The image being created cannot be deleted."),
  protectedCannotBeDeleted: () => nested(400, "IMG.0091", "The protected image cannot be deleted."),
  publicCannotBeDeleted: () => nested(400, "IMG.0094", "The public image cannot be deleted."),
  /** Glance's image members and tags (codes ours: IMS's table names none for them; index.ts, Doubts). */
  memberExists: (memberId: string) => nested(409, "IMG.0001", `The image is already shared with ${memberId}.`),
  memberNotFound: (memberId: string) => nested(404, "IMG.0027", `The image is not shared with ${memberId}.`),
  notMember: () => nested(403, "IMG.0047", "Only the member project may accept or reject a shared image."),
  memberInvalid: (detail: string) => nested(400, "IMG.0001", `The request message format is invalid. ${detail}`),
  tagNotFound: (tag: string) => nested(404, "IMG.0027", `The image has no tag ${tag}.`),
  jobNotFound: (id: string) => nested(404, "IMG.0023", `An exception occurred during task query: job ${id} does not exist.`),
};

export const imsServiceErrors: ServiceErrors = {
  shape: "nested",
  invalidBody: (d) => imsErrors.invalidBody(d),
  invalidParameter: (d) => imsErrors.invalidUrl(d),
  forbidden: (d) => imsErrors.projectInvalid(d),
};
