// CloudDCN subnets kept as documents (operations/clouddcn-subnets.ts serves them): their shape, lookups,
// and the check that keeps a VPC holding one from being deleted.
import { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { docsOf, requireDoc, type Doc } from "./documents.ts";

export const DcnDoc = z.object({
  name: z.string(),
  description: z.string(),
  cidr: z.string(),
  vpc_id: z.string(),
  gateway_ip: z.string(),
  dns_nameservers: z.array(z.string()),
  availability_zone: z.string(),
});
export type DcnDoc = z.infer<typeof DcnDoc>;
export type DcnSubnet = Doc<DcnDoc>;

export function requireDcn(env: Env, project: ProjectScope, id: string): DcnSubnet {
  return requireDoc(env, project, "clouddcn", DcnDoc, id, "clouddcn subnet");
}

/** Whether a VPC still holds CloudDCN subnets (it cannot be deleted then). */
export function vpcHasClouddcnSubnets(env: Env, projectId: string, vpcId: string): boolean {
  return docsOf(env, { projectId, region: "" }, "clouddcn", DcnDoc).some((d) => d.doc.vpc_id === vpcId);
}

export function dcnSubnets(env: Env, project: ProjectScope): DcnSubnet[] {
  return docsOf(env, project, "clouddcn", DcnDoc);
}
