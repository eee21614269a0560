// Every operation's fine-grained action (service:resourceType:operation, reference huawei-api-facts.md
// §2.3) and each service's denial, for the gateway's authorization stage (pipeline.ts).
//
// An action is named from the operation: its service's name, the resource type its path names (the last
// path segment that is not a version, a {parameter} or a modifier such as "detail" or "action", in camel case, through the service's aliases where
// Huawei names the type otherwise: EVS "cloudvolumes" is "volumes"), and the verb its name begins with (List
// → list, Show → get, Create, Delete, Update, Start, Stop, Attach, …). Policies match the resource type and
// the verb without regard to case, so "cloudservers" is matched by "ecs:cloudServers:*". ACTIONS lists the
// operations whose action Huawei names otherwise; the coverage report lists every operation's action.
// Doubt: the names come from Huawei's system policies and permission pages where those show them; the rest
// follow the pattern above.
import { ApiError } from "../kernel/api-error.ts";
import type { ErrorShape } from "../kernel/api-error.ts";
import type { OperationMeta } from "../kernel/service.ts";

/** Huawei's name of a resource type, where the path says it differently (keys lower case, no separators). */
const TYPE_ALIASES: Record<string, Record<string, string>> = {
  ecs: { servers: "cloudServers", cloudservers: "cloudServers", securitygroups: "securityGroups" },
  evs: { cloudvolumes: "volumes", volumes: "volumes", snapshots: "snapshots", cloudsnapshots: "snapshots" },
  ims: { cloudimages: "images", images: "images" },
  vpc: { securitygroups: "securityGroups", securitygrouprules: "securityGroupRules", publicips: "publicIps", floatingips: "floatingIps", bandwidths: "bandwidths" },
  eip: { publicips: "publicIps", bandwidths: "bandwidths" },
  as: {
    scalinggroup: "groups",
    scalingconfiguration: "configs",
    scalinggroupinstance: "instances",
    scalingpolicy: "policies",
    scalingpolicies: "policies",
    scalingpolicyexecutelog: "policyExecuteLogs",
    scalingactivitylog: "acivityLogs",
    quotas: "quotas",
    scalingnotification: "notifications",
    scalinglifecyclehook: "lifecycleHooks",
    scalinginstancehook: "instanceHooks",
    scalinggrouptag: "tags",
  },
  ces: { metricdata: "metricData", batchquerymetricdata: "metricData" },
  smn: { notifications: "topics" },
  iam: { users: "users", groups: "groups", projects: "projects", roles: "roles" },
};

/** Operations whose action Huawei names otherwise than the pattern (service name → operation → action). */
const ACTIONS: Record<string, Record<string, string>> = {
  ecs: {
    CreateServers: "ecs:cloudServers:createServers",
    CreatePostPaidServers: "ecs:cloudServers:createServers",
    BatchStartServers: "ecs:cloudServers:start",
    BatchStopServers: "ecs:cloudServers:stop",
    BatchRebootServers: "ecs:cloudServers:reboot",
    // POST /batchaction/attachvolumes/{volume_id}: a shared volume on many servers, an action on servers.
    BatchAttachSharableVolumes: "ecs:cloudServers:attach",
    BatchDetachVolumes: "ecs:cloudServers:detach",
  },
};

/**
 * IAM's self-service operations: a user may always call them on itself (its tokens, projects, password, own
 * access keys and MFA device), whatever its policies; IAM's handlers refuse them on another user unless the
 * caller is an administrator. With a {user_id} in the path, only for the caller's own id.
 */
const SELF_SERVICE = new Set([
  "KeystoneListAuthDomains", "KeystoneListAuthProjects", "KeystoneListFederationDomains", "KeystoneListFederationProjects", "KeystoneShowCatalog", "KeystoneValidateToken", "KeystoneCheckToken",
  "KeystoneRevokeToken", "CreateTemporaryAccessKeyByToken", "KeystoneUpdateUserPassword", "UpdateUserPassword",
  "KeystoneListProjectsForUser", "KeystoneListGroupsForUser", "KeystoneShowUser", "ShowUser", "CreatePermanentAccessKey",
  "DeletePermanentAccessKey", "ListPermanentAccessKeys", "ShowPermanentAccessKey", "UpdatePermanentAccessKey",
  "CreateMfaDevice", "DeleteMfaDevice", "CreateBindingDevice", "DeleteBindingDevice", "ShowUserMfaDevice", "ShowUserLoginProtect",
  "UpdateUserInformation", "CreateLoginToken", "ChangePasswordV5", "ShowUserV5", "ShowUserLastLoginV5", "ListAccessKeysV5",
  "CreateAccessKeyV5", "DeleteAccessKeyV5", "UpdateAccessKeyV5", "ShowLoginProfileV5",
]);

/** Whether a request is one a user makes on itself, which no policy is asked about. */
export function selfService(service: string, op: OperationMeta, params: Record<string, string>, userId: string): boolean {
  if (service !== "iam" || !SELF_SERVICE.has(op.name)) return false;
  return params.user_id === undefined || params.user_id === userId;
}

const VERSION = /^(v\d+(\.\d+)*|autoscaling-api|OS-[A-Z-]+|elb)$/;
const PREFIXES = /^(Nova|Neutron|Cinder|Glance|Keystone|Batch)(?=[A-Z])/;

const camel = (s: string) => s.replace(/[-_]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());

/** Path words that modify the resource before them rather than name one ("/cloudservers/detail"). */
const MODIFIERS = new Set(["detail", "details", "action", "actions", "list", "count", "batch", "batch-create", "batch-delete", "batch_create", "batch_delete", "batch-update"]);

/** Path words that say what is done, not to what ("/cloudservers/delete", "/{server_id}/attachvolume"). */
const VERB_WORDS = new Set(["create", "delete", "update", "add", "remove", "set", "tag", "untag", "attach", "detach", "start", "stop", "reboot", "resize"]);

/** Whether a path word is the operation's verb at work ("attachvolume" for attach, "batchResize" for resize). */
function isVerbWord(segment: string, verb: string): boolean {
  const word = segment.toLowerCase().replace(/[-_]/g, "");
  return VERB_WORDS.has(word) || word.replace(/^batch/, "").startsWith(verb.toLowerCase());
}

function resourceType(service: string, path: string, verb: string): string {
  const statics = path.split("/").filter((s) => s !== "" && !s.startsWith("{") && !VERSION.test(s));
  const named = statics.filter((s) => !MODIFIERS.has(s) && !isVerbWord(s, verb));
  const segment = named[named.length - 1] ?? statics[0] ?? "resources";
  const type = camel(segment.replace(/^os-/, ""));
  return TYPE_ALIASES[service]?.[type.toLowerCase()] ?? type;
}

function verb(op: OperationMeta): string {
  const name = op.name.replace(PREFIXES, "").replace(PREFIXES, "");
  const first = /^[A-Z][a-z]+/.exec(name)?.[0] ?? "";
  if (first === "List") return "list";
  if (first === "Show" || first === "Get" || first === "Check" || first === "Count") return "get";
  if (first === "Create" || first === "Add" || first === "Put" || first === "Register") return first === "Create" ? "create" : first.toLowerCase();
  if (first !== "") return first.charAt(0).toLowerCase() + first.slice(1);
  return op.method === "GET" ? "get" : op.method === "DELETE" ? "delete" : op.method === "POST" ? "create" : "update";
}

/** The action of one operation of `service`. */
export function actionOf(service: string, op: OperationMeta): string {
  const v = verb(op);
  return ACTIONS[service]?.[op.name] ?? `${service}:${resourceType(service, op.path, v)}:${v}`;
}

/** The answer to a denied request, in the service's own code where Huawei documents one. */
export function denial(service: string, action: string, shape: ErrorShape, fallback: (message: string) => ApiError): ApiError {
  const e = (status: number, code: string, message: string) => new ApiError({ status, code, message, shape });
  switch (service) {
    case "ecs":
      return e(403, "Pdp.0001", `Policy doesn't allow ${action} to be performed.`);
    case "vpc":
    case "eip":
      return e(403, "VPC.2201", `Policy doesn't allow ${action} to be performed`);
    case "iam":
      return e(403, "IAM.0003", `Policy doesn't allow ${action} to be performed.`);
    case "as":
      return e(400, "AS.0031", `Policy doesn't allow [${action}] to be performed.`);
    default:
      return fallback(`Policy doesn't allow [${action}] to be performed.`);
  }
}
