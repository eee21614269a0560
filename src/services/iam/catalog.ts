// The token catalog (POST/GET /v3/auth/tokens, GET /v3/auth/catalog), as Huawei's Keystone lists it and as
// OpenStack clients read it (openstack-facts §1, §2, §5.1). keystoneauth keeps the entries of the type it
// wants whose endpoint region equals OS_REGION_NAME exactly ("*" is no wildcard to it), and takes the URL as
// the service's base: so identity is listed in the project's region as well as under "*", compute appears
// once, at a versioned URL with the project id (novaclient does no discovery), and volume at cinder's
// /v3/{project_id} (cinderclient speaks only v3). Beside these OpenStack entries stand Huawei's own (ecs,
// vpc, ims, evs, iam, eip, …), typed by their own names where the OpenStack type belongs to the OpenStack
// entry. Every URL is built from the Host the client reached (serviceBases).
// Doubt: Huawei's domain-scoped tokens list only the global services (a real one seen, §2); hwlocal's also
// list the regional ones in each region of the domain, at the region's own project, as it did before.
import type { CatalogService } from "../../kernel/service.ts";
import { stableHex32 } from "../../kernel/ids.ts";
import { findRegion, REGIONS } from "../../kernel/regions.ts";
import type { IamStore } from "./store.ts";

/** Where a token's catalog points: its project, or each region's project for a domain-scoped token. */
export interface CatalogPlace {
  region: string;
  projectId: string;
}

export interface CatalogScope {
  /** "project": identity is listed in the project's region and under "*"; "domain": under "*" only. */
  kind: "project" | "domain";
  places: CatalogPlace[];
  /** kind and places as text, made once per scope (the token path asks for the catalog by it). */
  key: string;
}

/** An OpenStack service entry that Huawei's Keystone lists for one of its services. */
interface OpenstackEntry {
  name: string;
  type: string;
  /** After the service's prefix; {project_id} is the place's project. */
  path: string;
}

const OPENSTACK: Record<string, OpenstackEntry[]> = {
  iam: [{ name: "keystone", type: "identity", path: "/v3" }],
  ecs: [{ name: "nova", type: "compute", path: "/v2.1/{project_id}" }],
  // openstacksdk appends v2.0 to an unversioned network URL itself; glance finds its version at /ims.
  vpc: [{ name: "neutron", type: "network", path: "" }],
  ims: [{ name: "glance", type: "image", path: "" }],
  evs: [
    { name: "cinderv3", type: "volumev3", path: "/v3/{project_id}" },
    { name: "cinderv2", type: "volumev2", path: "/v2/{project_id}" },
  ],
};

/** Huawei's own entry of a global service: IAM's is /v3.0 (its own APIs), Keystone's /v3 is the OpenStack one. */
const GLOBAL_PATH: Record<string, string> = { iam: "/v3.0" };

interface Endpoint {
  id: string;
  interface: "public";
  region: string;
  region_id: string;
  url: string;
}

export interface CatalogEntry {
  type: string;
  id: string;
  name: string;
  endpoints: Endpoint[];
}

function endpoint(name: string, region: string, url: string): Endpoint {
  return { id: stableHex32(`endpoint:${name}:${region}`), interface: "public", region, region_id: region, url };
}

function entry(name: string, type: string, endpoints: Endpoint[]): CatalogEntry {
  return { type, id: stableHex32(`service:${name}`), name, endpoints };
}

export function buildCatalog(endpointBase: string, services: CatalogService[], scope: CatalogScope): CatalogEntry[] {
  const baseOf = serviceBases(endpointBase, services);
  const out: CatalogEntry[] = [];
  for (const svc of services) {
    const faces = OPENSTACK[svc.name] ?? [];
    for (const face of faces) {
      if (svc.global) {
        const regions = scope.kind === "project" ? [...scope.places.map((p) => p.region), "*"] : ["*"];
        out.push(entry(face.name, face.type, regions.map((r) => endpoint(face.name, r, `${baseOf(svc, "*")}${face.path}`))));
        continue;
      }
      const eps = scope.places.map((p) =>
        endpoint(face.name, p.region, `${baseOf(svc, p.region)}${face.path.replace("{project_id}", p.projectId)}`),
      );
      out.push(entry(face.name, face.type, eps));
    }
    const type = faces.length > 0 ? svc.name : svc.type;
    const eps = svc.global
      ? [endpoint(svc.name, "*", `${baseOf(svc, "*")}${GLOBAL_PATH[svc.name] ?? "/v3"}`)]
      : scope.places.map((p) => endpoint(svc.name, p.region, baseOf(svc, p.region)));
    out.push(entry(svc.name, type, eps));
  }
  return out;
}

/**
 * Where each service's URLs start. Reached through a service's host name (iam.cn-north-4.localhost:4577, as
 * the gateway reads Host), each service gets its own host in the same domain, since a path prefix on IAM's
 * host would reach IAM; reached any other way (127.0.0.1:4577, a LAN name), the host and the service's
 * path prefix.
 */
function serviceBases(endpointBase: string, services: CatalogService[]): (svc: CatalogService, region: string) => string {
  const prefixed = (svc: CatalogService) => `${endpointBase}/${svc.name}`;
  const m = /^(https?:\/\/)([^/:[\]]+)(:\d+)?$/.exec(endpointBase);
  if (!m) return prefixed;
  const labels = m[2]!.toLowerCase().split(".");
  const named = labels.length >= 2 ? services.find((s) => s.name === labels[0]) : undefined;
  const hostRegion = named && labels.length >= 3 && findRegion(labels[1]!) ? labels[1] : undefined;
  if (!named || (!hostRegion && !named.global)) return prefixed;
  const domain = labels.slice(hostRegion ? 2 : 1).join(".");
  return (svc, region) => {
    const r = svc.global ? hostRegion : region;
    return `${m[1]}${svc.name}.${r ? `${r}.` : ""}${domain}${m[3] ?? ""}`;
  };
}

/** A token's places: its project's, or for a domain, one per region (the project named after it first). */
export function catalogScope(store: IamStore, domainId: string, projectId: string | undefined): CatalogScope {
  const project = projectId ? store.project(projectId) : undefined;
  if (project) return withKey("project", [{ region: project.region, projectId: project.id }]);
  const rows = store.projects(domainId);
  const byRegion = new Map<string, CatalogPlace>();
  for (const p of rows) if (p.name === p.region) byRegion.set(p.region, { region: p.region, projectId: p.id });
  for (const p of rows) if (!byRegion.has(p.region)) byRegion.set(p.region, { region: p.region, projectId: p.id });
  return withKey("domain", [...byRegion.values()]);
}

/**
 * Keystone's registry (GET /v3/services, /v3/endpoints): every region, and Keystone's template in place of
 * the project id, as Huawei's first Python SDK fills it ("$(tenant_id)s").
 */
export function registryScope(): CatalogScope {
  return withKey("project", REGIONS.map((r) => ({ region: r.id, projectId: "$(tenant_id)s" })));
}

function withKey(kind: CatalogScope["kind"], places: CatalogPlace[]): CatalogScope {
  return { kind, places, key: `${kind}|${places.map((p) => `${p.region}:${p.projectId}`).join(",")}` };
}

/** Cache key of a catalog: the same few are asked for again and again. */
export function catalogKey(endpointBase: string, scope: CatalogScope): string {
  return `${endpointBase}|${scope.key}`;
}
