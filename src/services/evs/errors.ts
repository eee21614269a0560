// EVS's error catalogue (reference §3.5; codes and messages from EVS's API reference error table). EVS answers
// {"error":{"code":"EVS.xxxx","message"}}; the gateway adds error_code/error_msg. Messages keep Huawei's text
// and add what hwlocal knows about the request.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const nested = (status: number, code: string, message: string, detail?: string) =>
  new ApiError({ status, code, message: detail ? `${message} ${detail}` : message, shape: "nested" });

export const evsErrors = {
  malformedBody: (detail?: string) => nested(400, "EVS.5400", "Malformed request body.", detail),
  invalidStatus: (detail?: string) => nested(400, "EVS.5400", "Must specify a valid status.", detail),
  malformedUrl: (detail?: string) => nested(400, "EVS.5400", "Malformed request url.", detail),
  forbidden: (detail?: string) => nested(403, "EVS.5403", "Policy check failed.", detail),
  volumeNotFound: (id: string) => nested(404, "EVS.5404", "Resource(Volume, Snapshot, Backup .etc) cound not be found.", `Volume ${id}.`),
  invalidVolumeId: (id: string) => nested(400, "EVS.1002", "invalid volume id!", `${JSON.stringify(id.slice(0, 64))} is not a volume id.`),
  invalidName: (detail?: string) => nested(400, "EVS.1003", "invalid volume name!", detail),
  invalidDescription: (detail?: string) => nested(400, "EVS.1004", "invalid volume description!", detail),
  metadataTooLarge: (detail?: string) => nested(400, "EVS.1005", "size of metadata is too large!", detail),
  invalidBackup: () => nested(400, "EVS.1006", "invalid backup id!", "hwlocal has no backups."),
  nameAndDescriptionEmpty: () => nested(400, "EVS.1007", "volume name and description can not both be empty!"),
  invalidSize: (detail?: string) => nested(400, "EVS.1010", "invalid volume size!", detail),
  newSizeNotGreater: () => nested(400, "EVS.1015", "new volume Size must be greater than old Size!"),
  onlyOneSource: () =>
    nested(400, "EVS.1016", "Invalid input received: May specify only one of imageRef, snapshot_id, backup_id!"),
  invalidVolumeType: (type: string) => nested(400, "EVS.1020", "invalid volume type!", `${JSON.stringify(type.slice(0, 64))} is not offered.`),
  invalidCount: () => nested(400, "EVS.1021", "the quantity of volume is invalid!", "count is 1 to 100."),
  invalidMarker: () => nested(400, "EVS.1024", "invalid filter marker!", "marker must be the id of a volume of this list."),
  volumeCountQuota: () => nested(400, "EVS.1034", "volume count exceeded volume count quota!"),
  invalidAvailabilityZone: (az: string, detail?: string) =>
    nested(400, "EVS.1036", "invalid availability zone!", detail ?? `${JSON.stringify(az.slice(0, 64))} is not a zone of this region.`),
  metadataNotFound: (key: string) => nested(404, "EVS.5404", "Resource(Volume, Snapshot, Backup .etc) cound not be found.", `Metadata key ${key.slice(0, 64)}.`),
  transferNotFound: (id: string) => nested(404, "EVS.5404", "Resource(Volume, Snapshot, Backup .etc) cound not be found.", `Transfer ${id.slice(0, 64)}.`),
  snapshotNotFound: (id: string) => nested(404, "EVS.5404", "Resource(Volume, Snapshot, Backup .etc) cound not be found.", `Snapshot ${id.slice(0, 64)}.`),
  availabilityZoneRequired: () => nested(400, "EVS.1036", "invalid availability zone!", "availability_zone is required."),
  volumeTypeNotFound: (id: string) => nested(404, "EVS.5404", "Resource(Volume, Snapshot, Backup .etc) cound not be found.", `Volume type ${id.slice(0, 64)}.`),
  invalidSortKey: () => nested(400, "EVS.1039", "invalid sort_key!"),
  invalidSortDir: () => nested(400, "EVS.1040", "invalid sort_dir!"),
  invalidAzFilter: () => nested(400, "EVS.1041", "invalid filter availablity-zone!"),
  gigabytesQuota: () => nested(400, "EVS.1042", "volume gigabytes exceeded volume gigabytes quota!"),
  systemMetadataWithSource: () =>
    nested(400, "EVS.1043", "encrypt and cmk and passthrougth in metadata is not support when create volume from snapshot or image!"),
  cannotDelete: () =>
    nested(400, "EVS.1046", "volume status must be available, error, error_extending, error_restoring, error_rollbacking when delete volume!"),
  invalidShareable: () => nested(400, "EVS.1054", "invalid shareable parameter!"),
  invalidPassthrough: () => nested(400, "EVS.1057", "invalid hw:passthrough in metadata!"),
  invalidMetadataFilter: () => nested(400, "EVS.1058", "invalid metadata filter!"),
  tooManyTags: () => nested(400, "EVS.1061", "The Volume Tags is Exceed Max Limit Num."),
  invalidTag: () => nested(400, "EVS.1062", "invalid tag!"),
  cannotExtend: () => nested(400, "EVS.1064", "volume status must be available or in-use when extending!"),
  multiattachCannotExtend: () => nested(400, "EVS.1065", "multiattach volume status must be available when extending!"),
  invalidSnapshot: () => nested(400, "EVS.2045", "invalid snapshot_id!", "The snapshot does not exist or is not available yet."),
  invalidImageRef: (detail?: string) => nested(400, "EVS.2046", "invalid imageRef!", detail),
  metadataNotUpdatable: (key: string) => nested(400, "EVS.2047", "the metadata Param is not allowed to be updated!", `${key} is set by EVS.`),
  invalidEnterpriseProject: () => nested(400, "EVS.2059", "invalid enterpriseProjectID"),
  systemImageMultiattach: () => nested(400, "EVS.2094", "system image is not support to create Multiattach/shareable volume !"),
  invalidLimitMax: () => nested(400, "EVS.2142", "invalid filter limit, can not greater than 1000."),
  serverQueryFailed: () => nested(400, "EVS.2131", "Query server info from ecs fail", "hwlocal's EVS cannot attach at creation yet."),
  invalidBssParam: (detail?: string) => nested(400, "EVS.2147", "invalid bssParam.", detail),
  jobNotFound: (id: string) => nested(400, "Common.0011", "query job fail.", `Job ${JSON.stringify(id.slice(0, 64))} does not exist.`),
};

export const evsServiceErrors: ServiceErrors = {
  shape: "nested",
  invalidBody: (d) => evsErrors.malformedBody(d),
  invalidParameter: (d) => evsErrors.malformedUrl(d),
  forbidden: (d) => evsErrors.forbidden(d),
};
