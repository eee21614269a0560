// Neutron's version document (ListApiVersion GET /), answered without a token. openstacksdk does not ask
// for it (it appends v2.0 to the catalog's network URL itself); other neutron clients do. The self link
// keeps hwlocal's /vpc prefix.
import { vpcOperation } from "../context.ts";

export const listApiVersion = vpcOperation({
  name: "ListApiVersion",
  method: "GET",
  path: "/",
  auth: "none",
  handle(ctx) {
    return { body: { versions: [{ status: "CURRENT", id: "v2.0", links: [{ href: `${ctx.request.serviceBase}/v2.0`, rel: "self" }] }] } };
  },
});

export const versionOperations = [listApiVersion];
