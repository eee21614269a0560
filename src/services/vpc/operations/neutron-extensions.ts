// Neutron's extension list (/v2.0/extensions), which the VPC SDK lacks but openstacksdk reads before some
// commands (`openstack port create` looks for tag-ports-during-bulk-creation and fails on a 404 list).
// hwlocal lists what it emulates; availability zones are left out, so that OSC's zone listing says "not
// supported" instead of calling /v2.0/availability_zones.
import { neutronErrors, neutronOperation } from "../neutron-errors.ts";
import { NeutronQuery, neutronList, neutronShow } from "../neutron-list.ts";

const UPDATED = "2013-01-20T00:00:00-00:00";
const EXTENSIONS: [alias: string, name: string, description: string][] = [
  ["external-net", "Neutron external network", "Adds external network attribute to network resource."],
  ["router", "Neutron L3 Router", "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway."],
  ["extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"],
  ["security-group", "security-group", "The security groups extension."],
  ["allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"],
  ["extra_dhcp_opt", "Neutron Extra DHCP options", "Extra options configuration for DHCP."],
  ["port-security", "Port Security", "Provides port security"],
  ["binding", "Port Binding", "Expose port bindings of a virtual port to external application"],
  ["fwaas_v2", "Firewall as a Service v2", "Extension for Firewall service v2"],
];

const items = EXTENSIONS.map(([alias, name, description]) => ({ id: alias, alias, name, description, updated: UPDATED, links: [] }));
const view = ({ id: _id, ...rest }: (typeof items)[number]) => rest;

export const neutronListExtensions = neutronOperation({
  name: "NeutronListExtensions",
  method: "GET",
  path: "/v2.0/extensions",
  query: NeutronQuery,
  handle(ctx) {
    const body = neutronList({ key: "extensions", path: "/v2.0/extensions", items, query: ctx.input.query, request: ctx.request });
    return { body: { ...body, extensions: (body.extensions as Record<string, unknown>[]).map(({ id: _id, ...rest }) => rest) } };
  },
});

export const neutronShowExtension = neutronOperation({
  name: "NeutronShowExtension",
  method: "GET",
  path: "/v2.0/extensions/{alias}",
  query: NeutronQuery,
  handle(ctx) {
    const alias = ctx.input.path.alias!;
    const ext = items.find((e) => e.alias === alias);
    if (!ext) throw neutronErrors.notFound("Extension", alias);
    return { body: neutronShow("extension", view(ext), ctx.input.query) };
  },
});

export const neutronExtensionOperations = [neutronListExtensions, neutronShowExtension];
