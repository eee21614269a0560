// IP address groups (/v3/{project_id}/vpc/address-groups), kept as documents: a named set of IPv4 (or
// IPv6) addresses, CIDRs and ranges, at most max_capacity entries (default 20). A group that a v3 firewall
// rule or a security group rule (remote_address_group_id) names is in use: delete refuses it (409), the
// force delete removes those rules first.
import { z } from "../../../kernel/zod.ts";
import type { Env, ProjectScope } from "../context.ts";
import { vpcErrors } from "../errors.ts";
import { docsOf, isAddressEntry, requireDoc, type Doc } from "./documents.ts";
import { firewallsUsingAddressGroup, dropAddressGroupRules } from "./firewalls.ts";

export const AddressGroupDoc = z.object({
  name: z.string(),
  description: z.string(),
  ip_version: z.union([z.literal(4), z.literal(6)]),
  ip_set: z.array(z.string()),
  ip_extra_set: z.array(z.object({ ip: z.string(), remarks: z.string() })),
  max_capacity: z.number(),
  enterprise_project_id: z.string(),
});
export type AddressGroupDoc = z.infer<typeof AddressGroupDoc>;
export type AddressGroup = Doc<AddressGroupDoc>;

const MAX_GROUPS = 50;

export function addressGroups(env: Env, project: ProjectScope): AddressGroup[] {
  return docsOf(env, project, "addressgroup", AddressGroupDoc);
}

export function requireAddressGroup(env: Env, project: ProjectScope, id: string): AddressGroup {
  return requireDoc(env, project, "addressgroup", AddressGroupDoc, id, "address group");
}

/** ip_set and ip_extra_set merged (extra entries carry remarks), checked against the version and capacity. */
function entries(doc: AddressGroupDoc): AddressGroupDoc {
  const extra = doc.ip_extra_set.filter((e) => !doc.ip_set.includes(e.ip));
  const all = [...doc.ip_set, ...extra.map((e) => e.ip)];
  for (const ip of all) if (!isAddressEntry(ip, doc.ip_version)) throw vpcErrors.invalidParameter(`ip_set holds ${ip}, not an IPv${doc.ip_version} address, CIDR or range.`);
  if (new Set(all).size !== all.length) throw vpcErrors.invalidParameter("ip_set holds the same entry twice.");
  if (doc.max_capacity < 1 || doc.max_capacity > 20000) throw vpcErrors.invalidParameter("max_capacity must be 1-20000.");
  if (all.length > doc.max_capacity) throw vpcErrors.invalidParameter(`ip_set holds ${all.length} entries, more than max_capacity ${doc.max_capacity}.`);
  return { ...doc, ip_set: all };
}

function checkName(env: Env, project: ProjectScope, name: string, self?: string): void {
  if (addressGroups(env, project).some((g) => g.doc.name === name && g.row.id !== self)) {
    throw vpcErrors.invalidParameter(`An address group named ${name} already exists.`);
  }
}

export function createAddressGroup(env: Env, project: ProjectScope, input: AddressGroupDoc, tags: { key: string; value: string }[]): AddressGroup {
  const id = env.ids.uuid();
  env.store.tx(() => {
    checkName(env, project, input.name);
    if (env.store.documents.count(project.projectId, "addressgroup") >= MAX_GROUPS) throw vpcErrors.quota("address_group");
    env.store.documents.insert({ id, projectId: project.projectId, kind: "addressgroup", doc: entries(input), tags, now: env.clock.now() });
  });
  return requireAddressGroup(env, project, id);
}

export function updateAddressGroup(env: Env, project: ProjectScope, id: string, patch: Partial<AddressGroupDoc>): AddressGroup {
  env.store.tx(() => {
    const g = requireAddressGroup(env, project, id);
    if (patch.name !== undefined) checkName(env, project, patch.name, id);
    const replaced = patch.ip_set !== undefined || patch.ip_extra_set !== undefined;
    const doc: AddressGroupDoc = {
      ...g.doc,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      ...(replaced ? { ip_set: patch.ip_set ?? [], ip_extra_set: patch.ip_extra_set ?? [] } : {}),
    };
    env.store.documents.update(id, replaced || patch.max_capacity !== undefined ? entries(doc) : doc, env.clock.now());
  });
  return requireAddressGroup(env, project, id);
}

export function deleteAddressGroup(env: Env, project: ProjectScope, id: string, force: boolean): void {
  env.store.tx(() => {
    requireAddressGroup(env, project, id);
    const users = firewallsUsingAddressGroup(env, project, id);
    if (users.length > 0 && !force) throw vpcErrors.resourceInUse("address group", id, `Firewall ${users[0]} has rules naming it.`);
    const rules = env.store.security.rules(project.projectId, { remoteAddressGroupIds: [id] }, {});
    const sgRules = rules === "bad-marker" ? [] : rules;
    if (sgRules.length > 0 && !force) throw vpcErrors.resourceInUse("address group", id, `Security group rule ${sgRules[0]!.id} names it.`);
    if (force) {
      dropAddressGroupRules(env, project, id);
      for (const r of sgRules) env.store.security.deleteRule(r.id);
    }
    env.store.documents.delete(id);
  });
}
