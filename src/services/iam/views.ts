// Row → wire JSON: the only place that spells IAM's response fields (reference §2 and sdk-wire-facts §4).
import { isoMicros } from "../../kernel/time.ts";
import type { RegionInfo } from "../../kernel/regions.ts";
import type { RoleRecord } from "./catalog-data.ts";
import type { CredentialRow, DomainRow, GroupRow, ProjectRow, UserRow } from "./store.ts";

/** Link base for Keystone "links" objects: IAM as the caller reached hwlocal. */
export type LinkBase = string;

export function keystoneUser(u: UserRow, base: LinkBase) {
  return {
    id: u.id,
    name: u.name,
    domain_id: u.domain_id,
    enabled: u.enabled,
    description: u.description,
    password_expires_at: null,
    pwd_status: u.pwd_status,
    last_project_id: null,
    links: { self: `${base}/v3/users/${u.id}` },
  };
}

/** The /v3.0/OS-USER/users shape. */
export function osUser(u: UserRow, base: LinkBase, domainName: string) {
  return {
    id: u.id,
    name: u.name,
    domain_id: u.domain_id,
    enabled: u.enabled,
    description: u.description,
    email: u.email ?? "",
    areacode: u.areacode ?? "",
    phone: u.phone ?? "",
    access_mode: u.access_mode,
    pwd_status: u.pwd_status,
    pwd_strength: "Strong",
    is_domain_owner: false,
    xuser_id: "",
    xuser_type: "",
    create_time: isoMicros(u.created_at).replace("T", " ").slice(0, 26),
    update_time: isoMicros(u.updated_at).replace("T", " ").slice(0, 26),
    last_login_time: u.last_login_at === null ? null : isoMicros(u.last_login_at).replace("T", " ").slice(0, 26),
    password_expires_at: null,
    domain_name: domainName,
    links: { self: `${base}/v3.0/OS-USER/users/${u.id}`, previous: null, next: null },
  };
}

export function group(g: GroupRow, base: LinkBase) {
  return {
    id: g.id,
    name: g.name,
    domain_id: g.domain_id,
    description: g.description,
    create_time: g.created_at,
    links: { self: `${base}/v3/groups/${g.id}` },
  };
}

export function project(p: ProjectRow, base: LinkBase) {
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domain_id,
    parent_id: p.parent_id,
    description: p.description,
    enabled: p.enabled,
    is_domain: false,
    links: { self: `${base}/v3/projects/${p.id}` },
  };
}

export function domain(d: DomainRow, base: LinkBase) {
  return { id: d.id, name: d.name, enabled: true, description: "", links: { self: `${base}/v3/domains/${d.id}` } };
}

export function region(r: RegionInfo, base: LinkBase) {
  return {
    id: r.id,
    type: "public",
    description: "",
    parent_region_id: null,
    locales: { "zh-cn": r.zh, "en-us": r.en, "pt-br": r.en, "es-us": r.en, "es-es": r.en },
    links: { self: `${base}/v3/regions/${r.id}` },
  };
}

export function role(r: RoleRecord, base: LinkBase) {
  return {
    id: r.id,
    name: r.name,
    display_name: r.display_name,
    type: r.type,
    catalog: r.catalog,
    flag: r.flag,
    description: r.description,
    description_cn: r.description_cn,
    domain_id: r.domain_id,
    policy: r.policy,
    ...(r.created_at !== undefined ? { created_time: String(r.created_at) } : {}),
    ...(r.updated_at !== undefined ? { updated_time: String(r.updated_at) } : {}),
    links: { self: `${base}/v3/roles/${r.id}` },
  };
}

export function permanentCredential(c: CredentialRow, withSecret: boolean, withLastUse: boolean) {
  return {
    user_id: c.user_id,
    access: c.access,
    ...(withSecret ? { secret: c.secret } : {}),
    status: c.status,
    description: c.description,
    create_time: isoMicros(c.created_at),
    ...(withLastUse ? { last_use_time: c.last_use_at === null ? "" : isoMicros(c.last_use_at) } : {}),
  };
}

/** Keystone "links" for a list: hwlocal answers every list in one page. */
export function listLinks(self: string) {
  return { self, previous: null, next: null };
}
