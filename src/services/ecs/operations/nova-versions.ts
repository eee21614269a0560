// Nova's version documents (NovaListVersions GET /, NovaShowVersion GET /{api_version}), answered without a
// token: keystoneauth asks …/ecs/v2.1 (the catalog's compute URL less its project id) before it calls nova,
// and takes the self link as its base, so the links keep hwlocal's /ecs prefix (openstack-facts §1, §3).
// Huawei's example: v2.0 SUPPORTED, v2.1 CURRENT with microversions 2.1 to 2.60 (ecs_03_0101, ecs_03_0102).
import { apigw } from "../../../kernel/apigw-errors.ts";
import { ecsOperation } from "../context.ts";
import { NOVA_MAX_MINOR } from "../views-nova.ts";

const NOVA_MIN_MICROVERSION = "2.1";
/** The newest microversion the nova operations answer to (views-nova.ts). */
const NOVA_MAX_MICROVERSION = `2.${NOVA_MAX_MINOR}`;

const VERSIONS = {
  "v2.0": { path: "v2", status: "SUPPORTED", updated: "2011-01-21T11:33:21Z", min: "", max: "", media: "2" },
  "v2.1": { path: "v2.1", status: "CURRENT", updated: "2013-07-23T11:33:21Z", min: NOVA_MIN_MICROVERSION, max: NOVA_MAX_MICROVERSION, media: "2.1" },
} as const;
type VersionId = keyof typeof VERSIONS;

function version(base: string, id: VersionId) {
  const v = VERSIONS[id];
  return { id, links: [{ href: `${base}/${v.path}/`, rel: "self" }], min_version: v.min, status: v.status, updated: v.updated, version: v.max };
}

export const novaListVersions = ecsOperation({
  name: "NovaListVersions",
  method: "GET",
  path: "/",
  auth: "none",
  handle(ctx) {
    return { body: { versions: (Object.keys(VERSIONS) as VersionId[]).map((id) => version(ctx.request.serviceBase, id)) } };
  },
});

export const novaShowVersion = ecsOperation({
  name: "NovaShowVersion",
  method: "GET",
  path: "/{api_version}",
  auth: "none",
  handle(ctx) {
    const asked = ctx.input.path.api_version!;
    const id: VersionId | undefined = asked === "v2" || asked === "v2.0" ? "v2.0" : asked === "v2.1" ? "v2.1" : undefined;
    if (!id) throw apigw.apiNotFound(`Nova has no API version ${asked}.`);
    const media = [{ base: "application/json", type: `application/vnd.openstack.compute+json;version=${VERSIONS[id].media}` }];
    return { body: { version: { ...version(ctx.request.serviceBase, id), "media-types": media } } };
  },
});

export const novaVersionOperations = [novaListVersions, novaShowVersion];
