// IAM's system roles. Their ids are fixed so that scripts can hard-code them, as they do against the cloud.
import { stableHex32 } from "../../kernel/ids.ts";

export interface SystemRole {
  id: string;
  name: string;
  display_name: string;
  /** AX domain, XA project, AA both. */
  type: "AX" | "XA" | "AA";
  catalog: string;
  description: string;
  flag?: "fine_grained";
  /** Grants the right to manage IAM. */
  iamAdmin: boolean;
  actions: string[];
}

const role = (r: Omit<SystemRole, "id">): SystemRole => ({ ...r, id: stableHex32(`role:${r.name}`) });

export const SYSTEM_ROLES: SystemRole[] = [
  role({ name: "te_admin", display_name: "Tenant Administrator", type: "AA", catalog: "BASE", description: "Tenant Administrator (Exclude IAM)", iamAdmin: false, actions: ["*:*:*"] }),
  role({ name: "readonly", display_name: "Tenant Guest", type: "AA", catalog: "BASE", description: "Tenant Guest (Exclude IAM)", iamAdmin: false, actions: ["*:*:get*", "*:*:list*"] }),
  role({ name: "secu_admin", display_name: "Security Administrator", type: "AX", catalog: "IAM", description: "Full permissions for Identity and Access Management.", iamAdmin: true, actions: ["iam:*:*"] }),
  role({ name: "system_all_1001", display_name: "ECS FullAccess", type: "XA", catalog: "ECS", description: "Full permissions for Elastic Cloud Server.", flag: "fine_grained", iamAdmin: false, actions: ["ecs:*:*", "evs:*:*", "vpc:*:*", "ims:*:*"] }),
  role({ name: "system_all_1002", display_name: "ECS ReadOnlyAccess", type: "XA", catalog: "ECS", description: "Read-only permissions for Elastic Cloud Server.", flag: "fine_grained", iamAdmin: false, actions: ["ecs:*:get*", "ecs:*:list*"] }),
  role({ name: "system_all_1003", display_name: "VPC FullAccess", type: "XA", catalog: "VPC", description: "Full permissions for Virtual Private Cloud.", flag: "fine_grained", iamAdmin: false, actions: ["vpc:*:*"] }),
  role({ name: "system_all_1004", display_name: "AutoScaling FullAccess", type: "XA", catalog: "AutoScaling", description: "Full permissions for Auto Scaling.", flag: "fine_grained", iamAdmin: false, actions: ["as:*:*", "ecs:*:*"] }),
  role({ name: "system_all_1005", display_name: "IAM ReadOnlyAccess", type: "AX", catalog: "IAM", description: "Read-only permissions for Identity and Access Management.", flag: "fine_grained", iamAdmin: false, actions: ["iam:*:get*", "iam:*:list*"] }),
];

export function findRole(id: string): SystemRole | undefined {
  return SYSTEM_ROLES.find((r) => r.id === id);
}
