// IAM's system-defined roles (v1.0, RBAC) and policies (v1.1, fine-grained), for every service hwlocal serves.
// Display names and internal names are Huawei's (the Terraform provider's table of system policies); the
// documents follow Huawei's permission pages in substance. Ids are fixed (derived from the name) so that scripts
// can hard-code them, as they do against one cloud; the real ids differ between Huawei's sites.
// Doubts: the internal names of CES/SMN FullAccess and ReadOnlyAccess, IAM ReadOnlyAccess and the OBS
// policies are not in our sources: they are named `system_all_hwlocal_*` here. The statement lists of the
// service policies are condensed (wildcards such as `ecs:*:get*`) rather than Huawei's long action lists.
import { stableHex32 } from "../../kernel/ids.ts";
import type { PolicyDocument, PolicyStatement } from "./policy-document.ts";

/** A role or policy as IAM lists it: system-defined (domain_id null) or a domain's custom policy. */
export interface RoleRecord {
  id: string;
  name: string;
  display_name: string;
  /** AX domain (global services), XA project, AA both, XX neither. */
  type: "AX" | "XA" | "AA" | "XX";
  catalog: string;
  description: string;
  description_cn: string;
  /** "fine_grained" for system policies (v1.1); "" for v1.0 roles and custom policies. */
  flag: string;
  domain_id: string | null;
  policy: PolicyDocument;
  created_at?: number;
  updated_at?: number;
}

type Def = {
  name: string;
  display_name: string;
  type: RoleRecord["type"];
  catalog: string;
  description: string;
  /** Allowed actions; a v1.1 policy unless `version` says "1.0". */
  allow: string[];
  deny?: string[];
  version?: "1.0";
};

function define(d: Def): RoleRecord {
  const Statement: PolicyStatement[] = [{ Effect: "Allow", Action: d.allow }];
  if (d.deny) Statement.push({ Effect: "Deny", Action: d.deny });
  return {
    id: stableHex32(`role:${d.name}`),
    name: d.name,
    display_name: d.display_name,
    type: d.type,
    catalog: d.catalog,
    description: d.description,
    description_cn: d.description,
    flag: d.version === "1.0" ? "" : "fine_grained",
    domain_id: null,
    policy: { Version: d.version ?? "1.1", Statement },
  };
}

const read = (...svcs: string[]) => svcs.flatMap((s) => [`${s}:*:get*`, `${s}:*:list*`]);

const DEFS: Def[] = [
  // Roles (v1.0). "identity" is IAM's service name in v1.0 documents: Tenant Administrator and Tenant Guest
  // exclude IAM that way; the admin group also holds Security Administrator, which grants it.
  { name: "te_admin", display_name: "Tenant Administrator", type: "AA", catalog: "BASE", version: "1.0", description: "Tenant Administrator (Exclude IAM)", allow: ["*:*:*"], deny: ["identity:*:*"] },
  { name: "readonly", display_name: "Tenant Guest", type: "AA", catalog: "BASE", version: "1.0", description: "Tenant Guest (Exclude IAM)", allow: ["*:*:get*", "*:*:list*"], deny: ["identity:*:*"] },
  { name: "secu_admin", display_name: "Security Administrator", type: "AX", catalog: "IAM", version: "1.0", description: "Full permissions for Identity and Access Management", allow: ["iam:*:*"] },
  { name: "te_agency", display_name: "Agent Operator", type: "AX", catalog: "IAM", version: "1.0", description: "Agent Operator: may switch roles to access the resources of a delegating account", allow: ["iam:agencies:assume", "iam:tokens:assume"] },
  { name: "server_adm", display_name: "Server Administrator", type: "XA", catalog: "BASE", version: "1.0", description: "Server Administrator", allow: ["ecs:*:*", "evs:*:*", "vpc:*:*", "ims:*:*"] },
  { name: "ims_adm", display_name: "IMS Administrator", type: "XA", catalog: "IMS", version: "1.0", description: "IMS Administrator", allow: ["ims:*:*"] },
  { name: "as_adm", display_name: "AutoScaling Administrator", type: "XA", catalog: "AutoScaling", version: "1.0", description: "Auto Scaling administrator with full permissions", allow: ["as:*:*"] },
  { name: "vpc_netadm", display_name: "VPC Administrator", type: "XA", catalog: "VPC", version: "1.0", description: "VPC Administrator", allow: ["vpc:*:*"] },
  { name: "elb_adm", display_name: "ELB Administrator", type: "XA", catalog: "ELB", version: "1.0", description: "Elastic Load Balance administrator with full permissions for this service", allow: ["elb:*:*"] },
  { name: "ces_adm", display_name: "CES Administrator", type: "XA", catalog: "CES", version: "1.0", description: "CES Administrator", allow: ["ces:*:*"] },
  { name: "smn_adm", display_name: "SMN Administrator", type: "XA", catalog: "SMN", version: "1.0", description: "SMN Administrator", allow: ["smn:*:*"] },
  // Policies (v1.1).
  { name: "system_all_1001", display_name: "FullAccess", type: "AA", catalog: "BASE", description: "Full permissions for all services that support policy-based authorization", allow: ["*:*:*"] },
  { name: "system_all_3", display_name: "ECS FullAccess", type: "XA", catalog: "ECS", description: "All permissions of ECS service", allow: ["ecs:*:*", ...read("evs", "vpc", "ims"), "evs:volumes:create", "evs:volumes:delete", "evs:volumes:attach", "evs:volumes:detach", "evs:volumes:update", "evs:volumes:use", "vpc:ports:*", "vpc:securityGroups:*", "vpc:securityGroupRules:*", "vpc:publicIps:*", "vpc:floatingIps:*", "ims:images:create", "ims:images:update", "ims:images:delete"] },
  { name: "system_all_1", display_name: "ECS CommonOperations", type: "XA", catalog: "ECS", description: "Permissions for basic ECS operations, such as start, stop, restart an ECS, query ECS details", allow: [...read("ecs", "evs", "vpc", "ims"), "ecs:cloudServers:start", "ecs:cloudServers:stop", "ecs:cloudServers:reboot", "ecs:cloudServers:vnc", "ecs:serverInterfaces:use", "ecs:diskConfigs:use", "ecs:securityGroups:use"] },
  { name: "system_all_8", display_name: "ECS ReadOnlyAccess", type: "XA", catalog: "ECS", description: "The read-only permissions to all ECS resources, which can be used for statistics and survey", allow: read("ecs", "evs", "vpc", "ims") },
  { name: "system_all_16", display_name: "IMS FullAccess", type: "XA", catalog: "IMS", description: "All permissions of Image Management Service", allow: ["ims:*:*", ...read("ecs", "evs"), "obs:bucket:ListAllMyBuckets", "obs:bucket:ListBucket", "obs:object:GetObject"] },
  { name: "system_all_22", display_name: "IMS ReadOnlyAccess", type: "XA", catalog: "IMS", description: "The read-only permissions to all IMS resources, which can be used for statistics and survey", allow: read("ims") },
  { name: "system_all_23", display_name: "AutoScaling FullAccess", type: "XA", catalog: "AutoScaling", description: "Full permissions for Auto Scaling", allow: ["as:*:*", "ecs:*:*", "evs:*:*", "ims:*:get*", "ims:*:list*", "vpc:*:*", "elb:*:*", "ces:*:*", "smn:*:*"] },
  { name: "system_all_13", display_name: "AutoScaling ReadOnlyAccess", type: "XA", catalog: "AutoScaling", description: "Read-only permissions for Auto Scaling", allow: read("as", "ecs", "ces", "elb") },
  { name: "system_all_6", display_name: "EVS FullAccess", type: "XA", catalog: "EVS", description: "Full permissions for Elastic Volume Service, including creating, expanding, attaching, detaching, querying, and deleting EVS disks", allow: ["evs:*:*", ...read("ecs"), "ecs:cloudServers:attach", "ecs:cloudServers:detachVolume"] },
  { name: "system_all_2", display_name: "EVS ReadOnlyAccess", type: "XA", catalog: "EVS", description: "Read-only permissions for Elastic Volume Service", allow: read("evs") },
  { name: "system_all_7", display_name: "VPC FullAccess", type: "XA", catalog: "VPC", description: "All permissions of VPC service", allow: ["vpc:*:*"] },
  { name: "system_all_5", display_name: "VPC ReadOnlyAccess", type: "XA", catalog: "VPC", description: "The read-only permissions to all VPC resources, which can be used for statistics and survey", allow: read("vpc") },
  { name: "system_all_56", display_name: "ELB FullAccess", type: "XA", catalog: "ELB", description: "All permissions of ELB service", allow: ["elb:*:*", ...read("vpc", "ecs")] },
  { name: "system_all_55", display_name: "ELB ReadOnlyAccess", type: "XA", catalog: "ELB", description: "Read-only permissions for Elastic Load Balance", allow: read("elb") },
  { name: "system_all_159", display_name: "OBS Administrator", type: "AA", catalog: "OBS", description: "Object Storage Service Administrator", allow: ["obs:*:*"] },
  { name: "system_all_72", display_name: "OBS OperateAccess", type: "AA", catalog: "OBS", description: "Basic operation permissions to view the bucket list, obtain bucket metadata, list objects in a bucket, query bucket location, upload objects, download objects, delete objects, and obtain object ACLs", allow: ["obs:bucket:ListAllMyBuckets", "obs:bucket:HeadBucket", "obs:bucket:ListBucket", "obs:bucket:GetBucketLocation", "obs:object:GetObject", "obs:object:PutObject", "obs:object:DeleteObject", "obs:object:GetObjectAcl", "obs:object:AbortMultipartUpload", "obs:object:ListMultipartUploadParts"] },
  { name: "system_all_64", display_name: "OBS ReadOnlyAccess", type: "AA", catalog: "OBS", description: "Permissions to view the bucket list, obtain bucket metadata, list objects in a bucket, and query bucket location", allow: ["obs:bucket:ListAllMyBuckets", "obs:bucket:HeadBucket", "obs:bucket:ListBucket", "obs:bucket:GetBucketLocation"] },
  { name: "obs_b_list", display_name: "OBS Buckets Viewer", type: "AA", catalog: "OBS", version: "1.0", description: "Permissions to view the bucket list, obtain bucket metadata, and query bucket location", allow: ["obs:bucket:ListAllMyBuckets", "obs:bucket:HeadBucket", "obs:bucket:GetBucketLocation"] },
  { name: "system_all_hwlocal_ces_full", display_name: "CES FullAccess", type: "XA", catalog: "CES", description: "All permissions of Cloud Eye", allow: ["ces:*:*", ...read("ecs", "evs", "vpc", "smn", "as")] },
  { name: "system_all_hwlocal_ces_read", display_name: "CES ReadOnlyAccess", type: "XA", catalog: "CES", description: "Read-only permissions for Cloud Eye", allow: read("ces") },
  { name: "system_all_hwlocal_smn_full", display_name: "SMN FullAccess", type: "XA", catalog: "SMN", description: "All permissions of Simple Message Notification", allow: ["smn:*:*"] },
  { name: "system_all_hwlocal_smn_read", display_name: "SMN ReadOnlyAccess", type: "XA", catalog: "SMN", description: "Read-only permissions for Simple Message Notification", allow: read("smn") },
  { name: "system_all_hwlocal_iam_read", display_name: "IAM ReadOnlyAccess", type: "AX", catalog: "IAM", description: "Read-only permissions for Identity and Access Management", allow: read("iam") },
];

let built: RoleRecord[] | undefined;

/** Built on first use: module top-level work is kept cheap for cold start. */
export function systemRoles(): RoleRecord[] {
  built ??= DEFS.map(define);
  return built;
}

export function findSystemRole(id: string): RoleRecord | undefined {
  return systemRoles().find((r) => r.id === id);
}

export function systemRoleByName(name: string): RoleRecord {
  const r = systemRoles().find((x) => x.name === name);
  if (!r) throw new Error(`no system role ${name}`);
  return r;
}
