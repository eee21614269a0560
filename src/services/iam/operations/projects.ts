// Projects, regions, domains and the Keystone version documents: what SDKs and Keystone clients call on
// their own to discover the project id of a region (sdk-wire-facts §2.4).
import { z } from "../../../kernel/zod.ts";
import { findRegion, REGIONS, regionOfProjectName } from "../../../kernel/regions.ts";
import {
  iamOperation,
  projectInDomain,
  requireOwnDomain,
  requireScope,
  requireSelfOrAdmin,
  userInDomain,
  type IamContext,
} from "../context.ts";
import { agencyGrantsFor } from "../assume-role.ts";
import { federatedProjectIds } from "../roles.ts";
import { iamErrors } from "../errors.ts";
import * as views from "../views.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import type { ProjectRow } from "../store.ts";

const Bool = z.enum(["true", "false"]).transform((v) => v === "true");

const ListProjectsQuery = z.object({
  domain_id: z.string().optional(),
  name: z.string().optional(),
  parent_id: z.string().optional(),
  enabled: Bool.optional(),
  is_domain: Bool.optional(),
  page: z.coerce.number().int().min(1).optional(),
  per_page: z.coerce.number().int().min(1).max(5000).optional(),
});

function pageLinks(ctx: HandlerContext<IamContext, unknown>, path: string) {
  return views.listLinks(`${ctx.request.serviceBase}${path}`);
}

function projectList(ctx: HandlerContext<IamContext, unknown>, projects: ProjectRow[], path: string) {
  return { body: { projects: projects.map((p) => views.project(p, ctx.request.serviceBase)), links: pageLinks(ctx, path) } };
}

function paged<T>(items: T[], page = 1, perPage?: number): T[] {
  if (!perPage) return items;
  return items.slice((page - 1) * perPage, page * perPage);
}

/** Projects the caller may use: all of the domain's for an administrator, else those granted to its groups. */
function accessibleProjects(ctx: HandlerContext<IamContext, unknown>, userId: string, isAdmin: boolean): ProjectRow[] {
  const { store } = ctx.svc;
  const user = store.user(userId)!;
  const all = store.projects(user.domain_id);
  if (isAdmin) return all;
  return all.filter((p) => store.grantsOfUser(userId, "project", p.id).length > 0);
}

export const keystoneListProjects = iamOperation({
  name: "KeystoneListProjects",
  method: "GET",
  path: "/v3/projects",
  query: ListProjectsQuery,
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const q = ctx.input.query;
    requireOwnDomain(scope, q.domain_id);
    // Huawei lists region projects with is_domain=false; asking for domains gives none. A name is unique in
    // a domain, and the SDKs' project discovery asks by name on every new client: use the index.
    const { store } = ctx.svc;
    if (q.name !== undefined && Object.keys(q).length === 1) {
      // The SDKs' project discovery (?name=<region>) on every new client: the answer is kept as JSON text
      // until IAM changes (store.cached is bound to the store's generation).
      const name = q.name;
      const json = store.cached(`projects-json:${scope.domainId}:${name}:${ctx.request.serviceBase}`, () => {
        const p = store.projectByName(scope.domainId, name);
        return JSON.stringify(projectList(ctx, p ? [p] : [], "/v3/projects").body);
      });
      return { json };
    }
    const candidates =
      q.name === undefined
        ? store.projects(scope.domainId)
        : store.cached(`projects:${scope.domainId}:${q.name}`, () =>
            [store.projectByName(scope.domainId, q.name!)].filter((p) => p !== undefined),
          );
    const projects = candidates.filter(
        (p) =>
          (q.name === undefined || p.name === q.name) &&
          (q.parent_id === undefined || p.parent_id === q.parent_id) &&
          (q.enabled === undefined || p.enabled === q.enabled) &&
          q.is_domain !== true,
      );
    return projectList(ctx, paged(projects, q.page, q.per_page), "/v3/projects");
  },
});

export const keystoneListAuthProjects = iamOperation({
  name: "KeystoneListAuthProjects",
  method: "GET",
  path: "/v3/auth/projects",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { agency, federation } = scope.principal;
    // A credential acting by an agency: the delegating domain's projects the agency holds a grant in; a
    // federated user's: those where the groups its identity provider's mapping gave it hold one.
    const reachable = federation && federatedProjectIds(ctx.svc.store, scope.domainId, federation.groupIds);
    const projects = agency
      ? ctx.svc.store.projects(scope.domainId).filter((p) => agencyGrantsFor(ctx.svc.store, agency.id, p).length > 0)
      : reachable
        ? ctx.svc.store.projects(scope.domainId).filter((p) => reachable.has(p.id))
        : accessibleProjects(ctx, scope.principal.userId, scope.principal.isAdmin);
    return projectList(ctx, projects, "/v3/auth/projects");
  },
});

export const keystoneListProjectsForUser = iamOperation({
  name: "KeystoneListProjectsForUser",
  method: "GET",
  path: "/v3/users/{user_id}/projects",
  handle(ctx) {
    const userId = ctx.input.path.user_id!;
    const user = userInDomain(ctx.svc.store, requireSelfOrAdmin(ctx.scope, userId), userId);
    return projectList(ctx, accessibleProjects(ctx, user.id, ctx.svc.store.isAdmin(user.id)), `/v3/users/${user.id}/projects`);
  },
});

export const keystoneListAuthDomains = iamOperation({
  name: "KeystoneListAuthDomains",
  method: "GET",
  path: "/v3/auth/domains",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const d = ctx.svc.store.domain(scope.domainId)!;
    return { body: { domains: [views.domain(d, ctx.request.serviceBase)], links: pageLinks(ctx, "/v3/auth/domains") } };
  },
});

export const keystoneShowProject = iamOperation({
  name: "KeystoneShowProject",
  method: "GET",
  path: "/v3/projects/{project_id}",
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const p = projectInDomain(ctx.svc.store, scope, ctx.input.path.project_id!);
    return { body: { project: views.project(p, ctx.request.serviceBase) } };
  },
});

export const keystoneCreateProject = iamOperation({
  name: "KeystoneCreateProject",
  method: "POST",
  path: "/v3/projects",
  adminOnly: true,
  body: z.object({
    project: z.object({
      name: z.string().min(1).max(64),
      parent_id: z.string().optional(),
      domain_id: z.string().optional(),
      description: z.string().max(255).optional(),
    }),
  }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const b = ctx.input.body.project;
    requireOwnDomain(scope, b.domain_id);
    const region = regionOfProjectName(b.name);
    if (!region || !/^[a-z0-9-]+(_[A-Za-z0-9-]+)?$/.test(b.name)) throw iamErrors.projectNameInvalid(b.name);
    // Sub-projects hang under their region's project; region projects under the domain.
    const parentId = b.parent_id ?? (b.name === region.id ? scope.domainId : store.projectByName(scope.domainId, region.id)?.id);
    if (parentId !== scope.domainId) {
      const parent = parentId ? store.project(parentId) : undefined;
      if (!parent || parent.domain_id !== scope.domainId) throw iamErrors.invalidField("parent_id", parentId ?? "");
      if (parent.region !== region.id) throw iamErrors.invalidField("parent_id", parentId ?? "");
    }
    if (store.projectByName(scope.domainId, b.name)) throw iamErrors.conflict("project", `project name ${b.name} is used`);
    const row: ProjectRow = {
      id: ctx.ids.hex32(),
      domain_id: scope.domainId,
      name: b.name,
      parent_id: parentId!,
      description: b.description ?? "",
      enabled: true,
      region: region.id,
      created_at: ctx.clock.now(),
    };
    store.insertProject(row);
    return { status: 201, body: { project: views.project(row, ctx.request.serviceBase) } };
  },
});

export const keystoneUpdateProject = iamOperation({
  name: "KeystoneUpdateProject",
  method: "PATCH",
  path: "/v3/projects/{project_id}",
  adminOnly: true,
  body: z.object({
    project: z.object({ name: z.string().min(1).max(64).optional(), description: z.string().max(255).optional() }),
  }),
  handle(ctx) {
    const scope = requireScope(ctx.scope);
    const { store } = ctx.svc;
    const p = projectInDomain(store, scope, ctx.input.path.project_id!);
    const b = ctx.input.body.project;
    const name = b.name ?? p.name;
    if (name !== p.name) {
      // Only sub-projects may be renamed, and only within their region.
      if (p.name === p.region || regionOfProjectName(name)?.id !== p.region) throw iamErrors.projectNameInvalid(name);
      if (store.projectByName(scope.domainId, name)) throw iamErrors.conflict("project", `project name ${name} is used`);
    }
    store.updateProject(p.id, name, b.description ?? p.description, p.enabled);
    return { body: { project: views.project(store.project(p.id)!, ctx.request.serviceBase) } };
  },
});

export const keystoneListRegions = iamOperation({
  name: "KeystoneListRegions",
  method: "GET",
  path: "/v3/regions",
  handle(ctx) {
    return {
      body: {
        regions: REGIONS.map((r) => views.region(r, ctx.request.serviceBase)),
        links: pageLinks(ctx, "/v3/regions"),
      },
    };
  },
});

export const keystoneShowRegion = iamOperation({
  name: "KeystoneShowRegion",
  method: "GET",
  path: "/v3/regions/{region_id}",
  handle(ctx) {
    const r = findRegion(ctx.input.path.region_id!);
    if (!r) throw iamErrors.notFound("region", ctx.input.path.region_id!);
    return { body: { region: views.region(r, ctx.request.serviceBase) } };
  },
});

function versionDoc(base: string) {
  return {
    id: "v3.6",
    status: "stable",
    updated: "2016-04-04T00:00:00Z",
    links: [{ rel: "self", href: `${base}/v3/` }],
    "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
  };
}

export const keystoneListVersions = iamOperation({
  name: "KeystoneListVersions",
  method: "GET",
  path: "/",
  auth: "none",
  handle(ctx) {
    // Huawei, like Keystone, answers the version list with 300 Multiple Choices.
    return { status: 300, body: { versions: { values: [versionDoc(ctx.request.serviceBase)] } } };
  },
});

export const keystoneShowVersion = iamOperation({
  name: "KeystoneShowVersion",
  method: "GET",
  path: "/v3",
  auth: "none",
  handle(ctx) {
    return { body: { version: versionDoc(ctx.request.serviceBase) } };
  },
});

export const projectOperations = [
  keystoneListProjects,
  keystoneListAuthProjects,
  keystoneListProjectsForUser,
  keystoneListAuthDomains,
  keystoneShowProject,
  keystoneCreateProject,
  keystoneUpdateProject,
  keystoneListRegions,
  keystoneShowRegion,
  keystoneListVersions,
  keystoneShowVersion,
];
