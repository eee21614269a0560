// Auto Scaling's error catalogue (reference huawei-api-facts.md §1.10, [AS-doc 错误码]). AS answers
// {"error":{"code":"AS.xxxx","message"}} (shape "nested"); the gateway adds error_code/error_msg. Every code
// is 400 unless §1.10 says otherwise — a missing group or configuration is 400 too, not 404. Messages are
// §1.10's verbatim; where hwlocal knows more (which field, which value), it follows after the message.
import { ApiError } from "../../kernel/api-error.ts";
import type { ServiceErrors } from "../../kernel/service.ts";

const nested = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape: "nested" });
const e400 = (code: string, message: string) => (detail?: string) => nested(400, code, detail ? `${message} ${detail}` : message);

export const asErrors = {
  systemError: () => nested(500, "AS.0001", "System error."),
  bodyNull: e400("AS.0002", "Request body is null."),
  forbidden: (detail?: string) =>
    nested(403, "AS.0011", `You do not have the rights to perform the operation.${detail ? ` ${detail}` : ""}`),
  requestBodyError: (detail: string) => nested(400, "AS.0022", `request body error: ${detail}`),

  startNumberInvalid: e400("AS.1001", "The value of parameter Start number is invalid."),
  limitInvalid: e400("AS.1002", "The value of parameter Limit is invalid."),

  // Scaling configurations
  configIdNull: e400("AS.1003", "The AS configuration ID is null."),
  configNotFound: e400("AS.1004", "The AS configuration does not exist."),
  configInUse: e400("AS.1006", "The AS configuration is in use."),
  configNameNull: e400("AS.1007", "The AS configuration name is null."),
  configNameTooLong: e400("AS.1008", "The AS configuration name is too long."),
  instanceConfigNull: e400("AS.1011", "The instance configuration information is null."),
  imageIdNull: e400("AS.1014", "The image ID in the AS configuration is null."),
  imageNotFound: e400("AS.1015", "The image in the AS configuration does not exist."),
  flavorIdNull: e400("AS.1016", "The specification ID in the AS configuration cannot be null."),
  flavorNotFound: (flavor: string) => nested(400, "AS.1017", `The specification [${flavor}] in the AS configuration does not exist.`),
  flavorImageMismatch: (flavor: string) => nested(400, "AS.1018", `The specification [${flavor}] and image is not match.`),
  imageNotActive: e400("AS.1021", "The image in the AS configuration is not active."),
  invalidConfigName: e400("AS.1023", "Invalid AS configuration name."),
  configQuota: e400("AS.1024", "The number of AS configurations exceeds the upper limit."),
  loginModeNotUnique: e400("AS.1025", "The user login mode in the AS configuration is not unique."),
  loginModeNull: e400("AS.1026", "The user login mode in the AS configuration is null."),
  personalityInvalid: e400("AS.1027", "The scaling config personality is invalid."),
  diskNull: e400("AS.1028", "The disk in the AS configuration is null."),
  systemDiskCount: e400("AS.1029", "The number of system disk in the AS configuration is invalid."),
  systemDiskTooSmall: e400("AS.1030", "The size of the system disk in the AS configuration is less than the specification required."),
  diskSizeInvalid: e400("AS.1031", "The size of the disk in the AS configuration is not correct."),
  tooManyDisks: (flavor: string) => nested(400, "AS.1032", `The ECS type [${flavor}] in the AS configuration do not support 24 disks.`),
  volumeTypeInvalid: e400("AS.1033", "Parameter volumeType in the AS configuration is invalid."),
  diskTypeInvalid: e400("AS.1034", "Parameter diskType in the AS configuration is invalid."),
  adminPassInvalid: e400("AS.1035", "Parameter adminPass in the AS configuration is invalid."),
  batchDeleteFailed: (failures: { id: string; errorCode: string; errorMessage: string }[]) =>
    nested(400, "AS.1038", JSON.stringify(failures)),
  batchDeleteTooMany: e400("AS.1039", "the number of scaling config is beyond the max limit"),
  batchDeleteEmpty: e400("AS.1040", "The list of AS config to be deleted is null."),
  eipNull: e400("AS.1041", "The eip info of scaling config is null."),
  bandwidthSizeInvalid: e400("AS.1042", "The bandwidth size of eip is invalid."),
  eipTypeInvalid: e400("AS.1043", "The eip type of scaling config is invalid."),
  chargingModeInvalid: e400("AS.1044", "The bandwidth charging mode of eip is invalid."),
  bandwidthTypeInvalid: e400("AS.1045", "The bandwidth type of eip is invalid."),
  bandwidthSizeNull: e400("AS.1046", "The bandwidth size of eip is null."),
  bandwidthIdNull: e400("AS.1048", "The bandwidth id of eip is null."),
  userDataInvalid: e400("AS.1049", "Parameter userdata in the AS configuration is invalid."),
  metadataInvalid: e400("AS.1052", "Parameter metadata in the AS configuration is invalid."),
  tenancyInvalid: e400("AS.1071", "Parameter tenancy in the AS configuration is invalid."),
  dedicatedHostNotFound: e400("AS.1073", "The dedicated host id does not exist."),
  marketTypeInvalid: e400("AS.1083", "Instance marketing type is illegal."),
  multiFlavorPolicyInvalid: e400("AS.1085", "Invalid multi flavor priority policy."),
  tooManyFlavors: e400("AS.1087", "The number of flavors in the AS config exceeds the upper limit."),

  // Scaling groups
  groupNameNull: e400("AS.2002", "The name of the AS group is null."),
  groupNameTooLong: e400("AS.2003", "The AS group name is too long."),
  minMaxInvalid: e400("AS.2004", "Invalid min or max number of instances in the AS group."),
  desireOutOfRange: e400(
    "AS.2005",
    "The expected number cannot be less than the minimum number of instances or greater than the maximum number of instances.",
  ),
  coolDownInvalid: e400("AS.2006", "Invalid cooling duration of the AS group."),
  groupNotFound: e400("AS.2007", "The AS group does not exist."),
  groupActionInvalid: e400("AS.2008", "Invalid execution action of the AS group."),
  zoneInvalid: e400("AS.2011", "Invalid AZ in AS group."),
  vpcNotFound: e400("AS.2012", "The VPC of the AS group does not exist."),
  networksInvalid: e400("AS.2013", "Parameter networks in the AS group is invalid."),
  securityGroupNotFound: e400("AS.2014", "The security group of the AS group does not exist."),
  lbaasPoolInvalid: e400("AS.2042", "Parameter pool of lbaas in the AS group is invalid."),
  vpcIdNull: e400("AS.2017", "The ID of the VPC in the AS group is null."),
  noConfigInGroup: e400("AS.2018", "No AS configuration is in the AS group."),
  forceDeleteInvalid: e400("AS.2019", "The value of the parameter that specifies whether to forcibly delete the group is invalid."),
  instancesNotZero: e400("AS.2021", "The current number of instances in the AS group is not 0."),
  groupNameInvalid: e400("AS.2022", "The AS group name contains invalid characters."),
  groupQuota: e400("AS.2023", "The number of AS groups exceeds the upper limit."),
  tooManySubnets: e400("AS.2024", "The number of subnets in the AS group exceeds the upper limit."),
  tooManySecurityGroups: e400("AS.2025", "The number of security groups in the AS group exceeds the upper limit."),
  listenerTypeNotUnique: e400("AS.2026", "The type of listeners in the AS group is not unique."),
  subnetNotInVpc: e400("AS.2027", "The subnet of the AS group does not belong to the vpc."),
  healthMethodInvalid: e400("AS.2029", "Invalid health check method of the AS group."),
  networkChangeRefused: e400(
    "AS.2030",
    "You are not allowed to modify the AZ, subnet, and security information when the number of instances in the AS group is not 0, the AS group is scaling, or the AS group is in Inservice status.",
  ),
  healthPeriodInvalid: e400("AS.2031", "Invalid health check period of the AS group."),
  terminatePolicyInvalid: e400("AS.2032", "Invalid instance removal policy."),
  statusRefused: (status: string) =>
    nested(400, "AS.2033", `You are not allowed to perform the operation when the AS group is in current [${status}] status.`),
  notificationInvalid: e400("AS.2034", "Invalid notification method of the AS group."),
  instanceLimitExceeded: e400("AS.2045", "The min or max number of instances in the AS group exceeds the upper limit."),
  gracePeriodInvalid: e400("AS.2046", "Invalid health check grace period of the AS group."),
  multiAzPolicyInvalid: e400("AS.2053", "Invalid multi az priority policy."),
  listenerNotFound: e400("AS.7012", "lblistener doesnot exist."),
  desireBelowProtected: e400(
    "AS.2010",
    "The expected number of instances in the AS group can not be smaller than the number of instances which set instance protection.",
  ),
  tooManyAdded: e400(
    "AS.2035",
    "The number of instances manually added to the AS group exceeds the maximum number of the instances required in the AS group.",
  ),
  tooManyRemoved: e400(
    "AS.2036",
    "The number of instances manually deleted is less than the minimum number of the instances required in the AS group.",
  ),

  // Instances
  instanceStartInvalid: e400("AS.4000", "The value of parameter start_number in the request for the instance is invalid."),
  instanceLimitInvalid: e400("AS.4001", "The value of parameter limit in the request for the instance is invalid."),
  lifeCycleStateInvalid: e400("AS.4003", "The value of parameter life_cycle_state in the instance request is invalid."),
  healthStatusInvalid: e400("AS.4004", "The value of parameter health_status in the request for the instance is invalid."),
  instanceNotFound: e400("AS.4006", "The instance does not exist."),
  instanceDeleteInvalid: e400("AS.4007", "The value of the parameter that specifies whether to delete the instance is invalid."),
  instancesNotSameGroup: e400("AS.4014", "The instances do not belong to the same AS group."),
  instanceNotInService: e400("AS.4015", "The instance is not in the inservice status."),
  instanceActionInvalid: e400("AS.4018", "The action of the body in the request to operate the instance is invalid."),
  instanceZoneInvalid: e400("AS.4020", "The AZ to which the instance belongs is not within the AZ in the AS group."),
  instanceVpcInvalid: e400("AS.4021", "The VPC to which the instance belongs is different from the VPC in the AS group."),
  instanceAlreadyIn: e400("AS.4023", "The added instance has already existed."),
  instanceNotActive: e400("AS.4024", "The instance is not in the active status."),
  instanceAppendInvalid: e400("AS.4025", "The value of the parameter that specifies whether to append new instance(s) is invalid."),
  instanceInOtherGroup: e400("AS.4027", "The added instance has already existed in other AS group."),
  instanceListNull: e400("AS.4032", "The list of instances is null."),
  instanceNotStandby: e400("AS.4038", "The instance is not in the standby status."),
  standbyAppendTooMany: e400(
    "AS.4039",
    "After adding new instances equal to the number of standby instances, the expected number cannot be larger than the max instance number of group.",
  ),
  tooManyInstances: e400("AS.4043", "The number of instances exceeds the upper limit."),

  // Activity logs
  logStartTimeInvalid: e400("AS.9001", "The format of the start time of the scaling activity log is incorrect."),
  logEndTimeInvalid: e400("AS.9002", "The format of the end time of the scaling activity log is incorrect."),
  logStartNumberInvalid: e400("AS.9003", "The value of parameter start_number in the request for the scaling activity log is invalid."),
  logLimitInvalid: e400("AS.9004", "The value of parameter limit in the request for the scaling activity log is invalid."),

  // Tags
  tagsNull: e400("AS.7044", "The tag of this resource is null"),
  tooManyTags: e400("AS.7045", "The number of tags exceeded."),
  tagsInvalid: e400("AS.7046", "The tags in the resource is invalid."),
  tagValueTooLong: e400("AS.7047", "The value of tag in the resource is too long."),
  tagActionInvalid: e400("AS.7049", "The action in this operation with tag is invalid."),
  tagKeyDuplicate: e400("AS.7050", "The key of tag cannot be duplicate."),
  tagKeyNull: e400("AS.7062", "The key of scaling tag is null."),
  tagKeyTooLong: e400("AS.7063", "The key of scaling tag is too long."),

  enterpriseProjectNotFound: e400("AS.7059", "The enterprise project does not exist."),
};

export const asServiceErrors: ServiceErrors = {
  shape: "nested",
  invalidBody: asErrors.requestBodyError,
  invalidParameter: asErrors.requestBodyError,
  forbidden: asErrors.forbidden,
};
