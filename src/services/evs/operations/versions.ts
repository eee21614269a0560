// Cinder's version documents (ListVersions GET /, ShowVersion GET /{version}), answered without a token and
// with 300 Multiple Choices as Huawei's reference shows (evs_04_0020); the self links keep hwlocal's /evs
// prefix. cinderclient itself does no discovery (the catalog's volumev3 URL is its base), openstacksdk does.
// Doubt: Huawei's example is taken to advertise v3.0 with microversion 3.0 only; v1 is not served.
import { apigw } from "../../../kernel/apigw-errors.ts";
import { evsOperation } from "../context.ts";

const VERSIONS = {
  "v2.0": { path: "v2", status: "SUPPORTED", updated: "2014-06-28T12:20:21Z", min: "", max: "", media: "2" },
  "v3.0": { path: "v3", status: "CURRENT", updated: "2016-02-08T12:20:21Z", min: "3.0", max: "3.0", media: "3" },
} as const;
type VersionId = keyof typeof VERSIONS;

function version(base: string, id: VersionId) {
  const v = VERSIONS[id];
  return {
    id,
    links: [{ href: `${base}/${v.path}/`, rel: "self" }],
    "media-types": [{ base: "application/json", type: `application/vnd.openstack.volume+json;version=${v.media}` }],
    min_version: v.min,
    status: v.status,
    updated: v.updated,
    version: v.max,
  };
}

export const listVersions = evsOperation({
  name: "ListVersions",
  method: "GET",
  path: "/",
  auth: "none",
  handle(ctx) {
    return { status: 300, body: { versions: (Object.keys(VERSIONS) as VersionId[]).map((id) => version(ctx.request.serviceBase, id)) } };
  },
});

export const showVersion = evsOperation({
  name: "ShowVersion",
  method: "GET",
  path: "/{version}",
  auth: "none",
  handle(ctx) {
    const asked = ctx.input.path.version!;
    const id = (Object.keys(VERSIONS) as VersionId[]).find((v) => v === asked || VERSIONS[v].path === asked);
    if (!id) throw apigw.apiNotFound(`Cinder has no API version ${asked}.`);
    return { status: 300, body: { versions: [version(ctx.request.serviceBase, id)] } };
  },
});

export const versionOperations = [listVersions, showVersion];
