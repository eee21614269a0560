// Sub-network interfaces (/v3/{project_id}/vpc/sub-network-interfaces): create (dry_run), batch create
// (count, VLANs chosen), list (filters, page_info), count, show, update, delete, migrate to another parent
// port. v3 conventions: request_id, nested errors, 201 on create.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { Description, Many, Marker, V3Limit, dryRun, envOf, pageInfo, pageOf, paged, requireProject, vpcOperation } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import type { Env, ProjectScope } from "../context.ts";
import {
  createSubInterface,
  deleteSubInterface,
  migrateSubInterfaces,
  requireSubInterface,
  subInterfaces,
  updateSubInterface,
  type SubInterface,
  type SubInterfaceInput,
} from "../model/sub-interfaces.ts";
import { pageList } from "../store/documents.ts";

function view(env: Env, s: SubInterface) {
  const p = s.port;
  const subnet = env.store.networks.subnet(p.project_id, p.subnet_id);
  const parent = env.store.ports.port(p.project_id, s.doc.doc.parent_id);
  return {
    id: p.id,
    virsubnet_id: p.subnet_id,
    private_ip_address: p.ip_address,
    ipv6_ip_address: "",
    mac_address: p.mac_address,
    parent_device_id: parent?.device_id ?? "",
    parent_id: s.doc.doc.parent_id,
    description: s.doc.doc.description,
    vpc_id: subnet?.vpc_id ?? "",
    vlan_id: s.doc.doc.vlan_id,
    security_groups: p.security_groups,
    tags: [],
    project_id: p.project_id,
    created_at: isoSeconds(s.doc.row.created_at),
    allowed_address_pairs: p.allowed_address_pairs,
    state: "ACTIVE",
    instance_id: "",
    instance_type: "",
    scope: "center",
    security_enabled: true,
  };
}

const Pairs = z.array(z.object({ ip_address: z.string().max(64), mac_address: z.string().max(32).optional() })).max(10);
const Groups = z.array(z.string().min(1).max(64)).max(10);
const Vlan = z.union([z.number().int(), z.string().regex(/^[0-9]{1,4}$/).transform(Number)]);

function ownProject(project: ProjectScope, given: string | undefined): void {
  if (given !== undefined && given !== project.projectId) throw vpcErrors.invalidParameter(`project_id ${given} is not the project of the request.`);
}

const base = "/v3/{project_id}/vpc/sub-network-interfaces";

export const subInterfaceOperations = [
  vpcOperation({
    name: "CreateSubNetworkInterface",
    method: "POST",
    path: base,
    errorShape: "nested",
    body: z.object({
      dry_run: z.boolean().optional(),
      sub_network_interface: z.object({
        virsubnet_id: z.string().min(1).max(64),
        parent_id: z.string().min(1).max(64),
        vlan_id: Vlan.optional(),
        description: Description.optional(),
        ipv6_enable: z.literal(false).optional(),
        private_ip_address: z.string().max(64).optional(),
        security_groups: Groups.optional(),
        project_id: z.string().max(64).optional(),
        allowed_address_pairs: Pairs.optional(),
      }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const b = ctx.input.body.sub_network_interface;
      ownProject(project, b.project_id);
      const input: SubInterfaceInput = {
        subnetId: b.virsubnet_id,
        parentId: b.parent_id,
        vlanId: b.vlan_id,
        ipAddress: b.private_ip_address,
        securityGroups: b.security_groups,
        description: b.description ?? "",
        allowedAddressPairs: b.allowed_address_pairs,
      };
      if (ctx.input.body.dry_run) {
        dryRun(env.store, () => void createSubInterface(env, project, input));
        return { status: 202, body: { request_id: ctx.request.requestId } };
      }
      return { status: 201, body: { request_id: ctx.request.requestId, sub_network_interface: view(env, createSubInterface(env, project, input)) } };
    },
  }),
  vpcOperation({
    name: "BatchCreateSubNetworkInterface",
    method: "POST",
    path: `${base}/batch-create`,
    errorShape: "nested",
    body: z.object({
      dry_run: z.boolean().optional(),
      count: z.number().int().min(1).max(10),
      sub_network_interface: z.object({
        virsubnet_id: z.string().min(1).max(64),
        parent_id: z.string().min(1).max(64),
        description: Description.optional(),
        ipv6_enable: z.literal(false).optional(),
        security_groups: Groups.optional(),
        project_id: z.string().max(64).optional(),
        allowed_address_pairs: Pairs.optional(),
      }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const b = ctx.input.body.sub_network_interface;
      ownProject(project, b.project_id);
      const input: SubInterfaceInput = {
        subnetId: b.virsubnet_id,
        parentId: b.parent_id,
        securityGroups: b.security_groups,
        description: b.description ?? "",
        allowedAddressPairs: b.allowed_address_pairs,
      };
      const create = () => env.store.tx(() => Array.from({ length: ctx.input.body.count }, () => createSubInterface(env, project, input)));
      if (ctx.input.body.dry_run) {
        dryRun(env.store, () => void create());
        return { status: 202, body: { request_id: ctx.request.requestId } };
      }
      return { status: 201, body: { request_id: ctx.request.requestId, sub_network_interfaces: create().map((s) => view(env, s)) } };
    },
  }),
  vpcOperation({
    name: "ListSubNetworkInterfaces",
    method: "GET",
    path: base,
    errorShape: "nested",
    query: z.object({
      limit: V3Limit.optional(),
      marker: Marker.optional(),
      id: Many.optional(),
      virsubnet_id: Many.optional(),
      private_ip_address: Many.optional(),
      mac_address: Many.optional(),
      vpc_id: Many.optional(),
      description: Many.optional(),
      parent_id: Many.optional(),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const q = ctx.input.query;
      const keys = ["id", "virsubnet_id", "private_ip_address", "mac_address", "vpc_id", "description", "parent_id"] as const;
      const items = subInterfaces(env, requireProject(ctx.scope))
        .map((s) => view(env, s))
        .filter((s) => keys.every((k) => !q[k] || q[k].includes(s[k])));
      const page = paged(pageList(items, pageOf(q)), q.marker);
      return { body: { request_id: ctx.request.requestId, sub_network_interfaces: page, page_info: pageInfo(page, q.limit) } };
    },
  }),
  vpcOperation({
    name: "ShowSubNetworkInterfacesQuantity",
    method: "GET",
    path: `${base}/count`,
    errorShape: "nested",
    handle(ctx) {
      return { body: { request_id: ctx.request.requestId, sub_network_interfaces: subInterfaces(envOf(ctx), requireProject(ctx.scope)).length } };
    },
  }),
  vpcOperation({
    name: "ShowSubNetworkInterface",
    method: "GET",
    path: `${base}/{sub_network_interface_id}`,
    errorShape: "nested",
    handle(ctx) {
      const env = envOf(ctx);
      const s = requireSubInterface(env, requireProject(ctx.scope), ctx.input.path.sub_network_interface_id!);
      return { body: { request_id: ctx.request.requestId, sub_network_interface: view(env, s) } };
    },
  }),
  vpcOperation({
    name: "UpdateSubNetworkInterface",
    method: "PUT",
    path: `${base}/{sub_network_interface_id}`,
    errorShape: "nested",
    body: z.object({
      dry_run: z.boolean().optional(),
      sub_network_interface: z.object({ description: Description.optional(), security_groups: Groups.optional(), allowed_address_pairs: Pairs.optional() }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const b = ctx.input.body.sub_network_interface;
      const update = () =>
        updateSubInterface(env, project, ctx.input.path.sub_network_interface_id!, {
          description: b.description,
          securityGroups: b.security_groups,
          allowedAddressPairs: b.allowed_address_pairs,
        });
      if (ctx.input.body.dry_run) {
        dryRun(env.store, () => void update());
        return { status: 202, body: { request_id: ctx.request.requestId } };
      }
      return { body: { request_id: ctx.request.requestId, sub_network_interface: view(env, update()) } };
    },
  }),
  vpcOperation({
    name: "DeleteSubNetworkInterface",
    method: "DELETE",
    path: `${base}/{sub_network_interface_id}`,
    errorShape: "nested",
    handle(ctx) {
      deleteSubInterface(envOf(ctx), requireProject(ctx.scope), ctx.input.path.sub_network_interface_id!);
      return { status: 204 };
    },
  }),
  vpcOperation({
    name: "MigrateSubNetworkInterface",
    method: "PUT",
    path: `${base}/migrate`,
    errorShape: "nested",
    body: z.object({
      dry_run: z.boolean().optional(),
      migration_info: z.object({ parent_id: z.string().min(1).max(64), sub_network_interfaces: z.array(z.object({ id: z.string().min(1).max(64) })).min(1).max(100) }),
    }),
    handle(ctx) {
      const env = envOf(ctx);
      const project = requireProject(ctx.scope);
      const m = ctx.input.body.migration_info;
      const migrate = () => migrateSubInterfaces(env, project, m.parent_id, m.sub_network_interfaces.map((s) => s.id));
      if (ctx.input.body.dry_run) {
        dryRun(env.store, () => void migrate());
        return { status: 202, body: { request_id: ctx.request.requestId } };
      }
      return { body: { request_id: ctx.request.requestId, sub_network_interfaces: migrate().map((s) => view(env, s)) } };
    },
  }),
];
