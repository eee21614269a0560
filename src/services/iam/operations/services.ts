// Keystone's service and endpoint registry (KeystoneListServices, KeystoneShowService, KeystoneListEndpoints,
// KeystoneShowEndpoint): the token catalog's entries (catalog.ts) in every region, with "$(tenant_id)s"
// where a URL takes the project. `openstack service list` and `openstack endpoint list` read these, and
// Huawei's first Python SDK found its endpoints through them. Ids are the catalog's own.
// By design: any authenticated caller may read them (reads are everyone's, see index.ts).
import { z } from "../../../kernel/zod.ts";
import type { HandlerContext } from "../../../kernel/service.ts";
import { buildCatalog, registryScope, type CatalogEntry } from "../catalog.ts";
import { iamOperation, type IamContext } from "../context.ts";
import { iamErrors } from "../errors.ts";

type Ctx = HandlerContext<IamContext, unknown>;

const registry = (ctx: Ctx): CatalogEntry[] => buildCatalog(ctx.request.endpoint, ctx.svc.catalog(), registryScope());

function serviceView(ctx: Ctx, e: CatalogEntry) {
  return { id: e.id, name: e.name, type: e.type, description: "", enabled: true, links: { self: `${ctx.request.serviceBase}/v3/services/${e.id}` } };
}

function endpointViews(ctx: Ctx, e: CatalogEntry) {
  return e.endpoints.map((x) => ({
    id: x.id,
    interface: x.interface,
    region: x.region,
    region_id: x.region_id,
    service_id: e.id,
    url: x.url,
    enabled: true,
    links: { self: `${ctx.request.serviceBase}/v3/endpoints/${x.id}` },
  }));
}

const listLinks = (ctx: Ctx, path: string) => ({ self: `${ctx.request.serviceBase}${path}`, previous: null, next: null });

export const keystoneListServices = iamOperation({
  name: "KeystoneListServices",
  method: "GET",
  path: "/v3/services",
  // name and Keystone's other filters are not in Huawei's SDK; the OpenStack CLI finds a service by name.
  query: z.object({ type: z.string().optional(), name: z.string().optional() }),
  handle(ctx) {
    const { type, name } = ctx.input.query;
    const services = registry(ctx).filter((e) => (type === undefined || e.type === type) && (name === undefined || e.name === name));
    return { body: { services: services.map((e) => serviceView(ctx, e)), links: listLinks(ctx, "/v3/services") } };
  },
});

export const keystoneShowService = iamOperation({
  name: "KeystoneShowService",
  method: "GET",
  path: "/v3/services/{service_id}",
  handle(ctx) {
    const id = ctx.input.path.service_id!;
    const found = registry(ctx).find((e) => e.id === id);
    if (!found) throw iamErrors.notFound("service", id);
    return { body: { service: serviceView(ctx, found) } };
  },
});

export const keystoneListEndpoints = iamOperation({
  name: "KeystoneListEndpoints",
  method: "GET",
  path: "/v3/endpoints",
  query: z.object({
    interface: z.enum(["public", "internal", "admin"]).optional(),
    service_id: z.string().optional(),
    // Keystone's region filter, which the OpenStack CLI sends for --region.
    region_id: z.string().optional(),
  }),
  handle(ctx) {
    const q = ctx.input.query;
    const endpoints = registry(ctx)
      .filter((e) => q.service_id === undefined || e.id === q.service_id)
      .flatMap((e) => endpointViews(ctx, e))
      .filter((x) => (q.interface === undefined || x.interface === q.interface) && (q.region_id === undefined || x.region_id === q.region_id));
    return { body: { endpoints, links: listLinks(ctx, "/v3/endpoints") } };
  },
});

export const keystoneShowEndpoint = iamOperation({
  name: "KeystoneShowEndpoint",
  method: "GET",
  path: "/v3/endpoints/{endpoint_id}",
  handle(ctx) {
    const id = ctx.input.path.endpoint_id!;
    const found = registry(ctx)
      .flatMap((e) => endpointViews(ctx, e))
      .find((x) => x.id === id);
    if (!found) throw iamErrors.notFound("endpoint", id);
    return { body: { endpoint: found } };
  },
});

export const serviceOperations = [keystoneListServices, keystoneShowService, keystoneListEndpoints, keystoneShowEndpoint];
