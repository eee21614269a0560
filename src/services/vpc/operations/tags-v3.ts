// Tags of ports, v3 firewalls and clouddcn subnets through the v3 tag APIs (/v3/{project_id}/<resources>/…,
// nested errors, request_id in bodies): create one, batch create (tags/create) and delete (tags/delete),
// delete one, show a resource's, list the project's keys, filter (limit/offset in the query) and count
// resources by tags.
import { z } from "../../../kernel/zod.ts";
import { Digits, envOf, requireProject, vpcOperation } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { addTags, deleteTag, projectTags, removeTags, requireTags, resourceView, selectByTags, type TagKind } from "../model/tags.ts";

const TagBody = z.object({ key: z.string().max(1024), value: z.string().max(1024).optional() });
const TagFilters = z.array(z.object({ key: z.string().max(1024), values: z.array(z.string().max(1024)).max(50) })).max(50).optional();
const ByTagsBody = z.object({
  tags: TagFilters,
  tags_any: TagFilters,
  not_tags: TagFilters,
  not_tags_any: TagFilters,
  matches: z.array(z.object({ key: z.string().max(64), value: z.string().max(255) })).max(10).optional(),
});
const Paging = z.object({
  limit: Digits.transform(Number).pipe(z.number().int().min(1).max(1000)).optional(),
  offset: Digits.transform(Number).optional(),
});

interface V3TagResource {
  /** Path segment: ports, firewalls, clouddcn-subnets. */
  segment: string;
  param: string;
  kind: TagKind;
  names: { create: string; batchCreate: string; batchDelete: string; remove: string; show: string; list: string; filter: string; count: string };
}

function v3TagOperations(r: V3TagResource) {
  const base = `/v3/{project_id}/${r.segment}`;
  const one = `${base}/{${r.param}}/tags`;
  const op = vpcOperation;
  return [
    op({
      name: r.names.create,
      method: "POST",
      path: one,
      errorShape: "nested",
      body: z.object({ tag: TagBody }),
      handle(ctx) {
        const t = ctx.input.body.tag;
        addTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!, [{ key: t.key, value: t.value ?? "" }]);
        return { status: 204 };
      },
    }),
    op({
      name: r.names.batchCreate,
      method: "POST",
      path: `${one}/create`,
      errorShape: "nested",
      body: z.object({ tags: z.array(TagBody).max(50) }),
      handle(ctx) {
        const tags = ctx.input.body.tags.map((t) => ({ key: t.key, value: t.value ?? "" }));
        addTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!, tags);
        return { status: 204 };
      },
    }),
    op({
      name: r.names.batchDelete,
      method: "POST",
      path: `${one}/delete`,
      errorShape: "nested",
      body: z.object({ tags: z.array(TagBody).max(50) }),
      handle(ctx) {
        removeTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!, ctx.input.body.tags);
        return { status: 204 };
      },
    }),
    op({
      name: r.names.remove,
      method: "DELETE",
      path: `${one}/{tag_key}`,
      errorShape: "nested",
      handle(ctx) {
        deleteTag(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!, ctx.input.path.tag_key!);
        return { status: 204 };
      },
    }),
    op({
      name: r.names.show,
      method: "GET",
      path: one,
      errorShape: "nested",
      handle(ctx) {
        const tags = requireTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.path[r.param]!);
        return { body: { request_id: ctx.request.requestId, tags } };
      },
    }),
    op({
      name: r.names.list,
      method: "GET",
      path: `${base}/tags`,
      errorShape: "nested",
      handle(ctx) {
        const tags = projectTags(envOf(ctx), requireProject(ctx.scope), r.kind);
        return { body: { request_id: ctx.request.requestId, tags, total_count: tags.length } };
      },
    }),
    op({
      name: r.names.filter,
      method: "POST",
      path: `${base}/resource-instances/filter`,
      errorShape: "nested",
      query: Paging,
      body: ByTagsBody,
      handle(ctx) {
        const found = selectByTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.body);
        const offset = ctx.input.query.offset ?? 0;
        const page = found.slice(offset, offset + (ctx.input.query.limit ?? 1000));
        return { body: { request_id: ctx.request.requestId, resources: page.map(resourceView), total_count: found.length } };
      },
    }),
    op({
      name: r.names.count,
      method: "POST",
      path: `${base}/resource-instances/count`,
      errorShape: "nested",
      body: ByTagsBody,
      handle(ctx) {
        const found = selectByTags(envOf(ctx), requireProject(ctx.scope), r.kind, ctx.input.body);
        return { body: { request_id: ctx.request.requestId, total_count: found.length } };
      },
    }),
  ];
}

const V3 = { keyMax: 128, valueMax: 255 };

export const tagOperationsV3 = [
  ...v3TagOperations({
    segment: "ports",
    param: "port_id",
    kind: { target: { table: "vpc_ports" }, notFound: vpcErrors.portNotFound, ...V3 },
    names: {
      create: "CreatePortTag",
      batchCreate: "BatchCreatePortTags",
      batchDelete: "BatchDeletePortTags",
      remove: "DeletePortTag",
      show: "ShowPortTags",
      list: "ListPortTags",
      filter: "ListPortsByTags",
      count: "CountPortsByTags",
    },
  }),
  ...v3TagOperations({
    segment: "firewalls",
    param: "firewall_id",
    kind: { target: { table: "vpc_documents", kind: "firewall" }, notFound: (id) => vpcErrors.resourceNotFound("firewall", id), ...V3 },
    names: {
      create: "CreateFirewallTag",
      batchCreate: "BatchCreateFirewallTags",
      batchDelete: "BatchDeleteFirewallTags",
      remove: "DeleteFirewallTag",
      show: "ShowFirewallTags",
      list: "ListFirewallTags",
      filter: "ListFirewallsByTags",
      count: "CountFirewallsByTags",
    },
  }),
  ...v3TagOperations({
    segment: "clouddcn-subnets",
    param: "resource_id",
    kind: { target: { table: "vpc_documents", kind: "clouddcn" }, notFound: (id) => vpcErrors.resourceNotFound("clouddcn subnet", id), ...V3 },
    names: {
      create: "AddClouddcnSubnetsTags",
      batchCreate: "BatchCreateClouddcnSubnetsTags",
      batchDelete: "BatchDeleteClouddcnSubnetsTags",
      remove: "DeleteClouddcnSubnetsTag",
      show: "ShowClouddcnSubnetsTags",
      list: "ListClouddcnSubnetsTags",
      filter: "ListClouddcnSubnetsFilterTags",
      count: "ListClouddcnSubnetsCountFilterTags",
    },
  }),
];
