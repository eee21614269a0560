// v3 port and rule extras: insert/remove a port's security groups (answering the v3 port), batch creation
// of a group's rules (ignore_duplicate, dry_run), and neutron's network IP availability of a VPC subnet.
import { z } from "../../../kernel/zod.ts";
import { isoSeconds } from "../../../kernel/time.ts";
import { ApiError } from "../../../kernel/api-error.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { Description, dryRun, envOf, requireProject, vpcOperation, type VpcContext } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { allocatableRange, parseCidr } from "../ip.ts";
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { requirePort, updatePort } from "../model/ports.ts";
import { createRule, requireGroup } from "../model/security.ts";
import type { PortRow, RuleRow } from "../store/index.ts";
import { portStatus } from "../views.ts";
import { ruleV3 } from "../views-v3.ts";

const MAX_PORT_GROUPS = 10;

function portV3(ctx: HandlerContext<VpcContext, unknown>, p: PortRow) {
  const subnet = ctx.svc.store.networks.subnet(p.project_id, p.subnet_id);
  return {
    id: p.id,
    name: p.name,
    description: "",
    admin_state_up: p.admin_state_up,
    device_id: p.device_id,
    device_owner: p.device_owner,
    mac_address: p.mac_address,
    private_ips: [{ subnet_id: subnet?.neutron_subnet_id ?? "", ip_address: p.ip_address }],
    security_groups: p.security_groups,
    status: portStatus(p),
    project_id: p.project_id,
    tenant_id: p.project_id,
    virsubnet_id: p.subnet_id,
    vpc_id: subnet?.vpc_id ?? "",
    vpc_tenant_id: p.project_id,
    allowed_address_pairs: p.allowed_address_pairs,
    extra_dhcp_opts: p.extra_dhcp_opts,
    port_security_enabled: true,
    instance_id: "",
    instance_type: "",
    scope: "center",
    zone_id: subnet?.availability_zone ?? "",
    enable_efi: false,
    "binding:vnic_type": "normal",
    "binding:profile": {},
    "binding:vif_details": {},
    tags: (ctx.svc.store.tags.tags({ table: "vpc_ports" }, p.project_id, p.id) ?? []).map((t) => `${t.key}=${t.value}`),
    created_at: isoSeconds(p.created_at),
    updated_at: isoSeconds(p.updated_at),
  };
}

const GroupIds = z.array(z.string().min(1).max(64)).min(1).max(MAX_PORT_GROUPS);

export const addSecurityGroups = vpcOperation({
  name: "AddSecurityGroups",
  method: "PUT",
  path: "/v3/{project_id}/ports/{port_id}/insert-security-groups",
  errorShape: "nested",
  body: z.object({ port: z.object({ security_groups: GroupIds, index: z.number().int().min(1).optional() }) }),
  handle(ctx) {
    const env = envOf(ctx);
    const project = requireProject(ctx.scope);
    const b = ctx.input.body.port;
    const port = env.store.tx(() => {
      const p = requirePort(env, project.projectId, ctx.input.path.port_id!);
      for (const g of b.security_groups) requireGroup(env, project.projectId, g);
      const kept = p.security_groups.filter((g) => !b.security_groups.includes(g));
      const at = Math.min(b.index === undefined ? kept.length : b.index - 1, kept.length);
      const next = [...kept.slice(0, at), ...b.security_groups, ...kept.slice(at)];
      if (next.length > MAX_PORT_GROUPS) throw vpcErrors.invalidParameter(`A port holds at most ${MAX_PORT_GROUPS} security groups.`);
      return updatePort(env, project.projectId, p.id, { securityGroups: next });
    });
    return { body: { request_id: ctx.request.requestId, port: portV3(ctx, port) } };
  },
});

export const removeSecurityGroups = vpcOperation({
  name: "RemoveSecurityGroups",
  method: "PUT",
  path: "/v3/{project_id}/ports/{port_id}/remove-security-groups",
  errorShape: "nested",
  body: z.object({ port: z.object({ security_groups: GroupIds }) }),
  handle(ctx) {
    const env = envOf(ctx);
    const project = requireProject(ctx.scope);
    const gone = ctx.input.body.port.security_groups;
    const port = env.store.tx(() => {
      const p = requirePort(env, project.projectId, ctx.input.path.port_id!);
      for (const g of gone) if (!p.security_groups.includes(g)) throw vpcErrors.invalidParameter(`The security group ${g} is not bound to port ${p.id}.`);
      return updatePort(env, project.projectId, p.id, { securityGroups: p.security_groups.filter((g) => !gone.includes(g)) });
    });
    return { body: { request_id: ctx.request.requestId, port: portV3(ctx, port) } };
  },
});

const Priority = z
  .union([z.number(), z.string().regex(/^[0-9]{1,3}$/).transform(Number)])
  .pipe(z.number().int().min(1).max(100));

export const batchCreateSecurityGroupRules = vpcOperation({
  name: "BatchCreateSecurityGroupRules",
  method: "POST",
  path: "/v3/{project_id}/vpc/security-groups/{security_group_id}/security-group-rules/batch-create",
  errorShape: "nested",
  body: z.object({
    dry_run: z.boolean().optional(),
    ignore_duplicate: z.boolean().optional(),
    security_group_rules: z
      .array(
        z.object({
          description: Description.optional(),
          direction: z.enum(["ingress", "egress"]),
          ethertype: z.enum(["IPv4", "IPv6"]).optional(),
          protocol: z.string().max(16).optional(),
          multiport: z.string().max(512).optional(),
          remote_ip_prefix: z.string().max(64).optional(),
          remote_group_id: z.string().max(64).optional(),
          remote_address_group_id: z.string().max(64).optional(),
          action: z.enum(["allow", "deny"]).optional(),
          priority: Priority.optional(),
          enabled: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(1000),
  }),
  handle(ctx) {
    const env = envOf(ctx);
    const project = requireProject(ctx.scope);
    const groupId = ctx.input.path.security_group_id!;
    const b = ctx.input.body;
    const create = () => {
      requireGroup(env, project.projectId, groupId);
      const made: RuleRow[] = [];
      for (const r of b.security_group_rules) {
        try {
          made.push(
            createRule(env, project, {
              securityGroupId: groupId,
              description: r.description,
              direction: r.direction,
              ethertype: r.ethertype,
              protocol: r.protocol,
              multiport: r.multiport,
              remoteIpPrefix: r.remote_ip_prefix,
              remoteGroupId: r.remote_group_id,
              remoteAddressGroupId: r.remote_address_group_id,
              action: r.action,
              priority: r.priority,
              enabled: r.enabled,
            }),
          );
        } catch (e) {
          // A rule the group already has is skipped when the caller asks (ignore_duplicate).
          if (!(b.ignore_duplicate && e instanceof ApiError && e.status === 409 && e.message === vpcErrors.ruleExists().message)) throw e;
        }
      }
      return made;
    };
    if (b.dry_run) {
      dryRun(env.store, () => void create());
      return { status: 202, body: { request_id: ctx.request.requestId } };
    }
    const rules = env.store.tx(create);
    return { status: 201, body: { request_id: ctx.request.requestId, security_group_rules: rules.map(ruleV3) } };
  },
});

export const showNetworkIpAvailabilities = neutronOperation({
  name: "ShowNetworkIpAvailabilities",
  method: "GET",
  path: "/v2.0/network-ip-availabilities/{network_id}",
  handle(ctx) {
    const project = requireProject(ctx.scope);
    const id = ctx.input.path.network_id!;
    const s = ctx.svc.store.networks.subnet(project.projectId, id);
    if (!s) throw neutronErrors.networkNotFound(id);
    const range = allocatableRange(parseCidr(s.cidr)!);
    // The gateway sits inside the allocatable range and is never handed out.
    const total = range.hi - range.lo + 1 - 1;
    const used = ctx.svc.store.networks.portsInSubnet(s.id);
    return {
      body: {
        network_ip_availability: {
          network_id: s.id,
          network_name: s.name,
          tenant_id: s.project_id,
          project_id: s.project_id,
          total_ips: total,
          used_ips: used,
          subnet_ip_availability: [{ subnet_id: s.neutron_subnet_id, subnet_name: s.name, ip_version: 4, cidr: s.cidr, total_ips: total, used_ips: used }],
        },
      },
    };
  },
});

export const portOperationsV3 = [addSecurityGroups, removeSecurityGroups, batchCreateSecurityGroupRules, showNetworkIpAvailabilities];
