// IP groups (/elb/ipgroups): lists of addresses or CIDR blocks that listeners use as white or black lists
// (a listener's ipgroup). UpdateIpList adds or re-describes entries, BatchDeleteIpList removes them;
// ShowIpGroupRelatedListeners lists the listeners using the group; deleting a group in use is refused.
import { isIP } from "node:net";
import { isoSeconds } from "../../../kernel/time.ts";
import { z } from "../../../kernel/zod.ts";
import { elbOperation, filtered, listQuery, page, requireScope, V3, type ElbContext } from "../context.ts";
import { elbErrors } from "../errors.ts";
import { QUOTA, type IpGroupDoc } from "../model.ts";
import type { DocRow } from "../store/docs.ts";

const entry = z.object({ ip: z.string().min(1).max(64), description: z.string().max(255).optional() });

const createBody = z.object({
  ipgroup: z.object({ name: z.string().max(255).optional(), description: z.string().max(255).optional(), ip_list: z.array(entry).max(300), enterprise_project_id: z.string().optional() }),
});
const updateBody = z.object({ ipgroup: z.object({ name: z.string().max(255).optional(), description: z.string().max(255).optional(), ip_list: z.array(entry).max(300).optional() }) });
const listBody = z.object({ ipgroup: z.object({ ip_list: z.array(entry).min(1).max(300) }) });
const deleteListBody = z.object({ ipgroup: z.object({ ip_list: z.array(z.object({ ip: z.string() })).min(1).max(300) }) });

function checkIp(ip: string): void {
  const [addr, bits, extra] = ip.split("/");
  const v = isIP(addr ?? "");
  const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 6 ? 128 : 32));
  if (v === 0 || !okBits || extra !== undefined) throw elbErrors.invalid(`ip ${ip.slice(0, 64)} is not an IP address or CIDR block.`);
}

function merged(current: IpGroupDoc["ip_list"], add: z.output<typeof entry>[]): IpGroupDoc["ip_list"] {
  const map = new Map(current.map((e) => [e.ip, e.description]));
  for (const e of add) {
    checkIp(e.ip);
    map.set(e.ip, e.description ?? map.get(e.ip) ?? "");
  }
  if (map.size > 300) throw elbErrors.invalid("an IP group holds at most 300 entries.");
  return [...map].map(([ip, description]) => ({ ip, description }));
}

function users(svc: ElbContext, projectId: string, id: string) {
  return svc.store.listeners.list(projectId).filter((l) => l.doc.ipgroup?.ipgroup_id === id);
}

function view(svc: ElbContext, r: DocRow<IpGroupDoc>): Record<string, unknown> {
  const d = r.doc;
  return {
    id: r.id,
    project_id: r.projectId,
    name: d.name,
    description: d.description,
    ip_list: d.ip_list,
    listeners: users(svc, r.projectId, r.id).map((l) => ({ id: l.id })),
    enterprise_project_id: d.enterprise_project_id,
    created_at: isoSeconds(d.created_at),
    updated_at: isoSeconds(d.updated_at),
  };
}

function requireGroup(svc: ElbContext, projectId: string, id: string): DocRow<IpGroupDoc> {
  const g = svc.store.ipgroups.get(projectId, id);
  if (!g) throw elbErrors.notFound("Ipgroup", id);
  return g;
}

export const createIpGroup = elbOperation({
  name: "CreateIpGroup",
  method: "POST",
  path: `${V3}/ipgroups`,
  body: createBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const { svc } = ctx;
    const b = ctx.input.body.ipgroup;
    if (b.enterprise_project_id !== undefined && b.enterprise_project_id !== "0") throw elbErrors.invalid(`enterprise_project_id ${b.enterprise_project_id} does not exist.`);
    if (svc.store.ipgroups.count(projectId) >= QUOTA.ipgroup) throw elbErrors.quota("ipgroup");
    const now = ctx.clock.now();
    const doc: IpGroupDoc = { name: b.name ?? "", description: b.description ?? "", ip_list: merged([], b.ip_list), enterprise_project_id: "0", created_at: now, updated_at: now };
    const row = svc.store.ipgroups.insert({ id: ctx.ids.uuid(), projectId, lbId: null, parentId: null, doc });
    return { status: 201, body: { ipgroup: view(svc, row), request_id: ctx.request.requestId } };
  },
});

export const listIpGroups = elbOperation({
  name: "ListIpGroups",
  method: "GET",
  path: `${V3}/ipgroups`,
  query: listQuery,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const q = ctx.input.query;
    const rows = filtered(ctx.svc.store.ipgroups.list(projectId), q, {
      id: (r) => r.id,
      name: (r) => r.doc.name,
      description: (r) => r.doc.description,
      ip_list: (r) => r.doc.ip_list.map((e) => e.ip),
    });
    const p = page(rows, q);
    return { body: { ipgroups: p.items.map((r) => view(ctx.svc, r)), page_info: p.page_info, request_id: ctx.request.requestId } };
  },
});

export const showIpGroup = elbOperation({
  name: "ShowIpGroup",
  method: "GET",
  path: `${V3}/ipgroups/{ipgroup_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    return { body: { ipgroup: view(ctx.svc, requireGroup(ctx.svc, projectId, ctx.input.path.ipgroup_id ?? "")), request_id: ctx.request.requestId } };
  },
});

export const updateIpGroup = elbOperation({
  name: "UpdateIpGroup",
  method: "PUT",
  path: `${V3}/ipgroups/{ipgroup_id}`,
  body: updateBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.ipgroup_id ?? "");
    const b = ctx.input.body.ipgroup;
    if (b.ip_list !== undefined) g.doc.ip_list = merged([], b.ip_list);
    if (b.name !== undefined) g.doc.name = b.name;
    if (b.description !== undefined) g.doc.description = b.description;
    g.doc.updated_at = ctx.clock.now();
    ctx.svc.store.ipgroups.update(g);
    return { body: { ipgroup: view(ctx.svc, g), request_id: ctx.request.requestId } };
  },
});

export const updateIpList = elbOperation({
  name: "UpdateIpList",
  method: "POST",
  path: `${V3}/ipgroups/{ipgroup_id}/iplist/create-or-update`,
  body: listBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.ipgroup_id ?? "");
    g.doc.ip_list = merged(g.doc.ip_list, ctx.input.body.ipgroup.ip_list);
    g.doc.updated_at = ctx.clock.now();
    ctx.svc.store.ipgroups.update(g);
    return { body: { ipgroup: view(ctx.svc, g), request_id: ctx.request.requestId } };
  },
});

export const batchDeleteIpList = elbOperation({
  name: "BatchDeleteIpList",
  method: "POST",
  path: `${V3}/ipgroups/{ipgroup_id}/iplist/batch-delete`,
  body: deleteListBody,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.ipgroup_id ?? "");
    const drop = new Set(ctx.input.body.ipgroup.ip_list.map((e) => e.ip));
    g.doc.ip_list = g.doc.ip_list.filter((e) => !drop.has(e.ip));
    g.doc.updated_at = ctx.clock.now();
    ctx.svc.store.ipgroups.update(g);
    return { body: { ipgroup: view(ctx.svc, g), request_id: ctx.request.requestId } };
  },
});

export const showIpGroupRelatedListeners = elbOperation({
  name: "ShowIpGroupRelatedListeners",
  method: "GET",
  path: `${V3}/ipgroups/{ipgroup_id}/related-listeners`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.ipgroup_id ?? "");
    const listeners = users(ctx.svc, projectId, g.id).map((l) => ({ id: l.id, name: l.doc.name, protocol: l.doc.protocol, protocol_port: l.doc.protocol_port, loadbalancer_id: l.doc.loadbalancer_id }));
    return { body: { listeners, request_id: ctx.request.requestId } };
  },
});

export const deleteIpGroup = elbOperation({
  name: "DeleteIpGroup",
  method: "DELETE",
  path: `${V3}/ipgroups/{ipgroup_id}`,
  handle(ctx) {
    const { projectId } = requireScope(ctx.scope);
    const g = requireGroup(ctx.svc, projectId, ctx.input.path.ipgroup_id ?? "");
    const user = users(ctx.svc, projectId, g.id)[0];
    if (user) throw elbErrors.conflict(`Ipgroup ${g.id} is used by listener ${user.id}.`);
    ctx.svc.store.ipgroups.delete(projectId, g.id);
    return { status: 204 };
  },
});

export const ipGroupOperations = [createIpGroup, listIpGroups, showIpGroup, updateIpGroup, updateIpList, batchDeleteIpList, showIpGroupRelatedListeners, deleteIpGroup];
