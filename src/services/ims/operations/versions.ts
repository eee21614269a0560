// Glance's version documents (ListVersions GET /, ShowVersion GET /{version}), answered without a token
// and with 300 Multiple Choices as Huawei's reference shows (ims_03_0726, ims_03_0727). openstacksdk asks
// the catalog's image URL (…/ims) for them and takes the self link as its base, so the links keep hwlocal's
// /ims prefix (openstack-facts §1). Every v2 minor version is served by the same /v2 API.
import { apigw } from "../../../kernel/apigw-errors.ts";
import { imsOperation } from "../context.ts";

const VERSIONS = [
  { id: "v2.2", status: "CURRENT" },
  { id: "v2.1", status: "SUPPORTED" },
  { id: "v2.0", status: "SUPPORTED" },
] as const;

function versions(base: string) {
  return VERSIONS.map((v) => ({ status: v.status, id: v.id, links: [{ href: `${base}/v2/`, rel: "self" }] }));
}

export const listVersions = imsOperation({
  name: "ListVersions",
  method: "GET",
  path: "/",
  auth: "none",
  handle(ctx) {
    return { status: 300, body: { versions: versions(ctx.request.serviceBase) } };
  },
});

export const showVersion = imsOperation({
  name: "ShowVersion",
  method: "GET",
  path: "/{version}",
  auth: "none",
  handle(ctx) {
    const asked = ctx.input.path.version!;
    if (asked !== "v2" && !VERSIONS.some((v) => v.id === asked)) throw apigw.apiNotFound(`Glance has no API version ${asked}.`);
    return { status: 300, body: { versions: versions(ctx.request.serviceBase) } };
  },
});

export const versionOperations = [listVersions, showVersion];
