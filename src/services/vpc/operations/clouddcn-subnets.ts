// CloudDCN subnets (/v3/{project_id}/vpc/clouddcn-subnets), kept as documents: a subnet of a VPC's CIDR (or
// extension CIDRs) for CloudDCN hosts, overlapping neither the VPC's subnets nor another CloudDCN subnet,
// with a gateway inside it. Tags (body and tag APIs) sit beside the document. VPC subnets made later are
// not checked against CloudDCN subnets (index.ts, Doubts).
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { Description, Marker, Name, V3Limit, V3Tags, envOf, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { cidrContains, cidrOverlaps, parseCidr, parseIpv4 } from "../ip.ts";
import { dcnSubnets, requireDcn, type DcnDoc, type DcnSubnet } from "../model/clouddcn.ts";
import { requireVpc } from "../model/networks.ts";
import { pageList } from "../store/documents.ts";

function view(d: DcnSubnet) {
  return {
    id: d.row.id,
    project_id: d.row.project_id,
    name: d.doc.name,
    description: d.doc.description,
    cidr: d.doc.cidr,
    gateway_ip: d.doc.gateway_ip,
    dns_nameservers: d.doc.dns_nameservers,
    vpc_id: d.doc.vpc_id,
    availability_zone: d.doc.availability_zone,
    enterprise_project_id: "0",
    tags: d.row.tags,
    created_at: isoSeconds(d.row.created_at),
    updated_at: isoSeconds(d.row.updated_at),
  };
}

const one = "/v3/{project_id}/vpc/clouddcn-subnets/{clouddcn_subnet_id}";

export const clouddcnSubnetOperations = [
  vpcOperation({
    name: "CreateClouddcnSubnet",
    method: "POST",
    path: "/v3/{project_id}/vpc/clouddcn-subnets",
    errorShape: "nested",
    body: z.object({
      clouddcn_subnet: z.object({
        name: Name,
        description: Description.optional(),
        cidr: z.string().max(64),
        vpc_id: z.string().min(1).max(64),
        gateway_ip: z.string().max(64),
        dns_nameservers: z.array(z.string().max(64)).max(2).optional(),
        availability_zone: z.string().max(64).optional(),
        tags: V3Tags.optional(),
      }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const b = ctx.input.body.clouddcn_subnet;
      const id = env.ids.uuid();
      env.store.tx(() => {
        const vpc = requireVpc(env, project, b.vpc_id);
        const cidr = parseCidr(b.cidr);
        if (!cidr || cidr.prefix > 28) throw vpcErrors.subnetInvalid(`cidr ${b.cidr} is not a network of /28 or larger.`);
        if (![vpc.cidr, ...vpc.extend_cidrs].some((c) => cidrContains(parseCidr(c)!, cidr))) throw vpcErrors.subnetNotInVpc();
        const gw = parseIpv4(b.gateway_ip);
        if (gw === undefined || gw <= cidr.network || gw >= cidr.broadcast) throw vpcErrors.subnetInvalid(`gateway_ip ${b.gateway_ip} is not a host address of ${cidr.text}.`);
        for (const d of b.dns_nameservers ?? []) if (parseIpv4(d) === undefined) throw vpcErrors.subnetInvalid(`dns_nameservers holds ${d}, not an IPv4 address.`);
        const taken = [
          ...env.store.networks.subnetsOfVpc(vpc.id).map((s) => s.cidr),
          ...dcnSubnets(env, project)
            .filter((d) => d.doc.vpc_id === vpc.id)
            .map((d) => d.doc.cidr),
        ];
        if (taken.some((c) => cidrOverlaps(parseCidr(c)!, cidr))) throw vpcErrors.subnetConflict();
        const doc: DcnDoc = {
          name: b.name,
          description: b.description ?? "",
          cidr: cidr.text,
          vpc_id: vpc.id,
          gateway_ip: b.gateway_ip,
          dns_nameservers: b.dns_nameservers ?? [],
          availability_zone: b.availability_zone ?? "",
        };
        env.store.documents.insert({ id, projectId: project.projectId, kind: "clouddcn", doc, tags: b.tags ?? [], now: env.clock.now() });
      });
      return { status: 201, body: { request_id: ctx.request.requestId, clouddcn_subnet: view(requireDcn(env, project, id)) } };
    },
  }),
  vpcOperation({
    name: "ListClouddcnSubnets",
    method: "GET",
    path: "/v3/{project_id}/vpc/clouddcn-subnets",
    errorShape: "nested",
    query: z.object({ limit: V3Limit.optional(), marker: Marker.optional(), vpc_id: z.string().max(64).optional() }),
    handle(ctx) {
      const q = ctx.input.query;
      const items = dcnSubnets(envOf(ctx), requireProject(ctx.scope))
        .map(view)
        .filter((d) => !q.vpc_id || d.vpc_id === q.vpc_id);
      return { body: { request_id: ctx.request.requestId, clouddcn_subnets: paged(pageList(items, pageOf(q)), q.marker) } };
    },
  }),
  vpcOperation({
    name: "ShowClouddcnSubnet",
    method: "GET",
    path: one,
    errorShape: "nested",
    handle(ctx) {
      const d = requireDcn(envOf(ctx), requireProject(ctx.scope), ctx.input.path.clouddcn_subnet_id!);
      return { body: { request_id: ctx.request.requestId, clouddcn_subnet: view(d) } };
    },
  }),
  vpcOperation({
    name: "UpdateClouddcnSubnet",
    method: "PUT",
    path: one,
    errorShape: "nested",
    body: z.object({ clouddcn_subnet: z.object({ name: Name.optional(), description: Description.optional() }) }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const d = requireDcn(env, project, ctx.input.path.clouddcn_subnet_id!);
      const b = ctx.input.body.clouddcn_subnet;
      env.store.documents.update(d.row.id, { ...d.doc, name: b.name ?? d.doc.name, description: b.description ?? d.doc.description }, env.clock.now());
      return { body: { request_id: ctx.request.requestId, clouddcn_subnet: view(requireDcn(env, project, d.row.id)) } };
    },
  }),
  vpcOperation({
    name: "DeleteClouddcnSubnet",
    method: "DELETE",
    path: one,
    errorShape: "nested",
    handle(ctx) {
      const env = envOf(ctx);
      const d = requireDcn(env, requireProject(ctx.scope), ctx.input.path.clouddcn_subnet_id!);
      env.store.documents.delete(d.row.id);
      return { status: 204 };
    },
  }),
];
