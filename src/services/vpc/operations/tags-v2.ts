// Tags of VPCs, subnets and security groups through the v2.0 tag APIs (/v2.0/{project_id}/<resources>/…,
// flat {code,message} errors): create one, batch create/delete (one path, told apart by action), delete
// one, show a resource's, list the project's keys, and filter or count resources by tags
// (resource_instances/action with action filter|count, limit/offset in the body).
import { z } from "../../../kernel/zod.ts";
import { envOf, requireProject, vpcOperation } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { addTags, deleteTag, projectTags, removeTags, requireTags, resourceView, selectByTags, type TagKind } from "../model/tags.ts";

const TagBody = z.object({ key: z.string().max(1024), value: z.string().max(1024).optional() });
const TagFilter = z.object({ key: z.string().max(1024), values: z.array(z.string().max(1024)).max(50) });
const TagFilters = z.array(TagFilter).max(50).optional();
const ByTagsBody = z.object({
  action: z.enum(["filter", "count"]),
  limit: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).optional(),
  tags: TagFilters,
  tags_any: TagFilters,
  not_tags: TagFilters,
  not_tags_any: TagFilters,
  matches: z.array(z.object({ key: z.string().max(64), value: z.string().max(255) })).max(10).optional(),
});

interface V2TagResource {
  /** Path segment: vpcs, subnets, security-groups. */
  segment: string;
  /** Path parameter naming the resource. */
  param: string;
  kind: TagKind;
  names: { create: string; batch: string; remove: string; show: string; list: string; byTags: string };
}

function v2TagOperations(r: V2TagResource) {
  const base = `/v2.0/{project_id}/${r.segment}`;
  const one = `${base}/{${r.param}}/tags`;
  return [
    vpcOperation({
      name: r.names.create,
      method: "POST",
      path: one,
      body: z.object({ tag: TagBody }),
      handle(ctx) {
        const t = ctx.input.body.tag;
        addTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!, [{ key: t.key, value: t.value ?? "" }]);
        return { status: 204 };
      },
    }),
    vpcOperation({
      name: r.names.batch,
      method: "POST",
      path: `${one}/action`,
      body: z.object({ action: z.enum(["create", "delete"]), tags: z.array(TagBody).max(50) }),
      handle(ctx) {
        const { action, tags } = ctx.input.body;
        const env = envOf(ctx);
        const project = requireProject(ctx.scope);
        const id = ctx.input.path[r.param]!;
        if (action === "create") addTags(env, project, r.kind, id, tags.map((t) => ({ key: t.key, value: t.value ?? "" })));
        else removeTags(env, project, r.kind, id, tags);
        return { status: 204 };
      },
    }),
    vpcOperation({
      name: r.names.remove,
      method: "DELETE",
      path: `${one}/{key}`,
      handle(ctx) {
        deleteTag(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!, ctx.input.path.key!);
        return { status: 204 };
      },
    }),
    vpcOperation({
      name: r.names.show,
      method: "GET",
      path: one,
      handle(ctx) {
        return { body: { tags: requireTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!) } };
      },
    }),
    vpcOperation({
      name: r.names.list,
      method: "GET",
      path: `${base}/tags`,
      handle(ctx) {
        return { body: { tags: projectTags(envOf(ctx), requireProject(ctx.scope), r.kind) } };
      },
    }),
    vpcOperation({
      name: r.names.byTags,
      method: "POST",
      path: `${base}/resource_instances/action`,
      body: ByTagsBody,
      handle(ctx) {
        const b = ctx.input.body;
        const found = selectByTags(envOf(ctx), requireProject(ctx.scope), r.kind, b);
        if (b.action === "count") {
          if (b.limit !== undefined || b.offset !== undefined) throw vpcErrors.tagInvalid("limit and offset are not allowed when action is count.");
          return { body: { total_count: found.length } };
        }
        const offset = b.offset ?? 0;
        const page = found.slice(offset, offset + (b.limit ?? 1000));
        return { body: { resources: page.map(resourceView), total_count: found.length } };
      },
    }),
  ];
}

const V2 = { keyMax: 36, valueMax: 43 };

export const tagOperationsV2 = [
  ...v2TagOperations({
    segment: "vpcs",
    param: "vpc_id",
    kind: { target: { table: "vpc_vpcs" }, notFound: vpcErrors.vpcNotFound, ...V2 },
    names: { create: "CreateVpcResourceTag", batch: "BatchCreateVpcTags", remove: "DeleteVpcTag", show: "ShowVpcTags", list: "ListVpcTags", byTags: "ListVpcsByTags" },
  }),
  ...v2TagOperations({
    segment: "subnets",
    param: "subnet_id",
    kind: { target: { table: "vpc_subnets" }, notFound: vpcErrors.subnetNotFound, ...V2 },
    names: { create: "CreateSubnetTag", batch: "BatchCreateSubnetTags", remove: "DeleteSubnetTag", show: "ShowSubnetTags", list: "ListSubnetTags", byTags: "ListSubnetsByTags" },
  }),
  ...v2TagOperations({
    segment: "security-groups",
    param: "security_group_id",
    kind: { target: { table: "vpc_security_groups" }, notFound: vpcErrors.securityGroupNotFound, ...V2 },
    names: {
      create: "CreateSecurityGroupTag",
      batch: "BatchCreateSecurityGroupTags",
      remove: "DeleteSecurityGroupTag",
      show: "ShowSecurityGroupTags",
      list: "ListSecurityGroupTags",
      byTags: "ListSecurityGroupsByTags",
    },
  }),
];
